import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { problemsOf } from '../helpers/config-problems.js';
import { copyConfig, lineOf, withTracker } from '../helpers/repo.js';

describe('loadConfig', () => {
  it('loads the shipped config without warnings', () => {
    const config = loadConfig(join(import.meta.dirname, '../../config'));
    expect(config.trackers.map((t) => t.id)).toEqual(['caisi']);
    expect(config.warnings).toEqual([]);
    expect(config.trackers[0]!.parties.find((p) => p.id === 'meta')?.initial?.status).toBe('holdout');
  });

  it('reads a rule\'s party role as subject/object, and the older before/after as the same', () => {
    const shipped = loadConfig(join(import.meta.dirname, '../../config')).trackers[0]!.rules;
    const dir = withTracker((y) => y.replaceAll('party: object', 'party: after').replaceAll('party: [object, subject]', 'party: [after, before]').replaceAll('party: subject', 'party: before'));
    expect(readFileSync(join(dir, 'trackers/caisi.yaml'), 'utf8')).not.toMatch(/party: (?:object|subject|\[object)/);
    expect(loadConfig(dir).trackers[0]!.rules.map((r) => [r.id, r.party])).toEqual(shipped.map((r) => [r.id, r.party]));
    expect(shipped.find((r) => r.id === 'pressed.passive')!.party).toEqual(['before']);
    expect(shipped.find((r) => r.id === 'signed.joins')).toMatchObject({ party: ['before', 'after'], bothSides: true });
    expect(shipped.find((r) => r.id === 'signed')).toMatchObject({ party: ['before', 'after'], bothSides: false });
  });

  it('names file, line and field for an unknown party in a rule example', () => {
    const dir = withTracker((y) => y.replace('expect: [{ party: xai, status: withdrawn }]', 'expect: [{ party: x-corp, status: withdrawn }]'));
    const line = lineOf(dir, 'party: x-corp');
    const [problem] = problemsOf(dir);
    expect(problem).toMatch(new RegExp(`trackers/caisi\\.yaml:${line}: rules\\[\\d+\\]\\.examples\\[0\\]\\.expect\\[0\\]\\.party: unknown party "x-corp"`));
  });

  it('refuses an alias claimed by two parties', () => {
    const dir = withTracker((y) => y.replace('aliases: [Nvidia]', 'aliases: [Nvidia, DeepMind]'));
    expect(problemsOf(dir).join('\n')).toMatch(/caisi\.yaml:\d+: parties\[\d+\]\.aliases\[1\]: alias "DeepMind" is already claimed by party "google-deepmind"/);
  });

  it('refuses a regular expression that does not compile, naming it', () => {
    const dir = withTracker((y) => y.replace("- 'co-?sign(?:s|ed)?'", "- 'co-?sign(?:s|ed'"));
    const line = lineOf(dir, "co-?sign(?:s|ed'");
    expect(problemsOf(dir).join('\n')).toMatch(new RegExp(`caisi\\.yaml:${line}: rules\\[0\\]\\.cues\\[1\\]: pattern /co-\\?sign\\(\\?:s\\|ed/ does not compile`));
  });

  it('refuses a pattern that matches empty text', () => {
    const dir = withTracker((y) => y.replace("- 'holdouts?'", "- '(?:holdouts?)?'"));
    expect(problemsOf(dir).join('\n')).toMatch(/matches the empty text/);
  });

  it('reports schema errors with the line of the field', () => {
    const dir = withTracker((y) => y.replace('status: withdrawn\n    description', 'status: gone\n    description'));
    const line = lineOf(dir, 'status: gone');
    expect(problemsOf(dir).join('\n')).toMatch(new RegExp(`caisi\\.yaml:${line}: rules\\[\\d+\\]\\.status: Invalid option`));
  });

  it('reports an unknown key at its own line, not at the mapping that holds it', () => {
    const dir = withTracker((y) => y.replace('  - id: withdrawn\n', '  - id: withdrawn\n    statusAlias: gone\n'));
    const line = lineOf(dir, 'statusAlias: gone');
    expect(problemsOf(dir).join('\n')).toMatch(new RegExp(`caisi\\.yaml:${line}: rules\\[\\d+\\]: Unrecognized key: "statusAlias"`));
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = withTracker((y) => `${y}\nbroken: [unclosed\n`);
    expect(problemsOf(dir).join('\n')).toMatch(/caisi\.yaml:\d+: YAML: /);
  });

  it('reports a YAML typo as its first error alone, and nothing that follows from it in other files', () => {
    const typo = withTracker((y) => y.replace('  - id: anthropic\n', '  - id anthropic\n'));
    expect(problemsOf(typo)).toEqual([`${join(typo, 'trackers/caisi.yaml')}:${lineOf(typo, '  - id anthropic')}: YAML: Implicit keys need to be on a single line`]);
    const tab = withTracker((y) => y.replace('parties:\n', 'parties:\n\t- bad\n'));
    const problems = problemsOf(tab);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/caisi\.yaml:\d+: YAML: Tabs are not allowed as indentation \(and \d+ more YAML errors after it, most likely following from it\)$/);
  });

  it('reports every problem at once, across files', () => {
    const dir = withTracker((y) => y.replace('aliases: [Nvidia]', 'aliases: [Nvidia, DeepMind]').replace("- 'holdouts?'", "- 'holdouts?('"));
    writeFileSync(join(dir, 'trackers/second.yaml'), 'id: caisi\nname: dup\n');
    const problems = problemsOf(dir);
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.some((p) => p.includes('second.yaml'))).toBe(true);
  });

  it('refuses an empty config folder and a missing one', () => {
    const empty = mkdtempSync(join(tmpdir(), 'pactwatch-empty-'));
    expect(problemsOf(empty).join('\n')).toMatch(/no tracker files/);
    rmSync(empty, { recursive: true });
    expect(problemsOf(empty).join('\n')).toMatch(/config folder does not exist/);
  });

  it('falls back to the packaged language file with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pactwatch-min-'));
    mkdirSync(join(dir, 'trackers'));
    writeFileSync(
      join(dir, 'trackers/pledge.yaml'),
      [
        'id: pledge',
        'name: Example pledge',
        'agreement: { aliases: [Example Pledge] }',
        'parties: [{ id: acme, name: Acme, aliases: [Acme] }]',
        'rules:',
        '  - id: signed',
        '    status: signed',
        '    cues: [signs]',
        '    examples: [{ text: Acme signs the Example Pledge, expect: [{ party: acme, status: signed }] }]',
      ].join('\n'),
    );
    const config = loadConfig(dir);
    expect(config.trackers[0]!.id).toBe('pledge');
    expect(config.warnings[0]!.message).toMatch(/missing; using the packaged/);
  });
});

describe('a new agreement', () => {
  it('needs one YAML file and no code', async () => {
    const { compileConfig } = await import('../../src/extract/compile.js');
    const { createExtractor, extract } = await import('../../src/extract/extract.js');
    const dir = copyConfig();
    writeFileSync(
      join(dir, 'trackers/frontier-pledge.yaml'),
      [
        'id: frontier-pledge',
        'name: Frontier Safety Pledge',
        'agreement: { aliases: [Frontier Safety Pledge], patterns: ["safety pledge"] }',
        'parties:',
        '  - { id: acme-ai, name: Acme AI, aliases: [Acme AI, Acme] }',
        '  - { id: zeta-labs, name: Zeta Labs, aliases: [Zeta Labs] }',
        'rules:',
        '  - id: signed',
        '    status: signed',
        "    cues: ['sign(?:s|ed)?', 'join(?:s|ed)?']",
        '    examples:',
        '      - { text: Acme AI signs the Frontier Safety Pledge, expect: [{ party: acme-ai, status: signed }] }',
        '      - { text: If Zeta Labs joins the safety pledge, expect: [{ party: zeta-labs, status: signed, modality: hypothetical }] }',
      ].join('\n'),
    );
    const config = loadConfig(dir);
    expect(config.trackers.map((t) => t.id)).toEqual(['caisi', 'frontier-pledge']);
    const ex = createExtractor(compileConfig(config));
    const found = extract(ex, { id: '1', text: 'Zeta Labs joined the Frontier Safety Pledge; Meta signed the CAISI agreement.' });
    expect(found.map((a) => `${a.tracker} ${a.party} ${a.status}`)).toEqual(['caisi meta signed', 'frontier-pledge zeta-labs signed']);
  });
});

describe('patterns that would break once joined', () => {
  it('refuses named groups, back-references and patterns that only compile inside a wrapper', () => {
    const dir = withTracker((y) =>
      y
        .replace("- 'co-?sign(?:s|ed)?'", "- '(?<w>co-?sign)'")
        .replace("- 'ink(?:s|ed)?'", "- 'ink(s)\\1'")
        .replace("- 'holdouts?'", "- 'holdouts?)|(?:zzz'"),
    );
    const all = problemsOf(dir).join('\n');
    expect(all).toMatch(/cues\[1\]: pattern \/\(\?<w>co-\?sign\)\/ uses a named group/);
    expect(all).toMatch(/cues\[2\]: pattern \/ink\(s\)\\1\/ uses a named group or back-reference/);
    expect(all).toMatch(/cues\[0\]: pattern \/holdouts\?\)\|\(\?:zzz\/ does not compile/);
  });

  it('checks language.yaml patterns too, and survives a YAML alias bomb and a trackers file', () => {
    const dir = copyConfig();
    const file = join(dir, 'language.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('firstPerson: [we,', "firstPerson: ['we (',"));
    expect(problemsOf(dir).join('\n')).toMatch(/language\.yaml:\d+: firstPerson\[0\]: pattern \/we \(\/ does not compile/);

    const bomb = copyConfig();
    const lines = ['a: &a [x, x]', ...Array.from({ length: 120 }, (_, i) => `k${i}: *a`)];
    writeFileSync(join(bomb, 'trackers/bomb.yaml'), lines.join('\n'));
    expect(problemsOf(bomb).join('\n')).toMatch(/bomb\.yaml: YAML: /);

    const flat = mkdtempSync(join(tmpdir(), 'pactwatch-flat-'));
    writeFileSync(join(flat, 'trackers'), 'not a folder');
    expect(problemsOf(flat).join('\n')).toMatch(/no tracker files/);
  });

  it('refuses "X.AI" and "XAI" on two parties: the matcher reads them alike', () => {
    const dir = withTracker((y) => y.replace('aliases: [Nvidia]', 'aliases: [Nvidia, XAI]'));
    expect(problemsOf(dir).join('\n')).toMatch(/alias "XAI" is already claimed by party "xai"/);
  });
});

describe('patterns that backtrack catastrophically', () => {
  const BAD = ['(?:x+x+)+y', '(?:x|xx)+y', '(?:x*)*y'];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  it('refuses each one wherever a pattern is written, naming the file, line, field and pattern', () => {
    for (const bad of BAD) {
      const dir = withTracker((y) =>
        y
          .replace("- 'holdouts?'", `- '${bad}'`)
          .replace("exclude: ['Amazon (?:rainforest|river|basin|jungle)']", `exclude: ['${bad}']`)
          .replace("- 'pre-?(?:release|", `- '${bad}'\n    - 'pre-?(?:release|`),
      );
      const language = join(dir, 'language.yaml');
      writeFileSync(language, readFileSync(language, 'utf8').replace("pseudoNegation: ['not only',", `pseudoNegation: ['${bad}', 'not only',`));
      const all = problemsOf(dir).join('\n');
      const why = `pattern /${escape(bad)}/ can backtrack catastrophically`;
      const lines = readFileSync(join(dir, 'trackers/caisi.yaml'), 'utf8').split('\n');
      const at = (field: string) => lines.findIndex((l) => l.includes(`'${bad}'`) && (field !== 'exclude' || l.includes('exclude'))) + 1;
      expect(all).toMatch(new RegExp(`trackers/caisi\\.yaml:${at('agreement')}: agreement\\.patterns\\[0\\]: ${why}`));
      expect(all).toMatch(new RegExp(`trackers/caisi\\.yaml:${at('exclude')}: parties\\[\\d+\\]\\.exclude\\[0\\]: ${why}`));
      expect(all).toMatch(new RegExp(`trackers/caisi\\.yaml:\\d+: rules\\[\\d+\\]\\.cues\\[0\\]: ${why}`));
      expect(all).toMatch(new RegExp(`language\\.yaml:\\d+: pseudoNegation\\[0\\]: ${why}`));
    }
  });

  it('loads a safe pattern that merely looks alike', () => {
    const dir = withTracker((y) => y.replace("- 'holdouts?'", "- 'holdouts?'\n      - '(?:xy+)+z'"));
    expect(problemsOf(dir)).toEqual([]);
  });
});

describe('patterns whose loops in a row backtrack polynomially', () => {
  // Searched for at every position, each is cubic or worse: one hostile item would take minutes.
  const CUBIC = ['\\w+\\s*\\w+', 'a*a*a*b', '.*x.*x.*y'];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const why = (bad: string) => `pattern /${escape(bad)}/ can backtrack catastrophically: (three|four) loops in a row can read the same text \\(the search, which tries every position, then [^)]*\\), so text that nearly matches takes time [^;]*polynomial backtracking`;

  it('refuses each one wherever a pattern is written, naming the file, line, field and pattern', () => {
    for (const bad of CUBIC) {
      const dir = withTracker((y) =>
        y
          .replace("- 'holdouts?'", `- '${bad}'`)
          .replace("exclude: ['Amazon (?:rainforest|river|basin|jungle)']", `exclude: ['${bad}']`)
          .replace("- 'pre-?(?:release|", `- '${bad}'\n    - 'pre-?(?:release|`),
      );
      const language = join(dir, 'language.yaml');
      writeFileSync(language, readFileSync(language, 'utf8').replace("pseudoNegation: ['not only',", `pseudoNegation: ['${bad}', 'not only',`).replace('    - cannot\n', `    - '${bad}'\n`));
      const all = problemsOf(dir).join('\n');
      const lines = readFileSync(join(dir, 'trackers/caisi.yaml'), 'utf8').split('\n');
      const at = (field: string) => lines.findIndex((l) => l.includes(`'${bad}'`) && (field !== 'exclude' || l.includes('exclude'))) + 1;
      const languageLines = readFileSync(language, 'utf8').split('\n');
      expect(all).toMatch(new RegExp(`trackers/caisi\\.yaml:${at('agreement')}: agreement\\.patterns\\[0\\]: ${why(bad)}`));
      expect(all).toMatch(new RegExp(`trackers/caisi\\.yaml:${at('exclude')}: parties\\[\\d+\\]\\.exclude\\[0\\]: ${why(bad)}`));
      expect(all).toMatch(new RegExp(`trackers/caisi\\.yaml:\\d+: rules\\[\\d+\\]\\.cues\\[0\\]: ${why(bad)}`));
      expect(all).toMatch(new RegExp(`language\\.yaml:${languageLines.findIndex((l) => l.startsWith('pseudoNegation')) + 1}: pseudoNegation\\[0\\]: ${why(bad)}`));
      expect(all).toMatch(new RegExp(`language\\.yaml:${languageLines.indexOf(`    - '${bad}'`) + 1}: negation\\.before\\[\\d+\\]: ${why(bad)}`));
    }
  });

  it('loads quadratic patterns: one loop after the search, or loops that cannot read each other\'s text', () => {
    const dir = withTracker((y) => y.replace("- 'holdouts?'", "- 'holdouts?'\n      - '(?:xy+)+z'\n      - 'x+y'\n      - '\\w+\\s+\\w+'\n      - '(?:\\S+ ){0,3}x'\n      - 'x+(?=y+z)'"));
    expect(problemsOf(dir)).toEqual([]);
  });

  it('allows two loops in a row in a list connector, tried only from the start of a gap, and refuses three', () => {
    const dir = copyConfig();
    const language = join(dir, 'language.yaml');
    writeFileSync(language, readFileSync(language, 'utf8').replace("listConnectors: ['\\s*,\\s*',", "listConnectors: ['x*x*,', 'x*x*x*,', '\\s*,\\s*',"));
    const line = readFileSync(language, 'utf8').split('\n').findIndex((l) => l.startsWith('listConnectors')) + 1;
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(new RegExp(`language\\.yaml:${line}: listConnectors\\[1\\]: pattern /x\\*x\\*x\\*,/ can backtrack catastrophically: three loops in a row can read the same text \\(x\\*, then x\\*, then x\\*\\), so text that nearly matches takes time cubic`)),
    ]);
  });
});

describe('a non-ASCII alias', () => {
  it('passes the prefilter, so extract finds what explain finds', async () => {
    const { compileConfig } = await import('../../src/extract/compile.js');
    const { createExtractor, extract } = await import('../../src/extract/extract.js');
    const dir = withTracker((y) => y.replace('aliases: [Nvidia]', 'aliases: [Nvidia]\n  - id: ince\n    name: İnce Labs\n    aliases: [İnce Labs]'));
    const ex = createExtractor(compileConfig(loadConfig(dir)));
    expect(extract(ex, { id: '1', text: 'İnce Labs signed the CAISI agreement.' }).map((a) => a.party)).toEqual(['ince']);
  });
});

describe('sources', () => {
  it('a source may allow private network addresses (default: not); on a Bluesky source that means nothing and warns', () => {
    const dir = copyConfig();
    writeFileSync(
      join(dir, 'sources.yaml'),
      `sources:
  - { id: bridge, kind: rss, url: 'http://rss-bridge:3000/feed', trust: press, allowPrivateNetwork: true }
  - { id: wire, kind: rss, url: 'https://wire.example/feed', trust: press }
  - { id: search, kind: bluesky-search, query: CAISI, trust: social, allowPrivateNetwork: true }
`,
    );
    const config = loadConfig(dir);
    expect(config.sources.map((s) => [s.id, s.allowPrivateNetwork])).toEqual([
      ['bridge', true],
      ['wire', false],
      ['search', true],
    ]);
    expect(config.warnings.map((w) => `${w.line} ${w.field}: ${w.message}`)).toEqual(['4 sources[2].allowPrivateNetwork: a Bluesky source fetches no URL of its own; ignored']);
    writeFileSync(join(dir, 'sources.yaml'), `sources:\n  - { id: bridge, kind: rss, url: 'http://rss-bridge:3000/feed', trust: press, allowPrivateNetwork: 'yes' }\n`);
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]\.allowPrivateNetwork: /)]);
  });

  it('a source may say which trackers its items are about: one id or a list; an unknown tracker is named with its file and line', () => {
    const dir = copyConfig();
    writeFileSync(
      join(dir, 'sources.yaml'),
      `sources:
  - { id: agency, kind: rss, url: 'https://agency.example/feed', trust: official, speaksFor: all, about: caisi }
  - { id: topic, kind: bluesky-search, query: pre-release testing, trust: social, about: [caisi] }
  - { id: wire, kind: rss, url: 'https://wire.example/feed', trust: press }
`,
    );
    expect(loadConfig(dir).sources.map((s) => [s.id, s.about])).toEqual([
      ['agency', ['caisi']],
      ['topic', ['caisi']],
      ['wire', undefined],
    ]);
    writeFileSync(join(dir, 'sources.yaml'), `sources:\n  - { id: wire, kind: rss, url: 'https://wire.example/feed', trust: press }\n  - { id: agency, kind: rss, url: 'https://agency.example/feed', trust: official,\n      about: [caisi, nope] }\n`);
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/sources\.yaml:4: sources\[1\]\.about: unknown tracker "nope"$/)]);
  });
});
