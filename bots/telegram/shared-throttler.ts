/**
 * Telegram's flood limits kept by every process that sends with one bot token (ADR 022): a grammY API transformer
 * that reserves a slot in the shared budget (bots on PostgreSQL: prisma/send-budget.ts) before each sending call,
 * and waits for it. It replaces the in-process throttler (@grammyjs/transformer-throttler), which counts one
 * process's sends only; one process on PGlite keeps that one.
 */
import type { Transformer } from 'grammy';
import { silentLogger, type Logger, type SendBucketSpec, type SendBudget } from '../../core/ports.js';

/**
 * Telegram's published limits, as the in-process throttler applies them: about 30 messages a second overall, one a
 * second in a chat, 20 a minute in a group (here: a burst of 20, then one every 3 s).
 */
export const TELEGRAM_LIMITS = {
  overall: { everyMs: 1000 / 30, burst: 1 },
  chat: { everyMs: 1000, burst: 1 },
  group: { everyMs: 3000, burst: 20 },
} as const;

/** The buckets one call into `chatId` counts against, for the bot numbered `botId`. */
export function telegramBuckets(botId: string, chatId: number | string | undefined): SendBucketSpec[] {
  const prefix = `tg:bot${botId}`;
  const buckets: SendBucketSpec[] = [{ key: `${prefix}:all`, ...TELEGRAM_LIMITS.overall }];
  if (chatId === undefined || chatId === '') return buckets;
  buckets.push({ key: `${prefix}:chat:${chatId}`, ...TELEGRAM_LIMITS.chat });
  // Groups and channels have negative ids (or an @username for public ones); private chats are the user's id.
  if (typeof chatId === 'string' ? !/^\d+$/.test(chatId) : chatId < 0) buckets.push({ key: `${prefix}:group:${chatId}`, ...TELEGRAM_LIMITS.group });
  return buckets;
}

/**
 * A transformer for the sending methods (createTelegramBot applies it to those only). A 429 holds the chat's bucket
 * (or the overall one) for `retry_after` in every process; auto-retry, installed outside, then sends again through
 * this transformer and so waits for the held slot. When the database cannot be asked, the call goes out unthrottled
 * (logged): a reply is worth more than the budget, and Telegram's own 429 is retried.
 */
export function sharedThrottler(budget: SendBudget, botId: string, logger: Logger = silentLogger): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    const buckets = telegramBuckets(botId, chatId);
    try {
      const waitMs = await budget.reserve(buckets);
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error), method }, 'shared send budget unavailable: sending without it');
    }
    const result = await prev(method, payload, signal);
    const retryAfter = !result.ok && result.error_code === 429 ? result.parameters?.retry_after : undefined;
    if (retryAfter) {
      const held = buckets[buckets.length > 1 ? 1 : 0]!;
      await budget.hold(held, retryAfter * 1000).catch(() => {});
    }
    return result;
  };
}
