/**
 * `npm run eval:loco [-- --data <dir>] [--inner-cap <n>] [--outer <category>]... [--fresh] [--write]`:
 * leave-one-category-out evaluation of the offline tagger's Chinese model with the shipped model's training
 * settings (metrics.json `chosen.zh`), under the nested protocol of llm/offline/leave-one-category-out.ts: for each
 * held-out category the adaptation candidate (ADAPTATION_CANDIDATES, including no adaptation) is chosen with the
 * other categories' labels only, then applied once to the held-out category's texts and scored on its labels,
 * transductive (adapted on all its texts, scored on them: what the bot does with a group's reviews) and inductive
 * (adapted on one half, scored on the other, both ways).
 *
 * Then the setting the bot runs: the same choice made over all ten categories (plain leave-one-category-out), which
 * must be ADAPTATION; and in-domain, the shipped weights on each category's test-split rows, as they are and adapted
 * with ADAPTATION to the category's texts. `--write` stores it all in metrics.json (`leaveOneCategoryOut`), which
 * the tests re-check. Inner scores are kept in .cache/eval-loco (keyed by a hash of the code that makes them), so a
 * re-run only computes what changed; `--fresh` ignores them. About 15 min of CPU from scratch.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTATION, ADAPTATION_CANDIDATES, adaptModel } from '../llm/offline/domain-adaptation.js';
import {
  capRows, categoriesOf, categorySeed, chooseCandidate, encodeRows, loadCategorisedRows, nestedLeaveOneCategoryOut, trainWithout,
  transductiveAccuracy, type InnerScoreStore,
} from '../llm/offline/leave-one-category-out.js';
import { margin, type LanguageModel } from '../llm/offline/linear-model.js';
import { METRICS_FILE, WEIGHTS_FILE } from '../llm/offline/model-files.js';
import { defaultDataDir, hasSentimentData } from '../llm/offline/sentiment-data.js';
import { decodeWeights } from '../llm/offline/weights-file.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dataDir = flag('--data') ? resolve(flag('--data') as string) : defaultDataDir(projectRoot);
if (!hasSentimentData(dataDir)) {
  console.error(`eval-loco: no labelled data in ${dataDir} (pass --data <dir>)`);
  process.exit(2);
}
const innerCap = Number(flag('--inner-cap') ?? 2000);
if (!Number.isInteger(innerCap) || innerCap < 500) {
  console.error('eval-loco: --inner-cap must be a whole number of at least 500 (adaptation needs 500 texts)');
  process.exit(2);
}
const outers = argv.flatMap((a, i) => (argv[i - 1] === '--outer' ? [a] : []));
const write = argv.includes('--write');
if (write && outers.length) {
  console.error('eval-loco: --write needs every category (drop --outer)');
  process.exit(2);
}

const metricsPath = join(projectRoot, 'llm', 'offline', METRICS_FILE);
const metrics = JSON.parse(readFileSync(metricsPath, 'utf8'));
const { epochs, learningRate, l2, bits } = metrics.chosen.zh;
const training = { epochs, learningRate, l2, bits, seed: metrics.trainingSeed as number };

// Inner scores depend on the data, the training and adaptation code and the protocol code: their hash keys the store.
const codeFiles = ['domain-adaptation.ts', 'train-logistic.ts', 'linear-model.ts', 'features.ts', 'leave-one-category-out.ts', 'sentiment-data.ts'];
const fingerprint = createHash('sha256')
  .update(codeFiles.map((f) => readFileSync(join(projectRoot, 'llm', 'offline', f), 'utf8')).join('\0'))
  .digest('hex')
  .slice(0, 16);
const storePath = join(projectRoot, '.cache', 'eval-loco', `inner-${fingerprint}.json`);
const stored: Record<string, number> = !argv.includes('--fresh') && existsSync(storePath) ? JSON.parse(readFileSync(storePath, 'utf8')) : {};
let unsaved = 0;
const save = () => {
  mkdirSync(dirname(storePath), { recursive: true });
  writeFileSync(storePath, JSON.stringify(stored));
  unsaved = 0;
};
const store: InnerScoreStore = {
  get: (k) => stored[k],
  set: (k, v) => {
    stored[k] = v;
    if (++unsaved >= 20) save();
  },
};

const round = (x: number) => Math.round(x * 10000) / 10000;
/** Pads to a terminal width, counting a Han character as two columns. */
const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - Array.from(text).reduce((w, c) => w + (/\p{Script=Han}/u.test(c) ? 2 : 1), 0)));
const log = (line: string) => console.log(line);

let started = Date.now();
const rows = encodeRows(loadCategorisedRows(dataDir), bits);
console.log(`${rows.length} Chinese rows read and encoded once in ${((Date.now() - started) / 1000).toFixed(1)} s; training ${JSON.stringify(training)}; inner cap ${innerCap}`);
console.log(`candidates: ${ADAPTATION_CANDIDATES.map((c) => c.name).join(' | ')}`);

started = Date.now();
const nested = nestedLeaveOneCategoryOut(rows, {
  training,
  candidates: ADAPTATION_CANDIDATES,
  innerCap,
  ...(outers.length ? { outers } : {}),
  store,
  fingerprint,
  log,
});
save();
console.log(`\nnested leave-one-category-out (${((Date.now() - started) / 1000).toFixed(0)} s)`);
console.log('category         rows  no adaptation  chosen by the inner runs   inner mean  transductive  inductive');
for (const r of nested) {
  console.log(`${pad(r.category, 10)} ${String(r.rows).padStart(7)}   ${r.accuracy.toFixed(4)}       ${pad(r.chosen, 24)} ${r.innerMean.toFixed(4)}      ${r.transductive.toFixed(4)}      ${r.inductive.toFixed(4)}`);
}
const worst = (key: 'accuracy' | 'transductive' | 'inductive') => nested.reduce((a, b) => (b[key] < a[key] ? b : a));
for (const key of ['accuracy', 'transductive', 'inductive'] as const) console.log(`worst ${key === 'accuracy' ? 'without adaptation' : key}: ${worst(key).category} ${worst(key)[key].toFixed(4)}`);

if (outers.length) process.exit(0);

// The setting the bot runs: the same selection rule over all ten categories.
started = Date.now();
console.log(`\nplain leave-one-category-out per candidate (transductive, at most ${innerCap} texts a category), to choose the runtime setting:`);
// The same procedure as an inner run, on at most innerCap texts of each category.
const flat = categoriesOf(rows).map((category) => {
  let model: LanguageModel | undefined;
  const sample = capRows(rows.filter((r) => r.category === category), innerCap, categorySeed(category));
  const scores = ADAPTATION_CANDIDATES.map((c) => {
    const k = JSON.stringify([fingerprint, training, innerCap, 'flat', category, c.settings]);
    let acc = store.get(k);
    if (acc === undefined) {
      model ??= trainWithout(rows, [category], training);
      acc = transductiveAccuracy(model, sample, c.settings);
      store.set(k, acc);
    }
    return acc;
  });
  log(`  ${pad(category, 8)} ${scores.map((x) => x.toFixed(4)).join(' ')}`);
  return { category, scores };
});
save();
const runtimeIndex = chooseCandidate(flat.map((f) => f.scores));
const flatMeans = ADAPTATION_CANDIDATES.map((c, k) => ({ name: c.name, mean: round(flat.reduce((s, f) => s + (f.scores[k] as number), 0) / flat.length), worst: round(Math.min(...flat.map((f) => f.scores[k] as number))) }));
for (const m of flatMeans) console.log(`  ${pad(m.name, 24)} mean ${m.mean.toFixed(4)}  worst ${m.worst.toFixed(4)}`);
const runtime = ADAPTATION_CANDIDATES[runtimeIndex]!;
const runtimeMatches = JSON.stringify(runtime.settings) === JSON.stringify(ADAPTATION);
console.log(`chosen for the bot: ${runtime.name} (${((Date.now() - started) / 1000).toFixed(0)} s)${runtimeMatches ? ' = ADAPTATION' : ' -- ADAPTATION differs: set it to this candidate'}`);

// In-domain: the shipped (quantised) weights on each category's test-split rows, as they are and adapted with the
// setting chosen for the bot to all the category's texts (a group selling what the training data covered).
const shipped = decodeWeights(readFileSync(join(projectRoot, 'llm', 'offline', WEIGHTS_FILE))).zh;
const inDomain = [];
let right = 0;
let rightAdapted = 0;
let total = 0;
console.log(`\nin-domain (shipped weights, test split): category  test rows  as shipped  adapted with the bot's setting (${runtime.name})`);
for (const category of categoriesOf(rows)) {
  const all = rows.filter((r) => r.category === category);
  const texts = all.map((r) => ({ ids: r.ids, ...(r.adaptable ? { adaptable: r.adaptable } : {}) }));
  const adapted = runtime.settings ? adaptModel(shipped, texts, runtime.settings) : shipped;
  const test = all.filter((e) => e.inTestSplit);
  const a = test.filter((e) => (margin(shipped, e) >= 0 ? 1 : 0) === e.label).length;
  const b = test.filter((e) => (margin(adapted, e) >= 0 ? 1 : 0) === e.label).length;
  right += a;
  rightAdapted += b;
  total += test.length;
  inDomain.push({ category, testRows: test.length, accuracy: round(a / test.length), adaptedAccuracy: round(b / test.length) });
  console.log(`  ${pad(category, 8)} ${String(test.length).padStart(5)}  ${(a / test.length).toFixed(4)}  ${(b / test.length).toFixed(4)}`);
}
console.log(`  all Chinese test rows ${total}: as shipped ${(right / total).toFixed(4)}, adapted per category ${(rightAdapted / total).toFixed(4)}`);

if (write) {
  metrics.leaveOneCategoryOut = {
    command: 'npm run eval:loco -- --write',
    protocol: 'nested',
    options: training,
    innerCap,
    candidates: ADAPTATION_CANDIDATES,
    table: nested.map((r) => ({
      category: r.category,
      rows: r.rows,
      accuracy: round(r.accuracy),
      chosen: r.chosen,
      innerMean: round(r.innerMean),
      transductive: round(r.transductive),
      inductive: round(r.inductive),
      innerMeans: Object.fromEntries(Object.entries(r.innerMeans).map(([k, v]) => [k, round(v)])),
    })),
    runtime: { chosen: runtime.name, settings: runtime.settings, flatMeans },
    inDomain: { rows: inDomain, testRows: total, accuracy: round(right / total), adaptedAccuracy: round(rightAdapted / total) },
  };
  writeFileSync(metricsPath, JSON.stringify(metrics, null, 2) + '\n');
  console.log(`tables written to ${metricsPath}`);
}
if (!runtimeMatches) process.exitCode = 1;
