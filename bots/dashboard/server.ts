/**
 * Starts the dashboard's HTTP server in the bot's process (@hono/node-server). bots/main.ts imports this file only
 * when DASHBOARD_PORT is not `off`, so a bot without the dashboard loads none of it.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { localUrl } from './access.js';
import { createDashboardApp, type DashboardDeps } from './app.js';

export interface DashboardServer {
  /** Where it listens, e.g. http://127.0.0.1:8088. */
  readonly localUrl: string;
  stop(): Promise<void>;
}

/** Listens on host:port (port 0: any free port) and serves the dashboard. */
export async function startDashboard(deps: DashboardDeps, listen: { port: number; host: string }): Promise<DashboardServer> {
  const app = createDashboardApp(deps);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: listen.port, hostname: listen.host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    localUrl: localUrl(listen.host, port),
    stop: () => new Promise<void>((resolve) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
