/**
 * Signing in to the dashboard and who may see what, over plain HTTP: the real grammY bot against the fake Bot API
 * server sends the link privately; the dashboard's server (real Hono on a real port) takes it. Expired, reused and
 * forged links, members who are not admins, another group's pages and API, and forged or missing CSRF tokens are all
 * refused, and nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { dashboardTestKit, sessionCookie } from '../support/dashboard.js';
import { useTelegramWorld } from '../support/platform-world.js';

const dash = dashboardTestKit();
const t = useTelegramWorld(
  {
    anna: { name: 'Anna', username: 'anna', admin: true },
    alice: { name: 'Alice', username: 'alice' },
    bob: { name: 'Bob', username: 'bob' },
  },
  { dashboard: () => dash.access },
);
dash.attach(t);

const buysPath = () => `/g/${encodeURIComponent(`tg:${t.driver.group.id}`)}/buys`;

describe('the /dashboard sign-in link', () => {
  it('is sent privately to an admin, opens a session with an HttpOnly SameSite cookie, and shows the group', async () => {
    const link = await dash.requestLink('anna');
    expect(link.startsWith(`${dash.url}/signin/`)).toBe(true);
    // The group is told it went privately; the link itself never appears in the group.
    expect(t.driver.server.botMessages(t.driver.group.id).map((m) => m.text).join('\n')).not.toContain('/signin/');
    // Opening the link only shows a button (a link preview cannot use it up).
    const shown = await dash.fetch(new URL(link).pathname);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('<form method="post" action="/signin">');
    const response = await dash.useLink(link);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(buysPath());
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = sessionCookie(response)!;
    const page = await dash.fetch(buysPath(), { cookie });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Strawberry friends');
    expect(text).toContain('Signed in as Anna (admin)');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('works once: a second use is refused and opens no session', async () => {
    const link = await dash.requestLink('anna');
    expect((await dash.useLink(link)).status).toBe(303);
    const again = await dash.useLink(link);
    expect(again.status).toBe(410);
    expect(sessionCookie(again)).toBeUndefined();
    expect(await again.text()).toContain('already used');
  });

  it('expires after ten minutes', async () => {
    const link = await dash.requestLink('anna');
    await t.world.advance('11m');
    const late = await dash.useLink(link);
    expect(late.status).toBe(410);
    expect(sessionCookie(late)).toBeUndefined();
    expect(await late.text()).toContain('expired');
  });

  it('refuses a made-up token', async () => {
    const response = await dash.useLink(`${dash.url}/signin/${'A'.repeat(43)}`);
    expect(response.status).toBe(404);
    expect(sessionCookie(response)).toBeUndefined();
  });

  it('is not sent to a member who is not an admin or moderator', async () => {
    await expect(dash.requestLink('alice')).rejects.toThrow(/no sign-in link/);
    const said = t.driver.server.botMessages(t.driver.group.id).at(-1)?.text ?? '';
    expect(said).toContain('only group admins and moderators');
    expect(await t.world.store.dashboard.getSession('x')).toBeNull();
  });

  it('is sent to a moderator named with /mod, who sees pages but cannot mark', async () => {
    await t.driver.command('bob', '/buys');
    await t.driver.command('anna', '/mod @bob');
    const cookie = await dash.signIn('bob');
    const page = await dash.fetch(buysPath(), { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in as Bob (moderator)');
  });
});

describe('every dashboard request', () => {
  it('needs a session', async () => {
    expect((await dash.fetch(buysPath())).status).toBe(401);
    const api = await dash.fetch(`${buysPath().replace('/buys', '/api/buys')}`);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: expect.stringContaining('not signed in') });
  });

  it("refuses another group's pages and API to an admin of this one", async () => {
    const other = `tg:-1009999999999`;
    await t.world.store.ensureGroup({ id: other, platform: 'tg', title: 'Other group' });
    const cookie = await dash.signIn('anna');
    for (const path of [`/g/${encodeURIComponent(other)}/buys`, `/g/${encodeURIComponent(other)}/api/buys`, `/g/${encodeURIComponent(other)}/settings`]) {
      const response = await dash.fetch(path, { cookie });
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain('Other group');
    }
  });

  it('asks again whether the person is still an admin: demoted, they are refused at once', async () => {
    const cookie = await dash.signIn('anna');
    expect((await dash.fetch(buysPath(), { cookie })).status).toBe(200);
    const { group } = t.driver;
    t.driver.server.setAdmins(group.id, []);
    t.driver.handle!.messenger.forgetAdmin(group.id, t.driver.user('anna').id);
    const response = await dash.fetch(buysPath(), { cookie });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Only admins and moderators');
  });

  it('refuses a state-changing request with a missing or forged CSRF token, changing nothing', async () => {
    const cookie = await dash.signIn('anna');
    const form = (fields: Record<string, string>) => ({
      method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields),
    });
    const missing = await dash.fetch('/lang', form({ lang: 'zh-CN', next: '/' }));
    expect(missing.status).toBe(403);
    const forged = await dash.fetch('/lang', form({ lang: 'zh-CN', next: '/', _csrf: 'forged' }));
    expect(forged.status).toBe(403);
    const api = await dash.fetch(`${buysPath().replace('/buys', '/api/buys')}/1/mark`, {
      method: 'POST', cookie, headers: { 'content-type': 'application/json', 'x-csrf-token': 'forged' }, body: JSON.stringify({ member: 'tg:1', mark: 'paid' }),
    });
    expect(api.status).toBe(403);
    const page = await (await dash.fetch(buysPath(), { cookie })).text();
    expect(page).toContain('lang="en"');
  });
});

describe('a form\'s message after its redirect', () => {
  it('is kept with the session in the database: another process shows it once, then it is gone', async () => {
    const cookie = await dash.signIn('anna');
    const settings = buysPath().replace('/buys', '/settings');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await dash.fetch(settings, { cookie })).text())![1]!;
    const saved = await dash.fetch(`${settings}/reviews`, {
      method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, delay: '5d' }),
    });
    expect(saved.status).toBe(303);
    // The redirect lands on another bot process (a second server on the same database), which shows the message.
    const other = await dash.startAnother();
    try {
      const shown = await (await fetch(`${other.localUrl}${settings}`, { headers: { cookie } })).text();
      expect(shown).toContain('<p class="flash ok" role="status">Saved.</p>');
      // Shown once: neither process shows it again.
      expect(await (await fetch(`${other.localUrl}${settings}`, { headers: { cookie } })).text()).not.toContain('class="flash');
      expect(await (await dash.fetch(settings, { cookie })).text()).not.toContain('class="flash');
    } finally {
      await other.stop();
    }
  });
});
