// Generates the Prisma client into prisma/generated. Runs at `npm install` (postinstall).
// The Prisma CLI looks for a native schema engine that cannot be downloaded offline; `generate` does not use it,
// so any existing file satisfies the check (see docs/decisions/001-prisma-offline.md).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactSchemaSource } from './parameterization-graph.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = require.resolve('prisma/build/index.js');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (result.status === 0) {
  patchCompilerLoading();
  shiftParameterizationNames();
}
process.exit(result.status ?? 1);

/**
 * The generated client imports Prisma's query compiler as a module exporting it in base64 (4.5 MB of text): the
 * module map then keeps that string, twice (the source and the literal), for the life of the process, about 9 MB of
 * heap for a module used once. The patched loader reads the same file and decodes it, so the text is garbage once the
 * compiler is built (ADR 017). A client generated in another shape is left as it is (it works, with more memory).
 */
function patchCompilerLoading() {
  const file = join(root, 'prisma', 'generated', 'internal', 'class.ts');
  const source = readFileSync(file, 'utf8');
  const pattern = /const \{ wasm \} = await import\(("[^"]+\.wasm-base64\.mjs")\)\n(\s*)return await decodeBase64AsWasm\(wasm\)/;
  const match = pattern.exec(source);
  if (!match) {
    if (!source.includes('patched by scripts/generate-client.mjs')) console.warn('generate-client: the query compiler loader was not found in class.ts; left as generated');
    return;
  }
  const [, module, indent] = match;
  const patched = [
    '// patched by scripts/generate-client.mjs: read and decoded, not imported, so the text is not kept (ADR 017)',
    "const { readFile } = await import('node:fs/promises')",
    "const { createRequire } = await import('node:module')",
    `const text = await readFile(createRequire(import.meta.url).resolve(${module}), 'utf8')`,
    "return await decodeBase64AsWasm(text.slice(text.indexOf('\"') + 1, text.lastIndexOf('\"')))",
  ].join(`\n${indent}`);
  writeFileSync(file, source.replace(pattern, () => patched));
}

/**
 * The client decodes its parameterization graph into objects keyed by name indices, which V8 stores as arrays as long
 * as the largest index: 7 MB of heap kept for the life of the process. Shifted indices make small dictionaries instead
 * (1 MB); see parameterization-graph.mjs. A graph in another format is left as generated, with a warning.
 */
function shiftParameterizationNames() {
  const file = join(root, 'prisma', 'generated', 'internal', 'class.ts');
  const result = compactSchemaSource(readFileSync(file, 'utf8'));
  if ('source' in result) writeFileSync(file, result.source);
  else if (result.reason !== 'already shifted') console.warn(`generate-client: parameterization graph left as generated: ${result.reason}`);
}
