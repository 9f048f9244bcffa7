import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { describeJoin } from '../group-buy/module.js';
import { joinGroupBuy } from '../group-buy/join-group-buy.js';
import { formatDateTime } from '../time/parse-when.js';
import { DAY_MS, planReminder, reminderJob } from './plan-reminder.js';
import type { ReminderPlanRecord } from './reminder-store.js';
import { LATER_DAYS, sentStamp } from './send-reminder.js';

export type ReminderAnswer = 'join' | 'later' | 'bought' | 'stop';

/**
 * The plan a reminder's button acts on, locked; refuses a press that is not for the reminder now awaiting an
 * answer (pressed before, or a button of an older reminder), so each reminder's buttons work once.
 */
async function answerable(ctx: HandlerContext, planId: number, stamp: string | undefined): Promise<ReminderPlanRecord> {
  const plan = await ctx.tx.reminders.getPlan(planId, { lock: true });
  if (!plan || plan.status !== 'sent' || sentStamp(plan) !== stamp) throw new UserError('reminder.answered');
  return plan;
}

/** A press on a reminder's buttons: Join the open buy, remind me later, already bought, no more for this product. */
export async function answerReminder(ctx: HandlerContext, answer: ReminderAnswer, planId: number, [stamp, value]: string[]): Promise<void> {
  const plan = await answerable(ctx, planId, stamp);
  const toast = (text: string) => ctx.out.push({ kind: 'toast', text });
  switch (answer) {
    case 'join': {
      const group = await ctx.tx.getGroup(plan.groupId);
      const buy = await ctx.tx.getBuy(Number(value));
      if (!group || !buy || buy.groupId !== plan.groupId || buy.productKey !== plan.productKey) throw new UserError('generic.stale_button');
      // Joins as if pressed on the buy's card in the group: the same checks (open, limit, waitlist).
      const outcome = await joinGroupBuy({ ...ctx, group }, { buyId: buy.id, quantity: 1, mode: 'once' });
      await ctx.tx.reminders.updatePlan(plan.id, { status: 'joined' });
      return toast(describeJoin({ ...ctx, group }, outcome));
    }
    case 'later': {
      const days = Number(value);
      if (!(LATER_DAYS as readonly number[]).includes(days)) throw new UserError('generic.stale_button');
      const dueAt = new Date(ctx.now.getTime() + days * DAY_MS);
      await ctx.tx.reminders.updatePlan(plan.id, { status: 'pending', dueAt });
      ctx.out.schedule(reminderJob(plan, dueAt));
      return toast(say(ctx, 'reminder.later_ok', { days }));
    }
    case 'bought': {
      // "Already bought" resets the clock like a purchase of one unit.
      await ctx.tx.reminders.updatePlan(plan.id, { status: 'bought', elsewhereAt: ctx.now });
      const next = await planReminder(ctx, { groupId: plan.groupId, memberId: plan.memberId, productKey: plan.productKey });
      const group = await ctx.tx.getGroup(plan.groupId);
      return toast(
        next?.dueAt && group
          ? say(ctx, 'reminder.bought_ok', { when: formatDateTime(next.dueAt, group.timeZone).slice(0, 10) })
          : say(ctx, 'reminder.bought_ok_no_next'),
      );
    }
    case 'stop':
      await ctx.tx.reminders.setOptOut(plan.memberId, plan.productKey, true);
      await ctx.tx.reminders.updatePlan(plan.id, { status: 'stopped', dueAt: null });
      return toast(say(ctx, 'reminder.stopped_product', { product: plan.productKey }));
  }
}
