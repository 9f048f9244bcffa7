/**
 * The Members page's read model: every present member with level, points, check-in streak, badges, last order and
 * churn risk (the reminders feature's prediction, as /churn reports it), a search by name, the members per level
 * and the points distribution; and one member's page with their ledger and orders. Read through the store port;
 * the web layer only renders it (bots/dashboard/pages/members-page.ts).
 */
import { unitPriceOf } from '../group-buy/buy-card.js';
import { dayBefore, dayIn } from '../points/point-calendar.js';
import type { LedgerEntry } from '../points/points-store.js';
import { CHURN_HORIZON_DAYS, CHURN_RISK_THRESHOLD } from '../reminders/churn-report.js';
import { predictChurn, type PurchaseFact } from '../reminders/predict.js';
import type { BuyStatus, GroupRecord, SignUpView, StoreTx } from '../store.js';
import { BUYS_PAGE_LIMIT } from './buys-overview.js';

/** Entries of a member's ledger the member page shows. */
export const LEDGER_SHOWN = 100;
/** The buckets of the points distribution: a member falls in the first whose upper bound is at least their points. */
export const POINT_BUCKETS: readonly number[] = [0, 10, 50, 100, 200, 500, 1000];

export interface ChurnView {
  /** Probability (0-1) of no order within {@link CHURN_HORIZON_DAYS} days; null with fewer than two orders (no usual pace). */
  risk: number | null;
  atRisk: boolean;
  usualIntervalDays: number | null;
  daysSinceLast: number | null;
}

export interface MemberRow {
  memberId: string;
  displayName: string;
  username: string | null;
  level: number;
  isModerator: boolean;
  points: number;
  /** The check-in streak still alive (checked in today or yesterday), else 0. */
  streak: number;
  badges: string[];
  /** The newest sign-up (not left) in the group's recent buys. */
  lastOrderAt: Date | null;
  orders: number;
  churn: ChurnView | null;
}

export interface MembersOverview {
  members: MemberRow[];
  /** How many present members in all (before the search). */
  total: number;
  /** Members per level, V1-V4. */
  levels: { level: number; members: number }[];
  /** Members per points bucket: `upTo` null is the last, open bucket. */
  distribution: { from: number; upTo: number | null; members: number }[];
  atRisk: number;
  horizonDays: number;
}

export interface MemberOrder {
  buyId: number;
  buyTitle: string;
  buyStatus: BuyStatus;
  quantity: number;
  variant: string | null;
  amountCents: number;
  status: 'active' | 'waitlisted' | 'left';
  joinedAt: Date;
  paid: boolean;
  delivered: boolean;
}

export interface MemberDetail {
  member: MemberRow;
  ledger: LedgerEntry[];
  orders: MemberOrder[];
}

/** Every present member (or those whose name or @username contains `search`), most points first. */
export async function membersOverview(tx: StoreTx, group: GroupRecord, input: { search?: string; now: Date }): Promise<MembersOverview> {
  const { rows } = await memberRows(tx, group, input.now);
  const search = input.search?.trim().toLowerCase().replace(/^@/, '');
  const shown = search ? rows.filter((m) => m.displayName.toLowerCase().includes(search) || (m.username ?? '').toLowerCase().includes(search)) : rows;
  const levels = [1, 2, 3, 4].map((level) => ({ level, members: rows.filter((m) => m.level === level).length }));
  const distribution = POINT_BUCKETS.map((upTo, i) => ({ from: i === 0 ? Number.MIN_SAFE_INTEGER : POINT_BUCKETS[i - 1]! + 1, upTo: upTo as number | null, members: 0 }));
  distribution.push({ from: POINT_BUCKETS.at(-1)! + 1, upTo: null, members: 0 });
  for (const m of rows) distribution.find((b) => b.upTo === null || m.points <= b.upTo)!.members++;
  return {
    members: [...shown].sort((a, b) => b.points - a.points || a.displayName.localeCompare(b.displayName)),
    total: rows.length,
    levels,
    distribution,
    atRisk: rows.filter((m) => m.churn?.atRisk).length,
    horizonDays: CHURN_HORIZON_DAYS,
  };
}

/** One member of the group with their ledger (newest first) and orders (newest buy first); null when not a present member. */
export async function memberDetail(tx: StoreTx, group: GroupRecord, memberId: string, input: { now: Date }): Promise<MemberDetail | null> {
  const { rows, signUps, buys } = await memberRows(tx, group, input.now);
  const member = rows.find((m) => m.memberId === memberId);
  if (!member) return null;
  const byBuy = new Map<number, SignUpView[]>();
  for (const s of signUps) byBuy.set(s.buyId, [...(byBuy.get(s.buyId) ?? []), s]);
  const orders: MemberOrder[] = [];
  for (const buy of buys) {
    const all = byBuy.get(buy.id) ?? [];
    for (const s of all.filter((x) => x.memberId === memberId)) {
      orders.push({
        buyId: buy.id, buyTitle: buy.title, buyStatus: buy.status, quantity: s.quantity, variant: s.variant, status: s.status, joinedAt: s.joinedAt,
        amountCents: s.status === 'left' ? 0 : unitPriceOf(buy, all, s) * s.quantity, paid: Boolean(s.paidAt), delivered: Boolean(s.deliveredAt),
      });
    }
  }
  return { member, ledger: await tx.points.ledger(group.id, memberId, LEDGER_SHOWN), orders };
}

async function memberRows(tx: StoreTx, group: GroupRecord, now: Date) {
  const members = await tx.dashboard.listGroupMembers(group.id);
  const buys = await tx.dashboard.listBuysOfGroup(group.id, BUYS_PAGE_LIMIT);
  const signUps = await tx.dashboard.listSignUpsOfBuys(buys.map((b) => b.id));
  const purchases = await tx.reminders.listPurchases({ groupId: group.id });
  const facts: PurchaseFact[] = purchases.map((p) => ({ memberId: p.memberId, product: p.product, at: p.at, quantity: p.quantity, source: 'buy' }));
  const risks = new Map(predictChurn(facts, now, CHURN_HORIZON_DAYS).map((r) => [r.memberId, r]));
  const today = dayIn(now, group.timeZone);
  const rows: MemberRow[] = members.map((m) => {
    const mine = signUps.filter((s) => s.memberId === m.memberId && s.status !== 'left');
    const last = mine.reduce<Date | null>((at, s) => (!at || s.joinedAt > at ? s.joinedAt : at), null);
    const alive = m.lastCheckIn && (m.lastCheckIn.day >= today || m.lastCheckIn.day === dayBefore(today));
    const risk = risks.get(m.memberId);
    return {
      memberId: m.memberId, displayName: m.displayName, username: m.username, level: m.level, isModerator: m.isModerator, points: m.points,
      streak: alive ? m.lastCheckIn!.streak : 0, badges: m.badges, lastOrderAt: last, orders: new Set(mine.map((s) => s.buyId)).size,
      churn: risk
        ? {
            risk: risk.usualIntervalDays === null ? null : risk.churnRisk,
            atRisk: risk.usualIntervalDays !== null && risk.churnRisk >= CHURN_RISK_THRESHOLD,
            usualIntervalDays: risk.usualIntervalDays, daysSinceLast: risk.daysSinceLast,
          }
        : null,
    };
  });
  return { rows, signUps, buys };
}
