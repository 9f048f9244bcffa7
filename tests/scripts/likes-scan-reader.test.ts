/**
 * likes:scan's reader takes the common event lines straight from their bytes (scripts/likes-scan-reader.ts); every
 * other line goes through JSON.parse and the schemas. Both ways must give the same packed history and the same
 * tally, whatever the lines and however the bytes are cut into chunks.
 */
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../core/kernel/event-lines.js';
import { HistoryPacker } from '../../core/moderation/detect-history.js';
import { EventLineReader, MAX_LINE_CHARS, newTally } from '../../scripts/likes-scan-reader.js';
import { simulateCommunity } from '../../bench/sim/communities.js';
import { seededRandom } from '../../bench/sim/random.js';

/**
 * Reads `text` in chunks of the given sizes; the fast way starts without the ordinary parser and is given it when
 * it asks (as likes:scan does), the ordinary way has it from the start.
 */
function read(text: string | Uint8Array, fastPath: boolean, chunkSizes: number[] = [1 << 16]) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const packer = new HistoryPacker();
  const reader = new EventLineReader(packer, newTally(), fastPath ? undefined : parseEventLine, fastPath);
  const load = () => {
    expect(reader.parse).toBeUndefined();
    reader.parse = parseEventLine;
    reader.resume();
  };
  let k = 0;
  for (let pos = 0; pos < bytes.length; k++) {
    const size = chunkSizes[k % chunkSizes.length]!;
    if (!reader.write(bytes.subarray(pos, pos + size))) load();
    pos += size;
  }
  if (!reader.end()) load();
  const { fastLines, ...tally } = reader.tally;
  return { history: packer.finish(), tally, fastLines };
}

/** Reads `text` both ways (and in odd chunks) and expects the same; returns the fast reading. */
function same(text: string | Uint8Array, chunkSizes?: number[]) {
  const fast = read(text, true, chunkSizes);
  const ordinary = read(text, false);
  expect(fast.history).toEqual(ordinary.history);
  expect(fast.tally).toEqual(ordinary.tally);
  return fast;
}

const T = '2026-03-01T10:00:00.000Z';
const like = (post: string, user: string, at = T) => JSON.stringify({ type: 'like', post, user, at });

describe('likes:scan reader', () => {
  it('reads a simulated community the fast way, line for line as JSON.parse would', () => {
    const community = simulateCommunity({ seed: 4, members: 800, shares: 500, likes: 8000, squads: 2, rounds: 2, tasks: 1, puppetCases: 1, rings: 1, bursts: 1 });
    const text = `${community.events.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const fast = same(text);
    expect(fast.fastLines).toBe(community.events.length);
    expect(fast.tally.events).toBe(community.events.length);
    same(text, [1, 7, 64, 4093, 3]);
  });

  it.each([
    ['other key order', '{"post":"p1","type":"like","user":"u1","at":"2026-03-01T10:00:00Z"}', false],
    ['spaces', '{"type": "like", "post": "p1", "user": "u1", "at": "2026-03-01T10:00:00Z"}', false],
    ['trailing space', `${like('p1', 'u1')} `, false],
    ['an escaped id equal to a plain one', '{"type":"like","post":"p1","user":"u\\u0031","at":"2026-03-01T10:00:00Z"}', false],
    ['an escaped quote in an id', '{"type":"like","post":"p\\"1","user":"u1","at":"2026-03-01T10:00:00Z"}', false],
    ['numbers as ids', '{"type":"like","post":1,"user":2,"at":"2026-03-01T10:00:00Z"}', false],
    ['a number id equal to a string id', '{"type":"member","user":"2","chat":"g1","at":"2026-03-01T10:00:00Z"}\n{"type":"like","post":"p1","user":2,"at":"2026-03-01T11:00:00Z"}', true],
    ['ids with spaces and Chinese', like('p 1', '用户一'), false],
    ['an empty id', like('', 'u1'), false],
    ['a blank id', like(' ', 'u1'), false],
    ['an id with a tab', like('p\t1', 'u1'), false],
    ['a zone offset', like('p1', 'u1', '2026-03-01T18:00:00+08:00'), false],
    ['a bare date', like('p1', 'u1', '2026-03-01'), false],
    ['no seconds', like('p1', 'u1', '2026-03-01T10:00Z'), false],
    ['one fraction digit', like('p1', 'u1', '2026-03-01T10:00:00.5Z'), false],
    ['six fraction digits', like('p1', 'u1', '2026-03-01T10:00:00.123456Z'), false],
    ['February 29 of a leap year', like('p1', 'u1', '2028-02-29T10:00:00Z'), true],
    ['February 29 of another year', like('p1', 'u1', '2026-02-29T10:00:00Z'), false],
    ['February 29 of 1900', like('p1', 'u1', '1900-02-29T10:00:00Z'), false],
    ['February 29 of 2000', like('p1', 'u1', '2000-02-29T10:00:00.999Z'), true],
    ['hour 24', like('p1', 'u1', '2026-03-01T24:00:00Z'), false],
    ['second 60', like('p1', 'u1', '2026-03-01T23:59:60Z'), false],
    ['month 13', like('p1', 'u1', '2026-13-01T10:00:00Z'), false],
    ['day 0', like('p1', 'u1', '2026-03-00T10:00:00Z'), false],
    ['year 0', like('p1', 'u1', '0000-01-01T00:00:00Z'), true],
    ['year 9999', like('p1', 'u1', '9999-12-31T23:59:59.999Z'), true],
    ['lower-case z', like('p1', 'u1', '2026-03-01T10:00:00z'), false],
    ['a letter in the time', like('p1', 'u1', '2026-03-01T1O:00:00Z'), false],
    ['a time that is not a string', '{"type":"like","post":"p1","user":"u1","at":1772359200000}', false],
    ['an extra key', '{"type":"like","post":"p1","user":"u1","at":"2026-03-01T10:00:00Z","via":"app"}', false],
    ['a repeated key', '{"type":"like","post":"p1","user":"u1","at":"2026-03-01T10:00:00Z","user":"u2"}', false],
    ['a missing key', '{"type":"like","post":"p1","at":"2026-03-01T10:00:00Z"}', false],
    ['text after the object', `${like('p1', 'u1')}x`, false],
    ['a cut line', like('p1', 'u1').slice(0, -3), false],
    ['CRLF', `${like('p1', 'u1')}\r`, true],
    ['two CRs', `${like('p1', 'u1')}\r\r`, false],
    ['a byte-order mark', `\ufeff${like('p1', 'u1')}`, false],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"type":"like","post":"p'), Buffer.from([0xff, 0xfe]), Buffer.from('","user":"u1","at":"2026-03-01T10:00:00Z"}')]), false],
    ['an unlike', '{"type":"unlike","post":"p1","user":"u1","at":"2026-03-01T10:00:00Z"}', true],
    ['a member', '{"type":"member","user":"u1","chat":"g1","at":"2026-03-01T10:00:00Z"}', true],
    ['a member without chat', '{"type":"member","user":"u1","at":"2026-03-01T10:00:00Z"}', false],
    ['a post', '{"type":"post","post":"p1","author":"u1","chat":"g1","at":"2026-03-01T10:00:00Z"}', true],
    ['a post with an empty author', '{"type":"post","post":"p1","author":"","chat":"g1","at":"2026-03-01T10:00:00Z"}', false],
    ['a purchase', '{"type":"purchase","user":"u1","chat":"g1","amount":12.5,"at":"2026-03-01T10:00:00Z"}', true],
    ['a purchase repeated in other words', '{"type":"purchase","user":"u1","chat":"g1","amount":12.5,"at":"2026-03-01T10:00:00Z"}\n{"type":"purchase","user":"u1","chat":"g1","at":"2026-03-01T10:00:00.000Z","amount":12.50}', true],
    ['a purchase of 0', '{"type":"purchase","user":"u1","chat":"g1","amount":0,"at":"2026-03-01T10:00:00Z"}', true],
    ['a purchase with a product', '{"type":"purchase","user":"u1","chat":"g1","amount":3,"at":"2026-03-01T10:00:00Z","product":"eggs","quantity":2}', false],
    ['a negative amount', '{"type":"purchase","user":"u1","chat":"g1","amount":-1,"at":"2026-03-01T10:00:00Z"}', false],
    ['an amount with a leading zero', '{"type":"purchase","user":"u1","chat":"g1","amount":012,"at":"2026-03-01T10:00:00Z"}', false],
    ['an amount with an exponent', '{"type":"purchase","user":"u1","chat":"g1","amount":1e3,"at":"2026-03-01T10:00:00Z"}', false],
    ['an amount ending in a point', '{"type":"purchase","user":"u1","chat":"g1","amount":1.,"at":"2026-03-01T10:00:00Z"}', false],
    ['a huge amount', `{"type":"purchase","user":"u1","chat":"g1","amount":${'9'.repeat(400)},"at":"2026-03-01T10:00:00Z"}`, false],
    ['an amount as a string', '{"type":"purchase","user":"u1","chat":"g1","amount":"3","at":"2026-03-01T10:00:00Z"}', false],
    ['a round', '{"type":"round","chat":"g1","posts":["p1","p2"],"start":"2026-03-01T10:00:00Z","end":"2026-03-01T12:00:00.000Z"}', true],
    ['a round of no shares', '{"type":"round","chat":"g1","posts":[],"start":"2026-03-01T10:00:00Z","end":"2026-03-01T10:00:00Z"}', true],
    ['a round of one share', '{"type":"round","chat":"g1","posts":["p9"],"start":"2026-03-01T10:00:00Z","end":"2026-03-01T12:00:00Z"}', true],
    ['a round ending before it starts', '{"type":"round","chat":"g1","posts":["p1"],"start":"2026-03-01T10:00:00Z","end":"2026-03-01T09:00:00Z"}', false],
    ['a round with a trailing comma', '{"type":"round","chat":"g1","posts":["p1",],"start":"2026-03-01T10:00:00Z","end":"2026-03-01T12:00:00Z"}', false],
    ['a round with spaces in the list', '{"type":"round","chat":"g1","posts":["p1", "p2"],"start":"2026-03-01T10:00:00Z","end":"2026-03-01T12:00:00Z"}', false],
    ['a round with a number share', '{"type":"round","chat":"g1","posts":["p1",2],"start":"2026-03-01T10:00:00Z","end":"2026-03-01T12:00:00Z"}', false],
    ['a round with a bad start', '{"type":"round","chat":"g1","posts":["p1"],"start":"2026-02-30T10:00:00Z","end":"2026-03-01T12:00:00Z"}', false],
    ['another type', '{"type":"sticker","user":"u1"}', false],
    ['a type like ours', '{"type":"likes","post":"p1","user":"u1","at":"2026-03-01T10:00:00Z"}', false],
    ['not JSON', 'like p1 u1', false],
    ['an array', '["like","p1"]', false],
    ['blank', '   ', false],
  ] as const)('reads a line with %s the same both ways', (_, line, fast) => {
    const prefix = `${like('p0', 'u0')}\n${like('p1', 'u1', '2026-02-01T00:00:00Z')}\n`;
    const text = typeof line === 'string' ? Buffer.from(`${prefix}${line}\n${like('p1', 'u2')}`) : Buffer.concat([Buffer.from(prefix), line, Buffer.from(`\n${like('p1', 'u2')}`)]);
    expect(same(text).fastLines).toBe(fast ? 4 : 3);
    same(text, [3]);
  });

  it('reads mangled lines the same both ways (random edits of valid lines)', () => {
    const random = seededRandom(99);
    const community = simulateCommunity({ seed: 6, members: 300, shares: 200, likes: 2000, squads: 1, rounds: 1, tasks: 1, puppetCases: 1, rings: 1, bursts: 1 });
    const lines = community.events.map((e) => JSON.stringify(e));
    const alphabet = '{}[]":,.-+0123456789TZtzeE \\u/pl用\t';
    const mangled = lines.map((line) => {
      if (random.next() < 0.5) return line;
      const chars = [...line];
      for (let edits = 1 + Math.floor(random.next() * 3); edits > 0; edits--) {
        const at = Math.floor(random.next() * chars.length);
        const c = alphabet[Math.floor(random.next() * alphabet.length)]!;
        const kind = random.next();
        if (kind < 0.4) chars[at] = c;
        else if (kind < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      return chars.join('');
    });
    const fast = same(`${mangled.join('\n')}\n`, [5, 1000, 77]);
    expect(fast.tally.malformed).toBeGreaterThan(100);
    expect(fast.fastLines).toBeGreaterThan(lines.length / 3);
  });

  it('computes times as Date.parse does, across the calendar', () => {
    const random = seededRandom(3);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const ms = Math.floor((random.next() * 2 - 0.5) * 1e13);
      const iso = new Date(ms).toISOString();
      lines.push(like('p1', `u${i}`, random.next() < 0.5 ? iso : iso.replace(/\.\d{3}Z$/, 'Z')));
    }
    const fast = same(lines.join('\n'));
    expect(fast.fastLines).toBe(lines.length);
  });

  it('skips a runaway line (no newline for millions of characters) without holding it, and reads on', () => {
    const huge = 'x'.repeat(3 * MAX_LINE_CHARS + 10);
    const text = `${like('p1', 'u1')}\n${huge}\n${like('p1', 'u2')}\n${'y'.repeat(MAX_LINE_CHARS + 1)}\n${like('p1', 'é'.repeat(MAX_LINE_CHARS / 2))}\n`;
    const fast = same(text, [65_536]);
    expect(fast.tally.malformed).toBe(2);
    expect(fast.tally.listedMalformed.map((m) => m.line)).toEqual([2, 4]);
    expect(fast.tally.listedMalformed[0]!.problem).toBe(`longer than ${MAX_LINE_CHARS} characters`);
    // Over a million bytes but not over a million characters: read.
    expect(fast.history.likeCount).toBe(3);
  });

  it('names the first malformed lines and counts them all by kind, in bounded memory', () => {
    const lines = [like('p1', 'u1')];
    for (let i = 0; i < 5000; i++) lines.push(i % 2 ? `oops ${i}` : JSON.stringify({ type: 'like', post: 'p1', at: T }));
    const { tally } = same(lines.join('\n'));
    expect(tally.malformed).toBe(5000);
    expect(tally.listedMalformed).toHaveLength(20);
    expect([...tally.malformedByKind]).toEqual([
      ['"user" must be a non-empty string or a number', 2500],
      ['not valid JSON', 2500],
    ]);
  });
});
