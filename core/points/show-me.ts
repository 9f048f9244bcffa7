import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { formatMoney } from '../money.js';
import { badgeName, checkBadges, type Badge } from './badges.js';
import { dayBefore, dayIn, seasonStart } from './point-calendar.js';
import { levelName, ordersSince, purchaseStatsFor, refreshLevel, thresholdOf } from './levels.js';
import { readPointsSettings } from './points-settings.js';

/**
 * `/me`: the member's points (all time and this week), level and what the next one takes, perks, check-in streak
 * (with a reminder when today's check-in would keep it alive) and badges. Catches up on levels and badges first,
 * e.g. a first review paid by the reviews feature.
 */
export async function showMe(ctx: HandlerContext): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const memberId = ctx.member.id;
  const firstReply = ctx.out.replies.length;
  const { settings } = readPointsSettings(await ctx.tx.points.getSettings(group.id));
  const weekStart = seasonStart('week', ctx.now, group.timeZone);
  // Everything below reads the member's figures: fetched in one statement.
  await ctx.tx.points.primeMember(group.id, memberId, { ordersSince: ordersSince(ctx, settings), since: weekStart });
  const level = await refreshLevel(ctx, group.id, memberId);
  await checkBadges(ctx, group.id, memberId);

  const balance = await ctx.tx.pointsBalance(group.id, memberId);
  const week = await ctx.tx.points.pointsSince(group.id, memberId, weekStart);
  const lines = [
    say(ctx, 'points.me_title', { name: ctx.member.displayName }),
    say(ctx, 'points.me_points', { points: balance, week }),
    say(ctx, 'points.me_level', { level: levelName(level) }),
  ];
  const perk = settings.perks[levelName(level)];
  if (perk) lines.push(say(ctx, 'points.me_perk', { perk }));
  const next = thresholdOf(settings, level + 1);
  if (next) {
    const stats = await purchaseStatsFor(ctx, group.id, memberId, settings);
    lines.push(
      say(ctx, 'points.me_next', {
        level: levelName(level + 1),
        spend: formatMoney(stats.spendCents, group.currency),
        needSpend: formatMoney(next.spendCents, group.currency),
        orders: stats.orders,
        needOrders: next.orders,
        days: settings.orderWindowDays,
      }),
    );
  } else {
    lines.push(say(ctx, 'points.me_top_level'));
  }

  const today = dayIn(ctx.now, group.timeZone);
  const last = await ctx.tx.points.lastCheckIn(group.id, memberId);
  if (last && last.day >= today) lines.push(say(ctx, 'points.me_streak_today', { streak: last.streak }));
  else if (last?.day === dayBefore(today)) lines.push(say(ctx, 'points.me_streak_keep', { streak: last.streak }));
  else lines.push(say(ctx, 'points.me_streak_none'));

  const badges = (await ctx.tx.points.listBadges(group.id, memberId)).map((b) => badgeName(ctx.lang, b.badge as Badge));
  lines.push(badges.length > 0 ? say(ctx, 'points.me_badges', { badges: badges.join(ctx.lang === 'en' ? ', ' : '、') }) : say(ctx, 'points.me_badges_none'));
  replyInChat(ctx, lines.join('\n'));
  // The member's card first, then any level or badge it just caught up on.
  const mine = ctx.out.replies.pop()!;
  ctx.out.replies.splice(firstReply, 0, mine);
}
