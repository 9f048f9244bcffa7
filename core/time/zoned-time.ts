/**
 * Local dates and times of instants in a time zone, computed as luxon computes them but without its cost per call:
 * `DateTime.fromJSDate(at, { zone: 'Asia/Shanghai' })` checks the zone name by building a new `Intl.DateTimeFormat`
 * every time (about 25 µs at rest, far more on a loaded process), and /checkin, /me, /top and /export ask several to
 * a few thousand times per event (ADR 019). Here the zone is resolved once per name and its offsets read from one
 * cached formatter; the arithmetic (offset from the formatter's fields, local fields from the offset, a local time
 * back to an instant) is luxon's own, step for step, so the results are equal (tests/core/time/zoned-time.test.ts
 * compares them over many instants and zones). Anything else (an unknown zone, the system zone, a year outside
 * 1000-9999, an invalid date) is left to luxon itself.
 */
import { DateTime, Info } from 'luxon';

/** How a zone gives its offset from UTC, in minutes, at an instant. */
type OffsetAt = (ts: number) => number;

/** Resolved zones by name; null: luxon answers for this name. */
const zones = new Map<string, OffsetAt | null>();

/** Instants whose local year, in any zone and a month either side, is 1000-9999 (four digits, no era). */
const FIRST = Date.UTC(1000, 2, 1);
const LAST = Date.UTC(9999, 9, 1);

const MINUTE_MS = 60 * 1000;

/** The zone's offset function, or null when luxon should answer (its own rules for invalid and system zones). */
function zoneFor(name: string): OffsetAt | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = resolve(name);
    zones.set(name, zone);
  }
  return zone;
}

function resolve(name: string): OffsetAt | null {
  const zone = Info.normalizeZone(name);
  if (!zone.isValid) return null;
  if (zone.type === 'fixed') {
    const fixed = zone.offset(0);
    return () => fixed;
  }
  if (zone.type !== 'iana') return null;
  // luxon's IANAZone reads offsets from this very formatter (same locale and options): equal fields, equal offsets.
  const format = new Intl.DateTimeFormat('en-US', {
    hour12: false, timeZone: zone.name, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', era: 'short',
  });
  // `format` is about three times cheaper than the `formatToParts` luxon calls; its text is read only where it
  // says what the parts say (checked here once), else the parts are read.
  const fromText = [0, Date.UTC(2026, 6, 1, 12, 34, 56), Date.UTC(1999, 11, 31, 23, 59, 59)].every((ts) => {
    const [text, parts] = [textFields(format, ts), partFields(format, ts)];
    return text !== undefined && text.every((n, i) => n === parts[i]);
  });
  return (ts) => offsetFrom((fromText && textFields(format, ts)) || partFields(format, ts), ts);
}

/** Year, month, day, hour, minute, second. */
type Fields = [number, number, number, number, number, number];

/** `MM/DD/YYYY AD, HH:mm:ss`: how en-US writes the formatter's fields. */
const EN_US = /^(\d+)\/(\d+)\/(\d+) AD, (\d+):(\d+):(\d+)$/;

function textFields(format: Intl.DateTimeFormat, ts: number): Fields | undefined {
  const m = EN_US.exec(format.format(ts));
  return m ? [+m[3]!, +m[1]!, +m[2]!, +m[4]!, +m[5]!, +m[6]!] : undefined;
}

/** The fields as luxon reads them (partsOffset, with its BC years). */
function partFields(format: Intl.DateTimeFormat, ts: number): Fields {
  const f: Fields = [0, 0, 0, 0, 0, 0];
  let bc = false;
  for (const { type, value } of format.formatToParts(ts)) {
    const at = PART_INDEX[type];
    if (at !== undefined) f[at] = parseInt(value, 10);
    else if (type === 'era') bc = value === 'BC';
  }
  if (bc) f[0] = -Math.abs(f[0]) + 1;
  return f;
}

const PART_INDEX: Partial<Record<string, number>> = { year: 0, month: 1, day: 2, hour: 3, minute: 4, second: 5 };

/** luxon's IANAZone.offset: the zone's wall clock at `ts` (to the second) read as UTC, minus `ts` to the second. */
function offsetFrom([year, month, day, hour, minute, second]: Fields, ts: number): number {
  const asUTC = Date.UTC(year, month - 1, day, hour === 24 ? 0 : hour, minute, second, 0);
  let asTS = ts;
  const over = asTS % 1000;
  asTS -= over >= 0 ? over : 1000 + over;
  return (asUTC - asTS) / MINUTE_MS;
}

/** The zone and instant when this module answers, else undefined (luxon answers). */
function fast(at: Date, timeZone: string): OffsetAt | undefined {
  const ts = at.getTime();
  if (!(ts >= FIRST && ts <= LAST)) return undefined;
  return zoneFor(timeZone) ?? undefined;
}

/** The wall clock at `ts` for an offset, as a Date read with its UTC getters (luxon's tsToObj). */
function wallClock(ts: number, offset: number): Date {
  return new Date(ts + offset * MINUTE_MS);
}

/** A local midnight back to an instant, with `offset` (the offset at the instant we started from) as first guess: luxon's fixOffset. */
function instantOf(localTS: number, offset: number, offsetAt: OffsetAt): number {
  let utcGuess = localTS - offset * MINUTE_MS;
  const o2 = offsetAt(utcGuess);
  if (offset === o2) return utcGuess;
  utcGuess -= (o2 - offset) * MINUTE_MS;
  const o3 = offsetAt(utcGuess);
  if (o2 === o3) return utcGuess;
  // A local time the clocks skipped: luxon keeps the wall clock with the smaller offset.
  return localTS - Math.min(o2, o3) * MINUTE_MS;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a Date's UTC fields (years 1000-9999). */
function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** The date of an instant in a zone, `YYYY-MM-DD` (luxon: `DateTime.fromJSDate(at, { zone }).toISODate()`). */
export function localDate(at: Date, timeZone: string): string {
  const offsetAt = fast(at, timeZone);
  if (!offsetAt) return DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
  const ts = at.getTime();
  return isoDate(wallClock(ts, offsetAt(ts)));
}

/** The wall clock of an instant in a zone, `YYYY-MM-DD HH:mm` (luxon: `toFormat('yyyy-MM-dd HH:mm')`). */
export function localDateTime(at: Date, timeZone: string): string {
  const offsetAt = fast(at, timeZone);
  if (!offsetAt || !asciiFormatting()) return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
  const ts = at.getTime();
  const wall = wallClock(ts, offsetAt(ts));
  return `${isoDate(wall)} ${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}`;
}

/** The month of an instant in a zone, `YYYY-MM` (luxon: `toFormat('yyyy-MM')`). */
export function localMonth(at: Date, timeZone: string): string {
  const offsetAt = fast(at, timeZone);
  if (!offsetAt || !asciiFormatting()) return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-MM');
  const ts = at.getTime();
  return isoDate(wallClock(ts, offsetAt(ts))).slice(0, 7);
}

let ascii: boolean | undefined;
/**
 * luxon's `toFormat` writes numbers with the default locale's digits: plain 0-9 for English and Chinese, other
 * digits for a few locales. Checked once; with other digits every call goes to luxon.
 */
function asciiFormatting(): boolean {
  return (ascii ??= DateTime.fromMillis(Date.UTC(2006, 0, 2, 15, 4), { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm') === '2006-01-02 15:04');
}

/**
 * When the local day, ISO week (from Monday) or month of an instant began in a zone (luxon:
 * `DateTime.fromJSDate(at, { zone }).startOf(unit).toJSDate()`). Where the clocks skipped midnight it is the first
 * local time that exists, as luxon has it.
 */
export function localStartOf(unit: 'day' | 'week' | 'month', at: Date, timeZone: string): Date {
  const offsetAt = fast(at, timeZone);
  if (!offsetAt) return DateTime.fromJSDate(at, { zone: timeZone }).startOf(unit).toJSDate();
  const ts = at.getTime();
  const offset = offsetAt(ts);
  const wall = wallClock(ts, offset);
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  let day = wall.getUTCDate();
  if (unit === 'month') day = 1;
  else if (unit === 'week') day -= (wall.getUTCDay() + 6) % 7; // back to Monday (ISO weeks)
  return new Date(instantOf(Date.UTC(year, month, day), offset, offsetAt));
}

/** The day before a `YYYY-MM-DD` date (luxon: `DateTime.fromISO(day, { zone: 'UTC' }).minus({ days: 1 }).toISODate()`). */
export function previousDate(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match) {
    const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const d = new Date(Date.UTC(year, month - 1, date));
    // A real date (no 30 February) in years this module writes as four digits.
    if (year >= 1001 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === date) {
      d.setUTCDate(date - 1);
      return isoDate(d);
    }
  }
  return DateTime.fromISO(day, { zone: 'UTC' }).minus({ days: 1 }).toISODate()!;
}
