import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { awardPoints } from './award-points.js';
import { checkBadges } from './badges.js';
import { dayBefore, dayIn } from './point-calendar.js';
import { readPointsSettings } from './points-settings.js';

/**
 * `/checkin`: once per day (the group's day), with a streak of consecutive days and a bonus every
 * `streakBonusEvery` days of it. Runs under the member's lock, so a double press pays once.
 */
export async function checkIn(ctx: HandlerContext): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const memberId = ctx.member.id;
  const name = ctx.member.displayName;
  const firstReply = ctx.out.replies.length;
  const reply = (text: string): void => {
    ctx.out.replies.splice(firstReply, 0, { kind: 'message', to: { chatId: ctx.event.chat.id }, text });
  };

  await ctx.tx.points.lockMember(group.id, memberId, ctx.now);
  const day = dayIn(ctx.now, group.timeZone);
  const last = await ctx.tx.points.lastCheckIn(group.id, memberId);
  // A later day already recorded means the group moved its time zone west: today is already done.
  if (last && last.day >= day) return reply(say(ctx, 'points.checkin_already', { name, streak: last.streak }));
  const streak = last?.day === dayBefore(day) ? last.streak + 1 : 1;
  if (!(await ctx.tx.points.addCheckIn(group.id, memberId, { day, streak, at: ctx.now }))) {
    return reply(say(ctx, 'points.checkin_already', { name, streak }));
  }

  const { settings } = readPointsSettings(await ctx.tx.points.getSettings(group.id));
  const points = await awardPoints(ctx, { groupId: group.id, memberId, source: 'checkin', reference: `checkin:${day}`, key: `checkin:${group.id}:${memberId}:${day}` });
  const lines = [say(ctx, 'points.checked_in', { name, points, streak })];
  if (streak % settings.streakBonusEvery === 0) {
    const bonus = await awardPoints(ctx, {
      groupId: group.id, memberId, source: 'checkin_streak_bonus', reference: `streak:${streak}`, key: `checkin_streak_bonus:${group.id}:${memberId}:${day}`,
    });
    if (bonus > 0) lines.push(say(ctx, 'points.checkin_bonus', { points: bonus, days: streak }));
  } else {
    lines.push(say(ctx, 'points.checkin_next_bonus', { days: settings.streakBonusEvery - (streak % settings.streakBonusEvery), every: settings.streakBonusEvery }));
  }
  lines.push(say(ctx, 'points.balance', { balance: await ctx.tx.pointsBalance(group.id, memberId) }));
  // Reviews pay straight into the ledger, so their badge is noticed at the member's next check-in (or /me).
  await checkBadges(ctx, group.id, memberId, ['first_review']);
  reply(lines.join('\n'));
}
