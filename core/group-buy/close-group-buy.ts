import { memberLanguage, type UseCaseEnv } from '../context.js';
import { emit } from '../kernel/domain-events.js';
import './group-buy-events.js';
import { t } from '../i18n/translate.js';
import { formatMoney } from '../money.js';
import type { BuyRecord } from '../store.js';
import { buyLanguage } from './buy-language.js';
import { splitSignUps, unitPriceOf, unitsTaken } from './buy-card.js';
import { priceFor } from './pricing.js';

export type CloseMode = 'deadline' | 'admin' | 'cancel';

/**
 * Closes a buy: formed when min is reached, else failed; or cancelled. Announces it in the chat the buy was
 * opened in and tells each participant (and each waitlisted member) privately. Idempotent: a buy that is no
 * longer open, or (for the deadline job) whose deadline was moved later, is left alone and null is returned.
 */
export async function closeGroupBuy(env: UseCaseEnv, buyId: number, mode: CloseMode): Promise<BuyRecord | null> {
  const buy = await env.tx.getBuy(buyId, { lock: true });
  if (!buy || buy.status !== 'open') return null;
  if (mode === 'deadline' && buy.endsAt.getTime() > env.now.getTime()) return null;
  const group = await env.tx.getGroup(buy.groupId);
  if (!group) return null;

  const signUps = await env.tx.listSignUps(buy.id);
  const units = unitsTaken(signUps);
  const { active, waitlist } = splitSignUps(signUps);
  const status = mode === 'cancel' ? 'cancelled' : units >= buy.minUnits ? 'formed' : 'failed';
  const finalPriceCents = status === 'formed' ? priceFor(units, buy.unitPriceCents, buy.tiers) : null;
  const closed = await env.tx.updateBuy(buy.id, {
    status,
    closedAt: env.now,
    closedReason: mode === 'cancel' ? 'cancelled' : mode,
    finalPriceCents,
  });

  const lang = await buyLanguage(env.tx, buy, group, env.defaultLanguage);
  const money = (cents: number) => formatMoney(cents, group.currency);
  const announcement =
    status === 'formed'
      ? t(lang, 'close.formed', { id: buy.id, title: buy.title, units, price: money(finalPriceCents!), count: active.length })
      : status === 'failed'
        ? t(lang, 'close.failed', { id: buy.id, title: buy.title, units, min: buy.minUnits })
        : t(lang, 'close.cancelled', { id: buy.id, title: buy.title });
  env.out.push({ kind: 'message', to: { chatId: buy.chatId }, text: announcement });

  for (const s of active) {
    const l = memberLanguage(s, group, lang);
    const text =
      status === 'formed'
        ? t(l, 'close.formed_dm', {
            id: buy.id,
            title: buy.title,
            qty: s.quantity,
            // A variant has its own price; the buy's final (tiered) price is for buys without variants.
            price: money(s.variant ? unitPriceOf(buy, signUps, s) : finalPriceCents!),
            total: money((s.variant ? unitPriceOf(buy, signUps, s) : finalPriceCents!) * s.quantity),
            pickup: buy.pickup ? t(l, 'close.pickup_suffix', { pickup: buy.pickup }) : '',
          })
        : status === 'failed'
          ? t(l, 'close.failed_dm', { id: buy.id, title: buy.title })
          : t(l, 'close.cancelled_dm', { id: buy.id, title: buy.title });
    env.out.push({ kind: 'message', to: { memberId: s.memberId }, text });
  }
  for (const s of waitlist) {
    const l = memberLanguage(s, group, lang);
    env.out.push({ kind: 'message', to: { memberId: s.memberId }, text: t(l, 'close.waitlist_dm', { id: buy.id, title: buy.title }) });
  }
  env.out.refreshCard(`buy:${buy.id}`);
  await emit(env, 'buy.closed', { buy: closed, status, members: active.map((s) => s.memberId) });
  return closed;
}
