/**
 * A group's point rules (`Group.settings.points`), validated with zod. Stored as overrides of the defaults, so
 * a group that never changed a rule follows the defaults as they improve (ADR 006).
 */
import { z } from 'zod';
import type { SettingRange } from '../kernel/setting-refusal.js';
import { deepFreeze, validatedOnce } from '../kernel/validated-settings.js';
import type { PointSource } from './point-sources.js';

/** Sources whose amount, cap and cooldown a group sets. Reviews have their own settings; admin amounts are typed. */
export const RULE_SOURCES = [
  'checkin', 'checkin_streak_bonus', 'join_buy', 'purchase_delivered', 'share', 'like_given', 'like_received', 'like_goal', 'round_complete',
] as const satisfies readonly PointSource[];
export type RuleSource = (typeof RULE_SOURCES)[number];

export interface SourceRule {
  /** Points per award (a campaign or an admin may set its own amount instead). */
  amount: number;
  /** At most this many points from this source per member per day (the group's day); null: no cap. */
  dailyCap: number | null;
  /** At least this long between two paid awards from this source to one member. */
  cooldownMinutes: number;
}

/** Defaults: small, frequent actions pay little and are capped; rare, real ones (a delivered purchase) pay most. */
export const DEFAULT_RULES: Record<RuleSource, SourceRule> = {
  checkin: { amount: 5, dailyCap: null, cooldownMinutes: 0 },
  checkin_streak_bonus: { amount: 20, dailyCap: null, cooldownMinutes: 0 },
  join_buy: { amount: 5, dailyCap: 20, cooldownMinutes: 0 },
  purchase_delivered: { amount: 20, dailyCap: null, cooldownMinutes: 0 },
  share: { amount: 10, dailyCap: 30, cooldownMinutes: 30 },
  like_given: { amount: 1, dailyCap: 10, cooldownMinutes: 0 },
  like_received: { amount: 1, dailyCap: 20, cooldownMinutes: 0 },
  like_goal: { amount: 0, dailyCap: null, cooldownMinutes: 0 },
  round_complete: { amount: 15, dailyCap: null, cooldownMinutes: 0 },
};

export const LEVELS = ['V1', 'V2', 'V3', 'V4'] as const;
export type LevelName = (typeof LEVELS)[number];

/** What reaching a level takes: either the spend (all time, in this group) or the orders within the window. */
export interface LevelThreshold {
  spendCents: number;
  orders: number;
}

/** What each number may be: one table for the schema and for the refusals that name the allowed range. */
export const POINTS_LIMITS = {
  amount: { min: 0, max: 10_000, unit: 'points' },
  dailyCap: { min: 1, max: 1_000_000, unit: 'points' },
  cooldownMinutes: { min: 0, max: 7 * 24 * 60, unit: 'minutes' },
  spendYuan: { min: 0, max: 10_000_000, unit: 'yuan' },
  orders: { min: 0, max: 10_000, unit: 'count' },
  streakBonusEvery: { min: 2, max: 365, unit: 'days' },
  orderWindowDays: { min: 7, max: 3650, unit: 'days' },
  perkCharacters: { min: 1, max: 300, unit: 'characters' },
  helpfulLikes: { min: 1, max: 100_000, unit: 'count' },
  helpfulMembers: { min: 1, max: 10_000, unit: 'count' },
} as const satisfies Record<string, SettingRange>;

const within = (range: SettingRange) => z.number().int().min(range.min).max(range.max);
const L = POINTS_LIMITS;

const ruleOverride = z
  .object({
    amount: within(L.amount).optional(),
    dailyCap: within(L.dailyCap).nullable().optional(),
    cooldownMinutes: within(L.cooldownMinutes).optional(),
  })
  .strict();

const threshold = z.object({ spendCents: z.number().int().min(0).max(L.spendYuan.max * 100), orders: within(L.orders) }).strict();

export const pointsSettingsSchema = z
  .object({
    /** Overrides of DEFAULT_RULES per source. */
    rules: z.partialRecord(z.enum(RULE_SOURCES), ruleOverride).default({}),
    /** A bonus every this many days of an unbroken check-in streak. */
    streakBonusEvery: within(L.streakBonusEvery).default(7),
    levels: z
      .object({ V2: threshold, V3: threshold, V4: threshold })
      .strict()
      .default({ V2: { spendCents: 20_000, orders: 3 }, V3: { spendCents: 100_000, orders: 8 }, V4: { spendCents: 300_000, orders: 15 } })
      .refine((l) => l.V2.spendCents <= l.V3.spendCents && l.V3.spendCents <= l.V4.spendCents && l.V2.orders <= l.V3.orders && l.V3.orders <= l.V4.orders, {
        message: 'levels must not decrease',
      }),
    /** Orders count when delivered within this many days. */
    orderWindowDays: within(L.orderWindowDays).default(90),
    /** Perks per level, as the admins wrote them. */
    perks: z.partialRecord(z.enum(LEVELS), z.string().min(L.perkCharacters.min).max(L.perkCharacters.max)).default({}),
    /** 互助达人: at least `likes` likes given, on shares of at least `members` different members. */
    helpful: z.object({ likes: within(L.helpfulLikes), members: within(L.helpfulMembers) }).strict().default({ likes: 30, members: 10 }),
  })
  .strict();

export type PointsSettings = z.infer<typeof pointsSettingsSchema>;

export const defaultPointsSettings: PointsSettings = pointsSettingsSchema.parse({});

/**
 * Reads stored settings; anything invalid falls back to the defaults (`valid: false` says so). Each stored content
 * is validated once and the result frozen and shared (core/kernel/validated-settings.ts), as are the defaults of a
 * group that never changed them.
 */
export function readPointsSettings(raw: unknown): { settings: PointsSettings; valid: boolean } {
  if (raw === undefined || raw === null) return (unsetSettings ??= deepFreeze(readPointsSettingsFrom({})));
  return readStored(raw);
}

let unsetSettings: { settings: PointsSettings; valid: boolean } | undefined;
const readStored = validatedOnce(readPointsSettingsFrom);

function readPointsSettingsFrom(raw: unknown): { settings: PointsSettings; valid: boolean } {
  const parsed = pointsSettingsSchema.safeParse(raw);
  // A copy of the defaults: the result is frozen and must not freeze the exported defaults with it.
  return parsed.success ? { settings: parsed.data, valid: true } : { settings: pointsSettingsSchema.parse({}), valid: false };
}

/** Validates settings before they are stored; undefined when a value is out of range. */
export function validPointsSettings(next: unknown): PointsSettings | undefined {
  const parsed = pointsSettingsSchema.safeParse(next);
  return parsed.success ? parsed.data : undefined;
}

/** The rule that applies to a source in a group: its overrides over the defaults. Admin and review sources have none. */
export function ruleFor(settings: PointsSettings, source: PointSource): SourceRule | undefined {
  if (!(RULE_SOURCES as readonly string[]).includes(source)) return undefined;
  const base = DEFAULT_RULES[source as RuleSource];
  return { ...base, ...settings.rules[source as RuleSource] } as SourceRule;
}
