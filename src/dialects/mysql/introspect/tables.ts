/** Tables, their columns, keys, checks and indexes, assembled from the rows of one query per family. */

import { compact } from '../../../operations/validate.js';
import type {
  CheckModel,
  ForeignKeyModel,
  IndexElementModel,
  IndexModel,
  PrimaryKeyModel,
  ReferentialActionModel,
  TableModel,
  UniqueModel,
} from '../../../schema/model.js';
import { byName, groupBy } from '../../postgres/introspect/rows.js';
import { columnModel, isJsonTypeCheck, unescapeExpression } from './columns.js';
import type { CheckRow, ColumnRow, ForeignKeyColumnRow, IndexColumnRow, TableRow } from './queries.js';
import type { ServerFeatures } from './server.js';

const REFERENTIAL_ACTIONS: Readonly<Record<string, ReferentialActionModel>> = {
  'NO ACTION': 'no action',
  // InnoDB checks NO ACTION at once, as RESTRICT: one rule, which MariaDB reports as RESTRICT and MySQL as NO
  // ACTION when none was written. Reported alike, it never shows as a difference (see mysqlCanonical).
  RESTRICT: 'no action',
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
};

const MATCH_TYPES: Readonly<Record<string, ForeignKeyModel['match']>> = {
  NONE: 'simple',
  SIMPLE: 'simple',
  FULL: 'full',
  PARTIAL: 'partial',
};

/** The name MySQL gives every primary key (and its index). */
const PRIMARY_KEY_INDEX = 'PRIMARY';

/** MySQL names a primary key PRIMARY, always; the model names it as PostgreSQL would (compared by its columns). */
const primaryKeyName = (table: string): string => `${table}_pkey`;

export interface TableRows {
  readonly features: ServerFeatures;
  /** A database's name in the model (`main` for the session's own). */
  readonly schemaOf: (database: string) => string;
  /** Base tables only. */
  readonly tables: readonly TableRow[];
  readonly columns: readonly ColumnRow[];
  readonly indexes: readonly IndexColumnRow[];
  readonly foreignKeys: readonly ForeignKeyColumnRow[];
  readonly checks: readonly CheckRow[];
}

const tableKey = (row: { readonly schema: string; readonly table: string }): string =>
  `${row.schema}\u0000${row.table}`;

export function tableModels(rows: TableRows): TableModel[] {
  const columns = groupBy(rows.columns, tableKey);
  const indexes = groupBy(rows.indexes, tableKey);
  const foreignKeys = groupBy(rows.foreignKeys, tableKey);
  const checks = groupBy(rows.checks, tableKey);
  return rows.tables.map((table) => {
    const key = tableKey({ schema: table.schema, table: table.name });
    const ownColumns = columns.get(key) ?? [];
    const ownChecks = checks.get(key) ?? [];
    const jsonChecks = rows.features.mariadb ? jsonTypeChecks(ownChecks, ownColumns) : [];
    const jsonColumns = new Set(jsonChecks.map((check) => check.name));
    const keys = foreignKeyModels(foreignKeys.get(key) ?? [], rows.schemaOf);
    const definitions = indexDefinitions(indexes.get(key) ?? [], rows.features);
    const primaryKey = definitions.find((index) => index.name === PRIMARY_KEY_INDEX);
    // An index InnoDB made for a foreign key is the key's, and left out; once another index serves the key too,
    // it is one more index (InnoDB drops the one it made itself then, but not one made by CREATE INDEX).
    const others = definitions.filter(
      (index) =>
        index !== primaryKey &&
        !keys.some(
          (fk) =>
            backsForeignKey(index, fk, table.name) &&
            !definitions.some((other) => other !== index && servesForeignKey(other, fk)),
        ),
    );
    return compact<TableModel>({
      schema: rows.schemaOf(table.schema),
      name: table.name,
      columns: ownColumns.map((column) =>
        columnModel(column, {
          features: rows.features,
          tableCollation: table.collation,
          json: jsonColumns.has(column.name),
        }),
      ),
      primaryKey: primaryKey === undefined ? undefined : primaryKeyModel(table.name, primaryKey),
      foreignKeys: keys.sort(byName),
      uniques: others.filter(isUniqueConstraint).map(uniqueModel).sort(byName),
      checks: ownChecks
        .filter((check) => !jsonChecks.includes(check))
        .map((check) => checkModel(check, rows.features))
        .sort(byName),
      excludes: [],
      indexes: others
        .filter((index) => !isUniqueConstraint(index))
        .map(indexModel)
        .sort(byName),
      comment: table.comment === null || table.comment === '' ? undefined : table.comment,
      ...tableOptions(table),
    });
  });
}

/** The engine and collation, each only when not the default: the server's engine, the database's collation. */
function tableOptions(table: TableRow): Pick<TableModel, 'engine' | 'collation'> {
  const { engine, defaultEngine, collation, databaseCollation } = table;
  return compact({
    engine:
      engine === null || engine.toLowerCase() === (defaultEngine ?? '').toLowerCase() ? undefined : engine,
    collation: collation === null || collation === databaseCollation ? undefined : collation,
  });
}

/** The checks MariaDB adds to its JSON columns (see {@link isJsonTypeCheck}); each is named after its column. */
function jsonTypeChecks(checks: readonly CheckRow[], columns: readonly ColumnRow[]): CheckRow[] {
  return checks.filter((check) =>
    isJsonTypeCheck(
      check,
      columns.find((column) => column.name === check.name),
    ),
  );
}

/** An index as STATISTICS describes it, its key parts in order. */
interface IndexDefinition {
  readonly name: string;
  readonly unique: boolean;
  /** Lower case: `btree`, `hash`, `fulltext`, `spatial`. */
  readonly method: string;
  readonly parts: readonly IndexElementModel[];
}

function indexDefinitions(rows: readonly IndexColumnRow[], features: ServerFeatures): IndexDefinition[] {
  return [...groupBy(rows, (row) => row.name).values()].map((parts) => {
    const ordered = [...parts].sort((a, b) => Number(a.position) - Number(b.position));
    const first = ordered[0];
    const method = (first?.method ?? 'BTREE').toLowerCase();
    return {
      name: first?.name ?? '',
      unique: Number(first?.nonUnique) === 0,
      method,
      parts: ordered.map((part) => indexElement(part, method, features)),
    };
  });
}

/** A SPATIAL index reports the geometry's internal key length (32) as its prefix: it is not one the schema wrote. */
function indexElement(row: IndexColumnRow, method: string, features: ServerFeatures): IndexElementModel {
  const expression =
    row.column === null && row.expression !== null
      ? features.escapedExpressions
        ? unescapeExpression(row.expression)
        : row.expression
      : undefined;
  return compact<IndexElementModel>({
    column: row.column ?? undefined,
    expression,
    order: row.order === 'D' ? 'desc' : undefined,
    length: row.length === null || method === 'spatial' ? undefined : Number(row.length),
  });
}

/** A whole column in ascending order: what a constraint's key part can be. */
const isPlainColumn = (part: IndexElementModel): boolean =>
  part.column !== undefined && part.order === undefined && part.length === undefined;

const columnsOf = (index: IndexDefinition): string[] => index.parts.map((part) => part.column ?? '');

/**
 * Every unique constraint is a unique index in MySQL, and the catalog cannot tell which was declared how: a unique
 * index over whole columns in ascending order is modelled as the constraint; one with a prefix, a descending or
 * functional part, or another method is an index. HASH counts as a constraint: MariaDB builds a unique
 * constraint over TEXT or BLOB columns ("long unique") as a HASH index.
 */
function isUniqueConstraint(index: IndexDefinition): boolean {
  return (
    index.unique && (index.method === 'btree' || index.method === 'hash') && index.parts.every(isPlainColumn)
  );
}

/** MySQL names the foreign keys it names itself `<table>_ibfk_<n>`. */
const generatedForeignKeyName = (table: string, name: string): boolean =>
  name.startsWith(`${table}_ibfk_`) && /^\d+$/.test(name.slice(table.length + 6));

/** Whether an index can serve as a foreign key's: its first columns are the key's (InnoDB's requirement). */
function servesForeignKey(index: IndexDefinition, fk: ForeignKeyModel): boolean {
  return fk.columns.every((column, at) => index.parts[at]?.column === column);
}

/**
 * Whether `index` is the one MySQL created for a foreign key that no index served: the schema declared the key,
 * not the index, so the index is the key's. MySQL names it after the constraint, or, for a constraint it named
 * itself, after the key's first column (`user_id`, `user_id_2`…).
 */
function backsForeignKey(index: IndexDefinition, fk: ForeignKeyModel, table: string): boolean {
  if (index.unique || index.method !== 'btree' || !index.parts.every(isPlainColumn)) return false;
  const columns = columnsOf(index);
  if (columns.length !== fk.columns.length || columns.some((column, at) => column !== fk.columns[at]))
    return false;
  if (index.name === fk.name) return true;
  const first = fk.columns[0] ?? '';
  return (
    generatedForeignKeyName(table, fk.name) &&
    (index.name === first ||
      (index.name.startsWith(`${first}_`) && /^\d+$/.test(index.name.slice(first.length + 1))))
  );
}

function primaryKeyModel(table: string, index: IndexDefinition): PrimaryKeyModel {
  return { name: primaryKeyName(table), columns: columnsOf(index) };
}

function uniqueModel(index: IndexDefinition): UniqueModel {
  return { name: index.name, columns: columnsOf(index), deferrable: false, initiallyDeferred: false };
}

function indexModel(index: IndexDefinition): IndexModel {
  return { name: index.name, unique: index.unique, method: index.method, elements: index.parts };
}

function checkModel(row: CheckRow, features: ServerFeatures): CheckModel {
  return {
    name: row.name,
    expression: features.escapedExpressions ? unescapeExpression(row.expression) : row.expression,
  };
}

function foreignKeyModels(
  rows: readonly ForeignKeyColumnRow[],
  schemaOf: (database: string) => string,
): ForeignKeyModel[] {
  return [...groupBy(rows, (row) => row.name).values()].map((columns) => {
    const first = columns[0];
    return {
      name: first?.name ?? '',
      columns: columns.map((row) => row.column),
      references: {
        schema: schemaOf(first?.referencedSchema ?? ''),
        table: first?.referencedTable ?? '',
        columns: columns.map((row) => row.referencedColumn),
      },
      onDelete: REFERENTIAL_ACTIONS[first?.onDelete ?? ''] ?? 'no action',
      onUpdate: REFERENTIAL_ACTIONS[first?.onUpdate ?? ''] ?? 'no action',
      match: MATCH_TYPES[first?.match ?? 'NONE'] ?? 'simple',
      deferrable: false,
      initiallyDeferred: false,
    };
  });
}
