/**
 * Builds the app's review tagger from configuration: FallbackReviewTagger over the LLM tagger when an LLM is
 * configured (OPENAI_API_KEY or OPENAI_BASE_URL), the offline tagger alone otherwise.
 *
 * @example
 *   const tagger = createReviewTagger(config, { cache: new PrismaTagCache(db.prisma), usageLog: new PrismaLlmUsageLog(db.prisma), logger });
 *   const [tags] = await tagger.tag([{ id: review.id, text: review.text, rating: review.rating }]);
 */
import type { Logger } from '../core/ports.js';
import { FallbackReviewTagger, type TagFallback } from './fallback-tagger.js';
import { DEFAULT_LLM_BATCH_SIZE, DEFAULT_LLM_MAX_RETRIES, DEFAULT_LLM_TIMEOUT_MS, LlmReviewTagger } from './llm-tagger.js';
import type { LlmUsageLog } from './llm-usage-log.js';
import { OfflineReviewTagger } from './offline/offline-tagger.js';
import type { ReviewTagger } from '../core/llm/review-tags.js';
import type { TagCache } from './tag-cache.js';

/** The configuration fields the tagger reads (a subset of bots/config.ts's Config). */
export interface ReviewTaggerConfig {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  LLM_MODEL?: string;
  LLM_TIMEOUT_MS?: number;
  LLM_BATCH_SIZE?: number;
  LLM_MAX_RETRIES?: number;
}

export interface ReviewTaggerDeps {
  cache?: TagCache;
  usageLog?: LlmUsageLog;
  logger?: Logger;
  onFallback?: (fallbacks: TagFallback[]) => void;
  /** Default: OfflineReviewTagger.load() (reads the committed weights). */
  offline?: ReviewTagger;
}

/** The model used against api.openai.com when LLM_MODEL is unset. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/** A configuration that names an LLM but cannot work; the message names the variable, never the key. */
export class LlmConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LlmConfigError';
  }
}

/** Which LLM the configuration asks for, or null for offline only. */
export function llmSettings(config: ReviewTaggerConfig): { model: string; apiKey: string; baseURL?: string } | null {
  const { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: baseURL, LLM_MODEL: model } = config;
  if (!apiKey && !baseURL) return null;
  if (baseURL && !model) {
    throw new LlmConfigError('LLM_MODEL must be set when OPENAI_BASE_URL is set (the server decides which model names exist)');
  }
  // Local OpenAI-compatible servers usually need no key; the client still wants one to send.
  return { model: model ?? DEFAULT_OPENAI_MODEL, apiKey: apiKey ?? 'no-key', ...(baseURL ? { baseURL } : {}) };
}

export function createReviewTagger(config: ReviewTaggerConfig, deps: ReviewTaggerDeps = {}): FallbackReviewTagger {
  const offline = deps.offline ?? OfflineReviewTagger.load();
  const settings = llmSettings(config);
  const llm = settings
    ? new LlmReviewTagger({
        ...settings,
        timeoutMs: config.LLM_TIMEOUT_MS ?? DEFAULT_LLM_TIMEOUT_MS,
        maxRetries: config.LLM_MAX_RETRIES ?? DEFAULT_LLM_MAX_RETRIES,
        batchSize: config.LLM_BATCH_SIZE ?? DEFAULT_LLM_BATCH_SIZE,
        cache: deps.cache,
        usageLog: deps.usageLog,
        logger: deps.logger,
      })
    : undefined;
  return new FallbackReviewTagger({ llm, offline, logger: deps.logger, onFallback: deps.onFallback });
}
