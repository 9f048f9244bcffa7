/**
 * The Reviews page in headless Chromium (one browser for the file): reviews given in the chat's private flow (star
 * buttons, words, consent) and featured with /feature show as the weekly rating and sentiment chart (pixels
 * checked, screenshot taken), aspects with quotes, the negative review to answer, the featured one, and the full
 * list with the one-star review in it (nothing hidden by rating). Over plain HTTP, a script in a review is text and
 * another group's reviews are refused.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardTestKit, screenshotPath, useChromium, paintedPixels, signedIn } from '../support/dashboard.js';
import { useTelegramWorld } from '../support/platform-world.js';

const BAD = 'bad and broken <img src=x onerror="window.hacked=1"> half of them';
const dash = dashboardTestKit();
const t = useTelegramWorld(
  {
    anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
    alice: { name: 'Alice', username: 'alice', language: 'en' },
    bob: { name: '<script>window.hacked=2</script>Bob', username: 'bob', language: 'en' },
  },
  { dashboard: () => dash.access },
);
dash.attach(t);

const chromium = useChromium();

const gid = () => encodeURIComponent(`tg:${t.driver.group.id}`);

/** One buy delivered to Alice and Bob; Alice gives five stars, Bob one star and unkind words; both share; Alice's is featured. */
async function twoReviews(): Promise<void> {
  await t.driver.command('anna', '/newbuy Strawberries | 10 | min 1 | max 50 | ends 2h');
  await t.driver.command('alice', '/join 1');
  await t.driver.command('bob', '/join 1');
  await t.world.advance('2h', { runDueJobs: true });
  await t.driver.command('anna', '/delivered all');
  await t.world.advance('3d', { runDueJobs: true });
  await t.world.advance('12h', { runDueJobs: true });
  for (const [who, stars, text] of [['alice', 5, 'Perfect and fresh, loved them'], ['bob', 1, BAD]] as const) {
    await t.driver.press(who, 'rv:rate', { inPrivate: true, label: new RegExp(`^${stars}⭐$`) });
    await t.driver.post(who, text, { inPrivate: true });
    await t.driver.press(who, 'rv:media', { inPrivate: true });
    await t.driver.press(who, 'rv:share', { inPrivate: true, label: /^Yes/ });
  }
  const alices = (await t.world.store.reviews.listReviews(`tg:${t.driver.group.id}`)).find((r) => r.memberId === t.driver.memberId('alice'))!;
  await t.driver.command('anna', `/feature ${alices.id}`);
}

describe('the Reviews page', () => {
  it('charts rating and sentiment, lists aspects, the negative review to answer, the featured one and every review', async () => {
    await twoReviews();
    const page = await signedIn(chromium.browser, dash, 'anna');
    await page.goto(`${dash.url}/g/${gid()}/reviews`);
    await page.waitForSelector('canvas[data-drawn="true"]');
    const painted = await paintedPixels(page);
    expect(Object.keys(painted)).toEqual(['chart-reviews']);
    expect(painted['chart-reviews']).toBeGreaterThan(500);
    await page.screenshot({ path: screenshotPath('reviews-en.png'), fullPage: true });

    const texts = (list: string) => page.$$eval(`table.${list} td.text`, (tds) => tds.map((td) => td.textContent));
    expect(await texts('negative-list')).toEqual([BAD]);
    expect(await texts('featured-list')).toEqual(['Perfect and fresh, loved them']);
    // The full list keeps the one-star review: nothing is hidden for its rating.
    expect((await texts('all-list')).sort()).toEqual([BAD, 'Perfect and fresh, loved them'].sort());
    expect(await page.$$eval('table.all-list td.rating', (tds) => tds.map((td) => td.getAttribute('data-rating')).sort())).toEqual(['1', '5']);
    expect(await page.$eval('p.summary', (p) => p.textContent)).toMatch(/^2 reviews, average 3\.0 stars; sentiment: 1 positive, 0 neutral, 1 negative/);
    expect(await page.$$eval('ul.aspects li', (lis) => lis.map((li) => li.textContent))).toEqual(['freshness: 1 mention (1 positive, 0 negative) — Perfect and fresh, loved them']);
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.$$('script:not([src]):not(#charts)')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();
    await page.browserContext().close();
  });

  it('an admin answers the negative review from its row: sent privately in the reviewer\'s language, stored, audited, no longer waiting', async () => {
    await twoReviews();
    // Bob reads Chinese: the answer reaches him in it, whatever the admin's page language.
    await t.driver.command('bob', '/lang zh', { inPrivate: true });
    const page = await signedIn(chromium.browser, dash, 'anna');
    await page.goto(`${dash.url}/g/${gid()}/reviews`);
    const answer = 'Sorry about that <b>Bob</b>: we refund the bad half.';
    await page.type('table.negative-list form.reply textarea', answer);
    await Promise.all([page.waitForNavigation(), page.click('table.negative-list form.reply button')]);
    const bobs = (await t.world.store.reviews.listReviews(`tg:${t.driver.group.id}`)).find((r) => r.rating === 1)!;
    expect(await page.$eval('p.flash', (p) => p.textContent)).toBe(`Your answer to review #${bobs.id} was sent privately to <script>window.hacked=2</script>Bob.`);
    // Answered: it waits no more; the full list shows the answer (as text) with who sent it.
    expect(await page.$('table.negative-list')).toBeNull();
    expect(await page.$eval('main', (m) => m.textContent)).toContain('No negative review is waiting for an answer.');
    expect(await page.$eval(`table.all-list tr[data-review="${bobs.id}"] .reply-text`, (e) => e.textContent)).toBe(answer);
    expect(await page.$eval(`table.all-list tr[data-review="${bobs.id}"] td.answer`, (e) => e.textContent)).toMatch(/answered by Anna, /);
    expect(await page.$$('b')).toHaveLength(0);
    await page.screenshot({ path: screenshotPath('reviews-answered.png'), fullPage: true });

    const dm = t.driver.server.botMessages(t.driver.user('bob').id).at(-1)!.text;
    expect(dm).toBe(`💬 Strawberry friends 的管理员回复了你对 #1 Strawberries 的评价 #${bobs.id}：\n\n${answer}`);
    expect(await t.world.store.reviews.listReplies(`tg:${t.driver.group.id}`)).toMatchObject([{ reviewId: bobs.id, authorId: t.driver.memberId('anna'), text: answer }]);
    const audit = await t.world.store.dashboard.listAdminActions(`tg:${t.driver.group.id}`, 5);
    expect(audit.filter((a) => a.action === 'review.reply')).toMatchObject([{ actorName: 'Anna', detail: { reviewId: bobs.id, memberId: t.driver.memberId('bob') } }]);
    await page.browserContext().close();
  });

  it('over HTTP, an answer is refused without the CSRF token, to a moderator, when empty, and for another group\'s review; nothing is sent', async () => {
    await twoReviews();
    await t.driver.command('anna', '/mod @alice');
    const bobs = (await t.world.store.reviews.listReviews(`tg:${t.driver.group.id}`)).find((r) => r.rating === 1)!;
    const dmsBefore = t.driver.server.botMessages(t.driver.user('bob').id).length;
    const post = async (member: 'anna' | 'alice', body: Record<string, string>, csrf: 'right' | 'forged') => {
      const cookie = await dash.signIn(member);
      const token = csrf === 'right' ? /name="_csrf" value="([^"]+)"/.exec(await (await dash.fetch(`/g/${gid()}/reviews`, { cookie })).text())![1]! : 'forged';
      const response = await dash.fetch(`/g/${gid()}/api/reviews/${body.id ?? bobs.id}/reply`, {
        method: 'POST', cookie, headers: { 'content-type': 'application/json', 'x-csrf-token': token }, body: JSON.stringify({ text: body.text }),
      });
      return { status: response.status, body: (await response.json()) as { message?: string; error?: string } };
    };
    expect((await post('anna', { text: 'Sorry' }, 'forged')).status).toBe(403);
    expect(await post('alice', { text: 'Sorry' }, 'right')).toEqual({ status: 403, body: { ok: false, status: 403, message: 'Sorry, only group admins can do that.' } });
    expect(await post('anna', { text: '   ' }, 'right')).toMatchObject({ status: 400, body: { message: 'Write the answer first (up to 1000 characters). Nothing was sent.' } });
    expect(await post('anna', { text: 'x'.repeat(1001) }, 'right')).toMatchObject({ status: 400, body: { message: /^The answer is 1001 characters long/ } });
    // A review of another group, asked by id through this group's page: unknown here.
    const other = 'tg:-1009999999999';
    await t.world.store.ensureGroup({ id: other, platform: 'tg', title: 'Other group' });
    const foreign = await t.world.store.transaction(async (tx) => {
      const review = await tx.reviews.createReview({ buyId: bobs.buyId, memberId: t.driver.memberId('anna'), groupId: other, rating: 1, step: 'done', editableUntil: t.world.clock.now(), at: t.world.clock.now() });
      await tx.reviews.updateReview(review!.id, { submittedAt: t.world.clock.now(), text: 'elsewhere' }, t.world.clock.now());
      return review!;
    });
    expect(await post('anna', { text: 'Sorry', id: String(foreign.id) }, 'right')).toMatchObject({ status: 400, body: { message: `There is no submitted review #${foreign.id} in this group. Nothing was sent.` } });
    expect(await t.world.store.reviews.listReplies(`tg:${t.driver.group.id}`)).toEqual([]);
    expect(await t.world.store.reviews.listReplies(other)).toEqual([]);
    expect(t.driver.server.botMessages(t.driver.user('bob').id)).toHaveLength(dmsBefore);
  });

  it('over HTTP: a script in a review or name is text, and another group is refused', async () => {
    await twoReviews();
    const cookie = await dash.signIn('anna');
    const body = await (await dash.fetch(`/g/${gid()}/reviews`, { cookie })).text();
    expect(body).toContain('bad and broken &lt;img src=x onerror=&quot;window.hacked=1&quot;&gt; half of them');
    expect(body).toContain('&lt;script&gt;window.hacked=2&lt;/script&gt;Bob');
    expect(body).not.toContain('<img src=x');
    expect(body).not.toContain('<script>window.hacked');
    const api = (await (await dash.fetch(`/g/${gid()}/api/reviews`, { cookie })).json()) as { all: { rating: number }[] };
    expect(api.all.map((r: { rating: number }) => r.rating).sort()).toEqual([1, 5]);

    const other = 'tg:-1009999999999';
    await t.world.store.ensureGroup({ id: other, platform: 'tg', title: 'Other group' });
    for (const path of [`/g/${encodeURIComponent(other)}/reviews`, `/g/${encodeURIComponent(other)}/api/reviews`]) {
      const response = await dash.fetch(path, { cookie });
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain('Other group');
    }
  });
});
