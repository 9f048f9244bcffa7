// `npm run build` (and the end of `npm install`): compiles the app to dist/ with tsconfig.build.json, so that
// `npm start` runs JavaScript instead of compiling TypeScript at every start. Without TypeScript installed
// (`npm install --omit=dev`) there is nothing to compile with: dist/ must then come prepared (see README.md).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.warn('tuanbot: TypeScript is not installed (npm install --omit=dev?), dist/ was not built; npm start needs a prepared dist/.');
  process.exit(process.argv.includes('--if-possible') ? 0 : 1);
}
// A file deleted from the sources must not live on in dist/.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
