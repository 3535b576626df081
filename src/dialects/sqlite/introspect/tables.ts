/**
 * Tables assembled from the pragmas' rows (structure: columns, keys, indexes) and their stored CREATE statements
 * (what the pragmas leave out: names, checks, expressions, collations, AUTOINCREMENT, deferrability).
 *
 * SQLite keeps no name for a constraint declared without one. Those get PostgreSQL's default names
 * (`users_pkey`, `users_email_key`, `users_age_check`, `orders_user_id_fkey`; see schema/naming.ts), as the
 * schema DSL names the same declarations: chosen in declaration order, skipping names the table's named
 * constraints and the schema's tables, views and indexes already use. The choice depends on nothing else (not on
 * other tables' unnamed constraints, nor on what the filters keep), so it is stable from one reflection to the
 * next.
 */
import { compact } from '../../../operations/validate.js';
import type {
  CheckModel,
  ColumnModel,
  ForeignKeyModel,
  IndexElementModel,
  IndexModel,
  PrimaryKeyModel,
  ReferentialActionModel,
  TableModel,
  UniqueModel,
} from '../../../schema/model.js';
import { defaultNames } from '../../../schema/naming.js';
import { byName, groupBy, orUndefined } from '../../postgres/introspect/rows.js';
import { parseCreateIndex } from './create-index.js';
import { type ParsedColumn, type ParsedTable, parseCreateTable } from './create-table.js';
import type { ColumnRow, ForeignKeyRow, IndexColumnRow, SchemaObjectRow } from './queries.js';
import { asciiLower, identifierValue, isPunct, sameName, tokenize } from './tokens.js';

export interface TableSources {
  /** The tables read. */
  readonly tables: readonly SchemaObjectRow[];
  readonly columns: readonly ColumnRow[];
  readonly foreignKeys: readonly ForeignKeyRow[];
  readonly indexColumns: readonly IndexColumnRow[];
  /** Every object of the schemas read, whatever the filters: index statements, parents' names, names taken. */
  readonly objects: readonly SchemaObjectRow[];
}

const objectKey = (schema: string, name: string): string => JSON.stringify([schema, name]);

const REFERENTIAL_ACTIONS: ReadonlySet<string> = new Set<ReferentialActionModel>([
  'no action',
  'restrict',
  'cascade',
  'set null',
  'set default',
]);

export function tableModels(sources: TableSources): TableModel[] {
  const columns = groupBy(sources.columns, (row) => objectKey(row.schema, row.table));
  const foreignKeys = groupBy(sources.foreignKeys, (row) => objectKey(row.schema, row.table));
  const indexColumns = groupBy(sources.indexColumns, (row) => objectKey(row.schema, row.table));
  const context = schemaContext(sources.objects);
  return sources.tables.map((row) => {
    const key = objectKey(row.schema, row.name);
    return tableModel(
      row,
      parseCreateTable(row.sql ?? ''),
      {
        columns: columns.get(key) ?? [],
        foreignKeys: foreignKeys.get(key) ?? [],
        indexColumns: indexColumns.get(key) ?? [],
      },
      context,
    );
  });
}

/** What a table's model needs to know of the rest of its schema. */
interface SchemaContext {
  /** Names of tables, views and indexes, by schema. */
  readonly names: ReadonlyMap<string, readonly string[]>;
  /** Table names by schema and lower-cased name, to name a parent as it names itself. */
  readonly tables: ReadonlyMap<string, string>;
  /** Index statements by schema and name. */
  readonly indexSql: ReadonlyMap<string, string>;
}

function schemaContext(objects: readonly SchemaObjectRow[]): SchemaContext {
  const names = new Map<string, string[]>();
  const tables = new Map<string, string>();
  const indexSql = new Map<string, string>();
  for (const row of objects) {
    if (row.type === 'trigger') continue;
    const inSchema = names.get(row.schema);
    if (inSchema === undefined) names.set(row.schema, [row.name]);
    else inSchema.push(row.name);
    if (row.type === 'table') tables.set(objectKey(row.schema, asciiLower(row.name)), row.name);
    if (row.type === 'index' && row.sql !== null) indexSql.set(objectKey(row.schema, row.name), row.sql);
  }
  return { names, tables, indexSql };
}

interface OwnRows {
  readonly columns: readonly ColumnRow[];
  readonly foreignKeys: readonly ForeignKeyRow[];
  readonly indexColumns: readonly IndexColumnRow[];
}

/** Chooses an unnamed constraint's name, skipping the names taken, and takes it. */
type Namer = (choose: (taken: ReadonlySet<string>) => string) => string;

function namer(taken: Set<string>): Namer {
  return (choose) => {
    const name = choose(taken);
    taken.add(name);
    return name;
  };
}

function tableModel(
  row: SchemaObjectRow,
  parsed: ParsedTable,
  own: OwnRows,
  context: SchemaContext,
): TableModel {
  const table = row.name;
  const unnamed = namer(new Set([...(context.names.get(row.schema) ?? []), ...explicitNames(parsed)]));
  const keyColumns = own.columns
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);
  const identityColumn =
    parsed.primaryKey?.autoincrement === true && keyColumns.length === 1 ? keyColumns[0] : undefined;
  // Unnamed constraints are named kind by kind, each kind in declaration order.
  const primaryKey: PrimaryKeyModel | undefined =
    keyColumns.length === 0
      ? undefined
      : {
          name: parsed.primaryKey?.name ?? unnamed((taken) => defaultNames.primaryKey(table, taken)),
          columns: keyColumns,
        };
  const indexes = [...groupBy(own.indexColumns, (column) => column.index).values()];
  const uniques = uniqueModels(
    table,
    indexes.filter(([first]) => first?.origin === 'u'),
    parsed,
    unnamed,
  );
  const columnNames = own.columns.map((column) => column.name);
  const checks = parsed.checks.map(
    (check): CheckModel => ({
      name:
        check.name ??
        unnamed((taken) =>
          defaultNames.check(table, check.column ?? singleColumn(check.expression, columnNames), taken),
        ),
      expression: check.expression,
    }),
  );
  const foreignKeys = foreignKeyModels(row, own.foreignKeys, parsed, context, unnamed);
  return {
    schema: row.schema,
    name: table,
    columns: own.columns
      .filter((column) => column.hidden !== 1)
      .map((column) => columnModel(column, parsedColumn(parsed, column), column.name === identityColumn)),
    ...(primaryKey === undefined ? {} : { primaryKey }),
    foreignKeys: foreignKeys.sort(byName),
    uniques: uniques.sort(byName),
    checks: checks.sort(byName),
    excludes: [],
    indexes: indexes
      .filter(([first]) => first?.origin === 'c')
      .map((rows) => indexModel(rows, context.indexSql.get(objectKey(row.schema, rows[0]!.index)) ?? ''))
      .sort(byName),
    ...(row.strict === 1 ? { strict: true } : {}),
    ...(row.withoutRowid === 1 ? { withoutRowid: true } : {}),
  };
}

/** The names the statement gives its constraints: an unnamed one must not take them. */
function explicitNames(parsed: ParsedTable): string[] {
  const constraints = [parsed.primaryKey, ...parsed.uniques, ...parsed.checks, ...parsed.foreignKeys];
  return constraints.flatMap((constraint) => (constraint?.name === undefined ? [] : [constraint.name]));
}

/** The column's definition in the statement: at its position, unless the statement is not what it seems. */
function parsedColumn(parsed: ParsedTable, row: ColumnRow): ParsedColumn | undefined {
  const atPosition = parsed.columns[row.cid];
  if (atPosition !== undefined && sameName(atPosition.name, row.name)) return atPosition;
  return parsed.columns.find((column) => sameName(column.name, row.name));
}

function columnModel(row: ColumnRow, parsed: ParsedColumn | undefined, identity: boolean): ColumnModel {
  return compact<ColumnModel>({
    name: row.name,
    type: row.type,
    // As SQLite reports it. A rowid alias (INTEGER PRIMARY KEY) is reported nullable although it never holds
    // NULL, and a WITHOUT ROWID table's key columns NOT NULL although not declared so (a rebuild then writes
    // NOT NULL on them, which SQLite enforces there anyway): the comparison must read both models that way, the
    // one the SQLite renderer's DDL produces and the one reflected.
    nullable: row.notNull === 0,
    default: orUndefined(row.default),
    // AUTOINCREMENT numbers rows from sqlite_sequence, never reusing a number, and accepts explicit values.
    identity: identity ? { generated: 'byDefault' } : undefined,
    generated: row.hidden === 2 || row.hidden === 3 ? (parsed?.generated ?? '') : undefined,
    generatedKind: row.hidden === 2 ? 'virtual' : undefined,
    collation: parsed?.collation,
  });
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((column, at) => sameName(column, b[at]!));

/** `sqlite_autoindex_<table>_<n>` numbers a table's constraint indexes in declaration order. */
function autoindexNumber(name: string): number {
  const match = /_(\d+)$/.exec(name);
  return match === null ? Number.MAX_SAFE_INTEGER : Number(match[1]);
}

/**
 * UNIQUE constraints, as SQLite keeps them: it drops one that repeats another's columns or the primary key's, so
 * the indexes are the truth and the statement only names them (its `sqlite_autoindex_…` name is SQLite's own).
 */
function uniqueModels(
  table: string,
  indexes: readonly (readonly IndexColumnRow[])[],
  parsed: ParsedTable,
  unnamed: Namer,
): UniqueModel[] {
  const unmatched = [...parsed.uniques];
  const ordered = [...indexes].sort((a, b) => autoindexNumber(a[0]!.index) - autoindexNumber(b[0]!.index));
  return ordered.map((rows) => {
    const columns = rows.map((row) => row.column ?? '');
    const at = unmatched.findIndex((unique) => sameColumns(unique.columns, columns));
    const declared = at < 0 ? undefined : unmatched.splice(at, 1)[0];
    return {
      name: declared?.name ?? unnamed((taken) => defaultNames.unique(table, columns, taken)),
      columns,
      // SQLite has no deferrable UNIQUE constraints.
      deferrable: false,
      initiallyDeferred: false,
    };
  });
}

/** The one column of the table a check's expression names, as PostgreSQL picks a check's default name. */
function singleColumn(expression: string, columns: readonly string[]): string | undefined {
  const tokens = tokenize(expression);
  const found = new Set<string>();
  tokens.forEach((token, at) => {
    if (token.kind !== 'word' && token.kind !== 'quoted') return;
    // A name followed by `(` is a function's.
    if (isPunct(tokens[at + 1], '(')) return;
    const column = columns.find((name) => sameName(name, identifierValue(token)));
    if (column !== undefined) found.add(column);
  });
  return found.size === 1 ? [...found][0] : undefined;
}

function referentialAction(action: string): ReferentialActionModel {
  const lower = asciiLower(action);
  return REFERENTIAL_ACTIONS.has(lower) ? (lower as ReferentialActionModel) : 'no action';
}

/**
 * The pragma numbers foreign keys last declared first: read in declaration order, each takes the statement's
 * first unmatched clause with its columns and parent, for the name and the deferrability only the text has.
 */
function foreignKeyModels(
  row: SchemaObjectRow,
  rows: readonly ForeignKeyRow[],
  parsed: ParsedTable,
  context: SchemaContext,
  unnamed: Namer,
): ForeignKeyModel[] {
  const unmatched = [...parsed.foreignKeys];
  const groups = [...groupBy(rows, (fk) => String(fk.id)).values()].sort((a, b) => b[0]!.id - a[0]!.id);
  return groups.map((group) => {
    const first = group[0]!;
    const columns = group.map((fk) => fk.column);
    const at = unmatched.findIndex(
      (clause) => sameColumns(clause.columns, columns) && sameName(clause.table, first.parent),
    );
    const declared = at < 0 ? undefined : unmatched.splice(at, 1)[0];
    const referenced = group.map((fk) => fk.referenced);
    return {
      name: declared?.name ?? unnamed((taken) => defaultNames.foreignKey(row.name, columns, taken)),
      columns,
      references: {
        // A foreign key references a table of its own database.
        schema: row.schema,
        table: context.tables.get(objectKey(row.schema, asciiLower(first.parent))) ?? first.parent,
        // A parent that does not exist, or that has no primary key for `REFERENCES parent` to mean, leaves the
        // columns unknown: SQLite reports the mismatch only when the key is used.
        columns: referenced.every((column) => column !== null) ? referenced : [],
      },
      onDelete: referentialAction(first.onDelete),
      onUpdate: referentialAction(first.onUpdate),
      // SQLite parses MATCH and ignores it: a key with a NULL column is never checked, which is MATCH SIMPLE.
      match: 'simple',
      deferrable: declared?.deferrable ?? false,
      initiallyDeferred: declared?.initiallyDeferred ?? false,
    };
  });
}

/** An index made by CREATE INDEX; `sql` is its statement, for expressions, written collations and predicate. */
function indexModel(rows: readonly IndexColumnRow[], sql: string): IndexModel {
  const first = rows[0]!;
  const parsed = parseCreateIndex(sql);
  const where = first.partial === 1 ? parsed.where : undefined;
  return compact<IndexModel>({
    name: first.index,
    unique: first.unique === 1,
    // SQLite's indexes are all B-trees.
    method: 'btree',
    elements: rows.map((row, at) => {
      const element = parsed.elements[at];
      return compact<IndexElementModel>({
        column: row.cid >= 0 ? (row.column ?? undefined) : undefined,
        expression: row.cid >= 0 ? undefined : (element?.text ?? ''),
        collation: element?.collation,
        order: row.desc === 1 ? 'desc' : undefined,
      });
    }),
    where,
  });
}
