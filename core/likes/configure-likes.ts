import type { Language } from '../kernel/language.js';
import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import { likeSettingsSchema, parseLikeConfig, readLikeSettings, WARNINGS_TO_EXCLUDE, type LikeSettings } from './like-settings.js';

function describe(settings: LikeSettings, lang: Language): string {
  return [
    t(lang, 'likes.config_title'),
    t(lang, 'likes.config_min_entries', { min: settings.minEntries }),
    t(lang, settings.unlockCodes ? 'likes.config_codes_on' : 'likes.config_codes_off'),
    t(lang, 'likes.config_warnings', { limit: WARNINGS_TO_EXCLUDE }),
  ].join('\n');
}

/** `/likeconfig [show | minentries <n> | codes on|off]` (admins): the group's round and reward settings. */
export async function configureLikes(ctx: HandlerContext, args: string): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const change = parseLikeConfig(args);
  const settings = readLikeSettings(await ctx.tx.likes.getSettings(ctx.group.id));
  if (change.kind === 'show') {
    replyInChat(ctx, describe(settings, ctx.lang));
    return;
  }
  const next = likeSettingsSchema.parse({ ...settings, ...change.patch });
  await ctx.tx.likes.saveSettings(ctx.group.id, next);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'likes.config', detail: { args: args.trim() }, at: ctx.now });
  replyInChat(ctx, `${say(ctx, 'likes.config_saved')}\n${describe(next, ctx.lang)}`);
}
