/** A seeded random source for the simulators: the same seed gives the same world on every machine. */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  normal(mean?: number, sd?: number): number;
  /** Gamma with shape k and rate (not scale) `rate`. */
  gamma(shape: number, rate?: number): number;
  beta(a: number, b: number): number;
  exponential(rate: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast and good enough for simulation (not for secrets). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean = 0, sd = 1) => {
    const u = 1 - next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  // Marsaglia & Tsang (2000); shapes below one by the boost Γ(k) = Γ(k+1) U^(1/k).
  const gamma = (shape: number, rate = 1): number => {
    if (shape < 1) return gamma(shape + 1, rate) * (1 - next()) ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = normal();
      const v = (1 + c * z) ** 3;
      if (v <= 0) continue;
      const u = 1 - next();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
    }
  };
  return {
    next,
    normal,
    gamma,
    beta: (a, b) => {
      const x = gamma(a);
      return x / (x + gamma(b));
    },
    exponential: (rate) => -Math.log(1 - next()) / rate,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}
