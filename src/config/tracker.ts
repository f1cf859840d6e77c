// One tracker file, normalized: aliases as text is normalized, rules' party roles as the
// extractor reads them, and the checks inside the file (ids and aliases used once, patterns
// sound, examples naming known parties).
import { normalizeText } from '../text/normalize.js';
import type { AliasFile, TrackerFile } from './schema.js';
import type { AgreementNames, Alias, Party, Rule, RuleExample, Tracker, Where } from './types.js';
import type { PatternCheck } from './patterns.js';
import { compileWordClasses, expandWords } from './words.js';
import { problemAt, type FileReport } from './yaml.js';

/** Aliases get the normalization text gets (NFKC, quotes, single spaces), or they could never match. */
function normalizeAlias(a: AliasFile): Alias {
  return typeof a === 'string' ? { text: normalizeText(a), caseSensitive: false } : { text: normalizeText(a.text), caseSensitive: a.caseSensitive };
}

/** A rule's party role in the words the extractor uses: the subject stands before the cue, the object after it. */
function side(role: 'subject' | 'object' | 'before' | 'after'): 'before' | 'after' {
  return role === 'subject' ? 'before' : role === 'object' ? 'after' : role;
}

export function normalizeTracker(raw: TrackerFile, report: FileReport, checkPattern: PatternCheck): Tracker {
  const { label, lineOf } = report;
  const at = (path: (string | number)[]): Where => ({ file: label, line: lineOf(path) });
  const problem = (path: (string | number)[], message: string) => problemAt(report, path, message);

  // Word classes are written out before a pattern is checked, so that the check (and its
  // backtracking analysis) sees the regex the extractor will run.
  Object.entries(raw.words).forEach(([name, list]) => list.forEach((w, j) => checkPattern(w, ['words', name, j])));
  const classes = compileWordClasses(raw.words);
  const used = new Set<string>();
  const pattern = (x: string, path: (string | number)[]): string => {
    const { pattern: expanded, unknown } = expandWords(x, classes, used);
    if (unknown.length > 0) {
      const known = [...classes.keys()];
      problem(path, `pattern /${x}/ names ${unknown.map((u) => `{${u}}`).join(', ')}, which words: does not define (${known.length ? `defined: ${known.join(', ')}` : 'it defines none'})`);
      return x;
    }
    checkPattern(expanded, path);
    return expanded;
  };

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
    const exclude = p.exclude.map((x, j) => pattern(x, ['parties', i, 'exclude', j]));
    return { id: p.id, name: p.name, aliases, exclude, initial: p.initial };
  });

  const agreement: AgreementNames = {
    id: raw.id,
    name: raw.name,
    aliases: raw.agreement.aliases.map(normalizeAlias),
    patterns: raw.agreement.patterns.map((x, j) => pattern(x, ['agreement', 'patterns', j])),
  };
  agreement.aliases.forEach((a, j) => claim(a, `agreement "${raw.id}"`, ['agreement', 'aliases', j]));
  const topic = raw.agreement.topic.map((x, j) => pattern(x, ['agreement', 'topic', j]));
  if (agreement.aliases.length + agreement.patterns.length === 0) {
    problem(['agreement'], 'needs at least one alias or pattern, or no text can be about this agreement');
  }
  const others: AgreementNames[] = raw.agreement.others.map((o, i) => {
    const patterns = o.patterns.map((x, j) => pattern(x, ['agreement', 'others', i, 'patterns', j]));
    const names = { id: o.id, name: o.name, aliases: o.aliases.map(normalizeAlias), patterns };
    names.aliases.forEach((a, j) => claim(a, `other agreement "${o.id}"`, ['agreement', 'others', i, 'aliases', j]));
    return names;
  });

  const ruleIds = new Set<string>();
  const rules: Rule[] = raw.rules.map((r, i) => {
    if (ruleIds.has(r.id)) problem(['rules', i, 'id'], `rule "${r.id}" is defined twice`);
    ruleIds.add(r.id);
    const cues = r.cues.map((c, j) => pattern(c, ['rules', i, 'cues', j]));
    if (r.overrides.includes(r.status)) {
      report.warnings.push({ file: label, line: lineOf(['rules', i, 'overrides']), field: `rules[${i}].overrides`, message: `a rule cannot override its own status "${r.status}"` });
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
      elliptical: r.elliptical,
      cues,
      overrides: r.overrides,
      examples,
      where: at(['rules', i]),
    };
  });

  for (const name of classes.keys()) {
    if (!used.has(name)) report.warnings.push({ file: label, line: lineOf(['words', name]), field: `words.${name}`, message: `word class "${name}" is used by no pattern` });
  }

  return {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    agreement,
    topic,
    since: raw.agreement.since,
    others,
    parties,
    rules,
    policy: raw.policy,
    where: { file: label, line: 1 },
  };
}
