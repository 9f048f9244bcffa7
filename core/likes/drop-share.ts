import type { HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { LikeRoundRecord, ShareRecord } from './like-store.js';

/**
 * Drops one of the member's shares into the group's open round (`/drop <share-id>`, or their latest share with
 * `/drop` or the round's button). Members left out after three warnings are refused until an admin lifts it, and
 * members with a confirmed fake-likes flag until a moderator lifts that (/unflag).
 */
export async function dropShare(ctx: HandlerContext, input: { shareId?: number; roundId?: number }): Promise<{ round: LikeRoundRecord; share: ShareRecord }> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const current = input.roundId !== undefined ? await ctx.tx.likes.getRound(input.roundId) : await ctx.tx.likes.openRoundOf(ctx.group.id);
  if (!current || current.groupId !== ctx.group.id || current.status !== 'open') throw new UserError('likes.round_none');
  const round = (await ctx.tx.likes.getRound(current.id, { lock: true }))!;
  if (round.status !== 'open') throw new UserError('likes.round_none');
  if (round.endsAt.getTime() <= ctx.now.getTime()) throw new UserError('likes.round_closing', { roundId: round.id });
  if (await ctx.tx.likes.isExcluded(ctx.group.id, ctx.member.id)) throw new UserError('likes.drop_excluded');
  // A member whose fake likes a moderator confirmed is left out until /unflag (core/moderation).
  if (await ctx.tx.moderation.isFlagged(ctx.group.id, ctx.member.id)) throw new UserError('likes.drop_flagged');

  const share = input.shareId !== undefined ? await ctx.tx.likes.getShare(input.shareId) : await ctx.tx.likes.latestShareOf(ctx.group.id, ctx.member.id);
  if (!share) throw input.shareId !== undefined ? new UserError('likes.share_not_found', { id: input.shareId }) : new UserError('likes.drop_no_share');
  if (share.groupId !== ctx.group.id) throw new UserError('likes.share_not_found', { id: share.id });
  if (share.memberId !== ctx.member.id) throw new UserError('likes.drop_not_yours', { shareId: share.id });
  const entries = await ctx.tx.likes.listEntries(round.id);
  const mine = entries.find((e) => e.memberId === ctx.member.id);
  if (mine) throw new UserError('likes.drop_already', { roundId: round.id, shareId: mine.shareId });

  await ctx.tx.likes.addEntry({ roundId: round.id, memberId: ctx.member.id, shareId: share.id, joinedAt: ctx.now });
  await ctx.tx.likes.updateShare(share.id, { roundId: round.id });
  ctx.out.refreshCard(`round:${round.id}`);
  return { round, share };
}
