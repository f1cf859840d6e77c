import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anyPatternGuard, literalGuard, PatternGuard } from '../../src/extract/guards.js';
import { mayName } from '../../src/extract/agreement.js';
import { requiredWords } from '../../src/extract/literals.js';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../../src/config/load.js';
import { compileConfig } from '../../src/extract/compile.js';
import { normalizeText } from '../../src/text/normalize.js';
import { MultiPattern } from '../../src/extract/word-patterns.js';

/** Patterns whose shapes the reader must get right: optional parts, lookarounds, classes, escapes, lazy and bounded repeats. */
const PATTERNS = [
  'pre-?(?:release|deployment|launch) (?:AI |A\\.I\\. )?(?:safety )?(?:testing|tests)(?: (?:agreements?|deals?))?',
  'voluntary (?:[\\w-]+ ){0,2}?(?:program|programme)',
  '(?:government|U\\.?S\\.?)(?:\'s)? (?:[\\w-]+ ){0,3}?(?:testing|reviews?)',
  '(?:U\\.?S\\.?|federal)(?=(?:\'s)? (?:\\S+ ){0,2}?(?:test|vet)\\w* (?:\\S+ ){0,4}?(?:models?|systems)\\b)',
  '(?:Department of Commerce|NIST)(?<=(?:agenc(?:y|ies)|office) (?:under|of) (?:the )?[\\w .]{4,45})',
  '(?:test|review)\\w* (?:(?!(?:sign|join)\\b)[\\w-]+,? ){0,6}?(?:before|prior to) (?:\\S+ ){0,3}?(?:release|launch)',
  'scrutini[sz]e[sd]? (?:the )?models?',
  '["\']?(?:early|advance) (?:look|peek)s?["\']? (?:at|of) (?:[\\w()-]+ ){0,6}?(?:models?|systems)',
  'CAISI|C\\.A\\.I\\.S\\.I\\.',
  // A negative lookaround's words are what must be absent: never words to look for.
  '(?<!without the )caisi(?! declined to comment)',
  'Kelvin (?:ratings?|scale)',
  'class(?:es)? \\(?[a-c]\\)? [^x]{2}end',
];

/** Texts each pattern matches, written to reach its corners (case, a match inside a word, folding letters). */
const TEXTS = [
  'The PRE-RELEASE A.I. SAFETY TESTING AGREEMENT was signed.',
  'a prelaunch tests deal',
  'mid-word:xpre-deployment testing',
  'a Voluntary industry-wide programme',
  "The U.S.'s new federal testing regime",
  'US reviews',
  'federal scientists will vet the company\'s latest models',
  "the U.S. officials' testing of systems",
  'an agency under the Department of Commerce',
  'an office of NIST',
  'reviewed the model, carefully, before its release',
  'tested it prior to the big launch',
  'scrutinised the models',
  'SCRUTINIZES MODELS',
  '"early look" at the models',
  'an advance peek of the (new) systems',
  'the CAISI said',
  'C.A.I.S.I.',
  '\u212Aelvin scale',
  'kelvin ratings',
  'classes (b) yzend',
  // The long s folds to "s" in a case-insensitive Unicode match: "ſcrutiniſe the models".
  '\u017Fcrutini\u017Fe the models',
];

/** The corpus fixtures' texts, normalized as extraction reads them. */
function fixtureTexts(): string[] {
  const dir = join(import.meta.dirname, '../../fixtures/corpus');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim()))
    .map((l) => normalizeText((JSON.parse(l) as { text: string }).text));
}

describe('literal guards', () => {
  it('never refuses a text a pattern matches, on crafted texts', () => {
    let matched = 0;
    for (const pattern of PATTERNS) {
      const re = new RegExp(pattern, 'iu');
      const guard = literalGuard([pattern]);
      expect(guard, pattern).toBeDefined();
      for (const text of TEXTS) {
        if (!re.test(text)) continue;
        matched++;
        expect(guard!.test(text), `${pattern} on ${text}`).toBe(true);
      }
    }
    // Every crafted text is matched by some pattern, so each one checks something.
    for (const text of TEXTS) expect(PATTERNS.some((p) => new RegExp(p, 'iu').test(text)), text).toBe(true);
    expect(matched).toBeGreaterThanOrEqual(TEXTS.length);
  });

  it('names every one of the packaged probes\' patterns that matches, and so answers as the probe does, on the corpus fixtures', () => {
    const compiled = compileConfig(loadConfig(PACKAGED_CONFIG_DIR));
    const texts = fixtureTexts();
    let accepted = 0;
    for (const ct of compiled.trackers) {
      // (Another agreement may have none: "EU" is too short a word to scan for.)
      expect(ct.agreements[0]!.guard).toBeDefined();
      for (const a of ct.agreements) {
        for (const text of texts) {
          const candidates = a.guard?.candidates(text);
          a.each.forEach((re, i) => {
            if (candidates && re.test(text)) expect(candidates.has(i), `${a.names.name}, pattern ${i}`).toBe(true);
          });
          const accepts = a.probe.test(text);
          if (accepts) accepted++;
          expect(mayName(a, text)).toBe(accepts);
        }
      }
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it('names every crafted pattern a crafted text matches', () => {
    const guard = PatternGuard.of(PATTERNS)!;
    for (const text of TEXTS) {
      const candidates = guard.candidates(text);
      PATTERNS.forEach((p, i) => {
        if (new RegExp(p, 'iu').test(text)) expect(candidates?.has(i) ?? true, `${p} on ${text}`).toBe(true);
      });
    }
    expect(guard.candidates('Google unveils its new phone in a bid to win customers.')).toEqual(new Set());
  });

  it('never refuses a text the packaged rules\' cues match, on the corpus fixtures', () => {
    const compiled = compileConfig(loadConfig(PACKAGED_CONFIG_DIR));
    const texts = fixtureTexts();
    let matched = 0;
    for (const ct of compiled.trackers) {
      for (const rule of ct.rules) {
        expect(rule.guard, rule.id).toBeDefined();
        for (const text of texts) {
          rule.re.lastIndex = 0;
          if (!rule.re.test(text)) continue;
          matched++;
          expect(rule.guard!.test(text), rule.id).toBe(true);
        }
      }
    }
    expect(matched).toBeGreaterThan(200);
  });

  it('refuses a text holding none of the words the patterns need', () => {
    const guard = literalGuard([PATTERNS[0]!, PATTERNS[1]!])!;
    expect(guard.test('Google unveils its new phone in a bid to win customers.')).toBe(false);
    expect(guard.test('a voluntary scheme')).toBe(true);
  });

  it('reads the words a pattern needs, its looked-around words included', () => {
    expect(requiredWords('voluntary (?:[\\w-]+ ){0,2}?(?:program|programme)')).toEqual(['voluntary ']);
    expect(requiredWords('scrutini[sz]e')).toEqual(['scrutinise', 'scrutinize']);
    expect(requiredWords('(?:U\\.?S\\.?|federal)(?=(?: \\S+){0,2} (?:models|systems))')).toEqual(['models', 'systems']);
  });

  it('a guard over many patterns tries the few with no word as they are, and gives up when most have none', () => {
    const guard = anyPatternGuard([...PATTERNS, 'E\\.?U\\.?'])!;
    expect(guard('The EU code is voluntary.')).toBe(true);
    expect(guard('The E.U. fined a phone maker.')).toBe(true);
    expect(guard('Google unveils its new phone in a bid to win customers.')).toBe(false);
    for (const text of TEXTS) expect(guard(text), text).toBe(true);
    expect(anyPatternGuard(['EU', 'UK', 'CAISI'])).toBeUndefined();
  });

  it('the scan of every agreement\'s names finds the same mentions guarded as unguarded, on the corpus fixtures', () => {
    const compiled = compileConfig(loadConfig(PACKAGED_CONFIG_DIR));
    let found = 0;
    for (const ct of compiled.trackers) {
      const unguarded = new MultiPattern(ct.agreementNames.entries);
      for (const text of fixtureTexts()) {
        const mentions = ct.agreementNames.matches(text);
        expect(mentions, text).toEqual(unguarded.matches(text));
        found += mentions.length;
      }
    }
    expect(found).toBeGreaterThan(200);
  });

  it('gives no guard when a pattern has no word it must hold, or cannot be read', () => {
    expect(literalGuard(['CAISI', '\\w+\\s'])).toBeUndefined();
    expect(literalGuard(['(?:ab|cd)'])).toBeUndefined(); // words under three letters are in most texts
    expect(literalGuard(['caisi', 'ca\\u0049si'])).toBeUndefined();
    expect(literalGuard(['[]caisi'])).toBeUndefined();
  });
});
