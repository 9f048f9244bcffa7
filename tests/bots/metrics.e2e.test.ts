/**
 * Health and metrics end to end: a real Core on a real test database, the real grammY adapter against the fake Bot
 * API server, the real job queue, and the metrics server (bots/ops/metrics-server.ts) on a free port, wired as
 * bots/main.ts wires them. Members' commands go through Telegram; `/metrics` is scraped over HTTP and its counters
 * are compared with what the fake server saw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, User } from 'grammy/types';
import { loadConfig, ConfigError } from '../../bots/config.js';
import { METRIC_NAMES, discordAction, telegramAction } from '../../bots/ops/metrics.js';
import { Ops, type MetricsServer } from '../../bots/ops/metrics-server.js';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import type { Core } from '../../core/app.js';
import { ManualClock } from '../../core/clock.js';
import { CardRefresher } from '../../core/card-refresher.js';
import { createJobQueue, type JobQueue } from '../../prisma/job-queue.js';
import { PrismaStore } from '../../prisma/store.js';
import { PROJECT_ROOT } from '../../prisma/engine.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { RecordingLogger, RecordingScheduler } from '../support/recorders.js';
import { createTestCore } from '../support/test-core.js';

/** One sample of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of a sample whose labels include `labels` (0 when there is none, as Prometheus reads an absent series). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('health and metrics with the Telegram adapter', () => {
  let db: TestDatabase;
  let server: FakeTelegramServer;
  let core: Core;
  let telegram: TelegramBotHandle;
  let queue: JobQueue;
  let ops: Ops;
  let metricsServer: MetricsServer;
  let base: string;
  let group: Chat.SupergroupChat;
  let admin: User, bob: User, carol: User, dave: User;
  const logger = new RecordingLogger();
  /** Successful calls by method, as the bot saw them after retries (an outer transformer, as the test driver has). */
  const succeeded = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await FakeTelegramServer.start();
    group = server.group('Strawberry friends');
    [admin, bob, carol, dave] = ['Admin', 'Bob', 'Carol', 'Dave'].map((first_name) => server.user({ first_name, language_code: 'en' })) as [User, User, User, User];
    server.setAdmins(group.id, [], admin.id);
    ops = new Ops();
    core = createTestCore({
      store: new PrismaStore(db.prisma),
      clock: new ManualClock(new Date()),
      scheduler: new RecordingScheduler(),
      logger,
      defaultLanguage: 'en',
      // Every change of a card during the test waits for the one edit flushCards sends: all but the first coalesce.
      cardCoalesceMs: 60_000,
      observer: ops.metrics.observer,
    });
    queue = createJobQueue(db);
    metricsServer = await ops.listen({ port: 0, database: db, queue, logger });
    base = `http://127.0.0.1:${metricsServer.port}`;
    telegram = createTelegramBot({
      token: server.token,
      apiRoot: server.apiRoot,
      app: core,
      logger,
      botInfo: server.botInfo,
      throttle: false,
      retry: { maxDelaySeconds: 2 },
      innerTransformers: ops.telegramTransformers(),
    });
    telegram.bot.api.config.use(async (prev, method, payload, signal) => {
      const result = await prev(method, payload, signal);
      if (result.ok) succeeded.set(method, (succeeded.get(method) ?? 0) + 1);
      return result;
    });
    ops.watchTelegram(telegram);
    await telegram.start();
  }, 60_000);

  afterAll(async () => {
    await telegram?.stop().catch(() => {});
    core?.stop();
    await queue?.stop().catch(() => {});
    await metricsServer?.close();
    await server?.close();
    await db?.close().catch(() => {});
  });

  async function scrape(): Promise<{ text: string; samples: Sample[] }> {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    return { text, samples: parseMetrics(text) };
  }

  /** Waits until the core has finished `count` events in all (the counter moves after the replies went out). */
  async function eventsHandled(count: number): Promise<Sample[]> {
    const until = Date.now() + 20_000;
    for (;;) {
      const { samples } = await scrape();
      const seen = valueOf(samples, METRIC_NAMES.events);
      if (seen >= count || Date.now() > until) return samples;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('counts events by kind and outcome, times them, and counts messages, 429s and coalesced card edits', async () => {
    const before = (await scrape()).samples;
    expect(valueOf(before, METRIC_NAMES.events)).toBe(0);

    // No buy is open yet: the member is told so (a UserError), which is a rejected command.
    server.command(bob, group, '/join');
    let samples = await eventsHandled(1);
    expect(valueOf(samples, METRIC_NAMES.events, { kind: 'command', outcome: 'rejected' })).toBe(1);

    // The announcement of the new buy meets a flood limit once: auto-retry waits 1 s and sends it again.
    server.floodNext('sendMessage', 1, 1);
    server.command(admin, group, '/newbuy Organic strawberries 1.5kg | 39.9 | min 10 | max 50 | ends 2h');
    server.command(bob, group, '/join');
    server.command(carol, group, '/join 2');
    server.command(dave, group, '/join');
    samples = await eventsHandled(5);
    await core.flushCards();
    samples = (await scrape()).samples;

    expect(valueOf(samples, METRIC_NAMES.events, { kind: 'command', outcome: 'ok' })).toBe(4);
    expect(valueOf(samples, METRIC_NAMES.events, { kind: 'command', outcome: 'rejected' })).toBe(1);
    expect(valueOf(samples, METRIC_NAMES.events)).toBe(5);
    // Every event was timed.
    expect(valueOf(samples, `${METRIC_NAMES.eventSeconds}_count`, { kind: 'command' })).toBe(5);
    expect(valueOf(samples, `${METRIC_NAMES.eventSeconds}_sum`, { kind: 'command' })).toBeGreaterThan(0);
    expect(valueOf(samples, `${METRIC_NAMES.eventSeconds}_bucket`, { kind: 'command', le: '+Inf' })).toBe(5);

    // The 429 was counted once, as a call and as a flood limit, and the retried message once as sent.
    expect(valueOf(samples, METRIC_NAMES.rateLimited, { platform: 'telegram' })).toBe(1);
    expect(valueOf(samples, METRIC_NAMES.requests, { platform: 'telegram', result: 'rate_limited' })).toBe(1);
    const sent = (succeeded.get('sendMessage') ?? 0) + (succeeded.get('sendPhoto') ?? 0) + (succeeded.get('sendDocument') ?? 0);
    const edited = [...succeeded].filter(([method]) => method.startsWith('edit')).reduce((sum, [, n]) => sum + n, 0);
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(valueOf(samples, METRIC_NAMES.messages, { platform: 'telegram', action: 'send' })).toBe(sent);
    expect(valueOf(samples, METRIC_NAMES.messages, { platform: 'telegram', action: 'edit' })).toBe(edited);
    const calls = [...succeeded.values()].reduce((sum, n) => sum + n, 0);
    expect(valueOf(samples, METRIC_NAMES.requests, { platform: 'telegram', result: 'ok' })).toBe(calls);

    // Three joins changed the card; the first scheduled its edit and the other two were merged into it.
    expect(valueOf(samples, METRIC_NAMES.cardsCoalesced)).toBe(2);
    expect(server.calls('editMessageText').length).toBe(1);
  }, 60_000);

  it('reports the job queue depth, due and deferred, by queue', async () => {
    await queue.schedule({ name: 'metrics.test', key: 'due', runAt: new Date(Date.now() - 1000), data: {} });
    await queue.schedule({ name: 'metrics.test', key: 'later-1', runAt: new Date(Date.now() + 3600_000), data: {} });
    await queue.schedule({ name: 'metrics.test', key: 'later-2', runAt: new Date(Date.now() + 7200_000), data: {} });
    const { samples } = await scrape();
    expect(valueOf(samples, METRIC_NAMES.queueDepth, { queue: 'metrics.test', state: 'ready' })).toBe(1);
    expect(valueOf(samples, METRIC_NAMES.queueDepth, { queue: 'metrics.test', state: 'deferred' })).toBe(2);
  }, 30_000);

  it('answers /healthz, /readyz while ready, and never shows the bot token', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${base}/readyz`);
    const body = await ready.text();
    expect(ready.status, body).toBe(200);
    expect(JSON.parse(body)).toEqual({ status: 'ready', failed: [], checks: { telegram: 'ok', database: 'ok' } });

    const { text } = await scrape();
    const secret = server.token.split(':')[1]!;
    expect(text).not.toContain(secret);
    expect(body).not.toContain(secret);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('answers /readyz with 503 naming the database once the database is closed', async () => {
    await telegram.stop();
    await queue.stop();
    await db.close();
    const res = await fetch(`${base}/readyz`);
    const body = (await res.json()) as { status: string; failed: string[]; checks: Record<string, string> };
    expect(res.status).toBe(503);
    expect(body.status).toBe('not ready');
    expect(body.failed).toEqual(['database']);
    expect(body.checks.database).not.toBe('ok');
    expect(body.checks.telegram).toBe('ok');
    // Liveness does not depend on the database, and the metrics are still served (without the queue's depth).
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const { samples } = await scrape();
    expect(valueOf(samples, METRIC_NAMES.events)).toBe(5);
    expect(samples.some((s) => s.name === METRIC_NAMES.queueDepth)).toBe(false);
  }, 30_000);

  it('answers /readyz with 503 naming Telegram when it does not answer', async () => {
    const down = new Ops();
    const fake = await FakeTelegramServer.start();
    const bot = createTelegramBot({ token: fake.token, apiRoot: fake.apiRoot, app: core, botInfo: fake.botInfo, throttle: false, retry: { maxRetryAttempts: 0 } });
    down.watchTelegram(bot);
    await fake.close();
    const other = await createTestDatabase();
    const started = await down.listen({ port: 0, database: other });
    try {
      const res = await fetch(`http://127.0.0.1:${started.port}/readyz`);
      const body = (await res.json()) as { failed: string[]; checks: Record<string, string> };
      expect(res.status).toBe(503);
      expect(body.failed).toEqual(['telegram']);
      expect(JSON.stringify(body)).not.toContain(fake.token.split(':')[1]!);
    } finally {
      await started.close();
      await other.close();
    }
  }, 30_000);
});

describe('metrics pieces', () => {
  it('counts a card change merged into a pending edit, and not the first one', async () => {
    let coalesced = 0;
    const edits: string[] = [];
    const refresher = new CardRefresher(async (key) => void edits.push(key), { coalesceMs: 60_000, minIntervalMs: 0, onError: () => {}, onCoalesced: () => (coalesced += 1) });
    refresher.markDirty('a');
    refresher.markDirty('a');
    refresher.markDirty('b');
    refresher.markDirty('a');
    expect(coalesced).toBe(2);
    await refresher.flush();
    expect(edits.sort()).toEqual(['a', 'b']);
    refresher.markDirty('a');
    expect(coalesced).toBe(2);
    refresher.stop();
  });

  it('knows which platform calls post, edit or pin a message', () => {
    expect(['sendMessage', 'sendPhoto', 'editMessageText', 'pinChatMessage', 'sendChatAction', 'getMe', 'answerCallbackQuery'].map(telegramAction)).toEqual([
      'send', 'send', 'edit', 'pin', undefined, undefined, undefined,
    ]);
    expect(discordAction('POST', '/channels/1/messages')).toBe('send');
    expect(discordAction('PATCH', '/channels/1/messages/2')).toBe('edit');
    expect(discordAction('POST', '/interactions/1/tok/callback')).toBe('send');
    expect(discordAction('PATCH', '/webhooks/1/tok/messages/@original')).toBe('edit');
    expect(discordAction('PUT', '/channels/1/pins/2')).toBe('pin');
    expect(discordAction('PUT', '/channels/1/messages/2/reactions/x/@me')).toBeUndefined();
    expect(discordAction('GET', '/channels/1/messages/2')).toBeUndefined();
  });

  it('reads METRICS_PORT as a port number or unset, and METRICS_HOST defaulting to loopback', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({}).METRICS_HOST).toBe('127.0.0.1');
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toMatchObject({ METRICS_PORT: 9464, METRICS_HOST: '0.0.0.0' });
    expect(loadConfig({ METRICS_PORT: '0' }).METRICS_PORT).toBe(0);
    for (const bad of ['70000', 'abc', '-1', '80.5']) {
      expect(() => loadConfig({ METRICS_PORT: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ METRICS_PORT: bad })).toThrow(/METRICS_PORT must be a port number from 0 to 65535/);
    }
  });

  it('has a Grafana dashboard that parses and queries only exported metrics, all of them', async () => {
    const dashboard = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs/grafana-dashboard.json'), 'utf8')) as {
      title: string;
      panels: { title: string; type: string; targets?: { expr: string }[] }[];
    };
    expect(dashboard.title).toBeTruthy();
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThanOrEqual(6);
    const ops = new Ops();
    const exported = new Set((await ops.metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const queried = new Set(exprs.flatMap((expr) => [...expr.matchAll(/\btuanbot_\w+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, ''))));
    for (const name of queried) expect(exported, `dashboard queries ${name}`).toContain(name);
    for (const name of Object.values(METRIC_NAMES)) expect(queried, `dashboard shows ${name}`).toContain(name);
    expect(exprs.some((e) => /histogram_quantile\(0\.5,/.test(e) && e.includes(`${METRIC_NAMES.eventSeconds}_bucket`))).toBe(true);
    expect(exprs.some((e) => /histogram_quantile\(0\.99,/.test(e) && e.includes(`${METRIC_NAMES.eventSeconds}_bucket`))).toBe(true);
  });
});
