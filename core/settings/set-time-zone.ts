import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { formatDateTime, normaliseTimeZone } from '../time/parse-when.js';

/** `/timezone <IANA zone>` (admins): the zone deadlines are read and shown in. */
export async function setTimeZone(ctx: HandlerContext, args: string): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  if (!args.trim()) throw new UserError('timezone.usage', { current: ctx.group.timeZone });
  if (!ctx.isAdmin) throw new UserError('generic.admin_only');
  const zone = normaliseTimeZone(args);
  if (!zone) throw new UserError('timezone.invalid', { value: args.trim() });
  await ctx.tx.updateGroup(ctx.group.id, { timeZone: zone });
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'group.timezone', detail: { timeZone: zone }, at: ctx.now });
  for (const buy of await ctx.tx.listOpenBuys(ctx.event.chat.id)) ctx.out.refreshCard(`buy:${buy.id}`);
  replyInChat(ctx, say(ctx, 'timezone.set', { zone, now: formatDateTime(ctx.now, zone) }));
}
