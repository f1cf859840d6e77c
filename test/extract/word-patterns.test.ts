import { describe, expect, it } from 'vitest';
import { anyWordIn, MultiPattern, trieRegExp } from '../../src/extract/word-patterns.js';

describe('anyWordIn', () => {
  const words = ['OpenAI', 'X.AI', 'Meta', 'Meta Platforms', 'Google DeepMind', 'CAISI'];
  const holds = anyWordIn(words);

  it('finds a word anywhere, in any case, a dot in it optional', () => {
    expect(holds('the OPENAI model')).toBe(true);
    expect(holds('xai and x.ai')).toBe(true);
    expect(holds('XAI')).toBe(true);
    expect(holds('a metal roof')).toBe(true);
    expect(holds('Lunch was great today.')).toBe(false);
    expect(holds('')).toBe(false);
  });

  it('says yes wherever the trie of the same words matches', () => {
    const re = trieRegExp(words);
    // (xorshift32: a fixed seed, the same texts every run.)
    let seed = 7;
    const next = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    // Texts made of pieces of the words, in either case, dots dropped or added, between filler.
    const piece = () => {
      const w = words[next(words.length)]!;
      const from = next(3) === 0 ? next(w.length) : 0;
      const cut = w.slice(from, next(3) === 0 ? from + next(w.length) : w.length);
      return [...cut].map((ch) => (ch === '.' && next(2) === 0 ? '' : next(2) === 0 ? ch.toUpperCase() : ch.toLowerCase()) + (next(8) === 0 ? '.' : '')).join('');
    };
    let matched = 0;
    for (let k = 0; k < 5000; k++) {
      const text = Array.from({ length: 1 + next(3) }, () => `${piece()}${['', ' ', 'x', '-'][next(4)]}`).join('');
      if (!re.test(text)) continue;
      matched++;
      expect(holds(text), text).toBe(true);
    }
    expect(matched).toBeGreaterThan(1000);
  });

  it('keeps the regex for words outside ASCII, whose case folds differently', () => {
    const holdsGreek = anyWordIn(['Σοφία']);
    expect(holdsGreek('ΣΟΦΊΑ')).toBe(true);
    expect(holdsGreek('σοφία')).toBe(true);
    expect(holdsGreek('sofia')).toBe(false);
  });
});

describe('MultiPattern', () => {
  const lists = new MultiPattern([
    { key: 'institute', patterns: ['AI Safety Institute', 'CAISI'] },
    { key: 'empty', patterns: [] },
    { key: 'uk', patterns: ['(?:UK|British) AI Safety Institute', 'AI Safety Institute(?= in London)'] },
    { key: 'word', patterns: ['AI'] },
  ]);
  const found = (text: string) => lists.matches(text).map((m) => `${m.key}@${m.start}:${m.text}`);

  it('finds every list that matches at a place, in the lists\' order, each as far as it reaches', () => {
    expect(found('The AI Safety Institute in London')).toEqual(['institute@4:AI Safety Institute', 'uk@4:AI Safety Institute', 'word@4:AI']);
    expect(found('CAISI and the UK AI Safety Institute')).toEqual(['institute@0:CAISI', 'uk@14:UK AI Safety Institute', 'institute@17:AI Safety Institute', 'word@17:AI']);
  });

  it('a later list alone, and whole words only', () => {
    expect(found('British AI Safety Institute')).toEqual(['uk@0:British AI Safety Institute', 'institute@8:AI Safety Institute', 'word@8:AI']);
    expect(found('SAIL and CAISIs are no match; nor is xAI')).toEqual([]);
  });
});
