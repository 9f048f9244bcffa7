/**
 * Members' data rights scenarios every chat adapter must pass: /mydata sends the member's data file and a summary
 * privately (from the group and in private); /forgetme asks, only the member may confirm, and afterwards the
 * leaderboard shows the same points under an anonymous name; an admin does both for a member on request (the data
 * goes to the member); the bot's cards that showed the member (a buy's card, their share card) are edited to show
 * the anonymous name and none of their text. Played by tests/telegram/privacy.e2e.test.ts and tests/discord/privacy.e2e.test.ts.
 */
import { said, type MemberSpec, type Scenario } from './scenario.js';

const cast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  zoe: { name: 'Zephyrine Quist', username: 'zqsubject' },
  bob: { name: 'Bob', username: 'bob' },
};

const summary = said(
  /^🔐 What I hold about you\nName: Zephyrine Quist \(@zqsubject\) · id \w+:\d+ · language en\nGroups: 1 · sign-ups: 0 · purchases: 0\nPoints: 1 ledger entry, 5 points in all · badges: \d+ · check-ins: 1\n/,
  /^🔐 我保存的关于你的数据\n名字：Zephyrine Quist \(@zqsubject\) · id \w+:\d+ · 语言 zh-CN\n群：1 · 报名：0 · 购买：0\n积分：1 条记录，共 5 分 · 徽章：\d+ · 签到：1\n/,
);
const dataFile = {
  to: 'zoe',
  filename: /^my-data\.json$/,
  header: '{',
  contains: [/"displayName": "Zephyrine Quist"/, /"CheckIn": \[\n\s+\{/],
};
const eraseQuestion = said(/^Erase your personal data\? /, /^删除你的个人数据吗？/);
const erased = said(/^Done: your personal data is erased\./, /^完成：你的个人数据已删除。/);
const notYours = said(/^This button is not for you\.$/, /^这个按钮不是给你的。$/);

export const privacyScenarios: Scenario[] = [
  {
    name: 'a member gets their data privately, then erases it: only they can confirm, and the leaderboard keeps their points anonymously',
    members: cast,
    steps: [
      { as: 'zoe', command: '/checkin' },
      { as: 'bob', command: '/checkin' },
      { as: 'zoe', command: '/mydata' },
      { expect: { document: dataFile, dm: { to: 'zoe', matches: summary } } },
      { expect: { groupMessage: said(/^Zephyrine Quist, I've sent it to you privately\.$/, /^Zephyrine Quist，已私信发给你。$/) }, only: { privateRepliesInPlace: false } },
      { as: 'zoe', command: '/mydata', in: 'private' },
      { expect: { document: dataFile, dm: { to: 'zoe', matches: summary } } },
      { as: 'zoe', command: '/forgetme' },
      { expect: { card: [eraseQuestion], cardButtonLabels: [said(/^Erase$/, /^删除$/), said(/^Keep$/, /^保留$/)] } },
      { as: 'bob', press: 'cf:ok', on: 'group' },
      { expect: { toast: { to: 'bob', matches: notYours }, checkIns: 2 } },
      { as: 'zoe', press: 'cf:ok', on: 'group' },
      // The answered question does not repeat her name.
      { expect: { groupMessage: erased, cardButtons: [], card: [said(/^Confirmed: erasing\.$/, /^已确认：正在删除。$/)], checkIns: 2 } },
      { as: 'bob', command: '/top all' },
      { expect: { announcement: said(/^🏆 All-time top\n.*(anon-\d+: 5\n.*Bob: 5|Bob: 5\n.*anon-\d+: 5)$/, /^🏆 总排行\n.*(anon-\d+：5\n.*Bob：5|Bob：5\n.*anon-\d+：5)$/) } },
    ],
  },
  {
    name: 'an admin sends a member their data and erases it on their request; a member cannot do it for someone else',
    members: cast,
    steps: [
      { as: 'zoe', command: '/checkin' },
      { as: 'zoe', command: '/start', in: 'private' },
      { as: 'bob', command: '/forgetme @zqsubject' },
      { expect: { groupMessage: said(/^Only group admins can do this for another member/, /^只有群管理员能应其他成员的请求代为办理/) } },
      { as: 'admin', command: '/mydata @zqsubject' },
      {
        expect: {
          groupMessage: said(/^Sent Zephyrine Quist their data privately/, /^已私信把数据发给 Zephyrine Quist 本人/),
          document: dataFile,
          dm: { to: 'zoe', matches: summary },
          noDmTo: ['admin', 'bob'],
        },
      },
      { as: 'admin', command: '/forgetme @zqsubject' },
      { expect: { card: [said(/^Erase Zephyrine Quist's personal data, on their request\?/, /^应 Zephyrine Quist 本人的请求删除其个人数据吗？/)] } },
      { as: 'zoe', press: 'cf:ok', on: 'group' },
      { expect: { toast: { to: 'zoe', matches: notYours } } },
      { as: 'admin', press: 'cf:ok', on: 'group' },
      { expect: { groupMessage: said(/^Done: the member's personal data is erased;/, /^完成：该成员的个人数据已删除；/), cardButtons: [], checkIns: 1 } },
    ],
  },
  {
    name: 'after an erasure, the buy card that listed the member and their share card show the anonymous name and none of their text',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Strawberries | 10 | min 1 | max 50 | ends 2h' },
      { as: 'zoe', command: '/join 1' },
      { as: 'bob', command: '/join 2' },
      { advanceClock: '2h', runDueJobs: true },
      { as: 'zoe', command: '/share Zq velvet bowl' },
      { expect: { cardNumber: 1, card: [/Zephyrine Quist/] } },
      { expect: { cardNumber: 2, card: [/Zephyrine Quist/, /Zq velvet bowl/] } },
      { as: 'zoe', command: '/forgetme' },
      { as: 'zoe', press: 'cf:ok', on: 'group' },
      { expect: { groupMessage: erased } },
      { expect: { cardNumber: 1, card: [/anon-\d+/, /Bob/], cardNot: [/Zephyrine/, /zqsubject/] } },
      { expect: { cardNumber: 2, card: [/anon-\d+/], cardNot: [/Zephyrine/, /Zq velvet bowl/] } },
    ],
  },
];
