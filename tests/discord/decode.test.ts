/**
 * The Discord decoder on gateway payloads. The payloads in ./payloads follow the shapes Discord documents and sends
 * (field for field, including ones the decoder ignores); they were written from the API reference, not captured from
 * a live bot, since this machine has no route to Discord.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { APIInteraction, GatewayMessageCreateDispatchData, GatewayMessageReactionAddDispatchData, GatewayMessageReactionRemoveDispatchData } from 'discord-api-types/v10';
import { decodeDirectMessage, decodeGuildMessage, decodeInteraction, decodeReaction, discordSource, snowflakeTime } from '../../bots/discord/decode.js';

const payload = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./payloads/${name}.json`, import.meta.url), 'utf8')) as T;
const BOT = '1290000000000000001';
const reactionContext = { botId: BOT, sessionId: 's1', sequence: 42, now: () => new Date('2026-03-10T02:00:00Z') };

describe('decodeInteraction', () => {
  it('turns a guild slash command into a command event with its options typed, by name', () => {
    const event = decodeInteraction(payload<APIInteraction>('slash-join-guild'));
    expect(event).toMatchObject({
      key: 'dc:1290567890123456789',
      platform: 'dc',
      kind: 'command',
      name: 'join',
      args: '',
      options: { buy: 3, quantity: 2 },
      actor: { id: 'dc:1290000000000000400', displayName: '小明', username: 'xiaoming', languageCode: 'zh-CN' },
      chat: { id: 'dc:1290000000000000200', kind: 'group', groupId: 'dc:1290000000000000100', title: 'group-buys' },
    });
    expect(event?.at).toEqual(snowflakeTime('1290567890123456789'));
    expect(discordSource(event)).toMatchObject({
      channelId: '1290000000000000200',
      guildId: '1290000000000000100',
      interaction: { id: '1290567890123456789', kind: 'command' },
      member: { permissions: '2248473465835073', roles: ['1290000000000000300'] },
    });
  });

  it('passes a user option as a mention, named as the server shows them', () => {
    const event = decodeInteraction(payload<APIInteraction>('slash-paid-user'));
    expect(event).toMatchObject({ kind: 'command', name: 'paid', args: '', mentions: [{ id: 'dc:1290000000000000500', displayName: 'Bob B.', username: 'bob' }] });
  });

  it('treats a command in the bot’s DMs as a private chat', () => {
    const event = decodeInteraction(payload<APIInteraction>('slash-mybuys-dm'));
    expect(event).toMatchObject({ kind: 'command', name: 'mybuys', args: '', chat: { id: 'dc:1290000000000000700', kind: 'private' }, actor: { id: 'dc:1290000000000000800', languageCode: 'en-GB' } });
  });

  it('turns a button press into a button event carrying the custom_id as the action', () => {
    const event = decodeInteraction(payload<APIInteraction>('button-join'));
    expect(event).toMatchObject({ kind: 'button', action: 'join:12', messageId: '1290000000000001000', actor: { displayName: 'bob' } });
    expect(discordSource(event)?.interaction?.kind).toBe('component');
  });

  it('turns a submitted answer form into a text event', () => {
    const event = decodeInteraction(payload<APIInteraction>('modal-answer'));
    expect(event).toMatchObject({ kind: 'text', text: 'Oolong tea 250g', actor: { id: 'dc:1290000000000000600' } });
    expect(discordSource(event)?.interaction?.kind).toBe('modal');
  });

  it('ignores the answer button itself (the adapter opens the form), bots, and other interaction types', () => {
    const button = payload<any>('button-join');
    expect(decodeInteraction({ ...button, data: { component_type: 2, custom_id: 'tuanbot:answer' } })).toBeUndefined();
    const bot = payload<any>('slash-join-guild');
    bot.member.user.bot = true;
    expect(decodeInteraction(bot)).toBeUndefined();
    expect(decodeInteraction({ ...payload<any>('slash-join-guild'), type: 4 })).toBeUndefined();
    expect(decodeInteraction({ ...button, data: { component_type: 3, custom_id: 'pick', values: ['a'] } })).toBeUndefined();
  });
});

describe('decodeReaction', () => {
  it('decodes a reaction added to one of the bot’s messages', () => {
    const event = decodeReaction(payload<GatewayMessageReactionAddDispatchData>('reaction-add'), true, reactionContext);
    expect(event).toEqual(
      expect.objectContaining({
        key: 'dc:s1:42',
        kind: 'reaction',
        messageId: '1290000000000001000',
        emoji: '👍',
        added: true,
        actor: { id: 'dc:1290000000000000500', displayName: 'Bob B.', username: 'bob' },
        chat: { id: 'dc:1290000000000000200', kind: 'group', groupId: 'dc:1290000000000000100' },
      }),
    );
  });

  it('names custom emoji custom:<id> and passes removals (which carry no message author)', () => {
    const event = decodeReaction(payload<GatewayMessageReactionRemoveDispatchData>('reaction-remove-custom'), false, reactionContext);
    expect(event).toMatchObject({ kind: 'reaction', emoji: 'custom:1290000000000002000', added: false, actor: { id: 'dc:1290000000000000500' } });
  });

  it('ignores reactions on other members’ messages and the bot’s own reactions', () => {
    const data = payload<GatewayMessageReactionAddDispatchData>('reaction-add');
    expect(decodeReaction({ ...data, message_author_id: '1290000000000000999' }, true, reactionContext)).toBeUndefined();
    expect(decodeReaction({ ...data, user_id: BOT }, true, reactionContext)).toBeUndefined();
  });
});

describe('message commands', () => {
  it('turns "Share photo" on one’s own message into /share with its text and photos', () => {
    const event = decodeInteraction(payload<APIInteraction>('message-command-share'));
    expect(event).toMatchObject({
      kind: 'command', name: 'share', args: '自己做的果酱', actor: { id: 'dc:1290000000000000400' },
      attachments: [{ kind: 'photo', fileId: expect.stringMatching(/jam\.png\?ex=/) }],
    });
    expect(discordSource(event)?.interaction).toMatchObject({ kind: 'command' });
  });

  it('takes nothing from someone else’s message, and ignores unknown message commands', () => {
    const data = payload<any>('message-command-share');
    data.data.resolved.messages['1290567890123456700'].author.id = '1290000000000000999';
    expect(decodeInteraction(data)).toMatchObject({ kind: 'command', name: 'share', args: '' });
    expect(decodeInteraction(data)).not.toHaveProperty('attachments');
    data.data.name = 'Translate';
    expect(decodeInteraction(data)).toBeUndefined();
  });
});

describe('decodeDirectMessage', () => {
  const dm = () => payload<GatewayMessageCreateDispatchData>('message-create-dm');

  it('turns a DM into a private text event with its photos and videos (by URL); other files are left out', () => {
    const event = decodeDirectMessage(dm(), BOT);
    expect(event).toMatchObject({
      key: 'dc:1290567890123499999',
      platform: 'dc',
      kind: 'text',
      text: 'Sweet and fresh, a bit small.',
      actor: { id: 'dc:1290000000000000400', displayName: '小明', username: 'xiaoming' },
      chat: { id: 'dc:1290000000000000900', kind: 'private' },
      attachments: [
        { kind: 'photo', fileId: expect.stringMatching(/^https:\/\/cdn\.discordapp\.com\/attachments\/.*box\.jpg/) },
        { kind: 'video', fileId: expect.stringMatching(/unboxing\.mp4$/) },
      ],
    });
    // Discord gives no duration for an ordinary video upload: none is made up.
    expect(event?.kind === 'text' && event.attachments?.[1]).not.toHaveProperty('durationSeconds');
    expect(discordSource(event)).toEqual({ channelId: '1290000000000000900', userId: '1290000000000000400' });
  });

  it('keeps a duration Discord does send, and takes photos without text', () => {
    const data = { ...dm(), content: '', attachments: [{ ...dm().attachments[1]!, duration_secs: 17.4 }] };
    expect(decodeDirectMessage(data, BOT)).toMatchObject({ kind: 'text', text: '', attachments: [{ kind: 'video', durationSeconds: 17.4 }] });
  });

  it('ignores server messages, the bot’s own, other bots’, system messages and empty ones', () => {
    expect(decodeDirectMessage({ ...dm(), guild_id: '1290000000000000100' } as GatewayMessageCreateDispatchData, BOT)).toBeUndefined();
    expect(decodeDirectMessage({ ...dm(), author: { ...dm().author, id: BOT } }, BOT)).toBeUndefined();
    expect(decodeDirectMessage({ ...dm(), author: { ...dm().author, bot: true } }, BOT)).toBeUndefined();
    expect(decodeDirectMessage({ ...dm(), type: 6 } as GatewayMessageCreateDispatchData, BOT)).toBeUndefined();
    expect(decodeDirectMessage({ ...dm(), content: ' ', attachments: [] }, BOT)).toBeUndefined();
  });

  it('ignores a message without an author (issue 11: it threw, outside any guard, and ended the process)', () => {
    const { author: _author, ...withoutAuthor } = dm();
    expect(decodeDirectMessage(withoutAuthor as GatewayMessageCreateDispatchData, BOT)).toBeUndefined();
    expect(decodeGuildMessage({ ...withoutAuthor, guild_id: '1290000000000000100' } as GatewayMessageCreateDispatchData, BOT)).toBeUndefined();
  });
});

describe('decodeGuildMessage', () => {
  const GUILD = '1290000000000000100';
  const card = { ...payload<GatewayMessageCreateDispatchData>('message-create-dm'), id: '1290567890123400001', author: { id: BOT, username: 'tuanbot', global_name: null, discriminator: '0', avatar: null, bot: true } };
  const inServer = (extra: Partial<GatewayMessageCreateDispatchData>) =>
    ({ ...payload<GatewayMessageCreateDispatchData>('message-create-dm'), guild_id: GUILD, channel_id: '1290000000000000200', attachments: [], ...extra }) as GatewayMessageCreateDispatchData;

  it('turns a reply to the bot\'s card into a text naming the card, even when Discord withheld its text', () => {
    const reply = inServer({ type: 19, content: '+2 不要香菜', message_reference: { message_id: card.id }, referenced_message: card } as never);
    expect(decodeGuildMessage(reply, BOT)).toMatchObject({
      kind: 'text', text: '+2 不要香菜', replyTo: { messageId: card.id, byBot: true },
      chat: { id: 'dc:1290000000000000200', kind: 'group', groupId: `dc:${GUILD}` },
    });
    expect(decodeGuildMessage(reply, BOT)).not.toHaveProperty('ambient');
    // "@ mention" switched off on the reply, no Message Content intent: Discord sends no text; the core explains.
    expect(decodeGuildMessage({ ...reply, content: '' }, BOT)).toMatchObject({ kind: 'text', text: '', replyTo: { byBot: true } });
  });

  it('marks other server messages with text as overheard, and drops those with none, bots\' and DMs', () => {
    expect(decodeGuildMessage(inServer({ content: '+1' }), BOT)).toMatchObject({ kind: 'text', text: '+1', ambient: true });
    expect(decodeGuildMessage(inServer({ content: '' }), BOT)).toBeUndefined();
    expect(decodeGuildMessage(inServer({ content: '+1', author: { ...card.author } }), BOT)).toBeUndefined();
    expect(decodeGuildMessage({ ...inServer({ content: '+1' }), guild_id: undefined } as never, BOT)).toBeUndefined();
  });
});
