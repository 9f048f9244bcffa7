/**
 * The BG/NBD customer-base model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
 * active a member buys as a Poisson process with a gamma-distributed rate (r, α), and after each purchase drops
 * out with a beta-distributed probability (a, b). Fitted by maximum likelihood on a group's own history; kept as
 * the literature's baseline beside the restock model (restock-churn.ts), which knows that households buy
 * periodically rather than at random.
 *
 * Time is in days. A member's summary is (x, tx, T): repeat purchase days, the age of the last purchase day and
 * of the observation, both counted from the first purchase day.
 */
import { hypergeometric2F1, lnBeta, lnGamma } from './special-functions.js';
import { nelderMead } from './nelder-mead.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One member's purchase summary, in days from their first purchase day. */
export interface RepeatSummary {
  /** Repeat purchases (distinct days after the first). */
  x: number;
  /** When the last one was. */
  tx: number;
  /** How long the member has been observed. */
  T: number;
}

/** The log-likelihood of one member's summary (equation 6 of the paper, in its numerically stable form). */
export function bgNbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: RepeatSummary): number {
  const common = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + lnBeta(a, b + x) - lnBeta(a, b);
  const stillActive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + stillActive;
  // B(a+1, b+x-1) / B(a, b+x) = a / (b + x - 1)
  const droppedAtLast = Math.log(a / (b + x - 1)) - (r + x) * Math.log(alpha + tx);
  const top = Math.max(stillActive, droppedAtLast);
  return common + top + Math.log(Math.exp(stillActive - top) + Math.exp(droppedAtLast - top));
}

/** Fits the four parameters by maximum likelihood (Nelder-Mead on their logarithms). */
export function fitBgNbd(members: readonly RepeatSummary[]): BgNbdParams & { logLikelihood: number; converged: boolean } {
  if (members.length === 0) throw new RangeError('BG/NBD needs at least one member');
  const toParams = ([lr, la, lA, lB]: number[]): BgNbdParams => ({ r: Math.exp(lr!), alpha: Math.exp(la!), a: Math.exp(lA!), b: Math.exp(lB!) });
  const negativeLogLikelihood = (point: number[]) => {
    const params = toParams(point);
    let sum = 0;
    for (const member of members) sum += bgNbdLogLikelihood(params, member);
    return -sum / members.length;
  };
  const meanAge = members.reduce((s, m) => s + m.T, 0) / members.length;
  const meanRepeats = members.reduce((s, m) => s + m.x, 0) / members.length;
  let start = [0, Math.log(Math.max(1, meanAge / (meanRepeats + 1))), 0, Math.log(3)];
  // Restarting from the first optimum lets the simplex escape a collapsed shape; a third run changes nothing in tests.
  let found = nelderMead(negativeLogLikelihood, start, { maxIterations: 2000, tolerance: 1e-10 });
  start = found.point;
  found = nelderMead(negativeLogLikelihood, start, { maxIterations: 2000, tolerance: 1e-10, step: 0.2 });
  return { ...toParams(found.point), logLikelihood: -found.value * members.length, converged: found.converged };
}

/** P(still active | summary) (Fader, Hardie & Lee 2008, note 021). */
export function bgNbdProbabilityActive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: RepeatSummary): number {
  if (x === 0) return 1;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/** Expected purchases in the next `t` days given the summary (equation 10 of the paper). */
export function bgNbdExpectedPurchases(params: BgNbdParams, summary: RepeatSummary, t: number): number {
  const { r, alpha, a, b } = params;
  const { x, T } = summary;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const hyper = hypergeometric2F1(r + x, b + x, c, z);
  const ifActive = (c / (a - 1)) * (1 - hyper * ((alpha + T) / (alpha + T + t)) ** (r + x));
  if (x === 0) return ifActive;
  // Same quantity as the paper's denominator form: P(active) times the expectation for an active member.
  return ifActive * bgNbdProbabilityActive(params, summary);
}

/**
 * P(no purchase in the next `t` days | summary): a member who dropped out buys nothing; an active one's rate is
 * gamma(r + x, α + T) given the history, so the chance of a silent `t` days is ((α+T)/(α+T+t))^(r+x).
 */
export function bgNbdProbabilityNone(params: BgNbdParams, summary: RepeatSummary, t: number): number {
  const active = bgNbdProbabilityActive(params, summary);
  const silentIfActive = ((params.alpha + summary.T) / (params.alpha + summary.T + t)) ** (params.r + summary.x);
  return 1 - active + active * silentIfActive;
}
