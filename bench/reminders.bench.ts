/**
 * Repurchase reminders and churn risk on a simulated group of households (bench/sim/households.ts), beside
 * simple rules run in the same process. Run alone with `npx tsx bench/reminders.bench.ts`, or with every bench via
 * `npm run bench`. Fixed seeds: the figures change only when the code does.
 */
import { performance } from 'node:perf_hooks';
import { predictChurn, predictNextOrders, type PurchaseFact } from '../core/reminders/predict.js';
import { median } from '../core/reminders/special-functions.js';
import { simulateHouseholds } from './sim/households.js';
import { actualOrderDays, pairKey, scoreChurn, scoreTiming, trueNextOrders, type ChurnScore } from './sim/reminder-metrics.js';

const DAY_MS = 86_400_000;
const HORIZON_DAYS = 30;
const SEEDS = [1, 2, 3];
const HOUSEHOLDS = 1500;

const fmt = (x: number, digits = 3) => x.toFixed(digits);
const clampTo = (asOf: Date, at: number) => new Date(Math.max(asOf.getTime(), at));

/** The simple rules' view of the history: each pair's last purchase and each product's raw intervals. */
function lastPurchases(history: readonly PurchaseFact[]) {
  const last = new Map<string, number>();
  const previous = new Map<string, number>();
  const intervals = new Map<string, number[]>();
  for (const p of history) {
    if (!p.product) continue;
    const key = pairKey(p.memberId, p.product);
    const before = previous.get(key);
    if (before !== undefined) intervals.set(p.product, [...(intervals.get(p.product) ?? []), (p.at.getTime() - before) / DAY_MS]);
    previous.set(key, p.at.getTime());
    last.set(key, p.at.getTime());
  }
  return { last, intervals };
}

function daysSinceLastRule(history: readonly PurchaseFact[], asOf: Date) {
  const rows = predictChurn(history, asOf, HORIZON_DAYS);
  const usualAll = median(rows.flatMap((r) => (r.usualIntervalDays === null ? [] : [r.usualIntervalDays])));
  // Risk ranks by days since the last order; a member silent for more than twice their usual interval is counted
  // as gone, the others as ordering at their usual pace.
  return rows.map((r) => {
    const usual = r.usualIntervalDays ?? usualAll;
    const lapsed = r.daysSinceLast! > 2 * usual;
    return { memberId: r.memberId, churnRisk: r.daysSinceLast!, expectedOrders: lapsed ? 0 : HORIZON_DAYS / usual };
  });
}

const timing = { ours: [] as number[][], fixed: [] as number[][], productMedian: [] as number[][], fixedRaw: [] as number[][], productMedianRaw: [] as number[][] };
const churn = { ours: [] as ChurnScore[], bgnbd: [] as ChurnScore[], rule: [] as ChurnScore[] };
const calibration: { risk: number; churned: boolean }[] = [];
let seconds = 0;

for (const seed of SEEDS) {
  const group = simulateHouseholds({ seed, households: HOUSEHOLDS, historyDays: 365, futureDays: 365 });
  const { asOf } = group;
  const history = group.purchases.filter((p) => p.at.getTime() <= asOf.getTime());
  const truth = trueNextOrders(group.purchases, asOf);

  const started = performance.now();
  const ours = predictNextOrders(history, new Map(), asOf);
  const risks = predictChurn(history, asOf, HORIZON_DAYS);
  seconds += (performance.now() - started) / 1000;

  const { last, intervals } = lastPurchases(history);
  const productMedian = new Map([...intervals].map(([product, list]) => [product, median(list)]));
  const fixed = new Map([...last].map(([key, at]) => [key, clampTo(asOf, at + 30 * DAY_MS)]));
  const byMedian = new Map([...last].map(([key, at]) => [key, clampTo(asOf, at + (productMedian.get(key.split('\u0000')[1]!) ?? 30) * DAY_MS)]));
  const unclamped = (days: (key: string) => number) => new Map([...last].map(([key, at]) => [key, new Date(at + days(key) * DAY_MS)]));
  for (const [name, predicted] of [
    ['ours', new Map(ours.map((o) => [pairKey(o.memberId, o.product), o.nextOrderAt]))],
    ['fixed', fixed],
    ['productMedian', byMedian],
    ['fixedRaw', unclamped(() => 30)],
    ['productMedianRaw', unclamped((key) => productMedian.get(key.split('\u0000')[1]!) ?? 30)],
  ] as const) {
    const score = scoreTiming(predicted, truth);
    timing[name].push([score.inWindow, score.medianErrorDays, score.pairs]);
  }

  const actual = actualOrderDays(group.purchases, asOf, HORIZON_DAYS);
  churn.ours.push(scoreChurn(risks, actual));
  churn.bgnbd.push(scoreChurn(predictChurn(history, asOf, HORIZON_DAYS, { model: 'bgnbd' }), actual));
  churn.rule.push(scoreChurn(daysSinceLastRule(history, asOf), actual));
  for (const r of risks) calibration.push({ risk: r.churnRisk, churned: (actual.get(r.memberId) ?? 0) === 0 });
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
console.log(`reminders: ${SEEDS.length} simulated groups of ${HOUSEHOLDS} households (seeds ${SEEDS.join(', ')}), 365 days of history, as-of day 365`);
console.log(`reminders: predictions took ${fmt(seconds / SEEDS.length, 2)} s per group (next orders and churn)`);
console.log('reminders: timing, per member and product bought again: share predicted within the 7 days before the true next order, median |error|');
console.log('  (the simple rules move a date already past to as-of, as a reminder would; the last two rows keep it past)');
for (const [label, key] of [
  ['learned pace (ours)', 'ours'],
  ['fixed 30 days', 'fixed'],
  ['product median interval', 'productMedian'],
  ['fixed 30 d, past dates kept', 'fixedRaw'],
  ['product median, past kept', 'productMedianRaw'],
] as const) {
  const rows = timing[key];
  console.log(
    `  ${label.padEnd(28)} in window ${fmt(mean(rows.map((r) => r[0]!)))}  median error ${fmt(mean(rows.map((r) => r[1]!)), 1)} d  (${Math.round(mean(rows.map((r) => r[2]!)))} pairs per group)`,
  );
}
console.log(`reminders: churn within ${HORIZON_DAYS} days (no purchase day in the holdout), per member`);
for (const [label, key] of [['restock model (ours)', 'ours'], ['plain BG/NBD', 'bgnbd'], ['days-since-last rule', 'rule']] as const) {
  const rows = churn[key];
  const risk = key === 'rule' ? 'n/a (a rank, not a probability)' : fmt(mean(rows.map((r) => r.meanRisk)));
  console.log(
    `  ${label.padEnd(22)} AUC ${fmt(mean(rows.map((r) => r.auc)))}  MAE orders ${fmt(mean(rows.map((r) => r.meanAbsoluteError)))}  ` +
      `total predicted ${Math.round(mean(rows.map((r) => r.predictedTotal)))} vs actual ${Math.round(mean(rows.map((r) => r.actualTotal)))}  ` +
      `mean risk ${risk} vs churned share ${fmt(mean(rows.map((r) => r.churnedShare)))}`,
  );
}
const bins = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
const cells = bins.slice(1).map((top, i) => {
  const inBin = calibration.filter((c) => c.risk >= bins[i]! && c.risk < top);
  if (!inBin.length) return `[${bins[i]!.toFixed(1)}, ${Math.min(1, top).toFixed(1)}) none`;
  return `[${bins[i]!.toFixed(1)}, ${Math.min(1, top).toFixed(1)}) predicted ${fmt(mean(inBin.map((c) => c.risk)), 2)} actual ${fmt(inBin.filter((c) => c.churned).length / inBin.length, 2)} (n=${inBin.length})`;
});
console.log(`reminders: calibration of the restock model's churn risk: ${cells.join('; ')}`);
