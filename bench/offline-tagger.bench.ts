/**
 * Reviews per second of the offline tagger on the held-out test texts (Chinese e-commerce and English), one core,
 * after a warm-up pass. Run alone with `npx tsx bench/offline-tagger.bench.ts`, or with every bench via `npm run bench`.
 */
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { OfflineReviewTagger } from '../llm/offline/offline-tagger.js';
import { defaultDataDir, hasSentimentData, loadSplit, type DatasetName } from '../llm/offline/sentiment-data.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = defaultDataDir(projectRoot);

const loadStart = performance.now();
const tagger = OfflineReviewTagger.load();
console.log(`offline-tagger: weights loaded in ${(performance.now() - loadStart).toFixed(0)} ms`);

if (!hasSentimentData(dataDir)) {
  console.log(`offline-tagger: skipped, no labelled data at ${dataDir}`);
} else {
  for (const name of ['zh_shopping', 'en_uci'] as DatasetName[]) {
    const reviews = loadSplit(dataDir, name).test.map((row, i) => ({ id: String(i), text: row.text }));
    await tagger.tag(reviews); // warm-up: JIT and regex compilation
    const rounds = name === 'en_uci' ? 10 : 2;
    const start = performance.now();
    for (let r = 0; r < rounds; r++) await tagger.tag(reviews);
    const seconds = (performance.now() - start) / 1000;
    const perSecond = (reviews.length * rounds) / seconds;
    const meanChars = reviews.reduce((a, r) => a + r.text.length, 0) / reviews.length;
    console.log(
      `offline-tagger: ${name} ${Math.round(perSecond)} reviews/s (full tags: sentiment, aspects, flags; ${reviews.length} texts x ${rounds}, mean ${meanChars.toFixed(0)} chars)`,
    );
  }
}
