// Vitest global setup: compiles src/ so CLI tests run the same files `npx pactwatch` runs, with the
// tools some tests run built (bench/, scripts/, world/: tsconfig.tools.json, as `npm run build:tools`).
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createRequire } from 'node:module';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.tools.json'], { stdio: 'inherit' });
  // As `npm run build` does: the installed command runs the file directly.
  chmodSync('dist/src/bin.js', 0o755);
}
