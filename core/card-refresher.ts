import type { CardLeases } from './ports.js';

/**
 * Renders one card and sends it. `fence` is asked right before sending: false means a newer render may already be
 * under way in another process, so this one must not be sent. Returns whether an edit was sent.
 */
export type CardRefresh = (key: string, fence: () => Promise<boolean>) => Promise<boolean | void>;

export interface CardRefresherOptions {
  coalesceMs: number;
  minIntervalMs: number;
  onError: (key: string, error: unknown) => void;
  /** Called when a change is merged into an edit already pending (metrics). */
  onCoalesced?: () => void;
  /**
   * Several processes on one database (ADR 022): edits of a card are coordinated through a lease per card in the
   * database instead of in memory only.
   */
  leases?: CardLeases;
  /** How long a lease lasts without renewal (a killed holder's card is taken over after this). Default 10 s. */
  leaseMs?: number;
}

/** When a retry finds the card still busy it comes back this much after the time the database named. */
const RETRY_MARGIN_MS = 5;

/** How many times a flush sends what became pending during its own edits. */
const FLUSH_ROUNDS = 3;

/** A lease the database could not be asked for is asked again after this long (at least). */
const TAKE_RETRY_MS = 1000;

/**
 * Coalesces bursts of changes to one live card into few edits: the first change waits `coalesceMs`, edits of one
 * card are at least `minIntervalMs` apart (platform edit limits), and edits of one card never overlap, so the
 * last edit always shows the latest state.
 *
 * With `leases` this holds across processes: an edit takes the card's lease row first (renders from the database
 * after taking it, re-checks the lease right before sending, renews it while the send waits), and a process that
 * finds the lease held marks the card dirty so that the holder, or this process if the holder died, renders again.
 */
export class CardRefresher {
  private readonly timers = new Map<string, { timer: ReturnType<typeof setTimeout>; due: number }>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastRun = new Map<string, number>();
  /** Keys with a change of this process not yet offered to the shared lease (it must mark the card dirty). */
  private readonly changed = new Set<string>();
  private readonly leaseMs: number;
  /** While flushing (shutdown) pending edits go out now, without waiting for the interval (as in memory). */
  private flushing = false;

  constructor(
    private readonly refresh: CardRefresh,
    private readonly options: CardRefresherOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
  }

  /** Notes that a card changed; it will be edited soon. */
  markDirty(key: string): void {
    this.changed.add(key);
    const sinceLast = Date.now() - (this.lastRun.get(key) ?? 0);
    const delay = Math.max(this.options.coalesceMs, this.options.minIntervalMs - sinceLast);
    const pending = this.timers.get(key);
    if (pending && pending.due <= Date.now() + delay) {
      this.options.onCoalesced?.();
      return;
    }
    // Only a retry far ahead (another process holds the card): this change must be offered sooner.
    if (pending) clearTimeout(pending.timer);
    this.schedule(key, delay);
  }

  /** Edits pending or in flight (tests wait for 0). */
  get busy(): number {
    return this.timers.size + this.chains.size;
  }

  private schedule(key: string, delay: number): void {
    const timer = setTimeout(() => void this.fire(key), delay);
    timer.unref?.();
    this.timers.set(key, { timer, due: Date.now() + delay });
  }

  /** A render another process left to do (it held the card): try again when the database said it may be free. */
  private retry(key: string, inMs: number): void {
    const delay = Math.max(0, inMs) + RETRY_MARGIN_MS;
    const pending = this.timers.get(key);
    if (pending && pending.due <= Date.now() + delay) return;
    if (pending) clearTimeout(pending.timer);
    this.schedule(key, delay);
  }

  private fire(key: string): Promise<void> {
    this.timers.delete(key);
    this.lastRun.set(key, Date.now());
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.run(key))
      .catch((error) => this.options.onError(key, error))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
    return next;
  }

  private async run(key: string): Promise<void> {
    const leases = this.options.leases;
    if (!leases) {
      this.changed.delete(key);
      await this.refresh(key, async () => true);
      return;
    }
    const change = this.changed.delete(key);
    const minIntervalMs = this.flushing ? 0 : this.options.minIntervalMs;
    let take;
    try {
      take = await leases.take(key, { change, minIntervalMs, leaseMs: this.leaseMs });
    } catch (error) {
      // The database did not answer: this change is still to be shown, so it is offered again a little later.
      if (change) this.changed.add(key);
      this.retry(key, Math.max(TAKE_RETRY_MS, minIntervalMs));
      throw error;
    }
    if (!take.granted) {
      if (take.pending) this.retry(key, take.retryInMs);
      return;
    }
    // Renewed while the render waits (a group's send budget may hold an edit for a while), so that only a holder
    // that died loses it; a lost lease means a newer render may exist, and the fence then stops this one.
    let lost = false;
    const renew = async () => {
      if (!lost && !(await leases.renew(key, take.seq, this.leaseMs))) lost = true;
      return !lost;
    };
    const heartbeat = setInterval(() => void renew().catch(() => {}), Math.max(10, Math.floor(this.leaseMs / 3)));
    heartbeat.unref?.();
    let edited = false;
    try {
      edited = (await this.refresh(key, renew)) !== false;
    } finally {
      clearInterval(heartbeat);
      const released = await leases.release(key, take.seq, { edited, minIntervalMs });
      this.lastRun.set(key, Date.now());
      if (released.dirty) this.retry(key, released.retryInMs);
    }
  }

  /**
   * Sends every pending edit now and waits for all edits in flight. With leases, the interval is not waited for, and
   * a change that came in during an edit is sent too (a few rounds); a card another process holds is left to it.
   */
  async flush(): Promise<void> {
    this.flushing = Boolean(this.options.leases);
    try {
      for (let round = 0; round < (this.flushing ? FLUSH_ROUNDS : 1); round++) {
        if (round > 0 && this.timers.size === 0) break;
        for (const [key, { timer }] of [...this.timers]) {
          clearTimeout(timer);
          void this.fire(key);
        }
        await Promise.all([...this.chains.values()]);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Drops pending edits (shutdown). */
  stop(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
