/**
 * The Likes page in headless Chromium (one browser for the file): shares and likes made in the chat (/share, the
 * Like button), the like graph drawn as an SVG on the server (names as text), and a fake-engagement case confirmed
 * with the page's button through the chat's use case (its likes stop counting). Over plain HTTP: a script in a name
 * is text, a POST without the CSRF token or for another group's case changes nothing, another group is refused.
 */
import { describe, expect, it } from 'vitest';
import { dashboardTestKit, screenshotPath, useChromium, signedIn } from '../support/dashboard.js';
import { useTelegramWorld } from '../support/platform-world.js';

const EVIL = '<script>window.hacked=1</script>Alice';
const dash = dashboardTestKit();
const t = useTelegramWorld(
  {
    anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
    alice: { name: EVIL, username: 'alice', language: 'en' },
    bob: { name: 'Bob', username: 'bob', language: 'en' },
    carl: { name: 'Carl', username: 'carl', language: 'en' },
    mia: { name: 'Mia', username: 'mia', language: 'en' },
  },
  { dashboard: () => dash.access },
);
dash.attach(t);

const chromium = useChromium();

const groupId = () => `tg:${t.driver.group.id}`;
const gid = () => encodeURIComponent(groupId());

/** Alice shares (liked by Bob and Carl), Bob shares (liked by Alice); a ring case on Bob and Carl over share 1. */
async function likesAndACase(): Promise<number> {
  await t.driver.command('anna', '/liketask goal 2 | within 48h | reward 5');
  await t.driver.command('alice', '/share <b>Huge</b> strawberries', { photo: 'berries.jpg' });
  await t.driver.press('bob', 'lk', { cardNumber: 1 });
  await t.driver.press('carl', 'lk', { cardNumber: 1 });
  await t.driver.command('bob', '/share Tea leaves', { photo: 'tea.jpg' });
  await t.driver.press('alice', 'lk', { cardNumber: 2 });
  const [bob, carl, alice] = ['bob', 'carl', 'alice'].map((m) => t.driver.memberId(m));
  const flagCase = await t.world.store.transaction((tx) =>
    tx.moderation.createCase({
      groupId: groupId(), chatId: groupId(), kind: 'ring', evidenceKey: 'test:ring:1', createdAt: t.world.clock.now(),
      evidence: { accounts: [bob!, carl!], posts: ['1'], authors: [alice!] },
      members: [{ memberId: bob!, score: 0.9, reasons: ['liked together'] }, { memberId: carl!, score: 0.9, reasons: ['liked together'] }],
    }),
  );
  return flagCase!.id;
}

describe('the Likes page', () => {
  it('shows shares, the like graph as an SVG, and confirms a case through the chat\'s use case', async () => {
    const caseId = await likesAndACase();
    const page = await signedIn(chromium.browser, dash, 'anna');
    await page.goto(`${dash.url}/g/${gid()}/likes`);
    expect(await page.$$eval('table.shares td.likes', (tds) => tds.map((td) => td.textContent))).toEqual(['1', '2']);
    expect(await page.$$eval('table.shares td.text', (tds) => tds.map((td) => td.textContent))).toContain('<b>Huge</b> strawberries');
    // The graph: three members, three arrows (Bob and Carl to Alice, Alice to Bob), drawn at a real size.
    expect(await page.$$eval('#like-graph g.node text', (ts) => ts.map((x) => x.textContent).sort())).toEqual([EVIL, 'Bob', 'Carl'].sort());
    expect(await page.$$('#like-graph line.edge')).toHaveLength(3);
    expect(await page.$eval('ul.tasks', (ul) => ul.textContent)).toBe('Task #1: 2 likes within 2880 minutes for 5 points; reached by 1 share.');
    const box = await (await page.$('#like-graph'))!.boundingBox();
    expect(box!.width).toBeGreaterThan(400);
    await page.screenshot({ path: screenshotPath('likes-en.png'), fullPage: true });
    expect(await page.$$('b, script:not([src]):not(#charts)')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();

    await Promise.all([page.waitForNavigation(), page.click(`tr[data-case="${caseId}"] button[value="confirm"]`)]);
    expect(await page.$eval('.flash', (e) => e.textContent)).toBe(`#${caseId}: confirmed by Anna`);
    expect((await t.world.store.moderation.getCase(caseId))?.status).toBe('confirmed');
    expect(await page.$eval(`tr[data-case="${caseId}"] td.status`, (td) => td.textContent)).toBe('confirmed by Anna');
    expect(await page.$$(`tr[data-case="${caseId}"] button`)).toHaveLength(0);
    // Bob's and Carl's likes on share 1 stopped counting.
    expect((await t.world.store.likes.getShare(1))?.likeCount).toBe(0);
    await page.browserContext().close();
  });

  it('lists every round and like task with its completion and who completed it, and downloads the like graph as a PNG', async () => {
    await t.driver.command('anna', '/liketask goal 2 | within 48h | reward 5');
    await t.driver.command('anna', '/likeround 1h');
    for (const member of ['alice', 'bob', 'carl']) {
      await t.driver.command(member, `/share ${member}'s bowl`);
      await t.driver.press(member, 'rd', { cardNumber: 1 });
    }
    // Alice likes both other shares (she completes the round); Bob and Carl like only Alice's (her share reaches the task's goal).
    await t.driver.press('alice', 'lk', { cardNumber: 3 });
    await t.driver.press('alice', 'lk', { cardNumber: 4 });
    await t.driver.press('bob', 'lk', { cardNumber: 2 });
    await t.driver.press('carl', 'lk', { cardNumber: 2 });
    await t.world.advance('1h', { runDueJobs: true });
    await t.driver.command('anna', '/endliketask 1');

    const page = await signedIn(chromium.browser, dash, 'anna');
    await page.goto(`${dash.url}/g/${gid()}/likes`);
    const row = (table: string, id: string) => page.$$eval(`table.${table} tr[data-${table === 'rounds' ? 'round' : 'task'}="${id}"] td`, (tds) => tds.map((td) => td.textContent));
    const round = await row('rounds', '1');
    expect([round[0], round[2], round[3], round[4]]).toEqual(['#1', 'closed', '1 of 3 (33 %)', EVIL]);
    const task = await row('task-history', '1');
    expect([task[0], task[1], task[3], task[4]]).toEqual(['#1', '2 likes within 2880 minutes, 5 points', '1 of 3 (33 %)', EVIL]);
    expect(task[2]).toMatch(/^ended /);
    await page.screenshot({ path: screenshotPath('likes-history.png'), fullPage: true });

    // The picture link: a PNG drawn on the server, of the graph's size.
    const href = await page.$eval('a.graph-png', (a) => a.getAttribute('href'));
    const png = await page.evaluate(async (path) => {
      const response = await fetch(path!);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { type: response.headers.get('content-type'), head: [...bytes.slice(0, 24)], length: bytes.length };
    }, href);
    expect(png.type).toBe('image/png');
    expect(png.head.slice(0, 8)).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = (png.head[16]! << 24) | (png.head[17]! << 16) | (png.head[18]! << 8) | png.head[19]!;
    expect(width).toBe(520);
    expect(png.length).toBeGreaterThan(2000);
    await page.browserContext().close();
  });

  it('over HTTP: names are text, a forged or foreign decision changes nothing, a moderator dismisses, another group is refused', async () => {
    const caseId = await likesAndACase();
    const cookie = await dash.signIn('anna');
    const body = await (await dash.fetch(`/g/${gid()}/likes`, { cookie })).text();
    expect(body).toContain('&lt;script&gt;window.hacked=1&lt;/script&gt;Alice');
    expect(body).not.toContain(EVIL);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(body)![1]!;

    const noToken = await dash.fetch(`/g/${gid()}/likes/cases/${caseId}/dismiss`, { method: 'POST', cookie });
    expect(noToken.status).toBe(403);
    expect((await t.world.store.moderation.getCase(caseId))?.status).toBe('open');

    const other = 'tg:-1009999999999';
    await t.world.store.ensureGroup({ id: other, platform: 'tg', title: 'Other group' });
    const foreign = await t.world.store.transaction((tx) =>
      tx.moderation.createCase({
        groupId: other, chatId: other, kind: 'burst', evidenceKey: 'test:other', createdAt: t.world.clock.now(),
        evidence: { accounts: [t.driver.memberId('bob')!], posts: [], authors: [] }, members: [{ memberId: t.driver.memberId('bob')!, score: 1, reasons: [] }],
      }),
    );
    const crossed = await dash.fetch(`/g/${gid()}/likes/cases/${foreign!.id}/dismiss`, {
      method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(crossed.status).toBe(404);
    expect((await t.world.store.moderation.getCase(foreign!.id))?.status).toBe('open');

    // A moderator named with /mod decides as the chat's alert lets them: Dismiss runs the same use case.
    await t.driver.command('mia', '/liketasks');
    await t.driver.command('anna', '/mod @mia');
    const mod = await dash.signIn('mia');
    const modCsrf = /name="_csrf" value="([^"]+)"/.exec(await (await dash.fetch(`/g/${gid()}/likes`, { cookie: mod })).text())![1]!;
    const dismissed = await dash.fetch(`/g/${gid()}/likes/cases/${caseId}/dismiss`, {
      method: 'POST', cookie: mod, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: modCsrf }),
    });
    expect(dismissed.status).toBe(303);
    const decided = await t.world.store.moderation.getCase(caseId);
    expect([decided?.status, decided?.handledById]).toEqual(['dismissed', t.driver.memberId('mia')]);

    for (const path of [`/g/${encodeURIComponent(other)}/likes`, `/g/${encodeURIComponent(other)}/api/likes`]) {
      const response = await dash.fetch(path, { cookie });
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain('Other group');
    }
  });
});
