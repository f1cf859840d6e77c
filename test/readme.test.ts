import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pactwatch, ROOT } from './helpers/cli.js';

// The README's everyday command lines, run as written on a fresh folder (no database yet, the
// shipped config without its internet sources), so the README cannot drift from the code.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const shellLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
const commands = shellLines
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter((l) => l.startsWith('npx pactwatch'))
  .map((l) => l.replace(/^npx pactwatch\s*/, ''));

/** Words of a command line, quotes removed ("explain \"White House …\"" is two words). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

// What each command's exit code must be here: health asks a daemon that is not running.
const EXIT: Record<string, number> = { health: 1 };

describe("the README's command lines", () => {
  it('lists the everyday commands', () => {
    expect(commands.map((c) => words(c)[0])).toEqual(expect.arrayContaining(['status', 'explain', 'rules', 'alerts', 'health', '--version']));
  });

  for (const line of commands) {
    it(`pactwatch ${line}: runs as written, with the exit code it documents and no stack trace`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'pactwatch-readme-'));
      const run = await pactwatch(words(line), { cwd });
      expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      expect(run.code).toBe(EXIT[words(line)[0]!] ?? 0);
      if (run.code === 0) expect(run.stdout.trim()).not.toBe('');
      else expect(run.stderr).toMatch(/no daemon answers on 127\.0\.0\.1:8080/);
    });
  }
});
