/**
 * The tagger the app uses: the LLM when one is configured, the offline tagger for every review the LLM could not
 * tag (timeout, server down, malformed or rejected answer), and the offline tagger alone when no LLM is
 * configured. Each result's `tagger` says which one produced it; each fallback is logged and reported.
 *
 * @example
 *   const tagger = new FallbackReviewTagger({ llm, offline: OfflineReviewTagger.load(), logger });
 *   const tags = await tagger.tag(reviews); // tags[i].tagger is 'llm:<model>' or 'offline:v1'
 */
import { silentLogger, type Logger } from '../core/ports.js';
import type { TagFailureReason, TagOutcome } from './llm-tagger.js';
import type { ReviewInput, ReviewTagger, ReviewTags } from '../core/llm/review-tags.js';

/** What FallbackReviewTagger needs of the LLM tagger: per-review outcomes instead of all-or-nothing. */
export interface OutcomeTagger {
  readonly name: string;
  tagEach(reviews: readonly ReviewInput[]): Promise<TagOutcome[]>;
}

/** One review the LLM did not tag, handed to the offline tagger instead. */
export interface TagFallback {
  reviewId: string;
  reason: TagFailureReason;
  message: string;
}

export interface FallbackReviewTaggerOptions {
  /** Unset: offline only. */
  llm?: OutcomeTagger;
  offline: ReviewTagger;
  logger?: Logger;
  /** Called once per tag() with the reviews that fell back (not called when none did). */
  onFallback?: (fallbacks: TagFallback[]) => void;
}

export class FallbackReviewTagger implements ReviewTagger {
  readonly name: string;
  private readonly llm: OutcomeTagger | undefined;
  private readonly offline: ReviewTagger;
  private readonly logger: Logger;
  private readonly onFallback: ((fallbacks: TagFallback[]) => void) | undefined;

  constructor(options: FallbackReviewTaggerOptions) {
    this.llm = options.llm;
    this.offline = options.offline;
    this.logger = options.logger ?? silentLogger;
    this.onFallback = options.onFallback;
    this.name = this.llm ? `${this.llm.name}|${this.offline.name}` : this.offline.name;
  }

  /** True when an LLM is configured (results may still come from the offline tagger, per review). */
  get usesLlm(): boolean {
    return this.llm !== undefined;
  }

  async tag(reviews: readonly ReviewInput[]): Promise<ReviewTags[]> {
    if (!this.llm || reviews.length === 0) return this.offline.tag(reviews);
    let outcomes: TagOutcome[];
    try {
      outcomes = await this.llm.tagEach(reviews);
    } catch (error) {
      // tagEach reports model and network failures as outcomes; this is a bug or a broken cache, still not fatal.
      const message = error instanceof Error ? error.message : String(error);
      outcomes = reviews.map(() => ({ ok: false, reason: 'error', message }));
    }
    const failed: number[] = [];
    outcomes.forEach((o, i) => {
      if (!o.ok) failed.push(i);
    });
    const result: (ReviewTags | undefined)[] = outcomes.map((o) => (o.ok ? o.tags : undefined));
    if (failed.length > 0) {
      const offlineTags = await this.offline.tag(failed.map((i) => reviews[i]!));
      failed.forEach((reviewIndex, j) => (result[reviewIndex] = offlineTags[j]));
      const fallbacks = failed.map((i): TagFallback => {
        const outcome = outcomes[i] as Extract<TagOutcome, { ok: false }>;
        return { reviewId: reviews[i]!.id, reason: outcome.reason, message: outcome.message };
      });
      const reasons: Record<string, number> = {};
      for (const f of fallbacks) reasons[f.reason] = (reasons[f.reason] ?? 0) + 1;
      this.logger.warn({ fallbacks: fallbacks.length, of: reviews.length, reasons }, `review tagging fell back to ${this.offline.name}`);
      this.onFallback?.(fallbacks);
    }
    return result as ReviewTags[];
  }
}
