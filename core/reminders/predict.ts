/**
 * When a member will want a product again, and how likely they are to buy at all: pure functions over purchase
 * history, shared by the bot (core/reminders) and the `purchases:predict` command line. No database, no clock.
 *
 * Next orders: per product, how long a unit lasts across its buyers (robust, in log space); per member, their own
 * pace drawn toward the product's while they have little history (pace.ts); quantities scale the time; "bought
 * elsewhere" answers reset the clock. Churn: the restock model (restock-churn.ts), a BG/NBD whose clock between
 * orders is the member's regular pace; `model: 'bgnbd'` gives the plain BG/NBD (bgnbd.ts). The choices and their
 * measured figures are in docs/decisions/009-repurchase-predictions.md.
 */
import { bgNbdExpectedPurchases, bgNbdProbabilityNone, fitBgNbd } from './bgnbd.js';
import { DAY_MS, orderDaysByMember, repeatSummary } from './order-days.js';
import { DEFAULT_SPREADS, fitGroupPace, memberPace, mostLikelyWindowStart, type GroupPace } from './pace.js';
import { fitRestockChurn, forecastRestock } from './restock-churn.js';
import { median } from './special-functions.js';
import type { PurchaseFact } from './purchase-fact.js';

export type { PurchaseFact } from './purchase-fact.js';

/** What admins told the bot about a product. */
export interface ProductFacts {
  key: string;
  /** Days one unit lasts, as an admin set it (`/product <key> lasts 14d`). */
  unitDays?: number;
  /** False for durables (a rice cooker): never predicted, never reminded. */
  consumable: boolean;
}

export interface NextOrder {
  memberId: string;
  product: string;
  /**
   * When to expect the next order: the start of the week in which it is most likely (never before `asOf`), so a
   * reminder sent then arrives in the days before the member runs out.
   */
  nextOrderAt: Date;
  /** The median time of the next order given none so far (may lie before `asOf` for a member who is late). */
  medianOrderAt?: Date;
  /** Days one unit lasts for this member, as predicted. */
  unitDays: number;
  /** Where the pace came from: the member's own history, the product's across buyers, or what the admin set. */
  basis: 'member' | 'product' | 'admin';
}

export interface ChurnRisk {
  memberId: string;
  /** Probability of no purchase within the horizon. */
  churnRisk: number;
  /** Expected number of distinct purchase days within the horizon. */
  expectedOrders: number;
  /**
   * The earliest of the member's predicted next orders (per product, else from their order days); null when the
   * member has most likely left (restock model: P(active) below {@link PROBABLY_GONE}) or nothing predicts it.
   */
  nextOrderAt: Date | null;
  /** The member's usual days between orders, when they have at least two. */
  usualIntervalDays: number | null;
  daysSinceLast: number | null;
  /** The chance the member still buys at all (the models' P(active)), when the model gives one. */
  probabilityActive?: number;
}


/** Options of {@link predictNextOrders}. */
export interface NextOrderOptions {
  /** Length of the stretch `nextOrderAt` opens (default 7 days). */
  windowDays?: number;
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

/** Per member and consumable product with history before `asOf`: when they will order again. */
export function predictNextOrders(
  history: readonly PurchaseFact[],
  products: ReadonlyMap<string, ProductFacts>,
  asOf: Date,
  options: NextOrderOptions = {},
): NextOrder[] {
  const windowDays = options.windowDays ?? 7;
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

  const out: NextOrder[] = [];
  for (const { memberId, product, restocks, logs } of pairs) {
    const adminDays = products.get(product)?.unitDays;
    const fitted = groups.get(product);
    if (!fitted && !(adminDays && adminDays > 0)) continue;
    // What the admin set is the product's pace; the buyers' spreads (or the usual ones) stay.
    const group = adminDays && adminDays > 0 ? { ...(fitted ?? groups.get('') ?? DEFAULT_SPREADS), location: Math.log(adminDays) } : fitted!;
    const pace = memberPace(group, logs);
    const last = restocks.at(-1)!;
    const forLast = { location: pace.location + Math.log(last.units), predictiveSd: pace.predictiveSd };
    const elapsed = (asOf.getTime() - last.at) / DAY_MS;
    const start = mostLikelyWindowStart(forLast, elapsed, windowDays);
    out.push({
      memberId,
      product,
      nextOrderAt: new Date(last.at + start * DAY_MS),
      medianOrderAt: new Date(last.at + Math.exp(forLast.location) * DAY_MS),
      unitDays: Math.exp(pace.location),
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

/** Below this chance of still buying at all, a member gets no next-order date (`nextOrderAt: null`). */
export const PROBABLY_GONE = 0.1;

/** Options of {@link predictChurn}. */
export interface ChurnOptions {
  /** `restock` (default): drop-out with the member's regular pace; `bgnbd`: the plain BG/NBD, for comparison. */
  model?: 'restock' | 'bgnbd';
}

/** Per member with a purchase before `asOf`: the chance of no purchase within `horizonDays`, and expected orders. */
export function predictChurn(history: readonly PurchaseFact[], asOf: Date, horizonDays: number, options: ChurnOptions = {}): ChurnRisk[] {
  const members = orderDaysByMember(history, asOf);
  if (members.length === 0) return [];
  const nextByProduct = new Map<string, number>();
  for (const order of predictNextOrders(history, new Map(), asOf)) {
    const at = order.nextOrderAt.getTime();
    nextByProduct.set(order.memberId, Math.min(at, nextByProduct.get(order.memberId) ?? at));
  }
  const describe = (m: (typeof members)[number]) => {
    const intervals = m.days.slice(1).map((d, i) => d - m.days[i]!);
    return {
      memberId: m.memberId,
      usualIntervalDays: intervals.length ? median(intervals) : null,
      daysSinceLast: (asOf.getTime() - m.lastAt.getTime()) / DAY_MS,
    };
  };

  if (options.model === 'bgnbd') {
    const params = fitBgNbd(members.map((m) => repeatSummary(m, asOf)));
    return members.map((m) => {
      const summary = repeatSummary(m, asOf);
      const next = nextByProduct.get(m.memberId);
      return {
        ...describe(m),
        churnRisk: bgNbdProbabilityNone(params, summary, horizonDays),
        expectedOrders: bgNbdExpectedPurchases(params, summary, horizonDays),
        nextOrderAt: next === undefined ? null : new Date(next),
      };
    });
  }

  const model = fitRestockChurn(members, asOf);
  return members.map((m) => {
    const next = nextByProduct.get(m.memberId);
    if (!model) {
      // Nobody has ordered twice: nothing to learn a pace or a drop-out rate from.
      return { ...describe(m), churnRisk: 1, expectedOrders: 0, nextOrderAt: next === undefined ? null : new Date(next) };
    }
    const forecast = forecastRestock(model, m, asOf, horizonDays);
    const ownNext = m.lastAt.getTime() + forecast.nextOrderInDays * DAY_MS;
    const gone = forecast.probabilityActive < PROBABLY_GONE;
    return {
      ...describe(m),
      churnRisk: forecast.churnRisk,
      expectedOrders: forecast.expectedOrders,
      nextOrderAt: gone ? null : new Date(next ?? ownNext),
      probabilityActive: forecast.probabilityActive,
    };
  });
}
