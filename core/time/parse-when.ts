import { createRequire } from 'node:module';
import { DateTime, IANAZone } from 'luxon';
import { localDateTime } from './zoned-time.js';

type Chrono = typeof import('chrono-node');
let chrono: Chrono | undefined;

/**
 * chrono-node, loaded at the first deadline only it can read: about 0.2 s and 15-20 MB that most starts never need
 * (ADR 017). Its CommonJS build, so that parseWhen stays synchronous.
 */
function naturalDates(): Chrono {
  chrono ??= createRequire(import.meta.url)('chrono-node') as Chrono;
  return chrono;
}

/**
 * Parses a deadline as admins type it, in the group's time zone:
 * - an absolute date-time: `2026-12-24 20:00`, `2026/12/24 20:00`, `12-24 20:00` (this year), `20:00` (today)
 * - a duration: `90m`, `2h`, `3d`, `1h30m`, `2小时`, `3天`, `90分钟`
 * - natural language as a fallback (chrono): `tomorrow 8pm`, `明天晚上8点`
 * Returns undefined when nothing fits.
 */
export function parseWhen(input: string, now: Date, timeZone: string): Date | undefined {
  const text = input.trim();
  if (!text) return undefined;
  const duration = parseDurationMs(text);
  if (duration !== undefined) return new Date(now.getTime() + duration);

  const base = DateTime.fromJSDate(now, { zone: timeZone });
  const absolute = text.match(/^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{2}))?$/);
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    const dt = DateTime.fromObject(
      {
        year: y ? Number(y) : base.year,
        month: Number(mo),
        day: Number(d),
        hour: h ? Number(h) : 23,
        minute: mi ? Number(mi) : h ? 0 : 59,
      },
      { zone: timeZone },
    );
    return dt.isValid ? dt.toJSDate() : undefined;
  }
  const timeOnly = text.match(/^(\d{1,2})[:：](\d{2})$/);
  if (timeOnly) {
    const dt = base.set({ hour: Number(timeOnly[1]), minute: Number(timeOnly[2]), second: 0, millisecond: 0 });
    return dt.isValid ? dt.toJSDate() : undefined;
  }

  const ref = { instant: now, timezone: zoneOffsetMinutes(now, timeZone) };
  const natural = naturalDates();
  const parsed = /[\u4e00-\u9fff]/.test(text)
    ? natural.zh.parseDate(text, ref, { forwardDate: true })
    : natural.parseDate(text, ref, { forwardDate: true });
  return parsed ?? undefined;
}

const unitMs: Record<string, number> = {
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, 分钟: 60_000, 分: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000, 小时: 3_600_000, 时: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000, 天: 86_400_000, 日: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000, 周: 604_800_000,
};

/** Parses `90m`, `2h`, `1h30m`, `3d`, `2小时`, `1天12小时` into milliseconds; undefined otherwise. */
export function parseDurationMs(input: string): number | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, '');
  if (!text) return undefined;
  const re = /(\d+(?:\.\d+)?)(minutes|minute|mins|min|m|hours|hour|hrs|hr|h|days|day|d|weeks|week|w|分钟|分|小时|时|天|日|周)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    total += Number(match[1]) * (unitMs[match[2]!] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || total <= 0) return undefined;
  return Math.round(total);
}

function zoneOffsetMinutes(at: Date, timeZone: string): number {
  return DateTime.fromJSDate(at, { zone: timeZone }).offset;
}

/** Whether a string is an IANA time zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Normalises a zone name's case as users type it ("europe/berlin" -> "Europe/Berlin"). */
export function normaliseTimeZone(zone: string): string | undefined {
  const trimmed = zone.trim();
  if (!trimmed || !isValidTimeZone(trimmed)) return undefined;
  return new Intl.DateTimeFormat('en', { timeZone: trimmed }).resolvedOptions().timeZone;
}

/** Formats an instant in a zone the way cards show it: `2026-12-24 20:00`. */
export function formatDateTime(at: Date, timeZone: string): string {
  // Once per line of an /export (thousands per file): a cached formatter, luxon's result (core/time/zoned-time.ts).
  return localDateTime(at, timeZone);
}
