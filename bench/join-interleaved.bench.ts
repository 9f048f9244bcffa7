/**
 * Joins on an empty buy, tuanbot's and the hot-paths bench's minimal SQL reference (the same statements, copied),
 * interleaved one by one in one process, with each side's CPU time and wall time summed: on a machine shared with
 * other work, load changes touch both sides alike, which separate measurement windows do not guarantee.
 *
 *   npx tsx bench/join-interleaved.bench.ts pglite|postgres [N]
 *   ROOT=/path/to/other/checkout npx tsx bench/join-interleaved.bench.ts pglite   (another tree's code, e.g. main's)
 *   PROF=/tmp/x.cpuprofile ...                                                     (a CPU profile of the measured loop)
 *
 * PostgreSQL: BENCH_DATABASE_URL (default the dev server, postgres://postgres@127.0.0.1:54329/postgres), database
 * `join_interleaved` there (dropped first).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Actor, ChatRef, CoreEvent } from '../core/events.js';
const ROOT = process.env.ROOT ?? '..';
const { systemClock } = await import(`${ROOT}/core/clock.js`);
const { createCore } = await import(`${ROOT}/core/features.js`);
const { openDatabase } = await import(`${ROOT}/prisma/database.js`);
const { PrismaStore } = await import(`${ROOT}/prisma/store.js`);

const kind = process.argv[2] ?? 'pglite';
const N = Number(process.argv[3] ?? 100);
const path = process.argv[4] ?? 'join';
let db: import('../prisma/database.js').Database;
let q: (fn: (q: (t: string, p?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<void>) => Promise<void>;
if (kind === 'postgres') {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS join_interleaved WITH (FORCE)');
  await admin.query('CREATE DATABASE join_interleaved');
  await admin.end();
  const url = Object.assign(new URL(adminUrl), { pathname: '/join_interleaved' }).toString();
  db = await openDatabase({ url, poolSize: 10 });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  q = async (fn) => {
    const c = await pool.connect();
    try { await c.query('BEGIN'); await fn(async (t, p) => (await c.query(t, p)).rows); await c.query('COMMIT'); } finally { c.release(); }
  };
} else {
  db = await openDatabase({ memory: true });
  const pglite = db.pglite!;
  q = (fn) => pglite.transaction((t) => fn(async (x, p) => (await t.query<Record<string, unknown>>(x, p)).rows));
}
const store = new PrismaStore(db.prisma);
const port = { n: 0, async deliver(r: any) { return r.kind === 'toast' ? undefined : { chatId: 'x', messageId: String(++this.n) }; }, async isChatAdmin() { return true; }, async listChatAdmins() { return ['tg:1']; } };
const core = createCore({ store, clock: systemClock, scheduler: { schedule: async () => {} }, logger: { debug() {}, info() {}, warn() {}, error(f: any, m: string) { console.log(m, f.err?.message); } } as any, cardCoalesceMs: 1e9, cardMinIntervalMs: 1e9 });
core.registerPlatform('tg', port as any);
let u = 0;
const ADMIN: Actor = { id: 'tg:1', displayName: 'Anna', username: 'anna', languageCode: 'en' };
const ev = (actor: Actor, chat: ChatRef, name: string, args = ''): CoreEvent => ({ key: `tg:${++u}`, platform: 'tg', actor, chat, at: new Date(), kind: 'command', name, args } as CoreEvent);
const chats = Array.from({ length: 2 * N }, (_, i) => ({ id: `tg:-${5000 + i}`, kind: 'group', title: `G${i}` }) as ChatRef);
for (const c of chats) await core.handle(ev(ADMIN, c, 'newbuy', 'Tea | 10 | min 1 | max 100000 | ends 3d'));
const refJoin = (e: CoreEvent) => q(async (x) => {
  const [claimed] = await x(`INSERT INTO "ProcessedUpdate" ("key", "processedAt") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS ok`, [e.key, e.at]);
  if (!claimed) return;
  await x(`INSERT INTO "Member" ("id", "platform", "displayName", "updatedAt") VALUES ($1, 'tg', $2, $3) ON CONFLICT ("id") DO UPDATE SET "displayName" = EXCLUDED."displayName", "updatedAt" = EXCLUDED."updatedAt" WHERE "Member"."displayName" IS DISTINCT FROM EXCLUDED."displayName"`, [e.actor.id, e.actor.displayName, e.at]);
  await x(`INSERT INTO "GroupMember" ("groupId", "memberId", "firstSeenAt", "lastSeenAt") VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING`, [e.chat.id, e.actor.id, e.at]);
  const [buy] = await x(`SELECT "id", "maxUnits" FROM "GroupBuy" WHERE "chatId" = $1 AND "status" = 'open' ORDER BY "id" DESC LIMIT 1 FOR UPDATE`, [e.chat.id]);
  const [state] = await x(`SELECT COALESCE(SUM("quantity") FILTER (WHERE "status" = 'active'), 0)::int AS taken, COUNT(*) FILTER (WHERE "memberId" = $2)::int AS mine FROM "SignUp" WHERE "buyId" = $1`, [buy!.id, e.actor.id]);
  if (Number(state!.mine) > 0) return;
  const active = Number(state!.taken) + 1 <= Number(buy!.maxUnits);
  await x(`INSERT INTO "SignUp" ("buyId", "memberId", "quantity", "status", "joinedAt", "waitlistedAt", "updatedAt") VALUES ($1, $2, 1, $3::"SignUpStatus", $4, $5, $4)`, [buy!.id, e.actor.id, active ? 'active' : 'waitlisted', e.at, active ? null : e.at]);
});
const member = (n: number): Actor => ({ id: `tg:${n}`, displayName: `Member ${n}`, languageCode: n % 2 ? 'en' : 'zh-CN' });
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const session = process.env.PROF ? new Session() : undefined;
if (session) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 }); await session.post('Profiler.start'); }
let cpuOurs = 0, cpuRef = 0, wOurs = 0, wRef = 0;
for (let i = 0; i < N; i++) {
  for (const side of i % 2 ? ['ref', 'ours'] : ['ours', 'ref']) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    if (side === 'ours') await core.handle(ev(member(10000 + i), chats[i]!, 'join'));
    else await refJoin(ev(member(20000 + i), chats[N + i]!, 'join'));
    const c = process.cpuUsage(c0); const ms = (c.user + c.system) / 1000; const w = performance.now() - t0;
    if (side === 'ours') { cpuOurs += ms; wOurs += w; } else { cpuRef += ms; wRef += w; }
  }
}
console.log(`${kind} ${path} n=${N}: cpu ours ${(cpuOurs / N).toFixed(2)} ref ${(cpuRef / N).toFixed(2)} ratio ${(cpuOurs / cpuRef).toFixed(2)}; wall ours ${(wOurs / N).toFixed(2)} ref ${(wRef / N).toFixed(2)} ratio ${(wOurs / wRef).toFixed(2)}`);
if (session) { const { profile } = await session.post('Profiler.stop'); writeFileSync(process.env.PROF!, JSON.stringify(profile)); }
core.stop();
await db.close();
process.exit(0);
