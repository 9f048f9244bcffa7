import { describe, expect, it } from 'vitest';
import { alice, anna, bob, carol, DAY, textsOf, useCoreHarness, wang } from '../../support/core-harness.js';
import { award } from './points-support.js';

const h = useCoreHarness();

describe('/top', () => {
  it('ranks this week, this month and all time from the same ledger, in the group time zone', async () => {
    // START is Sunday 2026-12-20 10:00 in Shanghai: the week began on Monday 2026-12-14.
    for (const m of [alice, bob, carol]) await h.command(m, '/me');
    await award(h, { memberId: alice.id, source: 'admin', amount: 50, key: 'a1' });
    await award(h, { memberId: bob.id, source: 'admin', amount: 30, key: 'b1' });
    h.clock.advance(DAY); // Monday 2026-12-21: a new week, the same month
    await award(h, { memberId: bob.id, source: 'admin', amount: 5, key: 'b2' });
    await award(h, { memberId: carol.id, source: 'admin', amount: 10, key: 'c1' });

    expect(textsOf(await h.command(alice, '/top'))).toEqual(['🏆 Top this week (since Monday 2026-12-21)\n🥇 Carol: 10\n🥈 Bob: 5']);
    expect(textsOf(await h.command(alice, '/top month'))).toEqual(['🏆 Top of 2026-12\n🥇 Alice: 50\n🥈 Bob: 35\n🥉 Carol: 10']);

    h.clock.set(new Date('2027-01-01T00:00:00Z')); // 08:00 on 1 January in Shanghai: a new month
    expect(textsOf(await h.command(alice, '/top month'))).toEqual(['🏆 Top of 2027-01\nNo points earned yet in this season.']);
    expect(textsOf(await h.command(alice, '/top all'))).toEqual(['🏆 All-time top\n🥇 Alice: 50\n🥈 Bob: 35\n🥉 Carol: 10']);
    expect(await h.db.prisma.pointEntry.count()).toBe(4);
  });

  it('speaks Chinese, takes Chinese season words, and shows the member their own rank below the top 10', async () => {
    const crowd = Array.from({ length: 11 }, (_, i) => ({ id: `tg:${500 + i}`, displayName: `M${i}`, languageCode: 'en' }));
    for (const m of [...crowd, wang]) await h.command(m, '/me');
    for (const [i, m] of crowd.entries()) await award(h, { memberId: m.id, source: 'admin', amount: 100 - i, key: `k${i}` });
    await award(h, { memberId: wang.id, source: 'admin', amount: 1, key: 'w' });
    const text = textsOf(await h.command(wang, '/top 总榜'))[0]!;
    expect(text.split('\n')[0]).toBe('🏆 总排行');
    expect(text.split('\n')[1]).toBe('🥇 M0：100');
    expect(text.split('\n')).toHaveLength(12);
    expect(text.split('\n').at(-1)).toBe('你：第 12 名，1 积分');
    expect(textsOf(await h.command(wang, '/top 年'))).toEqual(['用法：/top、/top week（周榜）、/top month（月榜）或 /top all（总榜）。']);
  });

  it('counts deductions in the season they were made', async () => {
    for (const m of [alice, bob]) await h.command(m, '/me');
    await award(h, { memberId: alice.id, source: 'admin', amount: 20, key: 'a' });
    await award(h, { memberId: bob.id, source: 'admin', amount: 15, key: 'b' });
    await h.command(anna, '/points @alice -10 spam');
    expect(textsOf(await h.command(bob, '/top week'))[0]).toBe('🏆 Top this week (since Monday 2026-12-14)\n🥇 Bob: 15\n🥈 Alice: 10');
  });
});
