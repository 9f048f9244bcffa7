/**
 * The one event type the core takes in. Adapters decode platform payloads (Telegram updates, Discord
 * interactions, playground lines) into these; the core never sees a platform payload.
 *
 * Ids carry their platform as a prefix: members `tg:123`, chats `tg:-100123`, `dc:<channel id>`, `pg:group`.
 */
export type Platform = 'tg' | 'dc' | 'pg';

/** Who did it. `languageCode` is the platform's hint (Telegram's `language_code`, Discord's locale). */
export interface Actor {
  id: string;
  displayName: string;
  username?: string;
  languageCode?: string;
  isBot?: boolean;
}

/** Where it happened. `groupId` groups chats of one community (a Discord guild); for Telegram it equals `id`. */
export interface ChatRef {
  id: string;
  kind: 'group' | 'private';
  title?: string;
  groupId?: string;
}

interface EventBase {
  /** Unique per platform update; the same key arriving twice is handled once. */
  key: string;
  platform: Platform;
  actor: Actor;
  chat: ChatRef;
  at: Date;
  /**
   * The adapter's own context (raw update, callback id, interaction). The core never reads it; it is handed
   * back to the adapter's messenger so replies can answer the right interaction.
   */
  source?: unknown;
}

/** Another member the actor pointed at: by replying to their message or by a text mention with an id. */
export interface MentionedMember {
  id: string;
  displayName: string;
  username?: string;
}

export interface CommandEvent extends EventBase {
  kind: 'command';
  /** Lower-case command name without the slash and without `@botname`. */
  name: string;
  /** Everything after the command, trimmed (what was typed; empty when the platform sent typed options). */
  args: string;
  /**
   * The member named the bot (`/jion@tuanbot_bot`, or a mention before the command): in a group, an unknown command
   * is answered only then, so commands meant for other bots or typed in passing make no noise.
   */
  addressed?: boolean;
  /**
   * The command's arguments as a typed form sent them (Discord's slash options), by argument name: the core takes
   * them as they are, without reading `args`. Member arguments carry the member's id (also found in `mentions`).
   */
  options?: Record<string, string | number | boolean>;
  /** Members the message pointed at (reply target first, then text mentions). */
  mentions?: MentionedMember[];
  /**
   * Photos sent with the command (a command in a photo's caption), or the photo of the actor's own message the
   * command replies to (`/share` as a reply to one's photo).
   */
  attachments?: Attachment[];
}

export interface ButtonEvent extends EventBase {
  kind: 'button';
  /** The button's action payload, e.g. `join:12`. */
  action: string;
  /** The message carrying the button. */
  messageId?: string;
}

export interface ReactionEvent extends EventBase {
  kind: 'reaction';
  messageId: string;
  emoji: string;
  added: boolean;
}

export interface MemberJoinedEvent extends EventBase {
  kind: 'member_joined';
}

/** The platform said a member left the group (or was removed); the actor is the member who left. */
export interface MemberLeftEvent extends EventBase {
  kind: 'member_left';
}

/** A plain text message addressed to the bot (a reply to its question, or any text in a private chat). */
export interface TextEvent extends EventBase {
  kind: 'text';
  /**
   * In a group: the message mentioned the bot (the adapter removed the mention from `text`). The bot then answers
   * even with no dialogue open, saying what it can do.
   */
  addressed?: boolean;
  /** The text, or a photo's or video's caption (possibly empty). */
  text: string;
  /** Photos and videos sent with it (private chats only: review media). */
  attachments?: Attachment[];
  /**
   * The bot overheard it: a group message not addressed to it (Telegram with privacy mode off, Discord with the
   * Message Content intent). Such texts never answer a dialogue; only modules' `groupText` may take them.
   */
  ambient?: boolean;
  /** The message it replies to, and whether the bot sent that one (a reply to a card or a question). */
  replyTo?: { messageId: string; byBot: boolean };
}

/** A photo or video a member sent, by the platform's file id. */
export interface Attachment {
  kind: 'photo' | 'video';
  fileId: string;
  durationSeconds?: number;
}

export type CoreEvent = CommandEvent | ButtonEvent | ReactionEvent | MemberJoinedEvent | MemberLeftEvent | TextEvent;
