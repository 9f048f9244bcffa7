/** The dashboard's tables (DashboardLink, DashboardSession, DashboardSessionGroup) and its page reads, on Prisma. */
import type {
  DashboardLinkRecord, DashboardSessionRecord, DashboardStore, GroupMemberRow, LikeRoundHistoryRow, LikeTaskHistoryRow, SessionGroup,
} from '../core/dashboard/dashboard-store.js';
import type { Language } from '../core/kernel/language.js';
import type { BuyRecord, SignUpView } from '../core/store.js';
import type { Prisma, PrismaClient } from './generated/client.js';
import { asLanguage, toBuy, toSignUp, type BuyRow } from './store.js';

type Db = PrismaClient | Prisma.TransactionClient;

type SessionRow = { id: number; memberId: string; csrfToken: string; language: string | null; createdAt: Date; expiresAt: Date; groups?: { groupId: string; chatId: string }[] };
const toSession = (row: SessionRow): DashboardSessionRecord => ({
  id: row.id, memberId: row.memberId, csrfToken: row.csrfToken, language: asLanguage(row.language), createdAt: row.createdAt, expiresAt: row.expiresAt,
  groups: (row.groups ?? []).map((g) => ({ groupId: g.groupId, chatId: g.chatId })),
});

export class PrismaDashboardStore implements DashboardStore {
  constructor(private readonly db: Db) {}

  async createLink(link: { tokenHash: string; memberId: string; groupId: string; chatId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    await this.db.dashboardLink.create({ data: link });
  }

  async claimLink(tokenHash: string, now: Date): Promise<{ ok: true; link: DashboardLinkRecord } | { ok: false; reason: 'unknown' | 'used' | 'expired' }> {
    // One conditional UPDATE: of two requests with one link, exactly one sees a row changed.
    const { count } = await this.db.dashboardLink.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    const row = await this.db.dashboardLink.findUnique({ where: { tokenHash } });
    if (!row) return { ok: false, reason: 'unknown' };
    if (count === 1) return { ok: true, link: row };
    return { ok: false, reason: row.usedAt ? 'used' : 'expired' };
  }

  async createSession(s: { tokenHash: string; memberId: string; csrfToken: string; createdAt: Date; expiresAt: Date }): Promise<DashboardSessionRecord> {
    return toSession(await this.db.dashboardSession.create({ data: s }));
  }

  async getSession(tokenHash: string): Promise<DashboardSessionRecord | null> {
    const row = await this.db.dashboardSession.findUnique({ where: { tokenHash }, include: { groups: { orderBy: { addedAt: 'asc' } } } });
    return row ? toSession(row) : null;
  }

  async addSessionGroup(sessionId: number, group: SessionGroup, at: Date): Promise<void> {
    await this.db.dashboardSessionGroup.upsert({
      where: { sessionId_groupId: { sessionId, groupId: group.groupId } },
      create: { sessionId, groupId: group.groupId, chatId: group.chatId, addedAt: at },
      update: { chatId: group.chatId },
    });
  }

  async setSessionLanguage(sessionId: number, language: Language | null): Promise<void> {
    await this.db.dashboardSession.update({ where: { id: sessionId }, data: { language } });
  }

  async setFlash(sessionId: number, flash: { ok: boolean; text: string }): Promise<void> {
    await this.db.dashboardSession.updateMany({ where: { id: sessionId }, data: { flash } });
  }

  async takeFlash(sessionId: number): Promise<{ ok: boolean; text: string } | null> {
    const rows = await this.db.$queryRaw<{ flash: unknown }[]>`
      UPDATE "DashboardSession" s SET "flash" = NULL
      FROM (SELECT "id", "flash" FROM "DashboardSession" WHERE "id" = ${sessionId} AND "flash" IS NOT NULL FOR UPDATE) old
      WHERE s."id" = old."id"
      RETURNING old."flash" AS flash`;
    const value = rows[0]?.flash as { ok?: unknown; text?: unknown } | undefined;
    return value && typeof value.text === 'string' ? { ok: value.ok === true, text: value.text } : null;
  }

  async deleteSession(sessionId: number): Promise<void> {
    await this.db.dashboardSession.deleteMany({ where: { id: sessionId } });
  }

  async deleteExpired(before: Date): Promise<number> {
    const links = await this.db.dashboardLink.deleteMany({ where: { expiresAt: { lt: before } } });
    const sessions = await this.db.dashboardSession.deleteMany({ where: { expiresAt: { lt: before } } });
    return links.count + sessions.count;
  }

  async listBuysOfGroup(groupId: string, limit: number): Promise<BuyRecord[]> {
    const rows = await this.db.groupBuy.findMany({ where: { groupId }, orderBy: { id: 'desc' }, take: limit });
    return rows.map((r) => toBuy(r as BuyRow));
  }

  async listSignUpsOfBuys(buyIds: readonly number[]): Promise<SignUpView[]> {
    if (buyIds.length === 0) return [];
    const rows = await this.db.signUp.findMany({ where: { buyId: { in: [...buyIds] } }, include: { member: true }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({ ...toSignUp(r), displayName: r.member.displayName, username: r.member.username, memberLanguage: asLanguage(r.member.language) }));
  }

  async listGroupMembers(groupId: string): Promise<GroupMemberRow[]> {
    const rows = await this.db.groupMember.findMany({ where: { groupId, leftAt: null }, include: { member: true }, orderBy: [{ firstSeenAt: 'asc' }, { memberId: 'asc' }] });
    const sums = await this.db.pointEntry.groupBy({ by: ['memberId'], where: { groupId }, _sum: { amount: true } });
    const points = new Map(sums.map((r) => [r.memberId, r._sum.amount ?? 0]));
    const checkIns = await this.db.checkIn.findMany({ where: { groupId }, orderBy: { day: 'asc' } });
    const lastCheckIn = new Map(checkIns.map((r) => [r.memberId, { day: r.day, streak: r.streak }]));
    const badges = new Map<string, string[]>();
    for (const b of await this.db.badgeAward.findMany({ where: { groupId }, orderBy: { awardedAt: 'asc' } })) badges.set(b.memberId, [...(badges.get(b.memberId) ?? []), b.badge]);
    return rows.map((r) => ({
      memberId: r.memberId, displayName: r.member.displayName, username: r.member.username, level: r.level, isModerator: r.isModerator, firstSeenAt: r.firstSeenAt,
      points: points.get(r.memberId) ?? 0, lastCheckIn: lastCheckIn.get(r.memberId) ?? null, badges: badges.get(r.memberId) ?? [],
    }));
  }

  async listLikeRounds(groupId: string, limit: number): Promise<LikeRoundHistoryRow[]> {
    const rounds = await this.db.likeRound.findMany({ where: { groupId }, orderBy: { id: 'desc' }, take: limit, include: { entries: { orderBy: { joinedAt: 'asc' } } } });
    const names = await this.names(rounds.flatMap((r) => r.entries.map((e) => e.memberId)));
    return rounds.map((r) => ({
      id: r.id, status: r.status, opensAt: r.opensAt, endsAt: r.endsAt,
      entries: r.entries.map((e) => ({ memberId: e.memberId, displayName: names.get(e.memberId) ?? e.memberId, shareId: e.shareId, completed: e.completed })),
    }));
  }

  async listLikeTasks(groupId: string, limit: number, now: Date): Promise<LikeTaskHistoryRow[]> {
    const tasks = await this.db.likeTask.findMany({ where: { groupId }, orderBy: { id: 'desc' }, take: limit });
    const completions = await this.db.likeTaskCompletion.findMany({ where: { taskId: { in: tasks.map((t) => t.id) } }, orderBy: { completedAt: 'asc' } });
    const names = await this.names(completions.map((c) => c.memberId));
    const out: LikeTaskHistoryRow[] = [];
    for (const t of tasks) {
      const sharesDuring = await this.db.share.count({ where: { groupId, createdAt: { gte: t.createdAt, lte: t.endedAt ?? now } } });
      out.push({
        id: t.id, goalLikes: t.goalLikes, withinMinutes: t.withinMinutes, rewardPoints: t.rewardPoints, active: t.active, createdAt: t.createdAt, endedAt: t.endedAt,
        sharesDuring,
        completions: completions.filter((c) => c.taskId === t.id).map((c) => ({ memberId: c.memberId, displayName: names.get(c.memberId) ?? c.memberId, shareId: c.shareId, completedAt: c.completedAt })),
      });
    }
    return out;
  }

  private async names(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const members = await this.db.member.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, displayName: true } });
    return new Map(members.map((m) => [m.id, m.displayName]));
  }

  async listAdminActions(groupId: string, limit: number): Promise<{ at: Date; actorId: string; actorName: string; action: string; detail: Record<string, unknown> }[]> {
    const rows = await this.db.adminAction.findMany({ where: { groupId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    const names = new Map((await this.db.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.actorId))] } } })).map((m) => [m.id, m.displayName]));
    return rows.map((r) => ({
      at: r.createdAt, actorId: r.actorId, actorName: names.get(r.actorId) ?? r.actorId, action: r.action,
      detail: typeof r.detail === 'object' && r.detail !== null && !Array.isArray(r.detail) ? (r.detail as Record<string, unknown>) : {},
    }));
  }
}
