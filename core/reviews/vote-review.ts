import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { buyLanguage } from '../group-buy/buy-language.js';
import { renderReviewCard } from './review-card.js';

/**
 * "Helpful" on a review's card (`rv:vote:<id>`): one vote per member, a second press takes it back. Authors
 * cannot vote for their own review. The card shows the new count at once.
 */
export async function voteHelpful(ctx: HandlerContext, reviewId: number): Promise<void> {
  const review = await ctx.tx.reviews.getReview(reviewId);
  if (!review?.postedChatId || !review.postedMessageId) throw new UserError('generic.stale_button');
  if (review.memberId === ctx.member.id) {
    ctx.out.push({ kind: 'toast', text: say(ctx, 'review.vote_own') });
    return;
  }
  const { voted, count } = await ctx.tx.reviews.toggleVote(review.id, ctx.member.id, ctx.now);
  ctx.out.push({ kind: 'toast', text: say(ctx, voted ? 'review.voted' : 'review.unvoted', { count }) });
  const [buy, group] = await Promise.all([ctx.tx.getBuy(review.buyId), ctx.tx.getGroup(review.groupId)]);
  if (!buy || !group) return;
  const card = renderReviewCard({ ...review, helpfulVotes: count }, await buyLanguage(ctx.tx, buy, group, ctx.defaultLanguage));
  ctx.out.push({ kind: 'edit', chatId: review.postedChatId, messageId: review.postedMessageId, text: card.text, buttons: card.buttons });
}
