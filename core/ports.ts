/**
 * What the core needs from the outside world, as interfaces. Adapters (bots/) and the data layer (prisma/)
 * implement them; the core imports no platform, ORM or LLM library.
 */
import type { CoreEvent, Platform } from './events.js';
import type { ArgSpec } from './kernel/args.js';
import type { DeliveredRef, Reply } from './replies.js';

/** One chat platform as the core sees it: a way to send, and a way to ask who is an admin. */
export interface PlatformPort {
  /**
   * Sends one reply. `origin` is the event being answered, if any (so an adapter can answer an interaction).
   * Returns where a message landed; throws DeliveryError when the platform refuses (e.g. a DM the user
   * never allowed).
   */
  deliver(reply: Reply, origin?: CoreEvent): Promise<DeliveredRef | undefined>;
  /** Whether the member is an admin of the chat according to the platform. Adapters cache this. */
  isChatAdmin(chatId: string, memberId: string): Promise<boolean>;
  /**
   * Member ids of the chat's human admins (Telegram getChatAdministrators), cached by the adapter. Optional:
   * where a platform cannot list them, features fall back to the moderators the group named with /mod.
   */
  listChatAdmins?(chatId: string): Promise<string[]>;
}

/** A delivery the platform refused. `reason` says why in the adapter's words; it is logged, not shown. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'dm_blocked' | 'not_found' | 'forbidden' | 'other',
    reason: string,
  ) {
    super(reason);
    this.name = 'DeliveryError';
  }
}


export interface ScheduledJob {
  /** A job a module declares (core/kernel/module.ts JobSpec), e.g. `buy.deadline`. */
  name: string;
  /** When to run. */
  runAt: Date;
  /** Jobs with the same key are scheduled once. */
  key: string;
  data: Record<string, unknown>;
}

/** A durable job queue (pg-boss on the same database): jobs survive restarts. */
export interface Scheduler {
  schedule(job: ScheduledJob): Promise<void>;
  /** Many jobs at once, each as `schedule` would (the start-up reconciliation: one insert per job name, not per job). */
  scheduleMany?(jobs: readonly ScheduledJob[]): Promise<void>;
}

/**
 * Draws a picture the core wrote as SVG into PNG bytes (resvg on the server: bots/pictures/resvg-renderer.ts), so
 * the core stays free of native rendering libraries. Text in the SVG needs the machine's fonts; pictures the core
 * writes stay readable without them.
 */
export interface PictureRenderer {
  readonly name: string;
  png(svg: string): Promise<Uint8Array>;
}

/**
 * Live cards shared by several processes on one database (ADR 022): a lease per card key, so that across all
 * processes at most one edit of a card is in flight, edits are `minIntervalMs` apart, and an older render is never
 * sent after a newer one. Without it (one process, PGlite) the card refresher coordinates in memory.
 */
export interface CardLeases {
  /**
   * Takes the card's lease when it is free and its last edit is at least `minIntervalMs` old. `change` says this
   * process has a change the card does not show yet: when the lease cannot be taken the card is then marked dirty,
   * so whoever edits it next renders again. Without `change` (a retry) it is taken only while the card is dirty.
   */
  take(key: string, options: { change: boolean; minIntervalMs: number; leaseMs: number }): Promise<CardTake>;
  /** Extends the lease if render `seq` still holds it; false when it was lost (expired and taken over). */
  renew(key: string, seq: number, leaseMs: number): Promise<boolean>;
  /** Frees the lease of render `seq`, recording the edit's time when `edited`. Whether the card changed meanwhile. */
  release(key: string, seq: number, options: { edited: boolean; minIntervalMs: number }): Promise<{ dirty: boolean; retryInMs: number }>;
}

/** What `CardLeases.take` gave: the lease and this render's sequence number, or how long until it may be tried. */
export type CardTake =
  | { granted: true; seq: number }
  /** `pending`: the card is dirty, so someone must render it again in `retryInMs`; false when someone already does. */
  | { granted: false; pending: boolean; retryInMs: number };

/**
 * An outgoing-message budget shared by every process that sends with one bot token (ADR 022): token buckets kept
 * in the database. Each send reserves a slot in every bucket that applies (the bot's overall rate, the chat's).
 */
export interface SendBudget {
  /** Reserves one slot in each bucket at one instant; how many milliseconds to wait before sending. */
  reserve(buckets: readonly SendBucketSpec[]): Promise<number>;
  /** The platform said "too many requests, retry after `ms`": no process sends into this bucket before then. */
  hold(bucket: SendBucketSpec, ms: number): Promise<void>;
}

/** One bucket: a send every `everyMs` on average, up to `burst` at once after a quiet while. */
export interface SendBucketSpec {
  key: string;
  everyMs: number;
  burst: number;
}

/**
 * Admin standing is cached by each process (a platform call per check would be slow and rate-limited). When one
 * process learns that a member's standing changed (Telegram's chat_member update, a Discord interaction showing
 * other permissions), every process must drop what it cached (ADR 022).
 */
export interface AdminChangeFeed {
  /** Tells every other process that `memberId`'s standing in `scope` changed (this one updates its own cache). */
  publish(change: AdminChange): Promise<void>;
  /** Calls `listener` for each change another process published; returns the unsubscriber. */
  subscribe(listener: (change: AdminChange) => void): () => void;
}

/**
 * A change of admin standing: `scope` is the platform's chat (Telegram) or server (Discord) id, without prefix;
 * `memberId` the user id. `everything` means changes may have been missed (the feed reconnected): drop every entry.
 */
export type AdminChange = { platform: 'tg' | 'dc'; scope: string; memberId: string } | { everything: true };

/** Minimal structured logger (pino-compatible). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How the core ended an event, for metrics: `rejected` is a UserError the member was told about, `error` an internal failure, `ignored` an event not for the bot. */
export type EventOutcome = 'ok' | 'rejected' | 'error' | 'duplicate' | 'ignored';

/**
 * Hooks the core calls so the operator can count what it does (bots/ops/metrics.ts exports them to Prometheus).
 * Optional, synchronous, and must not throw.
 */
export interface CoreObserver {
  /** One event handled end to end (replies delivered), how it ended, and how long it took in seconds. */
  eventHandled?(kind: string, outcome: EventOutcome, seconds: number): void;
  /** A card change merged into an edit already pending (one platform edit saved). */
  cardEditCoalesced?(): void;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** A command as listed to users (Telegram setMyCommands, Discord slash commands, /help). */
export interface CommandInfo {
  name: string;
  description: string;
  /** Who may use it. */
  audience: 'member' | 'admin';
  /** Its localized name where a platform localizes command names (Discord, zh-CN). */
  zhName?: string;
  /** Its typed arguments, from which typed forms (Discord's slash options) are derived. */
  args?: readonly ArgSpec[];
  /** False for commands kept out of menus and /help that a platform may still register (/start on Discord). */
  listed?: boolean;
}

export type { Platform };
