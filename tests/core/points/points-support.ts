/** Shared steps for the points tests: paying through awardPoints as a feature would, buying and delivering. */
import type { Actor } from '../../../core/events.js';
import { Outbox, type UseCaseEnv } from '../../../core/context.js';
import { awardPoints, type AwardInput } from '../../../core/points/award-points.js';
import { anna, GROUP, type CoreHarness } from '../../support/core-harness.js';

/** Pays as another feature (likes, rounds) would: through awardPoints in its own transaction. */
export async function award(h: CoreHarness, input: Omit<AwardInput, 'groupId' | 'reference'> & { groupId?: string; reference?: string }): Promise<{ paid: number; out: Outbox }> {
  const out = new Outbox();
  const paid = await h.store.transaction((tx) => {
    const env: UseCaseEnv = { tx, now: h.clock.now(), defaultLanguage: 'en', out };
    return awardPoints(env, { groupId: GROUP.id, reference: input.key, ...input });
  });
  return { paid, out };
}

export async function balanceOf(h: CoreHarness, actor: Actor): Promise<number> {
  return h.store.pointsBalance(GROUP.id, actor.id);
}

/** One buy at `price` per unit that the buyers join (one unit each, or `units`), formed and delivered to all. */
export async function buyAndDeliver(h: CoreHarness, buyers: Actor[], price: number, units = 1): Promise<void> {
  const buy = await h.openBuy(`Tea | ${price} | min 1 | max 500 | ends 2h`, anna);
  for (const buyer of buyers) await h.command(buyer, `/join ${buy.id} ${units}`);
  await h.command(anna, `/closebuy ${buy.id}`);
  await h.command(anna, `/delivered ${buy.id} all`);
}
