// How the time a failing match takes grows with the text: the power of its length, from the pattern's loops.
//
// The measure is Weber & Seidl's degree of ambiguity. Two loops "read the same text" when one
// word loops at the first, leads from it to the second and loops at the second (IDA); with k
// such links one after another, a text of n characters has about n^k ways through the pattern,
// and a backtracking matcher that fails tries every way through every prefix: n^(k+1) steps.
// A search, which tries the pattern at every position, is one more loop before the pattern that
// reads anything: searched, x+y costs n² on "xxxx…", \w+\s*\w+ costs n³ and a*a*a*b n⁴.
//
// A lookahead is tried afresh each time the match reaches it, so it is a branch of the
// automaton that leads nowhere. A lookbehind reads backwards, so its power is added to the
// pattern's (as if every way through the pattern reached it).
import type { CharSet } from 'refa';
import { build, components, movesFrom, TooComplex, UNBOUNDED_FROM, type Body } from './automaton.js';

export interface Power {
  /** On a text of n characters that nearly matches, the time grows as n to this power. */
  power: number;
  /** The loops that read the same text one after another, in rows, as the match meets them. */
  rows: string[][];
}

/** Work per pattern (states, pairs and triples visited, links tried): beyond it, "too complex to check". */
const MAX_WORK = 200_000;
const SEARCH = 'the search, which tries every position';

/**
 * The power of `root` when it is over `limit`, else undefined. `root` is a pattern tried at every
 * position when `searched`, else only from its start.
 */
export function excessPower(root: Body, searched: boolean, pattern: string, limit: number, work = { left: MAX_WORK }): Power | undefined {
  const behind: Body[] = [];
  const { fa, start } = build(root, behind, 'branch');
  // Without ε-moves: a node is the start or a state some character leads to.
  const nodeOf = new Map([[start, 0]]);
  const stateOf = [start];
  const next: { set: CharSet; to: number }[][] = [];
  for (let n = 0; n < stateOf.length; n++) {
    next.push(
      movesFrom(fa, stateOf[n]!).map(({ set, to }) => {
        if (!nodeOf.has(to)) nodeOf.set(to, stateOf.push(to) - 1);
        return { set, to: nodeOf.get(to)! };
      }),
    );
    if (work.left-- <= 0) throw new TooComplex();
  }
  const size = stateOf.length;
  // Nothing leads back to the start, so the search's loop there (added below) is a component of its own.
  const order = components([0], (n) => next[n]!.map((m) => m.to), size).reverse();
  const compOf: number[] = [];
  order.forEach((members, c) => members.forEach((n) => (compOf[n] = c)));
  const inside = next.map((moves, n) => moves.filter((m) => compOf[m.to] === compOf[n]));
  const isLoop = order.map((members) => members.some((n) => inside[n]!.length > 0));

  // Every node reached from `from` by moves that can read a letter of `only`, each visit paid for.
  const reach = (from: number[], step: (n: number) => { set: CharSet; to: number }[], only: CharSet) => {
    const seen = new Set(from);
    for (const n of seen) {
      if (work.left-- <= 0) throw new TooComplex();
      for (const m of step(n)) if (!m.set.isDisjointWith(only)) seen.add(m.to);
    }
    return seen;
  };
  const before = next.map(() => [] as { set: CharSet; to: number }[]);
  next.forEach((moves, n) => moves.forEach((m) => before[m.to]!.push({ set: m.set, to: n })));

  // What each loop reads. The word both loops read, and so the way from one to the other, has
  // only letters both read; and each loop keeps a cycle on them.
  const letters = order.map((members, c) => {
    const sets = isLoop[c] ? members.flatMap((n) => inside[n]!.map((m) => m.set)) : [];
    return sets.length ? sets[0]!.union(...sets.slice(1)) : undefined;
  });
  const cycles = (c: number, only: CharSet) => {
    const moves = (n: number) => inside[n]!.filter((m) => !m.set.isDisjointWith(only)).map((m) => m.to);
    return components(order[c]!, moves, size).some((part) => part.length > 1 || moves(part[0]!).includes(part[0]!));
  };

  /** Whether some word loops in `c1`, leads from `c1` to `c2`, and loops in `c2`. */
  const linked = (c1: number, c2: number): boolean => {
    if (work.left-- <= 0) throw new TooComplex();
    const common = letters[c1]!.intersect(letters[c2]!);
    if (common.isEmpty) return false;
    const from = reach(order[c1]!, (n) => next[n]!, common);
    if (!order[c2]!.some((n) => from.has(n)) || !cycles(c1, common) || !cycles(c2, common)) return false;
    const between = new Set([...reach(order[c2]!, (n) => before[n]!, common)].filter((n) => from.has(n)));
    const pairNext = (k: number) => {
      const out: number[] = [];
      for (const x of inside[Math.floor(k / size)]!) for (const z of inside[k % size]!) if (!x.set.isDisjointWith(z.set)) out.push(x.to * size + z.to);
      return out;
    };
    const pairs = order[c1]!.flatMap((a) => order[c2]!.map((c) => a * size + c));
    const groups = components(pairs, pairNext, work.left);
    work.left -= pairs.length;
    // Loops on both sides reading one word are a cycle of pairs; the word must also lead from
    // the first side to the second: a third run (a, b, c) from (a, a, c) to (a', c', c').
    for (const group of groups) {
      if (group.length === 1 && !pairNext(group[0]!).includes(group[0]!)) continue;
      const inGroup = new Set(group);
      const seen = new Set<number>();
      const queue = group.map((k) => ({ k, b: Math.floor(k / size) }));
      for (const { k, b } of queue) {
        for (const x of inside[Math.floor(k / size)]!) {
          for (const z of inside[k % size]!) {
            const k2 = x.to * size + z.to;
            if (!inGroup.has(k2)) continue;
            const both = x.set.isAll ? z.set : x.set.intersect(z.set);
            if (both.isEmpty) continue;
            for (const y of next[b]!) {
              if (!between.has(y.to) || both.isDisjointWith(y.set) || seen.has(k2 * size + y.to)) continue;
              if (y.to === z.to) return true;
              if (work.left-- <= 0) throw new TooComplex();
              seen.add(k2 * size + y.to);
              queue.push({ k: k2, b: y.to });
            }
          }
        }
      }
    }
    return false;
  };
  const links = new Map<number, boolean>();
  const isLinked = (c1: number, c2: number) => links.get(c1 * order.length + c2) ?? links.set(c1 * order.length + c2, linked(c1, c2)).get(c1 * order.length + c2)!;

  const name = (c: number): string => {
    if (c === 0 && inside[0]!.some((m) => m.to === 0)) return SEARCH;
    const lists = order[c]!.map((n) => fa.within[stateOf[n]!]!);
    let shared = lists[0]!.length;
    for (const w of lists) while (shared > 0 && w[shared - 1] !== lists[0]![shared - 1]) shared--;
    const id = lists[0]!.slice(0, shared).findLast((r) => fa.loops.has(r));
    return id === undefined ? 'a loop' : pattern.slice(fa.written[id]!.start, fa.written[id]!.end);
  };

  // The longest run of links reaching each component, and some loop reaching it, in topological order.
  const power = (): Power => {
    const loops = order.map((_, c) => c).filter((c) => isLoop[c]);
    const chain: [number, number][][] = order.map(() => []);
    const looped = order.map(() => -1);
    let host: Power = { power: 0, rows: [] };
    for (let c = 0; c < order.length; c++) {
      if (isLoop[c]) {
        looped[c] = c;
        const candidates = loops.filter((c1) => c1 < c);
        candidates.sort((p, q) => chain[q]!.length - chain[p]!.length);
        for (const c1 of candidates) {
          if (chain[c1]!.length < chain[c]!.length) break;
          if (isLinked(c1, c)) {
            chain[c] = [...chain[c1]!, [c1, c]];
            break;
          }
        }
      }
      if (looped[c]! >= 0 && chain[c]!.length + 1 > host.power) host = { power: chain[c]!.length + 1, rows: rows(chain[c]!, looped[c]!, name) };
      for (const n of order[c]!) {
        for (const { to } of next[n]!) {
          const d = compOf[to]!;
          if (looped[d]! < 0) looped[d] = looped[c]!;
          if (chain[c]!.length > chain[d]!.length) chain[d] = chain[c]!;
        }
      }
    }
    return host;
  };

  const lookbehinds = behind.map((body) => excessPower(body, false, pattern, 0, work)).filter((p) => p !== undefined);
  const behindPower = Math.max(0, ...lookbehinds.map((p) => p.power));
  let host = power();
  // The search adds at most one link, at the front; most patterns need not know whether it does.
  const first = next[0]![0];
  if (searched && first && (host.power === 0 ? 1 : host.power + 1) + behindPower > limit) {
    const anything = { set: first.set.union(first.set.negate()), to: 0 };
    next[0]!.push(anything);
    inside[0]!.push(anything);
    isLoop[0] = true;
    letters[0] = anything.set;
    host = power();
  }
  let worst = host;
  for (const own of lookbehinds) {
    if (host.power + own.power > worst.power) {
      worst = { power: host.power + own.power, rows: [...host.rows, ...own.rows.map((r) => r.map((loop) => `${loop} in a lookbehind`))] };
    }
  }
  return worst.power > limit ? worst : undefined;
}

/** Links that share a loop make one row: the search, then \w+, then \w+. */
function rows(links: [number, number][], loop: number, name: (c: number) => string): string[][] {
  const out: number[][] = links.length ? [] : [[loop]];
  links.forEach(([a, b], i) => {
    if (i > 0 && links[i - 1]![1] === a) out.at(-1)!.push(b);
    else out.push([a, b]);
  });
  return out.map((r) => r.map(name));
}

const GROUP_OPENING = /\((?:\?(?::|=|!|<=|<!|<[^>]*>))?/y;
const ESCAPE = /\\(?:[pPu]\{[^}]*\}|.)/suy;
const CLASS = /\[(?:\\.|[^\]\\])*\]/suy;
const QUANTIFIER = /(?:([*+?])|\{(\d+)(,?)(\d*)\})\??/y;

/**
 * How many loops `pattern` has at most once bounded repetitions are unrolled, read off its text
 * (it compiles): most patterns have one or none and need no automaton.
 */
export function loopCount(pattern: string): number {
  const frames = [0];
  const at = (re: RegExp, i: number) => {
    re.lastIndex = i;
    return re.test(pattern) ? re.lastIndex : i + 1;
  };
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    let loops = 0;
    if (ch === '(') {
      i = at(GROUP_OPENING, i);
      frames.push(0);
      continue;
    }
    if (ch === '|') {
      i++;
      continue;
    }
    if (ch === ')') {
      loops = frames.length > 1 ? frames.pop()! : 0;
      i++;
    } else if (ch === '\\') i = at(ESCAPE, i);
    else if (ch === '[') i = at(CLASS, i);
    else i++;
    QUANTIFIER.lastIndex = i;
    const q = QUANTIFIER.exec(pattern);
    if (q) {
      i = QUANTIFIER.lastIndex;
      const min = q[1] ? (q[1] === '+' ? 1 : 0) : Number(q[2]);
      const max = q[1] ? (q[1] === '?' ? 1 : Infinity) : q[3] ? (q[4] ? Number(q[4]) : Infinity) : min;
      const unbounded = max >= UNBOUNDED_FROM;
      // As built: the required copies, then one looping copy or the optional ones.
      loops = loops * (min + (unbounded ? 1 : max - min)) + (unbounded ? 1 : 0);
    }
    frames[frames.length - 1] = frames.at(-1)! + loops;
  }
  return frames[0]!;
}
