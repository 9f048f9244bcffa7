import type { Language } from '../kernel/language.js';
import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import { formatMoney, parsePriceCents } from '../money.js';
import { levelName } from './levels.js';
import { notOneOf, outOfRange, wholeNumberIn } from '../kernel/setting-refusal.js';
import { LEVELS, POINTS_LIMITS, readPointsSettings, validPointsSettings, type LevelName, type PointsSettings } from './points-settings.js';

const word = (token: string | undefined) => token?.toLowerCase() ?? '';
const SET = ['set', '设置'];
const PERK = ['perk', 'perks', '权益'];
const WINDOW = ['window', '周期'];
const SPEND = ['spend', '消费'];
const ORDERS = ['orders', 'order', '订单'];
const CLEAR = ['off', 'none', '-', '无', '清除'];

/** The levels as `/levels` lists them: what each takes, its perks. */
export function describeLevels(settings: PointsSettings, lang: Language, currency: string): string[] {
  const lines = [t(lang, 'points.levels_title', { days: settings.orderWindowDays })];
  for (const level of LEVELS) {
    const need = level === 'V1' ? undefined : settings.levels[level];
    lines.push(need ? t(lang, 'points.levels_line', { level, spend: formatMoney(need.spendCents, currency), orders: need.orders }) : t(lang, 'points.levels_v1'));
    const perk = settings.perks[level];
    if (perk) lines.push(t(lang, 'points.levels_perk', { perk }));
  }
  return lines;
}

/** A level as typed (`v3`, `V3`), one of `allowed`; else a refusal listing them. */
function parseLevel<L extends LevelName>(token: string | undefined, allowed: readonly L[]): L {
  const level = token?.toUpperCase();
  if (!level || !(allowed as readonly string[]).includes(level)) throw notOneOf({ name: 'level' }, token ?? '', allowed);
  return level as L;
}

/**
 * `/levels`: what each level takes and gives, and the member's own level. Admins change them:
 * `/levels set V2 spend 200 orders 3`, `/levels perk V3 <text>` (`off` removes it), `/levels window 90`.
 */
export async function levelsCommand(ctx: HandlerContext, args: string): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const { settings } = readPointsSettings(await ctx.tx.points.getSettings(group.id));
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const action = word(tokens.shift());
  if (!action) {
    const level = await ctx.tx.points.getLevel(group.id, ctx.member.id);
    replyInChat(ctx, [...describeLevels(settings, ctx.lang, group.currency), say(ctx, 'points.levels_yours', { level: levelName(level) })].join('\n'));
    return;
  }
  if (![...SET, ...PERK, ...WINDOW].includes(action)) throw new UserError('points.levels_usage');
  if (!ctx.isAdmin) throw new UserError('generic.admin_only');

  let next: PointsSettings;
  let done: string;
  if (SET.includes(action)) {
    // V1 is every member: it has no threshold to set.
    const level = parseLevel(tokens.shift(), ['V2', 'V3', 'V4'] as const);
    const threshold = { ...settings.levels[level] };
    if (tokens.length === 0 || tokens.length % 2 !== 0) throw new UserError('points.levels_usage');
    for (let i = 0; i < tokens.length; i += 2) {
      const [key, value] = [word(tokens[i]), tokens[i + 1]!];
      if (SPEND.includes(key)) {
        const cents = /^0+$/.test(value) ? 0 : parsePriceCents(value);
        if (cents === undefined || cents > POINTS_LIMITS.spendYuan.max * 100) throw outOfRange({ typed: tokens[i] }, value, POINTS_LIMITS.spendYuan);
        threshold.spendCents = cents;
      } else if (ORDERS.includes(key)) {
        threshold.orders = wholeNumberIn({ typed: tokens[i] }, value, POINTS_LIMITS.orders);
      } else throw new UserError('points.levels_usage');
    }
    next = { ...settings, levels: { ...settings.levels, [level]: threshold } };
    done = say(ctx, 'points.levels_saved');
  } else if (PERK.includes(action)) {
    const level = parseLevel(tokens.shift(), LEVELS);
    const text = tokens.join(' ').trim();
    if (!text) throw new UserError('points.levels_usage');
    const perks = { ...settings.perks };
    if (CLEAR.includes(text.toLowerCase())) delete perks[level];
    else perks[level] = text;
    next = { ...settings, perks };
    done = say(ctx, perks[level] ? 'points.levels_perk_set' : 'points.levels_perk_cleared', { level });
  } else {
    next = { ...settings, orderWindowDays: wholeNumberIn({ typed: args.trim().split(/\s+/)[0] }, tokens[0], POINTS_LIMITS.orderWindowDays) };
    done = say(ctx, 'points.levels_saved');
  }
  const valid = validPointsSettings(next);
  if (!valid) throw new UserError('points.levels_invalid');
  await ctx.tx.points.saveSettings(group.id, valid);
  await ctx.tx.logAdminAction({ groupId: group.id, actorId: ctx.member.id, action: 'points.levels', detail: { args: args.trim() }, at: ctx.now });
  replyInChat(ctx, [done, ...describeLevels(valid, ctx.lang, group.currency)].join('\n'));
}
