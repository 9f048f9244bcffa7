/** Runs a command-line script (`scripts/<name>.ts`) through tsx as a user would, and collects what it said. */
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../prisma/engine.js';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` replaces the child's whole environment (callers choose what of theirs it keeps). */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', script, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
