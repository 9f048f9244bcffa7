/**
 * The JSON-lines format of `npm run reviews:tag`: one review per input line, one tagged review per output line.
 * Input `{"id": "r1", "text": "...", "rating": 4}` (rating optional, 1-5); output keeps `id` and adds the tags.
 */
import type { ReviewInput, ReviewTags } from '../core/llm/review-tags.js';

export type ParsedLine = { ok: true; review: ReviewInput } | { ok: false; problem: string };

/** One input line (not blank) to a review, or what is wrong with it, in words for the person who wrote the file. */
export function parseReviewLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'not a JSON object' };
  const { id, text, rating } = value as { id?: unknown; text?: unknown; rating?: unknown };
  if (typeof id === 'number' && Number.isFinite(id)) return parseReviewLine(JSON.stringify({ ...value, id: String(id) }));
  if (typeof id !== 'string' || id.trim() === '') return { ok: false, problem: '"id" must be a non-empty string' };
  if (typeof text !== 'string') return { ok: false, problem: '"text" must be a string' };
  if (text.trim() === '') return { ok: false, problem: '"text" is empty' };
  if (rating !== undefined && rating !== null && !(Number.isInteger(rating) && (rating as number) >= 1 && (rating as number) <= 5)) {
    return { ok: false, problem: '"rating" must be a whole number from 1 to 5 when given' };
  }
  return { ok: true, review: { id, text, ...(typeof rating === 'number' ? { rating } : {}) } };
}

/** The output line of a tagged review: its id, then the tags, the tagger last. */
export function formatTaggedLine(id: string, tags: ReviewTags): string {
  const { sentiment, score, aspects, flags, language, tagger } = tags;
  return JSON.stringify({ id, sentiment, score, aspects, flags, language, tagger });
}
