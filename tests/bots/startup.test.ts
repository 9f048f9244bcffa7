/**
 * The production start (`npm start` = node dist/bots/main.js, compiled here first so no stale build can run) and
 * its failures: each case starts the real process and checks the exit code, the message (naming the variable,
 * never a secret) and that it failed within seconds instead of hanging.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staleBuildSource } from '../../bots/build-check.js';
import { PROJECT_ROOT } from '../../prisma/project-root.js';

/** A failure must come within this (the machines running the suite are shared and loaded: generous). */
const FAST_MS = 20_000;
const TOKEN = '123456:SECRET-token_that_must_not_show';

interface Run {
  child: ChildProcessWithoutNullStreams;
  done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;
  output: () => string;
}

/** Starts `npm start`'s command (node dist/bots/main.js) with only `env` set, as a fresh process. */
function startBot(env: Record<string, string>, options: { uid?: number } = {}): Run {
  const started = Date.now();
  const child = spawn(process.execPath, ['dist/bots/main.js'], {
    cwd: PROJECT_ROOT,
    // No dashboard: bots started side by side by the test workers would race for its port.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'C.UTF-8', DASHBOARD_PORT: 'off', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, done, output: () => stdout };
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP server that accepts connections and never answers (a firewall that drops, a hung server). */
async function blackHole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const hole = await blackHole();
  await hole.close();
  return hole.port;
}

let root: string;

beforeAll(() => {
  // The build under test is made from these sources: a dist/ left from other code cannot answer for them.
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  expect(staleBuildSource()).toBeUndefined();
  root = mkdtempSync(join(tmpdir(), 'tuanbot-startup-'));
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the compiled start (npm start)', () => {
  it('runs the playground from dist/ on a new data folder and answers through standard input', async () => {
    const run = startBot({ DATA_DIR: join(root, 'play', 'pglite') });
    run.child.stdin.end('/lang en\n/help join\n');
    const { code, stdout, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('tuanbot playground');
    expect(stdout).toContain('Alice> /help join');
    // The answer comes from the compiled core with its i18n and the migrated database.
    expect(stdout).toContain('Done: this group now speaks English.');
    expect(stdout).toContain('/join (参团): Join the newest buy');
    expect(stderr).not.toContain('Error');
  }, 180_000);

  it('is refused when dist/ is older than a source file', () => {
    const project = mkdtempSync(join(tmpdir(), 'tuanbot-stale-'));
    try {
      mkdirSync(join(project, 'core'), { recursive: true });
      mkdirSync(join(project, 'dist', 'core'), { recursive: true });
      writeFileSync(join(project, 'core', 'a.ts'), 'export const a = 1;\n');
      writeFileSync(join(project, 'dist', 'core', 'a.js'), 'export const a = 1;\n');
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(project, 'core', 'a.ts'), past, past);
      expect(staleBuildSource(project)).toBeUndefined();
      // An edit (or a pull) after the build.
      utimesSync(join(project, 'dist', 'core', 'a.js'), new Date(past.getTime() - 60_000), new Date(past.getTime() - 60_000));
      expect(staleBuildSource(project)).toBe(join('core', 'a.ts'));
      // A source with no compiled file at all (added after the build).
      writeFileSync(join(project, 'core', 'b.ts'), 'export const b = 2;\n');
      rmSync(join(project, 'core', 'a.ts'));
      expect(staleBuildSource(project)).toBe(join('core', 'b.ts'));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('start-up failures are fast and name the variable', () => {
  it('a second process on the same PGlite folder is refused, naming DATA_DIR and the first pid; a dead owner\'s lock is taken over', async () => {
    const dataDir = join(root, 'shared', 'pglite');
    const first = startBot({ DATA_DIR: dataDir });
    await waitFor(() => first.output().includes('tuanbot playground'), 180_000);
    expect(readFileSync(`${dataDir}.lock`, 'utf8').trim()).toBe(String(first.child.pid));

    const second = await startBot({ DATA_DIR: dataDir }).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`DATA_DIR ${dataDir} is in use by another tuanbot process (pid ${first.child.pid}`);
    expect(second.ms).toBeLessThan(FAST_MS);

    // The first is untouched by the attempt and still answers.
    first.child.stdin.end('/lang en\n/help\n');
    const firstDone = await first.done;
    expect(firstDone.code, firstDone.stderr).toBe(0);
    expect(firstDone.stdout).toContain('Alice> /help');

    // A lock left by a process killed with -9: its pid no longer runs.
    const killed = startBot({ DATA_DIR: dataDir });
    await waitFor(() => killed.output().includes('tuanbot playground'), 180_000);
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(readFileSync(`${dataDir}.lock`, 'utf8').trim()).toBe(String(killed.child.pid));
    const third = startBot({ DATA_DIR: dataDir });
    third.child.stdin.end('/lang en\n/help\n');
    const thirdDone = await third.done;
    expect(thirdDone.code, thirdDone.stderr).toBe(0);
    expect(thirdDone.stdout).toContain('Alice> /help');
  }, 400_000);

  it('a read-only DATA_DIR is refused, naming DATA_DIR', async () => {
    const parent = join(root, 'readonly');
    mkdirSync(parent, { recursive: true });
    chmodSync(parent, 0o555);
    const dataDir = join(parent, 'pglite');
    // root writes anywhere: run the bot as nobody then.
    const asRoot = process.getuid?.() === 0;
    const run = await startBot({ DATA_DIR: dataDir, HOME: tmpdir() }, asRoot ? { uid: 65534 } : {}).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`DATA_DIR ${dataDir} is not writable`);
    expect(run.stderr).toMatch(/EACCES|EROFS|EPERM/);
    expect(run.ms).toBeLessThan(FAST_MS);
  }, 60_000);

  it('an unreachable DATABASE_URL is refused, naming DATABASE_URL with the password hidden', async () => {
    const port = await closedPort();
    const refused = await startBot({ DATABASE_URL: `postgres://app:pw-SECRET-1@127.0.0.1:${port}/tuanbot` }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`DATABASE_URL=postgres://app:***@127.0.0.1:${port}/tuanbot`);
    expect(refused.stderr).toContain('ECONNREFUSED');
    expect(refused.stderr).not.toContain('pw-SECRET-1');
    expect(refused.ms).toBeLessThan(FAST_MS);

    // A server that accepts and never answers: bounded by STARTUP_TIMEOUT_SECONDS.
    const hole = await blackHole();
    try {
      const silent = await startBot({ DATABASE_URL: `postgres://app:pw-SECRET-1@127.0.0.1:${hole.port}/tuanbot`, STARTUP_TIMEOUT_SECONDS: '2' }).done;
      expect(silent.code).toBe(1);
      expect(silent.stderr).toContain(`DATABASE_URL=postgres://app:***@127.0.0.1:${hole.port}/tuanbot`);
      expect(silent.stderr).toMatch(/timeout/i);
      expect(silent.stderr).not.toContain('pw-SECRET-1');
      expect(silent.ms).toBeLessThan(FAST_MS);
    } finally {
      await hole.close();
    }
  }, 120_000);

  it('an unreachable Telegram API is refused, naming TELEGRAM_API_ROOT, without the token', async () => {
    const hole = await blackHole();
    try {
      const apiRoot = `http://127.0.0.1:${hole.port}`;
      const silent = await startBot({ DATA_DIR: join(root, 'tg1', 'pglite'), TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, STARTUP_TIMEOUT_SECONDS: '2' }).done;
      expect(silent.code).toBe(1);
      expect(silent.stderr).toContain(`cannot reach the Telegram Bot API at TELEGRAM_API_ROOT=${apiRoot}: no answer within 2 s`);
      expect(silent.stderr).not.toContain('SECRET-token');
      expect(silent.ms).toBeLessThan(FAST_MS);
    } finally {
      await hole.close();
    }
    const port = await closedPort();
    const refused = await startBot({ DATA_DIR: join(root, 'tg2', 'pglite'), TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: `http://127.0.0.1:${port}` }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('TELEGRAM_API_ROOT');
    expect(refused.stderr).toContain('ECONNREFUSED');
    expect(refused.stderr).not.toContain('SECRET-token');
    expect(refused.ms).toBeLessThan(FAST_MS);
    // The lock of the data folder went with the process.
    expect(() => readFileSync(join(root, 'tg2', 'pglite.lock'))).toThrow();
  }, 120_000);

  it('a token Telegram refuses is named TELEGRAM_BOT_TOKEN, without its value', async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const apiRoot = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const run = await startBot({ DATA_DIR: join(root, 'tg3', 'pglite'), TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot }).done;
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('refused TELEGRAM_BOT_TOKEN (401 Unauthorized)');
      expect(run.stderr).not.toContain('SECRET-token');
      expect(run.ms).toBeLessThan(FAST_MS);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 120_000);
});
