/**
 * The Settings page's forms: the group's review, points, levels, likes and reminder settings as fields holding the
 * values the chat commands take (`3d`, `22:00-08:00`, `off`), and saving a form by running, for each changed field,
 * the chat command's own use case (/reviewconfig, /pointrules, /levels, /likeconfig, /product). So a value is checked
 * by the same zod schema and refused with the same words as in the chat, audited with who changed it, and a form
 * with one bad value changes nothing (one transaction).
 */
import type { HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import { configureLikes } from '../likes/configure-likes.js';
import { readLikeSettings } from '../likes/like-settings.js';
import { reasonName } from '../points/adjust-points.js';
import { levelsCommand } from '../points/levels-command.js';
import { pointRulesCommand } from '../points/point-rules-command.js';
import { LEVELS, RULE_SOURCES, readPointsSettings, ruleFor } from '../points/points-settings.js';
import { DEFAULT_LEAD_DAYS } from '../reminders/plan-reminder.js';
import { configureProduct } from '../reminders/product-commands.js';
import { configureReviews } from '../reviews/review-config.js';
import { readReviewSettings } from '../reviews/review-settings.js';
import type { GroupRecord, StoreTx } from '../store.js';

export const SETTINGS_SECTIONS = ['reviews', 'points', 'levels', 'likes', 'reminders'] as const;
export type SettingsSectionName = (typeof SETTINGS_SECTIONS)[number];

/** One field: its form name, its label in the reader's language, and the current value as the chat command writes it. */
export interface SettingsField {
  name: string;
  label: string;
  value: string;
  /** A fixed set of values (a select). */
  choices?: { value: string; label: string }[];
  /** Fields shown as a table: the row (a point source, a level, a product) they belong to. */
  row?: string;
}

export interface SettingsSection {
  name: SettingsSectionName;
  fields: SettingsField[];
}

/** A field's value the chat command refused: the field, and the chat's refusal. */
export class SettingsRefusal extends Error {
  constructor(
    readonly section: SettingsSectionName,
    readonly field: string,
    readonly refusal: UserError,
  ) {
    super(`${section}.${field}: ${refusal.key}`);
    this.name = 'SettingsRefusal';
  }
}

/** A duration in hours as /reviewconfig takes it: whole days as `3d`, else `12h`. */
const hoursText = (hours: number) => (hours === 0 ? '0' : hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`);
/** Money as /levels takes it: `200` or `199.5`. */
const yuanText = (cents: number) => String(cents / 100);

/** The forms with the group's current values, in the reader's language. */
export async function settingsForms(tx: StoreTx, group: GroupRecord, lang: Language): Promise<SettingsSection[]> {
  const f = (name: string, label: string, value: string | number, extra: Partial<SettingsField> = {}): SettingsField => ({ name, label, value: String(value), ...extra });
  const { settings: reviews } = readReviewSettings(await tx.reviews.getSettings(group.id));
  const { settings: points } = readPointsSettings(await tx.points.getSettings(group.id));
  const likes = readLikeSettings(await tx.likes.getSettings(group.id));
  const onOff = [{ value: 'on', label: t(lang, 'web.settings.on') }, { value: 'off', label: t(lang, 'web.settings.off') }];

  const pointRows = RULE_SOURCES.flatMap((source) => {
    const rule = ruleFor(points, source)!;
    const row = `${reasonName(lang, source)} (${source})`;
    return [
      f(`${source}.amount`, t(lang, 'web.settings.field.amount'), rule.amount, { row }),
      f(`${source}.cap`, t(lang, 'web.settings.field.daily_cap'), rule.dailyCap ?? 'off', { row }),
      f(`${source}.cooldown`, t(lang, 'web.settings.field.cooldown'), rule.cooldownMinutes === 0 ? 'off' : `${rule.cooldownMinutes}m`, { row }),
    ];
  });
  const levelRows = LEVELS.flatMap((level) => [
    ...(level === 'V1' ? [] : [
      f(`${level}.spend`, t(lang, 'web.settings.field.spend', { currency: group.currency }), yuanText(points.levels[level].spendCents), { row: level }),
      f(`${level}.orders`, t(lang, 'web.settings.field.orders'), points.levels[level].orders, { row: level }),
    ]),
    f(`${level}.perk`, t(lang, 'web.settings.field.perk'), points.perks[level] ?? '', { row: level }),
  ]);
  const products = await productRows(tx, group.id, lang);
  return [
    {
      name: 'reviews',
      fields: [
        f('delay', t(lang, 'web.settings.field.delay'), hoursText(reviews.delayHours)),
        f('reminders', t(lang, 'web.settings.field.reminders'), reviews.reminders),
        f('interval', t(lang, 'web.settings.field.interval'), hoursText(reviews.reminderIntervalHours)),
        f('quiet', t(lang, 'web.settings.field.quiet'), reviews.quietHours ? `${reviews.quietHours.start}-${reviews.quietHours.end}` : 'off'),
        f('cap', t(lang, 'web.settings.field.weekly_cap'), reviews.weeklyCap),
        f('reward', t(lang, 'web.settings.field.reward'), reviews.rewardPoints),
        f('bonus', t(lang, 'web.settings.field.bonus'), reviews.richBonusPoints),
        f('minvotes', t(lang, 'web.settings.field.minvotes'), reviews.bestMinVotes),
      ],
    },
    {
      name: 'points',
      fields: [
        ...pointRows,
        f('streak', t(lang, 'web.settings.field.streak'), points.streakBonusEvery),
        f('helpful.likes', t(lang, 'web.settings.field.helpful_likes'), points.helpful.likes),
        f('helpful.members', t(lang, 'web.settings.field.helpful_members'), points.helpful.members),
      ],
    },
    { name: 'levels', fields: [...levelRows, f('window', t(lang, 'web.settings.field.window'), points.orderWindowDays)] },
    {
      name: 'likes',
      fields: [
        f('minentries', t(lang, 'web.settings.field.minentries'), likes.minEntries),
        f('codes', t(lang, 'web.settings.field.codes'), likes.unlockCodes ? 'on' : 'off', { choices: onOff }),
      ],
    },
    { name: 'reminders', fields: products },
  ];
}

/** The group's products (set by admins or bought) with what one unit lasts, the lead time and whether it is a consumable. */
async function productRows(tx: StoreTx, groupId: string, lang: Language): Promise<SettingsField[]> {
  const set = new Map((await tx.reminders.listProducts(groupId)).map((p) => [p.key, p]));
  const bought = new Set((await tx.reminders.listPurchases({ groupId })).map((p) => p.product));
  const keys = [...new Set([...set.keys(), ...bought])].sort();
  const kinds = [{ value: 'consumable', label: t(lang, 'web.settings.kind.consumable') }, { value: 'durable', label: t(lang, 'web.settings.kind.durable') }];
  return keys.flatMap((key) => {
    const p = set.get(key);
    return [
      { name: `${key}.kind`, label: t(lang, 'web.settings.field.kind'), value: p?.consumable === false ? 'durable' : 'consumable', choices: kinds, row: key },
      { name: `${key}.lasts`, label: t(lang, 'web.settings.field.lasts'), value: p?.unitDays != null ? String(p.unitDays) : '', row: key },
      { name: `${key}.lead`, label: t(lang, 'web.settings.field.lead'), value: String(p?.leadDays ?? DEFAULT_LEAD_DAYS), row: key },
    ];
  });
}

/** One chat command to run for changed fields, and the field a refusal belongs to. */
interface ChatChange {
  field: string;
  run: (ctx: HandlerContext) => Promise<void>;
  /** Levels' thresholds must not decrease: a change refused for that alone is tried again after the others. */
  retryOnOrder?: boolean;
}

/**
 * Saves one section: the changed fields (submitted values that differ from the current ones; unknown names are
 * ignored) through the chat commands, in the caller's transaction. Throws SettingsRefusal on the first value the
 * chat would refuse (the caller's transaction then changes nothing). Returns how many fields changed.
 */
export async function saveSettingsSection(ctx: HandlerContext, section: SettingsSectionName, submitted: Readonly<Record<string, string>>): Promise<number> {
  const forms = await settingsForms(ctx.tx, ctx.group!, ctx.lang);
  const fields = forms.find((s) => s.name === section)!.fields;
  const changed = new Map<string, string>();
  for (const field of fields) {
    const value = submitted[field.name];
    if (value !== undefined && value.trim() !== field.value) changed.set(field.name, value.trim());
  }
  if (changed.size === 0) return 0;
  let pending = chatChanges(section, changed);
  // Thresholds raised or lowered together may be refused one by one (V2 above V3 for a moment): retry those.
  for (let pass = 0; pending.length > 0; pass += 1) {
    const later: ChatChange[] = [];
    for (const change of pending) {
      try {
        await change.run(ctx);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        if (change.retryOnOrder && error.key === 'points.levels_invalid' && pass < pending.length) later.push(change);
        else throw new SettingsRefusal(section, change.field, error);
      }
    }
    if (later.length === pending.length) throw new SettingsRefusal(section, later[0]!.field, new UserError('points.levels_invalid'));
    pending = later;
  }
  return changed.size;
}

/** The chat commands that make these changes, as an admin would type them. */
function chatChanges(section: SettingsSectionName, changed: ReadonlyMap<string, string>): ChatChange[] {
  const byRow = new Map<string, Map<string, string>>();
  for (const [name, value] of changed) {
    const dot = name.lastIndexOf('.');
    const [row, key] = dot < 0 ? ['', name] : [name.slice(0, dot), name.slice(dot + 1)];
    byRow.set(row, (byRow.get(row) ?? new Map()).set(key, value));
  }
  const first = (row: string, keys: Map<string, string>) => (row ? `${row}.${[...keys.keys()][0]}` : [...keys.keys()][0]!);
  const out: ChatChange[] = [];
  for (const [row, keys] of byRow) {
    switch (section) {
      case 'reviews':
        for (const [key, value] of keys) out.push({ field: key, run: (ctx) => configureReviews(ctx, { setting: key, value }) });
        break;
      case 'likes':
        for (const [key, value] of keys) out.push({ field: key, run: (ctx) => configureLikes(ctx, `${key} ${value}`) });
        break;
      case 'points':
        if (row === 'helpful') {
          out.push({ field: first(row, keys), run: async (ctx) => {
            const { settings } = readPointsSettings(await ctx.tx.points.getSettings(ctx.group!.id));
            await pointRulesCommand(ctx, `helpful ${keys.get('likes') ?? settings.helpful.likes} ${keys.get('members') ?? settings.helpful.members}`);
          } });
        } else if (row === '') {
          for (const [key, value] of keys) out.push({ field: key, run: (ctx) => pointRulesCommand(ctx, `${key} ${value}`) });
        } else {
          // One source per command, each changed part with its word: `share amount 10 cap off cooldown 30m`.
          for (const [key, value] of keys) out.push({ field: `${row}.${key}`, run: (ctx) => pointRulesCommand(ctx, `${row} ${key} ${value}`) });
        }
        break;
      case 'levels':
        if (row === '') {
          for (const [key, value] of keys) out.push({ field: key, run: (ctx) => levelsCommand(ctx, `${key} ${value}`) });
          break;
        }
        for (const [key, value] of keys) {
          const field = `${row}.${key}`;
          if (key === 'perk') out.push({ field, run: (ctx) => levelsCommand(ctx, `perk ${row} ${value || 'off'}`) });
          else out.push({ field, retryOnOrder: true, run: (ctx) => levelsCommand(ctx, `set ${row} ${key} ${value}`) });
        }
        break;
      case 'reminders':
        for (const [key, value] of keys) {
          const field = `${row}.${key}`;
          if (key === 'kind') out.push({ field, run: (ctx) => configureProduct(ctx, { key: row, setting: value === 'durable' ? 'durable' : 'consumable' }) });
          else out.push({ field, run: (ctx) => configureProduct(ctx, { key: row, setting: key, value }) });
        }
        break;
    }
  }
  return out;
}

/** A recorded admin change, for the page's audit list. */
export interface AuditLine {
  at: Date;
  actorName: string;
  action: string;
  /** What was typed or set (`delay 5d`, `buyId 3`). */
  detail: string;
}

/** The group's latest admin actions (chat and dashboard alike), newest first. */
export async function recentChanges(tx: StoreTx, groupId: string, limit = 20): Promise<AuditLine[]> {
  const rows = await tx.dashboard.listAdminActions(groupId, limit);
  return rows.map((r) => ({
    at: r.at, actorName: r.actorName, action: r.action,
    detail: typeof r.detail.args === 'string' ? r.detail.args : Object.entries(r.detail).map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', '),
  }));
}
