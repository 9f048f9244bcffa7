/**
 * The core as a driver's bot sees it, counting the events it has finished by a platform key (Telegram's update id,
 * a Discord event key), so the driver knows when what it sent has been dealt with: a bot gives no other sign.
 */
import type { CoreApp, HandleResult, Language } from '../../core/app.js';
import type { CoreEvent, Platform } from '../../core/events.js';
import type { CommandInfo, PlatformPort } from '../../core/ports.js';

export class ObservedApp<K> implements CoreApp {
  /** Events finished per key. */
  readonly finished = new Map<K, number>();
  /** Events being handled now. */
  inFlight = 0;

  constructor(
    private readonly inner: CoreApp,
    private readonly keyOf: (event: CoreEvent) => K | undefined,
  ) {}

  registerPlatform(platform: Platform, port: PlatformPort): void {
    this.inner.registerPlatform(platform, port);
  }

  async handle(event: CoreEvent): Promise<HandleResult> {
    this.inFlight += 1;
    try {
      return await this.inner.handle(event);
    } finally {
      this.inFlight -= 1;
      const key = this.keyOf(event);
      if (key !== undefined) this.finished.set(key, (this.finished.get(key) ?? 0) + 1);
    }
  }

  commandList(language: Language): CommandInfo[] {
    return this.inner.commandList(language);
  }

  flushCards(): Promise<void> {
    return this.inner.flushCards();
  }

  /** Whether every key has had at least its expected number of events finished, and nothing is in flight. */
  caughtUp(expected: ReadonlyMap<K, number>): boolean {
    for (const [key, events] of expected) if ((this.finished.get(key) ?? 0) < events) return false;
    return this.inFlight === 0;
  }
}
