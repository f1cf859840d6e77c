// Which suite a test file belongs to (vitest.config.ts): the unit suite, in-process and fast, or
// the integration suite, which starts things.
//
// The rule: a test file belongs to the integration suite when it, or a module it imports from
// test/, bench/, scripts/ or world/ (followed through their relative imports; not into src/, nor
// into this file, which names them all), names what starts something: node:child_process,
// node:http, node:https, node:http2, node:net, node:worker_threads, @atproto/dev-env,
// @atproto/pds, playwright, or a built file under dist/. Every other test file is a unit test: in-process, with no child process, server,
// worker, PDS or browser, and no build first. A new test falls where it belongs by what it
// imports; one that starts something anyway fails in the unit suite at once, saying so
// (test/helpers/in-process.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const STARTS_SOMETHING = /['"](?:node:)?(?:child_process|http|https|http2|net|worker_threads)['"]|@atproto\/(?:dev-env|pds)\b|\bplaywright\b|\/dist\//;
const RELATIVE_IMPORT = /(?:\bfrom|\bimport\s*\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Whether the test file `file` (a path from `root`) belongs to the integration suite. */
export function isIntegrationTest(root: string, file: string): boolean {
  return startsSomething(join(root, 'src') + '/', join(root, file), new Set([fileURLToPath(import.meta.url)]));
}

function startsSomething(src: string, file: string, seen: Set<string>): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (STARTS_SOMETHING.test(text)) return true;
  for (const [, specifier] of text.matchAll(RELATIVE_IMPORT)) {
    const target = resolve(dirname(file), specifier!);
    const source = [target.replace(/\.js$/, '.ts'), target].find((f) => existsSync(f));
    if (source && !source.startsWith(src) && startsSomething(src, source, seen)) return true;
  }
  return false;
}

/** Every test file under `root`'s test/, as a path from `root`, in the suites the rule gives them. */
export function testSuites(root: string): { unit: string[]; integration: string[] } {
  const files = readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f.split('\\').join('/')}`)
    .sort();
  const integration = files.filter((f) => isIntegrationTest(root, f));
  return { unit: files.filter((f) => !integration.includes(f)), integration };
}
