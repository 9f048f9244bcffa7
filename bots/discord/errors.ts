/** Discord's errors: its refusals as the core's `DeliveryError`, and any error as fields for a log line. */
import { DeliveryError } from '../../core/ports.js';

/** Discord error codes this adapter tells apart. */
const CANNOT_DM_USER = 50007;
const UNKNOWN_CODES = new Set([10003, 10008, 10013, 10015, 10062]);
const FORBIDDEN_CODES = new Set([50001, 50013]);

/**
 * Discord's refusals as the core's DeliveryError; network trouble stays what it is. `toMember`: the reply went to a
 * member's DMs, where any 403 means they accept no DMs from the bot.
 */
export function deliveryErrorFor(error: unknown, toMember: boolean): unknown {
  if (error instanceof DeliveryError || !isDiscordApiError(error)) return error;
  const code = Number(error.code);
  if (code === CANNOT_DM_USER || (toMember && error.status === 403)) return new DeliveryError('dm_blocked', error.message);
  if (UNKNOWN_CODES.has(code) || error.status === 404) return new DeliveryError('not_found', error.message);
  if (FORBIDDEN_CODES.has(code) || error.status === 403) return new DeliveryError('forbidden', error.message);
  return new DeliveryError('other', error.message);
}

/**
 * Discord's refusals, by shape: discord.js may load its own copy of @discordjs/rest, so `instanceof` on this module's
 * import is not reliable.
 */
function isDiscordApiError(error: unknown): error is Error & { code: number | string; status: number } {
  return error instanceof Error && error.name.startsWith('DiscordAPIError') && typeof (error as { status?: unknown }).status === 'number';
}

/** An error as plain fields for a warning (pino would drop an Error's non-enumerable name and message). */
export function logFieldsOf(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message } : { value: String(error) };
}
