/**
 * The likes feature's entry points as the core's router calls them: commands, the Like and Drop buttons, and
 * native reactions on share cards.
 */
import { replyInChat, say, type HandlerContext } from '../context.js';
import type { CommandEvent, ReactionEvent } from '../events.js';
import { UserError } from '../errors.js';
import { dropShare } from './drop-share.js';
import { postShare } from './post-share.js';
import { toggleLike, type LikeOutcome } from './toggle-like.js';

/** `/share [#<buy-id>] <text>` with the command's photo. */
export async function shareCommand(ctx: HandlerContext, event: CommandEvent): Promise<void> {
  await postShare(ctx, event.args, event.attachments);
}

/** `/drop [share-id]`: the given share, else the member's latest. */
export async function dropCommand(ctx: HandlerContext, args: string): Promise<void> {
  const token = args.trim();
  let shareId: number | undefined;
  if (token) {
    const m = /^[#＃]?(\d{1,9})$/.exec(token);
    if (!m) throw new UserError('likes.drop_usage');
    shareId = Number(m[1]);
  }
  const { round, share } = await dropShare(ctx, { shareId });
  replyInChat(ctx, say(ctx, 'likes.dropped', { name: ctx.member.displayName, shareId: share.id, roundId: round.id }));
}

/** Whether a button action belongs to the likes feature (`lk:<share>` Like, `rd:<round>` Drop my latest share). */
export function isLikeButton(action: string): boolean {
  return /^(lk|rd):\d+$/.test(action);
}

/** A press on a share's Like button (toggles) or a round's Drop button. */
export async function handleLikeButton(ctx: HandlerContext, action: string): Promise<void> {
  const [kind, rawId] = action.split(':');
  const id = Number(rawId);
  if (kind === 'rd') {
    const { share, round } = await dropShare(ctx, { roundId: id });
    ctx.out.push({ kind: 'toast', text: say(ctx, 'likes.dropped_toast', { shareId: share.id, roundId: round.id }) });
    return;
  }
  const outcome = await toggleLike(ctx, { shareId: id, source: 'button', intent: 'toggle' });
  ctx.out.push({ kind: 'toast', text: describeLike(ctx, outcome), alert: outcome.kind === 'own' });
}

/**
 * A native reaction on a message: when the message is a share card, an added reaction likes the share and a
 * removed one unlikes it. Reactions elsewhere, and on one's own share, change nothing (a reaction cannot be
 * answered privately, so nothing is said either).
 */
export async function handleLikeReaction(ctx: HandlerContext, event: ReactionEvent): Promise<void> {
  if (event.chat.kind !== 'group') return;
  const share = await ctx.tx.likes.findShareByMessage(event.chat.id, event.messageId);
  if (!share) return;
  await toggleLike(ctx, { shareId: share.id, source: 'reaction', intent: event.added ? 'like' : 'unlike' });
}

function describeLike(ctx: HandlerContext, outcome: LikeOutcome): string {
  switch (outcome.kind) {
    case 'liked':
      return say(ctx, 'likes.liked', { shareId: outcome.share.id, count: outcome.count });
    case 'unliked':
      return say(ctx, 'likes.unliked', { shareId: outcome.share.id, count: outcome.count });
    case 'unchanged':
      return say(ctx, 'likes.liked', { shareId: outcome.share.id, count: outcome.count });
    case 'own':
      return say(ctx, 'likes.own_share');
  }
}
