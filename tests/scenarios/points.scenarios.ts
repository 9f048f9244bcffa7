/**
 * Points scenarios every chat adapter must pass: check-ins and streaks, /me, an admin's adjustment, the leaderboard
 * and the private ledger. Played by tests/telegram/points.e2e.test.ts and tests/discord/points.e2e.test.ts. They
 * start on Sunday 2026-12-20 at 10:00 Shanghai time, so the next day begins a new week.
 */
import { said, type MemberSpec, type Scenario } from './scenario.js';

/** Sunday 2026-12-20 10:00 in Shanghai: a day later is a new week. */
export const SUNDAY = new Date('2026-12-20T02:00:00Z');

const cast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  alice: { name: 'Alice', username: 'alice' },
  wang: { name: '王芳', username: 'wangfang', language: 'zh' },
};

const onlyAdmins = said(/^Sorry, only group admins can do that\.$/, /^抱歉，只有群管理员可以这样做。$/);

export const pointsScenarios: Scenario[] = [
  {
    name: 'a member checks in once a day, also when the platform delivers the check-in twice, and sees it in /me',
    members: cast,
    startsAt: SUNDAY,
    steps: [
      { as: 'alice', command: '/checkin', deliveredTwice: true },
      {
        expect: {
          announcement: said(
            /^✅ Alice checked in: \+5 points \(day 1 of the streak\)\.\n6 more days to the 7-day bonus\.\nBalance: 5 points\.$/,
            /^✅ Alice 签到成功：\+5 积分（连续第 1 天）。\n再签到 6 天可获得连续 7 天奖励。\n当前积分：5。$/,
          ),
          // The repeated update says nothing.
          groupMessageTimes: { matches: /./, times: 1 },
          checkIns: 1,
        },
      },
      { as: 'alice', command: '/checkin' },
      {
        expect: {
          announcement: said(
            /^Alice, you have already checked in today \(streak: 1 day\)\. Come back tomorrow!$/,
            /^Alice，你今天已经签到过了（已连续 1 天），明天再来吧！$/,
          ),
          groupMessageTimes: { matches: /./, times: 1 },
          checkIns: 1,
        },
      },
      { advanceClock: '1d' },
      { as: 'alice', command: '/checkin' },
      { expect: { announcement: said(/day 2 of the streak/, /连续第 2 天/), groupMessageTimes: { matches: /./, times: 1 } } },
      { as: 'alice', command: '/me' },
      {
        expect: {
          announcement: said(
            /^📇 Alice\nPoints: 10 \(this week: 5\)\nLevel: V1\nNext, V2: spend ¥0\.00\/¥200\.00, or orders 0\/3 in 90 days\nStreak: 2 days, checked in today ✅\nBadges: none yet$/,
            /^📇 Alice\n积分：10（本周 5）\n等级：V1\n下一级 V2：消费 ¥0\.00\/¥200\.00，或 90 天内订单 0\/3\n连签：2 天，今天已签到 ✅\n徽章：暂无$/,
          ),
          groupMessageTimes: { matches: /./, times: 1 },
          checkIns: 2,
        },
      },
    ],
  },

  {
    name: 'a Chinese member checks in and is reminded the next day to keep the streak',
    members: cast,
    startsAt: SUNDAY,
    languages: ['zh'],
    steps: [
      { as: 'wang', command: '/checkin' },
      { expect: { announcement: /^✅ 王芳 签到成功：\+5 积分（连续第 1 天）。\n再签到 6 天可获得连续 7 天奖励。\n当前积分：5。$/ } },
      { advanceClock: '1d' },
      { as: 'wang', command: '/me' },
      { expect: { announcement: [/积分：5（本周 0）/, /连签：1 天。今天记得 \/checkin 签到，别断签哦！/] } },
    ],
  },

  {
    name: 'an admin adjusts a member’s points, which a member cannot; the leaderboard ranks them; the ledger is private',
    members: cast,
    startsAt: SUNDAY,
    steps: [
      { as: 'alice', command: '/checkin' },
      // 王芳 speaks in the group first, so it knows her by her handle.
      { as: 'wang', command: '/me' },
      { as: 'admin', command: '/points @wangfang +20 helped at the pickup' },
      {
        expect: {
          announcement: said(
            /^Anna adjusted 王芳's points by \+20 \(helped at the pickup\)\. 王芳 now has 20 points\.$/,
            /^Anna 为 王芳 调整积分 \+20（helped at the pickup）。王芳 现有 20 积分。$/,
          ),
          points: { member: 'wang', entries: [{ amount: 20, by: 'admin' }] },
        },
      },
      { as: 'alice', command: '/points @wangfang +5 x' },
      { expect: { groupMessage: onlyAdmins, points: { member: 'wang', entries: [{ amount: 20, by: 'admin' }] } } },
      // Where the platform answers one member in place, the refusal is for Alice's eyes only.
      { expect: { dm: { to: 'alice', matches: onlyAdmins } }, only: { privateRepliesInPlace: true } },
      { as: 'alice', command: '/top all' },
      { expect: { announcement: said(/^🏆 All-time top\n.*王芳: 20\n.*Alice: 5/, /^🏆 总排行\n.*王芳：20\n.*Alice：5/) } },
      { as: 'alice', command: '/ledger' },
      // The group's title: a Discord server's name, not its channel's.
      {
        expect: {
          dm: { to: 'alice', matches: said(/^📒 Points of Alice in Strawberry friends: 5\. Newest first:/, /^📒 Alice 在 Strawberry friends 的积分：5。最新在前：/) },
        },
      },
      { expect: { groupMessage: said(/^Alice, I've sent it to you privately\.$/, /^Alice，已私信发给你。$/) }, only: { privateRepliesInPlace: false } },
    ],
  },
];
