import { describe, expect, it } from 'vitest';
import { DAY, alice, anna, bob, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

/** A formed buy (Tea, max 6) with Alice ×2, Bob ×1 and 王芳 ×2; returns its id. */
async function formedBuy(): Promise<number> {
  const buy = await h.openBuy('Tea | 10 | min 3 | max 6 | ends 2h');
  await h.command(alice, '/join 2');
  await h.command(bob, '/join 1');
  await h.command(wang, '/join 2');
  await h.command(anna, '/closebuy');
  return buy.id;
}

const deliveryPoints = async (memberId: string) =>
  (await h.db.prisma.pointEntry.aggregate({ where: { memberId, reason: 'purchase_delivered' }, _sum: { amount: true } }))._sum.amount ?? 0;

describe('/unpaid', () => {
  it('removes paid marks like /paid sets them, and says when there is nothing to remove', async () => {
    const id = await formedBuy();
    await h.command(anna, '/paid all');
    await h.command(anna, '/unpaid @alice');
    expect(h.lastMessageIn()).toBe('↩️ Paid mark removed in #1: Alice.');
    expect((await h.signUps(id)).map((s) => `${s.displayName}:${s.paidAt ? 'paid' : '-'}`)).toEqual(['Alice:-', 'Bob:paid', '王芳:paid']);
    expect(await h.cardText()).toContain('1. Alice ×2\n2. Bob ×1 (paid)');
    await h.command(anna, '/unpaid @alice');
    expect(h.lastMessageIn()).toBe('Nothing to change in #1: nobody named is marked paid.');
    await h.command(laoLi, `/unpaid ${id} all`);
    expect(h.lastMessageIn()).toBe('↩️ #1 已取消付款标记：Bob、王芳。');
    expect(await h.db.prisma.adminAction.count({ where: { action: 'signup.unpaid' } })).toBe(2);
    await h.command(anna, '/unpaid');
    expect(h.lastMessageIn()).toBe("Usage: /unpaid [buy-id] @member|all (or reply to the member's message).");
  });
});

describe('/undelivered', () => {
  it('removes the purchase, takes back its points, withdraws the review request not yet sent, and tells the member', async () => {
    const id = await formedBuy();
    await h.command(anna, '/delivered all');
    expect(await h.db.prisma.purchase.count()).toBe(3);
    expect(await deliveryPoints(alice.id)).toBe(20);
    expect(await h.db.prisma.reviewRequest.count({ where: { status: 'pending' } })).toBe(3);

    await h.command(anna, '/undelivered @alice');
    expect(h.lastMessageIn()).toBe('↩️ Delivered mark removed in #1: Alice.');
    expect(h.dmsTo(alice).at(-1)).toBe(
      '↩️ Your order from #1 Tea was marked delivered by mistake; the mark is removed. You will hear again when it is delivered.',
    );
    expect(await h.db.prisma.purchase.findMany({ select: { memberId: true }, orderBy: { memberId: 'asc' } })).toEqual([{ memberId: bob.id }, { memberId: wang.id }]);
    expect(await deliveryPoints(alice.id)).toBe(0);
    expect(await deliveryPoints(bob.id)).toBe(20);
    expect((await h.db.prisma.reviewRequest.findFirstOrThrow({ where: { memberId: alice.id } })).status).toBe('expired');
    expect(await h.db.prisma.reminderPlan.count({ where: { memberId: alice.id, status: 'pending' } })).toBe(0);
    expect(await h.cardText()).toContain('1. Alice ×2\n2. Bob ×1 (delivered)');

    // The review request's job, when it comes, finds nothing to send to Alice.
    await h.advanceAndRunJobs(10 * DAY);
    expect(h.dmsTo(alice).filter((t) => t.includes('review') || t.includes('评价'))).toEqual([]);
  });

  it('counts nothing twice when a delivery is un-marked and marked again', async () => {
    await formedBuy();
    await h.command(anna, '/delivered @alice');
    await h.command(anna, '/undelivered @alice');
    await h.command(anna, '/undelivered @alice');
    expect(h.lastMessageIn()).toBe('Nothing to change in #1: nobody named is marked delivered.');
    await h.command(anna, '/delivered @alice');
    expect(await h.db.prisma.purchase.count({ where: { memberId: alice.id } })).toBe(1);
    expect(await deliveryPoints(alice.id)).toBe(20);
    expect(await h.db.prisma.reviewRequest.findMany({ where: { memberId: alice.id }, select: { status: true } })).toEqual([{ status: 'pending' }]);
    await h.command(anna, '/undelivered @alice');
    await h.command(anna, '/delivered @alice');
    expect(await deliveryPoints(alice.id)).toBe(20);
    expect(await h.db.prisma.pointEntry.count({ where: { memberId: alice.id, reason: 'purchase_delivered' } })).toBe(5);
  });

  it('is in the member language, and refuses someone not in the buy', async () => {
    await formedBuy();
    await h.command(laoLi, '/delivered all');
    await h.command(laoLi, '/undelivered @wangfang');
    expect(h.lastMessageIn()).toBe('↩️ #1 已取消送达标记：王芳。');
    expect(h.dmsTo(wang).at(-1)).toBe('↩️ 你在 #1 Tea 的订单之前被误标为已送达，现已取消。实际送达时会再通知你。');
    await h.command(anna, '/undelivered @carol');
    expect(h.lastMessageIn()).toBe('@carol is not a participant of #1.');
  });
});

describe('marks on a buy that did not go ahead', () => {
  it('say the buy failed or was cancelled, not "not formed yet" or "already marked"', async () => {
    await h.openBuy('Tea | 10 | min 5 | max 6 | ends 2h');
    await h.command(alice, '/join 1');
    await h.command(anna, '/closebuy');
    await h.command(anna, '/delivered 1 all');
    expect(h.lastMessageIn()).toBe('#1 did not go ahead (failed): there is nothing to deliver.');
    await h.command(anna, '/paid 1 all');
    expect(h.lastMessageIn()).toBe('#1 did not go ahead (failed): nobody pays, so there is nothing to mark paid.');
    await h.command(laoLi, '/paid 1 all');
    expect(h.lastMessageIn()).toBe('#1 本团未成团：无需付款，所以没有可标记的付款。');
    await h.openBuy('Rice | 10 | min 5 | max 6 | ends 2h');
    await h.command(anna, '/cancelbuy 2');
    await h.command(laoLi, '/delivered 2 all');
    expect(h.lastMessageIn()).toBe('#2 本团已取消：没有需要送达的订单。');
  });

  it('say when a buy has nobody to mark', async () => {
    await h.openBuy('Tea | 10 | min 5 | max 6 | ends 2h');
    await h.command(anna, '/paid all');
    expect(h.lastMessageIn()).toBe('#1 has no participants: there is nobody to mark.');
  });
});
