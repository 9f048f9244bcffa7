/**
 * The world end-to-end tests run in: a real test database, a manual clock, a scheduler that records the jobs the
 * core asks for, a logger that keeps warnings and errors, and a real Core built on them (createTestCore). A chat
 * platform is added by a driver (tests/support/telegram-driver.ts, discord-driver.ts): the real adapter against its
 * fake server, wired to this core. The scenario runner plays scenarios in it; platform-specific tests use it with
 * one driver (usePlatformWorld in tests/support/platform-world.ts).
 *
 * @example
 * const world = useTestWorld();
 * beforeEach(() => world.reset());
 * it('closes at the deadline', async () => { ...; await world.advance('2h', { runDueJobs: true }); });
 */
import { afterAll, beforeAll } from 'vitest';
import type { Core, Language } from '../../core/app.js';
import { ManualClock } from '../../core/clock.js';
import type { ReviewTagger } from '../../core/llm/review-tags.js';
import type { TextSimilarity } from '../../core/moderation/text-signals.js';
import type { PictureRenderer } from '../../core/ports.js';
import type { DashboardAccess } from '../../core/dashboard/dashboard-access.js';
import { ResvgRenderer } from '../../bots/pictures/resvg-renderer.js';
import { OfflineTextSimilarity } from '../../llm/offline/text-similarity.js';
import { parseDurationMs } from '../../core/time/parse-when.js';
import { PrismaStore } from '../../prisma/store.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { RecordingLogger, RecordingScheduler } from './recorders.js';
import { ScriptedTagger } from './scripted-tagger.js';
import { createTestCore } from './test-core.js';

/** 2026-03-10 10:00 in Shanghai: worlds start here unless told. */
export const WORLD_START = new Date('2026-03-10T02:00:00Z');

export interface TestWorldOptions {
  /** Where the clock stands after each reset. */
  start?: Date;
  defaultLanguage?: Language;
  /**
   * The review tagger of each new core (none: reviews stay untagged); by default a ScriptedTagger (negative for
   * "bad", "broken", "差", "烂"), so alerts are decided offline.
   */
  reviewTagger?: () => ReviewTagger | undefined;
  /** PostgreSQL pool size (ignored on PGlite). */
  poolSize?: number;
  /** The text finder of fake-engagement cases for each new core; by default the offline one, as with no LLM configured. */
  textSimilarity?: () => TextSimilarity | undefined;
  /** Draws case pictures for each new core; by default resvg, as the bot runs. */
  pictureRenderer?: () => PictureRenderer | undefined;
  /** The web dashboard's address and tokens (tests/support/dashboard.ts); none: `/dashboard` says it is off. */
  dashboard?: () => DashboardAccess | undefined;
}

/**
 * See the module comment. The database is opened once (per test file) and emptied by each reset; the core, clock,
 * scheduler and logger are new after each reset, so every test starts at `start` with buy, share and review ids at 1.
 */
export class TestWorld {
  db!: TestDatabase;
  store!: PrismaStore;
  core!: Core;
  clock: ManualClock;
  scheduler = new RecordingScheduler();
  logger = new RecordingLogger();

  constructor(private readonly options: TestWorldOptions = {}) {
    this.clock = new ManualClock(this.start);
  }

  private get start(): Date {
    return this.options.start ?? WORLD_START;
  }

  async open(): Promise<void> {
    this.db = await createTestDatabase({ poolSize: this.options.poolSize });
    this.store = new PrismaStore(this.db.prisma);
  }

  /** Empties the database and builds a fresh core on a fresh clock (at `start`, or the world's), scheduler and logger. */
  async reset(start: Date = this.start): Promise<void> {
    await this.stopCore();
    await this.db.reset();
    this.clock = new ManualClock(start);
    this.scheduler = new RecordingScheduler();
    this.logger = new RecordingLogger();
    this.core = createTestCore({
      store: this.store,
      clock: this.clock,
      scheduler: this.scheduler,
      logger: this.logger,
      defaultLanguage: this.options.defaultLanguage,
      reviewTagger: (this.options.reviewTagger ?? (() => new ScriptedTagger()))(),
      textSimilarity: (this.options.textSimilarity ?? (() => new OfflineTextSimilarity()))(),
      pictureRenderer: (this.options.pictureRenderer ?? (() => new ResvgRenderer()))(),
      dashboard: this.options.dashboard?.(),
    });
  }

  /** Sends pending card edits and stops the core's timers. */
  async stopCore(): Promise<void> {
    if (!this.core) return;
    await this.core.flushCards();
    this.core.stop();
  }

  async close(): Promise<void> {
    await this.stopCore();
    await this.db?.close();
  }

  /**
   * Time passes (`3h`, `90m`, `3d`, or milliseconds); then, if asked, the recorded jobs now due run once each, as the
   * job queue would run them, and/or the deadline sweep runs.
   */
  async advance(duration: string | number, then: { runDueJobs?: boolean; sweep?: boolean } = {}): Promise<void> {
    const ms = typeof duration === 'number' ? duration : parseDurationMs(duration);
    if (ms === undefined) throw new Error(`not a duration: ${duration}`);
    this.clock.advance(ms);
    if (then.runDueJobs) await this.runDueJobs();
    if (then.sweep) await this.core.sweepDue();
  }

  /** Runs every recorded job whose time has come and that has not run yet. */
  async runDueJobs(): Promise<void> {
    for (const job of this.scheduler.takeDue(this.clock.now())) await this.core.runJob(job.name, job.data);
  }

  /** Errors the core or an adapter logged since the last reset (a test fails on any). */
  errors(): RecordingLogger['entries'] {
    return this.logger.entries.filter((entry) => entry.level === 'error');
  }
}

/** A world whose database is opened before the file's tests and closed after them; reset it before each test. */
export function useTestWorld(options: TestWorldOptions = {}): TestWorld {
  const world = new TestWorld(options);
  beforeAll(() => world.open());
  afterAll(() => world.close());
  return world;
}
