/**
 * Fake-engagement moderation scenarios every chat adapter must pass: three accounts new to the group like one share
 * within minutes; the early scan raises one case, alerted privately to the admin with Dismiss, Confirm and Members;
 * Confirm takes the likes off the card and the points paid for them back with new ledger entries, once however
 * often it is pressed; a dismissed case is not raised again. Played by tests/telegram/moderation.e2e.test.ts and
 * tests/discord/moderation.e2e.test.ts.
 */
import { said, type MemberSpec, type Scenario, type Step } from './scenario.js';

/** The scenarios start on Sunday 2026-12-20, 10:00 in Shanghai. */
const startsAt = new Date(Date.UTC(2026, 11, 20, 2));

/** Three accounts that act together: `p1`..`p3`, Pat One to Pat Three (@pat1..@pat3). */
const puppets: Record<string, MemberSpec> = Object.fromEntries(['One', 'Two', 'Three'].map((word, i) => [`p${i + 1}`, { name: `Pat ${word}`, username: `pat${i + 1}` }]));
const cast: Record<string, MemberSpec> = { admin: { name: 'Anna', username: 'anna', admin: true }, alice: { name: 'Alice', username: 'alice' }, bob: { name: 'Bob', username: 'bob' }, ...puppets };

const likes = (n: number) => said(new RegExp(`❤️ ${n} likes?\\b`), new RegExp(`❤️ ${n} 个赞`));
const alert = said(/^⚠️ Possible fake likes in .*: case 1 \(like burst\)\n3 accounts liked together: share 1 by Alice\./, /^⚠️ .*疑似刷赞：案例 1（集中刷赞）\n3 个账号一起点赞：Alice 的晒单 1。/);
const alertButtons = [said(/^Dismiss$/, /^忽略$/), said(/^Confirm$/, /^确认$/), said(/^Members$/, /^成员$/)];

/** Alice shares; Bob, a member for two days, likes it; then three accounts new to the group like it within a minute. */
const ringLikesAliceShare: Step[] = [
  // The admin has spoken to the bot before (so it knows her language); Bob has been in the group for two days.
  { as: 'admin', command: '/checkin' },
  { as: 'bob', command: '/checkin' },
  { advanceClock: '2d' },
  { as: 'alice', command: '/share Huge strawberries', photo: 'berries.jpg' },
  { as: 'bob', press: 'lk' },
  { as: 'p1', press: 'lk' },
  { as: 'p2', press: 'lk' },
  { as: 'p3', press: 'lk' },
  { expect: { card: [likes(4)] } },
  // The early scan after the fresh accounts' likes raises one case, alerted to the admin only.
  { advanceClock: '3m', runDueJobs: true },
  { expect: { dm: { to: 'admin', matches: alert, buttons: alertButtons, kept: true }, noDmTo: ['alice', 'bob', 'p1', 'p2', 'p3'] } },
];

export const moderationScenarios: Scenario[] = [
  {
    name: "a burst of new accounts' likes is one alert; Confirm takes the likes and their points back, once",
    members: cast,
    startsAt,
    steps: [
      ...ringLikesAliceShare,
      // Later scans find the same evidence: no second alert.
      { advanceClock: '7h', runDueJobs: true },
      { expect: { noDmTo: ['admin'] } },
      { as: 'admin', press: 'mod:members', on: 'private' },
      { expect: { dm: { to: 'admin', matches: said(/^Case 1: the accounts and shares\n• Pat One @pat1 \(score 0\.60\): .*\n• Pat Two @pat2 .*\n• Pat Three @pat3 .*\nShares: 1 by Alice$/s, /^案例 1：涉及的账号和晒单\n• Pat One @pat1（可疑度 0\.60）：.*涉及：Alice 的晒单 1$/s) } } },
      { as: 'admin', press: 'mod:confirm', on: 'private' },
      {
        expect: {
          toast: { to: 'admin', matches: said(/^Case 1 confirmed: 3 like\(s\) removed, 6 point\(s\) taken back, 3 account\(s\) left out of rounds and like tasks until \/unflag\.$/, /^案例 1 已确认：移除 3 个赞，扣回 6 积分，3 个账号/) },
          card: [likes(1)],
          points: { reason: 'moderation_reversal', entries: [
            { amount: -1, member: 'p1', by: 'admin' }, { amount: -1, member: 'alice', by: 'admin' },
            { amount: -1, member: 'p2', by: 'admin' }, { amount: -1, member: 'alice', by: 'admin' },
            { amount: -1, member: 'p3', by: 'admin' }, { amount: -1, member: 'alice', by: 'admin' },
          ] },
        },
      },
      // Pressed again: already handled, nothing taken back twice.
      { as: 'admin', press: 'mod:confirm', on: 'private' },
      {
        expect: {
          toast: { to: 'admin', matches: said(/^Case 1 was already handled \(confirmed by Anna\)\. Nothing was changed\.$/, /^案例 1 已经处理过（已由 Anna 确认），没有做任何更改。$/) },
          card: [likes(1)],
          points: { reason: 'moderation_reversal', entries: Array.from({ length: 6 }, () => ({ amount: -1 })) },
        },
      },
      { as: 'admin', command: '/flags' },
      { expect: { dm: { to: 'admin', matches: said(/^No open fake-engagement cases\.$/, /^没有未处理的刷赞嫌疑案例。$/) } } },
      { as: 'p1', command: '/flags' },
      { expect: { groupMessage: said(/only group admins and moderators/, /管理员/) } },
      { as: 'admin', command: '/unflag @pat1' },
      { expect: { groupMessage: said(/^Lifted the flag of Pat One/, /^已解除 Pat One 的标记/) } },
    ],
  },
  {
    name: 'a dismissed case is remembered: later scans of the same evidence raise nothing',
    members: cast,
    startsAt,
    steps: [
      ...ringLikesAliceShare,
      { as: 'admin', press: 'mod:dismiss', on: 'private' },
      { expect: { toast: { to: 'admin', matches: said(/^Case 1 dismissed: it will not be raised again for the same evidence\.$/, /^案例 1 已忽略/) }, card: [likes(4)] } },
      { advanceClock: '7h', runDueJobs: true },
      { advanceClock: '7h', runDueJobs: true },
      { expect: { noDmTo: ['admin'], card: [likes(4)], points: { reason: 'moderation_reversal', entries: [] } } },
      { as: 'admin', command: '/flags 1' },
      { expect: { dm: { to: 'admin', matches: said(/dismissed by Anna$/, /已由 Anna 忽略$/) } } },
      // A decided case keeps only its Members button (the Discord driver reads no buttons of replies shown in place).
      { expect: { dm: { to: 'admin', matches: said(/dismissed by Anna$/, /已由 Anna 忽略$/), buttons: [said(/^Members$/, /^成员$/)] } }, only: { privateRepliesInPlace: false } },
    ],
  },
];
