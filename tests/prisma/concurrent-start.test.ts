import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../prisma/engine.js';
import { createEmptyPostgresDatabase, hasPostgres } from '../support/database.js';
import { runScript, type ScriptRun } from '../support/run-script.js';

function openInChild(url: string): Promise<ScriptRun> {
  return runScript('tests/support/open-database-child.ts', [], { ...process.env, DATABASE_URL: url, HOLD_MS: '4000' });
}

/**
 * Issue 11: two bot processes starting together on one new PostgreSQL database. The schema engine takes Prisma's
 * advisory lock and releases it only by closing its connection; taken on a pooled connection it stayed held, and the
 * second process timed out waiting for it while the first one ran.
 */
describe.skipIf(!hasPostgres)('two processes opening one fresh PostgreSQL database at once', () => {
  it(
    'both become ready quickly, and each migration is applied once',
    async () => {
      const database = await createEmptyPostgresDatabase('tuanbot_start');
      const url = database.url;
      try {
        const runs = await Promise.all([openInChild(url), openInChild(url)]);
        for (const run of runs) expect(run.code, run.stderr).toBe(0);
        const reports = runs.map((run) => JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { openMs: number; applied: string[] });
        const { migrations } = await readMigrations();
        // Exactly one of them applied everything; the other found nothing pending.
        expect(reports.map((r) => r.applied.length).sort((a, b) => a - b)).toEqual([0, migrations.length]);
        // Prisma's engine gives up after 10 s waiting for its lock; the second open waits only for the first one's migrations.
        for (const report of reports) expect(report.openMs).toBeLessThan(9000);
        const check = new pg.Client({ connectionString: url });
        await check.connect();
        const { rows } = await check.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
        await check.end();
        expect(rows[0].n).toBe(migrations.length);
      } finally {
        await database.drop();
      }
    },
    90_000,
  );
});
