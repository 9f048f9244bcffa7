import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { alice, anna, bob, carol, HOUR, laoLi, MINUTE, textsOf, useCoreHarness, wang, zhang } from '../../support/core-harness.js';
import { cardNow, share } from './likes-helpers.js';

const h = useCoreHarness();
const dave: Actor = { id: 'tg:14', displayName: 'Dave', username: 'dave', languageCode: 'en' };
const completions = (memberId: string) => h.db.prisma.pointEntry.findMany({ where: { memberId, reason: 'round_complete' } });

/** Alice, Bob, Carol and Dave each share and drop; returns nothing. Share ids: Alice 1, Bob 2, Carol 3, Dave 4. */
async function fourInRound(duration = '2h'): Promise<void> {
  await h.command(anna, `/likeround ${duration}`);
  for (const m of [alice, bob, carol, dave]) await share(h, m, `${m.displayName}'s tea`);
  await h.command(alice, '/drop');
  await h.press(bob, 'rd:1');
  await h.command(carol, '/drop 3');
  await h.command(dave, '/drop');
}

describe('like rounds', () => {
  it('opens a round, takes drops, keeps the list up to date, and reports completers and warnings at the end', async () => {
    await fourInRound();
    expect(h.toasts()).toContain('Share 2 is in like round 1.');
    // Alice and Bob like every other share; Carol likes one; Dave takes likes and gives none.
    for (const [liker, shares] of [[alice, [2, 3, 4]], [bob, [1, 3, 4]], [carol, [1]]] as const) for (const s of shares) await h.press(liker, `lk:${s}`);
    const list = await cardNow(h, 'round:1');
    expect(list.text).toContain('1. Alice · share 1 · liked 3/3 ✅');
    expect(list.text).toContain('3. Carol · share 3 · liked 1/3');
    expect(list.text).toContain('4. Dave · share 4 · liked 0/3');
    expect(list.buttons).toEqual(['📥 Drop my latest share']);

    await h.advanceAndRunJobs(2 * HOUR);
    const report = h.lastMessageIn();
    expect(report).toContain('🔁 Like round 1 has ended (4 shares).');
    expect(report).toMatch(/✅ Liked every other share: Alice( \(\+\d+\))?, Bob/);
    expect(report).toContain('➖ Did not complete: Carol, Dave');
    expect(report).toContain('⚠️ Warned (received likes, gave none): Dave (1/3)');
    expect(h.dmsTo(dave).at(-1)).toContain('⚠️ Warning 1/3 in Strawberry friends');
    expect((await completions(alice.id)).map((p) => p.reference)).toEqual(['round:1']);
    expect(await completions(carol.id)).toEqual([]);
    expect((await cardNow(h, 'round:1')).text).toContain('🔁 Like round 1 · ended');
    // The job and the sweep running again change nothing.
    expect(await h.core.sweepDue()).toBe(0);
    await h.core.runJob('likes.round_end', { roundId: 1 });
    expect(await completions(alice.id)).toHaveLength(1);
    expect(await h.db.prisma.memberWarning.count()).toBe(1);
  });

  it('leaves a member out after three warnings until an admin lifts it', async () => {
    for (let round = 1; round <= 3; round++) {
      await h.command(anna, '/likeround 1h');
      for (const m of [alice, bob, dave]) await share(h, m, `round ${round}`);
      for (const m of [alice, bob, dave]) await h.command(m, '/drop');
      const ids = (await h.db.prisma.likeRoundEntry.findMany({ where: { roundId: round }, orderBy: { joinedAt: 'asc' } })).map((e) => e.shareId);
      await h.press(alice, `lk:${ids[1]}`);
      await h.press(alice, `lk:${ids[2]}`);
      await h.press(bob, `lk:${ids[2]}`);
      await h.advanceAndRunJobs(HOUR);
    }
    expect(h.lastMessageIn()).toContain('⛔ Left out of rounds until an admin lifts it: Dave');
    expect(h.dmsTo(dave).at(-1)).toContain('You are left out of like rounds until an admin lifts it.');
    await h.command(anna, '/likeround 1h');
    await share(h, dave, 'again');
    expect(textsOf(await h.command(dave, '/drop'))).toEqual(['You are left out of like rounds after three warnings, until an admin lifts it.']);
    expect(textsOf(await h.command(bob, '/liftwarnings @dave'))).toEqual(['Sorry, only group admins can do that.']);
    expect(textsOf(await h.command(anna, '/liftwarnings @dave'))).toEqual(['Lifted 3 warnings of Dave; they can join like rounds again.']);
    expect(textsOf(await h.command(dave, '/drop'))).toEqual(['Dave dropped share 10 into like round 4.']);
  });

  it('ends without rewards or warnings below the group minimum, which admins can change', async () => {
    await h.command(anna, '/likeround 30m');
    await share(h, alice, 'a');
    await share(h, bob, 'b');
    await h.command(alice, '/drop');
    await h.command(bob, '/drop');
    await h.press(alice, 'lk:2');
    await h.advanceAndRunJobs(30 * MINUTE);
    expect(h.lastMessageIn()).toBe('🔁 Like round 1 has ended with 2 shares; at least 3 are needed, so there are no rewards or warnings this time.');
    expect(await h.db.prisma.memberWarning.count()).toBe(0);
    await h.command(anna, '/likeconfig minentries 2');
    await h.command(anna, '/likeround 30m');
    await h.command(alice, '/drop');
    await h.command(bob, '/drop');
    await h.advanceAndRunJobs(30 * MINUTE);
    expect(h.lastMessageIn()).toContain('⚠️ Warned (received likes, gave none): Bob (1/3)');
  });

  it('refuses what a round does not allow', async () => {
    expect(textsOf(await h.command(alice, '/drop'))).toEqual(['There is no open like round in this group.']);
    expect(textsOf(await h.command(anna, '/likeround 5m'))).toEqual(['A round lasts between 10 minutes and 7 days.']);
    await h.command(anna, '/likeround 1h');
    expect(textsOf(await h.command(anna, '/likeround 1h'))).toEqual(['Like round 1 is still open; it must end first.']);
    expect(textsOf(await h.command(alice, '/drop'))).toEqual(['You have no share in this group yet: post one with /share first.']);
    await share(h, bob, 'b');
    expect(textsOf(await h.command(alice, '/drop 1'))).toEqual(['Share 1 is not yours: drop one of your own shares.']);
    await h.command(bob, '/drop');
    expect(textsOf(await h.command(bob, '/drop'))).toEqual(['You are already in round 1 with share 1.']);
  });

  it('speaks Chinese, and a sweep ends a round whose job was lost', async () => {
    await h.command(laoLi, '/lang zh');
    await h.command(laoLi, '/likeround 1小时');
    expect((await cardNow(h, 'round:1')).text).toContain('🔁 互赞轮 1 · 截至');
    for (const m of [wang, zhang, alice]) {
      await share(h, m, '好');
      await h.command(m, '/drop');
    }
    await h.press(wang, 'lk:2');
    await h.press(wang, 'lk:3');
    h.clock.advance(HOUR);
    expect(await h.core.sweepDue()).toBe(1);
    const report = h.lastMessageIn();
    expect(report).toContain('🔁 互赞轮 1 已结束（3 条晒单）。');
    expect(report).toContain('✅ 赞了其他每一条：王芳');
    expect(report).toContain('⚠️ 警告（收到赞却一个没给）：张伟（1/3）、Alice（1/3）');
  });
});
