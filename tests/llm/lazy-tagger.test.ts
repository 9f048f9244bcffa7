import { describe, expect, it } from 'vitest';
import { LazyReviewTagger } from '../../llm/offline/lazy-tagger.js';
import { OFFLINE_TAGGER_NAME } from '../../llm/offline/model-files.js';
import { OfflineReviewTagger } from '../../llm/offline/offline-tagger.js';

describe('LazyReviewTagger', () => {
  it('loads the offline model at the first review, once, and tags as the model itself does', async () => {
    let builds = 0;
    const lazy = new LazyReviewTagger(OFFLINE_TAGGER_NAME, () => {
      builds++;
      return OfflineReviewTagger.load();
    });
    expect(builds).toBe(0);
    expect(lazy.name).toBe(OFFLINE_TAGGER_NAME);
    const reviews = [
      { id: '1', text: '草莓很新鲜，很甜，下次还买' },
      { id: '2', text: 'Arrived late and half of them were rotten' },
    ];
    const tags = await lazy.tag(reviews);
    await lazy.tag(reviews.slice(0, 1));
    expect(builds).toBe(1);
    expect(tags).toEqual(await OfflineReviewTagger.load().tag(reviews));
    expect(tags.map((t) => t.sentiment)).toEqual(['positive', 'negative']);
  });

  it('refuses a built tagger whose name differs from the one announced (stored tags name their model)', async () => {
    const lazy = new LazyReviewTagger('offline:v0', () => OfflineReviewTagger.load());
    await expect(lazy.tag([{ id: '1', text: 'good' }])).rejects.toThrow(/announced as offline:v0/);
  });
});
