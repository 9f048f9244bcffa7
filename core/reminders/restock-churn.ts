/**
 * Churn risk for members who restock: the BG/NBD's beta-geometric drop-out after each order, but with the
 * member's own regular pace between orders (a log-normal interval learned with shrinkage, pace.ts) in place of
 * its memoryless Poisson clock. A household that orders every 20 days and has been silent for 25 is probably
 * just late; silent for 60 it has probably gone. The Poisson clock cannot tell those apart; this one can.
 *
 * Per member with x repeat order days and e days since the last:
 *   L(a, b) = E_p[(1-p)^x (p + (1-p) S(e))] = [B(a+1, b+x) + B(a, b+x+1) S(e)] / B(a, b),
 * with S the survival of their next interval. (a, b) are fitted by maximum likelihood on the group's history;
 * the intervals' own likelihood does not involve (a, b), so the paces are fitted first, apart.
 */
import { fitGroupPace, memberPace, mostLikelyWindowStart, survival, type GroupPace, type MemberPace } from './pace.js';
import { lnBeta } from './special-functions.js';
import { nelderMead } from './nelder-mead.js';
import { DAY_MS, type OrderDays } from './order-days.js';

export interface RestockChurnModel {
  /** Beta drop-out prior: the chance of leaving after an order has mean a / (a + b). */
  a: number;
  b: number;
  group: GroupPace;
}

export interface RestockForecast {
  churnRisk: number;
  expectedOrders: number;
  probabilityActive: number;
  /** Days after the last order at which the most likely week for the next one starts. */
  nextOrderInDays: number;
  pace: MemberPace;
}

interface MemberEvidence {
  repeats: number;
  elapsedDays: number;
  pace: MemberPace;
}

const logIntervals = (days: readonly number[]) => days.slice(1).map((d, i) => Math.log(d - days[i]!));

function evidence(group: GroupPace, member: OrderDays, asOf: Date): MemberEvidence {
  return {
    repeats: member.days.length - 1,
    elapsedDays: (asOf.getTime() - member.lastAt.getTime()) / DAY_MS,
    pace: memberPace(group, logIntervals(member.days)),
  };
}

/** Fits paces and the drop-out prior on the members' order days up to `asOf`; undefined without any repeat order. */
export function fitRestockChurn(members: readonly OrderDays[], asOf: Date): RestockChurnModel | undefined {
  const group = fitGroupPace(members.map((m) => logIntervals(m.days)));
  if (!group) return undefined;
  const data = members.map((m) => {
    const e = evidence(group, m, asOf);
    return { x: e.repeats, silent: survival(e.pace, e.elapsedDays) };
  });
  const negativeLogLikelihood = ([la, lb]: number[]) => {
    const a = Math.exp(la!);
    const b = Math.exp(lb!);
    const base = lnBeta(a, b);
    let sum = 0;
    for (const { x, silent } of data) {
      const left = Math.exp(lnBeta(a + 1, b + x) - base);
      const stayed = Math.exp(lnBeta(a, b + x + 1) - base);
      sum += Math.log(left + stayed * silent);
    }
    return -sum / data.length;
  };
  const found = nelderMead(negativeLogLikelihood, [0, Math.log(5)], { maxIterations: 1000, tolerance: 1e-10 });
  return { a: Math.exp(found.point[0]!), b: Math.exp(found.point[1]!), group };
}

/** Daily probabilities of an interval of j days (j = 1..maxDays); intervals under a day count as one. */
function intervalMasses(pace: MemberPace, maxDays: number): Float64Array {
  const masses = new Float64Array(maxDays + 1);
  let previous = 0;
  for (let j = 1; j <= maxDays; j++) {
    const cdf = 1 - survival(pace, j + 0.5);
    masses[j] = cdf - previous;
    previous = cdf;
  }
  return masses;
}

/** A member's churn risk and expected order days in the next `horizonDays`. */
export function forecastRestock(model: RestockChurnModel, member: OrderDays, asOf: Date, horizonDays: number): RestockForecast {
  const { repeats: x, elapsedDays: e, pace } = evidence(model.group, member, asOf);
  const { a, b } = model;
  const silent = survival(pace, e);
  // P(active) = B(a, b+x+1) S / (B(a+1, b+x) + B(a, b+x+1) S), and B(a+1, b+x) / B(a, b+x+1) = a / (b+x).
  const probabilityActive = silent / (a / (b + x) + silent);
  const noneIfActive = silent > 0 ? survival(pace, e + horizonDays) / silent : 1;
  const churnRisk = 1 - probabilityActive + probabilityActive * noneIfActive;

  // Renewal on a daily grid: first order day k given silence so far, then further orders each after surviving
  // the drop-out chance, whose posterior mean given an active member is a / (a + b + x + 1).
  const days = Math.max(1, Math.ceil(horizonDays));
  const stay = 1 - a / (a + b + x + 1);
  const masses = intervalMasses(pace, days);
  const renewal = new Float64Array(days + 1);
  let expectedIfActive = 0;
  for (let k = 1; k <= days; k++) {
    const first = silent > 0 ? (survival(pace, e + k - 1) - survival(pace, e + k)) / silent : 0;
    let later = 0;
    for (let j = 1; j < k; j++) later += renewal[j]! * masses[k - j]!;
    renewal[k] = first + stay * later;
    expectedIfActive += Math.min(1, renewal[k]!);
  }
  return {
    churnRisk,
    expectedOrders: probabilityActive * expectedIfActive,
    probabilityActive,
    nextOrderInDays: mostLikelyWindowStart(pace, e, 7),
    pace,
  };
}
