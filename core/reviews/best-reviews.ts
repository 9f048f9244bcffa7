import { DateTime } from 'luxon';
import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { buyLanguage } from '../group-buy/buy-language.js';
import { mayBePosted, quote, renderReviewCard } from './review-card.js';
import type { ReviewView } from './review-store.js';
import { readReviewSettings } from './review-settings.js';
import { isRich } from './submit-review.js';

/** How many reviews a month's selection picks. */
export const BEST_COUNT = 3;

/**
 * The order of the best-review selection: helpfulness votes, then richness (a rich review, then more media),
 * then the earlier review. Rating and sentiment are deliberately absent (FTC 16 CFR 465.7: no suppression or
 * promotion by sentiment); the tests hold a 1-star review with more votes to winning.
 */
export function compareForBest(a: ReviewView, b: ReviewView): number {
  const media = (r: ReviewView) => r.photoCount + (r.videoSeconds > 0 ? 1 : 0);
  return (
    b.helpfulVotes - a.helpfulVotes ||
    Number(isRich(b)) - Number(isRich(a)) ||
    media(b) - media(a) ||
    (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0) ||
    a.id - b.id
  );
}

/** The reviews of a month shown in the group: the candidates of the selection. */
export function shownInGroup(reviews: readonly ReviewView[]): ReviewView[] {
  return reviews.filter((r) => mayBePosted(r) && r.postedChatId && r.postedMessageId);
}

/**
 * Picks the month's best among reviews shown in the group that have at least `minVotes` helpful votes (the group's
 * `/reviewconfig minvotes`), so a lone review nobody found helpful is not crowned. A minimum of votes, never of stars.
 */
export function pickBest(reviews: readonly ReviewView[], minVotes = 0, count = BEST_COUNT): ReviewView[] {
  return shownInGroup(reviews).filter((r) => r.helpfulVotes >= minVotes).sort(compareForBest).slice(0, count);
}

/** `YYYY-MM` (or nothing: this month) in the group's time zone, as an interval. */
function monthOf(args: string, now: Date, timeZone: string): { month: string; from: Date; to: Date } {
  const token = args.trim();
  let start: DateTime;
  if (!token) start = DateTime.fromJSDate(now, { zone: timeZone }).startOf('month');
  else {
    const match = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(token);
    start = match ? DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: 1 }, { zone: timeZone }) : DateTime.invalid('bad month');
    if (!start.isValid) throw new UserError('review.best_usage');
  }
  return { month: start.toFormat('yyyy-MM'), from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/**
 * `/bestreviews [YYYY-MM]` (admins): runs the month's best-review selection, marks the winners on their cards,
 * announces them and pins them. Running it again re-picks the month (votes may have changed).
 */
export async function selectBestReviews(ctx: HandlerContext, args: string): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const { month, from, to } = monthOf(args, ctx.now, ctx.group.timeZone);
  const { settings } = readReviewSettings(await ctx.tx.reviews.getSettings(ctx.group.id));
  const reviews = await ctx.tx.reviews.listReviews(ctx.group.id, { from, to });
  const winners = pickBest(reviews, settings.bestMinVotes);
  if (winners.length === 0) {
    const shown = shownInGroup(reviews).length;
    replyInChat(ctx, shown === 0 ? say(ctx, 'review.best_none', { month }) : say(ctx, 'review.best_none_votes', { month, shown, min: settings.bestMinVotes }));
    return;
  }
  for (const previous of await ctx.tx.reviews.listBestOfMonth(ctx.group.id, month)) {
    if (!winners.some((w) => w.id === previous.id)) await ctx.tx.reviews.updateReview(previous.id, { bestOfMonth: null }, ctx.now);
  }
  const lines = [say(ctx, 'review.best_title', { month })];
  for (const [index, review] of winners.entries()) {
    await ctx.tx.reviews.updateReview(review.id, { bestOfMonth: month }, ctx.now);
    lines.push(say(ctx, 'review.best_line', {
      rank: index + 1, name: review.authorName, id: review.buyId, title: review.buyTitle, votes: review.helpfulVotes,
      photos: review.photoCount, quote: quote(review.text, 80),
    }));
    const buy = await ctx.tx.getBuy(review.buyId);
    const lang = buy ? await buyLanguage(ctx.tx, buy, ctx.group, ctx.defaultLanguage) : ctx.lang;
    const card = renderReviewCard({ ...review, bestOfMonth: month }, lang);
    ctx.out.push({ kind: 'edit', chatId: review.postedChatId!, messageId: review.postedMessageId!, text: card.text, buttons: card.buttons });
  }
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'review.best', detail: { month, reviews: winners.map((w) => w.id) }, at: ctx.now });
  replyInChat(ctx, lines.join('\n'));
  // Pinned last, so the winners' cards end up on top of the pinned list in rank order (Telegram shows the newest pin first).
  for (const review of [...winners].reverse()) ctx.out.push({ kind: 'pin', chatId: review.postedChatId!, messageId: review.postedMessageId! });
}
