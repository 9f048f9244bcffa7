/**
 * The import graph of the source tree, for the architecture tests: what a file imports, and the import cycles
 * among the files of a folder. Type-only imports count everywhere: `import type` still ties two modules together
 * for a reader, and a cycle through types is a cycle that has to be cut before a feature can move out.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import ts from 'typescript';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every `.ts` file under `dir` (absolute paths, sorted), skipping nothing: a forgotten file is an unchecked one. */
export function typeScriptFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name))
    .sort();
}

/**
 * The module specifiers a TypeScript source imports or re-exports, as written: `import`, `import type`,
 * `export ... from`, `import x = require(...)` and `import(...)`. TypeScript's own pre-parser reads them, so comments
 * and strings that merely look like imports are not counted.
 */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** {@link importSpecifiers} of a file on disk. */
export function importSpecifiersOf(file: string): string[] {
  return importSpecifiers(readFileSync(file, 'utf8'));
}

export interface ImportCycles {
  /**
   * Each cycle as a chain of paths relative to the base directory that ends where it starts, e.g.
   * `['core/app.ts', 'core/commands.ts', 'core/app.ts']`. One chain per cycle madge's depth-first search meets, so
   * files in one tangle can appear in several chains.
   */
  cycles: string[][];
  /** Imports madge could not resolve to a file, as it names them: a cycle through one of them would go unseen. */
  unresolved: string[];
}

/**
 * The import cycles among the `.ts` files under `dir`, found by madge. Relative `.js` specifiers resolve to their
 * `.ts` sources through the project's tsconfig (NodeNext), as tsc resolves them.
 */
export async function findImportCycles(dir: string, baseDir: string = PROJECT_ROOT): Promise<ImportCycles> {
  const graph = await madge(dir, {
    baseDir,
    fileExtensions: ['ts'],
    tsConfig: join(PROJECT_ROOT, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } },
  });
  const portable = (path: string): string => path.split(sep).join('/');
  return {
    cycles: graph.circular().map((chain) => [...chain, chain[0]!].map(portable)),
    unresolved: graph.warnings().skipped,
  };
}

/** A cycle as one readable line: `core/a.ts -> core/b.ts -> core/a.ts`. */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' -> ');
}
