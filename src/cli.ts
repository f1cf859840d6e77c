// argv → commands: defines the program, loads each command's module when it runs (so `--help`
// and `status` load no network or Bluesky code), and maps errors to exit codes, the only place
// that sets them.
import { Command, CommanderError, Option } from 'commander';
import { readEnv } from './config/env.js';
import { runtimeOf, type Runtime } from './config/settings.js';
import { ConfigError, PactwatchError, UsageError } from './errors.js';
import { packageVersion } from './version.js';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

interface GlobalOptions {
  config?: string;
  db?: string;
}

/** The command line's and the environment's paths, read when a command runs (the flags may follow it). */
function runtimeFrom(program: Command): Runtime {
  const flags = program.opts<GlobalOptions>();
  // An empty path would name the current folder (or, for SQLite, a temporary database).
  if (flags.config?.trim() === '') throw new UsageError('--config needs a path, not an empty one');
  if (flags.db?.trim() === '') throw new UsageError('--db needs a path, not an empty one');
  return runtimeOf(flags, readEnv());
}

export function buildProgram(): Command {
  const program = new Command('pactwatch')
    .description('Watches the news for who has signed an agreement, and posts changes to Bluesky.')
    .addOption(new Option('--config <dir>', 'config folder (env PACTWATCH_CONFIG)'))
    .addOption(new Option('--db <path>', 'SQLite database (env PACTWATCH_DB)'))
    .version(packageVersion(), '-V, --version', "print pactwatch's version")
    .showHelpAfterError()
    .exitOverride();

  program
    .command('extract')
    .description('JSON Lines in on stdin ({"id", "text", "title"?, "published"?}), assertions out on stdout')
    .action(async () => (await import('./commands/extract.js')).extractLines(runtimeFrom(program)));

  program
    .command('explain')
    .description('show which rules fired on TEXT, on which words, and why')
    .argument('<text...>', 'the text to explain')
    .option('--published <date>', 'the item date, which decides what is historical')
    .option('--title <title>', 'a headline that gives the text context')
    .option('--url <url>', "the item's address, whose slug is the weakest context")
    .option('--about <trackers>', "trackers the item's source is about (comma-separated), as a source's `about` in sources.yaml")
    .action(async (words: string[], opts: { published?: string; title?: string; url?: string; about?: string }) => (await import('./commands/explain.js')).explain(runtimeFrom(program), words, opts));

  const rules = program.command('rules').description('test and measure the matcher rules');
  rules
    .command('test')
    .description("run every rule's examples; exit 1 on any failure")
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: { json?: boolean }) => {
      if (!(await import('./commands/rules-test.js')).rulesTest(runtimeFrom(program), opts)) process.exitCode = EXIT_FAILURE;
    });
  rules
    .command('eval')
    .description('precision, recall and F1 per status and party on a labelled corpus (JSON Lines)')
    .argument('<file>', 'labelled corpus: {"id", "text", "expected": [...]} per line')
    .option('--json', 'one JSON object on stdout')
    .option('--split <name>', "only the lines of this split (the real corpus's tune or check)")
    .action(async (file: string, opts: { json?: boolean; split?: string }) => (await import('./commands/rules-eval.js')).rulesEval(runtimeFrom(program), file, opts));

  program
    .command('replay')
    .description('feed stored items (JSON Lines) through the whole pipeline in item-date order')
    .argument('<path>', 'items: {"id", "text", "title"?, "url", "published", "source"?, "trust"?, "publisher"?, "speaksFor"?, "fictional"?} per line')
    .option('--no-seed', "start every party at unknown instead of the config's initial statuses (on an empty database)")
    .option('--allow-fictional', 'replay lines marked "fictional" even when Bluesky credentials are set (their alerts are still only dry-run)')
    .action(async (path: string, opts: { seed: boolean; allowFictional?: boolean }) =>
      (await import('./commands/replay.js')).replay(runtimeFrom(program), path, { seed: opts.seed, allowFictional: opts.allowFictional === true }),
    );

  program
    .command('feed')
    .description('fetch feeds once and print what pactwatch reads from them (no database)')
    .argument('[url...]', 'feed URLs; none: read them from stdin, one a line')
    .option('--json', 'one JSON object per URL on stdout')
    .addOption(new Option('--kind <kind>', 'read as this kind of source').choices(['rss', 'techmeme']).default('rss'))
    .action(async (urls: string[], opts: { json?: boolean; kind: string }) => (await import('./commands/feed.js')).feed(runtimeFrom(program), urls, opts));

  program
    .command('once')
    .description('one pass over every source and the publisher, then exit')
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: { json?: boolean }) => (await import('./commands/once.js')).once(runtimeFrom(program), opts));

  const statusCmd = program
    .command('status')
    .description('the current status table, with the sources\' state')
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: { json?: boolean }) => (await import('./commands/status.js')).status(runtimeFrom(program), opts));
  statusCmd
    .command('set')
    .description("a maintainer's correction: an audited manual transition that alerts like any other")
    .argument('<tracker>')
    .argument('<party>')
    .argument('<status>', 'unknown | holdout | negotiating | signed | declined | withdrawn')
    .requiredOption('--evidence <url>', 'the page that shows the new status')
    .option('--note <text>', 'why, for the audit trail and the post')
    .action(async (tracker: string, party: string, st: string, opts: { evidence: string; note?: string }) =>
      (await import('./commands/status-set.js')).statusSet(runtimeFrom(program), { tracker, party, status: st, evidence: opts.evidence, note: opts.note }),
    );

  program
    .command('run')
    .description('the daemon: every source on its schedule, the publisher, the HTTP server')
    .action(async () => (await import('./commands/run.js')).run(runtimeFrom(program)));

  program
    .command('health')
    .description("ask the running daemon's /healthz; exit 0 healthy, 1 not or unreachable")
    .action(async () => {
      if (!(await (await import('./commands/health.js')).health(readEnv()))) process.exitCode = EXIT_FAILURE;
    });

  program
    .command('backup')
    .description('write a consistent copy of the database, while the daemon runs')
    .argument('<path>', 'where to write the copy')
    .action(async (target: string) => (await import('./commands/backup.js')).backup(runtimeFrom(program), target));

  const alerts = program.command('alerts').description('the outbox: list, review, take back');
  alerts
    .command('list')
    .description('every alert in every state')
    .option('--json', 'JSON Lines on stdout')
    .action(async (opts: { json?: boolean }) => (await import('./commands/alerts-list.js')).alertsList(runtimeFrom(program), opts));
  for (const action of ['approve', 'reject', 'retract'] as const) {
    alerts
      .command(action)
      .description({ approve: 'let a held alert be posted', reject: 'drop a held or queued alert', retract: 'take back an alert' }[action])
      .argument('<id>')
      .action(async (id: string) => (await import('./commands/alerts-review.js')).alertsReview(runtimeFrom(program), action, id));
  }

  for (const cmd of [program, ...program.commands, ...rules.commands, ...statusCmd.commands, ...alerts.commands]) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // Help and version are successes; every other commander error is bad usage.
    return err.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`pactwatch: bad config:\n${err.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`pactwatch: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof PactwatchError) {
    process.stderr.write(`pactwatch: ${err.message}\n`);
    return EXIT_FAILURE;
  }
  process.stderr.write(`pactwatch: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT_FAILURE;
}

