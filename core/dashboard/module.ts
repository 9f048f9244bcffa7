/**
 * The admin web dashboard's platform-neutral part: the `/dashboard` command and its one-time links (sign-in.ts), the
 * pages' read models (buys-overview.ts, settings-forms.ts). The web server itself lives in bots/dashboard/ and is
 * started by bots/main.ts only when DASHBOARD_PORT is not off.
 */
import { command, type FeatureModule } from '../kernel/module.js';
import type { DashboardAccess } from './dashboard-access.js';
import { sendDashboardLink } from './sign-in.js';

/** The dashboard feature; without `access` (DASHBOARD_PORT=off) `/dashboard` says the dashboard is off. */
export function dashboardModule(access?: DashboardAccess): FeatureModule {
  return {
    name: 'dashboard',
    // One admin command: listed on the Settings line of /help.
    helpSection: 'settings',
    commands: [
      command({
        name: 'dashboard',
        zhName: '后台',
        description: 'cmd.dashboard',
        audience: 'admin',
        requires: ['group', 'moderator'],
        args: [],
        run: (ctx) => sendDashboardLink(ctx, access),
      }),
    ],
  };
}
