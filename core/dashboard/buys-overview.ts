/**
 * The Buys page's read model: open and closed buys with their numbers, the fill of one buy over time against its
 * min and max, the formed/failed rate, units and revenue by week, and the order list with filters. Read through
 * the store port; the web layer only renders it (bots/dashboard/pages/buys-page.ts).
 */
import { DateTime } from 'luxon';
import { unitPriceOf, unitsTaken } from '../group-buy/buy-card.js';
import type { BuyRecord, BuyStatus, GroupRecord, SignUpView, StoreTx } from '../store.js';

/** How many of a group's newest buys the page reads. */
export const BUYS_PAGE_LIMIT = 100;
/** Weeks shown in the weekly chart (the newest ones with a formed buy). */
export const WEEKS_SHOWN = 12;

export interface OrderFilters {
  buyId?: number;
  paid?: boolean;
  delivered?: boolean;
  /** Part of the member's name or @username, any case. */
  search?: string;
}

export interface BuySummary {
  id: number;
  title: string;
  status: BuyStatus;
  minUnits: number;
  maxUnits: number;
  /** Units held by active sign-ups. */
  units: number;
  members: number;
  waitlisted: number;
  endsAt: Date;
  closedAt: Date | null;
  /** What the active sign-ups pay at the buy's current (or final) prices. */
  revenueCents: number;
}

/** Units signed up over time, one point per change, from the buy's opening to its close (or now). */
export interface FillSeries {
  buyId: number;
  title: string;
  minUnits: number;
  maxUnits: number;
  points: { at: Date; units: number }[];
}

export interface WeekTotal {
  /** The Monday starting the week in the group's time zone, `2026-03-09`. */
  week: string;
  units: number;
  revenueCents: number;
}

export interface OrderRow {
  signUpId: number;
  buyId: number;
  buyTitle: string;
  buyStatus: BuyStatus;
  memberId: string;
  displayName: string;
  username: string | null;
  quantity: number;
  variant: string | null;
  note: string | null;
  amountCents: number;
  status: 'active' | 'waitlisted';
  paid: boolean;
  delivered: boolean;
}

export interface BuysOverview {
  open: BuySummary[];
  closed: BuySummary[];
  rate: { formed: number; failed: number; cancelled: number; percent: number };
  weeks: WeekTotal[];
  fill: FillSeries | null;
  orders: OrderRow[];
}

/** Reads the page: `fillBuyId` picks the buy whose fill is charted (default: the newest open, else the newest). */
export async function buysOverview(tx: StoreTx, group: GroupRecord, input: { filters?: OrderFilters; fillBuyId?: number; now: Date }): Promise<BuysOverview> {
  const buys = await tx.dashboard.listBuysOfGroup(group.id, BUYS_PAGE_LIMIT);
  const signUps = await tx.dashboard.listSignUpsOfBuys(buys.map((b) => b.id));
  const byBuy = new Map<number, SignUpView[]>(buys.map((b) => [b.id, []]));
  for (const s of signUps) byBuy.get(s.buyId)?.push(s);

  const summaries = buys.map((buy) => summarise(buy, byBuy.get(buy.id) ?? []));
  const closed = summaries.filter((b) => b.status !== 'open');
  const count = (status: BuyStatus) => closed.filter((b) => b.status === status).length;
  const [formed, failed, cancelled] = [count('formed'), count('failed'), count('cancelled')];
  const decided = formed + failed;
  const fillBuy = buys.find((b) => b.id === input.fillBuyId) ?? buys.find((b) => b.status === 'open') ?? buys[0];
  return {
    open: summaries.filter((b) => b.status === 'open'),
    closed,
    rate: { formed, failed, cancelled, percent: decided === 0 ? 0 : Math.round((formed / decided) * 100) },
    weeks: weeklyTotals(summaries, group.timeZone),
    fill: fillBuy ? fillSeries(fillBuy, byBuy.get(fillBuy.id) ?? [], input.now) : null,
    orders: orderRows(buys, byBuy, input.filters ?? {}),
  };
}

function summarise(buy: BuyRecord, signUps: readonly SignUpView[]): BuySummary {
  const active = signUps.filter((s) => s.status === 'active');
  return {
    id: buy.id, title: buy.title, status: buy.status, minUnits: buy.minUnits, maxUnits: buy.maxUnits,
    units: unitsTaken(signUps), members: active.length, waitlisted: signUps.filter((s) => s.status === 'waitlisted').length,
    endsAt: buy.endsAt, closedAt: buy.closedAt,
    revenueCents: active.reduce((sum, s) => sum + unitPriceOf(buy, signUps, s) * s.quantity, 0),
  };
}

/**
 * The fill as the sign-ups tell it: a member's units count from their join, and stop counting when they left. (A
 * changed quantity is not kept as history, so it shows at its latest value from the join on.)
 */
export function fillSeries(buy: BuyRecord, signUps: readonly SignUpView[], now: Date): FillSeries {
  const changes: { at: Date; delta: number }[] = [];
  for (const s of signUps) {
    if (s.status === 'waitlisted') continue;
    changes.push({ at: s.joinedAt, delta: s.quantity });
    if (s.status === 'left' && s.leftAt) changes.push({ at: s.leftAt, delta: -s.quantity });
  }
  changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  const points = [{ at: buy.createdAt, units: 0 }];
  let units = 0;
  for (const change of changes) {
    units = Math.max(0, units + change.delta);
    points.push({ at: change.at, units });
  }
  const end = buy.closedAt ?? (buy.endsAt < now ? buy.endsAt : now);
  if (end > (points.at(-1)?.at ?? buy.createdAt)) points.push({ at: end, units });
  return { buyId: buy.id, title: buy.title, minUnits: buy.minUnits, maxUnits: buy.maxUnits, points };
}

/** Units and revenue of formed buys by the week they closed in (the group's time zone), gaps as zero weeks. */
export function weeklyTotals(buys: readonly BuySummary[], timeZone: string): WeekTotal[] {
  const totals = new Map<string, WeekTotal>();
  for (const buy of buys) {
    if (buy.status !== 'formed') continue;
    const week = mondayOf(buy.closedAt ?? buy.endsAt, timeZone);
    const total = totals.get(week) ?? { week, units: 0, revenueCents: 0 };
    total.units += buy.units;
    total.revenueCents += buy.revenueCents;
    totals.set(week, total);
  }
  const weeks = [...totals.keys()].sort();
  if (weeks.length === 0) return [];
  const out: WeekTotal[] = [];
  let cursor = DateTime.fromISO(weeks.at(-1)!, { zone: timeZone });
  const first = DateTime.fromISO(weeks[0]!, { zone: timeZone });
  while (out.length < WEEKS_SHOWN && cursor >= first) {
    const week = cursor.toISODate()!;
    out.unshift(totals.get(week) ?? { week, units: 0, revenueCents: 0 });
    cursor = cursor.minus({ weeks: 1 });
  }
  return out;
}

function mondayOf(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).startOf('week').toISODate()!;
}

function orderRows(buys: readonly BuyRecord[], byBuy: ReadonlyMap<number, SignUpView[]>, filters: OrderFilters): OrderRow[] {
  const search = filters.search?.trim().toLowerCase().replace(/^@/, '');
  const rows: OrderRow[] = [];
  for (const buy of buys) {
    if (filters.buyId !== undefined && buy.id !== filters.buyId) continue;
    const signUps = byBuy.get(buy.id) ?? [];
    const ordered = [...signUps].sort((a, b) => (a.status === b.status ? a.joinedAt.getTime() - b.joinedAt.getTime() || a.id - b.id : a.status === 'active' ? -1 : 1));
    for (const s of ordered) {
      if (s.status === 'left') continue;
      if (filters.paid !== undefined && Boolean(s.paidAt) !== filters.paid) continue;
      if (filters.delivered !== undefined && Boolean(s.deliveredAt) !== filters.delivered) continue;
      if (search && !s.displayName.toLowerCase().includes(search) && !(s.username ?? '').toLowerCase().includes(search)) continue;
      rows.push({
        signUpId: s.id, buyId: buy.id, buyTitle: buy.title, buyStatus: buy.status, memberId: s.memberId, displayName: s.displayName, username: s.username,
        quantity: s.quantity, variant: s.variant, note: s.note, amountCents: unitPriceOf(buy, signUps, s) * s.quantity,
        status: s.status, paid: Boolean(s.paidAt), delivered: Boolean(s.deliveredAt),
      });
    }
  }
  return rows;
}
