import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAEMON_NODE_FLAGS } from '../src/node-flags.js';
import { ROOT } from './helpers/repo.js';

// No Docker engine runs here: the Dockerfile is linted, and scripts/container-check.sh (run by
// .ci/run) replays its runtime stage in a temporary folder.
describe('the Dockerfile', () => {
  it('passes dockerfilelint', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/dockerfilelint/bin/dockerfilelint'), '--output', 'json', join(ROOT, 'Dockerfile')], { encoding: 'utf8' });
    const report = JSON.parse(out) as { totalIssues: number; files: { issues: unknown[] }[] };
    expect(report.files[0]!.issues).toEqual([]);
  });

  it('runs the daemon under tini as the node user, with its data on a volume and a health check', () => {
    const file = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    for (const line of [
      /^FROM node:20-bookworm-slim AS build$/m,
      /^RUN npm ci && npm prune --omit=dev$/m,
      /^USER node$/m,
      /^VOLUME \/data$/m,
      /PACTWATCH_DB=\/data\/pactwatch\.db/,
      /PACTWATCH_HOST=0\.0\.0\.0/,
      /^EXPOSE 8080$/m,
      /^HEALTHCHECK .* CMD \["node", "dist\/src\/bin\.js", "health"\]$/m,
      /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m,
    ]) {
      expect(file).toMatch(line);
    }
  });

  it('builds the image from src/ and config/ alone: the bench, the scripts and the test world stay out', () => {
    const file = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const copied = [...file.matchAll(/^COPY (?!--from)(.*) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(copied.sort()).toEqual(['assets', 'config', 'package-lock.json', 'package.json', 'src', 'tsconfig.build.json', 'tsconfig.json']);
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toEqual(['src']);
  });

  it('starts the daemon with the V8 flags the soak run measured, as npm start and the container check do', () => {
    const flags = DAEMON_NODE_FLAGS.join(' ');
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(`CMD ["node", ${DAEMON_NODE_FLAGS.map((f) => `"${f}"`).join(', ')}, "dist/src/bin.js", "run"]`);
    expect((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start).toBe(`node ${flags} dist/src/bin.js run`);
    expect(readFileSync(join(ROOT, 'scripts/container-check.sh'), 'utf8')).toContain(`node ${flags} dist/src/bin.js run`);
  });

  it('gives the installed command the same flags, on its #! line', () => {
    expect(readFileSync(join(ROOT, 'src/bin.ts'), 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${DAEMON_NODE_FLAGS.join(' ')}`);
  });
});
