/**
 * The one way a settings command refuses a value: it names the setting as the admin typed it (or, where they typed
 * none, by its name in their language) and what is allowed, a range in the setting's unit or a list of choices. The
 * words are the catalog's (`setting.*`), so no internal field name ("rewardPoints") or schema message reaches a user.
 */
import { UserError } from '../errors.js';
import type { SettingUnit } from '../i18n/words.js';

/** An inclusive range of whole numbers in a unit, e.g. 0-10000 points, 0-2160 hours (shown as 90 days). */
export interface SettingRange {
  min: number;
  max: number;
  unit: SettingUnit;
}

/**
 * Settings named by the catalogs when the admin typed no name of their own (`/levels set V5`: the level). Each has
 * a label in both languages (`setting.name.*`).
 */
export const SETTING_NAMES = ['level', 'spend', 'orders', 'window', 'perk', 'amount', 'cap', 'cooldown', 'streak', 'likes', 'members', 'goal', 'within', 'reward'] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

/** Who the setting is: as typed (`奖励`, `reward`), else its internal name, which the catalogs put into words. */
export interface SettingLabel {
  typed?: string;
  name?: SettingName;
}

const labelParams = (label: SettingLabel) => ({ setting: label.typed?.trim() ?? '', name: label.name ?? '' });

/** A number outside the allowed range (or not a number at all): names the range in words. */
export function outOfRange(label: SettingLabel, value: string | number, range: SettingRange): UserError<'setting.out_of_range'> {
  return new UserError('setting.out_of_range', { ...labelParams(label), value: String(value), min: range.min, max: range.max, unit: range.unit });
}

/** A value that is none of the choices: lists them. */
export function notOneOf(label: SettingLabel, value: string, choices: readonly string[]): UserError<'setting.not_one_of'> {
  return new UserError('setting.not_one_of', { ...labelParams(label), value, choices: choices.join('|') });
}

/** A value that cannot be read at all (a time range, a duration): shows how to write it. */
export function badFormat(label: SettingLabel, value: string, example: string): UserError<'setting.bad_format'> {
  return new UserError('setting.bad_format', { ...labelParams(label), value, example });
}

/** Whether a number is a whole number within the range. */
export function inRange(n: number, range: SettingRange): boolean {
  return Number.isInteger(n) && n >= range.min && n <= range.max;
}

/** Reads a whole number within the range, or refuses naming the range. */
export function wholeNumberIn(label: SettingLabel, value: string | undefined, range: SettingRange): number {
  const text = value?.trim() ?? '';
  const n = /^-?\d{1,12}$/.test(text) ? Number(text) : NaN;
  if (!inRange(n, range)) throw outOfRange(label, text, range);
  return n;
}
