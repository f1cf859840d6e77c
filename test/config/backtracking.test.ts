import { describe, expect, it } from 'vitest';
import { catastrophicBacktracking } from '../../src/config/backtracking.js';
import { PATTERN_FLAGS } from '../../src/config/patterns.js';
import { compileConfig } from '../../src/extract/compile.js';
import { config } from '../helpers/extractor.js';

const refused = (pattern: string, flags = PATTERN_FLAGS) => catastrophicBacktracking(pattern, flags) !== undefined;

describe('catastrophicBacktracking: exponential', () => {
  it('refuses a repetition that can match one text two ways', () => {
    for (const p of ['(?:x+x+)+y', '(?:x|xx)+y', '(?:x*)*y', '(?:a|a)*b', '(?:xx?)+y', '(?:\\d|\\d\\d)+x', '(?:[ab]|b)+c', '(\\w+\\s?)+$', '(?:(?:a|aa)b?)+c']) {
      expect(refused(p), p).toBe(true);
    }
  });

  it('reads the pattern under its flags: "a" and "A" are one letter case-insensitively', () => {
    expect(refused('(?:a|A)+b', 'iu')).toBe(true);
    expect(refused('(?:a|A)+b', 'u')).toBe(false);
  });

  it('looks inside lookarounds, and counts a bound over 20 as unbounded', () => {
    expect(refused('(?=(?:a|a)*b)c')).toBe(true);
    expect(refused('(?<=(?:x+x+)+)y')).toBe(true);
    expect(refused('(?:x+){25}y')).toBe(true);
  });

  it('loads patterns that only look alike: one way through each repetition', () => {
    for (const p of ['(?:xy+)+z', 'x+y', '(?:ab|a)+c', '(?:\\S+ )+x', '(?:a+b)+c', '(?:(?:a|b)+c)+d', '(?:\\w+\\.)+com', '(?:a?)+b', '(?:a|(?:))+b', '(?:\\S+ ){0,3}x']) {
      expect(refused(p), p).toBe(false);
    }
  });

  it('refuses rather than waits on a pattern too large to check', () => {
    expect(catastrophicBacktracking(`(?:${'(?:a|b){20}'.repeat(150)})+`, PATTERN_FLAGS)).toMatch(/too complex to check/);
  });

  it('passes every regex the extractor builds from the shipped config: joining patterns adds no loop', () => {
    const compiled = compileConfig(config);
    const regexes: RegExp[] = [compiled.anyPartyRe, compiled.language.clauseRe];
    for (const re of [compiled.language.anaphorRe, compiled.language.firstPersonRe, compiled.language.pseudoRe]) if (re) regexes.push(re);
    for (const ct of compiled.trackers) {
      regexes.push(ct.partyRe, ...ct.rules.map((r) => r.re), ...ct.agreements.map((a) => a.probe));
      for (const p of ct.parties) if (p.excludeRe) regexes.push(p.excludeRe);
    }
    for (const re of regexes) expect(catastrophicBacktracking(re.source, re.flags), re.source.slice(0, 80)).toBeUndefined();
    // Tried only from the start of a gap, or right after a party.
    for (const re of [compiled.language.listGapRe, compiled.language.notPartyAfterRe!]) {
      expect(catastrophicBacktracking(re.source, re.flags, 'anchored'), re.source.slice(0, 80)).toBeUndefined();
    }
  });
});

describe('catastrophicBacktracking: polynomial', () => {
  it('refuses loops in a row that read the same text, when the search makes them cubic or worse', () => {
    const cubic = ['\\w+\\s*\\w+', 'a*a*b', '\\S+\\s*\\S+', '(?:\\w+){2}x', '[+*]+\\w*\\w*x', '\\(?\\w*\\w*\\)'];
    const worse = ['a*a*a*b', '\\w*\\w*\\w*x', '.*x.*x.*x.*y', 'a*a*b*b*c', '(?:\\w+\\s*){3}x'];
    for (const p of [...cubic, ...worse]) expect(catastrophicBacktracking(p, PATTERN_FLAGS), p).toMatch(/loops in a row can read the same text .*polynomial backtracking/);
    for (const p of cubic) expect(catastrophicBacktracking(p, PATTERN_FLAGS), p).toMatch(/time cubic in its length/);
    expect(catastrophicBacktracking('a*a*a*b', PATTERN_FLAGS)).toMatch(/^can backtrack catastrophically: four loops in a row can read the same text \(the search, which tries every position, then a\*, then a\*, then a\*\), so text that nearly matches takes time growing as the power 4 of its length/);
    expect(catastrophicBacktracking('\\w+\\s*\\w+', PATTERN_FLAGS)).toMatch(/three loops in a row can read the same text \(the search, which tries every position, then \\w\+, then \\w\+\)/);
    expect(catastrophicBacktracking('a*a*b*b*c', PATTERN_FLAGS)).toMatch(/\(the search, which tries every position, then a\*, then a\*; later b\*, then b\*\)/);
  });

  it('counts the loops a lookahead tries each time the match reaches it, and those a lookbehind reads back', () => {
    expect(catastrophicBacktracking('x+(?=y*y*z)', PATTERN_FLAGS)).toMatch(/the search, which tries every position, then x\+; later y\*, then y\*/);
    expect(catastrophicBacktracking('x+(?<=\\w+)', PATTERN_FLAGS)).toMatch(/x\+; later \\w\+ in a lookbehind/);
    expect(refused('x+(?=y+z)')).toBe(false);
    expect(refused('(?<=\\w+ )signed')).toBe(false);
  });

  it('loads quadratic patterns: one loop after the search, or loops that cannot read each other\'s text', () => {
    // "(" must come first: nothing before it reads the text the two loops read.
    for (const p of ['x+y', '(?:xy+)+z', '\\w+\\s+\\w+', '\\(\\w*\\w*\\)', '(?:\\S+ ){0,3}x', '(?:ab)*c?(?:ba)*x', '\\d+(?:\\.\\d+)*x', '[a-z]+@[a-z]+\\.com', '(?:a|b)*c(?:a|b)*', '\\p{L}{1,12}n\'t', 'x{2,}y']) {
      expect(catastrophicBacktracking(p, PATTERN_FLAGS), p).toBeUndefined();
    }
  });

  it('tried only from the start of its text, a pattern may have two loops in a row but not three', () => {
    for (const p of ['\\s*,?\\s*as well as\\s+', 'a*a*b', '\\w+\\s*\\w+']) {
      expect(catastrophicBacktracking(p, PATTERN_FLAGS, 'anchored'), p).toBeUndefined();
      expect(refused(p), p).toBe(true);
    }
    expect(catastrophicBacktracking('a*a*a*b', PATTERN_FLAGS, 'anchored')).toMatch(/three loops in a row can read the same text \(a\*, then a\*, then a\*\), so text that nearly matches takes time cubic/);
  });

  it('answers at once for many loops, and refuses rather than waits on a pattern too large to check', () => {
    expect(catastrophicBacktracking('(?:[a-z]+ )?'.repeat(60) + 'x', PATTERN_FLAGS)).toBeUndefined();
    expect(catastrophicBacktracking('\\w*'.repeat(60) + 'x', PATTERN_FLAGS)).toMatch(/power 61 of its length/);
    const words = (n: number) => Array.from({ length: n }, (_, i) => `${i.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[+d]!)}[a-z]*`).join('|');
    expect(catastrophicBacktracking(`(?:${words(400)}) (?:${words(400)})`, PATTERN_FLAGS)).toMatch(/too complex to check/);
  });
});
