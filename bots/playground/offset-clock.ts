import type { Clock } from '../../core/clock.js';

/** The system clock plus an offset the playground can move forward (`/skip 2h`) to play a deadline now. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  skip(ms: number): void {
    this.offsetMs += ms;
  }
}
