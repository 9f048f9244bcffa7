/**
 * The one way features pay points: a source (why), a reference (what for) and an idempotency key (so the same
 * event never pays twice). Amounts, daily caps and cooldowns per source come from the group's point rules
 * (core/points/points-settings.ts); what was actually paid is returned.
 */
import type { UseCaseEnv } from '../context.js';
import { checkBadges, badgesAfter } from './badges.js';
import { startOfDay } from './point-calendar.js';
import type { AwardLimits } from './points-store.js';
import type { PointSource } from './point-sources.js';
import { DEFAULT_RULES, readPointsSettings, ruleFor, type RuleSource } from './points-settings.js';

export { POINT_SOURCES, type PointSource } from './point-sources.js';

export interface AwardInput {
  groupId: string;
  memberId: string;
  source: PointSource;
  /** What it is for, e.g. `share:12`. */
  reference: string;
  /** Unique per award, e.g. `like_given:12:tg:5`. */
  key: string;
  /** An amount set by the campaign itself (a like task's reward, an admin adjustment); else the group's rule. */
  amount?: number;
  actorId?: string;
  note?: string;
}

/** Default amounts per source (groups may change them with /pointrules). */
export const DEFAULT_POINTS: Record<PointSource, number> = {
  ...(Object.fromEntries(Object.entries(DEFAULT_RULES).map(([source, rule]) => [source, rule.amount])) as Record<RuleSource, number>),
  review: 10, review_rich: 10, admin: 0,
};

const MINUTE_MS = 60_000;

/**
 * Pays points once per key and returns the amount paid: 0 when the key was already paid, the source pays
 * nothing, the member is in the source's cooldown or has reached its daily cap; less than asked when the cap
 * leaves less. Caps and cooldowns apply to every award of a source, whoever set the amount; they are decided
 * under a lock per member and source, so concurrent awards never pass a cap together.
 * Badges the source may lead to are checked afterwards (also when nothing was paid: a capped like still counts).
 */
export async function awardPoints(env: UseCaseEnv, input: AwardInput): Promise<number> {
  const paid = await pay(env, input);
  await checkBadges(env, input.groupId, input.memberId, badgesAfter(input.source));
  return paid;
}

async function pay(env: UseCaseEnv, input: AwardInput): Promise<number> {
  const { groupId, memberId, source } = input;
  const { settings } = readPointsSettings(await env.tx.points.getSettings(groupId));
  const rule = ruleFor(settings, source);
  const amount = input.amount ?? rule?.amount ?? DEFAULT_POINTS[source];
  if (!Number.isInteger(amount) || amount === 0) return 0;

  const entry = {
    groupId, memberId, amount, reason: source, reference: input.reference, actorId: input.actorId, note: input.note, key: input.key, at: env.now,
  };
  if (rule && amount > 0 && (rule.dailyCap !== null || rule.cooldownMinutes > 0)) {
    // The rule's limits, in the group's day; the store applies them in the statement that inserts, under the lock.
    await env.tx.points.lockAwards(groupId, memberId, source);
    const limits: AwardLimits = {};
    if (rule.cooldownMinutes > 0) limits.paidAfter = new Date(env.now.getTime() - rule.cooldownMinutes * MINUTE_MS);
    if (rule.dailyCap !== null) {
      const timeZone = (await env.tx.getGroup(groupId))?.timeZone ?? 'Asia/Shanghai';
      limits.dailyCap = { limit: rule.dailyCap, since: startOfDay(env.now, timeZone) };
    }
    return env.tx.points.addEntryWithin(entry, limits);
  }

  return (await env.tx.addPointEntry(entry)) ? amount : 0;
}
