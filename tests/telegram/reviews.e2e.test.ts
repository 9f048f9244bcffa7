/**
 * Review prompting end to end on Telegram: the real grammY bot (long polling through the runner) over HTTP against
 * the fake Bot API server, wired to a real Core on a real test database. A buy is delivered, the request arrives by
 * DM after the delay, and members answer with the star buttons, text, photos or a video, and their consent; the
 * card lands in the group with its Helpful button, a negative review alerts the admin with a link to the member,
 * and /bestreviews pins the winners.
 */
import type { Core } from '../../core/app.js';
import type { Chat, InlineKeyboardButton, Message, User } from 'grammy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import { createCore } from '../../core/features.js';
import { ManualClock } from '../../core/clock.js';
import { PrismaStore } from '../../prisma/store.js';
import { DAY, RecordingLogger, RecordingScheduler, START } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { ScriptedTagger } from '../core/reviews/review-support.js';

let db: TestDatabase;
let server: FakeTelegramServer;
let telegram: TelegramBotHandle;
let core: Core;
let clock: ManualClock;
let scheduler: RecordingScheduler;
let logger: RecordingLogger;
let group: Chat.SupergroupChat;
let anna: User;
let alice: User;
let wang: User;
let bob: User;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  await db.reset();
  server = await FakeTelegramServer.start();
  clock = new ManualClock(START);
  scheduler = new RecordingScheduler();
  logger = new RecordingLogger();
  core = createCore({
    store: new PrismaStore(db.prisma), clock, scheduler, logger, reviewTagger: new ScriptedTagger(),
    cardCoalesceMs: 0, cardMinIntervalMs: 0,
  });
  group = server.group('Strawberry friends');
  anna = server.user({ first_name: 'Anna', username: 'anna', language_code: 'en' });
  alice = server.user({ first_name: 'Alice', username: 'alice', language_code: 'en' });
  wang = server.user({ first_name: '王芳', username: 'wangfang', language_code: 'zh-hans' });
  bob = server.user({ first_name: 'Bob', language_code: 'en' });
  for (const user of [anna, alice, wang, bob]) server.startBot(user);
  server.setAdmins(group.id, [], anna.id);
  telegram = createTelegramBot({
    token: server.token, apiRoot: server.apiRoot, app: core, logger, botInfo: server.botInfo, throttle: false, retry: { maxDelaySeconds: 1 }, clock,
  });
  await telegram.start();
});

afterEach(async () => {
  await telegram?.stop();
  await core.flushCards();
  core.stop();
  await server?.close();
});

/** Runs the recorded jobs that are due after moving the clock, as the job queue would. */
async function advanceAndRunJobs(ms: number): Promise<void> {
  clock.advance(ms);
  for (const job of scheduler.takeDue(clock.now())) await core.runJob(job.name, job.data);
}

const lastIn = (chat: { id: number }) => server.lastBotMessage(chat.id);
// Up to 15 s: in a loaded run the first replies can take more than the default 3 s (as in the likes e2e test).
const botSaid = (chat: { id: number }, pattern: RegExp) => server.waitFor(() => server.botMessages(chat.id).find((m) => pattern.test(m.text ?? '')), 15_000);
const buttonsOf = (message: Message | undefined): InlineKeyboardButton[] => (message?.reply_markup?.inline_keyboard ?? []).flat();

/** Opens a buy, has the members join with the card's button, closes it and marks everyone delivered. */
async function deliveredBuy(members: User[]): Promise<void> {
  server.command(anna, group, '/newbuy Strawberries | 10 | min 1 | max 50 | ends 2h');
  const card = await botSaid(group, /Group buy #1/);
  for (const member of members) {
    server.press(member, card, { label: 'Join +1' });
    await server.waitFor(() => server.calls('answerCallbackQuery').length >= members.indexOf(member) + 1);
  }
  server.command(anna, group, '/closebuy');
  await botSaid(group, /is formed/);
  server.command(anna, group, '/delivered all');
  await botSaid(group, /Marked delivered in #1/);
  // The group hears of the delivery before the after-commit work schedules the review requests: wait for them.
  await server.waitFor(() => scheduler.jobs.filter((j) => j.name === 'review.request').length >= members.length || undefined, 15_000);
}

describe('review prompting on Telegram', () => {
  it('asks by DM after the delay and takes stars, text, photos and consent; the card gets helpful votes', async () => {
    await deliveredBuy([alice, wang]);
    await advanceAndRunJobs(3 * DAY);
    const request = await botSaid(server.privateChat(alice), /^📝 How was #1 Strawberries/);
    expect(buttonsOf(request).map((b) => b.text)).toEqual(['1⭐', '2⭐', '3⭐', '4⭐', '5⭐']);
    const requestZh = await botSaid(server.privateChat(wang), /^📝 #1 Strawberries（Strawberry friends）用得怎么样？/);
    expect(buttonsOf(requestZh)).toHaveLength(5);

    const dm = server.privateChat(alice);
    server.press(alice, request, { label: '4⭐' });
    await botSaid(dm, /^⭐⭐⭐⭐ for #1\. Now tell us/);
    await server.waitForCall('answerCallbackQuery', (p) => p.text === '4⭐ noted');

    server.text(alice, dm, 'Sweet and fresh, a bit small.');
    const askMedia = await botSaid(dm, /^Thank you for your review! \+10 points \(balance 35\)\./);
    expect(buttonsOf(askMedia).map((b) => b.text)).toEqual(['Skip']);

    server.photo(alice, dm);
    server.photo(alice, dm, { caption: 'the box' });
    server.photo(alice, dm);
    const bonus = await botSaid(dm, /Rich review bonus: \+10 points \(balance 45\)/);
    expect(bonus.text).toBe('Got it: 3 photo(s), 0 video(s). Send more, or press Done.\n📸 Rich review bonus: +10 points (balance 45).');

    server.press(alice, bonus, { label: 'Done' });
    const consent = await botSaid(dm, /^May I show your review in the group Strawberry friends/);
    server.press(alice, consent, { label: 'Yes, share it' });
    await botSaid(dm, /^✅ Done\. Your review will appear in the group\./);

    const card = await botSaid(group, /^⭐⭐⭐⭐ Alice on #1 Strawberries/);
    expect(card.text).toBe('⭐⭐⭐⭐ Alice on #1 Strawberries\n“Sweet and fresh, a bit small.”\n📷 3 photo(s) · 🎬 0 video(s)\n📸 Rich review\nReview 1 · a helpful review? Tap below.');
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['👍 Helpful (0)']);

    server.press(wang, card, { label: '👍 Helpful (0)' });
    await server.waitFor(() => buttonsOf(server.message(group.id, card.message_id)).some((b) => b.text === '👍 Helpful (1)'));
    await server.waitForCall('answerCallbackQuery', (p) => p.text === '已标记为有用（1）。');

    const review = await db.prisma.review.findFirst({ where: { memberId: `tg:${alice.id}` } });
    expect(review).toMatchObject({ rating: 4, photoCount: 3, shareConsent: true, postedMessageId: String(card.message_id), helpfulVotes: 1 });
    expect((review!.media as { fileId: string }[]).map((m) => m.fileId)).toEqual(['photo1', 'photo2', 'photo3']);
    expect(await db.prisma.pointEntry.findMany({ where: { memberId: `tg:${alice.id}`, reason: { startsWith: 'review' } }, select: { key: true, amount: true }, orderBy: { id: 'asc' } })).toEqual([
      { key: `review:${review!.id}`, amount: 10 },
      { key: `review_rich:${review!.id}`, amount: 10 },
    ]);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('alerts the admin privately about a negative review, with a link to the member, and pins the best reviews', async () => {
    await deliveredBuy([alice, wang, bob]);
    await advanceAndRunJobs(3 * DAY);
    const dm = server.privateChat(wang);
    const request = await botSaid(dm, /^📝 #1 Strawberries/);
    server.press(wang, request, { label: '1⭐' });
    await botSaid(dm, /^#1：⭐。请用几句话说说/);
    server.text(wang, dm, '太差了，一半都烂了');
    const askMedia = await botSaid(dm, /^感谢你的评价！\+10 积分（余额 35）。/);
    server.video(wang, dm, 20);
    await botSaid(dm, /优质评价加赠：\+10 积分（余额 45）/);
    server.press(wang, server.lastBotMessage(dm.id)!, { label: '完成' });
    expect(askMedia).toBeDefined();
    const consent = await botSaid(dm, /^可以把你的评价连同昵称展示在群/);
    server.press(wang, consent, { label: '可以，展示' });
    const card = await botSaid(group, /^⭐ 王芳 on #1 Strawberries/);

    const alert = await botSaid(server.privateChat(anna), /^⚠️ Unhappy buyer in Strawberry friends: #1 Strawberries/);
    expect(alert.text).toContain('王芳 rated it ⭐ (1/5):\n“太差了，一半都烂了”\nTags: negative (-0.80)');
    expect(buttonsOf(alert)).toEqual([{ text: '💬 Contact 王芳', url: 'https://t.me/wangfang' }]);

    // Bob has no username: the button opens his chat by id.
    const bobRequest = await botSaid(server.privateChat(bob), /^📝 How was #1/);
    server.press(bob, bobRequest, { label: '2⭐' });
    await botSaid(server.privateChat(bob), /^⭐⭐ for #1/);
    server.text(bob, server.privateChat(bob), 'Bad, they were broken');
    await server.waitFor(() => server.botMessages(server.privateChat(anna).id).filter((m) => m.text?.startsWith('⚠️')).length === 2);
    expect(buttonsOf(lastIn(server.privateChat(anna)))).toEqual([{ text: '💬 Contact Bob', url: `tg://user?id=${bob.id}` }]);

    // Alice writes a glowing review with fewer votes: the 1-star review with more votes is the month's best.
    const aliceRequest = await botSaid(server.privateChat(alice), /^📝 How was #1/);
    server.press(alice, aliceRequest, { label: '5⭐' });
    await botSaid(server.privateChat(alice), /^⭐⭐⭐⭐⭐ for #1/);
    server.text(alice, server.privateChat(alice), 'Perfect, loved them');
    const aliceMedia = await botSaid(server.privateChat(alice), /^Thank you for your review!/);
    server.press(alice, aliceMedia, { label: 'Skip' });
    server.press(alice, await botSaid(server.privateChat(alice), /^May I show/), { label: 'Yes, share it' });
    const aliceCard = await botSaid(group, /^⭐⭐⭐⭐⭐ Alice on #1/);
    server.press(alice, card, { label: '👍 Helpful (0)' });
    server.press(bob, card, { label: '👍 Helpful (0)' });
    await server.waitFor(() => buttonsOf(server.message(group.id, card.message_id)).some((b) => b.text === '👍 Helpful (2)'));

    server.command(anna, group, '/bestreviews');
    const best = await botSaid(group, /^🏆 Best reviews of 2026-12/);
    expect(best.text).toMatch(/^🏆 Best reviews of 2026-12 \(by helpful votes and richness\):\n1\. 王芳 on #1 Strawberries · 👍 2 · 📷 0: “太差了，一半都烂了”\n2\. Alice on #1/);
    await server.waitFor(() => server.pinned(group.id).length === 2);
    expect(server.pinned(group.id)).toEqual([aliceCard.message_id, card.message_id]);
    expect(server.message(group.id, card.message_id)!.text).toContain('🏆 Best review of 2026-12');
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});

describe('the Telegram pieces reviews need', () => {
  const context = () => ({ botId: server.botInfo.id, botUsername: server.botInfo.username, now: () => clock.now() });

  it('decodes photos and videos sent privately as text events with attachments, and ignores them in groups', async () => {
    const { decodeUpdate } = await import('../../bots/telegram/decode.js');
    const photo = decodeUpdate(server.photo(alice, server.privateChat(alice), { caption: 'box', fileId: 'P1' }), context());
    expect(photo).toMatchObject([{ kind: 'text', text: 'box', attachments: [{ kind: 'photo', fileId: 'P1' }] }]);
    const video = decodeUpdate(server.video(alice, server.privateChat(alice), 17, { fileId: 'V1' }), context());
    expect(video).toMatchObject([{ kind: 'text', text: '', attachments: [{ kind: 'video', fileId: 'V1', durationSeconds: 17 }] }]);
    expect(decodeUpdate(server.photo(alice, group), context())).toEqual([]);
  });

  it('lists a chat\'s human admins once per cache period', async () => {
    server.setAdmins(group.id, [alice.id], anna.id);
    const before = server.calls('getChatAdministrators').length;
    expect(await telegram.messenger.listChatAdmins(`tg:${group.id}`)).toEqual([`tg:${anna.id}`, `tg:${alice.id}`]);
    expect(await telegram.messenger.listChatAdmins(`tg:${group.id}`)).toEqual([`tg:${anna.id}`, `tg:${alice.id}`]);
    expect(server.calls('getChatAdministrators').length - before).toBe(1);
    expect(await telegram.messenger.listChatAdmins(`tg:${alice.id}`)).toEqual([]);
  });
});
