import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

interface Locked {
  version?: string;
  hasInstallScript?: boolean;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Locked> };

/** The locked packages that have install scripts, by name (nested copies included). */
function withInstallScripts(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [path, p] of Object.entries(lock.packages)) {
    if (!p.hasInstallScript) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    found.set(name, [...(found.get(name) ?? []), p.version ?? '?']);
  }
  return found;
}

describe("package.json's allowScripts", () => {
  it('decides every install script in the lockfile, so `npm ci` leaves nothing to interpret', () => {
    const decided = pkg.allowScripts ?? {};
    const undecided = [...withInstallScripts().keys()].filter((name) => typeof decided[name] !== 'boolean');
    expect(undecided).toEqual([]);
  });

  it('names only packages that have one (no stale entry), and lets better-sqlite3 build', () => {
    expect(Object.keys(pkg.allowScripts ?? {}).filter((name) => !withInstallScripts().has(name))).toEqual([]);
    expect(pkg.allowScripts?.['better-sqlite3']).toBe(true);
  });
});
