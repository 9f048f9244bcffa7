import { describe, expect, it } from 'vitest';
import { formatDateTime, isValidTimeZone, normaliseTimeZone, parseDurationMs, parseWhen } from '../../../core/time/parse-when.js';

// 2026-12-20 10:00 in Shanghai, 03:00 in Berlin (winter time, UTC+1).
const now = new Date('2026-12-20T02:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('parseDurationMs', () => {
  it.each([
    ['90m', 90 * MIN],
    ['2h', 2 * HOUR],
    ['3d', 3 * DAY],
    ['1w', 7 * DAY],
    ['1h30m', 90 * MIN],
    ['1h 30m', 90 * MIN],
    ['1.5h', 90 * MIN],
    ['2 hours', 2 * HOUR],
    ['2H', 2 * HOUR],
    ['90分钟', 90 * MIN],
    ['2小时', 2 * HOUR],
    ['3天', 3 * DAY],
    ['1天12小时', 36 * HOUR],
  ])('reads %j', (input, ms) => {
    expect(parseDurationMs(input)).toBe(ms);
  });

  it.each(['', '0h', 'h', '2', '2x', '2h banana', 'soon'])('refuses %j', (input) => {
    expect(parseDurationMs(input)).toBeUndefined();
  });
});

describe('parseWhen', () => {
  it('adds a duration to now, whatever the time zone', () => {
    expect(parseWhen('90m', now, 'Asia/Shanghai')).toEqual(new Date(now.getTime() + 90 * MIN));
    expect(parseWhen('2h', now, 'Europe/Berlin')).toEqual(new Date(now.getTime() + 2 * HOUR));
    expect(parseWhen('3d', now, 'Asia/Shanghai')).toEqual(new Date(now.getTime() + 3 * DAY));
  });

  it('reads an absolute date and time in the given time zone', () => {
    expect(parseWhen('2026-12-24 20:00', now, 'Asia/Shanghai')).toEqual(new Date('2026-12-24T12:00:00Z'));
    expect(parseWhen('2026-12-24 20:00', now, 'Europe/Berlin')).toEqual(new Date('2026-12-24T19:00:00Z'));
  });

  it('follows daylight saving time in the zone', () => {
    expect(parseWhen('2027-07-01 20:00', now, 'Europe/Berlin')).toEqual(new Date('2027-07-01T18:00:00Z'));
  });

  it('accepts slashes, dots and Chinese date words', () => {
    const expected = new Date('2026-12-24T12:00:00Z');
    expect(parseWhen('2026/12/24 20:00', now, 'Asia/Shanghai')).toEqual(expected);
    expect(parseWhen('2026.12.24 20:00', now, 'Asia/Shanghai')).toEqual(expected);
    expect(parseWhen('2026年12月24日 20:00', now, 'Asia/Shanghai')).toEqual(expected);
    expect(parseWhen('12月24日 20:00', now, 'Asia/Shanghai')).toEqual(expected);
    expect(parseWhen('2026-12-24 20：00', now, 'Asia/Shanghai')).toEqual(expected);
  });

  it('takes this year when the year is left out', () => {
    expect(parseWhen('12-24 20:00', now, 'Asia/Shanghai')).toEqual(new Date('2026-12-24T12:00:00Z'));
  });

  it('takes the end of the day (23:59) when only a date is given', () => {
    expect(parseWhen('2026-12-24', now, 'Asia/Shanghai')).toEqual(new Date('2026-12-24T15:59:00Z'));
  });

  it('reads a bare time as today in the zone', () => {
    expect(parseWhen('20:00', now, 'Asia/Shanghai')).toEqual(new Date('2026-12-20T12:00:00Z'));
    expect(parseWhen('20:00', now, 'Europe/Berlin')).toEqual(new Date('2026-12-20T19:00:00Z'));
  });

  it('understands natural language in English and Chinese in the zone', () => {
    expect(parseWhen('tomorrow 8pm', now, 'Asia/Shanghai')).toEqual(new Date('2026-12-21T12:00:00Z'));
    expect(parseWhen('明天晚上8点', now, 'Asia/Shanghai')).toEqual(new Date('2026-12-21T12:00:00Z'));
  });

  it.each(['', 'banana', '2026-02-30 10:00', '2026-13-01 10:00'])('refuses %j', (input) => {
    expect(parseWhen(input, now, 'Asia/Shanghai')).toBeUndefined();
  });
});

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('normalises the case users type', () => {
    expect(normaliseTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(normaliseTimeZone(' Asia/Shanghai ')).toBe('Asia/Shanghai');
    expect(normaliseTimeZone('nowhere')).toBeUndefined();
    expect(normaliseTimeZone('')).toBeUndefined();
  });

  it('formats an instant as cards show it, in the zone', () => {
    expect(formatDateTime(now, 'Asia/Shanghai')).toBe('2026-12-20 10:00');
    expect(formatDateTime(now, 'Europe/Berlin')).toBe('2026-12-20 03:00');
  });
});
