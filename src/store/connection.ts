// What the table modules share: the database, its prepared statements and the clock.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/** SQLite's `PRAGMA synchronous` level FULL (NORMAL is 1). */
export const SYNCHRONOUS_FULL = 2;

export class Connection {
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: Db,
    readonly now: () => Date,
  ) {}

  /** Prepared once per SQL text: preparing costs more than running. */
  sql(text: string): Statement {
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = this.db.prepare(text)));
    return s;
  }
}
