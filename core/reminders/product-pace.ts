/**
 * Each member's pace per product: the days one unit lasts, learned from the intervals between their restocks
 * (per unit bought), drawn toward the product's pace across its buyers (pace.ts). Shared by the next-order
 * predictions and the churn model, so both read a member's history the same way.
 */
import { DAY_MS } from './order-days.js';
import { DEFAULT_SPREADS, fitGroupPace, memberPace, type GroupPace, type MemberPace } from './pace.js';
import type { ProductFacts, PurchaseFact } from './purchase-fact.js';
import { median } from './special-functions.js';

/** A member's pace for one product, and where their stock stands. */
export interface PairPace {
  memberId: string;
  product: string;
  /** Log days per unit, with its predictive spread. */
  pace: MemberPace;
  /** When the clock last restarted (a purchase or a "bought elsewhere" answer), epoch ms. */
  lastAt: number;
  lastUnits: number;
  /** The member's usual quantity of the product (median), for restocks yet to come. */
  usualUnits: number;
  basis: 'member' | 'product' | 'admin';
}

/** One member's purchases of one product, same-day purchases merged. */
interface Restock {
  at: number;
  units: number;
  elsewhere: boolean;
}

function restocksOf(purchases: PurchaseFact[]): Restock[] {
  purchases.sort((a, b) => a.at.getTime() - b.at.getTime());
  const bought = purchases.filter((p) => p.source !== 'elsewhere').map((p) => positiveOr(p.quantity, 1));
  const usual = bought.length ? median(bought) : 1;
  const out: Restock[] = [];
  for (const p of purchases) {
    const elsewhere = p.source === 'elsewhere';
    const units = positiveOr(p.quantity, elsewhere ? usual : 1);
    const previous = out.at(-1);
    // Two orders within a day are one restock (a second sign-up, a changed quantity).
    if (previous && !elsewhere && !previous.elsewhere && p.at.getTime() - previous.at < DAY_MS) previous.units += units;
    else out.push({ at: p.at.getTime(), units, elsewhere });
  }
  return out;
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Log days per unit between consecutive restocks bought in the group (an "elsewhere" answer bounds no interval). */
function logUnitIntervals(restocks: readonly Restock[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < restocks.length; i++) {
    const [previous, next] = [restocks[i - 1]!, restocks[i]!];
    if (previous.elsewhere || next.elsewhere) continue;
    out.push(Math.log((next.at - previous.at) / DAY_MS / previous.units));
  }
  return out;
}

/**
 * Pace per member and consumable product with purchases up to `asOf`. Pairs whose product nobody has bought
 * twice, and which the admin gave no `unitDays`, are left out: nothing says how long it lasts.
 */
export function pairPaces(history: readonly PurchaseFact[], products: ReadonlyMap<string, ProductFacts>, asOf: Date): PairPace[] {
  const byPair = new Map<string, PurchaseFact[]>();
  for (const p of history) {
    if (!p.product || p.at.getTime() > asOf.getTime()) continue;
    if (products.get(p.product)?.consumable === false) continue;
    const key = `${p.memberId}\u0000${p.product}`;
    const list = byPair.get(key);
    if (list) list.push(p);
    else byPair.set(key, [p]);
  }
  const pairs = [...byPair.values()].map((list) => {
    const restocks = restocksOf(list);
    return { memberId: list[0]!.memberId, product: list[0]!.product!, restocks, logs: logUnitIntervals(restocks) };
  });

  const byProduct = new Map<string, number[][]>();
  for (const pair of pairs) byProduct.set(pair.product, [...(byProduct.get(pair.product) ?? []), pair.logs]);
  const groups = fitProductPaces(byProduct);

  const out: PairPace[] = [];
  for (const { memberId, product, restocks, logs } of pairs) {
    const adminDays = products.get(product)?.unitDays;
    const fitted = groups.get(product);
    if (!fitted && !(adminDays && adminDays > 0)) continue;
    // What the admin set is the product's pace; the buyers' spreads (or the usual ones) stay.
    const group = adminDays && adminDays > 0 ? { ...(fitted ?? groups.get('') ?? DEFAULT_SPREADS), location: Math.log(adminDays) } : fitted!;
    const pace = memberPace(group, logs);
    const last = restocks.at(-1)!;
    const bought = restocks.filter((r) => !r.elsewhere).map((r) => r.units);
    out.push({
      memberId,
      product,
      pace,
      lastAt: last.at,
      lastUnits: last.units,
      usualUnits: bought.length ? median(bought) : last.units,
      basis: pace.ownWeight >= 0.5 ? 'member' : adminDays ? 'admin' : 'product',
    });
  }
  return out;
}

/**
 * Each product's pace across its buyers. A product with few buyers borrows the spreads of the others (under the
 * key `''`, the median spreads of the products that could measure theirs).
 */
function fitProductPaces(byProduct: ReadonlyMap<string, number[][]>): Map<string, GroupPace | Pick<GroupPace, 'withinSd' | 'betweenSd' | 'location'>> {
  const measured = [...byProduct.values()].map((lists) => fitGroupPace(lists)).filter((g): g is GroupPace => !!g && g.members >= 4);
  const spreads = measured.length
    ? { withinSd: median(measured.map((g) => g.withinSd)), betweenSd: median(measured.map((g) => g.betweenSd)) }
    : DEFAULT_SPREADS;
  const out = new Map<string, GroupPace | Pick<GroupPace, 'withinSd' | 'betweenSd' | 'location'>>([['', { ...spreads, location: 0 }]]);
  for (const [product, lists] of byProduct) {
    const group = fitGroupPace(lists, spreads);
    if (group) out.set(product, group);
  }
  return out;
}

