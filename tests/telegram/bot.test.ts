import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBotHandle } from '../../bots/telegram/create-telegram-bot.js';
import type { CoreApp, HandleResult, Language } from '../../core/app.js';
import type { CoreEvent, Platform } from '../../core/events.js';
import type { CommandInfo, PlatformPort } from '../../core/ports.js';
import type { Reply } from '../../core/replies.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

/**
 * A stand-in for the core, just enough to prove the wiring: it echoes each command into the chat, answers the
 * `toast:*` buttons with a toast, and fails on `/boom`.
 */
class EchoApp implements CoreApp {
  readonly events: CoreEvent[] = [];
  /** `/slow` waits for this to be opened. */
  slowGate: Promise<void> = Promise.resolve();
  private port: PlatformPort | undefined;

  registerPlatform(_platform: Platform, port: PlatformPort): void {
    this.port = port;
  }

  async handle(event: CoreEvent): Promise<HandleResult> {
    this.events.push(event);
    const replies: Reply[] = [];
    if (event.kind === 'command') {
      if (event.name === 'boom') throw new Error('core exploded');
      if (event.name === 'slow') await this.slowGate;
      replies.push({ kind: 'message', to: { chatId: event.chat.id }, text: `echo ${event.name} ${event.args}`.trim() });
    }
    if (event.kind === 'button' && event.action.startsWith('toast:')) {
      replies.push({ kind: 'toast', text: `pressed ${event.action}` });
    }
    for (const reply of replies) await this.port!.deliver(reply, event);
    return { replies, duplicate: false };
  }

  commandList(language: Language): CommandInfo[] {
    const zh = language === 'zh-CN';
    return [
      { name: 'join', description: zh ? '参加团购' : 'Join a group buy', audience: 'member' },
      { name: 'newbuy', description: zh ? '发起团购' : 'Start a group buy', audience: 'admin' },
    ];
  }

  async flushCards(): Promise<void> {}
}

let server: FakeTelegramServer;
let app: EchoApp;
let telegram: TelegramBotHandle | undefined;
let logged: { level: string; obj: object; msg?: string | undefined }[];

const logger = {
  debug: (obj: object, msg?: string) => logged.push({ level: 'debug', obj, msg }),
  info: (obj: object, msg?: string) => logged.push({ level: 'info', obj, msg }),
  warn: (obj: object, msg?: string) => logged.push({ level: 'warn', obj, msg }),
  error: (obj: object, msg?: string) => logged.push({ level: 'error', obj, msg }),
};

beforeEach(async () => {
  server = await FakeTelegramServer.start();
  app = new EchoApp();
  logged = [];
});

afterEach(async () => {
  await telegram?.stop();
  telegram = undefined;
  await server.close();
});

describe('createTelegramBot with long polling', () => {
  beforeEach(async () => {
    telegram = createTelegramBot({ token: server.token, apiRoot: server.apiRoot, app, logger, throttle: false });
    await telegram.start();
  });

  it('registers member commands for everyone and all commands for admins, in English and Chinese', () => {
    const calls = server.calls('setMyCommands').map((call) => ({
      scope: call.params.scope.type,
      language: call.params.language_code ?? 'default',
      commands: call.params.commands.map((c: { command: string; description: string }) => `${c.command}:${c.description}`),
    }));
    expect(calls).toEqual([
      { scope: 'default', language: 'default', commands: ['join:Join a group buy'] },
      { scope: 'all_chat_administrators', language: 'default', commands: ['join:Join a group buy', 'newbuy:Start a group buy'] },
      { scope: 'default', language: 'zh', commands: ['join:参加团购'] },
      { scope: 'all_chat_administrators', language: 'zh', commands: ['join:参加团购', 'newbuy:发起团购'] },
    ]);
  });

  it('asks for reactions, button presses and member updates when polling', async () => {
    const poll = await server.waitForCall('getUpdates');
    expect(poll.params.allowed_updates).toEqual(expect.arrayContaining(['message', 'message_reaction', 'callback_query', 'chat_member']));
  });

  it('hands a group command to the core and sends its reply to the group', async () => {
    const alice = server.user({ first_name: 'Alice', username: 'alice' });
    const group = server.group('Tea lovers');

    server.command(alice, group, '/join@tuanbot_bot 2');

    const reply = await server.waitForCall('sendMessage', (params) => params.chat_id === group.id);
    expect(reply.params.text).toBe('echo join 2');
    expect(app.events[0]).toMatchObject({ kind: 'command', name: 'join', args: '2', actor: { id: `tg:${alice.id}` } });
  });

  it('answers a button press the core said nothing about, so the spinner stops', async () => {
    const alice = server.user();
    const group = server.group();
    server.command(alice, group, '/join');
    const card = await server.waitFor(() => server.lastBotMessage(group.id));
    await telegram!.messenger.deliver({ kind: 'edit', chatId: `tg:${group.id}`, messageId: String(card.message_id), text: card.text!, buttons: [[{ label: 'Join', action: 'join:1' }]] });

    const press = server.press(alice, server.lastBotMessage(group.id)!, { label: 'Join' });

    const answer = await server.waitForCall('answerCallbackQuery');
    expect(answer.params).toEqual({ callback_query_id: press.callback_query!.id });
    expect(app.events.at(-1)).toMatchObject({ kind: 'button', action: 'join:1', messageId: String(card.message_id) });
  });

  it('answers a button press once when the core sent a toast', async () => {
    const alice = server.user();
    const group = server.group();
    const ref = await telegram!.messenger.deliver({ kind: 'message', to: { chatId: `tg:${group.id}` }, text: 'Buy #1', buttons: [[{ label: 'Hi', action: 'toast:hi' }]] });

    server.press(alice, server.message(group.id, Number(ref!.messageId))!, { data: 'toast:hi' });

    await server.waitForCall('answerCallbackQuery');
    await server.waitFor(() => app.events.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const answers = server.calls('answerCallbackQuery');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.params.text).toBe('pressed toast:hi');
  });

  it('passes reactions, newcomers and answers to the bot’s questions on to the core', async () => {
    const alice = server.user();
    const bob = server.user();
    const group = server.group();
    const ref = await telegram!.messenger.deliver({ kind: 'message', to: { chatId: `tg:${group.id}` }, text: 'How many boxes?', expectAnswer: true });
    const question = server.message(group.id, Number(ref!.messageId))!;

    server.react(alice, question, ['👍']);
    server.join(group, [bob]);
    server.text(bob, group, '2', { replyTo: question });
    server.text(bob, group, 'just chatting');

    await server.waitFor(() => app.events.length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.events.map((e) => [e.kind, e.actor.id])).toEqual([
      ['reaction', `tg:${alice.id}`],
      ['member_joined', `tg:${bob.id}`],
      ['text', `tg:${bob.id}`],
      ['text', `tg:${bob.id}`],
    ]);
    expect(app.events[0]).toMatchObject({ emoji: '👍', added: true, messageId: ref!.messageId });
    expect(app.events[2]).toMatchObject({ text: '2' });
    expect(app.events[2]).not.toHaveProperty('ambient');
    // Chatter reaches the core only as overheard (privacy mode off), for the 接龙 habits alone.
    expect(app.events[3]).toMatchObject({ text: 'just chatting', ambient: true });
  });

  it('forgets a cached admin answer when the member is promoted', async () => {
    const owner = server.user();
    const carol = server.user();
    const group = server.group();
    expect(await telegram!.messenger.isChatAdmin(`tg:${group.id}`, `tg:${carol.id}`)).toBe(false);

    const promotion = server.setMemberStatus(group, carol, 'administrator', owner);
    // A member update means nothing to the core: the bot logs it as ignored once it has dealt with it.
    await server.waitFor(() => logged.some((entry) => entry.msg === 'update ignored' && (entry.obj as { updateId?: number }).updateId === promotion.update_id));

    expect(await telegram!.messenger.isChatAdmin(`tg:${group.id}`, `tg:${carol.id}`)).toBe(true);
    expect(server.calls('getChatMember')).toHaveLength(2);
  });

  it('logs a failing update with its context, never the token, and keeps running', async () => {
    const alice = server.user();
    const group = server.group();

    server.command(alice, group, '/boom');
    await server.waitFor(() => logged.find((entry) => entry.level === 'error'));
    server.command(alice, group, '/join');
    await server.waitForCall('sendMessage', (params) => params.text === 'echo join');

    const error = logged.find((entry) => entry.level === 'error')!;
    expect(error.obj).toMatchObject({ updateType: 'message', chatId: group.id, err: { message: 'core exploded' } });
    expect(JSON.stringify(logged)).not.toContain(server.token);
  });
});

describe('createTelegramBot with a webhook', () => {
  const secretToken = 'webhook-secret-42';

  beforeEach(async () => {
    telegram = createTelegramBot({
      token: server.token,
      apiRoot: server.apiRoot,
      app,
      logger,
      throttle: false,
      webhook: { url: 'https://bot.example.test/telegram/hook', port: 0, host: '127.0.0.1', secretToken },
    });
    await telegram.start();
  });

  function post(body: object, secret: string) {
    const { port } = telegram!.webhookAddress()!;
    return fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(body),
    });
  }

  it('registers the webhook with its secret and the update types it needs', () => {
    const [call] = server.calls('setWebhook');
    expect(call?.params).toMatchObject({ url: 'https://bot.example.test/telegram/hook', secret_token: secretToken });
    expect(call?.params.allowed_updates).toEqual(expect.arrayContaining(['message_reaction', 'callback_query']));
    expect(server.calls('getUpdates')).toHaveLength(0);
  });

  it('handles an update posted with the secret token', async () => {
    const alice = server.user();
    const group = server.group();
    const update = server.command(alice, group, '/join 3');

    const response = await post(update, secretToken);

    expect(response.status).toBe(200);
    await server.waitForCall('sendMessage', (params) => params.text === 'echo join 3');
  });

  it('answers the request only after the update is handled, so a crash before leaves it with Telegram', async () => {
    const alice = server.user();
    const group = server.group();
    let open!: () => void;
    app.slowGate = new Promise((resolve) => (open = resolve));
    const update = server.command(alice, group, '/slow');

    let answered = false;
    const response = post(update, secretToken).then((r) => ((answered = true), r));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.events).toHaveLength(1);
    expect(answered).toBe(false);
    open();
    expect((await response).status).toBe(200);
    expect(server.calls('sendMessage').some((c) => c.params.text === 'echo slow')).toBe(true);
    // The key names the bot: another bot's update with the same number is another update.
    expect(app.events[0]!.key).toBe(`tg:bot${server.botInfo.id}:${update.update_id}`);
  });

  it('refuses an update posted with a wrong secret token', async () => {
    const alice = server.user();
    const group = server.group();

    const response = await post(server.command(alice, group, '/join'), 'guess');

    expect(response.status).toBe(401);
    expect(app.events).toEqual([]);
  });
});

describe('createTelegramBot throttling', () => {
  it('spaces messages to one group but lets admin lookups through at once', async () => {
    const released: number[] = [];
    telegram = createTelegramBot({
      token: server.token,
      apiRoot: server.apiRoot,
      app,
      throttle: { group: { maxConcurrent: 1, minTime: 300 } },
      // Under the throttler: sees each send when the throttler lets it go.
      innerTransformers: [
        (prev, method, payload, signal) => {
          if (method === 'sendMessage') released.push(Date.now());
          return prev(method, payload, signal);
        },
      ],
    });
    const group = server.group();
    const admin = server.user();
    server.setAdmins(group.id, [admin.id]);
    const to = { chatId: `tg:${group.id}` };
    const started = Date.now();
    const done: Record<string, number> = {};
    const track = <T>(name: string, promise: Promise<T>) => promise.then((value) => ((done[name] = Date.now() - started), value));

    await Promise.all([
      track('first', telegram.messenger.deliver({ kind: 'message', to, text: 'one' })),
      track('second', telegram.messenger.deliver({ kind: 'message', to, text: 'two' })),
      track('admin', telegram.messenger.isChatAdmin(to.chatId, `tg:${admin.id}`)),
    ]);

    // Spaced where the throttler releases them (their answers, and even their arrival at the server, can come closer
    // together when the first was slow on a loaded machine: 191-225 ms apart were seen).
    expect(released).toHaveLength(2);
    expect(released[1]! - released[0]!).toBeGreaterThanOrEqual(250);
    expect(done.admin!).toBeLessThan(done.second!);
  });
});
