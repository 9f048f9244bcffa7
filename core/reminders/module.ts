/**
 * Repurchase reminders as the kernel sees it: `/product`, `/products` and `/churn` for admins, the buttons of a
 * reminder, the send and digest jobs with their start-up reconciliation, `/stop reminders` and `/start reminders`,
 * and subscriptions to group-buy's facts (a delivery plans the next reminder; a buy opening brings the reminders
 * of members due for its product forward) and to the kernel's (a member who left gets nothing).
 */
import { z } from 'zod';
import { replyInChat, say, type HandlerContext } from '../context.js';
import '../group-buy/group-buy-events.js';
import { deriveProductKey } from '../group-buy/product-key.js';
import { arg } from '../kernel/args.js';
import { command, job, type FeatureModule } from '../kernel/module.js';
import type { ScheduledJob } from '../ports.js';
import { answerReminder, type ReminderAnswer } from './answer-reminder.js';
import { churnCommand, digestJob, nextDigestAt, parseChurnText, sendChurnDigest } from './churn-report.js';
import { planReminder, reminderJob } from './plan-reminder.js';
import { configureProduct, listProducts, parseProductText } from './product-commands.js';
import { sendReminder } from './send-reminder.js';

/** Words after /stop or /start that mean repurchase reminders. */
export function meansReminders(args: string): boolean {
  return /^(reminders?|提醒|复购提醒)$/i.test(args.trim());
}

/**
 * `/stop reminders` and `/start reminders`: every product's reminders, for every group. Starting them again also
 * lifts the member's "no more reminders for this product" choices: it is the one way back.
 */
async function setRemindersOptOut(ctx: HandlerContext, optOut: boolean): Promise<void> {
  if (optOut) await ctx.tx.reminders.setOptOut(ctx.member.id, '*', true);
  else {
    await ctx.tx.reminders.clearOptOuts(ctx.member.id);
    // Plans skipped or stopped while opted out are planned again from the purchases.
    for (const status of ['none', 'stopped'] as const) {
      for (const plan of await ctx.tx.reminders.listPlans({ status, memberId: ctx.member.id })) {
        await planReminder(ctx, { groupId: plan.groupId, memberId: plan.memberId, productKey: plan.productKey });
      }
    }
  }
  replyInChat(ctx, say(ctx, optOut ? 'reminder.opted_out' : 'reminder.opted_in'));
}

const answers: ReminderAnswer[] = ['join', 'later', 'bought', 'stop'];

export const remindersModule: FeatureModule = {
  name: 'reminders',
  commands: [
    command({
      name: 'product',
      zhName: '商品',
      description: 'cmd.product',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [
        arg.string('key', '商品编码', { en: 'Product key, e.g. milk-900g (see /products)', zh: '商品编码，例如 milk-900g（见 /products）' }, { required: true }),
        arg.string('setting', '设置项', { en: 'What to show or change (default: show)', zh: '查看或修改哪一项（默认：查看）' }, {
          choices: [
            { value: 'show', name: { en: 'show the product', zh: '查看商品' } },
            { value: 'lasts', name: { en: 'what one unit lasts', zh: '每份可用多久' } },
            { value: 'durable', name: { en: 'not a consumable: no reminders', zh: '不是消耗品：不提醒' } },
            { value: 'consumable', name: { en: 'a consumable again', zh: '改回消耗品' } },
            { value: 'lead', name: { en: 'days before run-out to remind', zh: '用完前几天提醒' } },
            { value: 'buy', name: { en: 'a buy sells this product', zh: '某个拼团卖的是这个商品' } },
          ],
        }),
        arg.string('value', '值', { en: 'e.g. 14d (lasts), 3d (lead), #12 (buy)', zh: '例如 14d（可用）、3d（提前）、#12（拼团）' }),
      ],
      parse: parseProductText,
      run: (ctx, input) => configureProduct(ctx, input),
    }),
    command({ name: 'products', zhName: '商品列表', description: 'cmd.products', audience: 'admin', requires: ['group', 'admin'], args: [], run: listProducts }),
    command({
      name: 'churn',
      zhName: '流失预警',
      description: 'cmd.churn',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [
        arg.string('weekly', '每周', { en: 'Weekly digest to you: on or off', zh: '每周私信摘要：on 或 off' }, {
          choices: [
            { value: 'on', name: { en: 'on', zh: '开启' } },
            { value: 'off', name: { en: 'off', zh: '关闭' } },
          ],
        }),
      ],
      parse: parseChurnText,
      run: (ctx, input) => churnCommand(ctx, input),
    }),
  ],
  buttons: answers.map((answer) => ({
    prefix: `rm:${answer}`,
    access: 'owner' as const,
    target: async (store, id) => {
      const plan = await store.reminders.getPlan(id);
      return plan && { groupId: plan.groupId, ownerId: plan.memberId };
    },
    run: (ctx, id, rest) => answerReminder(ctx, answer, id, rest),
  })),
  jobs: [
    job({
      name: 'reminder.send',
      schema: z.object({ planId: z.coerce.number().int().positive(), dueAt: z.coerce.number() }),
      run: async (services, { planId, dueAt }) => void (await services.transact((env) => sendReminder(env, planId, dueAt))),
    }),
    job({
      name: 'reminder.churn_digest',
      schema: z.object({ groupId: z.string().min(1), memberId: z.string().min(1), at: z.coerce.number() }),
      run: async (services, { groupId, memberId, at }) => {
        // Digests go to admins only: one who lost the role stops getting them (and stays subscribed if it comes back).
        const admins = await services.listChatAdmins(groupId);
        await services.transact((env) => sendChurnDigest(env, { groupId, memberId, week: new Date(at), isAdmin: admins.includes(memberId) }));
      },
    }),
  ],
  // Reminders whose job may have been lost, and next week's digests (keys make this a no-op otherwise).
  reconcile: async ({ store, clock }) => {
    const jobs: ScheduledJob[] = (await store.reminders.listPlans({ status: 'pending' })).flatMap((plan) => (plan.dueAt ? [reminderJob(plan, plan.dueAt)] : []));
    for (const { groupId, memberId } of await store.reminders.listDigestSubscriptions()) {
      const group = await store.getGroup(groupId);
      if (group) jobs.push(digestJob(groupId, memberId, nextDigestAt(clock.now(), group.timeZone)));
    }
    return jobs;
  },
  topics: [{ value: 'reminders', label: { en: 'repurchase reminders', zh: '复购提醒' }, matches: meansReminders, set: (ctx, on) => setRemindersOptOut(ctx, !on), usage: 'reminder.stop_usage' }],
  subscriptions: {
    'purchase.delivered': async (env, { buy, memberId }) => {
      await planReminder(env, { groupId: buy.groupId, memberId, productKey: buy.productKey ?? deriveProductKey(buy.title) });
    },
    // Un-marked by mistake: the purchase is gone, so the reminder is planned again from what remains.
    'purchase.undelivered': async (env, { buy, memberId }) => {
      await planReminder(env, { groupId: buy.groupId, memberId, productKey: buy.productKey ?? deriveProductKey(buy.title) });
    },
    // Members who will run out before the new buy closes hear of it now, in their one reminder for the product.
    'buy.opened': async (env, { buy }) => {
      if (!buy.productKey) return;
      for (const plan of await env.tx.reminders.listPlans({ status: 'pending', groupId: buy.groupId, productKey: buy.productKey, dueBefore: buy.endsAt })) {
        await env.tx.reminders.updatePlan(plan.id, { dueAt: env.now });
        env.out.schedule(reminderJob(plan, env.now));
      }
    },
    'member.left': async (env, { groupId, memberId }) => {
      for (const plan of await env.tx.reminders.listPlans({ status: 'pending', groupId, memberId })) await env.tx.reminders.updatePlan(plan.id, { status: 'none', dueAt: null });
    },
  },
};
