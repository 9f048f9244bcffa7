/**
 * Keeps the leave-one-category-out table in metrics.json (written by `npm run eval:loco -- --write`, reported in
 * docs/decisions/003) honest: its categories and row counts are the data's, it was measured with the shipped
 * model's settings and the bot's adaptation settings, and the worst category's figures (without and with
 * adaptation) are re-computed here with the same code (about 10 s on one core).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADAPTATION } from '../../llm/offline/domain-adaptation.js';
import { categoriesOf, evaluateHeldOutCategory, loadCategorisedRows } from '../../llm/offline/leave-one-category-out.js';
import { METRICS_FILE } from '../../llm/offline/model-files.js';
import { defaultDataDir, hasSentimentData } from '../../llm/offline/sentiment-data.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = defaultDataDir(projectRoot);
const metrics = JSON.parse(readFileSync(join(projectRoot, 'llm', 'offline', METRICS_FILE), 'utf8'));
// train:sentiment writes metrics.json afresh: run `npm run eval:loco -- --write` after it.
const loco = (metrics.leaveOneCategoryOut ?? { options: undefined, table: [] }) as {
  options: { epochs: number; learningRate: number; l2: number; bits: number; seed: number };
  adaptation: unknown;
  table: { category: string; rows: number; accuracy: number; testRows: number; testAccuracy: number; adaptedAccuracy: number; adaptedTestAccuracy: number }[];
};

describe('the leave-one-category-out table in metrics.json', () => {
  it('was measured with the shipped model settings (after training, run `npm run eval:loco -- --write`)', () => {
    const { epochs, learningRate, l2, bits } = metrics.chosen.zh;
    expect(loco.options).toEqual({ epochs, learningRate, l2, bits, seed: metrics.trainingSeed });
  });

  it('was adapted with the settings the bot uses', () => {
    expect(loco.adaptation).toEqual(ADAPTATION);
  });

  it('meets the 0.88 goal for every held-out category once adapted to its unlabelled texts', () => {
    for (const t of loco.table) expect(t.adaptedAccuracy, t.category).toBeGreaterThanOrEqual(0.88);
  });

  describe.skipIf(!hasSentimentData(dataDir))(`against the labelled data in ${dataDir}`, () => {
    const rows = loadCategorisedRows(dataDir);

    it('has every Chinese category once, with its row count', () => {
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
      expect(loco.table.map((t) => t.category).sort()).toEqual(categoriesOf(rows).sort());
      for (const t of loco.table) expect(t.rows).toBe(counts.get(t.category));
    });

    it("re-computes the worst adapted category's figures, without and with adaptation", () => {
      const worst = loco.table.reduce((a, b) => (b.adaptedAccuracy < a.adaptedAccuracy ? b : a));
      const result = evaluateHeldOutCategory(rows, worst.category, loco.options, ADAPTATION);
      expect(result.accuracy).toBeCloseTo(worst.accuracy, 4);
      expect(result.testAccuracy).toBeCloseTo(worst.testAccuracy, 4);
      expect(result.adaptedAccuracy).toBeCloseTo(worst.adaptedAccuracy, 4);
      expect(result.adaptedTestAccuracy).toBeCloseTo(worst.adaptedTestAccuracy, 4);
    }, 300_000);
  });
});
