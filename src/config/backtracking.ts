// Whether a maintainer's pattern can backtrack exponentially in V8, decided once when config loads.
//
// The test is the classic one for exponential ambiguity (Weber & Seidl): a pattern backtracks
// exponentially when some state of its automaton has two different loops that read the same
// text, so each repetition doubles the ways a failing match is retried. `(?:x+x+)+y`,
// `(?:x|xx)+y` and `(?:x*)*y` have one; `(?:xy+)+z` has none. refa parses the pattern with its
// flags into character sets (case folding, \p{…}); the automaton is built here, as V8 runs it:
// alternatives kept apart, and an iteration that reads nothing ends the repetition (ECMA-262
// RepeatMatcher), so it is not a second way.
//
// Lookarounds count as empty where they stand (their bodies are checked on their own); a
// quantifier bounded above 20 counts as unbounded ((x+){25} is as bad as exponential).
// Polynomial backtracking (x+y on "xxxx…") is not refused: the per-item bound in the extractor
// keeps its cost in check (see extract/bound.ts).
import { createRequire } from 'node:module';
import type { CharSet, Concatenation, Element, Expression, JS } from 'refa';

/** A quantifier with a larger finite maximum is checked as if unbounded. */
const UNBOUNDED_FROM = 21;
/** States and state pairs beyond these make a pattern "too complex to check": refused, never waited for. */
const MAX_STATES = 20_000;
const MAX_PAIRS = 200_000;

// Only a repeated group can hold two ways through one loop: `)+`, `)*`, `){n,}`, or a count
// over 20. Most patterns have none and are not parsed at all.
const REPEATED_GROUP = /\)(?:([*+])|\{(\d+)(,?)(\d*)\})/g;

function mayLoopTwoWays(pattern: string): boolean {
  for (const [, star, min, comma, max] of pattern.matchAll(REPEATED_GROUP)) {
    if (star || Number(comma ? max || Infinity : min) >= UNBOUNDED_FROM) return true;
  }
  return false;
}

// refa is CommonJS; required directly it loads in a third of the time an ESM import takes, and
// only when some pattern needs it.
let parser: typeof JS.Parser | undefined;
function parse(pattern: string, flags: string): Expression {
  parser ??= (createRequire(import.meta.url)('refa') as { JS: typeof JS }).JS.Parser;
  return parser.fromLiteral({ source: pattern, flags }).parse({ backreferences: 'unknown', assertions: 'parse', simplify: false }).expression;
}

/**
 * Why `pattern` must be refused, or undefined when it cannot backtrack exponentially. The
 * pattern must compile under `flags`.
 */
export function exponentialBacktracking(pattern: string, flags: string): string | undefined {
  if (!mayLoopTwoWays(pattern)) return undefined;
  let verdict: Verdict;
  try {
    const bodies: Body[] = [parse(pattern, flags)];
    verdict = 'linear';
    for (let i = 0; i < bodies.length && verdict === 'linear'; i++) verdict = checkBody(bodies[i]!, bodies);
  } catch (err) {
    if (!(err instanceof TooComplex)) return `cannot be checked for catastrophic backtracking (${(err as Error).message}); write it more plainly`;
    verdict = 'too complex';
  }
  if (verdict === 'exponential') {
    return 'can backtrack catastrophically: a repeated part can match the same text in more than one way, so text that nearly matches takes time exponential in its length (30 characters can take minutes); rewrite it so that each repetition matches a text one way only';
  }
  if (verdict === 'too complex') return 'is too complex to check for catastrophic backtracking; split it into simpler patterns';
  return undefined;
}

type Verdict = 'linear' | 'exponential' | 'too complex';
type Body = { alternatives: Concatenation[] };

class TooComplex extends Error {}

interface Automaton {
  /** ε-moves; `ends` names the repetition whose (non-empty) iteration the move ends. */
  eps: { to: number; ends?: number }[][];
  chars: { set: CharSet; to: number }[][];
  /** The repetitions each state is inside, outermost first. */
  within: number[][];
  /** Repetitions that loop (unbounded), as opposed to bounded ones unrolled into copies. */
  loops: Set<number>;
}

/** A Thompson automaton of `root`; lookaround bodies met on the way are added to `bodies`. */
function build(root: Body, bodies: Body[]): { fa: Automaton; start: number } {
  const fa: Automaton = { eps: [], chars: [], within: [], loops: new Set() };
  let within: number[] = [];
  let repetitions = 0;
  const state = () => {
    if (fa.eps.length >= MAX_STATES) throw new TooComplex();
    fa.eps.push([]);
    fa.chars.push([]);
    fa.within.push(within);
    return fa.eps.length - 1;
  };
  const group = (alternatives: Concatenation[]): [number, number] => {
    const s = state();
    const e = state();
    for (const c of alternatives) {
      const from = state();
      let at = from;
      for (const el of c.elements) at = element(el, at);
      fa.eps[s]!.push({ to: from });
      fa.eps[at]!.push({ to: e });
    }
    return [s, e];
  };
  const element = (el: Element, from: number): number => {
    switch (el.type) {
      case 'CharacterClass': {
        const to = state();
        fa.chars[from]!.push({ set: el.characters, to });
        return to;
      }
      case 'Alternation': {
        const [s, e] = group(el.alternatives);
        fa.eps[from]!.push({ to: s });
        return e;
      }
      case 'Assertion':
        bodies.push(el);
        return from;
      case 'Unknown':
        return from;
      case 'Quantifier': {
        let at = from;
        // Iterations up to the minimum may be empty; later ones may not.
        for (let k = 0; k < el.min; k++) {
          const [s, e] = group(el.alternatives);
          fa.eps[at]!.push({ to: s });
          at = e;
        }
        const max = el.max >= UNBOUNDED_FROM ? Infinity : el.max;
        if (max === el.min) return at;
        const end = state();
        // Unbounded: one body that loops back. Bounded: a chain of optional copies, each of
        // which may stop the repetition, so that k iterations have one path, not several.
        const copies = max === Infinity ? 1 : max - el.min;
        for (let k = 0; k < copies; k++) {
          const id = repetitions++;
          if (max === Infinity) fa.loops.add(id);
          const outer = within;
          within = [...within, id];
          const [s, e] = group(el.alternatives);
          within = outer;
          fa.eps[at]!.push({ to: s }, { to: end });
          if (max === Infinity) {
            fa.eps[e]!.push({ to: at, ends: id });
          } else {
            const next = state();
            fa.eps[e]!.push({ to: next, ends: id });
            at = next;
          }
        }
        if (max !== Infinity) fa.eps[at]!.push({ to: end });
        return end;
      }
    }
  };
  const [start] = group(root.alternatives);
  return { fa, start };
}

interface Move {
  set: CharSet;
  to: number;
  /** Distinct paths this move stands for (1, or 2 meaning "more than one"). */
  paths: number;
}

/** The character moves from `p`, each after the ε-paths that lead to it, counted. */
function movesFrom(fa: Automaton, p: number): Move[] {
  const inside = fa.within[p]!;
  // Which repetitions still have a non-empty iteration under way is a prefix of `inside`, its
  // length `open`; ending one (looping back or leaving) closes it and those inside it.
  const memo = new Map<number, Map<number, number>>();
  const walk = (q: number, open: number): Map<number, number> => {
    const key = q * (inside.length + 1) + open;
    let found = memo.get(key);
    if (found) return found;
    found = new Map();
    if (fa.chars[q]!.length) found.set(q, 1);
    for (const { to, ends } of fa.eps[q]!) {
      let next = open;
      if (ends !== undefined) {
        const j = inside.indexOf(ends);
        if (j < 0 || j >= open) continue;
        next = j;
      }
      for (const [x, n] of walk(to, next)) found.set(x, Math.min(2, (found.get(x) ?? 0) + n));
    }
    memo.set(key, found);
    return found;
  };
  const moves: Move[] = [];
  for (const [x, paths] of walk(p, inside.length)) for (const { set, to } of fa.chars[x]!) moves.push({ set, to, paths });
  return moves;
}

/**
 * Exponential ambiguity of one body: in the automaton's square (two runs side by side on the
 * same text), a strongly connected part that holds a state where both runs agree and a place
 * where they differ is two different loops on the same text.
 */
function checkBody(root: Body, bodies: Body[]): Verdict {
  const { fa } = build(root, bodies);
  if (fa.loops.size === 0) return 'linear';
  // A loop never leaves the outermost unbounded repetition it is in: pairs stay inside one.
  const loopOf = fa.within.map((w) => w.find((id) => fa.loops.has(id)) ?? -1);
  const moves = new Map<number, Move[]>();
  const movesOf = (p: number) => {
    let m = moves.get(p);
    if (!m) moves.set(p, (m = movesFrom(fa, p).filter((x) => loopOf[x.to] === loopOf[p])));
    return m;
  };
  const n = fa.eps.length;
  interface Step {
    pair: number;
    differs: boolean;
  }
  const next = (pair: number): Step[] => {
    const a = Math.floor(pair / n);
    const b = pair % n;
    const out: Step[] = [];
    for (const x of movesOf(a)) {
      for (const y of movesOf(b)) {
        if (!x.set.isDisjointWith(y.set)) out.push({ pair: x.to * n + y.to, differs: x !== y || x.paths > 1 });
      }
    }
    return out;
  };

  // Tarjan's strongly connected components, iteratively, from each state pair (p, p) inside a loop.
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const entered = new Set(fa.chars.flatMap((list) => list.map((c) => c.to)));
  for (const p of entered) {
    if (loopOf[p] === -1 || index.has(p * n + p)) continue;
    const work: { pair: number; steps: Step[]; i: number }[] = [];
    const open = (pair: number) => {
      if (index.size >= MAX_PAIRS) throw new TooComplex();
      index.set(pair, index.size);
      low.set(pair, index.get(pair)!);
      stack.push(pair);
      onStack.add(pair);
      work.push({ pair, steps: next(pair), i: 0 });
    };
    open(p * n + p);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.steps.length) {
        const { pair } = top.steps[top.i++]!;
        if (!index.has(pair)) open(pair);
        else if (onStack.has(pair)) low.set(top.pair, Math.min(low.get(top.pair)!, index.get(pair)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.pair, Math.min(low.get(parent.pair)!, low.get(top.pair)!));
      if (low.get(top.pair) !== index.get(top.pair)) continue;
      const component = new Set<number>();
      let x: number;
      do {
        x = stack.pop()!;
        onStack.delete(x);
        component.add(x);
      } while (x !== top.pair);
      const same = [...component].some((c) => Math.floor(c / n) === c % n);
      if (!same) continue;
      const apart = [...component].some((c) => Math.floor(c / n) !== c % n);
      if (apart || [...component].some((c) => next(c).some((s) => s.differs && component.has(s.pair)))) return 'exponential';
    }
  }
  return 'linear';
}
