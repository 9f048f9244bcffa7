import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { readLikeSettings } from './like-settings.js';
import type { LikeTaskRecord } from './like-store.js';
import { formatDuration } from '../i18n/words.js';
import type { LikeTaskInput } from './parse-like-task.js';

/**
 * `/liketask goal 10 | within 48h | reward 50 [| codes A1,B2]` (admins): a goal every share in the group can
 * reach. Settings that would pay for likes or depend on what a share says are refused with the rule; codes are
 * refused where the group turned them off (`/likeconfig codes off`).
 */
export async function createLikeTask(ctx: HandlerContext, input: LikeTaskInput): Promise<LikeTaskRecord> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const settings = readLikeSettings(await ctx.tx.likes.getSettings(ctx.group.id));
  if (input.rewardCodes.length > 0 && !settings.unlockCodes) throw new UserError('likes.task_codes_off');
  const task = await ctx.tx.likes.createTask({ groupId: ctx.group.id, ...input, createdById: ctx.member.id, createdAt: ctx.now });
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'likes.task_create', detail: { taskId: task.id, ...input, rewardCodes: input.rewardCodes.length }, at: ctx.now });
  replyInChat(ctx, say(ctx, 'likes.task_created', {
    taskId: task.id, goal: task.goalLikes, within: formatDuration(ctx.lang, task.withinMinutes * 60_000), reward: task.rewardPoints, codes: task.rewardCodes.length,
  }));
  return task;
}
