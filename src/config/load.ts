// Loads a config folder: parse YAML → validate the schema → normalize → cross-check.
// Every problem names its file, line and field; all of them are reported at once.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors.js';
import {
  languageSchema,
  settingsSchema,
  sourcesSchema,
  trackerSchema,
  type AliasFile,
  type LanguageFile,
  type PolicyFile,
  type SettingsFile,
  type SourceFile,
  type TrackerFile,
} from './schema.js';
import { isValidSchedule } from '../scheduler.js';
import { normalizeText } from '../extract/normalize.js';
import { catastrophicBacktracking, type Scan } from './backtracking.js';
import type { AssertedStatus, Modality } from '../model/assertion.js';
import type { PartyStatus } from '../model/party.js';

export interface Alias {
  text: string;
  caseSensitive: boolean;
}

export interface Where {
  file: string;
  line?: number | undefined;
}

export interface Party {
  id: string;
  name: string;
  aliases: Alias[];
  exclude: string[];
  initial?: { status: PartyStatus; since: string; evidence: string; note?: string | undefined } | undefined;
}

export interface Expectation {
  party: string;
  status: AssertedStatus;
  modality: Modality;
  historical: boolean;
}

export interface RuleExample {
  text: string;
  title?: string | undefined;
  published?: string | undefined;
  expect: Expectation[];
  where: Where;
}

export interface Rule {
  id: string;
  status: AssertedStatus;
  description?: string | undefined;
  /** Where to look for the parties, in order. */
  party: ('before' | 'after')[];
  /** Whether the parties on both sides get the status, not only the first side found. */
  bothSides: boolean;
  exclusive: boolean;
  /** Negation and hedges on the cue's own verb do not touch its parties' status (or only its object's). */
  presupposes: boolean | 'object';
  cues: string[];
  overrides: AssertedStatus[];
  examples: RuleExample[];
  where: Where;
}

export interface AgreementNames {
  id: string;
  name: string;
  aliases: Alias[];
  patterns: string[];
}

export interface Tracker {
  id: string;
  name: string;
  description?: string | undefined;
  /** This agreement's names; `others` are agreements that must not be read as it. */
  agreement: AgreementNames;
  /** Patterns that together make an item that names no agreement about this one. */
  topic: string[];
  others: AgreementNames[];
  parties: Party[];
  rules: Rule[];
  policy: Policy;
  where: Where;
}

export type Policy = PolicyFile;
export type Language = LanguageFile;
export type Settings = SettingsFile;

/** A configured source, with its publisher resolved. */
export interface Source extends Omit<SourceFile, 'publisher' | 'articleText' | 'allowPrivateNetwork'> {
  publisher: string;
  articleText?: boolean | undefined;
  allowPrivateNetwork?: boolean | undefined;
  where: Where;
}

export interface Config {
  dir: string;
  trackers: Tracker[];
  language: Language;
  sources: Source[];
  settings: Settings;
  warnings: ConfigProblem[];
}

/** The config folder shipped with the package: the fallback for a missing language.yaml. */
export const PACKAGED_CONFIG_DIR = join(packageRoot(), 'config');

function packageRoot(): string {
  // src/config/ when run from source, dist/src/config/ when built: walk up to package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** A regex flag set every config pattern must compile under (see extract/compile.ts). */
export const PATTERN_FLAGS = 'iu';

interface ParsedFile<T> {
  value?: T;
  lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined;
}

function parseYamlFile<S extends z.ZodType>(
  file: string,
  label: string,
  schema: S,
  problems: ConfigProblem[],
): ParsedFile<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file: label, message: `cannot read: ${(err as Error).message}` });
    return { lineOf: () => undefined };
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineOf = lineFinder(doc, counter);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.push({ file: label, line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` });
    }
    return { lineOf };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    problems.push({ file: label, message: `YAML: ${(err as Error).message}` });
    return { lineOf };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      // An unknown key is reported where it stands, not at the mapping that holds it.
      const at = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
      problems.push({ file: label, line: lineOf(at), field: formatPath(issue.path), message: issue.message });
    }
    return { lineOf };
  }
  return { value: result.data, lineOf };
}

function lineFinder(doc: Document, counter: LineCounter) {
  return (path: ReadonlyArray<PropertyKey>): number | undefined => {
    // Walk up to the nearest node that exists: a missing field is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Aliases get the normalization text gets (NFKC, quotes, single spaces), or they could never match. */
function normalizeAlias(a: AliasFile): Alias {
  return typeof a === 'string' ? { text: normalizeText(a), caseSensitive: false } : { text: normalizeText(a.text), caseSensitive: a.caseSensitive };
}

/**
 * The problem lists of loads whose caller has had the backtracking check made in another
 * process (the daemon: see config/check-patterns.ts), so that the memory it takes is not kept.
 */
const unchecked = new WeakSet<ConfigProblem[]>();

function checkPattern(
  pattern: string,
  label: string,
  path: (string | number)[],
  lineOf: ParsedFile<unknown>['lineOf'],
  problems: ConfigProblem[],
  scan: Scan = 'search',
): void {
  try {
    // On its own first: a pattern that only compiles inside the wrapper ("a)|(?:b") would leak
    // into its neighbours once patterns are joined.
    new RegExp(pattern, PATTERN_FLAGS);
    const re = new RegExp(`(?:${pattern})`, PATTERN_FLAGS);
    if (re.test('')) problems.push({ file: label, line: lineOf(path), field: formatPath(path), message: `pattern /${pattern}/ matches the empty text` });
    if (/\\[1-9]|\\k<|\(\?<(?![=!])/.test(pattern)) {
      problems.push({ file: label, line: lineOf(path), field: formatPath(path), message: `pattern /${pattern}/ uses a named group or back-reference; patterns are joined, so use (?:...)` });
    }
    // Refused at load: a regex call cannot be interrupted, and one item would stall the daemon.
    const backtracking = unchecked.has(problems) ? undefined : catastrophicBacktracking(pattern, PATTERN_FLAGS, scan);
    if (backtracking) problems.push({ file: label, line: lineOf(path), field: formatPath(path), message: `pattern /${pattern}/ ${backtracking}` });
  } catch (err) {
    problems.push({ file: label, line: lineOf(path), field: formatPath(path), message: `pattern /${pattern}/ does not compile: ${(err as Error).message}` });
  }
}

function normalizeTracker(
  raw: TrackerFile,
  label: string,
  lineOf: ParsedFile<unknown>['lineOf'],
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): Tracker {
  const at = (path: (string | number)[]): Where => ({ file: label, line: lineOf(path) });
  const problem = (path: (string | number)[], message: string) =>
    problems.push({ file: label, line: lineOf(path), field: formatPath(path), message });

  const partyIds = new Set<string>();
  raw.parties.forEach((p, i) => {
    if (partyIds.has(p.id)) problem(['parties', i, 'id'], `party "${p.id}" is defined twice`);
    partyIds.add(p.id);
  });

  // An alias may name one thing only: two parties, or a party and an agreement, sharing one is
  // ambiguous. Compared as the matcher compares them (case and dots aside: "X.AI" is "XAI").
  const aliasOwner = new Map<string, string>();
  const claim = (a: Alias, owner: string, path: (string | number)[]) => {
    const key = a.text.toLowerCase().replace(/\./g, '');
    const prior = aliasOwner.get(key);
    if (prior !== undefined && prior !== owner) problem(path, `alias "${a.text}" is already claimed by ${prior}`);
    else aliasOwner.set(key, owner);
  };

  const parties: Party[] = raw.parties.map((p, i) => {
    const aliases = p.aliases.map(normalizeAlias);
    aliases.forEach((a, j) => claim(a, `party "${p.id}"`, ['parties', i, 'aliases', j]));
    p.exclude.forEach((x, j) => checkPattern(x, label, ['parties', i, 'exclude', j], lineOf, problems));
    return { id: p.id, name: p.name, aliases, exclude: p.exclude, initial: p.initial };
  });

  const agreement: AgreementNames = {
    id: raw.id,
    name: raw.name,
    aliases: raw.agreement.aliases.map(normalizeAlias),
    patterns: raw.agreement.patterns,
  };
  agreement.aliases.forEach((a, j) => claim(a, `agreement "${raw.id}"`, ['agreement', 'aliases', j]));
  agreement.patterns.forEach((x, j) => checkPattern(x, label, ['agreement', 'patterns', j], lineOf, problems));
  raw.agreement.topic.forEach((x, j) => checkPattern(x, label, ['agreement', 'topic', j], lineOf, problems));
  if (agreement.aliases.length + agreement.patterns.length === 0) {
    problem(['agreement'], 'needs at least one alias or pattern, or no text can be about this agreement');
  }
  const others: AgreementNames[] = raw.agreement.others.map((o, i) => {
    const names = { id: o.id, name: o.name, aliases: o.aliases.map(normalizeAlias), patterns: o.patterns };
    names.aliases.forEach((a, j) => claim(a, `other agreement "${o.id}"`, ['agreement', 'others', i, 'aliases', j]));
    names.patterns.forEach((x, j) => checkPattern(x, label, ['agreement', 'others', i, 'patterns', j], lineOf, problems));
    return names;
  });

  const ruleIds = new Set<string>();
  const rules: Rule[] = raw.rules.map((r, i) => {
    if (ruleIds.has(r.id)) problem(['rules', i, 'id'], `rule "${r.id}" is defined twice`);
    ruleIds.add(r.id);
    r.cues.forEach((c, j) => checkPattern(c, label, ['rules', i, 'cues', j], lineOf, problems));
    if (r.overrides.includes(r.status)) {
      warnings.push({ file: label, line: lineOf(['rules', i, 'overrides']), field: `rules[${i}].overrides`, message: `a rule cannot override its own status "${r.status}"` });
    }
    const examples: RuleExample[] = r.examples.map((ex, k) => {
      ex.expect.forEach((e, m) => {
        if (!partyIds.has(e.party)) problem(['rules', i, 'examples', k, 'expect', m, 'party'], `unknown party "${e.party}" (known: ${[...partyIds].join(', ')})`);
      });
      return { text: ex.text, title: ex.title, published: ex.published, expect: ex.expect, where: at(['rules', i, 'examples', k]) };
    });
    return {
      id: r.id,
      status: r.status,
      description: r.description,
      party: r.party === 'either' || r.party === 'both' ? ['before', 'after'] : [...new Set((typeof r.party === 'string' ? [r.party] : r.party).map(side))],
      bothSides: r.party === 'both',
      exclusive: r.exclusive,
      presupposes: r.presupposes,
      cues: r.cues,
      overrides: r.overrides,
      examples,
      where: at(['rules', i]),
    };
  });

  return {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    agreement,
    topic: raw.agreement.topic,
    others,
    parties,
    rules,
    policy: raw.policy,
    where: { file: label, line: 1 },
  };
}

function checkLanguage(lang: LanguageFile, label: string, lineOf: ParsedFile<unknown>['lineOf'], problems: ConfigProblem[]): void {
  const lists: [string, string[]][] = [
    ['clauseBoundaries', lang.clauseBoundaries],
    ['listConnectors', lang.listConnectors],
    ['pseudoNegation', lang.pseudoNegation],
    ['corporateSuffixes', lang.corporateSuffixes],
    ['notPartyAfter', lang.notPartyAfter],
    ['notPartyBefore', lang.notPartyBefore],
    ['firstPerson', lang.firstPerson],
    ['attribution', lang.attribution],
    ['hypothetical.conditionalOpeners', lang.hypothetical.conditionalOpeners],
    ['hypothetical.presupposingQuestions', lang.hypothetical.presupposingQuestions],
    ['hypothetical.insideCues', lang.hypothetical.insideCues],
  ];
  // Connectors and suffixes are tried only where a gap between two parties starts (^…$), and
  // notPartyAfter and notPartyBefore only right next to a party; the rest are searched for.
  const anchored = new Set(['listConnectors', 'corporateSuffixes', 'notPartyAfter', 'notPartyBefore']);
  for (const [key, list] of lists) list.forEach((x, j) => checkPattern(x, label, [key, j], lineOf, problems, anchored.has(key) ? 'anchored' : 'search'));
  for (const key of ['negation', 'hypothetical'] as const) {
    for (const side of ['before', 'after'] as const) {
      lang[key][side].forEach((t, j) => {
        const cue = typeof t === 'string' ? t : t.cue;
        checkPattern(cue, label, typeof t === 'string' ? [key, side, j] : [key, side, j, 'cue'], lineOf, problems);
      });
    }
  }
}

function publisherOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const host = new URL(url).hostname.toLowerCase();
  return host.startsWith('www.') ? host.slice(4) : host;
}

/** `sources.yaml`: optional; a missing file or `sources: []` means nothing is polled. */
function loadSources(
  file: string,
  label: (file: string) => string,
  trackers: Tracker[],
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): Source[] {
  if (!existsSync(file)) return [];
  const parsed = parseYamlFile(file, label(file), sourcesSchema, problems);
  if (!parsed.value) return [];
  const where = (i: number, field?: string) => {
    const path = field ? ['sources', i, field] : ['sources', i];
    return { file: label(file), line: parsed.lineOf(path), field: formatPath(path) };
  };
  const partyIds = new Set(trackers.flatMap((t) => t.parties.map((p) => p.id)));
  const ids = new Set<string>();
  const out: Source[] = [];
  parsed.value.sources.forEach((src, i) => {
    if (ids.has(src.id)) problems.push({ ...where(i, 'id'), message: `source "${src.id}" is defined twice` });
    ids.add(src.id);
    const needs = src.kind.startsWith('bluesky-') ? (src.kind === 'bluesky-search' ? 'query' : 'actor') : 'url';
    if (src[needs] === undefined) problems.push({ ...where(i), message: `a ${src.kind} source needs "${needs}"` });
    if (src.kind === 'html' && !src.selectors) problems.push({ ...where(i), message: 'an html source needs "selectors" (item and title at least)' });
    if (src.schedule !== undefined && !isValidSchedule(src.schedule)) {
      problems.push({ ...where(i, 'schedule'), message: `"${src.schedule}" is not a cron expression (like "*/15 * * * *")` });
    }
    if (Array.isArray(src.speaksFor)) {
      for (const p of src.speaksFor) {
        if (!partyIds.has(p)) problems.push({ ...where(i, 'speaksFor'), message: `unknown party "${p}"` });
      }
    }
    if (src.allowPrivateNetwork && src.kind.startsWith('bluesky-')) {
      warnings.push({ ...where(i, 'allowPrivateNetwork'), message: 'a Bluesky source fetches no URL of its own; ignored' });
    }
    if (src.speaksFor !== undefined && src.trust !== 'official') {
      warnings.push({ ...where(i, 'speaksFor'), message: 'only an official source speaks for a party; ignored for trust ' + src.trust });
    }
    const publisher = src.publisher ?? publisherOf(src.url) ?? (src.actor ? src.actor.replace(/^@/, '') : src.id);
    out.push({ ...src, publisher, where: { file: label(file), line: parsed.lineOf(['sources', i]) } });
  });
  return out;
}

/**
 * Loads and checks a config folder; throws ConfigError listing every problem. `backtracking:
 * false` leaves out the check for patterns that backtrack catastrophically, for a caller that
 * has made it in another process.
 */
/** A rule's party role in the words the extractor uses: the subject stands before the cue, the object after it. */
function side(role: 'subject' | 'object' | 'before' | 'after'): 'before' | 'after' {
  return role === 'subject' ? 'before' : role === 'object' ? 'after' : role;
}

export function loadConfig(dir: string, options: { backtracking?: boolean } = {}): Config {
  const problems: ConfigProblem[] = [];
  if (options.backtracking === false) unchecked.add(problems);
  const warnings: ConfigProblem[] = [];
  const root = resolve(dir);
  // Paths as the user would type them: relative inside the working folder, absolute outside it.
  const label = (file: string) => {
    const rel = relative(process.cwd(), file);
    return rel && !rel.startsWith('..') ? rel : file;
  };

  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError([{ file: label(root), message: 'config folder does not exist' }]);
  }

  let languageFile = join(root, 'language.yaml');
  if (!existsSync(languageFile)) {
    languageFile = join(PACKAGED_CONFIG_DIR, 'language.yaml');
    warnings.push({ file: label(join(root, 'language.yaml')), message: `missing; using the packaged ${label(languageFile)}` });
  }
  const lang = parseYamlFile(languageFile, label(languageFile), languageSchema, problems);
  if (lang.value) checkLanguage(lang.value, label(languageFile), lang.lineOf, problems);

  const trackersDir = join(root, 'trackers');
  const files = existsSync(trackersDir) && statSync(trackersDir).isDirectory()
    ? readdirSync(trackersDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  if (files.length === 0) {
    problems.push({ file: label(trackersDir), message: 'no tracker files (trackers/*.yaml): there is nothing to watch' });
  }

  const trackers: Tracker[] = [];
  const trackerIds = new Map<string, string>();
  for (const f of files) {
    const file = join(trackersDir, f);
    const parsed = parseYamlFile(file, label(file), trackerSchema, problems);
    if (!parsed.value) continue;
    const before = problems.length;
    const tracker = normalizeTracker(parsed.value, label(file), parsed.lineOf, problems, warnings);
    const prior = trackerIds.get(tracker.id);
    if (prior) problems.push({ file: label(file), line: parsed.lineOf(['id']), field: 'id', message: `tracker "${tracker.id}" is already defined in ${prior}` });
    trackerIds.set(tracker.id, label(file));
    if (problems.length === before) trackers.push(tracker);
  }

  const sources = loadSources(join(root, 'sources.yaml'), label, trackers, problems, warnings);
  const settingsFile = join(root, 'pactwatch.yaml');
  const settings = existsSync(settingsFile)
    ? parseYamlFile(settingsFile, label(settingsFile), settingsSchema, problems).value
    : settingsSchema.parse({});

  if (problems.length > 0 || !lang.value || !settings) throw new ConfigError(problems);
  return Object.freeze({ dir: root, trackers, language: lang.value, sources, settings, warnings });
}
