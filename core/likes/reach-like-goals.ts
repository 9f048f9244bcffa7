import { memberLanguage, type UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import { awardPoints } from '../points/award-points.js';
import { likeLanguage } from './like-cards.js';
import { withinWindow } from './like-goal.js';
import { readLikeSettings } from './like-settings.js';
import type { ShareRecord } from './like-store.js';

/**
 * After a like: pays each active task whose goal the share has now reached inside its window, once per task and
 * share (the completion row and the award key both say so), and hands out the task's next unused unlock code
 * when the group allows codes, unless the author is flagged (core/moderation). Call with the share's row locked.
 * What the share says plays no part.
 */
export async function reachLikeGoals(env: UseCaseEnv, share: ShareRecord): Promise<void> {
  const tasks = await env.tx.likes.listActiveTasks(share.groupId);
  if (tasks.length === 0) return;
  // An author whose fake likes a moderator confirmed is left out of like tasks until /unflag.
  if (await env.tx.moderation.isFlagged(share.groupId, share.memberId)) return;
  const done = new Set((await env.tx.likes.completionsOfShare(share.id)).map((c) => c.taskId));
  const group = await env.tx.getGroup(share.groupId);
  const author = await env.tx.getMember(share.memberId);
  if (!group || !author) return;
  const settings = readLikeSettings(await env.tx.likes.getSettings(group.id));
  for (const candidate of tasks) {
    if (done.has(candidate.id) || share.likeCount < candidate.goalLikes || !withinWindow(candidate, share, env.now)) continue;
    // The task's row is locked while a code is picked, so two shares finishing at once never get the same code.
    const task = await env.tx.likes.getTask(candidate.id, { lock: true });
    if (!task?.active) continue;
    let code: string | null = null;
    if (settings.unlockCodes && task.rewardCodes.length > 0) {
      const used = new Set((await env.tx.likes.listCompletions(task.id)).map((c) => c.rewardCode));
      code = task.rewardCodes.find((c) => !used.has(c)) ?? null;
    }
    if (!(await env.tx.likes.addCompletion({ taskId: task.id, shareId: share.id, memberId: share.memberId, rewardCode: code, completedAt: env.now }))) continue;
    const points = await awardPoints(env, {
      groupId: group.id, memberId: share.memberId, source: 'like_goal', reference: `like_task:${task.id}`, key: `like_goal:${task.id}:${share.id}`, amount: task.rewardPoints,
    });
    const dmLang = memberLanguage(author, group, env.defaultLanguage);
    const lines = [t(dmLang, 'likes.goal_reached_dm', { shareId: share.id, goal: task.goalLikes, points, group: group.title ?? '' })];
    if (code) lines.push(t(dmLang, 'likes.goal_code_dm', { code }));
    else if (settings.unlockCodes && task.rewardCodes.length > 0) lines.push(t(dmLang, 'likes.goal_codes_gone_dm'));
    env.out.push({ kind: 'message', to: { memberId: share.memberId }, text: lines.join('\n') });
    const groupLang = await likeLanguage(env.tx, group, share.memberId, env.defaultLanguage);
    env.out.push({ kind: 'message', to: { chatId: share.chatId }, text: t(groupLang, 'likes.goal_reached_group', { name: author.displayName, shareId: share.id, goal: task.goalLikes }) });
  }
}
