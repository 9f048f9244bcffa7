/**
 * A group's review-prompting settings (`Group.settings.reviews`), validated with zod, and `/reviewconfig`'s
 * parser. Rewards are sentiment-blind by construction: the schema has no field a rating or sentiment could
 * condition, and the parser refuses any attempt to express one, with the rule that forbids it.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { badFormat, inRange, outOfRange, wholeNumberIn, type SettingRange } from '../kernel/setting-refusal.js';
import { parseDurationMs } from '../time/parse-when.js';

const HOUR_MS = 3_600_000;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** What each number may be: one table for the schema and for the refusals that name the allowed range. */
export const REVIEW_LIMITS = {
  delayHours: { min: 0, max: 90 * 24, unit: 'hours' },
  reminders: { min: 0, max: 3, unit: 'count' },
  reminderIntervalHours: { min: 1, max: 30 * 24, unit: 'hours' },
  weeklyCap: { min: 1, max: 14, unit: 'count' },
  rewardPoints: { min: 0, max: 10_000, unit: 'points' },
  richBonusPoints: { min: 0, max: 10_000, unit: 'points' },
  bestMinVotes: { min: 0, max: 1_000, unit: 'count' },
} as const satisfies Record<string, SettingRange>;
type LimitedField = keyof typeof REVIEW_LIMITS;

const within = (field: LimitedField) => z.number().int().min(REVIEW_LIMITS[field].min).max(REVIEW_LIMITS[field].max);

/** Timing a single buy may override (`/reviewconfig #12 delay 5d`). */
export const buyTimingSchema = z
  .object({
    delayHours: within('delayHours').optional(),
    reminders: within('reminders').optional(),
    reminderIntervalHours: within('reminderIntervalHours').optional(),
  })
  .strict();

export const reviewSettingsSchema = z
  .object({
    /** Hours after delivery before the request is sent. */
    delayHours: within('delayHours').default(72),
    /** Reminders after the request, only to those who have not reviewed. */
    reminders: within('reminders').default(1),
    reminderIntervalHours: within('reminderIntervalHours').default(72),
    /** No review messages between start and end (HH:mm, the group's time zone); null: any time. */
    quietHours: z.object({ start: clock, end: clock }).strict().nullable().default({ start: '22:00', end: '08:00' }),
    /** At most this many review messages (requests and reminders) per member in any 7 days. */
    weeklyCap: within('weeklyCap').default(2),
    /** Points for any review, whatever its rating or sentiment. */
    rewardPoints: within('rewardPoints').default(10),
    /** Extra points, once, for a rich review (at least 3 photos, or a video of at least 15 s). */
    richBonusPoints: within('richBonusPoints').default(10),
    /**
     * The fewest helpful votes a review needs to be picked by `/bestreviews`, so a lone review nobody voted for is
     * not pinned as the month's best. Votes only: never the rating (FTC 16 CFR 465.7).
     */
    bestMinVotes: within('bestMinVotes').default(3),
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
  | { kind: 'set'; buyId?: number; patch: Partial<ReviewSettings>; typed?: string };

/** Reads a duration in whole hours (a bare number is days; `0`, `0h`, `0d` mean at once) within the field's range. */
const hoursOf = (value: string, typed: string, field: LimitedField): number => {
  // parseDurationMs refuses zero durations, so zero is read here.
  const ms = /^\d+$/.test(value) ? Number(value) * 24 * HOUR_MS : /^0+\s*[a-z\u4e00-\u9fff]*$/i.test(value) ? 0 : parseDurationMs(value);
  if (ms === undefined || ms % HOUR_MS !== 0) throw badFormat({ typed }, value, '3d, 12h');
  if (!inRange(ms / HOUR_MS, REVIEW_LIMITS[field])) throw outOfRange({ typed }, value, REVIEW_LIMITS[field]);
  return ms / HOUR_MS;
};

const integerOf = (value: string, typed: string, field: LimitedField): number => wholeNumberIn({ typed }, value, REVIEW_LIMITS[field]);

/**
 * Parses `/reviewconfig` arguments:
 * `show`, `reset`, `delay 3d`, `reminders 1`, `interval 3d`, `quiet 22:00-08:00` or `quiet off`, `cap 2`,
 * `reward 10`, `bonus 10`, `minvotes 3`; timing keys may be preceded by a buy id (`#12 delay 5d`).
 * A reward conditioned on rating or sentiment is refused before anything else.
 */
export function parseReviewConfig(input: { setting?: string; value?: string; buy?: number }): ReviewConfigChange {
  const buyId = input.buy;
  if (conditionsOnSentiment([input.setting ?? '', input.value ?? ''].join(' '))) throw new UserError('reviewconfig.refused_sentiment');
  const key = input.setting?.toLowerCase();
  const typed = input.setting ?? '';
  const value = input.value?.trim() ?? '';
  const rest = value ? value.split(/\s+/) : [];
  if (!key || key === 'show' || key === '查看') return { kind: 'show', buyId };
  if (key === 'reset' || key === '重置') return { kind: 'reset', buyId };
  if (rest.length === 0) throw new UserError('reviewconfig.usage');
  const timing = (patch: Partial<ReviewSettings>): ReviewConfigChange => ({ kind: 'set', buyId, patch, typed });
  const groupOnly = (patch: Partial<ReviewSettings>): ReviewConfigChange => {
    if (buyId !== undefined) throw new UserError('reviewconfig.group_only_key', { key });
    return { kind: 'set', patch, typed };
  };
  switch (key) {
    case 'delay':
    case '延迟':
      return timing({ delayHours: hoursOf(value, typed, 'delayHours') });
    case 'reminders':
    case '提醒':
      return timing({ reminders: integerOf(value, typed, 'reminders') });
    case 'interval':
    case '间隔':
      return timing({ reminderIntervalHours: hoursOf(value, typed, 'reminderIntervalHours') });
    case 'quiet':
    case '免打扰': {
      if (/^(off|none|无|关)$/i.test(value)) return groupOnly({ quietHours: null });
      const match = /^(\d{1,2}:\d{2})\s*[-–~到]\s*(\d{1,2}:\d{2})$/.exec(value);
      if (!match) throw badFormat({ typed }, value, '22:00-08:00, off');
      const pad = (t: string) => t.padStart(5, '0');
      return groupOnly({ quietHours: { start: pad(match[1]!), end: pad(match[2]!) } });
    }
    case 'cap':
    case '上限':
      return groupOnly({ weeklyCap: integerOf(value, typed, 'weeklyCap') });
    case 'reward':
    case '奖励':
      // Anything after the number (`reward 20 if ...`) is a condition; conditions on content are refused above,
      // and no other condition exists, so extra words are an error rather than silently ignored.
      if (rest.length !== 1) throw new UserError('reviewconfig.reward_plain');
      return groupOnly({ rewardPoints: integerOf(value, typed, 'rewardPoints') });
    case 'bonus':
    case '加赠':
      if (rest.length !== 1) throw new UserError('reviewconfig.reward_plain');
      return groupOnly({ richBonusPoints: integerOf(value, typed, 'richBonusPoints') });
    case 'minvotes':
    case 'votes':
    case '最少票数':
    case '票数':
      return groupOnly({ bestMinVotes: integerOf(value, typed, 'bestMinVotes') });
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
    // The parser checks every range, so only stored data that was already out of range can get here.
    const field = String(parsed.error.issues[0]?.path.at(-1) ?? '') as LimitedField;
    const range = REVIEW_LIMITS[field];
    if (range) throw outOfRange({ typed: (change.kind === 'set' ? change.typed : undefined) ?? field }, String((next as Record<string, unknown>)[field] ?? ''), range);
    throw new UserError('reviewconfig.usage');
  }
  return parsed.data;
}
