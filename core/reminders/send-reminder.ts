import { memberLanguage, type UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import { promptPostponedUntil, recordPrompt } from '../messages/prompt-timing.js';
import type { Button } from '../replies.js';
import { readReviewSettings } from '../reviews/review-settings.js';
import type { BuyRecord, GroupRecord } from '../store.js';
import { formatDateTime } from '../time/parse-when.js';
import { reminderJob } from './plan-reminder.js';
import type { ReminderPlanRecord } from './reminder-store.js';

export type ReminderOutcome = 'sent' | 'postponed' | 'skipped' | 'stale';

/** The days "Remind me later" offers. */
export const LATER_DAYS = [3, 7] as const;

/** A sent reminder's stamp in its buttons: a press counts only for the reminder it came with. */
export const sentStamp = (plan: Pick<ReminderPlanRecord, 'sentAt'>): string => (plan.sentAt ? plan.sentAt.getTime().toString(36) : '');

/** The buttons of a reminder: Join (when a buy is open), later, already bought, no more for this product. */
export function reminderButtons(plan: ReminderPlanRecord, buy: BuyRecord | null, lang: Language): Button[][] {
  const stamp = sentStamp(plan);
  return [
    ...(buy ? [[{ label: t(lang, 'reminder.button_join', { id: buy.id }), action: `rm:join:${plan.id}:${stamp}:${buy.id}` }]] : []),
    LATER_DAYS.map((days) => ({ label: t(lang, 'reminder.button_later', { days }), action: `rm:later:${plan.id}:${stamp}:${days}` })),
    [{ label: t(lang, 'reminder.button_bought'), action: `rm:bought:${plan.id}:${stamp}` }],
    [{ label: t(lang, 'reminder.button_stop'), action: `rm:stop:${plan.id}:${stamp}` }],
  ];
}

function reminderText(plan: ReminderPlanRecord, buy: BuyRecord | null, group: GroupRecord, lang: Language): string {
  const runsOut = plan.nextOrderAt ? formatDateTime(plan.nextOrderAt, group.timeZone).slice(0, 10) : '';
  return [
    t(lang, 'reminder.dm', { product: plan.productKey, date: runsOut, group: group.title ?? '' }),
    buy
      ? t(lang, 'reminder.dm_open_buy', { id: buy.id, title: buy.title, ends: formatDateTime(buy.endsAt, group.timeZone) })
      : t(lang, 'reminder.dm_no_buy', { group: group.title ?? '' }),
  ].join('\n');
}

/**
 * The `reminder.send` job: sends a plan's reminder that was due at `dueAt`, unless the plan moved on, the product
 * became a durable, the member opted out or left the group. Quiet hours and the weekly cap (shared with review
 * requests) postpone it. Idempotent: the plan row is locked, and a job whose due time is no longer the plan's
 * finds nothing to do, so two processes running the same job send once.
 */
export async function sendReminder(env: UseCaseEnv, planId: number, dueAt: number): Promise<ReminderOutcome> {
  const { tx, now } = env;
  const plan = await tx.reminders.getPlan(planId, { lock: true });
  if (!plan || plan.status !== 'pending' || plan.dueAt?.getTime() !== dueAt) return 'stale';
  const product = await tx.reminders.getProduct(plan.groupId, plan.productKey);
  const [group, member] = await Promise.all([tx.getGroup(plan.groupId), tx.getMember(plan.memberId)]);
  if (
    !group || !member || product?.consumable === false ||
    (await tx.reminders.isOptedOut(plan.memberId, plan.productKey)) || !(await tx.isGroupMember(plan.groupId, plan.memberId))
  ) {
    await tx.reminders.updatePlan(plan.id, { status: 'none', dueAt: null });
    return 'skipped';
  }
  const { settings } = readReviewSettings(await tx.reviews.getSettings(group.id));
  const later = await promptPostponedUntil(tx, { memberId: member.id, now, quietHours: settings.quietHours, weeklyCap: settings.weeklyCap, timeZone: group.timeZone });
  if (later) {
    await tx.reminders.updatePlan(plan.id, { dueAt: later });
    env.out.schedule(reminderJob(plan, later));
    return 'postponed';
  }
  const buyId = await tx.reminders.openBuyOf(group.id, plan.productKey, now);
  const buy = buyId === null ? null : await tx.getBuy(buyId);
  const sent = await tx.reminders.updatePlan(plan.id, { status: 'sent', sentAt: now, dueAt: null });
  const lang = memberLanguage(member, group, env.defaultLanguage);
  env.out.push({ kind: 'message', to: { memberId: member.id }, text: reminderText(sent, buy, group, lang), buttons: reminderButtons(sent, buy, lang) });
  await recordPrompt(tx, { memberId: member.id, groupId: group.id, kind: 'repurchase_reminder', at: now });
  return 'sent';
}
