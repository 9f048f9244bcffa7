import { replyInChat, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { languageFromHint, parseLanguageArg, t } from '../i18n/translate.js';

/**
 * `/lang zh|en|auto`, and `/lang` alone to show what is set. The rule (ADR 014): in a group the bot speaks the
 * group's language (each member's own when it has none); in private the member's own. So in a group an admin sets
 * the group's language (auto: each member their own); anyone else, and anyone in a private chat, sets their own,
 * which the platform's hint (their app's language) no longer changes (auto: follow the app again).
 */
export async function setLanguage(ctx: HandlerContext, args: string): Promise<void> {
  if (!args.trim()) return showLanguage(ctx);
  const choice = parseLanguageArg(args);
  if (!choice) throw new UserError('lang.usage');
  if (ctx.group && ctx.isAdmin) {
    await ctx.tx.updateGroup(ctx.group.id, { language: choice === 'auto' ? null : choice });
    await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'group.language', detail: { language: choice }, at: ctx.now });
    const lang = choice === 'auto' ? ctx.member.language ?? ctx.lang : choice;
    replyInChat(ctx, t(lang, choice === 'auto' ? 'lang.set_auto' : 'lang.set_group'));
    return;
  }
  const app = languageFromHint(ctx.event.actor.languageCode) ?? null;
  if (choice === 'auto') await ctx.tx.setMemberLanguage(ctx.member.id, app, false);
  else await ctx.tx.setMemberLanguage(ctx.member.id, choice, true);
  const lang = choice === 'auto' ? app ?? ctx.lang : choice;
  const own = t(lang, choice === 'auto' ? 'lang.set_member_auto' : 'lang.set_member');
  // A member cannot change the group's language: say that this group keeps its own, in both languages' terms.
  const groupKeeps = ctx.group?.language && ctx.group.language !== lang ? ` ${t(lang, 'lang.group_keeps', { group: t(ctx.group.language, 'lang.name') })}` : '';
  replyInChat(ctx, `${own}${groupKeeps}`);
}

/** `/lang` alone: the member's language and where it comes from, and the group's. */
function showLanguage(ctx: HandlerContext): void {
  const own = ctx.member.language;
  const lines = [
    own
      ? t(ctx.lang, ctx.member.languageChosen ? 'lang.show_member_chosen' : 'lang.show_member_app', { language: t(own, 'lang.name') })
      : t(ctx.lang, 'lang.show_member_none', { language: t(ctx.lang, 'lang.name') }),
  ];
  if (ctx.group) {
    lines.push(ctx.group.language ? t(ctx.lang, 'lang.show_group', { language: t(ctx.group.language, 'lang.name') }) : t(ctx.lang, 'lang.show_group_auto'));
  }
  lines.push(t(ctx.lang, 'lang.usage'));
  replyInChat(ctx, lines.join('\n'));
}
