/**
 * The dashboard costs nothing when it is off: bots/main.ts imports none of its code statically (only with a dynamic
 * import when DASHBOARD_PORT is not off), and the configuration reads DASHBOARD_PORT, DASHBOARD_HOST and DASHBOARD_URL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DASHBOARD_PORT, loadConfig } from '../../bots/config.js';
import { PROJECT_ROOT } from '../architecture/import-graph.js';

describe('start-up with the dashboard', () => {
  it('loads bots/dashboard only by a dynamic import, and hono nowhere else in the start-up path', () => {
    const main = readFileSync(join(PROJECT_ROOT, 'bots', 'main.ts'), 'utf8');
    const staticImports = [...main.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
    expect(staticImports.length).toBeGreaterThan(5);
    expect(staticImports.filter((s) => s!.includes('dashboard') || s!.startsWith('hono') || s!.startsWith('@hono'))).toEqual([]);
    expect(main).toContain("await import('./dashboard/server.js')");
    expect(main).toContain("config.DASHBOARD_PORT === 'off' ? undefined : (await import('./dashboard/access.js'))");
  });

  it('is on at 8088 by default, off with DASHBOARD_PORT=off, and refuses a bad port or URL by name', () => {
    expect(loadConfig({}).DASHBOARD_PORT).toBe(DEFAULT_DASHBOARD_PORT);
    expect(DEFAULT_DASHBOARD_PORT).toBe(8088);
    expect(loadConfig({ DASHBOARD_PORT: 'off' }).DASHBOARD_PORT).toBe('off');
    expect(loadConfig({ DASHBOARD_PORT: '9000', DASHBOARD_URL: 'https://shop.example/admin' })).toMatchObject({ DASHBOARD_PORT: 9000, DASHBOARD_URL: 'https://shop.example/admin' });
    expect(() => loadConfig({ DASHBOARD_PORT: '70000' })).toThrow(/DASHBOARD_PORT must be a port number from 1 to 65535 or off, got "70000"/);
    expect(() => loadConfig({ DASHBOARD_URL: 'shop.example' })).toThrow(ConfigError);
  });
});
