import type { HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { ScheduledJob } from '../ports.js';
import { parseDurationMs } from '../time/parse-when.js';
import { loadRoundCard } from './like-cards.js';
import type { LikeRoundRecord } from './like-store.js';

export const MIN_ROUND_MS = 10 * 60_000;
export const MAX_ROUND_MS = 7 * 24 * 3_600_000;

/** The durable job that ends a round at its end time (the sweep catches a lost one). */
export function roundEndJob(round: Pick<LikeRoundRecord, 'id' | 'endsAt'>): ScheduledJob {
  return { name: 'likes.round_end', runAt: round.endsAt, key: `likes.round_end:${round.id}:${round.endsAt.getTime()}`, data: { roundId: round.id } };
}

/**
 * `/likeround <duration>` (admins): opens a like-for-like round in the group and posts its list, which members
 * drop their shares into. One open round per group at a time.
 */
export async function openLikeRound(ctx: HandlerContext, args: string): Promise<LikeRoundRecord> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const ms = parseDurationMs(args);
  if (ms === undefined) throw new UserError('likes.round_usage');
  if (ms < MIN_ROUND_MS || ms > MAX_ROUND_MS) throw new UserError('likes.round_bad_duration');
  const open = await ctx.tx.likes.openRoundOf(ctx.group.id);
  if (open) throw new UserError('likes.round_already_open', { roundId: open.id });
  const round = await ctx.tx.likes.createRound({
    groupId: ctx.group.id, chatId: ctx.event.chat.id, createdById: ctx.member.id, opensAt: ctx.now, endsAt: new Date(ctx.now.getTime() + ms),
  });
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'likes.round_open', detail: { roundId: round.id, minutes: Math.round(ms / 60_000) }, at: ctx.now });
  const { card } = await loadRoundCard(ctx.tx, round, ctx.group, ctx.defaultLanguage);
  ctx.out.push({ kind: 'message', to: { chatId: ctx.event.chat.id }, text: card.text, buttons: card.buttons, card: `round:${round.id}` });
  ctx.out.schedule(roundEndJob(round));
  return round;
}
