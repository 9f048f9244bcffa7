/**
 * Plays platform-neutral scenarios (tests/scenarios/) against a chat platform through a driver: the runner owns
 * the real Core on a real test database, the manual clock and the recorded deadline jobs; the driver owns the
 * platform (a real bot over a fake platform server) and reports what members saw.
 *
 * @example
 * const world = useScenarioWorld();
 * it('opens a buy', () => playScenario(scenario, 'en', new TelegramDriver(), world));
 */
import type { Core } from '../../core/app.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { type CoreApp } from '../../core/app.js';
import { createCore } from '../../core/features.js';
import { ManualClock } from '../../core/clock.js';
import type { Platform } from '../../core/events.js';
import type { Logger, ScheduledJob, Scheduler } from '../../core/ports.js';
import { parseDurationMs } from '../../core/time/parse-when.js';
import { PrismaStore } from '../../prisma/store.js';
import type { ActStep, Expectation, Lang, MemberSpec, PlatformTraits, Said, Scenario, Step, ToMember } from '../scenarios/scenario.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { RecordingLogger, RecordingScheduler } from './core-harness.js';

/** 2026-03-10 10:00 in Shanghai: every scenario starts here. */
export const SCENARIO_START = new Date('2026-03-10T02:00:00Z');

/** Something the bot said that a member could see, in the order the platform received it. */
export type Output =
  | { kind: 'group'; text: string }
  | { kind: 'card'; text: string }
  /** A question to one member that expects their answer (Telegram: force_reply). */
  | { kind: 'question'; to: string; text: string }
  | { kind: 'dm'; to: string; text: string }
  /** Shown in the group to one member only (Discord ephemeral): counts as said in the group and as private to them. */
  | { kind: 'in-place'; to: string; text: string }
  | { kind: 'toast'; to: string; text: string; alert: boolean }
  | { kind: 'document'; to: string; filename: string; content: string; caption?: string };

/** A buy's card as members see it now. */
export interface CardView {
  text: string;
  /** Actions of its buttons, without the buy id (`join`, `leave`), in order. */
  actions: string[];
  /** Labels of its buttons, in the same order. */
  labels: string[];
  /** How often it was edited in place. */
  edits: number;
}

/** A member as the driver should create them. */
export interface DriverMember extends MemberSpec {
  /** The key steps use (`bob`). */
  key: string;
  language: Lang;
}

/** What a driver is given: the core to wire its bot to, and the cast. */
export interface DriverWorld {
  core: CoreApp;
  clock: ManualClock;
  logger: Logger;
  members: DriverMember[];
}

/**
 * One chat platform, as scenarios play it. Each act resolves once the bot has handled it completely (replies
 * sent, card edits flushed). Members are named by their scenario key.
 */
export interface ScenarioDriver {
  readonly platform: Platform;
  /** How this platform differs where scenarios can see it (steps with `only` are played where the traits match). */
  readonly traits: PlatformTraits;
  /** Creates the group and its members, and starts the platform's bot wired to `world.core`. */
  start(world: DriverWorld): Promise<void>;
  /** Stops the bot and the platform server; must leave no open handles. */
  stop(): Promise<void>;
  /** The group's chat id as the core knows it (`tg:-100…`). */
  groupChatId(): string;
  /**
   * A member types a command in the group, or in their private chat with the bot (`inPrivate`; from then on the
   * bot may message them). `deliveredTwice`: the platform hands the bot that update twice.
   */
  command(as: string, text: string, options?: { deliveredTwice?: boolean; inPrivate?: boolean }): Promise<void>;
  /** A member presses the button whose action starts with `action` on a card (1-based; default the newest). */
  press(as: string, action: string, cardNumber?: number): Promise<void>;
  /** A member answers the bot's latest question to them. */
  answer(as: string, text: string): Promise<void>;
  /** Waits until work the core started on its own (a deadline sweep) has reached the platform. */
  settle(): Promise<void>;
  /** Everything the bot said so far, in order. */
  outputs(): readonly Output[];
  /** The cards posted so far, in order, as they look now. */
  cards(): CardView[];
}

/** Deadline jobs the core asked for, kept so scenarios can run them when their time comes. */
export { RecordingScheduler };

/** Keeps errors (a scenario fails on any) and warnings (for the failure message). */
export { RecordingLogger };

/**
 * The database and core scenarios run on. The database is opened once per test file and emptied before each
 * scenario, so buy ids start at #1 every time; the core, clock, scheduler and logger are new for each scenario.
 */
export class ScenarioWorld {
  db!: TestDatabase;
  store!: PrismaStore;
  core!: Core;
  clock = new ManualClock(SCENARIO_START);
  scheduler = new RecordingScheduler();
  logger = new RecordingLogger();

  async open(): Promise<void> {
    this.db = await createTestDatabase();
    this.store = new PrismaStore(this.db.prisma);
  }

  async reset(): Promise<void> {
    await this.db.reset();
    this.clock = new ManualClock(SCENARIO_START);
    this.scheduler = new RecordingScheduler();
    this.logger = new RecordingLogger();
    this.core = createCore({
      store: this.store,
      clock: this.clock,
      scheduler: this.scheduler,
      logger: this.logger,
      cardCoalesceMs: 0,
      cardMinIntervalMs: 0,
    });
  }

  async close(): Promise<void> {
    this.core?.stop();
    await this.db?.close();
  }
}

/** A world opened before the file's tests and closed after them. */
export function useScenarioWorld(): ScenarioWorld {
  const world = new ScenarioWorld();
  beforeAll(() => world.open());
  afterAll(() => world.close());
  return world;
}

/** The cast of a scenario played in one language. */
export function castOf(scenario: Scenario, lang: Lang): DriverMember[] {
  return Object.entries(scenario.members).map(([key, spec]) => ({ ...spec, key, language: spec.language ?? lang }));
}

/**
 * Plays one scenario in one language on a fresh world through `driver`, and stops the driver whatever happens.
 * Fails on the first unmet expectation (saying which step, and what the bot said), and on any error the core
 * or the bot logged.
 */
export async function playScenario(scenario: Scenario, lang: Lang, driver: ScenarioDriver, world: ScenarioWorld): Promise<void> {
  await world.reset();
  const members = castOf(scenario, lang);
  await driver.start({ core: world.core, clock: world.clock, logger: world.logger, members });
  try {
    let since = 0;
    for (const [index, step] of scenario.steps.entries()) {
      if (!appliesTo(step, driver.traits)) continue;
      const where = `${scenario.name} [${lang}], step ${index + 1}: ${JSON.stringify(step, regexAsText)}`;
      if ('expect' in step) {
        await checkExpectation(step.expect, { driver, world, lang, since, where });
        continue;
      }
      since = driver.outputs().length;
      await act(step, driver, world);
    }
    const errors = world.logger.entries.filter((entry) => entry.level === 'error');
    expect(errors, `${scenario.name} [${lang}]: errors were logged`).toEqual([]);
  } finally {
    await driver.stop();
    world.core.stop();
  }
}

function appliesTo(step: Step, traits: PlatformTraits): boolean {
  return Object.entries(step.only ?? {}).every(([trait, value]) => traits[trait as keyof PlatformTraits] === value);
}

async function act(step: Exclude<Step, { expect: Expectation }>, driver: ScenarioDriver, world: ScenarioWorld): Promise<void> {
  if ('advanceClock' in step) {
    const ms = parseDurationMs(step.advanceClock);
    if (ms === undefined) throw new Error(`not a duration: ${step.advanceClock}`);
    world.clock.advance(ms);
    if (step.runDueJobs) {
      for (const job of world.scheduler.takeDue(world.clock.now())) await world.core.runJob(job.name, job.data);
    }
    if (step.sweep) await world.core.sweepDue();
    await driver.settle();
    return;
  }
  const member = (step as ActStep).as;
  if ('command' in step) {
    return driver.command(member, step.command, { deliveredTwice: step.deliveredTwice ?? false, inPrivate: step.in === 'private' });
  }
  if ('press' in step) return driver.press(member, step.press, typeof step.on === 'object' ? step.on.card : undefined);
  return driver.answer(member, step.answer);
}

interface CheckContext {
  driver: ScenarioDriver;
  world: ScenarioWorld;
  lang: Lang;
  /** Outputs before this index came before the last act. */
  since: number;
  where: string;
}

async function checkExpectation(e: Expectation, c: CheckContext): Promise<void> {
  const recent = c.driver.outputs().slice(c.since);
  const heard = `\nthe bot said since the last act:\n${describeOutputs(recent)}`;
  const pattern = (s: Said) => resolve(s, c.lang);
  const groupTexts = recent.flatMap((o) => (o.kind === 'group' || o.kind === 'in-place' ? [o.text] : []));

  for (const s of asList(e.groupMessage)) {
    expect(groupTexts.some((text) => pattern(s).test(text)), `${c.where}\nno group message matches ${pattern(s)}${heard}`).toBe(true);
  }
  if (e.groupMessageTimes) {
    const p = pattern(e.groupMessageTimes.matches);
    expect(groupTexts.filter((text) => p.test(text)).length, `${c.where}\ngroup messages matching ${p}${heard}`).toBe(e.groupMessageTimes.times);
  }
  if (e.noGroupMessage) {
    const p = pattern(e.noGroupMessage);
    expect(groupTexts.filter((text) => p.test(text)), `${c.where}\na group message matches ${p}`).toEqual([]);
  }

  for (const dm of asList(e.dm)) checkToMember(recent, 'dm', dm, c, heard);
  for (const key of asList(e.noDmTo)) {
    expect(recent.filter((o) => o.kind === 'dm' && o.to === key), `${c.where}\n${key} got a private message`).toEqual([]);
  }
  if (e.question) checkToMember(recent, 'question', e.question, c, heard);
  if (e.toast) {
    const toast = checkToMember(recent, 'toast', e.toast, c, heard);
    if (e.toast.alert !== undefined && c.driver.traits.alertToasts) expect(toast.kind === 'toast' && toast.alert, `${c.where}\nalert flag`).toBe(e.toast.alert);
  }

  if (e.document) {
    const want = e.document;
    const doc = recent.find((o): o is Extract<Output, { kind: 'document' }> => o.kind === 'document' && o.to === want.to);
    expect(doc, `${c.where}\nno document reached ${want.to}${heard}`).toBeDefined();
    if (want.filename) expect(doc!.filename).toMatch(want.filename);
    // A byte-order mark is how a platform helps spreadsheets read UTF-8; it is not part of the table.
    const lines = doc!.content.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.length > 0);
    expect(lines[0], `${c.where}\nheader`).toBe(want.header);
    if (want.rows) {
      expect(lines.length - 1, `${c.where}\nrows:\n${lines.join('\n')}`).toBe(want.rows.length);
      want.rows.forEach((row, i) => expect(lines[i + 1], `${c.where}\nrow ${i + 1}`).toMatch(row));
    }
  }
  if (e.noDocument) expect(recent.filter((o) => o.kind === 'document'), `${c.where}\na document was sent`).toEqual([]);

  if (e.card || e.cardNot || e.cardButtons || e.cardButtonLabels || e.cardEdited !== undefined) {
    const cards = c.driver.cards();
    const card = e.cardNumber ? cards[e.cardNumber - 1] : cards.at(-1);
    expect(card, `${c.where}\nno card${e.cardNumber ? ` #${e.cardNumber}` : ''} was posted${heard}`).toBeDefined();
    for (const s of e.card ?? []) expect(card!.text, `${c.where}\ncard`).toMatch(pattern(s));
    for (const s of e.cardNot ?? []) expect(card!.text, `${c.where}\ncard`).not.toMatch(pattern(s));
    if (e.cardButtons) expect(card!.actions, `${c.where}\ncard buttons`).toEqual(e.cardButtons);
    if (e.cardButtonLabels) {
      expect(card!.labels.length, `${c.where}\ncard button labels ${card!.labels.join(', ')}`).toBe(e.cardButtonLabels.length);
      e.cardButtonLabels.forEach((s, i) => expect(card!.labels[i], `${c.where}\ncard button ${i + 1}`).toMatch(pattern(s)));
    }
    if (e.cardEdited !== undefined) expect(card!.edits > 0, `${c.where}\ncard edited in place`).toBe(e.cardEdited);
  }
  if (e.cardsPosted !== undefined) expect(c.driver.cards().length, `${c.where}\ncards posted`).toBe(e.cardsPosted);

  if (e.openBuys !== undefined || e.buysCreated !== undefined) {
    const chatId = c.driver.groupChatId();
    const prisma = c.world.db.prisma;
    if (e.openBuys !== undefined) expect(await prisma.groupBuy.count({ where: { chatId, status: 'open' } }), `${c.where}\nopen buys`).toBe(e.openBuys);
    if (e.buysCreated !== undefined) expect(await prisma.groupBuy.count({ where: { chatId } }), `${c.where}\nbuys created`).toBe(e.buysCreated);
  }
}

function checkToMember(recent: readonly Output[], kind: 'dm' | 'question' | 'toast', want: ToMember, c: CheckContext, heard: string): Output {
  const p = resolve(want.matches, c.lang);
  // A message shown in place to the member only is private to them, as a message in their private chat is.
  const kinds: Output['kind'][] = kind === 'dm' ? ['dm', 'in-place'] : [kind];
  const found = recent.find((o) => kinds.includes(o.kind) && 'to' in o && o.to === want.to && 'text' in o && p.test(o.text));
  expect(found, `${c.where}\nno ${kind} to ${want.to} matches ${p}${heard}`).toBeDefined();
  return found!;
}

function resolve(s: Said, lang: Lang): RegExp {
  return s instanceof RegExp ? s : s[lang];
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function describeOutputs(outputs: readonly Output[]): string {
  if (outputs.length === 0) return '  (nothing)';
  return outputs
    .map((o) => {
      const to = 'to' in o ? ` to ${o.to}` : '';
      const text = o.kind === 'document' ? `${o.filename}: ${o.content.slice(0, 300)}` : o.text;
      return `  [${o.kind}${to}] ${text.replace(/\n/g, '\n    ')}`;
    })
    .join('\n');
}

function regexAsText(_key: string, value: unknown): unknown {
  return value instanceof RegExp ? String(value) : value;
}
