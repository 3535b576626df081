/**
 * What a stored `CREATE TABLE` statement says that SQLite's pragmas do not: constraint names, CHECK constraints,
 * generated columns' expressions, columns' collations, AUTOINCREMENT and foreign keys' deferrability. The pragmas
 * stay the source of truth for structure (columns, keys, indexes); this only adds what they leave out.
 *
 * The parser follows SQLite's grammar (`column-def`, `column-constraint`, `table-constraint`) loosely enough never
 * to fail: an unexpected token is skipped, so a statement it half understands still yields what it did understand.
 */
import {
  asciiLower,
  closingParen,
  identifierValue,
  isKeyword,
  isPunct,
  namesInParens,
  splitOnCommas,
  type Token,
  TokenCursor,
  textInParens,
  tokenize,
} from './tokens.js';

export interface ParsedColumn {
  readonly name: string;
  /** The `COLLATE` clause's collation, as written. */
  readonly collation?: string;
  /** A generated column's expression (`AS (…)`), as written. */
  readonly generated?: string;
}

export interface ParsedPrimaryKey {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly autoincrement: boolean;
}

export interface ParsedUnique {
  readonly name?: string;
  readonly columns: readonly string[];
}

export interface ParsedCheck {
  readonly name?: string;
  readonly expression: string;
  /** The column whose definition holds the check; absent for a table constraint. */
  readonly column?: string;
}

export interface ParsedForeignKey {
  readonly name?: string;
  readonly columns: readonly string[];
  /** The parent table and its columns, as written (the pragma resolves them). */
  readonly table: string;
  readonly referencedColumns: readonly string[];
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

/** A table's definition; constraints are in the order the statement declares them, column ones hoisted. */
export interface ParsedTable {
  readonly columns: readonly ParsedColumn[];
  readonly primaryKey?: ParsedPrimaryKey;
  readonly uniques: readonly ParsedUnique[];
  readonly checks: readonly ParsedCheck[];
  readonly foreignKeys: readonly ParsedForeignKey[];
}

interface Timing {
  deferrable: boolean;
  initiallyDeferred: boolean;
}

interface MutableForeignKey extends Omit<ParsedForeignKey, keyof Timing>, Timing {}

interface TableBuilder {
  columns: { name: string; collation?: string; generated?: string }[];
  primaryKey?: ParsedPrimaryKey;
  uniques: ParsedUnique[];
  checks: ParsedCheck[];
  foreignKeys: MutableForeignKey[];
}

/** Keywords that end a column's type name: each starts a column constraint. */
const COLUMN_CONSTRAINT_STARTS = new Set([
  'constraint',
  'primary',
  'not',
  'null',
  'unique',
  'check',
  'default',
  'collate',
  'references',
  'as',
  'deferrable',
]);

const TABLE_CONSTRAINT_STARTS = ['constraint', 'primary', 'unique', 'check', 'foreign'];

export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const table: TableBuilder = { columns: [], uniques: [], checks: [], foreignKeys: [] };
  // The table's name is one token (SQLite stores no schema before it): the first parenthesis opens the definitions.
  const open = tokens.findIndex((token) => isPunct(token, '('));
  if (open < 0) return table;
  const cursor = new TokenCursor(tokens, open + 1, closingParen(tokens, open));
  let inConstraints = false;
  while (!cursor.done) {
    if (cursor.atPunct(',')) {
      cursor.next();
      continue;
    }
    if (!inConstraints && TABLE_CONSTRAINT_STARTS.some((keyword) => cursor.at(keyword))) inConstraints = true;
    // Table constraints may follow each other without commas: SQLite's grammar makes the comma optional.
    if (inConstraints) parseTableConstraint(sql, cursor, table);
    else parseColumnDefinition(sql, cursor, table);
  }
  return table;
}

function atColumnConstraint(cursor: TokenCursor): boolean {
  const token = cursor.peek();
  if (token?.kind !== 'word') return false;
  return COLUMN_CONSTRAINT_STARTS.has(asciiLower(token.text)) || cursor.at('generated', 'always');
}

function parseColumnDefinition(sql: string, cursor: TokenCursor, table: TableBuilder): void {
  const nameToken = cursor.next();
  if (nameToken === undefined) return;
  const column: TableBuilder['columns'][number] = { name: identifierValue(nameToken) };
  table.columns.push(column);
  // The type name, which the pragma reports as written.
  while (!cursor.done && !cursor.atPunct(',') && !atColumnConstraint(cursor)) cursor.skip();
  let name: string | undefined;
  while (!cursor.done && !cursor.atPunct(',')) {
    if (cursor.eat('constraint')) {
      name = nameOf(cursor.next());
      continue;
    }
    parseColumnConstraint(sql, cursor, table, column, name);
    name = undefined;
  }
}

function nameOf(token: Token | undefined): string | undefined {
  return token === undefined ? undefined : identifierValue(token);
}

function parseColumnConstraint(
  sql: string,
  cursor: TokenCursor,
  table: TableBuilder,
  column: TableBuilder['columns'][number],
  name: string | undefined,
): void {
  const named = name === undefined ? {} : { name };
  if (cursor.eat('primary', 'key')) {
    if (!cursor.eat('asc')) cursor.eat('desc');
    skipConflictClause(cursor);
    table.primaryKey = { ...named, columns: [column.name], autoincrement: cursor.eat('autoincrement') };
  } else if (cursor.eat('not', 'null') || cursor.eat('null')) {
    skipConflictClause(cursor);
  } else if (cursor.eat('unique')) {
    skipConflictClause(cursor);
    table.uniques.push({ ...named, columns: [column.name] });
  } else if (cursor.eat('check')) {
    const expression = parenthesized(sql, cursor);
    if (expression !== undefined) table.checks.push({ ...named, expression, column: column.name });
  } else if (cursor.eat('default')) {
    // The pragma reports the default as SQLite keeps it; only the tokens are skipped here.
    if (cursor.atPunct('+') || cursor.atPunct('-')) cursor.next();
    cursor.skip();
  } else if (cursor.eat('collate')) {
    const collation = nameOf(cursor.next());
    if (collation !== undefined) column.collation = collation;
  } else if (cursor.at('references')) {
    table.foreignKeys.push({ ...named, columns: [column.name], ...parseReferences(cursor) });
  } else if (cursor.at('deferrable') || cursor.at('not', 'deferrable')) {
    // A column's deferrable clause may stand apart; SQLite applies it to the table's latest foreign key.
    const timing = parseTiming(cursor);
    const latest = table.foreignKeys.at(-1);
    if (latest !== undefined && timing !== undefined) Object.assign(latest, timing);
  } else if (cursor.eat('generated', 'always', 'as') || cursor.eat('as')) {
    const expression = parenthesized(sql, cursor);
    if (expression !== undefined) column.generated = expression;
    if (!cursor.eat('stored')) cursor.eat('virtual');
  } else {
    cursor.skip();
  }
}

function parseTableConstraint(sql: string, cursor: TokenCursor, table: TableBuilder): void {
  const name = cursor.eat('constraint') ? nameOf(cursor.next()) : undefined;
  const named = name === undefined ? {} : { name };
  if (cursor.eat('primary', 'key')) {
    const open = cursor.skip();
    table.primaryKey = {
      ...named,
      columns: open < 0 ? [] : namesInParens(cursor.tokens, open),
      autoincrement: open >= 0 && hasAutoincrement(cursor.tokens, open),
    };
    skipConflictClause(cursor);
  } else if (cursor.eat('unique')) {
    const open = cursor.skip();
    if (open >= 0) table.uniques.push({ ...named, columns: namesInParens(cursor.tokens, open) });
    skipConflictClause(cursor);
  } else if (cursor.eat('check')) {
    const expression = parenthesized(sql, cursor);
    if (expression !== undefined) table.checks.push({ ...named, expression });
    skipConflictClause(cursor);
  } else if (cursor.eat('foreign', 'key')) {
    const open = cursor.skip();
    const columns = open < 0 ? [] : namesInParens(cursor.tokens, open);
    if (cursor.at('references')) table.foreignKeys.push({ ...named, columns, ...parseReferences(cursor) });
  } else {
    cursor.skip();
  }
}

/** `PRIMARY KEY (id AUTOINCREMENT)`: SQLite accepts AUTOINCREMENT inside a table constraint's list too. */
function hasAutoincrement(tokens: readonly Token[], open: number): boolean {
  const [last] = splitOnCommas(tokens, open + 1, closingParen(tokens, open)).slice(-1);
  return (
    last !== undefined && tokens.slice(last[0], last[1]).some((token) => isKeyword(token, 'autoincrement'))
  );
}

/** A parenthesized expression's text; the cursor moves past it. */
function parenthesized(sql: string, cursor: TokenCursor): string | undefined {
  const open = cursor.skip();
  return open < 0 ? undefined : textInParens(sql, cursor.tokens, open);
}

/** `ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE`, which changes nothing the model holds. */
function skipConflictClause(cursor: TokenCursor): void {
  if (cursor.eat('on', 'conflict')) cursor.next();
}

/**
 * `REFERENCES parent [(columns)] [ON DELETE|UPDATE action | MATCH name]… [[NOT] DEFERRABLE [INITIALLY …]]`. The
 * actions come from the pragma; they are parsed only so that their NULL and DEFAULT start no new constraint.
 */
function parseReferences(cursor: TokenCursor): Omit<MutableForeignKey, 'name' | 'columns'> {
  cursor.eat('references');
  const table = nameOf(cursor.next()) ?? '';
  const open = cursor.atPunct('(') ? cursor.skip() : -1;
  const referencedColumns = open < 0 ? [] : namesInParens(cursor.tokens, open);
  for (;;) {
    if (cursor.eat('on', 'delete') || cursor.eat('on', 'update')) {
      if (!cursor.eat('set', 'null') && !cursor.eat('set', 'default') && !cursor.eat('no', 'action'))
        cursor.next();
    } else if (cursor.eat('match')) {
      cursor.next();
    } else {
      break;
    }
  }
  const timing = parseTiming(cursor) ?? { deferrable: false, initiallyDeferred: false };
  return { table, referencedColumns, ...timing };
}

/**
 * `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`, as written. SQLite defers only `DEFERRABLE INITIALLY
 * DEFERRED`; `DEFERRABLE` alone is reported deferrable but immediate, the way PostgreSQL would read it.
 */
function parseTiming(cursor: TokenCursor): Timing | undefined {
  const not = cursor.eat('not', 'deferrable');
  if (!not && !cursor.eat('deferrable')) return undefined;
  const deferred = cursor.eat('initially', 'deferred');
  if (!deferred) cursor.eat('initially', 'immediate');
  return not
    ? { deferrable: false, initiallyDeferred: false }
    : { deferrable: true, initiallyDeferred: deferred };
}
