/**
 * Leave-one-category-out evaluation of the Chinese sentiment model: how it does on a review domain it never saw
 * (fresh produce, dairy, ... are what group buys sell, and the shopping corpus has each as a category). For each
 * category the model is trained, with the training code and settings of the shipped model, on the train +
 * validation rows of every other category, and scored on all rows of the held-out one. Used by
 * scripts/eval-loco.ts and by the test that re-checks the figures in metrics.json.
 */
import { adaptModel, domainText, type AdaptationSettings } from './domain-adaptation.js';
import { encodeText } from './linear-model.js';
import { loadSplit, type LabelledText } from './sentiment-data.js';
import { accuracy, trainLogistic, type TrainingExample, type TrainingOptions } from './train-logistic.js';

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

export interface HeldOutResult {
  category: string;
  /** All rows of the category (train, validation and test splits): the model saw none of them. */
  rows: number;
  accuracy: number;
  /** The category's rows in the shipped model's test split, scored apart. */
  testRows: number;
  testAccuracy: number;
  trainRows: number;
  /**
   * With `adaptation`: the held-out model adapted (self-training) to the category's texts, never its labels.
   * Transductive: adapted on all rows' texts and scored on all rows (the bot adapts to a group's stored reviews and
   * tags those reviews).
   */
  adaptedAccuracy?: number;
  /** Inductive: adapted on the texts of the rows outside the test split, scored on the test-split rows it never saw. */
  adaptedTestAccuracy?: number;
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

/** Categories in first-seen order. */
export function categoriesOf(rows: readonly CategorisedRow[]): string[] {
  return [...new Set(rows.map((r) => r.category))];
}

/**
 * Trains without `category` (on the other categories' train + validation rows, as the shipped model is trained on
 * train + validation) and scores every row of `category`.
 */
export function evaluateHeldOutCategory(
  rows: readonly CategorisedRow[],
  category: string,
  options: TrainingOptions,
  adaptation?: AdaptationSettings,
): HeldOutResult {
  const encode = (r: CategorisedRow): TrainingExample => ({ ...encodeText(r.text, 'zh', options.bits), label: r.label });
  const train = rows.filter((r) => r.category !== category && !r.inTestSplit).map(encode);
  const heldOut = rows.filter((r) => r.category === category);
  const model = trainLogistic(train, options);
  const all = heldOut.map(encode);
  const test = heldOut.filter((r) => r.inTestSplit).map(encode);
  const result: HeldOutResult = {
    category,
    rows: all.length,
    accuracy: accuracy(model, all),
    testRows: test.length,
    testAccuracy: accuracy(model, test),
    trainRows: train.length,
  };
  if (adaptation) {
    // Only the texts go in (domainText): adaptation cannot see a label.
    const texts = (rs: readonly CategorisedRow[]) => rs.map((r) => domainText(r.text, options.bits));
    result.adaptedAccuracy = accuracy(adaptModel(model, texts(heldOut), adaptation), all);
    result.adaptedTestAccuracy = accuracy(adaptModel(model, texts(heldOut.filter((r) => !r.inTestSplit)), adaptation), test);
  }
  return result;
}
