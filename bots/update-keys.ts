/**
 * Update keys (the core's "handled once" record) name the bot that received the update: `tg:123` from the decoder
 * becomes `tg:bot<botId>:123`. Telegram numbers updates per bot, so two bots on one database both see an update 1;
 * Discord ids are global, but two applications in one server receive the same messages. The `bot`/`app` marker keeps
 * new keys apart from the keys written before they were namespaced. See docs/decisions/018-delivery-guarantees.md.
 */

/** How long an update key is kept: Telegram keeps an undelivered update 24 hours; the rest is margin. */
export const UPDATE_KEY_RETENTION_HOURS = 48;

/** `tg:123` -> `tg:bot<botId>:123`; `dc:…` -> `dc:app<applicationId>:…`. */
export function namespacedKey(key: string, botId: string | number): string {
  const colon = key.indexOf(':');
  if (colon < 0) return key;
  const platform = key.slice(0, colon);
  return `${platform}:${platform === 'dc' ? 'app' : 'bot'}${botId}:${key.slice(colon + 1)}`;
}
