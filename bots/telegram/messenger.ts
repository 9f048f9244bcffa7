/**
 * Renders the core's replies as Telegram Bot API calls, and answers the core's "is this member an admin?".
 * Text is always sent plain (no parse_mode): the core's copy contains user-typed names and product titles,
 * which must never be read as markup.
 */
import { GrammyError, InputFile, type Api } from 'grammy';
import type { InlineKeyboardButton, ReplyParameters } from 'grammy/types';
import type { CoreEvent } from '../../core/events.js';
import { DeliveryError, silentLogger, type AdminChangeFeed, type Logger, type PlatformPort } from '../../core/ports.js';
import type {
  Button,
  DeliveredRef,
  Destination,
  DocumentReply,
  EditReply,
  MessageReply,
  PhotoReply,
  Reply,
  ToastReply,
} from '../../core/replies.js';
import { telegramSource, type TelegramSource } from './decode.js';
import { cut, splitText } from '../text-split.js';

/** Telegram's hard limits, in UTF-16 code units (what JavaScript's `length` counts). */
export { cut, splitText };

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const TOAST_LIMIT = 200;

export interface TelegramMessengerOptions {
  /** How long an admin lookup is trusted. Default 5 minutes: promotions show up soon, lookups stay rare. */
  adminCacheMs?: number;
  /** Milliseconds since the epoch; tests move it by hand. */
  now?: () => number;
  logger?: Logger;
  /**
   * Several processes (ADR 022): a promotion or demotion one process learns of is published here, and what any process
   * publishes is dropped from this one's cache.
   */
  adminChanges?: AdminChangeFeed;
}

/**
 * The Telegram side of the core's `PlatformPort`, over grammY's `Api` (so the bot's transformers, such as
 * auto-retry and the throttler, apply to every call).
 *
 * @example
 * const messenger = new TelegramMessenger(bot.api);
 * app.registerPlatform('tg', messenger);
 */
export class TelegramMessenger implements PlatformPort {
  private readonly adminCacheMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly adminCache = new Map<string, { expires: number; isAdmin: Promise<boolean> }>();
  private readonly adminListCache = new Map<number, { expires: number; admins: Promise<string[]> }>();
  private readonly answeredQueries = new Set<string>();
  private readonly adminChanges: AdminChangeFeed | undefined;

  constructor(
    private readonly api: Api,
    options: TelegramMessengerOptions = {},
  ) {
    this.adminCacheMs = options.adminCacheMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.adminChanges = options.adminChanges;
    this.adminChanges?.subscribe((change) => {
      if ('everything' in change) {
        this.adminCache.clear();
        this.adminListCache.clear();
      } else if (change.platform === 'tg') {
        this.dropAdmin(Number(change.scope), Number(change.memberId));
      }
    });
  }

  /** Sends one reply; see `PlatformPort.deliver`. */
  async deliver(reply: Reply, origin?: CoreEvent): Promise<DeliveredRef | undefined> {
    switch (reply.kind) {
      case 'message':
        return this.sendMessage(reply, origin);
      case 'edit':
        return this.edit(reply);
      case 'document':
        return this.sendDocument(reply, origin);
      case 'photo':
        return this.sendPicture(reply, origin);
      case 'toast':
        await this.toast(reply, origin);
        return undefined;
      case 'pin':
        await this.call({ chatId: reply.chatId }, () =>
          // Quietly: a pin in a busy group should not ring every member's phone.
          this.api.pinChatMessage(telegramId(reply.chatId), Number(reply.messageId), { disable_notification: true }),
        );
        return { chatId: reply.chatId, messageId: reply.messageId };
    }
  }

  /** Human admins per getChatAdministrators, cached like isChatAdmin (bots, including this one, are left out). */
  async listChatAdmins(chatId: string): Promise<string[]> {
    const chat = telegramId(chatId);
    if (chat > 0) return [];
    const cached = this.adminListCache.get(chat);
    if (cached && cached.expires > this.now()) return cached.admins;
    const admins = this.api.getChatAdministrators(chat).then(
      (members) => members.filter((m) => !m.user.is_bot).map((m) => `tg:${m.user.id}`),
      (error: unknown) => {
        this.adminListCache.delete(chat);
        throw error;
      },
    );
    this.adminListCache.set(chat, { expires: this.now() + this.adminCacheMs, admins });
    return admins;
  }

  /** Creator or administrator per getChatMember, cached per (chat, member). Private chats have no admins. */
  async isChatAdmin(chatId: string, memberId: string): Promise<boolean> {
    const chat = telegramId(chatId);
    const user = telegramId(memberId);
    if (chat > 0) return false;
    const key = `${chat}|${user}`;
    const cached = this.adminCache.get(key);
    if (cached && cached.expires > this.now()) return cached.isAdmin;
    // The promise is cached, not the value: concurrent checks for one member share a single request.
    const isAdmin = this.api.getChatMember(chat, user).then(
      (member) => member.status === 'creator' || member.status === 'administrator',
      (error: unknown) => {
        this.adminCache.delete(key);
        throw error;
      },
    );
    this.adminCache.set(key, { expires: this.now() + this.adminCacheMs, isAdmin });
    return isAdmin;
  }

  /**
   * Drops a cached admin answer, e.g. when Telegram reports the member was promoted or demoted, here and (with
   * `adminChanges`) in every other process.
   */
  forgetAdmin(telegramChatId: number, telegramUserId: number): void {
    this.dropAdmin(telegramChatId, telegramUserId);
    this.adminChanges?.publish({ platform: 'tg', scope: String(telegramChatId), memberId: String(telegramUserId) }).catch((error: unknown) => {
      // The others then trust their cached answer until it expires (adminCacheMs), as before.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not tell the other processes of an admin change');
    });
  }

  private dropAdmin(telegramChatId: number, telegramUserId: number): void {
    this.adminCache.delete(`${telegramChatId}|${telegramUserId}`);
    this.adminListCache.delete(telegramChatId);
  }

  /**
   * Whether a toast already answered this callback query, forgetting it. The bot answers the remaining ones
   * with an empty answer so the button stops spinning.
   */
  takeAnswered(callbackQueryId: string): boolean {
    return this.answeredQueries.delete(callbackQueryId);
  }

  private async sendMessage(reply: MessageReply, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    if (reply.photo) return this.sendPhoto(reply, reply.photo.fileId, origin);
    const target = destinationChat(reply.to);
    const context = telegramSource(origin);
    const sameChat = context?.chatId === target;
    if (reply.private && 'chatId' in reply.to && target < 0) {
      // Telegram has no ephemeral messages: the reply goes where the core addressed it, visible to the group.
      this.logger.debug({ chatId: target }, 'telegram has no private replies in groups; sending a normal message');
    }
    const parts = splitText(reply.text, MESSAGE_LIMIT);
    let last: DeliveredRef | undefined;
    for (const [index, part] of parts.entries()) {
      const isLast = index === parts.length - 1;
      const first = index === 0;
      // Buttons and the answer prompt belong under the end of the text; the reply link on the first part.
      const replyParameters = first ? replyParametersFor(reply, context, sameChat) : undefined;
      const markup = isLast ? replyMarkupFor(reply) : undefined;
      const sent = await this.call(reply.to, () =>
        this.api.sendMessage(target, part, {
          ...(sameChat && context?.threadId ? { message_thread_id: context.threadId } : {}),
          ...(replyParameters ? { reply_parameters: replyParameters } : {}),
          ...(markup ? { reply_markup: markup } : {}),
          link_preview_options: { is_disabled: true },
        }),
      );
      last = { chatId: `tg:${sent.chat.id}`, messageId: String(sent.message_id) };
    }
    // A card split over several messages is tracked by its last part, the one carrying the buttons.
    return last as DeliveredRef;
  }

  private async edit(reply: EditReply): Promise<DeliveredRef> {
    const ref = { chatId: reply.chatId, messageId: reply.messageId };
    if (reply.removePhoto) return this.removePhoto(reply, ref);
    if (reply.photo && reply.replacePhoto) return this.editPhoto(reply, reply.photo.fileId, ref);
    if (reply.photo) return this.editCaption(reply, ref);
    if (reply.text.length > MESSAGE_LIMIT) {
      // An edit cannot grow into two messages, and a card must not be cut silently: refuse loudly.
      throw new DeliveryError('other', `edited text is ${reply.text.length} characters; Telegram allows ${MESSAGE_LIMIT}`);
    }
    try {
      await this.call({ chatId: reply.chatId }, () =>
        this.api.editMessageText(telegramId(reply.chatId), Number(reply.messageId), reply.text, {
          // Always sent: an edit without buttons removes the old ones (e.g. a closed group-buy).
          reply_markup: { inline_keyboard: inlineKeyboard(reply.buttons ?? []) },
          link_preview_options: { is_disabled: true },
        }),
      );
    } catch (error) {
      // Two updates that render the same card text: nothing to change is success, not failure.
      if (error instanceof DeliveryError && /message is not modified/i.test(error.message)) return ref;
      throw error;
    }
    return ref;
  }

  /**
   * A message with a photo (a member's share): the photo by its file id, the text as caption with the buttons.
   * A caption is capped at 1024 characters; the core keeps share texts well under it, and anything longer is cut
   * rather than split, so the buttons stay on the photo.
   */
  private async sendPhoto(reply: MessageReply, fileId: string, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    const target = destinationChat(reply.to);
    const context = telegramSource(origin);
    const markup = replyMarkupFor(reply);
    const sent = await this.call(reply.to, () =>
      this.api.sendPhoto(target, fileId, {
        caption: cut(reply.text, CAPTION_LIMIT),
        ...(context?.chatId === target && context.threadId ? { message_thread_id: context.threadId } : {}),
        ...(markup ? { reply_markup: markup } : {}),
      }),
    );
    return { chatId: `tg:${sent.chat.id}`, messageId: String(sent.message_id) };
  }

  /** Edits the caption (and buttons) of a message sent with a photo. */
  private async editCaption(reply: EditReply, ref: DeliveredRef): Promise<DeliveredRef> {
    try {
      await this.call({ chatId: reply.chatId }, () =>
        this.api.editMessageCaption(telegramId(reply.chatId), Number(reply.messageId), {
          caption: cut(reply.text, CAPTION_LIMIT),
          reply_markup: { inline_keyboard: inlineKeyboard(reply.buttons ?? []) },
        }),
      );
    } catch (error) {
      if (error instanceof DeliveryError && /message is not modified/i.test(error.message)) return ref;
      throw error;
    }
    return ref;
  }

  /**
   * Withdraws a message that showed a photo (a buy's product photo after `/editbuy photo off`). A photo message cannot
   * become a text message, so it is deleted (the card under it holds the buy); Telegram refuses to delete a message
   * older than 48 hours, and then its caption says the photo was removed instead.
   */
  private async removePhoto(reply: EditReply, ref: DeliveredRef): Promise<DeliveredRef> {
    try {
      await this.call({ chatId: reply.chatId }, () => this.api.deleteMessage(telegramId(reply.chatId), Number(reply.messageId)));
      return ref;
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      // Already gone (deleted by hand): nothing left to withdraw.
      if (/message to delete not found/i.test(error.message)) return ref;
      this.logger.info({ chatId: reply.chatId, messageId: reply.messageId, reason: error.message }, 'could not delete a withdrawn photo: its caption says so instead');
      return this.editCaption(reply, ref);
    }
  }

  /** Replaces the photo of a message sent with one (editMessageMedia by file id), with its caption and buttons. */
  private async editPhoto(reply: EditReply, fileId: string, ref: DeliveredRef): Promise<DeliveredRef> {
    try {
      await this.call({ chatId: reply.chatId }, () =>
        this.api.editMessageMedia(telegramId(reply.chatId), Number(reply.messageId), { type: 'photo', media: fileId, caption: cut(reply.text, CAPTION_LIMIT) }, {
          reply_markup: { inline_keyboard: inlineKeyboard(reply.buttons ?? []) },
        }),
      );
    } catch (error) {
      if (error instanceof DeliveryError && /message is not modified/i.test(error.message)) return ref;
      throw error;
    }
    return ref;
  }

  private async sendDocument(reply: DocumentReply, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    const target = destinationChat(reply.to);
    const context = telegramSource(origin);
    const sameChat = context?.chatId === target;
    // Excel only reads a CSV as UTF-8 (and so shows Chinese names correctly) when it starts with a BOM.
    const content = reply.content;
    const bom = typeof content === 'string' && /^text\/csv\b/i.test(reply.mimeType) && !content.startsWith('\uFEFF') ? '\uFEFF' : '';
    const file = new InputFile(typeof content === 'string' ? Buffer.from(bom + content, 'utf8') : Buffer.from(content), reply.filename);
    const caption = reply.caption ?? '';
    const captionFits = caption.length > 0 && caption.length <= CAPTION_LIMIT;
    const sent = await this.call(reply.to, () =>
      this.api.sendDocument(target, file, {
        ...(captionFits ? { caption } : {}),
        ...(sameChat && context?.threadId ? { message_thread_id: context.threadId } : {}),
      }),
    );
    if (caption.length > CAPTION_LIMIT) {
      // Too long for a caption: it follows as its own message rather than being cut.
      await this.sendMessage({ kind: 'message', to: reply.to, text: caption }, origin);
    }
    return { chatId: `tg:${sent.chat.id}`, messageId: String(sent.message_id) };
  }

  /**
   * A picture the core drew, uploaded with sendPhoto (multipart). Its text is the caption, with the buttons under
   * it, when it fits Telegram's 1024 characters; a longer text (and the buttons) follows as its own message, so
   * nothing is cut and the buttons stay next to the picture. Returns where the buttons landed.
   */
  private async sendPicture(reply: PhotoReply, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    const target = destinationChat(reply.to);
    const context = telegramSource(origin);
    const thread = context?.chatId === target && context.threadId ? { message_thread_id: context.threadId } : {};
    const captionFits = reply.text.length <= CAPTION_LIMIT;
    const markup = captionFits && reply.buttons?.length ? { inline_keyboard: inlineKeyboard(reply.buttons) } : undefined;
    const sent = await this.call(reply.to, () =>
      this.api.sendPhoto(target, new InputFile(Buffer.from(reply.data), reply.filename), {
        ...(captionFits && reply.text ? { caption: reply.text } : {}),
        ...thread,
        ...(markup ? { reply_markup: markup } : {}),
      }),
    );
    if (captionFits) return { chatId: `tg:${sent.chat.id}`, messageId: String(sent.message_id) };
    return this.sendMessage({ kind: 'message', to: reply.to, text: reply.text, ...(reply.buttons ? { buttons: reply.buttons } : {}) }, origin);
  }

  private async toast(reply: ToastReply, origin: CoreEvent | undefined): Promise<void> {
    const queryId = telegramSource(origin)?.callbackQueryId;
    if (!queryId) throw new DeliveryError('other', 'a toast answers a button press, but the origin is not one');
    await this.call(undefined, () =>
      this.api.answerCallbackQuery(queryId, {
        text: cut(reply.text, TOAST_LIMIT),
        ...(reply.alert ? { show_alert: true } : {}),
      }),
    );
    this.answeredQueries.add(queryId);
  }

  /** Runs one API call, turning Telegram's refusals into the core's DeliveryError. */
  private async call<T>(to: Destination | undefined, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error; // network trouble is not a refusal
      throw deliveryErrorFor(error, to);
    }
  }
}

function deliveryErrorFor(error: GrammyError, to: Destination | undefined): DeliveryError {
  const description = error.description;
  if (to && 'memberId' in to && error.error_code === 403) {
    // "bot can't initiate conversation with a user", "bot was blocked by the user", "user is deactivated"
    return new DeliveryError('dm_blocked', description);
  }
  if (error.error_code === 403) return new DeliveryError('forbidden', description);
  if (/not found/i.test(description)) return new DeliveryError('not_found', description);
  return new DeliveryError('other', description);
}

/** `tg:-1001234` -> -1001234. An id from another platform here is a core bug, reported as such. */
export function telegramId(id: string): number {
  const match = /^tg:(-?\d+)$/.exec(id);
  if (!match?.[1]) throw new DeliveryError('not_found', `not a Telegram id: ${id}`);
  return Number(match[1]);
}

/** A member's DMs are their private chat with the bot, whose id is the user id. */
function destinationChat(to: Destination): number {
  return 'chatId' in to ? telegramId(to.chatId) : telegramId(to.memberId);
}

function inlineKeyboard(rows: Button[][]): InlineKeyboardButton[][] {
  return rows.map((row) =>
    row.map((button): InlineKeyboardButton =>
      button.contact ? { text: button.label, url: memberLink(button.contact) } : { text: button.label, callback_data: button.action },
    ),
  );
}

/**
 * A link that opens a private chat with a member: t.me/<username> when they have one, else tg://user?id=,
 * which Telegram allows in buttons when the member's privacy settings do.
 */
export function memberLink(contact: { memberId: string; username?: string }): string {
  return contact.username ? `https://t.me/${contact.username}` : `tg://user?id=${telegramId(contact.memberId)}`;
}

/** Inline buttons win over an answer prompt: Telegram takes one reply markup, and buttons are the action. */
function replyMarkupFor(reply: MessageReply) {
  if (reply.buttons?.length) return { inline_keyboard: inlineKeyboard(reply.buttons) };
  // `selective` asks only the member we replied to; everyone else's keyboard is left alone.
  if (reply.expectAnswer) return { force_reply: true as const, selective: true };
  return undefined;
}

/**
 * A question asked in a group replies to the member's own message: `selective` force_reply needs that
 * target, and in a busy group it shows who is being asked.
 */
function replyParametersFor(
  reply: MessageReply,
  context: TelegramSource | undefined,
  sameChat: boolean,
): ReplyParameters | undefined {
  if (!reply.expectAnswer || !sameChat || !context?.messageId || context.callbackQueryId) return undefined;
  if (context.chatId > 0) return undefined;
  return { message_id: context.messageId, allow_sending_without_reply: true };
}
