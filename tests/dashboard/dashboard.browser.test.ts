/**
 * The dashboard in a real browser: headless Chromium (Debian's, driven by puppeteer-core; one browser for the file)
 * signs in through the link the real grammY bot sent privately on the fake Bot API server, and the pages render
 * their charts (canvas pixels checked, screenshots taken), marks go through the chat's use case, the language
 * switches, and text members typed (names, titles, notes) stays text.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardTestKit, screenshotPath, useChromium, paintedPixels, signedIn as signedInWith } from '../support/dashboard.js';
import { useTelegramWorld } from '../support/platform-world.js';

const dash = dashboardTestKit();
const t = useTelegramWorld(
  {
    anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
    alice: { name: '<img src=x onerror="window.hacked=1">Alice', username: 'alice', language: 'en' },
    bob: { name: 'Bob', username: 'bob', language: 'en' },
  },
  { dashboard: () => dash.access },
);
dash.attach(t);

/** Where the screenshots go (not committed): look at them after a run. */
const chromium = useChromium();

const signedIn = (member: string) => signedInWith(chromium.browser, dash, member);

/** A formed buy (Alice 2, Bob 3) and an open one (Bob 1), with a title and a note that try to inject HTML. */
async function twoBuys(): Promise<void> {
  await t.driver.command('anna', '/newbuy <script>window.hacked=2</script>Berries | 20 | min 2 | max 10 | ends 2h');
  await t.driver.command('alice', '/join 2 note <b onmouseover="window.hacked=3">no stems</b>');
  await t.driver.command('bob', '/join 3');
  await t.world.advance('2h', { runDueJobs: true });
  await t.driver.command('anna', '/newbuy Tea | 10 | min 5 | max 20 | ends 3h');
  await t.driver.command('bob', '/join 1');
  await t.world.advance('30m');
}

describe('the Buys page', () => {
  it('shows buys, orders and three drawn charts, and keeps members\' text as text', async () => {
    await twoBuys();
    const page = await signedIn('anna');
    expect(new URL(page.url()).pathname).toBe(`/g/${encodeURIComponent(`tg:${t.driver.group.id}`)}/buys`);
    await page.waitForSelector('canvas[data-drawn="true"]');
    const painted = await paintedPixels(page);
    expect(Object.keys(painted).sort()).toEqual(['chart-fill', 'chart-rate', 'chart-weekly']);
    for (const [id, count] of Object.entries(painted)) expect(count, id).toBeGreaterThan(500);
    await page.screenshot({ path: screenshotPath('buys-en.png'), fullPage: true });

    const titles = await page.$$eval('table.buys td.title', (cells) => cells.map((c) => c.textContent));
    expect(titles).toEqual(['Tea', '<script>window.hacked=2</script>Berries']);
    const members = await page.$$eval('table.orders td.member', (cells) => cells.map((c) => c.textContent?.trim()));
    expect(members).toContain('<img src=x onerror="window.hacked=1">Alice @alice');
    const notes = await page.$$eval('table.orders td.note', (cells) => cells.map((c) => c.textContent));
    expect(notes).toContain('<b onmouseover="window.hacked=3">no stems</b>');
    // Nothing members typed became an element: three scripts are the page's own, no img or b at all.
    expect(await page.$$eval('script', (s) => s.map((e) => e.getAttribute('src') ?? e.id))).toEqual(['/assets/chart.umd.js', '/assets/dashboard.js', 'charts']);
    expect(await page.$$('img, b')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();
    expect(await page.$eval('main', (m) => m.textContent)).toContain('1 formed, 0 failed, 0 cancelled: 100% formed.');
    await page.browserContext().close();
  });

  it('marks paid and delivered through the chat\'s use case, downloads the export, and switches language', async () => {
    await twoBuys();
    const page = await signedIn('anna');
    // Alice's row in the formed buy #1: mark paid, then delivered.
    const press = async (mark: string) => {
      const button = await page.waitForSelector(`table.orders tr[data-signup="1"] button[value="${mark}"]`);
      await Promise.all([page.waitForNavigation(), button!.click()]);
    };
    await press('paid');
    expect(await page.$eval('.flash', (e) => e.textContent)).toMatch(/Marked paid in #1/);
    expect(await page.$eval('table.orders tr[data-signup="1"] td.paid', (e) => e.textContent)).toBe('yes');
    await press('delivered');
    expect(await page.$eval('.flash', (e) => e.textContent)).toMatch(/delivered/i);
    const signUp = await t.world.store.getSignUp(1, t.driver.memberId('alice'));
    expect(signUp?.paidAt).not.toBeNull();
    expect(signUp?.deliveredAt).not.toBeNull();
    // Alice was told privately, as after /delivered in the chat; the group heard nothing from the dashboard.
    const aliceDms = t.driver.server.botMessages(t.driver.user('alice').id).map((m) => m.text ?? '');
    expect(aliceDms.some((text) => /#1/.test(text) && /deliver/i.test(text))).toBe(true);
    expect(t.driver.server.botMessages(t.driver.group.id).map((m) => m.text ?? '').join('\n')).not.toMatch(/Marked paid/);

    // The export of buy #1 is the chat's CSV.
    await Promise.all([page.waitForNavigation(), page.select('form.filters select[name="buy"]', '1').then(() => page.click('form.filters button'))]);
    const href = await page.$eval('p.export a', (a) => (a as unknown as { href: string }).href);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(csv).toContain('name,platform id,quantity,price,paid,delivered');
    expect(csv).toContain(`${t.driver.memberId('alice')},2,20.00,yes,yes`);

    await Promise.all([page.waitForNavigation(), page.click('button[value="zh-CN"]')]);
    expect(await page.$eval('html', (e) => e.lang)).toBe('zh-CN');
    expect(await page.$eval('header nav', (e) => e.textContent)).toContain('团购');
    await page.waitForSelector('canvas[data-drawn="true"]');
    await page.screenshot({ path: screenshotPath('buys-zh.png'), fullPage: true });
    await page.browserContext().close();
  });
});
