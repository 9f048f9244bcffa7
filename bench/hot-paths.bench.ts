/**
 * Hot paths at database speed (issue 11): each path driven through the real Core (`core.handle(event)` on the
 * PrismaStore, as bots/main.ts runs it) next to a minimal hand-written SQL implementation of the same work (one
 * transaction straight through pg or PGlite), in the same process and the same run, on PGlite and on PostgreSQL.
 *
 * Reports per path: p50/p99 latency of one event, the ratio (tuanbot's time over the reference's: mean latency for
 * the one-at-a-time paths, wall time for the bursts), SQL statements per event (BEGIN and COMMIT included) and, for
 * bursts, events per second and failures; and this process's CPU time per event on each side with its ratio (all the
 * work on PGlite, which runs in the process; Node's share on PostgreSQL), steadier than latency on a loaded machine.
 *
 *   npx tsx bench/hot-paths.bench.ts                      every path on both databases
 *   npx tsx bench/hot-paths.bench.ts --path join --db pglite
 *   npx tsx bench/hot-paths.bench.ts --path rush          5,000 simultaneous joins on one buy
 *   npx tsx bench/hot-paths.bench.ts --path me --trace    the statements of the last events, with their times
 *   npx tsx bench/hot-paths.bench.ts --path like --cpu-prof /tmp/prof   a CPU profile of each side's measured events
 *
 * `--path` takes a comma-separated list of path names or prefixes (join, join-empty, join-1000, burst-one,
 * burst-spread, leave, like, checkin, me, top, export, rush); `--n` the events per one-at-a-time path (default 100);
 * `--burst` the burst size (default 1000); `--rush` the rush size (default 5000). PostgreSQL is
 * BENCH_DATABASE_URL (default the dev server, postgres://postgres@127.0.0.1:54329/postgres); the bench creates
 * and drops its own database there, `bench_hot` or BENCH_DB_NAME. CPU is shared on the machines this runs on: compare ratios of one
 * run, and note the load average printed at the top.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import type { Core } from '../core/app.js';
import { systemClock } from '../core/clock.js';
import type { Actor, ChatRef, CoreEvent } from '../core/events.js';
import { createCore } from '../core/features.js';
import type { Logger, PlatformPort } from '../core/ports.js';
import type { Reply } from '../core/replies.js';
import { openDatabase, type Database } from '../prisma/database.js';
import { PrismaStore } from '../prisma/store.js';

// ---------------------------------------------------------------- options

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const PATHS = ['join-empty', 'join-1000', 'burst-one', 'burst-spread', 'leave', 'like', 'checkin', 'me', 'top', 'export', 'rush'] as const;
type PathName = (typeof PATHS)[number];
const wanted = option('path', 'all').split(',').map((s) => s.trim());
const chosen = PATHS.filter((p) => wanted.includes('all') || wanted.some((w) => p === w || p.startsWith(`${w}-`) || (w === 'join' && p.startsWith('join'))));
const dbKinds = option('db', 'both') === 'both' ? (['pglite', 'postgres'] as const) : ([option('db', 'both')] as ('pglite' | 'postgres')[]);
const N = Number(option('n', '100'));
const BURST = Number(option('burst', '1000'));
const RUSH = Number(option('rush', '5000'));
/** Prints the statements of tuanbot's first event of each path. */
const TRACE = process.argv.includes('--trace');
/** Writes a CPU profile of each side's measured events (not the seeding) into this folder: `<db>-<path>-<side>.cpuprofile`. */
const CPU_PROF = option('cpu-prof', '');
const traced: string[] = [];
let tracing = false;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
/** The bench's own database on that server (BENCH_DB_NAME: several benches on one server at once need their own). */
const BENCH_DB = process.env.BENCH_DB_NAME?.replace(/[^a-z0-9_]/gi, '') || 'bench_hot';

// ---------------------------------------------------------------- the reference's SQL access, counted

interface Sql {
  /** One transaction; `q` runs one statement and counts it. */
  tx<T>(fn: (q: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T>;
  statements: number;
}

function pgSql(pool: pg.Pool): Sql {
  const sql: Sql = {
    statements: 0,
    async tx(fn) {
      const client = await pool.connect();
      try {
        sql.statements += 2;
        await client.query('BEGIN');
        const result = await fn(async (text, params) => {
          sql.statements++;
          return (await client.query(text, params)).rows;
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
  return sql;
}

function pgliteSql(pglite: PGlite): Sql {
  const sql: Sql = {
    statements: 0,
    tx(fn) {
      sql.statements += 2;
      return pglite.transaction((t) =>
        fn(async (text, params) => {
          sql.statements++;
          return (await t.query<Record<string, unknown>>(text, params)).rows;
        }),
      );
    },
  };
  return sql;
}

// ---------------------------------------------------------------- the bot's side

/** A platform that takes every reply at once (numbering messages), and knows who the admins are. */
class QuietPort implements PlatformPort {
  private next = 0;
  delivered = 0;
  last = '';
  readonly admins = new Set<string>();
  async deliver(reply: Reply) {
    this.delivered++;
    if ('text' in reply) this.last = String(reply.text);
    if (reply.kind === 'toast') return undefined;
    const to = 'to' in reply ? reply.to : undefined;
    const chatId = to ? ('memberId' in to ? to.memberId : to.chatId) : 'chatId' in reply ? reply.chatId : '';
    return { chatId, messageId: String(++this.next) };
  }
  async isChatAdmin(_chatId: string, memberId: string) {
    return this.admins.has(memberId);
  }
  async listChatAdmins() {
    return [...this.admins];
  }
}

class CountingLogger implements Logger {
  errors: string[] = [];
  debug() {}
  info() {}
  warn() {}
  error(fields: Record<string, unknown>, message: string) {
    const err = fields.err as { message?: string } | undefined;
    this.errors.push(`${message}: ${err?.message ?? ''}`.slice(0, 200));
  }
}

interface World {
  kind: 'pglite' | 'postgres';
  db: Database;
  core: Core;
  port: QuietPort;
  logger: CountingLogger;
  ours: { statements: number };
  ref: Sql;
  close(): Promise<void>;
}

const ADMIN: Actor = { id: 'tg:1', displayName: 'Anna', username: 'anna', languageCode: 'en' };

async function openWorld(kind: 'pglite' | 'postgres'): Promise<World> {
  const ours = { statements: 0 };
  const onQuery = (query: string, ms: number) => {
    ours.statements++;
    if (tracing) traced.push(`${ms.toFixed(1).padStart(6)} ms  ${query.replace(/\s+/g, ' ').slice(0, 200)}`);
  };
  let db: Database;
  let ref: Sql;
  let pool: pg.Pool | undefined;
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${BENCH_DB}`;
    db = await openDatabase({ url: url.toString(), poolSize: 10, onQuery });
    pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
    ref = pgSql(pool);
  } else {
    db = await openDatabase({ memory: true, onQuery });
    ref = pgliteSql(db.pglite!);
  }
  const store = new PrismaStore(db.prisma);
  // BEGIN is not among Prisma's query events (its COMMIT is): one per transaction.
  const transaction = store.transaction.bind(store);
  store.transaction = (fn) => {
    ours.statements++;
    return transaction(fn);
  };
  const logger = new CountingLogger();
  const port = new QuietPort();
  port.admins.add(ADMIN.id);
  // As bots/main.ts builds it (no review tagger, text finder or pictures: none of these paths uses them).
  const core = createCore({ store, clock: systemClock, scheduler: { schedule: async () => {} }, logger, ...(process.env.BENCH_NO_CARDS ? { cardCoalesceMs: 1e9, cardMinIntervalMs: 1e9 } : {}) });
  core.registerPlatform('tg', port);
  return {
    kind, db, core, port, logger, ours, ref,
    async close() {
      await core.flushCards();
      core.stop();
      await pool?.end();
      await db.close();
    },
  };
}

// ---------------------------------------------------------------- events and seeding

let updates = 0;
const group = (n: number | string): ChatRef => ({ id: `tg:-${n}`, kind: 'group', title: `Group ${n}` });
const member = (n: number): Actor => ({ id: `tg:${n}`, displayName: `Member ${n}`, languageCode: n % 2 ? 'en' : 'zh-CN' });
const base = (actor: Actor, chat: ChatRef) => ({ key: `tg:${++updates}`, platform: 'tg' as const, actor, chat, at: new Date() });
const command = (actor: Actor, chat: ChatRef, name: string, args = ''): CoreEvent => ({ ...base(actor, chat), kind: 'command', name, args });
const press = (actor: Actor, chat: ChatRef, action: string): CoreEvent => ({ ...base(actor, chat), kind: 'button', action, messageId: '1' }) as CoreEvent;

async function send(w: World, event: CoreEvent): Promise<void> {
  const result = await w.core.handle(event);
  if (result.duplicate) throw new Error('unexpected duplicate');
}

async function openBuy(w: World, chat: ChatRef, spec = 'Tea | 10 | min 1 | max 100000 | ends 3d'): Promise<number> {
  await send(w, command(ADMIN, chat, 'newbuy', spec));
  const [row] = (await w.db.executeSql(`SELECT max("id") AS id FROM "GroupBuy" WHERE "chatId" = $1`, [chat.id])).rows;
  if (!row?.id) throw new Error(`no buy opened in ${chat.id}: ${w.port.last} ${w.logger.errors.join('; ')}`);
  return Number(row.id);
}

/** Members first..first+count-1 known in the group (as earlier messages would have made them). */
async function seedMembers(w: World, chat: ChatRef, first: number, count: number): Promise<void> {
  await w.db.executeSql(
    `INSERT INTO "Member" ("id", "platform", "displayName", "updatedAt")
     SELECT 'tg:' || n, 'tg', 'Member ' || n, now() FROM generate_series($1::int, $2::int) n ON CONFLICT DO NOTHING`,
    [first, first + count - 1],
  );
  await w.db.executeSql(
    `INSERT INTO "GroupMember" ("groupId", "memberId") SELECT $3, 'tg:' || n FROM generate_series($1::int, $2::int) n ON CONFLICT DO NOTHING`,
    [first, first + count - 1, chat.id],
  );
}

/** `count` active sign-ups of one unit on a buy, by members first..first+count-1. */
async function seedSignUps(w: World, buyId: number, first: number, count: number): Promise<void> {
  await w.db.executeSql(
    `INSERT INTO "SignUp" ("buyId", "memberId", "quantity", "status", "joinedAt", "updatedAt")
     SELECT $3, 'tg:' || n, 1, 'active', now(), now() FROM generate_series($1::int, $2::int) n`,
    [first, first + count - 1, buyId],
  );
}

// ---------------------------------------------------------------- the reference: the same work in minimal SQL

type Q = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** What every event does first: its update key, the member, their membership of the group (only when new). */
async function refEnter(q: Q, event: CoreEvent): Promise<boolean> {
  const [claimed] = await q(`INSERT INTO "ProcessedUpdate" ("key", "processedAt") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS ok`, [event.key, event.at]);
  if (!claimed) return false;
  await q(
    `INSERT INTO "Member" ("id", "platform", "displayName", "updatedAt") VALUES ($1, 'tg', $2, $3)
     ON CONFLICT ("id") DO UPDATE SET "displayName" = EXCLUDED."displayName", "updatedAt" = EXCLUDED."updatedAt"
     WHERE "Member"."displayName" IS DISTINCT FROM EXCLUDED."displayName"`,
    [event.actor.id, event.actor.displayName, event.at],
  );
  await q(
    `INSERT INTO "GroupMember" ("groupId", "memberId", "firstSeenAt", "lastSeenAt") VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING`,
    [event.chat.id, event.actor.id, event.at],
  );
  return true;
}

const ref = {
  /** `/join`: the newest open buy locked, room counted, the sign-up written. */
  join: (sql: Sql, event: CoreEvent) =>
    sql.tx(async (q) => {
      if (!(await refEnter(q, event))) return;
      const [buy] = await q(`SELECT "id", "maxUnits" FROM "GroupBuy" WHERE "chatId" = $1 AND "status" = 'open' ORDER BY "id" DESC LIMIT 1 FOR UPDATE`, [event.chat.id]);
      if (!buy) throw new Error('no buy');
      const [state] = await q(
        `SELECT COALESCE(SUM("quantity") FILTER (WHERE "status" = 'active'), 0)::int AS taken, COUNT(*) FILTER (WHERE "memberId" = $2)::int AS mine
         FROM "SignUp" WHERE "buyId" = $1`,
        [buy.id, event.actor.id],
      );
      if (Number(state!.mine) > 0) return;
      const active = Number(state!.taken) + 1 <= Number(buy.maxUnits);
      await q(
        `INSERT INTO "SignUp" ("buyId", "memberId", "quantity", "status", "joinedAt", "waitlistedAt", "updatedAt") VALUES ($1, $2, 1, $3::"SignUpStatus", $4, $5, $4)`,
        [buy.id, event.actor.id, active ? 'active' : 'waitlisted', event.at, active ? null : event.at],
      );
    }),
  /** `/leave`: the newest open buy locked, the sign-up marked left. */
  leave: (sql: Sql, event: CoreEvent) =>
    sql.tx(async (q) => {
      if (!(await refEnter(q, event))) return;
      const [buy] = await q(`SELECT "id" FROM "GroupBuy" WHERE "chatId" = $1 AND "status" = 'open' ORDER BY "id" DESC LIMIT 1 FOR UPDATE`, [event.chat.id]);
      await q(`UPDATE "SignUp" SET "status" = 'left', "leftAt" = $3, "updatedAt" = $3 WHERE "buyId" = $1 AND "memberId" = $2 AND "status" <> 'left'`, [buy!.id, event.actor.id, event.at]);
    }),
  /** A like press: the share locked, the like and its event written, the count kept, both points paid within their daily caps. */
  like: (sql: Sql, event: CoreEvent, shareId: number) =>
    sql.tx(async (q) => {
      if (!(await refEnter(q, event))) return;
      const [share] = await q(`SELECT "id", "groupId", "memberId" FROM "Share" WHERE "id" = $1 FOR UPDATE`, [shareId]);
      const [added] = await q(`INSERT INTO "ShareLike" ("shareId", "likerId", "createdAt") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1 AS ok`, [shareId, event.actor.id, event.at]);
      if (!added) return;
      await q(`UPDATE "Share" SET "likeCount" = "likeCount" + 1 WHERE "id" = $1`, [shareId]);
      await q(
        `INSERT INTO "LikeEvent" ("shareId", "groupId", "likerId", "authorId", "action", "source", "platform", "createdAt") VALUES ($1, $2, $3, $4, 'like', 'button', 'tg', $5)`,
        [shareId, share!.groupId, event.actor.id, share!.memberId, event.at],
      );
      for (const [who, reason, cap] of [[event.actor.id, 'like_given', 10], [share!.memberId, 'like_received', 20]] as const) {
        await q(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`points:${share!.groupId}:${who}:${reason}`]);
        await q(
          `INSERT INTO "PointEntry" ("groupId", "memberId", "amount", "reason", "reference", "key", "createdAt")
           SELECT $1, $2, 1, $3, $4, $5, $6
           WHERE (SELECT COALESCE(SUM("amount"), 0) FROM "PointEntry" WHERE "groupId" = $1 AND "memberId" = $2 AND "reason" = $3 AND "createdAt" >= $7) < $8
           ON CONFLICT DO NOTHING`,
          [share!.groupId, who, reason, `share:${shareId}`, `${reason}:${shareId}:${event.actor.id}`, event.at, new Date(event.at.getTime() - 86_400_000), cap],
        );
      }
    }),
  /** `/checkin`: the member's row locked, yesterday's streak read, the check-in and its points written, the balance read. */
  checkin: (sql: Sql, event: CoreEvent) =>
    sql.tx(async (q) => {
      if (!(await refEnter(q, event))) return;
      const day = event.at.toISOString().slice(0, 10);
      await q(`SELECT 1 FROM "GroupMember" WHERE "groupId" = $1 AND "memberId" = $2 FOR UPDATE`, [event.chat.id, event.actor.id]);
      const [last] = await q(`SELECT "day", "streak" FROM "CheckIn" WHERE "groupId" = $1 AND "memberId" = $2 ORDER BY "day" DESC LIMIT 1`, [event.chat.id, event.actor.id]);
      if (last && String(last.day) >= day) return;
      await q(`INSERT INTO "CheckIn" ("groupId", "memberId", "day", "streak", "createdAt") VALUES ($1, $2, $3, 1, $4)`, [event.chat.id, event.actor.id, day, event.at]);
      await q(
        `INSERT INTO "PointEntry" ("groupId", "memberId", "amount", "reason", "reference", "key", "createdAt") VALUES ($1, $2, 5, 'checkin', $3, $4, $5) ON CONFLICT DO NOTHING`,
        [event.chat.id, event.actor.id, `checkin:${day}`, `checkin:${event.chat.id}:${event.actor.id}:${day}`, event.at],
      );
      await q(`SELECT COALESCE(SUM("amount"), 0) AS balance FROM "PointEntry" WHERE "groupId" = $1 AND "memberId" = $2`, [event.chat.id, event.actor.id]);
    }),
  /** `/me`: everything the card shows, in one read. */
  me: (sql: Sql, event: CoreEvent) =>
    sql.tx(async (q) => {
      if (!(await refEnter(q, event))) return;
      await q(
        `SELECT
           (SELECT COALESCE(SUM("amount"), 0) FROM "PointEntry" WHERE "groupId" = $1 AND "memberId" = $2) AS balance,
           (SELECT COALESCE(SUM("amount"), 0) FROM "PointEntry" WHERE "groupId" = $1 AND "memberId" = $2 AND "createdAt" >= $3) AS week,
           (SELECT "level" FROM "GroupMember" WHERE "groupId" = $1 AND "memberId" = $2) AS level,
           (SELECT COALESCE(SUM("quantity" * "unitPriceCents"), 0) FROM "Purchase" WHERE "groupId" = $1 AND "memberId" = $2) AS spend,
           (SELECT "streak" FROM "CheckIn" WHERE "groupId" = $1 AND "memberId" = $2 ORDER BY "day" DESC LIMIT 1) AS streak,
           (SELECT string_agg("badge", ',') FROM "BadgeAward" WHERE "groupId" = $1 AND "memberId" = $2) AS badges`,
        [event.chat.id, event.actor.id, new Date(event.at.getTime() - 7 * 86_400_000)],
      );
    }),
  /** `/top`: the ten first of the week with their names, and the asker's own rank. */
  top: (sql: Sql, event: CoreEvent) =>
    sql.tx(async (q) => {
      if (!(await refEnter(q, event))) return;
      const since = new Date(event.at.getTime() - 7 * 86_400_000);
      await q(
        `SELECT p."memberId", m."displayName", p.points FROM (
           SELECT "memberId", SUM("amount")::int AS points FROM "PointEntry" WHERE "groupId" = $1 AND "createdAt" >= $2 GROUP BY "memberId"
         ) p JOIN "Member" m ON m."id" = p."memberId" WHERE p.points >= 0 ORDER BY p.points DESC, p."memberId" LIMIT 10`,
        [event.chat.id, since],
      );
      await q(
        `WITH sums AS (SELECT "memberId", SUM("amount") AS points FROM "PointEntry" WHERE "groupId" = $1 AND "createdAt" >= $2 GROUP BY "memberId")
         SELECT (SELECT COUNT(*) FROM sums s WHERE s.points > me.points OR (s.points = me.points AND s."memberId" < me."memberId")) + 1 AS rank, me.points
         FROM sums me WHERE me."memberId" = $3`,
        [event.chat.id, since, event.actor.id],
      );
    }),
  /** `/export`: the buy and its sign-ups with names in one read; the same three files written after the commit. */
  export: async (sql: Sql, event: CoreEvent, buyId: number) => {
    const rows = await sql.tx(async (q) => {
      if (!(await refEnter(q, event))) return [];
      return q(
        `SELECT m."displayName", s."memberId", s."quantity", s."status", s."joinedAt", s."paidAt", s."deliveredAt", s."variant", s."note", b."unitPriceCents", b."pickup"
         FROM "SignUp" s JOIN "Member" m ON m."id" = s."memberId" JOIN "GroupBuy" b ON b."id" = s."buyId"
         WHERE s."buyId" = $1 AND s."status" <> 'left' ORDER BY s."status", s."joinedAt"`,
        [buyId],
      );
    });
    const lines = rows.map((r) => [r.displayName, r.memberId, r.quantity, Number(r.unitPriceCents) / 100, r.paidAt ? 'yes' : 'no', r.deliveredAt ? 'yes' : 'no', r.pickup ?? '', String(r.joinedAt), r.status, r.variant ?? '', r.note ?? '', (Number(r.unitPriceCents) * Number(r.quantity)) / 100]);
    stringify(lines);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const orders = book.addWorksheet('Orders');
    orders.columns = Array.from({ length: 12 }, (_, i) => ({ header: `c${i}`, width: 12 }));
    for (const l of lines) orders.addRow(l);
    const pickup = book.addWorksheet('Pickup');
    pickup.addRow(['', '', rows.length, rows.length, 0]);
    await book.xlsx.writeBuffer();
    stringify([['pickup', 'variant', 'members', 'quantity', 'amount'], ['', '', rows.length, rows.length, 0]]);
  },
};

// ---------------------------------------------------------------- measuring

interface Measure {
  latencies: number[];
  wallMs: number;
  statements: number;
  events: number;
  failures: number;
  /** This process's CPU time (user + system) over the events, ms: all of it on PGlite, Node's share on PostgreSQL. */
  cpuMs: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Runs `events` one after another (or all at once when `burst`), timing each. */
async function measure(count: () => number, run: (i: number) => Promise<void>, events: number, burst: boolean, failures: () => number): Promise<Measure> {
  const before = count();
  const failedBefore = failures();
  const latencies: number[] = [];
  let failed = 0;
  const one = async (i: number) => {
    const started = performance.now();
    try {
      if (TRACE && i >= events - 4 && !burst) {
        tracing = true;
        traced.length = 0;
        await run(i);
        tracing = false;
        console.log(`${traced.map((q) => `    ${q}`).join('\n')}\n    event: ${(performance.now() - started).toFixed(1)} ms`);
      } else await run(i);
    } catch {
      failed++;
    }
    latencies.push(performance.now() - started);
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  if (burst) await Promise.all(Array.from({ length: events }, (_, i) => one(i)));
  else for (let i = 0; i < events; i++) await one(i);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return { latencies: latencies.sort((a, b) => a - b), wallMs, statements: count() - before, events, failures: failed + failures() - failedBefore, cpuMs };
}

interface Row {
  path: PathName;
  db: string;
  ours: Measure;
  ref: Measure;
  burst: boolean;
}
const rows: Row[] = [];

function report(row: Row): void {
  const { ours, ref } = row;
  const mean = (m: Measure) => m.latencies.reduce((a, b) => a + b, 0) / m.latencies.length;
  const ratio = row.burst ? ours.wallMs / ref.wallMs : mean(ours) / mean(ref);
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const perSecond = (m: Measure) => ((m.events / m.wallMs) * 1000).toFixed(0);
  console.log(
    [
      row.path.padEnd(13), row.db.padEnd(8), String(ours.events).padStart(5),
      `${f(pct(ours.latencies, 50))}/${f(pct(ours.latencies, 99))}`.padStart(13),
      `${f(pct(ref.latencies, 50))}/${f(pct(ref.latencies, 99))}`.padStart(13),
      `${ratio.toFixed(2)}×`.padStart(7),
      `${(ours.statements / ours.events).toFixed(1)}/${(ref.statements / ref.events).toFixed(1)}`.padStart(11),
      `${perSecond(ours)}/${perSecond(ref)}`.padStart(11),
      `${ours.failures}/${ref.failures}`.padStart(7),
      `${f(ours.cpuMs / ours.events)}/${f(ref.cpuMs / ref.events)}`.padStart(11),
      `${(ours.cpuMs / ref.cpuMs).toFixed(2)}×`.padStart(7),
    ].join(' '),
  );
}

function header(): void {
  console.log(['path'.padEnd(13), 'db'.padEnd(8), 'evts'.padStart(5), 'ours p50/p99'.padStart(13), 'ref p50/p99'.padStart(13), 'ratio'.padStart(7), 'stmts/evt'.padStart(11), 'events/s'.padStart(11), 'failed'.padStart(7), 'cpu ms/evt'.padStart(11), 'cpu'.padStart(7)].join(' '));
}

/** Runs `fn` under the CPU profiler when `--cpu-prof` names a folder. */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!CPU_PROF) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(CPU_PROF, { recursive: true });
    writeFileSync(join(CPU_PROF, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

// ---------------------------------------------------------------- the paths

/** Member numbers: each path and side takes its own block, so nothing one does is seen by the other. */
let nextBlock = 100_000;
const block = (size: number) => {
  const first = nextBlock;
  nextBlock += Math.ceil((size + 1) / 100_000) * 100_000;
  return first;
};
let nextGroup = 1000;
const newGroup = () => group(++nextGroup);

async function runPath(w: World, path: PathName): Promise<void> {
  const oursCount = () => w.ours.statements;
  const refCount = () => w.ref.statements;
  const oursFailed = () => w.logger.errors.length;
  const noFailures = () => 0;
  const seq = async (
    events: number,
    setup: (side: 'ours' | 'ref') => Promise<{ ours?: (i: number) => Promise<void>; ref?: (i: number) => Promise<void> }>,
    burst = false,
  ) => {
    const a = await setup('ours');
    const oursM = await profiled(`${w.kind}-${path}-ours`, () => measure(oursCount, a.ours!, events, burst, oursFailed));
    await w.core.flushCards();
    const b = await setup('ref');
    const refM = await profiled(`${w.kind}-${path}-ref`, () => measure(refCount, b.ref!, events, burst, noFailures));
    const row = { path, db: w.kind, ours: oursM, ref: refM, burst };
    rows.push(row);
    report(row);
  };

  switch (path) {
    case 'join-empty': {
      // Each join on a buy of its own that no one joined yet.
      await seq(N, async (side) => {
        const chats = Array.from({ length: N }, newGroup);
        for (const chat of chats) await openBuy(w, chat);
        const first = block(N);
        return side === 'ours'
          ? { ours: (i) => send(w, command(member(first + i), chats[i]!, 'join')) }
          : { ref: (i) => ref.join(w.ref, command(member(first + i), chats[i]!, 'join')) };
      });
      return;
    }
    case 'join-1000': {
      // New members joining a buy that already has 1,000 sign-ups.
      await seq(N, async (side) => {
        const chat = newGroup();
        await openBuy(w, chat);
        const buyId = await openBuy(w, chat);
        const first = block(1000 + N);
        await seedMembers(w, chat, first, 1000);
        await seedSignUps(w, buyId, first, 1000);
        const join = (i: number) => command(member(first + 1000 + i), chat, 'join');
        return side === 'ours' ? { ours: (i) => send(w, join(i)) } : { ref: (i) => ref.join(w.ref, join(i)) };
      });
      return;
    }
    case 'burst-one':
    case 'rush': {
      const size = path === 'rush' ? RUSH : BURST;
      await seq(size, async (side) => {
        const chat = newGroup();
        const buyId = await openBuy(w, chat);
        const first = block(size);
        const join = (i: number) => command(member(first + i), chat, 'join');
        if (side === 'ref') return { ref: (i) => ref.join(w.ref, join(i)) };
        return {
          ours: async (i) => {
            await send(w, join(i));
            if (i === 0) void buyId;
          },
        };
      }, true);
      return;
    }
    case 'burst-spread': {
      await seq(BURST, async (side) => {
        const chats = Array.from({ length: 50 }, newGroup);
        for (const chat of chats) await openBuy(w, chat);
        const first = block(BURST);
        const join = (i: number) => command(member(first + i), chats[i % 50]!, 'join');
        return side === 'ours' ? { ours: (i) => send(w, join(i)) } : { ref: (i) => ref.join(w.ref, join(i)) };
      }, true);
      return;
    }
    case 'leave': {
      // Members of a buy with 1,000 sign-ups leave it.
      await seq(N, async (side) => {
        const chat = newGroup();
        const buyId = await openBuy(w, chat);
        const first = block(1000);
        await seedMembers(w, chat, first, 1000);
        await seedSignUps(w, buyId, first, 1000);
        const leave = (i: number) => command(member(first + i), chat, 'leave');
        return side === 'ours' ? { ours: (i) => send(w, leave(i)) } : { ref: (i) => ref.leave(w.ref, leave(i)) };
      });
      return;
    }
    case 'like': {
      // Members press Like on one member's share.
      await seq(N, async (side) => {
        const chat = newGroup();
        const first = block(N + 1);
        await send(w, command(member(first + N), chat, 'share', 'Lovely strawberries'));
        const [row] = (await w.db.executeSql(`SELECT max("id") AS id FROM "Share" WHERE "chatId" = $1`, [chat.id])).rows;
        const shareId = Number(row!.id);
        const like = (i: number) => press(member(first + i), chat, `lk:${shareId}`);
        return side === 'ours' ? { ours: (i) => send(w, like(i)) } : { ref: (i) => ref.like(w.ref, like(i), shareId) };
      });
      return;
    }
    case 'checkin':
    case 'me':
    case 'top': {
      // A group of 1,000 members who each earned some points this week; N of them ask.
      await seq(N, async (side) => {
        const chat = newGroup();
        await send(w, command(ADMIN, chat, 'help'));
        // Once per process, not per event: the first zone formatter loads ICU's time zone data (0.1-0.2 s here).
        if (side === 'ours') await send(w, command(ADMIN, chat, path));
        const first = block(1000);
        await seedMembers(w, chat, first, 1000);
        await w.db.executeSql(
          `INSERT INTO "PointEntry" ("groupId", "memberId", "amount", "reason", "reference", "key", "createdAt")
           SELECT $3, 'tg:' || n, 1 + n % 37, 'checkin', 'seed', $3 || ':seed:' || n, now() - interval '1 hour' FROM generate_series($1::int, $2::int) n`,
          [first, first + 999, chat.id],
        );
        const event = (i: number) => command(member(first + i), chat, path);
        const refRun = ref[path];
        return side === 'ours' ? { ours: (i) => send(w, event(i)) } : { ref: (i) => refRun(w.ref, event(i)) };
      });
      return;
    }
    case 'export': {
      // The admin exports a buy of 1,000 sign-ups (three files).
      const events = Math.max(5, Math.round(N / 10));
      // Both sides write with exceljs: loaded here, not in the first measured export of whichever side runs first.
      await import('exceljs');
      await seq(events, async (side) => {
        const chat = newGroup();
        const buyId = await openBuy(w, chat);
        const first = block(1000);
        await seedMembers(w, chat, first, 1000);
        await seedSignUps(w, buyId, first, 1000);
        const exp = () => command(ADMIN, chat, 'export');
        return side === 'ours' ? { ours: () => send(w, exp()) } : { ref: () => ref.export(w.ref, exp(), buyId) };
      });
      return;
    }
  }
}

// ---------------------------------------------------------------- main

console.log(`hot paths: ${chosen.join(', ')} on ${dbKinds.join(', ')}; n=${N}, burst=${BURST}${chosen.includes('rush') ? `, rush=${RUSH}` : ''}`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('ours = tuanbot through Core.handle; ref = minimal SQL; ratio = ours/ref (mean latency, or wall time for bursts); latencies in ms\n');
let failed = false;
for (const kind of dbKinds) {
  let w: World;
  try {
    w = await openWorld(kind);
  } catch (error) {
    console.log(`${kind}: not available (${(error as Error).message}); skipped`);
    continue;
  }
  header();
  try {
    for (const path of chosen) await runPath(w, path);
  } catch (error) {
    failed = true;
    console.error(`${kind}: ${(error as Error).stack}`);
  } finally {
    const errors = [...new Set(w.logger.errors)].slice(0, 5);
    if (errors.length) console.log(`errors logged by tuanbot (first kinds): ${errors.join(' | ')}`);
    await w.close();
  }
  console.log('');
}
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
process.exit(failed ? 1 : 0);
