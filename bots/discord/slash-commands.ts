/**
 * Slash commands derived from the core's command declarations (core/kernel/args.ts): names, localized names,
 * descriptions and typed options all come from the core, and a slash command's options go back to the core as typed
 * values by name (CommandEvent.options), never as text. What this file adds is Discord's shape: option types,
 * limits, localizations, and the "Share photo" message command.
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
import type { ArgKind, RawOptions } from '../../core/kernel/args.js';
import type { CommandInfo } from '../../core/ports.js';
import { attachmentOf } from './attachments.js';

/**
 * Message commands (a message's "Apps" menu), by their Discord name: the core command each one runs. "Share photo"
 * on one's own message is Discord's `/share` as a reply to one's photo on Telegram: the message's text and photos
 * become the command's text and attachments (Discord includes the target message's content in the interaction,
 * without the Message Content intent).
 */
export const MESSAGE_COMMANDS: Record<string, { command: string; zhName: string }> = {
  'Share photo': { command: 'share', zhName: '晒单' },
};

const OPTION_TYPES: Record<ArgKind, ApplicationCommandOptionType> = {
  integer: ApplicationCommandOptionType.Integer,
  string: ApplicationCommandOptionType.String,
  member: ApplicationCommandOptionType.User,
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
 * The bulk-overwrite body for Discord (`PUT applications/{id}/commands`): one chat-input command per command the
 * core lists, with English as the default and zh-CN/en-US localizations.
 */
export function slashCommandBodies(english: CommandInfo[], chinese: CommandInfo[]): RESTPutAPIApplicationCommandsJSONBody {
  const zhByName = new Map(chinese.map((c) => [c.name, c]));
  const names = new Set(english.map((c) => c.name));
  const messageCommands = Object.entries(MESSAGE_COMMANDS)
    .filter(([, spec]) => names.has(spec.command))
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
  // Listed commands first, then those the core keeps out of menus but Discord still needs (/start).
  const ordered = [...english.filter((c) => c.listed !== false), ...english.filter((c) => c.listed === false)];
  const chatInput = ordered.map((info) => {
    const zh = zhByName.get(info.name)?.description ?? info.description;
    return {
      type: ApplicationCommandType.ChatInput,
      name: checkName(info.name),
      name_localizations: { 'zh-CN': checkName(info.zhName ?? info.name), 'en-US': info.name },
      description: description(info.description),
      description_localizations: { 'zh-CN': description(zh), 'en-US': description(info.description) },
      // Usable in servers and in the bot's DMs; admin commands stay visible to all and the core refuses non-admins
      // (a configured admin role may lack Manage Server, so Discord's own permission filter would hide them).
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: (info.args ?? [])
        .filter((option) => !option.textOnly)
        .map((option) => ({
          type: OPTION_TYPES[option.kind],
          name: checkName(option.name),
          name_localizations: { 'zh-CN': checkName(option.zhName), 'en-US': option.name },
          description: description(option.description.en),
          description_localizations: { 'zh-CN': description(option.description.zh), 'en-US': description(option.description.en) },
          required: option.required ?? false,
          ...(option.kind === 'integer' && option.min !== undefined ? { min_value: option.min } : {}),
          ...(option.kind === 'integer' && option.max !== undefined ? { max_value: option.max } : {}),
          ...(option.kind === 'string' && option.choices?.length
            ? { choices: option.choices.map((c) => ({ name: c.name.en, name_localizations: { 'zh-CN': c.name.zh, 'en-US': c.name.en }, value: c.value })) }
            : {}),
        })),
    } as RESTPutAPIApplicationCommandsJSONBody[number];
  });
  return [...chatInput, ...messageCommands];
}

/**
 * What a chat-input interaction means to the core: its options as typed values by name (members by their core id,
 * also listed in `mentions` with their names), and its photos.
 */
export function commandArgs(
  options: readonly APIApplicationCommandInteractionDataOption[] | undefined,
  resolved: APIInteractionDataResolved | undefined,
): { options: RawOptions; mentions: MentionedMember[]; attachments: Attachment[] } {
  const values: RawOptions = {};
  const mentions: MentionedMember[] = [];
  const attachments: Attachment[] = [];
  for (const option of options ?? []) {
    if (!('value' in option)) continue; // subcommands: none defined
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
      values[option.name] = `dc:${id}`;
      if (user && !user.bot) {
        mentions.push({
          id: `dc:${id}`,
          displayName: member?.nick ?? user.global_name ?? user.username,
          username: user.username,
        });
      }
      continue;
    }
    values[option.name] = option.value;
  }
  return { options: values, mentions, attachments };
}
