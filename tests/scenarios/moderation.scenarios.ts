/**
 * Fake-engagement moderation scenarios every chat adapter must pass, on histories the real detector flags:
 * - a ring: six accounts (two of them members for days) like three customers' shares in lockstep; the scans raise
 *   one case, alerted privately to the admin and the moderator (one alert each) with the case's picture (a PNG) and
 *   Dismiss, Confirm and Members; Confirm takes the likes off the cards and the points paid for them back with new
 *   ledger entries, once however often it is pressed; /unflag lifts a flag;
 * - a bought burst: eight accounts new to the group like one share within minutes; the early scan raises one case;
 *   a dismissed case is not raised again by later scans;
 * - after the alert: `/flags 1` shows the case with its picture and buttons; four more bought accounts make one
 *   update naming only them (with the grown case's picture), and later scans say nothing; had the case been
 *   dismissed, the four are a case of their own, naming only them;
 * - the digest: four bursts within the hour are three alerts and a digest with an overview picture and a button
 *   per held-back case, which shows that case with its picture and buttons.
 * Played by tests/telegram/moderation.e2e.test.ts and tests/discord/moderation.e2e.test.ts.
 */
import { casePictureSize } from '../../core/moderation/case-picture.js';
import { digestPictureSize } from '../../core/moderation/digest-picture.js';
import { said, type MemberSpec, type Scenario, type Step } from './scenario.js';

/** The scenarios start on Sunday 2026-12-20, 10:00 in Shanghai. */
const startsAt = new Date(Date.UTC(2026, 11, 20, 2));

/** The ring: `r1`..`r6`, some with Chinese names (the picture labels them). */
const ringNames = ['阿强', 'Rui Two', '小美', 'Rui Four', '大刘', 'Rui Six'];
export const ringKeys = ringNames.map((_, i) => `r${i + 1}`);
const ring: Record<string, MemberSpec> = Object.fromEntries(ringNames.map((name, i) => [ringKeys[i]!, { name, username: `ring${i + 1}` }]));
/** The bought accounts: `p1`..`p8`, Pat 1 to Pat 8 (@pat1..@pat8). */
export const puppetKeys = Array.from({ length: 8 }, (_, i) => `p${i + 1}`);
const puppets: Record<string, MemberSpec> = Object.fromEntries(puppetKeys.map((key, i) => [key, { name: `Pat ${i + 1}`, username: `pat${i + 1}` }]));
/** Bought later for the same share: `p9`..`p12`. */
export const latePuppetKeys = Array.from({ length: 4 }, (_, i) => `p${i + 9}`);
const latePuppets: Record<string, MemberSpec> = Object.fromEntries(latePuppetKeys.map((key, i) => [key, { name: `Pat ${i + 9}`, username: `pat${i + 9}` }]));

export const moderationCast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  mo: { name: 'Mo', username: 'mo' },
  alice: { name: 'Alice', username: 'alice' },
  carol: { name: 'Carol', username: 'carol' },
  dave: { name: 'Dave', username: 'dave' },
  bob: { name: 'Bob', username: 'bob' },
  ...ring,
  ...puppets,
  ...latePuppets,
};

/** The digest's cast: the admin, the moderator, Alice and Bob, and 32 bought accounts (`b1`..`b32`). */
const boughtKeys = Array.from({ length: 32 }, (_, i) => `b${i + 1}`);
export const digestCast: Record<string, MemberSpec> = {
  admin: moderationCast.admin!,
  mo: moderationCast.mo!,
  alice: moderationCast.alice!,
  bob: moderationCast.bob!,
  ...Object.fromEntries(boughtKeys.map((key, i) => [key, { name: `Bo ${i + 1}`, username: `bo${i + 1}` }])),
};

const likes = (n: number) => said(new RegExp(`❤️ ${n} likes?\\b`), new RegExp(`❤️ ${n} 个赞`));
const alertButtons = [said(/^Dismiss$/, /^忽略$/), said(/^Confirm$/, /^确认$/), said(/^Members$/, /^成员$/)];

/** The admin and the moderator (named with /mod) have written before, as have Bob and two of the ring, two days ago. */
export const moderatorsAndOldMembers: Step[] = [
  { as: 'admin', command: '/checkin' },
  { as: 'mo', command: '/checkin' },
  { as: 'bob', command: '/checkin' },
  { as: 'r1', command: '/checkin' },
  { as: 'r2', command: '/checkin' },
  { as: 'admin', command: '/mod @mo' },
  { expect: { groupMessage: said(/^Mo is now a moderator\.$/, /^Mo 已成为版主。$/) } },
  { advanceClock: '2d' },
];

/** Each of `likers` presses Like on card `card`, a minute apart. */
const likeInTurn = (card: number, likers: string[]): Step[] => likers.flatMap((as): Step[] => [{ as, press: 'lk', on: { card } }, { advanceClock: '1m' }]);

/** Alice, Carol and Dave share half an hour apart; Bob likes Alice's; the ring likes each share within minutes. */
export const ringLikesThreeShares: Step[] = [
  ...moderatorsAndOldMembers,
  { as: 'alice', command: '/share Huge strawberries', photo: 'berries.jpg' },
  { as: 'bob', press: 'lk', on: { card: 1 } },
  ...likeInTurn(1, ringKeys),
  { advanceClock: '30m' },
  { as: 'carol', command: '/share Sweet peaches' },
  ...likeInTurn(2, ringKeys),
  { advanceClock: '30m' },
  { as: 'dave', command: '/share Crunchy apples' },
  ...likeInTurn(3, ringKeys),
  { expect: { cardNumber: 1, card: [likes(7)] } },
  { expect: { cardNumber: 3, card: [likes(6)] } },
];

const ringAlert = said(
  /^⚠️ Possible fake likes in .*: case 1 \(like ring\)\n6 accounts liked together: share 1, 2, 3 by Alice, Carol, Dave\.\n/,
  /^⚠️ .*疑似刷赞：案例 1（互刷团伙）\n6 个账号一起点赞：Alice, Carol, Dave 的晒单 1, 2, 3。\n/,
);

/** The scans (early after the fresh accounts' likes, then periodic) raise one case: one alert each to the admin and the moderator. */
export const ringIsAlertedOnce: Step[] = [
  { advanceClock: '7h', runDueJobs: true },
  {
    expect: {
      dm: [
        { to: 'admin', matches: ringAlert, buttons: alertButtons, picture: casePictureSize(6), kept: true },
        { to: 'mo', matches: ringAlert, buttons: alertButtons, picture: casePictureSize(6), kept: true },
      ],
      noDmTo: ['alice', 'carol', 'dave', 'bob', ...ringKeys],
    },
  },
  // Later scans find the same evidence: no second alert.
  { advanceClock: '7h', runDueJobs: true },
  { expect: { noDmTo: ['admin', 'mo'] } },
];

const burstAlert = said(
  /^⚠️ Possible fake likes in .*: case 1 \(like burst\)\n8 accounts liked together: share 1 by Alice\.\n(.*\n)*Account age at their first like here: 0\.0 h to 0\.0 h; 8 of 8 under a day\.\nWhat else they did here: 8 of 8 nothing else;/,
  /^⚠️ .*疑似刷赞：案例 1（集中刷赞）\n8 个账号一起点赞：Alice 的晒单 1。\n(.*\n)*首次在本群点赞时的账号年龄：0\.0 至 0\.0 小时，其中 8\/8 个不到一天。\n他们在本群的其他活动：8\/8 个账号别无其他活动；/,
);

/** Alice shares; Bob likes it; eight accounts new to the group like it within minutes; the early scan alerts once each. */
export const burstOnAliceShare: Step[] = [
  ...moderatorsAndOldMembers,
  { as: 'alice', command: '/share Huge strawberries', photo: 'berries.jpg' },
  { as: 'bob', press: 'lk' },
  { advanceClock: '10m' },
  ...puppetKeys.flatMap((as): Step[] => [{ as, press: 'lk' }, { advanceClock: '1m' }]),
  { expect: { card: [likes(9)] } },
  { advanceClock: '3m', runDueJobs: true },
  {
    expect: {
      dm: [
        { to: 'admin', matches: burstAlert, buttons: alertButtons, picture: casePictureSize(8), kept: true },
        { to: 'mo', matches: burstAlert, buttons: alertButtons, picture: casePictureSize(8), kept: true },
      ],
      noDmTo: ['alice', 'bob', ...puppetKeys],
    },
  },
];

/** Four more bought accounts like Alice's share, a minute apart; the early scan runs. */
const latePuppetsLike: Step[] = [...latePuppetKeys.flatMap((as): Step[] => [{ as, press: 'lk' }, { advanceClock: '1m' }]), { advanceClock: '3m', runDueJobs: true }];

const grownUpdate = said(
  /^⚠️ Case 1 \(like burst\) in .* gained 4 accounts since its alert: Pat 9, Pat 10, Pat 11, Pat 12\.\n12 accounts liked together: share 1 by Alice\.\n/,
  /^⚠️ .*的案例 1（集中刷赞）在提醒之后新增 4 个账号：Pat 9, Pat 10, Pat 11, Pat 12。\n12 个账号一起点赞：Alice 的晒单 1。\n/,
);

const newcomersCase = said(
  /^⚠️ Possible fake likes in .*: case 2 \(like burst\)\n4 accounts liked together: share 1 by Alice\.\n(.*\n)*It grew out of case 1 \(dismissed by Mo\): only what is new since is in this case\./,
  /^⚠️ .*疑似刷赞：案例 2（集中刷赞）\n4 个账号一起点赞：Alice 的晒单 1。\n(.*\n)*它由 案例 1（已由 Mo 忽略） 扩展而来：本案例只包含此后新出现的部分。/,
);

const digestMessage = said(
  /^⚠️ 1 more possible fake-like case in .*:\n#4 like burst: 8 accounts, share 4\nPress a case for its picture and buttons, or send \/flags <id>\.$/,
  /^⚠️ .* 另有 1 个疑似刷赞案例（每小时只单独提醒几次）：\n#4 集中刷赞：8 个账号，晒单 4\n点案例按钮查看其图片和操作按钮，或发送 \/flags <编号>。$/,
);
const case4Alert = said(/^⚠️ Possible fake likes in .*: case 4 \(like burst\)\n8 accounts liked together: share 4 by Alice\./, /^⚠️ .*疑似刷赞：案例 4（集中刷赞）\n8 个账号一起点赞：Alice 的晒单 4。/);

export const moderationScenarios: Scenario[] = [
  {
    name: 'a ring is one alert with its picture; Confirm takes the likes and their points back, once; /unflag lifts',
    members: moderationCast,
    startsAt,
    // Some fifty acts each, through a real bot and its fake server.
    timeoutMs: 180_000,
    steps: [
      ...ringLikesThreeShares,
      ...ringIsAlertedOnce,
      { as: 'mo', press: 'mod:members', on: 'private' },
      {
        expect: {
          dm: {
            to: 'mo',
            matches: said(
              /^Case 1: the accounts and shares\nWhy, for all of them: one of 6 accounts liking the same 3 shares in lockstep .*\n(• .* @ring\d \(score [01]\.\d\d\): account (48|0) h old at its first like in the case\n){6}Shares: 1 by Alice, 2 by Carol, 3 by Dave$/,
              /^案例 1：涉及的账号和晒单\n共同的理由：one of 6 accounts .*\n(• .* @ring\d（可疑度 [01]\.\d\d）：account (48|0) h old .*\n){6}涉及：Alice 的晒单 1, Carol 的晒单 2, Dave 的晒单 3$/,
            ),
          },
        },
      },
      { as: 'admin', press: 'mod:confirm', on: 'private' },
      {
        expect: {
          toast: { to: 'admin', matches: said(/^Case 1 confirmed: 18 likes removed, 36 points taken back, 6 accounts left out of rounds and like tasks until \/unflag\.$/, /^案例 1 已确认：移除 18 个赞，扣回 36 积分，6 个账号/) },
          cardNumber: 1,
          card: [likes(1)],
          points: { reason: 'moderation_reversal', entries: Array.from({ length: 36 }, () => ({ amount: -1, by: 'admin' })) },
        },
      },
      { expect: { cardNumber: 3, card: [likes(0)] } },
      // Pressed again, by the moderator this time: already handled, nothing taken back twice.
      { as: 'mo', press: 'mod:confirm', on: 'private' },
      {
        expect: {
          toast: { to: 'mo', matches: said(/^Case 1 was already handled \(confirmed by Anna\)\. Nothing was changed\.$/, /^案例 1 已经处理过（已由 Anna 确认），没有做任何更改。$/) },
          cardNumber: 1,
          card: [likes(1)],
          points: { reason: 'moderation_reversal', entries: Array.from({ length: 36 }, () => ({ amount: -1 })) },
        },
      },
      { as: 'admin', command: '/flags' },
      { expect: { dm: { to: 'admin', matches: said(/^No open fake-engagement cases\.$/, /^没有未处理的刷赞嫌疑案例。$/) } } },
      { as: 'r1', command: '/flags' },
      { expect: { groupMessage: said(/only group admins and moderators/, /管理员/) } },
      { as: 'mo', command: '/unflag @ring1' },
      { expect: { groupMessage: said(/^Lifted the flag of 阿强/, /^已解除 阿强 的标记/) } },
    ],
  },
  {
    name: 'a bought burst is one alert with its picture; a dismissed case is remembered: later scans raise nothing',
    members: moderationCast,
    startsAt,
    // Some fifty acts each, through a real bot and its fake server.
    timeoutMs: 180_000,
    steps: [
      ...burstOnAliceShare,
      { as: 'mo', press: 'mod:dismiss', on: 'private' },
      { expect: { toast: { to: 'mo', matches: said(/^Case 1 dismissed: it will not be raised again for the same evidence\.$/, /^案例 1 已忽略/) }, card: [likes(9)] } },
      { advanceClock: '7h', runDueJobs: true },
      { advanceClock: '7h', runDueJobs: true },
      { expect: { noDmTo: ['admin', 'mo'], card: [likes(9)], points: { reason: 'moderation_reversal', entries: [] } } },
      { as: 'admin', command: '/flags 1' },
      { expect: { dm: { to: 'admin', matches: said(/dismissed by Mo$/, /已由 Mo 忽略$/) } } },
      // A decided case keeps only its Members button (the Discord driver reads no buttons of replies shown in place).
      { expect: { dm: { to: 'admin', matches: said(/dismissed by Mo$/, /已由 Mo 忽略$/), buttons: [said(/^Members$/, /^成员$/)] } }, only: { privateRepliesInPlace: false } },
    ],
  },
  {
    name: '/flags <id> shows the case with its picture; a case that grows after its alert gets one update naming only the new accounts',
    members: moderationCast,
    startsAt,
    timeoutMs: 180_000,
    steps: [
      ...burstOnAliceShare,
      { as: 'admin', command: '/flags 1' },
      { expect: { dm: { to: 'admin', matches: burstAlert, buttons: alertButtons, picture: casePictureSize(8) } } },
      ...latePuppetsLike,
      {
        expect: {
          dm: [
            { to: 'admin', matches: grownUpdate, buttons: alertButtons, picture: casePictureSize(12), kept: true },
            { to: 'mo', matches: grownUpdate, buttons: alertButtons, picture: casePictureSize(12), kept: true },
          ],
          noDmTo: ['alice', 'bob', ...puppetKeys, ...latePuppetKeys],
        },
      },
      // Nothing new: later scans say nothing.
      { advanceClock: '7h', runDueJobs: true },
      { advanceClock: '7h', runDueJobs: true },
      { expect: { noDmTo: ['admin', 'mo'] } },
    ],
  },
  {
    name: 'new accounts around a dismissed case are raised as a case of their own, naming only them',
    members: moderationCast,
    startsAt,
    timeoutMs: 180_000,
    steps: [
      ...burstOnAliceShare,
      { as: 'mo', press: 'mod:dismiss', on: 'private' },
      ...latePuppetsLike,
      {
        expect: {
          dm: [
            { to: 'admin', matches: newcomersCase, buttons: alertButtons, picture: casePictureSize(4), kept: true },
            { to: 'mo', matches: newcomersCase, buttons: alertButtons, picture: casePictureSize(4), kept: true },
          ],
          noDmTo: ['alice', 'bob', ...puppetKeys, ...latePuppetKeys],
        },
      },
      { advanceClock: '7h', runDueJobs: true },
      { expect: { noDmTo: ['admin', 'mo'] } },
    ],
  },
  {
    name: 'cases beyond three an hour come in a digest with an overview picture and a button that shows each case',
    members: digestCast,
    startsAt,
    timeoutMs: 240_000,
    steps: [
      ...moderatorsAndOldMembers.filter((s) => !('as' in s) || ['admin', 'mo', 'bob'].includes(s.as)),
      ...[1, 2, 3, 4].map((n): Step => ({ as: 'alice', command: `/share Strawberries, box ${n}` })),
      ...[1, 2, 3, 4].flatMap((card) => boughtKeys.slice((card - 1) * 8, card * 8).flatMap((as): Step[] => [{ as, press: 'lk', on: { card } }, { advanceClock: '1m' }])),
      { advanceClock: '3m', runDueJobs: true },
      { expect: { dm: { to: 'admin', matches: said(/case 3 \(like burst\)/, /案例 3（集中刷赞）/), picture: casePictureSize(8), kept: true } } },
      { advanceClock: '61m', runDueJobs: true },
      {
        expect: {
          dm: [
            { to: 'admin', matches: digestMessage, buttons: [said(/^Case 4$/, /^案例 4$/)], picture: digestPictureSize(1), kept: true },
            { to: 'mo', matches: digestMessage, buttons: [said(/^Case 4$/, /^案例 4$/)], picture: digestPictureSize(1), kept: true },
          ],
          noDmTo: ['alice', 'bob', ...boughtKeys],
        },
      },
      { as: 'mo', press: 'mod:show', on: 'private' },
      { expect: { dm: { to: 'mo', matches: case4Alert, buttons: alertButtons, picture: casePictureSize(8) } } },
    ],
  },
];
