import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON_NODE_FLAGS } from '../src/node-flags.js';
import { replayDockerfile, type Stage } from './helpers/dockerfile.js';
import { ROOT } from './helpers/repo.js';

// No Docker engine runs here: the Dockerfile is linted; its stages are replayed in folders below
// and the image's command run as its user and under its init; and scripts/container-check.sh (run
// by .ci/run) replays the runtime stage on a production-only install.
describe('the Dockerfile', () => {
  it('passes dockerfilelint', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/dockerfilelint/bin/dockerfilelint'), '--output', 'json', join(ROOT, 'Dockerfile')], { encoding: 'utf8' });
    const report = JSON.parse(out) as { totalIssues: number; files: { issues: unknown[] }[] };
    expect(report.files[0]!.issues).toEqual([]);
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

// The runtime stage replayed in a folder (test/helpers/dockerfile.ts), then run as the image runs
// it. Running as the image's user needs root, as CI runs (.ci/run installs packages); the init is
// Debian's tini, which .ci/run installs too. A developer machine without either skips those tests.
const asRoot = process.getuid?.() === 0;
const TINI = '/usr/bin/tini';

describe('the image the Dockerfile builds, its runtime stage replayed', () => {
  let stages: Map<string, Stage>;
  let image: Stage;
  beforeAll(() => {
    stages = replayDockerfile(join(ROOT, 'Dockerfile'), ROOT);
    image = stages.get('')!;
    // The shipped sources are real sites: as scripts/container-check.sh does, poll none of them.
    writeFileSync(image.path(posix.join(image.env.PACTWATCH_CONFIG!, 'sources.yaml')), 'sources: []\n');
  });
  afterAll(() => {
    for (const stage of new Set(stages?.values())) rmSync(stage.root, { recursive: true, force: true });
  });

  it('runs as a user that is not root, keeps its database on a volume that user owns, listens on the port it exposes, under an init the stage installs', () => {
    expect(image.user.name).toBe('node');
    expect(image.user.uid).not.toBe(0);
    const volume = image.volumes.find((v) => image.env.PACTWATCH_DB!.startsWith(`${v}/`));
    expect(volume).toBeDefined();
    expect(image.owners.get(volume!)).toEqual({ uid: image.user.uid, gid: image.user.gid });
    expect(image.env.PACTWATCH_HOST).toBe('0.0.0.0');
    expect(image.exposed).toEqual([image.env.PACTWATCH_PORT]);
    // Debian's tini package installs the init at this path.
    expect(image.packages).toContain('tini');
    expect(image.entrypoint).toEqual([TINI, '--']);
    expect(image.healthcheck).toEqual(['node', 'dist/src/bin.js', 'health']);
  });

  it.skipIf(!asRoot)('as its user, the daemon answers the health check and writes its database to the volume and nothing else in the image, which that user cannot write to', async () => {
    const before = filesOutside(image, volumeOf(image));
    const daemon = await start(image, false);
    try {
      expect(healthCheck(image, daemon.env)).toBe(0);
      const db = statSync(image.path(image.env.PACTWATCH_DB!));
      expect({ uid: db.uid, gid: db.gid }).toEqual({ uid: image.user.uid, gid: image.user.gid });
      const denied = spawnSync(process.execPath, ['-e', `require('node:fs').writeFileSync(${JSON.stringify(image.path(posix.join(image.workdir, 'written')))}, '')`], asUser(image));
      expect(denied.status).not.toBe(0);
      expect(denied.stderr.toString()).toContain('EACCES');
    } finally {
      expect(await stop(daemon.proc)).toBe(0);
    }
    expect(daemon.logs()).toContain('"msg":"stopped"');
    expect(filesOutside(image, volumeOf(image))).toEqual(before);
  });

  it.skipIf(!asRoot || !existsSync(TINI))('under the init, answers the health check, and SIGTERM sent to the init stops the daemon cleanly: the container exits 0', async () => {
    const daemon = await start(image, true);
    try {
      expect(healthCheck(image, daemon.env)).toBe(0);
    } finally {
      expect(await stop(daemon.proc)).toBe(0);
    }
    expect(daemon.logs()).toContain('"msg":"stopped"');
  });
});

function volumeOf(image: Stage): string {
  return image.volumes.find((v) => image.env.PACTWATCH_DB!.startsWith(`${v}/`))!;
}

function asUser(image: Stage) {
  return { uid: image.user.uid, gid: image.user.gid, cwd: image.path(image.workdir) };
}

/** Every file and folder in the image outside `volume`, with its size and time (links not followed). */
function filesOutside(image: Stage, volume: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(image.path(dir), { withFileTypes: true })) {
      const path = posix.join(dir, entry.name);
      if (path === volume) continue;
      const s = statSync(image.path(path), { throwIfNoEntry: false });
      found[path] = entry.isSymbolicLink() ? 'link' : `${s?.size} ${s?.mtimeMs}`;
      if (entry.isDirectory()) walk(path);
    }
  };
  walk('/');
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** A command of the image, run on the host: the host's Node stands in for the base image's. */
function onHost(command: string[]): string[] {
  return command.map((word, i) => (i === 0 && word === 'node' ? process.execPath : word));
}

/**
 * Starts the image's CMD (under its ENTRYPOINT when `withInit`) as the image's user, in its
 * working folder, with its environment: paths in it point into the replayed folder, and it listens
 * on loopback at a free port (the host is no container's network).
 */
async function start(image: Stage, withInit: boolean): Promise<{ proc: ChildProcess; env: Record<string, string>; logs: () => string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [name, value] of Object.entries(image.env)) env[name] = value.startsWith('/') ? image.path(value) : value;
  Object.assign(env, { PACTWATCH_HOST: '127.0.0.1', PACTWATCH_PORT: String(await freePort()) });
  const [program, ...args] = [...(withInit ? image.entrypoint : []), ...onHost(image.cmd)];
  // A process group of its own, so that teardown can end whatever a broken init leaves behind.
  const proc = spawn(program!, args, { ...asUser(image), env, detached: true });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  await new Promise<void>((ready, fail) => {
    const check = () => {
      if (err.includes('"msg":"listening"')) return ready();
      if (proc.exitCode !== null) return fail(new Error(`the image's command exited ${proc.exitCode}: ${err}`));
      setTimeout(check, 50);
    };
    check();
  });
  return { proc, env, logs: () => err };
}

/** The HEALTHCHECK's command, run as the image runs it; its exit status. */
function healthCheck(image: Stage, env: Record<string, string>): number | null {
  const [program, ...args] = onHost(image.healthcheck);
  return spawnSync(program!, args, { ...asUser(image), env }).status;
}

/** SIGTERM to the first process, as `docker stop` sends it; its exit code (null: killed by the signal). */
async function stop(proc: ChildProcess): Promise<number | null> {
  const exited = proc.exitCode !== null ? Promise.resolve(proc.exitCode) : new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  proc.kill('SIGTERM');
  const code = await exited;
  try {
    process.kill(-proc.pid!, 'SIGKILL');
  } catch {
    // The group is gone: nothing was left behind.
  }
  return code;
}
