/**
 * `npm run eval:loco [-- --data <dir>] [--write]`: leave-one-category-out evaluation of the offline tagger's Chinese
 * model (llm/offline/leave-one-category-out.ts) with the settings of the shipped model (metrics.json `chosen.zh`).
 * Prints category, rows, held-out accuracy (all rows of the category, and its test-split rows apart); `--write`
 * stores the table in metrics.json (`leaveOneCategoryOut`), which the tests re-check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { categoriesOf, evaluateHeldOutCategory, loadCategorisedRows } from '../llm/offline/leave-one-category-out.js';
import { METRICS_FILE } from '../llm/offline/model-files.js';
import { defaultDataDir, hasSentimentData } from '../llm/offline/sentiment-data.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataFlag = process.argv.indexOf('--data');
const dataDir = dataFlag >= 0 ? resolve(process.argv[dataFlag + 1] ?? '') : defaultDataDir(projectRoot);
if (!hasSentimentData(dataDir)) {
  console.error(`eval-loco: no labelled data in ${dataDir} (pass --data <dir>)`);
  process.exit(2);
}
const metricsPath = join(projectRoot, 'llm', 'offline', METRICS_FILE);
const metrics = JSON.parse(readFileSync(metricsPath, 'utf8'));
const { epochs, learningRate, l2, bits } = metrics.chosen.zh;
const seed: number = metrics.trainingSeed;
const options = { epochs, learningRate, l2, bits, seed };

const rows = loadCategorisedRows(dataDir);
const round = (x: number) => Math.round(x * 10000) / 10000;
/** Pads to a terminal width, counting a Han character as two columns. */
const padCategory = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - Array.from(text).reduce((w, c) => w + (/\p{Script=Han}/u.test(c) ? 2 : 1), 0)));
const table = [];
console.log(`leave-one-category-out, ${metrics.tagger} features, ${JSON.stringify(options)}`);
console.log('category     rows  held-out  test-split rows  train rows  seconds');
for (const category of categoriesOf(rows)) {
  const started = Date.now();
  const r = evaluateHeldOutCategory(rows, category, options);
  table.push({ category, rows: r.rows, accuracy: round(r.accuracy), testRows: r.testRows, testAccuracy: round(r.testAccuracy) });
  console.log(
    `${padCategory(category, 8)} ${String(r.rows).padStart(7)}    ${r.accuracy.toFixed(4)}  ${r.testAccuracy.toFixed(4)} (${String(r.testRows).padStart(4)})` +
      `  ${String(r.trainRows).padStart(10)}  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)}`,
  );
}
const worst = table.reduce((a, b) => (b.accuracy < a.accuracy ? b : a));
console.log(`worst: ${worst.category} ${worst.accuracy.toFixed(4)}`);
if (process.argv.includes('--write')) {
  metrics.leaveOneCategoryOut = { command: 'npm run eval:loco -- --write', options, table };
  writeFileSync(metricsPath, JSON.stringify(metrics, null, 2) + '\n');
  console.log(`table written to ${metricsPath}`);
}
