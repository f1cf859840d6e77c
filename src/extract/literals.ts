// The words a pattern cannot match without, read from its source (for the guards in guards.ts).
//
// A guard must never refuse a text its pattern matches, so it is derived from the pattern by code:
// a part this reader does not know (a class with a range, \w, a letter outside ASCII) counts as
// any text, which only weakens the guard, and a pattern it cannot read at all, or with no word it
// must hold, leaves its list of patterns unguarded. Lookarounds match no text where they stand,
// but a positive one's words must be in the text too (a regex sees no text beyond the one it is
// given), so they may serve as the words to look for.

/** What a part of a pattern can match: every text exactly, when few; else words one of which every match holds. */
interface Info {
  /** Every text the part matches (lower-case ASCII), or null when unknown or too many. */
  exact: string[] | null;
  /** Words one of which every match holds (or the text it looks around holds), or null. */
  required: string[] | null;
}

/** The most texts an exact set may hold before it is given up. */
const MAX_EXACT = 64;
/** The shortest word worth a scan: a shorter one is in most texts. */
const MIN_WORD = 3;

class Unreadable extends Error {}

const ANY: Info = { exact: null, required: null };
const EMPTY: Info = { exact: [''], required: null };

/** How telling a list of words is: its shortest word counts most, then how few words it has. */
function score(words: string[]): number {
  return Math.min(...words.map((w) => w.length), 8) * 1000 - words.length;
}

/**
 * The most telling usable list. Spaces before a word are dropped (a text holding a word holds its
 * end, and a scan tried at every space costs more); a list with a word under MIN_WORD is unusable.
 */
function best(lists: (string[] | null)[]): string[] | null {
  let chosen: string[] | null = null;
  for (const list of lists) {
    if (!list || list.length === 0) continue;
    const words = [...new Set(list.map((w) => w.trimStart()))];
    if (words.some((w) => w.length < MIN_WORD)) continue;
    if (!chosen || score(words) > score(chosen)) chosen = words;
  }
  return chosen;
}

/** The list an exact set gives (none when one of its texts is empty: that tells nothing). */
function fromExact(exact: string[] | null): string[] | null {
  return exact && !exact.includes('') ? exact : null;
}

function cross(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_EXACT) return null;
  return [...new Set(a.flatMap((x) => b.map((y) => x + y)))];
}

class Reader {
  private at = 0;
  constructor(private readonly source: string) {}

  read(): Info {
    const info = this.alternation();
    if (this.at !== this.source.length) throw new Unreadable(`unexpected "${this.source[this.at]}"`);
    return info;
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    const exact = branches.every((b) => b.exact) ? [...new Set(branches.flatMap((b) => b.exact!))] : null;
    // Every branch's most telling list, joined: a match holds a word of its own branch's.
    const each = branches.map((b) => best([b.required, fromExact(b.exact)]));
    const required = each.every((r) => r) ? [...new Set(each.flatMap((r) => r!))] : null;
    return { exact: exact && exact.length <= MAX_EXACT ? exact : null, required };
  }

  private sequence(): Info {
    // A run of parts with exact texts is one exact set (their cross product) while it stays small.
    const lists: (string[] | null)[] = [];
    let run: string[] | null = [''];
    let whole: string[] | null = [''];
    while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const { info, looksAround } = this.quantified();
      if (looksAround !== undefined) {
        lists.push(looksAround);
        continue;
      }
      lists.push(info.required);
      whole = whole && info.exact ? cross(whole, info.exact) : null;
      const next: string[] | null = run && info.exact ? cross(run, info.exact) : null;
      if (next) run = next;
      else {
        lists.push(fromExact(run));
        run = info.exact;
      }
    }
    lists.push(fromExact(run));
    return { exact: whole, required: best(lists) };
  }

  /** One atom and its quantifier; a lookaround matches empty, its words given apart. */
  private quantified(): { info: Info; looksAround?: string[] | null } {
    const atom = this.atom();
    const q = this.quantifier();
    if (atom.looksAround !== undefined) {
      if (q) throw new Unreadable('a quantified lookaround');
      return { info: EMPTY, looksAround: atom.looksAround };
    }
    const info = atom.info;
    if (!q) return { info };
    const { min, max } = q;
    if (min === 0) return { info: max === 1 && info.exact ? { exact: [...new Set(['', ...info.exact])], required: null } : ANY };
    // At least one copy: its words are in every match.
    return { info: { exact: min === 1 && max === 1 ? info.exact : null, required: best([info.required, fromExact(info.exact)]) } };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const c = this.peek();
    let q: { min: number; max: number } | undefined;
    if (c === '?') q = { min: 0, max: 1 };
    else if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.at));
      if (!m) throw new Unreadable('a brace that is no quantifier');
      q = { min: Number(m[1]), max: m[2] ? (m[3] ? Number(m[3]) : Infinity) : Number(m[1]) };
      this.at += m[0].length - 1;
    }
    if (!q) return undefined;
    this.at++;
    if (this.peek() === '?') this.at++;
    return q;
  }

  private atom(): { info: Info; looksAround?: string[] | null } {
    const c = this.source[this.at++];
    if (c === undefined) throw new Unreadable('the end of the pattern');
    if (c === '(') return this.group();
    if (c === '[') return { info: this.characterClass() };
    if (c === '\\') return { info: this.escape() };
    if (c === '^' || c === '$') return { info: EMPTY };
    if (c === '.') return { info: ANY };
    if ('*+?{})]|'.includes(c)) throw new Unreadable(`"${c}" where a character was expected`);
    return { info: char(c) };
  }

  private group(): { info: Info; looksAround?: string[] | null } {
    const rest = this.source.slice(this.at);
    const opener = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(rest)?.[0];
    if (rest.startsWith('?') && !opener) throw new Unreadable('an unknown group');
    this.at += opener?.length ?? 0;
    const inner = this.alternation();
    if (this.source[this.at++] !== ')') throw new Unreadable('an unclosed group');
    if (opener === '?=' || opener === '?<=') return { info: EMPTY, looksAround: best([inner.required, fromExact(inner.exact)]) };
    if (opener === '?!' || opener === '?<!') return { info: EMPTY, looksAround: null };
    return { info: inner };
  }

  private escape(): Info {
    const c = this.source[this.at++];
    if (c === undefined) throw new Unreadable('a lone backslash');
    if (c === 'b' || c === 'B') return EMPTY;
    if (c === 'p' || c === 'P') {
      const end = this.source.indexOf('}', this.at);
      if (this.peek() !== '{' || end < 0) throw new Unreadable('a property escape');
      this.at = end + 1;
      return ANY;
    }
    // A syntax character escaped is itself; any other escape (\w, \d, \u…, a back-reference) is any text.
    if (/^[\^$\\.*+?()[\]{}|/\-'"@#%&,:;<=>!~` ]$/.test(c)) return char(c);
    if (c === 'u' || c === 'x' || c === 'c' || c === 'k') throw new Unreadable(`an escape \\${c}`);
    return ANY;
  }

  /** A class of a few plain characters is exact; anything more (ranges, escapes, negation) is any text. */
  private characterClass(): Info {
    let chars: string[] | null = this.peek() === '^' ? null : [];
    if (this.peek() === '^') this.at++;
    // "[]" matches nothing and "[^]" anything: rare enough to give up on.
    if (this.peek() === ']') throw new Unreadable('an empty class');
    for (;;) {
      const c = this.source[this.at++];
      if (c === undefined) throw new Unreadable('an unclosed class');
      if (c === ']') break;
      if (c === '[') throw new Unreadable('a nested class');
      if (c === '\\') {
        const e = this.source[this.at++];
        if (e === undefined) throw new Unreadable('a lone backslash');
        if (e === 'p' || e === 'P') {
          const end = this.source.indexOf('}', this.at);
          if (end < 0) throw new Unreadable('a property escape');
          this.at = end + 1;
          chars = null;
        } else if (/^[\^$\\.*+?()[\]{}|/\-'"]$/.test(e)) chars?.push(e);
        else if (e === 'u' || e === 'x' || e === 'c') throw new Unreadable(`an escape \\${e} in a class`);
        else chars = null;
        continue;
      }
      if (c === '-' && chars && chars.length > 0 && this.peek() !== ']') chars = null; // a range
      else chars?.push(c);
    }
    if (!chars || chars.length === 0) return ANY;
    const exact = chars.map((ch) => char(ch).exact);
    return exact.every((e) => e) && exact.length <= 8 ? { exact: [...new Set(exact.flatMap((e) => e!))], required: null } : ANY;
  }
}

/** One character: printable ASCII is itself (lower-cased: the guard is case-insensitive, as the patterns are); any other, any text. */
function char(c: string): Info {
  const code = c.charCodeAt(0);
  return code >= 0x20 && code < 0x7f ? { exact: [c.toLowerCase()], required: null } : ANY;
}

/** Words one of which every match of `pattern` holds (in the match or the text it looks around), or null when none can be read. */
export function requiredWords(pattern: string): string[] | null {
  try {
    const info = new Reader(pattern).read();
    return best([info.required, fromExact(info.exact)]);
  } catch (err) {
    if (err instanceof Unreadable) return null;
    throw err;
  }
}
