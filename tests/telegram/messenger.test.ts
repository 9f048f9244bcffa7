import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { autoRetry } from '@grammyjs/auto-retry';
import { decodeUpdate, telegramSource } from '../../bots/telegram/decode.js';
import { TelegramMessenger, splitText } from '../../bots/telegram/messenger.js';
import type { CoreEvent } from '../../core/events.js';
import { DeliveryError } from '../../core/ports.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

let server: FakeTelegramServer;
let api: Api;
let messenger: TelegramMessenger;
let clockMs: number;

beforeEach(async () => {
  server = await FakeTelegramServer.start();
  api = new Api(server.token, { apiRoot: server.apiRoot });
  api.config.use(autoRetry({ maxRetryAttempts: 2 }));
  clockMs = Date.parse('2026-03-01T12:00:00Z');
  messenger = new TelegramMessenger(api, { now: () => clockMs });
});

afterEach(async () => {
  await server.close();
});

/** Decodes an update the fake server queued, as the bot would, to use as a reply's origin. */
function originOf(update: Update): CoreEvent {
  const [event] = decodeUpdate(update, { botId: server.botInfo.id, botUsername: server.botInfo.username, now: () => new Date() });
  if (!event) throw new Error('update decoded to nothing');
  return event;
}

describe('TelegramMessenger', () => {
  it('sends plain text with inline buttons and returns where it landed', async () => {
    const group = server.group('Tea lovers');
    const ref = await messenger.deliver({
      kind: 'message',
      to: { chatId: `tg:${group.id}` },
      text: 'Group buy #12: *Oolong* <b>2 left</b>',
      buttons: [[{ label: 'Join', action: 'join:12' }, { label: 'Leave', action: 'leave:12' }]],
      card: 'buy:12',
    });

    const [call] = server.calls('sendMessage');
    expect(call?.params).toMatchObject({
      chat_id: group.id,
      text: 'Group buy #12: *Oolong* <b>2 left</b>',
      reply_markup: { inline_keyboard: [[{ text: 'Join', callback_data: 'join:12' }, { text: 'Leave', callback_data: 'leave:12' }]] },
    });
    expect(call?.params).not.toHaveProperty('parse_mode');
    expect(ref).toEqual({ chatId: `tg:${group.id}`, messageId: String(server.lastBotMessage(group.id)?.message_id) });
  });

  it('asks a question in a group as a selective force-reply to the command', async () => {
    const group = server.group();
    const alice = server.user({ first_name: 'Alice' });
    const origin = originOf(server.command(alice, group, '/join'));

    await messenger.deliver({ kind: 'message', to: { chatId: `tg:${group.id}` }, text: 'How many?', expectAnswer: true }, origin);

    expect(server.calls('sendMessage')[0]?.params).toMatchObject({
      reply_markup: { force_reply: true, selective: true },
      reply_parameters: { message_id: telegramSource(origin)?.messageId },
    });
  });

  it('splits text longer than 4096 characters at line breaks and loses nothing', async () => {
    const group = server.group();
    const lines = Array.from({ length: 300 }, (_, i) => `${i + 1}. member number ${i + 1} — 2 boxes`);
    await messenger.deliver({
      kind: 'message',
      to: { chatId: `tg:${group.id}` },
      text: lines.join('\n'),
      buttons: [[{ label: 'Join', action: 'join:1' }]],
    });

    const sent = server.calls('sendMessage');
    expect(sent.length).toBeGreaterThan(1);
    for (const call of sent) expect(String(call.params.text).length).toBeLessThanOrEqual(4096);
    expect(sent.map((call) => call.params.text).join('\n')).toBe(lines.join('\n'));
    // Buttons stay under the end of the card.
    expect(sent.at(-1)?.params.reply_markup).toBeDefined();
    expect(sent[0]?.params.reply_markup).toBeUndefined();
  });

  it('edits a message in place with new buttons', async () => {
    const group = server.group();
    const ref = await messenger.deliver({ kind: 'message', to: { chatId: `tg:${group.id}` }, text: 'Buy #1: 0 joined', buttons: [[{ label: 'Join', action: 'join:1' }]] });

    const edited = await messenger.deliver({ kind: 'edit', chatId: ref!.chatId, messageId: ref!.messageId, text: 'Buy #1: closed' });

    expect(edited).toEqual(ref);
    const message = server.message(group.id, Number(ref!.messageId));
    expect(message?.text).toBe('Buy #1: closed');
    expect(message?.reply_markup).toBeUndefined(); // no buttons in the edit removes them
    expect(server.calls('editMessageText')[0]?.params).toMatchObject({ reply_markup: { inline_keyboard: [] } });
  });

  it('treats an edit that changes nothing as done', async () => {
    const group = server.group();
    const reply = { kind: 'message' as const, to: { chatId: `tg:${group.id}` }, text: 'Buy #1', buttons: [[{ label: 'Join', action: 'join:1' }]] };
    const ref = await messenger.deliver(reply);

    await expect(messenger.deliver({ kind: 'edit', ...ref!, text: reply.text, buttons: reply.buttons })).resolves.toEqual(ref);
    expect(server.calls('editMessageText')).toHaveLength(1);
  });

  it('reports a message that no longer exists as not_found', async () => {
    const group = server.group();
    const error = await messenger.deliver({ kind: 'edit', chatId: `tg:${group.id}`, messageId: '999', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).kind).toBe('not_found');
  });

  it('withdraws a photo message by deleting it; when Telegram refuses, its caption says the photo was removed', async () => {
    const group = server.group();
    const chatId = `tg:${group.id}`;
    const posted = await messenger.deliver({ kind: 'message', to: { chatId }, text: '🛒 #1 Tea', photo: { fileId: 'AgAC-tea' }, card: 'buy-photo:1' });
    const removed = { kind: 'edit' as const, chatId, messageId: posted!.messageId, text: '🛒 #1 Tea: the product photo was removed.', removePhoto: true };
    expect(await messenger.deliver(removed)).toEqual(posted);
    expect(server.message(group.id, Number(posted!.messageId))).toBeUndefined();
    // Deleted already (by hand, or a repeated delivery): nothing more to do, no error.
    await expect(messenger.deliver(removed)).resolves.toEqual(posted);
    expect(server.calls('editMessageCaption')).toEqual([]);

    const old = await messenger.deliver({ kind: 'message', to: { chatId }, text: '🛒 #2 Rice', photo: { fileId: 'AgAC-rice' }, card: 'buy-photo:2' });
    server.refuseDeletes();
    await messenger.deliver({ ...removed, messageId: old!.messageId, text: '🛒 #2 Rice: the product photo was removed.' });
    expect(server.message(group.id, Number(old!.messageId))?.caption).toBe('🛒 #2 Rice: the product photo was removed.');
  });

  it('sends a DM to the member’s private chat', async () => {
    const alice = server.user();
    server.startBot(alice);
    const ref = await messenger.deliver({ kind: 'message', to: { memberId: `tg:${alice.id}` }, text: 'Your order is ready' });
    expect(ref?.chatId).toBe(`tg:${alice.id}`);
    expect(server.calls('sendMessage')[0]?.params.chat_id).toBe(alice.id);
  });

  it('throws dm_blocked when the member never started the bot', async () => {
    const bob = server.user();
    const error = await messenger.deliver({ kind: 'message', to: { memberId: `tg:${bob.id}` }, text: 'psst' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).kind).toBe('dm_blocked');
    expect((error as DeliveryError).message).toMatch(/can't initiate conversation/);
  });

  it('throws dm_blocked when the member blocked the bot', async () => {
    const bob = server.user();
    server.startBot(bob);
    server.blockBot(bob);
    const error = await messenger.deliver({ kind: 'message', to: { memberId: `tg:${bob.id}` }, text: 'psst' }).catch((e: unknown) => e);
    expect((error as DeliveryError).kind).toBe('dm_blocked');
  });

  it('uploads a CSV document with a BOM so Excel reads Chinese names', async () => {
    const alice = server.user();
    server.startBot(alice);
    const content = 'name,qty\n王小明,2\n';
    const ref = await messenger.deliver({
      kind: 'document',
      to: { memberId: `tg:${alice.id}` },
      filename: 'buy-12.csv',
      mimeType: 'text/csv',
      content,
      caption: 'Sign-ups for buy #12',
    });

    const [file] = server.documents();
    expect(file?.filename).toBe('buy-12.csv');
    expect(file?.content.equals(Buffer.from('\uFEFF' + content, 'utf8'))).toBe(true);
    expect(server.calls('sendDocument')[0]?.params).toMatchObject({ chat_id: alice.id, caption: 'Sign-ups for buy #12' });
    expect(ref?.chatId).toBe(`tg:${alice.id}`);
  });

  it('uploads a picture with sendPhoto, its text as the caption with the buttons under it', async () => {
    const alice = server.user();
    server.startBot(alice);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const ref = await messenger.deliver({
      kind: 'photo', to: { memberId: `tg:${alice.id}` }, filename: 'case-3.png', data: png, text: '⚠️ Case 3', buttons: [[{ label: 'Confirm', action: 'mod:confirm:3' }]],
    });

    const [call, ...more] = server.calls('sendPhoto');
    expect(more).toEqual([]);
    expect(call?.params).toMatchObject({ chat_id: alice.id, caption: '⚠️ Case 3', reply_markup: { inline_keyboard: [[{ text: 'Confirm', callback_data: 'mod:confirm:3' }]] } });
    expect(server.uploadedPhotos().map((f) => [f.filename, [...f.content]])).toEqual([['case-3.png', [...png]]]);
    expect(server.calls('sendMessage')).toEqual([]);
    expect(ref).toEqual({ chatId: `tg:${alice.id}`, messageId: String(server.lastBotMessage(alice.id)?.message_id) });
  });

  it('sends a text too long for a caption, and the buttons, in a message right after the picture', async () => {
    const alice = server.user();
    server.startBot(alice);
    const text = `⚠️ ${'evidence '.repeat(150)}`;
    const ref = await messenger.deliver({
      kind: 'photo', to: { memberId: `tg:${alice.id}` }, filename: 'case-3.png', data: new Uint8Array([1, 2, 3]), text, buttons: [[{ label: 'Confirm', action: 'mod:confirm:3' }]],
    });

    const [photo] = server.calls('sendPhoto');
    expect(photo?.params).not.toHaveProperty('caption');
    expect(photo?.params).not.toHaveProperty('reply_markup');
    const [message] = server.calls('sendMessage');
    expect(message?.params).toMatchObject({ chat_id: alice.id, text, reply_markup: { inline_keyboard: [[{ text: 'Confirm', callback_data: 'mod:confirm:3' }]] } });
    expect(ref?.messageId).toBe(String(server.lastBotMessage(alice.id)?.message_id));
    expect(server.botMessages(alice.id).map((m) => (m.photo ? 'photo' : 'text'))).toEqual(['photo', 'text']);
  });

  it('answers a button press with a toast cut to 200 characters', async () => {
    const group = server.group();
    const alice = server.user();
    const ref = await messenger.deliver({ kind: 'message', to: { chatId: `tg:${group.id}` }, text: 'Buy', buttons: [[{ label: 'Join', action: 'join:1' }]] });
    const origin = originOf(server.press(alice, server.message(group.id, Number(ref!.messageId))!, { label: 'Join' }));

    await messenger.deliver({ kind: 'toast', text: 'x'.repeat(300), alert: true }, origin);

    const [call] = server.calls('answerCallbackQuery');
    expect(String(call?.params.text).length).toBe(200);
    expect(call?.params.show_alert).toBe(true);
    expect(messenger.takeAnswered(String(call?.params.callback_query_id))).toBe(true);
  });

  it('retries a flood-limited send after retry_after (auto-retry)', async () => {
    const group = server.group();
    server.floodNext('sendMessage', 1);
    const started = Date.now();

    const ref = await messenger.deliver({ kind: 'message', to: { chatId: `tg:${group.id}` }, text: 'hello' });

    expect(ref).toBeDefined();
    expect(server.calls('sendMessage')).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.botMessages(group.id).map((m) => m.text)).toEqual(['hello']);
  });

  it('looks admins up once per chat and member while the cache is fresh', async () => {
    const group = server.group();
    const admin = server.user();
    const member = server.user();
    server.setAdmins(group.id, [admin.id]);

    expect(await messenger.isChatAdmin(`tg:${group.id}`, `tg:${admin.id}`)).toBe(true);
    expect(await messenger.isChatAdmin(`tg:${group.id}`, `tg:${admin.id}`)).toBe(true);
    expect(await messenger.isChatAdmin(`tg:${group.id}`, `tg:${member.id}`)).toBe(false);
    expect(server.calls('getChatMember')).toHaveLength(2);

    clockMs += 5 * 60_000 + 1;
    server.setAdmins(group.id, []);
    expect(await messenger.isChatAdmin(`tg:${group.id}`, `tg:${admin.id}`)).toBe(false);
    expect(server.calls('getChatMember')).toHaveLength(3);
  });

  it('knows the chat creator is an admin and that private chats have none', async () => {
    const group = server.group();
    const owner = server.user();
    server.setAdmins(group.id, [], owner.id);
    expect(await messenger.isChatAdmin(`tg:${group.id}`, `tg:${owner.id}`)).toBe(true);
    expect(await messenger.isChatAdmin(`tg:${owner.id}`, `tg:${owner.id}`)).toBe(false);
    expect(server.calls('getChatMember')).toHaveLength(1);
  });
});

describe('splitText', () => {
  it('cuts a single overlong line at a space, and never inside an emoji', () => {
    const parts = splitText('🍵'.repeat(10), 5);
    expect(parts.join('')).toBe('🍵'.repeat(10));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(5);
    expect(splitText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
  });
});
