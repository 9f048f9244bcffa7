import { describe, expect, it } from 'vitest';
import { HOUR, alice, anna, bob, carol, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

/** Opens a buy (max 6, tier at 5), signs up Alice ×2, Bob ×1 and 王芳 ×2, and returns its id. */
async function buyWithThree(): Promise<number> {
  const buy = await h.openBuy('Tea | 10 | min 3 | max 6 | ends 2h | tiers 5:8 | pickup East gate');
  await h.command(alice, '/join 2');
  await h.command(bob, '/join 1');
  await h.command(wang, '/join 2');
  return buy.id;
}

const marks = async (buyId: number) =>
  (await h.signUps(buyId)).map((s) => `${s.displayName}:${s.paidAt ? 'paid' : '-'}:${s.deliveredAt ? 'delivered' : '-'}`);

describe('/paid', () => {
  it('marks one member paid by @username and shows it on the card', async () => {
    const id = await buyWithThree();
    await h.command(anna, '/paid @alice');
    expect(h.lastMessageIn()).toBe('💵 Marked paid in #1: Alice.');
    expect(await marks(id)).toEqual(['Alice:paid:-', 'Bob:-:-', '王芳:-:-']);
    expect(await h.cardText()).toContain('1. Alice ×2 (paid)');
    expect(await h.db.prisma.adminAction.count({ where: { action: 'signup.paid' } })).toBe(1);
  });

  it('marks the member whose message the admin replied to', async () => {
    const id = await buyWithThree();
    await h.command(laoLi, '/paid', { mentions: [bob] });
    expect(h.lastMessageIn()).toBe('💵 #1 已标记付款：Bob。');
    expect(await marks(id)).toEqual(['Alice:-:-', 'Bob:paid:-', '王芳:-:-']);
  });

  it('marks everyone with all, naming only those who changed, and a second time changes nothing', async () => {
    const id = await buyWithThree();
    await h.command(anna, '/paid bob');
    await h.command(anna, `/paid ${id} all`);
    expect(h.lastMessageIn()).toBe('💵 Marked paid in #1: Alice, 王芳.');
    expect(await marks(id)).toEqual(['Alice:paid:-', 'Bob:paid:-', '王芳:paid:-']);
    await h.command(anna, '/paid all');
    expect(h.lastMessageIn()).toBe('Nothing to change in #1: everyone named is already marked paid.');
  });

  it('refuses someone who is not a participant, and a bare /paid', async () => {
    const id = await buyWithThree();
    await h.command(anna, '/paid @carol');
    expect(h.lastMessageIn()).toBe('@carol is not a participant of #1.');
    await h.command(laoLi, '/paid', { mentions: [carol] });
    expect(h.lastMessageIn()).toBe('Carol 不是 #1 的参团成员。');
    await h.command(anna, '/paid');
    expect(h.lastMessageIn()).toBe("Usage: /paid [buy-id] @member|all (or reply to the member's message).");
    expect(await marks(id)).toEqual(['Alice:-:-', 'Bob:-:-', '王芳:-:-']);
  });

  it('does not mark waitlisted members', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 1 | ends 2h');
    await h.command(alice, '/join');
    await h.command(bob, '/join');
    await h.command(anna, '/paid all');
    expect(await marks(buy.id)).toEqual(['Alice:paid:-', 'Bob:-:-']);
    await h.command(anna, '/paid @bob');
    expect(h.lastMessageIn()).toBe('@bob is not a participant of #1.');
  });
});

describe('/delivered', () => {
  it('needs a formed buy', async () => {
    const id = await buyWithThree();
    await h.command(anna, '/delivered all');
    expect(h.lastMessageIn()).toBe('#1 has not formed yet: delivery can be marked once it has.');
    await h.command(laoLi, '/delivered all');
    expect(h.lastMessageIn()).toBe('#1 尚未成团：成团后才能标记送达。');
    await h.command(anna, `/cancelbuy ${id}`);
    await h.command(anna, `/delivered ${id} all`);
    expect(h.lastMessageIn()).toBe('#1 did not go ahead (cancelled): there is nothing to deliver.');
    expect(await h.db.prisma.purchase.count()).toBe(0);
  });

  it('marks delivery, tells each member privately in their language and records each purchase once', async () => {
    const id = await buyWithThree();
    await h.advanceAndRunJobs(2 * HOUR);
    const closedAt = h.clock.now();
    h.clock.advance(24 * HOUR);

    await h.command(anna, '/delivered @wangfang');
    expect(h.lastMessageIn()).toBe('📦 Marked delivered in #1: 王芳.');
    // The delivery notice is followed by the invitation to share the buy (core/likes).
    expect(h.dmsTo(wang).slice(-2)).toEqual(['📦 你在 #1 Tea 的订单已标记送达，祝使用愉快！', '📸 晒一晒：对 #1 Tea 满意吗？在群里用 /share #1 加几句话分享一张图片，朋友们就能为你点赞。']);
    await h.command(anna, '/delivered all');
    expect(h.lastMessageIn()).toBe('📦 Marked delivered in #1: Alice, Bob.');
    expect(h.dmsTo(alice).at(-2)).toBe('📦 Your order from #1 Tea is marked delivered. Enjoy!');
    await h.command(anna, '/delivered all');
    await h.resend();
    await h.command(laoLi, `/delivered ${id} @alice`);
    expect(h.lastMessageIn()).toBe('#1 没有需要修改的：所指成员都已标记为已送达。');

    const purchases = await h.db.prisma.purchase.findMany({ orderBy: { id: 'asc' } });
    expect(purchases.map((p) => ({ member: p.memberId, quantity: p.quantity, price: p.unitPriceCents, product: p.product, buyId: p.buyId }))).toEqual([
      { member: wang.id, quantity: 2, price: 800, product: 'tea', buyId: id },
      { member: alice.id, quantity: 2, price: 800, product: 'tea', buyId: id },
      { member: bob.id, quantity: 1, price: 800, product: 'tea', buyId: id },
    ]);
    expect(purchases.every((p) => p.purchasedAt.getTime() === closedAt.getTime() && p.deliveredAt.getTime() === h.clock.now().getTime())).toBe(true);
    expect(await marks(id)).toEqual(['Alice:-:delivered', 'Bob:-:delivered', '王芳:-:delivered']);
    expect(await h.cardText()).toContain('1. Alice ×2 (delivered)');
  });

  it('records the purchase even when the member cannot be told privately', async () => {
    await buyWithThree();
    await h.advanceAndRunJobs(2 * HOUR);
    h.port.dmBlocked.add(bob.id);
    await h.command(anna, '/delivered @bob');
    expect(h.lastMessageIn()).toBe('📦 Marked delivered in #1: Bob.');
    expect(await h.db.prisma.purchase.count({ where: { memberId: bob.id } })).toBe(1);
  });
});
