/**
 * When a member will want a product again, and how likely they are to buy at all: pure functions over purchase
 * history, shared by the bot (core/reminders) and the `purchases:predict` command line. No database, no clock.
 *
 * This first version is deliberately simple (median intervals per unit); the prediction work of issue 10 replaces
 * the bodies, keeping these signatures.
 */

const DAY_MS = 86_400_000;

/** One purchase as the predictors see it. */
export interface PurchaseFact {
  memberId: string;
  /** The product key (e.g. `milk-900g`); purchases without one are only counted for churn. */
  product?: string;
  at: Date;
  /** Units bought (default 1): two cans last about twice as long as one. */
  quantity?: number;
  amount?: number;
  /**
   * `buy`: a purchase through a group buy; `elsewhere`: the member answered a reminder with "already bought" (it
   * resets the clock like a purchase of one unit).
   */
  source?: 'buy' | 'elsewhere';
}

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
  /** When the member is predicted to run out and order again. */
  nextOrderAt: Date;
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
  nextOrderAt: Date | null;
  /** The member's usual days between orders, when they have at least two. */
  usualIntervalDays: number | null;
  daysSinceLast: number | null;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Days per unit between consecutive purchases of one member and product. */
function unitIntervals(purchases: PurchaseFact[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < purchases.length; i++) {
    const prev = purchases[i - 1]!;
    const days = (purchases[i]!.at.getTime() - prev.at.getTime()) / DAY_MS;
    if (days > 0) out.push(days / Math.max(1, prev.quantity ?? 1));
  }
  return out;
}

/** Per member and consumable product with history before `asOf`: when they will order again. */
export function predictNextOrders(history: readonly PurchaseFact[], products: ReadonlyMap<string, ProductFacts>, asOf: Date): NextOrder[] {
  const byPair = new Map<string, PurchaseFact[]>();
  for (const p of history) {
    if (!p.product || p.at.getTime() > asOf.getTime()) continue;
    if (products.get(p.product)?.consumable === false) continue;
    const key = `${p.memberId}\u0000${p.product}`;
    byPair.set(key, [...(byPair.get(key) ?? []), p]);
  }
  const productIntervals = new Map<string, number[]>();
  for (const list of byPair.values()) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime());
    const product = list[0]!.product!;
    productIntervals.set(product, [...(productIntervals.get(product) ?? []), ...unitIntervals(list)]);
  }
  const out: NextOrder[] = [];
  for (const list of byPair.values()) {
    const last = list.at(-1)!;
    const product = last.product!;
    const own = unitIntervals(list);
    const shared = productIntervals.get(product) ?? [];
    const admin = products.get(product)?.unitDays;
    const [unitDays, basis] =
      own.length >= 2 ? [median(own), 'member' as const] : admin ? [admin, 'admin' as const] : shared.length ? [median(shared), 'product' as const] : [undefined, undefined];
    if (unitDays === undefined || basis === undefined) continue;
    const units = last.source === 'elsewhere' ? 1 : Math.max(1, last.quantity ?? 1);
    out.push({ memberId: last.memberId, product, nextOrderAt: new Date(last.at.getTime() + unitDays * units * DAY_MS), unitDays, basis });
  }
  return out;
}

/** Per member with a purchase before `asOf`: the chance of no purchase within `horizonDays`, and expected orders. */
export function predictChurn(history: readonly PurchaseFact[], asOf: Date, horizonDays: number): ChurnRisk[] {
  const days = new Map<string, number[]>();
  for (const p of history) {
    if (p.at.getTime() > asOf.getTime() || p.source === 'elsewhere') continue;
    const day = Math.floor(p.at.getTime() / DAY_MS);
    const list = days.get(p.memberId) ?? [];
    if (!list.includes(day)) list.push(day);
    days.set(p.memberId, list);
  }
  const out: ChurnRisk[] = [];
  for (const [memberId, list] of days) {
    list.sort((a, b) => a - b);
    const intervals = list.slice(1).map((d, i) => d - list[i]!);
    const usual = intervals.length ? median(intervals) : null;
    const daysSinceLast = asOf.getTime() / DAY_MS - list.at(-1)!;
    const rate = usual ? 1 / usual : 1 / 60;
    // A memoryless first guess: fewer orders expected the longer past the usual interval the member is.
    const overdue = usual ? Math.max(0, daysSinceLast - usual) / usual : 0;
    const expectedOrders = rate * horizonDays * Math.exp(-overdue);
    out.push({
      memberId,
      churnRisk: Math.exp(-expectedOrders),
      expectedOrders,
      nextOrderAt: usual ? new Date((list.at(-1)! + usual) * DAY_MS) : null,
      usualIntervalDays: usual,
      daysSinceLast,
    });
  }
  return out;
}
