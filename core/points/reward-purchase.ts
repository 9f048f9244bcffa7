import type { UseCaseEnv } from '../context.js';
import { awardPoints } from './award-points.js';
import { refreshLevel } from './levels.js';

/**
 * After a delivery was recorded as a purchase: points for it (once per sign-up), then the member's level, which
 * the purchase may have raised.
 */
export async function rewardDelivery(env: UseCaseEnv, delivery: { groupId: string; memberId: string; buyId: number; signUpId: number; deliveredAt: Date }): Promise<void> {
  const { groupId, memberId, signUpId } = delivery;
  // The first delivery of a sign-up keeps the plain key; one marked again after an un-mark is a new award.
  const first = `purchase_delivered:${signUpId}`;
  const key = (await env.tx.points.entryExists(first)) ? `${first}:${delivery.deliveredAt.getTime()}` : first;
  await awardPoints(env, { groupId, memberId, source: 'purchase_delivered', reference: `buy:${delivery.buyId}`, key });
  await refreshLevel(env, groupId, memberId);
}

/**
 * A delivery was un-marked: takes back what the sign-up's deliveries have paid net of earlier reversals, in one
 * ledger entry (the ledger is append-only), once per undone delivery.
 */
export async function reverseDelivery(env: UseCaseEnv, delivery: { groupId: string; memberId: string; buyId: number; signUpId: number; deliveredAt: Date }): Promise<void> {
  const { groupId, memberId, signUpId } = delivery;
  const net = await env.tx.points.sumEntries(groupId, memberId, {
    keys: [`purchase_delivered:${signUpId}`],
    keyPrefixes: [`purchase_delivered:${signUpId}:`, `purchase_undelivered:${signUpId}:`],
  });
  if (net <= 0) return;
  await env.tx.addPointEntry({
    groupId, memberId, amount: -net, reason: 'purchase_delivered', reference: `buy:${delivery.buyId}`,
    key: `purchase_undelivered:${signUpId}:${delivery.deliveredAt.getTime()}`, note: 'undelivered', at: env.now,
  });
}

/** After a member joined a buy (not the waitlist): points, once per buy. */
export async function rewardJoin(env: UseCaseEnv, join: { groupId: string; memberId: string; buyId: number }): Promise<void> {
  await awardPoints(env, { groupId: join.groupId, memberId: join.memberId, source: 'join_buy', reference: `buy:${join.buyId}`, key: `join_buy:${join.buyId}:${join.memberId}` });
}
