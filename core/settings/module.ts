/** Group settings anyone meets first: the language, the time zone, and who moderates. */
import { arg, memberArgs } from '../kernel/args.js';
import { command, type FeatureModule } from '../kernel/module.js';
import { setLanguage } from './set-language.js';
import { setModerator } from './set-moderator.js';
import { setTimeZone } from './set-time-zone.js';

const moderatorCommand = (name: 'mod' | 'unmod', zhName: string, on: boolean) =>
  command({
    name,
    zhName,
    description: `cmd.${name}`,
    audience: 'admin',
    requires: ['group', 'admin'],
    args: memberArgs({ en: 'The member', zh: '成员' }, true),
    run: (ctx, { member, name: typed }) => setModerator(ctx, typed ?? '', member ? [member] : [], on),
  });

export const settingsModule: FeatureModule = {
  name: 'settings',
  commands: [
    command({
      name: 'lang',
      zhName: '语言',
      description: 'cmd.lang',
      audience: 'member',
      // Admins set the group's language; everyone else their own.
      checksAdmin: true,
      args: [
        arg.string('language', '语言', { en: 'zh, en, or auto (each member their own)', zh: 'zh、en，或 auto（每人用自己的语言）' }, {
          required: true,
          choices: [
            { value: 'zh', name: { en: '简体中文', zh: '简体中文' } },
            { value: 'en', name: { en: 'English', zh: 'English' } },
            { value: 'auto', name: { en: 'auto: each member their own', zh: '自动：每人用自己的语言' } },
          ],
        }),
      ],
      run: (ctx, { language }) => setLanguage(ctx, language ?? ''),
    }),
    command({
      name: 'timezone',
      zhName: '时区',
      description: 'cmd.timezone',
      audience: 'admin',
      // Anyone may ask for the current zone (`/timezone` alone); only admins change it (checked by the use case).
      requires: ['group'],
      checksAdmin: true,
      args: [arg.string('zone', '时区', { en: 'Time zone, e.g. Europe/Berlin', zh: '时区，例如 Asia/Shanghai' })],
      run: (ctx, { zone }) => setTimeZone(ctx, zone ?? ''),
    }),
    moderatorCommand('mod', '设为协管', true),
    moderatorCommand('unmod', '取消协管', false),
  ],
};
