/**
 * A group's history (the detector's HistoryEvent) as the `likes:scan` JSON lines, one event a line, so what the bot
 * scans can be exported and scanned offline alike: member, post, like, unlike, purchase, round; times in ISO 8601 UTC.
 */
import type { HistoryEvent } from './detect.js';

/** One event as its JSON line (without the newline); keys in the documented order. */
export function historyLine(event: HistoryEvent): string {
  switch (event.type) {
    case 'member':
      return JSON.stringify({ type: 'member', user: event.user, chat: event.chat, at: event.at.toISOString() });
    case 'post':
      return JSON.stringify({ type: 'post', post: event.post, author: event.author, chat: event.chat, at: event.at.toISOString() });
    case 'like':
    case 'unlike':
      return JSON.stringify({ type: event.type, post: event.post, user: event.user, at: event.at.toISOString() });
    case 'purchase':
      return JSON.stringify({
        type: 'purchase', user: event.user, chat: event.chat, amount: event.amount ?? 0, at: event.at.toISOString(),
        ...(event.product !== undefined ? { product: event.product } : {}), ...(event.quantity !== undefined ? { quantity: event.quantity } : {}),
      });
    case 'round':
      return JSON.stringify({ type: 'round', chat: event.chat, posts: event.posts, start: event.start.toISOString(), end: event.end.toISOString() });
  }
}
