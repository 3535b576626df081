/** A table model (src/schema/model.ts) written as SQLite DDL: what the move-and-copy rebuild creates. */
import type {
  CheckModel,
  ColumnModel,
  ForeignKeyModel,
  IndexElementModel,
  IndexModel,
  TableModel,
  UniqueModel,
} from '../../schema/model.js';
import {
  checkMatch,
  checkNullsOrder,
  checkStrictType,
  columnList,
  defaultClauseText,
  deferrableClause,
  noRowidToNumber,
  notRowid,
  referentialClauses,
  rowidType,
  tableOptionsClause,
  withoutRowidNeedsKey,
} from './render-clauses.js';
import { sqliteCannot } from './render-errors.js';
import { qualifiedName, quoteIdentifier } from './render-literal.js';
import { checkIndexMethod, checkUniqueOptions, EXCLUDE_MESSAGE, generatedClause } from './render-table.js';

/** How messages about rebuilding a table begin. */
export const tableWhere = (table: { readonly name: string }): string => `Table ${JSON.stringify(table.name)}`;

/** A model names every constraint; an empty name (a constraint SQLite holds unnamed) is written without one. */
function constraintPrefix(name: string): string {
  return name === '' ? '' : `CONSTRAINT ${quoteIdentifier(name)} `;
}

function checkIdentity(where: string, column: ColumnModel): void {
  const identity = column.identity;
  if (identity === undefined) return;
  const options = (['start', 'increment', 'minValue', 'maxValue', 'cache', 'cycle'] as const).filter(
    (key) => identity[key] !== undefined,
  );
  if (options.length > 0) {
    throw sqliteCannot(
      where,
      `SQLite's AUTOINCREMENT has no sequence options (${options.join(', ')} on column ${JSON.stringify(column.name)})`,
    );
  }
}

/**
 * `"name" type [COLLATE …] [GENERATED … | DEFAULT …] [NOT NULL]`, and for an identity column SQLite's
 * `INTEGER [CONSTRAINT …] PRIMARY KEY AUTOINCREMENT`. The comment is left out: SQLite has nowhere to keep it.
 */
function columnSql(
  where: string,
  table: TableModel,
  column: ColumnModel,
  primaryKeyName: string | undefined,
): string {
  checkIdentity(where, column);
  const identity = column.identity !== undefined;
  const type = identity ? rowidType(where, column.name, column.type) : column.type;
  if (table.strict === true) checkStrictType(where, column.name, type);
  const parts = [quoteIdentifier(column.name)];
  // SQLite columns may have no declared type at all.
  if (type.trim() !== '') parts.push(type);
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`);
  if (column.generated !== undefined) parts.push(generatedClause(column.generated, column.generatedKind));
  if (column.default !== undefined) parts.push(`DEFAULT ${defaultClauseText(column.default)}`);
  if (!column.nullable) parts.push('NOT NULL');
  if (primaryKeyName !== undefined)
    parts.push(`${constraintPrefix(primaryKeyName)}PRIMARY KEY AUTOINCREMENT`);
  return parts.join(' ');
}

function uniqueSql(where: string, unique: UniqueModel): string {
  checkUniqueOptions(where, unique);
  return `${constraintPrefix(unique.name)}UNIQUE ${columnList(unique.columns)}`;
}

/** NO INHERIT is about PostgreSQL's table inheritance, which SQLite does not have: nothing to inherit. */
function checkSql(check: CheckModel): string {
  return `${constraintPrefix(check.name)}CHECK (${check.expression})`;
}

/**
 * A foreign key. SQLite's REFERENCES names a table of the same database, so the model's reference schema (always
 * set, and the table's own) is not written; no referenced columns means the referenced table's primary key. NOT
 * VALID is a PostgreSQL state with no SQLite counterpart: SQLite checks a foreign key only when a row changes.
 */
function foreignKeySql(where: string, foreignKey: ForeignKeyModel): string {
  checkMatch(where, foreignKey.match);
  const target = quoteIdentifier(foreignKey.references.table);
  const columns =
    foreignKey.references.columns.length === 0 ? '' : ` ${columnList(foreignKey.references.columns)}`;
  return `${constraintPrefix(foreignKey.name)}FOREIGN KEY ${columnList(foreignKey.columns)} REFERENCES ${target}${columns}${referentialClauses(
    foreignKey,
    true,
  )}${deferrableClause(foreignKey, true)}`;
}

/** What a table model may hold that no SQLite table can have. */
function checkTableOptions(where: string, table: TableModel): void {
  if (table.excludes.length > 0) throw sqliteCannot(where, EXCLUDE_MESSAGE);
  if (table.partitionBy !== undefined || table.partitionOf !== undefined)
    throw sqliteCannot(where, 'SQLite has no partitioned tables');
  if (table.primaryKey?.include !== undefined && table.primaryKey.include.length > 0)
    throw sqliteCannot(where, 'SQLite primary keys have no INCLUDE columns');
  // `unlogged` is PostgreSQL's durability trade and is left out: SQLite keeps every table the same way.
  if (table.withoutRowid === true) {
    if (table.primaryKey === undefined) throw withoutRowidNeedsKey(where, table.name);
    const identity = table.columns.find((column) => column.identity !== undefined);
    if (identity !== undefined) throw noRowidToNumber(where, identity.name, 'an identity column');
  }
}

/**
 * `CREATE TABLE "schema"."name" (…) [STRICT] [, WITHOUT ROWID]` for `table`'s columns, constraints and options (its
 * indexes are separate statements). The comment is left out: SQLite has no COMMENT, and a comment changes nothing.
 */
export function createTableSql(table: TableModel, schema: string | undefined, name: string): string {
  const where = tableWhere(table);
  checkTableOptions(where, table);
  if (table.columns.length === 0) throw sqliteCannot(where, 'SQLite tables need at least one column');
  const primaryKey = table.primaryKey;
  const identities = table.columns.filter((column) => column.identity !== undefined);
  for (const column of identities) {
    if (primaryKey === undefined || primaryKey.columns.length !== 1 || primaryKey.columns[0] !== column.name)
      throw notRowid(where, column.name, 'an identity column');
  }
  const inlinePrimaryKey = identities.length > 0;
  const lines = [
    ...table.columns.map((column) =>
      columnSql(where, table, column, column.identity === undefined ? undefined : primaryKey?.name),
    ),
    ...(primaryKey === undefined || inlinePrimaryKey
      ? []
      : [`${constraintPrefix(primaryKey.name)}PRIMARY KEY ${columnList(primaryKey.columns)}`]),
    ...table.uniques.map((unique) => uniqueSql(where, unique)),
    ...table.checks.map(checkSql),
    ...table.foreignKeys.map((foreignKey) => foreignKeySql(where, foreignKey)),
  ];
  return `CREATE TABLE ${qualifiedName(schema, name)} (\n${lines.map((line) => `  ${line}`).join(',\n')}\n)${tableOptionsClause(table)}`;
}

function indexElementSql(where: string, element: IndexElementModel): string {
  const shown =
    element.column !== undefined ? quoteIdentifier(element.column) : `(${element.expression ?? ''})`;
  if (element.opclass !== undefined)
    throw sqliteCannot(where, `SQLite indexes have no operator classes (${element.opclass} on ${shown})`);
  checkNullsOrder(where, shown, element.order, element.nulls);
  let text = shown;
  if (element.collation !== undefined) text += ` COLLATE ${quoteIdentifier(element.collation)}`;
  if (element.order !== undefined) text += ` ${element.order.toUpperCase()}`;
  return text;
}

/** `CREATE [UNIQUE] INDEX "schema"."index" ON "table" (…) [WHERE …]`: in SQLite the schema goes on the index. */
export function createIndexSql(
  table: { readonly name: string },
  index: IndexModel,
  schema: string | undefined,
  tableName: string,
): string {
  const where = `${tableWhere(table)}, index ${JSON.stringify(index.name)}`;
  checkIndexMethod(where, index.method === '' ? undefined : index.method);
  if (index.include !== undefined && index.include.length > 0)
    throw sqliteCannot(where, 'SQLite indexes have no INCLUDE columns');
  if (index.nullsNotDistinct === true)
    throw sqliteCannot(where, 'SQLite unique indexes always let NULLs repeat (NULLS DISTINCT)');
  if (index.with !== undefined && index.with.length > 0)
    throw sqliteCannot(where, 'SQLite indexes have no storage parameters');
  const elements = index.elements.map((element) => indexElementSql(where, element)).join(', ');
  const predicate = index.where === undefined ? '' : ` WHERE ${index.where}`;
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${qualifiedName(schema, index.name)} ON ${quoteIdentifier(
    tableName,
  )} (${elements})${predicate}`;
}
