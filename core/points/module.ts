/**
 * Points, levels, badges and leaderboards as the kernel sees them: commands, and the points other features'
 * events earn (joining a buy, a delivered purchase). Likes and reviews pay through awardPoints, the ledger's one
 * door (core/points/award-points.ts), which they may call: the ledger is a shared service, not a reaction.
 */
import { arg, memberArgs } from '../kernel/args.js';
import { command, type FeatureModule } from '../kernel/module.js';
import '../group-buy/group-buy-events.js';
import { adjustPoints, parseAdjustment, showLedger } from './adjust-points.js';
import { checkIn } from './check-in.js';
import { showTop } from './leaderboard.js';
import { levelsCommand } from './levels-command.js';
import { pointRulesCommand, resetPointRules } from './point-rules-command.js';
import { reverseDelivery, rewardDelivery, rewardFormedBuy } from './reward-purchase.js';
import { showMe } from './show-me.js';

export const pointsModule: FeatureModule = {
  name: 'points',
  // Members read levels, rules and their own ledger; admins change them.
  commands: [
    command({ name: 'checkin', zhName: '签到', description: 'cmd.checkin', audience: 'member', requires: ['group'], args: [], run: checkIn }),
    command({ name: 'me', zhName: '我的积分', description: 'cmd.me', audience: 'member', requires: ['group'], args: [], run: showMe }),
    command({
      name: 'top',
      zhName: '排行榜',
      description: 'cmd.top',
      audience: 'member',
      requires: ['group'],
      args: [
        arg.string('period', '时段', { en: 'This week, this month, or all time (default: week)', zh: '本周、本月或全部（默认：本周）' }, {
          choices: [
            { value: 'week', name: { en: 'this week', zh: '本周' } },
            { value: 'month', name: { en: 'this month', zh: '本月' } },
            { value: 'all', name: { en: 'all time', zh: '全部' } },
          ],
        }),
      ],
      run: (ctx, { period }) => showTop(ctx, period ?? ''),
    }),
    command({
      name: 'levels',
      zhName: '等级',
      description: 'cmd.levels',
      audience: 'member',
      requires: ['group'],
      checksAdmin: true,
      args: [arg.string('setting', '设置', { en: 'Admins: set V2 spend 200 orders 3, perk V3 <text>, window 90', zh: '管理员：set V2 spend 200 orders 3、perk V3 <文字>、window 90' })],
      run: (ctx, { setting }) => levelsCommand(ctx, setting ?? ''),
    }),
    command({
      name: 'ledger',
      zhName: '积分明细',
      description: 'cmd.ledger',
      audience: 'member',
      requires: ['group'],
      checksAdmin: true,
      args: memberArgs({ en: 'Whose history (admins; default: yours)', zh: '查看谁的明细（管理员；默认：自己）' }, false),
      run: (ctx, { member, name }) => showLedger(ctx, name ?? '', member ? [member] : []),
    }),
    command({
      name: 'pointrules',
      zhName: '积分规则',
      description: 'cmd.pointrules',
      audience: 'member',
      requires: ['group'],
      checksAdmin: true,
      args: [arg.string('setting', '设置', { en: 'Admins: <source> [points] [cap <n>|off] [cooldown <30m>|off], streak 7, reset', zh: '管理员：<来源> [积分] [cap <n>|off] [cooldown <30m>|off]、streak 7、reset' })],
      run: (ctx, { setting }) => pointRulesCommand(ctx, setting ?? ''),
    }),
    command({
      name: 'points',
      zhName: '调整积分',
      description: 'cmd.points',
      audience: 'admin',
      requires: ['group', 'admin'],
      args: [
        arg.member('member', '成员', { en: 'The member', zh: '成员' }, { required: true }),
        arg.integer('amount', '积分', { en: 'Points to add (negative to take away)', zh: '增加的积分（负数为扣除）' }, { min: -100_000, max: 100_000, required: true }),
        arg.string('reason', '原因', { en: 'Why (kept in the ledger)', zh: '原因（记入明细）' }, { required: true }),
        arg.string('name', '名字', { en: '@username', zh: '@用户名' }, { textOnly: true }),
      ],
      parse: (text, event) => parseAdjustment(text, event.mentions),
      run: (ctx, input) => adjustPoints(ctx, input),
    }),
  ],
  subscriptions: {
    // Points for taking part in a buy, paid when it forms to those holding a place then (not at joining: leaving
    // would keep them), once per buy and member.
    'buy.closed': (env, { buy, status, members }) => (status === 'formed' ? rewardFormedBuy(env, { groupId: buy.groupId, buyId: buy.id, members }) : Promise.resolve()),
    // Points for the purchase and the level it may raise.
    'purchase.delivered': (env, { buy, memberId, signUpId }) => rewardDelivery(env, { groupId: buy.groupId, memberId, buyId: buy.id, signUpId }),
    // A delivery un-marked: the points it paid are taken back (a level reached stays: levels only rise).
    'purchase.undelivered': (env, { buy, memberId, signUpId }) => reverseDelivery(env, { groupId: buy.groupId, memberId, buyId: buy.id, signUpId }),
  },
  confirmations: [{ action: 'points.reset', run: (ctx) => resetPointRules(ctx) }],
};
