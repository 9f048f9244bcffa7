/**
 * Live cards edited by two app instances on one database (ADR 022): on PostgreSQL each instance has its own database
 * pool, its own core and its own card refresher, as two bot processes would; they share only the database and the
 * platform.
 * The platform is slow and uneven (each edit takes 0-60 ms to land), so without the shared lease an older render
 * overtakes a newer one.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../core/app.js';
import { systemClock } from '../../core/clock.js';
import type { CommandEvent, CoreEvent } from '../../core/events.js';
import type { PlatformPort } from '../../core/ports.js';
import type { DeliveredRef, Reply } from '../../core/replies.js';
import { PrismaCardLeases } from '../../prisma/card-leases.js';
import { openDatabase, type Database } from '../../prisma/database.js';
import { PrismaStore } from '../../prisma/store.js';
import { anna, GROUP } from '../support/core-harness.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../support/database.js';
import { RecordingLogger, RecordingScheduler } from '../support/recorders.js';
import { createTestCore } from '../support/test-core.js';

/** One platform both instances send to: cards land after a random delay, as over a network. */
class SlowPlatform {
  readonly edits: { text: string; landedAt: number; by: string }[] = [];
  private nextId = 1;
  constructor(private readonly maxDelayMs: number) {}

  portFor(instance: string): PlatformPort {
    return {
      deliver: async (reply: Reply): Promise<DeliveredRef | undefined> => {
        if (reply.kind === 'edit') {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * this.maxDelayMs));
          this.edits.push({ text: reply.text, landedAt: Date.now(), by: instance });
          return { chatId: reply.chatId, messageId: reply.messageId };
        }
        if (reply.kind === 'message') return { chatId: 'chatId' in reply.to ? reply.to.chatId : reply.to.memberId, messageId: String(this.nextId++) };
        return undefined;
      },
      isChatAdmin: async (_chat, member) => member === anna.id,
    };
  }
}

const INTERVAL_MS = 250;
let db: TestDatabase;
let second: Database;
const logger = new RecordingLogger();

beforeAll(async () => {
  db = await createTestDatabase();
  // PostgreSQL: a second pool, as a second process has. PGlite runs one process: both instances share its database,
  // which still interleaves their lease calls between awaits.
  second = hasPostgres ? await openDatabase({ url: db.url!, migrate: false }) : db;
});
afterAll(async () => {
  if (second !== db) await second?.close();
  await db?.close();
});

let keys = 0;
function command(actor: { id: string; displayName: string }, text: string): CoreEvent {
  const [name = '', ...rest] = text.slice(1).split(' ');
  const event: CommandEvent = { kind: 'command', key: `tg:shared-cards:${++keys}`, platform: 'tg', at: new Date(), name, args: rest.join(' '), actor, chat: GROUP };
  return event;
}

function instance(database: Database, platform: SlowPlatform, name: string, options: { leases: boolean; leaseMs?: number }): Core {
  const core = createTestCore({
    store: new PrismaStore(database.prisma, { concurrency: 5 }),
    clock: systemClock,
    scheduler: new RecordingScheduler(),
    logger,
    cardCoalesceMs: 20,
    cardMinIntervalMs: INTERVAL_MS,
    ...(options.leases ? { cardLeases: new PrismaCardLeases(database) } : {}),
    ...(options.leaseMs ? { cardLeaseMs: options.leaseMs } : {}),
  });
  core.registerPlatform('tg', platform.portFor(name));
  return core;
}

/** Waits until neither instance has a card edit pending or in flight (retries included). */
async function settled(...cores: Core[]): Promise<void> {
  const until = Date.now() + 30_000;
  let quietSince = Date.now();
  while (Date.now() < until) {
    if (cores.some((c) => c.cardsBusy() > 0)) quietSince = Date.now();
    else if (Date.now() - quietSince > 3 * INTERVAL_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`card edits never settled: ${JSON.stringify(logger.entries.slice(0, 3))}`);
}

/** How many units a buy card shows ("12/60" style counts vary by language: read the total the store has instead). */
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `tg:${5000 + i}`, displayName: `M${String(i).padStart(3, '0')}`, languageCode: 'en' }));

/** Sign-ups a card text lists: the members' names appear once each. */
const shown = (text: string) => (text.match(/M\d{3}/g) ?? []).length;

describe(`live cards across two app instances (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cores: Core[] = [];
  beforeEach(async () => {
    await db.reset();
    logger.entries.length = 0;
  });
  afterEach(() => {
    for (const core of cores) core.stop();
    cores = [];
  });

  it('edits a card at most once per interval across both, in render order, ending on the database state', { timeout: 60_000 }, async () => {
    const platform = new SlowPlatform(60);
    // A short lease: a process that found the card held checks back when the lease ends (its safety net, should the
    // holder die), and the test waits for those checks too.
    const a = instance(db, platform, 'a', { leases: true, leaseMs: 2000 });
    const b = instance(second, platform, 'b', { leases: true, leaseMs: 2000 });
    cores = [a, b];
    await a.handle(command(anna, '/newbuy Tea | 10 | min 1 | max 500 | ends 2h'));
    const crowd = members(40);
    // Joins arrive at both instances over about 2 seconds, interleaved.
    for (const [i, member] of crowd.entries()) {
      void (i % 2 ? a : b).handle(command(member, '/join 1'));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await settled(a, b);

    const edits = platform.edits;
    expect(edits.length).toBeGreaterThan(2);
    // Fewer edits than changes: coalesced across processes.
    expect(edits.length).toBeLessThan(crowd.length);
    // Render order: no edit shows fewer sign-ups than one that landed before it.
    const counts = edits.map((e) => shown(e.text));
    for (let i = 1; i < counts.length; i++) expect(counts[i], `edit ${i} of ${counts.join(',')}`).toBeGreaterThanOrEqual(counts[i - 1]!);
    // At most one edit per interval across both processes (landing times; a little slack for timers).
    for (let i = 1; i < edits.length; i++) expect(edits[i]!.landedAt - edits[i - 1]!.landedAt).toBeGreaterThanOrEqual(INTERVAL_MS - 5);
    // Both processes edited (the card is not owned by one).
    expect(new Set(edits.map((e) => e.by)).size).toBe(2);
    // The last edit shows the database: every member.
    expect(counts.at(-1)).toBe(crowd.length);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('without the shared lease, the same race sends edits out of order or too close (what the lease prevents)', { timeout: 60_000 }, async () => {
    const platform = new SlowPlatform(60);
    const a = instance(db, platform, 'a', { leases: false });
    const b = instance(second, platform, 'b', { leases: false });
    cores = [a, b];
    await a.handle(command(anna, '/newbuy Tea | 10 | min 1 | max 500 | ends 2h'));
    for (const [i, member] of members(40).entries()) {
      void (i % 2 ? a : b).handle(command(member, '/join 1'));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await settled(a, b);
    const edits = platform.edits;
    const tooClose = edits.slice(1).filter((e, i) => e.landedAt - edits[i]!.landedAt < INTERVAL_MS - 5).length;
    // Two in-memory refreshers each keep their own interval: together they edit more often than one interval allows.
    expect(tooClose).toBeGreaterThan(0);
  });

  it('takes over the card of a process that died holding its lease', { timeout: 30_000 }, async () => {
    const platform = new SlowPlatform(0);
    const a = instance(db, platform, 'a', { leases: true, leaseMs: 600 });
    cores = [a];
    await a.handle(command(anna, '/newbuy Tea | 10 | min 1 | max 500 | ends 2h'));
    await settled(a);
    const key = `buy:${(await db.prisma.groupBuy.findFirstOrThrow()).id}`;
    // A process took the lease and was killed: its row says held for another 600 ms, never released.
    await db.executeSql(`INSERT INTO "CardLease" (key, holder, seq, "leaseUntil") VALUES ($1, 'killed', 7, clock_timestamp() + interval '600 milliseconds')`, [key]);
    const before = platform.edits.length;
    const b = instance(second, platform, 'b', { leases: true, leaseMs: 600 });
    cores.push(b);
    await b.handle(command(members(1)[0]!, '/join 2'));
    await settled(a, b);
    const after = platform.edits.slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]!.by).toBe('b');
    expect(shown(after[0]!.text)).toBe(1);
    const row = await db.prisma.cardLease.findFirstOrThrow();
    expect(row).toMatchObject({ holder: null, dirty: false });
  });
});
