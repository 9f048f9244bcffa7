/**
 * Telegram's flood limits kept across processes (ADR 022): two budgets on two database connections, as two bot
 * processes have, then two real grammY bots sending through them to one fake Bot API server. PostgreSQL only: with
 * PGlite there is one process and the in-process throttler.
 */
import type { Transformer } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import { TELEGRAM_LIMITS, telegramBuckets } from '../../bots/telegram/shared-throttler.js';
import { BotMetrics, METRIC_NAMES } from '../../bots/ops/metrics.js';
import type { CoreApp } from '../../core/app.js';
import { openDatabase, type Database } from '../../prisma/database.js';
import { PrismaSendBudget } from '../../prisma/send-budget.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

let db: TestDatabase;
let second: Database;
beforeAll(async () => {
  if (!hasPostgres) return;
  db = await createTestDatabase();
  second = await openDatabase({ url: db.url!, migrate: false });
});
afterAll(async () => {
  await second?.close();
  await db?.close();
});

/** For every pair of slots k apart, the GCRA bound: at most `burst` inside any `everyMs` window, one per `everyMs` after. */
function respectsBucket(slots: number[], everyMs: number, burst: number): string[] {
  const sorted = [...slots].sort((a, b) => a - b);
  const broken: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + burst; j < sorted.length; j++) {
      const need = (j - i - (burst - 1)) * everyMs;
      if (sorted[j]! - sorted[i]! < need - 0.01) broken.push(`slots ${i} and ${j}: ${(sorted[j]! - sorted[i]!).toFixed(2)} ms apart, need ${need}`);
    }
  }
  return broken;
}

describe('the buckets of a Telegram call', () => {
  it('are the bot overall, the chat, and the group for groups', () => {
    expect(telegramBuckets('42', -100).map((b) => b.key)).toEqual(['tg:bot42:all', 'tg:bot42:chat:-100', 'tg:bot42:group:-100']);
    expect(telegramBuckets('42', '@channel').map((b) => b.key)).toEqual(['tg:bot42:all', 'tg:bot42:chat:@channel', 'tg:bot42:group:@channel']);
    expect(telegramBuckets('42', 7).map((b) => b.key)).toEqual(['tg:bot42:all', 'tg:bot42:chat:7']);
    expect(telegramBuckets('42', undefined).map((b) => b.key)).toEqual(['tg:bot42:all']);
  });
});

describe.runIf(hasPostgres)('the shared send budget', () => {
  beforeEach(async () => {
    await db.reset();
  });

  it('never lets two clients together through faster than each bucket allows', async () => {
    const a = new PrismaSendBudget(db);
    const b = new PrismaSendBudget(second);
    const overall = { key: 'tg:bot1:all', everyMs: 20, burst: 1 };
    const chat = { key: 'tg:bot1:chat:-100', everyMs: 100, burst: 5 };
    // 60 sends at once, half from each process, each into the overall bucket and the chat's.
    const slots = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).reserveSlot([overall, chat])));
    const times = slots.map((s) => s.atMs);
    expect(respectsBucket(times, overall.everyMs, overall.burst)).toEqual([]);
    expect(respectsBucket(times, chat.everyMs, chat.burst)).toEqual([]);
    // Not slower than needed either: the first five go at once (the chat's burst), then one every 100 ms.
    const sorted = [...times].sort((x, y) => x - y);
    expect(sorted.at(-1)! - sorted[0]!).toBeLessThan(56 * 100 + 500);
    // Waits are relative to the database's clock when each slot was reserved: none negative, the last about 5.5 s.
    expect(Math.min(...slots.map((s) => s.waitMs))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...slots.map((s) => s.waitMs))).toBeGreaterThan(5000);
  });

  it('a bucket held after a 429 makes every process wait until the time Telegram named', async () => {
    const a = new PrismaSendBudget(db);
    const b = new PrismaSendBudget(second);
    const chat = { key: 'tg:bot1:chat:-100', everyMs: 1000, burst: 1 };
    expect(await a.reserve([chat])).toBe(0);
    await a.hold(chat, 3000);
    const wait = await b.reserve([chat]);
    expect(wait).toBeGreaterThan(2900);
    expect(wait).toBeLessThanOrEqual(3000);
  });
});

describe.runIf(hasPostgres)('two Telegram bots with one token', () => {
  let server: FakeTelegramServer;
  const bots: TelegramBotHandle[] = [];
  /** Every attempt reaching the server, with when it left the process (inner transformers see each). */
  const sent: { at: number; by: string; method: string; chatId: number }[] = [];
  const app: CoreApp = { registerPlatform: () => {}, handle: async () => ({ replies: [], duplicate: false }), commandList: () => [], flushCards: async () => {} };

  const recorder = (by: string): Transformer => async (prev, method, payload, signal) => {
    sent.push({ at: performance.timeOrigin + performance.now(), by, method, chatId: Number((payload as { chat_id?: number }).chat_id) });
    return prev(method, payload, signal);
  };

  beforeAll(async () => {
    if (!hasPostgres) return;
    server = await FakeTelegramServer.start({ requireStartForDm: false });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await db.reset();
    sent.length = 0;
    bots.length = 0;
  });

  function bot(database: Database, by: string, metrics?: BotMetrics): TelegramBotHandle {
    const handle = createTelegramBot({
      token: server.token,
      apiRoot: server.apiRoot,
      app,
      botInfo: server.botInfo,
      sendBudget: new PrismaSendBudget(database),
      retry: { maxDelaySeconds: 5 },
      innerTransformers: [recorder(by), ...(metrics ? [metrics.telegramTransformer()] : [])],
    });
    bots.push(handle);
    return handle;
  }

  it('keep about 30 messages a second between them', { timeout: 30_000 }, async () => {
    const a = bot(db, 'a');
    const b = bot(second, 'b');
    // 45 members told something privately at once, by both processes.
    await Promise.all(Array.from({ length: 45 }, (_, i) => (i % 2 ? a : b).bot.api.sendMessage(1000 + i, `hello ${i}`)));
    const times = sent.filter((s) => s.method === 'sendMessage').map((s) => s.at).sort((x, y) => x - y);
    expect(times).toHaveLength(45);
    expect(new Set(sent.map((s) => s.by)).size).toBe(2);
    // The slots are exact (above); a send leaves when its process wakes up, and a loaded machine wakes timers late,
    // so a few late sends can fall into the next second. Allowed: 35 in any second. Two processes each throttling
    // on their own would send all 45 within about 0.75 s.
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(35);
    // 45 sends at 30 a second take about 1.5 s (20% slack for late timers; on their own budgets, about 0.75 s).
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(44 * TELEGRAM_LIMITS.overall.everyMs * 0.8);
  });

  it('a 429 seen by one process holds the chat for the other, and is counted', { timeout: 30_000 }, async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    const a = bot(db, 'a', metrics);
    const b = bot(second, 'b');
    server.floodNext('sendMessage', 2);
    const first = a.bot.api.sendMessage(7, 'one');
    // Process b sends into the same chat once a's 429 came back.
    await server.waitFor(() => sent.length >= 1, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await b.bot.api.sendMessage(7, 'two');
    await first;
    const [flooded, ...rest] = sent;
    const fromB = rest.find((s) => s.by === 'b')!;
    expect(fromB.at - flooded!.at).toBeGreaterThanOrEqual(1900);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(new RegExp(`${METRIC_NAMES.rateLimited}\\{platform="telegram"\\} 1`));
  });
});
