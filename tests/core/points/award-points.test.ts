import { describe, expect, it } from 'vitest';
import { alice, anna, bob, carol, DAY, HOUR, laoLi, MINUTE, textsOf, useCoreHarness, wang } from '../../support/core-harness.js';
import { award, balanceOf } from './points-support.js';

const h = useCoreHarness();

describe('awardPoints', () => {
  it('pays the group amount of a source once per key', async () => {
    await h.command(alice, '/me');
    expect((await award(h, { memberId: alice.id, source: 'round_complete', key: 'round_complete:1:tg:11' })).paid).toBe(15);
    expect((await award(h, { memberId: alice.id, source: 'round_complete', key: 'round_complete:1:tg:11' })).paid).toBe(0);
    expect(await balanceOf(h, alice)).toBe(15);
  });

  it('caps likes given per day in the group day, and pays again the next day', async () => {
    await h.command(alice, '/me');
    const paid: number[] = [];
    for (let i = 1; i <= 12; i++) paid.push((await award(h, { memberId: alice.id, source: 'like_given', key: `like_given:${i}:tg:11` })).paid);
    expect(paid).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    h.clock.advance(DAY);
    expect((await award(h, { memberId: alice.id, source: 'like_given', key: 'like_given:13:tg:11' })).paid).toBe(1);
    expect(await balanceOf(h, alice)).toBe(11);
  });

  it('pays what is left under a cap, and a campaign amount never passes it', async () => {
    await h.command(anna, '/pointrules like_received 3 cap 5');
    await h.command(bob, '/me');
    const paid = [];
    for (let i = 1; i <= 3; i++) paid.push((await award(h, { memberId: bob.id, source: 'like_received', key: `like_received:1:${i}` })).paid);
    expect(paid).toEqual([3, 2, 0]);
    expect(await balanceOf(h, bob)).toBe(5);
  });

  it('keeps a cooldown between two paid shares', async () => {
    await h.command(alice, '/me');
    expect((await award(h, { memberId: alice.id, source: 'share', key: 'share:1' })).paid).toBe(10);
    h.clock.advance(29 * MINUTE);
    expect((await award(h, { memberId: alice.id, source: 'share', key: 'share:2' })).paid).toBe(0);
    h.clock.advance(MINUTE);
    expect((await award(h, { memberId: alice.id, source: 'share', key: 'share:3' })).paid).toBe(10);
    // Cap 30 a day: the fourth paid share of the day pays nothing.
    h.clock.advance(HOUR);
    expect((await award(h, { memberId: alice.id, source: 'share', key: 'share:4' })).paid).toBe(10);
    h.clock.advance(HOUR);
    expect((await award(h, { memberId: alice.id, source: 'share', key: 'share:5' })).paid).toBe(0);
    expect(await balanceOf(h, alice)).toBe(30);
  });

  it('follows the amounts an admin sets, and pays nothing for a source set to 0', async () => {
    expect(textsOf(await h.command(anna, '/pointrules round_complete 40'))[0]).toContain('Saved.');
    await h.command(anna, '/pointrules like_given 0');
    await h.command(alice, '/me');
    expect((await award(h, { memberId: alice.id, source: 'round_complete', key: 'r:1' })).paid).toBe(40);
    expect((await award(h, { memberId: alice.id, source: 'like_given', key: 'l:1' })).paid).toBe(0);
    expect(await h.db.prisma.pointEntry.count({ where: { memberId: alice.id } })).toBe(1);
  });

  it('keeps other features\' settings when saving its own', async () => {
    await h.command(alice, '/me');
    await h.db.prisma.group.update({ where: { id: 'tg:-100' }, data: { settings: { reviews: { weeklyCap: 1 } } } });
    await h.command(anna, '/pointrules share cooldown 2h');
    const { settings } = (await h.db.prisma.group.findUnique({ where: { id: 'tg:-100' } }))!;
    expect(settings).toMatchObject({ reviews: { weeklyCap: 1 }, points: { rules: { share: { cooldownMinutes: 120 } } } });
  });
});

describe('/pointrules', () => {
  it('shows the rules to everyone and lets only admins change them', async () => {
    const shown = textsOf(await h.command(alice, '/pointrules'))[0]!;
    expect(shown).toContain('like given (like_given): 1 · at most 10/day · no cooldown');
    expect(shown).toContain('share (share): 10 · at most 30/day · once per 30 min');
    expect(textsOf(await h.command(alice, '/pointrules share 100'))).toEqual(['Sorry, only group admins can do that.']);
    expect(textsOf(await h.command(anna, '/pointrules stars 5'))[0]).toContain('Unknown source “stars”');
    expect(textsOf(await h.command(anna, '/pointrules share cap -3'))).toEqual(['Not changed: “-3” is not allowed for cap. Allowed: from 1 point to 1000000 points.']);
    expect(textsOf(await h.command(anna, '/pointrules share cooldown 9d'))).toEqual(['Not changed: “9d” is not allowed for cooldown. Allowed: from 0 days to 7 days.']);
    expect(textsOf(await h.command(wang, '/pointrules'))).toHaveLength(1);
  });

  it('speaks Chinese', async () => {
    expect(textsOf(await h.command(laoLi, '/pointrules 连签 1'))).toEqual(['未更改：连签不能设为“1”。允许的范围：2天 到 365天。']);
    expect(textsOf(await h.command(laoLi, '/pointrules share 冷却 很久'))).toEqual(['未更改：看不懂“很久”（冷却）。请这样写：30m, 2h, off。']);
    const shown = textsOf(await h.command(wang, '/pointrules'))[0]!;
    expect(shown).toContain('点赞（like_given）：1 · 每天最多 10 · 无冷却');
  });
});

describe('points for buying', () => {
  it('pays nothing for joining and leaving: join two buys, leave both, and the balance stays 0', async () => {
    const first = await h.openBuy('Tea | 10 | min 1 | max 50 | ends 2h');
    const second = await h.openBuy('Rice | 10 | min 1 | max 50 | ends 2h');
    await h.command(alice, `/join ${first.id} 1`);
    await h.command(alice, `/join ${second.id} 1`);
    await h.command(alice, `/leave ${first.id}`);
    await h.command(alice, `/leave ${second.id}`);
    expect(await balanceOf(h, alice)).toBe(0);
    await h.command(anna, `/closebuy ${first.id}`);
    await h.command(anna, `/closebuy ${second.id}`);
    expect(await balanceOf(h, alice)).toBe(0);
    expect(await h.db.prisma.pointEntry.count({ where: { memberId: alice.id } })).toBe(0);
  });

  it('pays for joining once when the buy forms, however often the member left and joined again', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 50 | ends 2h');
    for (let i = 0; i < 3; i++) {
      await h.command(alice, '/join 2');
      await h.command(alice, '/leave');
    }
    await h.command(alice, '/join 1');
    expect(await balanceOf(h, alice)).toBe(0);
    await h.command(anna, '/closebuy');
    expect(await balanceOf(h, alice)).toBe(5);
    expect(await h.db.prisma.pointEntry.findMany({ where: { memberId: alice.id }, select: { reason: true, key: true } })).toEqual([
      { reason: 'join_buy', key: `join_buy:${buy.id}:${alice.id}` },
    ]);
  });

  it('pays nothing for a buy that fails or is cancelled', async () => {
    const failed = await h.openBuy('Tea | 10 | min 5 | max 50 | ends 2h');
    const cancelled = await h.openBuy('Rice | 10 | min 1 | max 50 | ends 2h');
    await h.command(alice, `/join ${failed.id} 1`);
    await h.command(alice, `/join ${cancelled.id} 1`);
    await h.command(anna, `/closebuy ${failed.id}`);
    await h.command(anna, `/cancelbuy ${cancelled.id}`);
    expect(await balanceOf(h, alice)).toBe(0);
  });

  it('pays the members holding a place when the buy forms, a member moved in from the waitlist too, not the waitlist', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 1 | ends 2h');
    await h.command(alice, '/join');
    await h.command(bob, '/join');
    await h.command(carol, '/join');
    await h.command(alice, '/leave');
    await h.command(anna, '/closebuy');
    expect(await balanceOf(h, bob)).toBe(5);
    expect(await balanceOf(h, alice)).toBe(0);
    expect(await balanceOf(h, carol)).toBe(0);
  });
});
