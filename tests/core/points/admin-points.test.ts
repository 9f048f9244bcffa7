import { describe, expect, it } from 'vitest';
import { alice, anna, bob, GROUP, laoLi, textsOf, useCoreHarness, wang } from '../../support/core-harness.js';
import { balanceOf } from './points-support.js';

const h = useCoreHarness();

describe('/points', () => {
  it('lets an admin add or take points with a reason, logged with who did it', async () => {
    await h.command(bob, '/checkin');
    const result = await h.command(anna, '/points @bob +20 helped at the pickup');
    expect(textsOf(result)).toEqual(["Anna adjusted Bob's points by +20 (helped at the pickup). Bob now has 25 points."]);
    // As a reply to Bob's message: the member comes from the reply, the arguments are amount and reason.
    expect(textsOf(await h.command(anna, '/points +-3 oops', { mentions: [bob] }))[0]).toContain('Usage: /points @member');
    await h.command(anna, '/points -5 double entry', { mentions: [bob] });
    expect(await balanceOf(h, bob)).toBe(20);
    expect(await h.db.prisma.pointEntry.findMany({ where: { reason: 'admin' }, select: { amount: true, actorId: true, note: true }, orderBy: { id: 'asc' } })).toEqual([
      { amount: 20, actorId: anna.id, note: 'helped at the pickup' },
      { amount: -5, actorId: anna.id, note: 'double entry' },
    ]);
    expect(await h.db.prisma.adminAction.findMany({ where: { action: 'points.adjust' }, select: { actorId: true, detail: true } })).toEqual([
      { actorId: anna.id, detail: { memberId: bob.id, amount: 20, reason: 'helped at the pickup' } },
      { actorId: anna.id, detail: { memberId: bob.id, amount: -5, reason: 'double entry' } },
    ]);
  });

  it('refuses members, bad amounts, missing reasons and unknown members, in both languages', async () => {
    await h.command(bob, '/me');
    expect(textsOf(await h.command(alice, '/points @bob +20 because'))).toEqual(['Sorry, only group admins can do that.']);
    expect(textsOf(await h.command(anna, '/points @bob +20'))[0]).toContain('Usage: /points @member');
    expect(textsOf(await h.command(anna, '/points @bob 0 nothing'))[0]).toContain('is not a valid adjustment');
    expect(textsOf(await h.command(anna, '/points @nobody +1 hi'))[0]).toContain("I don't know @nobody");
    expect(textsOf(await h.command(laoLi, '/points @bob 100000000 多'))).toEqual(['“100000000”不是有效的调整：请用非 0 的整数，绝对值不超过 100000。']);
    expect(await h.db.prisma.pointEntry.count()).toBe(0);
  });

  it('refuses a deduction below zero, naming the balance and the allowed range, and keeps the member on /top all', async () => {
    await h.command(bob, '/checkin');
    expect(textsOf(await h.command(anna, '/points @bob -1000 spam'))).toEqual([
      'Not changed: Bob has 5 points, and a balance never goes below 0, so -1000 is not allowed. Use an amount from -5 to +100000.',
    ]);
    expect(textsOf(await h.command(laoLi, '/points @bob -6 刷分'))).toEqual(['未更改：Bob 现有 5 积分，积分不能低于 0，所以不能调整 -6。可调整范围：-5 到 +100000。']);
    expect(await balanceOf(h, bob)).toBe(5);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'points.adjust' } })).toBe(0);
    expect(textsOf(await h.command(anna, '/points @bob -5 spam'))).toEqual(["Anna adjusted Bob's points by -5 (spam). Bob now has 0 points."]);
    expect(textsOf(await h.command(anna, '/points @bob -1 again'))[0]).toContain('Bob has 0 points');
    await h.command(alice, '/me');
    await h.command(anna, '/points @alice +3 thanks');
    expect(textsOf(await h.command(bob, '/top all'))).toEqual(['🏆 All-time top\n🥇 Alice: 3\n🥈 Bob: 0']);
  });

  it('pays once when the same update arrives twice', async () => {
    await h.command(bob, '/me');
    await h.command(anna, '/points @bob +7 thanks');
    expect((await h.resend()).duplicate).toBe(true);
    expect(await balanceOf(h, bob)).toBe(7);
  });
});

describe('/ledger', () => {
  it('shows an admin the newest entries of a member privately, with who adjusted and why', async () => {
    await h.command(bob, '/checkin');
    await h.command(anna, '/points @bob -2 late');
    await h.command(anna, '/ledger @bob');
    expect(h.dmsTo(anna).at(-1)).toBe(
      ['📒 Points of Bob in Strawberry friends: 3. Newest first:', '2026-12-20 10:00  -2  adjustment (by Anna: late)', '2026-12-20 10:00  +5  check-in'].join('\n'),
    );
    expect(h.lastMessageIn(GROUP.id)).toBe("Anna, I've sent it to you privately.");
  });

  it('lets members read only their own, in their language', async () => {
    await h.command(wang, '/checkin');
    await h.command(bob, '/me');
    expect(textsOf(await h.command(wang, '/ledger @bob'))).toEqual(['抱歉，只有群管理员可以这样做。']);
    await h.command(wang, '/ledger');
    expect(h.dmsTo(wang).at(-1)).toBe('📒 王芳 在 Strawberry friends 的积分：5。最新在前：\n2026-12-20 10:00  +5  签到');
  });
});
