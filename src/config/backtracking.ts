// Whether a maintainer's pattern can backtrack catastrophically in V8, decided once when config loads.
//
// Exponentially: the classic test (Weber & Seidl) is a state of the pattern's automaton with
// two different loops that read the same text, so each repetition doubles the ways a failing
// match is retried. `(?:x+x+)+y`, `(?:x|xx)+y` and `(?:x*)*y` have one; `(?:xy+)+z` has none.
// Lookarounds count as empty where they stand; their bodies are checked on their own.
//
// Polynomially: loops one after another that can read the same text multiply the ways through
// it (polynomial.ts). The extractor never scans more than a few thousand characters at once
// (extract/bound.ts), so time quadratic in the text is bounded, and allowed: a search for x+y,
// or \s*,\s* tried from the start of its text only. Cubic or worse is refused: searched, such a
// pattern stalls extraction on one sentence that nearly matches, and on a long item for minutes
// (the patterns measured: docs/performance.md).
import { build, components, movesFrom, parse, TooComplex, UNBOUNDED_FROM, type Body, type Move } from './automaton.js';
import { excessPower, loopCount, type Power } from './polynomial.js';

/** State pairs beyond this make a pattern "too complex to check": refused, never waited for. */
const MAX_PAIRS = 200_000;
/** The highest power of the text's length a pattern's backtracking may cost. */
const MAX_POWER = 2;

/**
 * How the extractor runs a pattern: searched for at every position of a text, or tried only
 * from its start (a list connector between two parties).
 */
export type Scan = 'search' | 'anchored';

// Only a repeated group can hold two ways through one loop: `)+`, `)*`, `){n,}`, or a count
// over 20. Most patterns have none and are not parsed at all.
const REPEATED_GROUP = /\)(?:([*+])|\{(\d+)(,?)(\d*)\})/g;

function mayLoopTwoWays(pattern: string): boolean {
  for (const [, star, min, comma, max] of pattern.matchAll(REPEATED_GROUP)) {
    if (star || Number(comma ? max || Infinity : min) >= UNBOUNDED_FROM) return true;
  }
  return false;
}

/**
 * Why `pattern` must be refused, or undefined when its backtracking stays within a power of
 * MAX_POWER of the text's length. The pattern must compile under `flags`.
 */
export function catastrophicBacktracking(pattern: string, flags: string, scan: Scan = 'search'): string | undefined {
  const twoWays = mayLoopTwoWays(pattern);
  // A search is itself a loop before the pattern.
  const loopsInRow = loopCount(pattern) + (scan === 'search' ? 1 : 0) > MAX_POWER;
  if (!twoWays && !loopsInRow) return undefined;
  try {
    const root = parse(pattern, flags);
    if (twoWays && exponential(root)) {
      return 'can backtrack catastrophically: a repeated part can match the same text in more than one way, so text that nearly matches takes time exponential in its length (30 characters can take minutes); rewrite it so that each repetition matches a text one way only';
    }
    if (loopsInRow) {
      const found = excessPower(root, scan === 'search', pattern, MAX_POWER);
      if (found) return polynomial(found);
    }
    return undefined;
  } catch (err) {
    if (err instanceof TooComplex) return 'is too complex to check for catastrophic backtracking; split it into simpler patterns';
    return `cannot be checked for catastrophic backtracking (${(err as Error).message}); write it more plainly`;
  }
}

const COUNTS = ['', 'one', 'two', 'three', 'four', 'five', 'six'];

function polynomial({ power, rows }: Power): string {
  const loops = rows.length === 1 ? `${COUNTS[rows[0]!.length] ?? rows[0]!.length} loops` : 'loops';
  const growth =
    power === 3
      ? 'cubic in its length (polynomial backtracking: about a second for one 1,000-character sentence)'
      : `growing as the power ${power} of its length (polynomial backtracking: minutes or more for one 1,000-character sentence)`;
  return `can backtrack catastrophically: ${loops} in a row can read the same text (${rows.map((r) => r.join(', then ')).join('; later ')}), so text that nearly matches takes time ${growth}; rewrite it so that neighbouring loops cannot match the same characters`;
}

function exponential(root: Body): boolean {
  const bodies: Body[] = [root];
  for (let i = 0; i < bodies.length; i++) if (checkBody(bodies[i]!, bodies)) return true;
  return false;
}

/**
 * Exponential ambiguity of one body: in the automaton's square (two runs side by side on the
 * same text), a strongly connected part that holds a state where both runs agree and a place
 * where they differ is two different loops on the same text.
 */
function checkBody(root: Body, bodies: Body[]): boolean {
  const { fa } = build(root, bodies);
  if (fa.loops.size === 0) return false;
  // A loop never leaves the outermost unbounded repetition it is in: pairs stay inside one.
  const loopOf = fa.within.map((w) => w.find((id) => fa.loops.has(id)) ?? -1);
  const moves = new Map<number, Move[]>();
  const movesOf = (p: number) => {
    let m = moves.get(p);
    if (!m) moves.set(p, (m = movesFrom(fa, p).filter((x) => loopOf[x.to] === loopOf[p])));
    return m;
  };
  const n = fa.eps.length;
  const steps = (pair: number): { pair: number; differs: boolean }[] => {
    const out = [];
    for (const x of movesOf(Math.floor(pair / n))) {
      for (const y of movesOf(pair % n)) {
        if (!x.set.isDisjointWith(y.set)) out.push({ pair: x.to * n + y.to, differs: x !== y || x.paths > 1 });
      }
    }
    return out;
  };
  // From each state pair (p, p) inside a loop.
  const entered = new Set(fa.chars.flatMap((list) => list.map((c) => c.to)));
  const roots = [...entered].filter((p) => loopOf[p] !== -1).map((p) => p * n + p);
  for (const part of components(roots, (pair) => steps(pair).map((s) => s.pair), MAX_PAIRS)) {
    if (!part.some((c) => Math.floor(c / n) === c % n)) continue;
    const inPart = new Set(part);
    if (part.some((c) => Math.floor(c / n) !== c % n) || part.some((c) => steps(c).some((s) => s.differs && inPart.has(s.pair)))) return true;
  }
  return false;
}
