/**
 * Where the project's files are, whether this code runs from its TypeScript sources (tsx, vitest) or compiled into
 * dist/ (`npm start`). Assets read at run time (migrations, prompts, model weights) stay in the source tree and
 * are never copied into dist/, so a build cannot serve stale copies of them.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folder compiled JavaScript is written to (tsconfig.build.json's outDir). */
export const BUILD_DIR = 'dist';

/** The nearest folder at or above `from` that holds a package.json. */
export function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Project root (the folder holding package.json). */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The source-tree path of `path` given relative to the module at `moduleUrl` (its import.meta.url): from
 * dist/llm/x.js, `sourcePath('../prompts/', url)` is <root>/prompts/, as it is from llm/x.ts.
 */
export function sourcePath(path: string, moduleUrl: string): string {
  const file = fileURLToPath(moduleUrl);
  const fromRoot = relative(PROJECT_ROOT, file);
  const sourceFile = fromRoot.startsWith(BUILD_DIR + sep) ? join(PROJECT_ROOT, fromRoot.slice(BUILD_DIR.length + 1)) : file;
  return fileURLToPath(new URL(path, pathToFileURL(sourceFile)));
}
