import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { buyLanguage } from '../group-buy/buy-language.js';
import { mayBePosted, renderReviewCard } from './review-card.js';

/**
 * `/feature <review-id>` (admins): marks a shared review as featured and shows it on its card. Only reviews
 * their authors agreed to show can be featured; the rating plays no part.
 */
export async function featureReview(ctx: HandlerContext, reviewId: number): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const review = await ctx.tx.reviews.getReview(reviewId, { lock: true });
  if (!review || review.groupId !== ctx.group.id || !review.submittedAt) throw new UserError('review.not_found', { reviewId });
  if (!mayBePosted(review) || !review.postedChatId || !review.postedMessageId) throw new UserError('review.feature_not_shared', { reviewId: review.id });
  if (review.featuredAt) {
    replyInChat(ctx, say(ctx, 'review.feature_already', { reviewId: review.id }));
    return;
  }
  await ctx.tx.reviews.updateReview(review.id, { featuredAt: ctx.now }, ctx.now);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'review.feature', detail: { reviewId: review.id }, at: ctx.now });
  const buy = await ctx.tx.getBuy(review.buyId);
  const lang = buy ? await buyLanguage(ctx.tx, buy, ctx.group, ctx.defaultLanguage) : ctx.lang;
  const card = renderReviewCard({ ...review, featuredAt: ctx.now }, lang);
  ctx.out.push({ kind: 'edit', chatId: review.postedChatId, messageId: review.postedMessageId, text: card.text, buttons: card.buttons });
  replyInChat(ctx, say(ctx, 'review.featured', { reviewId: review.id, name: review.authorName }));
}
