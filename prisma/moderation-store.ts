/** The moderation feature's Store on Prisma (see core/moderation/moderation-store.ts). */
import type { FlagEvidence, FlagKind, HistoryEvent } from '../core/moderation/detect.js';
import type { AuthoredText } from '../core/moderation/text-signals.js';
import type { CaseStatus, FlagCaseRecord, ModerationStore, NewFlagCase, NoticeKind, PaidEntry } from '../core/moderation/moderation-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';
import { isTransactional } from './group-settings.js';

type Db = PrismaClient | Prisma.TransactionClient;

const withMembers = { members: true, notices: { select: { accounts: true } } } as const;

type CaseRow = Prisma.FlagCaseGetPayload<{ include: typeof withMembers }>;

export class PrismaModerationStore implements ModerationStore {
  readonly feature = 'moderation' as const;
  /** Within one transaction, members' first-seen times handed over by a like press (it never changes once set). */
  private readonly since = new Map<string, Date>();
  constructor(protected readonly db: Db) {}

  async history(groupId: string): Promise<HistoryEvent[]> {
    const [members, shares, likes, purchases, rounds, tasks] = await Promise.all([
      this.db.groupMember.findMany({ where: { groupId }, select: { memberId: true, firstSeenAt: true } }),
      this.db.share.findMany({ where: { groupId }, select: { id: true, memberId: true, chatId: true, createdAt: true } }),
      this.db.likeEvent.findMany({ where: { groupId, action: { in: ['like', 'unlike'] } }, orderBy: { id: 'asc' } }),
      this.db.purchase.findMany({ where: { groupId }, include: { buy: { select: { chatId: true } } } }),
      this.db.likeRound.findMany({ where: { groupId }, include: { entries: { select: { shareId: true } } } }),
      this.db.likeTask.findMany({ where: { groupId } }),
    ]);
    const completions = await this.db.likeTaskCompletion.findMany({ where: { taskId: { in: tasks.map((t) => t.id) } } });
    const events: HistoryEvent[] = [
      ...members.map((m): HistoryEvent => ({ type: 'member', user: m.memberId, chat: groupId, at: m.firstSeenAt })),
      ...shares.map((s): HistoryEvent => ({ type: 'post', post: String(s.id), author: s.memberId, chat: s.chatId, at: s.createdAt })),
      ...likes.map((l): HistoryEvent => ({ type: l.action === 'like' ? 'like' : 'unlike', post: String(l.shareId), user: l.likerId, at: l.createdAt })),
      ...purchases.map((p): HistoryEvent => ({
        type: 'purchase', user: p.memberId, chat: p.buy?.chatId ?? groupId, at: p.deliveredAt, amount: (p.quantity * p.unitPriceCents) / 100, product: p.product, quantity: p.quantity,
      })),
      ...rounds.map((r): HistoryEvent => ({ type: 'round', chat: r.chatId, posts: r.entries.map((e) => String(e.shareId)), start: r.opensAt, end: r.closedAt ?? r.endsAt })),
      // A like task is sanctioned context for each share that reached its goal, from the task's start to that share's
      // completion (likes after it, or on shares that never reached it, are evidence like any other).
      ...tasks.flatMap((task): HistoryEvent[] =>
        completions
          .filter((c) => c.taskId === task.id)
          .map((c): HistoryEvent => ({ type: 'round', chat: groupId, posts: [String(c.shareId)], start: task.createdAt, end: c.completedAt })),
      ),
    ];
    return events.sort((a, b) => timeOf(a) - timeOf(b));
  }

  async groupsWithShares(): Promise<string[]> {
    const rows = await this.db.share.findMany({ distinct: ['groupId'], select: { groupId: true }, orderBy: { groupId: 'asc' } });
    return rows.map((r) => r.groupId);
  }

  /** Keeps when a member was first seen in a group, as a like press read it, for the rest of the transaction. */
  knowMemberSince(groupId: string, memberId: string, since: Date | null): void {
    if (since && isTransactional(this.db)) this.since.set(`${groupId}\u0000${memberId}`, since);
  }

  async memberSince(groupId: string, memberId: string): Promise<Date | null> {
    const known = this.since.get(`${groupId}\u0000${memberId}`);
    if (known) return known;
    const [row] = await this.db.$queryRaw<{ firstSeenAt: Date }[]>`
      SELECT "firstSeenAt" FROM "GroupMember" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}`;
    return row?.firstSeenAt ?? null;
  }

  async membersSince(groupId: string, memberIds: string[]): Promise<Map<string, Date>> {
    if (memberIds.length === 0) return new Map();
    const rows = await this.db.groupMember.findMany({ where: { groupId, memberId: { in: memberIds } }, select: { memberId: true, firstSeenAt: true } });
    return new Map(rows.map((r) => [r.memberId, r.firstSeenAt]));
  }

  async caseLikes(groupId: string, shareIds: number[], memberIds: string[]): Promise<{ shareId: number; memberId: string; at: Date }[]> {
    if (shareIds.length === 0 || memberIds.length === 0) return [];
    const rows = await this.db.likeEvent.findMany({
      where: { groupId, action: 'like', shareId: { in: shareIds }, likerId: { in: memberIds } },
      select: { shareId: true, likerId: true, createdAt: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => ({ shareId: r.shareId, memberId: r.likerId, at: r.createdAt }));
  }

  async authoredTexts(groupId: string, memberIds: string[]): Promise<AuthoredText[]> {
    if (memberIds.length === 0) return [];
    const [shares, reviews] = await Promise.all([
      this.db.share.findMany({ where: { groupId, memberId: { in: memberIds }, text: { not: '' } }, select: { id: true, memberId: true, text: true, createdAt: true } }),
      this.db.review.findMany({ where: { groupId, memberId: { in: memberIds }, text: { not: '' } }, select: { id: true, memberId: true, text: true, createdAt: true } }),
    ]);
    return [
      ...shares.map((s) => ({ id: `share:${s.id}`, memberId: s.memberId, text: s.text, at: s.createdAt })),
      ...reviews.map((r) => ({ id: `review:${r.id}`, memberId: r.memberId, text: r.text, at: r.createdAt })),
    ]
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id))
      .map(({ id, memberId, text }) => ({ id, memberId, text }));
  }

  async listModerators(groupId: string): Promise<string[]> {
    return (await this.db.groupMember.findMany({ where: { groupId, isModerator: true }, select: { memberId: true } })).map((m) => m.memberId).sort();
  }

  async lockScans(groupId: string): Promise<void> {
    await this.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`moderation:scan:${groupId}`}, 0))`;
  }

  async createCase(flagCase: NewFlagCase): Promise<FlagCaseRecord | null> {
    const { members, evidence, ...row } = flagCase;
    const created = await this.db.flagCase.createMany({ data: [{ ...row, evidence: evidence as Prisma.InputJsonValue }], skipDuplicates: true });
    if (created.count !== 1) return null;
    const stored = await this.db.flagCase.findUniqueOrThrow({ where: { groupId_evidenceKey: { groupId: row.groupId, evidenceKey: row.evidenceKey } } });
    await this.db.flagCaseMember.createMany({ data: members.map((m) => ({ caseId: stored.id, memberId: m.memberId, score: m.score, reasons: m.reasons })) });
    return this.getCase(stored.id);
  }

  async extendCase(id: number, growth: { evidenceKey: string; evidence: FlagEvidence; members: { memberId: string; score: number; reasons: string[] }[] }): Promise<boolean> {
    const row = await this.db.flagCase.findUnique({ where: { id }, select: { groupId: true } });
    if (!row) return false;
    const taken = await this.db.flagCase.findUnique({ where: { groupId_evidenceKey: { groupId: row.groupId, evidenceKey: growth.evidenceKey } }, select: { id: true } });
    if (taken && taken.id !== id) return false;
    await this.db.flagCase.update({ where: { id }, data: { evidenceKey: growth.evidenceKey, evidence: growth.evidence as Prisma.InputJsonValue } });
    await this.db.flagCaseMember.createMany({ data: growth.members.map((m) => ({ caseId: id, memberId: m.memberId, score: m.score, reasons: m.reasons })), skipDuplicates: true });
    return true;
  }

  async getCase(id: number, options: { lock?: boolean } = {}): Promise<FlagCaseRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "FlagCase" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.flagCase.findUnique({ where: { id }, include: withMembers });
    return row && (await this.toCase(row));
  }

  async listCases(groupId: string, status?: CaseStatus): Promise<FlagCaseRecord[]> {
    const rows = await this.db.flagCase.findMany({ where: { groupId, ...(status ? { status } : {}) }, include: withMembers, orderBy: { id: 'desc' } });
    return Promise.all(rows.map((r) => this.toCase(r)));
  }

  async countAlertedSince(groupId: string, since: Date): Promise<number> {
    return this.db.flagCaseNotice.count({ where: { groupId, kind: { in: ['alert', 'update'] }, at: { gte: since } } });
  }

  async recordNotice(notice: { caseId: number; groupId: string; kind: NoticeKind; accounts: string[]; at: Date }): Promise<void> {
    await this.db.flagCaseNotice.create({ data: notice });
  }

  async markAlerted(caseIds: number[], at: Date): Promise<void> {
    await this.db.flagCase.updateMany({ where: { id: { in: caseIds } }, data: { alertedAt: at } });
  }

  async listUnalerted(groupId: string): Promise<FlagCaseRecord[]> {
    const rows = await this.db.flagCase.findMany({ where: { groupId, status: 'open', alertedAt: null }, include: withMembers, orderBy: { id: 'asc' } });
    return Promise.all(rows.map((r) => this.toCase(r)));
  }

  async decideCase(id: number, decision: { status: 'dismissed' | 'confirmed'; byId: string; at: Date }): Promise<void> {
    await this.db.flagCase.update({ where: { id }, data: { status: decision.status, handledById: decision.byId, handledAt: decision.at } });
  }

  async isFlagged(groupId: string, memberId: string): Promise<boolean> {
    return (await this.db.flagCaseMember.count({ where: { memberId, liftedAt: null, case: { groupId, status: 'confirmed' } } })) > 0;
  }

  async liftMember(groupId: string, memberId: string, at: Date): Promise<number> {
    const result = await this.db.flagCaseMember.updateMany({ where: { memberId, liftedAt: null, case: { groupId, status: 'confirmed' } }, data: { liftedAt: at } });
    return result.count;
  }

  async voidLike(share: { id: number; groupId: string; memberId: string }, likerId: string, at: Date, platform: string): Promise<boolean> {
    const removed = await this.db.shareLike.deleteMany({ where: { shareId: share.id, likerId } });
    if (removed.count === 0) return false;
    await this.db.likeEvent.create({
      data: { shareId: share.id, groupId: share.groupId, likerId, authorId: share.memberId, action: 'void', source: 'moderation', platform, createdAt: at },
    });
    return true;
  }

  async paidForKeys(keys: string[]): Promise<PaidEntry[]> {
    if (keys.length === 0) return [];
    return this.db.pointEntry.findMany({ where: { key: { in: keys } }, select: { key: true, memberId: true, amount: true, reference: true }, orderBy: { id: 'asc' } });
  }

  private async toCase(row: CaseRow): Promise<FlagCaseRecord> {
    const people = await this.db.member.findMany({ where: { id: { in: row.members.map((m) => m.memberId) } }, select: { id: true, displayName: true, username: true } });
    const byId = new Map(people.map((p) => [p.id, p]));
    const named = new Set(row.notices.flatMap((n) => (Array.isArray(n.accounts) ? n.accounts.filter((a): a is string => typeof a === 'string') : [])));
    return {
      id: row.id, groupId: row.groupId, chatId: row.chatId, kind: row.kind as FlagKind, status: row.status as CaseStatus, evidenceKey: row.evidenceKey,
      evidence: row.evidence as FlagEvidence, createdAt: row.createdAt, alertedAt: row.alertedAt, handledById: row.handledById, handledAt: row.handledAt,
      members: row.members
        .map((m) => ({
          memberId: m.memberId, displayName: byId.get(m.memberId)?.displayName ?? m.memberId, username: byId.get(m.memberId)?.username ?? null,
          score: m.score, reasons: Array.isArray(m.reasons) ? m.reasons.filter((r): r is string => typeof r === 'string') : [], liftedAt: m.liftedAt,
          announced: named.has(m.memberId),
        }))
        .sort((a, b) => a.memberId.localeCompare(b.memberId)),
    };
  }
}

function timeOf(event: HistoryEvent): number {
  return (event.type === 'round' ? event.start : event.at).getTime();
}
