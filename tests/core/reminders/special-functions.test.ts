import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../../core/reminders/nelder-mead.js';
import { hypergeometric2F1, lnBeta, lnGamma, median, normalCdf } from '../../../core/reminders/special-functions.js';

describe('special functions', () => {
  it('lnGamma matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362_880), 10);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
    expect(lnGamma(0.1)).toBeCloseTo(2.252712651734206, 10);
  });

  it('lnBeta is the log of Γ(a)Γ(b)/Γ(a+b)', () => {
    expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 12);
  });

  it('normalCdf gives the familiar quantiles', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  it('2F1(1, 1; 2; z) = -ln(1 - z) / z, and refuses z outside [0, 1)', () => {
    for (const z of [0.1, 0.5, 0.9]) expect(hypergeometric2F1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(RangeError);
  });

  it('median takes the middle, or the mean of the two middles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const rosenbrock = ([x, y]: number[]) => (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2;
    const found = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5000, tolerance: 1e-14 });
    expect(found.point[0]).toBeCloseTo(1, 3);
    expect(found.point[1]).toBeCloseTo(1, 3);
  });

  it('treats non-finite values as worse than any, so it stays inside a model\'s domain', () => {
    const found = nelderMead(([x]: number[]) => (x! <= 0 ? NaN : (Math.log(x!) - 1) ** 2), [1, 0], { maxIterations: 2000 });
    expect(found.point[0]).toBeCloseTo(Math.E, 3);
  });
});
