/**
 * The bot as a real child process (`node --import tsx bots/main.ts`: the development entry, as `npx tsx bots/main.ts`
 * runs it but in one process, so a signal reaches the bot itself and not a wrapper; it does not depend on how
 * `npm start` runs the build), for tests of what only a process shows: SIGKILL, SIGTERM, a restart on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../prisma/engine.js';

export interface LogLine {
  level?: number;
  msg?: string;
  [field: string]: unknown;
}

export class BotProcess {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  /**
   * `env` is added to a clean environment (no platform tokens, database or LLM settings of the caller's). `nodeArgs`
   * replace `--import tsx bots/main.ts` (a process manager's declared command, tests/bots/two-processes.test.ts).
   */
  constructor(env: Record<string, string>, options: { nodeArgs?: string[] } = {}) {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(TELEGRAM_|DISCORD_|OPENAI_|LLM_|DATABASE_|DATA_DIR|TEST_DATABASE)/.test(key)),
    );
    this.child = spawn(process.execPath, options.nodeArgs ?? ['--import', 'tsx', 'bots/main.ts'], {
      cwd: PROJECT_ROOT,
      // No dashboard: bots started side by side by the test workers would race for its port.
      env: { ...base, LOG_LEVEL: 'info', DEFAULT_LANGUAGE: 'en', DASHBOARD_PORT: 'off', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let partial = '';
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      partial += chunk.toString();
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ msg: line });
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for a log line with this message (the process's own words that it reached a point). */
  async waitForLog(msg: string, timeoutMs = 240_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find((line) => line.msg === msg);
      if (found) return found;
      if (!this.running) throw new Error(`bot exited before logging "${msg}":\n${this.stderr.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`no "${msg}" within ${timeoutMs} ms:\n${this.stderr.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Polls `check` until it returns something truthy. */
export async function eventually<T>(check: () => T | undefined | null | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
