/**
 * Discord gateway payloads -> core events. Pure functions over the raw API shapes (discord-api-types): no I/O, no
 * discord.js objects, so they are tested on recorded payloads.
 */
import {
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  MessageType,
  type APIInteraction,
  type APIUser,
  type GatewayMessageCreateDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageReactionRemoveDispatchData,
} from 'discord-api-types/v10';
import type { Actor, ChatRef, CoreEvent } from '../../core/events.js';
import { attachmentOf } from './attachments.js';
import { commandArgs, MESSAGE_COMMANDS } from './slash-commands.js';

/** custom_id of the button under a question: pressing it opens a one-field form for the answer. */
export const ANSWER_BUTTON_ID = 'tuanbot:answer';
/** custom_id of that form, and of its one text field. */
export const ANSWER_MODAL_ID = 'tuanbot:answer-form';
export const ANSWER_FIELD_ID = 'answer';

/** How the interaction must be acknowledged, which decides how replies to it are sent. */
export type InteractionKind = 'command' | 'component' | 'modal';

/**
 * The adapter's context on every Discord event (`event.source`). The core never reads it; the messenger uses it to
 * answer the right interaction.
 */
export interface DiscordSource {
  channelId: string;
  guildId?: string;
  userId: string;
  /** Set for interactions: replies to the actor go through the interaction (ephemeral where private). */
  interaction?: { id: string; token: string; kind: InteractionKind };
  /** The member's computed permissions in the channel and their roles, as Discord sent them with the interaction. */
  member?: { permissions: string; roles: string[] };
}

/** Reads the Discord context back from an event, if it came from this adapter. */
export function discordSource(event: CoreEvent | undefined): DiscordSource | undefined {
  if (!event || event.platform !== 'dc') return undefined;
  const source = event.source as Partial<DiscordSource> | undefined;
  return source && typeof source.channelId === 'string' && typeof source.userId === 'string' ? (source as DiscordSource) : undefined;
}

/** Discord's epoch: a snowflake's top bits are milliseconds since 2015-01-01. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** When a snowflake (message, interaction) was made. */
export function snowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH));
}

/** `dc:<user id>`: the member id convention shared with the core. */
export function memberId(userId: string): string {
  return `dc:${userId}`;
}

/** `dc:<channel id>`: the chat id convention; a guild is `dc:<guild id>`, the group its channels share. */
export function chatId(channelId: string): string {
  return `dc:${channelId}`;
}

/**
 * Decodes an interaction: a slash command, a button press, or the answer form. Other interactions (autocomplete,
 * select menus, bots) decode to `undefined`.
 */
export function decodeInteraction(interaction: APIInteraction): CoreEvent | undefined {
  const user = interaction.member?.user ?? interaction.user;
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  if (!user || user.bot || !channelId) return undefined;
  const member = interaction.member;
  const base = {
    key: `dc:${interaction.id}`,
    platform: 'dc' as const,
    actor: actorOf(user, member?.nick, 'locale' in interaction ? interaction.locale : undefined),
    chat: chatRefOf(channelId, interaction.guild_id, interaction.channel && 'name' in interaction.channel ? interaction.channel.name : undefined),
    at: snowflakeTime(interaction.id),
  };
  const source = (kind: InteractionKind): DiscordSource => ({
    channelId,
    userId: user.id,
    ...(interaction.guild_id ? { guildId: interaction.guild_id } : {}),
    interaction: { id: interaction.id, token: interaction.token, kind },
    ...(member ? { member: { permissions: member.permissions, roles: member.roles } } : {}),
  });

  if (interaction.type === InteractionType.ApplicationCommand) {
    if (interaction.data.type === ApplicationCommandType.Message) {
      // "Share photo" on a message: its text and photos, only when it is the member's own message (sharing someone
      // else's post as one's own is not offered; the core then explains how to share).
      const spec = MESSAGE_COMMANDS[interaction.data.name];
      const target = interaction.data.resolved.messages[interaction.data.target_id];
      if (!spec) return undefined;
      const own = target?.author.id === user.id;
      const attachments = own ? (target.attachments ?? []).flatMap((a) => attachmentOf(a) ?? []) : [];
      return {
        ...base,
        kind: 'command',
        name: spec.command,
        args: own ? target.content.trim() : '',
        ...(attachments.length ? { attachments } : {}),
        source: source('command'),
      };
    }
    if (interaction.data.type !== ApplicationCommandType.ChatInput) return undefined;
    const { options, mentions, attachments } = commandArgs(interaction.data.options, interaction.data.resolved);
    return {
      ...base,
      kind: 'command',
      name: interaction.data.name.toLowerCase(),
      // The options go to the core typed, by name; nothing was typed as text.
      args: '',
      options,
      ...(mentions.length ? { mentions } : {}),
      ...(attachments.length ? { attachments } : {}),
      source: source('command'),
    };
  }
  if (interaction.type === InteractionType.MessageComponent) {
    if (interaction.data.component_type !== ComponentType.Button || interaction.data.custom_id === ANSWER_BUTTON_ID) return undefined;
    return { ...base, kind: 'button', action: interaction.data.custom_id, messageId: interaction.message.id, source: source('component') };
  }
  if (interaction.type === InteractionType.ModalSubmit) {
    if (interaction.data.custom_id !== ANSWER_MODAL_ID) return undefined;
    const text = modalValue(interaction.data.components, ANSWER_FIELD_ID);
    if (text === undefined) return undefined;
    return { ...base, kind: 'text', text, source: source('modal') };
  }
  return undefined;
}

/** The value of one text field of a submitted form, whether it sits in an action row or a label. */
function modalValue(components: readonly unknown[], fieldId: string): string | undefined {
  for (const component of components as { custom_id?: string; value?: string; components?: unknown[]; component?: unknown }[]) {
    if (component.custom_id === fieldId && typeof component.value === 'string') return component.value;
    const nested = component.components ?? (component.component ? [component.component] : []);
    const found = modalValue(nested, fieldId);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A message a member wrote to the bot in DMs (the DirectMessages intent delivers them, content included, without
 * the privileged Message Content intent): a text event with its photos and videos, e.g. a review's text and media.
 * Messages in servers, from bots or webhooks, and system messages decode to `undefined`.
 */
export function decodeDirectMessage(data: GatewayMessageCreateDispatchData, botId: string): CoreEvent | undefined {
  // A message without an author (system messages, malformed payloads) is no member's.
  if (data.guild_id || data.webhook_id || !data.author || data.author.bot || data.author.id === botId) return undefined;
  if (data.type !== MessageType.Default && data.type !== MessageType.Reply) return undefined;
  const attachments = (data.attachments ?? []).flatMap((a) => attachmentOf(a) ?? []);
  const text = data.content ?? '';
  if (!text.trim() && attachments.length === 0) return undefined;
  return {
    key: `dc:${data.id}`,
    platform: 'dc',
    kind: 'text',
    text,
    ...(attachments.length ? { attachments } : {}),
    actor: actorOf(data.author),
    chat: chatRefOf(data.channel_id, undefined, undefined),
    at: snowflakeTime(data.id),
    source: { channelId: data.channel_id, userId: data.author.id } satisfies DiscordSource,
  };
}

/**
 * A member's message in a server channel (the GUILD_MESSAGES intent delivers them). Without the privileged Message
 * Content intent, Discord sends a server message's text only when it mentions the bot, and a reply to the bot's
 * message mentions it unless the member switched the reply's "@ mention" off. So:
 * - a reply to one of the bot's messages (a buy card) is a text event naming it (`replyTo.byBot`), its text possibly
 *   empty (the core then says how to join instead of guessing);
 * - any other message with text (the operator enabled Message Content, or the bot was mentioned) is `ambient`;
 * - the rest (no text to read, bots, webhooks, system messages) decodes to `undefined`.
 */
export function decodeGuildMessage(data: GatewayMessageCreateDispatchData, botId: string): CoreEvent | undefined {
  if (!data.guild_id || data.webhook_id || !data.author || data.author.bot || data.author.id === botId) return undefined;
  if (data.type !== MessageType.Default && data.type !== MessageType.Reply) return undefined;
  const referenced = data.message_reference?.message_id;
  const byBot = referenced !== undefined && data.referenced_message?.author?.id === botId;
  const text = data.content ?? '';
  if (!byBot && !text.trim()) return undefined;
  return {
    key: `dc:${data.id}`,
    platform: 'dc',
    kind: 'text',
    text,
    ...(referenced !== undefined ? { replyTo: { messageId: referenced, byBot } } : {}),
    ...(byBot ? {} : { ambient: true }),
    actor: actorOf(data.author, data.member?.nick),
    chat: chatRefOf(data.channel_id, data.guild_id, undefined),
    at: snowflakeTime(data.id),
    source: { channelId: data.channel_id, userId: data.author.id, guildId: data.guild_id } satisfies DiscordSource,
  };
}

/** What the reaction decoder must know beyond the payload. */
export interface ReactionContext {
  /** The bot's user id: its own reactions are not members' reactions. */
  botId: string;
  /** The gateway session and the dispatch's sequence number: a dispatch replayed after a resume has the same pair. */
  sessionId: string;
  sequence: number;
  /** Reactions carry no time; they happened "now". */
  now: () => Date;
}

/**
 * A reaction added to or removed from a message. Additions are kept only on the bot's own messages (the cards);
 * removals carry no message author, so they pass and the core matches the message id to its cards.
 */
export function decodeReaction(
  data: GatewayMessageReactionAddDispatchData | GatewayMessageReactionRemoveDispatchData,
  added: boolean,
  context: ReactionContext,
): CoreEvent | undefined {
  if (data.user_id === context.botId) return undefined;
  const member = 'member' in data ? data.member : undefined;
  if (member?.user?.bot) return undefined;
  if (added && 'message_author_id' in data && data.message_author_id && data.message_author_id !== context.botId) return undefined;
  const emoji = data.emoji.id ? `custom:${data.emoji.id}` : data.emoji.name;
  if (!emoji) return undefined;
  const user: Pick<APIUser, 'id' | 'username' | 'global_name'> | undefined = member?.user;
  return {
    key: `dc:${context.sessionId}:${context.sequence}`,
    platform: 'dc',
    kind: 'reaction',
    messageId: data.message_id,
    emoji,
    added,
    actor: user ? actorOf(user, member?.nick) : { id: memberId(data.user_id), displayName: data.user_id },
    chat: chatRefOf(data.channel_id, data.guild_id, undefined),
    at: context.now(),
    source: { channelId: data.channel_id, userId: data.user_id, ...(data.guild_id ? { guildId: data.guild_id } : {}) } satisfies DiscordSource,
  };
}

function actorOf(user: Pick<APIUser, 'id' | 'username' | 'global_name'> & { bot?: boolean }, nick?: string | null, locale?: string): Actor {
  return {
    id: memberId(user.id),
    // What the server shows: the server nickname, else the display name, else the username.
    displayName: nick ?? user.global_name ?? user.username,
    username: user.username,
    ...(locale ? { languageCode: locale } : {}),
    ...(user.bot ? { isBot: true } : {}),
  };
}

function chatRefOf(channelId: string, guildId: string | undefined, title: string | null | undefined): ChatRef {
  if (!guildId) return { id: chatId(channelId), kind: 'private' };
  // All channels of a server are one community (one group, one language, one set of moderators).
  return { id: chatId(channelId), kind: 'group', groupId: `dc:${guildId}`, ...(title ? { title } : {}) };
}
