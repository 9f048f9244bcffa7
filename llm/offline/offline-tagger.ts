/**
 * The offline review tagger: no network, no LLM. Sentiment comes from the committed hashed logistic regression
 * (see docs/decisions/003-offline-sentiment-model.md for how it was trained and how well it does); aspects and
 * flags come from transparent rules in aspects.ts and flags.ts.
 *
 * @example
 *   const tagger = OfflineReviewTagger.load();
 *   const [tags] = await tagger.tag([{ id: 'r1', text: '苹果很新鲜，就是快递有点慢' }]);
 *   // tags.sentiment 'positive', aspects freshness positive + logistics negative
 */
import { readFileSync } from 'node:fs';
import { sourcePath } from '../../prisma/project-root.js';
import type { ReviewInput, ReviewTagger, ReviewTags, Sentiment } from '../../core/llm/review-tags.js';
import { findAspects } from './aspects.js';
import type { ModelLanguage } from './features.js';
import { detectFlags } from './flags.js';
import { detectLanguage } from './language.js';
import { probability, type SentimentModels } from './linear-model.js';
import { adaptModel, ADAPTATION, domainText, type AdaptationSettings } from './domain-adaptation.js';
import { decodeWeights } from './weights-file.js';
import { OFFLINE_TAGGER_NAME, WEIGHTS_FILE } from './model-files.js';

export { OFFLINE_TAGGER_NAME };


/**
 * P(positive) inside this band is `neutral`. The data are binary (no neutral label), so the band is a choice:
 * it is where the model is unsure, which on mixed reviews ("good but slow") is where a reader would say neutral.
 */
export const NEUTRAL_BAND = { low: 0.4, high: 0.6 } as const;

export function sentimentFromProbability(p: number): Sentiment {
  if (p >= NEUTRAL_BAND.high) return 'positive';
  if (p <= NEUTRAL_BAND.low) return 'negative';
  return 'neutral';
}

/** Score in [-1, 1] from P(positive): 2p - 1, clipped and rounded to 3 decimals so equal inputs give equal output. */
export function scoreFromProbability(p: number): number {
  return Math.round(Math.max(-1, Math.min(1, 2 * p - 1)) * 1000) / 1000;
}

/** Suffix of the tagger name when the Chinese model was adapted to a domain's reviews (`offline:v2+adapted`). */
export const ADAPTED_SUFFIX = '+adapted';

export class OfflineReviewTagger implements ReviewTagger {
  constructor(
    private readonly models: SentimentModels,
    /** `offline:v2`, or `offline:v2+adapted` for a tagger from `adaptedTo`. */
    readonly name: string = OFFLINE_TAGGER_NAME,
  ) {}

  /** Reads the committed weights (about 1 MB, synchronous, a few tens of ms); keep one tagger per process. */
  static load(path: string = sourcePath(WEIGHTS_FILE, import.meta.url)): OfflineReviewTagger {
    return new OfflineReviewTagger(decodeWeights(readFileSync(path)));
  }

  /**
   * A tagger whose Chinese model is adapted (self-training, domain-adaptation.ts) to these unlabelled texts, e.g. a
   * group's stored reviews; the English model is kept. With fewer than `settings.minTexts` Chinese texts there is
   * nothing to adapt to and this tagger itself is returned. Takes about a second per few thousand texts.
   */
  adaptedTo(texts: readonly string[], settings: AdaptationSettings = ADAPTATION): OfflineReviewTagger {
    const chinese = texts.filter((t) => detectLanguage(t) === 'zh');
    if (chinese.length < settings.minTexts) return this;
    const zh = adaptModel(this.models.zh, chinese.map((t) => domainText(t, this.models.zh.bits)), settings);
    return new OfflineReviewTagger({ ...this.models, zh }, `${OFFLINE_TAGGER_NAME}${ADAPTED_SUFFIX}`);
  }

  /** P(positive) of a text under the model for its script; text with no Han goes to the English model. */
  probability(text: string, language: ModelLanguage = detectLanguage(text) === 'zh' ? 'zh' : 'en'): number {
    return probability(this.models[language], text, language);
  }

  /** Tags one review synchronously; `tag` is this over a batch. */
  tagOne(review: ReviewInput): ReviewTags {
    const language = detectLanguage(review.text);
    const modelLanguage: ModelLanguage = language === 'zh' ? 'zh' : 'en';
    const p = this.probability(review.text, modelLanguage);
    return {
      sentiment: sentimentFromProbability(p),
      score: scoreFromProbability(p),
      aspects: findAspects(review.text, modelLanguage, (clause) => sentimentFromProbability(this.probability(clause, modelLanguage))),
      flags: detectFlags(review.text),
      language,
      // English reviews are read by the unadapted English model whatever the tagger.
      tagger: modelLanguage === 'zh' ? this.name : OFFLINE_TAGGER_NAME,
    };
  }

  async tag(reviews: readonly ReviewInput[]): Promise<ReviewTags[]> {
    return reviews.map((review) => this.tagOne(review));
  }
}
