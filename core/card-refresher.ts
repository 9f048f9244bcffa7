/**
 * Coalesces bursts of changes to one live card into few edits: the first change waits `coalesceMs`, edits of one
 * card are at least `minIntervalMs` apart (platform edit limits), and edits of one card never overlap, so the
 * last edit always shows the latest state.
 */
export class CardRefresher {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly refresh: (key: string) => Promise<void>,
    private readonly options: {
      coalesceMs: number;
      minIntervalMs: number;
      onError: (key: string, error: unknown) => void;
      /** Called when a change is merged into an edit already pending (metrics). */
      onCoalesced?: () => void;
    },
  ) {}

  /** Notes that a card changed; it will be edited soon. */
  markDirty(key: string): void {
    if (this.timers.has(key)) {
      this.options.onCoalesced?.();
      return;
    }
    const sinceLast = Date.now() - (this.lastRun.get(key) ?? 0);
    const delay = Math.max(this.options.coalesceMs, this.options.minIntervalMs - sinceLast);
    const timer = setTimeout(() => this.fire(key), delay);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  private fire(key: string): Promise<void> {
    this.timers.delete(key);
    this.lastRun.set(key, Date.now());
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.refresh(key))
      .catch((error) => this.options.onError(key, error))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
    return next;
  }

  /** Sends every pending edit now and waits for all edits in flight. */
  async flush(): Promise<void> {
    for (const [key, timer] of [...this.timers]) {
      clearTimeout(timer);
      void this.fire(key);
    }
    await Promise.all([...this.chains.values()]);
  }

  /** Drops pending edits (shutdown). */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
