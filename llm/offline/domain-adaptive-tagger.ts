/**
 * The offline tagger as the bot runs it: per domain (the group a review belongs to, `ReviewInput.domain`), the
 * Chinese model adapted to that group's stored reviews (OfflineReviewTagger.adaptedTo, self-training on unlabelled
 * texts; docs/decisions/003 measures it). A group sells what it sells (fruit, milk, books...), which may be a domain
 * the training data never covered; its own reviews, without any label, move the model towards it.
 *
 * A domain with fewer stored Chinese reviews than ADAPTATION.minTexts, and a review without a domain, get the
 * shipped model. An adapted model is kept in memory (least recently used dropped beyond `maxDomains`) and rebuilt
 * when the group's stored reviews have grown by `regrowth` since; the stored reviews are looked at again at most
 * every `recheckMs`. Adapting is synchronous CPU work (about a second for a few thousand reviews), rare by design.
 *
 * @example
 *   const offline = new DomainAdaptiveTagger(OfflineReviewTagger.load(), {
 *     corpus: async (groupId) => (await store.reviews.listReviews(groupId)).map((r) => r.text),
 *   });
 *   await offline.tag([{ id: '1', text: '这套书印刷很差', domain: groupId }]);
 */
import type { ReviewInput, ReviewTagger, ReviewTags } from '../../core/llm/review-tags.js';
import { silentLogger, type Logger } from '../../core/ports.js';
import { ADAPTATION, type AdaptationSettings } from './domain-adaptation.js';
import type { OfflineReviewTagger } from './offline-tagger.js';

export interface DomainAdaptiveTaggerOptions {
  /** The stored review texts of a domain (the bot: a group's submitted reviews). */
  corpus(domain: string): Promise<readonly string[]>;
  /** Rebuild the adapted model when the corpus grew by this share since it was built. Default 0.2. */
  regrowth?: number;
  /** Look at a domain's corpus again at most this often. Default 10 minutes. */
  recheckMs?: number;
  /** Adapted models kept in memory (4 MB each). Default 16. */
  maxDomains?: number;
  settings?: AdaptationSettings;
  logger?: Logger;
  now?: () => number;
}

interface DomainState {
  /** Corpus size the tagger was built from (0: not adapted, too few texts). */
  builtFrom: number;
  checkedAt: number;
  tagger: OfflineReviewTagger;
}

export class DomainAdaptiveTagger implements ReviewTagger {
  readonly name: string;
  private readonly domains = new Map<string, DomainState>();
  private readonly pending = new Map<string, Promise<OfflineReviewTagger>>();
  private readonly regrowth: number;
  private readonly recheckMs: number;
  private readonly maxDomains: number;
  private readonly settings: AdaptationSettings;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(
    private readonly base: OfflineReviewTagger,
    private readonly options: DomainAdaptiveTaggerOptions,
  ) {
    this.name = base.name;
    this.regrowth = options.regrowth ?? 0.2;
    this.recheckMs = options.recheckMs ?? 10 * 60_000;
    this.maxDomains = options.maxDomains ?? 16;
    this.settings = options.settings ?? ADAPTATION;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  async tag(reviews: readonly ReviewInput[]): Promise<ReviewTags[]> {
    const taggers = new Map<string, OfflineReviewTagger>();
    for (const domain of new Set(reviews.flatMap((r) => (r.domain ? [r.domain] : [])))) taggers.set(domain, await this.taggerFor(domain));
    return reviews.map((r) => (r.domain ? (taggers.get(r.domain) as OfflineReviewTagger) : this.base).tagOne(r));
  }

  /** The tagger for a domain, adapting (again) when its stored reviews call for it. */
  async taggerFor(domain: string): Promise<OfflineReviewTagger> {
    const state = this.domains.get(domain);
    if (state && this.now() - state.checkedAt < this.recheckMs) {
      // Most recently used last, so the first key is the one to drop.
      this.domains.delete(domain);
      this.domains.set(domain, state);
      return state.tagger;
    }
    let job = this.pending.get(domain);
    if (!job) {
      job = this.refresh(domain, state).finally(() => this.pending.delete(domain));
      this.pending.set(domain, job);
    }
    return job;
  }

  private async refresh(domain: string, state: DomainState | undefined): Promise<OfflineReviewTagger> {
    let texts: readonly string[];
    try {
      texts = await this.options.corpus(domain);
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), domain }, 'could not read the stored reviews to adapt to; using the model as it is');
      return state?.tagger ?? this.base;
    }
    const checkedAt = this.now();
    let next: DomainState;
    if (state && state.builtFrom > 0 && texts.length < state.builtFrom * (1 + this.regrowth)) {
      next = { ...state, checkedAt };
    } else {
      const started = this.now();
      const tagger = this.base.adaptedTo(texts, this.settings);
      const adapted = tagger !== this.base;
      if (adapted) this.logger.info({ domain, reviews: texts.length, ms: this.now() - started }, 'offline tagger adapted to the group\'s reviews');
      next = { builtFrom: adapted ? texts.length : 0, checkedAt, tagger };
    }
    this.domains.delete(domain);
    this.domains.set(domain, next);
    while (this.domains.size > this.maxDomains) this.domains.delete(this.domains.keys().next().value as string);
    return next.tagger;
  }
}
