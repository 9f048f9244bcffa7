/**
 * Telegram updates -> core events. Pure functions: no I/O, the clock comes in as a parameter, so they are
 * tested on recorded payloads.
 *
 * One update can mean several events (a reaction change with two emoji, three members added at once), so
 * `decodeUpdate` returns a list; an update the core does not care about decodes to an empty list.
 */
import type { Actor, Attachment, ChatRef, CoreEvent, MentionedMember } from '../../core/events.js';
import type { Chat, Message, MessageReactionUpdated, ReactionType, Update, User } from 'grammy/types';

/** What the decoder must know about the bot itself. */
export interface DecodeContext {
  /** The bot's user id: text replying to one of its messages is an answer to its question. */
  botId: number;
  /** The bot's @username without the @: `/join@other_bot` is not for us. */
  botUsername: string;
  /** Callback queries carry no date; they happened "now". */
  now: () => Date;
}

/**
 * The adapter's context on every Telegram event (`event.source`). The core never reads it; the messenger
 * uses it to answer the right callback query and to reply in the right message and topic.
 */
export interface TelegramSource {
  updateId: number;
  chatId: number;
  /** The message the event is about: the command or text message, or the message carrying the button. */
  messageId?: number;
  /** Forum topic the event happened in, so replies stay in that topic. */
  threadId?: number;
  /** Set for button presses: answered with a toast, or empty so the client's spinner stops. */
  callbackQueryId?: string;
  update: Update;
}

/** Reads the Telegram context back from an event, if it came from this adapter. */
export function telegramSource(event: CoreEvent | undefined): TelegramSource | undefined {
  if (!event || event.platform !== 'tg') return undefined;
  const source = event.source as Partial<TelegramSource> | undefined;
  return source && typeof source.updateId === 'number' && typeof source.chatId === 'number'
    ? (source as TelegramSource)
    : undefined;
}

/** Decodes one update into the core events it means (possibly none). */
export function decodeUpdate(update: Update, context: DecodeContext): CoreEvent[] {
  if (update.message) return decodeMessage(update, update.message, context);
  if (update.callback_query) {
    const event = decodeCallbackQuery(update, context);
    return event ? [event] : [];
  }
  if (update.message_reaction) return decodeReaction(update, update.message_reaction);
  // Edited messages are deliberately ignored: re-running `/join 2` because a typo was fixed would double-act.
  return [];
}

function decodeMessage(update: Update, message: Message, context: DecodeContext): CoreEvent[] {
  if (message.new_chat_members) return decodeMembership(update, message, 'member_joined', message.new_chat_members);
  if (message.left_chat_member) return decodeMembership(update, message, 'member_left', [message.left_chat_member]);
  const from = message.from;
  // Anonymous admins and channels post as `sender_chat` (with a placeholder bot as `from`): there is no member
  // the core could attribute the action to.
  if (!from || from.is_bot || message.sender_chat) return [];
  const attachments = message.chat.type === 'private' ? attachmentsOf(message) : [];
  // A command may be a photo's caption (`/share text` on a photo): then it is read like a typed command.
  const captionCommand = message.text === undefined && message.caption?.startsWith('/') ? message.caption : undefined;
  const text = message.text ?? captionCommand ?? (attachments.length > 0 ? message.caption ?? '' : undefined);
  if (text === undefined) return [];

  const base = {
    key: `tg:${update.update_id}`,
    platform: 'tg' as const,
    actor: actorOf(from),
    chat: chatRefOf(message.chat),
    at: new Date(message.date * 1000),
    source: sourceOf(update, message),
  };

  const command = parseCommand(captionCommand !== undefined ? { text: message.caption, entities: message.caption_entities } : message, context.botUsername);
  if (command === 'other-bot') return [];
  if (command) {
    const mentions = mentionsOf(message);
    const media = commandAttachments(message);
    return [{
      ...base, kind: 'command', name: command.name, args: command.args, ...(command.addressed ? { addressed: true } : {}),
      ...(mentions.length ? { mentions } : {}), ...(media.length ? { attachments: media } : {}),
    }];
  }

  const target = realReplyTarget(message);
  const repliesToBot = target?.from?.id === context.botId;
  if (attachments.length > 0) return [{ ...base, kind: 'text', text, attachments }];
  if (message.chat.type === 'private') return [{ ...base, kind: 'text', text }];
  const replyTo = target ? { replyTo: { messageId: String(target.message_id), byBot: repliesToBot } } : {};
  if (repliesToBot) return [{ ...base, kind: 'text', text, ...replyTo }];
  // A group message that names the bot (`@tuanbot_bot jion 2`) is for it: the core answers it, without the mention.
  const toBot = withoutBotMention(message, context.botUsername);
  if (toBot !== undefined) return [{ ...base, kind: 'text', text: toBot, ...replyTo, addressed: true }];
  // Any other group message reaches the bot only when its privacy mode is off: overheard, for the 接龙 habits alone.
  return [{ ...base, kind: 'text', text, ...replyTo, ambient: true }];
}

/**
 * Photos and videos sent in a private chat (review media). A photo arrives in several sizes; the largest one
 * stands for it. An album arrives as one message per item, so each becomes its own event.
 */
export function attachmentsOf(message: Message): Attachment[] {
  const found: Attachment[] = [];
  const photo = message.photo?.at(-1);
  if (photo) found.push({ kind: 'photo', fileId: photo.file_id });
  if (message.video) found.push({ kind: 'video', fileId: message.video.file_id, durationSeconds: message.video.duration });
  return found;
}

/**
 * Photos a command carries: its own (a command in a photo's caption), else those of the message it replies to
 * when that message is the same member's (`/share` replying to one's own photo; never someone else's photo).
 */
function commandAttachments(message: Message): Attachment[] {
  const own = attachmentsOf(message);
  if (own.length > 0) return own;
  const target = realReplyTarget(message);
  return target && target.from?.id === message.from?.id ? attachmentsOf(target) : [];
}

/**
 * `/join@tuanbot_bot 2` -> { name: 'join', args: '2', addressed: true }; `/join 2` -> { name: 'join', args: '2' };
 * a command for another bot is `'other-bot'`.
 */
export function parseCommand(
  message: Pick<Message, 'text' | 'entities'>,
  botUsername: string,
): { name: string; args: string; addressed?: true } | 'other-bot' | undefined {
  const text = message.text;
  const entity = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!text || !entity) return undefined;
  const [name = '', addressee] = text.slice(1, entity.length).split('@');
  if (addressee !== undefined && addressee.toLowerCase() !== botUsername.toLowerCase()) return 'other-bot';
  return { name: name.toLowerCase(), args: text.slice(entity.length).trim(), ...(addressee !== undefined ? { addressed: true as const } : {}) };
}

/**
 * The text of a message that mentions the bot by @username, with those mentions taken out; undefined when it does
 * not mention the bot.
 */
export function withoutBotMention(message: Pick<Message, 'text' | 'entities'>, botUsername: string): string | undefined {
  const text = message.text;
  if (!text) return undefined;
  const ours = (message.entities ?? [])
    .filter((e) => e.type === 'mention' && text.slice(e.offset + 1, e.offset + e.length).toLowerCase() === botUsername.toLowerCase())
    .sort((a, b) => b.offset - a.offset);
  if (ours.length === 0) return undefined;
  let rest = text;
  for (const e of ours) rest = rest.slice(0, e.offset) + rest.slice(e.offset + e.length);
  return rest.replace(/\s+/g, ' ').trim();
}

/**
 * Members a command points at: the author of the replied-to message first, then text mentions (which carry
 * user ids). Plain `@username` mentions carry no id; they stay in `args` for the core to resolve.
 */
export function mentionsOf(message: Message): MentionedMember[] {
  const found: MentionedMember[] = [];
  const add = (user: User) => {
    if (user.is_bot || found.some((m) => m.id === memberId(user.id))) return;
    found.push({ id: memberId(user.id), displayName: displayNameOf(user), ...(user.username ? { username: user.username } : {}) });
  };
  const target = realReplyTarget(message)?.from;
  if (target) add(target);
  for (const entity of message.entities ?? []) {
    if (entity.type === 'text_mention') add(entity.user);
  }
  return found;
}

/**
 * The message this one really replies to. In forum topics every message "replies" to the topic's opening
 * service message; that is not the author pointing at anyone.
 */
function realReplyTarget(message: Message): Message | undefined {
  const target = message.reply_to_message;
  if (!target || target.forum_topic_created) return undefined;
  return target;
}

/** A button press on a message the bot sent. Inline-mode and game callbacks have no chat or data: ignored. */
export function decodeCallbackQuery(update: Update, context: DecodeContext): CoreEvent | undefined {
  const query = update.callback_query;
  if (!query?.message || query.data === undefined || query.from.is_bot) return undefined;
  const message = query.message;
  return {
    key: `tg:${update.update_id}`,
    platform: 'tg',
    kind: 'button',
    action: query.data,
    messageId: String(message.message_id),
    actor: actorOf(query.from),
    chat: chatRefOf(message.chat),
    at: context.now(),
    source: {
      updateId: update.update_id,
      chatId: message.chat.id,
      messageId: message.message_id,
      ...(message.is_topic_message && message.message_thread_id ? { threadId: message.message_thread_id } : {}),
      callbackQueryId: query.id,
      update,
    } satisfies TelegramSource,
  };
}

/**
 * One event per emoji that appeared or disappeared. Telegram sends the whole old and new reaction lists;
 * the difference is what the member did. Anonymous reactions (by a chat) are ignored: no member to credit.
 */
export function decodeReaction(update: Update, reaction: MessageReactionUpdated): CoreEvent[] {
  const user = reaction.user;
  if (!user || user.is_bot) return [];
  const before = new Set(reaction.old_reaction.map(reactionKey).filter(isString));
  const after = new Set(reaction.new_reaction.map(reactionKey).filter(isString));
  const changes = [
    ...[...after].filter((e) => !before.has(e)).map((emoji) => ({ emoji, added: true })),
    ...[...before].filter((e) => !after.has(e)).map((emoji) => ({ emoji, added: false })),
  ];
  return changes.map(({ emoji, added }) => ({
    key: `tg:${update.update_id}:${added ? '+' : '-'}${emoji}`,
    platform: 'tg',
    kind: 'reaction',
    messageId: String(reaction.message_id),
    emoji,
    added,
    actor: actorOf(user),
    chat: chatRefOf(reaction.chat),
    at: new Date(reaction.date * 1000),
    source: { updateId: update.update_id, chatId: reaction.chat.id, messageId: reaction.message_id, update } satisfies TelegramSource,
  }));
}

/** Custom emoji have no character; they get a stable `custom:<id>` name. Paid (star) reactions are not emoji. */
function reactionKey(reaction: ReactionType): string | undefined {
  if (reaction.type === 'emoji') return reaction.emoji;
  if (reaction.type === 'custom_emoji') return `custom:${reaction.custom_emoji_id}`;
  return undefined;
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}

/**
 * One `member_joined` per human who joined, or one `member_left` for a human who left or was removed; the actor is
 * the member who came or went, not whoever added or removed them.
 */
function decodeMembership(update: Update, message: Message, kind: 'member_joined' | 'member_left', members: readonly User[]): CoreEvent[] {
  return members
    .filter((member) => !member.is_bot)
    .map((member) => ({
      key: `tg:${update.update_id}:${kind === 'member_joined' ? 'joined' : 'left'}:${member.id}`,
      platform: 'tg',
      kind,
      actor: actorOf(member),
      chat: chatRefOf(message.chat),
      at: new Date(message.date * 1000),
      source: sourceOf(update, message),
    }));
}

function sourceOf(update: Update, message: Message): TelegramSource {
  return {
    updateId: update.update_id,
    chatId: message.chat.id,
    messageId: message.message_id,
    ...(message.is_topic_message && message.message_thread_id ? { threadId: message.message_thread_id } : {}),
    update,
  };
}

/** `tg:<user id>`: the member id convention shared with the core. */
export function memberId(userId: number): string {
  return `tg:${userId}`;
}

/** `tg:<chat id>`: the chat id convention shared with the core. */
export function chatId(telegramChatId: number): string {
  return `tg:${telegramChatId}`;
}

function displayNameOf(user: User): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

function actorOf(user: User): Actor {
  return {
    id: memberId(user.id),
    displayName: displayNameOf(user),
    ...(user.username ? { username: user.username } : {}),
    ...(user.language_code ? { languageCode: user.language_code } : {}),
    ...(user.is_bot ? { isBot: true } : {}),
  };
}

function chatRefOf(chat: Chat): ChatRef {
  if (chat.type === 'private') return { id: chatId(chat.id), kind: 'private' };
  // Channels never reach here with a member actor; groups and supergroups are both "group" to the core.
  return { id: chatId(chat.id), kind: 'group', groupId: chatId(chat.id), ...('title' in chat && chat.title ? { title: chat.title } : {}) };
}
