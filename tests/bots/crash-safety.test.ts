/**
 * Issue 11, "No update lost at a crash", with the bot as a real process against the fake Bot API: a burst of Join
 * presses, SIGKILL in the middle, a restart on the same data; SIGTERM in the middle of another burst; a second bot
 * token on the same data folder; a malformed update. PGlite in a temporary folder, or a fresh PostgreSQL database when
 * TEST_DATABASE_URL is set.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message, User } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../prisma/database.js';
import { BotProcess, eventually } from '../support/bot-process.js';
import { createEmptyPostgresDatabase, testDatabaseUrl } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

const BURST = 200;

describe('the bot process: no update lost at a crash, graceful at SIGTERM', () => {
  let server: FakeTelegramServer;
  let dataEnv: Record<string, string>;
  let cleanup: () => Promise<void>;
  let bot: BotProcess | undefined;
  let card: Message;
  let admin: User;
  const group = { id: 0 } as { id: number };
  const crowd: User[] = [];

  beforeAll(async () => {
    server = await FakeTelegramServer.start();
    if (testDatabaseUrl) {
      const database = await createEmptyPostgresDatabase('tuanbot_crash');
      dataEnv = { DATABASE_URL: database.url };
      cleanup = database.drop;
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'tuanbot-crash-'));
      dataEnv = { DATA_DIR: join(dir, 'pglite') };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  afterAll(async () => {
    if (bot?.running) {
      bot.kill('SIGKILL');
      await bot.exited;
    }
    await server.close();
    await cleanup();
  }, 60_000);

  // Card edits 4 s apart: under Telegram's 20 messages a minute per group (the throttler holds more for up to a minute,
  // longer than a shutdown waits for them).
  function startBot(fake = server, extra: Record<string, string> = {}): BotProcess {
    bot = new BotProcess({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, CARD_EDIT_INTERVAL_MS: '4000', ...dataEnv, ...extra });
    return bot;
  }

  /** Reads the database while no bot process holds it (PGlite is one process's at a time). */
  async function withDatabase<T>(read: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(dataEnv.DATABASE_URL ? { url: dataEnv.DATABASE_URL, migrate: false } : { dataDir: dataEnv.DATA_DIR, migrate: false });
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  }

  async function signUps(db: Database): Promise<{ memberId: string; quantity: number; status: string }[]> {
    return db.prisma.signUp.findMany({ where: { buyId: 1 }, select: { memberId: true, quantity: true, status: true } });
  }

  const toastsWithText = () => server.calls('answerCallbackQuery').filter((c) => typeof c.params.text === 'string' && c.params.text.length > 0);

  it(
    `${BURST} Join presses, SIGKILL after some were answered, restart: each has exactly one sign-up, was answered, and the card matches`,
    async () => {
      admin = server.user({ first_name: 'Anna', language_code: 'en' });
      const chat = server.group('Tea lovers');
      group.id = chat.id;
      server.setAdmins(chat.id, [admin.id], admin.id);
      const first = startBot();
      await first.waitForLog('telegram adapter running');
      server.command(admin, chat, '/newbuy@tuanbot_bot Tea | 10 | min 1 | max 1000 | ends 3h');
      card = await eventually(() => server.botMessages(chat.id).find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text.includes('Join'))), 60_000, 'the buy card');

      for (let i = 0; i < BURST; i++) crowd.push(server.user({ first_name: `M${i}`, language_code: 'en' }));
      const presses = crowd.map((member) => server.press(member, card, { data: `join:1` }));
      const queryIds = presses.map((p) => p.callback_query!.id);

      // Killed in the middle of the burst: some presses answered, many not even handled.
      await eventually(() => server.answeredQueryIds().size >= 40, 120_000, '40 answered presses');
      first.kill('SIGKILL');
      await first.exited;
      const answeredBeforeKill = server.answeredQueryIds().size;
      const unconfirmedAtKill = server.unconfirmedUpdates().length;
      expect(answeredBeforeKill).toBeLessThan(BURST);
      // Telegram still holds every update the killed process had not finished: they are delivered again.
      expect(unconfirmedAtKill).toBeGreaterThanOrEqual(BURST - answeredBeforeKill);

      const second = startBot();
      await second.waitForLog('telegram adapter running');
      await eventually(() => queryIds.every((id) => server.answeredQueryIds().has(id)), 180_000, 'every press answered');
      await eventually(() => server.unconfirmedUpdates().length === 0, 30_000, 'every update confirmed');
      second.kill('SIGTERM');
      expect((await second.exited).code, second.stderr.slice(-3000)).toBe(0);

      const rows = await withDatabase(signUps);
      expect(rows).toHaveLength(BURST);
      expect(new Set(rows.map((r) => r.memberId)).size).toBe(BURST);
      expect(rows.every((r) => r.quantity === 1 && r.status === 'active')).toBe(true);
      // Each press was told what happened, but for at most the one update of this chat that was between its commit and
      // its answer at the kill: it is answered (the button's spinner stops) without its toast (ADR 018).
      const told = new Set(toastsWithText().map((c) => String(c.params.callback_query_id)));
      expect(queryIds.filter((id) => !told.has(id)).length).toBeLessThanOrEqual(1);
      // The card shows the database's state, whatever edits the killed process left pending.
      const shown = server.message(chat.id, card.message_id)!.text!;
      expect(shown).toContain(`${BURST}/1000`);
      expect(shown).toContain(`Participants (${BURST}):`);
      console.info(`crash: answered before SIGKILL ${answeredBeforeKill}, unconfirmed at Telegram ${unconfirmedAtKill}, presses without their toast ${queryIds.filter((id) => !told.has(id)).length}`);
    },
    600_000,
  );

  it(
    'SIGTERM in the middle of a burst: the updates taken are finished and confirmed, the card edits sent, the rest left at Telegram',
    async () => {
      const more = Array.from({ length: 60 }, (_, i) => server.user({ first_name: `N${i}`, language_code: 'en' }));
      const third = startBot();
      await third.waitForLog('telegram adapter running');
      const before = server.answeredQueryIds().size;
      const presses = more.map((member) => server.press(member, card, { data: 'join:1' }));
      await eventually(() => server.answeredQueryIds().size >= before + 10, 120_000, '10 answered presses');
      third.kill('SIGTERM');
      const exit = await third.exited;
      expect(exit.code, third.stderr.slice(-3000)).toBe(0);
      expect(third.logs.some((l) => l.msg === 'telegram bot stopped')).toBe(true);

      const confirmed = server.confirmedOffset;
      const handled = presses.filter((p) => p.update_id < confirmed);
      const left = presses.filter((p) => p.update_id >= confirmed);
      expect(handled.length).toBeGreaterThanOrEqual(10);
      // Everything confirmed was finished: answered, and signed up.
      expect(handled.every((p) => server.answeredQueryIds().has(p.callback_query!.id))).toBe(true);
      expect(left.every((p) => !server.answeredQueryIds().has(p.callback_query!.id))).toBe(true);
      expect(server.unconfirmedUpdates().map((u) => u.update_id)).toEqual(left.map((p) => p.update_id));
      const rows = await withDatabase(signUps);
      expect(rows).toHaveLength(BURST + handled.length);
      // The pending card edits went out before the exit.
      expect(server.message(group.id, card.message_id)!.text).toContain(`${BURST + handled.length}/1000`);

      // The next process takes the rest.
      const fourth = startBot();
      await fourth.waitForLog('telegram adapter running');
      await eventually(() => presses.every((p) => server.answeredQueryIds().has(p.callback_query!.id)), 120_000, 'the rest answered');
      await eventually(() => server.unconfirmedUpdates().length === 0, 30_000, 'every update confirmed');
      fourth.kill('SIGTERM');
      expect((await fourth.exited).code, fourth.stderr.slice(-3000)).toBe(0);
      expect(await withDatabase(async (db) => (await signUps(db)).length)).toBe(BURST + more.length);
      expect(server.message(group.id, card.message_id)!.text).toContain(`${BURST + more.length}/1000`);
    },
    600_000,
  );

  it(
    'a second bot token on the same data folder handles its own first commands; a malformed update does not end it',
    async () => {
      const other = await FakeTelegramServer.start({ token: '987654:OTHER-token_for-fake-server', bot: { username: 'other_bot' } });
      try {
        const fifth = startBot(other);
        await fifth.waitForLog('telegram adapter running');
        const bea = other.user({ first_name: 'Bea', language_code: 'en' });
        // Update 1 of this bot: the first bot's update 1 (its /newbuy) is in the same database.
        const help = other.command(bea, other.privateChat(bea), '/help');
        expect(help.update_id).toBe(1);
        // A message whose chat is missing: the decoder cannot read it.
        other.push({ message: { message_id: 1, date: 0, from: bea, chat: null, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } } as never);
        other.command(bea, other.privateChat(bea), '/start');
        await eventually(() => other.botMessages(bea.id).length >= 2, 60_000, 'answers to /help and /start');
        expect(fifth.running).toBe(true);
        expect(fifth.logs.some((l) => l.msg === 'telegram update failed')).toBe(true);
        await eventually(() => other.unconfirmedUpdates().length === 0, 30_000, 'every update confirmed');
        fifth.kill('SIGTERM');
        expect((await fifth.exited).code, fifth.stderr.slice(-3000)).toBe(0);
      } finally {
        await other.close();
      }
    },
    300_000,
  );
});
