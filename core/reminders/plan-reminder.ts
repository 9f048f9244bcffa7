import type { UseCaseEnv } from '../context.js';
import type { ScheduledJob } from '../ports.js';
import { predictNextOrders, type ProductFacts, type PurchaseFact } from './predict.js';
import type { ProductRecord, ReminderPlanRecord } from './reminder-store.js';

export const DAY_MS = 86_400_000;
/** Days before the predicted run-out a reminder goes when the admins set no lead for the product. */
export const DEFAULT_LEAD_DAYS = 3;

/**
 * The durable job that sends a plan's reminder. Its key holds the due time, so scheduling the same reminder twice
 * runs it once, and a job left over from an earlier plan finds the plan moved on and does nothing.
 */
export function reminderJob(plan: Pick<ReminderPlanRecord, 'id'>, dueAt: Date): ScheduledJob {
  return { name: 'reminder.send', runAt: dueAt, key: `reminder.send:${plan.id}:${dueAt.getTime()}`, data: { planId: plan.id, dueAt: dueAt.getTime() } };
}

/** What the predictors know of a product from what a group's admins set. */
export function productFacts(key: string, product: ProductRecord | null): ProductFacts {
  return { key, consumable: product?.consumable ?? true, ...(product?.unitDays ? { unitDays: product.unitDays } : {}) };
}

/**
 * Every delivered purchase of a product (in every group: one product lines up across buys and groups), and the
 * "already bought" answers of one member, as the predictors read them.
 */
export async function productHistory(env: UseCaseEnv, productKey: string, memberId?: string): Promise<PurchaseFact[]> {
  const purchases = await env.tx.reminders.listPurchases({ product: productKey });
  const facts: PurchaseFact[] = purchases.map((p) => ({ memberId: p.memberId, product: p.product, at: p.at, quantity: p.quantity, amount: p.quantity * p.unitPriceCents, source: 'buy' }));
  const plan = memberId ? await env.tx.reminders.findPlan(memberId, productKey) : null;
  if (plan?.elsewhereAt) facts.push({ memberId: plan.memberId, product: productKey, at: plan.elsewhereAt, quantity: 1, source: 'elsewhere' });
  return facts;
}

/**
 * Plans the member's next reminder for a product after something changed (a delivery, an "already bought", a
 * product setting): one plan per member and product, due the product's lead time before the predicted run-out
 * (never in the past), on a durable job. Nothing is planned for durables, after an opt-out, or without a
 * prediction (one purchase and nothing known of the product yet). Returns the plan, if any.
 */
export async function planReminder(env: UseCaseEnv, input: { groupId: string; memberId: string; productKey: string }): Promise<ReminderPlanRecord | null> {
  const { tx, now } = env;
  const { groupId, memberId, productKey } = input;
  const existing = await tx.reminders.findPlan(memberId, productKey, { lock: true });
  const product = await tx.reminders.getProduct(groupId, productKey);
  const nothing = async () => {
    if (existing) await tx.reminders.updatePlan(existing.id, { groupId, status: 'none', dueAt: null });
    return null;
  };
  if (product?.consumable === false || (await tx.reminders.isOptedOut(memberId, productKey))) return nothing();

  const history = await productHistory(env, productKey, memberId);
  const next = predictNextOrders(history, new Map([[productKey, productFacts(productKey, product)]]), now).find((n) => n.memberId === memberId);
  if (!next) return nothing();
  const lead = (product?.leadDays ?? DEFAULT_LEAD_DAYS) * DAY_MS;
  // The predicted run-out is the median date of the next restock (nextOrderAt opens the week it most likely falls
  // in, already early); the reminder goes the lead time before it, or now when that has passed.
  const runOut = next.medianOrderAt ?? next.nextOrderAt;
  const dueAt = new Date(Math.max(now.getTime(), runOut.getTime() - lead));
  const plan = await tx.reminders.savePlan(memberId, productKey, { groupId, status: 'pending', dueAt, nextOrderAt: runOut });
  env.out.schedule(reminderJob(plan, dueAt));
  return plan;
}

/** Plans again for every member who bought the product in the group, except those with a reminder awaiting an answer. */
export async function replanProduct(env: UseCaseEnv, groupId: string, productKey: string): Promise<void> {
  const buyers = new Set((await env.tx.reminders.listPurchases({ product: productKey, groupId })).map((p) => p.memberId));
  for (const memberId of buyers) {
    const plan = await env.tx.reminders.findPlan(memberId, productKey);
    if (plan?.status === 'sent') continue;
    await planReminder(env, { groupId: plan?.groupId ?? groupId, memberId, productKey });
  }
}
