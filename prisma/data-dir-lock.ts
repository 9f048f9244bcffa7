/**
 * One process per PGlite folder. PGlite is PostgreSQL compiled to WebAssembly inside this process: a second
 * process opening the same folder does not wait or share, it corrupts or dies ("Aborted()"). openDatabase takes
 * an exclusive lock file beside the folder (`.data/pglite.lock` for `.data/pglite`) holding the owner's pid, and
 * refuses a folder whose lock belongs to a live process. A lock left by a process that died (kill -9, power
 * loss) names a pid that no longer runs, and is taken over.
 */
import { linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync } from 'node:fs';

/** A folder that cannot be used; the message names DATA_DIR and says what to do. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

/** A held lock; release() removes the file (once). */
export interface DataDirLock {
  path: string;
  release(): void;
}

/** Locks taken by this process (an in-process second open of a folder is refused too). */
const held = new Set<string>();

/** The lock file of a PGlite folder. */
export function lockPathOf(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}.lock`;
}

/** Takes the folder's lock or throws DataDirError naming the process that holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = lockPathOf(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, dataDir)) return heldLock(path);
    const owner = readPid(path);
    if (owner === undefined) continue; // removed meanwhile, or still being written: try again
    if (isLive(owner, path)) {
      throw new DataDirError(
        `DATA_DIR ${dataDir} is in use by another tuanbot process (pid ${owner.pid}; lock file ${path}). ` +
          'PGlite allows one process per folder: stop that process, or give this one its own DATA_DIR ' +
          '(several processes share one database through DATABASE_URL and PostgreSQL).',
      );
    }
    takeOverStale(path, owner.text);
  }
  throw new DataDirError(`DATA_DIR ${dataDir}: could not take the lock file ${path} (another process keeps changing it)`);
}

function heldLock(path: string): DataDirLock {
  held.add(path);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(path);
    process.off('exit', release);
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A process that exits without closing its database (process.exit on an error) leaves no lock behind.
  process.on('exit', release);
  return { path, release };
}

function tryCreate(path: string, dataDir: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw notWritable(dataDir, path, error);
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** A folder that cannot be written: read-only file system, permissions. */
export function notWritable(dataDir: string, path: string, error: unknown): DataDirError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reason = code === 'EROFS' ? 'the file system is read-only' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
  return new DataDirError(
    `DATA_DIR ${dataDir} is not writable (${code}: ${reason} at ${path}). tuanbot keeps its embedded database there: ` +
      'set DATA_DIR to a folder this user can write, or fix its permissions.',
  );
}

function readPid(path: string): { pid: number; text: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  // An empty or garbled file (a crash between create and write) holds no live owner.
  return { pid: Number.isInteger(pid) && pid > 0 ? pid : 0, text };
}

function isLive(owner: { pid: number }, path: string): boolean {
  if (owner.pid === 0) return false;
  // Our own pid: held by this process (a second open), or left by an earlier run that had the same pid (a
  // container's pid 1), which is stale.
  if (owner.pid === process.pid) return held.has(path);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves a stale lock aside; if another process replaced it meanwhile, its live lock is put back. */
function takeOverStale(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first
  }
  let text = '';
  try {
    text = readFileSync(aside, 'utf8');
  } catch {
    // unreadable: treat as the stale one
  }
  if (text !== staleText) {
    // We moved a fresh lock: put it back unless another lock already took its place.
    try {
      linkSync(aside, path);
    } catch {
      // leave it aside; its owner still believes it holds the folder, the next attempt sees the new lock
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // gone already
  }
}
