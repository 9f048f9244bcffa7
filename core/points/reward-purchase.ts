import type { UseCaseEnv } from '../context.js';
import { awardPoints } from './award-points.js';
import { refreshLevel } from './levels.js';

/**
 * After a delivery was recorded as a purchase: points for it (once per sign-up), then the member's level, which
 * the purchase may have raised.
 */
export async function rewardDelivery(env: UseCaseEnv, delivery: DeliveryRef): Promise<void> {
  const { groupId, memberId, signUpId } = delivery;
  // The first delivery of a sign-up keeps the plain key; each one marked again after an un-mark is a new award,
  // numbered by the awards before it (marks run under the buy's row lock, so one at a time).
  const { count } = await deliveryEntries(env, delivery, 'purchase_delivered');
  const key = count === 0 ? `purchase_delivered:${signUpId}` : `purchase_delivered:${signUpId}:${count}`;
  await awardPoints(env, { groupId, memberId, source: 'purchase_delivered', reference: `buy:${delivery.buyId}`, key });
  await refreshLevel(env, groupId, memberId);
}

/**
 * A delivery was un-marked: takes back what the sign-up's deliveries have paid net of earlier reversals, in one
 * ledger entry (the ledger is append-only), numbered like the awards so each undone delivery is reversed once.
 */
export async function reverseDelivery(env: UseCaseEnv, delivery: DeliveryRef): Promise<void> {
  const { groupId, memberId, signUpId } = delivery;
  const paid = await deliveryEntries(env, delivery, 'purchase_delivered');
  const reversed = await deliveryEntries(env, delivery, 'purchase_undelivered');
  const net = paid.amount + reversed.amount;
  if (net <= 0) return;
  await env.tx.addPointEntry({
    groupId, memberId, amount: -net, reason: 'purchase_delivered', reference: `buy:${delivery.buyId}`,
    key: `purchase_undelivered:${signUpId}:${reversed.count}`, note: 'undelivered', at: env.now,
  });
}

interface DeliveryRef {
  groupId: string;
  memberId: string;
  buyId: number;
  signUpId: number;
}

function deliveryEntries(env: UseCaseEnv, { groupId, memberId, signUpId }: DeliveryRef, kind: 'purchase_delivered' | 'purchase_undelivered') {
  return env.tx.points.entryTotals(groupId, memberId, kind === 'purchase_delivered'
    ? { keys: [`purchase_delivered:${signUpId}`], keyPrefixes: [`purchase_delivered:${signUpId}:`] }
    : { keys: [], keyPrefixes: [`purchase_undelivered:${signUpId}:`] });
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
