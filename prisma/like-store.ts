/** The likes feature's Store on Prisma (see core/likes/like-store.ts). */
import type {
  LikeEventRecord, LikeRoundRecord, LikeStore, LikeTaskCompletionRecord, LikeTaskRecord, RoundEntryView, RoundStatus, ShareRecord,
} from '../core/likes/like-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';
import { readSettingsSection, writeSettingsSection } from './group-settings.js';

type Db = PrismaClient | Prisma.TransactionClient;

function toTask(row: { id: number; groupId: string; goalLikes: number; withinMinutes: number; rewardPoints: number; rewardCodes: unknown; active: boolean; createdById: string; createdAt: Date; endedAt: Date | null }): LikeTaskRecord {
  const codes = Array.isArray(row.rewardCodes) ? row.rewardCodes.filter((c): c is string => typeof c === 'string') : [];
  return { ...row, rewardCodes: codes };
}

function toRound(row: { id: number; groupId: string; chatId: string; status: string; createdById: string; opensAt: Date; endsAt: Date; listChatId: string | null; listMessageId: string | null; closedAt: Date | null }): LikeRoundRecord {
  return { ...row, status: row.status as RoundStatus };
}

export class PrismaLikeStore implements LikeStore {
  readonly feature = 'likes' as const;
  constructor(
    protected readonly db: Db,
    /** Called when a share or a like is written (the points store drops what it read of them). */
    private readonly written: () => void = () => {},
  ) {}

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

  async hasLike(shareId: number, likerId: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<unknown[]>`SELECT 1 FROM "ShareLike" WHERE "shareId" = ${shareId} AND "likerId" = ${likerId}`;
    return rows.length > 0;
  }

  async addLike(shareId: number, likerId: string, at: Date): Promise<void> {
    this.written();
    await this.db.$executeRaw`INSERT INTO "ShareLike" ("shareId", "likerId", "createdAt") VALUES (${shareId}, ${likerId}, ${at})`;
  }

  async removeLike(shareId: number, likerId: string): Promise<void> {
    this.written();
    await this.db.shareLike.deleteMany({ where: { shareId, likerId } });
  }

  async recountLikes(shareId: number): Promise<number> {
    // Counted and stored in one statement.
    const [row] = await this.db.$queryRaw<{ likeCount: number }[]>`
      UPDATE "Share" SET "likeCount" = (SELECT COUNT(*)::int FROM "ShareLike" WHERE "shareId" = ${shareId}) WHERE "id" = ${shareId} RETURNING "likeCount"`;
    if (!row) throw new Error(`no share ${shareId} to recount`);
    return row.likeCount;
  }

  async appendLikeEvent(e: Omit<LikeEventRecord, 'id'>): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO "LikeEvent" ("shareId", "groupId", "likerId", "authorId", "action", "source", "platform", "createdAt")
      VALUES (${e.shareId}, ${e.groupId}, ${e.likerId}, ${e.authorId}, ${e.action}, ${e.source}, ${e.platform}, ${e.createdAt})`;
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
    return toTask(await this.db.likeTask.create({ data: { ...task, rewardCodes: task.rewardCodes } }));
  }

  async getTask(id: number, options: { lock?: boolean } = {}): Promise<LikeTaskRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "LikeTask" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.likeTask.findUnique({ where: { id } });
    return row ? toTask(row) : null;
  }

  async listActiveTasks(groupId: string): Promise<LikeTaskRecord[]> {
    const rows = await this.db.$queryRaw<Parameters<typeof toTask>[0][]>`SELECT * FROM "LikeTask" WHERE "groupId" = ${groupId} AND "active" ORDER BY "id"`;
    return rows.map(toTask);
  }

  async endTask(id: number, at: Date): Promise<void> {
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
