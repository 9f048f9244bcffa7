/**
 * Writing a review in private: a star press (or `/review`) starts or reopens it, the text submits it (and pays
 * the reward, in the same transaction), photos or a video may follow, then the member says whether it may be
 * shown in the group. One review per member per buy, editable for a week after it is first submitted.
 */
import { replyInChat, say, type HandlerContext } from '../context.js';
import type { Attachment } from '../events.js';
import { UserError } from '../errors.js';
import { parseBuyId } from '../group-buy/find-buy.js';
import type { Button } from '../replies.js';
import type { ReviewMedia, ReviewRecord } from './review-store.js';
import { readReviewSettings, RICH_MIN_PHOTOS, RICH_MIN_VIDEO_SECONDS, type ReviewSettings } from './review-settings.js';
import { awardPoints } from '../points/award-points.js';
import { reviewChanged } from './review-changed.js';

export const EDIT_WINDOW_MS = 7 * 24 * 3_600_000;
export const MAX_TEXT = 2000;
export const MAX_MEDIA = 10;

/** Whether media make a review rich: at least 3 photos, or a video of at least 15 seconds. */
export function isRich(review: Pick<ReviewRecord, 'photoCount' | 'videoSeconds'>): boolean {
  return review.photoCount >= RICH_MIN_PHOTOS || review.videoSeconds >= RICH_MIN_VIDEO_SECONDS;
}

const skipButton = (ctx: HandlerContext, reviewId: number, done: boolean): Button[][] => [
  [{ label: say(ctx, done ? 'review.button_done' : 'review.button_skip'), action: `rv:media:${reviewId}` }],
];

/** The member's review of a buy they received, created at `rating` if new; refuses edits after the week. */
async function openReview(ctx: HandlerContext, buyId: number, rating: number): Promise<{ review: ReviewRecord; editing: boolean }> {
  const buy = await ctx.tx.getBuy(buyId);
  // Each refusal says what is wrong: no such buy (here), not one of its buyers, or not delivered yet.
  if (!buy || (ctx.group && buy.groupId !== ctx.group.id)) throw new UserError(ctx.group ? 'buy.not_found' : 'review.no_such_buy', { id: buyId });
  const signUp = await ctx.tx.getSignUp(buyId, ctx.member.id);
  if (!signUp || (signUp.status !== 'active' && !signUp.deliveredAt)) throw new UserError('review.not_a_buyer', { id: buyId, title: buy.title });
  if (!signUp.deliveredAt) throw new UserError('review.not_delivered', { id: buyId });
  const existing = await ctx.tx.reviews.findReview(buyId, ctx.member.id);
  if (existing) {
    if (existing.submittedAt && ctx.now > existing.editableUntil) throw new UserError('review.edit_closed', { id: buyId });
    const review = await ctx.tx.reviews.updateReview(existing.id, { rating, step: 'text' }, ctx.now);
    return { review, editing: existing.submittedAt !== null };
  }
  const created = await ctx.tx.reviews.createReview({
    buyId, memberId: ctx.member.id, groupId: buy.groupId, rating, step: 'text', editableUntil: new Date(ctx.now.getTime() + EDIT_WINDOW_MS), at: ctx.now,
  });
  // Null only when a concurrent press created it first: that one is as good.
  const review = created ?? (await ctx.tx.reviews.findReview(buyId, ctx.member.id));
  if (!review) throw new UserError('review.not_delivered', { id: buyId });
  return { review, editing: false };
}

/** A star button under a request (`rv:rate:<buy>:<stars>`): starts the review, or reopens it within its week. */
export async function rateReview(ctx: HandlerContext, buyId: number, rating: number): Promise<void> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new UserError('review.bad_rating', { value: String(rating) });
  const { review, editing } = await openReview(ctx, buyId, rating);
  ctx.out.push({ kind: 'toast', text: say(ctx, 'review.rated_toast', { stars: rating }) });
  ctx.out.push({
    kind: 'message', to: { memberId: ctx.member.id },
    text: say(ctx, editing ? 'review.ask_text_edit' : 'review.ask_text', { stars: '⭐'.repeat(rating), id: review.buyId }),
  });
}

/**
 * Submits the text: the review counts from now on. The reward is paid here whatever the rating or sentiment,
 * under the ledger key `review:<id>`, so an edit or a repeated message never pays twice.
 */
async function submitText(ctx: HandlerContext, review: ReviewRecord, text: string, settings: ReviewSettings): Promise<ReviewRecord> {
  const first = review.submittedAt === null;
  const updated = await ctx.tx.reviews.updateReview(
    review.id,
    { text, step: 'media', submittedAt: ctx.now, ...(first ? { editableUntil: new Date(ctx.now.getTime() + EDIT_WINDOW_MS) } : {}) },
    ctx.now,
  );
  const request = await ctx.tx.reviews.findRequest(review.buyId, review.memberId);
  if (request && request.status !== 'reviewed') await ctx.tx.reviews.updateRequest(request.id, { status: 'reviewed', nextAt: null });
  // Through awardPoints, like every reward, so badges (first review) are checked at once.
  const paid =
    settings.rewardPoints > 0 &&
    (await awardPoints(ctx, {
      groupId: review.groupId, memberId: review.memberId, amount: settings.rewardPoints, source: 'review', reference: `review:${review.id}`,
      key: `review:${review.id}`,
    })) > 0;
  reviewChanged(ctx.out, review.id, true);
  const balance = await ctx.tx.pointsBalance(review.groupId, review.memberId);
  const lines = [
    paid ? say(ctx, 'review.thanks_points', { points: settings.rewardPoints, balance }) : say(ctx, first ? 'review.thanks' : 'review.updated'),
    say(ctx, 'review.ask_media', { photos: RICH_MIN_PHOTOS, seconds: RICH_MIN_VIDEO_SECONDS, bonus: settings.richBonusPoints }),
  ];
  ctx.out.push({ kind: 'message', to: { memberId: ctx.member.id }, text: lines.join('\n\n'), buttons: skipButton(ctx, review.id, false) });
  return updated;
}

/** Pays the rich-review bonus once (`review_rich:<id>`) when the review has become rich. */
async function payRichBonus(ctx: HandlerContext, review: ReviewRecord, settings: ReviewSettings): Promise<boolean> {
  if (!isRich(review) || settings.richBonusPoints <= 0) return false;
  const paid = await awardPoints(ctx, {
    groupId: review.groupId, memberId: review.memberId, amount: settings.richBonusPoints, source: 'review_rich',
    reference: `review:${review.id}`, key: `review_rich:${review.id}`,
  });
  return paid > 0;
}

const normaliseText = (text: string) => text.replace(/\r\n/g, '\n').trim();

/** A message in the member's private chat while a review is open: its text, or its photos and videos. */
export async function answerReviewMessage(ctx: HandlerContext, text: string, attachments: readonly Attachment[] = []): Promise<boolean> {
  const review = await ctx.tx.reviews.findReviewInProgress(ctx.member.id);
  if (!review) {
    // Words with no review being written are not this feature's: the kernel says what the member can do.
    if (attachments.length === 0) return false;
    replyInChat(ctx, say(ctx, 'review.media_without_review'));
    return true;
  }
  const { settings } = readReviewSettings(await ctx.tx.reviews.getSettings(review.groupId));
  if (review.step === 'text') {
    const clean = normaliseText(text);
    if (clean === '-' && review.submittedAt) {
      await submitText(ctx, review, review.text, settings);
      return true;
    }
    if (!clean) throw new UserError('review.text_first');
    if (clean.length > MAX_TEXT) throw new UserError('review.text_too_long', { max: MAX_TEXT });
    const submitted = await submitText(ctx, review, clean, settings);
    if (attachments.length > 0) await addMedia(ctx, submitted, attachments, settings);
    return true;
  }
  if (attachments.length === 0) {
    replyInChat(ctx, say(ctx, 'review.media_hint'), { buttons: skipButton(ctx, review.id, review.media.length > 0) });
    return true;
  }
  await addMedia(ctx, review, attachments, settings);
  return true;
}

async function addMedia(ctx: HandlerContext, review: ReviewRecord, attachments: readonly Attachment[], settings: ReviewSettings): Promise<void> {
  const room = MAX_MEDIA - review.media.length;
  if (room <= 0) {
    replyInChat(ctx, say(ctx, 'review.media_full', { max: MAX_MEDIA }), { buttons: skipButton(ctx, review.id, true) });
    return;
  }
  const added: ReviewMedia[] = attachments.slice(0, room).map((a) => ({
    kind: a.kind, fileId: a.fileId, ...(a.kind === 'video' ? { durationSeconds: Math.max(0, Math.round(a.durationSeconds ?? 0)) } : {}),
  }));
  const media = [...review.media, ...added];
  const updated = await ctx.tx.reviews.updateReview(
    review.id,
    {
      media,
      photoCount: media.filter((m) => m.kind === 'photo').length,
      // One long enough video makes a review rich; several short ones do not add up.
      videoSeconds: Math.max(0, ...media.map((m) => m.durationSeconds ?? 0)),
    },
    ctx.now,
  );
  const bonus = await payRichBonus(ctx, updated, settings);
  const lines = [say(ctx, 'review.media_received', { photos: updated.photoCount, videos: media.filter((m) => m.kind === 'video').length })];
  if (bonus) lines.push(say(ctx, 'review.bonus_paid', { points: settings.richBonusPoints, balance: await ctx.tx.pointsBalance(review.groupId, review.memberId) }));
  replyInChat(ctx, lines.join('\n'), { buttons: skipButton(ctx, review.id, true) });
  if (updated.postedMessageId) reviewChanged(ctx.out, review.id, false);
}

/** The member's own review by id, for their buttons. */
async function ownReview(ctx: HandlerContext, reviewId: number): Promise<ReviewRecord> {
  const review = await ctx.tx.reviews.getReview(reviewId, { lock: true });
  if (!review || review.memberId !== ctx.member.id) throw new UserError('generic.stale_button');
  return review;
}

/** Done/Skip under the media question (`rv:media:<id>`): asks whether the review may be shown in the group. */
export async function finishMedia(ctx: HandlerContext, reviewId: number): Promise<void> {
  const review = await ownReview(ctx, reviewId);
  if (review.step !== 'media') {
    ctx.out.push({ kind: 'toast', text: say(ctx, 'review.already_done') });
    return;
  }
  await ctx.tx.reviews.updateReview(review.id, { step: 'consent' }, ctx.now);
  const group = await ctx.tx.getGroup(review.groupId);
  ctx.out.push({ kind: 'toast', text: say(ctx, 'review.media_saved_toast') });
  ctx.out.push({
    kind: 'message', to: { memberId: ctx.member.id }, text: say(ctx, 'review.ask_consent', { group: group?.title ?? '' }),
    buttons: [[
      { label: say(ctx, 'review.button_share_yes'), action: `rv:share:${review.id}:1`, style: 'success' },
      { label: say(ctx, 'review.button_share_no'), action: `rv:share:${review.id}:0` },
    ]],
  });
}

/** Yes/No to showing the review in the group (`rv:share:<id>:1|0`). Posting happens after the commit. */
export async function setShareConsent(ctx: HandlerContext, reviewId: number, share: boolean): Promise<void> {
  const review = await ownReview(ctx, reviewId);
  if (review.step !== 'consent') {
    ctx.out.push({ kind: 'toast', text: say(ctx, 'review.already_done') });
    return;
  }
  await ctx.tx.reviews.updateReview(review.id, { step: 'done', shareConsent: share }, ctx.now);
  ctx.out.push({ kind: 'toast', text: say(ctx, share ? 'review.shared_toast' : 'review.kept_private_toast') });
  ctx.out.push({ kind: 'message', to: { memberId: ctx.member.id }, text: say(ctx, share ? 'review.done_shared' : 'review.done_private', { id: review.buyId }) });
  // Withdrawn consent: the card (if any) is taken down after the commit as well.
  reviewChanged(ctx.out, review.id, false);
}

/**
 * `/review <buy-id> <1-5> <text>`: the whole review in one line (new, or an edit within the week). Media and
 * consent follow as in the guided flow.
 */
export function parseReviewText(args: string): { buy: number; rating: number; text: string } {
  const match = /^(\S+)\s+(\S+)\s+([\s\S]+)$/.exec(args.trim());
  if (!match) throw new UserError('review.usage');
  const buy = parseBuyId(match[1]!);
  if (buy === undefined) throw new UserError('buy.bad_id', { value: match[1]! });
  const stars = /^([1-5])(?:\s*(?:⭐|★|\*|星|stars?))?$/i.exec(match[2]!);
  if (!stars) throw new UserError('review.bad_rating', { value: match[2]! });
  return { buy, rating: Number(stars[1]), text: match[3]! };
}

/** The one-line review with its parts typed: a delivered buy, 1-5 stars, a text. */
export async function reviewCommand(ctx: HandlerContext, input: { buy?: number; rating?: number; text?: string }): Promise<void> {
  if (input.buy === undefined || input.rating === undefined || !input.text?.trim()) throw new UserError('review.usage');
  const text = normaliseText(input.text);
  if (text.length > MAX_TEXT) throw new UserError('review.text_too_long', { max: MAX_TEXT });
  const { review } = await openReview(ctx, input.buy, input.rating);
  const { settings } = readReviewSettings(await ctx.tx.reviews.getSettings(review.groupId));
  await submitText(ctx, review, text, settings);
}
