/** The dashboard's tokens on Node's crypto: 256 random bits, base64url; stored as SHA-256 hex. */
import { createHash, randomBytes } from 'node:crypto';
import type { DashboardAccess } from '../../core/dashboard/dashboard-access.js';

/**
 * The DashboardAccess the core's `/dashboard` uses. `baseUrl` is read when a link is made, so a server started on a
 * free port (tests) can set it after the core was built.
 */
export function createDashboardAccess(baseUrl: () => string | undefined): DashboardAccess {
  return {
    baseUrl,
    newToken: () => randomBytes(32).toString('base64url'),
    hashToken: (token) => createHash('sha256').update(token).digest('hex'),
  };
}

/** The address a dashboard listening on `host` and `port` is reached at, e.g. http://127.0.0.1:8088. */
export function localUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
