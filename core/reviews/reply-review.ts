/**
 * An admin answers a review privately (the dashboard's Reviews page): the answer goes to the reviewer in their own
 * language, is stored (a negative review with an answer no longer waits for one) and audited. Run through
 * `Core.actAs` with the `admin` requirement, as a chat command would be.
 */
import { memberLanguage, replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import { isAnonymousId } from '../privacy/privacy-store.js';

/** The longest answer: one private message, with room for its heading. */
export const REPLY_MAX_CHARS = 1000;

/** Sends and stores an admin's answer to review `reviewId` of the acting group. */
export async function replyToReview(ctx: HandlerContext, reviewId: number, typed: string): Promise<void> {
  const group = ctx.group;
  if (!group) throw new UserError('generic.group_only');
  const text = typed.trim();
  if (!text) throw new UserError('review.reply_empty', { max: REPLY_MAX_CHARS });
  if (text.length > REPLY_MAX_CHARS) throw new UserError('review.reply_too_long', { max: REPLY_MAX_CHARS, length: text.length });
  const review = Number.isInteger(reviewId) ? await ctx.tx.reviews.getReview(reviewId) : null;
  // Only a submitted review of this group: an id from another group is unknown here.
  if (!review || review.groupId !== group.id || !review.submittedAt) throw new UserError('review.reply_unknown', { reviewId });
  if (isAnonymousId(review.memberId)) throw new UserError('review.reply_erased', { reviewId });
  const author = await ctx.tx.getMember(review.memberId);
  await ctx.tx.reviews.addReply({ reviewId, groupId: group.id, authorId: ctx.member.id, text, at: ctx.now });
  // The audit says who answered which review; the text is in the reply's row (and erased with it).
  await ctx.tx.logAdminAction({ groupId: group.id, actorId: ctx.member.id, action: 'review.reply', detail: { reviewId, memberId: review.memberId }, at: ctx.now });
  const lang = memberLanguage(author ?? { language: null }, group, ctx.defaultLanguage);
  ctx.out.push({
    kind: 'message', to: { memberId: review.memberId },
    text: t(lang, 'review.reply_dm', { group: group.title ?? '', id: review.buyId, title: review.buyTitle, reviewId, text }),
  });
  replyInChat(ctx, say(ctx, 'review.reply_sent', { name: review.authorName, reviewId }));
}
