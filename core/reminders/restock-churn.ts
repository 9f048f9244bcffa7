/**
 * Churn risk for members who restock: the BG/NBD's beta-geometric drop-out after each order day, but with each
 * product's regular pace (product-pace.ts: days per unit, quantities, the member's own habit) in place of its
 * memoryless Poisson clock. A household that runs out of milk every 20 days and has been silent for 25 is
 * probably just late; silent for 60 it has probably gone. The Poisson clock cannot tell those apart; this can.
 *
 * A member's stock is a set of streams, one per product, each with a log-normal time to the next restock. While
 * the member is active the streams run independently, so the chance of silence so far is S = Π S_p(e_p). Per
 * member with x repeat order days:
 *   L(a, b) = E_p[(1-p)^x (p + (1-p) S)] = [B(a+1, b+x) + B(a, b+x+1) S] / B(a, b),
 * and (a, b) and the share of irregular intervals are fitted by maximum likelihood on the group's history (the
 * paces' own likelihood does not involve them, so the paces are fitted first, apart).
 */
import { lnBeta } from './special-functions.js';
import { nelderMead } from './nelder-mead.js';
import { survival } from './pace.js';

/** A log-normal time in days: ln T ~ N(location, predictiveSd²). */
export interface LogNormalDays {
  location: number;
  predictiveSd: number;
}

/** One thing the member restocks (a product, or all their orders when nothing better is known). */
export interface RestockStream {
  /** Time from the last restock to the next one. */
  next: LogNormalDays;
  /** Time between the restocks after that (the usual quantity). */
  later: LogNormalDays;
  /** Days since the last restock. */
  elapsedDays: number;
}

export interface RestockMember {
  memberId: string;
  /** Order days after the first. */
  repeats: number;
  streams: RestockStream[];
}

/**
 * Beta drop-out prior: the chance of leaving after an order day has mean a / (a + b). `irregular`: the share of
 * intervals that follow no pace (a holiday, a restock bought elsewhere), drawn from a log-normal twice as wide
 * (the width was chosen on the bench's simulated groups; the share is fitted).
 */
export interface RestockChurnModel {
  a: number;
  b: number;
  irregular: number;
}

const WIDE = 2;

/** Survival of an interval under the pace, with the irregular share's heavier tail. */
function streamSurvival(pace: LogNormalDays, days: number, irregular: number): number {
  const wide = { location: pace.location, predictiveSd: pace.predictiveSd * WIDE };
  return (1 - irregular) * survival(pace, days) + irregular * survival(wide, days);
}

export interface RestockForecast {
  churnRisk: number;
  expectedOrders: number;
  probabilityActive: number;
}

const silentSoFar = (streams: readonly RestockStream[], irregular: number) =>
  streams.reduce((s, stream) => s * streamSurvival(stream.next, stream.elapsedDays, irregular), 1);

/** Fits the drop-out prior by maximum likelihood. */
export function fitRestockChurn(members: readonly RestockMember[]): RestockChurnModel {
  const toModel = ([la, lb, li]: number[]): RestockChurnModel => ({ a: Math.exp(la!), b: Math.exp(lb!), irregular: 1 / (1 + Math.exp(-li!)) });
  const negativeLogLikelihood = (point: number[]) => {
    const { a, b, irregular } = toModel(point);
    const base = lnBeta(a, b);
    let sum = 0;
    for (const m of members) {
      const x = m.repeats;
      sum += Math.log(Math.exp(lnBeta(a + 1, b + x) - base) + Math.exp(lnBeta(a, b + x + 1) - base) * silentSoFar(m.streams, irregular));
    }
    return -sum / members.length;
  };
  const found = nelderMead(negativeLogLikelihood, [0, Math.log(5), -3], { maxIterations: 1500, tolerance: 1e-10 });
  return toModel(found.point);
}

/** Daily probabilities of an interval of j days (j = 1..maxDays), intervals under a day and a half counted as one. */
function intervalMasses(pace: LogNormalDays, maxDays: number, irregular: number): Float64Array {
  const masses = new Float64Array(maxDays + 1);
  let previous = 0;
  for (let j = 1; j <= maxDays; j++) {
    const cdf = 1 - streamSurvival(pace, j + 0.5, irregular);
    masses[j] = cdf - previous;
    previous = cdf;
  }
  return masses;
}

/**
 * Expected restocks of one stream in the next `days`, on a daily grid: the first given silence so far, then each
 * further one after surviving the drop-out chance (`stay`).
 */
function expectedRestocks(stream: RestockStream, days: number, stay: number, irregular: number): number {
  const { next, later, elapsedDays: e } = stream;
  const survive = (d: number) => streamSurvival(next, d, irregular);
  const silent = survive(e);
  if (!(silent > 0)) return 0;
  const masses = intervalMasses(later, days, irregular);
  const renewal = new Float64Array(days + 1);
  let total = 0;
  for (let k = 1; k <= days; k++) {
    let further = 0;
    for (let j = 1; j < k; j++) further += renewal[j]! * masses[k - j]!;
    renewal[k] = (survive(e + k - 1) - survive(e + k)) / silent + stay * further;
    total += renewal[k]!;
  }
  return total;
}

/** A member's churn risk and expected order days in the next `horizonDays`. */
export function forecastRestock({ a, b, irregular }: RestockChurnModel, member: RestockMember, horizonDays: number): RestockForecast {
  const x = member.repeats;
  const silent = silentSoFar(member.streams, irregular);
  // P(active) = B(a, b+x+1) S / (B(a+1, b+x) + B(a, b+x+1) S), and B(a+1, b+x) / B(a, b+x+1) = a / (b+x).
  const probabilityActive = silent / (a / (b + x) + silent);
  let noneIfActive = 1;
  for (const s of member.streams) {
    const now = streamSurvival(s.next, s.elapsedDays, irregular);
    noneIfActive *= now > 0 ? streamSurvival(s.next, s.elapsedDays + horizonDays, irregular) / now : 1;
  }
  // Given an active member, the drop-out chance's posterior mean is a / (a + b + x + 1), per order day. Between two
  // restocks of one stream the member orders for the others too: about (total rate / its rate) order days.
  const stayPerOrder = 1 - a / (a + b + x + 1);
  const rates = member.streams.map((s) => Math.exp(-s.later.location));
  const totalRate = rates.reduce((sum, r) => sum + r, 0);
  const days = Math.max(1, Math.ceil(horizonDays));
  const restocks = member.streams.reduce((sum, s, i) => sum + expectedRestocks(s, days, stayPerOrder ** (totalRate / rates[i]!), irregular), 0);
  // Streams restocked on the same day make one order day: at most one a day.
  const expectedIfActive = Math.min(restocks, days);
  return {
    churnRisk: 1 - probabilityActive + probabilityActive * noneIfActive,
    expectedOrders: probabilityActive * expectedIfActive,
    probabilityActive,
  };
}
