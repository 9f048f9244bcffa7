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

/**
 * After a buy formed: the "joined a buy" points for each member holding a place in it, once per buy and member
 * (the key). Paid at formation rather than at joining, so joining and leaving earns nothing, a failed or cancelled
 * buy pays nothing, and a join-leave-join loop is paid once at most (ADR 008).
 */
export async function rewardFormedBuy(env: UseCaseEnv, formed: { groupId: string; buyId: number; members: readonly string[] }): Promise<void> {
  for (const memberId of formed.members) {
    await awardPoints(env, { groupId: formed.groupId, memberId, source: 'join_buy', reference: `buy:${formed.buyId}`, key: `join_buy:${formed.buyId}:${memberId}` });
  }
}
