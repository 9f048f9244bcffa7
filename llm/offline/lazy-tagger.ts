/**
 * A review tagger built at its first use: the offline model's weights (read and decoded: about 0.3-0.9 s and
 * 14 MB at start-up) are loaded when the first review is tagged, not by every process that starts (ADR 017).
 *
 * @example
 *   const offline = new LazyReviewTagger(OFFLINE_TAGGER_NAME, () => OfflineReviewTagger.load());
 */
import type { ReviewInput, ReviewTagger, ReviewTags } from '../../core/llm/review-tags.js';

export class LazyReviewTagger implements ReviewTagger {
  private tagger: ReviewTagger | undefined;

  /** `name` must be the name the built tagger will have (stored tags say which model produced them). */
  constructor(
    readonly name: string,
    private readonly build: () => ReviewTagger,
  ) {}

  async tag(reviews: readonly ReviewInput[]): Promise<ReviewTags[]> {
    if (!this.tagger) {
      const built = this.build();
      if (built.name !== this.name) throw new Error(`lazy tagger announced as ${this.name} built ${built.name}`);
      this.tagger = built;
    }
    return this.tagger.tag(reviews);
  }
}
