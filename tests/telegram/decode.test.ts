import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { decodeUpdate, parseCommand, telegramSource } from '../../bots/telegram/decode.js';

const context = { botId: 777000111, botUsername: 'tuanbot_bot', now: () => new Date('2026-03-01T12:00:00Z') };

const alice = { id: 1001, is_bot: false, first_name: 'Alice', last_name: 'Wang', username: 'alice', language_code: 'zh-hans' };
const bob = { id: 1002, is_bot: false, first_name: 'Bob' };
const group = { id: -1001234, type: 'supergroup', title: 'Tea lovers' };
const bot = { id: 777000111, is_bot: true, first_name: 'Tuan Bot', username: 'tuanbot_bot' };

/** Shaped like real getUpdates payloads (trimmed of fields the decoder does not read). */
function decode(update: object) {
  return decodeUpdate(update as Update, context);
}

describe('decodeUpdate', () => {
  describe('commands', () => {
    it('reads a command addressed to this bot, with its arguments', () => {
      const events = decode({
        update_id: 501,
        message: {
          message_id: 40,
          from: alice,
          chat: group,
          date: 1772366400,
          text: '/Join@TuanBot_bot 2',
          entities: [{ type: 'bot_command', offset: 0, length: 17 }],
        },
      });
      expect(events).toEqual([
        {
          key: 'tg:501',
          platform: 'tg',
          kind: 'command',
          name: 'join',
          args: '2',
          // Named with @: in a group, an unknown command is answered only then.
          addressed: true,
          actor: { id: 'tg:1001', displayName: 'Alice Wang', username: 'alice', languageCode: 'zh-hans' },
          chat: { id: 'tg:-1001234', kind: 'group', groupId: 'tg:-1001234', title: 'Tea lovers' },
          at: new Date(1772366400 * 1000),
          source: expect.objectContaining({ updateId: 501, chatId: -1001234, messageId: 40 }),
        },
      ]);
    });

    it('ignores a command addressed to another bot', () => {
      const events = decode({
        update_id: 502,
        message: {
          message_id: 41,
          from: alice,
          chat: group,
          date: 1772366400,
          text: '/join@other_bot 2',
          entities: [{ type: 'bot_command', offset: 0, length: 15 }],
        },
      });
      expect(events).toEqual([]);
    });

    it('takes the replied-to author and text mentions as mentions, and keeps @usernames in args', () => {
      const carol = { id: 1003, is_bot: false, first_name: 'Carol' };
      const [event] = decode({
        update_id: 503,
        message: {
          message_id: 42,
          from: alice,
          chat: group,
          date: 1772366400,
          text: '/thanks Carol @dave',
          entities: [
            { type: 'bot_command', offset: 0, length: 7 },
            { type: 'text_mention', offset: 8, length: 5, user: carol },
            { type: 'mention', offset: 14, length: 5 },
          ],
          reply_to_message: { message_id: 30, from: bob, chat: group, date: 1772366000, text: 'hi' },
        },
      });
      expect(event).toMatchObject({
        kind: 'command',
        name: 'thanks',
        args: 'Carol @dave',
        mentions: [
          { id: 'tg:1002', displayName: 'Bob' },
          { id: 'tg:1003', displayName: 'Carol' },
        ],
      });
    });

    it('does not mention a bot the command replies to', () => {
      const [event] = decode({
        update_id: 504,
        message: {
          message_id: 43,
          from: alice,
          chat: group,
          date: 1772366400,
          text: '/join',
          entities: [{ type: 'bot_command', offset: 0, length: 5 }],
          reply_to_message: { message_id: 31, from: bot, chat: group, date: 1772366000, text: 'Group buy #12' },
        },
      });
      expect(event).toMatchObject({ kind: 'command', name: 'join', args: '' });
      expect(event).not.toHaveProperty('mentions');
    });

    it('marks a command as addressed only when it names this bot', () => {
      expect(parseCommand({ text: '/jion 2', entities: [{ type: 'bot_command', offset: 0, length: 5 }] }, 'tuanbot_bot')).toEqual({ name: 'jion', args: '2' });
      expect(parseCommand({ text: '/jion@tuanbot_bot 2', entities: [{ type: 'bot_command', offset: 0, length: 17 }] }, 'tuanbot_bot')).toEqual({ name: 'jion', args: '2', addressed: true });
    });

    it('parses a command only at the start of the text', () => {
      expect(parseCommand({ text: 'please /join', entities: [{ type: 'bot_command', offset: 7, length: 5 }] }, 'tuanbot_bot')).toBeUndefined();
    });
  });

  describe('button presses', () => {
    it('turns a callback query into a button event with the message and callback id', () => {
      const [event] = decode({
        update_id: 601,
        callback_query: {
          id: '4382bfdwdsb323b2d9',
          from: bob,
          chat_instance: '-8237582734',
          data: 'join:12',
          message: { message_id: 55, from: bot, chat: group, date: 1772366000, text: 'Group buy #12' },
        },
      });
      expect(event).toMatchObject({
        key: 'tg:601',
        kind: 'button',
        action: 'join:12',
        messageId: '55',
        actor: { id: 'tg:1002', displayName: 'Bob' },
        chat: { id: 'tg:-1001234', kind: 'group' },
        at: context.now(),
      });
      expect(telegramSource(event)).toMatchObject({ callbackQueryId: '4382bfdwdsb323b2d9', chatId: -1001234, messageId: 55 });
    });

    it('ignores callbacks from inline messages, which have no chat', () => {
      expect(decode({ update_id: 602, callback_query: { id: 'q', from: bob, chat_instance: 'x', inline_message_id: 'abc', data: 'join:1' } })).toEqual([]);
    });
  });

  describe('reactions', () => {
    it('emits one event per added and per removed emoji', () => {
      const events = decode({
        update_id: 701,
        message_reaction: {
          chat: group,
          message_id: 55,
          user: alice,
          date: 1772366500,
          old_reaction: [{ type: 'emoji', emoji: '👍' }, { type: 'emoji', emoji: '🔥' }],
          new_reaction: [{ type: 'emoji', emoji: '🔥' }, { type: 'emoji', emoji: '❤' }],
        },
      });
      expect(events.map((e) => (e.kind === 'reaction' ? [e.key, e.emoji, e.added, e.messageId] : e.kind))).toEqual([
        ['tg:701:+❤', '❤', true, '55'],
        ['tg:701:-👍', '👍', false, '55'],
      ]);
      expect(events[0]?.actor.id).toBe('tg:1001');
    });

    it('ignores anonymous reactions made on behalf of a chat', () => {
      const events = decode({
        update_id: 702,
        message_reaction: { chat: group, message_id: 55, actor_chat: group, date: 1772366500, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] },
      });
      expect(events).toEqual([]);
    });
  });

  describe('new members', () => {
    it('emits one member_joined per human newcomer, with the newcomer as actor', () => {
      const helper = { id: 5555, is_bot: true, first_name: 'Helper', username: 'helper_bot' };
      const events = decode({
        update_id: 801,
        message: { message_id: 60, from: alice, chat: group, date: 1772366600, new_chat_members: [bob, helper] },
      });
      expect(events).toEqual([
        expect.objectContaining({ key: 'tg:801:joined:1002', kind: 'member_joined', actor: { id: 'tg:1002', displayName: 'Bob' } }),
      ]);
    });

    it('emits member_left for a human who left or was removed, with that member as actor, and nothing for a bot', () => {
      const helper = { id: 5555, is_bot: true, first_name: 'Helper', username: 'helper_bot' };
      expect(decode({ update_id: 802, message: { message_id: 61, from: alice, chat: group, date: 1772366600, left_chat_member: bob } })).toEqual([
        expect.objectContaining({ key: 'tg:802:left:1002', kind: 'member_left', actor: { id: 'tg:1002', displayName: 'Bob' } }),
      ]);
      expect(decode({ update_id: 803, message: { message_id: 62, from: alice, chat: group, date: 1772366600, left_chat_member: helper } })).toEqual([]);
    });
  });

  describe('text', () => {
    it('takes a group message that answers the bot', () => {
      const [event] = decode({
        update_id: 901,
        message: {
          message_id: 70,
          from: alice,
          chat: group,
          date: 1772366700,
          text: '3 boxes',
          reply_to_message: { message_id: 69, from: bot, chat: group, date: 1772366690, text: 'How many?' },
        },
      });
      expect(event).toMatchObject({ kind: 'text', text: '3 boxes', chat: { kind: 'group' } });
    });

    it('marks group chatter that is not addressed to the bot as overheard (it arrives only with privacy mode off)', () => {
      const events = decode({ update_id: 902, message: { message_id: 71, from: alice, chat: group, date: 1772366700, text: 'anyone for tea?' } });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'text', text: 'anyone for tea?', ambient: true });
      expect(events[0]).not.toHaveProperty('replyTo');
    });

    it('names the message a group text replies to: the bot\'s card (addressed) or another member\'s (overheard)', () => {
      const card = { message_id: 40, from: bot, chat: group, date: 1772366000, text: '🛒 Group buy #1: Tea' };
      const [toCard] = decode({ update_id: 904, message: { message_id: 73, from: alice, chat: group, date: 1772366700, text: '+1', reply_to_message: card } });
      expect(toCard).toMatchObject({ kind: 'text', text: '+1', replyTo: { messageId: '40', byBot: true } });
      expect(toCard).not.toHaveProperty('ambient');
      const other = { message_id: 41, from: alice, chat: group, date: 1772366000, text: 'who wants tea?' };
      const [toMember] = decode({ update_id: 905, message: { message_id: 74, from: alice, chat: group, date: 1772366700, text: '+1', reply_to_message: other } });
      expect(toMember).toMatchObject({ kind: 'text', ambient: true, replyTo: { messageId: '41', byBot: false } });
    });

    it('takes a group message that mentions the bot, without the mention, as addressed to it', () => {
      const text = 'hi @TuanBot_bot jion 2';
      const events = decode({
        update_id: 903,
        message: { message_id: 72, from: alice, chat: group, date: 1772366700, text, entities: [{ type: 'mention', offset: 3, length: 12 }] },
      });
      expect(events).toEqual([expect.objectContaining({ kind: 'text', text: 'hi jion 2', addressed: true, chat: expect.objectContaining({ kind: 'group' }) })]);
      // Someone else mentioned: chatter, overheard (for the 接龙 habits alone), never addressed.
      const other = decode({
        update_id: 904,
        message: { message_id: 73, from: alice, chat: group, date: 1772366700, text: 'ask @bob', entities: [{ type: 'mention', offset: 4, length: 4 }] },
      });
      expect(other).toEqual([expect.objectContaining({ kind: 'text', text: 'ask @bob', ambient: true })]);
      expect(other[0]).not.toHaveProperty('addressed');
    });

    it('does not take a forum message whose only "reply" is the topic opener as a reply to the bot', () => {
      const events = decode({
        update_id: 903,
        message: {
          message_id: 72,
          message_thread_id: 5,
          is_topic_message: true,
          from: alice,
          chat: { ...group, is_forum: true },
          date: 1772366700,
          text: 'chatter',
          reply_to_message: { message_id: 5, from: bot, chat: group, date: 1772366000, forum_topic_created: { name: 'Orders', icon_color: 1 } },
        },
      });
      // Overheard chatter (the core leaves it alone unless it is a 接龙 habit), not a reply to the bot.
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'text', ambient: true });
      expect(events[0]).not.toHaveProperty('replyTo');
    });

    it('takes any text in a private chat', () => {
      const [event] = decode({
        update_id: 904,
        message: { message_id: 3, from: alice, chat: { id: 1001, type: 'private', first_name: 'Alice' }, date: 1772366800, text: 'hello' },
      });
      expect(event).toMatchObject({ key: 'tg:904', kind: 'text', text: 'hello', chat: { id: 'tg:1001', kind: 'private' } });
    });

    it('ignores messages posted anonymously on behalf of a chat', () => {
      const events = decode({
        update_id: 905,
        message: {
          message_id: 73,
          from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
          sender_chat: group,
          chat: group,
          date: 1772366700,
          text: '/close',
          entities: [{ type: 'bot_command', offset: 0, length: 6 }],
        },
      });
      expect(events).toEqual([]);
    });
  });
});
