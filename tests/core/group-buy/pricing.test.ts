import { describe, expect, it } from 'vitest';
import { nextTier, priceFor, tierIndex, type Tier } from '../../../core/group-buy/pricing.js';

const tiers: Tier[] = [
  { minUnits: 20, priceCents: 3590 },
  { minUnits: 40, priceCents: 3290 },
];

describe('priceFor', () => {
  it('is the base price below the first tier', () => {
    expect(priceFor(0, 3990, tiers)).toBe(3990);
    expect(priceFor(19, 3990, tiers)).toBe(3990);
  });

  it('drops to a tier price exactly at its unit count', () => {
    expect(priceFor(20, 3990, tiers)).toBe(3590);
    expect(priceFor(39, 3990, tiers)).toBe(3590);
    expect(priceFor(40, 3990, tiers)).toBe(3290);
    expect(priceFor(500, 3990, tiers)).toBe(3290);
  });

  it('is the base price when there are no tiers', () => {
    expect(priceFor(100, 3990, [])).toBe(3990);
  });

  it('takes the lowest price reached even when tiers are listed out of order', () => {
    expect(priceFor(45, 3990, [...tiers].reverse())).toBe(3290);
  });
});

describe('nextTier', () => {
  it('names the next tier and how many more units it needs', () => {
    expect(nextTier(0, tiers)).toEqual({ tier: tiers[0], more: 20 });
    expect(nextTier(20, tiers)).toEqual({ tier: tiers[1], more: 20 });
    expect(nextTier(38, tiers)).toEqual({ tier: tiers[1], more: 2 });
  });

  it('is undefined once the last tier is reached, or without tiers', () => {
    expect(nextTier(40, tiers)).toBeUndefined();
    expect(nextTier(3, [])).toBeUndefined();
  });

  it('finds the nearest tier even when tiers are listed out of order', () => {
    expect(nextTier(5, [...tiers].reverse())).toEqual({ tier: tiers[0], more: 15 });
  });
});

describe('tierIndex', () => {
  it('is -1 below every tier and the index of the highest tier reached otherwise', () => {
    expect(tierIndex(0, tiers)).toBe(-1);
    expect(tierIndex(19, tiers)).toBe(-1);
    expect(tierIndex(20, tiers)).toBe(0);
    expect(tierIndex(40, tiers)).toBe(1);
    expect(tierIndex(41, tiers)).toBe(1);
  });
});
