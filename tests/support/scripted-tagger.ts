/** A review tagger for tests, deciding offline and at once (tests/core/reviews, the e2e worlds). */
import type { ReviewInput, ReviewTagger, ReviewTags } from '../../core/llm/review-tags.js';

/**
 * A tagger whose answers the test decides: negative for texts with "bad", "broken" or "差", positive otherwise;
 * personal data for a phone-like number. It can be told to fail, and counts its calls.
 */
export class ScriptedTagger implements ReviewTagger {
  /** The name it signs its tags with; a test may take a real tagger's (`offline:v2`) to see how alerts show it. */
  name = 'test:scripted';
  calls = 0;
  failing = false;

  async tag(reviews: readonly ReviewInput[]): Promise<ReviewTags[]> {
    this.calls += 1;
    if (this.failing) throw new Error('tagger down');
    return reviews.map((r) => {
      const negative = /bad|broken|差|烂/i.test(r.text);
      return {
        sentiment: negative ? 'negative' : 'positive',
        score: negative ? -0.8 : 0.8,
        aspects: /fresh|新鲜/i.test(r.text) ? [{ aspect: 'freshness', sentiment: negative ? 'negative' : 'positive' }] : [],
        flags: /\d{11}/.test(r.text) ? ['personal_data'] : [],
        language: /[\u4e00-\u9fff]/.test(r.text) ? 'zh' : 'en',
        tagger: this.name,
      };
    });
  }
}
