/**
 * Health and metrics over HTTP on METRICS_PORT (bound to METRICS_HOST, 127.0.0.1 by default):
 *
 * - `GET /healthz`: liveness, 200 while the process serves requests (no dependency is checked).
 * - `GET /readyz`: readiness, 200 when the database answers `SELECT 1` and each configured platform answered
 *   recently (or answers a cheap call now), each within a short timeout; else 503 with the parts that failed.
 * - `GET /metrics`: Prometheus text format (bots/ops/metrics.ts).
 *
 * Answers name parts (database, telegram, discord) and short reasons, never a token, a URL or a password.
 * bots/main.ts imports this module only when METRICS_PORT is set.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from 'discord.js';
import type { Bot } from 'grammy';
import { silentLogger, type Logger } from '../../core/ports.js';
import type { Database } from '../../prisma/database.js';
import type { JobQueue } from '../../prisma/job-queue.js';
import { BotMetrics, type PlatformName } from './metrics.js';

export { BotMetrics } from './metrics.js';

/** One readiness check: resolves when the part is ready, rejects (with a short reason) when not. */
export type ReadinessCheck = () => Promise<void>;

export interface MetricsServerOptions {
  /** 0 picks a free port (tests): read `port` from the result. */
  port: number;
  host?: string;
  metrics: BotMetrics;
  /** Readiness checks by part name (`database`, `telegram`, `discord`). */
  checks: Map<string, ReadinessCheck>;
  /** How long one readiness check may take (default 2000 ms). */
  checkTimeoutMs?: number;
  logger?: Logger;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP server; resolves once it listens. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.checkTimeoutMs ?? 2000;
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'metrics endpoint failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      const results = await Promise.all(
        [...options.checks].map(async ([name, check]) => {
          try {
            await withTimeout(check(), timeoutMs);
            return [name, 'ok'] as const;
          } catch (error) {
            return [name, reasonOf(error)] as const;
          }
        }),
      );
      const failed = results.filter(([, result]) => result !== 'ok').map(([name]) => name);
      sendJson(res, failed.length === 0 ? 200 : 503, { status: failed.length === 0 ? 'ready' : 'not ready', failed, checks: Object.fromEntries(results) });
    } else if (path === '/metrics') {
      const body = await options.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(body);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /healthz, /readyz or /metrics\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: options.host ?? '127.0.0.1', port }, 'health and metrics listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A readiness check for the database: `SELECT 1`. */
export function databaseCheck(database: Pick<Database, 'prisma'>): ReadinessCheck {
  return async () => {
    await database.prisma.$queryRawUnsafe('SELECT 1');
  };
}

/**
 * A readiness check for a platform: ready when it answered a call in the last `freshMs` (long polling calls
 * Telegram at least every 30 s), else when a cheap call (`probe`: getMe, the Discord gateway's state) succeeds.
 */
export function platformCheck(metrics: BotMetrics, platform: PlatformName, probe: () => Promise<unknown>, freshMs = 60_000): ReadinessCheck {
  return async () => {
    const last = metrics.lastSuccessAt(platform);
    if (last !== undefined && Date.now() - last < freshMs) return;
    await probe();
  };
}

/**
 * The operator's side of a running bot, as bots/main.ts wires it: the metrics and their hooks, then the server
 * with the readiness checks of what runs.
 */
export class Ops {
  readonly metrics = new BotMetrics();
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Counts Telegram calls (createTelegramBot's `innerTransformers`). */
  telegramTransformers() {
    return [this.metrics.telegramTransformer()];
  }

  /** Telegram is part of readiness (getMe when no call succeeded lately). */
  watchTelegram(handle: { bot: Bot }): void {
    this.checks.set('telegram', platformCheck(this.metrics, 'telegram', () => handle.bot.api.getMe()));
  }

  /** Counts Discord calls; Discord is part of readiness (its gateway session must be up). */
  watchDiscord(handle: { client: Client }): void {
    this.metrics.watchDiscord(handle.client);
    this.checks.set(
      'discord',
      platformCheck(this.metrics, 'discord', async () => {
        if (!handle.client.isReady()) throw new Error('gateway not connected');
      }),
    );
  }

  /** Starts the server with the database and the job queue checked and measured; returns its stopper. */
  async listen(options: { port: number; host?: string; database: Pick<Database, 'prisma'>; queue?: Pick<JobQueue, 'depths'>; logger?: Logger }): Promise<MetricsServer> {
    this.checks.set('database', databaseCheck(options.database));
    const queue = options.queue;
    if (queue) this.metrics.watchQueue(() => queue.depths());
    return startMetricsServer({ port: options.port, host: options.host, metrics: this.metrics, checks: this.checks, logger: options.logger });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(`${JSON.stringify(body)}\n`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A short reason for a failed check, without secrets: error names and messages can carry a connection string
 * (a driver's error) or a bot token (a request URL), so only the error's class and a fixed text are kept, except
 * for this module's own timeout.
 */
function reasonOf(error: unknown): string {
  if (error instanceof Error && /^no answer within \d+ ms$/.test(error.message)) return error.message;
  if (error instanceof Error && error.message === 'gateway not connected') return error.message;
  return `failed (${error instanceof Error ? error.name : typeof error})`;
}
