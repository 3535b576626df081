import { lexSql, type SqlLexOptions } from './sql-lexer.js';

export interface SqlStatement {
  /** The statement without its terminating semicolon, leading comments or surrounding whitespace. */
  readonly sql: string;
  /** 1-based line where the statement starts. */
  readonly line: number;
}

export interface SplitSqlOptions extends SqlLexOptions {
  /** Line number of the first line of `sql` (for a section cut out of a larger file). Default 1. */
  readonly firstLine?: number;
}

// Words that end a block opened by the word before them (`END IF`, `END LOOP`): the IF/LOOP never counted.
const NOT_A_BLOCK_END = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT', 'FOR']);
const ROUTINES = new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT']);

/**
 * Splits SQL text into statements at top-level semicolons. Semicolons inside strings, quoted identifiers,
 * dollar-quoted bodies (`$$…$$`, `$fn$…$fn$`) and comments do not split, and neither do those inside the
 * BEGIN … END body of a CREATE TRIGGER/FUNCTION/PROCEDURE (SQLite triggers, PostgreSQL's BEGIN ATOMIC, MySQL
 * routines). Statements made only of comments are dropped. Client commands such as psql's `\i` or MySQL's
 * `DELIMITER` are not SQL and are not understood.
 */
export function splitSqlStatements(sql: string, options: SplitSqlOptions = {}): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let line = options.firstLine ?? 1;
  let counted = 0;
  let start = -1;
  let lastEnd = -1;
  let words = 0;
  let isCreate = false;
  let routine = false;
  let depth = 0;
  let afterEnd = false;

  const closeEnd = (): void => {
    if (afterEnd) {
      afterEnd = false;
      depth = Math.max(0, depth - 1);
    }
  };
  const begin = (at: number): void => {
    if (start !== -1) return;
    start = at;
    line += countNewlines(sql, counted, at);
    counted = at;
  };
  const finish = (): void => {
    if (start !== -1) statements.push({ sql: sql.slice(start, lastEnd), line });
    start = -1;
    words = 0;
    isCreate = false;
    routine = false;
    depth = 0;
    afterEnd = false;
  };

  lexSql(sql, options, (kind, from, to) => {
    switch (kind) {
      case 'space':
      case 'line-comment':
      case 'block-comment':
        return;
      case 'semicolon':
        closeEnd();
        if (depth > 0) {
          lastEnd = to;
          return;
        }
        finish();
        return;
      case 'word': {
        begin(from);
        lastEnd = to;
        words += 1;
        if (words > 6 && !routine) return;
        const word = sql.slice(from, to).toUpperCase();
        if (words === 1) isCreate = word === 'CREATE';
        else if (isCreate && !routine && ROUTINES.has(word)) routine = true;
        if (!routine) return;
        if (afterEnd) {
          afterEnd = false;
          if (NOT_A_BLOCK_END.has(word)) return;
          depth = Math.max(0, depth - 1);
          if (word === 'CASE') return; // `END CASE` closes a CASE statement
        }
        if (word === 'BEGIN' || word === 'CASE') depth += 1;
        else if (word === 'END') afterEnd = true;
        return;
      }
      default:
        begin(from);
        closeEnd();
        lastEnd = to;
    }
  });
  finish();
  return statements;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  let index = text.indexOf('\n', from);
  while (index !== -1 && index < to) {
    count += 1;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}
