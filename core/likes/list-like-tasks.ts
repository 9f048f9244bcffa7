import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { formatDuration } from '../i18n/words.js';

/** `/liketasks`: the group's active like tasks, with how many shares reached each and codes left. */
export async function listLikeTasks(ctx: HandlerContext): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const tasks = await ctx.tx.likes.listActiveTasks(ctx.group.id);
  if (tasks.length === 0) {
    replyInChat(ctx, say(ctx, 'likes.tasks_none'));
    return;
  }
  const lines = [say(ctx, 'likes.tasks_title')];
  for (const task of tasks) {
    const completions = await ctx.tx.likes.listCompletions(task.id);
    const codesLeft = task.rewardCodes.length - completions.filter((c) => c.rewardCode !== null).length;
    lines.push(say(ctx, 'likes.tasks_line', {
      taskId: task.id, goal: task.goalLikes, within: formatDuration(ctx.lang, task.withinMinutes * 60_000), reward: task.rewardPoints, reached: completions.length,
    }) + (task.rewardCodes.length > 0 ? say(ctx, 'likes.tasks_codes_left', { left: codesLeft }) : ''));
  }
  replyInChat(ctx, lines.join('\n'));
}
