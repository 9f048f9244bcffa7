/**
 * The conversation as the kernel holds it, through the real core on a real database: /help short and detailed,
 * unknown commands and typos, never silence in private, the language rule (ADR 014), and guided dialogues that end.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { en } from '../../../core/i18n/en.js';
import { withBasics } from '../../../core/kernel/basics.js';
import { features } from '../../../core/features.js';
import { GROUP, MINUTE, alice, anna, bob, laoLi, textsOf, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

/** A member whose platform says nothing about their language (a Discord DM, a Telegram client without a code). */
const dave: Actor = { id: 'tg:31', displayName: 'Dave', username: 'dave' };

const privateIntroEn = 'I work with commands. Here you can use /mybuys /lang /review /mydata /forgetme /help /stop /cancel; everything else works in your group. /help lists them all.';
const privateIntroZh = '我通过命令工作。在私聊里可以用 /mybuys /lang /review /mydata /forgetme /help /stop /cancel；其他命令请在群里使用。发送 /help 查看全部命令。';

describe('/help', () => {
  it('fits in a screen: members\' commands grouped by feature, no admin commands for a member in a group', async () => {
    const [help] = textsOf(await h.command(bob, '/help'));
    expect(help).toBe([
      'tuanbot: group buys inside the chat.',
      '',
      'For everyone:',
      '🛒 Group buys: /join /note /leave /buys /mybuys',
      '⚙️ Settings: /lang',
      '⭐ Reviews: /review',
      '🎁 Points: /checkin /me /top /levels /ledger /pointrules',
      '📸 Shares and likes: /share /drop /liketasks',
      '🔐 Your data: /mydata /forgetme',
      '💬 Help: /help /stop /cancel',
      '',
      'Details: /help <command>, e.g. /help join',
    ].join('\n'));
  });

  it('adds the admin commands for an admin, asking the platform', async () => {
    const [help] = textsOf(await h.command(anna, '/help'));
    expect(help).toContain('For admins:\n🛒 Group buys: /newbuy /closebuy /cancelbuy /reopenbuy /editbuy /extendbuy /paid /delivered /unpaid /undelivered /export\n');
    // One line per feature and audience: 21 with members' data rights, still one phone screen.
    expect(help!.split('\n').length).toBeLessThanOrEqual(21);
    h.port.admins.delete(anna.id);
    expect(textsOf(await h.command(anna, '/help'))[0]).not.toContain('/newbuy');
  });

  it('points to /help admin in a private chat, where no group says who is an admin', async () => {
    await h.command(laoLi, '/help', { chat: 'private' });
    const help = h.dmsTo(laoLi).at(-1)!;
    expect(help).toMatch(/^tuanbot：在群里接龙拼团。\n\n所有人可用：\n🛒 拼团：\/join \/note \/leave \/buys \/mybuys\n/);
    expect(help).toContain('群管理员：发送 /help admin 查看管理命令。');
    expect(help).not.toContain('/newbuy');
    await h.command(laoLi, '/help admin', { chat: 'private' });
    expect(h.dmsTo(laoLi).at(-1)).toMatch(/^管理员可用：\n🛒 拼团：\/newbuy /);
  });

  it('explains one command by its English or Chinese name, with or without the slash, or by a typo of it', async () => {
    const details = [
      '/join (参团): Join the newest buy: /join [qty] [variant] [note <text>], or a buy by number: /join #<buy-id> [qty]',
      'Examples: /join (1 unit of the newest buy) · /join 3 (3 units) · /join #2 (buy #2) · /join 2 3 (3 units of buy #2) · /join 2 large note no coriander (a variant and a note) · or reply +1 to the card',
      'Who: everyone. Where: in a group.',
    ].join('\n');
    for (const typed of ['join', '/join', '参团', '/参团', 'jion']) expect(textsOf(await h.command(alice, `/help ${typed}`)), typed).toEqual([details]);
  });

  it('says who may use a command and where, in Chinese too', async () => {
    expect(textsOf(await h.command(wang, '/help newbuy'))[0]).toMatch(/^\/newbuy（开团）：发起拼团（管理员）\n只发 \/newbuy 会逐项提问。[\s\S]*\n谁可以用：群管理员。在哪里用：群里。$/);
    expect(textsOf(await h.command(wang, '/help lang'))[0]).toMatch(/谁可以用：所有人（管理员可以修改更多）。在哪里用：群里或私聊。$/);
    expect(textsOf(await h.command(alice, '/help weather'))).toEqual(['There is no command /weather. Send /help to see them all.']);
  });

  it('has examples for every listed command and a title for every feature, in both languages', () => {
    const modules = withBasics(features());
    for (const command of modules.flatMap((m) => m.commands ?? []).filter((c) => c.listed !== false)) {
      expect(Object.hasOwn(en, `usage.${command.name}`), command.name).toBe(true);
    }
    for (const module of modules.filter((m) => m.commands?.some((c) => c.listed !== false))) {
      expect(Object.hasOwn(en, `help.section.${module.helpSection ?? module.name}`), module.name).toBe(true);
    }
  });
});

describe('unknown commands and typos', () => {
  it('answer a typo in private with the closest command, keeping what followed it', async () => {
    await h.command(alice, '/jion 2', { chat: 'private' });
    expect(h.dmsTo(alice)).toEqual([`I don't know /jion. Did you mean /join 2? (/help join explains it)\n${privateIntroEn}`]);
    await h.command(wang, '/bangzhu', { chat: 'private' });
    expect(h.dmsTo(wang)).toEqual([`我不认识 /bangzhu。\n${privateIntroZh}`]);
  });

  it('stay quiet in a group unless the bot was named', async () => {
    expect(await h.command(alice, '/jion 2')).toEqual({ replies: [], duplicate: false });
    await h.send({ key: h.nextKey(), platform: 'tg', actor: alice, chat: GROUP, at: h.clock.now(), kind: 'command', name: 'jion', args: '', addressed: true });
    expect(h.messagesIn()).toEqual(["I don't know /jion. Did you mean /join? (/help join explains it)"]);
  });

  it('read a group message that names the bot: a command runs, a typo gets the closest command, anything else a pointer', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    const mention = (actor: Actor, text: string) => h.send({ key: h.nextKey(), platform: 'tg', actor, chat: GROUP, at: h.clock.now(), kind: 'text', text, addressed: true });
    await mention(alice, '/join 2');
    expect(await h.participants(1)).toEqual(['Alice ×2']);
    await mention(bob, 'jion 1');
    expect(h.lastMessageIn()).toBe('Commands start with a slash: did you mean /join 1? (/help join explains it; you wrote "jion")');
    await mention(wang, '你好');
    expect(h.lastMessageIn()).toBe('我通过命令工作：发送 /help 查看命令，或 /help <命令> 查看某个命令的说明。');
    const before = h.messagesIn().length;
    await h.text(bob, 'jion 1');
    expect(h.messagesIn()).toHaveLength(before);
    expect(await h.participants(1)).toEqual(['Alice ×2']);
  });

  it('take a command typed by its Chinese name where the platform lets it through as text', async () => {
    await h.text(wang, '/帮助', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toMatch(/^tuanbot：在群里接龙拼团。/);
    await h.text(wang, '/参团 2', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toBe('这个命令需要在群里使用。');
  });
});

describe('a private message no feature takes', () => {
  it('is answered with what the member can do, in their language', async () => {
    await h.text(alice, 'hello?', { chat: 'private' });
    await h.text(wang, '你好', { chat: 'private' });
    expect(h.dmsTo(alice)).toEqual([privateIntroEn]);
    expect(h.dmsTo(wang)).toEqual([privateIntroZh]);
  });

  it('gets the closest command when its first word looks like one', async () => {
    await h.text(alice, 'mybuy', { chat: 'private' });
    expect(h.dmsTo(alice)).toEqual([`Commands start with a slash: did you mean /mybuys? (/help mybuys explains it; you wrote "mybuy")\n${privateIntroEn}`]);
  });

  it('is answered also when it reads like a review but no review is open', async () => {
    await h.text(wang, '草莓很甜，下次还买', { chat: 'private' });
    expect(h.dmsTo(wang)).toEqual([privateIntroZh]);
    expect(await h.db.prisma.review.count()).toBe(0);
  });
});

describe('the language rule', () => {
  it('answers a member privately in the language of their group when their app says nothing (both directions)', async () => {
    await h.command(anna, '/lang en');
    await h.command(dave, '/buys');
    await h.command(dave, '/review', { chat: 'private' });
    expect(h.dmsTo(dave)).toEqual(['Usage: /review <buy-id> <1-5> <text>, e.g. /review 12 4 Sweet and fresh, a bit small.']);

    await h.command(laoLi, '/lang zh');
    await h.command(dave, '/review', { chat: 'private' });
    expect(h.dmsTo(dave).at(-1)).toBe('用法：/review <团号> <1-5> <内容>，例如 /review 12 4 很甜很新鲜，个头有点小。');
  });

  it('answers privately in the member\'s app language before the group\'s (both directions)', async () => {
    await h.command(anna, '/lang en');
    await h.command(wang, '/buys');
    await h.command(wang, '/review', { chat: 'private' });
    expect(h.dmsTo(wang)).toEqual(['用法：/review <团号> <1-5> <内容>，例如 /review 12 4 很甜很新鲜，个头有点小。']);

    await h.command(laoLi, '/lang zh');
    await h.command(alice, '/buys');
    await h.command(alice, '/review', { chat: 'private' });
    expect(h.dmsTo(alice)).toEqual(['Usage: /review <buy-id> <1-5> <text>, e.g. /review 12 4 Sweet and fresh, a bit small.']);
  });

  it('answers an app in another language (German) in English, not in the Chinese default', async () => {
    const klaus: Actor = { id: 'tg:41', displayName: 'Klaus', languageCode: 'de' };
    await h.text(klaus, 'Hallo', { chat: 'private' });
    expect(h.dmsTo(klaus)).toEqual([privateIntroEn]);
  });

  it('follows the app when it changes, until the member chooses with /lang; /lang auto follows it again', async () => {
    await h.command(alice, '/help', { chat: 'private' });
    await h.command({ ...alice, languageCode: 'zh-hans' }, '/help', { chat: 'private' });
    expect(h.dmsTo(alice).map((t) => t.split('\n')[0])).toEqual(['tuanbot: group buys inside the chat.', 'tuanbot：在群里接龙拼团。']);

    await h.command({ ...alice, languageCode: 'zh-hans' }, '/lang en', { chat: 'private' });
    await h.command({ ...alice, languageCode: 'zh-hans' }, '/help', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)!.split('\n')[0]).toBe('tuanbot: group buys inside the chat.');
    expect(await h.db.prisma.member.findUnique({ where: { id: alice.id }, select: { language: true, languageChosen: true } })).toEqual({ language: 'en', languageChosen: true });

    await h.command({ ...alice, languageCode: 'zh-hans' }, '/lang auto', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe('好的：我会跟随你的应用语言（当前为简体中文）。');
    expect(await h.db.prisma.member.findUnique({ where: { id: alice.id }, select: { language: true, languageChosen: true } })).toEqual({ language: 'zh-CN', languageChosen: false });
  });

  it('keeps a group in its language when a member sets theirs, says so, and uses the member\'s in private', async () => {
    await h.command(laoLi, '/lang zh');
    await h.command(bob, '/lang en');
    expect(h.lastMessageIn()).toBe("Done: I will speak English with you. In this group I keep to the group's language, 简体中文, which admins set.");
    await h.command(bob, '/help');
    expect(h.lastMessageIn()).toMatch(/^tuanbot：在群里接龙拼团。/);
    await h.command(bob, '/help', { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toMatch(/^tuanbot: group buys inside the chat\./);
  });

  it('shows what is set with /lang alone', async () => {
    await h.command(laoLi, '/lang zh');
    await h.command(wang, '/lang en', { chat: 'private' });
    await h.command(wang, '/lang');
    expect(h.lastMessageIn()).toBe('你的语言：English（你自己选择的）。\n本群：简体中文（由管理员设置）。\n用法：/lang zh、/lang en，或 /lang auto（每人用自己的语言）。');
    await h.command(alice, '/lang', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe("Your language: English (your app's).\nUsage: /lang zh, /lang en, or /lang auto (each member in their own language).");
  });
});

describe('guided dialogues', () => {
  const dialogues = () => h.db.prisma.dialogue.findMany({ select: { memberId: true, kind: true, step: true } });

  it('end when a one-line /newbuy opens a buy: a later "5" is no old answer', async () => {
    await h.command(anna, '/newbuy');
    await h.text(anna, 'Tea');
    const replies = textsOf(await h.command(anna, '/newbuy Rice | 20 | min 1 | max 9 | ends 2h'));
    expect(replies[0]).toBe('(The earlier /newbuy questions were dropped.)');
    expect(await dialogues()).toEqual([]);
    const before = h.messagesIn().length;
    await h.text(anna, '5');
    expect(h.messagesIn()).toHaveLength(before);
    expect((await h.db.prisma.groupBuy.findMany()).map((b) => b.title)).toEqual(['Rice']);
  });

  it('end when another dialogue starts, which asks from the start', async () => {
    await h.command(laoLi, '/newbuy');
    await h.text(laoLi, '大米');
    expect(textsOf(await h.command(laoLi, '/newbuy'))).toEqual(['（之前 /newbuy 的提问已结束。）', '我们来发起拼团（随时发送 /cancel 结束）。商品标题是什么？']);
    expect(await dialogues()).toEqual([{ memberId: laoLi.id, kind: 'newbuy', step: 'title' }]);
  });

  it('are kept when the one-line /newbuy is refused (bad input changes nothing)', async () => {
    await h.command(anna, '/newbuy');
    await h.text(anna, 'Tea');
    await h.command(anna, '/newbuy Rice | free | min 1 | max 9 | ends 2h');
    expect(await dialogues()).toEqual([{ memberId: anna.id, kind: 'newbuy', step: 'price' }]);
  });

  it('expire after 15 minutes without an answer: the answer is told so and taken for nothing', async () => {
    await h.command(anna, '/newbuy');
    await h.text(anna, 'Tea');
    h.clock.advance(14 * MINUTE);
    await h.text(anna, '10');
    expect(await dialogues()).toEqual([{ memberId: anna.id, kind: 'newbuy', step: 'min' }]);

    h.clock.advance(16 * MINUTE);
    await h.text(anna, '1');
    expect(h.lastMessageIn()).toBe('Those /newbuy questions expired after 15 minutes without an answer, so nothing was kept. Send /newbuy to start again.');
    expect(await dialogues()).toEqual([]);
    await h.command(anna, '/cancel');
    expect(h.lastMessageIn()).toBe('There is nothing to cancel.');
    expect(await h.db.prisma.groupBuy.count()).toBe(0);
  });

  it('expire in Chinese for a Chinese admin, and /cancel finds nothing to cancel', async () => {
    await h.command(laoLi, '/newbuy');
    h.clock.advance(20 * MINUTE);
    await h.command(laoLi, '/cancel');
    expect(h.lastMessageIn()).toBe('当前没有可以结束的对话。');
    await h.command(laoLi, '/newbuy');
    h.clock.advance(20 * MINUTE);
    await h.text(laoLi, '大米');
    expect(h.lastMessageIn()).toBe('/newbuy 的提问已超过 15 分钟没有回答，已失效，什么都没有保存。发送 /newbuy 重新开始。');
  });
});
