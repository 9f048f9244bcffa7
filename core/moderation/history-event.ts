/** The history the fake-engagement detector reads (detect.ts), apart so the detector's parts can share it without a cycle. */

/** What the detector reads: the group's history in time order (the `likes:scan` event lines, typed). */
export type HistoryEvent =
  | { type: 'member'; user: string; chat: string; at: Date }
  | { type: 'post'; post: string; author: string; chat: string; at: Date }
  | { type: 'like'; post: string; user: string; at: Date }
  | { type: 'unlike'; post: string; user: string; at: Date }
  | { type: 'purchase'; user: string; chat: string; at: Date; amount?: number; product?: string; quantity?: number }
  /** A like round or like task the bot itself ran: sanctioned context, not evidence. */
  | { type: 'round'; chat: string; posts: string[]; start: Date; end: Date };
