/**
 * How long something lasts for one member, learned from their own intervals and drawn toward the group's while
 * they have few: an empirical-Bayes normal model in log space, made robust to the odd long gap (a holiday, a
 * restock bought elsewhere) by Huber means and median absolute deviations.
 *
 * Log space because paces multiply: a household that eats twice as fast halves every interval, and a late order
 * is long by a share of the interval rather than a fixed number of days.
 */
import { median, normalCdf } from './special-functions.js';

/** MAD of a normal sample is 0.6745 σ. */
const MAD_TO_SD = 1.4826;
/** Huber's tuning constant: values within 1.5 scale units count fully, beyond it their pull is capped. */
const HUBER_K = 1.5;

/** What a group (a product's buyers, or all members) says about paces, in natural-log days. */
export interface GroupPace {
  /** Robust centre of the members' log paces. */
  location: number;
  /** Spread of one member's intervals around their own pace. */
  withinSd: number;
  /** Spread of paces between members. */
  betweenSd: number;
  /** Members with at least one interval, the evidence behind it. */
  members: number;
}

/** One member's pace: the posterior of their log pace, and the spread of their next log interval. */
export interface MemberPace {
  location: number;
  /** Standard deviation of the next log interval: their own scatter plus what is still unknown of their pace. */
  predictiveSd: number;
  /** Weight of the member's own intervals in `location` (0: the group's, 1: their own). */
  ownWeight: number;
}

/** Defaults for a group too small to measure its own spreads: paces of regular restocks seen in the simulator. */
export const DEFAULT_SPREADS = { withinSd: 0.35, betweenSd: 0.4 } as const;

/** A location estimate that ignores how far outliers lie beyond `k` scale units (Huber's M-estimator). */
export function huberMean(values: readonly number[], scale: number): number {
  let centre = median(values);
  // Two values have no outlier to tell apart (their median is their mean).
  if (values.length < 3 || !(scale > 0)) return centre;
  for (let iteration = 0; iteration < 20; iteration++) {
    let weighted = 0;
    let total = 0;
    for (const v of values) {
      const distance = Math.abs(v - centre);
      const w = distance <= HUBER_K * scale ? 1 : (HUBER_K * scale) / distance;
      weighted += w * v;
      total += w;
    }
    const next = weighted / total;
    if (Math.abs(next - centre) < 1e-9) return next;
    centre = next;
  }
  return centre;
}

function robustSd(deviations: readonly number[]): number {
  return MAD_TO_SD * median(deviations.map(Math.abs));
}

/**
 * Fits a group from each member's log intervals (members without intervals are ignored). `fallback` gives the
 * spreads when the group is too small to measure them (fewer than 5 intervals beyond members' first, or fewer
 * than 4 members).
 */
export function fitGroupPace(memberLogIntervals: readonly (readonly number[])[], fallback: Pick<GroupPace, 'withinSd' | 'betweenSd'> = DEFAULT_SPREADS): GroupPace | undefined {
  const members = memberLogIntervals.filter((list) => list.length > 0);
  if (members.length === 0) return undefined;

  // Within: each member's deviations from their own median, inflated for the degree of freedom the median took.
  const residuals: number[] = [];
  for (const list of members) {
    if (list.length < 2) continue;
    const centre = median(list);
    const inflate = Math.sqrt(list.length / (list.length - 1));
    for (const v of list) residuals.push((v - centre) * inflate);
  }
  // A member with two intervals has residuals ±d/2 twice: count the evidence as intervals beyond each first.
  const withinEvidence = members.reduce((s, list) => s + list.length - 1, 0);
  const withinSd = withinEvidence >= 5 ? Math.max(0.03, robustSd(residuals)) : fallback.withinSd;

  const centres = members.map((list) => huberMean(list, withinSd));
  const location = huberMean(centres, Math.max(0.05, robustSd(centres.map((c) => c - median(centres)))));
  let betweenSd = fallback.betweenSd;
  if (members.length >= 4) {
    const spread = robustSd(centres.map((c) => c - location));
    const meanInverseCount = members.reduce((s, list) => s + 1 / list.length, 0) / members.length;
    // The centres' spread holds each member's own noise too (σ²/n on average): take it out, keep a floor.
    betweenSd = Math.sqrt(Math.max(0.05 ** 2, spread ** 2 - withinSd ** 2 * meanInverseCount));
  }
  return { location, withinSd, betweenSd, members: members.length };
}

/** A member's pace: their robust mean log interval shrunk toward the group's by the usual normal-normal weight. */
export function memberPace(group: Pick<GroupPace, 'location' | 'withinSd' | 'betweenSd'>, logIntervals: readonly number[]): MemberPace {
  const n = logIntervals.length;
  if (n === 0) {
    return { location: group.location, predictiveSd: Math.hypot(group.withinSd, group.betweenSd), ownWeight: 0 };
  }
  const own = huberMean(logIntervals, group.withinSd);
  const precisionOwn = n / group.withinSd ** 2;
  const precisionGroup = 1 / group.betweenSd ** 2;
  const ownWeight = precisionOwn / (precisionOwn + precisionGroup);
  const posteriorVariance = 1 / (precisionOwn + precisionGroup);
  return {
    location: ownWeight * own + (1 - ownWeight) * group.location,
    predictiveSd: Math.sqrt(group.withinSd ** 2 + posteriorVariance),
    ownWeight,
  };
}

/** P(next interval > days) under a member's log-normal predictive. */
export function survival(pace: Pick<MemberPace, 'location' | 'predictiveSd'>, days: number): number {
  if (days <= 0) return 1;
  return 1 - normalCdf((Math.log(days) - pace.location) / pace.predictiveSd);
}

/**
 * The start of the `windowDays`-long stretch, no earlier than `elapsedDays` after the last purchase, in which the
 * next purchase is most likely (days after the last purchase). Reminding at its start reaches the member in the
 * days before they run out, and a member already late is reminded now or when they most likely turn up, not on a
 * date already past.
 */
export function mostLikelyWindowStart(pace: Pick<MemberPace, 'location' | 'predictiveSd'>, elapsedDays: number, windowDays: number): number {
  const cdf = (days: number) => 1 - survival(pace, days);
  const mass = (start: number) => cdf(start + windowDays) - cdf(start);
  const from = Math.max(0, elapsedDays);
  const to = Math.max(from, Math.exp(pace.location + 4 * pace.predictiveSd));
  const step = Math.max(0.25, (to - from) / 800);
  let best = from;
  let bestMass = mass(from);
  for (let start = from + step; start <= to; start += step) {
    const m = mass(start);
    if (m > bestMass) [best, bestMass] = [start, m];
  }
  // Refine around the grid's best to a tenth of an hour.
  let [lo, hi] = [Math.max(from, best - step), best + step];
  while (hi - lo > 0.004) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (mass(a) < mass(b)) lo = a;
    else hi = b;
  }
  const refined = (lo + hi) / 2;
  return mass(from) >= mass(refined) ? from : refined;
}
