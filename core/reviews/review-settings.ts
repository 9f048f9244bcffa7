/**
 * A group's review-prompting settings (`Group.settings.reviews`), validated with zod, and `/reviewconfig`'s
 * parser. Rewards are sentiment-blind by construction: the schema has no field a rating or sentiment could
 * condition, and the parser refuses any attempt to express one, with the rule that forbids it.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { parseDurationMs } from '../time/parse-when.js';

const HOUR_MS = 3_600_000;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** Timing a single buy may override (`/reviewconfig #12 delay 5d`). */
export const buyTimingSchema = z
  .object({
    delayHours: z.number().int().min(0).max(90 * 24).optional(),
    reminders: z.number().int().min(0).max(3).optional(),
    reminderIntervalHours: z.number().int().min(1).max(30 * 24).optional(),
  })
  .strict();

export const reviewSettingsSchema = z
  .object({
    /** Hours after delivery before the request is sent. */
    delayHours: z.number().int().min(0).max(90 * 24).default(72),
    /** Reminders after the request, only to those who have not reviewed. */
    reminders: z.number().int().min(0).max(3).default(1),
    reminderIntervalHours: z.number().int().min(1).max(30 * 24).default(72),
    /** No review messages between start and end (HH:mm, the group's time zone); null: any time. */
    quietHours: z.object({ start: clock, end: clock }).strict().nullable().default({ start: '22:00', end: '08:00' }),
    /** At most this many review messages (requests and reminders) per member in any 7 days. */
    weeklyCap: z.number().int().min(1).max(14).default(2),
    /** Points for any review, whatever its rating or sentiment. */
    rewardPoints: z.number().int().min(0).max(10_000).default(10),
    /** Extra points, once, for a rich review (at least 3 photos, or a video of at least 15 s). */
    richBonusPoints: z.number().int().min(0).max(10_000).default(10),
    /** Timing overrides per buy id. */
    buys: z.record(z.string().regex(/^\d+$/), buyTimingSchema).default({}),
  })
  .strict();

export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;
export type BuyTiming = Pick<ReviewSettings, 'delayHours' | 'reminders' | 'reminderIntervalHours'>;

export const RICH_MIN_PHOTOS = 3;
export const RICH_MIN_VIDEO_SECONDS = 15;

export const defaultReviewSettings: ReviewSettings = reviewSettingsSchema.parse({});

/** Reads stored settings; anything invalid falls back to the defaults (and is reported by `valid: false`). */
export function readReviewSettings(raw: unknown): { settings: ReviewSettings; valid: boolean } {
  const parsed = reviewSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? { settings: parsed.data, valid: true } : { settings: defaultReviewSettings, valid: false };
}

/** The timing that applies to one buy: its overrides over the group's defaults. */
export function timingFor(settings: ReviewSettings, buyId: number): BuyTiming {
  const own = settings.buys[String(buyId)] ?? {};
  return {
    delayHours: own.delayHours ?? settings.delayHours,
    reminders: own.reminders ?? settings.reminders,
    reminderIntervalHours: own.reminderIntervalHours ?? settings.reminderIntervalHours,
  };
}

/**
 * Words that make a reward depend on what a review says. No setting concerns ratings or sentiment, so any of
 * these in `/reviewconfig` is an attempt to condition a reward on them (FTC 16 CFR 465.4; SAMR Order 91 Art. 9(5)).
 */
const SENTIMENT_CONDITION =
  /rating|stars?\b|[1-5]\s*-?\s*stars?|sentiment|positive|negative|good\s*review|bad\s*review|favou?rable|five[-\s]?star|rate\s*[<>=]|好评|差评|中评|五星|[1-5]\s*星|星级|评分|满意|返现|晒好评|正面|负面|好评返/i;

/** Whether the text asks for a reward that depends on rating or sentiment. */
export function conditionsOnSentiment(text: string): boolean {
  return SENTIMENT_CONDITION.test(text);
}

/** One change `/reviewconfig` asks for. */
export type ReviewConfigChange =
  | { kind: 'show'; buyId?: number }
  | { kind: 'reset'; buyId?: number }
  | { kind: 'set'; buyId?: number; patch: Partial<ReviewSettings> };

const hoursOf = (value: string, field: string): number => {
  // A bare number is days; `0h`/`0d` means at once (parseDurationMs refuses zero durations).
  const ms = /^\d+$/.test(value) ? Number(value) * 24 * HOUR_MS : /^0+\s*[a-z\u4e00-\u9fff]*$/i.test(value) ? 0 : parseDurationMs(value);
  if (ms === undefined || ms % HOUR_MS !== 0) throw new UserError('reviewconfig.bad_value', { field, value });
  return ms / HOUR_MS;
};

const integerOf = (value: string | undefined, field: string): number => {
  if (value === undefined || !/^\d+$/.test(value)) throw new UserError('reviewconfig.bad_value', { field, value: value ?? '' });
  return Number(value);
};

/**
 * Parses `/reviewconfig` arguments:
 * `show`, `reset`, `delay 3d`, `reminders 1`, `interval 3d`, `quiet 22:00-08:00` or `quiet off`, `cap 2`,
 * `reward 10`, `bonus 10`; timing keys may be preceded by a buy id (`#12 delay 5d`).
 * A reward conditioned on rating or sentiment is refused before anything else.
 */
export function parseReviewConfig(input: { setting?: string; value?: string; buy?: number }): ReviewConfigChange {
  const buyId = input.buy;
  if (conditionsOnSentiment([input.setting ?? '', input.value ?? ''].join(' '))) throw new UserError('reviewconfig.refused_sentiment');
  const key = input.setting?.toLowerCase();
  const value = input.value?.trim() ?? '';
  const rest = value ? value.split(/\s+/) : [];
  if (!key || key === 'show' || key === '查看') return { kind: 'show', buyId };
  if (key === 'reset' || key === '重置') return { kind: 'reset', buyId };
  if (rest.length === 0) throw new UserError('reviewconfig.usage');
  const timing = (patch: Partial<ReviewSettings>): ReviewConfigChange => ({ kind: 'set', buyId, patch });
  const groupOnly = (patch: Partial<ReviewSettings>): ReviewConfigChange => {
    if (buyId !== undefined) throw new UserError('reviewconfig.group_only_key', { key });
    return { kind: 'set', patch };
  };
  switch (key) {
    case 'delay':
    case '延迟':
      return timing({ delayHours: hoursOf(value, 'delay') });
    case 'reminders':
    case '提醒':
      return timing({ reminders: integerOf(value, 'reminders') });
    case 'interval':
    case '间隔':
      return timing({ reminderIntervalHours: hoursOf(value, 'interval') });
    case 'quiet':
    case '免打扰': {
      if (/^(off|none|无|关)$/i.test(value)) return groupOnly({ quietHours: null });
      const match = /^(\d{1,2}:\d{2})\s*[-–~到]\s*(\d{1,2}:\d{2})$/.exec(value);
      if (!match) throw new UserError('reviewconfig.bad_value', { field: 'quiet', value });
      const pad = (t: string) => t.padStart(5, '0');
      return groupOnly({ quietHours: { start: pad(match[1]!), end: pad(match[2]!) } });
    }
    case 'cap':
    case '上限':
      return groupOnly({ weeklyCap: integerOf(value, 'cap') });
    case 'reward':
    case '奖励':
      // Anything after the number (`reward 20 if ...`) is a condition; conditions on content are refused above,
      // and no other condition exists, so extra words are an error rather than silently ignored.
      if (rest.length !== 1) throw new UserError('reviewconfig.reward_plain');
      return groupOnly({ rewardPoints: integerOf(value, 'reward') });
    case 'bonus':
    case '加赠':
      if (rest.length !== 1) throw new UserError('reviewconfig.reward_plain');
      return groupOnly({ richBonusPoints: integerOf(value, 'bonus') });
    default:
      throw new UserError('reviewconfig.unknown_key', { key: input.setting ?? '' });
  }
}

/** Applies a change, validating the result with the schema (bounds included). */
export function applyReviewConfig(settings: ReviewSettings, change: Extract<ReviewConfigChange, { kind: 'set' | 'reset' }>): ReviewSettings {
  let next: unknown;
  if (change.kind === 'reset') {
    if (change.buyId === undefined) next = { ...defaultReviewSettings, buys: settings.buys };
    else {
      const { [String(change.buyId)]: _dropped, ...buys } = settings.buys;
      next = { ...settings, buys };
    }
  } else if (change.buyId !== undefined) {
    const key = String(change.buyId);
    next = { ...settings, buys: { ...settings.buys, [key]: { ...settings.buys[key], ...change.patch } } };
  } else {
    next = { ...settings, ...change.patch };
  }
  const parsed = reviewSettingsSchema.safeParse(next);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path.at(-1) ?? '');
    throw new UserError('reviewconfig.out_of_range', { field });
  }
  return parsed.data;
}
