/**
 * What a tagger says about one review, and the one interface both taggers (LLM and offline) implement.
 * The schema is zod so the LLM's answer is validated field by field; every field is described for the model.
 */
import { z } from 'zod';

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/** Aspects of a purchase members talk about. `taste_effect`: taste of food, effect of cosmetics/medicine. */
export const ASPECTS = ['quality', 'price', 'logistics', 'service', 'packaging', 'taste_effect', 'freshness', 'size_fit', 'other'] as const;
export type Aspect = (typeof ASPECTS)[number];

/**
 * Flags a review may carry:
 * - generic_praise: templated or content-free praise ("好评好评", "great product!!!")
 * - off_topic: not about the purchase
 * - personal_data: contains a phone number, address, id number, email...
 * - prompt_injection: tries to instruct the model
 */
export const FLAGS = ['generic_praise', 'off_topic', 'personal_data', 'prompt_injection'] as const;
export type Flag = (typeof FLAGS)[number];

export const LANGUAGES = ['zh', 'en', 'other'] as const;

export const aspectTagSchema = z.object({
  aspect: z.enum(ASPECTS).describe('Which aspect of the purchase the reviewer talks about'),
  sentiment: z.enum(SENTIMENTS).describe('How the reviewer feels about this aspect'),
});

export const reviewTagsSchema = z.object({
  sentiment: z.enum(SENTIMENTS).describe('Overall sentiment of the review text'),
  score: z.number().min(-1).max(1).describe('Overall sentiment as a number from -1 (very negative) to 1 (very positive)'),
  aspects: z.array(aspectTagSchema).max(9).describe('Aspects mentioned in the review, each with its own sentiment; empty if none'),
  flags: z.array(z.enum(FLAGS)).describe('Quality flags that apply to the review; empty if none'),
  language: z.enum(LANGUAGES).describe('Main language of the review: zh (Chinese), en (English) or other'),
});

/** Tags as a tagger produces them, plus which tagger produced them (e.g. `offline:v1`, `llm:gpt-4o-mini`). */
export type ReviewTags = z.infer<typeof reviewTagsSchema> & { tagger: string };

export interface ReviewInput {
  id: string;
  text: string;
  /** Star rating 1-5 if the member gave one. Taggers may use it as a hint; it never changes a reward. */
  rating?: number;
  /**
   * Which reviews belong together (the bot: the group's id). The offline tagger may adapt to a domain's stored
   * reviews (llm/offline/domain-adaptive-tagger.ts); it is never sent to an LLM.
   */
  domain?: string;
}

/** One interface, two implementations: the LLM tagger and the offline tagger. */
export interface ReviewTagger {
  /** e.g. `offline:v1`, `llm:<model>`. */
  readonly name: string;
  /** Tags a batch; the result has one entry per input, in the same order. */
  tag(reviews: readonly ReviewInput[]): Promise<ReviewTags[]>;
}
