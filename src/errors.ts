// One error base per boundary; the CLI maps them to exit codes.

export class PactwatchError extends Error {
  override name = 'PactwatchError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One problem found in a config file, with where it is. */
export interface ConfigProblem {
  file: string;
  line?: number | undefined;
  /** Path inside the file, such as `rules[2].cues[0]`. */
  field?: string | undefined;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

/** Bad config: exit code 2. Carries every problem found, not just the first. */
export class ConfigError extends PactwatchError {
  override name = 'ConfigError';
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super('PW_CONFIG', problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

/** Bad command-line usage: exit code 2. */
export class UsageError extends PactwatchError {
  override name = 'UsageError';
  constructor(message: string) {
    super('PW_USAGE', message);
  }
}

/** A failure of the store, or a value it refuses to keep (a time it could not compare): exit code 1. */
export class StoreError extends PactwatchError {
  override name = 'StoreError';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** An item over extraction's per-item bound (extract/bound.ts): recorded as failed, never retried. */
export class ItemTooLargeError extends PactwatchError {
  override name = 'ItemTooLargeError';
  constructor(message: string) {
    super('PW_ITEM_TOO_LARGE', message);
  }
}
