/**
 * The one way features pay points: a source (why), a reference (what for) and an idempotency key (so the same
 * event never pays twice). Amounts, daily caps and cooldowns per source come from the group's point rules
 * (core/points/points-settings.ts); what was actually paid is returned.
 */
import type { UseCaseEnv } from '../context.js';
import type { PointEntryInput } from '../kernel/records.js';
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
  const [paid] = await awardPointsTogether(env, [input]);
  return paid!;
}

/**
 * Pays several awards of one event (a like pays the liker and the author) as awardPoints would one after the
 * other, each with its own key, rule, cap and cooldown, in fewer statements: the locks of the capped ones are
 * taken together in the order given (a like always locks the liker's source before the author's, so two likes
 * never wait on each other in a cycle), then they are paid in one statement. Badges are checked once all are paid,
 * in the order given. Awards of one member from one source are paid one after the other instead (each cap must
 * see the entry before it). Returns what each paid, in the order given.
 */
export async function awardPointsTogether(env: UseCaseEnv, inputs: AwardInput[]): Promise<number[]> {
  const pairs = inputs.map((input) => `${input.groupId}\u0000${input.memberId}\u0000${input.source}`);
  if (new Set(pairs).size < pairs.length || new Set(inputs.map((input) => input.key)).size < inputs.length) {
    const paid: number[] = [];
    for (const input of inputs) paid.push(await awardPoints(env, input));
    return paid;
  }
  const dayStarts = new Map<string, Date>();
  const dayStart = async (groupId: string): Promise<Date> => {
    let start = dayStarts.get(groupId);
    if (!start) dayStarts.set(groupId, (start = startOfDay(env.now, (await env.tx.getGroup(groupId))?.timeZone ?? 'Asia/Shanghai')));
    return start;
  };
  const plans: (Planned | null)[] = [];
  for (const input of inputs) plans.push(await plan(env, input, dayStart));
  const limited = plans.filter((p): p is Planned & { limits: AwardLimits } => p?.limits !== undefined);
  const paid = new Map<Planned, number>();
  if (limited.length > 0) {
    await env.tx.points.lockAwards(limited.map((p) => ({ groupId: p.entry.groupId, memberId: p.entry.memberId, source: p.entry.reason })));
    const amounts = await env.tx.points.addEntriesWithin(limited.map((p) => ({ entry: p.entry, limits: p.limits })));
    limited.forEach((p, i) => paid.set(p, amounts[i] ?? 0));
  }
  for (const p of plans) if (p && !p.limits) paid.set(p, (await env.tx.addPointEntry(p.entry)) ? p.entry.amount : 0);
  for (const input of inputs) await checkBadges(env, input.groupId, input.memberId, badgesAfter(input.source));
  return plans.map((p) => (p ? paid.get(p) ?? 0 : 0));
}

/** An award to write: its entry, and the limits it is paid within when its rule caps it or sets a cooldown. */
interface Planned {
  entry: PointEntryInput;
  limits?: AwardLimits;
}

/** What an award would write under the group's rules, or null when it pays nothing. */
async function plan(env: UseCaseEnv, input: AwardInput, dayStart: (groupId: string) => Promise<Date>): Promise<Planned | null> {
  const { groupId, memberId, source } = input;
  const { settings } = readPointsSettings(await env.tx.points.getSettings(groupId));
  const rule = ruleFor(settings, source);
  const amount = input.amount ?? rule?.amount ?? DEFAULT_POINTS[source];
  if (!Number.isInteger(amount) || amount === 0) return null;
  const entry: PointEntryInput = {
    groupId, memberId, amount, reason: source, reference: input.reference, actorId: input.actorId, note: input.note, key: input.key, at: env.now,
  };
  if (!rule || amount < 0 || (rule.dailyCap === null && rule.cooldownMinutes === 0)) return { entry };
  // The rule's limits, in the group's day; the store applies them in the statement that inserts, under the lock.
  const limits: AwardLimits = {};
  if (rule.cooldownMinutes > 0) limits.paidAfter = new Date(env.now.getTime() - rule.cooldownMinutes * MINUTE_MS);
  if (rule.dailyCap !== null) limits.dailyCap = { limit: rule.dailyCap, since: await dayStart(groupId) };
  return { entry, limits };
}
