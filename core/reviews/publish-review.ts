/**
 * What follows a review's change, after the commit (never inside the transaction: a tagger may be an LLM that
 * takes seconds): tag it, alert the group's admins privately if it is negative, and post, update or take down
 * its card in the group according to its author's consent. Every step is the same whatever the rating or
 * sentiment, except the alert, whose purpose is after-sales recovery.
 */
import type { Language } from '../kernel/language.js';
import { Outbox } from '../context.js';
import { buyLanguage } from '../group-buy/buy-language.js';
import type { ReviewTagger, ReviewTags } from '../llm/review-tags.js';
import type { Logger, ScheduledJob } from '../ports.js';
import type { Store } from '../store.js';
import { mayBePosted, renderHiddenCard, renderNegativeAlert, renderReviewCard } from './review-card.js';
import type { ReviewView } from './review-store.js';

/** How long to wait before tagging again after the tagger failed. */
export const TAG_RETRY_MS = 10 * 60_000;

export interface PublishDeps {
  store: Store;
  now: Date;
  defaultLanguage: Language;
  logger: Logger;
  tagger?: ReviewTagger;
  /** The chat's admins according to the platform (empty when it cannot tell). */
  listAdmins(chatId: string): Promise<string[]>;
}

export interface PublishOptions {
  /** The text was (re)submitted: tag it and consider an alert. */
  submitted: boolean;
  /** This is the `review.tag` retry after the tagger failed (a low rating was alerted on already). */
  retry?: boolean;
}

/** A low rating, or text a tagger read as negative. */
export function isNegative(review: Pick<ReviewView, 'rating' | 'tags'>): boolean {
  return (review.rating !== null && review.rating <= 2) || review.tags?.sentiment === 'negative';
}

/** The retry job after a tagger failure; keyed by the submission, so one submission is retried once at a time. */
export function tagRetryJob(review: Pick<ReviewView, 'id' | 'submittedAt'>, now: Date): ScheduledJob {
  const submitted = review.submittedAt?.getTime() ?? 0;
  return { name: 'review.tag', runAt: new Date(now.getTime() + TAG_RETRY_MS), key: `review.tag:${review.id}:${submitted}`, data: { reviewId: review.id, submittedAt: submitted } };
}

/** Runs the after-commit work for one review; the caller dispatches the returned replies and jobs. */
export async function publishReview(deps: PublishDeps, reviewId: number, options: PublishOptions): Promise<Outbox> {
  const out = new Outbox();
  const { store, tagger, now, logger } = deps;
  let review = await store.reviews.getReview(reviewId);
  if (!review?.submittedAt) return out;
  const submittedAt = review.submittedAt;

  let alert = false;
  if (options.submitted && tagger) {
    const fresh = review.taggedAt !== null && review.taggedAt >= submittedAt;
    if (!fresh) {
      let tags: ReviewTags | undefined;
      try {
        [tags] = await tagger.tag([{ id: String(review.id), text: review.text, domain: review.groupId, ...(review.rating ? { rating: review.rating } : {}) }]);
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error), review: review.id, tagger: tagger.name }, 'review tagging failed; retrying later');
      }
      if (tags && (await store.transaction((tx) => tx.reviews.saveTags(reviewId, tags, submittedAt, now)))) {
        review = (await store.reviews.getReview(reviewId)) ?? review;
        // A low rating was alerted on when tagging first failed; the retry alerts only what the tags add.
        alert = options.retry ? review.tags?.sentiment === 'negative' && !((review.rating ?? 5) <= 2) : isNegative(review);
      } else if (!tags) {
        out.schedule(tagRetryJob(review, now));
        // The member should not wait for a tagger to be unhappy: a low rating alerts now.
        alert = !options.retry && isNegative(review);
      }
    }
  } else if (options.submitted) {
    alert = isNegative(review);
  }

  const group = await store.getGroup(review.groupId);
  const buy = await store.getBuy(review.buyId);
  if (!group || !buy) return out;
  if (alert) await alertAdmins(deps, out, review, group.title ?? '', buy.chatId, group.language);

  const lang = await buyLanguage(store, buy, group, deps.defaultLanguage);
  const posted = review.postedChatId && review.postedMessageId ? { chatId: review.postedChatId, messageId: review.postedMessageId } : undefined;
  // Not known to be free of personal data yet: a new card waits for the tags (the retry job posts it).
  if (tagger && !review.tags && !posted) return out;
  if (mayBePosted(review)) {
    const card = renderReviewCard(review, lang);
    if (posted) out.push({ kind: 'edit', ...posted, text: card.text, buttons: card.buttons });
    else out.push({ kind: 'message', to: { chatId: buy.chatId }, text: card.text, buttons: card.buttons, card: `review:${review.id}` });
  } else if (posted) {
    const reason = review.shareConsent ? 'personal_data' : 'withdrawn';
    out.push({ kind: 'edit', ...posted, text: renderHiddenCard(review, lang, reason), buttons: [] });
  } else if (review.shareConsent && review.tags?.flags.includes('personal_data') && !options.retry && !options.submitted) {
    // Tell the author once, when they agree, why it stays private: the same rule for every rating.
    const author = await store.getMember(review.memberId);
    const authorLang = author?.language ?? group.language ?? deps.defaultLanguage;
    out.push({ kind: 'message', to: { memberId: review.memberId }, text: renderHiddenCard(review, authorLang, 'personal_data') });
  }
  return out;
}

async function alertAdmins(deps: PublishDeps, out: Outbox, review: ReviewView, groupTitle: string, chatId: string, groupLanguage: Language | null): Promise<void> {
  let admins: string[] = [];
  try {
    admins = await deps.listAdmins(chatId);
  } catch (error) {
    deps.logger.warn({ err: error instanceof Error ? error.message : String(error), chatId }, 'could not list chat admins; alerting moderators only');
  }
  const moderators = await deps.store.reviews.listModerators(review.groupId);
  const recipients = [...new Set([...admins, ...moderators])].filter((id) => id !== review.memberId);
  for (const adminId of recipients) {
    const member = await deps.store.getMember(adminId);
    const lang = member?.language ?? groupLanguage ?? deps.defaultLanguage;
    const alert = renderNegativeAlert(review, lang, groupTitle);
    out.push({ kind: 'message', to: { memberId: adminId }, text: alert.text, buttons: alert.buttons });
  }
}
