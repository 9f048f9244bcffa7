/**
 * Reviews per second of the offline tagger on the held-out test texts (Chinese e-commerce and English), one core,
 * after a warm-up pass; and how long adapting the Chinese model to a group's reviews takes (DomainAdaptiveTagger).
 * Run alone with `npx tsx bench/offline-tagger.bench.ts`, or with every bench via `npm run bench`.
 *
 * Throughput is given per wall-clock second and per second of this process's CPU time: on a shared machine (other
 * processes on the same cores) the wall-clock figure drops while the CPU figure moves much less; the load average
 * is printed beside them so a slow run can be told from a slow tagger.
 */
import { loadavg } from 'node:os';
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
    const rounds = name === 'en_uci' ? 20 : 3;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (let r = 0; r < rounds; r++) await tagger.tag(reviews);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const n = reviews.length * rounds;
    const meanChars = reviews.reduce((a, r) => a + r.text.length, 0) / reviews.length;
    console.log(
      `offline-tagger: ${name} ${Math.round(n / seconds)} reviews/s wall, ${Math.round(n / cpuSeconds)} per CPU second ` +
        `(full tags: sentiment, aspects, flags; ${reviews.length} texts x ${rounds}, mean ${meanChars.toFixed(0)} chars; load average ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  // Adapting to a group: the Chinese test texts as the group's stored reviews, 500 (the minimum) and 2,000 of them.
  const texts = loadSplit(dataDir, 'zh_shopping').test.map((row) => row.text);
  for (const n of [500, 2000]) {
    const start = performance.now();
    const adapted = tagger.adaptedTo(texts.slice(0, n));
    console.log(`offline-tagger: adapting to ${n} reviews took ${Math.round(performance.now() - start)} ms (${adapted.name})`);
  }
}
