/**
 * What only Discord does with 接龙 habits, beside the shared scenarios (tests/scenarios/jielong.scenarios.ts): the bot
 * asks for the GuildMessages intent but not the privileged Message Content one, so it reads a reply to its card only
 * when the reply mentions it (Discord's default); a reply with the mention switched off arrives without its text and
 * is answered with how to join, never silently or by guessing. The real discord.js adapter against the fake gateway.
 */
import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DISCORD_INTENTS } from '../../bots/discord/create-discord-bot.js';
import { useDiscordWorld } from '../support/platform-world.js';

const t = useDiscordWorld({ anna: { name: 'Anna', username: 'anna', admin: true }, bob: { name: 'Bob', username: 'bob' } });

describe('接龙 habits on Discord', () => {
  it('asks for server messages without the privileged Message Content intent', () => {
    expect(DISCORD_INTENTS).toContain(GatewayIntentBits.GuildMessages);
    expect(DISCORD_INTENTS).not.toContain(GatewayIntentBits.MessageContent);
  });

  it('answers a reply to the card whose text Discord withheld (no @ mention) with how to join, and joins nothing', async () => {
    await t.play([{ as: 'anna', command: '/newbuy Tea | 10 | min 2 | max 20 | ends 2h' }]);
    await t.driver.post('bob', '+2', { replyToCard: 0, replyPing: false });
    await t.play([
      { expect: { groupMessage: /^I could not read that reply \(Discord shows me a reply's text only when it mentions me: keep "@ mention" on\)\. To join #1: \/join or the Join button\.$/, cardNot: [/Bob/] } },
    ]);
    await t.driver.post('bob', '+2', { replyToCard: 0 });
    await t.play([{ expect: { groupMessage: /^Bob joined #1 ×2\.$/, card: [/1\. Bob ×2/] } }]);
  });

  it('uploads the product photo of /newbuy just above the card', async () => {
    await t.play([
      { as: 'anna', command: '/newbuy Tea | 10 | min 2 | max 20 | ends 2h | description First flush', photo: 'tea.jpg' },
      { expect: { groupMessage: /^🛒 #1 Tea$/, card: [/^First flush$/m] } },
    ]);
    const messages = t.driver.server.channelMessages(t.driver.guild.channelId);
    const photo = messages.find((m) => m.content === '🛒 #1 Tea')!;
    expect(photo.attachments.map((a) => a.content.toString())).toEqual(['fake image/jpeg tea.jpg']);
    expect(messages.indexOf(photo)).toBe(messages.findIndex((m) => m.content.startsWith('🛒 Group buy #1')) - 1);
  });
});
