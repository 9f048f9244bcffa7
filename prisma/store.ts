/**
 * The core's Store on Prisma: the only place that turns core records into rows and back. Works the same on
 * PGlite and on a PostgreSQL server; row locks (SELECT ... FOR UPDATE) serialise changes to one buy.
 */
import type { Language } from '../core/app.js';
import type { Tier } from '../core/group-buy/pricing.js';
import type {
  BuyRecord, BuyStatus, ConfirmationRecord, DialogueRecord, GroupRecord, MemberRecord, MemberSignUp, NewBuyRecord, PointEntryInput,
  BuyTally, SignUpRecord, SignUpView, Store, StoreTx, Variant,
} from '../core/store.js';
import { SEEN_REFRESH_MS } from '../core/store.js';
import { directSqlOf, type DirectSql } from './direct-sql.js';
import type { Prisma, PrismaClient } from './generated/client.js';
import { isTransactional, primeSettings, transactional } from './group-settings.js';
import { PrismaDashboardStore } from './dashboard-store.js';
import { PrismaLikeStore } from './like-store.js';
import { PrismaModerationStore } from './moderation-store.js';
import { PrismaMessageStore } from './message-store.js';
import { PrismaPointsStore } from './points-store.js';
import { PrismaPrivacyStore } from './privacy-store.js';
import { PrismaReminderStore } from './reminder-store.js';
import { PrismaReviewStore } from './review-store.js';

type Db = PrismaClient | Prisma.TransactionClient;

export const asLanguage = (value: string | null): Language | null => (value === 'zh-CN' || value === 'en' ? value : null);

function toMember(row: { id: string; platform: string; displayName: string; username: string | null; language: string | null; languageChosen: boolean }): MemberRecord {
  return { id: row.id, platform: row.platform, displayName: row.displayName, username: row.username, language: asLanguage(row.language), languageChosen: row.languageChosen };
}

function toGroup(row: { id: string; platform: string; title: string | null; language: string | null; timeZone: string; currency: string }): GroupRecord {
  return { id: row.id, platform: row.platform, title: row.title, language: asLanguage(row.language), timeZone: row.timeZone, currency: row.currency };
}

function toConfirmation(row: Omit<ConfirmationRecord, 'data'> & { data: unknown }): ConfirmationRecord {
  return { ...row, data: (row.data ?? {}) as Record<string, unknown> };
}

function toTiers(value: unknown): Tier[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((t): t is Tier => typeof t === 'object' && t !== null && Number.isInteger((t as Tier).minUnits) && Number.isInteger((t as Tier).priceCents))
    .map((t) => ({ minUnits: t.minUnits, priceCents: t.priceCents }));
}

function toVariants(value: unknown): Variant[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is Variant => typeof v === 'object' && v !== null && typeof (v as Variant).name === 'string' && Number.isInteger((v as Variant).priceCents) && Number.isInteger((v as Variant).stock))
    .map((v) => ({ name: v.name, priceCents: v.priceCents, stock: v.stock }));
}

export type BuyRow = Omit<BuyRecord, 'tiers' | 'status' | 'variants'> & { tiers: unknown; status: string; variants: unknown };
export function toBuy(row: BuyRow): BuyRecord {
  return { ...row, tiers: toTiers(row.tiers), variants: toVariants(row.variants), status: row.status as BuyStatus };
}

type SignUpRow = SignUpRecord & { updatedAt?: Date };
export function toSignUp(row: SignUpRow): SignUpRecord {
  return {
    id: row.id, buyId: row.buyId, memberId: row.memberId, quantity: row.quantity, status: row.status,
    joinedAt: row.joinedAt, waitlistedAt: row.waitlistedAt, leftAt: row.leftAt, paidAt: row.paidAt, deliveredAt: row.deliveredAt,
    variant: row.variant ?? null, note: row.note ?? null,
  };
}

/** recordPresence's one read (every column null when its row does not exist). */
interface PresenceRow {
  claimed: number;
  memberId: string | null; memberPlatform: string | null; displayName: string | null; username: string | null; memberLanguage: string | null; languageChosen: boolean | null;
  groupId: string | null; groupPlatform: string | null; title: string | null; groupLanguage: string | null; timeZone: string | null; currency: string | null; settings: unknown;
  seenMemberId: string | null; lastSeenAt: Date | string | null; leftAt: Date | string | null;
}

/** StoreTx over a Prisma client or transaction client. */
class PrismaStoreTx implements StoreTx {
  readonly reviews: PrismaReviewStore;
  readonly likes: PrismaLikeStore;
  readonly points: PrismaPointsStore;
  readonly reminders: PrismaReminderStore;
  readonly messages: PrismaMessageStore;
  readonly moderation: PrismaModerationStore;
  readonly privacy: PrismaPrivacyStore;
  /** Groups read in this transaction (recordPresence's included), by id; only for transaction clients. */
  private readonly groups = new Map<string, GroupRecord>();
  readonly dashboard: PrismaDashboardStore;
  constructor(protected readonly db: Db) {
    this.reviews = new PrismaReviewStore(db);
    // A share or like written drops what the points store primed for /me (shares and likes given are among it);
    // what a like press read about the liker goes to the stores that answer those questions next.
    this.likes = new PrismaLikeStore(db, () => this.points.forgetLikes(), (liker) => {
      this.points.knowLiker(liker.groupId, liker.likerId, liker);
      this.moderation.knowMemberSince(liker.groupId, liker.likerId, liker.memberSince);
    });
    this.points = new PrismaPointsStore(db);
    this.reminders = new PrismaReminderStore(db);
    this.messages = new PrismaMessageStore(db);
    this.moderation = new PrismaModerationStore(db);
    this.privacy = new PrismaPrivacyStore(db);
    this.dashboard = new PrismaDashboardStore(db);
  }

  async claimUpdate(key: string, at: Date): Promise<boolean> {
    const result = await this.db.processedUpdate.createMany({ data: [{ key, processedAt: at }], skipDuplicates: true });
    return result.count === 1;
  }

  async pruneUpdates(before: Date): Promise<number> {
    return (await this.db.processedUpdate.deleteMany({ where: { processedAt: { lt: before } } })).count;
  }

  async upsertMember(m: { id: string; platform: string; displayName: string; username?: string; language?: Language }): Promise<MemberRecord> {
    // One statement: the app's language is followed until the member chooses one with /lang.
    const username = m.username ?? null;
    const [row] = await this.db.$queryRaw<Parameters<typeof toMember>[0][]>`
      INSERT INTO "Member" ("id", "platform", "displayName", "username", "language", "updatedAt")
      VALUES (${m.id}, ${m.platform}, ${m.displayName}, ${username}, ${m.language ?? null}, ${new Date()})
      ON CONFLICT ("id") DO UPDATE SET
        "displayName" = EXCLUDED."displayName",
        "username" = CASE WHEN ${m.username !== undefined}::boolean THEN EXCLUDED."username" ELSE "Member"."username" END,
        "language" = CASE WHEN NOT "Member"."languageChosen" AND EXCLUDED."language" IS NOT NULL THEN EXCLUDED."language" ELSE "Member"."language" END,
        "updatedAt" = EXCLUDED."updatedAt"
      RETURNING "id", "platform", "displayName", "username", "language", "languageChosen"`;
    return toMember(row!);
  }

  async recordPresence(p: Parameters<StoreTx['recordPresence']>[0]): Promise<{ member: MemberRecord; group: GroupRecord | null } | null> {
    const groupId = p.group?.id ?? null;
    // One statement claims the update key and reads all three rows; the group's settings come along for the
    // features that read them in this event.
    const [row] = await this.db.$queryRaw<PresenceRow[]>`
      WITH claim AS (
        INSERT INTO "ProcessedUpdate" ("key", "processedAt") SELECT ${p.updateKey ?? ''}::text, ${p.at}::timestamp(3) WHERE ${p.updateKey !== undefined}::boolean
        ON CONFLICT DO NOTHING RETURNING 1
      )
      SELECT (SELECT COUNT(*) FROM claim)::int AS "claimed",
             m."id" AS "memberId", m."platform" AS "memberPlatform", m."displayName", m."username", m."language" AS "memberLanguage", m."languageChosen",
             g."id" AS "groupId", g."platform" AS "groupPlatform", g."title", g."language" AS "groupLanguage", g."timeZone", g."currency", g."settings",
             gm."memberId" AS "seenMemberId", gm."lastSeenAt", gm."leftAt"
      FROM (SELECT 1) AS one
      LEFT JOIN "Member" m ON m."id" = ${p.member.id}
      LEFT JOIN "Group" g ON g."id" = ${groupId}
      LEFT JOIN "GroupMember" gm ON gm."groupId" = ${groupId} AND gm."memberId" = ${p.member.id}`;
    if (p.updateKey !== undefined && row?.claimed !== 1) return null;
    const m = p.member;
    const username = m.username !== undefined ? m.username : row?.username ?? null;
    const memberChanged =
      !row?.memberId || row.displayName !== m.displayName || (row.username ?? null) !== username ||
      (!row.languageChosen && m.language !== undefined && row.memberLanguage !== m.language);
    const member = memberChanged
      ? await this.upsertMember(m)
      : toMember({ id: row!.memberId!, platform: row!.memberPlatform!, displayName: row!.displayName!, username: row!.username, language: row!.memberLanguage, languageChosen: row!.languageChosen! });
    if (!p.group) return { member, group: null };
    const g = p.group;
    let group: GroupRecord;
    if (!row?.groupId || (g.title !== undefined && row.title !== g.title)) group = await this.ensureGroup(g);
    else {
      group = toGroup({ id: row.groupId, platform: row.groupPlatform!, title: row.title, language: row.groupLanguage, timeZone: row.timeZone!, currency: row.currency! });
      primeSettings(this.db, row.groupId, row.settings);
    }
    this.keepGroup(group);
    if (p.left) await this.markGroupMemberLeft(group.id, member.id, p.at);
    else if (!row?.seenMemberId || row.leftAt !== null || !row.lastSeenAt || p.at.getTime() - new Date(row.lastSeenAt).getTime() > SEEN_REFRESH_MS) {
      await this.touchGroupMember(group.id, member.id, p.at);
    }
    return { member, group };
  }

  async getMember(id: string): Promise<MemberRecord | null> {
    const [row] = await this.db.$queryRaw<Parameters<typeof toMember>[0][]>`
      SELECT "id", "platform", "displayName", "username", "language", "languageChosen" FROM "Member" WHERE "id" = ${id}`;
    return row ? toMember(row) : null;
  }

  async setMemberLanguage(id: string, language: Language | null, chosen: boolean): Promise<void> {
    await this.db.member.update({ where: { id }, data: { language, languageChosen: chosen } });
  }

  async latestGroupLanguage(memberId: string): Promise<Language | null> {
    const row = await this.db.groupMember.findFirst({
      where: { memberId, leftAt: null, group: { language: { not: null } } },
      orderBy: { lastSeenAt: 'desc' },
      select: { group: { select: { language: true } } },
    });
    return row ? asLanguage(row.group.language) : null;
  }

  async findGroupMemberByUsername(groupId: string, username: string): Promise<MemberRecord | null> {
    const row = await this.db.member.findFirst({
      where: { username: { equals: username, mode: 'insensitive' }, memberships: { some: { groupId } } },
      orderBy: { updatedAt: 'desc' },
    });
    return row ? toMember(row) : null;
  }

  async ensureGroup(g: { id: string; platform: string; title?: string }): Promise<GroupRecord> {
    const row = await this.db.group.upsert({
      where: { id: g.id },
      create: { id: g.id, platform: g.platform, title: g.title ?? null },
      update: g.title !== undefined ? { title: g.title } : {},
    });
    return this.keepGroup(toGroup(row));
  }

  async getGroup(id: string): Promise<GroupRecord | null> {
    const known = this.groups.get(id);
    if (known) return { ...known };
    // Raw (one statement on the driver): live-card renders read the group each time.
    const [row] = await this.db.$queryRaw<Parameters<typeof toGroup>[0][]>`
      SELECT "id", "platform", "title", "language", "timeZone", "currency" FROM "Group" WHERE "id" = ${id}`;
    return row ? this.keepGroup(toGroup(row)) : null;
  }

  async updateGroup(id: string, patch: { language?: Language | null; timeZone?: string }): Promise<GroupRecord> {
    return this.keepGroup(toGroup(await this.db.group.update({ where: { id }, data: patch })));
  }

  /** Remembers a group as just read or written, within a transaction (a copy: callers may change theirs). */
  private keepGroup(group: GroupRecord): GroupRecord {
    if (isTransactional(this.db)) this.groups.set(group.id, { ...group });
    return group;
  }

  async touchGroupMember(groupId: string, memberId: string, at: Date): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO "GroupMember" ("groupId", "memberId", "firstSeenAt", "lastSeenAt") VALUES (${groupId}, ${memberId}, ${at}, ${at})
      ON CONFLICT ("groupId", "memberId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt", "leftAt" = NULL`;
  }

  async markGroupMemberLeft(groupId: string, memberId: string, at: Date): Promise<void> {
    await this.db.groupMember.updateMany({ where: { groupId, memberId }, data: { leftAt: at } });
  }

  async isGroupMember(groupId: string, memberId: string): Promise<boolean> {
    return (await this.db.groupMember.count({ where: { groupId, memberId, leftAt: null } })) > 0;
  }

  async setModerator(groupId: string, memberId: string, isModerator: boolean): Promise<void> {
    await this.db.groupMember.upsert({
      where: { groupId_memberId: { groupId, memberId } },
      create: { groupId, memberId, isModerator },
      update: { isModerator },
    });
  }

  async isModerator(groupId: string, memberId: string): Promise<boolean> {
    const [row] = await this.db.$queryRaw<{ isModerator: boolean }[]>`
      SELECT "isModerator" FROM "GroupMember" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}`;
    return row?.isModerator ?? false;
  }

  async createBuy(buy: NewBuyRecord): Promise<BuyRecord> {
    const row = await this.db.groupBuy.create({ data: { ...buy, tiers: buy.tiers as unknown as Prisma.InputJsonValue, variants: buy.variants as unknown as Prisma.InputJsonValue } });
    return toBuy(row);
  }

  async getBuy(id: number, options: { lock?: boolean } = {}): Promise<BuyRecord | null> {
    if (options.lock) {
      // The row as it is once locked, in the same statement.
      const [locked] = await this.db.$queryRaw<BuyRow[]>`SELECT * FROM "GroupBuy" WHERE "id" = ${id} FOR UPDATE`;
      return locked ? toBuy({ ...locked, status: String(locked.status) }) : null;
    }
    const [row] = await this.db.$queryRaw<BuyRow[]>`SELECT * FROM "GroupBuy" WHERE "id" = ${id}`;
    return row ? toBuy({ ...row, status: String(row.status) }) : null;
  }

  async latestOpenBuy(chatId: string, options: { lock?: boolean } = {}): Promise<BuyRecord | null> {
    if (!options.lock) return this.latestBuy(chatId, ['open']);
    // The newest open buy is chosen first, then its row is locked and read as it is once locked (in one statement).
    const [locked] = await this.db.$queryRaw<BuyRow[]>`
      SELECT * FROM "GroupBuy"
      WHERE "id" = (SELECT "id" FROM "GroupBuy" WHERE "chatId" = ${chatId} AND "status" = 'open' ORDER BY "id" DESC LIMIT 1)
      FOR UPDATE`;
    return locked ? toBuy({ ...locked, status: String(locked.status) }) : null;
  }

  async findBuyByCard(chatId: string, messageId: string): Promise<BuyRecord | null> {
    const row = await this.db.groupBuy.findFirst({ where: { cardChatId: chatId, cardMessageId: messageId } });
    return row ? toBuy(row) : null;
  }

  async latestBuy(chatId: string, statuses: BuyStatus[]): Promise<BuyRecord | null> {
    const row = await this.db.groupBuy.findFirst({ where: { chatId, status: { in: statuses } }, orderBy: { id: 'desc' } });
    return row ? toBuy(row) : null;
  }

  async listOpenBuys(chatId: string): Promise<BuyRecord[]> {
    return (await this.db.groupBuy.findMany({ where: { chatId, status: 'open' }, orderBy: { id: 'asc' } })).map(toBuy);
  }

  async listOpenBuysDue(now: Date): Promise<BuyRecord[]> {
    return (await this.db.groupBuy.findMany({ where: { status: 'open', endsAt: { lte: now } }, orderBy: { endsAt: 'asc' } })).map(toBuy);
  }

  async listOpenBuysAll(): Promise<BuyRecord[]> {
    return (await this.db.groupBuy.findMany({ where: { status: 'open' }, orderBy: { id: 'asc' } })).map(toBuy);
  }

  async updateBuy(id: number, patch: Parameters<StoreTx['updateBuy']>[1]): Promise<BuyRecord> {
    return toBuy(await this.db.groupBuy.update({ where: { id }, data: patch }));
  }

  async listSignUps(buyId: number): Promise<SignUpView[]> {
    // One joined read (the card's render after every join and /export read it whole).
    const rows = await this.db.$queryRaw<(SignUpRow & { displayName: string; username: string | null; memberLanguage: string | null })[]>`
      SELECT s.*, m."displayName", m."username", m."language" AS "memberLanguage"
      FROM "SignUp" s JOIN "Member" m ON m."id" = s."memberId" WHERE s."buyId" = ${buyId} ORDER BY s."id"`;
    return rows.map((r) => ({ ...toSignUp(r), displayName: r.displayName, username: r.username, memberLanguage: asLanguage(r.memberLanguage) }));
  }

  async buyTally(buyId: number, memberId?: string, options: { variants?: boolean } = {}): Promise<BuyTally> {
    // One pass over the buy's sign-ups (per variant only when asked), and the member's own sign-up, in one statement.
    const [row] = await this.db.$queryRaw<{ active: number; waitlisted: number; variants: [string, number][] | null; mine: (Omit<SignUpRow, 'joinedAt'> & Record<string, unknown>) | null }[]>`
      SELECT COALESCE(SUM("quantity") FILTER (WHERE "status" = 'active'), 0)::int AS "active",
             COUNT(*) FILTER (WHERE "status" = 'waitlisted')::int AS "waitlisted",
             CASE WHEN ${options.variants === true}::boolean
               THEN json_agg(json_build_array("variant", "quantity")) FILTER (WHERE "status" = 'active' AND "variant" IS NOT NULL) END AS "variants",
             (SELECT to_json(s) FROM "SignUp" s WHERE s."buyId" = ${buyId} AND s."memberId" = ${memberId ?? null}) AS "mine"
      FROM "SignUp" WHERE "buyId" = ${buyId}`;
    const tally: BuyTally = { activeUnits: row?.active ?? 0, variantUnits: {}, waitlisted: row?.waitlisted ?? 0, mine: null };
    for (const [name, quantity] of row?.variants ?? []) tally.variantUnits[name] = (tally.variantUnits[name] ?? 0) + quantity;
    const mine = row?.mine;
    if (mine) {
      // to_json writes timestamps without their zone: they are UTC, as Prisma stores them.
      const at = (v: unknown) => (typeof v === 'string' ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`) : v === null || v === undefined ? null : (v as Date));
      tally.mine = toSignUp({
        ...(mine as unknown as SignUpRow),
        joinedAt: at(mine.joinedAt)!, waitlistedAt: at(mine.waitlistedAt), leftAt: at(mine.leftAt), paidAt: at(mine.paidAt), deliveredAt: at(mine.deliveredAt),
      });
    }
    return tally;
  }

  async getSignUp(buyId: number, memberId: string): Promise<SignUpRecord | null> {
    const [row] = await this.db.$queryRaw<SignUpRow[]>`SELECT * FROM "SignUp" WHERE "buyId" = ${buyId} AND "memberId" = ${memberId}`;
    return row ? toSignUp(row) : null;
  }

  async createSignUp(s: Parameters<StoreTx['createSignUp']>[0]): Promise<SignUpRecord> {
    const [row] = await this.db.$queryRaw<SignUpRow[]>`
      INSERT INTO "SignUp" ("buyId", "memberId", "quantity", "status", "joinedAt", "waitlistedAt", "variant", "note", "updatedAt")
      VALUES (${s.buyId}, ${s.memberId}, ${s.quantity}, ${s.status}::"SignUpStatus", ${s.joinedAt}, ${s.waitlistedAt}, ${s.variant ?? null}, ${s.note ?? null}, ${new Date()})
      RETURNING *`;
    return toSignUp(row!);
  }

  async updateSignUp(id: number, patch: Partial<Omit<SignUpRecord, 'id' | 'buyId' | 'memberId'>>): Promise<SignUpRecord> {
    // One statement whatever the patch: each column is set when the patch has it (undefined leaves it, as Prisma does).
    const has = (key: keyof typeof patch) => patch[key] !== undefined;
    const [row] = await this.db.$queryRaw<SignUpRow[]>`
      UPDATE "SignUp" SET
        "quantity" = CASE WHEN ${has('quantity')}::boolean THEN ${patch.quantity ?? null}::int ELSE "quantity" END,
        "status" = CASE WHEN ${has('status')}::boolean THEN ${patch.status ?? null}::"SignUpStatus" ELSE "status" END,
        "joinedAt" = CASE WHEN ${has('joinedAt')}::boolean THEN ${patch.joinedAt ?? null}::timestamp(3) ELSE "joinedAt" END,
        "waitlistedAt" = CASE WHEN ${has('waitlistedAt')}::boolean THEN ${patch.waitlistedAt ?? null}::timestamp(3) ELSE "waitlistedAt" END,
        "leftAt" = CASE WHEN ${has('leftAt')}::boolean THEN ${patch.leftAt ?? null}::timestamp(3) ELSE "leftAt" END,
        "paidAt" = CASE WHEN ${has('paidAt')}::boolean THEN ${patch.paidAt ?? null}::timestamp(3) ELSE "paidAt" END,
        "deliveredAt" = CASE WHEN ${has('deliveredAt')}::boolean THEN ${patch.deliveredAt ?? null}::timestamp(3) ELSE "deliveredAt" END,
        "variant" = CASE WHEN ${has('variant')}::boolean THEN ${patch.variant ?? null}::text ELSE "variant" END,
        "note" = CASE WHEN ${has('note')}::boolean THEN ${patch.note ?? null}::text ELSE "note" END,
        "updatedAt" = ${new Date()}
      WHERE "id" = ${id}
      RETURNING *`;
    if (!row) throw new Error(`no sign-up ${id} to update`);
    return toSignUp(row);
  }

  async listSignUpsOfMember(memberId: string): Promise<MemberSignUp[]> {
    const rows = await this.db.signUp.findMany({
      where: { memberId, status: { not: 'left' } },
      include: { buy: { include: { group: true } } },
      orderBy: { joinedAt: 'desc' },
      take: 50,
    });
    return rows.map((r) => ({ signUp: toSignUp(r), buy: toBuy(r.buy), groupTitle: r.buy.group.title }));
  }

  async relabelPurchases(buyId: number, product: string): Promise<void> {
    await this.db.purchase.updateMany({ where: { buyId }, data: { product } });
  }

  async recordPurchase(p: Parameters<StoreTx['recordPurchase']>[0]): Promise<boolean> {
    this.points.forgetPrimed();
    const result = await this.db.purchase.createMany({ data: [p], skipDuplicates: true });
    return result.count === 1;
  }

  async removePurchase(signUpId: number): Promise<boolean> {
    this.points.forgetPrimed();
    return (await this.db.purchase.deleteMany({ where: { signUpId } })).count > 0;
  }

  async createConfirmation(c: Omit<ConfirmationRecord, 'id' | 'answeredAt'>): Promise<ConfirmationRecord> {
    return toConfirmation(await this.db.confirmation.create({ data: { ...c, data: c.data as Prisma.InputJsonValue } }));
  }

  async getConfirmation(id: number, options: { lock?: boolean } = {}): Promise<ConfirmationRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "Confirmation" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.confirmation.findUnique({ where: { id } });
    return row ? toConfirmation(row) : null;
  }

  async answerConfirmation(id: number, at: Date): Promise<void> {
    await this.db.confirmation.update({ where: { id }, data: { answeredAt: at } });
  }

  async getDialogue(chatId: string, memberId: string): Promise<DialogueRecord | null> {
    const row = await this.db.dialogue.findUnique({ where: { chatId_memberId: { chatId, memberId } } });
    if (!row) return null;
    return { chatId: row.chatId, memberId: row.memberId, kind: row.kind, step: row.step, data: (row.data ?? {}) as Record<string, unknown>, updatedAt: row.updatedAt };
  }

  async saveDialogue(d: DialogueRecord): Promise<void> {
    const data = d.data as Prisma.InputJsonValue;
    await this.db.dialogue.upsert({
      where: { chatId_memberId: { chatId: d.chatId, memberId: d.memberId } },
      // The core's clock, not the database's: a dialogue's timeout is a core rule, tested with a manual clock.
      create: { chatId: d.chatId, memberId: d.memberId, kind: d.kind, step: d.step, data, updatedAt: d.updatedAt },
      update: { kind: d.kind, step: d.step, data, updatedAt: d.updatedAt },
    });
  }

  async deleteDialogue(chatId: string, memberId: string): Promise<void> {
    await this.db.dialogue.deleteMany({ where: { chatId, memberId } });
  }

  async addPointEntry(e: PointEntryInput): Promise<boolean> {
    this.points.forgetPrimed(e.reason);
    const added = await this.db.$executeRaw`
      INSERT INTO "PointEntry" ("groupId", "memberId", "amount", "reason", "reference", "actorId", "note", "key", "createdAt")
      VALUES (${e.groupId}, ${e.memberId}, ${e.amount}, ${e.reason}, ${e.reference ?? null}, ${e.actorId ?? null}, ${e.note ?? null}, ${e.key}, ${e.at})
      ON CONFLICT DO NOTHING`;
    return added === 1;
  }

  async pointsBalance(groupId: string, memberId: string): Promise<number> {
    const known = this.points.primedBalance(groupId, memberId);
    if (known !== undefined) return known;
    const [row] = await this.db.$queryRaw<{ sum: number }[]>`
      SELECT COALESCE(SUM("amount"), 0)::int AS "sum" FROM "PointEntry" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId}`;
    return row?.sum ?? 0;
  }

  async logAdminAction(a: { groupId: string; actorId: string; action: string; detail: Record<string, unknown>; at: Date }): Promise<void> {
    await this.db.adminAction.create({
      data: { groupId: a.groupId, actorId: a.actorId, action: a.action, detail: a.detail as Prisma.InputJsonValue, createdAt: a.at },
    });
  }
}

/** Options of PrismaStore. */
export interface PrismaStoreOptions {
  /**
   * At most this many transactions at once (default 10, the default pool size; PGlite runs one at a time anyway).
   * The others wait in line in the process, in arrival order, instead of timing out while waiting for a connection.
   */
  concurrency?: number;
  /** A transaction waiting in line longer than this fails (default 10 minutes). */
  queueWaitMs?: number;
}

/**
 * The Store over a Prisma client. Transactions beyond `concurrency` queue in the process (a burst of 5,000 joins
 * on one buy waits its turn instead of failing with "Unable to start a transaction in the given time"); once its
 * turn comes, a transaction waits up to 60 s for a connection and may run 60 s.
 */
export class PrismaStore extends PrismaStoreTx implements Store {
  private readonly gate: Gate;
  private readonly direct: DirectSql | undefined;
  constructor(private readonly prisma: PrismaClient, options: PrismaStoreOptions = {}) {
    // A client opened by openDatabase runs raw statements and transactions on its driver (direct-sql.ts).
    const direct = directSqlOf(prisma);
    super(direct ? direct.rootDb(prisma) : prisma);
    this.direct = direct;
    this.gate = new Gate(options.concurrency ?? 10, options.queueWaitMs ?? 10 * 60_000);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    await this.gate.enter();
    try {
      if (this.direct) return await this.direct.transaction(this.prisma, (db) => fn(new PrismaStoreTx(transactional(db))));
      return await this.prisma.$transaction((tx) => fn(new PrismaStoreTx(transactional(tx))), { maxWait: 60_000, timeout: 60_000 });
    } finally {
      this.gate.leave();
    }
  }
}

/** A counting semaphore with a first-in-first-out line and a bounded wait. */
class Gate {
  private running = 0;
  private readonly waiting: { go: () => void; timer: ReturnType<typeof setTimeout> }[] = [];
  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  enter(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        go: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(new Error(`the database stayed busy: waited ${Math.round(this.maxWaitMs / 1000)} s in line for a transaction`));
        }, this.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  leave(): void {
    const next = this.waiting.shift();
    // The place passes straight to the next in line.
    if (next) next.go();
    else this.running--;
  }
}
