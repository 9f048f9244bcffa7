import type { Language } from '../kernel/language.js';
import { t } from '../i18n/translate.js';
import type { Button } from '../replies.js';
import type { BuyRecord } from '../store.js';
import { formatDateTime } from '../time/parse-when.js';
import { goalWindow } from './like-goal.js';
import type { LikeTaskCompletionRecord, LikeTaskRecord, ShareRecord } from './like-store.js';
import { formatDuration } from '../i18n/words.js';

export interface ShareCardInput {
  share: ShareRecord;
  authorName: string;
  buy: BuyRecord | null;
  /** The group's active like tasks. */
  tasks: LikeTaskRecord[];
  /** Goals this share reached (also of tasks ended since). */
  completions: LikeTaskCompletionRecord[];
  timeZone: string;
  now: Date;
}

/** The live card of a share: who, what, about which buy, likes, progress toward each active goal, the Like button. */
export function renderShareCard(input: ShareCardInput, lang: Language): { text: string; buttons: Button[][]; photo?: { fileId: string } } {
  const { share, buy, now } = input;
  const lines = [
    buy
      ? t(lang, 'likes.card_title_buy', { shareId: share.id, name: input.authorName, buyId: buy.id, title: buy.title })
      : t(lang, 'likes.card_title', { shareId: share.id, name: input.authorName }),
  ];
  if (share.text) lines.push('', share.text);
  lines.push('', t(lang, 'likes.card_count', { count: share.likeCount }));
  const reached = new Set(input.completions.map((c) => c.taskId));
  for (const task of input.tasks) {
    const within = formatDuration(lang, task.withinMinutes * 60_000);
    if (reached.has(task.id)) {
      lines.push(t(lang, 'likes.card_goal_reached', { goal: task.goalLikes, reward: task.rewardPoints }));
      continue;
    }
    const { end } = goalWindow(task, share);
    if (end.getTime() < now.getTime()) {
      lines.push(t(lang, 'likes.card_goal_missed', { goal: task.goalLikes, within, count: Math.min(share.likeCount, task.goalLikes) }));
    } else {
      lines.push(t(lang, 'likes.card_goal', {
        count: Math.min(share.likeCount, task.goalLikes), goal: task.goalLikes, within, until: formatDateTime(end, input.timeZone), reward: task.rewardPoints,
      }));
    }
  }
  lines.push(t(lang, 'likes.card_footer'));
  const buttons: Button[][] = [[{ label: t(lang, 'likes.button_like', { count: share.likeCount }), action: `lk:${share.id}`, style: 'primary' }]];
  return { text: lines.join('\n'), buttons, ...(share.photoFileId ? { photo: { fileId: share.photoFileId } } : {}) };
}
