/**
 * The first call to Telegram at start-up, bounded in time: getMe proves that the Bot API server answers and that
 * it knows the token. Without it an unreachable server (a wrong TELEGRAM_API_ROOT, no network, a firewall that
 * drops packets) left the process waiting with no message. The answer is the bot's identity, handed to the
 * adapter so it does not ask again. The token is never printed.
 */
import type { UserFromGetMe } from 'grammy/types';

/** Telegram's public Bot API server, used when TELEGRAM_API_ROOT is unset. */
export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';

/** A start-up check that failed; the message names the variable to look at. */
export class TelegramStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TelegramStartError';
  }
}

export interface TelegramPreflightOptions {
  token: string;
  apiRoot?: string;
  timeoutMs: number;
}

/** Calls getMe once within `timeoutMs`; resolves with the bot's identity or throws TelegramStartError. */
export async function telegramGetMe(options: TelegramPreflightOptions): Promise<UserFromGetMe> {
  const root = (options.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT).replace(/\/+$/, '');
  const where = options.apiRoot ? `TELEGRAM_API_ROOT=${root}` : `${root} (TELEGRAM_API_ROOT unset)`;
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  let response: Response;
  let body: { ok?: boolean; result?: UserFromGetMe; description?: string } | undefined;
  try {
    response = await fetch(`${root}/bot${options.token}/getMe`, { signal: AbortSignal.timeout(options.timeoutMs) });
    body = (await response.json().catch(() => undefined)) as typeof body;
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const reason = timedOut ? `no answer within ${seconds} s` : describeFetchError(error).split(options.token).join('***');
    throw new TelegramStartError(
      `cannot reach the Telegram Bot API at ${where}: ${reason}. Check TELEGRAM_API_ROOT (unset means ${DEFAULT_TELEGRAM_API_ROOT}) ` +
        'and that this machine can reach it (network, proxy, firewall).',
    );
  }
  if (response.status === 401 || response.status === 404) {
    throw new TelegramStartError(
      `the Telegram Bot API at ${where} refused TELEGRAM_BOT_TOKEN (${response.status} ${body?.description ?? response.statusText}): ` +
        'the token is wrong or was revoked; copy it again from @BotFather.',
    );
  }
  if (!response.ok || !body?.ok || !body.result) {
    throw new TelegramStartError(
      `the Telegram Bot API at ${where} answered getMe with ${response.status} ${body?.description ?? response.statusText}; ` +
        'check TELEGRAM_API_ROOT.',
    );
  }
  return body.result;
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, a certificate problem). */
function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ''}`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}
