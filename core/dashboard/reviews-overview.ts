/**
 * The Reviews page's read model: average rating and sentiment by week, the most mentioned aspects with a quote,
 * the negative reviews (a low rating or negative words: what alerts the admins) no admin has answered yet, newest first, the featured ones,
 * and every submitted review. Nothing is left out by its rating (FTC 16 CFR 465.7: a list that hides the negative
 * reviews misleads): the full list holds them all, whatever they say. Read through tx.reviews; the web layer
 * renders it (bots/dashboard/pages/reviews-page.ts).
 */
import { DateTime } from 'luxon';
import type { Sentiment } from '../llm/review-tags.js';
import { isNegative } from '../reviews/publish-review.js';
import { summariseReviews, type ReviewSummary } from '../reviews/review-report.js';
import type { ReviewView } from '../reviews/review-store.js';
import type { GroupRecord, StoreTx } from '../store.js';

/** Weeks shown in the chart (the newest ones with a review, gaps as empty weeks). */
export const REVIEW_WEEKS_SHOWN = 16;

export interface ReviewWeek {
  /** The Monday starting the week in the group's time zone, `2026-03-09`. */
  week: string;
  reviews: number;
  /** Average stars of the week's rated reviews; null without one. */
  averageRating: number | null;
  sentiments: Record<Sentiment | 'untagged', number>;
}

export interface ReviewRow {
  id: number;
  buyId: number;
  buyTitle: string;
  authorName: string;
  authorUsername: string | null;
  rating: number | null;
  text: string;
  sentiment: Sentiment | null;
  aspects: { aspect: string; sentiment: Sentiment }[];
  submittedAt: Date;
  helpfulVotes: number;
  shared: boolean;
  featured: boolean;
  bestOfMonth: string | null;
  negative: boolean;
  /** The latest answer an admin sent the reviewer (null: none yet). */
  reply: { authorName: string; text: string; at: Date } | null;
}

export interface ReviewsOverview {
  summary: ReviewSummary;
  weeks: ReviewWeek[];
  /** Negative reviews no admin has answered yet, newest first. */
  negative: ReviewRow[];
  featured: ReviewRow[];
  /** Every submitted review, newest first: none is left out for its rating. */
  all: ReviewRow[];
}

export async function reviewsOverview(tx: StoreTx, group: GroupRecord, input: { buyId?: number } = {}): Promise<ReviewsOverview> {
  const reviews = await tx.reviews.listReviews(group.id, input.buyId !== undefined ? { buyId: input.buyId } : {});
  const replies = new Map((await tx.reviews.listReplies(group.id)).map((r) => [r.reviewId, { authorName: r.authorName, text: r.text, at: r.createdAt }]));
  const all = reviews.map((r) => row(r, replies.get(r.id) ?? null)).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime() || b.id - a.id);
  return {
    summary: summariseReviews(reviews),
    weeks: reviewWeeks(reviews, group.timeZone),
    negative: all.filter((r) => r.negative && !r.reply),
    featured: all.filter((r) => r.featured || r.bestOfMonth !== null),
    all,
  };
}

function row(r: ReviewView, reply: ReviewRow['reply']): ReviewRow {
  return {
    id: r.id, buyId: r.buyId, buyTitle: r.buyTitle, authorName: r.authorName, authorUsername: r.authorUsername, rating: r.rating, text: r.text,
    sentiment: r.tags?.sentiment ?? null, aspects: (r.tags?.aspects ?? []).map((a) => ({ aspect: a.aspect, sentiment: a.sentiment })),
    submittedAt: r.submittedAt!, helpfulVotes: r.helpfulVotes, shared: r.shareConsent, featured: r.featuredAt !== null, bestOfMonth: r.bestOfMonth,
    negative: isNegative(r), reply,
  };
}

/** Reviews by the week they were submitted in (the group's time zone): count, average stars, sentiment split. */
export function reviewWeeks(reviews: readonly ReviewView[], timeZone: string): ReviewWeek[] {
  const monday = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone }).startOf('week').toISODate()!;
  const byWeek = new Map<string, ReviewView[]>();
  for (const r of reviews) {
    if (!r.submittedAt) continue;
    const week = monday(r.submittedAt);
    byWeek.set(week, [...(byWeek.get(week) ?? []), r]);
  }
  const weeks = [...byWeek.keys()].sort();
  if (weeks.length === 0) return [];
  const out: ReviewWeek[] = [];
  let cursor = DateTime.fromISO(weeks.at(-1)!, { zone: timeZone });
  const first = DateTime.fromISO(weeks[0]!, { zone: timeZone });
  while (out.length < REVIEW_WEEKS_SHOWN && cursor >= first) {
    const week = cursor.toISODate()!;
    const list = byWeek.get(week) ?? [];
    const rated = list.filter((r) => r.rating !== null);
    const sentiments = { positive: 0, neutral: 0, negative: 0, untagged: 0 };
    for (const r of list) sentiments[r.tags?.sentiment ?? 'untagged'] += 1;
    out.unshift({ week, reviews: list.length, averageRating: rated.length ? rated.reduce((s, r) => s + r.rating!, 0) / rated.length : null, sentiments });
    cursor = cursor.minus({ weeks: 1 });
  }
  return out;
}
