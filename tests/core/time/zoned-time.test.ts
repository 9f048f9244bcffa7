import { DateTime, IANAZone, Info, type Zone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dayBefore, dayIn, seasonName, seasonStart, startOfDay } from '../../../core/points/point-calendar.js';
import { formatDateTime } from '../../../core/time/parse-when.js';
import { seededRandom } from '../../../bench/sim/random.js';

/**
 * The group's calendar without luxon on the hot path (core/time/zoned-time.ts) must answer exactly as luxon did.
 * The reference below is the code it replaced (with each zone name resolved once, as luxon resolves it); both are asked about many instants per zone: spread
 * over two centuries, and around every change of offset from 2000 to 2035 (DST, zones that skip or repeat
 * midnight, a skipped day), plus zones and inputs luxon handles its own way.
 */
const luxon = {
  dayIn: (at: Date, zone: string) => DateTime.fromJSDate(at, { zone: named(zone) }).toISODate()!,
  dayBefore: (day: string) => DateTime.fromISO(day, { zone: 'UTC' }).minus({ days: 1 }).toISODate()!,
  startOfDay: (at: Date, zone: string) => DateTime.fromJSDate(at, { zone: named(zone) }).startOf('day').toJSDate(),
  seasonStart: (season: 'week' | 'month', at: Date, zone: string) => DateTime.fromJSDate(at, { zone: named(zone) }).startOf(season === 'week' ? 'week' : 'month').toJSDate(),
  seasonName: (season: 'week' | 'month', at: Date, zone: string) => {
    const start = DateTime.fromJSDate(luxon.seasonStart(season, at, zone), { zone: named(zone) });
    return season === 'week' ? start.toISODate()! : start.toFormat('yyyy-MM');
  },
  formatDateTime: (at: Date, zone: string) => DateTime.fromJSDate(at, { zone: named(zone) }).toFormat('yyyy-MM-dd HH:mm'),
};

/**
 * The zone luxon makes of a name, made once per name: what `{ zone: name }` does at every call (Info.normalizeZone),
 * without checking the name again each time (a new Intl.DateTimeFormat per call, which made this test take minutes).
 */
const namedZones = new Map<string, Zone>();
function named(zone: string): Zone {
  let z = namedZones.get(zone);
  if (!z) namedZones.set(zone, (z = Info.normalizeZone(zone)));
  return z;
}

const ZONES = [
  // The brief's: DST north and south, none, half-hour DST (Lord Howe), a +12:45 zone with DST (Chatham), UTC.
  'America/New_York', 'Europe/London', 'Asia/Shanghai', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC',
  // Clocks that skip or repeat midnight (Santiago, Havana, Beirut, São Paulo until 2019, Tehran until 2022, Cairo),
  // a skipped calendar day (Apia, 30 December 2011), negative DST (Dublin), Ramadan changes (Casablanca),
  // quarter and half hours (Kathmandu, St John's), the date line (Kiritimati).
  'America/Santiago', 'America/Havana', 'Asia/Beirut', 'America/Sao_Paulo', 'Asia/Tehran', 'Africa/Cairo',
  'Pacific/Apia', 'Europe/Dublin', 'Africa/Casablanca', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati',
];
/** Names luxon reads its own way: fixed offsets, other spellings, an unknown zone. */
const ODD_ZONES = ['Etc/GMT-14', 'Etc/GMT+12', 'UTC+8', 'utc', 'GMT', 'asia/shanghai', 'AMERICA/NEW_YORK', 'Not/A_Zone', ''];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A seeded generator (bench/sim's mulberry32): the same instants every run. */
const random = (seed: number): (() => number) => seededRandom(seed).next;

/** Instants where the zone's offset changes between 2000 and 2035, to the millisecond. */
function offsetChanges(zone: string): number[] {
  const z = IANAZone.create(zone);
  if (!z.isValid) return [];
  const changes: number[] = [];
  const end = Date.UTC(2035, 0, 1);
  let before = z.offset(Date.UTC(2000, 0, 1));
  // Steps of three days (no zone changes twice within three days), then halved down to the millisecond.
  for (let ts = Date.UTC(2000, 0, 1); ts < end; ts += 3 * DAY) {
    const after = z.offset(ts + 3 * DAY);
    if (after === before) continue;
    before = after;
    let [lo, hi] = [ts, ts + 3 * DAY];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (z.offset(mid) === z.offset(lo)) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
  }
  return changes;
}

/** The instants asked about in a zone. */
function instantsFor(zone: string, seed: number): Date[] {
  const next = random(seed);
  const out: number[] = [];
  // Spread: 1900-2100, and a few in the 19th century (local mean time, offsets with seconds).
  for (let i = 0; i < 200; i++) out.push(Date.UTC(1900, 0, 1) + Math.floor(next() * (Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1))));
  for (let i = 0; i < 30; i++) out.push(Date.UTC(1800, 0, 1) + Math.floor(next() * (Date.UTC(1900, 0, 1) - Date.UTC(1800, 0, 1))));
  // Around each change: either side by a millisecond to a week, and at random in the day either side (where the
  // local midnights and Mondays next to it fall).
  for (const change of offsetChanges(zone)) {
    for (const d of [0, 1, 1000, MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, DAY, 7 * DAY]) out.push(change - d, change + d);
    for (let h = -26; h <= 26; h += 4) out.push(change + h * HOUR + Math.floor(next() * 4 * HOUR));
  }
  // Hours and minutes all round the clock in a recent year.
  for (let ts = Date.UTC(2024, 0, 1); ts < Date.UTC(2025, 0, 1); ts += 53 * HOUR + 13 * MINUTE) out.push(ts);
  return out.map((ts) => new Date(ts));
}

function compare(zone: string, instants: Date[]): { checks: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let checks = 0;
  const same = (what: string, at: Date, ours: unknown, theirs: unknown) => {
    checks++;
    const a = ours instanceof Date ? ours.getTime() : ours;
    const b = theirs instanceof Date ? theirs.getTime() : theirs;
    if (!Object.is(a, b) && mismatches.length < 20) mismatches.push(`${what}(${Number.isNaN(at.getTime()) ? 'Invalid Date' : at.toISOString()}, ${zone}): ${String(a)} ≠ luxon ${String(b)}`);
  };
  for (const at of instants) {
    same('dayIn', at, dayIn(at, zone), luxon.dayIn(at, zone));
    same('startOfDay', at, startOfDay(at, zone), luxon.startOfDay(at, zone));
    same('seasonStart week', at, seasonStart('week', at, zone), luxon.seasonStart('week', at, zone));
    same('seasonStart month', at, seasonStart('month', at, zone), luxon.seasonStart('month', at, zone));
    same('seasonName week', at, seasonName('week', at, zone), luxon.seasonName('week', at, zone));
    same('seasonName month', at, seasonName('month', at, zone), luxon.seasonName('month', at, zone));
    same('formatDateTime', at, formatDateTime(at, zone), luxon.formatDateTime(at, zone));
  }
  return { checks, mismatches };
}

describe("the group's calendar, against luxon", () => {
  it.each(ZONES.map((zone, i) => [zone, i] as const))('answers as luxon in %s', (zone, i) => {
    const instants = instantsFor(zone, 1000 + i);
    const { checks, mismatches } = compare(zone, instants);
    expect(mismatches).toEqual([]);
    expect(checks).toBeGreaterThan(2_500);
  });

  it('finds the offset changes it tests around (so the DST cases above are real)', () => {
    expect(offsetChanges('America/New_York').length).toBe(70); // two a year, 2000-2034
    expect(offsetChanges('Australia/Lord_Howe').length).toBe(70);
    expect(offsetChanges('Asia/Shanghai')).toEqual([]);
    // Apia skipped 30 December 2011: 29 December at midnight local became 31 December.
    const apia = new Date(Date.UTC(2011, 11, 30, 10));
    expect([dayIn(new Date(apia.getTime() - HOUR), 'Pacific/Apia'), dayIn(apia, 'Pacific/Apia')]).toEqual(['2011-12-29', '2011-12-31']);
  });

  it('answers as luxon for fixed offsets, other spellings and unknown zones', () => {
    const instants = instantsFor('UTC', 7);
    for (const zone of ODD_ZONES) {
      const { checks, mismatches } = compare(zone, instants);
      expect(mismatches, zone).toEqual([]);
      expect(checks).toBeGreaterThan(1000);
    }
    expect(dayIn(new Date(Date.UTC(2026, 0, 1, 12)), 'Not/A_Zone')).toBeNull(); // luxon's own answer, kept
  });

  it('answers as luxon outside the years 1000-9999 and for an invalid date', () => {
    const far = [-8.64e15, -62198755200000, Date.UTC(999, 11, 31, 23), Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23), Date.UTC(10000, 0, 1), 8.64e15, NaN];
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati', 'UTC+8']) {
      const { mismatches } = compare(zone, far.map((ts) => new Date(ts)));
      expect(mismatches).toEqual([]);
    }
  });

  it('counts the day before as luxon, dates or not', () => {
    const next = random(42);
    const days: string[] = ['2024-03-01', '2023-03-01', '2000-03-01', '1900-03-01', '2026-01-01', '1001-01-01', '1000-01-01', '0999-06-15', '0001-01-01',
      '2026-02-30', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-5', '20260105', '2026-W01-1', '2026-005', '+012026-01-05', '2026-01-05T10:00', '', 'today'];
    for (let i = 0; i < 3000; i++) days.push(new Date(Date.UTC(1000, 0, 1) + Math.floor(next() * (Date.UTC(9999, 0, 1) - Date.UTC(1000, 0, 1)))).toISOString().slice(0, 10));
    const mismatches = days.filter((day) => !Object.is(dayBefore(day), luxon.dayBefore(day))).map((day) => `${day}: ${dayBefore(day)} ≠ ${luxon.dayBefore(day)}`);
    expect(mismatches).toEqual([]);
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
  });
});
