/**
 * The pm2 example (deploy/ecosystem.config.cjs) as the process tests start it: each app's environment as pm2 passes
 * it, its node flags, and its source run through tsx (startup.test.ts covers the compiled start; it rebuilds dist/
 * while other test files run).
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../prisma/project-root.js';
import { BotProcess } from './bot-process.js';

export const ECOSYSTEM = 'deploy/ecosystem.config.cjs';

/** One app of a pm2 ecosystem file, the fields this layout uses. */
export interface PmApp {
  name: string;
  script: string;
  /** node's own flags, before the script (pm2's node_args). */
  node_args?: string;
  cwd?: string;
  exec_mode?: string;
  instances?: number;
  kill_timeout?: number;
  env: Record<string, string | undefined>;
}

/** The apps of the pm2 example, as pm2 reads the file. */
export const pm2Apps = (createRequire(import.meta.url)(join(PROJECT_ROOT, ECOSYSTEM)) as { apps: PmApp[] }).apps;

/** An app's environment as pm2 gives it: every set value as a string. */
export function appEnv(app: PmApp): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(app.env)) if (value !== undefined) env[key] = String(value);
  return env;
}

/** Starts an app's process with its node flags and `env`, its source through tsx. */
export function startApp(app: PmApp, env: Record<string, string>): BotProcess {
  return new BotProcess(env, { nodeArgs: [...(app.node_args?.split(' ') ?? []), '--import', 'tsx', 'bots/main.ts'] });
}

/** A TCP port free on 127.0.0.1 now (other tests run beside the one asking). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}
