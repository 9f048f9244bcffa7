/** How a review reads in the group (its card), in an admin's alert, and in a report. */
import type { Language } from '../kernel/language.js';
import { t } from '../i18n/translate.js';
import type { Aspect, ReviewTags } from '../llm/review-tags.js';
import type { Button } from '../replies.js';
import type { ReviewView } from './review-store.js';
import { isRich } from './submit-review.js';
import { listOf } from '../i18n/words.js';

export const stars = (rating: number | null) => (rating ? '⭐'.repeat(rating) : '');

/** The text quoted, shortened to `max` characters. */
export function quote(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function mediaLine(review: ReviewView, lang: Language): string | undefined {
  const videos = review.media.filter((m) => m.kind === 'video').length;
  if (review.photoCount === 0 && videos === 0) return undefined;
  return t(lang, 'review.card_media', { photos: review.photoCount, videos });
}

/** Whether a review may be shown publicly: its author agreed and no personal data was found in it. */
export function mayBePosted(review: ReviewView): boolean {
  return review.shareConsent && review.submittedAt !== null && !review.tags?.flags.includes('personal_data');
}

/** The card posted in the group, with its Helpful button (`rv:vote:<id>`). */
export function renderReviewCard(review: ReviewView, lang: Language): { text: string; buttons: Button[][] } {
  const lines = [
    t(lang, 'review.card_title', { stars: stars(review.rating), name: review.authorName, id: review.buyId, title: review.buyTitle }),
    `“${quote(review.text, 1500)}”`,
    mediaLine(review, lang),
    isRich(review) ? t(lang, 'review.card_rich') : undefined,
    review.featuredAt ? t(lang, 'review.card_featured') : undefined,
    review.bestOfMonth ? t(lang, 'review.card_best', { month: review.bestOfMonth }) : undefined,
    t(lang, 'review.card_footer', { reviewId: review.id }),
  ].filter((line): line is string => line !== undefined);
  return {
    text: lines.join('\n'),
    buttons: [[{ label: t(lang, 'review.button_helpful', { count: review.helpfulVotes }), action: `rv:vote:${review.id}` }]],
  };
}

/** What a card says once it may no longer be shown (consent withdrawn, personal data added by an edit). */
export function renderHiddenCard(review: ReviewView, lang: Language, reason: 'withdrawn' | 'personal_data'): string {
  return t(lang, reason === 'withdrawn' ? 'review.card_withdrawn' : 'review.card_hidden_personal', { id: review.buyId, reviewId: review.id });
}

export function aspectName(lang: Language, aspect: Aspect): string {
  return t(lang, `review.aspect.${aspect}`);
}

export function sentimentName(lang: Language, sentiment: ReviewTags['sentiment']): string {
  return t(lang, `review.sentiment.${sentiment}`);
}

/**
 * Who tagged, as an admin reads it: "the offline model" / "离线模型" for the built-in one (`offline:v2`), the model's
 * own name for an LLM (`llm:gpt-4o-mini`: gpt-4o-mini); other taggers by their name.
 */
export function taggerName(lang: Language, tagger: string): string {
  if (tagger.startsWith('offline:')) return t(lang, 'review.tagger_offline');
  if (tagger.startsWith('llm:')) return tagger.slice('llm:'.length);
  return tagger;
}

/** The tags as one line an admin reads: sentiment, aspects with their sentiment, flags. */
export function describeTags(tags: ReviewTags | null, lang: Language): string {
  if (!tags) return t(lang, 'review.tags_none');
  const mark = { positive: '👍', neutral: '😐', negative: '👎' } as const;
  const aspects = listOf(lang, tags.aspects.map((a) => `${aspectName(lang, a.aspect)} ${mark[a.sentiment]}`));
  const flags = listOf(lang, tags.flags.map((f) => t(lang, `review.flag.${f}`)));
  return t(lang, 'review.tags_line', {
    sentiment: sentimentName(lang, tags.sentiment),
    score: tags.score.toFixed(2),
    aspects: aspects || '—',
    flags: flags || '—',
    tagger: taggerName(lang, tags.tagger),
  });
}

/** The private alert about a negative review, with a button to contact its author. */
export function renderNegativeAlert(review: ReviewView, lang: Language, groupTitle: string): { text: string; buttons: Button[][] } {
  const text = [
    t(lang, 'review.alert_title', { group: groupTitle, id: review.buyId, title: review.buyTitle }),
    t(lang, 'review.alert_who', { name: review.authorName, stars: stars(review.rating), rating: review.rating ?? 0 }),
    `“${quote(review.text, 1500)}”`,
    describeTags(review.tags, lang),
    t(lang, 'review.alert_hint'),
  ].join('\n');
  return {
    text,
    buttons: [[{
      label: t(lang, 'review.button_contact', { name: review.authorName }),
      action: `rv:contact:${review.id}`,
      contact: { memberId: review.memberId, ...(review.authorUsername ? { username: review.authorUsername } : {}) },
    }]],
  };
}
