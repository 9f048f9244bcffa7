/**
 * Members' data rights (GDPR, China's PIPL): `/mydata` sends a member everything the bot holds about them, `/forgetme`
 * erases their personal data after a confirmation. Admins may run both for a member of their group on that
 * member's request; see docs/decisions for what stays and why.
 */
import { say } from '../context.js';
import { memberArgs } from '../kernel/args.js';
import { command, type FeatureModule } from '../kernel/module.js';
import { askToForget, FORGET_ACTION, forgetConfirmed } from './forget-member.js';
import { sendMemberData } from './send-member-data.js';

export const privacyModule: FeatureModule = {
  name: 'privacy',
  commands: [
    command({
      name: 'mydata',
      zhName: '我的数据',
      description: 'cmd.mydata',
      audience: 'member',
      // Anyone for themself; admins also for a member who asked (the data still goes to that member).
      checksAdmin: true,
      args: memberArgs({ en: 'Admins: the member who asked (it is sent to them)', zh: '管理员：提出请求的成员（发给本人）' }, false),
      run: (ctx, { member, name }) => sendMemberData(ctx, name ?? '', member ? [member] : []),
    }),
    command({
      name: 'forgetme',
      zhName: '删除我的数据',
      description: 'cmd.forgetme',
      audience: 'member',
      checksAdmin: true,
      args: memberArgs({ en: 'Admins: the member who asked to be forgotten', zh: '管理员：要求删除数据的成员' }, false),
      run: (ctx, { member, name }) => askToForget(ctx, name ?? '', member ? [member] : []),
    }),
  ],
  // The answered question does not repeat the name of the member whose data is being erased.
  confirmations: [{ action: FORGET_ACTION, run: forgetConfirmed, confirmedText: (ctx) => say(ctx, 'privacy.forget_confirmed') }],
};
