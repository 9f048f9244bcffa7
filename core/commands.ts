import type { Language } from './kernel/language.js';
import { replyInChat, say, type HandlerContext } from './context.js';
import type { CommandEvent } from './events.js';
import { UserError } from './errors.js';
import { exportSignUps } from './group-buy/export-sign-ups.js';
import { extendGroupBuy } from './group-buy/extend-group-buy.js';
import { parseBuyId } from './group-buy/find-buy.js';
import { joinGroupBuy, type JoinOutcome } from './group-buy/join-group-buy.js';
import { leaveGroupBuy } from './group-buy/leave-group-buy.js';
import { listMyBuys, listOpenBuys } from './group-buy/list-buys.js';
import { markSignUps } from './group-buy/mark-sign-ups.js';
import { startNewBuyDialogue } from './group-buy/new-buy-dialogue.js';
import { openGroupBuy } from './group-buy/open-group-buy.js';
import { parseNewBuy } from './group-buy/parse-new-buy.js';
import { closeGroupBuy } from './group-buy/close-group-buy.js';
import { findBuy } from './group-buy/find-buy.js';
import { t, type MessageKey } from './i18n/translate.js';
import { configureLikes } from './likes/configure-likes.js';
import { createLikeTask } from './likes/create-like-task.js';
import { endLikeTask } from './likes/end-like-task.js';
import { liftWarnings } from './likes/lift-warnings.js';
import { dropCommand, shareCommand } from './likes/like-commands.js';
import { listLikeTasks } from './likes/list-like-tasks.js';
import { openLikeRound } from './likes/open-like-round.js';
import type { CommandInfo } from './ports.js';
import { adjustPoints, showLedger } from './points/adjust-points.js';
import { checkIn } from './points/check-in.js';
import { showTop } from './points/leaderboard.js';
import { levelsCommand } from './points/levels-command.js';
import { pointRulesCommand } from './points/point-rules-command.js';
import { showMe } from './points/show-me.js';
import {
  configureReviews, featureReview, meansReviews, reportReviews, reviewCommand, selectBestReviews, setReviewsOptOut, stopCommand,
} from './reviews/review-commands.js';
import { setLanguage } from './settings/set-language.js';
import { setModerator } from './settings/set-moderator.js';
import { setTimeZone } from './settings/set-time-zone.js';
import { formatDateTime } from './time/parse-when.js';

/** One chat command: its name (a contract users type), who it is for, and what it does. */
export interface CommandSpec {
  name: string;
  description: MessageKey;
  audience: 'member' | 'admin';
  /** Ask the platform whether the actor is a chat admin before running (outside the transaction). */
  needsAdminCheck: boolean;
  /** Shown in menus and /help. Aliases (e.g. /start) are not. */
  listed: boolean;
  run(ctx: HandlerContext, event: CommandEvent): Promise<void>;
}

const command = (spec: Omit<CommandSpec, 'needsAdminCheck' | 'listed'> & Partial<Pick<CommandSpec, 'needsAdminCheck' | 'listed'>>): CommandSpec => ({
  needsAdminCheck: spec.audience === 'admin',
  listed: true,
  ...spec,
});

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

function optionalBuyId(args: string): number | undefined {
  const token = args.trim();
  if (!token) return undefined;
  const id = parseBuyId(token);
  if (id === undefined) throw new UserError('buy.bad_id', { value: token });
  return id;
}

async function closeCommand(ctx: HandlerContext, args: string, mode: 'admin' | 'cancel'): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  if (!ctx.isAdmin) throw new UserError('generic.admin_only');
  const buy = await findBuy(ctx, optionalBuyId(args));
  if (buy.status !== 'open') throw new UserError('buy.not_open', { id: buy.id, status: say(ctx, `buy.status.${buy.status}`) });
  await closeGroupBuy(ctx, buy.id, mode);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: mode === 'cancel' ? 'buy.cancel' : 'buy.close', detail: { buyId: buy.id }, at: ctx.now });
}

/** Every command the core offers, in the order /help lists them. */
export const commands: CommandSpec[] = [
  command({ name: 'help', description: 'cmd.help', audience: 'member', run: async (ctx) => replyInChat(ctx, helpText(ctx.lang)) }),
  command({
    name: 'start', description: 'cmd.help', audience: 'member', listed: false,
    run: async (ctx, event) => {
      // `/start reviews` (also a deep link) opts back in to review requests; any other /start greets as before.
      if (meansReviews(event.args)) return setReviewsOptOut(ctx, false);
      replyInChat(ctx, ctx.event.chat.kind === 'private' ? `${say(ctx, 'start.private')}\n\n${helpText(ctx.lang)}` : helpText(ctx.lang));
    },
  }),
  command({
    name: 'join', description: 'cmd.join', audience: 'member',
    run: async (ctx, event) => {
      const outcome = await joinGroupBuy(ctx, { ...parseJoinArgs(event.args), viaButton: false });
      // The member's own confirmation comes before the announcements it caused (tier crossed, waitlist moved).
      ctx.out.replies.unshift({ kind: 'message', to: { chatId: event.chat.id }, text: describeJoin(ctx, outcome) });
    },
  }),
  command({
    name: 'leave', description: 'cmd.leave', audience: 'member',
    run: async (ctx, event) => {
      const buy = await leaveGroupBuy(ctx, { buyId: optionalBuyId(event.args) });
      ctx.out.replies.unshift({ kind: 'message', to: { chatId: event.chat.id }, text: say(ctx, 'leave.left', { name: ctx.member.displayName, id: buy.id }) });
    },
  }),
  command({ name: 'buys', description: 'cmd.buys', audience: 'member', run: (ctx) => listOpenBuys(ctx) }),
  command({ name: 'mybuys', description: 'cmd.mybuys', audience: 'member', run: (ctx) => listMyBuys(ctx) }),
  command({ name: 'lang', description: 'cmd.lang', audience: 'member', needsAdminCheck: true, run: (ctx, e) => setLanguage(ctx, e.args) }),
  command({ name: 'cancel', description: 'cmd.cancel', audience: 'member', run: cancelDialogue }),
  command({
    name: 'newbuy', description: 'cmd.newbuy', audience: 'admin',
    run: async (ctx, event) => {
      if (!ctx.group) throw new UserError('generic.group_only');
      if (!ctx.isAdmin) throw new UserError('generic.admin_only');
      if (!event.args.trim()) return startNewBuyDialogue(ctx);
      const tz = ctx.group.timeZone;
      await openGroupBuy(ctx, parseNewBuy(event.args, ctx.now, tz, (d) => formatDateTime(d, tz)));
    },
  }),
  command({ name: 'closebuy', description: 'cmd.closebuy', audience: 'admin', run: (ctx, e) => closeCommand(ctx, e.args, 'admin') }),
  command({ name: 'cancelbuy', description: 'cmd.cancelbuy', audience: 'admin', run: (ctx, e) => closeCommand(ctx, e.args, 'cancel') }),
  command({ name: 'extendbuy', description: 'cmd.extendbuy', audience: 'admin', run: (ctx, e) => extendGroupBuy(ctx, e.args) }),
  command({ name: 'paid', description: 'cmd.paid', audience: 'admin', run: (ctx, e) => markSignUps(ctx, 'paid', e.args, e.mentions) }),
  command({ name: 'delivered', description: 'cmd.delivered', audience: 'admin', run: (ctx, e) => markSignUps(ctx, 'delivered', e.args, e.mentions) }),
  command({ name: 'export', description: 'cmd.export', audience: 'admin', run: (ctx, e) => exportSignUps(ctx, e.args) }),
  command({ name: 'timezone', description: 'cmd.timezone', audience: 'admin', run: (ctx, e) => setTimeZone(ctx, e.args) }),
  command({ name: 'mod', description: 'cmd.mod', audience: 'admin', run: (ctx, e) => setModerator(ctx, e.args, e.mentions ?? [], true) }),
  command({ name: 'unmod', description: 'cmd.unmod', audience: 'admin', run: (ctx, e) => setModerator(ctx, e.args, e.mentions ?? [], false) }),
  // Reviews (core/reviews).
  command({ name: 'review', description: 'cmd.review', audience: 'member', run: (ctx, e) => reviewCommand(ctx, e.args) }),
  command({ name: 'stop', description: 'cmd.stop', audience: 'member', run: (ctx, e) => stopCommand(ctx, e.args) }),
  command({ name: 'reviewconfig', description: 'cmd.reviewconfig', audience: 'admin', run: (ctx, e) => configureReviews(ctx, e.args) }),
  command({ name: 'reviews', description: 'cmd.reviews', audience: 'admin', run: (ctx, e) => reportReviews(ctx, e.args) }),
  command({ name: 'feature', description: 'cmd.feature', audience: 'admin', run: (ctx, e) => featureReview(ctx, e.args) }),
  command({ name: 'bestreviews', description: 'cmd.bestreviews', audience: 'admin', run: (ctx, e) => selectBestReviews(ctx, e.args) }),
  // Points, levels, badges (core/points). Members read levels, rules and their own ledger; admins change them.
  command({ name: 'checkin', description: 'cmd.checkin', audience: 'member', run: (ctx) => checkIn(ctx) }),
  command({ name: 'me', description: 'cmd.me', audience: 'member', run: (ctx) => showMe(ctx) }),
  command({ name: 'top', description: 'cmd.top', audience: 'member', run: (ctx, e) => showTop(ctx, e.args) }),
  command({ name: 'levels', description: 'cmd.levels', audience: 'member', needsAdminCheck: true, run: (ctx, e) => levelsCommand(ctx, e.args) }),
  command({ name: 'ledger', description: 'cmd.ledger', audience: 'member', needsAdminCheck: true, run: (ctx, e) => showLedger(ctx, e.args, e.mentions) }),
  command({ name: 'pointrules', description: 'cmd.pointrules', audience: 'member', needsAdminCheck: true, run: (ctx, e) => pointRulesCommand(ctx, e.args) }),
  command({ name: 'points', description: 'cmd.points', audience: 'admin', run: (ctx, e) => adjustPoints(ctx, e.args, e.mentions) }),
  // Shares, likes, like tasks and rounds (core/likes).
  command({ name: 'share', description: 'cmd.share', audience: 'member', run: (ctx, e) => shareCommand(ctx, e) }),
  command({ name: 'drop', description: 'cmd.drop', audience: 'member', run: (ctx, e) => dropCommand(ctx, e.args) }),
  command({ name: 'liketasks', description: 'cmd.liketasks', audience: 'member', run: (ctx) => listLikeTasks(ctx) }),
  command({ name: 'liketask', description: 'cmd.liketask', audience: 'admin', run: async (ctx, e) => void (await createLikeTask(ctx, e.args)) }),
  command({ name: 'endliketask', description: 'cmd.endliketask', audience: 'admin', run: (ctx, e) => endLikeTask(ctx, e.args) }),
  command({ name: 'likeround', description: 'cmd.likeround', audience: 'admin', run: async (ctx, e) => void (await openLikeRound(ctx, e.args)) }),
  command({ name: 'liftwarnings', description: 'cmd.liftwarnings', audience: 'admin', run: (ctx, e) => liftWarnings(ctx, e.args, e.mentions) }),
  command({ name: 'likeconfig', description: 'cmd.likeconfig', audience: 'admin', run: (ctx, e) => configureLikes(ctx, e.args) }),
];

const byName = new Map(commands.map((c) => [c.name, c]));

/** The command spec for a name, if the core has one. */
export function findCommand(name: string): CommandSpec | undefined {
  return byName.get(name.toLowerCase());
}

/** Listed commands with descriptions in one language. */
export function commandInfos(lang: Language): CommandInfo[] {
  return commands.filter((c) => c.listed).map((c) => ({ name: c.name, description: t(lang, c.description as 'cmd.help'), audience: c.audience }));
}

function helpText(lang: Language): string {
  const infos = commandInfos(lang);
  const line = (c: CommandInfo) => `/${c.name} — ${c.description}`;
  return [
    t(lang, 'help.title'),
    '',
    t(lang, 'help.members'),
    ...infos.filter((c) => c.audience === 'member').map(line),
    '',
    t(lang, 'help.admins'),
    ...infos.filter((c) => c.audience === 'admin').map(line),
    '',
    t(lang, 'help.newbuy_example'),
  ].join('\n');
}

async function cancelDialogue(ctx: HandlerContext): Promise<void> {
  const dialogue = await ctx.tx.getDialogue(ctx.event.chat.id, ctx.member.id);
  if (!dialogue) {
    replyInChat(ctx, say(ctx, 'dialog.nothing'));
    return;
  }
  await ctx.tx.deleteDialogue(ctx.event.chat.id, ctx.member.id);
  replyInChat(ctx, say(ctx, 'dialog.cancelled'));
}
