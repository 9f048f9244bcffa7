import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports.js';
import { UpdatePoller } from '../../bots/telegram/update-poller.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';

/** A gate a test opens when it wants an update's handling to finish. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('UpdatePoller: long polling that confirms only finished updates', () => {
  let server: FakeTelegramServer;
  let poller: UpdatePoller | undefined;

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
    await server.close();
  });

  function startPoller(handle: (update: Update) => Promise<void>): UpdatePoller {
    const api = new Bot(server.token, { botInfo: server.botInfo, client: { apiRoot: server.apiRoot } }).api;
    poller = new UpdatePoller({
      getUpdates: (params, signal) => api.getUpdates(params as Parameters<typeof api.getUpdates>[0], signal as Parameters<typeof api.getUpdates>[1]),
      handle,
      logger: silentLogger,
      timeoutSeconds: 1,
      refetchMs: 50,
    });
    poller.start();
    return poller;
  }

  it('keeps an unfinished update (and those after it) unconfirmed at Telegram, while other chats go on', async () => {
    server = await FakeTelegramServer.start();
    const [alice, bob] = [server.user({ first_name: 'Alice' }), server.user({ first_name: 'Bob' })];
    const [tea, coffee] = [server.group('Tea'), server.group('Coffee')];
    const slow = gate();
    const handled: number[] = [];
    const first = server.command(alice, tea, '/join');
    startPoller(async (update) => {
      if (update.update_id === first.update_id) await slow.promise;
      handled.push(update.update_id);
    });
    const second = server.command(bob, coffee, '/join');
    const third = server.command(alice, tea, '/leave');

    // Coffee's update runs beside Tea's slow one; Tea's next waits for it (one chat, in order).
    await until(() => handled.includes(second.update_id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handled).toEqual([second.update_id]);
    // Nothing is confirmed past the slow update: a crash now gets all of Tea's updates delivered again.
    expect(server.confirmedOffset).toBeLessThanOrEqual(first.update_id);
    expect(server.unconfirmedUpdates().map((u) => u.update_id)).toEqual([first.update_id, second.update_id, third.update_id]);

    slow.open();
    await until(() => handled.length === 3);
    expect(handled).toEqual([second.update_id, first.update_id, third.update_id]);
    await until(() => server.confirmedOffset === third.update_id + 1);
    expect(server.unconfirmedUpdates()).toEqual([]);
  });

  it('counts a failed update as finished (logged), so one bad update does not hold every later one', async () => {
    server = await FakeTelegramServer.start();
    const alice = server.user({ first_name: 'Alice' });
    const group = server.group();
    const handled: number[] = [];
    const bad = server.command(alice, group, '/boom');
    const good = server.command(alice, group, '/join');
    startPoller(async (update) => {
      if (update.update_id === bad.update_id) throw new Error('handler bug');
      handled.push(update.update_id);
    });
    await until(() => server.confirmedOffset === good.update_id + 1);
    expect(handled).toEqual([good.update_id]);
  });

  it('at stop, finishes the updates being handled and confirms them, leaving those not started for the next process', async () => {
    server = await FakeTelegramServer.start();
    const alice = server.user({ first_name: 'Alice' });
    const group = server.group();
    const slow = gate();
    const handled: number[] = [];
    const first = server.command(alice, group, '/join');
    const queued = server.command(alice, group, '/leave');
    const p = startPoller(async (update) => {
      if (update.update_id === first.update_id) await slow.promise;
      handled.push(update.update_id);
    });
    await until(() => server.calls('getUpdates').length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = p.stop();
    // Arrives after the stop began: not taken.
    const late = server.command(alice, server.group('Other'), '/join');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(handled).toEqual([]);
    slow.open();
    await stopped;
    expect(handled).toEqual([first.update_id]);
    expect(server.confirmedOffset).toBe(first.update_id + 1);
    // The update queued behind the one in flight was not started: the next process gets it.
    expect(server.unconfirmedUpdates().map((u) => u.update_id)).toEqual([queued.update_id, late.update_id]);
  });
});
