/**
 * Shares and likes end to end on Discord: the real adapter (a discord.js Client logged in over the fake gateway, REST
 * against the fake server) wired to a real Core on a real test database. A member runs `/share` with a photo in its
 * attachment option (or runs "Share photo" on a photo they posted); the card is a channel message with the photo as an embed image and a Like button; presses and
 * native reactions on the card count once each and the card is edited in place, photo kept; a round takes drops by
 * button and reports at its end. The Discord side of tests/telegram/likes.e2e.test.ts.
 */
import type { Core } from '../../core/app.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordBot, type DiscordBotHandle } from '../../bots/discord/create-discord-bot.js';
import { createCore } from '../../core/features.js';
import { ManualClock } from '../../core/clock.js';
import { PrismaStore } from '../../prisma/store.js';
import { HOUR, RecordingLogger, RecordingScheduler, START } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeDiscordServer, type FakeGuild, type FakeUser, type StoredMessage } from '../support/fake-discord-server.js';

/** Under a loaded test run the first reply can take a while (cold database, first transaction): wait generously. */
const WAIT_MS = 15_000;

let db: TestDatabase;
let server: FakeDiscordServer;
let discord: DiscordBotHandle;
let core: Core;
let clock: ManualClock;
let scheduler: RecordingScheduler;
let logger: RecordingLogger;
let guild: FakeGuild;
let anna: FakeUser;
let alice: FakeUser;
let bob: FakeUser;
let wang: FakeUser;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  await db.reset();
  server = await FakeDiscordServer.start();
  clock = new ManualClock(START);
  scheduler = new RecordingScheduler();
  logger = new RecordingLogger();
  core = createCore({ store: new PrismaStore(db.prisma), clock, scheduler, logger, cardCoalesceMs: 0, cardMinIntervalMs: 0 });
  guild = server.guild('Strawberry friends');
  anna = server.member(guild, { username: 'anna', global_name: 'Anna' }, { admin: true });
  alice = server.member(guild, { username: 'alice', global_name: 'Alice' });
  bob = server.member(guild, { username: 'bob', global_name: 'Bob' });
  wang = server.member(guild, { username: 'wangfang', global_name: '王芳', locale: 'zh-CN' });
  discord = createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, app: core, logger, clock });
  await discord.start();
});

afterEach(async () => {
  await discord?.stop();
  await core.flushCards();
  core.stop();
  await server?.close();
});

const buttonsOf = (message: StoredMessage | undefined): any[] => (message?.components ?? []).flatMap((row: any) => row.components ?? []);
const said = (pattern: RegExp, viewer?: FakeUser): Promise<StoredMessage> =>
  server.waitFor(
    () => [...server.channelMessages(guild.channelId)].reverse().find((m) => pattern.test(m.content) && (!m.ephemeralTo || m.ephemeralTo === viewer?.id)),
    WAIT_MS,
  );
const shareCard = (shareId: number) => server.waitFor(() => server.channelMessages(guild.channelId).find((m) => buttonsOf(m).some((b) => b.custom_id === `lk:${shareId}`)), WAIT_MS);
/** The card as it is now (edits are applied to the stored message), once it matches. */
async function cardNow(card: StoredMessage, pattern: RegExp): Promise<StoredMessage> {
  for (let attempt = 0; attempt < WAIT_MS / 50; attempt++) {
    await core.flushCards();
    const now = server.message(card.id);
    if (now && pattern.test(now.content)) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`card ${card.id} never matched ${pattern}: ${server.message(card.id)?.content}`);
}

describe('shares and likes on Discord', () => {
  it('posts a share with the photo from its attachment option, counts presses and reactions once each, and edits the card in place', async () => {
    const photo = server.attachment({ filename: 'berries.jpg', contentType: 'image/jpeg' });
    server.slashCommandWithFiles(alice, guild.channelId, 'share', [{ name: 'text', type: 3, value: 'Huge strawberries' }], { photo });
    const card = await shareCard(1);
    expect(card.content).toMatch(/Share 1 by Alice/);
    expect(card.content).toContain('Huge strawberries');
    expect(card.ephemeralTo).toBeUndefined();
    // The photo is copied onto the card (Discord's attachment URLs expire after a day) and shown as its embed image.
    expect(card.embeds).toEqual([{ image: { url: 'attachment://photo.jpg' } }]);
    expect(card.attachments.map((a) => a.content.toString())).toEqual(['fake image/jpeg berries.jpg']);
    expect(buttonsOf(card).map((b) => b.label)).toEqual(['❤️ Like (0)']);
    server.pressButton(bob, card, 'lk:1');
    await said(/^You like share 1 \(1\)\. Press again to unlike\.$/, bob);
    await cardNow(card, /❤️ 1 like\b/);
    // The core knows where its card lives (stored after the post, so read once the card has been edited).
    expect(await db.prisma.share.findFirst()).toMatchObject({ photoFileId: photo.url, postedChatId: `dc:${guild.channelId}`, postedMessageId: card.id });
    // Bob's reaction adds nothing (he already likes it); Anna's reaction is a like.
    server.react(bob, card, '👍');
    server.react(anna, card, '❤️');
    const liked = await cardNow(card, /❤️ 2 likes/);
    expect(buttonsOf(liked).map((b) => b.label)).toEqual(['❤️ Like (2)']);
    // The edit keeps the photo with the card.
    expect(liked.embeds).toEqual([{ image: { url: 'attachment://photo.jpg' } }]);
    expect(liked.attachments).toHaveLength(1);
    // Anna takes her reaction back: an unlike.
    server.react(anna, card, '❤️', false);
    await cardNow(card, /❤️ 1 like\b/);
    // Alice's own press is answered privately (Discord has no alert toast: an ephemeral message).
    server.pressButton(alice, card, 'lk:1');
    const own = await said(/your own share/, alice);
    expect(own.ephemeralTo).toBe(alice.id);
    const events = await db.prisma.likeEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.source])).toEqual([['like', 'button'], ['like', 'reaction'], ['unlike', 'reaction']]);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('shares text only, in Chinese, and refuses a share with neither text nor photo', async () => {
    server.slashCommand(wang, guild.channelId, 'share');
    await said(/\/share/, wang);
    expect(await db.prisma.share.count()).toBe(0);
    server.slashCommand(wang, guild.channelId, 'share', [{ name: 'text', type: 3, value: '很甜' }]);
    const card = await shareCard(1);
    expect(card.content).toContain('很甜');
    expect(card.embeds).toEqual([]);
  });

  it('shares a photo the member posted, through the message command "Share photo" (Telegram: /share replying to it)', async () => {
    const photo = server.attachment({ filename: 'jam.png', contentType: 'image/png' });
    const post = server.memberMessage(wang, guild.channelId, '自己做的果酱', [photo]);
    // Someone else's message is not theirs to share: nothing is posted, and the core says how to share.
    server.messageCommand(alice, post, 'Share photo');
    await said(/\/share/, alice);
    expect(await db.prisma.share.count()).toBe(0);
    server.messageCommand(wang, post, 'Share photo');
    const card = await shareCard(1);
    expect(card.content).toContain('自己做的果酱');
    expect(card.embeds).toEqual([{ image: { url: 'attachment://photo.png' } }]);
    expect(card.attachments.map((a) => a.content.toString())).toEqual(['fake image/png jam.png']);
    await cardNow(card, /./);
    expect(await db.prisma.share.findFirst()).toMatchObject({ memberId: `dc:${wang.id}`, photoFileId: photo.url });
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('runs a round: drop by button, the list is kept up to date, the report comes at the end', async () => {
    server.slashCommand(anna, guild.channelId, 'likeround', [{ name: 'duration', type: 3, value: '1h' }]);
    const list = await said(/Like round 1 · until/);
    for (const [i, [member, words]] of ([[alice, 'a'], [bob, 'b'], [wang, 'c']] as const).entries()) {
      server.slashCommand(member, guild.channelId, 'share', [{ name: 'text', type: 3, value: words }]);
      await shareCard(i + 1);
      const drop = buttonsOf(server.message(list.id)).find((b) => b.custom_id?.startsWith('rd:'));
      server.pressButton(member, server.message(list.id)!, drop.custom_id);
      await said(new RegExp(`^(Share|晒单) ${i + 1} `), member);
    }
    await cardNow(list, /3\. /);
    // Alice likes both others (one by reaction); Bob and 王芳 like nobody, though Bob's share got a like.
    server.pressButton(alice, await shareCard(2), 'lk:2');
    await said(/share 2 /, alice);
    server.react(alice, await shareCard(3), '👍');
    await cardNow(list, /Alice · share 1 · liked 2\/2 ✅/);
    clock.advance(HOUR);
    for (const job of scheduler.takeDue(clock.now())) await core.runJob(job.name, job.data);
    const report = await said(/Like round 1 has ended/);
    expect(report.content).toContain('✅ Liked every other share: Alice');
    expect(report.content).toContain('⚠️ Warned (received likes, gave none): Bob (1/3), 王芳 (1/3)');
    await cardNow(list, /Like round 1 · ended/);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
