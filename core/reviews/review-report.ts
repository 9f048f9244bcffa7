import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { parseBuyId } from '../group-buy/find-buy.js';
import type { Aspect, Sentiment } from '../llm/review-tags.js';
import { aspectName, quote } from './review-card.js';
import type { ReviewView } from './review-store.js';

/** How many aspects the report lists. */
export const TOP_ASPECTS = 5;

export interface ReviewSummary {
  count: number;
  /** Average star rating, or null when there are no reviews. */
  average: number | null;
  sentiments: Record<Sentiment | 'untagged', number>;
  aspects: { aspect: Aspect; count: number; positive: number; negative: number; example: string }[];
}

/** Counts, average rating, sentiment split and the most mentioned aspects (with one quote each). */
export function summariseReviews(reviews: readonly ReviewView[]): ReviewSummary {
  const rated = reviews.filter((r) => r.rating !== null);
  const sentiments = { positive: 0, neutral: 0, negative: 0, untagged: 0 };
  const aspects = new Map<Aspect, ReviewSummary['aspects'][number]>();
  for (const review of reviews) {
    sentiments[review.tags?.sentiment ?? 'untagged'] += 1;
    for (const tag of review.tags?.aspects ?? []) {
      const entry = aspects.get(tag.aspect) ?? { aspect: tag.aspect, count: 0, positive: 0, negative: 0, example: quote(review.text, 80) };
      entry.count += 1;
      if (tag.sentiment === 'positive') entry.positive += 1;
      if (tag.sentiment === 'negative') entry.negative += 1;
      aspects.set(tag.aspect, entry);
    }
  }
  return {
    count: reviews.length,
    average: rated.length ? rated.reduce((sum, r) => sum + (r.rating ?? 0), 0) / rated.length : null,
    sentiments,
    aspects: [...aspects.values()].sort((a, b) => b.count - a.count).slice(0, TOP_ASPECTS),
  };
}

/**
 * `/reviews [buy-id]` (admins): the group's (or one buy's) reviews in numbers, sent privately because it quotes
 * reviews whose authors may not have agreed to show them in the group.
 */
export async function reportReviews(ctx: HandlerContext, buyId: number | undefined): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  let scope = say(ctx, 'review.report_scope_group');
  if (buyId !== undefined) {
    const buy = await ctx.tx.getBuy(buyId);
    if (!buy || buy.groupId !== ctx.group.id) throw new UserError('buy.not_found', { id: buyId });
    scope = say(ctx, 'review.report_scope_buy', { id: buy.id, title: buy.title });
  }
  const summary = summariseReviews(await ctx.tx.reviews.listReviews(ctx.group.id, buyId === undefined ? {} : { buyId }));
  const lines = [say(ctx, 'review.report_title', { scope })];
  if (summary.count === 0) lines.push(say(ctx, 'review.report_none'));
  else {
    lines.push(say(ctx, 'review.report_count', { count: summary.count, average: (summary.average ?? 0).toFixed(1) }));
    lines.push(say(ctx, 'review.report_sentiment', summary.sentiments));
    if (summary.aspects.length) {
      lines.push(say(ctx, 'review.report_aspects'));
      for (const a of summary.aspects) {
        lines.push(say(ctx, 'review.report_aspect_line', { aspect: aspectName(ctx.lang, a.aspect), count: a.count, positive: a.positive, negative: a.negative, example: a.example }));
      }
    }
  }
  ctx.out.push({ kind: 'message', to: { memberId: ctx.member.id }, text: lines.join('\n') });
}
