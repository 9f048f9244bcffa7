import { describe, expect, it } from 'vitest';
import type { Reply } from '../../core/replies.js';
import { GROUP, HOUR, alice, anna, bob, laoLi, textsOf, useCoreHarness, wang } from '../support/core-harness.js';

const h = useCoreHarness();

/** Everything an admin command could change, to compare before and after a refusal. */
async function state() {
  const { prisma } = h.db;
  return {
    buys: await prisma.groupBuy.findMany({ orderBy: { id: 'asc' } }),
    signUps: await prisma.signUp.findMany({ orderBy: { id: 'asc' } }),
    purchases: await prisma.purchase.count(),
    groups: await prisma.group.findMany({ select: { id: true, language: true, timeZone: true } }),
    jobs: h.scheduler.jobs.length,
    documents: h.documents().length,
    adminActions: await prisma.adminAction.count(),
  };
}

describe('admin commands', () => {
  it.each([
    '/newbuy Rice | 5 | min 1 | max 5 | ends 2h',
    '/closebuy',
    '/cancelbuy 1',
    '/extendbuy 1d',
    '/paid all',
    '/delivered all',
    '/export',
    '/timezone Europe/Berlin',
  ])('refuse %s from a member who is not an admin, in their language, changing nothing', async (command) => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join 2');
    const before = await state();

    expect(textsOf(await h.command(bob, command))).toEqual(['Sorry, only group admins can do that.']);
    expect(textsOf(await h.command(wang, command))).toEqual(['抱歉，只有群管理员可以这样做。']);

    expect(await state()).toEqual(before);
  });

  it('ask the platform who is an admin each time, so a demoted admin is refused', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    h.port.admins.delete(anna.id);
    await h.command(anna, '/closebuy');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    expect((await h.buy(1))?.status).toBe('open');
  });

  it('answer refusals privately where the platform can (the reply is marked private)', async () => {
    const { replies } = await h.command(bob, '/closebuy');
    expect(replies).toEqual([{ kind: 'message', to: { chatId: GROUP.id }, text: 'Sorry, only group admins can do that.', private: true }]);
  });
});

describe('/lang', () => {
  it('sets the group language when an admin asks, and the member language otherwise', async () => {
    await h.command(anna, '/lang zh');
    expect(h.lastMessageIn()).toBe('好的：本群将使用简体中文。');
    await h.command(bob, '/help');
    expect(h.lastMessageIn()).toMatch(/^tuanbot：在群里接龙拼团。/);

    await h.command(bob, '/lang en');
    // A member sets their own language; the group keeps the admins' choice, and the answer says so.
    expect(h.lastMessageIn()).toBe("Done: I will speak English with you. In this group I keep to the group's language, 简体中文, which admins set.");
    await h.command(bob, '/help');
    expect(h.lastMessageIn()).toMatch(/^tuanbot：在群里接龙拼团。/);
    expect((await h.store.getGroup(GROUP.id))?.language).toBe('zh-CN');
    expect((await h.store.getMember(bob.id))?.language).toBe('en');

    await h.command(laoLi, '/lang auto');
    expect(h.lastMessageIn()).toBe('好的：我会用每位成员自己的语言回复。');
    await h.command(bob, '/help');
    expect(h.lastMessageIn()).toMatch(/^tuanbot: group buys inside the chat\./);
  });

  it('writes DMs in the member chosen language, whatever the platform hint', async () => {
    await h.command(wang, '/lang en', { chat: 'private' });
    expect(h.dmsTo(wang)).toEqual(['Done: I will speak English with you.']);
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(wang, '/join');
    await h.command(anna, `/closebuy ${buy.id}`);
    expect(h.dmsTo(wang).at(-1)).toBe('✅ #1 Tea is formed. You have ×1 at ¥10.00: ¥10.00 in total.');
  });

  it('refuses a language it does not know', async () => {
    await h.command(alice, '/lang fr');
    expect(h.lastMessageIn()).toBe('Usage: /lang zh, /lang en, or /lang auto (each member in their own language).');
  });
});

describe('Core.handle', () => {
  it('stays quiet about unknown commands in a group but answers them privately', async () => {
    expect(await h.command(alice, '/weather')).toEqual({ replies: [], duplicate: false });
    await h.command(wang, '/weather', { chat: 'private' });
    expect(h.dmsTo(wang)).toEqual(['我不认识 /weather。\n我通过命令工作。在私聊里可以用 /mybuys /lang /review /mydata /forgetme /help /stop /cancel；其他命令请在群里使用。发送 /help 查看全部命令。']);
  });

  it('ignores other bots', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command({ id: 'tg:99', displayName: 'Spam bot', isBot: true }, '/join');
    expect(await h.db.prisma.signUp.count()).toBe(0);
  });

  it('reads a command addressed to the bot by name', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join@tuanbot 2');
    expect(await h.participants(1)).toEqual(['Alice ×2']);
  });

  it('lists its commands in both languages', () => {
    const english = h.core.commandList('en');
    const chinese = h.core.commandList('zh-CN');
    expect(english.map((c) => c.name)).toEqual(chinese.map((c) => c.name));
    expect(english.find((c) => c.name === 'join')?.description).toBe('Join the newest buy: /join [qty] [variant] [note <text>], or a buy by number: /join #<buy-id> [qty]');
    expect(chinese.find((c) => c.name === 'newbuy')).toEqual({ name: 'newbuy', description: '发起拼团（管理员）', audience: 'admin', zhName: '开团', args: expect.any(Array) });
    expect(chinese.find((c) => c.name === 'newbuy')?.args?.map((a) => a.name)).toEqual(['title', 'price', 'min', 'max', 'ends', 'limit', 'tiers', 'pickup', 'product', 'variants', 'description', 'photo']);
    expect(english.some((c) => c.name === 'start')).toBe(false);
  });
});

describe('a failing platform delivery', () => {
  const isJoinConfirmation = (reply: Reply) => reply.kind === 'message' && reply.text.startsWith('Alice joined');

  it('does not lose the join it was confirming', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    h.port.failWhen = isJoinConfirmation;
    const result = await h.command(alice, '/join 2');
    expect(result.replies).toEqual([]);
    expect(await h.participants(1)).toEqual(['Alice ×2']);
    expect(h.logger.entries.map((e) => e.msg)).toContain('delivery failed');
    expect(await h.cardText()).toContain('1. Alice ×2');
  });

  it('does not lose a buy whose card could not be posted, and later changes still work', async () => {
    h.port.failWhen = (reply) => reply.kind === 'message' && reply.card !== undefined;
    await h.command(anna, '/newbuy Tea | 10 | min 1 | max 5 | ends 2h');
    h.port.failWhen = undefined;
    const buy = await h.buy(1);
    expect(buy).toMatchObject({ status: 'open', cardMessageId: null });
    expect(h.scheduler.jobs.filter((j) => j.name === 'buy.deadline')).toHaveLength(1);

    await h.command(alice, '/join');
    await h.flushCards();
    expect(await h.participants(1)).toEqual(['Alice ×1']);
    expect(h.port.delivered.filter((d) => d.reply.kind === 'edit')).toEqual([]);
  });

  it('does not lose a close whose announcements all fail', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join');
    h.port.failWhen = () => true;
    await h.advanceAndRunJobs(2 * HOUR);
    expect((await h.buy(1))?.status).toBe('formed');
    expect(h.port.refused.length).toBeGreaterThanOrEqual(2);
  });

  it('logs a failed card edit and keeps the state', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    h.port.failWhen = (reply) => reply.kind === 'edit';
    await h.command(alice, '/join');
    await h.flushCards();
    expect(h.logger.entries.map((e) => e.msg)).toContain('card refresh failed');
    expect(await h.participants(1)).toEqual(['Alice ×1']);
  });

  it('does not lose a buy when the job queue is down: the sweep closes it later', async () => {
    h.scheduler.failing = true;
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    expect(h.logger.entries.map((e) => e.msg)).toContain('after-commit work failed');
    expect(h.scheduler.jobs).toEqual([]);
    h.clock.advance(2 * HOUR);
    expect(await h.core.sweepDue()).toBe(1);
    expect((await h.buy(1))?.status).toBe('failed');
  });
});
