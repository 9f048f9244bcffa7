/** The Settings page (filled in after the skeleton). */
import type { DashboardApp, DashboardDeps } from '../app.js';
import { html, page, w } from '../html.js';

export function settingsRoutes(app: DashboardApp, _deps: DashboardDeps): void {
  app.get('/g/:gid/settings', (c) => {
    const viewer = c.get('viewer');
    return c.html(page(viewer, 'settings', w(viewer.lang, 'web.settings.title'), html`<p>${w(viewer.lang, 'web.settings.admins_only')}</p>`));
  });
}
