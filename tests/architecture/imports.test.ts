import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROJECT_ROOT, findImportCycles, formatCycle, importSpecifiers, importSpecifiersOf, typeScriptFilesUnder,
} from './import-graph.js';

const CORE = join(PROJECT_ROOT, 'core');

/** Platform, ORM, LLM and native rendering libraries: adapters (bots/, prisma/, llm/) use them, the core never does. */
const FORBIDDEN_PACKAGES = [
  'grammy', '@grammyjs/*', 'discord.js', 'discord-api-types',
  '@prisma/*', 'prisma', 'pg', '@electric-sql/pglite', 'pg-boss', 'pglite-prisma-adapter',
  'langchain', '@langchain/*', 'openai',
  '@resvg/*',
];

/** `@scope/name/sub/path` → `@scope/name`; `name/sub/path` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function isForbiddenPackage(name: string): boolean {
  return FORBIDDEN_PACKAGES.some((pattern) => (pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

/** Why `specifier`, imported by `file`, has no place in the core; undefined when it may stay. */
function coreImportViolation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const target = relative(CORE, resolve(dirname(file), specifier));
    return target.startsWith('..') || isAbsolute(target) ? 'reaches outside core/' : undefined;
  }
  return isForbiddenPackage(packageName(specifier)) ? 'is a platform, ORM or LLM library' : undefined;
}

describe('the import scanner', () => {
  it('sees type-only imports, re-exports, require and dynamic imports, and no lookalikes in comments or strings', () => {
    const source = [
      "import type { Context } from 'grammy';",
      "import { z } from 'zod';",
      "export { thing } from '../bots/thing.js';",
      "export * from './local.js';",
      "import pg = require('pg');",
      "const lazy = () => import('@langchain/openai');",
      "// import { Client } from 'discord.js';",
      "const text = \"import x from 'openai'\";",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['grammy', 'zod', '../bots/thing.js', './local.js', 'pg', '@langchain/openai']);
  });

  it('flags forbidden packages by name and subpath, and paths that leave core/', () => {
    const file = join(CORE, 'reviews', 'x.ts');
    expect(coreImportViolation(file, '@grammyjs/runner')).toBeDefined();
    expect(coreImportViolation(file, '@langchain/core/messages')).toBeDefined();
    expect(coreImportViolation(file, 'pg-boss')).toBeDefined();
    expect(coreImportViolation(file, '../../llm/llm-tagger.js')).toBeDefined();
    expect(coreImportViolation(file, '../../prisma/generated/client.js')).toBeDefined();
    expect(coreImportViolation(file, '../llm/review-tags.js')).toBeUndefined();
    expect(coreImportViolation(file, 'zod')).toBeUndefined();
    expect(coreImportViolation(file, 'pgx')).toBeUndefined();
  });
});

describe('core/', () => {
  it('imports no platform, ORM or LLM library, and nothing from bots/, prisma/, llm/, scripts/ or tests/', () => {
    const files = typeScriptFilesUnder(CORE);
    expect(files.length).toBeGreaterThan(0);
    const violations = files.flatMap((file) =>
      importSpecifiersOf(file).flatMap((specifier) => {
        const why = coreImportViolation(file, specifier);
        return why ? [`${relative(PROJECT_ROOT, file)}: '${specifier}' ${why}`] : [];
      }),
    );
    expect(violations).toEqual([]);
  });

  it('has no import cycle (type-only imports count)', async () => {
    const { cycles, unresolved } = await findImportCycles(CORE);
    expect(unresolved, 'imports madge could not resolve (a cycle through them would be missed)').toEqual([]);
    expect(cycles.map(formatCycle), `${cycles.length} import cycles in core/:\n${cycles.map(formatCycle).join('\n')}\n`).toEqual([]);
  });
});

describe('findImportCycles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tuanbot-import-graph-'));
    await writeFile(join(dir, 'a.ts'), "import type { B } from './b.js';\nexport interface A { b: B }\n");
    await writeFile(join(dir, 'b.ts'), "import type { A } from './a.js';\nexport interface B { a?: A }\n");
    await writeFile(join(dir, 'c.ts'), "import { readFileSync } from 'node:fs';\nimport type { A } from './a.js';\nexport const c = (a: A) => readFileSync(String(a));\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a cycle made only of type imports, through .js specifiers, as a closed chain', async () => {
    const { cycles, unresolved } = await findImportCycles(dir, dir);
    expect(cycles).toEqual([['a.ts', 'b.ts', 'a.ts']]);
    expect(unresolved).toEqual([]);
  });
});
