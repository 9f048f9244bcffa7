/**
 * `npm start` runs dist/, compiled at install time (`npm run build`). After a `git pull` or an edit without a
 * rebuild, dist/ would silently run the old code: this check finds a source file newer than its compiled file
 * (or one with none) so the start can refuse and say so. A deployment that ships dist/ without the sources has
 * nothing to compare and passes.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_DIR, PROJECT_ROOT } from '../prisma/project-root.js';

/** Source folders compiled into dist/ (tsconfig.build.json's include). */
const SOURCE_DIRS = ['core', 'bots', 'prisma', 'llm', 'scripts'];

/** Whether the module at `moduleUrl` runs from dist/ (compiled) rather than from its sources (tsx, vitest). */
export function runsFromBuild(moduleUrl: string): boolean {
  return relative(PROJECT_ROOT, fileURLToPath(moduleUrl)).startsWith(BUILD_DIR + sep);
}

/** The first source file (relative to the project root) that dist/ does not reflect, or undefined. */
export function staleBuildSource(root: string = PROJECT_ROOT): string | undefined {
  for (const dir of SOURCE_DIRS) {
    const stale = scan(root, join(root, dir));
    if (stale) return stale;
  }
  return undefined;
}

function scan(root: string, dir: string): string | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined; // no sources shipped
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      const stale = scan(root, path);
      if (stale) return stale;
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) {
      const source = relative(root, path);
      const compiled = join(root, BUILD_DIR, source.replace(/\.ts$/, '.js'));
      let compiledTime: number;
      try {
        compiledTime = statSync(compiled).mtimeMs;
      } catch {
        return source;
      }
      if (statSync(path).mtimeMs > compiledTime) return source;
    }
  }
  return undefined;
}
