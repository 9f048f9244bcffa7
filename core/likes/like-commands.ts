/**
 * The likes feature's replies to presses and reactions: native reactions on share cards like and unlike, and the
 * words for a Like press's outcome.
 */
import { say, type HandlerContext } from '../context.js';
import type { ReactionEvent } from '../events.js';
import { toggleLike, type LikeOutcome } from './toggle-like.js';

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

/** Words for a Like press's outcome, in the actor's language. */
export function describeLike(ctx: HandlerContext, outcome: LikeOutcome): string {
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
