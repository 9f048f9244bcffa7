/**
 * Check-ins, /me, /top and an admin's /points end to end on Discord: the real adapter (a discord.js Client logged in
 * over the fake gateway, REST against the fake server) wired to a real Core on a real test database, in English and
 * Chinese. The Discord side of tests/telegram/points.e2e.test.ts.
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

const WAIT_MS = 15_000;

let db: TestDatabase;
let server: FakeDiscordServer;
let discord: DiscordBotHandle;
let core: Core;
let clock: ManualClock;
let logger: RecordingLogger;
let guild: FakeGuild;
let anna: FakeUser;
let alice: FakeUser;
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
  logger = new RecordingLogger();
  core = createCore({ store: new PrismaStore(db.prisma), clock, scheduler: new RecordingScheduler(), logger, cardCoalesceMs: 0, cardMinIntervalMs: 0 });
  guild = server.guild('Strawberry friends');
  anna = server.member(guild, { username: 'anna', global_name: 'Anna' }, { admin: true });
  alice = server.member(guild, { username: 'alice', global_name: 'Alice' });
  wang = server.member(guild, { username: 'wangfang', global_name: '王芳', locale: 'zh-CN' });
  discord = createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, app: core, logger, clock });
  await discord.start();
});

afterEach(async () => {
  await discord?.stop();
  core.stop();
  await server?.close();
});

/** Messages in the channel that everyone sees, oldest first. */
const publicTexts = () => server.channelMessages(guild.channelId).filter((m) => !m.ephemeralTo).map((m) => m.content);
const saidInChannel = (count: number) => server.waitFor(() => (publicTexts().length >= count ? publicTexts() : undefined), WAIT_MS);
const privately = (user: FakeUser, pattern: RegExp): Promise<StoredMessage> =>
  server.waitFor(() => server.channelMessages(guild.channelId).find((m) => m.ephemeralTo === user.id && pattern.test(m.content)), WAIT_MS);
/** Every interaction answered and nothing in flight. */
const settled = () => server.waitFor(() => server.interactionsSettled() && server.idle(), WAIT_MS);

describe('points on Discord', () => {
  it('checks in once per day, also when the gateway replays the interaction, and shows it in /me', async () => {
    const first = server.slashCommand(alice, guild.channelId, 'checkin');
    server.redispatchInteraction(first); // the same dispatch again, as after a gateway resume
    await saidInChannel(1);
    server.slashCommand(alice, guild.channelId, 'checkin');
    expect(await saidInChannel(2)).toEqual([
      '✅ Alice checked in: +5 points (day 1 of the streak).\n6 more day(s) to the 7-day bonus.\nBalance: 5 points.',
      'Alice, you have already checked in today (streak: 1 day(s)). Come back tomorrow!',
    ]);

    clock.advance(DAY);
    server.slashCommand(alice, guild.channelId, 'checkin');
    expect((await saidInChannel(3))[2]).toContain('day 2 of the streak');
    server.slashCommand(alice, guild.channelId, 'me');
    expect((await saidInChannel(4))[3]).toBe(
      [
        '📇 Alice',
        'Points: 10 (this week: 5)',
        'Level: V1',
        'Next, V2: spend ¥0.00/¥200.00, or orders 0/3 in 90 days',
        'Streak: 2 day(s), checked in today ✅',
        'Badges: none yet',
      ].join('\n'),
    );
    await settled();
    expect(publicTexts()).toHaveLength(4); // the replayed dispatch said nothing
    expect(await db.prisma.checkIn.count()).toBe(2);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('speaks Chinese and reminds a member to keep the streak', async () => {
    server.slashCommand(wang, guild.channelId, 'checkin');
    expect((await saidInChannel(1))[0]).toBe('✅ 王芳 签到成功：+5 积分（连续第 1 天）。\n再签到 6 天可获得连续 7 天奖励。\n当前积分：5。');
    clock.advance(DAY);
    server.slashCommand(wang, guild.channelId, 'me');
    const me = (await saidInChannel(2))[1]!;
    expect(me).toContain('积分：5（本周 0）');
    expect(me).toContain('连签：1 天。今天记得 /checkin 签到，别断签哦！');
  });

  it('lets an admin adjust points with a member option, shows the leaderboard and the ledger', async () => {
    server.slashCommand(alice, guild.channelId, 'checkin');
    await saidInChannel(1);
    const resolved = {
      users: { [wang.id]: { id: wang.id, username: wang.username, global_name: wang.global_name, discriminator: '0', avatar: null } },
      members: { [wang.id]: { roles: [], nick: null, joined_at: new Date().toISOString(), permissions: '0', flags: 0 } },
    };
    server.slashCommand(
      anna, guild.channelId, 'points',
      [{ name: 'member', type: 6, value: wang.id }, { name: 'amount', type: 4, value: 20 }, { name: 'reason', type: 3, value: 'helped at the pickup' }],
      resolved,
    );
    const adjusted = (await saidInChannel(2))[1]!;
    expect(adjusted).toContain('王芳');
    expect(adjusted).toContain('+20');
    expect(adjusted).toContain('helped at the pickup');
    // A member cannot.
    server.slashCommand(alice, guild.channelId, 'points', [{ name: 'member', type: 6, value: wang.id }, { name: 'amount', type: 4, value: 5 }, { name: 'reason', type: 3, value: 'x' }], resolved);
    await privately(alice, /admin/i);

    server.slashCommand(alice, guild.channelId, 'top', [{ name: 'period', type: 3, value: 'all' }]);
    const top = (await saidInChannel(3))[2]!;
    expect(top.indexOf('王芳')).toBeGreaterThan(-1);
    expect(top.indexOf('王芳')).toBeLessThan(top.indexOf('Alice'));

    // The ledger is private: in place, for Alice only.
    server.slashCommand(alice, guild.channelId, 'ledger');
    // The server's name, not the channel's, is the group's title.
    const ledger = await privately(alice, /^📒 Points of Alice in Strawberry friends: 5\. Newest first:/);
    expect(ledger.ephemeralTo).toBe(alice.id);
    await settled();
    expect(await db.prisma.pointEntry.findMany({ where: { memberId: `dc:${wang.id}` }, select: { amount: true, actorId: true } })).toEqual([{ amount: 20, actorId: `dc:${anna.id}` }]);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
