/**
 * Slash-command definitions for the core's commands, and the way back from a slash command's typed options to the
 * core's argument string. The core owns the commands (names, descriptions, who they are for); this table owns only
 * what Discord adds on top: typed options and localized names.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandInteractionDataOption,
  type APIInteractionDataResolved,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { Attachment, MentionedMember } from '../../core/events.js';
import type { CommandInfo } from '../../core/ports.js';
import { attachmentOf } from './attachments.js';

/** The option types this adapter uses. */
type OptionKind = 'integer' | 'string' | 'user' | 'boolean' | 'attachment';

/** Copy in both languages Discord shows: en-US is the default, zh-CN the localization. */
interface Words {
  en: string;
  zh: string;
}

/** One typed option and how it is written back into the core's argument text. */
export interface OptionSpec {
  name: string;
  /** Localized option name (lower case, no spaces: Discord's rule). */
  zhName: string;
  description: Words;
  kind: OptionKind;
  required?: boolean;
  min?: number;
  max?: number;
  choices?: { value: string; name: Words }[];
}

export interface SlashCommandSpec {
  /** Chinese command name shown to zh-CN clients (the interaction still carries the core's name). */
  zhName: string;
  options: OptionSpec[];
  /** Builds the core's `args` text from the options the member filled in (absent options are missing keys). */
  toArgs(values: OptionValues): string;
}

/** Option values by option name, as Discord sent them (user options are user ids, attachment options attachment ids). */
export type OptionValues = Record<string, string | number | boolean | undefined>;

const buyOption = (required = false): OptionSpec => ({
  name: 'buy',
  zhName: '拼团编号',
  description: { en: 'Buy number (default: the newest open buy here)', zh: '拼团编号（默认：本频道最新的进行中拼团）' },
  kind: 'integer',
  min: 1,
  required,
});

const memberOption = (required: boolean): OptionSpec => ({
  name: 'member',
  zhName: '成员',
  description: { en: 'The member', zh: '成员' },
  kind: 'user',
  required,
});

/** `#12` names a buy where a bare number would mean something else (a quantity for /join). */
const buyArg = (values: OptionValues): string => (values.buy === undefined ? '' : `#${values.buy}`);
const words = (...parts: (string | number | boolean | undefined)[]): string =>
  parts.filter((p) => p !== undefined && p !== '' && p !== false).join(' ');

/**
 * Every core command with its typed options. A test checks that each command the core lists has an entry here, so a
 * new core command cannot silently miss Discord.
 */
export const SLASH_COMMANDS: Record<string, SlashCommandSpec> = {
  help: { zhName: '帮助', options: [], toArgs: () => '' },
  join: {
    zhName: '参团',
    options: [
      { name: 'quantity', zhName: '数量', description: { en: 'How many units (default 1)', zh: '数量（默认 1）' }, kind: 'integer', min: 1, max: 100_000 },
      buyOption(),
    ],
    // `/join 2` is a quantity, `/join #3` a buy, `/join 3 2` both: the core's own forms.
    toArgs: (v) => (v.buy !== undefined && v.quantity !== undefined ? words(v.buy, v.quantity) : words(buyArg(v), v.quantity)),
  },
  leave: { zhName: '退出', options: [buyOption()], toArgs: (v) => buyArg(v) },
  buys: { zhName: '拼团列表', options: [], toArgs: () => '' },
  mybuys: { zhName: '我的拼团', options: [], toArgs: () => '' },
  lang: {
    zhName: '语言',
    options: [
      {
        name: 'language',
        zhName: '语言',
        description: { en: 'zh, en, or auto (each member their own)', zh: 'zh、en，或 auto（每人用自己的语言）' },
        kind: 'string',
        required: true,
        choices: [
          { value: 'zh', name: { en: '简体中文', zh: '简体中文' } },
          { value: 'en', name: { en: 'English', zh: 'English' } },
          { value: 'auto', name: { en: 'auto: each member their own', zh: '自动：每人用自己的语言' } },
        ],
      },
    ],
    toArgs: (v) => words(v.language),
  },
  cancel: { zhName: '取消', options: [], toArgs: () => '' },
  newbuy: {
    zhName: '开团',
    options: [
      { name: 'title', zhName: '商品', description: { en: 'Product title (leave everything empty for a guided dialogue)', zh: '商品标题（全部留空则逐步提问）' }, kind: 'string' },
      // A string, not a number: the core reads "39.9", "¥39.9" and "39,9", and explains a bad price in words.
      { name: 'price', zhName: '单价', description: { en: 'Unit price, e.g. 39.9', zh: '单价，例如 39.9' }, kind: 'string' },
      { name: 'min', zhName: '最少', description: { en: 'Units needed to form', zh: '成团最少份数' }, kind: 'integer', min: 1, max: 100_000 },
      { name: 'max', zhName: '最多', description: { en: 'Units available', zh: '最多份数' }, kind: 'integer', min: 1, max: 100_000 },
      { name: 'ends', zhName: '截止', description: { en: 'Deadline: 2026-12-24 20:00, or 90m, 2h, 3d', zh: '截止：2026-12-24 20:00，或 90m、2h、3d' }, kind: 'string' },
      { name: 'limit', zhName: '限购', description: { en: 'Limit per member', zh: '每人限购份数' }, kind: 'integer', min: 1, max: 100_000 },
      { name: 'tiers', zhName: '阶梯', description: { en: 'Tiered prices, e.g. 20:35.9,40:32.9', zh: '阶梯价，例如 20:35.9,40:32.9' }, kind: 'string' },
      { name: 'pickup', zhName: '自提', description: { en: 'Pickup point or delivery note', zh: '自提点或配送说明' }, kind: 'string' },
    ],
    // The core's one-line form; absent fields stay absent so the core names what is missing.
    toArgs: (v) => {
      const fields = (['min', 'max', 'ends', 'limit', 'tiers', 'pickup'] as const).flatMap((f) => (v[f] === undefined ? [] : [`${f} ${v[f]}`]));
      // No option at all starts the guided dialogue; otherwise the empty title or price is the core's to report.
      if (v.title === undefined && v.price === undefined && fields.length === 0) return '';
      return [v.title ?? '', v.price ?? '', ...fields].join(' | ');
    },
  },
  closebuy: { zhName: '截团', options: [buyOption()], toArgs: buyArg },
  cancelbuy: { zhName: '取消拼团', options: [buyOption()], toArgs: buyArg },
  extendbuy: {
    zhName: '延期',
    options: [
      { name: 'ends', zhName: '截止', description: { en: 'New deadline: 2026-12-24 20:00, or 90m, 2h, 3d', zh: '新的截止时间：2026-12-24 20:00，或 90m、2h、3d' }, kind: 'string', required: true },
      buyOption(),
    ],
    toArgs: (v) => words(buyArg(v), v.ends),
  },
  paid: markCommand('已付款'),
  delivered: markCommand('已送达'),
  export: { zhName: '导出', options: [buyOption()], toArgs: buyArg },
  timezone: {
    zhName: '时区',
    options: [{ name: 'zone', zhName: '时区', description: { en: 'Time zone, e.g. Europe/Berlin', zh: '时区，例如 Asia/Shanghai' }, kind: 'string' }],
    toArgs: (v) => words(v.zone),
  },
  mod: { zhName: '设为协管', options: [memberOption(true)], toArgs: () => '' },
  unmod: { zhName: '取消协管', options: [memberOption(true)], toArgs: () => '' },
  // Reviews (core/reviews), checked against core/reviews/review-commands.ts: `/review <buy-id> <1-5> <text>` needs all
  // three (the guided flow starts from the stars in the request DM); `/reviewconfig [#buy] <key> <value>`.
  review: {
    zhName: '评价',
    options: [
      { ...buyOption(true), description: { en: 'The delivered buy to review', zh: '要评价的已送达拼团' } },
      { name: 'rating', zhName: '评分', description: { en: 'Stars, 1 to 5', zh: '星级，1 到 5' }, kind: 'integer', min: 1, max: 5, required: true },
      { name: 'text', zhName: '内容', description: { en: 'Your review', zh: '评价内容' }, kind: 'string', required: true },
    ],
    toArgs: (v) => words(v.buy, v.rating, v.text),
  },
  stop: {
    zhName: '停止',
    options: [{ name: 'what', zhName: '内容', description: { en: 'What to stop', zh: '要停止的内容' }, kind: 'string', required: true, choices: [{ value: 'reviews', name: { en: 'review requests', zh: '评价邀请' } }] }],
    toArgs: (v) => words(v.what),
  },
  reviewconfig: {
    zhName: '评价设置',
    options: [
      {
        name: 'setting', zhName: '设置项', description: { en: 'What to show or change (default: show)', zh: '查看或修改哪一项（默认：查看）' }, kind: 'string',
        choices: [
          { value: 'show', name: { en: 'show the settings', zh: '查看设置' } },
          { value: 'delay', name: { en: 'delay after delivery', zh: '送达后延迟' } },
          { value: 'reminders', name: { en: 'number of reminders', zh: '提醒次数' } },
          { value: 'interval', name: { en: 'days between reminders', zh: '提醒间隔' } },
          { value: 'quiet', name: { en: 'quiet hours', zh: '免打扰时段' } },
          { value: 'cap', name: { en: 'messages per member per week', zh: '每人每周消息上限' } },
          { value: 'reward', name: { en: 'points per review', zh: '每条评价积分' } },
          { value: 'bonus', name: { en: 'rich review bonus', zh: '优质评价加赠' } },
          { value: 'reset', name: { en: 'back to the defaults', zh: '恢复默认' } },
        ],
      },
      { name: 'value', zhName: '值', description: { en: 'The new value, e.g. 3d, 1, 22:00-08:00, off, 10', zh: '新的值，例如 3d、1、22:00-08:00、off、10' }, kind: 'string' },
      { ...buyOption(), description: { en: 'Timing for one buy only (delay, reminders, interval, reset)', zh: '只针对某个拼团的时间设置（延迟、提醒、间隔、重置）' } },
    ],
    toArgs: (v) => words(buyArg(v), v.setting, v.value),
  },
  reviews: { zhName: '评价汇总', options: [buyOption()], toArgs: buyArg },
  feature: {
    zhName: '精选评价',
    options: [{ name: 'review', zhName: '评价编号', description: { en: 'Review number (at the bottom of its card)', zh: '评价编号（见评价卡片底部）' }, kind: 'integer', min: 1, required: true }],
    toArgs: (v) => words(v.review),
  },
  bestreviews: {
    zhName: '月度好评',
    options: [{ name: 'month', zhName: '月份', description: { en: 'Month as YYYY-MM (default: this month)', zh: '月份，格式 YYYY-MM（默认：本月）' }, kind: 'string' }],
    toArgs: (v) => words(v.month),
  },
  // Points, levels, badges (core/points).
  checkin: { zhName: '签到', options: [], toArgs: () => '' },
  me: { zhName: '我的积分', options: [], toArgs: () => '' },
  top: {
    zhName: '排行榜',
    options: [
      {
        name: 'period', zhName: '时段', description: { en: 'This week, this month, or all time (default: week)', zh: '本周、本月或全部（默认：本周）' }, kind: 'string',
        choices: [
          { value: 'week', name: { en: 'this week', zh: '本周' } },
          { value: 'month', name: { en: 'this month', zh: '本月' } },
          { value: 'all', name: { en: 'all time', zh: '全部' } },
        ],
      },
    ],
    toArgs: (v) => words(v.period),
  },
  levels: {
    zhName: '等级',
    options: [{ name: 'setting', zhName: '设置', description: { en: 'Admins: set V2 spend 200 orders 3, perk V3 <text>, window 90', zh: '管理员：set V2 spend 200 orders 3、perk V3 <文字>、window 90' }, kind: 'string' }],
    toArgs: (v) => words(v.setting),
  },
  ledger: { zhName: '积分明细', options: [{ ...memberOption(false), description: { en: 'Whose history (admins; default: yours)', zh: '查看谁的明细（管理员；默认：自己）' } }], toArgs: () => '' },
  pointrules: {
    zhName: '积分规则',
    options: [{ name: 'setting', zhName: '设置', description: { en: 'Admins: <source> [points] [cap <n>|off] [cooldown <30m>|off], streak 7, reset', zh: '管理员：<来源> [积分] [cap <n>|off] [cooldown <30m>|off]、streak 7、reset' }, kind: 'string' }],
    toArgs: (v) => words(v.setting),
  },
  points: {
    zhName: '调整积分',
    options: [
      memberOption(true),
      { name: 'amount', zhName: '积分', description: { en: 'Points to add (negative to take away)', zh: '增加的积分（负数为扣除）' }, kind: 'integer', min: -100_000, max: 100_000, required: true },
      { name: 'reason', zhName: '原因', description: { en: 'Why (kept in the ledger)', zh: '原因（记入明细）' }, kind: 'string', required: true },
    ],
    // The member travels as a mention; the core reads `<+/-n> <reason>` after it.
    toArgs: (v) => words(typeof v.amount === 'number' && v.amount > 0 ? `+${v.amount}` : v.amount, v.reason),
  },
  // Shares, likes, like tasks and rounds (core/likes).
  share: {
    zhName: '晒单',
    options: [
      { name: 'text', zhName: '内容', description: { en: 'What you want to say about it', zh: '想说的话' }, kind: 'string' },
      { name: 'photo', zhName: '图片', description: { en: 'A photo of what you bought', zh: '商品照片' }, kind: 'attachment' },
      { ...buyOption(), description: { en: 'The buy it came from', zh: '来自哪个拼团' } },
    ],
    // The photo travels as the command's attachment; `#<buy>` goes first, as typed on Telegram.
    toArgs: (v) => words(buyArg(v), v.text),
  },
  drop: {
    zhName: '参加互赞',
    options: [{ name: 'share', zhName: '晒单编号', description: { en: 'Share number (default: your latest)', zh: '晒单编号（默认：最新一条）' }, kind: 'integer', min: 1 }],
    toArgs: (v) => words(v.share),
  },
  liketasks: { zhName: '集赞任务', options: [], toArgs: () => '' },
  liketask: {
    zhName: '新建集赞',
    options: [
      { name: 'goal', zhName: '目标', description: { en: 'Likes to collect', zh: '要集的赞数' }, kind: 'integer', min: 1, required: true },
      { name: 'within', zhName: '时限', description: { en: 'Time to collect them, e.g. 48h or 3d', zh: '时限，例如 48h 或 3d' }, kind: 'string', required: true },
      { name: 'reward', zhName: '奖励', description: { en: 'Points for reaching the goal', zh: '达成奖励积分' }, kind: 'integer', min: 1, required: true },
      { name: 'codes', zhName: '兑换码', description: { en: 'Unlock codes to hand out, e.g. A1,B2,C3', zh: '发放的兑换码，例如 A1,B2,C3' }, kind: 'string' },
    ],
    toArgs: (v) =>
      [`goal ${v.goal ?? ''}`, `within ${v.within ?? ''}`, `reward ${v.reward ?? ''}`, ...(v.codes !== undefined ? [`codes ${v.codes}`] : [])].join(' | '),
  },
  endliketask: {
    zhName: '结束集赞',
    options: [{ name: 'task', zhName: '任务编号', description: { en: 'Task number (see /liketasks)', zh: '任务编号（见 /liketasks）' }, kind: 'integer', min: 1, required: true }],
    toArgs: (v) => words(v.task),
  },
  likeround: {
    zhName: '互赞轮',
    options: [{ name: 'duration', zhName: '时长', description: { en: 'How long the round runs, e.g. 24h', zh: '持续多久，例如 24h' }, kind: 'string', required: true }],
    toArgs: (v) => words(v.duration),
  },
  liftwarnings: { zhName: '解除警告', options: [memberOption(true)], toArgs: () => '' },
  likeconfig: {
    zhName: '点赞设置',
    options: [{ name: 'setting', zhName: '设置', description: { en: 'show, minentries <n>, or codes on|off', zh: 'show、minentries <n> 或 codes on|off' }, kind: 'string' }],
    toArgs: (v) => words(v.setting),
  },
};

/**
 * Commands the core takes but does not list (so /help and Telegram's menu leave them out), which Discord still
 * needs as slash commands: Discord has no `/start` of its own, and `/start reviews` is how a member opts back in to
 * review requests.
 */
export const UNLISTED_SLASH_COMMANDS: Record<string, SlashCommandSpec & { description: Words }> = {
  start: {
    zhName: '开始',
    description: { en: 'Start: the help, or /start reviews to get review requests again', zh: '开始：查看帮助，或 /start reviews 重新接收评价邀请' },
    options: [{ name: 'topic', zhName: '内容', description: { en: 'reviews: get review requests again', zh: 'reviews：重新接收评价邀请' }, kind: 'string', choices: [{ value: 'reviews', name: { en: 'review requests', zh: '评价邀请' } }] }],
    toArgs: (v) => words(v.topic),
  },
};

/**
 * Message commands (a message's "Apps" menu), by their Discord name: the core command each one runs. "Share photo"
 * on one's own message is Discord's `/share` as a reply to one's photo on Telegram: the message's text and photos
 * become the command's text and attachments (Discord includes the target message's content in the interaction,
 * without the Message Content intent).
 */
export const MESSAGE_COMMANDS: Record<string, { command: string; zhName: string }> = {
  'Share photo': { command: 'share', zhName: '晒单' },
};

/** `/paid` and `/delivered`: a member (sent to the core as a mention), or everyone. */
function markCommand(zhName: string): SlashCommandSpec {
  return {
    zhName,
    options: [
      memberOption(false),
      { name: 'all', zhName: '全部', description: { en: 'Everyone in the buy', zh: '全部参团成员' }, kind: 'boolean' },
      buyOption(),
    ],
    toArgs: (v) => words(v.buy, v.all === true ? 'all' : undefined),
  };
}

const OPTION_TYPES: Record<OptionKind, ApplicationCommandOptionType> = {
  integer: ApplicationCommandOptionType.Integer,
  string: ApplicationCommandOptionType.String,
  user: ApplicationCommandOptionType.User,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
};

/** Discord's rules for names and descriptions; a bad entry is a bug in this table, so it throws. */
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
function checkName(name: string): string {
  if (!NAME.test(name) || name !== name.toLowerCase()) throw new Error(`invalid slash command or option name: ${name}`);
  return name;
}
const description = (text: string): string => (text.length <= 100 ? text : `${text.slice(0, 99)}…`);

/**
 * A core command this table does not know yet still reaches Discord, with one free-text option passed through as the
 * core's argument text (as typed on Telegram). A test requires a typed entry for every listed command, so this
 * fallback only bridges the time between a new core command and its entry here.
 */
function freeTextSpec(name: string): SlashCommandSpec {
  return {
    zhName: name,
    options: [{ name: 'text', zhName: '参数', description: { en: 'What follows the command (see /help)', zh: '命令后面的内容（见 /help）' }, kind: 'string' }],
    toArgs: (v) => words(v.text),
  };
}

/** The slash shape of a core command: its typed entry, or the free-text fallback. */
export function slashSpec(name: string): SlashCommandSpec {
  return SLASH_COMMANDS[name] ?? UNLISTED_SLASH_COMMANDS[name] ?? freeTextSpec(name);
}

/**
 * The bulk-overwrite body for Discord (`PUT applications/{id}/commands`): one chat-input command per command the
 * core lists, with English as the default and zh-CN/en-US localizations.
 */
export function slashCommandBodies(english: CommandInfo[], chinese: CommandInfo[]): RESTPutAPIApplicationCommandsJSONBody {
  const zhByName = new Map(chinese.map((c) => [c.name, c]));
  const listed = new Set(english.map((c) => c.name));
  const unlisted = Object.entries(UNLISTED_SLASH_COMMANDS)
    .filter(([name]) => !listed.has(name))
    .map(([name, spec]): CommandInfo => {
      zhByName.set(name, { name, description: spec.description.zh, audience: 'member' });
      return { name, description: spec.description.en, audience: 'member' };
    });
  const messageCommands = Object.entries(MESSAGE_COMMANDS)
    .filter(([, spec]) => listed.has(spec.command))
    .map(
      ([name, spec]) =>
        ({
          type: ApplicationCommandType.Message,
          name,
          name_localizations: { 'zh-CN': spec.zhName, 'en-US': name },
          contexts: [InteractionContextType.Guild],
          integration_types: [ApplicationIntegrationType.GuildInstall],
        }) as RESTPutAPIApplicationCommandsJSONBody[number],
    );
  const chatInput = [...english, ...unlisted].map((info) => {
    const spec = slashSpec(info.name);
    const zh = zhByName.get(info.name)?.description ?? info.description;
    return {
      type: ApplicationCommandType.ChatInput,
      name: checkName(info.name),
      name_localizations: { 'zh-CN': checkName(spec.zhName), 'en-US': info.name },
      description: description(info.description),
      description_localizations: { 'zh-CN': description(zh), 'en-US': description(info.description) },
      // Usable in servers and in the bot's DMs; admin commands stay visible to all and the core refuses non-admins
      // (a configured admin role may lack Manage Server, so Discord's own permission filter would hide them).
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: spec.options.map((option) => ({
        type: OPTION_TYPES[option.kind],
        name: checkName(option.name),
        name_localizations: { 'zh-CN': checkName(option.zhName), 'en-US': option.name },
        description: description(option.description.en),
        description_localizations: { 'zh-CN': description(option.description.zh), 'en-US': description(option.description.en) },
        required: option.required ?? false,
        ...(option.min !== undefined ? { min_value: option.min } : {}),
        ...(option.max !== undefined ? { max_value: option.max } : {}),
        ...(option.choices
          ? { choices: option.choices.map((c) => ({ name: c.name.en, name_localizations: { 'zh-CN': c.name.zh, 'en-US': c.name.en }, value: c.value })) }
          : {}),
      })),
    } as RESTPutAPIApplicationCommandsJSONBody[number];
  });
  return [...chatInput, ...messageCommands];
}

/** What a chat-input interaction means to the core: its argument text, the members it pointed at, its photos. */
export function commandArgs(
  name: string,
  options: readonly APIApplicationCommandInteractionDataOption[] | undefined,
  resolved: APIInteractionDataResolved | undefined,
): { args: string; mentions: MentionedMember[]; attachments: Attachment[] } {
  const values: OptionValues = {};
  const mentions: MentionedMember[] = [];
  const attachments: Attachment[] = [];
  for (const option of options ?? []) {
    if (!('value' in option)) continue; // subcommands: none defined
    values[option.name] = option.value;
    if (option.type === ApplicationCommandOptionType.Attachment) {
      // The file itself comes in `resolved`; an upload that is neither a photo nor a video is left out.
      const file = resolved?.attachments?.[String(option.value)];
      const attachment = file ? attachmentOf(file) : undefined;
      if (attachment) attachments.push(attachment);
      continue;
    }
    if (option.type === ApplicationCommandOptionType.User) {
      const id = String(option.value);
      const user = resolved?.users?.[id];
      const member = resolved?.members?.[id];
      if (user && !user.bot) {
        mentions.push({
          id: `dc:${id}`,
          displayName: member?.nick ?? user.global_name ?? user.username,
          username: user.username,
        });
      }
    }
  }
  return { args: slashSpec(name).toArgs(values).trim(), mentions, attachments };
}
