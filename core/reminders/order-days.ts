/** A member's purchase history reduced to the days they bought on, the unit every churn model here counts in. */
import type { PurchaseFact } from './purchase-fact.js';

export const DAY_MS = 86_400_000;

export interface OrderDays {
  memberId: string;
  /** Distinct UTC day numbers with a purchase, ascending. */
  days: number[];
  /** When the last purchase was. */
  lastAt: Date;
}

/**
 * Distinct purchase days per member up to `asOf` (inclusive). "Bought elsewhere" answers are not orders in the
 * group and are left out.
 */
export function orderDaysByMember(history: readonly PurchaseFact[], asOf: Date): OrderDays[] {
  const byMember = new Map<string, { days: Set<number>; lastAt: number }>();
  for (const p of history) {
    const at = p.at.getTime();
    if (at > asOf.getTime() || p.source === 'elsewhere') continue;
    const entry = byMember.get(p.memberId) ?? { days: new Set<number>(), lastAt: at };
    entry.days.add(Math.floor(at / DAY_MS));
    entry.lastAt = Math.max(entry.lastAt, at);
    byMember.set(p.memberId, entry);
  }
  return [...byMember].map(([memberId, { days, lastAt }]) => ({
    memberId,
    days: [...days].sort((a, b) => a - b),
    lastAt: new Date(lastAt),
  }));
}

/** The BG/NBD's summary of order days, observed up to `asOf`. */
export function repeatSummary({ days }: OrderDays, asOf: Date): { x: number; tx: number; T: number } {
  const first = days[0]!;
  return { x: days.length - 1, tx: days.at(-1)! - first, T: asOf.getTime() / DAY_MS - first };
}
