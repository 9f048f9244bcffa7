/**
 * A simulated group of households that restock consumables at their own pace, for the reminder and churn
 * benchmarks (bench/reminders.bench.ts) and the calibration tests. Each household:
 * - buys one to three products, each lasting its own time per unit (the product's, times a household factor:
 *   big families eat through everything faster), with some noise per restock;
 * - orders its usual quantity (1-3 units), sometimes one more or one fewer;
 * - reorders a few days before running out (its own habit, 0-4 days), keeping what is left; sometimes late
 *   (20% of restocks, about 5 days), sometimes restocks elsewhere and the group never sees it (5%);
 * - leaves after an order with its own small probability (a beta-distributed drop-out, as the BG/NBD assumes),
 *   and one in six drifts away: after a while its intervals stretch before it goes.
 * Households join over the first months, so ages and history lengths vary.
 */
import type { PurchaseFact } from '../../core/reminders/predict.js';
import { seededRandom, type Random } from './random.js';

const DAY_MS = 86_400_000;
export const SIMULATION_EPOCH = Date.UTC(2025, 0, 1);

/** Products and the days one unit lasts for a typical household. */
export const CATALOGUE: readonly { key: string; unitDays: number; price: number }[] = [
  { key: 'milk-900g', unitDays: 12, price: 189 },
  { key: 'diapers-l', unitDays: 8, price: 99 },
  { key: 'cat-food-2kg', unitDays: 18, price: 79 },
  { key: 'tissues-12', unitDays: 20, price: 39.9 },
  { key: 'coffee-500g', unitDays: 15, price: 88 },
  { key: 'rice-5kg', unitDays: 25, price: 59 },
  { key: 'detergent-3kg', unitDays: 35, price: 45 },
];

export interface HouseholdOptions {
  seed: number;
  households: number;
  /** Days of history before `asOf` (the group's start is day 0). */
  historyDays: number;
  /** Days simulated after `asOf`, to know each household's true next orders. */
  futureDays: number;
}

export interface SimulatedGroup {
  /** Every purchase, before and after `asOf`, in time order. */
  purchases: PurchaseFact[];
  asOf: Date;
}

interface Stock {
  key: string;
  unitDays: number;
  price: number;
  runsOutAt: number;
  nextOrderAt: number;
}

export function simulateHouseholds(options: HouseholdOptions): SimulatedGroup {
  const random = seededRandom(options.seed);
  const end = options.historyDays + options.futureDays;
  const purchases: PurchaseFact[] = [];
  for (let h = 0; h < options.households; h++) purchases.push(...simulateOne(random, `h${h}`, options.historyDays, end));
  purchases.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { purchases, asOf: new Date(SIMULATION_EPOCH + options.historyDays * DAY_MS) };
}

function simulateOne(random: Random, memberId: string, historyDays: number, end: number): PurchaseFact[] {
  const joinedAt = random.next() * (historyDays - 30);
  const householdPace = Math.exp(random.normal(0, 0.3));
  const usualQuantity = random.next() < 0.6 ? 1 : random.next() < 0.75 ? 2 : 3;
  const earlyDays = random.next() * 4;
  const dropOut = random.beta(1.2, 18);
  const drifts = random.next() < 1 / 6;
  const driftFrom = joinedAt + random.next() * (end - joinedAt);

  const count = 1 + (random.next() < 0.5 ? 1 : 0) + (random.next() < 0.25 ? 1 : 0);
  const shuffled = [...CATALOGUE];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const chosen = shuffled.slice(0, count);
  const stocks: Stock[] = chosen.map((p) => {
    const first = joinedAt + random.next() * 10;
    return { ...p, unitDays: p.unitDays * householdPace * Math.exp(random.normal(0, 0.15)), runsOutAt: first, nextOrderAt: first };
  });

  const out: PurchaseFact[] = [];
  let lastOrderDay = -1;
  for (;;) {
    const stock = stocks.reduce((a, b) => (b.nextOrderAt < a.nextOrderAt ? b : a));
    const at = stock.nextOrderAt;
    if (at >= end) break;
    const quantity = Math.max(1, usualQuantity + (random.next() < 0.25 ? (random.next() < 0.5 ? -1 : 1) : 0));
    const drift = drifts && at > driftFrom ? 1.04 ** ((at - driftFrom) / 7) : 1;
    const lasts = quantity * stock.unitDays * drift * Math.exp(random.normal(0, 0.12));
    stock.runsOutAt = Math.max(stock.runsOutAt, at) + lasts;
    const late = random.next() < 0.2 ? random.exponential(1 / 5) : 0;
    stock.nextOrderAt = Math.max(at + 1, stock.runsOutAt - earlyDays + late);

    if (random.next() < 0.05) continue; // restocked elsewhere: the group never sees this order
    const hour = 8 + random.next() * 14;
    out.push({
      memberId,
      product: stock.key,
      quantity,
      amount: Math.round(stock.price * quantity * 100) / 100,
      at: new Date(SIMULATION_EPOCH + (Math.floor(at) + hour / 24) * DAY_MS),
      source: 'buy',
    });
    const day = Math.floor(at);
    if (day !== lastOrderDay && random.next() < dropOut) break;
    lastOrderDay = day;
  }
  return out;
}
