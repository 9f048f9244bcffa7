/**
 * How predictions on a simulated group are scored against what the households then did: the reminder timing
 * window, errors in days, churn AUC and order counts. Shared by bench/reminders.bench.ts and the calibration tests.
 */
import type { PurchaseFact } from '../../core/reminders/predict.js';
import { median } from '../../core/reminders/special-functions.js';

const DAY_MS = 86_400_000;

/** The first purchase after `asOf` of each member and product. */
export function trueNextOrders(purchases: readonly PurchaseFact[], asOf: Date): Map<string, Date> {
  const out = new Map<string, Date>();
  for (const p of purchases) {
    if (!p.product || p.at.getTime() <= asOf.getTime()) continue;
    const key = pairKey(p.memberId, p.product);
    const known = out.get(key);
    if (!known || p.at < known) out.set(key, p.at);
  }
  return out;
}

export const pairKey = (memberId: string, product: string) => `${memberId}\u0000${product}`;

export interface TimingScore {
  pairs: number;
  /** Share of pairs whose predicted date falls within the `windowDays` before the true next purchase. */
  inWindow: number;
  medianErrorDays: number;
}

/** Scores predicted next-order dates (by pair key) against the true ones; pairs never bought again are left out. */
export function scoreTiming(predicted: ReadonlyMap<string, Date>, truth: ReadonlyMap<string, Date>, windowDays = 7): TimingScore {
  let hits = 0;
  const errors: number[] = [];
  for (const [key, actual] of truth) {
    const guess = predicted.get(key);
    if (!guess) continue;
    const early = (actual.getTime() - guess.getTime()) / DAY_MS;
    if (early >= 0 && early <= windowDays) hits++;
    errors.push(Math.abs(early));
  }
  return { pairs: errors.length, inWindow: errors.length ? hits / errors.length : 0, medianErrorDays: errors.length ? median(errors) : NaN };
}

/** Distinct purchase days per member in (asOf, asOf + horizon]. */
export function actualOrderDays(purchases: readonly PurchaseFact[], asOf: Date, horizonDays: number): Map<string, number> {
  const end = asOf.getTime() + horizonDays * DAY_MS;
  const days = new Map<string, Set<number>>();
  for (const p of purchases) {
    const at = p.at.getTime();
    if (at <= asOf.getTime() || at > end) continue;
    const set = days.get(p.memberId) ?? new Set<number>();
    set.add(Math.floor(at / DAY_MS));
    days.set(p.memberId, set);
  }
  return new Map([...days].map(([member, set]) => [member, set.size]));
}

/** Area under the ROC curve of `scores` for `positives` (ties count half): 0.5 is a coin, 1 is perfect. */
export function areaUnderCurve(scores: readonly number[], positives: readonly boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positiveCount = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (positives[order[k]![1]]) {
        rankSum += averageRank;
        positiveCount++;
      }
    }
    i = j;
  }
  const negativeCount = order.length - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) return NaN;
  return (rankSum - (positiveCount * (positiveCount + 1)) / 2) / (positiveCount * negativeCount);
}

export interface ChurnScore {
  members: number;
  auc: number;
  meanAbsoluteError: number;
  predictedTotal: number;
  actualTotal: number;
  /** Mean churn risk, and the share who really bought nothing. */
  meanRisk: number;
  churnedShare: number;
}

export function scoreChurn(rows: readonly { memberId: string; churnRisk: number; expectedOrders: number }[], actual: ReadonlyMap<string, number>): ChurnScore {
  const churned = rows.map((r) => (actual.get(r.memberId) ?? 0) === 0);
  let absolute = 0;
  let predictedTotal = 0;
  let actualTotal = 0;
  for (const r of rows) {
    const real = actual.get(r.memberId) ?? 0;
    absolute += Math.abs(r.expectedOrders - real);
    predictedTotal += r.expectedOrders;
    actualTotal += real;
  }
  return {
    members: rows.length,
    auc: areaUnderCurve(rows.map((r) => r.churnRisk), churned),
    meanAbsoluteError: absolute / rows.length,
    predictedTotal,
    actualTotal,
    meanRisk: rows.reduce((s, r) => s + r.churnRisk, 0) / rows.length,
    churnedShare: churned.filter(Boolean).length / rows.length,
  };
}
