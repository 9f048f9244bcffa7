/**
 * Long polling that confirms an update to Telegram only once its handling has finished (committed, replies sent).
 *
 * Telegram forgets every update below the `offset` of the latest getUpdates call. @grammyjs/runner (and grammY's own
 * `bot.start`) advance the offset past everything fetched, before it is handled: a process killed in the middle of a
 * burst lost the rest of the batch. Here the offset only moves past the longest run of finished updates, so after a
 * crash Telegram delivers the unfinished ones again, and the core's update keys make the finished-but-unconfirmed
 * ones no-ops (docs/decisions/018-delivery-guarantees.md).
 *
 * Updates of one chat run one at a time, in order; different chats run side by side, at most `limit` updates ahead
 * of the oldest unfinished one (Telegram returns at most `limit` updates from the offset).
 */
import type { Update } from 'grammy/types';
import type { Logger } from '../../core/ports.js';

/** The getUpdates call the poller needs (grammY's `bot.api.getUpdates`). */
export type GetUpdates = (
  params: { offset: number; limit: number; timeout: number; allowed_updates?: readonly string[] },
  signal: AbortSignal,
) => Promise<Update[]>;

export interface UpdatePollerOptions {
  getUpdates: GetUpdates;
  /** Handles one update to the end. A rejection is logged and counts as finished: one bad update must not stall all. */
  handle: (update: Update) => Promise<void>;
  logger: Logger;
  /** Long-polling timeout in seconds (default 30). */
  timeoutSeconds?: number;
  /** Updates per getUpdates, and so how far handling may run ahead of the oldest unfinished update (default 100). */
  limit?: number;
  allowedUpdates?: readonly string[];
  /** While unfinished updates hold the offset back, look for new ones at least this often (default 500 ms). */
  refetchMs?: number;
}

/** See the module comment. */
export class UpdatePoller {
  /** Every update below it is finished (and confirmed by the next getUpdates). */
  private offset = 0;
  /** Updates at or above `offset` that were taken: false while running, true once finished. */
  private readonly taken = new Map<number, boolean>();
  private readonly chats = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private progress: (() => void) | undefined;

  constructor(private readonly options: UpdatePollerOptions) {}

  /** Starts polling in the background. */
  start(): void {
    this.loop ??= this.run();
  }

  isRunning(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  /** The offset of the next getUpdates: every update below it is finished. */
  confirmedOffset(): number {
    return this.offset;
  }

  /**
   * Stops taking updates, waits for the ones being handled (those still queued behind them are not started), then
   * confirms the finished ones to Telegram (one last getUpdates with
   * the final offset and no wait), so the next process does not receive them again.
   */
  async stop(): Promise<void> {
    if (!this.loop || this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    this.wake();
    await this.loop;
    await Promise.all([...this.chats.values()]);
    if (this.offset > 0) {
      await this.options
        .getUpdates({ offset: this.offset, limit: 1, timeout: 0, ...this.allowed() }, new AbortController().signal)
        .catch((error: unknown) => this.options.logger.warn({ err: messageOf(error), offset: this.offset }, 'could not confirm the last updates at shutdown'));
    }
  }

  private async run(): Promise<void> {
    const limit = this.options.limit ?? 100;
    const timeout = this.options.timeoutSeconds ?? 30;
    let failures = 0;
    let lastFetch = 0;
    while (!this.stopping) {
      // Unfinished updates hold the offset back, so Telegram answers at once with them: wait for progress (or a while,
      // for new updates of other chats) instead of fetching the same updates in a loop.
      if (this.taken.size > 0) {
        await this.waitForProgress(this.options.refetchMs ?? 500);
        if (this.stopping) break;
        const since = Date.now() - lastFetch;
        if (since < 50) await sleep(50 - since);
      }
      let updates: Update[];
      try {
        lastFetch = Date.now();
        updates = await this.options.getUpdates({ offset: this.offset, limit, timeout: this.taken.size > 0 ? 0 : timeout, ...this.allowed() }, this.abort.signal);
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        this.options.logger.warn({ err: messageOf(error), retryInMs: delay }, 'getUpdates failed');
        await sleep(delay, this.abort.signal);
        continue;
      }
      if (!Array.isArray(updates)) continue;
      for (const update of updates) {
        const id = typeof update?.update_id === 'number' ? update.update_id : NaN;
        if (!Number.isSafeInteger(id)) {
          // Without an id it can be neither handled once nor confirmed; nothing after it could be confirmed either.
          this.options.logger.error({}, 'update without an update_id ignored');
          continue;
        }
        if (id < this.offset || this.taken.has(id)) continue;
        if (this.taken.size === 0 && id > this.offset) this.offset = id;
        this.take(update, id);
      }
    }
  }

  private take(update: Update, id: number): void {
    this.taken.set(id, false);
    const chat = chatKeyOf(update) ?? `update:${id}`;
    const previous = this.chats.get(chat) ?? Promise.resolve();
    const next = previous.then(async () => {
      // Stopping: an update not started yet stays unconfirmed, for the next process.
      if (this.stopping) return;
      try {
        await this.options.handle(update);
      } catch (error) {
        this.options.logger.error({ updateId: id, err: messageOf(error) }, 'telegram update failed');
      }
      this.finish(id);
    });
    this.chats.set(chat, next);
    void next.then(() => {
      if (this.chats.get(chat) === next) this.chats.delete(chat);
    });
  }

  private finish(id: number): void {
    this.taken.set(id, true);
    // The offset moves past the longest run of finished updates; ids need not be contiguous (Telegram skips some).
    const ids = [...this.taken.keys()].sort((a, b) => a - b);
    for (const taken of ids) {
      if (!this.taken.get(taken)) break;
      this.taken.delete(taken);
      this.offset = taken + 1;
    }
    this.wake();
  }

  private waitForProgress(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.progress === done) self.progress = undefined;
        resolve();
      }
      this.progress = done;
    });
  }

  private wake(): void {
    this.progress?.();
  }

  private allowed(): { allowed_updates?: readonly string[] } {
    return this.options.allowedUpdates ? { allowed_updates: this.options.allowedUpdates } : {};
  }
}

/** The chat an update belongs to, for ordering; undefined when it names none (then it is ordered with nothing). */
export function chatKeyOf(update: Update): string | undefined {
  try {
    const u = update as unknown as Record<string, { chat?: { id?: unknown }; message?: { chat?: { id?: unknown } }; from?: { id?: unknown } } | undefined>;
    for (const value of Object.values(u)) {
      if (!value || typeof value !== 'object') continue;
      const chatId = value.chat?.id ?? value.message?.chat?.id ?? value.from?.id;
      if (typeof chatId === 'number' || typeof chatId === 'string') return String(chatId);
    }
  } catch {
    // A malformed update is ordered with nothing.
  }
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
