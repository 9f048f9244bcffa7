/**
 * Member levels V1-V4 from spend and purchase frequency. A member reaches a level with either its spend (all time,
 * in this group) or its number of orders delivered within the window; the level reached is kept (never lowered
 * automatically) and announced once, when it is first reached (ADR 006).
 */
import type { UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import { announce } from './announce.js';
import { LEVELS, readPointsSettings, type LevelName, type LevelThreshold, type PointsSettings } from './points-settings.js';

const DAY_MS = 86_400_000;

export interface PurchaseStats {
  spendCents: number;
  orders: number;
}

/** The name of a level number: 1 -> "V1". */
export function levelName(level: number): LevelName {
  return LEVELS[Math.min(Math.max(level, 1), 4) - 1]!;
}

/** The threshold of V2-V4 (V1 needs nothing). */
export function thresholdOf(settings: PointsSettings, level: number): LevelThreshold | undefined {
  return level >= 2 && level <= 4 ? settings.levels[levelName(level) as 'V2' | 'V3' | 'V4'] : undefined;
}

/** The highest level these purchases qualify for. */
export function levelFor(stats: PurchaseStats, settings: PointsSettings): number {
  let level = 1;
  for (let next = 2; next <= 4; next++) {
    const need = thresholdOf(settings, next)!;
    if (stats.spendCents >= need.spendCents || stats.orders >= need.orders) level = next;
  }
  return level;
}

/** The member's purchase figures as levels read them (orders within the group's window). */
export async function purchaseStatsFor(env: UseCaseEnv, groupId: string, memberId: string, settings: PointsSettings): Promise<PurchaseStats> {
  return env.tx.points.purchaseStats(groupId, memberId, ordersSince(env, settings));
}

/** Where the group's order window starts. */
export function ordersSince(env: UseCaseEnv, settings: PointsSettings): Date {
  return new Date(env.now.getTime() - settings.orderWindowDays * DAY_MS);
}

/**
 * Raises the member's stored level to what their purchases now qualify for, announcing the new level (with its
 * perks) in the group. Returns the level after the check.
 */
export async function refreshLevel(env: UseCaseEnv, groupId: string, memberId: string): Promise<number> {
  const { settings } = readPointsSettings(await env.tx.points.getSettings(groupId));
  const stored = await env.tx.points.getLevel(groupId, memberId);
  const reached = levelFor(await purchaseStatsFor(env, groupId, memberId, settings), settings);
  if (reached <= stored || !(await env.tx.points.raiseLevel(groupId, memberId, reached, env.now))) return stored;
  const name = (await env.tx.getMember(memberId))?.displayName ?? memberId;
  const level = levelName(reached);
  const perk = settings.perks[level];
  await announce(env, groupId, memberId, (lang) =>
    [t(lang, 'points.level_up', { name, level }), ...(perk ? [t(lang, 'points.level_perk', { perk })] : [])].join('\n'),
  );
  return reached;
}
