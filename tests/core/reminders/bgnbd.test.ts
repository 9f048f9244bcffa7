import { describe, expect, it } from 'vitest';
import {
  bgNbdExpectedPurchases, bgNbdLogLikelihood, bgNbdProbabilityActive, bgNbdProbabilityNone, fitBgNbd, type BgNbdParams, type RepeatSummary,
} from '../../../core/reminders/bgnbd.js';
import { seededRandom } from '../../../bench/sim/random.js';

const PARAMS: BgNbdParams = { r: 2, alpha: 10, a: 1, b: 3 };

/** Members drawn from the BG/NBD's own story: a gamma rate, a beta drop-out chance after each purchase. */
function simulateBgNbd(params: BgNbdParams, members: number, seed: number): RepeatSummary[] {
  const random = seededRandom(seed);
  return Array.from({ length: members }, () => {
    const rate = random.gamma(params.r, params.alpha);
    const dropOut = random.beta(params.a, params.b);
    const T = 200 + random.next() * 80;
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += random.exponential(rate);
      if (t > T) break;
      x++;
      tx = t;
      if (random.next() < dropOut) break;
    }
    return { x, tx, T };
  });
}

describe('BG/NBD', () => {
  it('has the hand-computed likelihood of a member with no repeat purchase: (α / (α + T))^r', () => {
    expect(bgNbdLogLikelihood(PARAMS, { x: 0, tx: 0, T: 10 })).toBeCloseTo(Math.log(0.25), 12);
  });

  it('has the hand-computed likelihood of one repeat purchase', () => {
    // 3/4 · Γ(3)/Γ(2) · 10² / 20³ (still active) + 1/4 · Γ(3)/Γ(2) · 10² / 15³ (left after the purchase at day 5)
    const expected = 0.75 * 2 * 100 / 20 ** 3 + 0.25 * 2 * 100 / 15 ** 3;
    expect(bgNbdLogLikelihood(PARAMS, { x: 1, tx: 5, T: 10 })).toBeCloseTo(Math.log(expected), 12);
  });

  it('is sure a member without repeats is active, and less sure the longer a buyer has been silent', () => {
    expect(bgNbdProbabilityActive(PARAMS, { x: 0, tx: 0, T: 50 })).toBe(1);
    const recent = bgNbdProbabilityActive(PARAMS, { x: 4, tx: 48, T: 50 });
    const silent = bgNbdProbabilityActive(PARAMS, { x: 4, tx: 10, T: 50 });
    expect(recent).toBeGreaterThan(silent);
    expect(bgNbdProbabilityNone(PARAMS, { x: 4, tx: 48, T: 50 }, 30)).toBeLessThan(bgNbdProbabilityNone(PARAMS, { x: 4, tx: 10, T: 50 }, 30));
    expect(bgNbdProbabilityNone(PARAMS, { x: 4, tx: 48, T: 50 }, 0)).toBeCloseTo(1, 12);
  });

  it('recovers known parameters from members simulated with a fixed seed, and predicts their next purchases', () => {
    const truth: BgNbdParams = { r: 0.8, alpha: 12, a: 0.9, b: 5 };
    const members = simulateBgNbd(truth, 4000, 7);
    const fitted = fitBgNbd(members);
    expect(fitted.r).toBeGreaterThan(truth.r * 0.8);
    expect(fitted.r).toBeLessThan(truth.r * 1.25);
    // The mean purchase rate r/α is what the data pins down best.
    expect(fitted.r / fitted.alpha).toBeCloseTo(truth.r / truth.alpha, 2);
    expect(fitted.a / (fitted.a + fitted.b)).toBeGreaterThan(0.1);
    expect(fitted.a / (fitted.a + fitted.b)).toBeLessThan(0.2);
    expect(fitted.logLikelihood).toBeGreaterThan(members.reduce((s, m) => s + bgNbdLogLikelihood(truth, m), 0) - 1e-6);
    const expected = members.reduce((s, m) => s + bgNbdExpectedPurchases(fitted, m, 60), 0);
    const underTruth = members.reduce((s, m) => s + bgNbdExpectedPurchases(truth, m, 60), 0);
    expect(Math.abs(expected - underTruth) / underTruth).toBeLessThan(0.1);
  });
});
