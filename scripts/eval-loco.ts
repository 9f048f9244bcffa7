/**
 * `npm run eval:loco [-- --data <dir>] [--write]`: leave-one-category-out evaluation of the offline tagger's Chinese
 * model (llm/offline/leave-one-category-out.ts) with the settings of the shipped model (metrics.json `chosen.zh`).
 * Per held-out category: accuracy without adaptation (all rows, and the test-split rows apart), and with the
 * self-training adaptation the bot runs on a group's stored reviews (llm/offline/domain-adaptation.ts, labels never
 * read): transductive (adapted on all the category's texts, scored on all rows) and inductive (adapted on the texts
 * outside the test split, scored on the test split). Then, in-domain, the shipped weights on each category's
 * test-split rows, as they are and adapted to the category's texts, so adaptation is seen not to cost in-domain
 * accuracy. `--write` stores both tables in metrics.json (`leaveOneCategoryOut`), which the tests re-check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTATION, adaptModel, domainText } from '../llm/offline/domain-adaptation.js';
import { categoriesOf, evaluateHeldOutCategory, loadCategorisedRows } from '../llm/offline/leave-one-category-out.js';
import { encodeText, margin } from '../llm/offline/linear-model.js';
import { METRICS_FILE, WEIGHTS_FILE } from '../llm/offline/model-files.js';
import { defaultDataDir, hasSentimentData } from '../llm/offline/sentiment-data.js';
import { decodeWeights } from '../llm/offline/weights-file.js';

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
const table: { category: string; rows: number; accuracy: number; testRows: number; testAccuracy: number; adaptedAccuracy: number; adaptedTestAccuracy: number }[] = [];
console.log(`leave-one-category-out, ${metrics.tagger} features, ${JSON.stringify(options)}; adaptation ${JSON.stringify(ADAPTATION)}`);
console.log('category     rows  held-out  test-split rows   adapted (all rows)  adapted (inductive, test split)  seconds');
for (const category of categoriesOf(rows)) {
  const started = Date.now();
  const r = evaluateHeldOutCategory(rows, category, options, ADAPTATION);
  table.push({
    category,
    rows: r.rows,
    accuracy: round(r.accuracy),
    testRows: r.testRows,
    testAccuracy: round(r.testAccuracy),
    adaptedAccuracy: round(r.adaptedAccuracy!),
    adaptedTestAccuracy: round(r.adaptedTestAccuracy!),
  });
  console.log(
    `${padCategory(category, 8)} ${String(r.rows).padStart(7)}    ${r.accuracy.toFixed(4)}  ${r.testAccuracy.toFixed(4)} (${String(r.testRows).padStart(4)})` +
      `   ${r.adaptedAccuracy!.toFixed(4)}              ${r.adaptedTestAccuracy!.toFixed(4)}                           ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}`,
  );
}
const worstOf = (key: 'accuracy' | 'adaptedAccuracy') => table.reduce((a, b) => (b[key] < a[key] ? b : a));
console.log(`worst without adaptation: ${worstOf('accuracy').category} ${worstOf('accuracy').accuracy.toFixed(4)}`);
console.log(`worst adapted: ${worstOf('adaptedAccuracy').category} ${worstOf('adaptedAccuracy').adaptedAccuracy.toFixed(4)}`);

// In-domain: the shipped (quantised) weights on each category's test-split rows, as they are and adapted to all the
// category's texts (what the bot does for a group selling what the training data covered).
const shipped = decodeWeights(readFileSync(join(projectRoot, 'llm', 'offline', WEIGHTS_FILE))).zh;
const inDomain = [];
let right = 0;
let rightAdapted = 0;
let total = 0;
console.log('\nin-domain (shipped weights, test split): category  test rows  as shipped  adapted to the category\'s texts');
for (const category of categoriesOf(rows)) {
  const categoryRows = rows.filter((r) => r.category === category);
  const all = categoryRows.map((r) => ({ ...encodeText(r.text, 'zh', shipped.bits), label: r.label, test: r.inTestSplit }));
  const adapted = adaptModel(shipped, categoryRows.map((r) => domainText(r.text, shipped.bits)), ADAPTATION);
  const test = all.filter((e) => e.test);
  const a = test.filter((e) => (margin(shipped, e) >= 0 ? 1 : 0) === e.label).length;
  const b = test.filter((e) => (margin(adapted, e) >= 0 ? 1 : 0) === e.label).length;
  right += a;
  rightAdapted += b;
  total += test.length;
  inDomain.push({ category, testRows: test.length, accuracy: round(a / test.length), adaptedAccuracy: round(b / test.length) });
  console.log(`  ${padCategory(category, 8)} ${String(test.length).padStart(5)}  ${(a / test.length).toFixed(4)}  ${(b / test.length).toFixed(4)}`);
}
console.log(`  all Chinese test rows ${total}: as shipped ${(right / total).toFixed(4)}, adapted per category ${(rightAdapted / total).toFixed(4)}`);

if (process.argv.includes('--write')) {
  metrics.leaveOneCategoryOut = {
    command: 'npm run eval:loco -- --write',
    options,
    adaptation: ADAPTATION,
    table,
    inDomain: { rows: inDomain, testRows: total, accuracy: round(right / total), adaptedAccuracy: round(rightAdapted / total) },
  };
  writeFileSync(metricsPath, JSON.stringify(metrics, null, 2) + '\n');
  console.log(`tables written to ${metricsPath}`);
}
