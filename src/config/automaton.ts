// A maintainer's pattern as the automaton V8's backtracking matcher walks, for the backtracking checks.
//
// refa parses the pattern with its flags into character sets (case folding, \p{…}); the
// automaton is built here, as V8 runs it: alternatives kept apart, and an iteration that reads
// nothing ends the repetition (ECMA-262 RepeatMatcher), so it is not a second way. A
// quantifier bounded above 20 counts as unbounded ((x+){25} is as bad as x+ repeated).
import { createRequire } from 'node:module';
import type { CharSet, Concatenation, Element, Expression, JS } from 'refa';

/** A quantifier with a larger finite maximum is checked as if unbounded. */
export const UNBOUNDED_FROM = 21;
/** States beyond this make a pattern "too complex to check": refused, never waited for. */
const MAX_STATES = 20_000;

/** Thrown when checking would take longer than a pattern deserves. */
export class TooComplex extends Error {}

export type Body = { alternatives: Concatenation[] };

// refa is CommonJS; required directly it loads in a third of the time an ESM import takes, and
// only when some pattern needs it.
let parser: typeof JS.Parser | undefined;
export function parse(pattern: string, flags: string): Expression {
  parser ??= (createRequire(import.meta.url)('refa') as { JS: typeof JS }).JS.Parser;
  return parser.fromLiteral({ source: pattern, flags }).parse({ backreferences: 'unknown', assertions: 'parse', simplify: false }).expression;
}

export interface Automaton {
  /** ε-moves; `ends` names the repetition whose (non-empty) iteration the move ends. */
  eps: { to: number; ends?: number }[][];
  chars: { set: CharSet; to: number }[][];
  /** The repetitions each state is inside, outermost first. */
  within: number[][];
  /** Repetitions that loop (unbounded), as opposed to bounded ones unrolled into copies. */
  loops: Set<number>;
  /** Where each repetition is written in the pattern, to name it in a message. */
  written: { start: number; end: number }[];
}

/**
 * A Thompson automaton of `root`. Lookaround bodies met on the way are added to `bodies`, and
 * count as empty where they stand; with `lookaheads: 'branch'` a lookahead is instead a branch
 * that leads nowhere, which is what it costs: it is tried afresh each time the match reaches it.
 */
export function build(root: Body, bodies: Body[], lookaheads: 'apart' | 'branch' = 'apart'): { fa: Automaton; start: number } {
  const fa: Automaton = { eps: [], chars: [], within: [], loops: new Set(), written: [] };
  let within: number[] = [];
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
        if (lookaheads === 'branch' && el.kind === 'ahead') fa.eps[from]!.push({ to: group(el.alternatives)[0] });
        else bodies.push(el);
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
          const id = fa.written.length;
          fa.written.push(el.source ?? { start: 0, end: 0 });
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

export interface Move {
  set: CharSet;
  to: number;
  /** Distinct paths this move stands for (1, or 2 meaning "more than one"). */
  paths: number;
}

/** The character moves from `p`, each after the ε-paths that lead to it, counted. */
export function movesFrom(fa: Automaton, p: number): Move[] {
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
 * The strongly connected components of the graph reachable from `roots` (Tarjan, iteratively),
 * each finished after every component it reaches: the reverse of a topological order.
 * `budget` caps the nodes visited.
 */
export function components(roots: Iterable<number>, next: (node: number) => number[], budget: number): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: number[][] = [];
  for (const root of roots) {
    if (index.has(root)) continue;
    const work: { node: number; after: number[]; i: number }[] = [];
    const open = (node: number) => {
      if (index.size >= budget) throw new TooComplex();
      index.set(node, index.size);
      low.set(node, index.size - 1);
      stack.push(node);
      onStack.add(node);
      work.push({ node, after: next(node), i: 0 });
    };
    open(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.after.length) {
        const node = top.after[top.i++]!;
        if (!index.has(node)) open(node);
        else if (onStack.has(node)) low.set(top.node, Math.min(low.get(top.node)!, index.get(node)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) !== index.get(top.node)) continue;
      const component: number[] = [];
      let x: number;
      do {
        x = stack.pop()!;
        onStack.delete(x);
        component.push(x);
      } while (x !== top.node);
      out.push(component);
    }
  }
  return out;
}
