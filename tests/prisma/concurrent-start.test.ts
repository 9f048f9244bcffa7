import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, readMigrations } from '../../prisma/engine.js';
import { hasPostgres, testDatabaseUrl } from '../support/database.js';

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function openInChild(url: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'tests/support/open-database-child.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: url, HOLD_MS: '4000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
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
      const name = `tuanbot_start_${randomBytes(4).toString('hex')}`;
      await admin(`CREATE DATABASE "${name}"`);
      const url = new URL(testDatabaseUrl!);
      url.pathname = `/${name}`;
      try {
        const runs = await Promise.all([openInChild(url.toString()), openInChild(url.toString())]);
        for (const run of runs) expect(run.code, run.stderr).toBe(0);
        const reports = runs.map((run) => JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { openMs: number; applied: string[] });
        const { migrations } = await readMigrations();
        // Exactly one of them applied everything; the other found nothing pending.
        expect(reports.map((r) => r.applied.length).sort((a, b) => a - b)).toEqual([0, migrations.length]);
        // Prisma's engine gives up after 10 s waiting for its lock; the second open waits only for the first one's migrations.
        for (const report of reports) expect(report.openMs).toBeLessThan(9000);
        const check = new pg.Client({ connectionString: url.toString() });
        await check.connect();
        const { rows } = await check.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
        await check.end();
        expect(rows[0].n).toBe(migrations.length);
      } finally {
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    },
    90_000,
  );
});
