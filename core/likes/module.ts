/**
 * Shares, likes, like tasks and rounds as the kernel sees them: commands, the Like and Drop buttons, native
 * reactions on share cards, the round-end job with its sweep and reconciliation, the share and round cards, and
 * the share invitation after a delivery (a subscription to group-buy's `purchase.delivered`).
 */
import { z } from 'zod';
import { replyInChat, say } from '../context.js';
import { UserError } from '../errors.js';
import { arg, memberArgs, parseId } from '../kernel/args.js';
import { command, job, type FeatureModule, type KernelServices } from '../kernel/module.js';
import '../group-buy/group-buy-events.js';
import { closeLikeRound } from './close-like-round.js';
import { configureLikes } from './configure-likes.js';
import { createLikeTask } from './create-like-task.js';
import { dropShare } from './drop-share.js';
import { endLikeTask } from './end-like-task.js';
import { liftWarnings } from './lift-warnings.js';
import { likeCardEdit } from './like-cards.js';
import { handleLikeReaction, describeLike } from './like-commands.js';
import { listLikeTasks } from './list-like-tasks.js';
import { offerShare } from './offer-share.js';
import { openLikeRound, roundEndJob } from './open-like-round.js';
import { likeTaskFields, likeTaskFromFields, parseLikeTask } from './parse-like-task.js';
import { postShare } from './post-share.js';
import { toggleLike } from './toggle-like.js';

/** Ends one like round when it is due, and reports it (job or sweep; a second run finds it closed). */
function closeRoundDue(services: KernelServices, roundId: number): Promise<boolean> {
  return services.transact((env) => closeLikeRound(env, roundId));
}

const idArg = (token: string, usage: 'likes.drop_usage' | 'likes.endtask_usage'): number | undefined => {
  if (!token.trim()) return undefined;
  const id = parseId(token);
  if (id === undefined) throw new UserError(usage);
  return id;
};

export const likesModule: FeatureModule = {
  name: 'likes',
  commands: [
    command({
      name: 'share',
      zhName: '晒单',
      description: 'cmd.share',
      audience: 'member',
      requires: ['group'],
      args: [
        arg.string('text', '内容', { en: 'What you want to say about it', zh: '想说的话' }),
        arg.attachment('photo', '图片', { en: 'A photo of what you bought', zh: '商品照片' }),
        arg.integer('buy', '拼团编号', { en: 'The buy it came from', zh: '来自哪个拼团' }, { min: 1 }),
      ],
      // `#<buy>` goes first, as typed: `/share #3 Lovely strawberries`.
      parse: (text) => {
        const trimmed = text.trim();
        const first = trimmed.split(/\s+/, 1)[0] ?? '';
        const buy = /^[#＃]\d+$/.test(first) ? parseId(first) : undefined;
        const rest = buy === undefined ? trimmed : trimmed.slice(first.length).trim();
        return { ...(buy !== undefined ? { buy } : {}), ...(rest ? { text: rest } : {}) };
      },
      // Every photo sent with the command counts (the typed form's one, or the message's).
      run: async (ctx, { text, buy }) => void (await postShare(ctx, { text, buyId: buy }, ctx.event.kind === 'command' ? (ctx.event.attachments ?? []) : [])),
    }),
    command({
      name: 'drop',
      zhName: '参加互赞',
      description: 'cmd.drop',
      audience: 'member',
      requires: ['group'],
      args: [arg.integer('share', '晒单编号', { en: 'Share number (default: your latest)', zh: '晒单编号（默认：最新一条）' }, { min: 1 })],
      parse: (text) => ({ share: idArg(text, 'likes.drop_usage') }),
      run: async (ctx, { share: shareId }) => {
        const { round, share } = await dropShare(ctx, { shareId });
        replyInChat(ctx, say(ctx, 'likes.dropped', { name: ctx.member.displayName, shareId: share.id, roundId: round.id }));
      },
    }),
    command({ name: 'liketasks', zhName: '集赞任务', description: 'cmd.liketasks', audience: 'member', requires: ['group'], args: [], run: listLikeTasks }),
    command({
      name: 'liketask',
      zhName: '新建集赞',
      description: 'cmd.liketask',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [
        arg.integer('goal', '目标', { en: 'Likes to collect', zh: '要集的赞数' }, { min: 1, required: true }),
        arg.string('within', '时限', { en: 'Time to collect them, e.g. 48h or 3d', zh: '时限，例如 48h 或 3d' }, { required: true }),
        arg.integer('reward', '奖励', { en: 'Points for reaching the goal', zh: '达成奖励积分' }, { min: 1, required: true }),
        arg.string('codes', '兑换码', { en: 'Unlock codes to hand out, e.g. A1,B2,C3', zh: '发放的兑换码，例如 A1,B2,C3' }),
      ],
      // `goal 10 | within 48h | reward 50 [| codes A1,B2]`, checked as typed (refusals, ranges) before anything runs.
      parse: (text) => likeTaskFields(parseLikeTask(text)),
      run: async (ctx, fields) => void (await createLikeTask(ctx, likeTaskFromFields(fields))),
    }),
    command({
      name: 'endliketask',
      zhName: '结束集赞',
      description: 'cmd.endliketask',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [arg.integer('task', '任务编号', { en: 'Task number (see /liketasks)', zh: '任务编号（见 /liketasks）' }, { min: 1, required: true })],
      parse: (text) => {
        const task = idArg(text, 'likes.endtask_usage');
        if (task === undefined) throw new UserError('likes.endtask_usage');
        return { task };
      },
      run: (ctx, { task }) => endLikeTask(ctx, task),
    }),
    command({
      name: 'likeround',
      zhName: '互赞轮',
      description: 'cmd.likeround',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [arg.string('duration', '时长', { en: 'How long the round runs, e.g. 24h', zh: '持续多久，例如 24h' }, { required: true })],
      run: async (ctx, { duration }) => void (await openLikeRound(ctx, duration ?? '')),
    }),
    command({
      name: 'liftwarnings',
      zhName: '解除警告',
      description: 'cmd.liftwarnings',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: memberArgs({ en: 'The member', zh: '成员' }, true),
      run: (ctx, { member, name }) => liftWarnings(ctx, name ?? '', member ? [member] : []),
    }),
    command({
      name: 'likeconfig',
      zhName: '点赞设置',
      description: 'cmd.likeconfig',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [arg.string('setting', '设置', { en: 'show, minentries <n>, or codes on|off', zh: 'show、minentries <n> 或 codes on|off' })],
      run: (ctx, { setting }) => configureLikes(ctx, setting ?? ''),
    }),
  ],
  buttons: [
    {
      // A share's Like button: toggles. Only in the share's own group (a forged press elsewhere is refused).
      prefix: 'lk',
      access: 'member',
      target: async (store, id) => {
        const share = await store.likes.getShare(id);
        return share && { groupId: share.groupId, chatId: share.chatId };
      },
      run: async (ctx, shareId) => {
        const outcome = await toggleLike(ctx, { shareId, source: 'button', intent: 'toggle' });
        ctx.out.push({ kind: 'toast', text: describeLike(ctx, outcome), alert: outcome.kind === 'own' });
      },
    },
    {
      // A round's Drop button: drops the member's latest share into the round.
      prefix: 'rd',
      access: 'member',
      target: async (store, id) => {
        const round = await store.likes.getRound(id);
        return round && { groupId: round.groupId, chatId: round.chatId };
      },
      run: async (ctx, roundId) => {
        const { share, round } = await dropShare(ctx, { roundId });
        ctx.out.push({ kind: 'toast', text: say(ctx, 'likes.dropped_toast', { shareId: share.id, roundId: round.id }) });
      },
    },
  ],
  reaction: handleLikeReaction,
  jobs: [
    job({
      name: 'likes.round_end',
      schema: z.object({ roundId: z.coerce.number().int().positive() }),
      run: async (services, { roundId }) => void (await closeRoundDue(services, roundId)),
    }),
  ],
  cards: [
    {
      kind: 'share',
      remember: async (store, id, ref) => void (await store.likes.updateShare(id, { postedChatId: ref.chatId, postedMessageId: ref.messageId })),
      render: ({ store, clock, defaultLanguage }, id) => likeCardEdit(store, `share:${id}`, clock.now(), defaultLanguage),
    },
    {
      kind: 'round',
      remember: async (store, id, ref) => void (await store.likes.updateRound(id, { listChatId: ref.chatId, listMessageId: ref.messageId })),
      render: ({ store, clock, defaultLanguage }, id) => likeCardEdit(store, `round:${id}`, clock.now(), defaultLanguage),
      live: async (store) => (await store.likes.listOpenRounds()).filter((round) => round.listChatId && round.listMessageId).map((round) => round.id),
    },
  ],
  // Rounds past their end whose job was lost or late end the same way.
  sweep: async (services) => {
    let closed = 0;
    for (const round of await services.store.likes.listOpenRoundsDue(services.clock.now())) if (await closeRoundDue(services, round.id)) closed++;
    return closed;
  },
  reconcile: async ({ store }) => (await store.likes.listOpenRounds()).map(roundEndJob),
  subscriptions: {
    // Right after delivery, the buyer is invited (privately) to share what they bought.
    'purchase.delivered': (env, { buy, memberId, language }) => offerShare(env, buy, memberId, language),
  },
};
