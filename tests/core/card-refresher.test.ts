/**
 * The card refresher's side of the shared lease (ADR 022), against leases kept in memory here so that the database
 * can be made to fail on cue; the real leases race on a real database in shared-cards.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CardRefresher } from '../../core/card-refresher.js';
import type { CardLeases, CardTake } from '../../core/ports.js';

/** One card's row as prisma/card-leases.ts keeps it, on this process's clock. */
class MemoryLeases implements CardLeases {
  seq = 0;
  heldUntil = 0;
  lastEdit = 0;
  dirty = false;
  failNext = 0;

  async take(_key: string, { change, minIntervalMs, leaseMs }: { change: boolean; minIntervalMs: number; leaseMs: number }): Promise<CardTake> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('database unreachable');
    }
    const now = Date.now();
    const free = this.heldUntil <= now && this.lastEdit + minIntervalMs <= now && (change || this.dirty);
    if (free) {
      this.seq++;
      this.heldUntil = now + leaseMs;
      this.dirty = false;
      return { granted: true, seq: this.seq };
    }
    if (change) this.dirty = true;
    return { granted: false, pending: this.dirty, retryInMs: Math.max(this.heldUntil, this.lastEdit + minIntervalMs) - now };
  }

  async renew(_key: string, seq: number, leaseMs: number): Promise<boolean> {
    if (seq !== this.seq || this.heldUntil <= Date.now()) return false;
    this.heldUntil = Date.now() + leaseMs;
    return true;
  }

  async release(_key: string, seq: number, { edited, minIntervalMs }: { edited: boolean; minIntervalMs: number }) {
    if (seq !== this.seq) return { dirty: false, retryInMs: 0 };
    this.heldUntil = Date.now();
    if (edited) this.lastEdit = Date.now();
    return { dirty: this.dirty, retryInMs: minIntervalMs };
  }
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('CardRefresher with shared leases', () => {
  it('offers a change again when the database could not be asked, and edits once it answers', async () => {
    const leases = new MemoryLeases();
    leases.failNext = 1;
    const errors: unknown[] = [];
    const edits: number[] = [];
    const refresher = new CardRefresher(async () => void edits.push(Date.now()), { coalesceMs: 0, minIntervalMs: 50, leases, onError: (_k, e) => errors.push(e) });
    refresher.markDirty('buy:1');
    await until(() => edits.length === 1);
    expect(errors).toHaveLength(1);
    refresher.stop();
  });

  it('drops a render whose lease was lost before sending it', async () => {
    const leases = new MemoryLeases();
    const sent: string[] = [];
    const refresher = new CardRefresher(
      async (_key, fence) => {
        // Another process took the card over while this one rendered (this one stalled past its lease).
        leases.seq += 1;
        if (await fence()) sent.push('old render');
        return false;
      },
      { coalesceMs: 0, minIntervalMs: 0, leases, onError: () => {} },
    );
    refresher.markDirty('buy:1');
    await refresher.flush();
    expect(sent).toEqual([]);
    refresher.stop();
  });

  it('renders again after the interval when the card changed while it was being edited', async () => {
    const leases = new MemoryLeases();
    const edits: number[] = [];
    const refresher = new CardRefresher(
      async () => {
        // Another process's change arrives during this edit: its take fails and marks the card dirty.
        if (edits.length === 0) await leases.take('buy:1', { change: true, minIntervalMs: 100, leaseMs: 1000 });
        edits.push(Date.now());
      },
      { coalesceMs: 0, minIntervalMs: 100, leases, onError: () => {} },
    );
    refresher.markDirty('buy:1');
    await until(() => edits.length === 2);
    expect(edits[1]! - edits[0]!).toBeGreaterThanOrEqual(95);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(edits).toHaveLength(2);
    expect(refresher.busy).toBe(0);
    refresher.stop();
  });
});
