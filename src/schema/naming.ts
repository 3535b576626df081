/**
 * The names PostgreSQL gives constraints and indexes that were declared without one (its `ChooseRelationName` and
 * `ChooseConstraintName`): a schema that leaves names out gets the names a database built from the same DDL has,
 * so autogenerate sees no phantom renames.
 */

/** Longest identifier PostgreSQL keeps (NAMEDATALEN - 1), in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

const encoder = new TextEncoder();
const bytes = (text: string): number => encoder.encode(text).length;

/** `text` cut to at most `limit` bytes without splitting a character. */
function clip(text: string, limit: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = bytes(char);
    if (used + size > limit) break;
    out += char;
    used += size;
  }
  return out;
}

/**
 * `name1_name2_label`, shortened to fit 63 bytes the way PostgreSQL does it: characters come off the longer of
 * `name1` and `name2` until the whole fits (PostgreSQL's `makeObjectName`).
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  const overhead = (label === '' ? 0 : bytes(label) + 1) + (name2 === undefined ? 0 : 1);
  const available = MAX_IDENTIFIER_BYTES - overhead;
  let name1Bytes = bytes(name1);
  let name2Bytes = name2 === undefined ? 0 : bytes(name2);
  while (name1Bytes + name2Bytes > available) {
    if (name1Bytes > name2Bytes) name1Bytes--;
    else name2Bytes--;
  }
  let name = clip(name1, name1Bytes);
  if (name2 !== undefined) name += `_${clip(name2, name2Bytes)}`;
  if (label !== '') name += `_${label}`;
  return name;
}

/** Column names joined with `_`, stopping once long enough to be cut anyway (`ChooseIndexNameAddition`). */
export function columnsAddition(columns: readonly string[]): string {
  let text = '';
  for (const column of columns) {
    if (text !== '') text += '_';
    text += column;
    if (bytes(text) > MAX_IDENTIFIER_BYTES) break;
  }
  return text;
}

/** The first name, from `label`, `label1`, `label2`…, that `taken` does not hold (`ChooseRelationName`). */
export function chooseName(
  name1: string,
  name2: string | undefined,
  label: string,
  taken: ReadonlySet<string>,
): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`);
    if (!taken.has(name)) return name;
  }
}

/** What PostgreSQL calls an unnamed object of each kind. */
export const defaultNames = {
  primaryKey: (table: string, taken: ReadonlySet<string>) => chooseName(table, undefined, 'pkey', taken),
  unique: (table: string, columns: readonly string[], taken: ReadonlySet<string>) =>
    chooseName(table, columnsAddition(columns), 'key', taken),
  foreignKey: (table: string, columns: readonly string[], taken: ReadonlySet<string>) =>
    chooseName(table, columnsAddition(columns), 'fkey', taken),
  /** A check naming one column is `table_column_check`; any other, `table_check`. */
  check: (table: string, column: string | undefined, taken: ReadonlySet<string>) =>
    chooseName(table, column, 'check', taken),
  exclude: (table: string, columns: readonly string[], taken: ReadonlySet<string>) =>
    chooseName(table, columnsAddition(columns), 'excl', taken),
  /** Index elements that are expressions count as the column `expr`. */
  index: (table: string, columns: readonly string[], taken: ReadonlySet<string>) =>
    chooseName(table, columnsAddition(columns), 'idx', taken),
  /** A serial column's sequence. */
  sequence: (table: string, column: string, taken: ReadonlySet<string>) =>
    chooseName(table, column, 'seq', taken),
};
