/**
 * The Discord adapter over the wire: a real discord.js Client logged in against the fake gateway and REST server,
 * with a scripted core (each test says what the core replies), so what goes to Discord can be checked call by call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreApp, HandleResult } from '../../core/app.js';
import type { CoreEvent } from '../../core/events.js';
import { DeliveryError, type PlatformPort } from '../../core/ports.js';
import type { DeliveredRef, Reply } from '../../core/replies.js';
import { createDiscordBot, type DiscordBotHandle } from '../../bots/discord/create-discord-bot.js';
import { componentsFor } from '../../bots/discord/messenger.js';
import { fitCard, splitText } from '../../bots/discord/text-limits.js';
import { FakeDiscordServer, type FakeGuild, type FakeUser } from '../support/fake-discord-server.js';
import { RecordingLogger } from '../support/core-harness.js';

/** A core that records events and answers each with the replies a test scripted, through the registered port. */
class ScriptedCore implements CoreApp {
  readonly events: CoreEvent[] = [];
  readonly refs: (DeliveredRef | undefined)[] = [];
  port!: PlatformPort;
  script: (event: CoreEvent) => Reply[] = () => [];
  delayMs = 0;
  /** Events whose replies have all been delivered. */
  done = 0;
  registerPlatform(_platform: string, port: PlatformPort): void {
    this.port = port;
  }
  async handle(event: CoreEvent): Promise<HandleResult> {
    this.events.push(event);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const replies = this.script(event);
    try {
      for (const reply of replies) this.refs.push(await this.port.deliver(reply, event));
    } finally {
      this.done += 1;
    }
    return { replies, duplicate: false };
  }
  commandList() {
    return [];
  }
  async flushCards(): Promise<void> {}
}

let server: FakeDiscordServer;
let bot: DiscordBotHandle | undefined;
let guild: FakeGuild;
let anna: FakeUser;
let bob: FakeUser;
let core: ScriptedCore;
let logger: RecordingLogger;

async function startBot(options: { deferAfterMs?: number; adminRoleIds?: string[]; moderatorRoleIds?: string[]; shard?: { id: number; count: number } } = {}, setup?: () => void) {
  server = await FakeDiscordServer.start();
  guild = server.guild('Tea lovers');
  anna = server.member(guild, { username: 'anna', global_name: 'Anna' }, { admin: true });
  bob = server.member(guild, { username: 'bob', global_name: 'Bob' }, { acceptsDms: false });
  setup?.();
  core = new ScriptedCore();
  logger = new RecordingLogger();
  bot = createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, app: core, logger, ...options });
  await bot.start();
}

/** Waits until every interaction is answered and the core and server are idle. */
const settle = (events = 1) => server.waitFor(() => core.done >= events && server.interactionsSettled() && server.idle());
const callbacks = () => server.calls((c) => c.path.endsWith('/callback'));
const group = () => `dc:${guild.channelId}`;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await server?.close();
});

describe('Discord adapter', () => {
  it('logs in over the gateway and sees the guild with its channels and roles', async () => {
    await startBot();
    expect(bot!.client.isReady()).toBe(true);
    const cached = bot!.client.guilds.cache.get(guild.id);
    expect(cached?.channels.cache.has(guild.channelId)).toBe(true);
    expect(cached?.roles.cache.has(guild.adminRoleId)).toBe(true);
    expect(server.calls((c) => c.path === '/gateway/bot')).toHaveLength(1);
    expect(server.identifiedShard).toEqual([0, 1]);
  });

  it('connects only its own gateway shard when given one, and receives only that shard’s servers (several processes on one bot)', async () => {
    let mine!: FakeGuild;
    let other!: FakeGuild;
    await startBot({ shard: { id: 1, count: 2 } }, () => {
      mine = server.guild('Shard one', { onShard: [1, 2] });
      other = server.guild('Shard zero', { onShard: [0, 2] });
    });
    expect(bot!.client.isReady()).toBe(true);
    expect(server.identifiedShard).toEqual([1, 2]);
    expect([...bot!.client.ws.shards.keys()]).toEqual([1]);
    expect(FakeDiscordServer.shardOf(mine.id, 2)).toBe(1);
    expect(bot!.client.guilds.cache.has(mine.id)).toBe(true);
    expect(bot!.client.guilds.cache.has(other.id)).toBe(false);
    // Discord sends another shard's interactions and every DM (shard 0) elsewhere: this session never sees them.
    const elsewhere = server.slashCommand(server.member(other, { username: 'zed' }), other.channelId, 'buys');
    const inDms = server.slashCommand(anna, server.dmChannelOf(anna), 'help');
    const here = server.slashCommand(server.member(mine, { username: 'one' }), mine.channelId, 'buys');
    await server.waitFor(() => core.done >= 1 && server.interactionRecord(here)?.ackType !== undefined);
    expect(server.interactionRecord(here)!.deliveredTo).toHaveLength(1);
    expect(server.interactionRecord(elsewhere)!.deliveredTo).toEqual([]);
    expect(server.interactionRecord(inDms)!.deliveredTo).toEqual([]);
    expect(core.events.map((e) => e.chat.id)).toEqual([`dc:${mine.channelId}`]);
  });

  it('two processes’ clients, shard 0 and shard 1 of 2, each receive their own servers; a second IDENTIFY within 5 s waits its turn', async () => {
    server = await FakeDiscordServer.start({ shards: 2, identifyLimit: true });
    const gateway = async () => (await (await fetch(`${server.apiBase}/v10/gateway/bot`)).json()) as { shards: number; session_start_limit: { remaining: number; max_concurrency: number } };
    expect((await gateway()).shards).toBe(2);
    const zero = server.guild('Zero', { onShard: [0, 2] });
    const one = server.guild('One', { onShard: [1, 2] });
    const clients = [0, 1].map((id) => {
      const app = new ScriptedCore();
      return { app, handle: createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, app, shard: { id, count: 2 } }) };
    });
    try {
      const started = Date.now();
      await Promise.all(clients.map((c) => c.handle.start()));
      // max_concurrency 1: the second IDENTIFY was refused (Invalid Session) and sent again 5 s after the first.
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
      const sessions = server.gatewaySessions();
      expect(sessions.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);
      expect((await gateway()).session_start_limit.remaining).toBe(998);
      expect(sessions[1]!.identifiedAt - sessions[0]!.identifiedAt).toBeGreaterThanOrEqual(5000);
      expect(clients.map((c) => [...c.handle.client.guilds.cache.keys()])).toEqual([[zero.id], [one.id]]);
      const fromOne = server.slashCommand(server.member(one, { username: 'uno' }), one.channelId, 'buys');
      const fromZero = server.slashCommand(server.member(zero, { username: 'zero' }), zero.channelId, 'buys');
      await server.waitFor(() => server.interactionsSettled() && clients.every((c) => c.app.done === 1), 10_000);
      expect(clients.map((c) => c.app.events.map((e) => e.chat.id))).toEqual([[`dc:${zero.channelId}`], [`dc:${one.channelId}`]]);
      expect([fromZero, fromOne].map((id) => server.interactionRecord(id)!.deliveredTo.length)).toEqual([1, 1]);
    } finally {
      await Promise.all(clients.map((c) => c.handle.stop()));
    }
  }, 30_000);

  it('answers a command in the interaction: public replies first as the response, then as follow-ups', async () => {
    await startBot();
    core.script = (e) => [
      { kind: 'message', to: { chatId: e.chat.id }, text: 'Bob joined #1 ×2.' },
      { kind: 'message', to: { chatId: e.chat.id }, text: '🎉 #1 reached 4 units' },
    ];
    server.slashCommand(bob, guild.channelId, 'join', [{ name: 'quantity', type: 4, value: 2 }]);
    await settle();
    expect(core.events[0]).toMatchObject({ kind: 'command', name: 'join', args: '', options: { quantity: 2 } });
    const [callback] = callbacks();
    expect(callback!.body).toMatchObject({ type: 4, data: { content: 'Bob joined #1 ×2.', allowed_mentions: { parse: [] } } });
    expect(callback!.afterMs).toBeLessThan(3000);
    expect(server.calls((c) => c.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(c.path))[0]!.body).toMatchObject({ content: '🎉 #1 reached 4 units' });
  });

  it('shows private replies and DMs to the actor ephemerally, in place, and says so to the core', async () => {
    await startBot();
    core.script = (e) => [
      { kind: 'message', to: { chatId: e.chat.id }, text: 'Sorry, only group admins can do that.', private: true },
      { kind: 'message', to: { memberId: e.actor.id }, text: 'Your sign-ups: none' },
      { kind: 'document', to: { memberId: e.actor.id }, filename: 'buy-1.csv', mimeType: 'text/csv', content: 'name\nBob\n' },
    ];
    server.slashCommand(bob, guild.channelId, 'mybuys');
    await settle();
    expect(callbacks()[0]!.body).toMatchObject({ type: 4, data: { flags: 64 } });
    const followUps = server.calls((c) => /^\/webhooks\/\d+\/[^/]+$/.test(c.path));
    expect(followUps.map((c) => c.body.flags)).toEqual([64, 64]);
    expect(followUps[1]!.files[0]).toMatchObject({ name: 'buy-1.csv' });
    expect(followUps[1]!.files[0]!.content.toString('utf8')).toBe('\uFEFFname\nBob\n');
    expect(core.refs[1]).toMatchObject({ shownInPlace: true });
    expect(core.refs[2]).toMatchObject({ shownInPlace: true });
    // Bob refuses DMs, yet nothing went to a DM channel: in place needs none.
    expect(server.calls((c) => c.path === '/users/@me/channels')).toEqual([]);
  });

  it('defers a slow command ephemerally within 3 s, fills the placeholder privately and posts public replies to the channel', async () => {
    await startBot({ deferAfterMs: 50 });
    core.delayMs = 200;
    core.script = (e) => [
      { kind: 'message', to: { chatId: e.chat.id }, text: 'Done: this group now speaks English.' },
      { kind: 'message', to: { chatId: e.chat.id }, text: 'only you see this', private: true },
    ];
    server.slashCommand(anna, guild.channelId, 'lang', [{ name: 'language', type: 3, value: 'en' }]);
    await settle();
    expect(callbacks().map((c) => c.body)).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(callbacks()[0]!.afterMs).toBeLessThan(3000);
    expect(server.calls((c) => c.method === 'POST' && c.path === `/channels/${guild.channelId}/messages`)[0]!.body.content).toBe('Done: this group now speaks English.');
    expect(server.calls((c) => c.method === 'PATCH' && c.path.endsWith('/@original'))[0]!.body).toMatchObject({ content: 'only you see this', flags: 64 });
  });

  it('removes the placeholder of a deferred command that got only public replies, and answers a silent command', async () => {
    await startBot({ deferAfterMs: 20 });
    core.delayMs = 100;
    core.script = (e) => [{ kind: 'message', to: { chatId: e.chat.id }, text: 'card', card: 'buy:1', buttons: [[{ label: 'Join', action: 'join:1' }]] }];
    server.slashCommand(anna, guild.channelId, 'newbuy', [{ name: 'title', type: 3, value: 'Tea' }]);
    await settle();
    expect(server.calls((c) => c.method === 'DELETE' && c.path.endsWith('/@original'))).toHaveLength(1);
    expect(core.refs[0]).toMatchObject({ chatId: group() });
    expect(server.channelMessages(guild.channelId).map((m) => m.content)).toEqual(['card']);
  });

  it('acknowledges a button press at once (deferred update), toasts ephemerally, and edits the card through the channel', async () => {
    await startBot();
    core.script = () => [{ kind: 'message', to: { chatId: group() }, text: 'card v1', card: 'buy:1', buttons: [[{ label: 'Join +1', action: 'join:1' }, { label: 'Leave', action: 'leave:1', style: 'secondary' }]] }];
    server.slashCommand(anna, guild.channelId, 'newbuy', [{ name: 'title', type: 3, value: 'Tea' }]);
    await settle();
    const card = server.channelMessages(guild.channelId)[0]!;
    expect(card.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: 'Join +1', custom_id: 'join:1' }, { type: 2, style: 2, label: 'Leave', custom_id: 'leave:1' }] }]);

    core.script = (e) => [{ kind: 'toast', text: 'Bob joined #1 ×1.' }, { kind: 'edit', chatId: e.chat.id, messageId: card.id, text: 'card v2' }];
    const press = server.pressButton(bob, card, 'join:1');
    await settle(2);
    const ack = server.calls((c) => c.path.includes(`/interactions/${press}/`))[0]!;
    expect(ack.body).toEqual({ type: 6 });
    expect(core.events[1]).toMatchObject({ kind: 'button', action: 'join:1', messageId: card.id });
    expect(server.calls((c) => /^\/webhooks\/\d+\/[^/]+$/.test(c.path)).at(-1)!.body).toMatchObject({ content: 'Bob joined #1 ×1.', flags: 64 });
    expect(server.message(card.id)).toMatchObject({ content: 'card v2', components: [], edits: 1 });
  });

  it('handles an interaction dispatched twice (a gateway replay) once', async () => {
    await startBot();
    core.script = (e) => [{ kind: 'message', to: { chatId: e.chat.id }, text: 'ok' }];
    const id = server.slashCommand(bob, guild.channelId, 'join');
    server.redispatchInteraction(id);
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(core.events).toHaveLength(1);
    expect(callbacks()).toHaveLength(1);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('opens the answer form for a question’s answer button, and the submitted answer is a text event', async () => {
    await startBot();
    core.script = (e) => (e.kind === 'command' ? [{ kind: 'message', to: { chatId: e.chat.id }, text: 'New buy (1/8)\nWhat is the product title?', expectAnswer: true }] : []);
    server.slashCommand(anna, guild.channelId, 'newbuy');
    await settle();
    const question = server.channelMessages(guild.channelId)[0]!;
    expect(question.components[0].components[0]).toMatchObject({ custom_id: 'tuanbot:answer' });
    const press = server.pressButton(anna, question, 'tuanbot:answer');
    const modal = await server.waitFor(() => server.interactionRecord(press)?.modal);
    expect(modal).toMatchObject({ custom_id: 'tuanbot:answer-form', title: 'What is the product title?' });
    server.submitModal(anna, question, modal.custom_id, 'answer', 'Oolong tea');
    await settle(2);
    expect(core.events[1]).toMatchObject({ kind: 'text', text: 'Oolong tea', actor: { id: `dc:${anna.id}` } });
    // The core said nothing to the answer: the form's interaction is closed without a message.
    expect(callbacks().at(-1)!.body).toEqual({ type: 6 });
  });

  it('decodes reactions on its cards, added and removed', async () => {
    await startBot();
    core.script = () => [{ kind: 'message', to: { chatId: group() }, text: 'card', card: 'buy:1', buttons: [[{ label: 'Join', action: 'join:1' }]] }];
    server.slashCommand(anna, guild.channelId, 'newbuy', [{ name: 'title', type: 3, value: 'Tea' }]);
    await settle();
    core.script = () => [];
    const card = server.channelMessages(guild.channelId)[0]!;
    server.react(bob, card, '👍');
    server.react(bob, card, '👍', false);
    await server.waitFor(() => core.events.length === 3);
    expect(core.events.slice(1)).toMatchObject([
      { kind: 'reaction', emoji: '👍', added: true, messageId: card.id, actor: { id: `dc:${bob.id}`, displayName: 'Bob' } },
      { kind: 'reaction', emoji: '👍', added: false, messageId: card.id },
    ]);
    expect(core.events[1]!.key).not.toBe(core.events[2]!.key);
  });

  it('turns a refused DM (50007) into DeliveryError dm_blocked', async () => {
    await startBot();
    await expect(bot!.messenger.deliver({ kind: 'message', to: { memberId: `dc:${bob.id}` }, text: 'formed' })).rejects.toMatchObject({ kind: 'dm_blocked' });
    await expect(bot!.messenger.deliver({ kind: 'message', to: { memberId: `dc:${anna.id}` }, text: 'formed' })).resolves.toMatchObject({ chatId: expect.stringMatching(/^dc:\d+$/) });
    await expect(bot!.messenger.deliver({ kind: 'edit', chatId: group(), messageId: '1', text: 'x' })).rejects.toBeInstanceOf(DeliveryError);
  });

  it('counts Manage Server and configured admin roles as admins, and configured moderator roles as moderators', async () => {
    let helperRole = '';
    let modRole = '';
    let carol!: FakeUser;
    let dave!: FakeUser;
    await startBot({}, () => {
      helperRole = server.role(guild, 'Helpers');
      modRole = server.role(guild, 'Mods');
      carol = server.member(guild, { username: 'carol' }, { roles: [helperRole] });
      dave = server.member(guild, { username: 'dave' }, { roles: [modRole] });
    });
    await bot!.stop();
    bot = createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, app: core, logger, adminRoleIds: [helperRole], moderatorRoleIds: [modRole] });
    await bot.start();
    const messenger = bot.messenger;
    expect(await messenger.isChatAdmin(group(), `dc:${anna.id}`)).toBe(true);
    expect(await messenger.isChatAdmin(group(), `dc:${bob.id}`)).toBe(false);
    expect(await messenger.isChatAdmin(group(), `dc:${carol.id}`)).toBe(true);
    expect(await messenger.isChatAdmin(group(), `dc:${dave.id}`)).toBe(false);
    expect(await messenger.isChatModerator(group(), `dc:${dave.id}`)).toBe(true);
    expect(await messenger.isChatModerator(group(), `dc:${anna.id}`)).toBe(false);
    // Cached: asking again fetches nobody again.
    const fetches = server.calls((c) => c.path.startsWith(`/guilds/${guild.id}/members/`)).length;
    await messenger.isChatAdmin(group(), `dc:${carol.id}`);
    expect(server.calls((c) => c.path.startsWith(`/guilds/${guild.id}/members/`)).length).toBe(fetches);
  });

  it('pins a message for a pin reply, renders contact buttons as links and a photo as an uploaded embed image', async () => {
    await startBot();
    const photo = server.attachment({ filename: 'tea.jpg', contentType: 'image/jpeg' }).url as string;
    core.script = (e) => [
      { kind: 'message', to: { chatId: e.chat.id }, text: 'share card', card: 'share:1', photo: { fileId: photo }, buttons: [[{ label: '❤️ Like (0)', action: 'lk:1' }]] },
      { kind: 'message', to: { memberId: `dc:${anna.id}` }, text: '⚠️ Unhappy buyer', buttons: [[{ label: '💬 Contact Bob', action: 'rv:contact:1', contact: { memberId: `dc:${bob.id}`, username: 'bob' } }]] },
    ];
    server.slashCommand(bob, guild.channelId, 'share', [{ name: 'text', type: 3, value: 'Lovely tea' }]);
    await settle();
    const card = server.channelMessages(guild.channelId)[0]!;
    // The member's upload is copied onto the card (Discord's attachment URLs expire): the card owns its photo.
    expect(card.embeds).toEqual([{ image: { url: 'attachment://photo.jpg' } }]);
    expect(card.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['photo.jpg', 'fake image/jpeg tea.jpg']]);
    const alert = server.channelMessages(server.dmChannelOf(anna))[0]!;
    expect(alert.components).toEqual([{ type: 1, components: [{ type: 2, style: 5, label: '💬 Contact Bob', url: `https://discord.com/users/${bob.id}` }] }]);

    await bot!.messenger.deliver({ kind: 'edit', chatId: group(), messageId: card.id, text: 'share card v2', photo: { fileId: photo }, buttons: [[{ label: '❤️ Like (1)', action: 'lk:1' }]] });
    // The edit leaves embeds and attachments out, so Discord keeps them.
    expect(server.calls((c) => c.method === 'PATCH').at(-1)!.body).not.toHaveProperty('embeds');
    expect(server.message(card.id)).toMatchObject({ content: 'share card v2', embeds: [{ image: { url: 'attachment://photo.jpg' } }] });
    expect(server.message(card.id)!.attachments).toHaveLength(1);
    await expect(bot!.messenger.deliver({ kind: 'pin', chatId: group(), messageId: card.id })).resolves.toEqual({ chatId: group(), messageId: card.id });
    expect(server.pinned(guild.channelId)).toEqual([card.id]);
    expect(server.calls((c) => c.method === 'PUT').map((c) => c.path)).toEqual([`/channels/${guild.channelId}/pins/${card.id}`]);
    await expect(bot!.messenger.deliver({ kind: 'pin', chatId: group(), messageId: '123' })).rejects.toMatchObject({ kind: 'not_found' });

    // A photo elsewhere is linked, never fetched; one that cannot be fetched is linked too, with a warning.
    const elsewhere = 'https://example.com/tea.jpg';
    await bot!.messenger.deliver({ kind: 'message', to: { chatId: group() }, text: 'linked', photo: { fileId: elsewhere } });
    const gone = `${server.apiBase.replace('/api', '')}/attachments/1/2/gone.jpg`;
    await bot!.messenger.deliver({ kind: 'message', to: { chatId: group() }, text: 'gone', photo: { fileId: gone } });
    expect(server.channelMessages(guild.channelId).slice(-2).map((m) => [m.content, m.embeds, m.attachments.length])).toEqual([
      ['linked', [{ image: { url: elsewhere } }], 0],
      ['gone', [{ image: { url: gone } }], 0],
    ]);
    expect(logger.entries.some((e) => e.level === 'warn' && /could not copy a photo/.test(e.msg ?? ''))).toBe(true);
  });

  it('lists the owner and cached members with Manage Server or an admin role as the chat’s admins; DMs have none', async () => {
    let helperRole = '';
    let carol!: FakeUser;
    await startBot({}, () => {
      helperRole = server.role(guild, 'Helpers');
      carol = server.member(guild, { username: 'carol' }, { roles: [helperRole] });
    });
    await bot!.stop();
    bot = createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, app: core, logger, adminRoleIds: [helperRole] });
    await bot.start();
    // The bot itself is a member without admin rights; bots are never listed anyway.
    expect(await bot.messenger.listChatAdmins(group())).toEqual([`dc:${guild.ownerId}`, `dc:${anna.id}`, `dc:${carol.id}`]);
    expect(await bot.messenger.listChatAdmins(`dc:${server.dmChannelOf(anna)}`)).toEqual([]);
  });

  it('decodes what a member writes to it in DMs, with attachments, as text events (DirectMessages intent)', async () => {
    await startBot();
    expect(bot!.client.options.intents.has('DirectMessages')).toBe(true);
    expect(bot!.client.options.intents.has('MessageContent')).toBe(false);
    core.script = (e) => [{ kind: 'message', to: { memberId: e.actor.id }, text: 'Got it: 1 photo(s), 1 video(s).' }];
    const photo = server.attachment({ filename: 'box.png', contentType: 'image/png' });
    const video = server.attachment({ filename: 'clip.mp4', contentType: 'video/mp4', durationSecs: 20 });
    server.directMessage(bob, 'the box', [photo, video]);
    await settle();
    expect(core.events[0]).toMatchObject({
      kind: 'text', text: 'the box', chat: { id: `dc:${server.dmChannelOf(bob)}`, kind: 'private' }, actor: { id: `dc:${bob.id}` },
      attachments: [{ kind: 'photo', fileId: photo.url }, { kind: 'video', fileId: video.url, durationSeconds: 20 }],
    });
    // Bob refuses DMs from the server, but he wrote to the bot: the answer reaches his DMs.
    expect(server.channelMessages(server.dmChannelOf(bob)).map((m) => m.content)).toEqual(['Got it: 1 photo(s), 1 video(s).']);
  });

  it('passes a slash command’s attachment option to the core as the command’s photo', async () => {
    await startBot();
    const photo = server.attachment({ filename: 'tea.jpg', contentType: 'image/jpeg' });
    server.slashCommandWithFiles(bob, guild.channelId, 'share', [{ name: 'text', type: 3, value: 'Lovely tea' }], { photo });
    await settle();
    expect(core.events[0]).toMatchObject({ kind: 'command', name: 'share', args: '', options: { text: 'Lovely tea' }, attachments: [{ kind: 'photo', fileId: photo.url }] });
  });
});

describe('Discord limits', () => {
  it('wraps rows of more than 5 buttons, keeps custom_ids, and refuses one over 100 characters', () => {
    const row = Array.from({ length: 7 }, (_, i) => ({ label: `B${i}`, action: `act:${i}` }));
    const rows = componentsFor([row], false)!;
    expect(rows.map((r) => r.components.length)).toEqual([5, 2]);
    expect(() => componentsFor([[{ label: 'x', action: 'x'.repeat(101) }]], false)).toThrow(DeliveryError);
  });

  it('splits long messages at line breaks, losing nothing', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(10)}`).join('\n');
    const parts = splitText(text, 2000);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });

  it('summarises a long card within 2000 characters, saying how many lines are hidden and keeping its status line', () => {
    const names = Array.from({ length: 200 }, (_, i) => `${i + 1}. Member number ${i + 1} ×1`);
    const card = ['🛒 Group buy #1: Tea', '📦 200 taken', '', 'Participants (200):', ...names, '', '✅ Formed at ¥20.00 per unit.'].join('\n');
    const fitted = fitCard(card, 2000);
    expect(fitted.length).toBeLessThanOrEqual(2000);
    expect(fitted).toMatch(/^🛒 Group buy #1: Tea\n/);
    expect(fitted).toMatch(/\n✅ Formed at ¥20\.00 per unit\.$/);
    const hidden = Number(/⋯ \+(\d+)/.exec(fitted)![1]);
    expect(fitted.split('\n').length - 1 + hidden).toBe(card.split('\n').length);
  });
});
