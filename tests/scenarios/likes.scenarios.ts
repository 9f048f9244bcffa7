/**
 * Shares and likes scenarios every chat adapter must pass: a share card with the member's photo, likes by button and
 * by native reaction (once each, taken back by removing the reaction), a like goal paid once with an unlock code,
 * and a like-for-like round reported at its end. Played by tests/telegram/likes.e2e.test.ts and
 * tests/discord/likes.e2e.test.ts.
 */
import { said, type MemberSpec, type Scenario, type Step } from './scenario.js';

/** Sunday 2026-12-20 10:00 in Shanghai. */
const SUNDAY = new Date('2026-12-20T02:00:00Z');

const cast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  alice: { name: 'Alice', username: 'alice' },
  bob: { name: 'Bob', username: 'bob' },
  wang: { name: '王芳', username: 'wangfang' },
};

const shareUsage = said(/^Usage: \/share \[#buy-id\] <text>, with a photo attached \(or as a reply to your photo\)\.$/, /^用法：\/share \[#团购编号\] 文字，并附上图片（或回复你自己的图片）。$/);
const oneLike = said(/❤️ 1 like\b/, /❤️ 1 个赞/);

/** Alice shares a photo of her strawberries: the steps the platform-specific share tests start from. */
export const aliceSharesAPhoto: Step[] = [{ as: 'alice', command: '/share Huge strawberries', photo: 'berries.jpg' }];

export const likesScenarios: Scenario[] = [
  {
    name: 'a member shares a photo; presses and reactions like it once each; the card follows in place, photo kept',
    members: cast,
    startsAt: SUNDAY,
    steps: [
      ...aliceSharesAPhoto,
      {
        expect: {
          cardsPosted: 1,
          card: [said(/^📣 Share 1 by Alice$/m, /^📣 晒单 1 · Alice$/m), /Huge strawberries/],
          cardPhoto: 'berries.jpg',
          cardButtonLabels: [said(/^❤️ Like \(0\)$/, /^❤️ 点赞（0）$/)],
          shares: [{ by: 'alice', photo: 'berries.jpg', card: 1 }],
        },
      },
      { as: 'bob', press: 'lk' },
      {
        expect: {
          toast: { to: 'bob', matches: said(/^You like share 1 \(1\)\. Press again to unlike\.$/, /^已赞晒单 1（1）。再按一次取消。$/) },
          card: [oneLike],
          cardEdited: true,
          cardsPosted: 1,
        },
      },
      // Bob already likes it: his reaction adds nothing. Anna's reaction is a like.
      { as: 'bob', react: '👍' },
      { expect: { card: [oneLike] } },
      { as: 'admin', react: '❤️' },
      { expect: { card: [said(/❤️ 2 likes/, /❤️ 2 个赞/)], cardButtonLabels: [said(/^❤️ Like \(2\)$/, /^❤️ 点赞（2）$/)], cardPhoto: 'berries.jpg' } },
      // Anna takes her reaction back: an unlike.
      { as: 'admin', unreact: '❤️' },
      { expect: { card: [oneLike], cardPhoto: 'berries.jpg' } },
      { as: 'alice', press: 'lk' },
      {
        expect: {
          toast: { to: 'alice', matches: said(/^This is your own share: only likes from others count\.$/, /^这是你自己的晒单：只有别人的赞才算数。$/), alert: true },
          card: [oneLike],
          likeEvents: [['like', 'button'], ['like', 'reaction'], ['unlike', 'reaction']],
        },
      },
    ],
  },

  {
    name: 'a share needs words or a photo; words alone make a card without a photo',
    members: cast,
    startsAt: SUNDAY,
    steps: [
      { as: 'wang', command: '/share' },
      { expect: { groupMessage: shareUsage, cardsPosted: 0, shares: [] } },
      { as: 'wang', command: '/share 很甜' },
      { expect: { card: [said(/^📣 Share 1 by 王芳$/m, /^📣 晒单 1 · 王芳$/m), /很甜/], cardPhoto: null, shares: [{ by: 'wang', photo: null, card: 1 }] } },
    ],
  },

  {
    name: 'in Chinese, a member shares the photo she posted, not someone else’s; a like goal pays her once, with an unlock code',
    languages: ['zh'],
    members: { ...cast, admin: { ...cast.admin!, language: 'en' }, bob: { ...cast.bob!, language: 'en' } },
    startsAt: SUNDAY,
    steps: [
      { as: 'admin', command: '/lang zh' },
      { expect: { announcement: /^好的：本群将使用简体中文。$/ } },
      { as: 'admin', command: '/liketask 目标 1 | 24小时内 | 奖励 20 | 兑换码 VIP1' },
      { expect: { announcement: /^🎯 集赞任务 1：晒单在 1天内集满 1 个赞，奖励 20 积分（另送解锁码，共 1 个）。/ } },
      { as: 'wang', post: '很甜', photos: ['jam.png'], name: 'jam' },
      { expect: { noGroupMessage: /./, cardsPosted: 0 } },
      // Someone else's photo is not Alice's to share: nothing is posted, and she is told how to share.
      { as: 'alice', command: '/share', replyTo: 'jam' },
      { expect: { groupMessage: shareUsage, cardsPosted: 0, shares: [] } },
      { as: 'wang', command: '/share 很甜', replyTo: 'jam' },
      {
        expect: {
          card: [/^📣 晒单 1 · 王芳$/m, /很甜/, /🎯 集赞目标：0\/1，/],
          cardPhoto: 'jam.png',
          shares: [{ by: 'wang', photo: 'jam.png', card: 1 }],
        },
      },
      { as: 'bob', press: 'lk' },
      {
        expect: {
          card: [/✅ 已达成 1 个赞：已发放 20 积分/],
          dm: { to: 'wang', matches: /^🎉 你在「Strawberry friends」的晒单 1 集满 1 个赞：\+20 积分。[\s\S]*\n你的解锁码：VIP1$/ },
          points: { reason: 'like_goal', entries: [{ amount: 20, member: 'wang' }] },
        },
      },
    ],
  },

  {
    name: 'a like round: members drop their shares by button, the list keeps up, and the report at the end rewards and warns',
    members: cast,
    startsAt: SUNDAY,
    steps: [
      { as: 'admin', command: '/likeround 1h' },
      { expect: { cardsPosted: 1, card: [said(/^🔁 Like round 1 · until /m, /^🔁 互赞轮 1 · 截至 /m)], cardButtons: ['rd'], cardButtonLabels: [said(/^📥 Drop my latest share$/, /^📥 放入我最新的晒单$/)] } },
      { as: 'alice', command: '/share a' },
      { as: 'alice', press: 'rd', on: { card: 1 } },
      { expect: { toast: { to: 'alice', matches: said(/^Share 1 is in like round 1\.$/, /^晒单 1 已加入互赞轮 1。$/) } } },
      { as: 'bob', command: '/share b' },
      { as: 'bob', press: 'rd', on: { card: 1 } },
      { expect: { toast: { to: 'bob', matches: said(/^Share 2 is in like round 1\.$/, /^晒单 2 已加入互赞轮 1。$/) } } },
      { as: 'wang', command: '/share c' },
      { as: 'wang', press: 'rd', on: { card: 1 } },
      { expect: { toast: { to: 'wang', matches: said(/^Share 3 is in like round 1\.$/, /^晒单 3 已加入互赞轮 1。$/) }, cardNumber: 1, card: [/^3\. /m] } },
      // Alice likes both other shares (one by button, one by reaction); Bob and 王芳 like nobody, though Bob's share got a like.
      { as: 'alice', press: 'lk', on: { card: 3 } },
      { expect: { toast: { to: 'alice', matches: said(/^You like share 2 \(1\)/, /^已赞晒单 2（1）/) } } },
      { as: 'alice', react: '👍', on: { card: 4 } },
      { expect: { cardNumber: 1, card: [said(/^1\. Alice · share 1 · liked 2\/2 ✅/m, /^1\. Alice · 晒单 1 · 已赞 2\/2 ✅/m)] } },
      { advanceClock: '1h', runDueJobs: true },
      {
        expect: {
          announcement: said(
            /^(?=[\s\S]*^✅ Liked every other share: Alice\b)(?=[\s\S]*^⚠️ Warned \(received likes, gave none\): Bob \(1\/3\), 王芳 \(1\/3\)$)🔁 Like round 1 has ended \(3 shares\)\./m,
            /^(?=[\s\S]*^✅ 赞了其他每一条：Alice\b)(?=[\s\S]*^⚠️ 警告（收到赞却一个没给）：Bob（1\/3）、王芳（1\/3）$)🔁 互赞轮 1 已结束（3 条晒单）。/m,
          ),
          cardNumber: 1,
          card: [said(/^🔁 Like round 1 · ended$/m, /^🔁 互赞轮 1 · 已结束$/m)],
          cardButtons: [],
        },
      },
    ],
  },
];
