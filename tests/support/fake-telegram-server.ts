/**
 * A fake Telegram Bot API server for tests: real HTTP, so grammY, its transformers and the runner run
 * unchanged. It records every call, keeps the messages it was asked to send (and their edits), and lets a
 * test act as users: type commands, press buttons, react, join, answer the bot. Updates go out by getUpdates, or,
 * with `deliverWebhooks`, are POSTed to the webhook and sent again until one delivery is answered 2xx, as Telegram does.
 *
 * @example
 * const server = await FakeTelegramServer.start();
 * const alice = server.user({ first_name: 'Alice', username: 'alice' });
 * const group = server.group('Tea lovers');
 * server.command(alice, group, '/join@tuanbot_bot 2');
 * const card = await server.waitFor(() => server.lastBotMessage(group.id));
 * server.press(alice, card, { label: 'Join' });
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chat, InlineKeyboardMarkup, Message, MessageEntity, Update, User, UserFromGetMe } from 'grammy/types';

/** One Bot API request as the server saw it. Multipart fields are decoded (JSON values parsed). */
export interface RecordedCall {
  method: string;
  params: Record<string, any>;
}

/** A file uploaded with sendDocument or sendPhoto. */
export interface UploadedFile {
  chatId: number;
  filename: string;
  content: Buffer;
}

export interface FakeTelegramServerOptions {
  token?: string;
  bot?: Partial<UserFromGetMe>;
  /** Refuse DMs to users who never opened a private chat with the bot, as Telegram does. Default true. */
  requireStartForDm?: boolean;
  /**
   * Deliver updates to the URL given to setWebhook, as Telegram does (off by default: most webhook tests post to the
   * bot themselves). See `pumpWebhook`.
   */
  deliverWebhooks?: boolean;
  /** With `deliverWebhooks`: how long a failed delivery waits before it is tried again. Default 300 ms. */
  webhookRetryMs?: number;
}

/** One attempt to deliver an update to the webhook: the HTTP status, or `error` when no answer came. */
export interface WebhookAttempt {
  updateId: number;
  status: number | 'error';
}

type ApiResult = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: { retry_after: number } };
type Handler = (params: Record<string, any>) => ApiResult | Promise<ApiResult>;

const ok = (result: unknown): ApiResult => ({ ok: true, result });
const fail = (error_code: number, description: string): ApiResult => ({ ok: false, error_code, description });

/** See the module comment. */
export class FakeTelegramServer {
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  private readonly server: Server;
  private readonly recorded: RecordedCall[] = [];
  private readonly updates: Update[] = [];
  private readonly pollers = new Set<() => void>();
  private readonly messages = new Map<number, Map<number, Message>>();
  private readonly chats = new Map<number, Chat>();
  private readonly admins = new Map<number, { creator?: number; admins: Set<number> }>();
  private readonly started = new Set<number>();
  private readonly blocked = new Set<number>();
  private readonly answeredQueries = new Set<string>();
  private readonly issuedQueries = new Set<string>();
  private readonly floods = new Map<string, { times: number; retryAfter: number }>();
  private readonly uploads: UploadedFile[] = [];
  private readonly photoUploads: UploadedFile[] = [];
  private readonly requireStartForDm: boolean;
  private nextUpdateId = 1;
  /** The highest offset a getUpdates call confirmed: every update below it is forgotten. */
  confirmedOffset = 0;
  private nextUserId = 1000;
  private nextGroupId = -1001000000001;
  private nextQueryId = 1;
  private nextFileId = 1;
  private readonly pins = new Map<number, number[]>();
  /** Deleted messages, `chat:message` (kept out of every view; their ids are not given again). */
  private readonly deleted = new Set<string>();
  /** Refuse deleteMessage as Telegram does for messages older than 48 hours. */
  private refusingDeletes = false;
  private webhookUrl = '';
  private webhookSecret: string | undefined;
  private webhookMaxConnections = 40;
  private readonly deliverWebhooks: boolean;
  private readonly webhookRetryMs: number;
  /** Updates being posted to the webhook right now, and those waiting to be tried again, by id. */
  private readonly inFlight = new Map<number, AbortController>();
  private readonly retryWaiting = new Set<number>();
  private readonly attempts: WebhookAttempt[] = [];
  private closed = false;
  private port = 0;

  private constructor(options: FakeTelegramServerOptions) {
    this.token = options.token ?? '123456:TEST-token_for-fake-server';
    this.botInfo = {
      id: Number(this.token.split(':')[0]),
      is_bot: true,
      first_name: 'Tuan Bot',
      username: 'tuanbot_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      ...options.bot,
    } as UserFromGetMe;
    this.requireStartForDm = options.requireStartForDm ?? true;
    this.deliverWebhooks = options.deliverWebhooks ?? false;
    this.webhookRetryMs = options.webhookRetryMs ?? 300;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(fail(500, `Internal Server Error: ${String(error)}`)));
      });
    });
  }

  /** Starts a server on a free local port. */
  static async start(options: FakeTelegramServerOptions = {}): Promise<FakeTelegramServer> {
    const fake = new FakeTelegramServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The `apiRoot` for grammY (`client: { apiRoot }`). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Releases held getUpdates requests and stops the server. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.pollers) wake();
    for (const request of this.inFlight.values()) request.abort();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- what the bot did -------------------------------------------------------------------------------

  /** Callback query ids answered (answerCallbackQuery accepted once per query, as Telegram does). */
  answeredQueryIds(): ReadonlySet<string> {
    return this.answeredQueries;
  }

  /** Updates queued and not yet confirmed by a getUpdates offset. */
  unconfirmedUpdates(): readonly Update[] {
    return this.updates;
  }

  /** Every attempt to deliver an update to the webhook, in the order their answers came (`deliverWebhooks`). */
  webhookAttempts(): readonly WebhookAttempt[] {
    return this.attempts;
  }

  /** Calls in order, optionally of one method. */
  calls(method?: string): RecordedCall[] {
    return method ? this.recorded.filter((call) => call.method === method) : [...this.recorded];
  }

  /** Forgets recorded calls (messages and state stay). */
  clearCalls(): void {
    this.recorded.length = 0;
  }

  /** Files sent with sendDocument, in order. */
  documents(): UploadedFile[] {
    return [...this.uploads];
  }

  /** Photos the bot uploaded with sendPhoto (multipart), in order; the n-th has the file id `upload<n>`. */
  uploadedPhotos(): UploadedFile[] {
    return [...this.photoUploads];
  }

  /** The bytes of a photo the bot uploaded, by the file id the server gave it (undefined for photos sent by id). */
  uploadedPhoto(fileId: string): UploadedFile | undefined {
    const n = /^upload(\d+)$/.exec(fileId)?.[1];
    return n === undefined ? undefined : this.photoUploads[Number(n) - 1];
  }

  /** Messages the bot sent to a chat, as they look now (after edits), oldest first. */
  botMessages(chatId: number): Message[] {
    return [...(this.messages.get(chatId)?.values() ?? [])].filter((m) => m.from?.id === this.botInfo.id && !this.deleted.has(`${chatId}:${m.message_id}`));
  }

  /** From now on deleteMessage is refused, as Telegram refuses it for messages older than 48 hours. */
  refuseDeletes(): void {
    this.refusingDeletes = true;
  }

  /** The bot's latest message in a chat, if any. */
  lastBotMessage(chatId: number): Message | undefined {
    return this.botMessages(chatId).at(-1);
  }

  /** Any stored message (user's or bot's) by id. */
  message(chatId: number, messageId: number): Message | undefined {
    if (this.deleted.has(`${chatId}:${messageId}`)) return undefined;
    return this.messages.get(chatId)?.get(messageId);
  }

  /**
   * Polls until `check` returns something truthy and resolves with it; rejects after `timeoutMs` with the
   * recorded calls in the message, which is usually what explains the failure.
   */
  async waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) {
        const seen = this.recorded.map((c) => `${c.method} ${JSON.stringify(c.params).slice(0, 200)}`).join('\n');
        throw new Error(`waitFor timed out after ${timeoutMs} ms; calls so far:\n${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits for a call of `method` matching `match`; resolves with it. */
  waitForCall(method: string, match: (params: Record<string, any>) => boolean = () => true, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitFor(() => this.calls(method).find((call) => match(call.params)), timeoutMs);
  }

  // ---- the world the bot lives in ---------------------------------------------------------------------

  /** A new user (ids count up from 1000). */
  user(fields: Partial<User> = {}): User {
    const id = fields.id ?? this.nextUserId++;
    return { id, is_bot: false, first_name: `User${id}`, language_code: 'en', ...fields };
  }

  /** A new supergroup with a fresh id. */
  group(title = 'Test group', id = this.nextGroupId--): Chat.SupergroupChat {
    const chat: Chat.SupergroupChat = { id, type: 'supergroup', title };
    this.chats.set(id, chat);
    return chat;
  }

  /** The user's private chat with the bot. Opening it is what allows the bot to DM them. */
  privateChat(user: User): Chat.PrivateChat {
    this.started.add(user.id);
    const chat: Chat.PrivateChat = { id: user.id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
    this.chats.set(user.id, chat);
    return chat;
  }

  /** Lets the bot DM this user (as if they had pressed Start). */
  startBot(user: User): void {
    this.privateChat(user);
  }

  /** The user blocks the bot: DMs fail with 403 "bot was blocked by the user". */
  blockBot(user: User): void {
    this.blocked.add(user.id);
  }

  /** Who getChatMember / getChatAdministrators report as admins of a chat. */
  setAdmins(chatId: number, adminIds: number[], creatorId?: number): void {
    this.admins.set(chatId, { admins: new Set(adminIds), ...(creatorId !== undefined ? { creator: creatorId } : {}) });
  }

  /** The next `times` calls of `method` fail with 429 and `retry_after` seconds, as under a flood limit. */
  floodNext(method: string, retryAfterSeconds = 1, times = 1): void {
    this.floods.set(method, { times, retryAfter: retryAfterSeconds });
  }

  // ---- users acting (each builds an update, queues it for getUpdates, and returns it) -----------------

  /** Queues any update; the id is assigned here. */
  push(update: Omit<Update, 'update_id'>): Update {
    return this.queue(update);
  }

  private queue(update: object): Update {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.updates.push(full);
    for (const wake of this.pollers) wake();
    this.pumpWebhook();
    return full;
  }

  /** A user types a command (`/join@tuanbot_bot 2`), optionally replying to a message or text-mentioning users. */
  command(from: User, chat: Chat, text: string, options: { replyTo?: Message; textMentions?: User[] } = {}): Update {
    const commandLength = text.split(/\s/, 1)[0]?.length ?? text.length;
    const entities: MessageEntity[] = [{ type: 'bot_command', offset: 0, length: commandLength }];
    let fullText = text;
    for (const user of options.textMentions ?? []) {
      fullText += ' ';
      entities.push({ type: 'text_mention', offset: fullText.length, length: user.first_name.length, user });
      fullText += user.first_name;
    }
    return this.queue({ message: this.userMessage(from, chat, { text: fullText, entities, ...(options.replyTo ? { reply_to_message: options.replyTo } : {}) }) });
  }

  /** A user sends plain text, e.g. answering the bot's question by replying to it. */
  text(from: User, chat: Chat, text: string, options: { replyTo?: Message } = {}): Update {
    return this.queue({ message: this.userMessage(from, chat, { text, ...(options.replyTo ? { reply_to_message: options.replyTo } : {}) }) });
  }

  /**
   * A user sends a photo (Telegram delivers each photo in several sizes; the last is the largest), with an
   * optional caption. An album is several of these, one update per photo.
   */
  photo(from: User, chat: Chat, options: { caption?: string; fileId?: string } = {}): Update {
    const id = options.fileId ?? `photo${this.nextFileId++}`;
    const sizes = [
      { file_id: `${id}-small`, file_unique_id: `${id}-s`, width: 90, height: 90 },
      { file_id: id, file_unique_id: `${id}-l`, width: 1280, height: 1280 },
    ];
    // A caption starting with a command (`/share text` on a photo) carries its bot_command entity, as Telegram sends it.
    const command = options.caption?.startsWith('/') ? { caption_entities: [{ type: 'bot_command', offset: 0, length: options.caption.split(/\s/, 1)[0]!.length }] } : {};
    return this.queue({ message: this.userMessage(from, chat, { photo: sizes, ...(options.caption ? { caption: options.caption } : {}), ...command }) });
  }

  /** A user sends a video of `durationSeconds`, with an optional caption. */
  video(from: User, chat: Chat, durationSeconds: number, options: { caption?: string; fileId?: string } = {}): Update {
    const id = options.fileId ?? `video${this.nextFileId++}`;
    const video = { file_id: id, file_unique_id: `${id}-u`, width: 720, height: 1280, duration: durationSeconds };
    return this.queue({ message: this.userMessage(from, chat, { video, ...(options.caption ? { caption: options.caption } : {}) }) });
  }

  /** Message ids the bot pinned in a chat, in the order it pinned them. */
  pinned(chatId: number): number[] {
    return [...(this.pins.get(chatId) ?? [])];
  }

  /** A user presses an inline button on a message, by its callback data or its label. */
  press(from: User, message: Message, button: { data: string } | { label: string }): Update {
    const buttons = (message.reply_markup?.inline_keyboard ?? []).flat();
    const found = buttons.find((b) => ('data' in button ? 'callback_data' in b && b.callback_data === button.data : b.text === button.label));
    if (!found || !('callback_data' in found)) {
      throw new Error(`no button ${JSON.stringify(button)} on message ${message.message_id}: ${buttons.map((b) => b.text).join(', ')}`);
    }
    const id = String(this.nextQueryId++);
    this.issuedQueries.add(id);
    return this.push({
      callback_query: { id, from, message, chat_instance: `ci${message.chat.id}`, data: found.callback_data },
    });
  }

  /** A user changes their reactions on a message: `now` is their complete new list, `before` the old one. */
  react(from: User, message: Pick<Message, 'chat' | 'message_id'>, now: string[], before: string[] = []): Update {
    const asReactions = (emoji: string[]) => emoji.map((e) => ({ type: 'emoji', emoji: e }) as const) as any[];
    return this.push({
      message_reaction: {
        chat: message.chat,
        message_id: message.message_id,
        user: from,
        date: nowSeconds(),
        old_reaction: asReactions(before),
        new_reaction: asReactions(now),
      },
    });
  }

  /** Members join a group (the service message Telegram posts). */
  join(chat: Chat, members: User[], addedBy?: User): Update {
    return this.queue({ message: this.userMessage(addedBy ?? members[0]!, chat, { new_chat_members: members }) });
  }

  /**
   * An admin promotes or demotes a member: the admin list changes and Telegram sends a `chat_member` update
   * (to bots that are admins and asked for it).
   */
  setMemberStatus(chat: Chat, user: User, status: 'administrator' | 'member', by: User): Update {
    const entry = this.admins.get(chat.id) ?? { admins: new Set<number>() };
    const before = this.statusOf(chat.id, user.id);
    if (status === 'administrator') entry.admins.add(user.id);
    else entry.admins.delete(user.id);
    this.admins.set(chat.id, entry);
    return this.queue({
      chat_member: {
        chat,
        from: by,
        date: nowSeconds(),
        old_chat_member: { status: before, user },
        new_chat_member: { status, user },
      },
    });
  }

  private userMessage(from: User, chat: Chat, fields: Record<string, unknown>): Message {
    this.chats.set(chat.id, chat);
    if (chat.type === 'private') this.started.add(from.id);
    const message = { message_id: this.nextMessageId(chat.id), from, chat, date: nowSeconds(), ...fields } as Message;
    this.store(message);
    return message;
  }

  private nextMessageId(chatId: number): number {
    const stored = this.messages.get(chatId);
    return stored ? Math.max(0, ...stored.keys()) + 1 : 1;
  }

  private store(message: Message): void {
    let chat = this.messages.get(message.chat.id);
    if (!chat) this.messages.set(message.chat.id, (chat = new Map()));
    chat.set(message.message_id, message);
  }

  // ---- the Bot API ------------------------------------------------------------------------------------

  private readonly methods: Record<string, Handler> = {
    getMe: () => ok(this.botInfo),
    getUpdates: (params) => this.getUpdates(params),
    deleteWebhook: () => {
      this.webhookUrl = '';
      return ok(true);
    },
    setWebhook: (params) => {
      this.webhookUrl = String(params.url ?? '');
      this.webhookSecret = params.secret_token === undefined ? undefined : String(params.secret_token);
      this.webhookMaxConnections = Number(params.max_connections ?? 40);
      setImmediate(() => this.pumpWebhook());
      return ok(true);
    },
    setMyCommands: () => ok(true),
    getChat: (params) => {
      const chat = this.chats.get(Number(params.chat_id));
      return chat ? ok(chat) : fail(400, 'Bad Request: chat not found');
    },
    sendMessage: (params) => this.send(params, { text: String(params.text) }),
    sendDocument: (params) => {
      const file = params.__files?.[0] as { filename: string; content: Buffer } | undefined;
      if (!file) return fail(400, 'Bad Request: there is no document in the request');
      const chatId = Number(params.chat_id);
      const result = this.send(params, {
        document: { file_id: `doc${this.uploads.length + 1}`, file_unique_id: `u${this.uploads.length + 1}`, file_name: file.filename },
        ...(params.caption ? { caption: String(params.caption) } : {}),
      } as Partial<Message>);
      if (result.ok) this.uploads.push({ chatId, filename: file.filename, content: file.content });
      return result;
    },
    editMessageText: (params) => this.edit(params, { text: String(params.text) }),
    deleteMessage: (params) => {
      const chatId = Number(params.chat_id);
      if (!this.message(chatId, Number(params.message_id))) return fail(400, 'Bad Request: message to delete not found');
      if (this.refusingDeletes) return fail(400, "Bad Request: message can't be deleted");
      this.deleted.add(`${chatId}:${Number(params.message_id)}`);
      return ok(true);
    },
    sendPhoto: (params) => {
      // By file id (a member's photo copied onto a card), or uploaded (multipart, `photo: "attach://<part>"`).
      const file = params.__files?.find((f: { field: string }) => f.field === 'photo') as { filename: string; content: Buffer } | undefined;
      if (!file && String(params.photo ?? '').startsWith('attach://')) return fail(400, 'Bad Request: there is no photo in the request');
      const fileId = file ? `upload${this.photoUploads.length + 1}` : String(params.photo);
      const sizes = [{ file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 1280 }];
      const result = this.send(params, { photo: sizes, ...(params.caption !== undefined ? { caption: String(params.caption) } : {}) } as Partial<Message>);
      if (result.ok && file) this.photoUploads.push({ chatId: Number(params.chat_id), filename: file.filename, content: file.content });
      return result;
    },
    editMessageCaption: (params) => this.edit(params, { caption: String(params.caption ?? '') }),
    editMessageMedia: (params) => {
      // By file id only (an upload would come as `attach://<part>`); a message without media cannot get one.
      const media = typeof params.media === 'string' ? JSON.parse(params.media) : params.media;
      if (media?.type !== 'photo' || typeof media.media !== 'string' || media.media.startsWith('attach://')) return fail(400, 'Bad Request: wrong media');
      const message = this.message(Number(params.chat_id), Number(params.message_id));
      if (!message) return fail(400, 'Bad Request: message to edit not found');
      if (!message.photo) return fail(400, "Bad Request: message can't be edited: it has no media");
      const sizes = [{ file_id: media.media, file_unique_id: `${media.media}-u`, width: 1280, height: 1280 }];
      return this.edit(params, { caption: String(media.caption ?? ''), photo: sizes });
    },
    pinChatMessage: (params) => {
      const chatId = Number(params.chat_id);
      const message = this.message(chatId, Number(params.message_id));
      if (!message) return fail(400, 'Bad Request: message to pin not found');
      this.pins.set(chatId, [...(this.pins.get(chatId) ?? []).filter((id) => id !== message.message_id), message.message_id]);
      return ok(true);
    },
    editMessageReplyMarkup: (params) => this.edit(params, {}),
    answerCallbackQuery: (params) => {
      const id = String(params.callback_query_id);
      if (!this.issuedQueries.has(id) || this.answeredQueries.has(id)) {
        return fail(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      }
      this.answeredQueries.add(id);
      return ok(true);
    },
    getChatMember: (params) => {
      const userId = Number(params.user_id);
      return ok({ status: this.statusOf(Number(params.chat_id), userId), user: this.user({ id: userId }) });
    },
    getChatAdministrators: (params) => {
      const chatId = Number(params.chat_id);
      const entry = this.admins.get(chatId);
      const ids = [...(entry?.creator !== undefined ? [entry.creator] : []), ...(entry?.admins ?? [])];
      return ok(ids.map((id) => ({ status: this.statusOf(chatId, id), user: this.user({ id }) })));
    },
  };

  private statusOf(chatId: number, userId: number): string {
    const entry = this.admins.get(chatId);
    if (entry?.creator === userId) return 'creator';
    return entry?.admins.has(userId) ? 'administrator' : 'member';
  }

  private send(params: Record<string, any>, content: Partial<Message>): ApiResult {
    const chatId = Number(params.chat_id);
    if (chatId > 0) {
      if (this.blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
      if (this.requireStartForDm && !this.started.has(chatId)) {
        return fail(403, "Forbidden: bot can't initiate conversation with a user");
      }
    }
    const chat = this.chats.get(chatId) ?? ({ id: chatId, type: chatId > 0 ? 'private' : 'supergroup', ...(chatId > 0 ? { first_name: 'User' } : { title: 'Chat' }) } as Chat);
    const replyTo = params.reply_parameters ? this.message(chatId, Number(params.reply_parameters.message_id)) : undefined;
    const message = {
      message_id: this.nextMessageId(chatId),
      from: this.botInfo,
      chat,
      date: nowSeconds(),
      ...content,
      ...(replyTo ? { reply_to_message: replyTo } : {}),
      ...(params.message_thread_id ? { message_thread_id: Number(params.message_thread_id), is_topic_message: true } : {}),
      ...(params.reply_markup?.inline_keyboard ? { reply_markup: params.reply_markup as InlineKeyboardMarkup } : {}),
    } as Message;
    this.store(message);
    return ok(message);
  }

  private edit(params: Record<string, any>, content: { text?: string; caption?: string; photo?: Message['photo'] }): ApiResult {
    const message = this.message(Number(params.chat_id), Number(params.message_id));
    if (!message) return fail(400, 'Bad Request: message to edit not found');
    if (message.from?.id !== this.botInfo.id) return fail(400, "Bad Request: message can't be edited");
    const markup = params.reply_markup?.inline_keyboard?.length ? (params.reply_markup as InlineKeyboardMarkup) : undefined;
    const sameText =
      (content.text === undefined || content.text === message.text) &&
      (content.caption === undefined || content.caption === message.caption) &&
      (content.photo === undefined || content.photo.at(-1)?.file_id === message.photo?.at(-1)?.file_id);
    if (sameText && JSON.stringify(markup) === JSON.stringify(message.reply_markup)) {
      return fail(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    const edited = { ...message, ...content, edit_date: nowSeconds() } as Message & { reply_markup?: InlineKeyboardMarkup };
    if (markup) edited.reply_markup = markup;
    else delete edited.reply_markup;
    this.store(edited);
    return ok(edited);
  }

  /** Long polling: answers at once when updates wait, else holds the request until one arrives or `timeout`. */
  private async getUpdates(params: Record<string, any>): Promise<ApiResult> {
    if (this.webhookUrl) return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = Number(params.offset ?? 0);
    const limit = Number(params.limit ?? 100);
    // As Telegram: a getUpdates with an offset confirms every update below it, and confirmed updates are forgotten.
    if (offset > this.confirmedOffset) {
      this.confirmedOffset = offset;
      this.updates.splice(0, this.updates.length, ...this.updates.filter((u) => u.update_id >= offset));
    }
    const pending = () => this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
    if (pending().length === 0 && Number(params.timeout ?? 0) > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, Number(params.timeout) * 1000);
        const pollers = this.pollers;
        function wake() {
          clearTimeout(timer);
          pollers.delete(wake);
          resolve();
        }
        this.pollers.add(wake);
      });
    }
    return ok(pending());
  }

  /**
   * Webhook mode (`deliverWebhooks`), as Telegram does it: each waiting update is POSTed to the webhook URL, up to
   * `max_connections` (default 40) requests at a time; an update is forgotten once its request is answered with a
   * 2xx status, and any other outcome (an error status, a connection reset, no answer) sends it again after
   * `webhookRetryMs`. Telegram retries the same way (with longer waits) for up to 24 hours.
   */
  private pumpWebhook(): void {
    if (!this.deliverWebhooks || !this.webhookUrl || this.closed) return;
    for (const update of this.updates) {
      if (this.inFlight.size >= this.webhookMaxConnections) return;
      if (this.inFlight.has(update.update_id) || this.retryWaiting.has(update.update_id)) continue;
      void this.postToWebhook(update);
    }
  }

  private async postToWebhook(update: Update): Promise<void> {
    const request = new AbortController();
    this.inFlight.set(update.update_id, request);
    let status: number | 'error' = 'error';
    try {
      const response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.webhookSecret ? { 'x-telegram-bot-api-secret-token': this.webhookSecret } : {}) },
        body: JSON.stringify(update),
        signal: AbortSignal.any([request.signal, AbortSignal.timeout(120_000)]),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      status = 'error';
    }
    this.inFlight.delete(update.update_id);
    if (this.closed) return;
    this.attempts.push({ updateId: update.update_id, status });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      const at = this.updates.findIndex((u) => u.update_id === update.update_id);
      if (at !== -1) this.updates.splice(at, 1);
    } else {
      this.retryWaiting.add(update.update_id);
      setTimeout(() => {
        this.retryWaiting.delete(update.update_id);
        this.pumpWebhook();
      }, this.webhookRetryMs).unref();
    }
    this.pumpWebhook();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', this.apiRoot).pathname);
    const reply = (status: number, body: ApiResult) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!match) return reply(404, fail(404, 'Not Found'));
    if (match[1] !== this.token) return reply(401, fail(401, 'Unauthorized'));
    const method = match[2]!;
    const params = await readParams(req);
    const { __files, ...visible } = params;
    this.recorded.push({ method, params: __files ? { ...visible, files: __files } : visible });
    const flood = this.floods.get(method);
    if (flood && flood.times > 0) {
      flood.times -= 1;
      const description = `Too Many Requests: retry after ${flood.retryAfter}`;
      return reply(429, { ok: false, error_code: 429, description, parameters: { retry_after: flood.retryAfter } });
    }
    const handler = this.methods[method];
    if (!handler) return reply(404, fail(404, `Not Found: method ${method} is not faked`));
    const result = await handler(params);
    reply(result.ok ? 200 : result.error_code, result);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Reads JSON, urlencoded or multipart parameters; files go to `__files`. */
async function readParams(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return body.length ? (JSON.parse(body.toString('utf8')) as Record<string, any>) : {};
  if (type.startsWith('multipart/form-data')) return parseMultipart(body, /boundary=([^;]+)/.exec(type)?.[1] ?? '');
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

/** Just enough multipart/form-data for grammY's uploads: fields, plus files with their names and bytes. */
function parseMultipart(body: Buffer, boundary: string): Record<string, any> {
  const params: Record<string, any> = {};
  const files: { field: string; filename: string; content: Buffer }[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: \r\n headers \r\n\r\n content \r\n
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const filename = /filename="?([^"\r\n;]*)"?/i.exec(headers)?.[1];
    if (filename !== undefined) files.push({ field: name, filename, content: Buffer.from(content) });
    else params[name] = decodeField(content.toString('utf8'));
    start = next;
  }
  // grammY sends the file under a random part name and `document: "attach://<name>"`; resolve that link.
  if (files.length) {
    params.__files = files.map((file) => ({ ...file, field: Object.keys(params).find((k) => params[k] === `attach://${file.field}`) ?? file.field }));
  }
  return params;
}

function decodeField(value: string): unknown {
  if (/^[[{]/.test(value) || /^-?\d+$/.test(value) || value === 'true' || value === 'false') {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}
