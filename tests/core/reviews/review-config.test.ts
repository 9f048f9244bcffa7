import { describe, expect, it } from 'vitest';
import { conditionsOnSentiment, parseReviewConfig, readReviewSettings } from '../../../core/reviews/review-settings.js';
import { capFreesAt, quietUntil } from '../../../core/messages/prompt-timing.js';
import { GROUP, alice, anna, laoLi, useCoreHarness } from '../../support/core-harness.js';

const h = useCoreHarness();

const stored = async () => ((await h.db.prisma.group.findUnique({ where: { id: GROUP.id } }))?.settings as Record<string, unknown> | undefined)?.reviews;

describe('/reviewconfig', () => {
  it('shows the defaults', async () => {
    await h.command(anna, '/reviewconfig show');
    expect(h.lastMessageIn()).toBe(
      [
        '⚙️ Review prompting in this group:',
        '• Request: 3 days after delivery',
        '• Reminders: 1, 3 days apart, only to those who have not reviewed',
        '• Quiet hours: 22:00-08:00 (group time zone)',
        '• At most 2 prompts per member per week (review requests and repurchase reminders together)',
        '• Reward: 10 points for any review, +10 for a rich review (3 photos or a 15 s video)',
        '• Best of the month (/bestreviews): at least 3 helpful votes',
        'Rewards never depend on the rating or the sentiment of a review.',
      ].join('\n'),
    );
  });

  it('changes settings, stores them validated in Group.settings.reviews, and logs the change', async () => {
    await h.command(anna, '/reviewconfig delay 5d');
    await h.command(anna, '/reviewconfig quiet 23:00-07:30');
    await h.command(anna, '/reviewconfig reward 15');
    await h.command(laoLi, '/reviewconfig cap 3');
    expect(h.lastMessageIn()).toMatch(/^已保存。\n⚙️ 本群的评价邀请设置：/);
    expect(await stored()).toMatchObject({ delayHours: 120, quietHours: { start: '23:00', end: '07:30' }, rewardPoints: 15, weeklyCap: 3 });
    expect(readReviewSettings(await stored()).valid).toBe(true);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'review.config' } })).toBe(4);
    await h.command(anna, '/reviewconfig quiet off');
    expect(await stored()).toMatchObject({ quietHours: null });
  });

  it('refuses rewards that depend on rating or sentiment, with the rule, in the admin\'s language', async () => {
    for (const args of ['reward 20 if rating >= 4', 'reward_positive 20', 'bonus 5 for 5 stars', 'reward 10 positive only']) {
      await h.command(anna, `/reviewconfig ${args}`);
      expect(h.lastMessageIn(), args).toBe(
        'Refused: a review reward may not depend on the rating or on what the review says. Every honest review earns the same points (plus the bonus for photos or a video). Rewards conditioned on positive reviews are illegal: US FTC 16 CFR 465.4 and China SAMR Order 91 Art. 9(5).',
      );
    }
    for (const args of ['好评返现 5', '奖励 20 五星好评', 'reward 20 好评']) {
      await h.command(laoLi, `/reviewconfig ${args}`);
      expect(h.lastMessageIn(), args).toMatch(/^已拒绝：评价奖励不能取决于评分或评价内容。.*FTC 16 CFR 465\.4.*第91号令）第九条第（五）项。$/);
    }
    expect(await stored()).toBeUndefined();
  });

  it('refuses conditions of any kind on a reward, and bad values', async () => {
    await h.command(anna, '/reviewconfig reward 20 if verified');
    expect(h.lastMessageIn()).toBe('A reward is a plain number of points for any review, e.g. /reviewconfig reward 10; it cannot carry conditions.');
    await h.command(anna, '/reviewconfig cap 99');
    expect(h.lastMessageIn()).toBe('Not changed: “99” is not allowed for cap. Allowed: from 1 to 14.');
    await h.command(anna, '/reviewconfig delay soon');
    expect(h.lastMessageIn()).toBe("Not changed: I can't read “soon” as delay. Write it like 3d, 12h.");
    await h.command(anna, '/reviewconfig colour red');
    expect(h.lastMessageIn()).toBe('I don\'t know the setting "colour". Settings: delay, reminders, interval, quiet, cap, reward, bonus, minvotes.');
    expect(await stored()).toBeUndefined();
  });

  it('names the setting as typed and the allowed range in the admin\'s language, never an internal name', async () => {
    await h.command(anna, '/reviewconfig reward 1000000');
    expect(h.lastMessageIn()).toBe('Not changed: “1000000” is not allowed for reward. Allowed: from 0 points to 10000 points.');
    await h.command(laoLi, '/reviewconfig 奖励 1000000');
    expect(h.lastMessageIn()).toBe('未更改：奖励不能设为“1000000”。允许的范围：0 积分 到 10000 积分。');
    await h.command(anna, '/reviewconfig delay 100d');
    expect(h.lastMessageIn()).toBe('Not changed: “100d” is not allowed for delay. Allowed: from 0 days to 90 days.');
    await h.command(laoLi, '/reviewconfig interval 45d');
    expect(h.lastMessageIn()).toBe('未更改：interval 不能设为“45d”。允许的范围：1小时 到 30天。');
    await h.command(laoLi, '/reviewconfig 免打扰 晚上');
    expect(h.lastMessageIn()).toBe('未更改：看不懂“晚上”（免打扰）。请这样写：22:00-08:00, off。');
    await h.command(anna, '/reviewconfig minvotes -1');
    expect(h.lastMessageIn()).toBe('Not changed: “-1” is not allowed for minvotes. Allowed: from 0 to 1000.');
    for (const text of h.port.delivered.map((d) => ('text' in d.reply ? d.reply.text : ''))) expect(text).not.toMatch(/rewardPoints|weeklyCap|delayHours|bestMinVotes|out of range/);
    expect(await stored()).toBeUndefined();
  });

  it('is for admins in a group', async () => {
    await h.command(alice, '/reviewconfig reward 100');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    await h.command(anna, '/reviewconfig show', { chat: 'private' });
    expect(h.dmsTo(anna).at(-1)).toBe('This command works in a group chat.');
  });
});

describe('review settings', () => {
  it('fall back to the defaults when what is stored does not validate (e.g. a sentiment-dependent field)', () => {
    expect(readReviewSettings({ rewardPoints: 10, rewardPositive: 30 })).toMatchObject({ valid: false, settings: { rewardPoints: 10, richBonusPoints: 10 } });
    expect(readReviewSettings(undefined).valid).toBe(true);
  });

  it('recognise sentiment conditions in English and Chinese', () => {
    expect(conditionsOnSentiment('reward 20 if rating >= 4')).toBe(true);
    expect(conditionsOnSentiment('好评返现')).toBe(true);
    expect(conditionsOnSentiment('reward 20')).toBe(false);
    expect(conditionsOnSentiment('quiet 22:00-08:00')).toBe(false);
    expect(parseReviewConfig({ buy: 3, setting: 'interval', value: '2d' })).toEqual({ kind: 'set', buyId: 3, patch: { reminderIntervalHours: 48 }, typed: 'interval' });
  });

  it('compute quiet hours across midnight and the weekly cap', () => {
    const quiet = { start: '22:00', end: '08:00' };
    expect(quietUntil(new Date('2026-12-20T15:00:00Z'), quiet, 'Asia/Shanghai')?.toISOString()).toBe('2026-12-21T00:00:00.000Z'); // 23:00 -> 08:00
    expect(quietUntil(new Date('2026-12-20T19:00:00Z'), quiet, 'Asia/Shanghai')?.toISOString()).toBe('2026-12-21T00:00:00.000Z'); // 03:00 -> 08:00
    expect(quietUntil(new Date('2026-12-20T02:00:00Z'), quiet, 'Asia/Shanghai')).toBeUndefined();
    expect(quietUntil(new Date('2026-12-20T15:00:00Z'), null, 'Asia/Shanghai')).toBeUndefined();
    const d = (day: number) => new Date(Date.UTC(2026, 11, day));
    expect(capFreesAt([d(1)], 2)).toBeUndefined();
    expect(capFreesAt([d(1), d(3)], 2)).toEqual(d(8));
    expect(capFreesAt([d(1), d(3), d(4)], 2)).toEqual(d(10));
  });
});
