/**
 * Plays platform-neutral scenarios (tests/scenarios/) against a chat platform through a driver: the runner plays
 * them in a TestWorld (the real Core on a real test database, the manual clock and the recorded jobs); the driver
 * owns the platform (a real bot over a fake platform server) and reports what members saw.
 *
 * @example
 * describeScenarios('group buys on Telegram', groupBuyScenarios, () => new TelegramDriver());
 */
import { describe, expect, it } from 'vitest';
import type { CoreApp } from '../../core/app.js';
import type { ManualClock } from '../../core/clock.js';
import type { Platform } from '../../core/events.js';
import type { Logger } from '../../core/ports.js';
import type { ActStep, Expectation, Lang, MemberSpec, PlatformTraits, Said, Scenario, Step, ToMember } from '../scenarios/scenario.js';
import { pngSize } from './png.js';
import { useTestWorld, type TestWorld } from './test-world.js';

/** A button on a message, as a member sees it. */
export interface ButtonView {
  label: string;
  /** The core's action behind it (`join:1`), for buttons that talk to the bot. */
  action?: string;
  /** For link buttons: the scenario member whose profile or private chat it opens (else the raw link). */
  linksTo?: string;
}

/** Something the bot said that a member could see, in the order the platform received it. */
export type Output =
  | { kind: 'group'; text: string }
  | { kind: 'card'; text: string }
  /** A question to one member that expects their answer (Telegram: force_reply). */
  | { kind: 'question'; to: string; text: string }
  /** A message in the member's private chat with the bot, with its buttons, and the picture it carries (PNG bytes). */
  | { kind: 'dm'; to: string; text: string; buttons: ButtonView[]; picture?: Uint8Array }
  /** Shown to one member only, in place (Discord ephemeral): counts as said in the group and as private to them. */
  | { kind: 'in-place'; to: string; text: string; buttons?: ButtonView[]; picture?: Uint8Array }
  | { kind: 'toast'; to: string; text: string; alert: boolean }
  | { kind: 'document'; to: string; filename: string; content: string; caption?: string };

/** A card (a bot message in the group with buttons: a buy, a share, a like round, a review) as members see it now. */
export interface CardView {
  /** The platform's id of its message, as the core stores it. */
  messageId: string;
  text: string;
  /** Actions of its buttons, without their ids (`join`, `leave`, `lk`), in order. */
  actions: string[];
  /** Labels of its buttons, in the same order. */
  labels: string[];
  /** How often it was edited in place. */
  edits: number;
  /** The photo it shows, by the file name a member sent it as. */
  photo?: string;
}

/** A message the bot posted in the group to show a photo (a buy's product photo above its card), as it looks now. */
export interface PhotoPostView {
  text: string;
  /** The photo it shows, by the file name a member sent it as. */
  photo?: string;
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

/** Where a press lands: a card in the group (the newest by default), or a message in the member's private chat. */
export interface PressTarget {
  cardNumber?: number;
  inPrivate?: boolean;
  /** The bot's newest group message with such a button that is not a card (a Confirm/Keep question). */
  inGroup?: boolean;
  /** Of the buttons with the action, the first whose label matches. */
  label?: RegExp;
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
  /** A member's id as the core knows it (`tg:1001`). */
  memberId(key: string): string;
  /** The id the platform gave a photo or video a member sent (by its file name), as the core stores it. */
  fileIdOf(name: string): string;
  /**
   * A member types a command in the group, or in their private chat with the bot (`inPrivate`; from then on the
   * bot may message them). `deliveredTwice`: the platform hands the bot that update twice. `photo`: sent with it.
   * `replyTo`: a message posted earlier with that name, which the command is about (see ActStep).
   */
  command(as: string, text: string, options?: { deliveredTwice?: boolean; inPrivate?: boolean; photo?: string; replyTo?: string }): Promise<void>;
  /** A member presses the button whose action is `action` or starts with `action:`. */
  press(as: string, action: string, target?: PressTarget): Promise<void>;
  /** A member answers the bot's latest question to them. */
  answer(as: string, text: string): Promise<void>;
  /** A member writes a message (not a command), with photos or a video, in the group or to the bot privately. */
  post(as: string, text: string, options?: { photos?: string[]; video?: { name: string; seconds: number }; inPrivate?: boolean; name?: string; replyToCard?: number }): Promise<void>;
  /** A member adds (or takes back) a native reaction on a card (1-based; default the newest). */
  react(as: string, emoji: string, added: boolean, cardNumber?: number): Promise<void>;
  /** Waits until work the core started on its own (a deadline sweep, a job) has reached the platform. */
  settle(): Promise<void>;
  /** Everything the bot said so far, in order. */
  outputs(): readonly Output[];
  /** The cards posted so far, in order, as they look now. */
  cards(): CardView[];
  /** Message ids the bot pinned in the group, in the order it pinned them. */
  pinned(): string[];
  /** The group messages the bot posted to show a photo (not cards), in order, as they look now. */
  photoPosts(): PhotoPostView[];
}

/** The cast of a scenario played in one language. */
export function castOf(scenario: Pick<Scenario, 'members'>, lang: Lang): DriverMember[] {
  return Object.entries(scenario.members).map(([key, spec]) => ({ ...spec, key, language: spec.language ?? lang }));
}

/**
 * The test file of a set of scenarios on one platform: each scenario played in each of its languages, in a fresh
 * group on an emptied database. Scenarios showing a known core bug are expected to fail; SHOW_KNOWN_BUGS=1 plays
 * them as ordinary tests to see the failure itself.
 */
export function describeScenarios(title: string, scenarios: readonly Scenario[], makeDriver: () => ScenarioDriver): void {
  const world = useTestWorld();
  describe(title, () => {
    for (const scenario of scenarios) {
      for (const lang of scenario.languages ?? (['en', 'zh'] as const)) {
        const test = process.env.SHOW_KNOWN_BUGS || !scenario.knownBug ? it : it.fails;
        test(`${scenario.name} [${lang}]`, () => playScenario(scenario, lang, makeDriver(), world), scenario.timeoutMs);
      }
    }
  });
}

/**
 * Plays one scenario in one language on a freshly reset world through `driver`, and stops the driver whatever
 * happens. Fails on the first unmet expectation (saying which step, and what the bot said), and on any error the
 * core or the bot logged.
 */
export async function playScenario(scenario: Scenario, lang: Lang, driver: ScenarioDriver, world: TestWorld): Promise<void> {
  await world.reset(scenario.startsAt);
  await driver.start({ core: world.core, clock: world.clock, logger: world.logger, members: castOf(scenario, lang) });
  try {
    await playSteps(scenario.steps, { driver, world, lang, name: scenario.name });
    expect(world.errors(), `${scenario.name} [${lang}]: errors were logged`).toEqual([]);
  } finally {
    await driver.stop();
    await world.stopCore();
  }
}

/**
 * Plays steps through a driver that is already started in `world` (playScenario does that; a platform-specific
 * test can play shared steps, then look at the platform itself).
 */
export async function playSteps(steps: readonly Step[], c: { driver: ScenarioDriver; world: TestWorld; lang: Lang; name?: string }): Promise<void> {
  let since = 0;
  for (const [index, step] of steps.entries()) {
    if (!appliesTo(step, c.driver.traits)) continue;
    const where = `${c.name ?? 'steps'} [${c.lang}], step ${index + 1}: ${JSON.stringify(step, regexAsText)}`;
    if ('expect' in step) {
      await checkExpectation(step.expect, { ...c, since, where });
      continue;
    }
    since = c.driver.outputs().length;
    await act(step, c.driver, c.world, c.lang);
  }
}

function appliesTo(step: Step, traits: PlatformTraits): boolean {
  return Object.entries(step.only ?? {}).every(([trait, value]) => traits[trait as keyof PlatformTraits] === value);
}

async function act(step: Exclude<Step, { expect: Expectation }>, driver: ScenarioDriver, world: TestWorld, lang: Lang): Promise<void> {
  if ('advanceClock' in step) {
    await world.advance(step.advanceClock, { runDueJobs: step.runDueJobs, sweep: step.sweep });
    await driver.settle();
    return;
  }
  const s = step as ActStep;
  const cardOf = (on: unknown) => (typeof on === 'object' && on !== null && 'card' in on ? (on as { card: number }).card : undefined);
  if ('command' in s) {
    return driver.command(s.as, s.command, { deliveredTwice: s.deliveredTwice ?? false, inPrivate: s.in === 'private', photo: s.photo, replyTo: s.replyTo });
  }
  if ('press' in s) {
    return driver.press(s.as, s.press, { cardNumber: cardOf(s.on), inPrivate: s.on === 'private', inGroup: s.on === 'group', label: s.label ? resolve(s.label, lang) : undefined });
  }
  if ('post' in s) {
    const replyToCard = s.replyToCard === undefined ? undefined : s.replyToCard === 'card' ? 0 : s.replyToCard.card;
    return driver.post(s.as, s.post, { photos: s.photos, video: s.video, inPrivate: s.in === 'private', name: s.name, ...(replyToCard !== undefined ? { replyToCard } : {}) });
  }
  if ('react' in s) return driver.react(s.as, s.react, true, cardOf(s.on));
  if ('unreact' in s) return driver.react(s.as, s.unreact, false, cardOf(s.on));
  return driver.answer(s.as, s.answer);
}

interface CheckContext {
  driver: ScenarioDriver;
  world: TestWorld;
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
  for (const s of asList(e.announcement)) {
    const toAll = recent.filter((o) => o.kind === 'group' && pattern(s).test(o.text));
    expect(toAll.length > 0, `${c.where}\nno message to the whole group matches ${pattern(s)}${heard}`).toBe(true);
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
    for (const part of want.contains ?? []) expect(doc!.content, `${c.where}\ndocument content`).toMatch(pattern(part));
  }
  if (e.noDocument) expect(recent.filter((o) => o.kind === 'document'), `${c.where}\na document was sent`).toEqual([]);

  const cards = c.driver.cards();
  const cardAt = (n: number | undefined) => {
    const card = n ? cards[n - 1] : cards.at(-1);
    expect(card, `${c.where}\nno card${n ? ` #${n}` : ''} was posted${heard}`).toBeDefined();
    return card!;
  };
  if (e.card || e.cardNot || e.cardButtons || e.cardButtonLabels || e.cardEdited !== undefined || e.cardPhoto !== undefined) {
    const card = cardAt(e.cardNumber);
    for (const s of e.card ?? []) expect(card.text, `${c.where}\ncard`).toMatch(pattern(s));
    for (const s of e.cardNot ?? []) expect(card.text, `${c.where}\ncard`).not.toMatch(pattern(s));
    if (e.cardButtons) expect(card.actions, `${c.where}\ncard buttons`).toEqual(e.cardButtons);
    if (e.cardButtonLabels) checkLabels(card.labels, e.cardButtonLabels, c, 'card button');
    if (e.cardEdited !== undefined) expect(card.edits > 0, `${c.where}\ncard edited in place`).toBe(e.cardEdited);
    if (e.cardPhoto !== undefined) expect(card.photo ?? null, `${c.where}\ncard photo`).toBe(e.cardPhoto);
  }
  if (e.cardsPosted !== undefined) expect(cards.length, `${c.where}\ncards posted`).toBe(e.cardsPosted);
  if (e.photoPosts) {
    const posts = c.driver.photoPosts();
    const seen = `\nphoto posts now:\n${posts.map((p) => `  [${p.photo ?? 'no photo'}, ${p.edits} edits] ${p.text}`).join('\n')}`;
    expect(posts.length, `${c.where}\nphoto posts${seen}`).toBe(e.photoPosts.length);
    e.photoPosts.forEach((want, i) => {
      expect(posts[i]!.text, `${c.where}\nphoto post ${i + 1}${seen}`).toMatch(pattern(want.text));
      expect(posts[i]!.photo ?? null, `${c.where}\nphoto post ${i + 1} photo${seen}`).toBe(want.photo);
      if (want.edited !== undefined) expect(posts[i]!.edits > 0, `${c.where}\nphoto post ${i + 1} edited in place${seen}`).toBe(want.edited);
    });
  }
  if (e.pinnedCards) {
    expect(c.driver.pinned(), `${c.where}\npinned cards`).toEqual(e.pinnedCards.map((n) => cardAt(n).messageId));
  }

  await checkStore(e, c, cardAt);
}

/** Expectations about what the core recorded, read from the database. */
async function checkStore(e: Expectation, c: CheckContext, cardAt: (n: number) => CardView): Promise<void> {
  const prisma = c.world.db.prisma;
  const chatId = c.driver.groupChatId();
  const id = (key: string) => c.driver.memberId(key);
  if (e.openBuys !== undefined) expect(await prisma.groupBuy.count({ where: { chatId, status: 'open' } }), `${c.where}\nopen buys`).toBe(e.openBuys);
  if (e.buysCreated !== undefined) expect(await prisma.groupBuy.count({ where: { chatId } }), `${c.where}\nbuys created`).toBe(e.buysCreated);
  if (e.checkIns !== undefined) expect(await prisma.checkIn.count(), `${c.where}\ncheck-ins`).toBe(e.checkIns);
  if (e.shares) {
    const shares = await prisma.share.findMany({ orderBy: { id: 'asc' } });
    expect(
      shares.map((s) => ({ memberId: s.memberId, photoFileId: s.photoFileId, ...(s.postedMessageId ? { posted: [s.postedChatId, s.postedMessageId] } : {}) })),
      `${c.where}\nshares`,
    ).toEqual(
      e.shares.map((s) => ({
        memberId: id(s.by),
        photoFileId: s.photo === null ? null : c.driver.fileIdOf(s.photo),
        ...(s.card ? { posted: [chatId, cardAt(s.card).messageId] } : {}),
      })),
    );
  }
  if (e.likeEvents) {
    const events = await prisma.likeEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.action, event.source]), `${c.where}\nlike events`).toEqual(e.likeEvents);
  }
  if (e.points) {
    const want = e.points;
    const entries = await prisma.pointEntry.findMany({
      where: { ...(want.member ? { memberId: id(want.member) } : {}), ...(want.reason ? { reason: { startsWith: want.reason } } : {}) },
      orderBy: { id: 'asc' },
    });
    expect(
      entries.map((entry, i) => ({
        amount: entry.amount,
        ...(want.entries[i]?.key !== undefined ? { key: entry.key } : {}),
        ...(want.entries[i]?.member !== undefined ? { memberId: entry.memberId } : {}),
        ...(want.entries[i]?.by !== undefined ? { actorId: entry.actorId } : {}),
      })),
      `${c.where}\npoint entries`,
    ).toEqual(
      want.entries.map((entry) => ({
        amount: entry.amount,
        ...(entry.key !== undefined ? { key: entry.key } : {}),
        ...(entry.member !== undefined ? { memberId: id(entry.member) } : {}),
        ...(entry.by !== undefined ? { actorId: id(entry.by) } : {}),
      })),
    );
  }
  if (e.review) {
    const want = e.review;
    const review = await prisma.review.findFirst({ where: { memberId: id(want.by) } });
    expect(review, `${c.where}\nno review by ${want.by}`).not.toBeNull();
    expect(review, `${c.where}\nreview by ${want.by}`).toMatchObject({
      rating: want.rating,
      ...(want.photos ? { photoCount: want.photos.length } : {}),
      ...(want.consent !== undefined ? { shareConsent: want.consent } : {}),
      ...(want.helpfulVotes !== undefined ? { helpfulVotes: want.helpfulVotes } : {}),
      ...(want.card ? { postedChatId: chatId, postedMessageId: cardAt(want.card).messageId } : {}),
    });
    if (want.photos) {
      const media = (review!.media as { fileId: string }[]).map((m) => m.fileId);
      expect(media, `${c.where}\nreview photos`).toEqual(want.photos.map((name) => c.driver.fileIdOf(name)));
    }
  }
  if (e.reviewsStopped) {
    const member = await prisma.member.findUnique({ where: { id: id(e.reviewsStopped.member) }, select: { reviewsOptOut: true } });
    expect(member?.reviewsOptOut, `${c.where}\n${e.reviewsStopped.member} stopped review requests`).toBe(e.reviewsStopped.stopped);
  }
}

function checkToMember(recent: readonly Output[], kind: 'dm' | 'question' | 'toast', want: ToMember, c: CheckContext, heard: string): Output {
  const p = resolve(want.matches, c.lang);
  // A message shown in place to the member only is private to them, as a message in their private chat is (unless it must be kept).
  const kinds: Output['kind'][] = kind === 'dm' && !want.kept ? ['dm', 'in-place'] : [kind];
  const found = recent.find((o) => kinds.includes(o.kind) && 'to' in o && o.to === want.to && 'text' in o && p.test(o.text));
  expect(found, `${c.where}\nno ${want.kept ? 'kept ' : ''}${kind} to ${want.to} matches ${p}${heard}`).toBeDefined();
  if (want.picture) {
    // The picture rides on the message, or (text too long for a caption) comes right before it, on its own.
    const index = recent.indexOf(found!);
    const before = recent.slice(0, index).reverse().find((o) => (o.kind === 'dm' || o.kind === 'in-place') && o.to === want.to);
    const carrier = [found!, before].find((o) => (o?.kind === 'dm' || o?.kind === 'in-place') && o.picture && (o === found || o.text === ''));
    const picture = carrier?.kind === 'dm' || carrier?.kind === 'in-place' ? carrier.picture : undefined;
    expect(pngSize(picture), `${c.where}\nthe message to ${want.to} carries no PNG picture (signature and IHDR)${heard}`).toEqual(want.picture);
  }
  if (want.buttons || want.links) {
    const buttons = found!.kind === 'dm' || found!.kind === 'in-place' ? (found!.buttons ?? []) : [];
    if (want.buttons) checkLabels(buttons.filter((b) => b.linksTo === undefined).map((b) => b.label), want.buttons, c, `button of "${found!.kind === 'dm' ? found!.text : ''}"`);
    if (want.links) {
      const links = buttons.filter((b) => b.linksTo !== undefined);
      expect(links.map((b) => b.linksTo), `${c.where}\nlinks`).toEqual(want.links.map((l) => l.to));
      checkLabels(links.map((b) => b.label), want.links.map((l) => l.label), c, 'link');
    }
  }
  return found!;
}

function checkLabels(labels: string[], want: Said[], c: CheckContext, what: string): void {
  expect(labels.length, `${c.where}\n${what} labels ${labels.join(', ')}`).toBe(want.length);
  want.forEach((s, i) => expect(labels[i], `${c.where}\n${what} ${i + 1}`).toMatch(resolve(s, c.lang)));
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
      const picture = o.kind === 'dm' && o.picture ? ` [picture ${JSON.stringify(pngSize(o.picture))}]` : '';
      const buttons = o.kind === 'dm' && o.buttons.length ? `\n    [${o.buttons.map((b) => b.label + (b.linksTo ? ` → ${b.linksTo}` : '')).join('] [')}]` : '';
      return `  [${o.kind}${to}]${picture} ${text.replace(/\n/g, '\n    ')}${buttons}`;
    })
    .join('\n');
}

function regexAsText(_key: string, value: unknown): unknown {
  return value instanceof RegExp ? String(value) : value;
}
