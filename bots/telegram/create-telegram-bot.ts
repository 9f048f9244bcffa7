/**
 * Wires a grammY bot to the core: updates in (long polling through @grammyjs/runner, or a webhook), decoded
 * into core events and handed to `app.handle`; replies out through the TelegramMessenger.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { autoRetry, type AutoRetryOptions } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import { Bot, BotError, type Context, type Transformer } from 'grammy';
import type { BotCommand, LanguageCode, Update, UserFromGetMe } from 'grammy/types';
import type { CoreApp, Language } from '../../core/app.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { silentLogger, type AdminChangeFeed, type CommandInfo, type Logger, type SendBudget } from '../../core/ports.js';
import { namespacedKey } from '../update-keys.js';
import { decodeUpdate } from './decode.js';
import { TelegramMessenger } from './messenger.js';
import { sharedThrottler } from './shared-throttler.js';
import { UpdatePoller } from './update-poller.js';

type UpdateType = Exclude<keyof Update, 'update_id'>;

/**
 * The update types the bot asks for. `message_reaction` and `chat_member` are not sent unless asked for
 * explicitly (and reach the bot only where it is an admin). `chat_member` tells of promotions and demotions,
 * which must not wait for the admin cache to expire.
 */
export const DEFAULT_ALLOWED_UPDATES: readonly UpdateType[] = ['message', 'callback_query', 'message_reaction', 'chat_member'];

/** Webhook mode: Telegram POSTs updates to `url`; a node:http server listens on `host:port` at `path`. */
export interface TelegramWebhookOptions {
  /** Public HTTPS address Telegram posts to (given to setWebhook). */
  url: string;
  port: number;
  host?: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are refused. */
  secretToken?: string;
  /** Path served locally; defaults to the path of `url` (a proxy in front may map it). */
  path?: string;
}

export interface TelegramBotOptions {
  token: string;
  /** Bot API server, e.g. a self-hosted telegram-bot-api or a test server. No trailing slash. */
  apiRoot?: string;
  app: CoreApp;
  logger?: Logger;
  /** Without it the bot long-polls. */
  webhook?: TelegramWebhookOptions;
  /** How long admin lookups are cached (default 5 minutes). */
  adminCacheMs?: number;
  allowedUpdates?: readonly UpdateType[];
  /** Known bot identity: skips getMe at start (tests, fast restarts). */
  botInfo?: UserFromGetMe;
  /**
   * Outgoing message throttling (Telegram's per-chat limits); `false` turns it off (tests). Only sending
   * methods are throttled: admin lookups must not queue behind a group's one-message-per-second budget.
   */
  throttle?: APIThrottlerOptions | false;
  /**
   * Several processes sending with this token (PostgreSQL, ADR 022): the flood limits are kept in this shared budget
   * instead of the in-process throttler (`throttle` is then ignored).
   */
  sendBudget?: SendBudget;
  /** Several processes: admin changes one of them sees (chat_member updates) reach every process's admin cache. */
  adminChanges?: AdminChangeFeed;
  /** Flood-limit retries. Defaults: retry 429s waiting at most 60 s, up to 5 times. */
  retry?: Partial<AutoRetryOptions>;
  /** Long-polling timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Time of button presses (Telegram sends none). */
  clock?: Clock;
  /**
   * Transformers installed first, under throttling and retries, so they see every attempt (each 429 included):
   * the metrics' counters (bots/ops/metrics.ts).
   */
  innerTransformers?: Transformer[];
}

/** A running (or startable) Telegram adapter. */
export interface TelegramBotHandle {
  bot: Bot;
  messenger: TelegramMessenger;
  /** Registers commands, then starts long polling or the webhook server. Resolves once updates can flow. */
  start(): Promise<void>;
  /** Stops taking updates, waits for the ones being handled, and lets pending card edits go out. */
  stop(): Promise<void>;
  /** Where the webhook server listens (after start, webhook mode only); useful with port 0. */
  webhookAddress(): AddressInfo | undefined;
}

/** Telegram's updates are small; anything much larger is not one. */
const MAX_WEBHOOK_BODY = 10 * 1024 * 1024;

/** Methods that post into a chat, and so count against Telegram's per-chat flood limits. */
const SENDING_METHODS = new Set(['sendMessage', 'sendDocument', 'editMessageText', 'editMessageReplyMarkup', 'pinChatMessage', 'sendPhoto', 'editMessageCaption']);

/**
 * Creates the Telegram adapter and registers its messenger with the core.
 *
 * @example
 * const telegram = createTelegramBot({ token: env.TELEGRAM_TOKEN, app, logger });
 * await telegram.start();
 * process.once('SIGTERM', () => telegram.stop());
 */
export function createTelegramBot(options: TelegramBotOptions): TelegramBotHandle {
  const logger = redactingLogger(options.logger ?? silentLogger, options.token);
  const clock = options.clock ?? systemClock;
  const allowedUpdates = options.allowedUpdates ?? DEFAULT_ALLOWED_UPDATES;
  const bot = new Bot(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    ...(options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {}),
  });

  // Last installed runs first: a 429 is retried from the outside, so the retry queues through the throttler
  // again instead of holding a throttler slot while it sleeps.
  for (const transformer of options.innerTransformers ?? []) bot.api.config.use(transformer);
  if (options.sendBudget) bot.api.config.use(sendingOnly(sharedThrottler(options.sendBudget, botIdOf(options.token), logger)));
  else if (options.throttle !== false) bot.api.config.use(sendingOnly(apiThrottler(options.throttle ?? {})));
  bot.api.config.use(autoRetry({ maxDelaySeconds: 60, maxRetryAttempts: 5, ...options.retry }));

  const messenger = new TelegramMessenger(bot.api, {
    logger,
    ...(options.adminChanges ? { adminChanges: options.adminChanges } : {}),
    ...(options.adminCacheMs !== undefined ? { adminCacheMs: options.adminCacheMs } : {}),
  });
  options.app.registerPlatform('tg', messenger);

  // One update per chat at a time: a card's edits and a group's sign-ups stay in order.
  bot.use(sequentialize((ctx: Context) => String(ctx.chat?.id ?? ctx.from?.id ?? '')));
  bot.use(async (ctx) => {
    const change = ctx.update.chat_member;
    if (change) messenger.forgetAdmin(change.chat.id, change.new_chat_member.user.id);
    // Keys carry the bot's id: two bots on one database each handle their own update 1 (ADR 018).
    const events = decodeUpdate(ctx.update, { botId: ctx.me.id, botUsername: ctx.me.username, now: () => clock.now() }).map((event) => ({
      ...event,
      key: namespacedKey(event.key, ctx.me.id),
    }));
    if (events.length === 0) {
      logger.debug({ updateId: ctx.update.update_id, updateType: updateTypeOf(ctx.update) }, 'update ignored');
    }
    const failures: unknown[] = [];
    for (const event of events) {
      try {
        await options.app.handle(event);
      } catch (error) {
        failures.push(error);
      }
    }
    const queryId = ctx.callbackQuery?.id;
    if (queryId && !messenger.takeAnswered(queryId)) {
      // The client shows a spinner on the button until the query is answered, even when there is nothing to say.
      await ctx.answerCallbackQuery().catch((error: unknown) => {
        logger.warn({ updateId: ctx.update.update_id, err: describeError(error) }, 'could not answer callback query');
      });
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} events of one update failed`);
  });

  const reportFailure = (error: BotError) => {
    const update = error.ctx.update;
    logger.error(
      {
        updateId: update.update_id,
        updateType: updateTypeOf(update),
        chatId: error.ctx.chat?.id,
        userId: error.ctx.from?.id,
        err: describeError(error.error),
      },
      'telegram update failed',
    );
  };
  bot.catch(reportFailure);

  /** Handles one update to the end (committed, replies sent); never rejects: a bad update is logged, not fatal. */
  async function handleUpdate(update: Update): Promise<void> {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      if (error instanceof BotError) reportFailure(error);
      else logger.error({ updateId: update?.update_id, err: describeError(error) }, 'telegram update failed before its handler');
    }
  }

  let poller: UpdatePoller | undefined;
  let server: Server | undefined;
  let stopping = false;
  const webhookRequests = new Set<Promise<void>>();

  async function registerCommands(): Promise<void> {
    const languages: { language: Language; languageCode?: LanguageCode }[] = [
      { language: 'en' },
      { language: 'zh-CN', languageCode: 'zh' },
    ];
    for (const { language, languageCode } of languages) {
      const all = options.app.commandList(language).filter((command) => command.listed !== false && validCommand(command, logger));
      const members = all.filter((command) => command.audience === 'member');
      const lang = languageCode ? { language_code: languageCode } : {};
      await bot.api.setMyCommands(members.map(toBotCommand), { scope: { type: 'default' }, ...lang });
      // Admins see everything in groups they administer; Telegram picks the narrowest matching scope.
      await bot.api.setMyCommands(all.map(toBotCommand), { scope: { type: 'all_chat_administrators' }, ...lang });
    }
  }

  async function start(): Promise<void> {
    await bot.init();
    await registerCommands();
    const webhook = options.webhook;
    if (!webhook) {
      // getUpdates is refused while a webhook is set (e.g. left over from a webhook deployment).
      await bot.api.deleteWebhook();
      poller = new UpdatePoller({
        getUpdates: (params, signal) => bot.api.getUpdates(params as Parameters<typeof bot.api.getUpdates>[0], signal as Parameters<typeof bot.api.getUpdates>[1]),
        handle: handleUpdate,
        logger,
        allowedUpdates,
        timeoutSeconds: options.pollTimeoutSeconds ?? 30,
      });
      poller.start();
      logger.info({ username: bot.botInfo.username, mode: 'polling' }, 'telegram bot started');
      return;
    }
    const path = webhook.path ?? new URL(webhook.url).pathname;
    server = createServer((req, res) => {
      const requestPath = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (requestPath !== path) return void res.writeHead(404).end();
      if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
      // Shutting down: Telegram keeps the update and sends it again, to this process's successor.
      if (stopping) return void res.writeHead(503, { connection: 'close' }).end();
      const request = answerAfterCommit(req, res, webhook.secretToken).catch((error: unknown) => {
        logger.error({ err: describeError(error) }, 'webhook request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      webhookRequests.add(request);
      void request.finally(() => webhookRequests.delete(request));
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(webhook.port, webhook.host ?? '0.0.0.0', () => {
        listening.off('error', reject);
        resolve();
      });
    });
    await bot.api.setWebhook(webhook.url, {
      allowed_updates: allowedUpdates,
      ...(webhook.secretToken ? { secret_token: webhook.secretToken } : {}),
    });
    logger.info({ username: bot.botInfo.username, mode: 'webhook', path }, 'telegram bot started');
  }

  /**
   * A webhook request is answered only once its update is handled (committed, replies sent): a process killed before
   * that leaves the request unanswered, and Telegram delivers the update again.
   */
  async function answerAfterCommit(req: IncomingMessage, res: ServerResponse, secretToken: string | undefined): Promise<void> {
    if (secretToken && !sameSecret(req.headers['x-telegram-bot-api-secret-token'], secretToken)) {
      return void res.writeHead(401).end();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_WEBHOOK_BODY) return void res.writeHead(413, { connection: 'close' }).end();
      chunks.push(chunk as Buffer);
    }
    let update: Update;
    try {
      update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
    } catch {
      logger.warn({ bytes: size }, 'webhook body is not JSON: ignored');
      return void res.writeHead(400).end();
    }
    if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') {
      logger.warn({}, 'webhook body is not an update: ignored');
      return void res.writeHead(400).end();
    }
    await handleUpdate(update);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  }

  async function stop(): Promise<void> {
    stopping = true;
    await poller?.stop();
    poller = undefined;
    await Promise.all([...webhookRequests]);
    if (server) {
      const closing = server;
      server = undefined;
      // The webhook stays registered on purpose: updates wait at Telegram until the next process starts.
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeIdleConnections();
      });
    }
    try {
      // Bounded: a group's edit budget (Telegram: 20 a minute) may hold the last edit for up to a minute; a card left
      // behind is re-rendered from the database at the next start (ADR 018).
      const flushed = await Promise.race([options.app.flushCards().then(() => true), delay(CARD_FLUSH_AT_SHUTDOWN_MS).then(() => false)]);
      if (!flushed) logger.warn({ waitedMs: CARD_FLUSH_AT_SHUTDOWN_MS }, 'card edits still pending at shutdown: the next start re-renders those cards');
    } catch (error) {
      logger.warn({ err: describeError(error) }, 'pending card edits failed at shutdown');
    }
    logger.info({}, 'telegram bot stopped');
  }

  return {
    bot,
    messenger,
    start,
    stop,
    webhookAddress: () => {
      const address = server?.address();
      return address && typeof address === 'object' ? address : undefined;
    },
  };
}

/** Telegram accepts 1-32 lower-case letters, digits and underscores, with a 1-256 character description. */
function validCommand(command: CommandInfo, logger: Logger): boolean {
  const ok = /^[a-z0-9_]{1,32}$/.test(command.name) && command.description.length >= 1 && command.description.length <= 256;
  if (!ok) logger.warn({ command: command.name }, 'command not registered with Telegram: invalid name or description');
  return ok;
}

function toBotCommand(command: CommandInfo): BotCommand {
  return { command: command.name, description: command.description };
}

function sameSecret(received: string | string[] | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bot's id: the number before the colon in its token (not secret; the part after the colon is). */
function botIdOf(token: string): string {
  return token.split(':')[0] ?? '';
}

/** Applies a transformer to sending methods only. */
function sendingOnly(transformer: Transformer): Transformer {
  return (prev, method, payload, signal) =>
    SENDING_METHODS.has(method) ? transformer(prev, method, payload, signal) : prev(method, payload, signal);
}

function updateTypeOf(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

/** How long a stopping adapter waits for pending card edits. */
const CARD_FLUSH_AT_SHUTDOWN_MS = 10_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Errors as plain data for the logger (pino would otherwise drop non-enumerable fields). */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const extra = error as Error & { error_code?: number; description?: string; method?: string; kind?: string };
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(extra.error_code !== undefined ? { code: extra.error_code, description: extra.description, method: extra.method } : {}),
    ...(extra.kind !== undefined ? { kind: extra.kind } : {}),
    ...(error.cause !== undefined ? { cause: describeError(error.cause) } : {}),
    ...(error instanceof AggregateError ? { errors: error.errors.map(describeError) } : {}),
  };
}

/**
 * A logger that never writes the bot token, whatever a library put into an error message or URL: the
 * token is the bot's password.
 */
function redactingLogger(logger: Logger, token: string): Logger {
  const redact = (value: unknown): unknown => {
    if (typeof value === 'string') return token ? value.split(token).join('[token]') : value;
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redact(inner)]));
    }
    return value;
  };
  const wrap =
    (level: keyof Logger) =>
    (obj: object, msg?: string): void =>
      logger[level](redact(obj) as object, msg === undefined ? undefined : (redact(msg) as string));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

