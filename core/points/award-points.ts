/**
 * The one way features pay points: a source (why), a reference (what for) and an idempotency key (so the same
 * event never pays twice). Amounts, daily caps and cooldowns per source come from the group's point rules.
 */
import type { UseCaseEnv } from '../context.js';

export const POINT_SOURCES = [
  'checkin', 'checkin_streak_bonus', 'join_buy', 'purchase_delivered', 'share', 'like_given', 'like_received',
  'like_goal', 'round_complete', 'review', 'review_rich', 'admin',
] as const;
export type PointSource = (typeof POINT_SOURCES)[number];

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

/** Default amounts per source (groups may change them). */
export const DEFAULT_POINTS: Record<PointSource, number> = {
  checkin: 5, checkin_streak_bonus: 20, join_buy: 5, purchase_delivered: 20, share: 10, like_given: 1,
  like_received: 1, like_goal: 0, round_complete: 15, review: 10, review_rich: 10, admin: 0,
};

/** Pays points once per key; returns the amount paid (0 when already paid or nothing to pay). */
export async function awardPoints(env: UseCaseEnv, input: AwardInput): Promise<number> {
  const amount = input.amount ?? DEFAULT_POINTS[input.source];
  if (amount === 0) return 0;
  const paid = await env.tx.addPointEntry({
    groupId: input.groupId,
    memberId: input.memberId,
    amount,
    reason: input.source,
    reference: input.reference,
    actorId: input.actorId,
    note: input.note,
    key: input.key,
    at: env.now,
  });
  return paid ? amount : 0;
}
