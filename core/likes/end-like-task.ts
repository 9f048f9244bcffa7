import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';

/** `/endliketask <id>` (admins): the task stops counting; rewards already given stay. */
export async function endLikeTask(ctx: HandlerContext, taskId: number | undefined): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  if (taskId === undefined) throw new UserError('likes.endtask_usage');
  const task = await ctx.tx.likes.getTask(taskId, { lock: true });
  if (!task || task.groupId !== ctx.group.id) throw new UserError('likes.task_not_found', { taskId });
  if (!task.active) throw new UserError('likes.task_already_ended', { taskId: task.id });
  await ctx.tx.likes.endTask(task.id, ctx.now);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'likes.task_end', detail: { taskId: task.id }, at: ctx.now });
  replyInChat(ctx, say(ctx, 'likes.task_ended', { taskId: task.id }));
}
