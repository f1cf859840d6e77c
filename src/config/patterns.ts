// The checks every pattern in config passes: it compiles alone and in a joined alternation,
// matches no empty text, uses no group a join would break, and cannot backtrack catastrophically.
import { catastrophicBacktracking, type Scan } from './backtracking.js';
import { problemAt, type FileReport } from './yaml.js';

/** A regex flag set every config pattern must compile under (see extract/compile.ts). */
export const PATTERN_FLAGS = 'iu';

/** Checks one pattern at a path of a file; `scan` says whether it is searched for or tried at one place. */
export type PatternCheck = (pattern: string, path: (string | number)[], scan?: Scan) => void;

/**
 * The check for `report`'s file. `backtracking: false` leaves out the backtracking check, for a
 * caller that has made it in another process (the daemon: see config/check-patterns.ts), so that
 * the memory it takes is not kept.
 */
export function patternCheck(report: FileReport, backtracking: boolean): PatternCheck {
  return (pattern, path, scan = 'search') => {
    try {
      // On its own first: a pattern that only compiles inside the wrapper ("a)|(?:b") would leak
      // into its neighbours once patterns are joined.
      new RegExp(pattern, PATTERN_FLAGS);
      const re = new RegExp(`(?:${pattern})`, PATTERN_FLAGS);
      if (re.test('')) problemAt(report, path, `pattern /${pattern}/ matches the empty text`);
      if (/\\[1-9]|\\k<|\(\?<(?![=!])/.test(pattern)) {
        problemAt(report, path, `pattern /${pattern}/ uses a named group or back-reference; patterns are joined, so use (?:...)`);
      }
      // Refused at load: a regex call cannot be interrupted, and one item would stall the daemon.
      const found = backtracking ? catastrophicBacktracking(pattern, PATTERN_FLAGS, scan) : undefined;
      if (found) problemAt(report, path, `pattern /${pattern}/ ${found}`);
    } catch (err) {
      problemAt(report, path, `pattern /${pattern}/ does not compile: ${(err as Error).message}`);
    }
  };
}
