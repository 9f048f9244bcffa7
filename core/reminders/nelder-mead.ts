/**
 * Minimises a function of a few real parameters without derivatives (Nelder & Mead 1965, with the adaptive
 * coefficients of Gao & Han 2012, which behave better beyond two dimensions). The purchase models fit two to four
 * log-parameters with it; no maintained npm optimiser is small and pure enough to be worth a dependency.
 */

export interface MinimumFound {
  point: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

export interface NelderMeadOptions {
  /** Size of the first simplex along each axis (default 0.5: the models work in log space). */
  step?: number;
  maxIterations?: number;
  /** Stop when the simplex's values differ by less than this (absolute). */
  tolerance?: number;
}

export function nelderMead(f: (x: number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): MinimumFound {
  const n = start.length;
  const step = options.step ?? 0.5;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-8;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  // A non-finite value (parameters outside the model's domain) counts as worse than any real one.
  const value = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  let simplex = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i]! += step;
    simplex.push(p);
  }
  let values = simplex.map(value);
  const along = (from: number[], to: number[], t: number) => from.map((x, i) => x + t * (to[i]! - x));

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    if (Math.abs(values[n]! - values[0]!) <= tolerance) {
      return { point: simplex[0]!, value: values[0]!, iterations, converged: true };
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;
    const worst = simplex[n]!;
    const reflected = along(centroid, worst, -alpha);
    const fr = value(reflected);
    if (fr < values[0]!) {
      const expanded = along(centroid, worst, -alpha * beta);
      const fe = value(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
      continue;
    }
    if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
      continue;
    }
    const outside = fr < values[n]!;
    const contracted = outside ? along(centroid, worst, -alpha * gamma) : along(centroid, worst, gamma);
    const fc = value(contracted);
    if (fc < (outside ? fr : values[n]!)) {
      [simplex[n], values[n]] = [contracted, fc];
      continue;
    }
    for (let i = 1; i <= n; i++) {
      simplex[i] = along(simplex[0]!, simplex[i]!, delta);
      values[i] = value(simplex[i]!);
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { point: simplex[best]!, value: values[best]!, iterations, converged: false };
}
