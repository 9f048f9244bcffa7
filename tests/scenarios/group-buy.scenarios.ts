/**
 * Group-buy scenarios every chat adapter must pass (a contract test): played by tests/telegram/group-buy.e2e.test.ts
 * through the Telegram driver and by tests/discord/group-buy.e2e.test.ts through the Discord driver. Steps that
 * hold only where a platform works a certain way name the trait (`only`), never the platform. Each scenario starts
 * from an empty database in a fresh group, at 2026-03-10 10:00 Shanghai time, so the first buy is #1.
 */
import { said, type MemberSpec, type Scenario } from './scenario.js';

/** The usual cast: one admin and four members, all speaking the language the scenario is played in. */
const cast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  bob: { name: 'Bob', username: 'bob' },
  carol: { name: 'Carol', username: 'carol' },
  dave: { name: 'Dave', username: 'dave' },
  erin: { name: 'Erin', username: 'erin' },
};

const onlyAdmins = said(/Sorry, only group admins can do that\./, /抱歉，只有群管理员可以这样做。/);
const joinLeave = ['join', 'leave'];

export const groupBuyScenarios: Scenario[] = [
  {
    name: 'an admin opens a buy in one line; members join by command and button; the card follows in place',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Organic strawberries 1.5kg | 39.9 | min 10 | max 50 | ends 2h | pickup East gate' },
      {
        expect: {
          cardsPosted: 1,
          openBuys: 1,
          card: [
            said(/^🛒 Group buy #1: Organic strawberries 1\.5kg$/m, /^🛒 拼团 #1：Organic strawberries 1\.5kg$/m),
            said(/💰 Price: ¥39\.90 per unit/, /💰 单价：¥39\.90/),
            said(/📦 ░{10} 0\/50 \(min 10\)/, /📦 ░{10} 0\/50（最少 10）/),
            said(/⏰ Ends 2026-03-10 12:00 \(Asia\/Shanghai\)/, /⏰ 截止 2026-03-10 12:00（Asia\/Shanghai）/),
            said(/📍 Pickup: East gate/, /📍 自提：East gate/),
            said(/No one yet/, /还没有人参加/),
          ],
          cardButtons: joinLeave,
          cardButtonLabels: [said(/^Join \+1$/, /^参加 \+1$/), said(/^Leave$/, /^退出$/)],
          cardEdited: false,
        },
      },
      { as: 'bob', command: '/join' },
      {
        expect: {
          groupMessage: said(/^Bob joined #1 ×1\.$/, /^Bob 参加了 #1 ×1。$/),
          card: [said(/Participants \(1\):\n1\. Bob ×1$/m, /参团名单（1 人）：\n1\. Bob ×1$/m), /📦 [▓░]{10} 1\//],
          cardEdited: true,
          cardsPosted: 1,
        },
      },
      { as: 'carol', command: '/join 2' },
      {
        expect: {
          groupMessage: said(/^Carol joined #1 ×2\.$/, /^Carol 参加了 #1 ×2。$/),
          card: [/1\. Bob ×1\n2\. Carol ×2/, /📦 [▓░]{10} 3\//, said(/⏳ 7 more to reach the minimum/, /⏳ 还差 7 份成团/)],
        },
      },
      { as: 'dave', press: 'join' },
      {
        expect: {
          toast: { to: 'dave', matches: said(/^Dave joined #1 ×1\.$/, /^Dave 参加了 #1 ×1。$/), alert: false },
          noGroupMessage: /./,
          card: [/3\. Dave ×1/, /📦 [▓░]{10} 4\//, said(/Participants \(3\)/, /参团名单（3 人）/)],
          cardsPosted: 1,
          cardButtons: joinLeave,
        },
      },
      { as: 'erin', command: '/buys' },
      {
        expect: {
          groupMessage: said(
            /^Open buys:\n#1 Organic strawberries 1\.5kg · ¥39\.90 · 4\/50 · ends 2026-03-10 12:00 · \/join #1$/,
            /^进行中的拼团：\n#1 Organic strawberries 1\.5kg · ¥39\.90 · 4\/50 · 截止 2026-03-10 12:00 · \/join #1$/,
          ),
        },
      },
    ],
  },

  {
    name: 'a Chinese admin opens a buy with the Chinese one-line form; the card and replies are in Chinese',
    languages: ['zh'],
    members: {
      admin: { name: '老李', username: 'laoli', admin: true },
      ming: { name: '小明', username: 'xiaoming' },
      fang: { name: '王芳', username: 'wangfang' },
    },
    steps: [
      { as: 'admin', command: '/newbuy 有机草莓 3斤装 | 39.9 | 最少 10 | 最多 50 | 截止 2h | 限购 2 | 阶梯 20:35.9,40:32.9' },
      {
        expect: {
          openBuys: 1,
          card: [
            /^🛒 拼团 #1：有机草莓 3斤装$/m,
            /💰 单价：¥39\.90/,
            /⬇️ 再 20 份降到 ¥35\.90/,
            /📊 阶梯：20\+ ¥35\.90 · 40\+ ¥32\.90/,
            /📦 ░{10} 0\/50（最少 10）/,
            /⏰ 截止 2026-03-10 12:00（Asia\/Shanghai）/,
            /👤 每人限购 2 份/,
          ],
          cardButtonLabels: [/^参加 \+1$/, /^退出$/],
        },
      },
      { as: 'ming', command: '/join 2' },
      { expect: { groupMessage: /^小明 参加了 #1 ×2。$/, card: [/参团名单（1 人）：\n1\. 小明 ×2/, /⬇️ 再 18 份降到 ¥35\.90/] } },
      { as: 'fang', command: '/join 3' },
      { expect: { groupMessage: /^每人限购 2 份。$/, cardNot: [/王芳/] } },
      { as: 'fang', press: 'join' },
      { expect: { toast: { to: 'fang', matches: /^王芳 参加了 #1 ×1。$/ }, card: [/2\. 王芳 ×1/, /📦 [▓░]{10} 3\//] } },
      { as: 'ming', command: '/buys' },
      { expect: { groupMessage: /^进行中的拼团：\n#1 有机草莓 3斤装 · ¥39\.90 · 3\/50 · 截止 2026-03-10 12:00 · \/join #1$/ } },
    ],
  },

  {
    name: 'a member who is not an admin cannot open, close, cancel, extend or export a buy',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 2 | max 10 | ends 2h' },
      { as: 'bob', command: '/join 2' },
      { as: 'bob', command: '/newbuy Coffee | 30 | min 1 | max 5 | ends 2h' },
      { expect: { groupMessage: onlyAdmins, buysCreated: 1, cardsPosted: 1 } },
      { as: 'bob', command: '/newbuy' },
      { expect: { groupMessage: onlyAdmins, cardsPosted: 1 } },
      { as: 'bob', command: '/closebuy' },
      { expect: { groupMessage: onlyAdmins, openBuys: 1, cardButtons: joinLeave, noDmTo: 'bob' } },
      { as: 'bob', command: '/cancelbuy' },
      { expect: { groupMessage: onlyAdmins, openBuys: 1 } },
      { as: 'bob', command: '/extendbuy 5h' },
      { expect: { groupMessage: onlyAdmins, card: [/2026-03-10 12:00/] } },
      { as: 'bob', command: '/export' },
      { expect: { groupMessage: onlyAdmins, noDocument: true } },
    ],
  },

  {
    name: 'a full buy puts members on the waitlist; when someone leaves the first waiting member moves in and is told privately',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 1 | max 3 | ends 2h' },
      { as: 'bob', command: '/join 2' },
      { as: 'carol', command: '/join 1' },
      { expect: { card: [said(/📦 ▓{10} 3\/3 \(min 1\)/, /📦 ▓{10} 3\/3（最少 1）/)] } },
      { as: 'dave', command: '/join 1' },
      {
        expect: {
          groupMessage: said(
            /^#1 is full, so Dave is on the waitlist \(×1, position 1\)\. You'll be told if a place opens\.$/,
            /^#1 已满，Dave 已进入候补（×1，第 1 位）。有空位时会通知你。$/,
          ),
          card: [said(/Waitlist \(1\):\n1\. Dave ×1/, /候补（1 人）：\n1\. Dave ×1/), /📦 [▓░]{10} 3\//],
        },
      },
      // A full card says so, and its join button offers the waitlist explicitly.
      {
        expect: {
          card: [said(/🈵 FULL: new sign-ups go on the waitlist/, /🈵 已满：再报名将进入候补/)],
          cardButtons: ['jw', 'leave'],
          cardButtonLabels: [said(/^Join waitlist$/, /^加入候补$/), said(/^Leave$/, /^退出$/)],
        },
      },
      { as: 'erin', press: 'jw' },
      {
        expect: {
          toast: { to: 'erin', matches: said(/Erin is on the waitlist \(×1, position 2\)/, /Erin 已进入候补（×1，第 2 位）/), alert: true },
          card: [said(/Waitlist \(2\):\n1\. Dave ×1\n2\. Erin ×1/, /候补（2 人）：\n1\. Dave ×1\n2\. Erin ×1/)],
        },
      },
      { as: 'carol', press: 'leave' },
      {
        expect: {
          toast: { to: 'carol', matches: said(/^Carol left #1\.$/, /^Carol 退出了 #1。$/) },
          dm: { to: 'dave', matches: said(/^Good news: a place opened in #1 Tea\. You are in with ×1\.$/, /^好消息：#1 Tea 有空位了，你已转为正式参团 ×1。$/) },
          noDmTo: ['erin', 'carol', 'bob'],
          groupMessage: said(/^From the waitlist: Dave ×1 moved in\.$/, /^候补转正：Dave ×1。$/),
          card: [
            said(/Participants \(2\):\n1\. Bob ×2\n2\. Dave ×1/, /参团名单（2 人）：\n1\. Bob ×2\n2\. Dave ×1/),
            said(/Waitlist \(1\):\n1\. Erin ×1/, /候补（1 人）：\n1\. Erin ×1/),
          ],
          cardNot: [/Carol/],
        },
      },
      { as: 'admin', command: '/closebuy' },
      {
        expect: {
          dm: [
            { to: 'erin', matches: said(/^#1 Tea has closed and no place opened for you on the waitlist\.$/, /^#1 Tea 已截止，候补未能转正。$/) },
            { to: 'dave', matches: said(/^✅ #1 Tea is formed\. You have ×1/, /^✅ #1 Tea 已成团。你参团 ×1/) },
          ],
          groupMessage: said(/formed: 3 units from 2 members/, /已成团：2 人共 3 份/),
        },
      },
    ],
  },

  {
    name: 'a second press of "+1" adds one more unit, as its label says; the same update delivered twice counts once',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 2 | max 10 | ends 2h' },
      { as: 'bob', press: 'join' },
      { expect: { toast: { to: 'bob', matches: said(/^Bob joined #1 ×1\.$/, /^Bob 参加了 #1 ×1。$/) } } },
      { as: 'bob', press: 'join' },
      {
        expect: {
          toast: { to: 'bob', matches: said(/^Bob now has ×2 in #1\.$/, /^Bob 在 #1 的数量改为 ×2。$/) },
          card: [said(/Participants \(1\):\n1\. Bob ×2$/m, /参团名单（1 人）：\n1\. Bob ×2$/m), /📦 [▓░]{10} 2\//],
        },
      },
      { as: 'carol', command: '/join 2', deliveredTwice: true },
      {
        expect: {
          groupMessageTimes: { matches: /Carol/, times: 1 },
          groupMessage: said(/^Carol joined #1 ×2\.$/, /^Carol 参加了 #1 ×2。$/),
          card: [/2\. Carol ×2/, /📦 [▓░]{10} 4\//],
          cardNot: [/3\. /],
        },
      },
    ],
  },

  {
    name: 'a waitlisted member’s "+1" adds one to what they wait for, keeping their place; asking for what fits moves them in as a join',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 1 | max 5 | ends 2h' },
      { as: 'bob', command: '/join 4' },
      { as: 'carol', command: '/join 3' },
      { as: 'carol', press: 'jw', on: { card: 2 } },
      { expect: { toast: { to: 'carol', matches: said(/^Carol is on the waitlist of #1 for ×3 \(position 1\)/, /^Carol 已进入 #1 的候补（×3，第 1 位）/) } } },
      { as: 'dave', command: '/join 2' },
      { as: 'dave', press: 'jw', on: { card: 3 } },
      // One unit is left, so the card still offers "+1": Carol's press adds to what she waits for (it used to set 1).
      { as: 'carol', press: 'join', on: { card: 1 } },
      {
        expect: {
          toast: { to: 'carol', matches: said(/^Carol now waits for ×4 in #1, keeping position 1 on the waitlist\.$/, /^Carol 在 #1 的候补改为 ×4，仍排第 1 位。$/) },
          cardNumber: 1,
          card: [said(/Participants \(1\):\n1\. Bob ×4\nWaitlist \(2\):\n1\. Carol ×4\n2\. Dave ×2$/, /参团名单（1 人）：\n1\. Bob ×4\n候补（2 人）：\n1\. Carol ×4\n2\. Dave ×2$/)],
        },
      },
      // Dave asks for 1, which fits the unit left: he is in, answered as a join, with no "moved in" news of his own change.
      { as: 'dave', command: '/join 1' },
      {
        expect: {
          groupMessage: said(/^Dave joined #1 ×1\.$/, /^Dave 参加了 #1 ×1。$/),
          noGroupMessage: said(/From the waitlist/, /候补转正/),
          noDmTo: ['dave', 'carol'],
          cardNumber: 1,
          card: [said(/Participants \(2\):\n1\. Bob ×4\n2\. Dave ×1\nWaitlist \(1\):\n1\. Carol ×4$/, /参团名单（2 人）：\n1\. Bob ×4\n2\. Dave ×1\n候补（1 人）：\n1\. Carol ×4$/)],
        },
      },
    ],
  },

  {
    name: 'lowering a quantity or leaving by command frees units for the waitlist; a waitlisted member can leave too',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 1 | max 4 | ends 2h | tiers 4:18' },
      { as: 'bob', command: '/join 3' },
      { as: 'carol', command: '/join #1' },
      { expect: { groupMessage: said(/^🎉 #1 reached 4 units: the price drops to ¥18\.00/, /^🎉 #1 已达 4 份：全员单价降到 ¥18\.00/) } },
      { as: 'dave', command: '/join 1 2' },
      { as: 'erin', command: '/join 1' },
      { expect: { card: [said(/Waitlist \(2\):\n1\. Dave ×2\n2\. Erin ×1/, /候补（2 人）：\n1\. Dave ×2\n2\. Erin ×1/)] } },
      { as: 'bob', command: '/join 2' },
      {
        expect: {
          groupMessage: [
            said(/^Bob now has ×2 in #1\.$/, /^Bob 在 #1 的数量改为 ×2。$/),
            said(/^From the waitlist: Erin ×1 moved in\.$/, /^候补转正：Erin ×1。$/),
          ],
          noGroupMessage: /fell below|回落/,
          dm: { to: 'erin', matches: said(/a place opened in #1 Tea/, /#1 Tea 有空位了/) },
          noDmTo: 'dave',
          card: [/📦 [▓░]{10} 4\//, said(/Waitlist \(1\):\n1\. Dave ×2/, /候补（1 人）：\n1\. Dave ×2/)],
        },
      },
      { as: 'dave', command: '/leave' },
      { expect: { groupMessage: said(/^Dave left #1\.$/, /^Dave 退出了 #1。$/), cardNot: [/Dave/, said(/Waitlist \(/, /候补（/)] } },
      { as: 'dave', command: '/leave' },
      { expect: { groupMessage: said(/^You are not signed up to #1\.$/, /^你没有报名 #1。$/) } },
    ],
  },

  {
    name: 'the per-member limit is enforced, and crossing a price tier is announced and shown on the card',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 2 | max 10 | ends 2h | limit 2 | tiers 4:18,8:15' },
      { as: 'bob', command: '/join 3' },
      { expect: { groupMessage: said(/^The limit is 2 per member\.$/, /^每人限购 2 份。$/), cardNot: [/Bob/] } },
      { as: 'bob', command: '/join 2' },
      {
        expect: {
          card: [
            said(/💰 Price: ¥20\.00 per unit/, /💰 单价：¥20\.00/),
            said(/⬇️ 2 more units and it drops to ¥18\.00/, /⬇️ 再 2 份降到 ¥18\.00/),
            said(/👤 Limit 2 per member/, /👤 每人限购 2 份/),
          ],
        },
      },
      { as: 'carol', command: '/join 2' },
      {
        expect: {
          groupMessage: [
            said(/^Carol joined #1 ×2\.$/, /^Carol 参加了 #1 ×2。$/),
            said(/^🎉 #1 reached 4 units: the price drops to ¥18\.00 for everyone\.$/, /^🎉 #1 已达 4 份：全员单价降到 ¥18\.00！$/),
          ],
          card: [said(/💰 Price: ¥18\.00 per unit/, /💰 单价：¥18\.00/), said(/⬇️ 4 more units and it drops to ¥15\.00/, /⬇️ 再 4 份降到 ¥15\.00/)],
        },
      },
      { as: 'carol', press: 'leave' },
      {
        expect: {
          groupMessage: said(/^#1 fell below a tier: the price is back to ¥20\.00\.$/, /^#1 份数回落到阶梯以下：单价恢复为 ¥20\.00。$/),
          card: [said(/💰 Price: ¥20\.00 per unit/, /💰 单价：¥20\.00/)],
        },
      },
    ],
  },

  {
    name: 'at the deadline a buy that reached its minimum forms and one that did not fails (sweep)',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 2 | max 10 | ends 2h | pickup East gate' },
      { as: 'bob', command: '/join 2' },
      { as: 'admin', command: '/newbuy Coffee | 30 | min 5 | max 10 | ends 2h' },
      { as: 'carol', command: '/join #2' },
      { as: 'erin', press: 'join', on: { card: 2 } },
      { expect: { cardsPosted: 2, openBuys: 2, cardNumber: 2, card: [/Carol ×1\n2\. Erin ×1/] } },
      { expect: { cardNumber: 1, card: [/1\. Bob ×2$/m], cardNot: [/Erin|Carol/] } },
      { as: 'dave', command: '/buys' },
      {
        expect: {
          groupMessage: said(
            /^Open buys:\n#1 Tea · ¥20\.00 · 2\/10 · ends 2026-03-10 12:00 · \/join #1\n#2 Coffee · ¥30\.00 · 2\/10 · ends 2026-03-10 12:00 · \/join #2$/,
            /^进行中的拼团：\n#1 Tea · ¥20\.00 · 2\/10 · 截止 2026-03-10 12:00 · \/join #1\n#2 Coffee · ¥30\.00 · 2\/10 · 截止 2026-03-10 12:00 · \/join #2$/,
          ),
        },
      },
      { advanceClock: '1h', sweep: true },
      { expect: { openBuys: 2, noGroupMessage: /./, noDmTo: ['bob', 'carol'] } },
      { advanceClock: '2h', sweep: true },
      {
        expect: {
          openBuys: 0,
          groupMessage: [
            said(/^✅ Group buy #1 Tea is formed: 2 units from 1 member at ¥20\.00 per unit\.$/, /^✅ 拼团 #1 Tea 已成团：1 人共 2 份，单价 ¥20\.00。$/),
            said(/^❌ Group buy #2 Coffee did not form: 2 of 5 units needed\. No one pays\.$/, /^❌ 拼团 #2 Coffee 未成团：只报了 2 份，需要 5 份。无需付款。$/),
          ],
          dm: [
            { to: 'bob', matches: said(/^✅ #1 Tea is formed\. You have ×2 at ¥20\.00: ¥40\.00 in total\. Pickup: East gate\.$/, /^✅ #1 Tea 已成团。你参团 ×2，单价 ¥20\.00，合计 ¥40\.00。自提：East gate。$/) },
            { to: 'carol', matches: said(/^❌ #2 Coffee did not reach its minimum/, /^❌ #2 Coffee 未达到成团数量/) },
            { to: 'erin', matches: said(/^❌ #2 Coffee did not reach its minimum/, /^❌ #2 Coffee 未达到成团数量/) },
          ],
          noDmTo: ['dave', 'admin'],
        },
      },
      { expect: { cardNumber: 1, cardButtons: [], card: [said(/✅ Formed at ¥20\.00 per unit\. Sign-ups are closed\./, /✅ 已成团，单价 ¥20\.00。报名已截止。/)], cardNot: [/⏰/] } },
      { expect: { cardNumber: 2, cardButtons: [], card: [said(/❌ Did not form: \d+ of \d+ units needed\. Sign-ups are closed; nobody pays\./, /❌ 未成团：只报了 \d+ 份，需要 \d+ 份。报名已截止，无需付款。/)] } },
      { as: 'dave', command: '/join' },
      { expect: { groupMessage: said(/^There is no open buy in this chat right now\.$/, /^本群目前没有进行中的拼团。$/) } },
    ],
  },

  {
    name: 'past the deadline joins are refused until the deadline job closes the buy',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 1 | max 10 | ends 2h' },
      { as: 'bob', command: '/join 1' },
      { as: 'carol', command: '/join 1' },
      { as: 'carol', command: '/join 2' },
      { expect: { groupMessage: said(/^Carol now has ×2 in #1\.$/, /^Carol 在 #1 的数量改为 ×2。$/) } },
      { advanceClock: '2h' },
      { as: 'dave', press: 'join' },
      { expect: { toast: { to: 'dave', matches: said(/^The deadline of #1 has passed: it is closing now\.$/, /^#1 已过截止时间，正在截团。$/), alert: true }, cardNot: [/Dave/] } },
      { advanceClock: '1m', runDueJobs: true },
      {
        expect: {
          groupMessage: said(/^✅ Group buy #1 Tea is formed: 3 units from 2 members at ¥20\.00/, /^✅ 拼团 #1 Tea 已成团：2 人共 3 份/),
          dm: [
            { to: 'bob', matches: said(/You have ×1 at ¥20\.00: ¥20\.00 in total\.$/, /你参团 ×1，单价 ¥20\.00，合计 ¥20\.00。$/) },
            { to: 'carol', matches: said(/You have ×2 at ¥20\.00: ¥40\.00 in total\.$/, /你参团 ×2，单价 ¥20\.00，合计 ¥40\.00。$/) },
          ],
          cardButtons: [],
          openBuys: 0,
        },
      },
    ],
  },

  {
    name: 'an admin extends, closes and cancels buys',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 1 | max 10 | ends 2h' },
      { as: 'bob', command: '/join 1' },
      { as: 'admin', command: '/extendbuy 5h' },
      {
        expect: {
          groupMessage: said(/^⏰ #1 now ends 2026-03-10 15:00 \(Asia\/Shanghai\)\.$/, /^⏰ #1 截止时间改为 2026-03-10 15:00 \(Asia\/Shanghai\)。$/),
          card: [said(/⏰ Ends 2026-03-10 15:00/, /⏰ 截止 2026-03-10 15:00/)],
        },
      },
      { advanceClock: '3h', sweep: true, runDueJobs: true },
      { expect: { openBuys: 1, noGroupMessage: /./, cardButtons: joinLeave } },
      { as: 'admin', command: '/closebuy' },
      {
        expect: {
          openBuys: 0,
          groupMessage: said(/^✅ Group buy #1 Tea is formed: 1 unit from 1 member at ¥20\.00 per unit\.$/, /^✅ 拼团 #1 Tea 已成团：1 人共 1 份，单价 ¥20\.00。$/),
          dm: { to: 'bob', matches: said(/^✅ #1 Tea is formed\./, /^✅ #1 Tea 已成团。/) },
          cardButtons: [],
        },
      },
      { as: 'admin', command: '/newbuy Coffee | 30 | min 5 | max 10 | ends 2h' },
      { as: 'carol', command: '/join 2' },
      { as: 'admin', command: '/cancelbuy #2' },
      {
        expect: {
          groupMessage: said(/^🚫 Group buy #2 Coffee was cancelled by an admin\. No one pays\.$/, /^🚫 拼团 #2 Coffee 已被管理员取消，无需付款。$/),
          dm: { to: 'carol', matches: said(/^🚫 #2 Coffee was cancelled by an admin\. You pay nothing\.$/, /^🚫 #2 Coffee 已被管理员取消，你无需付款。$/) },
          noDmTo: 'bob',
          cardNumber: 2,
          cardButtons: [],
          card: [said(/🚫 Cancelled by an admin\./, /🚫 已被管理员取消。/)],
          openBuys: 0,
        },
      },
      { as: 'admin', command: '/closebuy' },
      { expect: { groupMessage: said(/^There is no open buy in this chat right now\.$/, /^本群目前没有进行中的拼团。$/) } },
      { as: 'admin', command: '/extendbuy #1 2h' },
      { expect: { groupMessage: said(/^Buy #1 is formed: it no longer takes changes\.$/, /^拼团 #1 已成团，不能再修改。$/) } },
    ],
  },

  {
    name: 'an admin marks payment and delivery and exports the order list privately; /mybuys needs a private chat',
    members: {
      admin: { name: 'Anna', username: 'anna', admin: true },
      bob: { name: 'Bob', username: 'bob' },
      fang: { name: '王芳', username: 'wangfang' },
      frank: { name: 'Frank', username: 'frank', acceptsDms: false },
      gina: { name: 'Gina', username: 'gina', admin: true, acceptsDms: false },
    },
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 2 | max 10 | ends 2h | pickup East gate' },
      { as: 'bob', command: '/join 2' },
      { as: 'fang', command: '/join 1' },
      { as: 'admin', command: '/paid @bob' },
      {
        expect: {
          groupMessage: said(/^💵 Marked paid in #1: Bob\.$/, /^💵 #1 已标记付款：Bob。$/),
          card: [said(/1\. Bob ×2 \(paid\)/, /1\. Bob ×2（已付）/), /2\. 王芳 ×1$/m],
        },
      },
      { as: 'admin', command: '/delivered all' },
      { expect: { groupMessage: said(/^#1 has not formed yet/, /^#1 尚未成团/), noDmTo: ['bob', 'fang'] } },
      { as: 'admin', command: '/closebuy' },
      { as: 'admin', command: '/delivered all' },
      {
        expect: {
          groupMessage: said(/^📦 Marked delivered in #1: Bob, 王芳\.$/, /^📦 #1 已标记送达：Bob、王芳。$/),
          dm: [
            { to: 'bob', matches: said(/^📦 Your order from #1 Tea is marked delivered\. Enjoy!$/, /^📦 你在 #1 Tea 的订单已标记送达，祝使用愉快！$/) },
            { to: 'fang', matches: said(/^📦 Your order from #1 Tea is marked delivered/, /^📦 你在 #1 Tea 的订单已标记送达/) },
          ],
          card: [said(/1\. Bob ×2 \(paid, delivered\)/, /1\. Bob ×2（已付，已送达）/), said(/2\. 王芳 ×1 \(delivered\)/, /2\. 王芳 ×1（已送达）/)],
        },
      },
      { as: 'admin', command: '/export' },
      {
        expect: {
          document: {
            to: 'admin',
            filename: /^buy-1\.csv$/,
            header: 'name,platform id,quantity,price,paid,delivered,pickup,joined at,status,variant,note,line total',
            rows: [
              /^Bob,\w+:\d+,2,20\.00,yes,yes,East gate,2026-03-10 10:00,active,,,40\.00$/,
              /^王芳,\w+:\d+,1,20\.00,no,yes,East gate,2026-03-10 10:00,active,,,20\.00$/,
            ],
          },
        },
      },
      // Sent privately: by DM with a note in the group, or shown in place to Anna only (then no note is needed).
      { expect: { groupMessage: said(/^Anna, I've sent it to you privately\.$/, /^Anna，已私信发给你。$/) }, only: { privateRepliesInPlace: false } },
      { expect: { noGroupMessage: said(/sent it to you privately/, /已私信发给你/) }, only: { privateRepliesInPlace: true } },
      { as: 'gina', command: '/export' },
      {
        expect: {
          noDocument: true,
          groupMessage: said(/^Gina, I can't message you privately yet\./, /^Gina，我还不能私信你。/),
        },
        only: { privateRepliesInPlace: false },
      },
      // In place needs no private chat: Gina, who accepts no DMs, still gets the file.
      { expect: { document: { to: 'gina', filename: /^buy-1\.csv$/, header: 'name,platform id,quantity,price,paid,delivered,pickup,joined at,status,variant,note,line total' } }, only: { privateRepliesInPlace: true } },
      { as: 'frank', command: '/mybuys' },
      {
        expect: {
          groupMessage: said(
            /^Frank, I can't message you privately yet\. Open a private chat with me, press Start, then try again\.$/,
            /^Frank，我还不能私信你。请先打开与我的私聊/,
          ),
          noDmTo: 'frank',
        },
        only: { privateRepliesInPlace: false },
      },
      { expect: { dm: { to: 'frank', matches: said(/^You have no sign-ups\.$/, /^你还没有报名任何拼团。$/) }, noDmTo: 'frank' }, only: { privateRepliesInPlace: true } },
      { as: 'frank', command: '/start', in: 'private', only: { privateRepliesInPlace: false } },
      { expect: { dm: { to: 'frank', matches: said(/^Hi! I run group buys/, /^你好！我负责群里的拼团接龙。/) }, noGroupMessage: /./ }, only: { privateRepliesInPlace: false } },
      // Where there is no /start, writing to the bot privately is a command in the private chat.
      { as: 'frank', command: '/mybuys', in: 'private', only: { privateRepliesInPlace: true } },
      { expect: { dm: { to: 'frank', matches: said(/^You have no sign-ups\.$/, /^你还没有报名任何拼团。$/) }, noGroupMessage: /./ }, only: { privateRepliesInPlace: true } },
      { as: 'frank', command: '/mybuys' },
      { expect: { dm: { to: 'frank', matches: said(/^You have no sign-ups\.$/, /^你还没有报名任何拼团。$/) } } },
      { as: 'bob', command: '/mybuys' },
      { expect: { dm: { to: 'bob', matches: said(/^Your sign-ups:\n#1 Tea ×2 · formed, paid, delivered · /, /^你的报名：\n#1 Tea ×2 · 已成团，已付款，已送达 · /) } } },
      { expect: { groupMessage: said(/^Bob, I've sent it to you privately\.$/, /^Bob，已私信发给你。$/) }, only: { privateRepliesInPlace: false } },
    ],
  },

  {
    name: 'the guided /newbuy asks one question at a time and opens the buy from the answers',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy' },
      { expect: { question: { to: 'admin', matches: said(/What is the product title\?$/, /商品标题是什么？$/) }, cardsPosted: 0 } },
      { as: 'admin', answer: 'Oolong tea 250g' },
      { expect: { question: { to: 'admin', matches: said(/^Unit price\?/, /^单价是多少？/) } } },
      { as: 'admin', answer: 'abc' },
      { expect: { question: { to: 'admin', matches: said(/^"abc" is not a price\..*\nUnit price\?/, /^“abc”不是有效价格。.*\n单价是多少？/) } } },
      { as: 'admin', answer: '12.5' },
      { as: 'admin', answer: '2' },
      { expect: { question: { to: 'admin', matches: said(/^Maximum units\?/, /^最多多少份？/) } } },
      { as: 'admin', answer: '10' },
      { as: 'admin', answer: '2h' },
      { as: 'admin', answer: '-' },
      { as: 'admin', answer: '-' },
      { expect: { question: { to: 'admin', matches: said(/^Pickup point or delivery note\?/, /^自提点或配送说明？/) }, cardsPosted: 0, openBuys: 0 } },
      { as: 'admin', answer: 'East gate' },
      { expect: { question: { to: 'admin', matches: said(/^A few words about the product/, /^商品描述/) }, cardsPosted: 0 } },
      { as: 'admin', answer: '-' },
      { expect: { question: { to: 'admin', matches: said(/^Variants \(sizes, flavours\)/, /^规格（尺寸、口味）/) }, cardsPosted: 0 } },
      { as: 'admin', answer: '-' },
      {
        expect: {
          cardsPosted: 1,
          openBuys: 1,
          card: [
            said(/^🛒 Group buy #1: Oolong tea 250g$/m, /^🛒 拼团 #1：Oolong tea 250g$/m),
            said(/💰 Price: ¥12\.50 per unit/, /💰 单价：¥12\.50/),
            said(/📦 ░{10} 0\/10 \(min 2\)/, /📦 ░{10} 0\/10（最少 2）/),
            said(/📍 Pickup: East gate/, /📍 自提：East gate/),
          ],
          cardNot: [said(/Limit/, /限购/)],
          cardButtons: joinLeave,
        },
      },
      { as: 'bob', command: '/newbuy' },
      { expect: { groupMessage: onlyAdmins } },
      { as: 'admin', command: '/newbuy' },
      { as: 'admin', command: '/cancel' },
      { expect: { groupMessage: said(/^OK, stopped\. Nothing was created\.$/, /^好的，已结束，没有创建任何拼团。$/), buysCreated: 1 } },
    ],
  },

  {
    name: 'bad /newbuy input gets a clear message in the member’s language and creates nothing',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy x | abc' },
      { expect: { groupMessage: said(/^"abc" is not a price\. Write it like 39\.9/, /^“abc”不是有效价格。请写成 39\.9/), buysCreated: 0, cardsPosted: 0 } },
      { as: 'admin', command: '/newbuy Tea | 10 | min 5 | max 2 | ends 2h' },
      { expect: { groupMessage: said(/^max \(2\) must be at least min \(5\)\.$/, /^最多（2）不能小于最少（5）。$/), buysCreated: 0 } },
      { as: 'admin', command: '/newbuy Tea | 10 | min 1 | max 5' },
      { expect: { groupMessage: said(/^Missing field: ends\.$/, /^缺少：截止。$/), buysCreated: 0 } },
      { as: 'admin', command: '/newbuy Tea | 10 | min 1 | max 5 | ends whenever' },
      { expect: { groupMessage: said(/^"whenever" is not a deadline I understand\./, /^看不懂截止时间“whenever”。/), buysCreated: 0 } },
      // Typed options (Discord slash commands) cannot carry an unknown field or a quantity that is not a number.
      { as: 'admin', command: '/newbuy Tea | 10 | min 1 | max 5 | ends 2h | colour red', only: { typedCommandOptions: false } },
      { expect: { groupMessage: said(/^I don't understand "colour red"\./, /^看不懂“colour red”。/), buysCreated: 0, cardsPosted: 0 }, only: { typedCommandOptions: false } },
      // A word after /join is a variant (a typed form has a variant field too): with no buy open, that is what is said.
      { as: 'bob', command: '/join abc' },
      { expect: { groupMessage: said(/^There is no open buy in this chat right now\.$/, /^本群目前没有进行中的拼团。$/) } },
    ],
  },

  {
    name: 'in a mixed group each member is answered in their own language until an admin sets one',
    languages: ['en'],
    members: {
      anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
      li: { name: '老李', username: 'laoli', admin: true, language: 'zh' },
    },
    steps: [
      { as: 'anna', command: '/newbuy x | abc' },
      { expect: { groupMessage: /^"abc" is not a price\./, noGroupMessage: /不是有效价格/ } },
      { as: 'li', command: '/newbuy x | abc' },
      { expect: { groupMessage: /^“abc”不是有效价格。/, noGroupMessage: /is not a price/, buysCreated: 0 } },
      { as: 'anna', command: '/newbuy Tea | 10 | min 1 | max 5 | ends 2h' },
      { expect: { card: [/^🛒 Group buy #1: Tea$/m] } },
      // More than the buy has in all: refused naming its size, in Chinese, nothing changed.
      { as: 'li', command: '/join 9' },
      { expect: { groupMessage: /^#1 总共只有 5 份：最多可报 5 份。$/, cardsPosted: 1 } },
      { as: 'anna', command: '/join 2' },
      { expect: { groupMessage: /^Anna joined #1 ×2\.$/ } },
      // More than is left: 老李 is told what is left in Chinese (a message with two buttons), and chooses the waitlist.
      { as: 'li', command: '/join 4' },
      { expect: { cardNumber: 2, card: [/^老李，#1 只剩 3 份（你要 4 份）。要先拿这 3 份，还是排队候补 4 份？$/], cardButtonLabels: [/^要这 3 份$/, /^候补 4 份$/] } },
      { as: 'li', press: 'jw', on: { card: 2 } },
      // The buy is not full (3 left): the answer says what 老李 chose and what is left, not "已满".
      { expect: { toast: { to: 'li', matches: /^老李 已进入 #1 的候补（×4，第 1 位）；目前还剩 3 份。有空位时会通知你。$/ }, cardNumber: 1, card: [/Waitlist \(1\):\n1\. 老李 ×4/] } },
    ],
  },

  {
    name: 'an admin switches the group to English and back to Chinese; private messages stay in each member’s language',
    languages: ['zh'],
    members: {
      li: { name: '老李', username: 'laoli', admin: true, language: 'zh' },
      ming: { name: '小明', username: 'xiaoming', language: 'zh' },
      bob: { name: 'Bob', username: 'bob', language: 'en' },
    },
    steps: [
      { as: 'li', command: '/lang en' },
      { expect: { groupMessage: /^Done: this group now speaks English\.$/ } },
      { as: 'li', command: '/newbuy Tea | 20 | min 2 | max 10 | ends 2h' },
      { expect: { card: [/^🛒 Group buy #1: Tea$/m], cardButtonLabels: [/^Join \+1$/, /^Leave$/] } },
      { as: 'ming', command: '/join 1' },
      { expect: { groupMessage: /^小明 joined #1 ×1\.$/ } },
      { as: 'bob', command: '/join 2' },
      { expect: { groupMessage: /^Bob joined #1 ×2\.$/, card: [/📦 [▓░]{10} 3\//] } },
      { as: 'li', command: '/lang zh' },
      { expect: { groupMessage: /^好的：本群将使用简体中文。$/ } },
      { as: 'bob', command: '/join 3' },
      { expect: { groupMessage: /^Bob 在 #1 的数量改为 ×3。$/, card: [/^🛒 拼团 #1：Tea$/m, /📦 [▓░]{10} 4\//], cardButtonLabels: [/^参加 \+1$/, /^退出$/] } },
      { as: 'li', command: '/closebuy' },
      {
        expect: {
          groupMessage: /^✅ 拼团 #1 Tea 已成团：2 人共 4 份，单价 ¥20\.00。$/,
          dm: [
            { to: 'bob', matches: /^✅ #1 Tea is formed\. You have ×3 at ¥20\.00: ¥60\.00 in total\.$/ },
            { to: 'ming', matches: /^✅ #1 Tea 已成团。你参团 ×1，单价 ¥20\.00，合计 ¥20\.00。$/ },
          ],
          card: [/✅ 已成团，单价 ¥20\.00。报名已截止。/],
        },
      },
    ],
  },

  {
    name: 'a waitlisted member’s name stays on one line of the card, like a participant’s',
    languages: ['en'],
    members: {
      admin: { name: 'Anna', username: 'anna', admin: true },
      bob: { name: 'Bob', username: 'bob' },
      eve: { name: 'Eve\n✅ Formed at ¥1.00 per unit.', username: 'eve' },
    },
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 1 | max 1 | ends 2h' },
      { as: 'bob', command: '/join 1' },
      { as: 'eve', command: '/join 1' },
      { expect: { card: [/Waitlist \(1\):\n1\. Eve ✅ Formed at ¥1\.00 per unit\. ×1$/m], cardNot: [/^✅ Formed/m] } },
    ],
  },

  {
    name: 'the exported order list cannot smuggle spreadsheet formulas in through member names',
    languages: ['en'],
    members: {
      admin: { name: 'Anna', username: 'anna', admin: true },
      mallory: { name: '=HYPERLINK("http://evil.example","Bob")', username: 'mallory' },
    },
    steps: [
      { as: 'admin', command: '/newbuy Tea | 20 | min 1 | max 5 | ends 2h' },
      { as: 'mallory', command: '/join 1' },
      { as: 'admin', command: '/export' },
      {
        expect: {
          document: { to: 'admin', header: 'name,platform id,quantity,price,paid,delivered,pickup,joined at,status,variant,note,line total', rows: [/^"?[^=+\-@"]/] },
        },
      },
    ],
  },
];
