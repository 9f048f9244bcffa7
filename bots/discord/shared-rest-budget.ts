/**
 * Discord's global rate limit (50 requests a second per bot token) kept by every process of one application
 * (ADR 022). discord.js keeps the per-route buckets itself, per process, from Discord's headers (a route's bucket
 * is usually one channel, which one process serves); the global budget is what several processes would overrun
 * together. Interaction answers (`/interactions/…`, `/webhooks/…`) are outside the global limit and are not held.
 */
import { DefaultRestOptions, type RESTOptions } from 'discord.js';
import { silentLogger, type Logger, type SendBucketSpec, type SendBudget } from '../../core/ports.js';

/** Discord's global limit: 50 requests a second per token. */
export const DISCORD_GLOBAL = { everyMs: 1000 / 50, burst: 1 } as const;

/** The global bucket of the application `applicationId`. */
export function discordGlobalBucket(applicationId: string): SendBucketSpec {
  return { key: `dc:app${applicationId}:all`, ...DISCORD_GLOBAL };
}

/**
 * discord.js's `makeRequest` (the HTTP call under its REST queue), waiting first for a slot in the shared global
 * budget. A global 429 holds the budget for every process; a database that cannot be asked lets the call through
 * (logged), since discord.js retries its own 429s.
 */
export function sharedMakeRequest(budget: SendBudget, applicationId: string, logger: Logger = silentLogger): RESTOptions['makeRequest'] {
  const bucket = discordGlobalBucket(applicationId);
  const send = DefaultRestOptions.makeRequest;
  return async (url, init) => {
    if (!/\/(interactions|webhooks)\//.test(url)) {
      try {
        const waitMs = await budget.reserve([bucket]);
        if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'shared send budget unavailable: sending without it');
      }
    }
    const response = await send(url, init);
    if (response.status === 429 && response.headers.get('x-ratelimit-global') === 'true') {
      const retryAfter = Number(response.headers.get('retry-after'));
      if (retryAfter > 0) await budget.hold(bucket, retryAfter * 1000).catch(() => {});
    }
    return response;
  };
}
