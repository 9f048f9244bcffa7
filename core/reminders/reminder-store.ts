/**
 * The reminder feature's data, as the core sees it (implemented in prisma/reminder-store.ts): what admins said
 * about products, the one reminder plan per member and product, opt-outs, churn digest subscriptions, and the
 * purchase history the predictions read. Reached from a transaction as `tx.reminders`.
 */

/** What a group's admins set for a product; a product nobody set anything for has none of these rows. */
export interface ProductRecord {
  groupId: string;
  key: string;
  /** Days one unit lasts, as set; null when learned from purchases. */
  unitDays: number | null;
  consumable: boolean;
  /** Days before the predicted run-out the reminder goes; null for the default. */
  leadDays: number | null;
}

export type ProductPatch = Partial<Pick<ProductRecord, 'unitDays' | 'consumable' | 'leadDays'>>;

/**
 * - `pending`: a reminder is due at `dueAt`;
 * - `sent`: the reminder went out and its buttons wait for an answer;
 * - `joined`, `bought`, `stopped`: the member answered with that button;
 * - `none`: nothing is planned (no prediction, a durable product, an opt-out, or the member left).
 */
export type ReminderStatus = 'pending' | 'sent' | 'joined' | 'bought' | 'stopped' | 'none';

export interface ReminderPlanRecord {
  id: number;
  memberId: string;
  productKey: string;
  /** The group of the member's latest purchase of the product: its settings, its open buys. */
  groupId: string;
  status: ReminderStatus;
  dueAt: Date | null;
  nextOrderAt: Date | null;
  /** When the member last answered "already bought". */
  elsewhereAt: Date | null;
  sentAt: Date | null;
}

export type ReminderPlanPatch = Partial<Omit<ReminderPlanRecord, 'id' | 'memberId' | 'productKey'>>;

/** One delivered purchase, as the predictions read it. */
export interface PurchaseRow {
  memberId: string;
  groupId: string;
  product: string;
  quantity: number;
  unitPriceCents: number;
  /** When it was delivered (the member has it from then on). */
  at: Date;
}

export interface ReminderStore {
  getProduct(groupId: string, key: string): Promise<ProductRecord | null>;
  saveProduct(groupId: string, key: string, patch: ProductPatch): Promise<ProductRecord>;
  /** Products the group's admins set something for, by key. */
  listProducts(groupId: string): Promise<ProductRecord[]>;
  /** Whether the key names a buy or a purchase of the group (so `/product` can refuse typos). */
  productKnown(groupId: string, key: string): Promise<boolean>;

  /** The newest buy of the product open in the group until after `now`, by id; null when none is. */
  openBuyOf(groupId: string, productKey: string, now: Date): Promise<number | null>;

  /** Delivered purchases, oldest first: of a product (every group), of a group, or of a member. */
  listPurchases(filter: { product?: string; groupId?: string; memberId?: string }): Promise<PurchaseRow[]>;

  /** Reads a plan; with `lock`, holds its row until the transaction ends (one sender at a time). */
  getPlan(id: number, options?: { lock?: boolean }): Promise<ReminderPlanRecord | null>;
  findPlan(memberId: string, productKey: string, options?: { lock?: boolean }): Promise<ReminderPlanRecord | null>;
  /** Creates the member's plan for a product, or replaces the existing one's fields (one per member and product). */
  savePlan(memberId: string, productKey: string, plan: ReminderPlanPatch & { groupId: string; status: ReminderStatus }): Promise<ReminderPlanRecord>;
  updatePlan(id: number, patch: ReminderPlanPatch): Promise<ReminderPlanRecord>;
  /** Plans with a status, optionally of one group and product, or due before a time. */
  listPlans(filter: { status: ReminderStatus; groupId?: string; productKey?: string; dueBefore?: Date; memberId?: string }): Promise<ReminderPlanRecord[]>;

  /** Whether the member stopped reminders for this product or for all (`/stop reminders`). */
  isOptedOut(memberId: string, productKey: string): Promise<boolean>;
  /** Stops (or resumes) reminders for one product, or for all with `*`. */
  setOptOut(memberId: string, productKey: string | '*', optedOut: boolean): Promise<void>;
  /** Lifts every opt-out of the member (`/start reminders`). */
  clearOptOuts(memberId: string): Promise<void>;

  setDigest(groupId: string, memberId: string, on: boolean): Promise<void>;
  isDigestSubscriber(groupId: string, memberId: string): Promise<boolean>;
  /**
   * Claims the digest of the week starting `week` for a subscriber, with the subscription's row locked: false when it
   * was already sent (or the admin unsubscribed), so a job run twice sends once.
   */
  claimDigest(groupId: string, memberId: string, week: Date): Promise<boolean>;
  listDigestSubscriptions(): Promise<{ groupId: string; memberId: string }[]>;
}
