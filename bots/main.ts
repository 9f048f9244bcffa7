/**
 * `npm start`: opens the database (PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL) and applies pending
 * migrations, then runs every configured adapter (Telegram when TELEGRAM_BOT_TOKEN is set, Discord when
 * DISCORD_TOKEN and DISCORD_APPLICATION_ID are) or, with no bot token, the local playground in this terminal. Once
 * they take updates, the rest starts: the durable job queue's workers, the dashboard, the reconciliation and sweep,
 * the live-card refresh (ADR 017, "Ready first").
 *
 * `npm start` runs this file compiled (dist/bots/main.js, built at install); `npm run dev` runs the source with tsx.
 * What only one configuration uses is imported when that configuration asks for it: grammY with a Telegram token,
 * discord.js with a Discord token, the playground without either, LangChain at the first LLM call, resvg at the
 * first picture (ADR 017). Start-up failures end the process quickly with a message naming the variable.
 */
import { createCore } from '../core/features.js';
import { systemClock, type Clock } from '../core/clock.js';
import { dirname, join } from 'node:path';
import { createReviewTagger, LlmConfigError } from '../llm/create-review-tagger.js';
import { DomainAdaptiveTagger } from '../llm/offline/domain-adaptive-tagger.js';
import { LazyReviewTagger } from '../llm/offline/lazy-tagger.js';
import { OFFLINE_TAGGER_NAME } from '../llm/offline/model-files.js';
import { OfflineReviewTagger } from '../llm/offline/offline-tagger.js';
import { createTextSimilarity } from '../llm/llm-text-similarity.js';
import type { ReviewTagger } from '../core/llm/review-tags.js';
import { openDatabase, redactUrl, resolveDataDir } from '../prisma/database.js';
import { PostgresAdminChangeFeed } from '../prisma/admin-change-feed.js';
import { PrismaCardLeases } from '../prisma/card-leases.js';
import { createJobQueue } from '../prisma/job-queue.js';
import { PrismaSendBudget } from '../prisma/send-budget.js';
import { PrismaLlmUsageLog, PrismaTagCache } from '../prisma/llm-store.js';
import { PrismaStore } from '../prisma/store.js';
import { runsFromBuild, staleBuildSource } from './build-check.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { ResvgRenderer } from './pictures/resvg-renderer.js';
import { UPDATE_KEY_RETENTION_HOURS } from './update-keys.js';

/** A start-up step that did not finish in time; the message names what to check. */
class StartupTimeoutError extends Error {}

/** `promise`, or a StartupTimeoutError with `message` after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartupTimeoutError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  // dist/ older than the sources would silently run old code (a pull or an edit without `npm run build`).
  const stale = runsFromBuild(import.meta.url) ? staleBuildSource() : undefined;
  if (stale) {
    process.stderr.write(`dist/ is older than ${stale}: run \`npm run build\` (or \`npm run dev\` to run the sources).\n`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee README.md, "Configuration".\n`);
      process.exit(2);
    }
    throw error;
  }
  const discordConfigured = Boolean(config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID);
  const playground = !config.TELEGRAM_BOT_TOKEN && !discordConfigured;
  const logger = createLogger(config.LOG_LEVEL ?? (playground ? 'warn' : 'info'));
  const startupTimeoutMs = config.STARTUP_TIMEOUT_SECONDS * 1000;
  const play = playground ? await loadPlayground() : undefined;
  const clock: Clock = play ? new play.OffsetClock() : systemClock;

  // Telegram's first answer is awaited beside the database: an unreachable Bot API fails the start at once.
  const telegramToken = config.TELEGRAM_BOT_TOKEN;
  const telegramModules = telegramToken
    ? Promise.all([import('./telegram/create-telegram-bot.js'), import('./telegram/preflight.js')])
    : undefined;
  const telegramIdentity = telegramToken
    ? telegramModules!.then(([, { telegramGetMe }]) => telegramGetMe({ token: telegramToken, apiRoot: config.TELEGRAM_API_ROOT, timeoutMs: startupTimeoutMs }))
    : undefined;
  const [db] = await Promise.all([
    openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
      connectTimeoutMs: startupTimeoutMs,
      logger,
    }),
    telegramIdentity,
  ]);
  logger.info({ database: db.kind === 'postgres' && db.url ? redactUrl(db.url) : 'pglite', migrations: db.appliedMigrations }, 'database ready');

  // Health and metrics (bots/ops), loaded only when asked for.
  const ops = config.METRICS_PORT === undefined ? undefined : new (await import('./ops/metrics-server.js')).Ops();
  // Transactions beyond the pool's connections wait in line in the process (ADR 019), so the line matches the pool.
  const store = new PrismaStore(db.prisma, db.kind === 'postgres' ? { concurrency: config.DATABASE_POOL_SIZE } : {});
  const queue = createJobQueue(db, { logger });
  // Several processes may share a PostgreSQL: card edits, the platforms' send budgets and admin changes are then kept
  // in the database (ADR 022). One process on PGlite keeps them in memory, as before.
  const shared =
    db.kind === 'postgres'
      ? { cardLeases: new PrismaCardLeases(db), sendBudget: new PrismaSendBudget(db), adminChanges: await PostgresAdminChangeFeed.open(db, logger) }
      : undefined;
  // The playground can move its clock (/skip); its scheduler then runs the jobs that became due.
  const timeTravel = play ? new play.TimeTravelScheduler(queue, clock as InstanceType<typeof play.OffsetClock>) : undefined;
  const scheduler = timeTravel ?? queue;
  // Reviews are tagged by the LLM when one is configured (falling back to the offline model), else offline.
  let reviewTagger: ReviewTagger;
  try {
    // The offline model adapts to each group's stored reviews (what the group sells may be new to it; ADR 003).
    // Built at the first review to tag: most starts never read the weights (ADR 017).
    const offline = new LazyReviewTagger(
      OFFLINE_TAGGER_NAME,
      () =>
        new DomainAdaptiveTagger(OfflineReviewTagger.load(), {
          corpus: async (groupId) => (await store.reviews.listReviews(groupId)).map((r) => r.text),
          logger,
        }),
    );
    reviewTagger = createReviewTagger(config, { cache: new PrismaTagCache(db.prisma), usageLog: new PrismaLlmUsageLog(db.prisma), logger, offline });
  } catch (error) {
    if (!(error instanceof LlmConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee README.md, "Configuration".\n`);
    await db.close();
    process.exit(2);
  }
  logger.info({ tagger: reviewTagger.name }, 'review tagger ready');
  // Texts of a fake-engagement case's accounts are compared by the same LLM (falling back offline), else offline.
  const textSimilarity = createTextSimilarity(config, { usageLog: new PrismaLlmUsageLog(db.prisma), logger });
  // The web dashboard: its code is loaded only when it is on (DASHBOARD_PORT=off adds nothing to start-up or memory).
  // Until the server listens (it starts after ready), links point where it is about to listen.
  const dashboardModule = config.DASHBOARD_PORT === 'off' ? undefined : (await import('./dashboard/access.js'));
  const dashboardHost = config.DASHBOARD_HOST ?? '127.0.0.1';
  let dashboardUrl = config.DASHBOARD_URL ?? (config.DASHBOARD_PORT === 'off' ? undefined : dashboardModule?.localUrl(dashboardHost, config.DASHBOARD_PORT));
  const dashboardAccess = dashboardModule?.createDashboardAccess(() => dashboardUrl);
  const core = createCore({
    store,
    clock,
    scheduler,
    logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    cardMinIntervalMs: config.CARD_EDIT_INTERVAL_MS,
    ...(shared ? { cardLeases: shared.cardLeases } : {}),
    reviewTagger,
    textSimilarity,
    pictureRenderer: new ResvgRenderer(),
    dashboard: dashboardAccess,
    observer: ops?.metrics.observer,
  });
  // A rejection nobody awaited (a library's background work) is logged; it must not end the process.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection'));

  const stoppers: (() => Promise<void>)[] = [];
  let stopping = false;
  /** The start-up work run once the bot answers (startAfterReady); settled, never rejected. */
  let afterReady: Promise<void> = Promise.resolve();
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Stop taking updates, finish those in flight and the pending card edits, then close; never hang for ever.
    setTimeout(() => {
      logger.error({}, 'shutdown took over 30 s: exiting anyway');
      process.exit(code || 1);
    }, 30_000).unref();
    // The start-up work begun after ready (below) ends its current step first: it may add a stopper (the dashboard),
    // and it uses the queue and the database closed next.
    await afterReady;
    for (const stop of stoppers.reverse()) await stop().catch((err) => logger.error({ err }, 'stop failed'));
    // The adapters already waited (bounded) for pending card edits; whatever is left is re-rendered at the next start.
    await Promise.race([core.flushCards().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    core.stop();
    await queue.stop();
    await shared?.adminChanges.close();
    await db.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  if (ops) stoppers.push((await ops.listen({ port: config.METRICS_PORT!, host: config.METRICS_HOST, database: db, queue, logger })).close);

  try {
    if (telegramToken && telegramModules && telegramIdentity) {
      const [{ createTelegramBot }, { DEFAULT_TELEGRAM_API_ROOT }] = await telegramModules;
      const telegram = createTelegramBot({
        token: telegramToken,
        // getMe answered at start (bounded in time); the adapter does not ask again.
        botInfo: await telegramIdentity,
        apiRoot: config.TELEGRAM_API_ROOT,
        app: core,
        logger,
        adminCacheMs: config.ADMIN_CACHE_SECONDS * 1000,
        ...(shared ? { sendBudget: shared.sendBudget, adminChanges: shared.adminChanges } : {}),
        innerTransformers: ops?.telegramTransformers(),
        webhook: config.TELEGRAM_WEBHOOK_URL
          ? { url: config.TELEGRAM_WEBHOOK_URL, port: config.TELEGRAM_WEBHOOK_PORT, host: config.TELEGRAM_WEBHOOK_HOST, secretToken: config.TELEGRAM_WEBHOOK_SECRET }
          : undefined,
      });
      ops?.watchTelegram(telegram);
      stoppers.push(() => telegram.stop());
      await withTimeout(
        telegram.start(),
        startupTimeoutMs,
        `the Telegram Bot API at ${config.TELEGRAM_API_ROOT ?? DEFAULT_TELEGRAM_API_ROOT} answered getMe but not the start-up calls ` +
          `(setMyCommands, ${config.TELEGRAM_WEBHOOK_URL ? 'setWebhook' : 'deleteWebhook'}) within ${config.STARTUP_TIMEOUT_SECONDS} s (STARTUP_TIMEOUT_SECONDS); check TELEGRAM_API_ROOT and the network`,
      );
      logger.info({ mode: config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'long polling' }, 'telegram adapter running');
    }

    if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
      const { createDiscordBot } = await import('./discord/create-discord-bot.js');
      const discord = createDiscordBot({
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        ...(config.DISCORD_API_BASE ? { apiBase: config.DISCORD_API_BASE } : {}),
        app: core,
        logger,
        adminCacheMs: config.ADMIN_CACHE_SECONDS * 1000,
        adminRoleIds: config.DISCORD_ADMIN_ROLE_IDS,
        moderatorRoleIds: config.DISCORD_MODERATOR_ROLE_IDS,
        ...(config.DISCORD_SHARD_COUNT !== undefined ? { shard: { id: config.DISCORD_SHARD_ID!, count: config.DISCORD_SHARD_COUNT } } : {}),
        ...(shared ? { sendBudget: shared.sendBudget, adminChanges: shared.adminChanges } : {}),
      });
      ops?.watchDiscord(discord);
      stoppers.push(() => discord.stop());
      await withTimeout(
        discord.start(),
        startupTimeoutMs,
        `Discord did not accept the login within ${config.STARTUP_TIMEOUT_SECONDS} s (STARTUP_TIMEOUT_SECONDS): check DISCORD_TOKEN, ` +
          `DISCORD_API_BASE${config.DISCORD_API_BASE ? ` (${config.DISCORD_API_BASE})` : ' (unset: discord.com)'} and the network`,
      );
      logger.info({}, 'discord adapter running');
    }
  } catch (error) {
    // The database is open: close it (and release DATA_DIR's lock) before leaving.
    process.stderr.write(`tuanbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    // A closing step that hangs (an unreachable server) must not keep the process from failing.
    setTimeout(() => process.exit(1), 5000).unref();
    await shutdown(1);
  }

  // Ready: the adapters take updates (or the playground its first line) from here. What the first update does not need
  // runs now, in this order, instead of before (ADR 017): the job workers and sweeps, the dashboard, the start-up
  // reconciliation. A job scheduled meanwhile is kept (the queue starts on demand); a buy past its deadline is closed
  // by its job or by the sweep right after, as it would be by a sweep a few seconds later.
  const startAfterReady = async (): Promise<void> => {
    // Every job the core schedules has a worker here (a job without one would wait in the queue forever).
    const workers = Object.fromEntries(core.jobNames().map((name) => [name, (data: Record<string, unknown>) => core.runJob(name, data)]));
    await queue.start(
      { ...workers, 'buy.sweep': async () => void (await core.sweepDue()) },
      {
        ticks: { 'buy.sweep': config.SWEEP_INTERVAL_SECONDS },
        // Update keys past the platforms' redelivery window (ADR 018); idempotent, so every process may run it.
        tick: { name: 'updates.prune', everySeconds: 3600, run: () => core.pruneUpdates(UPDATE_KEY_RETENTION_HOURS) },
      },
    );
    if (stopping) return;
    if (dashboardAccess && config.DASHBOARD_PORT !== 'off') {
      const host = dashboardHost;
      try {
        const { startDashboard } = await import('./dashboard/server.js');
        const dashboard = await startDashboard(
          { core, store, access: dashboardAccess, clock, logger, defaultLanguage: config.DEFAULT_LANGUAGE, secureCookies: Boolean(config.DASHBOARD_URL?.startsWith('https:')) },
          { port: config.DASHBOARD_PORT, host },
        );
        dashboardUrl = config.DASHBOARD_URL ?? dashboard.localUrl;
        stoppers.push(() => dashboard.stop());
        logger.info({ url: dashboardUrl, listening: dashboard.localUrl }, 'dashboard running');
      } catch (error) {
        // The bot works without it; /dashboard then says it is off.
        dashboardUrl = undefined;
        logger.error({ err: error, port: config.DASHBOARD_PORT, host }, 'dashboard could not start (port in use?); set DASHBOARD_PORT to another port or off');
      }
    }
    if (stopping) return;
    // Buys whose deadline passed while no process ran, and jobs lost between a commit and its scheduling.
    await core.reconcileSchedules();
    if (stopping) return;
    await core.sweepDue();
    if (stopping) return;
    // Cards a killed process left with edits pending show the database's state again; old update keys go.
    logger.info({ cards: await core.refreshLiveCards() }, 'live cards queued for a refresh');
    void core.pruneUpdates(UPDATE_KEY_RETENTION_HOURS).catch((err: unknown) => logger.warn({ err: String(err) }, 'pruning update keys failed'));
    logger.info({}, 'start-up work done');
  };
  if (!stopping) {
    afterReady = startAfterReady().catch((error: unknown) => {
      // As when this work ran before ready: a queue that cannot start, or a failed reconciliation, ends the process.
      if (stopping) return;
      process.stderr.write(`tuanbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      setTimeout(() => process.exit(1), 5000).unref();
      void shutdown(1);
    });
  }

  if (play) {
    const { runPlayground, PLAYGROUND_GROUP_ID } = play;
    await runPlayground({
      core,
      input: process.stdin,
      output: { write: (text) => void process.stdout.write(text) },
      clock: clock as InstanceType<typeof play.OffsetClock>,
      interactive: Boolean(process.stdin.isTTY),
      languageHint: process.env.LANG?.split(/[._]/)[0],
      runDueJobs: () => timeTravel!.runDue((name, data) => core.runJob(name, data)),
      groupTimeZone: async () => (await store.getGroup(PLAYGROUND_GROUP_ID))?.timeZone,
      // Beside the PGlite folder: `.data/pictures` by default.
      picturesDir: join(dirname(resolveDataDir(config.DATA_DIR)), 'pictures'),
    });
    await shutdown(0);
  }
}

/** The playground's parts, loaded only when it runs. */
async function loadPlayground() {
  const [{ OffsetClock }, { PLAYGROUND_GROUP_ID, runPlayground }, { TimeTravelScheduler }] = await Promise.all([
    import('./playground/offset-clock.js'),
    import('./playground/run-playground.js'),
    import('./playground/time-travel-scheduler.js'),
  ]);
  return { OffsetClock, PLAYGROUND_GROUP_ID, runPlayground, TimeTravelScheduler };
}

main().catch((error) => {
  process.stderr.write(`tuanbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
