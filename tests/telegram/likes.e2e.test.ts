/**
 * Shares and likes end to end on Telegram: the real grammY bot (long polling through the runner) over HTTP against
 * the fake Bot API server, wired to a real Core on a real test database. A member posts a photo with `/share` in
 * its caption (or replies to their photo with `/share`), the card arrives as a photo with a Like button; presses
 * and native reactions count, the caption is edited in place; a like task pays once; a round reports at its end.
 */
import type { Core } from '../../core/app.js';
import type { Chat, Message, User } from 'grammy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import { createCore } from '../../core/features.js';
import { ManualClock } from '../../core/clock.js';
import { PrismaStore } from '../../prisma/store.js';
import { HOUR, RecordingLogger, RecordingScheduler, START } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

let db: TestDatabase;
let server: FakeTelegramServer;
let telegram: TelegramBotHandle;
let core: Core;
let clock: ManualClock;
let scheduler: RecordingScheduler;
let group: Chat.SupergroupChat;
let anna: User;
let alice: User;
let bob: User;
let wang: User;

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
  core = createCore({ store: new PrismaStore(db.prisma), clock, scheduler, logger: new RecordingLogger(), cardCoalesceMs: 0, cardMinIntervalMs: 0 });
  group = server.group('Strawberry friends');
  anna = server.user({ first_name: 'Anna', username: 'anna', language_code: 'en' });
  alice = server.user({ first_name: 'Alice', username: 'alice', language_code: 'en' });
  bob = server.user({ first_name: 'Bob', username: 'bob', language_code: 'en' });
  wang = server.user({ first_name: '王芳', username: 'wangfang', language_code: 'zh-hans' });
  for (const user of [anna, alice, bob, wang]) server.startBot(user);
  server.setAdmins(group.id, [], anna.id);
  telegram = createTelegramBot({
    token: server.token, apiRoot: server.apiRoot, app: core, logger: new RecordingLogger(), botInfo: server.botInfo, throttle: false, retry: { maxDelaySeconds: 1 }, clock,
  });
  await telegram.start();
});

afterEach(async () => {
  await telegram?.stop();
  await core.flushCards();
  core.stop();
  await server?.close();
});

const buttonData = (m: Message) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => ('callback_data' in b ? b.callback_data : ''));
const captionOf = (m: Message | undefined) => m?.caption ?? m?.text ?? '';
/** Under a loaded test run the first reply can take a while (cold database, first transaction): wait generously. */
const WAIT_MS = 15_000;
const shareCard = (pattern: RegExp) => server.waitFor(() => server.botMessages(group.id).find((m) => m.photo && pattern.test(m.caption ?? '')), WAIT_MS);
const botSaid = (chat: { id: number }, pattern: RegExp) => server.waitFor(() => server.botMessages(chat.id).find((m) => pattern.test(m.text ?? m.caption ?? '')), WAIT_MS);
/** The card as it is now (edits are applied to the stored message), once it matches. */
async function cardNow(card: Message, pattern: RegExp): Promise<Message> {
  for (let attempt = 0; attempt < WAIT_MS / 50; attempt++) {
    await core.flushCards();
    const now = server.message(group.id, card.message_id);
    if (now && pattern.test(captionOf(now))) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`card ${card.message_id} never matched ${pattern}: ${captionOf(server.message(group.id, card.message_id))}`);
}

describe('shares and likes on Telegram', () => {
  it('posts a photo share from a caption command, counts presses and reactions once each, and edits the caption in place', async () => {
    server.photo(alice, group, { caption: '/share Huge strawberries', fileId: 'AgACphoto1' });
    const card = await shareCard(/Share 1 by Alice/);
    expect(card.photo?.at(-1)?.file_id).toBe('AgACphoto1');
    expect(card.caption).toContain('Huge strawberries');
    expect(card.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['❤️ Like (0)']);

    server.press(bob, card, { label: '❤️ Like (0)' });
    const pressed = await server.waitForCall('answerCallbackQuery', (p) => /You like share 1 \(1\)/.test(String(p.text)), WAIT_MS);
    expect(pressed.params.text).toBe('You like share 1 (1). Press again to unlike.');
    await cardNow(card, /❤️ 1 like\b/);
    // Bob's reaction on the card adds nothing (he already likes it); Anna's reaction is a like.
    server.react(bob, card, ['👍']);
    server.react(anna, card, ['❤']);
    const liked = await cardNow(card, /❤️ 2 likes/);
    expect(liked.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['❤️ Like (2)']);
    expect(server.calls('editMessageCaption').length).toBeGreaterThan(0);
    // Anna takes her reaction back: an unlike.
    server.react(anna, card, [], ['❤']);
    await cardNow(card, /❤️ 1 like\b/);
    // Alice's own press says so privately, as an alert.
    server.press(alice, card, { data: 'lk:1' });
    const own = await server.waitForCall('answerCallbackQuery', (p) => /your own share/.test(String(p.text)), WAIT_MS);
    expect(own.params.show_alert).toBe(true);
    const events = await db.prisma.likeEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.source])).toEqual([['like', 'button'], ['like', 'reaction'], ['unlike', 'reaction']]);
  });

  it('shares a photo by replying to it, in Chinese, and pays a like goal once', async () => {
    server.command(anna, group, '/lang zh');
    await botSaid(group, /中文|简体/);
    server.command(anna, group, '/liketask 目标 1 | 24小时内 | 奖励 20 | 兑换码 VIP1');
    await botSaid(group, /集赞任务 1/);
    const photoUpdate = server.photo(wang, group, { fileId: 'AgACphoto2' });
    server.command(wang, group, '/share 很甜', { replyTo: photoUpdate.message });
    const card = await shareCard(/晒单 1 · 王芳/);
    expect(card.photo?.at(-1)?.file_id).toBe('AgACphoto2');
    expect(card.caption).toContain('🎯 集赞目标：0/1');
    server.press(bob, card, { label: '❤️ 点赞（0）' });
    await cardNow(card, /✅ 已达成 1 个赞/);
    const dm = await botSaid({ id: wang.id }, /集满 1 个赞/);
    expect(dm.text).toContain('+20 积分');
    expect(dm.text).toContain('你的解锁码：VIP1');
    expect(await db.prisma.pointEntry.count({ where: { reason: 'like_goal' } })).toBe(1);
  });

  it('runs a round: drop by button, the list is kept up to date, the report comes at the end', async () => {
    server.command(anna, group, '/likeround 1h');
    const list = await botSaid(group, /Like round 1 · until/);
      for (const [i, [member, words]] of ([[alice, 'a'], [bob, 'b'], [wang, 'c']] as const).entries()) {
      server.command(member, group, `/share ${words}`);
      await server.waitFor(() => server.botMessages(group.id).find((m) => buttonData(m).includes(`lk:${i + 1}`)), WAIT_MS);
      server.press(member, list, { label: '📥 Drop my latest share' });
      await server.waitForCall('answerCallbackQuery', (p) => new RegExp(`^(Share|晒单) ${i + 1} `).test(String(p.text ?? '')), WAIT_MS);
    }
    await cardNow(list, /3\. /);
    // Alice likes both others; Bob and 王芳 like nobody, though Bob's share got a like.
    for (const target of [2, 3]) {
      const card = server.botMessages(group.id).find((m) => buttonData(m).includes(`lk:${target}`))!;
      server.press(alice, card, { data: `lk:${target}` });
      await server.waitForCall('answerCallbackQuery', (p) => new RegExp(`share ${target} `).test(String(p.text ?? '')), WAIT_MS);
    }
    await cardNow(list, /Alice · share 1 · liked 2\/2 ✅/);
    clock.advance(HOUR);
    for (const job of scheduler.takeDue(clock.now())) await core.runJob(job.name, job.data);
    const report = await botSaid(group, /Like round 1 has ended/);
    expect(report.text).toContain('✅ Liked every other share: Alice');
    expect(report.text).toContain('⚠️ Warned (received likes, gave none): Bob (1/3), 王芳 (1/3)');
    await cardNow(list, /Like round 1 · ended/);
  });
});
