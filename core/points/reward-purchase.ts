import type { UseCaseEnv } from '../context.js';
import { awardPoints } from './award-points.js';
import { refreshLevel } from './levels.js';

/**
 * After a delivery was recorded as a purchase: points for it (once per sign-up), then the member's level, which
 * the purchase may have raised.
 */
export async function rewardDelivery(env: UseCaseEnv, delivery: { groupId: string; memberId: string; buyId: number; signUpId: number }): Promise<void> {
  const { groupId, memberId } = delivery;
  await awardPoints(env, { groupId, memberId, source: 'purchase_delivered', reference: `buy:${delivery.buyId}`, key: `purchase_delivered:${delivery.signUpId}` });
  await refreshLevel(env, groupId, memberId);
}

/** After a member joined a buy (not the waitlist): points, once per buy. */
export async function rewardJoin(env: UseCaseEnv, join: { groupId: string; memberId: string; buyId: number }): Promise<void> {
  await awardPoints(env, { groupId: join.groupId, memberId: join.memberId, source: 'join_buy', reference: `buy:${join.buyId}`, key: `join_buy:${join.buyId}:${join.memberId}` });
}
