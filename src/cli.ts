// argv → commands; the only place that sets the exit code.
import { Command, CommanderError, Option } from 'commander';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { ConfigError, PactwatchError, UsageError, formatProblem } from './errors.js';
import { readEnv, resolvePaths } from './config/env.js';
import { loadConfig, type Config } from './config/load.js';
import { compileConfig } from './extract/compile.js';
import { analyze, createExtractor, extract, type Extractor } from './extract/extract.js';
import { formatExplain } from './extract/explain.js';
import { parseInputLine, type ParsedLine } from './extract/input.js';
import { oversize } from './extract/bound.js';
import type { ExtractInput } from './model/assertion.js';
import { parseItemDate } from './item-date.js';
import { expectationKey, testRuleExamples } from './rules/examples.js';
import { evaluate, formatEval } from './rules/eval.js';
import type { Paths } from './commands.js';

// The ledger and the sources pull in SQLite, undici, cheerio and rss-parser: loaded only by the
// commands that use them, so `extract` and `explain` start quickly.
const commands = () => import('./commands.js');

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

interface GlobalOptions {
  config?: string;
  db?: string;
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => (stream.write(text) ? resolve() : stream.once('drain', resolve)));
}

function loadFrom(program: Command): Config {
  const opts = program.opts<GlobalOptions>();
  const { configDir } = resolvePaths(opts, readEnv());
  const config = loadConfig(configDir);
  for (const w of config.warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  return config;
}

function pathsFrom(program: Command): Paths {
  const env = readEnv();
  return { ...resolvePaths(program.opts<GlobalOptions>(), env), env };
}

function extractorFrom(program: Command): Extractor {
  return createExtractor(compileConfig(loadFrom(program)));
}

async function runExtract(program: Command): Promise<void> {
  const ex = extractorFrom(program);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    const parsed: ParsedLine<ExtractInput> = line.trim() === '' ? { ok: false, error: `line ${n}: empty line` } : parseInputLine(line, n);
    let out: unknown;
    if (!parsed.ok) out = parsed.id === undefined ? { error: parsed.error } : { id: parsed.id, error: parsed.error };
    else {
      const assertions = extract(ex, parsed.value).map(({ tracker, party, partyName, status, modality, historical, rule, evidence }) => ({
        tracker, party, partyName, status, modality, historical, rule, evidence,
      }));
      out = { id: parsed.raw.id, assertions };
    }
    await write(process.stdout, `${JSON.stringify(out)}\n`);
  }
}

function runExplain(program: Command, words: string[], opts: { published?: string; title?: string; url?: string }): void {
  const text = words.join(' ');
  if (text.trim() === '') throw new UsageError('explain needs a TEXT to explain');
  let published: Date | undefined;
  if (opts.published !== undefined) {
    published = parseItemDate(opts.published);
    if (!published) throw new UsageError(`--published: "${opts.published}" is not a date (use 2026-06-12)`);
  }
  const over = oversize({ text, title: opts.title });
  if (over) throw new UsageError(`explain: ${over}`);
  const analysis = analyze(extractorFrom(program), { id: 'explain', text, title: opts.title, published, url: opts.url });
  process.stdout.write(`${formatExplain(analysis)}\n`);
}

function runRulesTest(program: Command, opts: { json?: boolean }): void {
  const config = loadFrom(program);
  const report = testRuleExamples(config);
  if (opts.json) {
    const failures = report.failures.map((f) => ({
      tracker: f.tracker,
      rule: f.rule,
      file: f.example.where.file,
      line: f.example.where.line,
      text: f.example.text,
      missing: f.missing.map(expectationKey),
      unexpected: f.unexpected.map(expectationKey),
    }));
    process.stdout.write(`${JSON.stringify({ examples: report.total, failed: report.failures.length, failures })}\n`);
  } else {
    for (const f of report.failures) {
      const where = `${f.example.where.file}:${f.example.where.line ?? '?'}`;
      process.stdout.write(`FAIL ${where} rule ${f.rule}: ${JSON.stringify(f.example.text)}\n`);
      for (const m of f.missing) process.stdout.write(`  missing:    ${expectationKey(m)}\n`);
      for (const u of f.unexpected) process.stdout.write(`  unexpected: ${expectationKey(u)}\n`);
    }
    const passed = report.total - report.failures.length;
    process.stdout.write(`rules test: ${passed} passed, ${report.failures.length} failed\n`);
    if (report.failures.length) process.stdout.write('see why with: pactwatch explain "TEXT" [--published DATE]\n');
  }
  if (report.failures.length) process.exitCode = EXIT_FAILURE;
}

function runRulesEval(program: Command, file: string, opts: { json?: boolean; split?: string }): void {
  const config = loadFrom(program);
  const ex = createExtractor(compileConfig(config));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const report = evaluate(ex, text.split('\n'), { trackers: config.trackers, split: opts.split });
  if (report.examples === 0) {
    for (const e of report.errors.slice(0, 5)) process.stderr.write(`${file}: ${e}\n`);
    throw new UsageError(`${file} has no labelled examples (one JSON object per line: {"id", "text", "expected": [...]})`);
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${formatEval(report)}\n`);
}

export function buildProgram(): Command {
  const program = new Command('pactwatch')
    .description('Watches the news for who has signed an agreement, and posts changes to Bluesky.')
    .addOption(new Option('--config <dir>', 'config folder (env PACTWATCH_CONFIG)'))
    .addOption(new Option('--db <path>', 'SQLite database (env PACTWATCH_DB)'))
    .showHelpAfterError()
    .exitOverride();

  program
    .command('extract')
    .description('JSON Lines in on stdin ({"id", "text", "title"?, "published"?}), assertions out on stdout')
    .action(() => runExtract(program));

  program
    .command('explain')
    .description('show which rules fired on TEXT, on which words, and why')
    .argument('<text...>', 'the text to explain')
    .option('--published <date>', 'the item date, which decides what is historical')
    .option('--title <title>', 'a headline that gives the text context')
    .option('--url <url>', "the item's address, whose slug is the weakest context")
    .action((words: string[], opts: { published?: string; title?: string; url?: string }) => runExplain(program, words, opts));

  const rules = program.command('rules').description('test and measure the matcher rules');
  rules
    .command('test')
    .description("run every rule's examples; exit 1 on any failure")
    .option('--json', 'one JSON object on stdout')
    .action((opts: { json?: boolean }) => runRulesTest(program, opts));
  rules
    .command('eval')
    .description('precision, recall and F1 per status and party on a labelled corpus (JSON Lines)')
    .argument('<file>', 'labelled corpus: {"id", "text", "expected": [...]} per line')
    .option('--json', 'one JSON object on stdout')
    .option('--split <name>', "only the lines of this split (the real corpus's tune or check)")
    .action((file: string, opts: { json?: boolean; split?: string }) => runRulesEval(program, file, opts));

  program
    .command('replay')
    .description('feed stored items (JSON Lines) through the whole pipeline in item-date order')
    .argument('<path>', 'items: {"id", "text", "title"?, "url", "published", "source"?, "trust"?, "publisher"?, "speaksFor"?, "fictional"?} per line')
    .option('--no-seed', "start every party at unknown instead of the config's initial statuses (on an empty database)")
    .option('--allow-fictional', 'replay lines marked "fictional" even when Bluesky credentials are set (their alerts are still only dry-run)')
    .action(async (path: string, opts: { seed: boolean; allowFictional?: boolean }) =>
      (await commands()).replay(pathsFrom(program), path, { seed: opts.seed, allowFictional: opts.allowFictional === true }),
    );

  program
    .command('once')
    .description('one pass over every source and the publisher, then exit')
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: { json?: boolean }) => (await commands()).once(pathsFrom(program), opts));

  const statusCmd = program
    .command('status')
    .description('the current status table, with the sources\' state')
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: { json?: boolean }) => (await commands()).status(pathsFrom(program), opts));
  statusCmd
    .command('set')
    .description("a maintainer's correction: an audited manual transition that alerts like any other")
    .argument('<tracker>')
    .argument('<party>')
    .argument('<status>', 'unknown | holdout | negotiating | signed | declined | withdrawn')
    .requiredOption('--evidence <url>', 'the page that shows the new status')
    .option('--note <text>', 'why, for the audit trail and the post')
    .action(async (tracker: string, party: string, st: string, opts: { evidence: string; note?: string }) =>
      (await commands()).statusSet(pathsFrom(program), { tracker, party, status: st, evidence: opts.evidence, note: opts.note }),
    );

  program
    .command('run')
    .description('the daemon: every source on its schedule, the publisher, the HTTP server')
    .action(async () => (await import('./daemon.js')).run(pathsFrom(program)));

  program
    .command('health')
    .description("ask the running daemon's /healthz; exit 0 healthy, 1 not or unreachable")
    .action(async () => {
      const env = readEnv();
      const host = env.host === undefined || env.host === '0.0.0.0' ? '127.0.0.1' : env.host;
      const url = `http://${host}:${env.port ?? 8080}/healthz`;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        process.stdout.write(`${(await res.text()).trim()}\n`);
        if (res.status !== 200) process.exitCode = EXIT_FAILURE;
      } catch (err) {
        process.stderr.write(`pactwatch: ${url} did not answer: ${(err as Error).message}\n`);
        process.exitCode = EXIT_FAILURE;
      }
    });

  program
    .command('backup')
    .description('write a consistent copy of the database, while the daemon runs')
    .argument('<path>', 'where to write the copy')
    .action(async (target: string) => {
      const { openDatabase } = await import('./store/db.js');
      const db = openDatabase(pathsFrom(program).dbPath, { readonly: true });
      try {
        await db.backup(target);
        process.stderr.write(`backup written to ${target}\n`);
      } finally {
        db.close();
      }
    });

  const alerts = program.command('alerts').description('the outbox: list, review, take back');
  alerts
    .command('list')
    .description('every alert in every state')
    .option('--json', 'JSON Lines on stdout')
    .action(async (opts: { json?: boolean }) => (await commands()).alertsList(pathsFrom(program), opts));
  for (const action of ['approve', 'reject', 'retract'] as const) {
    alerts
      .command(action)
      .description({ approve: 'let a held alert be posted', reject: 'drop a held or queued alert', retract: 'take back an alert' }[action])
      .argument('<id>')
      .action(async (id: string) => (await commands()).alertsReview(pathsFrom(program), action, id));
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

