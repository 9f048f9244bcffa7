/** The reminder feature's Store on Prisma (see core/reminders/reminder-store.ts). */
import type {
  ProductPatch, ProductRecord, PurchaseRow, ReminderPlanPatch, ReminderPlanRecord, ReminderStatus, ReminderStore,
} from '../core/reminders/reminder-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

type PlanRow = Omit<ReminderPlanRecord, 'status'> & { status: string; updatedAt?: Date };
const toPlan = (row: PlanRow): ReminderPlanRecord => ({
  id: row.id, memberId: row.memberId, productKey: row.productKey, groupId: row.groupId, status: row.status as ReminderStatus,
  dueAt: row.dueAt, nextOrderAt: row.nextOrderAt, elsewhereAt: row.elsewhereAt, sentAt: row.sentAt,
});
const toProduct = (row: ProductRecord & { updatedAt?: Date }): ProductRecord => ({
  groupId: row.groupId, key: row.key, unitDays: row.unitDays, consumable: row.consumable, leadDays: row.leadDays,
});

export class PrismaReminderStore implements ReminderStore {
  constructor(private readonly db: Db) {}

  async getProduct(groupId: string, key: string): Promise<ProductRecord | null> {
    const row = await this.db.product.findUnique({ where: { groupId_key: { groupId, key } } });
    return row ? toProduct(row) : null;
  }

  async saveProduct(groupId: string, key: string, patch: ProductPatch): Promise<ProductRecord> {
    return toProduct(await this.db.product.upsert({ where: { groupId_key: { groupId, key } }, create: { groupId, key, ...patch }, update: patch }));
  }

  async listProducts(groupId: string): Promise<ProductRecord[]> {
    return (await this.db.product.findMany({ where: { groupId }, orderBy: { key: 'asc' } })).map(toProduct);
  }

  async productKnown(groupId: string, key: string): Promise<boolean> {
    const [buy, purchase] = await Promise.all([
      this.db.groupBuy.findFirst({ where: { groupId, productKey: key }, select: { id: true } }),
      this.db.purchase.findFirst({ where: { groupId, product: key }, select: { id: true } }),
    ]);
    return buy !== null || purchase !== null;
  }

  async openBuyOf(groupId: string, productKey: string, now: Date): Promise<number | null> {
    const row = await this.db.groupBuy.findFirst({ where: { groupId, productKey, status: 'open', endsAt: { gt: now } }, orderBy: { id: 'desc' }, select: { id: true } });
    return row?.id ?? null;
  }

  async listPurchases(filter: { product?: string; groupId?: string; memberId?: string }): Promise<PurchaseRow[]> {
    const rows = await this.db.purchase.findMany({
      where: { ...(filter.product ? { product: filter.product } : {}), ...(filter.groupId ? { groupId: filter.groupId } : {}), ...(filter.memberId ? { memberId: filter.memberId } : {}) },
      orderBy: [{ deliveredAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => ({ memberId: r.memberId, groupId: r.groupId, product: r.product, quantity: r.quantity, unitPriceCents: r.unitPriceCents, at: r.deliveredAt }));
  }

  async getPlan(id: number, options: { lock?: boolean } = {}): Promise<ReminderPlanRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "ReminderPlan" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.reminderPlan.findUnique({ where: { id } });
    return row ? toPlan(row) : null;
  }

  async findPlan(memberId: string, productKey: string, options: { lock?: boolean } = {}): Promise<ReminderPlanRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "ReminderPlan" WHERE "memberId" = ${memberId} AND "productKey" = ${productKey} FOR UPDATE`;
    const row = await this.db.reminderPlan.findUnique({ where: { memberId_productKey: { memberId, productKey } } });
    return row ? toPlan(row) : null;
  }

  async savePlan(memberId: string, productKey: string, plan: ReminderPlanPatch & { groupId: string; status: ReminderStatus }): Promise<ReminderPlanRecord> {
    return toPlan(await this.db.reminderPlan.upsert({ where: { memberId_productKey: { memberId, productKey } }, create: { memberId, productKey, ...plan }, update: plan }));
  }

  async updatePlan(id: number, patch: ReminderPlanPatch): Promise<ReminderPlanRecord> {
    return toPlan(await this.db.reminderPlan.update({ where: { id }, data: patch }));
  }

  async listPlans(filter: { status: ReminderStatus; groupId?: string; productKey?: string; dueBefore?: Date; memberId?: string }): Promise<ReminderPlanRecord[]> {
    const rows = await this.db.reminderPlan.findMany({
      where: {
        status: filter.status,
        ...(filter.groupId ? { groupId: filter.groupId } : {}),
        ...(filter.productKey ? { productKey: filter.productKey } : {}),
        ...(filter.memberId ? { memberId: filter.memberId } : {}),
        ...(filter.dueBefore ? { dueAt: { lte: filter.dueBefore } } : {}),
      },
      orderBy: { id: 'asc' },
    });
    return rows.map(toPlan);
  }

  async isOptedOut(memberId: string, productKey: string): Promise<boolean> {
    return (await this.db.reminderOptOut.count({ where: { memberId, productKey: { in: [productKey, '*'] } } })) > 0;
  }

  async setOptOut(memberId: string, productKey: string, optedOut: boolean): Promise<void> {
    if (optedOut) await this.db.reminderOptOut.createMany({ data: [{ memberId, productKey }], skipDuplicates: true });
    else await this.db.reminderOptOut.deleteMany({ where: { memberId, productKey } });
  }

  async clearOptOuts(memberId: string): Promise<void> {
    await this.db.reminderOptOut.deleteMany({ where: { memberId } });
  }

  async setDigest(groupId: string, memberId: string, on: boolean): Promise<void> {
    if (on) await this.db.churnDigestSubscription.createMany({ data: [{ groupId, memberId }], skipDuplicates: true });
    else await this.db.churnDigestSubscription.deleteMany({ where: { groupId, memberId } });
  }

  async isDigestSubscriber(groupId: string, memberId: string): Promise<boolean> {
    return (await this.db.churnDigestSubscription.count({ where: { groupId, memberId } })) > 0;
  }

  async claimDigest(groupId: string, memberId: string, week: Date): Promise<boolean> {
    await this.db.$queryRaw`SELECT "groupId" FROM "ChurnDigestSubscription" WHERE "groupId" = ${groupId} AND "memberId" = ${memberId} FOR UPDATE`;
    const claimed = await this.db.churnDigestSubscription.updateMany({
      where: { groupId, memberId, OR: [{ lastSentFor: null }, { lastSentFor: { lt: week } }] },
      data: { lastSentFor: week },
    });
    return claimed.count === 1;
  }

  async listDigestSubscriptions(): Promise<{ groupId: string; memberId: string }[]> {
    return this.db.churnDigestSubscription.findMany({ select: { groupId: true, memberId: true }, orderBy: [{ groupId: 'asc' }, { memberId: 'asc' }] });
  }
}
