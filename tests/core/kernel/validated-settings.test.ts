import { describe, expect, it } from 'vitest';
import { validatedOnce } from '../../../core/kernel/validated-settings.js';
import { readPointsSettings } from '../../../core/points/points-settings.js';

/** A reader that counts its validations. */
function counted() {
  const seen: unknown[] = [];
  const read = validatedOnce((raw: unknown) => {
    seen.push(raw);
    return { value: (raw as { n?: number })?.n ?? 0, nested: { list: [1, 2] } };
  });
  return { read, seen };
}

describe('validatedOnce', () => {
  it('validates the same content once, whether the same object or a copy read later', () => {
    const { read, seen } = counted();
    const stored = { n: 3 };
    const first = read(stored);
    expect(read(stored)).toBe(first);
    expect(read(JSON.parse(JSON.stringify(stored)))).toBe(first);
    expect(seen).toHaveLength(1);
    expect(first.value).toBe(3);
  });

  it('validates changed content anew', () => {
    const { read, seen } = counted();
    expect(read({ n: 3 }).value).toBe(3);
    expect(read({ n: 4 }).value).toBe(4);
    expect(seen).toHaveLength(2);
  });

  it('freezes what it shares, all the way down', () => {
    const { read } = counted();
    const result = read({ n: 1 });
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(result.nested.list)).toBe(true);
    expect(() => result.nested.list.push(3)).toThrow(TypeError);
  });

  it('passes absent and non-object sections straight through, each time', () => {
    const { read, seen } = counted();
    read(undefined);
    read(undefined);
    read('text');
    expect(seen).toEqual([undefined, undefined, 'text']);
  });

  it('keeps at most a thousand contents, dropping the least recently read', () => {
    const { read, seen } = counted();
    read({ n: 0 });
    for (let n = 1; n <= 1000; n++) read({ n });
    expect(seen).toHaveLength(1001);
    read({ n: 1000 }); // kept
    expect(seen).toHaveLength(1001);
    read({ n: 0 }); // the oldest, dropped
    expect(seen).toHaveLength(1002);
  });
});

describe('readPointsSettings', () => {
  it("gives a group's own settings validated and frozen, the same for every read of the same content", () => {
    const stored = { streakBonusEvery: 5, rules: { checkin: { amount: 7 } } };
    const read = readPointsSettings(stored);
    expect(read.valid).toBe(true);
    expect(read.settings.streakBonusEvery).toBe(5);
    expect(read.settings.rules.checkin).toEqual({ amount: 7 });
    expect(readPointsSettings(JSON.parse(JSON.stringify(stored)))).toBe(read);
    expect(Object.isFrozen(read.settings.rules)).toBe(true);
  });

  it('falls back to the defaults for invalid settings, and says so', () => {
    const read = readPointsSettings({ streakBonusEvery: 1 });
    expect(read.valid).toBe(false);
    expect(read.settings).toEqual(readPointsSettings(undefined).settings);
  });
});
