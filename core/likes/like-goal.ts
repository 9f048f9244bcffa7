import type { LikeTaskRecord, ShareRecord } from './like-store.js';

/**
 * The time a share has to reach a task's goal: from when the share was posted, or from when the task was set
 * if the share is older (a new task gives every share a fair window, not one already half spent or over).
 */
export function goalWindow(task: LikeTaskRecord, share: ShareRecord): { start: Date; end: Date } {
  const start = new Date(Math.max(task.createdAt.getTime(), share.createdAt.getTime()));
  return { start, end: new Date(start.getTime() + task.withinMinutes * 60_000) };
}

/** Whether a like counted now still falls inside the task's window (the end itself counts). */
export function withinWindow(task: LikeTaskRecord, share: ShareRecord, now: Date): boolean {
  return now.getTime() <= goalWindow(task, share).end.getTime();
}
