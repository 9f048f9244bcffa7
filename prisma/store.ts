/**
 * The core's Store on Prisma: the only place that turns core records into rows and back. Works the same on
 * PGlite and on a PostgreSQL server; row locks (SELECT ... FOR UPDATE) serialise changes to one buy.
 */
import type { Language } from '../core/app.js';
import type { Tier } from '../core/group-buy/pricing.js';
import type {
  BuyRecord, BuyStatus, ConfirmationRecord, DialogueRecord, GroupRecord, MemberRecord, MemberSignUp, NewBuyRecord, PointEntryInput,
  SignUpRecord, SignUpView, Store, StoreTx, Variant,
} from '../core/store.js';
import type { Prisma, PrismaClient } from './generated/client.js';
import { PrismaDashboardStore } from './dashboard-store.js';
import { PrismaLikeStore } from './like-store.js';
import { PrismaModerationStore } from './moderation-store.js';
import { PrismaMessageStore } from './message-store.js';
import { PrismaPointsStore } from './points-store.js';
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

/** StoreTx over a Prisma client or transaction client. */
class PrismaStoreTx implements StoreTx {
  readonly reviews: PrismaReviewStore;
  readonly likes: PrismaLikeStore;
  readonly points: PrismaPointsStore;
  readonly reminders: PrismaReminderStore;
  readonly messages: PrismaMessageStore;
  readonly moderation: PrismaModerationStore;
  readonly dashboard: PrismaDashboardStore;
  constructor(protected readonly db: Db) {
    this.reviews = new PrismaReviewStore(db);
    this.likes = new PrismaLikeStore(db);
    this.points = new PrismaPointsStore(db);
    this.reminders = new PrismaReminderStore(db);
    this.messages = new PrismaMessageStore(db);
    this.moderation = new PrismaModerationStore(db);
    this.dashboard = new PrismaDashboardStore(db);
  }

  async claimUpdate(key: string, at: Date): Promise<boolean> {
    const result = await this.db.processedUpdate.createMany({ data: [{ key, processedAt: at }], skipDuplicates: true });
    return result.count === 1;
  }

  async upsertMember(m: { id: string; platform: string; displayName: string; username?: string; language?: Language }): Promise<MemberRecord> {
    const row = await this.db.member.upsert({
      where: { id: m.id },
      create: { id: m.id, platform: m.platform, displayName: m.displayName, username: m.username ?? null, language: m.language ?? null },
      update: { displayName: m.displayName, ...(m.username !== undefined ? { username: m.username } : {}) },
    });
    // The app's language is followed until the member chooses one with /lang.
    if (!row.languageChosen && m.language && row.language !== m.language) {
      return toMember(await this.db.member.update({ where: { id: m.id }, data: { language: m.language } }));
    }
    return toMember(row);
  }

  async getMember(id: string): Promise<MemberRecord | null> {
    const row = await this.db.member.findUnique({ where: { id } });
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
    return toGroup(row);
  }

  async getGroup(id: string): Promise<GroupRecord | null> {
    const row = await this.db.group.findUnique({ where: { id } });
    return row ? toGroup(row) : null;
  }

  async updateGroup(id: string, patch: { language?: Language | null; timeZone?: string }): Promise<GroupRecord> {
    return toGroup(await this.db.group.update({ where: { id }, data: patch }));
  }

  async touchGroupMember(groupId: string, memberId: string, at: Date): Promise<void> {
    await this.db.groupMember.upsert({
      where: { groupId_memberId: { groupId, memberId } },
      create: { groupId, memberId, firstSeenAt: at, lastSeenAt: at },
      update: { lastSeenAt: at, leftAt: null },
    });
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
    const row = await this.db.groupMember.findUnique({ where: { groupId_memberId: { groupId, memberId } } });
    return row?.isModerator ?? false;
  }

  async createBuy(buy: NewBuyRecord): Promise<BuyRecord> {
    const row = await this.db.groupBuy.create({ data: { ...buy, tiers: buy.tiers as unknown as Prisma.InputJsonValue, variants: buy.variants as unknown as Prisma.InputJsonValue } });
    return toBuy(row);
  }

  async getBuy(id: number, options: { lock?: boolean } = {}): Promise<BuyRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "GroupBuy" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.groupBuy.findUnique({ where: { id } });
    return row ? toBuy(row) : null;
  }

  async latestOpenBuy(chatId: string): Promise<BuyRecord | null> {
    return this.latestBuy(chatId, ['open']);
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
    const rows = await this.db.signUp.findMany({ where: { buyId }, include: { member: true }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({ ...toSignUp(r), displayName: r.member.displayName, username: r.member.username, memberLanguage: asLanguage(r.member.language) }));
  }

  async getSignUp(buyId: number, memberId: string): Promise<SignUpRecord | null> {
    const row = await this.db.signUp.findUnique({ where: { buyId_memberId: { buyId, memberId } } });
    return row ? toSignUp(row) : null;
  }

  async createSignUp(s: Parameters<StoreTx['createSignUp']>[0]): Promise<SignUpRecord> {
    return toSignUp(await this.db.signUp.create({ data: s }));
  }

  async updateSignUp(id: number, patch: Partial<Omit<SignUpRecord, 'id' | 'buyId' | 'memberId'>>): Promise<SignUpRecord> {
    return toSignUp(await this.db.signUp.update({ where: { id }, data: patch }));
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
    const result = await this.db.purchase.createMany({ data: [p], skipDuplicates: true });
    return result.count === 1;
  }

  async removePurchase(signUpId: number): Promise<boolean> {
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
    const result = await this.db.pointEntry.createMany({
      data: [{
        groupId: e.groupId, memberId: e.memberId, amount: e.amount, reason: e.reason, reference: e.reference ?? null,
        actorId: e.actorId ?? null, note: e.note ?? null, key: e.key, createdAt: e.at,
      }],
      skipDuplicates: true,
    });
    return result.count === 1;
  }

  async pointsBalance(groupId: string, memberId: string): Promise<number> {
    const result = await this.db.pointEntry.aggregate({ where: { groupId, memberId }, _sum: { amount: true } });
    return result._sum.amount ?? 0;
  }

  async logAdminAction(a: { groupId: string; actorId: string; action: string; detail: Record<string, unknown>; at: Date }): Promise<void> {
    await this.db.adminAction.create({
      data: { groupId: a.groupId, actorId: a.actorId, action: a.action, detail: a.detail as Prisma.InputJsonValue, createdAt: a.at },
    });
  }
}

/** The Store over a Prisma client. Transactions wait up to 60 s for a connection (bursts of joins queue up). */
export class PrismaStore extends PrismaStoreTx implements Store {
  constructor(private readonly prisma: PrismaClient) {
    super(prisma);
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => fn(new PrismaStoreTx(tx)), { maxWait: 60_000, timeout: 60_000 });
  }
}
