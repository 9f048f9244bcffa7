/** A price tier: from `minUnits` units on, everyone pays `priceCents` per unit. */
export interface Tier {
  minUnits: number;
  priceCents: number;
}

/** The unit price for a number of units taken: the lowest tier reached, else the base price. */
export function priceFor(units: number, basePriceCents: number, tiers: readonly Tier[]): number {
  let price = basePriceCents;
  for (const tier of tiers) if (units >= tier.minUnits) price = Math.min(price, tier.priceCents);
  return price;
}

/** The next tier not yet reached, with how many more units it needs. */
export function nextTier(units: number, tiers: readonly Tier[]): { tier: Tier; more: number } | undefined {
  const tier = [...tiers].sort((a, b) => a.minUnits - b.minUnits).find((t) => t.minUnits > units);
  return tier ? { tier, more: tier.minUnits - units } : undefined;
}

/** Index of the highest tier reached (-1: none), to announce crossings. */
export function tierIndex(units: number, tiers: readonly Tier[]): number {
  let index = -1;
  tiers.forEach((t, i) => {
    if (units >= t.minUnits) index = i;
  });
  return index;
}
