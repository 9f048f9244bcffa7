/**
 * Plays scenarios on Telegram: the real grammY bot (createTelegramBot, long polling through the runner, auto-retry
 * on, throttling off for speed) over HTTP against the fake Bot API server, wired to the scenario's real Core.
 *
 * What members saw is read from the Bot API calls that succeeded, in the order the bot made them (a transformer
 * on the bot's API client, outermost so it sees results after retries), and cards as the server holds them after
 * every edit.
 */
import type { Chat, InlineKeyboardButton, Message, Update, User } from 'grammy/types';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import { decodeUpdate, telegramSource } from '../../bots/telegram/decode.js';
import { FakeTelegramServer } from './fake-telegram-server.js';
import { ObservedApp } from './observed-app.js';
import type { ButtonView, CardView, DriverMember, DriverWorld, Output, PhotoPostView, PressTarget, ScenarioDriver } from './scenario-runner.js';

/** How long one act may take before the driver gives up and shows the calls it saw (a loaded run can be slow). */
const SETTLE_TIMEOUT_MS = 15_000;

/** See the module comment. `server`, `handle`, `group` and `user()` are public for Telegram-specific assertions. */
export class TelegramDriver implements ScenarioDriver {
  readonly platform = 'tg' as const;
  /** Private answers go to the member's private chat; commands are free text; button answers can be alerts. */
  readonly traits = { privateRepliesInPlace: false, typedCommandOptions: false, alertToasts: true, overhearsGroupMessages: true };
  server!: FakeTelegramServer;
  /** The running bot (its messenger is the platform port the core uses). */
  handle: TelegramBotHandle | undefined;
  group!: Chat.SupergroupChat;
  private app!: ObservedApp<number>;
  private readonly users = new Map<string, User>();
  private readonly keyOfUser = new Map<number, string>();
  private readonly said: Output[] = [];
  private readonly cardIds: number[] = [];
  /** Group messages the bot sent with a photo that are not cards (a buy's product photo). */
  private readonly photoPostIds: number[] = [];
  /** Events each delivered update should produce (a redelivered update counts twice). */
  private readonly expectedEvents = new Map<number, number>();
  /** Button presses by callback query id: whose they were. */
  private readonly presses = new Map<string, { member: string; updateId: number }>();
  private readonly answered = new Set<string>();
  /** File ids of the photos and videos members sent, by file name. */
  private readonly fileIds = new Map<string, string>();
  /** Messages members posted, by the name a scenario gave them. */
  private readonly posts = new Map<string, Message>();
  /** Each member's reactions on each message (`<user>:<message>`): Telegram sends the whole new list every time. */
  private readonly reactions = new Map<string, string[]>();

  async start(world: DriverWorld): Promise<void> {
    this.server = await FakeTelegramServer.start();
    this.group = this.server.group('Strawberry friends');
    let chinese = 0;
    for (const member of world.members) {
      const user = this.server.user({
        first_name: member.name,
        ...(member.username ? { username: member.username } : {}),
        language_code: languageCode(member, chinese),
      });
      if (member.language === 'zh') chinese += 1;
      if (member.acceptsDms !== false) this.server.startBot(user);
      this.users.set(member.key, user);
      this.keyOfUser.set(user.id, member.key);
    }
    const admins = world.members.filter((m) => m.admin).map((m) => this.user(m.key).id);
    this.server.setAdmins(this.group.id, admins.slice(1), admins[0]);

    this.app = new ObservedApp(world.core, (event) => telegramSource(event)?.updateId);
    this.handle = createTelegramBot({
      token: this.server.token,
      apiRoot: this.server.apiRoot,
      app: this.app,
      logger: world.logger,
      botInfo: this.server.botInfo,
      throttle: false,
      // Auto-retry stays on; no flood is simulated here, so it never waits.
      retry: { maxDelaySeconds: 2 },
      clock: world.clock,
    });
    this.handle.bot.api.config.use(async (prev, method, payload, signal) => {
      const result = await prev(method, payload, signal);
      if (result.ok) this.observe(method, payload as Record<string, any>, result.result);
      return result;
    });
    await this.handle.start();
  }

  async stop(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    try {
      await handle?.stop();
    } finally {
      await this.server?.close();
    }
  }

  groupChatId(): string {
    return `tg:${this.group.id}`;
  }

  memberId(key: string): string {
    return `tg:${this.user(key).id}`;
  }

  fileIdOf(name: string): string {
    const id = this.fileIds.get(name);
    if (!id) throw new Error(`no member sent a file named ${name}`);
    return id;
  }

  /** The member behind a scenario key. */
  user(key: string): User {
    const user = this.users.get(key);
    if (!user) throw new Error(`no member "${key}" in this scenario`);
    return user;
  }

  async command(as: string, text: string, options: { deliveredTwice?: boolean; inPrivate?: boolean; photo?: string; replyTo?: string } = {}): Promise<void> {
    const user = this.user(as);
    // Writing to the bot privately is what allows it to message the member from then on.
    const chat = options.inPrivate ? this.server.privateChat(user) : this.group;
    const replyTo = options.replyTo === undefined ? undefined : this.postNamed(options.replyTo);
    const update = options.photo
      ? this.server.photo(user, chat, { caption: text, fileId: this.newFileId(options.photo) })
      : this.server.command(user, chat, text, replyTo ? { replyTo } : {});
    this.expect(update);
    if (options.deliveredTwice) {
      // Queued again in the same tick, so one getUpdates answer carries both copies (the fake server hands out
      // only ids at or above the bot's offset, as Telegram does before a crash loses the acknowledgement). The
      // poller takes an update id once, so the copy never reaches the core: no second event is expected. A copy
      // delivered to a new process after a crash is the core's to skip (tests/bots/crash-safety.test.ts).
      this.server.push(update as Omit<Update, 'update_id'>);
    }
    await this.settle();
  }

  async press(as: string, action: string, target: PressTarget = {}): Promise<void> {
    const user = this.user(as);
    const matches = (b: InlineKeyboardButton) =>
      'callback_data' in b && (b.callback_data === action || b.callback_data.startsWith(`${action}:`)) && (!target.label || target.label.test(b.text));
    let message: Message | undefined;
    if (target.inPrivate) {
      message = [...this.server.botMessages(user.id)].reverse().find((m) => buttonsOf(m).some(matches));
      if (!message) throw new Error(`the bot sent ${as} no message with a ${action} button ${target.label ?? ''}`);
    } else if (target.inGroup) {
      message = [...this.server.botMessages(this.group.id)].reverse().find((m) => buttonsOf(m).some(matches));
      if (!message) throw new Error(`the bot posted no group message with a ${action} button ${target.label ?? ''}`);
    } else {
      const id = target.cardNumber ? this.cardIds[target.cardNumber - 1] : this.cardIds.at(-1);
      message = id === undefined ? undefined : this.server.message(this.group.id, id);
      if (!message) throw new Error(`no card ${target.cardNumber ?? '(newest)'} to press ${action} on`);
    }
    const button = buttonsOf(message).find(matches);
    if (!button || !('callback_data' in button)) throw new Error(`message ${message.message_id} has no ${action} button ${target.label ?? ''}:\n${message.text ?? message.caption}`);
    const update = this.server.press(user, message, { data: button.callback_data });
    this.presses.set(update.callback_query!.id, { member: as, updateId: update.update_id });
    this.expect(update);
    await this.settle();
  }

  async answer(as: string, text: string): Promise<void> {
    const user = this.user(as);
    const question = this.server
      .botMessages(this.group.id)
      .filter((m) => m.reply_to_message?.from?.id === user.id)
      .at(-1);
    if (!question) throw new Error(`the bot asked ${as} nothing to answer`);
    this.expect(this.server.text(user, this.group, text, { replyTo: question }));
    await this.settle();
  }

  /** `replyToCard`: the post replies to that card (1-based; 0 the newest). */
  async post(as: string, text: string, options: { photos?: string[]; video?: { name: string; seconds: number }; inPrivate?: boolean; name?: string; replyToCard?: number } = {}): Promise<void> {
    const user = this.user(as);
    const chat = options.inPrivate ? this.server.privateChat(user) : this.group;
    const updates: Update[] = [];
    // An album is one message per photo; its words travel as the first photo's caption.
    for (const name of options.photos ?? []) {
      const caption = updates.length === 0 && text ? text : undefined;
      updates.push(this.server.photo(user, chat, { ...(caption ? { caption } : {}), fileId: this.newFileId(name) }));
    }
    if (options.video) {
      const caption = updates.length === 0 && text ? text : undefined;
      updates.push(this.server.video(user, chat, options.video.seconds, { ...(caption ? { caption } : {}), fileId: this.newFileId(options.video.name) }));
    }
    if (updates.length === 0) {
      const cardId = options.replyToCard === undefined ? undefined : options.replyToCard ? this.cardIds[options.replyToCard - 1] : this.cardIds.at(-1);
      const card = cardId === undefined ? undefined : this.server.message(this.group.id, cardId);
      if (options.replyToCard !== undefined && !card) throw new Error('no card to reply to');
      updates.push(this.server.text(user, chat, text, card ? { replyTo: card } : {}));
    }
    if (options.name) this.posts.set(options.name, updates[0]!.message!);
    for (const update of updates) this.expect(update);
    await this.settle();
  }

  async react(as: string, emoji: string, added: boolean, cardNumber?: number): Promise<void> {
    const user = this.user(as);
    const id = cardNumber ? this.cardIds[cardNumber - 1] : this.cardIds.at(-1);
    if (id === undefined) throw new Error(`no card ${cardNumber ?? '(newest)'} to react on`);
    // Telegram's reaction emoji carry no variation selector (❤, not ❤️).
    const plain = emoji.replace(/\uFE0F/g, '');
    const key = `${user.id}:${id}`;
    const before = this.reactions.get(key) ?? [];
    const now = added ? [...before.filter((e) => e !== plain), plain] : before.filter((e) => e !== plain);
    this.reactions.set(key, now);
    this.expect(this.server.react(user, { chat: this.group, message_id: id }, now, before));
    await this.settle();
  }

  async settle(): Promise<void> {
    await this.server.waitFor(() => {
      if (!this.app.caughtUp(this.expectedEvents)) return false;
      // The bot answers a press the core did not toast after handling it; the button spins until then.
      for (const [queryId] of this.presses) if (!this.answered.has(queryId)) return false;
      return true;
    }, SETTLE_TIMEOUT_MS);
    await this.app.flushCards();
  }

  outputs(): readonly Output[] {
    return this.said;
  }

  cards(): CardView[] {
    const edits = [...this.server.calls('editMessageText'), ...this.server.calls('editMessageCaption'), ...this.server.calls('editMessageMedia')];
    return this.cardIds.map((id) => {
      const message = this.server.message(this.group.id, id)!;
      const buttons = buttonsOf(message);
      const photo = message.photo?.at(-1)?.file_id;
      return {
        messageId: String(id),
        text: message.text ?? message.caption ?? '',
        actions: buttons.flatMap((b) => ('callback_data' in b && b.callback_data ? [b.callback_data.split(':')[0]!] : [])),
        labels: buttons.map((b) => b.text),
        edits: edits.filter((call) => call.params.chat_id === this.group.id && call.params.message_id === id).length,
        ...(photo ? { photo: this.fileName(photo) } : {}),
      };
    });
  }

  pinned(): string[] {
    return this.server.pinned(this.group.id).map(String);
  }

  photoPosts(): PhotoPostView[] {
    const edits = [...this.server.calls('editMessageCaption'), ...this.server.calls('editMessageMedia')];
    // A deleted photo post (a withdrawn product photo) is no longer seen.
    return this.photoPostIds.flatMap((id) => {
      const message = this.server.message(this.group.id, id);
      if (!message) return [];
      const photo = message.photo?.at(-1)?.file_id;
      return [{
        text: message.caption ?? '',
        edits: edits.filter((call) => call.params.chat_id === this.group.id && call.params.message_id === id).length,
        ...(photo ? { photo: this.fileName(photo) } : {}),
      }];
    });
  }

  private postNamed(name: string): Message {
    const message = this.posts.get(name);
    if (!message) throw new Error(`no message named ${name} was posted`);
    return message;
  }

  private newFileId(name: string): string {
    const id = `AgAC-${name}`;
    this.fileIds.set(name, id);
    return id;
  }

  private fileName(fileId: string): string {
    for (const [name, id] of this.fileIds) if (id === fileId) return name;
    return fileId;
  }

  private expect(update: Update): void {
    const events = decodeUpdate(update, {
      botId: this.server.botInfo.id,
      botUsername: this.server.botInfo.username,
      now: () => new Date(),
    }).length;
    this.expectedEvents.set(update.update_id, (this.expectedEvents.get(update.update_id) ?? 0) + events);
  }

  /** Turns one successful Bot API call into what members saw. */
  private observe(method: string, params: Record<string, any>, result: unknown): void {
    if (method === 'answerCallbackQuery') {
      const queryId = String(params.callback_query_id);
      this.answered.add(queryId);
      const press = this.presses.get(queryId);
      if (params.text && press) this.said.push({ kind: 'toast', to: press.member, text: String(params.text), alert: Boolean(params.show_alert) });
      return;
    }
    if (method === 'sendDocument') {
      const message = result as Message;
      // The fake server names the n-th upload `doc<n>`.
      const upload = this.server.documents()[Number(message.document?.file_id.replace(/^doc/, '')) - 1];
      this.said.push({
        kind: 'document',
        to: this.memberAt(message.chat.id),
        filename: message.document?.file_name ?? '',
        content: upload?.content.toString('utf8') ?? '',
        ...(message.caption ? { caption: message.caption } : {}),
      });
      return;
    }
    if (method !== 'sendMessage' && method !== 'sendPhoto') return;
    const message = result as Message;
    const text = message.text ?? message.caption ?? '';
    const buttons = buttonsOf(message);
    if (message.chat.id > 0) {
      const to = this.memberAt(message.chat.id);
      // A picture the bot drew and uploaded (not a member's photo sent on by its id).
      const uploaded = method === 'sendPhoto' ? this.server.uploadedPhoto(message.photo?.at(-1)?.file_id ?? '') : undefined;
      const picture = uploaded ? { picture: new Uint8Array(uploaded.content) } : {};
      this.said.push(params.reply_markup?.force_reply ? { kind: 'question', to, text } : { kind: 'dm', to, text, buttons: buttons.map((b) => this.buttonView(b)), ...picture });
    } else if (buttons.some((b) => 'callback_data' in b)) {
      this.cardIds.push(message.message_id);
      this.said.push({ kind: 'card', text });
    } else if (params.reply_markup?.force_reply) {
      const askedUser = message.reply_to_message?.from?.id;
      this.said.push({ kind: 'question', to: askedUser === undefined ? '?' : this.memberAt(askedUser), text });
    } else {
      if (method === 'sendPhoto') this.photoPostIds.push(message.message_id);
      this.said.push({ kind: 'group', text });
    }
  }

  private buttonView(button: InlineKeyboardButton): ButtonView {
    if ('callback_data' in button) return { label: button.text, action: button.callback_data };
    const url = 'url' in button ? button.url : '';
    return { label: button.text, linksTo: this.memberLinkedBy(url) ?? url };
  }

  /** The member a link opens a private chat with: t.me/<username> when they have one, else tg://user?id=<id>. */
  private memberLinkedBy(url: string): string | undefined {
    for (const [key, user] of this.users) {
      if (url === (user.username ? `https://t.me/${user.username}` : `tg://user?id=${user.id}`)) return key;
    }
    return undefined;
  }

  private memberAt(userId: number): string {
    return this.keyOfUser.get(userId) ?? `user ${userId}`;
  }
}

function buttonsOf(message: Message | undefined): InlineKeyboardButton[] {
  return (message?.reply_markup?.inline_keyboard ?? []).flat();
}

/** Telegram language codes as clients send them; Chinese members alternate between `zh-hans` and `zh`. */
function languageCode(member: DriverMember, chineseSoFar: number): string {
  if (member.language === 'en') return 'en';
  return chineseSoFar % 2 === 0 ? 'zh-hans' : 'zh';
}
