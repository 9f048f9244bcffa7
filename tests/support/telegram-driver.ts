/**
 * Plays scenarios on Telegram: the real grammY bot (createTelegramBot, long polling through the runner, auto-retry
 * on, throttling off for speed) over HTTP against the fake Bot API server, wired to the scenario's real Core.
 *
 * What members saw is read from the Bot API calls that succeeded, in the order the bot made them (a transformer
 * on the bot's API client, outermost so it sees results after retries), and cards as the server holds them after
 * every edit.
 */
import type { Chat, Message, Update, User } from 'grammy/types';
import type { CoreApp, HandleResult, Language } from '../../core/app.js';
import type { CoreEvent, Platform } from '../../core/events.js';
import type { CommandInfo, PlatformPort } from '../../core/ports.js';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import { decodeUpdate, telegramSource } from '../../bots/telegram/decode.js';
import { FakeTelegramServer } from './fake-telegram-server.js';
import type { CardView, DriverMember, DriverWorld, Output, ScenarioDriver } from './scenario-runner.js';

/** How long one act may take before the driver gives up and shows the calls it saw. */
const SETTLE_TIMEOUT_MS = 5000;

/**
 * The core as the bot sees it, counting the events it has finished per update, so the driver knows when an
 * update has been dealt with (a long-polling bot gives no other sign).
 */
class ObservedApp implements CoreApp {
  readonly finished = new Map<number, number>();
  inFlight = 0;

  constructor(private readonly inner: CoreApp) {}

  registerPlatform(platform: Platform, port: PlatformPort): void {
    this.inner.registerPlatform(platform, port);
  }

  async handle(event: CoreEvent): Promise<HandleResult> {
    this.inFlight += 1;
    try {
      return await this.inner.handle(event);
    } finally {
      this.inFlight -= 1;
      const updateId = telegramSource(event)?.updateId;
      if (updateId !== undefined) this.finished.set(updateId, (this.finished.get(updateId) ?? 0) + 1);
    }
  }

  commandList(language: Language): CommandInfo[] {
    return this.inner.commandList(language);
  }

  flushCards(): Promise<void> {
    return this.inner.flushCards();
  }
}

/** See the module comment. `server` is public for Telegram-specific assertions beyond the scenarios. */
export class TelegramDriver implements ScenarioDriver {
  readonly platform = 'tg' as const;
  /** Private answers go to the member's private chat; commands are free text; button answers can be alerts. */
  readonly traits = { privateRepliesInPlace: false, typedCommandOptions: false, alertToasts: true };
  server!: FakeTelegramServer;
  private telegram: TelegramBotHandle | undefined;
  private app!: ObservedApp;
  private group!: Chat.SupergroupChat;
  private readonly users = new Map<string, User>();
  private readonly keyOfUser = new Map<number, string>();
  private readonly said: Output[] = [];
  private readonly cardIds: number[] = [];
  /** Events each delivered update should produce (a redelivered update counts twice). */
  private readonly expectedEvents = new Map<number, number>();
  /** Button presses by callback query id: whose they were, and whether the bot has answered yet. */
  private readonly presses = new Map<string, { member: string; updateId: number }>();
  private readonly answered = new Set<string>();

  async start(world: DriverWorld): Promise<void> {
    this.server = await FakeTelegramServer.start();
    this.group = this.server.group('Strawberry friends');
    let chinese = 0;
    for (const member of world.members) {
      const user = this.server.user({
        first_name: member.name,
        username: member.username,
        language_code: languageCode(member, chinese),
      });
      if (member.language === 'zh') chinese += 1;
      if (member.acceptsDms !== false) this.server.startBot(user);
      this.users.set(member.key, user);
      this.keyOfUser.set(user.id, member.key);
    }
    const admins = world.members.filter((m) => m.admin).map((m) => this.user(m.key).id);
    this.server.setAdmins(this.group.id, admins.slice(1), admins[0]);

    this.app = new ObservedApp(world.core);
    this.telegram = createTelegramBot({
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
    this.telegram.bot.api.config.use(async (prev, method, payload, signal) => {
      const result = await prev(method, payload, signal);
      if (result.ok) this.observe(method, payload as Record<string, any>, result.result);
      return result;
    });
    await this.telegram.start();
  }

  async stop(): Promise<void> {
    const telegram = this.telegram;
    this.telegram = undefined;
    try {
      await telegram?.stop();
    } finally {
      await this.server?.close();
    }
  }

  groupChatId(): string {
    return `tg:${this.group.id}`;
  }

  async command(as: string, text: string, options: { deliveredTwice?: boolean; inPrivate?: boolean } = {}): Promise<void> {
    const user = this.user(as);
    // Writing to the bot privately is what allows it to message the member from then on.
    const update = this.server.command(user, options.inPrivate ? this.server.privateChat(user) : this.group, text);
    this.expect(update);
    if (options.deliveredTwice) {
      // Queued again in the same tick, so one getUpdates answer carries both copies (the fake server hands out
      // only ids at or above the bot's offset, as Telegram does before a crash loses the acknowledgement).
      this.server.push(update as Omit<Update, 'update_id'>);
      this.expect(update);
    }
    await this.settle();
  }

  async press(as: string, action: string, cardNumber?: number): Promise<void> {
    const id = cardNumber ? this.cardIds[cardNumber - 1] : this.cardIds.at(-1);
    const card = id === undefined ? undefined : this.server.message(this.group.id, id);
    if (!card) throw new Error(`no card ${cardNumber ?? '(newest)'} to press ${action} on`);
    const button = (card.reply_markup?.inline_keyboard ?? [])
      .flat()
      .find((b) => 'callback_data' in b && b.callback_data?.startsWith(`${action}:`));
    if (!button || !('callback_data' in button)) throw new Error(`card ${card.message_id} has no ${action} button:\n${card.text}`);
    const update = this.server.press(this.user(as), card, { data: button.callback_data! });
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

  async settle(): Promise<void> {
    await this.server.waitFor(() => {
      for (const [updateId, events] of this.expectedEvents) {
        if ((this.app.finished.get(updateId) ?? 0) < events) return false;
      }
      // The bot answers a press the core did not toast after handling it; the button spins until then.
      for (const [queryId] of this.presses) if (!this.answered.has(queryId)) return false;
      return this.app.inFlight === 0;
    }, SETTLE_TIMEOUT_MS);
    await this.app.flushCards();
  }

  outputs(): readonly Output[] {
    return this.said;
  }

  cards(): CardView[] {
    const edits = this.server.calls('editMessageText');
    return this.cardIds.map((id) => {
      const message = this.server.message(this.group.id, id)!;
      const buttons = (message.reply_markup?.inline_keyboard ?? []).flat();
      return {
        text: message.text ?? '',
        actions: buttons.flatMap((b) => ('callback_data' in b && b.callback_data ? [b.callback_data.split(':')[0]!] : [])),
        labels: buttons.map((b) => b.text),
        edits: edits.filter((call) => call.params.chat_id === this.group.id && call.params.message_id === id).length,
      };
    });
  }

  private user(key: string): User {
    const user = this.users.get(key);
    if (!user) throw new Error(`no member "${key}" in this scenario`);
    return user;
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
    if (method !== 'sendMessage') return;
    const message = result as Message;
    const text = message.text ?? '';
    const isCard = (params.reply_markup?.inline_keyboard ?? [])
      .flat()
      .some((b: { callback_data?: string }) => b.callback_data?.startsWith('join:'));
    if (message.chat.id > 0) {
      const to = this.memberAt(message.chat.id);
      this.said.push(params.reply_markup?.force_reply ? { kind: 'question', to, text } : { kind: 'dm', to, text });
    } else if (isCard) {
      this.cardIds.push(message.message_id);
      this.said.push({ kind: 'card', text });
    } else if (params.reply_markup?.force_reply) {
      const askedUser = message.reply_to_message?.from?.id;
      this.said.push({ kind: 'question', to: askedUser === undefined ? '?' : this.memberAt(askedUser), text });
    } else {
      this.said.push({ kind: 'group', text });
    }
  }

  private memberAt(userId: number): string {
    return this.keyOfUser.get(userId) ?? `user ${userId}`;
  }
}

/** Telegram language codes as clients send them; Chinese members alternate between `zh-hans` and `zh`. */
function languageCode(member: DriverMember, chineseSoFar: number): string {
  if (member.language === 'en') return 'en';
  return chineseSoFar % 2 === 0 ? 'zh-hans' : 'zh';
}
