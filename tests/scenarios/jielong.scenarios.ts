/**
 * What 接龙 and 快团团 users expect, played on every adapter (tests/telegram/group-buy.e2e.test.ts and
 * tests/discord/group-buy.e2e.test.ts): habits typed as messages (`+1`, `接龙 2`, a note after them), variants
 * (规格) with a photo and a description, notes (备注) in the export, and `/join N` asked when it could mean buy #N.
 * Where platforms differ (what the bot may overhear, typed command options) the steps name the trait.
 */
import { said, type MemberSpec, type Scenario } from './scenario.js';

const cast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  bob: { name: 'Bob', username: 'bob' },
  carol: { name: 'Carol', username: 'carol' },
  dave: { name: 'Dave', username: 'dave' },
  erin: { name: 'Erin', username: 'erin' },
  frank: { name: 'Frank', username: 'frank' },
};

export const jielongScenarios: Scenario[] = [
  {
    name: '接龙 habits: replies to the card with +1, +2 and a note, 接龙 2, 我要 3 and 参加 join the buy, each answered; other replies get a hint',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 20 | ends 2h' },
      { as: 'bob', post: '+1', replyToCard: 'card' },
      { expect: { groupMessage: said(/^Bob joined #1 ×1\.$/, /^Bob 参加了 #1 ×1。$/), card: [said(/1\. Bob ×1$/m, /1\. Bob ×1$/m)] } },
      { as: 'carol', post: '+2 不要香菜', replyToCard: 'card' },
      { expect: { groupMessage: said(/^Carol joined #1 ×2\.\nNote: 不要香菜$/, /^Carol 参加了 #1 ×2。\n备注：不要香菜$/) } },
      { as: 'dave', post: '接龙 2', replyToCard: 'card' },
      { expect: { groupMessage: said(/^Dave joined #1 ×2\.$/, /^Dave 参加了 #1 ×2。$/) } },
      { as: 'erin', post: '我要 3', replyToCard: 'card' },
      {
        expect: {
          groupMessage: said(/^Erin joined #1 ×3\.$/, /^Erin 参加了 #1 ×3。$/),
          card: [said(/Participants \(4\):\n1\. Bob ×1\n2\. Carol ×2\n3\. Dave ×2\n4\. Erin ×3/, /参团名单（4 人）：\n1\. Bob ×1\n2\. Carol ×2\n3\. Dave ×2\n4\. Erin ×3/)],
          // Notes are private: on the export and in /mybuys, not on the public card.
          cardNot: [/香菜/],
        },
      },
      { as: 'frank', post: '参加', replyToCard: 'card' },
      { expect: { groupMessage: said(/^Frank joined #1 ×1\.$/, /^Frank 参加了 #1 ×1。$/), card: [/^5\. Frank ×1$/m] } },
      { as: 'bob', post: 'when is pickup?', replyToCard: 'card' },
      { expect: { groupMessage: said(/^To join #1, reply to its card with \+1/, /^要参加 #1：回复拼团卡片 \+1/) } },
      { as: 'carol', command: '/note 周五自提' },
      { expect: { groupMessage: said(/^Your note on #1: 周五自提$/, /^你在 #1 的备注：周五自提$/) } },
      { as: 'admin', command: '/export' },
      {
        expect: {
          document: {
            to: 'admin',
            filename: /^buy-1\.csv$/,
            header: 'name,platform id,quantity,price,paid,delivered,pickup,joined at,status,variant,note,line total',
            rows: [/^Bob,.*,active,,,10\.00$/, /^Carol,.*,active,,周五自提,20\.00$/, /^Dave,.*,20\.00$/, /^Erin,.*,30\.00$/, /^Frank,.*,10\.00$/],
          },
        },
      },
    ],
  },

  {
    name: 'overheard messages join only in the exact habit forms; chat such as "+1 agreed" is left alone',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 20 | ends 2h' },
      { as: 'carol', post: '+1 agreed' },
      { as: 'dave', post: 'see you at the gate' },
      { expect: { noGroupMessage: /Carol|Dave/, cardNot: [/Carol|Dave/] } },
      // Telegram with privacy mode off shows the bot every message; Discord shows it none without Message Content.
      { as: 'bob', post: '+2' },
      { expect: { groupMessage: said(/^Bob joined #1 ×2\.$/, /^Bob 参加了 #1 ×2。$/), card: [/1\. Bob ×2/] }, only: { overhearsGroupMessages: true } },
      { expect: { noGroupMessage: /Bob/, cardNot: [/Bob/] }, only: { overhearsGroupMessages: false } },
    ],
  },

  {
    name: 'a buy with a photo, a description and variants: one button per variant, /join 2 大份 with a note, per-variant stock and waitlist, export by variant',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Mooncakes | variants 小份:10:5 大份:18:2 | min 1 | ends 2h | description Cantonese style', photo: 'mooncakes.jpg' },
      {
        expect: {
          // The photo goes just above the card, captioned with the buy; the card stays text, edited in place.
          groupMessage: /^🛒 #1 Mooncakes$/,
          cardsPosted: 1,
          card: [
            said(/^🛒 Group buy #1: Mooncakes\nCantonese style\n💰 Variants:\n· 小份 ¥10\.00 · 5 of 5 left\n· 大份 ¥18\.00 · 2 of 2 left$/m, /^🛒 拼团 #1：Mooncakes\nCantonese style\n💰 规格：\n· 小份 ¥10\.00 · 剩 5\/5 份\n· 大份 ¥18\.00 · 剩 2\/2 份$/m),
            said(/📦 ░{10} 0\/7 \(min 1\)/, /📦 ░{10} 0\/7（最少 1）/),
          ],
          cardButtons: ['join', 'join', 'leave'],
          cardButtonLabels: [/^小份 \+1$/, /^大份 \+1$/, said(/^Leave$/, /^退出$/)],
        },
      },
      { as: 'bob', press: 'join', label: said(/大份/, /大份/) },
      { expect: { toast: { to: 'bob', matches: said(/^Bob joined #1 ×1 大份\.$/, /^Bob 参加了 #1 ×1 大份。$/) } } },
      { as: 'carol', command: '/join 2 小份 备注 不要香菜' },
      { expect: { groupMessage: said(/^Carol joined #1 ×2 小份\.\nNote: 不要香菜$/, /^Carol 参加了 #1 ×2 小份。\n备注：不要香菜$/) } },
      { as: 'dave', command: '/join 2 大份' },
      {
        expect: {
          cardNumber: 2,
          card: [said(/^Dave, only 1 unit is left in #1 \(you asked for 2\)\. Take 1, or wait for 2 on the waitlist\?$/, /^Dave，#1 只剩 1 份（你要 2 份）。要先拿这 1 份，还是排队候补 2 份？$/)],
          cardButtons: ['jq', 'jw'],
        },
      },
      { as: 'dave', press: 'jw', on: { card: 2 } },
      {
        expect: {
          toast: { to: 'dave', matches: said(/^Dave is on the waitlist of #1 for ×2 \(position 1\); 1 unit is left for now\./, /^Dave 已进入 #1 的候补（×2，第 1 位）；目前还剩 1 份。/) },
          noGroupMessage: said(/is full/, /已满/),
        },
      },
      { as: 'erin', press: 'join', label: said(/大份/, /大份/), on: { card: 1 } },
      {
        expect: {
          cardNumber: 1,
          card: [said(/· 大份 ¥18\.00 · sold out \(waitlist open\)/, /· 大份 ¥18\.00 · 已售罄（可候补）/), /1\. Bob ×1 大份\n2\. Carol ×2 小份\n3\. Erin ×1 大份/],
          cardButtons: ['join', 'jw', 'leave'],
          cardButtonLabels: [/^小份 \+1$/, said(/^大份: waitlist$/, /^大份：候补$/), said(/^Leave$/, /^退出$/)],
        },
      },
      { as: 'bob', command: '/leave' },
      { as: 'erin', command: '/leave' },
      {
        expect: {
          groupMessage: said(/^From the waitlist: Dave ×2 moved in\.$/, /^候补转正：Dave ×2。$/),
          cardNumber: 1,
          card: [/1\. Carol ×2 小份\n2\. Dave ×2 大份/],
        },
      },
      { as: 'admin', command: '/export' },
      {
        expect: {
          document: {
            to: 'admin',
            filename: /^buy-1\.csv$/,
            header: 'name,platform id,quantity,price,paid,delivered,pickup,joined at,status,variant,note,line total',
            rows: [/^Carol,\w+:\d+,2,10\.00,no,no,,[\d\- :]+,active,小份,不要香菜,20\.00$/, /^Dave,\w+:\d+,2,18\.00,no,no,,[\d\- :]+,active,大份,,36\.00$/],
          },
        },
      },
      // 大份 is sold out again (Dave has both) but #1 is not full (4 of 7): the answer names the variant.
      { as: 'frank', press: 'jw', on: { card: 1 } },
      {
        expect: {
          toast: { to: 'frank', matches: said(/^"大份" is sold out in #1, so Frank is on the waitlist for it \(×1, position 1\)\./, /^#1 的“大份”已售罄，Frank 已进入它的候补（×1，第 1 位）。/) },
          noGroupMessage: said(/is full/, /已满/),
          cardNumber: 1,
          card: [said(/Waitlist \(1\):\n1\. Frank ×1 大份$/, /候补（1 人）：\n1\. Frank ×1 大份$/)],
        },
      },
    ],
  },

  {
    name: 'odd quantities as members type them: full-width digits and counting words are read; a number that is no quantity is said to be none',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 20 | ends 2h' },
      { as: 'bob', post: '＋２', replyToCard: 'card' },
      { expect: { groupMessage: said(/^Bob joined #1 ×2\.$/, /^Bob 参加了 #1 ×2。$/) } },
      { as: 'carol', command: '/join ３份' },
      { expect: { groupMessage: said(/^Carol joined #1 ×3\.$/, /^Carol 参加了 #1 ×3。$/) } },
      { as: 'erin', post: '我要两份', replyToCard: 'card' },
      { expect: { groupMessage: said(/^Erin joined #1 ×2\.$/, /^Erin 参加了 #1 ×2。$/) } },
      // It used to answer with how to join (`+-1`), or join ×1 with "two" as the note (`接龙 two`).
      { as: 'dave', post: '+-1', replyToCard: 'card' },
      { expect: { groupMessage: said(/^"-1" is not a quantity: use a whole number of at least 1\.$/, /^“-1”不是有效数量：请用不小于 1 的整数。$/) } },
      { as: 'dave', post: '接龙 two', replyToCard: 'card' },
      { expect: { groupMessage: said(/^"two" is not a quantity/, /^“two”不是有效数量/) } },
      { as: 'dave', command: '/join 2 large' },
      { expect: { groupMessage: said(/^#1 has no variants, so "large" is not something to pick\. Use \/join \[qty\]\.$/, /^#1 没有规格可选，“large”无法选择。请用 \/join \[数量\]。$/) } },
      { expect: { card: [said(/Participants \(3\):\n1\. Bob ×2\n2\. Carol ×3\n3\. Erin ×2$/, /参团名单（3 人）：\n1\. Bob ×2\n2\. Carol ×3\n3\. Erin ×2$/)], cardsPosted: 1 } },
    ],
  },

  {
    name: '/join N with several buys open asks whether N is a quantity or buy #N, where text can mean either',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 20 | ends 2h' },
      { as: 'admin', command: '/newbuy Rice | 10 | min 2 | max 20 | ends 2h' },
      { as: 'bob', command: '/join 1', only: { typedCommandOptions: false } },
      {
        expect: {
          cardNumber: 3,
          card: [said(/^Did you mean 1 unit of the newest buy #2, or joining buy #1\?/, /^你是想在最新的 #2 报 1 份，还是参加 #1 团？/)],
          cardButtonLabels: [said(/^1 of #2$/, /^#2 报 1 份$/), said(/^Join #1$/, /^参加 #1$/)],
          openBuys: 2,
        },
        only: { typedCommandOptions: false },
      },
      { as: 'bob', press: 'jq', label: said(/^Join #1$/, /^参加 #1$/), on: { card: 3 }, only: { typedCommandOptions: false } },
      { expect: { toast: { to: 'bob', matches: said(/^Bob joined #1 ×1\.$/, /^Bob 参加了 #1 ×1。$/) }, cardNumber: 1, card: [/1\. Bob ×1/] }, only: { typedCommandOptions: false } },
      // A typed form has separate fields for the quantity and the buy: nothing to ask.
      { as: 'bob', command: '/join 1', only: { typedCommandOptions: true } },
      { expect: { groupMessage: said(/^Bob joined #2 ×1\.$/, /^Bob 参加了 #2 ×1。$/) }, only: { typedCommandOptions: true } },
      { as: 'carol', command: '/join #1 2' },
      { expect: { groupMessage: said(/^Carol joined #1 ×2\.$/, /^Carol 参加了 #1 ×2。$/) } },
    ],
  },
];
