import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, copyConfig, offlineConfig, pactwatch, ROOT } from './helpers/cli.js';

const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('pactwatch extract', () => {
  it('answers each input line with one output line, in order, in the contract format', async () => {
    const input = [
      { id: 'a', text: 'Meta signs the CAISI pre-release testing agreement' },
      { id: 2, text: 'Apple ships a phone.', title: null, url: null, source: null, published: null },
      { id: 'c', title: 'CAISI testing pact', text: 'OpenAI and Anthropic signed in 2024.', published: '2026-06-01' },
    ];
    const run = await pactwatch(['extract'], { input: input.map((o) => JSON.stringify(o)).join('\n') });
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out.map((o) => o.id)).toEqual(['a', 2, 'c']);
    expect(out[0]).toEqual({
      id: 'a',
      assertions: [
        {
          tracker: 'caisi',
          party: 'meta',
          partyName: 'Meta',
          status: 'signed',
          modality: 'asserted',
          historical: false,
          rule: 'signed',
          evidence: 'Meta signs the CAISI pre-release testing agreement',
        },
      ],
    });
    expect(out[1]).toEqual({ id: 2, assertions: [] });
    expect((out[2]!.assertions as { party: string; historical: boolean }[]).map((a) => [a.party, a.historical])).toEqual([
      ['openai', true],
      ['anthropic', true],
    ]);
  });

  it('reports a bad line on that line and goes on', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const input = [
      '{not json',
      JSON.stringify({ id: 'no-text' }),
      JSON.stringify({ text: 'no id' }),
      JSON.stringify({ id: 'big', text: big }),
      '{"id": "surrogate", "text": "Meta \\ud800 signs"}',
      JSON.stringify({ id: 'date', text: 'Meta signs CAISI deal', published: 'yesterday' }),
      '[1, 2]',
      JSON.stringify({ id: 'ok', text: 'Meta signs the CAISI deal' }),
    ].join('\n');
    const run = await pactwatch(['extract'], { input });
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out).toHaveLength(8);
    expect(out[0]).toEqual({ error: expect.stringMatching(/^line 1: not JSON/) });
    expect(out[1]).toEqual({ id: 'no-text', error: 'line 2: "text" is missing' });
    expect(out[2]!.error).toMatch(/line 3: "id" must be a string or a number/);
    expect(out[3]).toEqual({ id: 'big', error: expect.stringMatching(/line 4: text is 5,242,880 characters; the limit is 200,000/) });
    expect(out[4]).toEqual({ id: 'surrogate', error: expect.stringMatching(/unpaired UTF-16 surrogate at index 5/) });
    expect(out[5]!.error).toMatch(/"published" must be an ISO date/);
    expect(out[6]!.error).toMatch(/expected a JSON object/);
    expect((out[7]!.assertions as unknown[]).length).toBe(1);
  });

  it('exits 2 naming the file when the config is bad', async () => {
    const dir = copyConfig();
    const file = join(dir, 'trackers/caisi.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace("- 'holdouts?'", "- 'holdouts?['"));
    const run = await pactwatch(['extract', '--config', dir], { input: '{"id":1,"text":"x"}' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/caisi\.yaml:\d+: rules\[\d+\]\.cues\[0\]: pattern \/holdouts\?\[\/ does not compile/);
  });

  it('exits 2 for an empty config folder', async () => {
    const run = await pactwatch(['extract'], { env: { PACTWATCH_CONFIG: mkdtempSync(join(tmpdir(), 'pw-empty-')) } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no tracker files/);
  });
});

describe('a line\'s "about": the trackers its source is about', () => {
  it('extract reads it as a tracker id or a list, and answers any other "about" with an error on its line', async () => {
    const bare = 'Meta signed the agreement on Tuesday.';
    const input = [
      { id: 'plain', text: bare },
      { id: 'one', text: bare, about: 'caisi' },
      { id: 'list', text: bare, about: ['caisi'] },
      { id: 'bad', text: bare, about: 7 },
    ];
    const run = await pactwatch(['extract'], { input: input.map((o) => JSON.stringify(o)).join('\n') });
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    const parties = (o: Record<string, unknown>) => (o.assertions as { party: string; status: string }[]).map((a) => `${a.party} ${a.status}`);
    expect(out.slice(0, 3).map(parties)).toEqual([[], ['meta signed'], ['meta signed']]);
    expect(out[3]).toEqual({ id: 'bad', error: 'line 4: "about" must be a tracker id or a list of them, like "caisi" or ["caisi"]' });
  });

  it('explain --about says the source decided the agreement, and refuses an unknown tracker', async () => {
    const run = await pactwatch(['explain', '--about', 'caisi', 'Meta signed the agreement on Tuesday.']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`agreement from context: the item's source is about "CAISI pre-release testing agreement"`);
    expect(run.stdout).toContain(`agreement: no agreement is named, and the item's source is about it`);
    expect(run.stdout).toContain('caisi meta signed asserted');
    const bad = await pactwatch(['explain', '--about', 'nope', 'Meta signed the agreement on Tuesday.']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--about: unknown tracker "nope"/);
  });
});

describe('pactwatch explain', () => {
  it('names the rules extract reports, the words that fired, and the modifiers', async () => {
    const run = await pactwatch(['explain', 'If Meta does eventually sign the CAISI agreement, it would join OpenAI.']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cue "sign" → rule signed (signed)');
    expect(run.stdout).toContain('hypothetical: "If" before the cue');
    expect(run.stdout).toContain('caisi meta signed hypothetical  (rule signed)');
  });

  it("shows the sentence's structure: clauses, asides, each party's role and how the agreement was found", async () => {
    const run = await pactwatch(['explain', 'Meta, which launched a model in April, has not signed the CAISI agreement, while Google has.']);
    expect(run.stdout).toContain('clauses: "Meta, which launched a model in April, has not signed the CAISI agreement," | "while Google has."');
    expect(run.stdout).toContain('aside (relative): ", which launched a model in April"');
    expect(run.stdout).toContain('parties: Meta ("Meta") — subject, before the cue (past an aside or the verb group)');
    expect(run.stdout).toContain('agreement: "CAISI" names CAISI pre-release testing agreement');
  });

  it("reads --url as the item's address, and says when its slug decided the agreement", async () => {
    const run = await pactwatch(['explain', '--url', 'https://news.example/2026/amazon-nears-caisi-deal', 'Amazon says it is working through the terms.']);
    expect(run.stdout).toContain(`agreement: no agreement is named in the text, and the item's address names it ("caisi")`);
    expect(run.stdout).toContain('caisi amazon negotiating asserted');
  });

  it('uses --published for history and explains a look-alike', async () => {
    const run = await pactwatch(['explain', '--published', '2026-06-01', 'OpenAI signed the CAISI deal in 2024. Мeta signs too.']);
    expect(run.stdout).toContain('historical: "in 2024" is more than 60 days before the item');
    expect(run.stdout).toMatch(/ignored "Мeta": looks like "Meta"/);
  });

  it('refuses a bad date with exit 2', async () => {
    const run = await pactwatch(['explain', 'Meta signs', '--published', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--published: "soon" is not a date/);
  });
});

describe('pactwatch rules', () => {
  it('test passes on the shipped rules and fails (exit 1) on a broken example, naming its line', async () => {
    const ok = await pactwatch(['rules', 'test']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/rules test: \d+ passed, 0 failed/);

    const dir = copyConfig();
    const file = join(dir, 'trackers/caisi.yaml');
    const yaml = readFileSync(file, 'utf8');
    const needle = '- text: Meta declined to comment on the CAISI testing agreement.';
    writeFileSync(file, yaml.replace(needle, '- text: Meta declined to sign the CAISI testing agreement.'));
    const line = yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const bad = await pactwatch(['--config', dir, 'rules', 'test']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`caisi.yaml:${line} rule declined`);
    expect(bad.stdout).toContain('unexpected: meta declined');
  });

  it('eval prints scores per status and party, and --json one object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-eval-'));
    const file = join(dir, 'mini.jsonl');
    writeFileSync(
      file,
      [
        { id: '1', text: 'Meta signs the CAISI testing deal', expected: [{ tracker: 'caisi', party: 'meta', status: 'signed' }] },
        { id: '2', text: 'If Meta signs the CAISI deal', expected: [] },
        { id: '3', text: 'Amazon joins the CAISI program', expected: [{ tracker: 'caisi', party: 'amazon', status: 'declined' }] },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const text = await pactwatch(['rules', 'eval', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/by status[\s\S]*signed[\s\S]*by party[\s\S]*meta/);
    expect(text.stdout).toContain('3  missed    caisi/amazon declined');

    const json = await pactwatch(['rules', 'eval', file, '--json']);
    const report = JSON.parse(json.stdout) as { examples: number; overall: { tp: number; fp: number; fn: number } };
    expect(report.examples).toBe(3);
    expect(report.overall).toMatchObject({ tp: 1, fp: 2, fn: 1 });
  });
});

describe('pactwatch options and usage', () => {
  it('takes --config before or after the subcommand, and the flag wins over the environment', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'pw-none-'));
    const before = await pactwatch(['--config', 'config', 'rules', 'test'], { env: { PACTWATCH_CONFIG: bad } });
    const after = await pactwatch(['rules', 'test', '--config', 'config'], { env: { PACTWATCH_CONFIG: bad } });
    const envOnly = await pactwatch(['rules', 'test'], { env: { PACTWATCH_CONFIG: bad } });
    expect([before.code, after.code, envOnly.code]).toEqual([0, 0, 2]);
  });

  it('exits 2 on an unknown command or option, and 0 for --help', async () => {
    expect((await pactwatch(['frobnicate'])).code).toBe(2);
    expect((await pactwatch(['extract', '--nope'])).code).toBe(2);
    const help = await pactwatch(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('explain');
  });
});

describe('loading a command only when it runs', () => {
  /** The modules `pactwatch ARGS` loads: ours relative to dist/src/, packages by name. */
  const loaded = async (args: string[]) => {
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'pw-loaded-'));
    const trace = join(dir, 'loaded.txt');
    const run = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/load-trace.mjs'), BIN, ...args], {
      // In a fresh folder, the default database path holds nothing yet.
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PACTWATCH_CONFIG: offlineConfig(), LOAD_TRACE: trace },
    });
    expect(run.status).toBe(0);
    const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    const ours = urls.filter((u) => u.includes('/dist/src/')).map((u) => u.slice(u.indexOf('/dist/src/') + '/dist/src/'.length));
    const packages = new Set(urls.filter((u) => u.includes('/node_modules/')).map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)![1]));
    return { ours, packages };
  };

  it('--help loads the program alone: no command, no extractor, no store, and no package but commander', async () => {
    const { ours, packages } = await loaded(['--help']);
    expect(ours.filter((m) => /^(commands|extract|store|sources|publish)\//.test(m))).toEqual([]);
    expect([...packages]).toEqual(['commander']);
  });

  it('status loads its own command and no network, Bluesky client or logger', async () => {
    const { ours, packages } = await loaded(['status']);
    expect(ours.filter((m) => m.startsWith('commands/'))).toEqual(['commands/status.js']);
    for (const heavy of ['@atproto/api', 'undici', 'cheerio', 'rss-parser', 'pino']) expect(packages.has(heavy), heavy).toBe(false);
  });
});

describe('the installed command', () => {
  it('runs as `npx pactwatch` after install', async () => {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((done, fail) =>
      execFile('npx', ['--offline', '--no-install', 'pactwatch', '--help'], { cwd: ROOT }, (err, stdout) => (err ? fail(err) : done(stdout))),
    );
    expect(out).toContain('Usage: pactwatch');
  });
});

describe('an empty input line, a corpus with no examples, a reader that stops early', () => {
  it('an empty input line gets an error line of its own', async () => {
    const run = await pactwatch(['extract'], { input: '{"id":"a","text":"x"}\n\n{"id":"b","text":"y"}\n' });
    expect(lines(run.stdout)).toEqual([{ id: 'a', assertions: [] }, { error: 'line 2: empty line' }, { id: 'b', assertions: [] }]);
  });

  it('rules eval on a file with no labelled examples is bad usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-eval-empty-'));
    writeFileSync(join(dir, 'empty.jsonl'), '');
    writeFileSync(join(dir, 'yaml.jsonl'), 'id: 1\ntext: hello\n');
    for (const f of ['empty.jsonl', 'yaml.jsonl']) {
      const run = await pactwatch(['rules', 'eval', join(dir, f)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/has no labelled examples/);
    }
  });

  it('a reader that stops early is not an error', async () => {
    const { spawn } = await import('node:child_process');
    const input = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: i, text: 'Meta signs the CAISI deal' })).join('\n');
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/bin.js'), 'extract'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    const code = await new Promise((done) => child.on('close', done));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
