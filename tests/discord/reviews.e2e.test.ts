/**
 * Review prompting end to end on Discord: the real adapter (a discord.js Client logged in over the fake gateway, REST
 * against the fake server) wired to a real Core on a real test database. A buy is delivered, the request arrives by
 * DM after the delay, and members answer with the star buttons, text and photos written to the bot in DMs
 * (MESSAGE_CREATE with attachments), the Done button and their consent; the card lands in the channel with its
 * Helpful button, a negative review alerts an admin-role member with a link button to the member, and /bestreviews
 * pins the winners. The Discord side of tests/telegram/reviews.e2e.test.ts.
 */
import type { Core } from '../../core/app.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordBot, type DiscordBotHandle } from '../../bots/discord/create-discord-bot.js';
import { createCore } from '../../core/features.js';
import { ManualClock } from '../../core/clock.js';
import { PrismaStore } from '../../prisma/store.js';
import { DAY, RecordingLogger, RecordingScheduler, START } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeDiscordServer, type FakeGuild, type FakeUser, type StoredMessage } from '../support/fake-discord-server.js';
import { ScriptedTagger } from '../core/reviews/review-support.js';

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
let wang: FakeUser;
let bob: FakeUser;
let carol: FakeUser;

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
  core = createCore({
    store: new PrismaStore(db.prisma), clock, scheduler, logger, reviewTagger: new ScriptedTagger(),
    cardCoalesceMs: 0, cardMinIntervalMs: 0,
  });
  guild = server.guild('Strawberry friends');
  // Carol is an admin only by a configured role (DISCORD_ADMIN_ROLE_IDS), without Manage Server.
  const helpers = server.role(guild, 'Helpers');
  anna = server.member(guild, { username: 'anna', global_name: 'Anna' }, { admin: true });
  alice = server.member(guild, { username: 'alice', global_name: 'Alice' });
  wang = server.member(guild, { username: 'wangfang', global_name: '王芳', locale: 'zh-CN' });
  bob = server.member(guild, { username: 'bob', global_name: 'Bob' });
  carol = server.member(guild, { username: 'carol', global_name: 'Carol' }, { roles: [helpers] });
  discord = createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, app: core, logger, clock, adminRoleIds: [helpers] });
  await discord.start();
});

afterEach(async () => {
  await discord?.stop();
  await core.flushCards();
  core.stop();
  await server?.close();
});

/** Runs the recorded jobs that are due after moving the clock, as the job queue would. */
async function advanceAndRunJobs(ms: number): Promise<void> {
  clock.advance(ms);
  for (const job of scheduler.takeDue(clock.now())) await core.runJob(job.name, job.data);
}

const dm = (user: FakeUser) => server.dmChannelOf(user);
const said = (channelId: string, pattern: RegExp, viewer?: FakeUser): Promise<StoredMessage> =>
  server
    .waitFor(() => [...server.channelMessages(channelId)].reverse().find((m) => pattern.test(m.content) && (!m.ephemeralTo || m.ephemeralTo === viewer?.id)), WAIT_MS)
    .catch((error: Error) => {
      const seen = server.channelMessages(channelId).map((m) => `${m.ephemeralTo ? `[only ${m.ephemeralTo}] ` : ''}${m.content}`);
      throw new Error(`nothing matching ${pattern} in ${channelId}; seen:\n${seen.join('\n---\n')}\n${error.message.slice(0, 300)}`);
    });
const buttonsOf = (message: StoredMessage | undefined): any[] => (message?.components ?? []).flatMap((row: any) => row.components ?? []);
const buttonId = (message: StoredMessage, label: string): string => {
  const button = buttonsOf(message).find((b) => b.label === label);
  if (!button?.custom_id) throw new Error(`no button "${label}" on: ${message.content}`);
  return button.custom_id;
};
const press = (user: FakeUser, message: StoredMessage, label: string) => server.pressButton(user, message, buttonId(message, label));
const photo = (name: string) => server.attachment({ filename: name, contentType: 'image/jpeg' });

/** Opens a buy, has the members join with the card's button, closes it and marks everyone delivered. */
async function deliveredBuy(members: FakeUser[]): Promise<void> {
  server.slashCommand(anna, guild.channelId, 'newbuy', [
    { name: 'title', type: 3, value: 'Strawberries' },
    { name: 'price', type: 3, value: '10' },
    { name: 'min', type: 4, value: 1 },
    { name: 'max', type: 4, value: 50 },
    { name: 'ends', type: 3, value: '2h' },
  ]);
  const card = await said(guild.channelId, /Group buy #1/);
  for (const member of members) {
    press(member, card, 'Join +1');
    await server.waitFor(() => server.message(card.id)!.content.includes(`Participants (${members.indexOf(member) + 1})`), WAIT_MS);
  }
  server.slashCommand(anna, guild.channelId, 'closebuy');
  await said(guild.channelId, /is formed/);
  server.slashCommand(anna, guild.channelId, 'delivered', [{ name: 'all', type: 5, value: true }]);
  await said(guild.channelId, /Marked delivered in #1/, anna);
  // The requests are scheduled right after the replies went out.
  await server.waitFor(() => scheduler.jobs.filter((j) => j.name === 'review.request').length >= members.length, WAIT_MS);
}

describe('review prompting on Discord', () => {
  it('asks by DM after the delay and takes stars, text, photos and consent; the card gets helpful votes', async () => {
    await deliveredBuy([alice, wang]);
    await advanceAndRunJobs(3 * DAY);
    const request = await said(dm(alice), /^📝 How was #1 Strawberries/);
    expect(buttonsOf(request).map((b) => b.label)).toEqual(['1⭐', '2⭐', '3⭐', '4⭐', '5⭐']);
    const requestZh = await said(dm(wang), /^📝 #1 Strawberries（Strawberry friends）用得怎么样？/);
    expect(buttonsOf(requestZh)).toHaveLength(5);

    press(alice, request, '4⭐');
    // In the DM, answers are ordinary messages that stay in its history; only the toast is ephemeral.
    const askText = await said(dm(alice), /^⭐⭐⭐⭐ for #1\. Now tell us/, alice);
    expect(askText.ephemeralTo).toBeUndefined();
    expect((await said(dm(alice), /^4⭐ noted$/, alice)).ephemeralTo).toBe(alice.id);

    // The text and the photos are written to the bot in the DM, as on Telegram.
    server.directMessage(alice, 'Sweet and fresh, a bit small.');
    const askMedia = await said(dm(alice), /^Thank you for your review! \+10 points \(balance \d+\)\./);
    expect(buttonsOf(askMedia).map((b) => b.label)).toEqual(['Skip']);

    // Discord sends several files in one message: one event, three photos.
    const files = [photo('a.jpg'), photo('b.jpg'), photo('c.jpg')];
    server.directMessage(alice, 'the box', files);
    const bonus = await said(dm(alice), /Rich review bonus: \+10 points \(balance \d+\)/);
    // Balances include points for joining and receiving the buy where the group's rules pay them: only the review's own amounts are fixed.
    expect(bonus.content).toMatch(/^Got it: 3 photo\(s\), 0 video\(s\)\. Send more, or press Done\.\n📸 Rich review bonus: \+10 points \(balance \d+\)\.$/);

    press(alice, bonus, 'Done');
    const consent = await said(dm(alice), /^May I show your review in the group Strawberry friends/, alice);
    expect(consent.ephemeralTo).toBeUndefined();
    press(alice, consent, 'Yes, share it');
    await said(dm(alice), /^✅ Done\. Your review will appear in the group\./, alice);

    const card = await said(guild.channelId, /^⭐⭐⭐⭐ Alice on #1 Strawberries/);
    expect(card.content).toBe('⭐⭐⭐⭐ Alice on #1 Strawberries\n“Sweet and fresh, a bit small.”\n📷 3 photo(s) · 🎬 0 video(s)\n📸 Rich review\nReview 1 · a helpful review? Tap below.');
    expect(card.ephemeralTo).toBeUndefined();
    expect(buttonsOf(card).map((b) => b.label)).toEqual(['👍 Helpful (0)']);

    press(wang, card, '👍 Helpful (0)');
    await server.waitFor(() => buttonsOf(server.message(card.id)).some((b) => b.label === '👍 Helpful (1)'), WAIT_MS);
    await said(guild.channelId, /^已标记为有用（1）。$/, wang);

    const review = await db.prisma.review.findFirst({ where: { memberId: `dc:${alice.id}` } });
    expect(review).toMatchObject({ rating: 4, photoCount: 3, shareConsent: true, postedChatId: `dc:${guild.channelId}`, postedMessageId: card.id, helpfulVotes: 1 });
    expect((review!.media as { fileId: string }[]).map((m) => m.fileId)).toEqual(files.map((f) => f.url));
    expect(await db.prisma.pointEntry.findMany({ where: { memberId: `dc:${alice.id}`, reason: { startsWith: 'review' } }, select: { key: true, amount: true }, orderBy: { id: 'asc' } })).toEqual([
      { key: `review:${review!.id}`, amount: 10 },
      { key: `review_rich:${review!.id}`, amount: 10 },
    ]);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('alerts admins privately about a negative review, with a link button to the member, and pins the best reviews', async () => {
    await deliveredBuy([alice, wang, bob]);
    await advanceAndRunJobs(3 * DAY);
    const request = await said(dm(wang), /^📝 #1 Strawberries/);
    press(wang, request, '1⭐');
    await said(dm(wang), /^#1：⭐。请用几句话说说/, wang);
    server.directMessage(wang, '太差了，一半都烂了');
    await said(dm(wang), /^感谢你的评价！\+10 积分（余额 \d+）。/);
    // A video whose duration Discord sent (it does for some uploads only): 20 s makes the review rich.
    server.directMessage(wang, '', [server.attachment({ filename: 'rotten.mp4', contentType: 'video/mp4', durationSecs: 20 })]);
    const media = await said(dm(wang), /优质评价加赠：\+10 积分（余额 \d+）/);
    press(wang, media, '完成');
    const consent = await said(dm(wang), /^可以把你的评价连同昵称展示在群/, wang);
    press(wang, consent, '可以，展示');
    const card = await said(guild.channelId, /^⭐ 王芳 on #1 Strawberries/);

    // Every admin Discord knows of gets the alert: the owner, Anna (Manage Server) and Carol (an admin role only).
    const alert = await said(dm(anna), /^⚠️ Unhappy buyer in Strawberry friends: #1 Strawberries/);
    expect(alert.content).toContain('王芳 rated it ⭐ (1/5):\n“太差了，一半都烂了”\nTags: negative (-0.80)');
    expect(alert.components).toEqual([{ type: 1, components: [{ type: 2, style: 5, label: '💬 Contact 王芳', url: `https://discord.com/users/${wang.id}` }] }]);
    // Carol never spoke to the bot, so she reads the bot's default language; the link is the same.
    const carolAlert = await said(dm(carol), /^⚠️ /);
    expect(buttonsOf(carolAlert)).toEqual([{ type: 2, style: 5, label: expect.stringContaining('王芳'), url: `https://discord.com/users/${wang.id}` }]);
    await said(server.dmChannelOf({ id: guild.ownerId } as FakeUser), /^⚠️ /);
    expect(server.channelMessages(dm(alice)).filter((m) => m.content.startsWith('⚠️'))).toEqual([]);

    // Alice writes a glowing review with fewer votes: the 1-star review with more votes is the month's best.
    const aliceRequest = await said(dm(alice), /^📝 How was #1/);
    press(alice, aliceRequest, '5⭐');
    await said(dm(alice), /^⭐⭐⭐⭐⭐ for #1/, alice);
    server.directMessage(alice, 'Perfect, loved them');
    const aliceMedia = await said(dm(alice), /^Thank you for your review!/);
    press(alice, aliceMedia, 'Skip');
    press(alice, await said(dm(alice), /^May I show/, alice), 'Yes, share it');
    const aliceCard = await said(guild.channelId, /^⭐⭐⭐⭐⭐ Alice on #1/);
    press(alice, card, '👍 Helpful (0)');
    await server.waitFor(() => buttonsOf(server.message(card.id)).some((b) => b.label === '👍 Helpful (1)'), WAIT_MS);
    press(bob, server.message(card.id)!, '👍 Helpful (1)');
    await server.waitFor(() => buttonsOf(server.message(card.id)).some((b) => b.label === '👍 Helpful (2)'), WAIT_MS);

    server.slashCommand(anna, guild.channelId, 'bestreviews');
    const best = await said(guild.channelId, /^🏆 Best reviews of 2026-12/);
    expect(best.ephemeralTo).toBeUndefined();
    expect(best.content).toMatch(/^🏆 Best reviews of 2026-12 \(by helpful votes and richness\):\n1\. 王芳 on #1 Strawberries · 👍 2 · 📷 0: “太差了，一半都烂了”\n2\. Alice on #1/);
    await server.waitFor(() => server.pinned(guild.channelId).length === 2, WAIT_MS);
    expect(server.pinned(guild.channelId).sort()).toEqual([aliceCard.id, card.id].sort());
    expect(server.calls((c) => c.method === 'PUT' && /\/pins\//.test(c.path))).toHaveLength(2);
    await server.waitFor(() => server.message(card.id)!.content.includes('🏆 Best review of 2026-12'), WAIT_MS);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('takes /stop reviews and /start reviews as slash commands, in DMs and in the server', async () => {
    const optedOut = async () => (await db.prisma.member.findUnique({ where: { id: `dc:${bob.id}` }, select: { reviewsOptOut: true } }))?.reviewsOptOut;
    server.slashCommand(bob, dm(bob), 'stop', [{ name: 'what', type: 3, value: 'reviews' }]);
    await said(dm(bob), /^OK: no more review requests\. Send \/start reviews to get them again\.$/, bob);
    expect(await optedOut()).toBe(true);
    server.slashCommand(bob, guild.channelId, 'start', [{ name: 'topic', type: 3, value: 'reviews' }]);
    await said(guild.channelId, /^OK: you will be asked for reviews again after deliveries\.$/, bob);
    expect(await optedOut()).toBe(false);
    // `/start` without a topic greets with the help, as on Telegram.
    server.slashCommand(bob, dm(bob), 'start');
    await said(dm(bob), /\/checkin|\/review/, bob);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
