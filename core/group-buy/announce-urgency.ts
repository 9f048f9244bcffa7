/**
 * The two announcements that push a buy over the line before its deadline: "closing soon" (CLOSING_SOON_LEAD_MS
 * before the deadline, on a durable job) and "only N left" (when the units left drop to fewLeftThreshold, checked
 * after every sign-up change). Each goes out at most once per buy: the buy's row records when (closingSoonSentAt,
 * fewLeftSentAt) under the row lock, so a repeated job, a restart or two joins at once cannot send it twice. Both
 * are group messages, so they share a window: when both are due they go out as one message, and neither follows
 * the other within URGENCY_WINDOW_MS (a closing-soon that would is folded into the earlier message; an only-N-left
 * waits for a later change). Rules in docs/decisions/002-group-buy-rules.md.
 */
import type { UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { ScheduledJob } from '../ports.js';
import type { BuyRecord, GroupRecord } from '../store.js';
import { formatTimeLeft, unitsTaken } from './buy-card.js';
import { buyLanguage } from './buy-language.js';

const MINUTE_MS = 60_000;
/** How long before the deadline "closing soon" goes out. */
export const CLOSING_SOON_LEAD_MS = 60 * MINUTE_MS;
/** At most one urgency message per buy in this window. */
export const URGENCY_WINDOW_MS = 30 * MINUTE_MS;

/**
 * "Only N left" goes out when N drops to a fifth of max (rounded up), at most 5 and at least 1. Buys with a max
 * under 5 get none: their card's bar already says it at a glance, and every join would be "only a few left".
 */
export function fewLeftThreshold(maxUnits: number): number {
  if (maxUnits < 5) return 0;
  return Math.min(5, Math.max(1, Math.ceil(maxUnits / 5)));
}

/**
 * The durable job that announces "closing soon"; null when the buy runs shorter than the lead (opened with less
 * than an hour to go: its card's time left says it all). The key holds the deadline, so /extendbuy schedules a
 * new one and the old one, when it fires, finds the deadline too far and does nothing.
 */
export function closingSoonJob(buy: Pick<BuyRecord, 'id' | 'endsAt' | 'createdAt' | 'closingSoonSentAt'>): ScheduledJob | null {
  if (buy.closingSoonSentAt || buy.endsAt.getTime() - buy.createdAt.getTime() <= CLOSING_SOON_LEAD_MS) return null;
  return {
    name: 'buy.closing-soon',
    runAt: new Date(buy.endsAt.getTime() - CLOSING_SOON_LEAD_MS),
    key: `buy.closing-soon:${buy.id}:${buy.endsAt.getTime()}`,
    data: { buyId: buy.id },
  };
}

const recently = (at: Date | null, now: Date) => at !== null && now.getTime() - at.getTime() < URGENCY_WINDOW_MS;

function fewLeftLine(lang: Language, buy: BuyRecord, left: number): string {
  return t(lang, 'urgency.few_left', { id: buy.id, title: buy.title, left });
}

/** Runs from the job: announces "closing soon" once (with "only N left" if that is due too). True when it spoke. */
export async function announceClosingSoon(env: UseCaseEnv, buyId: number): Promise<boolean> {
  const buy = await env.tx.getBuy(buyId, { lock: true });
  if (!buy || buy.status !== 'open' || buy.closingSoonSentAt) return false;
  const left = buy.endsAt.getTime() - env.now.getTime();
  // Not yet (the deadline moved later: its own job comes), or already past (the close takes over).
  if (left <= 0 || left > CLOSING_SOON_LEAD_MS + MINUTE_MS) return false;
  if (recently(buy.fewLeftSentAt, env.now)) {
    // "Only N left" went out moments ago: one urgency message per window; the card shows the time left.
    await env.tx.updateBuy(buy.id, { closingSoonSentAt: env.now });
    return false;
  }
  const group = await env.tx.getGroup(buy.groupId);
  if (!group) return false;
  const lang = await buyLanguage(env.tx, buy, group, env.defaultLanguage);
  const lines = [t(lang, 'urgency.closing_soon', { id: buy.id, title: buy.title, left: formatTimeLeft(left, lang) })];
  const unitsLeft = buy.maxUnits - unitsTaken(await env.tx.listSignUps(buy.id));
  const patch: { closingSoonSentAt: Date; fewLeftSentAt?: Date } = { closingSoonSentAt: env.now };
  if (!buy.fewLeftSentAt && unitsLeft >= 1 && unitsLeft <= fewLeftThreshold(buy.maxUnits)) {
    lines.push(fewLeftLine(lang, buy, unitsLeft));
    patch.fewLeftSentAt = env.now;
  }
  await env.tx.updateBuy(buy.id, patch);
  env.out.push({ kind: 'message', to: { chatId: buy.chatId }, text: lines.join('\n') });
  env.out.refreshCard(`buy:${buy.id}`);
  return true;
}

/**
 * After a sign-up change (join, promotion, a raised max): announces "only N left" once when the units left have
 * dropped to the threshold. Joined to a group message this change already sends (a tier crossed, members moved
 * in from the waitlist), else its own message. `buy` is the caller's record, read under the buy's row lock (with
 * the new max after an edit): a buy already announced, or too small to announce, costs no query on the join path,
 * nor does a join that knows the units now held (`unitsTakenNow`).
 */
export async function announceFewLeft(env: UseCaseEnv, buy: BuyRecord, group: GroupRecord, unitsTakenNow?: number): Promise<void> {
  if (buy.status !== 'open' || buy.fewLeftSentAt || fewLeftThreshold(buy.maxUnits) === 0) return;
  const unitsLeft = buy.maxUnits - (unitsTakenNow ?? (await env.tx.buyTally(buy.id)).activeUnits);
  if (unitsLeft < 1 || unitsLeft > fewLeftThreshold(buy.maxUnits)) return;
  if (recently(buy.closingSoonSentAt, env.now)) return;
  const lang = await buyLanguage(env.tx, buy, group, env.defaultLanguage);
  const lines = [fewLeftLine(lang, buy, unitsLeft)];
  const patch: { fewLeftSentAt: Date; closingSoonSentAt?: Date } = { fewLeftSentAt: env.now };
  const timeLeft = buy.endsAt.getTime() - env.now.getTime();
  if (!buy.closingSoonSentAt && timeLeft > 0 && timeLeft <= CLOSING_SOON_LEAD_MS) {
    lines.unshift(t(lang, 'urgency.closing_soon', { id: buy.id, title: buy.title, left: formatTimeLeft(timeLeft, lang) }));
    patch.closingSoonSentAt = env.now;
  }
  await env.tx.updateBuy(buy.id, patch);
  const text = lines.join('\n');
  const same = env.out.replies.find((r) => r.kind === 'message' && 'chatId' in r.to && r.to.chatId === buy.chatId && !r.card && !r.private);
  if (same && same.kind === 'message') same.text = `${same.text}\n${text}`;
  else env.out.push({ kind: 'message', to: { chatId: buy.chatId }, text });
}
