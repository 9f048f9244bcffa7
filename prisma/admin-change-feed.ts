/**
 * Admin changes shared by the processes on one PostgreSQL through LISTEN/NOTIFY (ADR 022): a process that learns of
 * a promotion or demotion sends `pg_notify`, and every other process, listening on a connection of its own, drops
 * its cached answer within milliseconds. No table and no query per admin check: the caches stay as cheap as they are
 * with one process. A notification sent while a listener was disconnected is lost, so a listener that reconnects
 * tells its subscribers to drop everything.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { silentLogger, type AdminChange, type AdminChangeFeed, type Logger } from '../core/ports.js';
import type { Database } from './database.js';

/** The channel every process listens on (per database, as PostgreSQL scopes notifications). */
export const ADMIN_CHANGES_CHANNEL = 'tuanbot_admin_changes';

/** How long a lost listening connection waits before connecting again. */
const RECONNECT_MS = 1000;

/** What travels in a notification: who sent it (to skip one's own) and the change. */
interface Message {
  from: string;
  change: AdminChange;
}

/**
 * `AdminChangeFeed` over LISTEN/NOTIFY. Open it once per process with `PostgresAdminChangeFeed.open(db)`; close it
 * before the database.
 */
export class PostgresAdminChangeFeed implements AdminChangeFeed {
  private readonly origin = randomUUID();
  private readonly listeners = new Set<(change: AdminChange) => void>();
  private client: pg.Client | undefined;
  private closed = false;
  private reconnecting: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly db: Pick<Database, 'url' | 'executeSql'>,
    private readonly logger: Logger,
  ) {}

  /** Connects the listener; resolves once notifications are received. */
  static async open(db: Pick<Database, 'url' | 'executeSql'>, logger: Logger = silentLogger): Promise<PostgresAdminChangeFeed> {
    if (!db.url) throw new Error('admin changes are shared through PostgreSQL only');
    const feed = new PostgresAdminChangeFeed(db, logger);
    await feed.listen();
    return feed;
  }

  async publish(change: AdminChange): Promise<void> {
    const message: Message = { from: this.origin, change };
    await this.db.executeSql('SELECT pg_notify($1, $2)', [ADMIN_CHANGES_CHANNEL, JSON.stringify(message)]);
  }

  subscribe(listener: (change: AdminChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnecting);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.db.url, connectionTimeoutMillis: 10_000 });
    client.on('notification', (notification) => {
      if (notification.channel !== ADMIN_CHANGES_CHANNEL || !notification.payload) return;
      let message: Message;
      try {
        message = JSON.parse(notification.payload) as Message;
      } catch {
        return;
      }
      if (message.from !== this.origin) this.tell(message.change);
    });
    const lost = (error?: Error) => {
      if (this.closed || this.client !== client) return;
      this.client = undefined;
      this.logger.warn({ err: error?.message ?? 'connection ended' }, 'admin-change listener lost its connection; reconnecting');
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${ADMIN_CHANGES_CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    this.reconnecting = setTimeout(() => {
      this.listen().then(
        // Changes published while this process was not listening are unknown: forget every cached answer.
        () => this.tell({ everything: true }),
        (error: unknown) => {
          this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'admin-change listener could not reconnect; trying again');
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, RECONNECT_MS);
    this.reconnecting.unref?.();
  }

  private tell(change: AdminChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'admin-change listener failed');
      }
    }
  }
}
