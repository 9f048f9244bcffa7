import { memberLanguage, type UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import { awardPoints } from '../points/award-points.js';
import { likeLanguage } from './like-cards.js';
import { readLikeSettings, WARNINGS_TO_EXCLUDE } from './like-settings.js';
import { listOf, remarks } from '../i18n/words.js';

/**
 * Ends a round that is due (its job, or the sweep): each member who liked every other share in the round
 * completed it and gets `round_complete` points once; a member whose share received likes from the round while
 * giving none gets a warning, and three active warnings leave them out of rounds until an admin lifts it. A
 * round with fewer shares than the group's minimum ends without rewards or warnings. Only likes count, never
 * what a share says. Returns false when there was nothing to do (already closed, or not due yet).
 */
export async function closeLikeRound(env: UseCaseEnv, roundId: number): Promise<boolean> {
  const round = await env.tx.likes.getRound(roundId, { lock: true });
  if (!round || round.status !== 'open' || round.endsAt.getTime() > env.now.getTime()) return false;
  const group = await env.tx.getGroup(round.groupId);
  if (!group) return false;
  await env.tx.likes.updateRound(round.id, { status: 'closed', closedAt: env.now });
  const lang = await likeLanguage(env.tx, group, round.createdById, env.defaultLanguage);
  const settings = readLikeSettings(await env.tx.likes.getSettings(group.id));
  const entries = await env.tx.likes.listEntries(round.id);
  const say = (text: string) => env.out.push({ kind: 'message', to: { chatId: round.chatId }, text });
  if (round.listChatId) env.out.refreshCard(`round:${round.id}`);

  if (entries.length < settings.minEntries) {
    say(t(lang, 'likes.round_too_small', { roundId: round.id, count: entries.length, min: settings.minEntries }));
    return true;
  }

  const participants = new Set(entries.map((e) => e.memberId));
  const completed: string[] = [];
  const missed: string[] = [];
  const warned: string[] = [];
  const excluded: string[] = [];
  for (const entry of entries) {
    const others = entries.filter((e) => e.memberId !== entry.memberId).map((e) => e.shareId);
    const gave = (await env.tx.likes.likedAmong(entry.memberId, others)).length;
    const received = (await env.tx.likes.likersOf(entry.shareId)).filter((id) => id !== entry.memberId && participants.has(id)).length;
    const done = gave === others.length;
    const warn = !done && gave === 0 && received > 0;
    await env.tx.likes.markEntry(round.id, entry.memberId, { completed: done, warned: warn });
    if (done) {
      const points = await awardPoints(env, { groupId: group.id, memberId: entry.memberId, source: 'round_complete', reference: `round:${round.id}`, key: `round_complete:${round.id}:${entry.memberId}` });
      completed.push(points > 0 ? `${entry.displayName}${remarks(lang, [`+${points}`])}` : entry.displayName);
      continue;
    }
    missed.push(entry.displayName);
    if (!warn) continue;
    await env.tx.likes.addWarning({ groupId: group.id, memberId: entry.memberId, reason: 'round_took_likes_gave_none', reference: `round:${round.id}`, at: env.now });
    const active = await env.tx.likes.activeWarnings(group.id, entry.memberId);
    warned.push(`${entry.displayName}${remarks(lang, [`${Math.min(active, WARNINGS_TO_EXCLUDE)}/${WARNINGS_TO_EXCLUDE}`])}`);
    const dmLang = memberLanguage({ language: entry.memberLanguage === 'en' || entry.memberLanguage === 'zh-CN' ? entry.memberLanguage : null }, group, env.defaultLanguage);
    const exclude = active >= WARNINGS_TO_EXCLUDE && !(await env.tx.likes.isExcluded(group.id, entry.memberId));
    if (exclude) {
      await env.tx.likes.setExcluded(group.id, entry.memberId, true);
      excluded.push(entry.displayName);
    }
    env.out.push({
      kind: 'message', to: { memberId: entry.memberId },
      text: t(dmLang, active >= WARNINGS_TO_EXCLUDE ? 'likes.warning_excluded_dm' : 'likes.warning_dm', {
        roundId: round.id, group: group.title ?? '', count: active, limit: WARNINGS_TO_EXCLUDE,
      }),
    });
  }
  const none = t(lang, 'likes.round_report_nobody');
  const lines = [
    t(lang, 'likes.round_report_title', { roundId: round.id, count: entries.length }),
    t(lang, 'likes.round_report_completed', { names: listOf(lang, completed) || none }),
  ];
  if (missed.length) lines.push(t(lang, 'likes.round_report_missed', { names: listOf(lang, missed) }));
  if (warned.length) lines.push(t(lang, 'likes.round_report_warned', { names: listOf(lang, warned) }));
  if (excluded.length) lines.push(t(lang, 'likes.round_report_excluded', { names: listOf(lang, excluded) }));
  say(lines.join('\n'));
  return true;
}
