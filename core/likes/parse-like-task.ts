/**
 * `/liketask` arguments: `goal 10 | within 48h | reward 50 [| codes A1,B2,C3]`, Chinese keywords too
 * (`目标 10 | 48小时内 | 奖励 50 | 兑换码 A1,B2`). A task rewards a share's author for likes from the group: it
 * may not pay money for likes (FTC 16 CFR 465.8, SAMR Order 91 Art. 9(5)) nor depend on what a share says
 * (FTC 465.4): such clauses are refused with the rule, and any clause we do not know is refused too, so no
 * condition can slip in unread.
 */
import { UserError } from '../errors.js';
import { outOfRange, type SettingName } from '../kernel/setting-refusal.js';
import type { SettingUnit } from '../i18n/words.js';
import { parseDurationMs } from '../time/parse-when.js';

export interface LikeTaskInput {
  goalLikes: number;
  withinMinutes: number;
  rewardPoints: number;
  rewardCodes: string[];
}

export const MAX_GOAL = 1000;
export const MAX_WITHIN_MINUTES = 30 * 24 * 60;
export const MAX_REWARD = 10_000;
export const MAX_CODES = 200;

/** Paying money, red packets or cash back for likes, or buying likes outright. */
const BUYS_LIKES = /[¥$€￥]|\b(cash|money|rmb|cny|usd|yuan|paypal|wechat\s*pay|alipay|red\s*packets?|cash\s*back|refund|buy\s+likes?|paid\s+likes?|purchase\s+likes?|likes?\s+for\s+sale|per\s+like)\b|元|块钱|现金|红包|返现|返钱|付费|买赞|刷赞|购买点赞|每个赞|每赞/i;

/** What a share says: its sentiment, its words, its rating. A like task counts likes and nothing else. */
const DEPENDS_ON_CONTENT = /\b(positive|negative|good\s+review|bad\s+review|five[-\s]?stars?|[1-5]\s*stars?|rating|sentiment|must\s+(say|mention|praise|include|contain)|mentions?|keywords?|contains?|praise|favou?rable|hashtag)\b|好评|差评|五星|[1-5]\s*星|评分|正面|负面|必须提到|提到|包含|关键词|夸/i;

/** Parses and checks a task; throws a UserError with the reason for anything refused. */
export function parseLikeTask(args: string): LikeTaskInput {
  const text = args.trim();
  if (!text) throw new UserError('likes.task_usage');
  if (BUYS_LIKES.test(text)) throw new UserError('likes.task_refused_paid');
  if (DEPENDS_ON_CONTENT.test(text)) throw new UserError('likes.task_refused_content');
  let goalLikes: number | undefined;
  let withinMinutes: number | undefined;
  let rewardPoints: number | undefined;
  let rewardCodes: string[] = [];
  for (const raw of text.split(/[|｜]/)) {
    const clause = raw.trim();
    if (!clause) continue;
    let m: RegExpExecArray | null;
    if ((m = /^(?:goal|目标|集赞|集)\s*[:：]?\s*(\d+)\s*(?:likes?|个赞|赞)?$/i.exec(clause))) {
      goalLikes = bounded(Number(m[1]), 1, MAX_GOAL, 'goal', clause);
    } else if ((m = /^(?:within|in|时限|限时)\s*[:：]?\s*(.+?)$/i.exec(clause)) || (m = /^(.+?)\s*内$/.exec(clause))) {
      withinMinutes = withinMinutesOf(m[1]!, clause);
    } else if ((m = /^(?:reward|奖励)\s*[:：]?\s*(\d+)\s*(?:points?|pts|积分|分)?$/i.exec(clause))) {
      rewardPoints = bounded(Number(m[1]), 1, MAX_REWARD, 'reward', clause);
    } else if ((m = /^(?:codes?|兑换码|解锁码)\s*[:：]?\s*(.+)$/i.exec(clause))) {
      rewardCodes = codesOf(m[1]!, clause);
    } else {
      throw new UserError('likes.task_unknown_clause', { clause });
    }
  }
  if (goalLikes === undefined || withinMinutes === undefined || rewardPoints === undefined) throw new UserError('likes.task_usage');
  return { goalLikes, withinMinutes, rewardPoints, rewardCodes };
}

/** A task's fields as a typed form gives them, checked with the same refusals and ranges as the text form. */
export function likeTaskFromFields(fields: { goal?: number; within?: string; reward?: number; codes?: string }): LikeTaskInput {
  if (fields.goal === undefined || fields.within === undefined || fields.reward === undefined) throw new UserError('likes.task_usage');
  const words = [fields.within, fields.codes ?? ''].join(' ');
  if (BUYS_LIKES.test(words)) throw new UserError('likes.task_refused_paid');
  if (DEPENDS_ON_CONTENT.test(words)) throw new UserError('likes.task_refused_content');
  return {
    goalLikes: bounded(fields.goal, 1, MAX_GOAL, 'goal', String(fields.goal)),
    withinMinutes: withinMinutesOf(fields.within, fields.within),
    rewardPoints: bounded(fields.reward, 1, MAX_REWARD, 'reward', String(fields.reward)),
    rewardCodes: fields.codes === undefined ? [] : codesOf(fields.codes, fields.codes),
  };
}

function withinMinutesOf(value: string, clause: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < 60_000) throw new UserError('likes.task_bad_clause', { clause });
  return bounded(Math.round(ms / 60_000), 1, MAX_WITHIN_MINUTES, 'within', clause);
}

function codesOf(value: string, clause: string): string[] {
  const codes = [...new Set(value.split(/[,，\s]+/).map((c) => c.trim()).filter(Boolean))];
  if (codes.length === 0 || codes.length > MAX_CODES || codes.some((c) => c.length > 64)) throw new UserError('likes.task_bad_clause', { clause });
  return codes;
}

/** The typed fields of a checked task (what a typed form would have sent for the same task). */
export function likeTaskFields(input: LikeTaskInput): { goal: number; within: string; reward: number; codes?: string } {
  return { goal: input.goalLikes, within: formatWithin(input.withinMinutes), reward: input.rewardPoints, ...(input.rewardCodes.length ? { codes: input.rewardCodes.join(',') } : {}) };
}

const UNITS: Partial<Record<SettingName, SettingUnit>> = { goal: 'count', within: 'minutes', reward: 'points' };

/** A number of the task within its range; else a refusal naming the clause as typed and the range in words. */
function bounded(n: number, min: number, max: number, field: 'goal' | 'within' | 'reward', clause: string): number {
  if (!Number.isInteger(n) || n < min || n > max) throw outOfRange({ name: field }, clause, { min, max, unit: UNITS[field]! });
  return n;
}

/** `2880` -> `48h`, `90` -> `1h30m`, `4320` -> `3d`: how a task's time window is shown. */
export function formatWithin(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  if (minutes > 60) return `${Math.floor(minutes / 60)}h${minutes % 60}m`;
  return `${minutes}m`;
}
