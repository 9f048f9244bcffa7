/**
 * The LLM review tagger: LangChain's ChatOpenAI against any OpenAI-compatible server, reviews sent in batches,
 * the answer validated with zod, results cached by content hash, every call's tokens recorded.
 *
 * What the model returns is untrusted: the answer must fit `reviewBatchSchema`, and each result is checked on its
 * own, so one bad result rejects that review only. A review can fail (timeout, server down, malformed or missing
 * result); `tagEach` says which and why, and FallbackReviewTagger tags those offline.
 *
 * @example
 *   const llm = new LlmReviewTagger({ model: 'gpt-4o-mini', apiKey, cache, usageLog });
 *   const outcomes = await llm.tagEach([{ id: 'r1', text: '草莓很甜，包装也好' }]);
 */
import type { BaseMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { silentLogger, type Logger } from '../core/ports.js';
import { rawStructuredAnswer, recordLlmCall, redactApiKey, structuredChatCall, type ChatModelOptions, type StructuredCall } from './chat-model.js';
import type { LlmUsageLog } from './llm-usage-log.js';
import { MAX_REVIEW_CHARS, renderReviewTaggingPrompt, type PromptReview } from './review-tagging-prompt.js';
import { reviewTagsSchema, type ReviewInput, type ReviewTagger, type ReviewTags } from '../core/llm/review-tags.js';
import { tagCacheKey, type TagCache, type TagCacheEntry } from './tag-cache.js';

/** The LlmCall purpose of review tagging. */
export const REVIEW_TAGGING_PURPOSE = 'review-tagging';

/** One result of a batch answer: the tags of the review with this id. */
export const taggedReviewSchema = reviewTagsSchema.extend({
  id: z.string().describe('The id attribute of the <review> element this result is for, copied exactly'),
});

/** The whole answer the model must give for a batch. */
export const reviewBatchSchema = z
  .object({
    results: z.array(taggedReviewSchema).describe('Exactly one result per review in the request, with its id'),
  })
  .describe('Sentiment, aspects, flags and language of each review in the batch');

export type ReviewBatchAnswer = z.infer<typeof reviewBatchSchema>;

export { DEFAULT_LLM_MAX_RETRIES, DEFAULT_LLM_TIMEOUT_MS } from './chat-model.js';
export const DEFAULT_LLM_BATCH_SIZE = 20;
export const DEFAULT_LLM_CONCURRENCY = 2;

/**
 * Why a review got no LLM tags:
 * - timeout: the call timed out on every attempt
 * - unavailable: the server could not be reached (down, refused, DNS...)
 * - refused: the server answered with an HTTP error (bad key, unknown model, rate limit after the retries...)
 * - malformed: the answer as a whole was unusable (not JSON, no `results` list)
 * - missing: the answer had no result, or two results, for this review
 * - invalid: the answer's result for this review did not fit the schema
 * - error: anything else
 */
export type TagFailureReason = 'timeout' | 'unavailable' | 'refused' | 'malformed' | 'missing' | 'invalid' | 'error';

export type TagOutcome =
  | { ok: true; tags: ReviewTags; cached: boolean }
  | { ok: false; reason: TagFailureReason; message: string };

/** Raised by `tag()` (which promises tags for every review) when some reviews could not be tagged. */
export class LlmTaggingError extends Error {
  constructor(readonly failures: { id: string; reason: TagFailureReason; message: string }[]) {
    super(`LLM tagging failed for ${failures.length} review(s): ${failures.slice(0, 3).map((f) => `${f.id} ${f.reason}`).join(', ')}`);
    this.name = 'LlmTaggingError';
  }
}

export interface LlmReviewTaggerOptions extends ChatModelOptions {
  /** Reviews per request. */
  batchSize?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  maxReviewChars?: number;
  cache?: TagCache;
  usageLog?: LlmUsageLog;
  logger?: Logger;
  /** Milliseconds, for call durations. */
  now?: () => number;
}

interface PendingText {
  key: string;
  text: string;
}

export class LlmReviewTagger implements ReviewTagger {
  readonly name: string;
  readonly model: string;
  private readonly call: StructuredCall<ReviewBatchAnswer>;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly maxReviewChars: number;
  private readonly apiKey: string;
  private readonly cache: TagCache | undefined;
  private readonly usageLog: LlmUsageLog | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(options: LlmReviewTaggerOptions) {
    this.model = options.model;
    this.name = `llm:${options.model}`;
    this.apiKey = options.apiKey;
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_LLM_BATCH_SIZE);
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_LLM_CONCURRENCY);
    this.maxReviewChars = options.maxReviewChars ?? MAX_REVIEW_CHARS;
    this.cache = options.cache;
    this.usageLog = options.usageLog;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => performance.now());
    this.call = structuredChatCall(options, reviewBatchSchema, 'tag_reviews');
  }

  /** Tags every review or throws LlmTaggingError; use `tagEach` (or FallbackReviewTagger) to handle failures. */
  async tag(reviews: readonly ReviewInput[]): Promise<ReviewTags[]> {
    const outcomes = await this.tagEach(reviews);
    const failures = outcomes.flatMap((o, i) => (o.ok ? [] : [{ id: reviews[i]!.id, reason: o.reason, message: o.message }]));
    if (failures.length > 0) throw new LlmTaggingError(failures);
    return outcomes.map((o) => (o as Extract<TagOutcome, { ok: true }>).tags);
  }

  /**
   * One outcome per review, in order. Cached texts cost nothing; the other distinct texts (identical texts once)
   * go out in batches of `batchSize`. Never throws for a model or network failure: failures are outcomes.
   */
  async tagEach(reviews: readonly ReviewInput[]): Promise<TagOutcome[]> {
    const keys = reviews.map((r) => tagCacheKey(this.name, r.text));
    const byKey = new Map<string, TagOutcome>();
    for (const [key, tags] of await this.cachedTags([...new Set(keys)])) byKey.set(key, { ok: true, tags, cached: true });

    const pending: PendingText[] = [];
    const seen = new Set<string>();
    reviews.forEach((review, i) => {
      const key = keys[i]!;
      if (byKey.has(key) || seen.has(key)) return;
      seen.add(key);
      pending.push({ key, text: review.text });
    });

    const batches: PendingText[][] = [];
    for (let i = 0; i < pending.length; i += this.batchSize) batches.push(pending.slice(i, i + this.batchSize));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const outcomes = await this.tagBatch(batch);
        batch.forEach((item, i) => byKey.set(item.key, outcomes[i]!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, worker));

    return keys.map((key) => byKey.get(key) ?? { ok: false, reason: 'error', message: 'no outcome' });
  }

  private async cachedTags(keys: string[]): Promise<Map<string, ReviewTags>> {
    if (!this.cache || keys.length === 0) return new Map();
    try {
      return await this.cache.get(keys);
    } catch (error) {
      // A cache that cannot be read costs tokens, not correctness.
      this.logger.warn({ err: String(error) }, 'review tag cache: read failed, tagging without it');
      return new Map();
    }
  }

  /** One request for up to batchSize distinct texts; one outcome per text. */
  private async tagBatch(batch: PendingText[]): Promise<TagOutcome[]> {
    // Batch-local ids: the caller's ids are not the model's business and might carry text of their own.
    const promptReviews: PromptReview[] = batch.map((item, i) => ({ id: String(i + 1), text: item.text }));
    const messages = renderReviewTaggingPrompt(promptReviews, this.maxReviewChars);
    const started = this.now();
    let raw: BaseMessage;
    let parsed: ReviewBatchAnswer | null;
    try {
      ({ raw, parsed } = await this.call.invoke(messages));
    } catch (error) {
      const reason = failureReason(error);
      const message = this.redact(errorMessage(error));
      await this.record({ durationMs: this.now() - started, ok: false, error: `${reason}: ${message}`, raw: undefined });
      this.logger.warn({ reason, error: message, reviews: batch.length }, 'LLM review tagging call failed');
      return batch.map(() => ({ ok: false, reason, message }));
    }

    const durationMs = this.now() - started;
    const answer = readAnswer(raw, parsed);
    if (!answer) {
      const message = 'the answer is not an object with a results list';
      await this.record({ durationMs, ok: false, error: `malformed: ${message}`, raw });
      this.logger.warn({ reviews: batch.length }, `LLM review tagging: ${message}`);
      return batch.map(() => ({ ok: false, reason: 'malformed', message }));
    }

    const { outcomes, rejected } = this.checkResults(answer, batch.length);
    await this.record({ durationMs, ok: true, error: rejected.length > 0 ? `rejected: ${rejected.join('; ')}` : null, raw });
    if (rejected.length > 0) this.logger.warn({ rejected }, 'LLM review tagging: results rejected');

    const entries: TagCacheEntry[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) entries.push({ key: batch[i]!.key, tagger: this.name, tags: outcome.tags });
    });
    if (this.cache && entries.length > 0) {
      await this.cache.put(entries).catch((error: unknown) => {
        this.logger.warn({ err: String(error) }, 'review tag cache: write failed');
      });
    }
    return outcomes;
  }

  /** Each result on its own: valid and for a review of the batch, exactly once, or that review is rejected. */
  private checkResults(answer: unknown[], size: number): { outcomes: TagOutcome[]; rejected: string[] } {
    const results = new Map<number, TagOutcome[]>();
    const rejected: string[] = [];
    for (const item of answer) {
      const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
      const index = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) - 1 : -1;
      if (index < 0 || index >= size) {
        rejected.push(`result for unknown id ${JSON.stringify(id)?.slice(0, 40)}`);
        continue;
      }
      const check = taggedReviewSchema.safeParse(item);
      const outcome: TagOutcome = check.success
        ? { ok: true, tags: { ...pickTags(check.data), tagger: this.name }, cached: false }
        : { ok: false, reason: 'invalid', message: `result does not fit the schema: ${summariseIssues(check.error)}` };
      if (!check.success) rejected.push(`review ${id}: ${summariseIssues(check.error)}`);
      results.set(index, [...(results.get(index) ?? []), outcome]);
    }
    const outcomes = Array.from({ length: size }, (_, i): TagOutcome => {
      const found = results.get(i) ?? [];
      if (found.length === 1) return found[0]!;
      const message = found.length === 0 ? 'the answer has no result for this review' : 'the answer has several results for this review';
      rejected.push(`review ${i + 1}: ${message}`);
      return { ok: false, reason: 'missing', message };
    });
    return { outcomes, rejected };
  }

  private async record(call: { durationMs: number; ok: boolean; error: string | null; raw: BaseMessage | undefined }): Promise<void> {
    await recordLlmCall(this.usageLog, this.logger, { ...call, purpose: REVIEW_TAGGING_PURPOSE, model: this.model, apiKey: this.apiKey });
  }

  /** An error text with the API key taken out, whatever put it there. */
  private redact(text: string): string {
    return redactApiKey(text, this.apiKey);
  }
}

function pickTags(result: z.infer<typeof taggedReviewSchema>): Omit<ReviewTags, 'tagger'> {
  const { sentiment, score, aspects, flags, language } = result;
  return { sentiment, score, aspects, flags: [...new Set(flags)], language };
}

/**
 * The list of results in the answer. LangChain's `parsed` is set when the whole answer fit the schema; when it
 * did not, the raw tool call (or a JSON reply in the content, from servers that ignore tool_choice) is read so
 * the results that do fit can still be used, each checked on its own.
 */
function readAnswer(raw: BaseMessage, parsed: ReviewBatchAnswer | null): unknown[] | null {
  if (parsed) return parsed.results;
  const candidate = rawStructuredAnswer(raw);
  const results = typeof candidate === 'object' && candidate !== null ? (candidate as { results?: unknown }).results : undefined;
  return Array.isArray(results) ? results : null;
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'result'}: ${issue.message}`)
    .join(', ');
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Which failure a client error is (timeout, unavailable, refused, error); shared with the text-similarity finder. */
export function failureReason(error: unknown): TagFailureReason {
  if (typeof error !== 'object' || error === null) return 'error';
  const { name, status } = error as { name?: unknown; status?: unknown };
  if (name === 'TimeoutError' || name === 'APIConnectionTimeoutError') return 'timeout';
  if (typeof status === 'number') return 'refused';
  if (name === 'APIConnectionError' || /connection|ECONNREFUSED|ENOTFOUND|fetch failed/i.test(errorMessage(error))) return 'unavailable';
  return 'error';
}
