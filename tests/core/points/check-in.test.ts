import { describe, expect, it } from 'vitest';
import { alice, anna, DAY, HOUR, MINUTE, textsOf, useCoreHarness, wang } from '../../support/core-harness.js';
import { balanceOf } from './points-support.js';

const h = useCoreHarness();

describe('/checkin', () => {
  it('pays once per day and says when the next bonus comes', async () => {
    const first = await h.command(alice, '/checkin');
    expect(textsOf(first)).toEqual(['✅ Alice checked in: +5 points (day 1 of the streak).\n6 more days to the 7-day bonus.\nBalance: 5 points.']);

    h.clock.advance(3 * HOUR);
    expect(textsOf(await h.command(alice, '/checkin'))).toEqual(['Alice, you have already checked in today (streak: 1 day). Come back tomorrow!']);
    expect(await balanceOf(h, alice)).toBe(5);
  });

  it('answers in Chinese and never pays twice for the same update delivered again', async () => {
    const first = await h.command(wang, '/checkin');
    expect(textsOf(first)).toEqual(['✅ 王芳 签到成功：+5 积分（连续第 1 天）。\n再签到 6 天可获得连续 7 天奖励。\n当前积分：5。']);
    expect((await h.resend()).duplicate).toBe(true);
    expect(textsOf(await h.command(wang, '/checkin'))).toEqual(['王芳，你今天已经签到过了（已连续 1 天），明天再来吧！']);
    expect(await balanceOf(h, wang)).toBe(5);
  });

  it('counts a streak over consecutive days, pays the 7-day bonus and the badge once, and restarts after a missed day', async () => {
    for (let day = 1; day <= 6; day++) {
      await h.command(alice, '/checkin');
      h.clock.advance(DAY);
    }
    const seventh = await h.command(alice, '/checkin');
    expect(textsOf(seventh)).toEqual([
      '✅ Alice checked in: +5 points (day 7 of the streak).\n🔥 7-day streak! Bonus +20 points.\nBalance: 55 points.',
      '🏅 Alice earned the badge “7-day streak”: checked in 7 days in a row.',
    ]);
    h.clock.advance(DAY);
    expect(textsOf(await h.command(alice, '/checkin'))[0]).toContain('day 8 of the streak');
    expect(h.messagesIn().filter((m) => m.startsWith('🏅'))).toHaveLength(1);

    h.clock.advance(2 * DAY);
    expect(textsOf(await h.command(alice, '/checkin'))[0]).toContain('day 1 of the streak');
    expect(await h.db.prisma.pointEntry.count({ where: { memberId: alice.id, reason: 'checkin_streak_bonus' } })).toBe(1);
    expect(await balanceOf(h, alice)).toBe(9 * 5 + 20);
  });

  it('counts days in the group time zone', async () => {
    // START is 10:00 in Shanghai, 03:00 in Berlin.
    await h.command(anna, '/timezone Europe/Berlin');
    h.clock.set(new Date('2026-12-20T22:50:00Z')); // 23:50 in Berlin
    expect(textsOf(await h.command(alice, '/checkin'))[0]).toContain('day 1 of the streak');
    h.clock.advance(20 * MINUTE); // 00:10 in Berlin, the next day
    expect(textsOf(await h.command(alice, '/checkin'))[0]).toContain('day 2 of the streak');
    expect(await h.db.prisma.checkIn.findMany({ where: { memberId: alice.id }, select: { day: true }, orderBy: { day: 'asc' } })).toEqual([
      { day: '2026-12-20' }, { day: '2026-12-21' },
    ]);
  });

  it('is one day for a group in Shanghai across midnight in Berlin', async () => {
    h.clock.set(new Date('2026-12-20T22:50:00Z')); // 06:50 on the 21st in Shanghai
    await h.command(alice, '/checkin');
    h.clock.advance(20 * MINUTE);
    expect(textsOf(await h.command(alice, '/checkin'))[0]).toContain('already checked in today');
  });

  it('works in groups only', async () => {
    expect(textsOf(await h.command(alice, '/checkin', { chat: 'private' }))).toEqual(['This command works in a group chat.']);
  });
});
