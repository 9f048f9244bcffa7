/** The core's `dc:` ids and where a Discord message landed, in the core's terms. */
import type { APIMessage } from 'discord-api-types/v10';
import { DeliveryError } from '../../core/ports.js';
import type { DeliveredRef } from '../../core/replies.js';

/** `dc:123` -> `123`. An id from another platform here is a core bug, reported as such. */
export function discordId(id: string, prefixed = true): string {
  const match = (prefixed ? /^dc:(\d+)$/ : /^(?:dc:)?(\d+)$/).exec(id);
  if (!match?.[1]) throw new DeliveryError('not_found', `not a Discord id: ${id}`);
  return match[1];
}

/** A sent message as the core's reference to it (so the core can edit or pin it later). */
export function refOf(message: APIMessage): DeliveredRef {
  return { chatId: `dc:${message.channel_id}`, messageId: message.id };
}
