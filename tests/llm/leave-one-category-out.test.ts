/**
 * The nested leave-one-category-out protocol (llm/offline/leave-one-category-out.ts) and the table it wrote to
 * metrics.json (`npm run eval:loco -- --write`, reported in docs/decisions/003): the choice for a held-out category
 * cannot depend on that category's labels, a small nested run on four categories chooses adaptation from the inner
 * runs and it beats no adaptation on the held-out ones, and the stored table matches the data, the code's
 * candidates and the bot's setting, with one category's figures re-computed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADAPTATION, ADAPTATION_CANDIDATES, SELF_TRAINING, type AdaptationSettings } from '../../llm/offline/domain-adaptation.js';
import {
  categoriesOf, chooseCandidate, encodeRows, halves, inductiveAccuracy, loadCategorisedRows, nestedLeaveOneCategoryOut,
  trainWithout, transductiveAccuracy, type EncodedRow,
} from '../../llm/offline/leave-one-category-out.js';
import { METRICS_FILE } from '../../llm/offline/model-files.js';
import { defaultDataDir, hasSentimentData } from '../../llm/offline/sentiment-data.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = defaultDataDir(projectRoot);
const metrics = JSON.parse(readFileSync(join(projectRoot, 'llm', 'offline', METRICS_FILE), 'utf8'));
// train:sentiment writes metrics.json afresh: run `npm run eval:loco -- --write` after it.
const loco = (metrics.leaveOneCategoryOut ?? { table: [] }) as {
  protocol: string;
  options: { epochs: number; learningRate: number; l2: number; bits: number; seed: number };
  candidates: unknown;
  innerCap: number;
  table: { category: string; rows: number; accuracy: number; chosen: string; innerMean: number; transductive: number; inductive: number; innerMeans: Record<string, number> }[];
  runtime: { chosen: string; settings: AdaptationSettings | null };
};

describe('chooseCandidate', () => {
  it('takes the best mean over the inner categories, not the best single one', () => {
    expect(chooseCandidate([[0.9, 0.99], [0.9, 0.7], [0.9, 0.8]])).toBe(0);
    expect(chooseCandidate([[0.8, 0.85], [0.8, 0.82]])).toBe(1);
  });

  it('gives a tie to the earlier candidate', () => {
    expect(chooseCandidate([[0.5, 0.6, 0.6]])).toBe(1);
  });
});

describe('halves', () => {
  it('splits by position into two disjoint halves that cover the rows, the same for the same seed', () => {
    const rows = Array.from({ length: 11 }, (_, i) => i);
    const [a, b] = halves(rows, 7);
    expect(a.length).toBe(5);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(rows);
    expect(halves(rows, 7)).toEqual([a, b]);
    expect(halves(rows, 8)).not.toEqual([a, b]);
  });
});

describe.skipIf(!hasSentimentData(dataDir))(`the nested protocol on the labelled data in ${dataDir}`, () => {
  const all = loadCategorisedRows(dataDir);
  // Four of the small categories keep it fast: two outer categories, each with three inner ones.
  const subset = new Set(['书籍', '计算机', '蒙牛', '手机']);
  const training = { epochs: 4, learningRate: 0.3, l2: 1e-5, bits: 18, seed: 1 };
  const rows = encodeRows(all.filter((r) => subset.has(r.category)), training.bits);
  const candidates = [ADAPTATION_CANDIDATES[0]!, { name: 'self-training', settings: SELF_TRAINING }];
  const options = { training, candidates, innerCap: 1000, outers: ['书籍', '计算机'] };

  it('chooses from the inner runs, and what it chooses beats no adaptation on the held-out categories', () => {
    const results = nestedLeaveOneCategoryOut(rows, options);
    expect(results.map((r) => r.category)).toEqual(['书籍', '计算机']);
    for (const r of results) {
      expect(Object.keys(r.innerMeans)).toEqual(['none', 'self-training']);
      expect(r.innerMean).toBe(Math.max(...Object.values(r.innerMeans)));
      expect(r.transductive, r.category).toBeGreaterThan(r.accuracy);
      expect(r.inductive, r.category).toBeGreaterThan(r.accuracy);
    }
  }, 120_000);

  it("never reads the held-out category's labels to choose: flipping them all changes no inner score", () => {
    const flipped: EncodedRow[] = rows.map((r) => (r.category === '书籍' ? { ...r, label: r.label === 1 ? 0 : 1 } : r));
    const run = (rs: EncodedRow[]) => nestedLeaveOneCategoryOut(rs, { ...options, outers: ['书籍'] })[0]!;
    const [a, b] = [run(rows), run(flipped)];
    expect(b.innerMeans).toEqual(a.innerMeans);
    expect(b.chosen).toBe(a.chosen);
    // ... while its own score does read them.
    expect(b.accuracy).toBeCloseTo(1 - a.accuracy, 10);
  }, 120_000);
});

describe('the leave-one-category-out table in metrics.json', () => {
  it('was measured with the nested protocol and the shipped model settings (after training, run `npm run eval:loco -- --write`)', () => {
    const { epochs, learningRate, l2, bits } = metrics.chosen.zh;
    expect(loco.protocol).toBe('nested');
    expect(loco.options).toEqual({ epochs, learningRate, l2, bits, seed: metrics.trainingSeed });
  });

  it('chose among the candidates the code declares, and the bot runs the one chosen over all categories', () => {
    expect(loco.candidates).toEqual(JSON.parse(JSON.stringify(ADAPTATION_CANDIDATES)));
    const names = ADAPTATION_CANDIDATES.map((c) => c.name);
    for (const t of loco.table) {
      expect(names).toContain(t.chosen);
      expect(Object.keys(t.innerMeans)).toEqual(names);
      expect(t.innerMean).toBe(Math.max(...Object.values(t.innerMeans)));
    }
    expect(loco.runtime.settings).toEqual(ADAPTATION);
  });

  describe.skipIf(!hasSentimentData(dataDir))(`against the labelled data in ${dataDir}`, () => {
    const all = loadCategorisedRows(dataDir);

    it('has every Chinese category once, with its row count', () => {
      const counts = new Map<string, number>();
      for (const r of all) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
      expect(loco.table.map((t) => t.category).sort()).toEqual(categoriesOf(all).sort());
      for (const t of loco.table) expect(t.rows).toBe(counts.get(t.category));
    });

    it("re-computes the worst transductive category's figures with the candidate its inner runs chose", () => {
      const worst = loco.table.reduce((a, b) => (b.transductive < a.transductive ? b : a));
      const rows = encodeRows(all, loco.options.bits);
      const model = trainWithout(rows, [worst.category], loco.options);
      const heldOut = rows.filter((r) => r.category === worst.category);
      const settings = ADAPTATION_CANDIDATES.find((c) => c.name === worst.chosen)!.settings;
      expect(transductiveAccuracy(model, heldOut, null)).toBeCloseTo(worst.accuracy, 4);
      expect(transductiveAccuracy(model, heldOut, settings)).toBeCloseTo(worst.transductive, 4);
      expect(inductiveAccuracy(model, heldOut, settings)).toBeCloseTo(worst.inductive, 4);
    }, 300_000);
  });
});
