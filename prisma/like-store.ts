/** The likes feature's Store on Prisma (see core/likes/like-store.ts). */
import type {
  LikeEventRecord, LikeIntent, LikeRoundRecord, LikeSource, LikeStore, LikeTaskCompletionRecord, LikeTaskRecord, RoundEntryView, RoundStatus, ShareRecord,
} from '../core/likes/like-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';
import { isTransactional, readSettingsSection, writeSettingsSection } from './group-settings.js';

type Db = PrismaClient | Prisma.TransactionClient;

function toTask(row: { id: number; groupId: string; goalLikes: number; withinMinutes: number; rewardPoints: number; rewardCodes: unknown; active: boolean; createdById: string; createdAt: Date; endedAt: Date | null }): LikeTaskRecord {
  const codes = Array.isArray(row.rewardCodes) ? row.rewardCodes.filter((c): c is string => typeof c === 'string') : [];
  return { ...row, rewardCodes: codes };
}

/**
 * What a like press read in its own statement about the liker, for the features that ask next in the same
 * transaction (points: the "helpful" badge; moderation: a fresh account's like). See PrismaStoreTx.
 */
export interface LikerFacts {
  groupId: string;
  likerId: string;
  /** Badges the liker holds in the group, oldest first. */
  badges: { badge: string; at: Date }[];
  /** Likes the liker gives now on other members' shares in the group (this one included), and to how many authors. */
  likesGiven: { likes: number; authors: number };
  /** When the liker was first seen in the group, or null. */
  memberSince: Date | null;
}

/** pressLike's one row. */
interface PressRow {
  action: 'like' | 'unlike' | null;
  count: number | null;
  tasks: { id: number; goalLikes: number; withinMinutes: number; rewardPoints: number; rewardCodes: unknown; active: boolean; createdById: string; createdAt: number | string; endedAt: number | string | null }[] | null;
  badges: [string, number | string][] | null;
  likes: [number | string, number | string] | null;
  since: Date | null;
}

function toRound(row: { id: number; groupId: string; chatId: string; status: string; createdById: string; opensAt: Date; endsAt: Date; listChatId: string | null; listMessageId: string | null; closedAt: Date | null }): LikeRoundRecord {
  return { ...row, status: row.status as RoundStatus };
}

export class PrismaLikeStore implements LikeStore {
  readonly feature = 'likes' as const;
  /** Within one transaction, the active like tasks by group, as a like press read them (task writes drop them). */
  private readonly activeTasks = new Map<string, LikeTaskRecord[]>();
  private readonly keep: boolean;
  constructor(
    protected readonly db: Db,
    /** Called when a share or a like is written (the points store drops what it read of them). */
    private readonly written: () => void = () => {},
    /** Called with what a like press read about the liker (the stores that answer those questions keep it). */
    private readonly liked: (facts: LikerFacts) => void = () => {},
  ) {
    this.keep = isTransactional(db);
  }

  async createShare(share: Omit<ShareRecord, 'id' | 'postedChatId' | 'postedMessageId' | 'likeCount' | 'roundId'>): Promise<ShareRecord> {
    this.written();
    return this.db.share.create({ data: share });
  }

  async getShare(id: number, options: { lock?: boolean } = {}): Promise<ShareRecord | null> {
    if (options.lock) {
      // The row as it is once locked, in the statement that locks it.
      const [locked] = await this.db.$queryRaw<ShareRecord[]>`SELECT * FROM "Share" WHERE "id" = ${id} FOR UPDATE`;
      return locked ?? null;
    }
    const [row] = await this.db.$queryRaw<ShareRecord[]>`SELECT * FROM "Share" WHERE "id" = ${id}`;
    return row ?? null;
  }

  async findShareByMessage(chatId: string, messageId: string): Promise<ShareRecord | null> {
    return this.db.share.findFirst({ where: { postedChatId: chatId, postedMessageId: messageId } });
  }

  async latestShareOf(groupId: string, memberId: string): Promise<ShareRecord | null> {
    return this.db.share.findFirst({ where: { groupId, memberId }, orderBy: { id: 'desc' } });
  }

  async updateShare(id: number, patch: Partial<Pick<ShareRecord, 'postedChatId' | 'postedMessageId' | 'roundId'>>): Promise<void> {
    await this.db.share.update({ where: { id }, data: patch });
  }

  async pressLike(p: { share: ShareRecord; likerId: string; intent: LikeIntent; source: LikeSource; platform: string; at: Date }): Promise<{ change: 'like' | 'unlike' | null; count: number }> {
    this.written();
    const { share, likerId, intent } = p;
    // One statement: the toggle is decided by the INSERT's conflict (a toggle deletes only when nothing was
    // inserted). Every sub-statement sees the rows as they were when the statement began, after the share's lock
    // was taken by an earlier statement: the recount adds what was inserted and takes off what was deleted.
    // After a like, the same statement reads what the next steps of the press ask (the group's active like tasks,
    // the liker's badges, likes given counting this one, and first-seen time), so they need no statement of their own.
    const [row] = await this.db.$queryRaw<PressRow[]>`
      WITH ins AS (
        INSERT INTO "ShareLike" ("shareId", "likerId", "createdAt")
        SELECT ${share.id}::int, ${likerId}::text, ${p.at}::timestamp(3) WHERE ${intent}::text <> 'unlike'
        ON CONFLICT DO NOTHING RETURNING 1
      ), del AS (
        DELETE FROM "ShareLike" WHERE "shareId" = ${share.id}::int AND "likerId" = ${likerId}::text
          AND (${intent}::text = 'unlike' OR (${intent}::text = 'toggle' AND NOT EXISTS (SELECT 1 FROM ins)))
        RETURNING 1
      ), change AS (
        SELECT CASE WHEN EXISTS (SELECT 1 FROM ins) THEN 'like' WHEN EXISTS (SELECT 1 FROM del) THEN 'unlike' END AS "action"
      ), counted AS (
        UPDATE "Share" SET "likeCount" = (SELECT COUNT(*) FROM "ShareLike" WHERE "shareId" = ${share.id}::int)::int
          + (SELECT COUNT(*) FROM ins)::int - (SELECT COUNT(*) FROM del)::int
        WHERE "id" = ${share.id}::int AND (SELECT "action" FROM change) IS NOT NULL
        RETURNING "likeCount"
      ), logged AS (
        INSERT INTO "LikeEvent" ("shareId", "groupId", "likerId", "authorId", "action", "source", "platform", "createdAt")
        SELECT ${share.id}::int, ${share.groupId}::text, ${likerId}::text, ${share.memberId}::text, c."action", ${p.source}::text, ${p.platform}::text, ${p.at}::timestamp(3)
        FROM change c WHERE c."action" IS NOT NULL
      )
      SELECT c."action", (SELECT "likeCount" FROM counted) AS "count",
        CASE WHEN c."action" = 'like' THEN (
          SELECT json_agg(json_build_object(
            'id', t."id", 'goalLikes', t."goalLikes", 'withinMinutes', t."withinMinutes", 'rewardPoints', t."rewardPoints",
            'rewardCodes', t."rewardCodes", 'active', t."active", 'createdById', t."createdById",
            'createdAt', floor(extract(epoch FROM t."createdAt") * 1000)::bigint, 'endedAt', floor(extract(epoch FROM t."endedAt") * 1000)::bigint
          ) ORDER BY t."id") FROM "LikeTask" t WHERE t."groupId" = ${share.groupId}::text AND t."active") END AS "tasks",
        CASE WHEN c."action" = 'like' THEN (
          SELECT json_agg(json_build_array("badge", floor(extract(epoch FROM "awardedAt") * 1000)::bigint) ORDER BY "awardedAt")
          FROM "BadgeAward" WHERE "groupId" = ${share.groupId}::text AND "memberId" = ${likerId}::text) END AS "badges",
        CASE WHEN c."action" = 'like' THEN (
          SELECT json_build_array(COUNT(*), COUNT(DISTINCT x."authorId")) FROM (
            SELECT s."memberId" AS "authorId" FROM "ShareLike" l JOIN "Share" s ON s."id" = l."shareId"
            WHERE l."likerId" = ${likerId}::text AND s."groupId" = ${share.groupId}::text AND s."memberId" <> ${likerId}::text AND l."shareId" <> ${share.id}::int
            UNION ALL SELECT ${share.memberId}::text
          ) x) END AS "likes",
        CASE WHEN c."action" = 'like' THEN (
          SELECT "firstSeenAt" FROM "GroupMember" WHERE "groupId" = ${share.groupId}::text AND "memberId" = ${likerId}::text) END AS "since"
      FROM change c`;
    const change = row?.action ?? null;
    if (change === null) return { change: null, count: share.likeCount };
    if (row!.count === null) throw new Error(`no share ${share.id} to recount`);
    if (change === 'like' && this.keep) {
      const time = (v: number | string | null) => (v === null ? null : new Date(Number(v)));
      this.activeTasks.set(share.groupId, (row!.tasks ?? []).map((t) => toTask({ ...t, groupId: share.groupId, createdAt: time(t.createdAt)!, endedAt: time(t.endedAt) })));
      // Facts about someone liking their own share would not be these (the core never presses so).
      if (share.memberId !== likerId) {
        this.liked({
          groupId: share.groupId, likerId,
          badges: (row!.badges ?? []).map(([badge, ms]) => ({ badge, at: new Date(Number(ms)) })),
          likesGiven: { likes: Number(row!.likes?.[0] ?? 0), authors: Number(row!.likes?.[1] ?? 0) },
          memberSince: row!.since,
        });
      }
    }
    return { change, count: row!.count };
  }

  async recountLikes(shareId: number): Promise<number> {
    // Counted and stored in one statement.
    const [row] = await this.db.$queryRaw<{ likeCount: number }[]>`
      UPDATE "Share" SET "likeCount" = (SELECT COUNT(*)::int FROM "ShareLike" WHERE "shareId" = ${shareId}) WHERE "id" = ${shareId} RETURNING "likeCount"`;
    if (!row) throw new Error(`no share ${shareId} to recount`);
    return row.likeCount;
  }

  async listLikeEvents(shareId: number): Promise<LikeEventRecord[]> {
    const rows = await this.db.likeEvent.findMany({ where: { shareId }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({ ...r, action: r.action as LikeEventRecord['action'], source: r.source as LikeEventRecord['source'] }));
  }

  async likedAmong(likerId: string, shareIds: number[]): Promise<number[]> {
    if (shareIds.length === 0) return [];
    const rows = await this.db.shareLike.findMany({ where: { likerId, shareId: { in: shareIds } }, select: { shareId: true } });
    return rows.map((r) => r.shareId);
  }

  async likersOf(shareId: number): Promise<string[]> {
    const rows = await this.db.shareLike.findMany({ where: { shareId }, select: { likerId: true }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => r.likerId);
  }

  async createTask(task: Omit<LikeTaskRecord, 'id' | 'active' | 'endedAt'>): Promise<LikeTaskRecord> {
    this.activeTasks.delete(task.groupId);
    return toTask(await this.db.likeTask.create({ data: { ...task, rewardCodes: task.rewardCodes } }));
  }

  async getTask(id: number, options: { lock?: boolean } = {}): Promise<LikeTaskRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "LikeTask" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.likeTask.findUnique({ where: { id } });
    return row ? toTask(row) : null;
  }

  async listActiveTasks(groupId: string): Promise<LikeTaskRecord[]> {
    const known = this.activeTasks.get(groupId);
    if (known) return known.map((t) => ({ ...t, rewardCodes: [...t.rewardCodes] }));
    const rows = await this.db.$queryRaw<Parameters<typeof toTask>[0][]>`SELECT * FROM "LikeTask" WHERE "groupId" = ${groupId} AND "active" ORDER BY "id"`;
    return rows.map(toTask);
  }

  async endTask(id: number, at: Date): Promise<void> {
    this.activeTasks.clear();
    await this.db.likeTask.update({ where: { id }, data: { active: false, endedAt: at } });
  }

  async addCompletion(completion: LikeTaskCompletionRecord): Promise<boolean> {
    // Check, then insert: the caller holds the share's row lock, so no other transaction races this pair (a
    // unique violation would abort the whole PostgreSQL transaction, so it is avoided rather than caught).
    const key = { taskId_shareId: { taskId: completion.taskId, shareId: completion.shareId } };
    if (await this.db.likeTaskCompletion.findUnique({ where: key })) return false;
    await this.db.likeTaskCompletion.create({ data: completion });
    return true;
  }

  async listCompletions(taskId: number): Promise<LikeTaskCompletionRecord[]> {
    return this.db.likeTaskCompletion.findMany({ where: { taskId }, orderBy: { completedAt: 'asc' } });
  }

  async completionsOfShare(shareId: number): Promise<LikeTaskCompletionRecord[]> {
    return this.db.likeTaskCompletion.findMany({ where: { shareId }, orderBy: { taskId: 'asc' } });
  }

  async createRound(round: Omit<LikeRoundRecord, 'id' | 'status' | 'listChatId' | 'listMessageId' | 'closedAt'>): Promise<LikeRoundRecord> {
    return toRound(await this.db.likeRound.create({ data: round }));
  }

  async getRound(id: number, options: { lock?: boolean } = {}): Promise<LikeRoundRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "LikeRound" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.likeRound.findUnique({ where: { id } });
    return row ? toRound(row) : null;
  }

  async openRoundOf(groupId: string): Promise<LikeRoundRecord | null> {
    const row = await this.db.likeRound.findFirst({ where: { groupId, status: 'open' }, orderBy: { id: 'desc' } });
    return row ? toRound(row) : null;
  }

  async listOpenRounds(): Promise<LikeRoundRecord[]> {
    return (await this.db.likeRound.findMany({ where: { status: 'open' }, orderBy: { id: 'asc' } })).map(toRound);
  }

  async listOpenRoundsDue(now: Date): Promise<LikeRoundRecord[]> {
    return (await this.db.likeRound.findMany({ where: { status: 'open', endsAt: { lte: now } }, orderBy: { endsAt: 'asc' } })).map(toRound);
  }

  async updateRound(id: number, patch: Partial<Pick<LikeRoundRecord, 'status' | 'closedAt' | 'listChatId' | 'listMessageId'>>): Promise<void> {
    await this.db.likeRound.update({ where: { id }, data: patch });
  }

  async addEntry(entry: { roundId: number; memberId: string; shareId: number; joinedAt: Date }): Promise<void> {
    await this.db.likeRoundEntry.create({ data: entry });
  }

  async listEntries(roundId: number): Promise<RoundEntryView[]> {
    const entries = await this.db.likeRoundEntry.findMany({ where: { roundId }, orderBy: { joinedAt: 'asc' } });
    const members = await this.db.member.findMany({ where: { id: { in: entries.map((e) => e.memberId) } } });
    const byId = new Map(members.map((m) => [m.id, m]));
    return entries.map((e) => ({
      roundId: e.roundId, memberId: e.memberId, shareId: e.shareId, joinedAt: e.joinedAt, completed: e.completed, warned: e.warned,
      displayName: byId.get(e.memberId)?.displayName ?? e.memberId, memberLanguage: byId.get(e.memberId)?.language ?? null,
    }));
  }

  async markEntry(roundId: number, memberId: string, result: { completed: boolean; warned: boolean }): Promise<void> {
    await this.db.likeRoundEntry.update({ where: { roundId_memberId: { roundId, memberId } }, data: result });
  }

  async addWarning(warning: { groupId: string; memberId: string; reason: string; reference: string; at: Date }): Promise<void> {
    await this.db.memberWarning.create({
      data: { groupId: warning.groupId, memberId: warning.memberId, reason: warning.reason, reference: warning.reference, createdAt: warning.at },
    });
  }

  async activeWarnings(groupId: string, memberId: string): Promise<number> {
    return this.db.memberWarning.count({ where: { groupId, memberId, liftedAt: null } });
  }

  async liftWarnings(groupId: string, memberId: string, byId: string, at: Date): Promise<number> {
    const { count } = await this.db.memberWarning.updateMany({ where: { groupId, memberId, liftedAt: null }, data: { liftedAt: at, liftedById: byId } });
    return count;
  }

  async isExcluded(groupId: string, memberId: string): Promise<boolean> {
    const row = await this.db.groupMember.findUnique({ where: { groupId_memberId: { groupId, memberId } }, select: { excludedFromRounds: true } });
    return row?.excludedFromRounds ?? false;
  }

  async setExcluded(groupId: string, memberId: string, excluded: boolean): Promise<void> {
    await this.db.groupMember.updateMany({ where: { groupId, memberId }, data: { excludedFromRounds: excluded } });
  }

  getSettings(groupId: string): Promise<unknown> {
    return readSettingsSection(this.db, groupId, 'likes');
  }

  saveSettings(groupId: string, likes: unknown): Promise<void> {
    return writeSettingsSection(this.db, groupId, 'likes', likes);
  }
}
