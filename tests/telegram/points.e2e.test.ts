/**
 * Check-ins and /me end to end on Telegram: the real grammY bot (long polling through the runner) over HTTP against
 * the fake Bot API server, wired to a real Core on a real test database, in English and Chinese.
 */
import type { Core } from '../../core/app.js';
import type { Chat, Update, User } from 'grammy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import { createCore } from '../../core/features.js';
import { ManualClock } from '../../core/clock.js';
import { PrismaStore } from '../../prisma/store.js';
import { DAY, RecordingLogger, RecordingScheduler, START } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

let db: TestDatabase;
let server: FakeTelegramServer;
let telegram: TelegramBotHandle;
let core: Core;
let clock: ManualClock;
let logger: RecordingLogger;
let group: Chat.SupergroupChat;
let anna: User;
let alice: User;
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
  logger = new RecordingLogger();
  core = createCore({ store: new PrismaStore(db.prisma), clock, scheduler: new RecordingScheduler(), logger, cardCoalesceMs: 0, cardMinIntervalMs: 0 });
  group = server.group('Strawberry friends');
  anna = server.user({ first_name: 'Anna', username: 'anna', language_code: 'en' });
  alice = server.user({ first_name: 'Alice', username: 'alice', language_code: 'en' });
  wang = server.user({ first_name: '王芳', username: 'wangfang', language_code: 'zh-hans' });
  for (const user of [anna, alice, wang]) server.startBot(user);
  server.setAdmins(group.id, [], anna.id);
  telegram = createTelegramBot({
    token: server.token, apiRoot: server.apiRoot, app: core, logger, botInfo: server.botInfo, throttle: false, retry: { maxDelaySeconds: 1 }, clock,
  });
  await telegram.start();
});

afterEach(async () => {
  await telegram?.stop();
  core.stop();
  await server?.close();
});

const groupTexts = () => server.botMessages(group.id).map((m) => m.text ?? '');
/** Waits until the bot has said `count` messages in the group (up to 15 s: a loaded run can be slow), then returns them. */
const saidInGroup = (count: number) => server.waitFor(() => (groupTexts().length >= count ? groupTexts() : undefined), 15_000);

describe('points on Telegram', () => {
  it('checks in once per day, also when Telegram delivers the update twice, and shows it in /me', async () => {
    const first = server.command(alice, group, '/checkin');
    server.push(first as Omit<Update, 'update_id'>); // the same update again, as after a lost acknowledgement
    await saidInGroup(1);
    server.command(alice, group, '/checkin');
    expect((await saidInGroup(2))).toEqual([
      '✅ Alice checked in: +5 points (day 1 of the streak).\n6 more day(s) to the 7-day bonus.\nBalance: 5 points.',
      'Alice, you have already checked in today (streak: 1 day(s)). Come back tomorrow!',
    ]);

    clock.advance(DAY);
    server.command(alice, group, '/checkin');
    expect((await saidInGroup(3))[2]).toContain('day 2 of the streak');
    server.command(alice, group, '/me');
    expect((await saidInGroup(4))[3]).toBe(
      [
        '📇 Alice',
        'Points: 10 (this week: 5)',
        'Level: V1',
        'Next, V2: spend ¥0.00/¥200.00, or orders 0/3 in 90 days',
        'Streak: 2 day(s), checked in today ✅',
        'Badges: none yet',
      ].join('\n'),
    );
    expect(groupTexts()).toHaveLength(4); // the repeated update said nothing
    expect(await db.prisma.checkIn.count()).toBe(2);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('speaks Chinese and reminds a member to keep the streak', async () => {
    server.command(wang, group, '/checkin');
    expect((await saidInGroup(1))[0]).toBe('✅ 王芳 签到成功：+5 积分（连续第 1 天）。\n再签到 6 天可获得连续 7 天奖励。\n当前积分：5。');
    clock.advance(DAY);
    server.command(wang, group, '/me');
    const me = (await saidInGroup(2))[1]!;
    expect(me).toContain('积分：5（本周 0）');
    expect(me).toContain('连签：1 天。今天记得 /checkin 签到，别断签哦！');
  });
});
