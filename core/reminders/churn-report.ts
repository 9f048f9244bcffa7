import { DateTime } from 'luxon';
import { replyInChat, say, type HandlerContext, type UseCaseEnv } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { ScheduledJob } from '../ports.js';
import type { GroupRecord } from '../store.js';
import { predictChurn, type PurchaseFact } from './predict.js';

/** The days ahead churn risk looks at. */
export const CHURN_HORIZON_DAYS = 30;
/** Members at least this likely to buy nothing within the horizon are at risk. */
export const CHURN_RISK_THRESHOLD = 0.5;

/**
 * The group's members at risk of not buying again, riskiest first, each with its reason in words ("usually buys
 * every 12 days, last order 41 days ago"). Members with one purchase have no usual pace: they are counted, not
 * rated. Members who left the group are not listed.
 */
export async function churnReport(env: UseCaseEnv, group: GroupRecord, lang: Language): Promise<string> {
  const purchases = await env.tx.reminders.listPurchases({ groupId: group.id });
  const facts: PurchaseFact[] = purchases.map((p) => ({ memberId: p.memberId, product: p.product, at: p.at, quantity: p.quantity, source: 'buy' }));
  const risks = predictChurn(facts, env.now, CHURN_HORIZON_DAYS);
  const lines: string[] = [];
  let single = 0;
  for (const risk of risks.sort((a, b) => b.churnRisk - a.churnRisk)) {
    if (!(await env.tx.isGroupMember(group.id, risk.memberId))) continue;
    if (risk.usualIntervalDays === null) {
      single++;
      continue;
    }
    if (risk.churnRisk < CHURN_RISK_THRESHOLD) continue;
    const member = await env.tx.getMember(risk.memberId);
    lines.push(
      t(lang, 'churn.line', {
        name: member?.displayName ?? risk.memberId,
        usual: Math.round(risk.usualIntervalDays),
        since: Math.floor(risk.daysSinceLast ?? 0),
        risk: Math.round(risk.churnRisk * 100),
      }),
    );
  }
  return [
    t(lang, 'churn.title', { group: group.title ?? '', horizon: CHURN_HORIZON_DAYS }),
    ...(lines.length ? lines : [t(lang, 'churn.none')]),
    ...(single ? [t(lang, 'churn.single', { count: single })] : []),
  ].join('\n');
}

/** The next Monday 09:00 in the group's time zone after `now`: when a weekly digest goes. */
export function nextDigestAt(now: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  let at = local.set({ weekday: 1, hour: 9, minute: 0, second: 0, millisecond: 0 });
  if (at <= local) at = at.plus({ weeks: 1 });
  return at.toJSDate();
}

/** The weekly digest job of one admin and group; one per week by key. */
export function digestJob(groupId: string, memberId: string, at: Date): ScheduledJob {
  return { name: 'reminder.churn_digest', runAt: at, key: `reminder.churn_digest:${groupId}:${memberId}:${at.getTime()}`, data: { groupId, memberId, at: at.getTime() } };
}

/** `/churn` (admins): the report, sent privately; `/churn weekly on|off` subscribes the admin to a Monday digest. */
export async function churnCommand(ctx: HandlerContext, input: { weekly?: string }): Promise<void> {
  const group = ctx.group!;
  if (input.weekly !== undefined) {
    const value = input.weekly.trim().toLowerCase();
    const on = /^(on|yes|开|开启)$/.test(value);
    if (!on && !/^(off|no|关|关闭)$/.test(value)) throw new UserError('churn.usage');
    await ctx.tx.reminders.setDigest(group.id, ctx.member.id, on);
    if (on) ctx.out.schedule(digestJob(group.id, ctx.member.id, nextDigestAt(ctx.now, group.timeZone)));
    replyInChat(ctx, say(ctx, on ? 'churn.weekly_on' : 'churn.weekly_off'));
    return;
  }
  ctx.out.push({ kind: 'message', to: { memberId: ctx.member.id }, text: await churnReport(ctx, group, ctx.lang) });
}

/** Reads `/churn`, `/churn weekly on`, `/churn weekly off` (每周 开/关). */
export function parseChurnText(text: string): { weekly?: string } {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (!tokens.length) return {};
  if (!/^(weekly|每周)$/i.test(tokens[0]!) || tokens.length !== 2) throw new UserError('churn.usage');
  return { weekly: tokens[1]! };
}

/**
 * The `reminder.churn_digest` job: sends the admin the week's report if they still subscribe (and are still an
 * admin of the group, as far as the platform lists them), once per week however often the job runs, and plans
 * next week's.
 */
export async function sendChurnDigest(env: UseCaseEnv, input: { groupId: string; memberId: string; week: Date; isAdmin: boolean }): Promise<void> {
  if (!(await env.tx.reminders.claimDigest(input.groupId, input.memberId, input.week))) return;
  const [group, member] = await Promise.all([env.tx.getGroup(input.groupId), env.tx.getMember(input.memberId)]);
  if (!group || !member) return;
  if (input.isAdmin) {
    const lang = member.language ?? group.language ?? env.defaultLanguage;
    env.out.push({ kind: 'message', to: { memberId: member.id }, text: `${t(lang, 'churn.digest_intro')}\n${await churnReport(env, group, lang)}` });
  }
  env.out.schedule(digestJob(group.id, member.id, nextDigestAt(env.now, group.timeZone)));
}
