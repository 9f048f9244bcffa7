/**
 * Issue 11: "One malformed payload never ends the process (today a Discord direct message without an author throws
 * outside any guard and takes the Telegram adapter down with it)". The bot runs as a real process with both adapters,
 * against the fake Bot API and the fake Discord server (gateway included).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, eventually } from '../support/bot-process.js';
import { FakeDiscordServer } from '../support/fake-discord-server.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

describe('malformed payloads do not end the process', () => {
  let telegram: FakeTelegramServer;
  let discord: FakeDiscordServer;
  let dir: string;
  let bot: BotProcess;

  beforeAll(async () => {
    telegram = await FakeTelegramServer.start();
    discord = await FakeDiscordServer.start();
    dir = await mkdtemp(join(tmpdir(), 'tuanbot-malformed-'));
  });

  afterAll(async () => {
    if (bot?.running) {
      bot.kill('SIGKILL');
      await bot.exited;
    }
    await telegram.close();
    await discord.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it(
    'a Discord DM without an author, a dispatch with no data and a Telegram update without its chat are logged; both adapters keep answering',
    async () => {
      bot = new BotProcess({
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        DISCORD_TOKEN: discord.token,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_BASE: discord.apiBase,
        DATA_DIR: join(dir, 'pglite'),
      });
      await bot.waitForLog('discord adapter running');
      const guild = discord.guild('Tea');
      const member = discord.member(guild, { username: 'mei', locale: 'en-US' });
      const dmChannel = discord.dmChannelOf(member);

      // The payload: a direct message whose author is missing.
      discord.dispatchRaw('MESSAGE_CREATE', { id: discord.snowflake(), channel_id: dmChannel, content: 'hello', type: 0, attachments: [], timestamp: new Date().toISOString() });
      // Worse: no data at all; and a Telegram update whose message has no chat.
      discord.dispatchRaw('MESSAGE_CREATE', null);
      const alice = telegram.user({ first_name: 'Alice', language_code: 'en' });
      telegram.push({ message: { message_id: 1, date: 0, from: alice, chat: null, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } } as never);

      await eventually(() => bot.logs.some((l) => l.msg === 'discord dispatch could not be read: ignored'), 30_000, 'the unreadable dispatch logged');
      await eventually(() => bot.logs.some((l) => l.msg === 'telegram update failed'), 30_000, 'the unreadable update logged');

      // Still alive, on both platforms.
      telegram.command(alice, telegram.privateChat(alice), '/help');
      await eventually(() => telegram.botMessages(alice.id).length > 0, 60_000, 'a Telegram answer');
      const interaction = discord.slashCommand(member, guild.channelId, 'help');
      await eventually(() => discord.interactionRecord(interaction)?.ackType !== undefined, 60_000, 'a Discord answer');
      expect(bot.running).toBe(true);

      bot.kill('SIGTERM');
      expect((await bot.exited).code).toBe(0);
    },
    300_000,
  );
});
