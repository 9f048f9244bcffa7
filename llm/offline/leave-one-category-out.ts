/**
 * Leave-one-category-out evaluation of the Chinese sentiment model: how it does on a review domain it never saw
 * (fresh produce, dairy, ... are what group buys sell, and the shopping corpus has each as a category), without and
 * with adaptation to the domain's unlabelled texts. Models are trained with the training code and settings of the
 * shipped model on the train + validation rows of the categories kept in, and scored on all rows of a held-out one.
 *
 * The adaptation setting is chosen by a **nested** protocol, so no figure reported for a category was tuned on
 * that category's labels: for a held-out (outer) category C, each other category D is held out in turn from a
 * model trained without C and D, adapted to D's texts with every candidate, and scored on D's labels; the candidate
 * with the best mean over the D is then applied once to C. Pair models are symmetric (trained without C and D), so
 * the 90 inner runs need 45 trainings. Used by scripts/eval-loco.ts and the tests.
 */
import { createHash } from 'node:crypto';
import { adaptModel, domainText, type AdaptationCandidate, type AdaptationSettings, type DomainText } from './domain-adaptation.js';
import { margin, type LanguageModel } from './linear-model.js';
import { loadSplit, mulberry32, shuffleInPlace, type LabelledText } from './sentiment-data.js';
import { trainLogistic, type TrainingOptions } from './train-logistic.js';

/**
 * The hotel reviews of the shopping corpus (酒店) and ChnSentiCorp are one domain (and share texts), so they are held
 * out together, under this name.
 */
export const HOTEL_CATEGORY = '酒店';

/** One Chinese review with its category and whether it sits in the shipped model's test split. */
export interface CategorisedRow extends LabelledText {
  category: string;
  inTestSplit: boolean;
}

/** A row encoded once (ids and adaptable ids, see domainText): every training and adaptation reuses it. */
export interface EncodedRow extends DomainText {
  label: 0 | 1;
  category: string;
  inTestSplit: boolean;
}

/** The Chinese rows of both corpora, each with its category (ChnSentiCorp rows count as hotels). */
export function loadCategorisedRows(dataDir: string): CategorisedRow[] {
  const out: CategorisedRow[] = [];
  for (const name of ['zh_shopping', 'zh_hotel'] as const) {
    const split = loadSplit(dataDir, name);
    for (const part of ['train', 'validation', 'test'] as const) {
      for (const row of split[part]) {
        out.push({ ...row, category: row.category ?? HOTEL_CATEGORY, inTestSplit: part === 'test' });
      }
    }
  }
  return out;
}

export function encodeRows(rows: readonly CategorisedRow[], bits: number): EncodedRow[] {
  return rows.map((r) => ({ ...domainText(r.text, bits), label: r.label, category: r.category, inTestSplit: r.inTestSplit }));
}

/** Categories in first-seen order. */
export function categoriesOf(rows: readonly { category: string }[]): string[] {
  return [...new Set(rows.map((r) => r.category))];
}

/** Trains on the train + validation rows (as the shipped model is trained) of every category not in `excluded`. */
export function trainWithout(rows: readonly EncodedRow[], excluded: readonly string[], options: TrainingOptions): LanguageModel {
  const out = new Set(excluded);
  return trainLogistic(rows.filter((r) => !out.has(r.category) && !r.inTestSplit), options);
}

function accuracyOn(model: LanguageModel, rows: readonly EncodedRow[]): number {
  let right = 0;
  for (const r of rows) if ((margin(model, r) >= 0 ? 1 : 0) === r.label) right++;
  return rows.length ? right / rows.length : 0;
}

/** The texts only: what adaptation is given (a label cannot reach it). */
function textsOf(rows: readonly EncodedRow[]): DomainText[] {
  return rows.map((r) => ({ ids: r.ids, ...(r.adaptable ? { adaptable: r.adaptable } : {}) }));
}

/** Transductive: `model` adapted to the rows' texts (none with `settings` null), scored on the same rows. */
export function transductiveAccuracy(model: LanguageModel, rows: readonly EncodedRow[], settings: AdaptationSettings | null): number {
  return accuracyOn(settings ? adaptModel(model, textsOf(rows), settings) : model, rows);
}

/** A seeded half of the rows (by position, never by label) and the other half. */
export function halves<T>(rows: readonly T[], seed: number): [T[], T[]] {
  const order = rows.map((_, i) => i);
  shuffleInPlace(order, mulberry32(seed));
  const cut = Math.floor(rows.length / 2);
  return [order.slice(0, cut).sort((a, b) => a - b).map((i) => rows[i] as T), order.slice(cut).sort((a, b) => a - b).map((i) => rows[i] as T)];
}

/**
 * Inductive: adapted to the texts of one half and scored on the other half, both ways; accuracy over all rows, each
 * scored by the model that never saw its text. A half under `settings.minTexts` is not adapted (as in the bot).
 */
export function inductiveAccuracy(model: LanguageModel, rows: readonly EncodedRow[], settings: AdaptationSettings | null, seed = 1): number {
  if (!settings) return accuracyOn(model, rows);
  const [a, b] = halves(rows, seed);
  const right = accuracyOn(adaptModel(model, textsOf(a), settings), b) * b.length + accuracyOn(adaptModel(model, textsOf(b), settings), a) * a.length;
  return right / rows.length;
}

/** At most `cap` rows of a category, a seeded sample in their original order (the inner runs' size limit). */
export function capRows(rows: readonly EncodedRow[], cap: number, seed: number): EncodedRow[] {
  if (rows.length <= cap) return [...rows];
  const order = rows.map((_, i) => i);
  shuffleInPlace(order, mulberry32(seed));
  return order.slice(0, cap).sort((a, b) => a - b).map((i) => rows[i] as EncodedRow);
}

/** A stable seed from a category name (for its inner sample). */
export function categorySeed(category: string): number {
  return createHash('sha256').update(category).digest().readUInt32LE(0);
}

/**
 * Picks a candidate from inner scores (`scores[inner][candidate]`, accuracy on each inner held-out category): the
 * best mean over the inner categories; a tie goes to the earlier candidate (the list starts with no adaptation).
 * Declared before any nested run: the mean, not the worst, because the worst of nine noisy figures swings with
 * label noise in one category.
 */
export function chooseCandidate(scores: readonly (readonly number[])[]): number {
  const k = scores[0]?.length ?? 0;
  let best = 0;
  let bestMean = -1;
  for (let c = 0; c < k; c++) {
    const mean = scores.reduce((s, row) => s + (row[c] as number), 0) / scores.length;
    if (mean > bestMean + 1e-12) {
      best = c;
      bestMean = mean;
    }
  }
  return best;
}

/** Inner score of one candidate: the model trained without `outer` and `inner`, adapted to `inner`, scored on it. */
export interface InnerScore {
  outer: string;
  inner: string;
  candidate: string;
  accuracy: number;
}

/** Where the inner scores are kept between runs (keyed by a fingerprint of code and settings); optional. */
export interface InnerScoreStore {
  get(key: string): number | undefined;
  set(key: string, accuracy: number): void;
}

export interface NestedOptions {
  training: TrainingOptions;
  candidates: readonly AdaptationCandidate[];
  /** Inner held-out categories are adapted and scored on at most this many of their rows (a seeded sample). */
  innerCap: number;
  /** Outer categories to evaluate (default: all). Inner runs use every other category either way. */
  outers?: readonly string[];
  store?: InnerScoreStore;
  /** Mixed into the store keys (e.g. a hash of the code that produced the scores). */
  fingerprint?: string;
  log?: (line: string) => void;
}

export interface NestedResult {
  category: string;
  rows: number;
  /** Trained without the category, no adaptation, all rows. */
  accuracy: number;
  /** The candidate the inner runs chose, and its mean inner accuracy. */
  chosen: string;
  innerMean: number;
  /** The chosen candidate applied once to the category: transductive (all rows) and inductive (halves). */
  transductive: number;
  inductive: number;
  /** Every candidate's inner mean (for the report: how clear the choice was). */
  innerMeans: Record<string, number>;
}

/** The nested protocol for each outer category (see the file comment). */
export function nestedLeaveOneCategoryOut(rows: readonly EncodedRow[], o: NestedOptions): NestedResult[] {
  const categories = categoriesOf(rows);
  const outers = o.outers ?? categories;
  const byCategory = new Map(categories.map((c) => [c, rows.filter((r) => r.category === c)]));
  const inner = new Map(categories.map((c) => [c, capRows(byCategory.get(c) as EncodedRow[], o.innerCap, categorySeed(c))]));
  const key = (without: string, scored: string, candidate: AdaptationCandidate) =>
    JSON.stringify([o.fingerprint ?? '', o.training, o.innerCap, without, scored, candidate.settings]);
  // scores.get(outer).get(inner)[candidate]
  const scores = new Map(outers.map((c) => [c, new Map<string, number[]>()]));
  for (let i = 0; i < categories.length; i++) {
    for (let j = i + 1; j < categories.length; j++) {
      const a = categories[i] as string;
      const b = categories[j] as string;
      // (outer a, inner b) and (outer b, inner a) share the model trained without both.
      const wanted = ([[a, b], [b, a]] as const).filter(([outer]) => scores.has(outer));
      if (!wanted.length) continue;
      let model: LanguageModel | undefined;
      for (const [outer, scored] of wanted) {
        const list: number[] = [];
        for (const candidate of o.candidates) {
          const k = key(outer, scored, candidate);
          let acc = o.store?.get(k);
          if (acc === undefined) {
            model ??= trainWithout(rows, [a, b], o.training);
            acc = transductiveAccuracy(model, inner.get(scored) as EncodedRow[], candidate.settings);
            o.store?.set(k, acc);
          }
          list.push(acc);
        }
        (scores.get(outer) as Map<string, number[]>).set(scored, list);
      }
      o.log?.(`  inner: without ${a} and ${b}${model ? '' : ' (stored)'}`);
    }
  }
  const results: NestedResult[] = [];
  for (const outer of outers) {
    const innerScores = [...(scores.get(outer) as Map<string, number[]>).values()];
    const chosenIndex = chooseCandidate(innerScores);
    const chosen = o.candidates[chosenIndex] as AdaptationCandidate;
    const heldOut = byCategory.get(outer) as EncodedRow[];
    const model = trainWithout(rows, [outer], o.training);
    const innerMeans: Record<string, number> = {};
    o.candidates.forEach((c, k) => (innerMeans[c.name] = innerScores.reduce((s, r) => s + (r[k] as number), 0) / innerScores.length));
    const result: NestedResult = {
      category: outer,
      rows: heldOut.length,
      accuracy: accuracyOn(model, heldOut),
      chosen: chosen.name,
      innerMean: innerMeans[chosen.name] as number,
      transductive: transductiveAccuracy(model, heldOut, chosen.settings),
      inductive: inductiveAccuracy(model, heldOut, chosen.settings),
      innerMeans,
    };
    o.log?.(`  outer ${outer}: chose ${chosen.name} (inner mean ${result.innerMean.toFixed(4)}), ${result.accuracy.toFixed(4)} -> ${result.transductive.toFixed(4)} / ${result.inductive.toFixed(4)}`);
    results.push(result);
  }
  return results;
}
