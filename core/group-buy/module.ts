/**
 * The group-buy feature as the kernel sees it: commands, Join/Leave buttons, the guided /newbuy dialogue, the
 * deadline job with its sweep and start-up reconciliation, and the live buy card. It imports no other feature:
 * what others do after a join or a delivery, they do through the domain events in group-buy-events.ts.
 */
import { z } from 'zod';
import { say, type HandlerContext } from '../context.js';
import type { MentionedMember } from '../events.js';
import { UserError } from '../errors.js';
import { arg, type Words } from '../kernel/args.js';
import { askConfirmation } from '../kernel/confirm.js';
import { command, job, type ButtonTarget, type FeatureModule, type KernelServices } from '../kernel/module.js';
import type { StoreTx } from '../store.js';
import { formatDateTime } from '../time/parse-when.js';
import { announceClosingSoon, closingSoonJob } from './announce-urgency.js';
import { renderBuyCard, splitSignUps } from './buy-card.js';
import { buyLanguage } from './buy-language.js';
import { closeGroupBuy } from './close-group-buy.js';
import { EDIT_FIELDS, editGroupBuy, parseEditText } from './edit-group-buy.js';
import { exportSignUps } from './export-sign-ups.js';
import { extendGroupBuy, parseExtendText } from './extend-group-buy.js';
import { findBuy, parseBuyId } from './find-buy.js';
import { joinGroupBuy, type JoinOutcome } from './join-group-buy.js';
import { leaveGroupBuy } from './leave-group-buy.js';
import { listMyBuys, listOpenBuys } from './list-buys.js';
import { markSignUps, parseMarkText, type Mark } from './mark-sign-ups.js';
import { answerNewBuyDialogue, NEW_BUY_DIALOGUE, startNewBuyDialogue } from './new-buy-dialogue.js';
import { deadlineJob, openGroupBuy } from './open-group-buy.js';
import { hasNewBuyFields, newBuyFields, validateNewBuy } from './parse-new-buy.js';
import { parseReopenText, reopenGroupBuy } from './reopen-group-buy.js';

const buyArg = (description: Words = { en: 'Buy number (default: the newest open buy here)', zh: '拼团编号（默认：本频道最新的进行中拼团）' }, required = false) =>
  arg.integer('buy', '拼团编号', description, { min: 1, required });

/** A button's target when it acts on a buy: the buy's group and chat (whose admins count). */
export async function buyTarget(store: StoreTx, buyId: number): Promise<ButtonTarget | null> {
  const buy = await store.getBuy(buyId);
  return buy && { groupId: buy.groupId, chatId: buy.chatId };
}

/** An optional buy id as typed (`12` or `#12`). */
export function optionalBuyId(args: string): number | undefined {
  const token = args.trim();
  if (!token) return undefined;
  const id = parseBuyId(token);
  if (id === undefined) throw new UserError('buy.bad_id', { value: token });
  return id;
}

/** Parses `/join` arguments: `[qty]`, `#<id>`, or `<id> <qty>`. */
export function parseJoinArgs(args: string): { buyId?: number; quantity: number } {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const qty = (token: string) => {
    if (!/^\d+$/.test(token) || Number(token) < 1 || Number(token) > 100_000) throw new UserError('join.bad_quantity', { value: token });
    return Number(token);
  };
  if (tokens.length === 0) return { quantity: 1 };
  if (tokens.length === 1) {
    const token = tokens[0]!;
    if (/^[#＃]/.test(token)) {
      const id = parseBuyId(token);
      if (id === undefined) throw new UserError('buy.bad_id', { value: token });
      return { buyId: id, quantity: 1 };
    }
    return { quantity: qty(token) };
  }
  if (tokens.length === 2) {
    const id = parseBuyId(tokens[0]!);
    if (id === undefined) throw new UserError('buy.bad_id', { value: tokens[0]! });
    return { buyId: id, quantity: qty(tokens[1]!) };
  }
  throw new UserError('join.usage');
}

/** Words for a join outcome, in the actor's language. */
export function describeJoin(ctx: HandlerContext, outcome: JoinOutcome): string {
  const name = ctx.member.displayName;
  const id = outcome.buy.id;
  switch (outcome.kind) {
    case 'joined':
      return say(ctx, 'join.joined', { name, qty: outcome.quantity, id });
    case 'changed':
      return say(ctx, 'join.changed', { name, qty: outcome.quantity, id });
    case 'unchanged':
      return say(ctx, 'join.unchanged', { qty: outcome.quantity, id });
    case 'waitlisted':
      return say(ctx, 'join.waitlisted', { name, qty: outcome.quantity, id, position: outcome.position });
    case 'still_waitlisted':
      return say(ctx, 'join.still_waitlisted', { qty: outcome.quantity, id, position: outcome.position });
  }
}

async function closeCommand(ctx: HandlerContext, buyId: number | undefined, mode: 'admin' | 'cancel'): Promise<void> {
  const buy = await findBuy(ctx, buyId);
  if (buy.status !== 'open') throw new UserError('buy.not_open', { id: buy.id, status: say(ctx, `buy.status.${buy.status}`) });
  await closeGroupBuy(ctx, buy.id, mode);
  await ctx.tx.logAdminAction({ groupId: ctx.group!.id, actorId: ctx.member.id, action: mode === 'cancel' ? 'buy.cancel' : 'buy.close', detail: { buyId: buy.id }, at: ctx.now });
}

/**
 * `/cancelbuy` naming no buy means the newest open one: easy to hit the wrong buy, and nobody pays afterwards, so
 * it asks first (Confirm/Keep, only the admin who asked, 5 minutes). With an id the admin named the buy: it is
 * cancelled at once (and /reopenbuy undoes it within its window). docs/decisions/002-group-buy-rules.md.
 */
async function cancelCommand(ctx: HandlerContext, buyId: number | undefined): Promise<void> {
  if (buyId !== undefined) return closeCommand(ctx, buyId, 'cancel');
  const buy = await findBuy(ctx, undefined);
  const { active, waitlist } = splitSignUps(await ctx.tx.listSignUps(buy.id));
  await askConfirmation(ctx, {
    action: 'buy.cancel',
    data: { buyId: buy.id },
    question: say(ctx, 'cancel.confirm_question', { id: buy.id, title: buy.title, count: active.length + waitlist.length }),
    confirmLabel: say(ctx, 'cancel.confirm_button', { id: buy.id }),
  });
}

/** Closes one buy when its deadline has passed (job or sweep; a second run finds it closed). */
async function closeDue(services: KernelServices, buyId: number): Promise<boolean> {
  return services.transact(async (env) => (await closeGroupBuy(env, buyId, 'deadline')) !== null);
}

const markCommand = (name: Mark, zhName: string) =>
  command({
    name,
    zhName,
    description: `cmd.${name}`,
    audience: 'admin',
    requires: ['group', 'admin'],
    args: [
      arg.member('member', '成员', { en: 'The member', zh: '成员' }),
      arg.boolean('all', '全部', { en: 'Everyone in the buy', zh: '全部参团成员' }),
      buyArg(),
      arg.string('names', '名字', { en: 'Members by name or @username', zh: '成员名字或 @用户名' }, { textOnly: true }),
    ],
    parse: (text, event) => ({ ...parseMarkText(text), ...(event.mentions?.[0] ? { member: event.mentions[0] } : {}) }),
    run: (ctx, { member, all, buy, names }) => {
      // Every member the message pointed at (a reply and text mentions), and the one a typed form picked.
      const mentions = new Map<string, MentionedMember>();
      for (const m of [...(member ? [member] : []), ...(ctx.event.kind === 'command' ? (ctx.event.mentions ?? []) : [])]) mentions.set(m.id, m);
      return markSignUps(ctx, name, { buyId: buy, all, mentions: [...mentions.values()], names: names ? [names] : [] });
    },
  });

const EDIT_FIELD_WORDS: Record<(typeof EDIT_FIELDS)[number], Words> = {
  price: { en: 'price (only lower)', zh: '单价（只能降）' },
  min: { en: 'min units', zh: '最少份数' },
  max: { en: 'max units', zh: '最多份数' },
  limit: { en: 'limit per member', zh: '每人限购' },
  pickup: { en: 'pickup', zh: '自提点' },
};

export const groupBuyModule: FeatureModule = {
  name: 'group-buy',
  commands: [
    command({
      name: 'join',
      zhName: '参团',
      description: 'cmd.join',
      audience: 'member',
      requires: ['group'],
      args: [arg.integer('quantity', '数量', { en: 'How many units (default 1)', zh: '数量（默认 1）' }, { min: 1, max: 100_000 }), buyArg()],
      parse: (text) => {
        const { buyId, quantity } = parseJoinArgs(text);
        return { quantity, ...(buyId !== undefined ? { buy: buyId } : {}) };
      },
      run: async (ctx, { quantity, buy }) => {
        const outcome = await joinGroupBuy(ctx, { buyId: buy, quantity: quantity ?? 1, viaButton: false });
        // The member's own confirmation comes before the announcements it caused (tier crossed, waitlist moved).
        ctx.out.replies.unshift({ kind: 'message', to: { chatId: ctx.event.chat.id }, text: describeJoin(ctx, outcome) });
      },
    }),
    command({
      name: 'leave',
      zhName: '退出',
      description: 'cmd.leave',
      audience: 'member',
      requires: ['group'],
      args: [buyArg()],
      parse: (text) => ({ buy: optionalBuyId(text) }),
      run: async (ctx, { buy: buyId }) => {
        const buy = await leaveGroupBuy(ctx, { buyId });
        ctx.out.replies.unshift({ kind: 'message', to: { chatId: ctx.event.chat.id }, text: say(ctx, 'leave.left', { name: ctx.member.displayName, id: buy.id }) });
      },
    }),
    command({ name: 'buys', zhName: '拼团列表', description: 'cmd.buys', audience: 'member', requires: ['group'], args: [], run: listOpenBuys }),
    command({ name: 'mybuys', zhName: '我的拼团', description: 'cmd.mybuys', audience: 'member', args: [], run: listMyBuys }),
    command({
      name: 'newbuy',
      zhName: '开团',
      description: 'cmd.newbuy',
      audience: 'admin',
      requires: ['group', 'admin'],
      startsDialogue: NEW_BUY_DIALOGUE,
      args: [
        arg.string('title', '商品', { en: 'Product title (leave everything empty for a guided dialogue)', zh: '商品标题（全部留空则逐步提问）' }),
        // A string, not a number: the core reads "39.9", "¥39.9" and "39,9", and explains a bad price in words.
        arg.string('price', '单价', { en: 'Unit price, e.g. 39.9', zh: '单价，例如 39.9' }),
        arg.integer('min', '最少', { en: 'Units needed to form', zh: '成团最少份数' }, { min: 1, max: 100_000 }),
        arg.integer('max', '最多', { en: 'Units available', zh: '最多份数' }, { min: 1, max: 100_000 }),
        arg.string('ends', '截止', { en: 'Deadline: 2026-12-24 20:00, or 90m, 2h, 3d', zh: '截止：2026-12-24 20:00，或 90m、2h、3d' }),
        arg.integer('limit', '限购', { en: 'Limit per member', zh: '每人限购份数' }, { min: 1, max: 100_000 }),
        arg.string('tiers', '阶梯', { en: 'Tiered prices, e.g. 20:35.9,40:32.9', zh: '阶梯价，例如 20:35.9,40:32.9' }),
        arg.string('pickup', '自提', { en: 'Pickup point or delivery note', zh: '自提点或配送说明' }),
        arg.string('product', '商品编码', { en: 'Product key, e.g. milk-900g (default: from the title)', zh: '商品编码，例如 milk-900g（默认：由标题生成）' }),
      ],
      // The text form carries min/max/limit as typed words; the checks below read both.
      parse: (text) => newBuyFields(text) as never,
      run: async (ctx, fields) => {
        if (!hasNewBuyFields(fields)) return startNewBuyDialogue(ctx);
        const tz = ctx.group!.timeZone;
        await openGroupBuy(ctx, validateNewBuy(fields, ctx.now, tz, (d) => formatDateTime(d, tz)));
      },
    }),
    command({
      name: 'closebuy', zhName: '截团', description: 'cmd.closebuy', audience: 'admin', requires: ['group', 'admin'], args: [buyArg()],
      parse: (text) => ({ buy: optionalBuyId(text) }),
      run: (ctx, { buy }) => closeCommand(ctx, buy, 'admin'),
    }),
    command({
      name: 'cancelbuy', zhName: '取消拼团', description: 'cmd.cancelbuy', audience: 'admin', requires: ['group', 'admin'], args: [buyArg()],
      parse: (text) => ({ buy: optionalBuyId(text) }),
      run: (ctx, { buy }) => cancelCommand(ctx, buy),
    }),
    command({
      name: 'reopenbuy',
      zhName: '重开',
      description: 'cmd.reopenbuy',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [arg.string('ends', '截止', { en: 'New deadline: 2026-12-24 20:00, or 90m, 2h, 3d', zh: '新的截止时间：2026-12-24 20:00，或 90m、2h、3d' }, { required: true }), buyArg({ en: 'Buy number (default: the newest closed buy here)', zh: '拼团编号（默认：本频道最近截止的拼团）' })],
      parse: parseReopenText,
      run: (ctx, { ends, buy }) => reopenGroupBuy(ctx, { ends, buyId: buy }),
    }),
    command({
      name: 'editbuy',
      zhName: '修改拼团',
      description: 'cmd.editbuy',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [
        arg.string('field', '项目', { en: 'What to change', zh: '要修改的项目' }, {
          required: true,
          choices: EDIT_FIELDS.map((field) => ({ value: field, name: EDIT_FIELD_WORDS[field] })),
        }),
        arg.string('value', '新值', { en: 'New value: a lower price, a number, or off (limit, pickup)', zh: '新值：更低的价格、数字，或 off（限购、自提）' }, { required: true }),
        buyArg(),
      ],
      parse: parseEditText,
      run: (ctx, { field, value, buy }) => editGroupBuy(ctx, { buyId: buy, field, value }),
    }),
    command({
      name: 'extendbuy',
      zhName: '延期',
      description: 'cmd.extendbuy',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [arg.string('ends', '截止', { en: 'New deadline: 2026-12-24 20:00, or 90m, 2h, 3d', zh: '新的截止时间：2026-12-24 20:00，或 90m、2h、3d' }, { required: true }), buyArg()],
      parse: parseExtendText,
      run: (ctx, { ends, buy }) => extendGroupBuy(ctx, { ends, buyId: buy }),
    }),
    markCommand('paid', '已付款'),
    markCommand('delivered', '已送达'),
    markCommand('unpaid', '取消付款'),
    markCommand('undelivered', '取消送达'),
    command({
      name: 'export', zhName: '导出', description: 'cmd.export', audience: 'admin', requires: ['group', 'admin'], args: [buyArg()],
      parse: (text) => ({ buy: optionalBuyId(text) }),
      run: (ctx, { buy }) => exportSignUps(ctx, buy),
    }),
  ],
  buttons: [
    {
      prefix: 'join',
      access: 'member',
      target: buyTarget,
      run: async (ctx, buyId) => {
        const outcome = await joinGroupBuy(ctx, { buyId, quantity: 1, viaButton: true });
        ctx.out.push({ kind: 'toast', text: describeJoin(ctx, outcome), alert: outcome.kind === 'waitlisted' });
      },
    },
    {
      prefix: 'leave',
      access: 'member',
      target: buyTarget,
      run: async (ctx, buyId) => {
        const buy = await leaveGroupBuy(ctx, { buyId });
        ctx.out.push({ kind: 'toast', text: say(ctx, 'leave.left', { name: ctx.member.displayName, id: buy.id }) });
      },
    },
  ],
  confirmations: [{ action: 'buy.cancel', run: (ctx, data) => closeCommand(ctx, Number(data.buyId), 'cancel') }],
  dialogues: {
    [NEW_BUY_DIALOGUE]: (ctx, dialogue, text) => answerNewBuyDialogue(ctx, dialogue.step, dialogue.data as never, text),
  },
  jobs: [
    job({
      name: 'buy.deadline',
      schema: z.object({ buyId: z.coerce.number().int().positive() }),
      run: async (services, { buyId }) => void (await closeDue(services, buyId)),
    }),
    job({
      name: 'buy.closing-soon',
      schema: z.object({ buyId: z.coerce.number().int().positive() }),
      run: async (services, { buyId }) => void (await services.transact((env) => announceClosingSoon(env, buyId))),
    }),
  ],
  cards: [
    {
      kind: 'buy',
      remember: async (store, id, ref) => void (await store.updateBuy(id, { cardChatId: ref.chatId, cardMessageId: ref.messageId })),
      render: async ({ store, defaultLanguage, clock }, id) => {
        const buy = await store.getBuy(id);
        if (!buy?.cardChatId || !buy.cardMessageId) return undefined;
        const group = await store.getGroup(buy.groupId);
        if (!group) return undefined;
        const signUps = await store.listSignUps(buy.id);
        const card = renderBuyCard(buy, signUps, group, await buyLanguage(store, buy, group, defaultLanguage), clock.now());
        return { kind: 'edit', chatId: buy.cardChatId, messageId: buy.cardMessageId, text: card.text, buttons: card.buttons };
      },
    },
  ],
  sweep: async (services) => {
    let closed = 0;
    for (const buy of await services.store.listOpenBuysDue(services.clock.now())) if (await closeDue(services, buy.id)) closed++;
    return closed;
  },
  // Deadlines, and closing-soon announcements not yet made (a job lost before its time; one past its time runs now).
  reconcile: async ({ store }) => (await store.listOpenBuysAll()).flatMap((buy) => [deadlineJob(buy), ...(closingSoonJob(buy) ? [closingSoonJob(buy)!] : [])]),
};
