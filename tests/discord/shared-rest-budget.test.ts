/**
 * Discord's global request budget shared by two processes (ADR 022): discord.js's `makeRequest` wrapped by each, on
 * its own database pool, against one local HTTP server standing for Discord. PostgreSQL only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DISCORD_GLOBAL, discordGlobalBucket, sharedMakeRequest } from '../../bots/discord/shared-rest-budget.js';
import { openDatabase, type Database } from '../../prisma/database.js';
import { PrismaSendBudget } from '../../prisma/send-budget.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let second: Database;
let server: Server;
let base = '';
/** Requests as the server received them. */
const received: { path: string; at: number }[] = [];
/** Paths the server answers with a global 429 (once each), with their retry-after seconds. */
const globalLimit = new Map<string, number>();

beforeAll(async () => {
  if (!hasPostgres) return;
  db = await createTestDatabase();
  second = await openDatabase({ url: db.url!, migrate: false });
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    received.push({ path, at: performance.timeOrigin + performance.now() });
    const retryAfter = globalLimit.get(path);
    if (retryAfter !== undefined) {
      globalLimit.delete(path);
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true' });
      res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: retryAfter, global: true }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await second?.close();
  await db?.close();
});

describe.runIf(hasPostgres)("Discord's global budget across two processes", () => {
  beforeEach(async () => {
    await db.reset();
    received.length = 0;
  });

  it('spaces the requests of both at 50 a second, and lets interaction answers through without asking', async () => {
    const a = sharedMakeRequest(new PrismaSendBudget(db), 'app1');
    const b = sharedMakeRequest(new PrismaSendBudget(second), 'app1');
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b)(`${base}/api/v10/channels/${i}/messages`, { method: 'POST' })));
    const times = received.map((r) => r.at).sort((x, y) => x - y);
    expect(times).toHaveLength(30);
    // 30 requests at one every 20 ms: 580 ms from the first slot to the last. A request leaves when its process wakes
    // up (late on a loaded machine), so 20% slack; each process on its own budget would take about 290 ms.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(29 * DISCORD_GLOBAL.everyMs * 0.8);
    const [bucket] = (await db.executeSql(`SELECT tat FROM "SendBucket" WHERE key = $1`, [discordGlobalBucket('app1').key])).rows;
    const before = Number(bucket!.tat);
    await a(`${base}/api/v10/interactions/1/token/callback`, { method: 'POST' });
    const [after] = (await db.executeSql(`SELECT tat FROM "SendBucket" WHERE key = $1`, [discordGlobalBucket('app1').key])).rows;
    expect(Number(after!.tat)).toBe(before);
  });

  it('a global 429 one process gets makes the other wait for retry-after', async () => {
    const a = sharedMakeRequest(new PrismaSendBudget(db), 'app1');
    const b = sharedMakeRequest(new PrismaSendBudget(second), 'app1');
    globalLimit.set('/api/v10/channels/1/messages', 1);
    const limited = await a(`${base}/api/v10/channels/1/messages`, { method: 'POST' });
    expect(limited.status).toBe(429);
    await b(`${base}/api/v10/channels/2/messages`, { method: 'POST' });
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(950);
  });
});
