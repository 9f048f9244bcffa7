/**
 * Metrics of the Discord adapter (bots/ops/metrics.ts): every REST response of the real discord.js client, against
 * the fake Discord server, is counted by result; messages posted and edited, and a 429 the server answers once.
 */
import { describe, expect, it } from 'vitest';
import { BotMetrics, METRIC_NAMES, discordAction } from '../../bots/ops/metrics.js';
import { useDiscordWorld } from '../support/platform-world.js';

const t = useDiscordWorld({ anna: { name: 'Anna', username: 'anna', admin: true }, bob: { name: 'Bob', username: 'bob' } });

async function counter(metrics: BotMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)).reduce((sum, v) => sum + v.value, 0);
}

describe('metrics on Discord', () => {
  it('counts REST calls, messages sent and edited, and a 429 answered by the server', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    metrics.watchDiscord(t.driver.discord!.client);
    const server = t.driver.server;
    const before = server.calls().length;
    // The first message posted into a channel meets a rate limit once; discord.js waits and sends it again.
    server.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 0.5);
    await t.play([
      { as: 'anna', command: '/newbuy Tea | 10 | min 2 | max 20 | ends 2h' },
      { as: 'bob', command: '/join' },
      { expect: { groupMessage: /^Bob joined #1 ×1\.$/, card: [/1\. Bob ×1/] } },
    ]);
    await t.world.core.flushCards();
    const calls = server.calls().slice(before);

    expect(await counter(metrics, METRIC_NAMES.rateLimited, { platform: 'discord' })).toBe(1);
    expect(await counter(metrics, METRIC_NAMES.requests, { platform: 'discord', result: 'rate_limited' })).toBe(1);
    expect(await counter(metrics, METRIC_NAMES.requests, { platform: 'discord', result: 'ok' })).toBe(calls.length - 1);
    const posts = calls.filter((c) => discordAction(c.method, c.path) === 'send').length;
    const edits = calls.filter((c) => discordAction(c.method, c.path) === 'edit').length;
    expect(posts).toBeGreaterThanOrEqual(3);
    expect(edits).toBeGreaterThanOrEqual(1);
    // The rate-limited attempt was one of the recorded posts, and is not a message sent.
    expect(await counter(metrics, METRIC_NAMES.messages, { platform: 'discord', action: 'send' })).toBe(posts - 1);
    expect(await counter(metrics, METRIC_NAMES.messages, { platform: 'discord', action: 'edit' })).toBe(edits);
    expect(metrics.lastSuccessAt('discord')).toBeGreaterThan(Date.now() - 60_000);
  }, 60_000);
});
