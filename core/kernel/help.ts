/**
 * What /help says, built from the registered modules' declarations: a short list grouped by feature (members first;
 * admin commands only for admins), and one command's details (`/help join`): what it does, examples, who may use it
 * and where. A module's section title is the message `help.section.<module name>`; a command's examples are the
 * message `usage.<command name>` (tests/core/kernel/help.test.ts checks every listed command has one).
 */
import { hasMessage, t } from '../i18n/translate.js';
import { closestCommand, findCommand } from './closest-command.js';
import type { Language } from './language.js';
import type { CommandSpec, FeatureModule } from './module.js';

/** Who a short help is for: admins see the admin commands too; private chats point admins to `/help admin`. */
export interface HelpReader {
  admin: boolean;
  inPrivate: boolean;
}

/** Every command, listed ones first in the order /help shows them (members' first), so ties in typos go to them. */
export function helpCommands(modules: readonly FeatureModule[]): CommandSpec[] {
  const all = ordered(modules).flatMap((m) => m.commands ?? []);
  const rank = (c: CommandSpec) => (c.listed === false ? 2 : c.audience === 'member' ? 0 : 1);
  return [...all].sort((a, b) => rank(a) - rank(b));
}

/** Members' commands that work in a private chat (no group required), as /help lists them. */
export function privateCommands(modules: readonly FeatureModule[]): CommandSpec[] {
  return helpCommands(modules).filter((c) => c.listed !== false && c.audience === 'member' && !c.requires?.includes('group'));
}

/** The short help: one line per feature with its commands' names. */
export function shortHelp(modules: readonly FeatureModule[], lang: Language, reader: HelpReader): string {
  const lines = [t(lang, 'help.title'), '', t(lang, 'help.members'), ...sectionLines(modules, lang, 'member')];
  if (reader.admin) lines.push('', t(lang, 'help.admins'), ...sectionLines(modules, lang, 'admin'));
  else if (reader.inPrivate) lines.push('', t(lang, 'help.admin_pointer'));
  lines.push('', t(lang, 'help.details'));
  return lines.join('\n');
}

/** The admin commands, grouped, with an example of a buy in one line (`/help admin`). */
export function adminHelp(modules: readonly FeatureModule[], lang: Language): string {
  return [t(lang, 'help.admins'), ...sectionLines(modules, lang, 'admin'), '', t(lang, 'help.newbuy_example'), t(lang, 'help.details')].join('\n');
}

/**
 * `/help <command>`: the command named by its English or Chinese name (with or without the slash), else the
 * closest one by a typo, else a pointer to the list.
 */
export function commandHelp(modules: readonly FeatureModule[], lang: Language, typed: string): string {
  const commands = helpCommands(modules);
  const spec = findCommand(typed, commands) ?? closestCommand(typed, commands);
  if (!spec) return t(lang, 'help.unknown', { name: typed.replace(/^[/／]/, '') });
  const usageKey = `usage.${spec.name}`;
  return [
    t(lang, 'help.detail_title', { name: spec.name, zhName: spec.zhName, description: describe(spec, lang) }),
    ...(hasMessage(usageKey) ? [t(lang, usageKey as 'help.details')] : []),
    t(lang, 'help.detail_access', { who: t(lang, whoKey(spec)), where: t(lang, spec.requires?.includes('group') ? 'help.where_group' : 'help.where_anywhere') }),
  ].join('\n');
}

/** Whether what follows /help asks for the admin list. */
export function asksForAdminHelp(args: string): boolean {
  return /^(admins?|管理员?|管理命令)$/i.test(args.trim());
}

function describe(spec: CommandSpec, lang: Language): string {
  if (spec.listed === false && spec.unlistedDescription) return spec.unlistedDescription[lang === 'en' ? 'en' : 'zh'];
  return t(lang, spec.description as 'cmd.help');
}

function whoKey(spec: CommandSpec): 'help.who_admins' | 'help.who_moderators' | 'help.who_everyone' | 'help.who_everyone_admins_more' {
  if (spec.requires?.includes('admin')) return 'help.who_admins';
  if (spec.requires?.includes('moderator')) return 'help.who_moderators';
  if (spec.audience === 'admin') return 'help.who_admins';
  return spec.checksAdmin ? 'help.who_everyone_admins_more' : 'help.who_everyone';
}

/** The kernel's basics last: features first, as members look for them. */
function ordered(modules: readonly FeatureModule[]): FeatureModule[] {
  return [...modules.filter((m) => m.name !== 'basics'), ...modules.filter((m) => m.name === 'basics')];
}

function sectionLines(modules: readonly FeatureModule[], lang: Language, audience: 'member' | 'admin'): string[] {
  // Modules sharing a section (helpSection) list their commands on one line, where the section first appears.
  const sections = new Map<string, string[]>();
  for (const module of ordered(modules)) {
    const names = (module.commands ?? []).filter((c) => c.listed !== false && c.audience === audience).map((c) => `/${c.name}`);
    const section = module.helpSection ?? module.name;
    sections.set(section, [...(sections.get(section) ?? []), ...names]);
  }
  return [...sections].flatMap(([section, names]) => {
    if (names.length === 0) return [];
    const key = `help.section.${section}`;
    return [t(lang, 'help.section_line', { title: t(lang, hasMessage(key) ? (key as 'help.details') : 'help.section.other'), commands: names.join(' ') })];
  });
}
