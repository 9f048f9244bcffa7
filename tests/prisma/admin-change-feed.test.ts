/**
 * Admin caches across processes (ADR 022): two Telegram messengers, each with its own database connection and
 * LISTEN/NOTIFY feed as two bot processes have, against one fake Bot API server. PostgreSQL only.
 */
import { Api } from 'grammy';
import type { Client } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerRoles } from '../../bots/discord/server-roles.js';
import { TelegramMessenger } from '../../bots/telegram/messenger.js';
import type { AdminChange } from '../../core/ports.js';
import { PostgresAdminChangeFeed } from '../../prisma/admin-change-feed.js';
import { openDatabase, type Database } from '../../prisma/database.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

let db: TestDatabase;
let second: Database;
let server: FakeTelegramServer;
const feeds: PostgresAdminChangeFeed[] = [];

beforeAll(async () => {
  if (!hasPostgres) return;
  db = await createTestDatabase();
  second = await openDatabase({ url: db.url!, migrate: false });
  server = await FakeTelegramServer.start();
});
afterEach(async () => {
  for (const feed of feeds.splice(0)) await feed.close();
});
afterAll(async () => {
  await server?.close();
  await second?.close();
  await db?.close();
});

async function feed(database: Database): Promise<PostgresAdminChangeFeed> {
  const opened = await PostgresAdminChangeFeed.open(database);
  feeds.push(opened);
  return opened;
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(hasPostgres)('admin changes across processes', () => {
  it('a demotion one process learns of is seen by the other at its next check', async () => {
    const group = server.group('Tea lovers');
    const chatId = `tg:${group.id}`;
    const member = server.user({ first_name: 'Bo' });
    server.setAdmins(group.id, [member.id]);
    const api = () => new Api(server.token, { apiRoot: server.apiRoot });
    const a = new TelegramMessenger(api(), { adminChanges: await feed(db) });
    const b = new TelegramMessenger(api(), { adminChanges: await feed(second) });
    // A third process without the feed: what the two would do without it.
    const alone = new TelegramMessenger(api());
    for (const messenger of [a, b, alone]) expect(await messenger.isChatAdmin(chatId, `tg:${member.id}`)).toBe(true);
    const asked = server.calls('getChatMember').length;

    // Demoted; Telegram tells process a (a chat_member update reaches one process).
    server.setAdmins(group.id, []);
    a.forgetAdmin(group.id, member.id);

    await eventually(async () => !(await b.isChatAdmin(chatId, `tg:${member.id}`)));
    expect(await a.isChatAdmin(chatId, `tg:${member.id}`)).toBe(false);
    // The one without the feed still trusts its cache (5 minutes by default).
    expect(await alone.isChatAdmin(chatId, `tg:${member.id}`)).toBe(true);
    // Each of a and b asked Telegram once more; nothing else was dropped.
    expect(server.calls('getChatMember').length - asked).toBe(2);
  });

  it('a Discord member whose standing an interaction shows is published once per change', async () => {
    const a = await feed(db);
    const b = await feed(second);
    const heard: AdminChange[] = [];
    b.subscribe((change) => heard.push(change));
    const roles = new ServerRoles({} as Client, { adminChanges: a, adminRoleIds: ['r-admin'] });
    const interaction = (permissions: string, memberRoles: string[]) =>
      roles.remember({ guildId: 'g1', channelId: 'c1', userId: 'u1', member: { permissions, roles: memberRoles }, interaction: { id: 'i', token: 't', kind: 'command' } } as never);
    interaction('0', ['r-admin']);
    interaction('0', ['r-admin']);
    interaction('0', []);
    await eventually(() => heard.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The first sight and the demotion; the repeated interaction changed nothing.
    expect(heard).toEqual([
      { platform: 'dc', scope: 'g1', memberId: 'u1' },
      { platform: 'dc', scope: 'g1', memberId: 'u1' },
    ]);
  });

  it('a listener that lost its connection reconnects and drops everything it cached', { timeout: 15_000 }, async () => {
    const a = await feed(db);
    const heard: AdminChange[] = [];
    a.subscribe((change) => heard.push(change));
    await db.executeSql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN tuanbot_admin_changes'`);
    await eventually(() => heard.some((c) => 'everything' in c), 10_000);
    // Listening again: a change published afterwards arrives.
    const b = await feed(second);
    await b.publish({ platform: 'tg', scope: '-1', memberId: '2' });
    await eventually(() => heard.some((c) => 'memberId' in c && c.memberId === '2'));
  });
});
