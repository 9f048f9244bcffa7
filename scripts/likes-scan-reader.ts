/**
 * Reads likes:scan's input into a HistoryPacker as it streams: bytes in, packed history out, no line held longer
 * than it takes to read it (a file of any size passes through in bounded memory; only the packed history grows).
 *
 * Fast path: the lines the exporter and the simulator write, in the documented key order
 * (`{"type":"like","post":"p1","user":"u2","at":"2026-03-01T10:00:00.000Z"}`; `unlike`, `member`, `post`, `purchase`
 * without product or quantity, and `round` alike), with plain ASCII ids (no spaces, quotes or escapes), UTC times
 * (`...:SSZ` or `...:SS.mmmZ`) and plain amounts, are read straight from the bytes: ids interned from the bytes,
 * the time computed from the digits; no string, no JSON.parse, no Date. Any line not exactly of such a shape
 * (other key order, whitespace, escapes, numbers as ids, other zones, an impossible date, other types, anything
 * malformed) goes the ordinary way: decoded, `parseEventLine` (JSON.parse and the schemas), `packer.add`. Both
 * ways give the same packed history (tests/scripts/likes-scan-reader.test.ts), so the report is the same.
 *
 * The ordinary way is handed in (`parse`) and may come late: `write` stops at the first line that needs it if it
 * is not there yet, so a caller loads the schemas (a fifth of a second) only for files that need them.
 */
import type { ParsedEventLine } from '../core/kernel/event-lines.js';
import { IdTable, type HistoryPacker } from '../core/moderation/detect-history.js';
import type { HistoryEvent } from '../core/moderation/history-event.js';

/** Longer lines are malformed (no event needs a million characters): one runaway line cannot exhaust memory. */
export const MAX_LINE_CHARS = 1_000_000;
/** A UTF-8 line of more bytes than this is certainly longer than MAX_LINE_CHARS (at most 3 bytes a UTF-16 unit). */
const MAX_LINE_BYTES = 3 * MAX_LINE_CHARS;
/** Malformed lines named one by one; the rest are only counted (by kind). */
export const LISTED_MALFORMED = 20;

/** What the reader saw, beyond what the packer keeps. */
export interface ReadTally {
  /** Lines read (blank ones included), i.e. the number of the last line. */
  lines: number;
  /** Events taken (fast path and ordinary). */
  events: number;
  /** Lines taken by the fast path (the rest of the events went through JSON.parse). */
  fastLines: number;
  malformed: number;
  /** The first malformed lines, with what was wrong. */
  listedMalformed: { line: number; problem: string }[];
  /** Malformed lines by kind of problem (the problem without its details). */
  malformedByKind: Map<string, number>;
  /** Lines of types the scan does not read, by type (at most 20 types named, the rest as "others"). */
  ignoredByType: Map<string, number>;
  /** Lines timed earlier than a line before them, and the first such line. */
  outOfOrder: number;
  outOfOrderFirstLine: number | undefined;
}

export const newTally = (): ReadTally => ({
  lines: 0, events: 0, fastLines: 0, malformed: 0, listedMalformed: [], malformedByKind: new Map(), ignoredByType: new Map(), outOfOrder: 0, outOfOrderFirstLine: undefined,
});

/** A fixed run of ASCII bytes, also as little-endian 32-bit words (compared four bytes at a time). */
interface Literal {
  length: number;
  words: Uint32Array;
  tail: Uint8Array;
}
const ascii = (text: string): Literal => {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const whole = bytes.length >> 2;
  const words = new Uint32Array(whole);
  for (let i = 0; i < whole; i++) words[i] = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | ((bytes[4 * i + 3]! << 24) >>> 0);
  return { length: bytes.length, words, tail: bytes.subarray(4 * whole) };
};
const HEAD = ascii('{"type":"');
const LIKE = ascii('like","post":"');
const UNLIKE = ascii('unlike","post":"');
const MEMBER = ascii('member","user":"');
const POST = ascii('post","post":"');
const PURCHASE = ascii('purchase","user":"');
const AMOUNT = ascii('","amount":');
const AT_AFTER_NUMBER = ascii(',"at":"');
const ROUND = ascii('round","chat":"');
const POSTS = ascii('","posts":[');
const START = ascii('],"start":"');
const END = ascii(',"end":"');
const USER = ascii('","user":"');
const CHAT = ascii('","chat":"');
const AUTHOR = ascii('","author":"');
const AT = ascii('","at":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const DAY_MS = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), as Date.parse counts them. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Where a fast-path line's parts are (byte offsets), filled by `shape` before anything is interned. */
interface Parts {
  kind: number;
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}
const KIND_LIKE = 1;
const KIND_UNLIKE = 2;
const KIND_MEMBER = 3;
const KIND_POST = 4;
const KIND_PURCHASE = 5;

/** Streams bytes (`write` each chunk, then `end`) into `packer`, tallying into `tally`. */
export class EventLineReader {
  private readonly carry: Uint8Array[] = [];
  private carryBytes = 0;
  private pending = false;
  private tooLong = false;
  private latest = Number.NEGATIVE_INFINITY;
  private readonly parts: Parts = { kind: 0, a0: 0, a1: 0, b0: 0, b1: 0 };
  /** Purchase amounts as written, and the packer's detail number for each. */
  private readonly amounts = new IdTable();
  private readonly detailOfAmount: number[] = [];

  /** Bytes from the line that stalled on (see `write`), and whether `end` was called then. */
  private rest: Uint8Array | undefined;
  private endAfterRest = false;

  /**
   * `parse` is the ordinary way for the lines the fast path does not take (`parseEventLine`); it may be left out
   * and set when `write` or `end` asks for it (it loads the schemas, which most files never need).
   * `fastPath: false` reads every line the ordinary way (the tests compare the two).
   */
  constructor(
    private readonly packer: HistoryPacker,
    readonly tally: ReadTally = newTally(),
    public parse?: (line: string) => ParsedEventLine,
    private readonly fastPath = true,
  ) {}

  /**
   * Reads a chunk; false when it stopped at a line that needs `parse` and none is set: set it, then `resume`
   * (before the next chunk; the chunk's bytes from that line on must still be there).
   */
  write(chunk: Uint8Array): boolean {
    let pos = 0;
    if (this.pending) {
      const newline = chunk.indexOf(10);
      if (newline === -1) {
        this.hold(chunk);
        return true;
      }
      this.hold(chunk.subarray(0, newline));
      const line = this.carried();
      if (!this.line(line, 0, line.length, this.tooLong)) {
        this.stall(Buffer.concat([line, chunk.subarray(newline)]));
        return false;
      }
      this.dropCarried();
      pos = newline + 1;
    }
    for (let newline = chunk.indexOf(10, pos); newline !== -1; newline = chunk.indexOf(10, pos)) {
      if (!this.line(chunk, pos, newline, false)) {
        this.stall(chunk.subarray(pos));
        return false;
      }
      pos = newline + 1;
    }
    if (pos < chunk.length) {
      this.pending = true;
      // A copy (Buffer's own slice would be a view): the line outlives this chunk.
      this.hold(Uint8Array.prototype.slice.call(chunk, pos));
    }
    return true;
  }

  /** The end of the input; false when the last line needs `parse` (set it, then `resume`). */
  end(): boolean {
    if (!this.pending) return true;
    const line = this.carried();
    if (!this.line(line, 0, line.length, this.tooLong)) {
      this.stall(line);
      this.endAfterRest = true;
      return false;
    }
    this.dropCarried();
    return true;
  }

  /** Goes on after `write` or `end` returned false and `parse` was set. */
  resume(): void {
    if (!this.parse) throw new Error('resume() needs parse');
    const rest = this.rest!;
    this.rest = undefined;
    this.write(rest);
    if (this.endAfterRest) this.end();
  }

  private stall(rest: Uint8Array) {
    this.rest = rest;
    this.dropCarried();
  }

  private hold(part: Uint8Array) {
    this.pending = true;
    if (this.tooLong) return;
    this.carry.push(part);
    this.carryBytes += part.length;
    if (this.carryBytes > MAX_LINE_BYTES) {
      this.tooLong = true;
      this.carry.length = 0;
      this.carryBytes = 0;
    }
  }

  private carried(): Uint8Array {
    return this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryBytes);
  }

  private dropCarried() {
    this.carry.length = 0;
    this.carryBytes = 0;
    this.pending = false;
    this.tooLong = false;
  }

  /** Reads one line (without its newline); false, with nothing changed, when it needs `parse` and there is none. */
  private line(bytes: Uint8Array, start: number, end: number, tooLong: boolean): boolean {
    const tally = this.tally;
    const number = tally.lines + 1;
    if (end > start && bytes[end - 1] === 13) end--;
    if (!tooLong && this.fastPath && this.fast(bytes, start, end, number)) {
      tally.lines = number;
      return true;
    }
    let text = '';
    if (!tooLong) {
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end);
      tooLong = text.length > MAX_LINE_CHARS;
    }
    if (!tooLong && text.trim() !== '' && !this.parse) return false;
    tally.lines = number;
    if (tooLong) {
      this.malformed(number, `longer than ${MAX_LINE_CHARS} characters`);
      return true;
    }
    if (text.trim() === '') return true;
    const parsed = this.parse!(text);
    if (parsed.kind === 'malformed') this.malformed(number, parsed.problem);
    else if (parsed.kind === 'ignored') {
      const type = tally.ignoredByType.has(parsed.type) || tally.ignoredByType.size < 20 ? parsed.type : 'others';
      tally.ignoredByType.set(type, (tally.ignoredByType.get(type) ?? 0) + 1);
    } else {
      const event = parsed.event as HistoryEvent;
      this.timed((event.type === 'round' ? event.start : event.at).getTime(), number);
      this.packer.add(event);
    }
    return true;
  }

  private timed(at: number, number: number) {
    const tally = this.tally;
    tally.events++;
    if (at < this.latest) {
      tally.outOfOrder++;
      tally.outOfOrderFirstLine ??= number;
    } else this.latest = at;
  }

  private malformed(line: number, problem: string) {
    const tally = this.tally;
    tally.malformed++;
    if (tally.listedMalformed.length < LISTED_MALFORMED) tally.listedMalformed.push({ line, problem });
    const kind = problem.replace(/ \(.*\)$/s, '');
    if (tally.malformedByKind.has(kind) || tally.malformedByKind.size < 20) tally.malformedByKind.set(kind, (tally.malformedByKind.get(kind) ?? 0) + 1);
    else tally.malformedByKind.set('other problems', (tally.malformedByKind.get('other problems') ?? 0) + 1);
  }

  private viewOf: Uint8Array | undefined;
  private viewed: DataView | undefined;
  /** A DataView of the chunk (made once a chunk). */
  private view(b: Uint8Array): DataView {
    if (this.viewOf !== b) {
      this.viewOf = b;
      this.viewed = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.viewed!;
  }

  private readonly roundIds: number[] = [];
  private readonly roundTimes = new Float64Array(2);

  private fastRound(b: Uint8Array, view: DataView, start: number, end: number, number: number): boolean {
    const ids = this.roundIds;
    if (!roundShape(b, view, start, end, ids, this.roundTimes)) return false;
    const posts: number[] = [];
    for (let k = 0; k < ids.length; k += 2) posts.push(this.packer.posts.internAscii(b, ids[k]!, ids[k + 1]!));
    this.packer.round(posts, this.roundTimes[0]!, this.roundTimes[1]!);
    this.tally.fastLines++;
    this.timed(this.roundTimes[0]!, number);
    return true;
  }

  /** The packer's detail number for an amount written `b[start..end)` (each spelling converted once). */
  private amountDetail(b: Uint8Array, start: number, end: number): number {
    const spelling = this.amounts.internAscii(b, start, end);
    let detail = this.detailOfAmount[spelling];
    if (detail === undefined) {
      const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', start, end);
      detail = this.detailOfAmount[spelling] = this.packer.purchaseDetail(Number(text));
    }
    return detail;
  }

  /** Takes a line of the fast-path shape and returns true; leaves anything else untouched and returns false. */
  private fast(b: Uint8Array, start: number, end: number, number: number): boolean {
    const parts = this.parts;
    const view = this.view(b);
    const at = shape(b, view, start, end, parts);
    if (Number.isNaN(at)) return b[start + HEAD.length] === 0x72 && this.fastRound(b, view, start, end, number);
    const packer = this.packer;
    switch (parts.kind) {
      case KIND_LIKE:
      case KIND_UNLIKE: {
        const post = packer.posts.internAscii(b, parts.a0, parts.a1);
        packer.act(post, packer.users.internAscii(b, parts.b0, parts.b1), parts.kind === KIND_LIKE ? 1 : -1, at);
        break;
      }
      case KIND_MEMBER:
        packer.member(packer.users.internAscii(b, parts.a0, parts.a1), at);
        break;
      case KIND_POST: {
        const post = packer.posts.internAscii(b, parts.a0, parts.a1);
        packer.post(post, packer.users.internAscii(b, parts.b0, parts.b1), at);
        break;
      }
      case KIND_PURCHASE:
        packer.purchase(packer.users.internAscii(b, parts.a0, parts.a1), at, this.amountDetail(b, parts.b0, parts.b1));
        break;
    }
    this.tally.fastLines++;
    this.timed(at, number);
    return true;
  }
}

function literal(b: Uint8Array, view: DataView, pos: number, end: number, text: Literal): number {
  if (end - pos < text.length) return -1;
  const words = text.words;
  for (let i = 0; i < words.length; i++) if (view.getUint32(pos + 4 * i, true) !== words[i]) return -1;
  const at = pos + 4 * words.length;
  const tail = text.tail;
  for (let i = 0; i < tail.length; i++) if (b[at + i] !== tail[i]) return -1;
  return pos + text.length;
}

/** The end (the closing quote) of a non-empty id of printable ASCII without quotes, backslashes or spaces; else -1. */
function idEnd(b: Uint8Array, pos: number, end: number): number {
  for (let i = pos; i < end; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i > pos ? i : -1;
    if (c <= 0x20 || c >= 0x7f || c === BACKSLASH) return -1;
  }
  return -1;
}

/**
 * The end of a JSON number that is plainly finite and not negative (`0`, `12`, `12.5`: no sign, no exponent, at
 * most 20 characters), else -1. Such an amount is valid as it stands; any other goes the ordinary way.
 */
function plainNumberEnd(b: Uint8Array, pos: number, end: number): number {
  const limit = Math.min(end, pos + 20);
  let i = pos;
  if (b[i] === 0x30) i++;
  else {
    if (!(b[i]! >= 0x31 && b[i]! <= 0x39)) return -1;
    while (i < limit && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  }
  if (b[i] === 0x2e) {
    const fraction = ++i;
    while (i < limit && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    if (i === fraction) return -1;
  }
  return i < limit && b[i] === 0x2c ? i : -1;
}

const digit = (b: Uint8Array, i: number) => {
  const d = b[i]! - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (b: Uint8Array, i: number) => 10 * digit(b, i) + digit(b, i + 1);

/** Where the last `instant` read ended (just after its closing quote). */
let afterInstant = 0;
/** The last date read (`YYYY-MM-DD` as 32 + 32 + 16 bits) and its midnight in ms: a file in time order repeats it. */
let lastDate0 = -1;
let lastDate1 = -1;
let lastDate2 = -1;
let lastMidnight = 0;

/**
 * `YYYY-MM-DDTHH:MM:SSZ"` or `YYYY-MM-DDTHH:MM:SS.mmmZ"` at b[pos..end): the time in ms (what Date.parse gives),
 * `afterInstant` set past the quote; NaN for anything else (the ordinary way then decides).
 */
function instant(b: Uint8Array, view: DataView, pos: number, end: number): number {
  let ms = 0;
  if (pos + 21 <= end && b[pos + 19] === 0x5a && b[pos + 20] === QUOTE) afterInstant = pos + 21;
  else if (pos + 25 <= end && b[pos + 19] === 0x2e && b[pos + 23] === 0x5a && b[pos + 24] === QUOTE) {
    ms = 100 * digit(b, pos + 20) + two(b, pos + 21);
    afterInstant = pos + 25;
  } else return Number.NaN;
  if (b[pos + 10] !== 0x54 || b[pos + 13] !== 0x3a || b[pos + 16] !== 0x3a) return Number.NaN;
  const hour = two(b, pos + 11);
  const minute = two(b, pos + 14);
  const second = two(b, pos + 17);
  // NaN (a non-digit) fails every comparison below.
  if (!(hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Number.NaN;
  const date0 = view.getInt32(pos, true);
  const date1 = view.getInt32(pos + 4, true);
  const date2 = view.getUint16(pos + 8, true);
  if (date0 !== lastDate0 || date1 !== lastDate1 || date2 !== lastDate2) {
    if (b[pos + 4] !== 0x2d || b[pos + 7] !== 0x2d) return Number.NaN;
    const year = 100 * two(b, pos) + two(b, pos + 2);
    const month = two(b, pos + 5);
    const day = two(b, pos + 8);
    if (!(month >= 1 && month <= 12 && year >= 0 && day >= 1)) return Number.NaN;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (day > (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!)) return Number.NaN;
    lastMidnight = daysFromCivil(year, month, day) * DAY_MS;
    lastDate0 = date0;
    lastDate1 = date1;
    lastDate2 = date2;
  }
  return lastMidnight + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

/** An `instant` that ends the line: followed by `}` and nothing else. */
function instantLine(b: Uint8Array, view: DataView, pos: number, end: number): number {
  const at = instant(b, view, pos, end);
  return afterInstant + 1 === end && b[afterInstant] === 0x7d ? at : Number.NaN;
}

/**
 * A round line in the fast-path shape (`{"type":"round","chat":"g1","posts":["p1","p2"],"start":"...","end":"..."}`,
 * the end not before the start): its share ids' bounds into `ids` (start, end, start, end, ...) and its times into
 * `times`; false for anything else.
 */
function roundShape(b: Uint8Array, view: DataView, start: number, end: number, ids: number[], times: Float64Array): boolean {
  let pos = literal(b, view, start, end, HEAD);
  if (pos < 0 || (pos = literal(b, view, pos, end, ROUND)) < 0) return false;
  let next = idEnd(b, pos, end);
  if (next < 0 || (pos = literal(b, view, next, end, POSTS)) < 0) return false;
  ids.length = 0;
  if (b[pos] === QUOTE) {
    for (;;) {
      next = idEnd(b, pos + 1, end);
      if (next < 0) return false;
      ids.push(pos + 1, next);
      pos = next + 1;
      if (b[pos] !== 0x2c || b[pos + 1] !== QUOTE) break;
      pos++;
    }
  }
  if ((pos = literal(b, view, pos, end, START)) < 0) return false;
  times[0] = instant(b, view, pos, end);
  if (Number.isNaN(times[0]) || (pos = literal(b, view, afterInstant, end, END)) < 0) return false;
  times[1] = instantLine(b, view, pos, end);
  return times[1]! >= times[0]!;
}

/** Checks a whole line against the fast-path shapes, filling `parts`; returns the time, or NaN when it is not one. */
function shape(b: Uint8Array, view: DataView, start: number, end: number, parts: Parts): number {
  let pos = literal(b, view, start, end, HEAD);
  if (pos < 0) return Number.NaN;
  let next: number;
  switch (b[pos]) {
    case 0x6c: // like
    case 0x75: // unlike
      parts.kind = b[pos] === 0x6c ? KIND_LIKE : KIND_UNLIKE;
      pos = literal(b, view, pos, end, parts.kind === KIND_LIKE ? LIKE : UNLIKE);
      if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
      parts.a0 = pos;
      parts.a1 = next;
      pos = literal(b, view, next, end, USER);
      if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
      parts.b0 = pos;
      parts.b1 = next;
      break;
    case 0x6d: // member
      parts.kind = KIND_MEMBER;
      pos = literal(b, view, pos, end, MEMBER);
      if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
      parts.a0 = pos;
      parts.a1 = next;
      pos = literal(b, view, next, end, CHAT);
      if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
      break;
    case 0x70: // post or purchase
      if (b[pos + 1] === 0x75) {
        parts.kind = KIND_PURCHASE;
        pos = literal(b, view, pos, end, PURCHASE);
        if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
        parts.a0 = pos;
        parts.a1 = next;
        pos = literal(b, view, next, end, CHAT);
        if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
        pos = literal(b, view, next, end, AMOUNT);
        if (pos < 0 || (next = plainNumberEnd(b, pos, end)) < 0) return Number.NaN;
        parts.b0 = pos;
        parts.b1 = next;
        pos = literal(b, view, next, end, AT_AFTER_NUMBER);
        return pos < 0 ? Number.NaN : instantLine(b, view, pos, end);
      }
      parts.kind = KIND_POST;
      pos = literal(b, view, pos, end, POST);
      if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
      parts.a0 = pos;
      parts.a1 = next;
      pos = literal(b, view, next, end, AUTHOR);
      if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
      parts.b0 = pos;
      parts.b1 = next;
      pos = literal(b, view, next, end, CHAT);
      if (pos < 0 || (next = idEnd(b, pos, end)) < 0) return Number.NaN;
      break;
    default:
      return Number.NaN;
  }
  pos = literal(b, view, next, end, AT);
  return pos < 0 ? Number.NaN : instantLine(b, view, pos, end);
}
