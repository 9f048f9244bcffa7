import type { Language } from '../kernel/language.js';
import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import { formatMoney, parsePriceCents } from '../money.js';
import { levelName } from './levels.js';
import { LEVELS, readPointsSettings, validPointsSettings, type LevelName, type PointsSettings } from './points-settings.js';

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

function parseLevel(token: string | undefined): LevelName {
  const level = token?.toUpperCase();
  if (!level || !(LEVELS as readonly string[]).includes(level)) throw new UserError('points.levels_bad_value', { field: 'level', value: token ?? '' });
  return level as LevelName;
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
    const level = parseLevel(tokens.shift());
    if (level === 'V1') throw new UserError('points.levels_bad_value', { field: 'level', value: level });
    const threshold = { ...settings.levels[level] };
    if (tokens.length === 0 || tokens.length % 2 !== 0) throw new UserError('points.levels_usage');
    for (let i = 0; i < tokens.length; i += 2) {
      const [key, value] = [word(tokens[i]), tokens[i + 1]!];
      if (SPEND.includes(key)) {
        const cents = /^0+$/.test(value) ? 0 : parsePriceCents(value);
        if (cents === undefined) throw new UserError('points.levels_bad_value', { field: 'spend', value });
        threshold.spendCents = cents;
      } else if (ORDERS.includes(key)) {
        if (!/^\d{1,5}$/.test(value)) throw new UserError('points.levels_bad_value', { field: 'orders', value });
        threshold.orders = Number(value);
      } else throw new UserError('points.levels_usage');
    }
    next = { ...settings, levels: { ...settings.levels, [level]: threshold } };
    done = say(ctx, 'points.levels_saved');
  } else if (PERK.includes(action)) {
    const level = parseLevel(tokens.shift());
    const text = tokens.join(' ').trim();
    if (!text) throw new UserError('points.levels_usage');
    const perks = { ...settings.perks };
    if (CLEAR.includes(text.toLowerCase())) delete perks[level];
    else perks[level] = text;
    next = { ...settings, perks };
    done = say(ctx, perks[level] ? 'points.levels_perk_set' : 'points.levels_perk_cleared', { level });
  } else {
    const days = tokens[0] ?? '';
    if (!/^\d{1,4}$/.test(days)) throw new UserError('points.levels_bad_value', { field: 'window', value: days });
    next = { ...settings, orderWindowDays: Number(days) };
    done = say(ctx, 'points.levels_saved');
  }
  const valid = validPointsSettings(next);
  if (!valid) throw new UserError('points.levels_invalid');
  await ctx.tx.points.saveSettings(group.id, valid);
  await ctx.tx.logAdminAction({ groupId: group.id, actorId: ctx.member.id, action: 'points.levels', detail: { args: args.trim() }, at: ctx.now });
  replyInChat(ctx, [done, ...describeLevels(valid, ctx.lang, group.currency)].join('\n'));
}
