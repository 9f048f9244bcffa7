/**
 * `npm start`: opens the database (PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL) and applies pending
 * migrations, starts the durable job queue, then runs every configured adapter (Telegram when
 * TELEGRAM_BOT_TOKEN is set, Discord when DISCORD_TOKEN and DISCORD_APPLICATION_ID are) or, with no bot token, the
 * local playground in this terminal.
 */
import { createCore } from '../core/features.js';
import { systemClock } from '../core/clock.js';
import { dirname, join } from 'node:path';
import { createReviewTagger, LlmConfigError } from '../llm/create-review-tagger.js';
import { DomainAdaptiveTagger } from '../llm/offline/domain-adaptive-tagger.js';
import { OfflineReviewTagger } from '../llm/offline/offline-tagger.js';
import { createTextSimilarity } from '../llm/llm-text-similarity.js';
import type { ReviewTagger } from '../core/llm/review-tags.js';
import { openDatabase, redactUrl, resolveDataDir } from '../prisma/database.js';
import { createJobQueue } from '../prisma/job-queue.js';
import { PrismaLlmUsageLog, PrismaTagCache } from '../prisma/llm-store.js';
import { PrismaStore } from '../prisma/store.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { OffsetClock } from './playground/offset-clock.js';
import { PLAYGROUND_GROUP_ID, runPlayground } from './playground/run-playground.js';
import { ResvgRenderer } from './pictures/resvg-renderer.js';
import { TimeTravelScheduler } from './playground/time-travel-scheduler.js';
import { createDiscordBot } from './discord/create-discord-bot.js';
import { createTelegramBot } from './telegram/create-telegram-bot.js';

async function main(): Promise<void> {
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
  const clock = playground ? new OffsetClock() : systemClock;

  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE, logger });
  logger.info({ database: db.kind === 'postgres' && db.url ? redactUrl(db.url) : 'pglite', migrations: db.appliedMigrations }, 'database ready');

  // Health and metrics (bots/ops), loaded only when asked for.
  const ops = config.METRICS_PORT === undefined ? undefined : new (await import('./ops/metrics-server.js')).Ops();
  const store = new PrismaStore(db.prisma);
  const queue = createJobQueue(db, { logger });
  // The playground can move its clock (/skip); its scheduler then runs the jobs that became due.
  const timeTravel = playground ? new TimeTravelScheduler(queue, clock as OffsetClock) : undefined;
  const scheduler = timeTravel ?? queue;
  // Reviews are tagged by the LLM when one is configured (falling back to the offline model), else offline.
  let reviewTagger: ReviewTagger;
  try {
    // The offline model adapts to each group's stored reviews (what the group sells may be new to it; ADR 003).
    const offline = new DomainAdaptiveTagger(OfflineReviewTagger.load(), {
      corpus: async (groupId) => (await store.reviews.listReviews(groupId)).map((r) => r.text),
      logger,
    });
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
  const core = createCore({
    store,
    clock,
    scheduler,
    logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    cardMinIntervalMs: config.CARD_EDIT_INTERVAL_MS,
    reviewTagger,
    textSimilarity,
    pictureRenderer: new ResvgRenderer(),
    observer: ops?.metrics.observer,
  });
  // Every job the core schedules has a worker here (a job without one would wait in the queue forever).
  const workers = Object.fromEntries(core.jobNames().map((name) => [name, (data: Record<string, unknown>) => core.runJob(name, data)]));
  await queue.start(
    { ...workers, 'buy.sweep': async () => void (await core.sweepDue()) },
    { ticks: { 'buy.sweep': config.SWEEP_INTERVAL_SECONDS } },
  );

  const stoppers: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stoppers.reverse()) await stop().catch((err) => logger.error({ err }, 'stop failed'));
    await core.flushCards().catch(() => {});
    core.stop();
    await queue.stop();
    await db.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  if (ops) stoppers.push((await ops.listen({ port: config.METRICS_PORT!, host: config.METRICS_HOST, database: db, queue, logger })).close);

  if (config.TELEGRAM_BOT_TOKEN) {
    const telegram = createTelegramBot({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      app: core,
      logger,
      adminCacheMs: config.ADMIN_CACHE_SECONDS * 1000,
      innerTransformers: ops?.telegramTransformers(),
      webhook: config.TELEGRAM_WEBHOOK_URL
        ? { url: config.TELEGRAM_WEBHOOK_URL, port: config.TELEGRAM_WEBHOOK_PORT, host: config.TELEGRAM_WEBHOOK_HOST, secretToken: config.TELEGRAM_WEBHOOK_SECRET }
        : undefined,
    });
    ops?.watchTelegram(telegram);
    stoppers.push(() => telegram.stop());
    await telegram.start();
    logger.info({ mode: config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'long polling' }, 'telegram adapter running');
  }

  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
    const discord = createDiscordBot({
      token: config.DISCORD_TOKEN,
      applicationId: config.DISCORD_APPLICATION_ID,
      ...(config.DISCORD_API_BASE ? { apiBase: config.DISCORD_API_BASE } : {}),
      app: core,
      logger,
      adminCacheMs: config.ADMIN_CACHE_SECONDS * 1000,
      adminRoleIds: config.DISCORD_ADMIN_ROLE_IDS,
      moderatorRoleIds: config.DISCORD_MODERATOR_ROLE_IDS,
    });
    ops?.watchDiscord(discord);
    stoppers.push(() => discord.stop());
    await discord.start();
    logger.info({}, 'discord adapter running');
  }

  // Buys whose deadline passed while no process ran, and jobs lost between a commit and its scheduling.
  await core.reconcileSchedules();
  await core.sweepDue();

  if (playground) {
    await runPlayground({
      core,
      input: process.stdin,
      output: { write: (text) => void process.stdout.write(text) },
      clock: clock as OffsetClock,
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

main().catch((error) => {
  process.stderr.write(`tuanbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
