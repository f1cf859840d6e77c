import { describe, expect, it } from 'vitest';
import { exponentialBacktracking } from '../../src/config/backtracking.js';
import { PATTERN_FLAGS } from '../../src/config/load.js';
import { compileConfig } from '../../src/extract/compile.js';
import { config } from '../helpers/extractor.js';

const refused = (pattern: string, flags = PATTERN_FLAGS) => exponentialBacktracking(pattern, flags) !== undefined;

describe('exponentialBacktracking', () => {
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
    expect(exponentialBacktracking(`(?:${'(?:a|b){20}'.repeat(150)})+`, PATTERN_FLAGS)).toMatch(/too complex to check/);
  });

  it('passes every regex the extractor builds from the shipped config: joining patterns adds no loop', () => {
    const compiled = compileConfig(config);
    const regexes: RegExp[] = [compiled.anyPartyRe, compiled.language.clauseRe, compiled.language.listGapRe];
    for (const re of [compiled.language.notPartyAfterRe, compiled.language.anaphorRe, compiled.language.firstPersonRe, compiled.language.pseudoRe]) if (re) regexes.push(re);
    for (const ct of compiled.trackers) {
      regexes.push(ct.partyRe, ...ct.rules.map((r) => r.re), ...ct.agreements.map((a) => a.probe));
      for (const p of ct.parties) if (p.excludeRe) regexes.push(p.excludeRe);
    }
    for (const re of regexes) expect(exponentialBacktracking(re.source, re.flags), re.source.slice(0, 80)).toBeUndefined();
  });
});
