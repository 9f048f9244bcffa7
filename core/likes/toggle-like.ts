import type { HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { emit } from '../kernel/domain-events.js';
import { awardPointsTogether } from '../points/award-points.js';
import './like-events.js';
import type { LikeIntent, LikeSource, ShareRecord } from './like-store.js';
import { reachLikeGoals } from './reach-like-goals.js';

export type { LikeIntent } from './like-store.js';

export type LikeOutcome =
  | { kind: 'liked' | 'unliked'; share: ShareRecord; count: number }
  /** Nothing to change: a reaction added on a share already liked, or removed from one not liked. */
  | { kind: 'unchanged'; share: ShareRecord; count: number }
  | { kind: 'own'; share: ShareRecord; count: number };

/**
 * One member likes or unlikes one share. The share's row is locked first, so presses and reactions racing each
 * other are serialised: `ShareLike` holds at most one row per member, `likeCount` is recounted from those rows,
 * and every change is appended to `LikeEvent` in the same transaction. Points for a like are paid once per
 * (share, liker) pair by their keys, however often it is unliked and liked again.
 */
export async function toggleLike(ctx: HandlerContext, input: { shareId: number; source: LikeSource; intent: LikeIntent }): Promise<LikeOutcome> {
  const share = await ctx.tx.likes.getShare(input.shareId, { lock: true });
  if (!share) throw new UserError('likes.share_not_found', { id: input.shareId });
  if (share.memberId === ctx.member.id) return { kind: 'own', share, count: share.likeCount };
  // Whether the member liked it before decides a toggle: the store applies the intent to the row as it is.
  const { change, count } = await ctx.tx.likes.pressLike({
    share, likerId: ctx.member.id, intent: input.intent, source: input.source, platform: ctx.event.platform, at: ctx.now,
  });
  if (change === null) return { kind: 'unchanged', share, count: share.likeCount };
  const like = change === 'like';
  const updated = { ...share, likeCount: count };
  if (like) {
    const reference = `share:${share.id}`;
    // The liker, then the author (the order every like locks their caps in).
    await awardPointsTogether(ctx, [
      { groupId: share.groupId, memberId: ctx.member.id, source: 'like_given', reference, key: `like_given:${share.id}:${ctx.member.id}` },
      { groupId: share.groupId, memberId: share.memberId, source: 'like_received', reference, key: `like_received:${share.id}:${ctx.member.id}` },
    ]);
    await reachLikeGoals(ctx, updated);
    await emit(ctx, 'share.liked', { groupId: share.groupId, shareId: share.id, likerId: ctx.member.id, authorId: share.memberId, at: ctx.now });
  }
  ctx.out.refreshCard(`share:${share.id}`);
  if (share.roundId !== null) {
    const round = await ctx.tx.likes.getRound(share.roundId);
    if (round?.status === 'open') ctx.out.refreshCard(`round:${round.id}`);
  }
  return { kind: like ? 'liked' : 'unliked', share: updated, count };
}
