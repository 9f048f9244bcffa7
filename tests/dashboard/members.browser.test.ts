/**
 * The Members page in headless Chromium (one browser for the file): levels, points, streaks, badges, last order and
 * churn risk from chat activity, two drawn charts, the search, a member's page with ledger and orders; over plain
 * HTTP, a script in a member's name stays text and another group's members are refused.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardTestKit, screenshotPath, useChromium, paintedPixels, signedIn } from '../support/dashboard.js';
import { useTelegramWorld } from '../support/platform-world.js';

const EVIL = '<script>window.hacked=1</script>Alice';
const dash = dashboardTestKit();
const t = useTelegramWorld(
  {
    anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
    alice: { name: EVIL, username: 'alice', language: 'en' },
    bob: { name: 'Bob', username: 'bob', language: 'en' },
  },
  { dashboard: () => dash.access },
);
dash.attach(t);

const chromium = useChromium();

const gid = () => encodeURIComponent(`tg:${t.driver.group.id}`);

/** Alice buys twice (delivered), checks in, gets an adjustment; Bob joins one buy and leaves nothing else. */
async function activity(): Promise<void> {
  await t.driver.command('anna', '/newbuy Berries | 20 | min 1 | max 10 | ends 2h');
  await t.driver.command('alice', '/join 2');
  await t.driver.command('bob', '/join 1');
  await t.world.advance('2h', { runDueJobs: true });
  await t.driver.command('anna', '/delivered all');
  await t.world.advance('10d', { runDueJobs: true });
  await t.driver.command('anna', '/newbuy Tea | 10 | min 1 | max 5 | ends 1h');
  await t.driver.command('alice', '/join 1');
  await t.world.advance('1h', { runDueJobs: true });
  await t.driver.command('anna', '/delivered all');
  await t.driver.command('alice', '/checkin');
  await t.driver.command('anna', '/points @alice +20 <b>helped</b> at the pickup');
}

describe('the Members page', () => {
  it('lists members with level, points, streak and churn, draws two charts, searches, and opens a member with ledger and orders', async () => {
    await activity();
    const page = await signedIn(chromium.browser, dash, 'anna');
    await page.goto(`${dash.url}/g/${gid()}/members`);
    await page.waitForSelector('canvas[data-drawn="true"]');
    const painted = await paintedPixels(page);
    expect(Object.keys(painted).sort()).toEqual(['chart-levels', 'chart-points']);
    for (const [id, count] of Object.entries(painted)) expect(count, id).toBeGreaterThan(500);
    await page.screenshot({ path: screenshotPath('members-en.png'), fullPage: true });

    const rows = await page.$$eval('table.members tbody tr', (trs) =>
      trs.map((tr) => ({ name: tr.querySelector('td.member a')?.textContent, points: Number(tr.querySelector('td.points')?.textContent), streak: tr.querySelector('td.streak')?.textContent })),
    );
    const alice = rows.find((r) => r.name === EVIL)!;
    expect(alice.streak).toBe('1');
    // The page's points are the ledger's balance, as /me tells Alice.
    expect(alice.points).toBe(await t.world.store.pointsBalance(`tg:${t.driver.group.id}`, t.driver.memberId('alice')));
    expect(alice.points).toBeGreaterThan(20);
    expect(rows[0]!.name).toBe(EVIL); // most points first
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['Anna', 'Bob']));
    // Two delivered orders ten days apart: Alice has a usual pace, so a churn percentage, not "one order only".
    const churn = await page.$eval(`tr[data-member="${t.driver.memberId('alice')}"] td.churn`, (td) => td.textContent ?? '');
    expect(churn).toMatch(/^\d+%/);
    expect(await page.$eval(`tr[data-member="${t.driver.memberId('bob')}"] td.churn`, (td) => td.textContent)).toBe('one order only');
    expect(await page.$$('script:not([src]):not(#charts)')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();

    await page.type('form.search input[name="q"]', 'bo');
    await Promise.all([page.waitForNavigation(), page.click('form.search button')]);
    expect(await page.$$eval('table.members td.member a', (as) => as.map((a) => a.textContent))).toEqual(['Bob']);

    await page.goto(`${dash.url}/g/${gid()}/members`);
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-member="${t.driver.memberId('alice')}"] td.member a`)]);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe(EVIL);
    const reasons = await page.$$eval('table.ledger td.reason', (tds) => tds.map((td) => td.textContent));
    expect(reasons).toContain('adjustment · <b>helped</b> at the pickup');
    expect(reasons).toContain('check-in');
    expect(await page.$$eval('table.orders td.title', (tds) => tds.map((td) => td.textContent))).toEqual(['Tea', 'Berries']);
    expect(await page.$$eval('table.orders td.delivered', (tds) => tds.map((td) => td.textContent))).toEqual(['yes', 'yes']);
    expect(await page.$$('b')).toHaveLength(0);
    await page.screenshot({ path: screenshotPath('member-en.png'), fullPage: true });
    await page.browserContext().close();
  });

  it('over HTTP: a script in a name is text on the list, the member page and the API; another group is refused', async () => {
    await t.driver.command('alice', '/checkin');
    const cookie = await dash.signIn('anna');
    const alice = encodeURIComponent(t.driver.memberId('alice'));
    for (const path of [`/g/${gid()}/members`, `/g/${gid()}/members/${alice}`]) {
      const response = await dash.fetch(path, { cookie });
      expect(response.status, path).toBe(200);
      const body = await response.text();
      expect(body).toContain('&lt;script&gt;window.hacked=1&lt;/script&gt;Alice');
      expect(body).not.toContain(EVIL);
    }
    const api = (await (await dash.fetch(`/g/${gid()}/api/members?q=alice`, { cookie })).json()) as { members: { displayName: string }[] };
    expect(api.members.map((m: { displayName: string }) => m.displayName)).toEqual([EVIL]);
    expect((await dash.fetch(`/g/${gid()}/members/tg%3A424242`, { cookie })).status).toBe(404);

    const other = 'tg:-1009999999999';
    await t.world.store.ensureGroup({ id: other, platform: 'tg', title: 'Other group' });
    for (const path of [`/g/${encodeURIComponent(other)}/members`, `/g/${encodeURIComponent(other)}/api/members`, `/g/${encodeURIComponent(other)}/members/${alice}`]) {
      const response = await dash.fetch(path, { cookie });
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain('Other group');
    }
  });
});
