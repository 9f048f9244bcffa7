import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { alice, anna, bob, carol, DAY, GROUP, laoLi, textsOf, useCoreHarness, wang, zhang } from '../../support/core-harness.js';
import { award, balanceOf, buyAndDeliver } from './points-support.js';

const h = useCoreHarness();

describe('levels', () => {
  it('raises a member to V2 on spend, announces it once with its perks, and pays for the delivery', async () => {
    await h.command(anna, '/levels perk V2 5% off every buy');
    await buyAndDeliver(h, [alice], 100, 2); // ¥200: the V2 spend
    const said = h.messagesIn();
    expect(said.filter((m) => m.startsWith('🎉'))).toEqual(['🎉 Alice reached level V2!\nPerks: 5% off every buy']);
    expect(await balanceOf(h, alice)).toBe(5 + 20);

    // A second small delivery neither announces V2 again nor pays the same delivery twice.
    await h.command(anna, '/delivered all');
    await buyAndDeliver(h, [alice], 10);
    expect(h.messagesIn().filter((m) => m.startsWith('🎉') || m.startsWith('🏅'))).toHaveLength(1);
    expect(await h.db.prisma.groupMember.findUnique({ where: { groupId_memberId: { groupId: GROUP.id, memberId: alice.id } } })).toMatchObject({ level: 2 });
  });

  it('counts orders within the window for frequency, in Chinese', async () => {
    await buyAndDeliver(h, [wang], 1);
    h.clock.advance(100 * DAY); // outside the 90 days
    await buyAndDeliver(h, [wang], 1);
    await buyAndDeliver(h, [wang], 1);
    expect(h.messagesIn().filter((m) => m.startsWith('🎉'))).toEqual([]);
    await buyAndDeliver(h, [wang], 1);
    expect(h.messagesIn().filter((m) => m.startsWith('🎉'))).toEqual(['🎉 王芳 升级到 V2！']);
    const me = textsOf(await h.command(wang, '/me'))[0]!;
    expect(me).toContain('等级：V2');
    expect(me).toContain('下一级 V3：消费 ¥4.00/¥1000.00，或 90 天内订单 3/8');
  });

  it('lists thresholds and perks; only admins change them, and thresholds must not decrease', async () => {
    expect(textsOf(await h.command(alice, '/levels'))).toEqual([
      [
        'Member levels (by spend in this group, or orders delivered in the last 90 days):',
        'V1: every member',
        'V2: spend ¥200.00, or 3 orders',
        'V3: spend ¥1000.00, or 8 orders',
        'V4: spend ¥3000.00, or 15 orders',
        'Your level: V1',
      ].join('\n'),
    ]);
    expect(textsOf(await h.command(alice, '/levels set V2 spend 50'))).toEqual(['Sorry, only group admins can do that.']);
    expect(textsOf(await h.command(anna, '/levels set V2 spend 5000'))[0]).toContain('Not saved');
    const saved = textsOf(await h.command(anna, '/levels set V2 spend 50 orders 2'))[0]!;
    expect(saved).toContain('V2: spend ¥50.00, or 2 orders');
    const zh = textsOf(await h.command(laoLi, '/levels perk V3 包邮 + 优先自提'))[0]!;
    expect(zh).toContain('V3 的权益已保存。');
    expect(zh).toContain('V3：消费 ¥1000.00，或 8 单\n   权益：包邮 + 优先自提');
    expect(await h.db.prisma.adminAction.count({ where: { action: 'points.levels' } })).toBe(2);
  });

  it('refuses a level, a number or a window out of range naming what is allowed, in the admin\'s language', async () => {
    expect(textsOf(await h.command(laoLi, '/levels set V5 spend 100'))).toEqual(['未更改：等级不能设为“V5”。可选：V2、V3 或 V4。']);
    expect(textsOf(await h.command(anna, '/levels set V1 orders 1'))).toEqual(['Not changed: “V1” is not allowed for the level. Allowed: V2, V3 or V4.']);
    expect(textsOf(await h.command(anna, '/levels perk V9 free tea'))).toEqual(['Not changed: “V9” is not allowed for the level. Allowed: V1, V2, V3 or V4.']);
    expect(textsOf(await h.command(anna, '/levels set V2 orders lots'))).toEqual(['Not changed: “lots” is not allowed for orders. Allowed: from 0 to 10000.']);
    expect(textsOf(await h.command(laoLi, '/levels 周期 3'))).toEqual(['未更改：周期不能设为“3”。允许的范围：7天 到 3650天。']);
    expect(textsOf(await h.command(anna, '/levels set V2 spend 99999999'))).toEqual(['Not changed: “99999999” is not allowed for spend. Allowed: from 0 yuan to 10000000 yuan.']);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'points.levels' } })).toBe(0);
  });

  it('applies lowered thresholds at the next /me', async () => {
    await buyAndDeliver(h, [bob], 60);
    await h.command(anna, '/levels set V2 spend 50');
    const replies = textsOf(await h.command(bob, '/me'));
    expect(replies[0]).toContain('Level: V2');
    expect(replies[1]).toBe('🎉 Bob reached level V2!');
  });
});

describe('badges', () => {
  it('gives the first-review badge for a review paid by the reviews feature, once', async () => {
    await h.command(carol, '/me');
    await h.store.transaction((tx) =>
      tx.addPointEntry({ groupId: GROUP.id, memberId: carol.id, amount: 10, reason: 'review', reference: 'review:1', key: 'review:1', at: h.clock.now() }),
    );
    const replies = textsOf(await h.command(carol, '/me'));
    expect(replies[1]).toBe('🏅 Carol earned the badge “First review”: a first review written.');
    expect(replies[0]).toContain('Points: 10 (this week: 10)');
    expect(replies[0]).toContain('Badges: First review');
    expect(textsOf(await h.command(carol, '/me'))).toHaveLength(1);
  });

  it('notices a first review at the next check-in', async () => {
    await h.command(carol, '/me');
    await h.store.transaction((tx) =>
      tx.addPointEntry({ groupId: GROUP.id, memberId: carol.id, amount: 10, reason: 'review', reference: 'review:2', key: 'review:2', at: h.clock.now() }),
    );
    expect(textsOf(await h.command(carol, '/checkin'))).toEqual([
      '✅ Carol checked in: +5 points (day 1 of the streak).\n6 more days to the 7-day bonus.\nBalance: 15 points.',
      '🏅 Carol earned the badge “First review”: a first review written.',
    ]);
  });

  it('makes a member who likes many different members a helpful member (互助达人), once', async () => {
    await h.command(anna, '/pointrules helpful 3 2');
    const authors: Actor[] = [bob, carol];
    for (const a of [...authors, zhang]) await h.command(a, '/me');
    let shareId = 0;
    const likeShareOf = async (author: Actor) => {
      const share = await h.db.prisma.share.create({ data: { groupId: GROUP.id, chatId: GROUP.id, memberId: author.id, text: 'look', createdAt: h.clock.now() } });
      shareId = share.id;
      await h.db.prisma.shareLike.create({ data: { shareId: share.id, likerId: zhang.id, createdAt: h.clock.now() } });
      return award(h, { memberId: zhang.id, source: 'like_given', key: `like_given:${share.id}:${zhang.id}` });
    };
    await likeShareOf(bob);
    await likeShareOf(bob);
    expect(await h.db.prisma.badgeAward.count()).toBe(0); // 2 likes, 1 member
    const third = await likeShareOf(carol);
    expect(third.out.replies.map((r) => (r.kind === 'message' ? r.text : ''))).toEqual(['🏅 张伟 获得徽章「互助达人」：为至少 2 位不同成员点赞共 3 次。']);
    await likeShareOf(carol);
    expect(await h.db.prisma.badgeAward.findMany({ select: { memberId: true, badge: true } })).toEqual([{ memberId: zhang.id, badge: 'helpful' }]);
    expect(shareId).toBeGreaterThan(0);
  });

  it('gives the first-share badge when the likes feature pays a share', async () => {
    await h.command(alice, '/me');
    const share = await h.db.prisma.share.create({ data: { groupId: GROUP.id, chatId: GROUP.id, memberId: alice.id, text: 'mine', createdAt: h.clock.now() } });
    const { paid, out } = await award(h, { memberId: alice.id, source: 'share', key: `share:${share.id}` });
    expect(paid).toBe(10);
    expect(out.replies).toEqual([{ kind: 'message', to: { chatId: GROUP.id }, text: '🏅 Alice earned the badge “First share”: a first share posted.' }]);
  });
});
