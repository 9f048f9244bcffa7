/** The points feature's Store on Prisma (see core/points/points-store.ts). */
import type { PointEntryInput } from '../core/kernel/records.js';
import type { AwardLimits, CheckInRecord, LeaderboardRow, LedgerEntry, PointsStore } from '../core/points/points-store.js';
import { Prisma, type PrismaClient } from './generated/client.js';
import { isTransactional, readSettingsSection, writeSettingsSection } from './group-settings.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** primeMember's one row. */
interface PrimeRow {
  level: number | null;
  spend: string;
  orders: number;
  badges: [string, number | string][] | null;
  checkIn: [string, number, number | string] | null;
  shares: number;
  reviewed: boolean;
  likes: [number | string, number | string] | null;
  balance: number;
  since: number;
}

interface Primed {
  level: number;
  ordersSince: number;
  purchases: { spendCents: number; orders: number };
  shares: number;
  reviewed: boolean;
  likes: { likes: number; authors: number };
  balance: number;
  since: number;
  pointsSince: number;
}

export class PrismaPointsStore implements PointsStore {
  readonly feature = 'points' as const;
  /**
   * Within one transaction, badges held and the last check-in by group and member, kept after the first read and
   * updated by this store's own writes (an event checks badges more than once; a check-in reads the streak twice).
   */
  private readonly badges = new Map<string, { badge: string; at: Date }[]>();
  private readonly checkIns = new Map<string, CheckInRecord | null>();
  /** Whether the member has a review entry, read with the last check-in; dropped when a review (or unknown) entry is written. */
  private readonly reviewed = new Map<string, boolean>();
  /** What primeMember read, by group and member, until a write in the transaction may change it. */
  private readonly primed = new Map<string, Primed>();
  /** Likes given by group and member, as a like press read them, until a share or a like is written. */
  private readonly likesGivenKnown = new Map<string, { likes: number; authors: number }>();
  private readonly keep: boolean;
  constructor(protected readonly db: Db) {
    this.keep = isTransactional(db);
  }

  getSettings(groupId: string): Promise<unknown> {
    return readSettingsSection(this.db, groupId, 'points');
  }

  saveSettings(groupId: string, points: unknown): Promise<void> {
    return writeSettingsSection(this.db, groupId, 'points', points);
  }

  async lockMember(groupId: string, memberId: string, at: Date): Promise<void> {
    const lock = () => this.db.$queryRaw<unknown[]>`SELECT 1 FROM "GroupMember" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} FOR UPDATE`;
    // The membership row is there when the member spoke in the group (the usual case): locked in one statement.
    if ((await lock()).length > 0) return;
    await this.db.groupMember.createMany({ data: [{ groupId, memberId, firstSeenAt: at, lastSeenAt: at }], skipDuplicates: true });
    await lock();
  }

  async primeMember(groupId: string, memberId: string, at: { ordersSince: Date; since: Date }): Promise<void> {
    if (!this.keep) return;
    const [row] = await this.db.$queryRaw<PrimeRow[]>`
      SELECT
        (SELECT "level" FROM "GroupMember" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}) AS "level",
        (SELECT COALESCE(SUM("quantity"::bigint * "unitPriceCents"), 0)::text FROM "Purchase" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}) AS "spend",
        (SELECT COUNT(*)::int FROM "Purchase" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} AND "deliveredAt" >= ${at.ordersSince}) AS "orders",
        (SELECT json_agg(json_build_array("badge", floor(extract(epoch FROM "awardedAt") * 1000)::bigint) ORDER BY "awardedAt")
           FROM "BadgeAward" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}) AS "badges",
        (SELECT json_build_array("day", "streak", floor(extract(epoch FROM "createdAt") * 1000)::bigint)
           FROM "CheckIn" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} ORDER BY "day" DESC LIMIT 1) AS "checkIn",
        (SELECT COUNT(*)::int FROM "Share" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}) AS "shares",
        EXISTS (SELECT 1 FROM "PointEntry" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} AND "reason" = 'review') AS "reviewed",
        (SELECT json_build_array(COUNT(*), COUNT(DISTINCT s."memberId")) FROM "ShareLike" l JOIN "Share" s ON s."id" = l."shareId"
           WHERE l."likerId" = ${memberId} AND s."groupId" = ${groupId} AND s."memberId" <> ${memberId}) AS "likes",
        (SELECT COALESCE(SUM("amount"), 0)::int FROM "PointEntry" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}) AS "balance",
        (SELECT COALESCE(SUM("amount"), 0)::int FROM "PointEntry" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} AND "createdAt" >= ${at.since}) AS "since"`;
    if (!row) return;
    const key = `${groupId}\u0000${memberId}`;
    this.badges.set(key, (row.badges ?? []).map(([badge, ms]) => ({ badge, at: new Date(Number(ms)) })));
    const [day, streak, ms] = row.checkIn ?? [];
    this.checkIns.set(key, row.checkIn ? { day: String(day), streak: Number(streak), at: new Date(Number(ms)) } : null);
    this.primed.set(key, {
      level: row.level ?? 1,
      ordersSince: at.ordersSince.getTime(),
      purchases: { spendCents: Number(row.spend), orders: row.orders },
      shares: row.shares,
      reviewed: row.reviewed,
      likes: { likes: Number(row.likes?.[0] ?? 0), authors: Number(row.likes?.[1] ?? 0) },
      balance: row.balance,
      since: at.since.getTime(),
      pointsSince: row.since,
    });
  }

  /** The member's balance as primed in this transaction, if nothing changed it since. */
  primedBalance(groupId: string, memberId: string): number | undefined {
    return this.primed.get(`${groupId}\u0000${memberId}`)?.balance;
  }

  /**
   * Drops what primeMember read (a write elsewhere in the transaction may have changed any of it). `reason`: the
   * reason of the point entry just written, when that is the write; only a review entry changes whether one exists.
   */
  forgetPrimed(reason?: string): void {
    this.primed.clear();
    if (reason === undefined || reason === 'review') this.reviewed.clear();
  }

  /** A share or a like was written: drops what was read of them. */
  forgetLikes(): void {
    this.primed.clear();
    this.likesGivenKnown.clear();
  }

  /** Keeps what a like press read about the liker (prisma/like-store.ts) for the badge check that follows. */
  knowLiker(groupId: string, memberId: string, facts: { badges: { badge: string; at: Date }[]; likesGiven: { likes: number; authors: number } }): void {
    if (!this.keep) return;
    const key = `${groupId}\u0000${memberId}`;
    this.badges.set(key, facts.badges.map((b) => ({ ...b })));
    this.likesGivenKnown.set(key, { ...facts.likesGiven });
  }

  async lockAwards(awards: { groupId: string; memberId: string; source: string }[]): Promise<void> {
    if (awards.length === 0) return;
    // One statement; its locks are taken from left to right, in the order given.
    const locks = awards.map((a) => Prisma.sql`pg_advisory_xact_lock(hashtextextended(${`points:${a.groupId}:${a.memberId}:${a.source}`}::text, 0))`);
    await this.db.$executeRaw`SELECT ${Prisma.join(locks)}`;
  }

  private known(groupId: string, memberId: string): Primed | undefined {
    return this.primed.get(`${groupId}\u0000${memberId}`);
  }

  async addEntriesWithin(entries: { entry: PointEntryInput; limits: AwardLimits }[]): Promise<number[]> {
    if (entries.length === 0) return [];
    this.primed.clear();
    // Each amount is cut to what its cap leaves and its cooldown checked in the statement that inserts, as separate
    // reads did: under lockAwards, and (READ COMMITTED) in a statement begun after the locks were taken, so it sees
    // every entry committed by the awards that held them before. One entry per member and reason: the sums see the
    // ledger as it was when the statement began, not the entries it inserts.
    const rows = entries.map(({ entry: e, limits }, i) => Prisma.sql`(
      ${i}::int, ${e.groupId}::text, ${e.memberId}::text, ${e.amount}::int, ${e.reason}::text, ${e.reference ?? null}::text, ${e.actorId ?? null}::text,
      ${e.note ?? null}::text, ${e.key}::text, ${e.at}::timestamp(3), ${limits.dailyCap?.limit ?? null}::int, ${limits.dailyCap?.since ?? null}::timestamp(3),
      ${limits.paidAfter ?? null}::timestamp(3))`);
    const paid = await this.db.$queryRaw<{ key: string; amount: number }[]>`
      INSERT INTO "PointEntry" ("groupId", "memberId", "amount", "reason", "reference", "actorId", "note", "key", "createdAt")
      SELECT v."groupId", v."memberId", x."amount", v."reason", v."reference", v."actorId", v."note", v."key", v."at"
      FROM (VALUES ${Prisma.join(rows)}) AS v("i", "groupId", "memberId", "amount", "reason", "reference", "actorId", "note", "key", "at", "cap", "since", "paidAfter")
      CROSS JOIN LATERAL (
        SELECT CASE WHEN v."cap" IS NULL THEN v."amount"
                    ELSE LEAST(v."amount", v."cap" - (
                      SELECT COALESCE(SUM(p."amount"), 0)::int FROM "PointEntry" p
                      WHERE p."groupId" = v."groupId" AND p."memberId" = v."memberId" AND p."reason" = v."reason" AND p."createdAt" >= v."since"))
               END AS "amount"
      ) x
      WHERE x."amount" > 0
        AND (v."paidAfter" IS NULL OR NOT EXISTS (
          SELECT 1 FROM "PointEntry" p WHERE p."groupId" = v."groupId" AND p."memberId" = v."memberId" AND p."reason" = v."reason"
            AND p."amount" > 0 AND p."createdAt" > v."paidAfter"))
      ORDER BY v."i"
      ON CONFLICT DO NOTHING
      RETURNING "key", "amount"`;
    const byKey = new Map(paid.map((r) => [r.key, r.amount]));
    return entries.map(({ entry }) => byKey.get(entry.key) ?? 0);
  }

  async pointsSince(groupId: string, memberId: string, since: Date): Promise<number> {
    const known = this.known(groupId, memberId);
    if (known?.since === since.getTime()) return known.pointsSince;
    const [row] = await this.db.$queryRaw<{ sum: number }[]>`
      SELECT COALESCE(SUM("amount"), 0)::int AS "sum" FROM "PointEntry" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} AND "createdAt" >= ${since}`;
    return row?.sum ?? 0;
  }

  async entryTotals(groupId: string, memberId: string, match: { keys: string[]; keyPrefixes: string[] }): Promise<{ amount: number; count: number }> {
    const result = await this.db.pointEntry.aggregate({
      where: { groupId, memberId, OR: [{ key: { in: match.keys } }, ...match.keyPrefixes.map((prefix) => ({ key: { startsWith: prefix } }))] },
      _sum: { amount: true },
      _count: { _all: true },
    });
    return { amount: result._sum.amount ?? 0, count: result._count._all };
  }

  async hasEntry(groupId: string, memberId: string, reason: string): Promise<boolean> {
    const known = this.known(groupId, memberId);
    if (known && reason === 'review') return known.reviewed;
    const reviewed = reason === 'review' ? this.reviewed.get(`${groupId}\u0000${memberId}`) : undefined;
    if (reviewed !== undefined) return reviewed;
    const rows = await this.db.$queryRaw<unknown[]>`
      SELECT 1 FROM "PointEntry" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} AND "reason" = ${reason} LIMIT 1`;
    return rows.length > 0;
  }

  async lastCheckIn(groupId: string, memberId: string): Promise<CheckInRecord | null> {
    const key = `${groupId}\u0000${memberId}`;
    if (this.checkIns.has(key)) return this.checkIns.get(key)!;
    if (this.keep) return this.readCheckInAndBadges(groupId, memberId, key);
    const [row] = await this.db.$queryRaw<{ day: string; streak: number; createdAt: Date }[]>`
      SELECT "day", "streak", "createdAt" FROM "CheckIn" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} ORDER BY "day" DESC LIMIT 1`;
    return row ? { day: row.day, streak: row.streak, at: row.createdAt } : null;
  }

  /**
   * In a transaction, the last check-in comes with the badges held and whether a review was paid, kept for the
   * transaction: a /checkin reads all three (the streak, then the badges its points may earn), so one statement
   * instead of three.
   */
  private async readCheckInAndBadges(groupId: string, memberId: string, key: string): Promise<CheckInRecord | null> {
    const [row] = await this.db.$queryRaw<Pick<PrimeRow, 'checkIn' | 'badges' | 'reviewed'>[]>`
      SELECT
        (SELECT json_build_array("day", "streak", floor(extract(epoch FROM "createdAt") * 1000)::bigint)
           FROM "CheckIn" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} ORDER BY "day" DESC LIMIT 1) AS "checkIn",
        (SELECT json_agg(json_build_array("badge", floor(extract(epoch FROM "awardedAt") * 1000)::bigint) ORDER BY "awardedAt")
           FROM "BadgeAward" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}) AS "badges",
        EXISTS (SELECT 1 FROM "PointEntry" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} AND "reason" = 'review') AS "reviewed"`;
    const [day, streak, ms] = row?.checkIn ?? [];
    const last = row?.checkIn ? { day: String(day), streak: Number(streak), at: new Date(Number(ms)) } : null;
    this.checkIns.set(key, last);
    if (row && !this.badges.has(key)) this.badges.set(key, (row.badges ?? []).map(([badge, at]) => ({ badge, at: new Date(Number(at)) })));
    if (row && !this.reviewed.has(key)) this.reviewed.set(key, row.reviewed);
    return last;
  }

  async addCheckIn(groupId: string, memberId: string, c: CheckInRecord): Promise<boolean> {
    this.primed.clear();
    const count = await this.db.$executeRaw`
      INSERT INTO "CheckIn" ("groupId", "memberId", "day", "streak", "createdAt") VALUES (${groupId}, ${memberId}, ${c.day}, ${c.streak}, ${c.at})
      ON CONFLICT DO NOTHING`;
    const result = { count };
    const key = `${groupId}\u0000${memberId}`;
    const known = this.checkIns.get(key);
    // The new check-in is the last one unless a later day is recorded (read again when unsure).
    if (result.count === 1 && known !== undefined && (known === null || known.day < c.day)) this.checkIns.set(key, { ...c });
    else this.checkIns.delete(key);
    return result.count === 1;
  }

  async purchaseStats(groupId: string, memberId: string, ordersSince: Date): Promise<{ spendCents: number; orders: number }> {
    const known = this.known(groupId, memberId);
    if (known?.ordersSince === ordersSince.getTime()) return { ...known.purchases };
    // Summed in the database (bigint: exact, returned as text and read as a number, as the sum in JavaScript was).
    const [row] = await this.db.$queryRaw<{ spend: string; orders: number }[]>`
      SELECT COALESCE(SUM("quantity"::bigint * "unitPriceCents"), 0)::text AS "spend", COUNT(*) FILTER (WHERE "deliveredAt" >= ${ordersSince})::int AS "orders"
      FROM "Purchase" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}`;
    return { spendCents: Number(row?.spend ?? 0), orders: row?.orders ?? 0 };
  }

  async getLevel(groupId: string, memberId: string): Promise<number> {
    const known = this.known(groupId, memberId);
    if (known) return known.level;
    const [row] = await this.db.$queryRaw<{ level: number }[]>`SELECT "level" FROM "GroupMember" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}`;
    return row?.level ?? 1;
  }

  async raiseLevel(groupId: string, memberId: string, level: number, at: Date): Promise<boolean> {
    this.primed.clear();
    await this.db.groupMember.createMany({ data: [{ groupId, memberId, firstSeenAt: at, lastSeenAt: at }], skipDuplicates: true });
    // The condition is checked again after waiting for a concurrent raise, so only one of two racing raises counts.
    const result = await this.db.groupMember.updateMany({ where: { groupId, memberId, level: { lt: level } }, data: { level } });
    return result.count === 1;
  }

  async likesGiven(groupId: string, memberId: string): Promise<{ likes: number; authors: number }> {
    const known = this.known(groupId, memberId)?.likes ?? this.likesGivenKnown.get(`${groupId}\u0000${memberId}`);
    if (known) return { ...known };
    const [row] = await this.db.$queryRaw<{ likes: bigint; authors: bigint }[]>`
      SELECT COUNT(*) AS likes, COUNT(DISTINCT s."memberId") AS authors
      FROM "ShareLike" l JOIN "Share" s ON s."id" = l."shareId"
      WHERE l."likerId" = ${memberId} AND s."groupId" = ${groupId} AND s."memberId" <> ${memberId}`;
    return { likes: Number(row?.likes ?? 0), authors: Number(row?.authors ?? 0) };
  }

  async sharesBy(groupId: string, memberId: string): Promise<number> {
    const known = this.known(groupId, memberId);
    if (known) return known.shares;
    const [row] = await this.db.$queryRaw<{ n: number }[]>`SELECT COUNT(*)::int AS "n" FROM "Share" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}`;
    return row?.n ?? 0;
  }

  async awardBadge(groupId: string, memberId: string, badge: string, at: Date): Promise<boolean> {
    this.primed.clear();
    const count = await this.db.$executeRaw`
      INSERT INTO "BadgeAward" ("groupId", "memberId", "badge", "awardedAt") VALUES (${groupId}, ${memberId}, ${badge}, ${at}) ON CONFLICT DO NOTHING`;
    this.badges.delete(`${groupId}\u0000${memberId}`);
    return count === 1;
  }

  async listBadges(groupId: string, memberId: string): Promise<{ badge: string; at: Date }[]> {
    const key = `${groupId}\u0000${memberId}`;
    const known = this.badges.get(key);
    if (known) return known.map((b) => ({ ...b }));
    const rows = await this.db.$queryRaw<{ badge: string; awardedAt: Date }[]>`
      SELECT "badge", "awardedAt" FROM "BadgeAward" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} ORDER BY "awardedAt"`;
    const list = rows.map((r) => ({ badge: r.badge, at: r.awardedAt }));
    if (this.keep) this.badges.set(key, list.map((b) => ({ ...b })));
    return list;
  }

  async leaderboard(groupId: string, since: Date | null, limit: number): Promise<LeaderboardRow[]> {
    // Summed, ordered and cut in the database, with the names of those shown only.
    const rows = await this.db.$queryRaw<{ memberId: string; points: number; displayName: string | null }[]>`
      SELECT p."memberId", p."points", m."displayName"
      FROM (
        SELECT "memberId", SUM("amount")::int AS "points" FROM "PointEntry"
        WHERE "groupId" = ${groupId} AND (${since}::timestamp(3) IS NULL OR "createdAt" >= ${since}::timestamp(3))
        GROUP BY "memberId"
      ) p
      LEFT JOIN "Member" m ON m."id" = p."memberId"
      WHERE p."points" >= 0
      ORDER BY p."points" DESC, p."memberId" COLLATE "C"
      LIMIT ${limit}`;
    return rows.map((r) => ({ memberId: r.memberId, points: r.points, displayName: r.displayName ?? r.memberId }));
  }

  async leaderboardRank(groupId: string, since: Date | null, memberId: string): Promise<{ rank: number; points: number } | null> {
    const [row] = await this.db.$queryRaw<{ rank: number; points: number }[]>`
      WITH sums AS (
        SELECT "memberId", SUM("amount")::int AS "points" FROM "PointEntry"
        WHERE "groupId" = ${groupId} AND (${since}::timestamp(3) IS NULL OR "createdAt" >= ${since}::timestamp(3))
        GROUP BY "memberId"
      )
      SELECT (SELECT COUNT(*) FROM sums s
              WHERE s."points" >= 0 AND (s."points" > me."points" OR (s."points" = me."points" AND s."memberId" COLLATE "C" < me."memberId" COLLATE "C")))::int + 1 AS "rank",
             me."points"
      FROM sums me WHERE me."memberId" = ${memberId} AND me."points" >= 0`;
    return row ? { rank: row.rank, points: row.points } : null;
  }

  async ledger(groupId: string, memberId: string, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.db.pointEntry.findMany({ where: { groupId, memberId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    const actorIds = [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))];
    const actors = await this.db.member.findMany({ where: { id: { in: actorIds } }, select: { id: true, displayName: true } });
    const names = new Map(actors.map((m) => [m.id, m.displayName]));
    return rows.map((r) => ({
      id: r.id, amount: r.amount, reason: r.reason, reference: r.reference, actorId: r.actorId,
      actorName: r.actorId ? names.get(r.actorId) ?? r.actorId : null, note: r.note, at: r.createdAt,
    }));
  }
}
