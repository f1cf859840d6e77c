// The Dockerfile's stages replayed without a Docker engine, each into a folder that stands for its
// "/": its instructions read from the Dockerfile itself, its COPYs done, its RUNs done where the
// replay knows the command (and refused, naming the line, where it does not), so that a test can
// run what the image runs, as the image's user, against the image's files.
//
// What is not replayed: the base image, but for the users it defines; apt-get, whose packages are
// recorded (a test finds them on the host, where they come from the same Debian release); `npm ci`,
// whose modules are linked from the working copy and whose compile (the `prepare` script) is the
// one the test setup already made of src/; `npm prune --omit=dev`, which scripts/container-check.sh
// checks on a real install.
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';

/** The users the base images define (the official node images add `node`, uid 1000). */
const BASE_IMAGES: Record<string, { users: Record<string, { uid: number; gid: number }> }> = {
  'node:20-bookworm-slim': { users: { root: { uid: 0, gid: 0 }, node: { uid: 1000, gid: 1000 } } },
};

export interface Instruction {
  line: number;
  op: string;
  args: string;
}

export interface Stage {
  /** The folder that stands for the stage's "/". */
  root: string;
  base: string;
  workdir: string;
  env: Record<string, string>;
  /** The user the stage's processes run as, with its ids from the base image. */
  user: { name: string; uid: number; gid: number };
  volumes: string[];
  exposed: string[];
  /** The Debian packages its RUNs install. */
  packages: string[];
  /** The owners its RUNs gave (in-image path → ids); the files have them too when the replay runs as root. */
  owners: Map<string, { uid: number; gid: number }>;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
  /** Where an in-image path is in the folder. */
  path(inImage: string): string;
}

/** The Dockerfile's instructions, each on one line, with the line it starts on. */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const continues = line.endsWith('\\');
    const body = continues ? line.slice(0, -1).trim() : line;
    if (pending) pending.args += ` ${body}`;
    else {
      const [op, ...rest] = body.split(/\s+/);
      pending = { line: i + 1, op: op!.toUpperCase(), args: rest.join(' ') };
    }
    if (!continues) {
      out.push(pending);
      pending = undefined;
    }
  });
  return out;
}

function jsonForm(ins: Instruction, args = ins.args): string[] {
  try {
    const parsed = JSON.parse(args) as unknown;
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed;
  } catch {
    // named below
  }
  throw new Error(`Dockerfile:${ins.line}: ${ins.op} is not in JSON form: ${args}`);
}

/** Replays every stage of the Dockerfile at `file`, with `context` as the build context; returns them by name (the last also as ''). */
export function replayDockerfile(file: string, context: string): Map<string, Stage> {
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  const refuse = (ins: Instruction, what: string): never => {
    throw new Error(`Dockerfile:${ins.line}: the replay does not know ${what} (test/helpers/dockerfile.ts)`);
  };
  for (const ins of instructions(readFileSync(file, 'utf8'))) {
    if (ins.op === 'FROM') {
      const [base, as, name] = ins.args.split(/\s+/);
      const known = BASE_IMAGES[base!] ?? refuse(ins, `the base image ${base}`);
      stage = newStage(base!, known.users);
      stages.set(as?.toUpperCase() === 'AS' ? name! : `stage-${stages.size}`, stage);
      stages.set('', stage);
      continue;
    }
    if (!stage) refuse(ins, `${ins.op} before FROM`);
    const s = stage!;
    switch (ins.op) {
      case 'WORKDIR':
        s.workdir = posix.resolve(s.workdir, ins.args);
        mkdirSync(s.path(s.workdir), { recursive: true });
        break;
      case 'ENV':
        for (const pair of ins.args.split(/\s+/)) {
          const at = pair.indexOf('=');
          if (at <= 0) refuse(ins, `ENV without name=value (${pair})`);
          s.env[pair.slice(0, at)] = pair.slice(at + 1);
        }
        break;
      case 'COPY': {
        const words = ins.args.split(/\s+/);
        const from = words[0]!.startsWith('--from=') ? stages.get(words.shift()!.slice('--from='.length)) ?? refuse(ins, `the stage in ${ins.args}`) : undefined;
        const dest = words.pop()!;
        for (const src of words) copyInto(from ? from.path(src) : join(context, src), s, dest);
        break;
      }
      case 'RUN':
        for (const command of ins.args.split('&&').map((c) => c.trim())) run(s, command, context) || refuse(ins, `\`${command}\``);
        break;
      case 'USER': {
        const ids = BASE_IMAGES[s.base]!.users[ins.args] ?? refuse(ins, `the user ${ins.args}`);
        s.user = { name: ins.args, ...ids };
        break;
      }
      case 'VOLUME':
        s.volumes.push(...ins.args.split(/\s+/));
        break;
      case 'EXPOSE':
        s.exposed.push(...ins.args.split(/\s+/));
        break;
      case 'HEALTHCHECK': {
        const at = ins.args.indexOf(' CMD ');
        if (at < 0) refuse(ins, `a HEALTHCHECK without CMD`);
        s.healthcheck = jsonForm(ins, ins.args.slice(at + ' CMD '.length));
        break;
      }
      case 'ENTRYPOINT':
        s.entrypoint = jsonForm(ins);
        break;
      case 'CMD':
        s.cmd = jsonForm(ins);
        break;
      default:
        refuse(ins, ins.op);
    }
  }
  return stages;
}

function newStage(base: string, users: Record<string, { uid: number; gid: number }>): Stage {
  const root = mkdtempSync(join(tmpdir(), 'pactwatch-image-'));
  // An image's "/" is open to every user, as the folders under it are.
  chmodSync(root, 0o755);
  return {
    root,
    base,
    workdir: '/',
    env: {},
    user: { name: 'root', ...users.root! },
    volumes: [],
    exposed: [],
    packages: [],
    owners: new Map(),
    entrypoint: [],
    cmd: [],
    healthcheck: [],
    path: (inImage) => join(root, inImage),
  };
}

/** COPY's rules: a folder's contents go into the destination; a file goes into a destination that ends in /. */
function copyInto(src: string, s: Stage, dest: string): void {
  const target = s.path(posix.resolve(s.workdir, dest));
  const into = lstatSync(src).isDirectory() || !dest.endsWith('/') ? target : join(target, basename(src));
  mkdirSync(join(into, '..'), { recursive: true });
  // The modules are linked, not copied (some hundreds of megabytes).
  if (lstatSync(src).isSymbolicLink()) symlinkSync(realpathSync(src), into);
  else cpSync(src, into, { recursive: true });
}

/** Does one command of a RUN; false when the replay does not know it. */
function run(s: Stage, command: string, context: string): boolean {
  const [program, ...args] = command.split(/\s+/);
  const words = args.filter((a) => !a.startsWith('-'));
  if (command === 'apt-get update' || command === 'rm -rf /var/lib/apt/lists/*' || command === 'npm prune --omit=dev') return true;
  if (program === 'apt-get' && words[0] === 'install') {
    s.packages.push(...words.slice(1));
    return true;
  }
  if (program === 'mkdir' && args[0] === '-p') {
    for (const dir of words) mkdirSync(s.path(posix.resolve(s.workdir, dir)), { recursive: true });
    return true;
  }
  if (program === 'chown' && words.length === 2) {
    const [owner, group] = words[0]!.split(':');
    const users = BASE_IMAGES[s.base]!.users;
    const uid = users[owner!]?.uid;
    const gid = users[group ?? owner!]?.gid;
    if (uid === undefined || gid === undefined) return false;
    const path = posix.resolve(s.workdir, words[1]!);
    s.owners.set(path, { uid, gid });
    if (process.getuid?.() === 0) chownSync(s.path(path), uid, gid);
    return true;
  }
  if (command === 'npm ci') {
    const app = s.path(s.workdir);
    symlinkSync(realpathSync(join(context, 'node_modules')), join(app, 'node_modules'));
    // `prepare`: the compile of src/ (tsconfig.build.json), which the test setup has made.
    if (!existsSync(join(context, 'dist/src/bin.js'))) throw new Error('npm ci: no compiled src/ in dist/src (the integration suite builds it first)');
    cpSync(join(context, 'dist/src'), join(app, 'dist/src'), { recursive: true });
    return true;
  }
  return false;
}
