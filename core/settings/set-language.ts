import { replyInChat, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { parseLanguageArg, t } from '../i18n/translate.js';

/**
 * `/lang zh|en|auto`. In a group an admin sets the group's language (auto: each member their own); anyone else,
 * and anyone in a private chat, sets their own language.
 */
export async function setLanguage(ctx: HandlerContext, args: string): Promise<void> {
  const choice = parseLanguageArg(args);
  if (!choice) throw new UserError('lang.usage');
  if (ctx.group && ctx.isAdmin) {
    await ctx.tx.updateGroup(ctx.group.id, { language: choice === 'auto' ? null : choice });
    await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'group.language', detail: { language: choice }, at: ctx.now });
    const lang = choice === 'auto' ? ctx.member.language ?? ctx.lang : choice;
    replyInChat(ctx, t(lang, choice === 'auto' ? 'lang.set_auto' : 'lang.set_group'));
    return;
  }
  const lang = choice === 'auto' ? null : choice;
  await ctx.tx.setMemberLanguage(ctx.member.id, lang);
  replyInChat(ctx, t(lang ?? ctx.lang, 'lang.set_member'));
}
