/**
 * Conversation scenarios every chat adapter must pass: /help short and detailed, typos and chatter in private, the
 * language rule (ADR 014) and guided dialogues that end. Played by tests/telegram/conversation.e2e.test.ts and
 * tests/discord/conversation.e2e.test.ts. Private words are posted as plain messages (on Discord a text a DM cannot
 * send as a slash command; on Telegram a text without a command entity), so both adapters meet the same input.
 */
import { said, type MemberSpec, type Scenario } from './scenario.js';

const cast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  bob: { name: 'Bob', username: 'bob' },
  carol: { name: 'Carol', username: 'carol' },
};

export const conversationScenarios: Scenario[] = [
  {
    name: '/help fits a screen, shows admin commands to admins only, and explains one command by its Chinese name',
    members: cast,
    steps: [
      { as: 'bob', command: '/help' },
      {
        expect: {
          groupMessage: said(/For everyone:\n🛒 Group buys: \/join \/note \/leave \/buys \/mybuys\n/, /所有人可用：\n🛒 拼团：\/join \/note \/leave \/buys \/mybuys\n/),
          noGroupMessage: /\/newbuy/,
        },
      },
      { as: 'admin', command: '/help' },
      { expect: { groupMessage: said(/For admins:\n🛒 Group buys: \/newbuy \/closebuy/, /管理员可用：\n🛒 拼团：\/newbuy \/closebuy/) } },
      { as: 'carol', command: '/help 参团' },
      {
        expect: {
          groupMessage: said(
            /^\/join \(参团\): Join the newest buy[^\n]*\nExamples: \/join[^\n]*\nWho: everyone\. Where: in a group\.$/,
            /^\/join（参团）：参加最新拼团[^\n]*\n示例：\/join[^\n]*\n谁可以用：所有人。在哪里用：群里。$/,
          ),
        },
      },
    ],
  },
  {
    name: 'in private a typo gets the closest command and chatter gets what the member can do, never silence',
    members: cast,
    steps: [
      // Seen in the group first: a Discord DM carries no client language (only slash commands do), so a member the
      // bot has never seen would be answered in their group's language or the default (ADR 014).
      { as: 'bob', command: '/buys' },
      { as: 'carol', command: '/buys' },
      { as: 'bob', post: '/jion 2', in: 'private' },
      { expect: { dm: { to: 'bob', matches: said(/^I don't know \/jion\. Did you mean \/join 2\?/, /^我不认识 \/jion。你是想用 \/join 2 吗？/) } } },
      { as: 'bob', post: 'hello, are you there?', in: 'private' },
      { expect: { dm: { to: 'bob', matches: said(/^I work with commands\. Here you can use \/mybuys \/lang \/review/, /^我通过命令工作。在私聊里可以用 \/mybuys \/lang \/review/) } } },
      { as: 'carol', post: 'mybuy', in: 'private' },
      { expect: { dm: { to: 'carol', matches: said(/did you mean \/mybuys\?/, /你是想用 \/mybuys 吗？/) } } },
    ],
  },
  {
    name: 'an English group: a Chinese-speaking member is answered in Chinese privately, and in English in the group',
    languages: ['en'],
    members: { ...cast, wang: { name: '王芳', username: 'wangfang', language: 'zh' } },
    steps: [
      { as: 'admin', command: '/lang en' },
      { as: 'wang', command: '/help' },
      { expect: { groupMessage: /^tuanbot: group buys inside the chat\./ } },
      { as: 'wang', command: '/help', in: 'private' },
      { expect: { dm: { to: 'wang', matches: /^tuanbot：在群里接龙拼团。/ } } },
      { as: 'bob', command: '/help', in: 'private' },
      { expect: { dm: { to: 'bob', matches: /^tuanbot: group buys inside the chat\./ } } },
    ],
  },
  {
    name: 'a Chinese group: a member\'s /lang en sets their own language, the group keeps Chinese and the bot says so',
    languages: ['zh'],
    members: cast,
    steps: [
      { as: 'admin', command: '/lang zh' },
      { as: 'bob', command: '/lang en' },
      { expect: { groupMessage: /^Done: I will speak English with you\. In this group I keep to the group's language, 简体中文, which admins set\.$/ } },
      { as: 'bob', command: '/help' },
      { expect: { groupMessage: /^tuanbot：在群里接龙拼团。/ } },
      { as: 'bob', command: '/help', in: 'private' },
      { expect: { dm: { to: 'bob', matches: /^tuanbot: group buys inside the chat\./ } } },
    ],
  },
  {
    name: 'a guided /newbuy ends when a one-line /newbuy opens a buy, and an unanswered one expires after 15 minutes',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy' },
      { expect: { question: { to: 'admin', matches: said(/What is the product title\?/, /商品标题是什么？/) } } },
      { as: 'admin', answer: 'Tea' },
      { as: 'admin', command: '/newbuy Rice | 20 | min 1 | max 9 | ends 2h' },
      { expect: { groupMessage: said(/^\(The earlier \/newbuy questions were dropped\.\)$/, /^（之前 \/newbuy 的提问已结束。）$/), cardsPosted: 1, openBuys: 1 } },
      { as: 'admin', answer: '5' },
      { expect: { noGroupMessage: /./, buysCreated: 1 } },
      { as: 'admin', command: '/newbuy' },
      { advanceClock: '16m' },
      { as: 'admin', answer: 'Tea' },
      {
        expect: {
          groupMessage: said(/^Those \/newbuy questions expired after 15 minutes without an answer, so nothing was kept\. Send \/newbuy to start again\.$/, /^\/newbuy 的提问已超过 15 分钟没有回答，已失效/),
          buysCreated: 1,
        },
      },
    ],
  },
];
