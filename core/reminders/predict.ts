/**
 * When a member will want a product again, and how likely they are to buy at all: pure functions over purchase
 * history, shared by the bot (core/reminders) and the `purchases:predict` command line. No database, no clock.
 *
 * Next orders: per product, how long a unit lasts across its buyers (robust, in log space); per member, their own
 * pace drawn toward the product's while they have little history (product-pace.ts, pace.ts); quantities scale the
 * time; "bought elsewhere" answers reset the clock. Churn: the restock model (restock-churn.ts), a BG/NBD whose
 * clock between orders is the member's regular pace per product; `model: 'bgnbd'` gives the plain BG/NBD
 * (bgnbd.ts). The choices and their
 * measured figures are in docs/decisions/009-repurchase-predictions.md.
 */
import { bgNbdExpectedPurchases, bgNbdProbabilityNone, fitBgNbd } from './bgnbd.js';
import { DAY_MS, orderDaysByMember, repeatSummary, type OrderDays } from './order-days.js';
import { fitGroupPace, memberPace, mostLikelyWindowStart } from './pace.js';
import { pairPaces, type PairPace } from './product-pace.js';
import { fitRestockChurn, forecastRestock, type RestockMember } from './restock-churn.js';
import { median } from './special-functions.js';
import type { ProductFacts, PurchaseFact } from './purchase-fact.js';

export type { ProductFacts, PurchaseFact } from './purchase-fact.js';

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

/** Per member and consumable product with history before `asOf`: when they will order again. */
export function predictNextOrders(
  history: readonly PurchaseFact[],
  products: ReadonlyMap<string, ProductFacts>,
  asOf: Date,
  options: NextOrderOptions = {},
): NextOrder[] {
  const windowDays = options.windowDays ?? 7;
  return pairPaces(history, products, asOf).map(({ memberId, product, pace, lastAt, lastUnits, basis }) => {
    const forLast = { location: pace.location + Math.log(lastUnits), predictiveSd: pace.predictiveSd };
    const start = mostLikelyWindowStart(forLast, (asOf.getTime() - lastAt) / DAY_MS, windowDays);
    return {
      memberId,
      product,
      nextOrderAt: new Date(lastAt + start * DAY_MS),
      medianOrderAt: new Date(lastAt + Math.exp(forLast.location) * DAY_MS),
      unitDays: Math.exp(pace.location),
      basis,
    };
  });
}

/** Below this chance of still buying at all, a member gets no next-order date (`nextOrderAt: null`). */
export const PROBABLY_GONE = 0.1;

/** Options of {@link predictChurn}. */
export interface ChurnOptions {
  /** `restock` (default): drop-out with the members' regular paces; `bgnbd`: the plain BG/NBD, for comparison. */
  model?: 'restock' | 'bgnbd';
}

/** Per member with a purchase before `asOf`: the chance of no purchase within `horizonDays`, and expected orders. */
export function predictChurn(history: readonly PurchaseFact[], asOf: Date, horizonDays: number, options: ChurnOptions = {}): ChurnRisk[] {
  const members = orderDaysByMember(history, asOf);
  if (members.length === 0) return [];
  const paces = pairPaces(history, new Map(), asOf);
  const nextByMember = new Map<string, number>();
  for (const order of predictNextOrders(history, new Map(), asOf)) {
    const at = order.nextOrderAt.getTime();
    nextByMember.set(order.memberId, Math.min(at, nextByMember.get(order.memberId) ?? at));
  }
  const describe = (m: OrderDays) => {
    const intervals = m.days.slice(1).map((d, i) => d - m.days[i]!);
    return {
      memberId: m.memberId,
      usualIntervalDays: intervals.length ? median(intervals) : null,
      daysSinceLast: (asOf.getTime() - m.lastAt.getTime()) / DAY_MS,
    };
  };
  const nextOf = (memberId: string) => {
    const next = nextByMember.get(memberId);
    return next === undefined ? null : new Date(next);
  };

  if (options.model === 'bgnbd') {
    const params = fitBgNbd(members.map((m) => repeatSummary(m, asOf)));
    return members.map((m) => ({
      ...describe(m),
      churnRisk: bgNbdProbabilityNone(params, repeatSummary(m, asOf), horizonDays),
      expectedOrders: bgNbdExpectedPurchases(params, repeatSummary(m, asOf), horizonDays),
      nextOrderAt: nextOf(m.memberId),
    }));
  }

  const restockMembers = restockStreams(members, history, paces, asOf);
  const model = fitRestockChurn(restockMembers);
  return restockMembers.map((member, i) => {
    const m = members[i]!;
    const forecast = forecastRestock(model, member, horizonDays);
    const gone = forecast.probabilityActive < PROBABLY_GONE;
    let nextOrderAt = nextOf(m.memberId);
    if (!nextOrderAt && member.streams.length) {
      const stream = member.streams[0]!;
      nextOrderAt = new Date(m.lastAt.getTime() + mostLikelyWindowStart(stream.next, stream.elapsedDays, 7) * DAY_MS);
    }
    return {
      ...describe(m),
      churnRisk: forecast.churnRisk,
      expectedOrders: forecast.expectedOrders,
      nextOrderAt: gone ? null : nextOrderAt,
      probabilityActive: forecast.probabilityActive,
    };
  });
}

/**
 * Each member's restock streams: one per product when every order of theirs has a product with a known pace;
 * otherwise one stream of all their order days, with the pace of the group's order days (what a product-less or
 * one-of-a-kind history allows).
 */
function restockStreams(members: readonly OrderDays[], history: readonly PurchaseFact[], paces: readonly PairPace[], asOf: Date): RestockMember[] {
  const byMember = new Map<string, PairPace[]>();
  for (const pace of paces) byMember.set(pace.memberId, [...(byMember.get(pace.memberId) ?? []), pace]);
  const known = new Set(paces.map((p) => `${p.memberId}\u0000${p.product}`));
  const unexplained = new Set<string>();
  for (const p of history) {
    if (p.at.getTime() > asOf.getTime() || p.source === 'elsewhere') continue;
    if (!p.product || !known.has(`${p.memberId}\u0000${p.product}`)) unexplained.add(p.memberId);
  }
  const orderDayLogs = (m: OrderDays) => m.days.slice(1).map((d, i) => Math.log(d - m.days[i]!));
  const orderDayGroup = fitGroupPace(members.map(orderDayLogs));

  return members.map((m) => {
    const repeats = m.days.length - 1;
    const own = byMember.get(m.memberId);
    if (own && !unexplained.has(m.memberId)) {
      const streams = own.map(({ pace, lastAt, lastUnits, usualUnits }) => ({
        next: { location: pace.location + Math.log(lastUnits), predictiveSd: pace.predictiveSd },
        later: { location: pace.location + Math.log(usualUnits), predictiveSd: pace.predictiveSd },
        elapsedDays: (asOf.getTime() - lastAt) / DAY_MS,
      }));
      return { memberId: m.memberId, repeats, streams };
    }
    if (!orderDayGroup) return { memberId: m.memberId, repeats, streams: [] };
    const pace = memberPace(orderDayGroup, orderDayLogs(m));
    return { memberId: m.memberId, repeats, streams: [{ next: pace, later: pace, elapsedDays: (asOf.getTime() - m.lastAt.getTime()) / DAY_MS }] };
  });
}
