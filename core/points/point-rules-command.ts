import type { Language } from '../kernel/language.js';
import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { askConfirmation } from '../kernel/confirm.js';
import { t } from '../i18n/translate.js';
import { parseDurationMs } from '../time/parse-when.js';
import { reasonName } from './adjust-points.js';
import { badFormat, inRange, outOfRange, wholeNumberIn, type SettingRange } from '../kernel/setting-refusal.js';
import { POINTS_LIMITS, RULE_SOURCES, readPointsSettings, ruleFor, validPointsSettings, type PointsSettings, type RuleSource } from './points-settings.js';

const MINUTE_MS = 60_000;
const OFF = ['off', 'none', '0', '无', '关'];

/** The rules as `/pointrules` lists them. */
export function describeRules(settings: PointsSettings, lang: Language): string[] {
  const lines = [t(lang, 'points.rules_title')];
  for (const source of RULE_SOURCES) {
    const rule = ruleFor(settings, source)!;
    lines.push(
      t(lang, 'points.rules_line', {
        source,
        name: reasonName(lang, source),
        amount: rule.amount,
        cap: rule.dailyCap === null ? t(lang, 'points.rules_no_cap') : t(lang, 'points.rules_cap', { cap: rule.dailyCap }),
        cooldown: rule.cooldownMinutes === 0 ? t(lang, 'points.rules_no_cooldown') : t(lang, 'points.rules_cooldown', { minutes: rule.cooldownMinutes }),
      }),
    );
  }
  lines.push(t(lang, 'points.rules_streak', { days: settings.streakBonusEvery }), t(lang, 'points.rules_helpful', settings.helpful));
  return lines;
}

/** A whole number for the setting the admin typed (`cap`, `上限`, `streak`...), within its range. */
const count = (value: string | undefined, typed: string, range: SettingRange): number => wholeNumberIn({ typed }, value, range);

/** `/pointrules reset`, confirmed: every rule back to its default. */
export async function resetPointRules(ctx: HandlerContext): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const { settings } = readPointsSettings(await ctx.tx.points.getSettings(ctx.group.id));
  const valid = validPointsSettings({ ...settings, rules: {}, streakBonusEvery: 7, helpful: { likes: 30, members: 10 } })!;
  await ctx.tx.points.saveSettings(ctx.group.id, valid);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'points.rules', detail: { args: 'reset' }, at: ctx.now });
  replyInChat(ctx, [say(ctx, 'points.rules_saved'), ...describeRules(valid, ctx.lang)].join('\n'));
}

/**
 * `/pointrules` shows the group's point rules; admins change them:
 * `/pointrules like_given 1 cap 10 cooldown off`, `/pointrules share cooldown 30m`, `/pointrules streak 7`,
 * `/pointrules helpful 30 10` (likes, members), `/pointrules reset`.
 */
export async function pointRulesCommand(ctx: HandlerContext, args: string): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const { settings } = readPointsSettings(await ctx.tx.points.getSettings(group.id));
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const first = tokens.shift()?.toLowerCase();
  if (!first || first === 'show' || first === '查看') {
    replyInChat(ctx, describeRules(settings, ctx.lang).join('\n'));
    return;
  }
  if (!ctx.isAdmin) throw new UserError('generic.admin_only');

  let next: PointsSettings;
  if (first === 'reset' || first === '重置') {
    // Custom amounts, caps and cooldowns would be lost in one word: ask first (resetPointRules runs on Confirm).
    await askConfirmation(ctx, { action: 'points.reset', data: {}, question: say(ctx, 'points.reset_question'), confirmLabel: say(ctx, 'points.reset_button') });
    return;
  } else if (first === 'streak' || first === '连签') {
    next = { ...settings, streakBonusEvery: count(tokens[0], first, POINTS_LIMITS.streakBonusEvery) };
  } else if (first === 'helpful' || first === '互助达人') {
    next = { ...settings, helpful: { likes: count(tokens[0], `${first} (likes)`, POINTS_LIMITS.helpfulLikes), members: count(tokens[1], `${first} (members)`, POINTS_LIMITS.helpfulMembers) } };
  } else if ((RULE_SOURCES as readonly string[]).includes(first)) {
    const source = first as RuleSource;
    const override = { ...settings.rules[source] };
    if (tokens[0] && /^\d+$/.test(tokens[0])) override.amount = count(tokens.shift(), first, POINTS_LIMITS.amount);
    if (tokens.length % 2 !== 0) throw new UserError('points.rules_usage');
    for (let i = 0; i < tokens.length; i += 2) {
      const [key, value] = [tokens[i]!.toLowerCase(), tokens[i + 1]!];
      if (key === 'amount' || key === '积分') override.amount = count(value, tokens[i]!, POINTS_LIMITS.amount);
      else if (key === 'cap' || key === '上限') override.dailyCap = OFF.includes(value.toLowerCase()) ? null : count(value, tokens[i]!, POINTS_LIMITS.dailyCap);
      else if (key === 'cooldown' || key === '冷却') {
        if (OFF.includes(value.toLowerCase())) override.cooldownMinutes = 0;
        else {
          const ms = /^\d+$/.test(value) ? Number(value) * MINUTE_MS : parseDurationMs(value);
          if (ms === undefined || ms % MINUTE_MS !== 0) throw badFormat({ typed: tokens[i] }, value, '30m, 2h, off');
          if (!inRange(ms / MINUTE_MS, POINTS_LIMITS.cooldownMinutes)) throw outOfRange({ typed: tokens[i] }, value, POINTS_LIMITS.cooldownMinutes);
          override.cooldownMinutes = ms / MINUTE_MS;
        }
      } else throw new UserError('points.rules_usage');
    }
    next = { ...settings, rules: { ...settings.rules, [source]: override } };
  } else {
    throw new UserError('points.rules_unknown', { source: first, sources: RULE_SOURCES.join(', ') });
  }
  const valid = validPointsSettings(next);
  if (!valid) throw new UserError('points.rules_usage');
  await ctx.tx.points.saveSettings(group.id, valid);
  await ctx.tx.logAdminAction({ groupId: group.id, actorId: ctx.member.id, action: 'points.rules', detail: { args: args.trim() }, at: ctx.now });
  replyInChat(ctx, [say(ctx, 'points.rules_saved'), ...describeRules(valid, ctx.lang)].join('\n'));
}
