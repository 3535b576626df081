/**
 * SQLite's "move and copy" (https://www.sqlite.org/lang_altertable.html#otheralter): SQLite alters a table in
 * place only to rename it or to add, drop or rename a column, so every other change builds the table anew under a
 * temporary name, copies the rows, drops the old table and renames the new one, as Alembic's batch mode does.
 *
 * Pure: table models in, statements out. The runtime runs them in one transaction with `PRAGMA foreign_keys`
 * off (dropping the old table must not cascade); the statements end with `PRAGMA foreign_key_check`, written so that
 * a row it finds fails them (see foreignKeyCheck).
 */
import type { AmbixError } from '../../errors.js';
import type { BatchExistingTable } from '../../operations/batch-operations.js';
import type { ColumnDefinition } from '../../operations/definitions.js';
import type { Operation, OperationOf } from '../../operations/operation.js';
import { compact, deepFreeze } from '../../operations/validate.js';
import type { ColumnModel, ForeignKeyModel, IndexModel, TableModel, ViewModel } from '../../schema/model.js';
import { defaultNames } from '../../schema/naming.js';
import type { Sql, TableDependents } from '../dialect.js';
import {
  checkMatch,
  checkReferenceSchema,
  columnList,
  defaultText,
  isSerialType,
  notRowid,
  rowidType,
  statement,
} from './render-clauses.js';
import { opName, sqliteCannot } from './render-errors.js';
import { failIfAnyRow } from './render-guard.js';
import {
  MAIN_SCHEMA,
  qualifiedName,
  quoteIdentifier,
  renderExpression,
  stringLiteral,
} from './render-literal.js';
import { createIndexSql, createTableSql, tableWhere } from './render-model.js';
import { mentionsColumn, renameColumnIn, sameName } from './render-scan.js';
import { checkUniqueOptions, EXCLUDE_MESSAGE, noCascade } from './render-table.js';

/**
 * Views and triggers to set aside while the table is rebuilt (the render context's {@link TableDependents}).
 * Dropping the old table takes its own triggers with it, so without these they are lost; views survive without
 * them (the rename runs with `legacy_alter_table` on, which leaves the views that name the table alone) but are
 * recreated from these when given, for a caller that wants them refreshed. Each is recreated from its stored SQL as
 * given, after the table is complete: a trigger's `definition` is its `CREATE TRIGGER …` statement as
 * `sqlite_schema.sql` keeps it (the SQLite introspector carries triggers as other objects of kind `trigger`).
 */
export type RebuildDependents = TableDependents;

export interface MoveAndCopyOptions {
  /**
   * What fills each column of the new table, by name: SQL over the old table's columns (`'"old_name"'`,
   * `'CAST("price" AS INTEGER)'`), or `null` for nothing (the column's default). A column not listed is copied
   * from the old column of the same name, if there is one.
   */
  readonly columnMap?: Readonly<Record<string, string | null>>;
  readonly dependents?: RebuildDependents;
  /** End with `PRAGMA foreign_key_check` (default true); false when the change asked not to check old rows. */
  readonly checkForeignKeys?: boolean;
}

/** The temporary name of the table being built; the rename at the end gives it the table's name. */
export const rebuildName = (table: string): string => `_ambix_new_${table}`;

/** The schema to write: none for `main` (where an unqualified name finds the object). */
function schemaOf(object: { readonly schema?: string }): string | undefined {
  return object.schema === MAIN_SCHEMA ? undefined : object.schema;
}

/** A column SQLite fills by itself: the rowid (identity) and generated columns, which cannot be written. */
function fillsItself(column: ColumnModel): boolean {
  return column.identity !== undefined || column.generated !== undefined;
}

/** The INSERT … SELECT that copies the rows into the new table. */
function copyRows(before: TableModel, after: TableModel, options: MoveAndCopyOptions, target: string): Sql[] {
  const targets: string[] = [];
  const sources: string[] = [];
  const old = qualifiedName(schemaOf(before), before.name);
  const guards: Sql[] = [];
  for (const column of after.columns) {
    if (column.generated !== undefined) continue;
    const mapped = options.columnMap?.[column.name];
    const source =
      mapped !== undefined
        ? mapped
        : before.columns.some((old) => old.name === column.name)
          ? quoteIdentifier(column.name)
          : null;
    if (source === null) {
      // As on PostgreSQL, a NOT NULL column without a default can join an empty table only.
      if (!column.nullable && column.default === undefined && !fillsItself(column)) {
        guards.push(
          ...failIfAnyRow(
            `ambix: table ${before.name} has rows, and its new NOT NULL column ${column.name} has no default to give them: give the column a default, or add it nullable, fill it (op.execute with an UPDATE) and then make it NOT NULL`,
            `SELECT 1 FROM ${old} LIMIT 1`,
          ),
        );
      }
      continue;
    }
    targets.push(quoteIdentifier(column.name));
    sources.push(source);
  }
  if (targets.length === 0 && before.withoutRowid !== true && after.withoutRowid !== true) {
    // No column is kept (every one replaced): the rows are carried by their rowids, the new columns take their
    // defaults, as adding and dropping the columns in place would leave them.
    targets.push('rowid');
    sources.push('rowid');
  }
  if (targets.length === 0) {
    // Without a rowid, nothing carries the rows through: they would all be lost.
    throw sqliteCannot(
      tableWhere(after),
      'no column of the rebuilt table comes from the old one, so its rows would be lost: keep a column, or drop and create the table',
    );
  }
  return [
    ...guards,
    statement(`INSERT INTO ${target} (${targets.join(', ')})\n  SELECT ${sources.join(', ')} FROM ${old}`),
  ];
}

/**
 * AUTOINCREMENT promises never to reuse a number, which SQLite keeps in `sqlite_sequence` under the table's name:
 * the new table takes over the old table's counter before the old row goes with the old table.
 */
function keepSequence(before: TableModel, after: TableModel): Sql[] {
  if (!after.columns.some((column) => column.identity !== undefined)) return [];
  const sequence = qualifiedName(schemaOf(after), 'sqlite_sequence');
  const temporary = stringLiteral(rebuildName(before.name));
  return [
    statement(`DELETE FROM ${sequence} WHERE name = ${temporary}`),
    statement(
      `INSERT INTO ${sequence} (name, seq) SELECT ${temporary}, seq FROM ${sequence} WHERE name = ${stringLiteral(before.name)}`,
    ),
  ];
}

function viewSql(view: ViewModel): string {
  if (view.materialized)
    throw sqliteCannot(`View ${JSON.stringify(view.name)}`, 'SQLite has no materialized views');
  const columns = view.columns === undefined ? '' : ` ${columnList(view.columns)}`;
  return `CREATE VIEW ${qualifiedName(schemaOf(view), view.name)}${columns} AS ${view.query}`;
}

/**
 * `PRAGMA foreign_key_check` for the rebuilt table, as statements that fail when it finds a row breaking a foreign
 * key (the new table's own, or another table's that references it): a rebuild runs with foreign keys off, and
 * this is the check SQLite would otherwise have made row by row. Online and offline alike.
 */
function foreignKeyCheck(schema: string | undefined, table: string): Sql[] {
  const database = schema === undefined ? '' : `, ${stringLiteral(schema)}`;
  return failIfAnyRow(
    `ambix: rows break a foreign key after rebuilding table ${table}; PRAGMA foreign_key_check lists them`,
    `SELECT "table" FROM pragma_foreign_key_check(${stringLiteral(table)}${database})`,
  );
}

/**
 * The statements that rebuild `before` as `after` (SQLite's twelve steps, those that are SQL): create the new
 * table, copy the rows, drop the old table, rename the new one, recreate the indexes (unique constraints are in
 * the table itself) and the dependents set aside, and check the foreign keys. Both models are SQLite's view of
 * the table: `schema` is the database (`main`, `temp` or an attached one), names are SQLite's.
 */
export function moveAndCopy(before: TableModel, after: TableModel, options: MoveAndCopyOptions = {}): Sql[] {
  if (before.schema !== after.schema) {
    throw sqliteCannot(
      tableWhere(before),
      `SQLite cannot move a table to another database (${after.schema})`,
    );
  }
  const schema = schemaOf(after);
  const temporary = qualifiedName(schema, rebuildName(before.name));
  const views = options.dependents?.views ?? [];
  const triggers = options.dependents?.triggers ?? [];
  return [
    ...[...views]
      .reverse()
      .map((view) => statement(`DROP VIEW IF EXISTS ${qualifiedName(schemaOf(view), view.name)}`)),
    ...triggers.map((trigger) =>
      statement(`DROP TRIGGER IF EXISTS ${qualifiedName(schemaOf(trigger), trigger.name)}`),
    ),
    statement(createTableSql(after, schema, rebuildName(before.name))),
    ...copyRows(before, after, options, temporary),
    ...keepSequence(before, after),
    statement(`DROP TABLE ${qualifiedName(schema, before.name)}`),
    // SQLite 3.26+ checks and rewrites every view and trigger naming a table it renames, and fails on those that
    // name the table just dropped; the legacy rename leaves them alone, and they find the new table by its name.
    statement('PRAGMA legacy_alter_table = ON'),
    statement(`ALTER TABLE ${temporary} RENAME TO ${quoteIdentifier(after.name)}`),
    statement('PRAGMA legacy_alter_table = OFF'),
    // An index SQLite made for an unnamed UNIQUE or PRIMARY KEY comes back with the constraint.
    ...after.indexes
      .filter((index) => !index.name.startsWith('sqlite_autoindex_'))
      .map((index) => statement(createIndexSql(after, index, schema, after.name))),
    ...views.map((view) => statement(viewSql(view))),
    ...triggers.map((trigger) => statement(trigger.definition)),
    ...(options.checkForeignKeys === false ? [] : foreignKeyCheck(schema, after.name)),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Operations applied to a table model: the `after` of a rebuild.

function freezeTable(table: TableModel): TableModel {
  return deepFreeze(compact(table));
}

function namesTaken(table: TableModel): Set<string> {
  return new Set([...constraintNames(table), ...table.indexes.map((index) => index.name)]);
}

function hasColumn(table: TableModel, name: string): boolean {
  return table.columns.some((column) => column.name === name);
}

function requireColumns(where: string, table: TableModel, columns: readonly string[]): void {
  const missing = columns.filter((column) => !hasColumn(table, column));
  if (missing.length > 0) {
    throw sqliteCannot(
      where,
      `table ${JSON.stringify(table.name)} has no column ${missing.map((column) => JSON.stringify(column)).join(', ')}`,
    );
  }
}

/** An empty name is an unnamed constraint (SQLite keeps those), of which a table may have several. */
function requireNewConstraintName(where: string, table: TableModel, name: string): void {
  if (name !== '' && namesTaken(table).has(name))
    throw sqliteCannot(
      where,
      `table ${JSON.stringify(table.name)} already has a constraint or index named ${JSON.stringify(name)}`,
    );
}

/**
 * A column definition as a table model of SQLite holds it (as its introspector reflects it): SQL as text, and the
 * column-level constraints left to the caller. A rowid column (identity or serial) is SQLite's INTEGER, nullable
 * unless declared NOT NULL (SQLite reports a rowid so, though it never holds NULL); an identity is `byDefault`,
 * because AUTOINCREMENT accepts the values it is given.
 */
function columnModelOf(where: string, column: ColumnDefinition): ColumnModel {
  const rowid = column.identity !== undefined || isSerialType(column.type);
  return compact({
    name: column.name,
    type: rowid ? rowidType(where, column.name, column.type) : column.type,
    nullable: rowid ? column.nullable !== false : (column.nullable ?? column.primaryKey !== true),
    default: column.default === undefined ? undefined : defaultText(column.default),
    identity: column.identity === undefined ? undefined : { generated: 'byDefault' as const },
    generated: column.generated === undefined ? undefined : renderExpression(column.generated),
    generatedKind: column.generatedKind === 'virtual' ? ('virtual' as const) : undefined,
    collation: column.collation,
    comment: column.comment,
  });
}

function foreignKeyModel(
  name: string,
  columns: readonly string[],
  references: { readonly schema: string; readonly table: string; readonly columns: readonly string[] },
  actions: OperationOf<'createForeignKey'> | NonNullable<ColumnDefinition['references']>,
): ForeignKeyModel {
  return {
    name,
    columns,
    references,
    onDelete: actions.onDelete ?? 'no action',
    onUpdate: actions.onUpdate ?? 'no action',
    match: actions.match ?? 'simple',
    deferrable: actions.deferrable ?? actions.initiallyDeferred ?? false,
    initiallyDeferred: actions.initiallyDeferred ?? false,
  };
}

function addColumn(table: TableModel, op: OperationOf<'addColumn'>): TableModel {
  const where = opName(op.kind);
  const column = op.column;
  if (hasColumn(table, column.name)) {
    if (op.ifNotExists === true) return table;
    throw sqliteCannot(
      where,
      `table ${JSON.stringify(table.name)} already has a column ${JSON.stringify(column.name)}`,
    );
  }
  const name = table.name;
  if (column.primaryKey === true && table.primaryKey !== undefined) {
    throw sqliteCannot(
      where,
      `table ${JSON.stringify(name)} already has a primary key (${JSON.stringify(table.primaryKey.name)}): drop it first`,
    );
  }
  // An identity column may get its key later in the same batch: the rebuilt table is checked as a whole
  // (createTableSql). A serial column becomes the rowid only by being declared the key with it.
  if (isSerialType(column.type) && column.identity === undefined && column.primaryKey !== true)
    throw notRowid(where, column.name, 'a serial column');
  const reference = column.references;
  if (reference !== undefined) {
    checkMatch(where, reference.match);
    checkReferenceSchema(where, reference.schema, op.schema);
  }
  const taken = namesTaken(table);
  return freezeTable({
    ...table,
    columns: [...table.columns, columnModelOf(where, column)],
    primaryKey:
      column.primaryKey === true
        ? { name: defaultNames.primaryKey(name, taken), columns: [column.name] }
        : table.primaryKey,
    uniques:
      column.unique === true
        ? [
            ...table.uniques,
            {
              name: defaultNames.unique(name, [column.name], taken),
              columns: [column.name],
              deferrable: false,
              initiallyDeferred: false,
            },
          ]
        : table.uniques,
    checks:
      column.check === undefined
        ? table.checks
        : [
            ...table.checks,
            {
              name: defaultNames.check(name, column.name, taken),
              expression: renderExpression(column.check),
            },
          ],
    foreignKeys:
      reference === undefined
        ? table.foreignKeys
        : [
            ...table.foreignKeys,
            foreignKeyModel(
              reference.name ?? defaultNames.foreignKey(name, [column.name], taken),
              [column.name],
              {
                schema: reference.schema ?? table.schema,
                table: reference.table,
                columns: reference.column === undefined ? [] : [reference.column],
              },
              reference,
            ),
          ],
  });
}

function indexUses(index: IndexModel, column: string): boolean {
  return (
    index.elements.some(
      (element) =>
        (element.column !== undefined && sameName(element.column, column)) ||
        (element.expression !== undefined && mentionsColumn(element.expression, column)),
    ) ||
    (index.where !== undefined && mentionsColumn(index.where, column))
  );
}

/**
 * Whether SQLite's ALTER TABLE DROP COLUMN can drop the column: it refuses one that is in a key, a constraint or
 * an index, or that another column's expression uses (and one a view or trigger uses, which the table cannot tell).
 */
export function dropsInPlace(table: TableModel, column: string): boolean {
  const named = (columns: readonly string[]) => columns.some((name) => sameName(name, column));
  return !(
    (table.primaryKey !== undefined && named(table.primaryKey.columns)) ||
    table.uniques.some((unique) => named(unique.columns)) ||
    table.foreignKeys.some((foreignKey) => named(foreignKey.columns)) ||
    table.indexes.some((index) => indexUses(index, column)) ||
    table.checks.some((check) => mentionsColumn(check.expression, column)) ||
    table.columns.some((other) => other.generated !== undefined && mentionsColumn(other.generated, column))
  );
}

/** As PostgreSQL does, the indexes and constraints of the table that involve the column go with it. */
function dropColumn(table: TableModel, op: OperationOf<'dropColumn'>): TableModel {
  const where = opName(op.kind);
  noCascade(where, op.cascade, `column ${JSON.stringify(op.column)}`);
  if (!hasColumn(table, op.column)) {
    if (op.ifExists === true) return table;
    throw sqliteCannot(
      where,
      `table ${JSON.stringify(table.name)} has no column ${JSON.stringify(op.column)}`,
    );
  }
  const user = table.columns.find(
    (other) => other.generated !== undefined && mentionsColumn(other.generated, op.column),
  );
  if (user !== undefined) {
    throw sqliteCannot(
      where,
      `the generated column ${JSON.stringify(user.name)} uses ${JSON.stringify(op.column)}: drop it first`,
    );
  }
  const involves = (columns: readonly string[]) => columns.includes(op.column);
  return freezeTable({
    ...table,
    columns: table.columns.filter((column) => column.name !== op.column),
    primaryKey:
      table.primaryKey !== undefined && involves(table.primaryKey.columns) ? undefined : table.primaryKey,
    uniques: table.uniques.filter((unique) => !involves(unique.columns)),
    foreignKeys: table.foreignKeys.filter((foreignKey) => !involves(foreignKey.columns)),
    checks: table.checks.filter((check) => !mentionsColumn(check.expression, op.column)),
    indexes: table.indexes.filter((index) => !indexUses(index, op.column)),
  });
}

/** A column renamed everywhere the table names it, as SQLite's RENAME COLUMN does. */
export function renameColumnInTable(table: TableModel, from: string, to: string): TableModel {
  const rename = (name: string) => (name === from ? to : name);
  const renameAll = (names: readonly string[]) => names.map(rename);
  const renameSql = (sql: string) => renameColumnIn(sql, from, to, quoteIdentifier);
  return freezeTable({
    ...table,
    columns: table.columns.map((column) =>
      compact({
        ...column,
        name: rename(column.name),
        generated: column.generated === undefined ? undefined : renameSql(column.generated),
      }),
    ),
    primaryKey:
      table.primaryKey === undefined
        ? undefined
        : { ...table.primaryKey, columns: renameAll(table.primaryKey.columns) },
    uniques: table.uniques.map((unique) => ({ ...unique, columns: renameAll(unique.columns) })),
    checks: table.checks.map((check) => ({ ...check, expression: renameSql(check.expression) })),
    foreignKeys: table.foreignKeys.map((foreignKey) => ({
      ...foreignKey,
      columns: renameAll(foreignKey.columns),
      references:
        foreignKey.references.table === table.name
          ? { ...foreignKey.references, columns: renameAll(foreignKey.references.columns) }
          : foreignKey.references,
    })),
    indexes: table.indexes.map((index) =>
      compact({
        ...index,
        elements: index.elements.map((element) =>
          compact({
            ...element,
            column: element.column === undefined ? undefined : rename(element.column),
            expression: element.expression === undefined ? undefined : renameSql(element.expression),
          }),
        ),
        where: index.where === undefined ? undefined : renameSql(index.where),
      }),
    ),
  });
}

function alterColumn(table: TableModel, op: OperationOf<'alterColumn'>): TableModel {
  requireColumns(opName(op.kind), table, [op.column]);
  const altered = freezeTable({
    ...table,
    columns: table.columns.map((column) => {
      if (column.name !== op.column) return column;
      const changed: ColumnModel = {
        ...column,
        type: op.type ?? column.type,
        nullable: op.nullable ?? column.nullable,
        default:
          op.default === undefined
            ? column.default
            : op.default === null
              ? undefined
              : defaultText(op.default),
        comment: op.comment === undefined ? column.comment : (op.comment ?? undefined),
        // SQLite's identity is the rowid's AUTOINCREMENT, which has no options (see columnModelOf).
        identity:
          op.identity === undefined
            ? column.identity
            : op.identity === null
              ? undefined
              : { generated: 'byDefault' as const },
      };
      return compact(changed);
    }),
  });
  return op.newName === undefined ? altered : renameColumnInTable(altered, op.column, op.newName);
}

function createPrimaryKey(table: TableModel, op: OperationOf<'createPrimaryKey'>): TableModel {
  const where = opName(op.kind);
  if (table.primaryKey !== undefined) {
    throw sqliteCannot(
      where,
      `table ${JSON.stringify(table.name)} already has a primary key (${JSON.stringify(table.primaryKey.name)}): drop it first`,
    );
  }
  if (op.include !== undefined)
    throw sqliteCannot(where, 'SQLite primary keys have no INCLUDE columns: leave include out');
  requireColumns(where, table, op.columns);
  requireNewConstraintName(where, table, op.name);
  // As on PostgreSQL, the key's columns become NOT NULL.
  return freezeTable({
    ...table,
    columns: table.columns.map((column) =>
      op.columns.includes(column.name) ? { ...column, nullable: false } : column,
    ),
    primaryKey: { name: op.name, columns: op.columns },
  });
}

function createForeignKey(table: TableModel, op: OperationOf<'createForeignKey'>): TableModel {
  const where = opName(op.kind);
  checkMatch(where, op.match);
  checkReferenceSchema(where, op.references.schema, op.schema);
  requireColumns(where, table, op.columns);
  requireNewConstraintName(where, table, op.name);
  const references = { schema: table.schema, table: op.references.table, columns: op.references.columns };
  return freezeTable({
    ...table,
    foreignKeys: [...table.foreignKeys, foreignKeyModel(op.name, op.columns, references, op)],
  });
}

function createUniqueConstraint(table: TableModel, op: OperationOf<'createUniqueConstraint'>): TableModel {
  const where = opName(op.kind);
  checkUniqueOptions(where, op);
  requireColumns(where, table, op.columns);
  requireNewConstraintName(where, table, op.name);
  return freezeTable({
    ...table,
    uniques: [
      ...table.uniques,
      { name: op.name, columns: op.columns, deferrable: false, initiallyDeferred: false },
    ],
  });
}

function createCheckConstraint(table: TableModel, op: OperationOf<'createCheckConstraint'>): TableModel {
  const where = opName(op.kind);
  if (op.notValid === true) {
    throw sqliteCannot(
      where,
      'SQLite checks every row it copies into the rebuilt table, so a CHECK cannot skip the rows already there (NOT VALID): fix those rows first (op.execute with an UPDATE), then leave notValid out',
    );
  }
  requireNewConstraintName(where, table, op.name);
  return freezeTable({
    ...table,
    checks: [...table.checks, { name: op.name, expression: renderExpression(op.expression) }],
  });
}

function constraintNames(table: TableModel): string[] {
  return [
    ...(table.primaryKey === undefined ? [] : [table.primaryKey.name]),
    ...[...table.foreignKeys, ...table.uniques, ...table.checks, ...table.excludes].map(
      (constraint) => constraint.name,
    ),
  ];
}

function dropConstraint(table: TableModel, op: OperationOf<'dropConstraint'>): TableModel {
  const where = opName(op.kind);
  noCascade(where, op.cascade, `constraint ${JSON.stringify(op.name)}`);
  const names = constraintNames(table);
  if (!names.includes(op.name)) {
    if (op.ifExists === true) return table;
    const known = names.filter((name) => name !== '');
    throw sqliteCannot(
      where,
      `table ${JSON.stringify(table.name)} has no constraint ${JSON.stringify(op.name)}${
        known.length === 0 ? '' : ` (it has ${known.map((name) => JSON.stringify(name)).join(', ')})`
      }`,
    );
  }
  const without = <T extends { readonly name: string }>(list: readonly T[]) =>
    list.filter((constraint) => constraint.name !== op.name);
  return freezeTable({
    ...table,
    primaryKey: table.primaryKey?.name === op.name ? undefined : table.primaryKey,
    foreignKeys: without(table.foreignKeys),
    uniques: without(table.uniques),
    checks: without(table.checks),
    excludes: without(table.excludes),
  });
}

function createIndex(table: TableModel, op: OperationOf<'createIndex'>): TableModel {
  if (op.ifNotExists === true && table.indexes.some((index) => index.name === op.name)) return table;
  requireNewConstraintName(opName(op.kind), table, op.name);
  const index: IndexModel = compact({
    name: op.name,
    unique: op.unique === true,
    method: op.using ?? 'btree',
    elements: op.columns.map((element) =>
      compact({
        column: 'column' in element ? element.column : undefined,
        expression: 'expression' in element ? renderExpression(element.expression) : undefined,
        collation: element.collation,
        opclass: element.opclass,
        order: element.order,
        nulls: element.nulls,
      }),
    ),
    include: op.include,
    where: op.where === undefined ? undefined : renderExpression(op.where),
    nullsNotDistinct: op.nullsNotDistinct,
    with:
      op.with === undefined ? undefined : Object.entries(op.with).map(([key, value]) => `${key}=${value}`),
  });
  return freezeTable({ ...table, indexes: [...table.indexes, index] });
}

function dropIndex(table: TableModel, op: OperationOf<'dropIndex'>): TableModel {
  if (!table.indexes.some((index) => index.name === op.name)) {
    if (op.ifExists === true) return table;
    throw sqliteCannot(
      opName(op.kind),
      `table ${JSON.stringify(table.name)} has no index ${JSON.stringify(op.name)}`,
    );
  }
  return freezeTable({ ...table, indexes: table.indexes.filter((index) => index.name !== op.name) });
}

/** An operation that does not concern this table cannot be folded into its rebuild. */
function checkSameTable(table: TableModel, op: Operation): void {
  const target = 'table' in op ? op.table : undefined;
  if (target !== undefined && target !== table.name) {
    throw sqliteCannot(
      opName(op.kind),
      `it changes table ${JSON.stringify(target)}, not ${JSON.stringify(table.name)}`,
    );
  }
}

/**
 * `table` as it is after `op`: the model a rebuild creates. Columns, keys, constraints, indexes, the name and the
 * comment; the SQL an operation carries is written with SQLite's literals. A no-op (`ifExists` on what is not
 * there, `ifNotExists` on what is) returns `table` itself.
 */
export function applyToTable(table: TableModel, op: Operation): TableModel {
  checkSameTable(table, op);
  switch (op.kind) {
    case 'addColumn':
      return addColumn(table, op);
    case 'dropColumn':
      return dropColumn(table, op);
    case 'alterColumn':
      return alterColumn(table, op);
    case 'createPrimaryKey':
      return createPrimaryKey(table, op);
    case 'createForeignKey':
      return createForeignKey(table, op);
    case 'createUniqueConstraint':
      return createUniqueConstraint(table, op);
    case 'createCheckConstraint':
      return createCheckConstraint(table, op);
    case 'dropConstraint':
      return dropConstraint(table, op);
    case 'createIndex':
      return createIndex(table, op);
    case 'dropIndex':
      return dropIndex(table, op);
    case 'renameTable':
      return freezeTable({ ...table, name: op.newName });
    case 'setTableComment':
      return freezeTable(compact({ ...table, comment: op.comment ?? undefined }));
    default:
      throw sqliteCannot(
        opName(op.kind),
        "it does not change a table's definition and cannot be part of a rebuild",
      );
  }
}

/** Several operations on one table folded into one rebuild: the new model and how to fill its columns. */
export interface TableChange {
  readonly table: TableModel;
  readonly columnMap: Readonly<Record<string, string | null>>;
  readonly checkForeignKeys: boolean;
}

/**
 * Folds `operations` (all on `table`) into one change, for one rebuild: renamed columns are filled from their
 * old name, a type change's `using` fills the column (it is SQL over the old table's columns), added and dropped
 * columns are filled by nobody. A foreign key added NOT VALID skips the final foreign key check, which is what
 * NOT VALID asks: the rows already there are not checked.
 */
export function foldOperations(table: TableModel, operations: readonly Operation[]): TableChange {
  const columnMap: Record<string, string | null> = {};
  let checkForeignKeys = true;
  let current = table;
  for (const op of operations) {
    if (op.kind === 'alterColumn') {
      if (op.using !== undefined) columnMap[op.column] = `(${renderExpression(op.using)})`;
      if (op.newName !== undefined) {
        const source = columnMap[op.column];
        columnMap[op.newName] =
          source !== undefined ? source : hasColumn(table, op.column) ? quoteIdentifier(op.column) : null;
        columnMap[op.column] = null;
      }
    } else if (op.kind === 'addColumn' && !hasColumn(current, op.column.name)) {
      columnMap[op.column.name] = null;
    } else if (op.kind === 'dropColumn') {
      columnMap[op.column] = null;
    } else if (op.kind === 'createForeignKey' && op.notValid === true) {
      checkForeignKeys = false;
    }
    current = applyToTable(current, op);
  }
  return { table: current, columnMap, checkForeignKeys };
}

/**
 * A change with the table the copy reads: the table as it is, or, for a table known only as it is after the change
 * (declared), as far as the copy needs it.
 */
export interface DeclaredChange extends TableChange {
  /** The columns the copy reads by their own name (the others it reads as `columnMap` says, or not at all). */
  readonly before: TableModel;
}

function declaredMismatch(table: TableModel, what: string): AmbixError {
  return sqliteCannot(
    tableWhere(table),
    `the schema module declares the table ${what}, unlike what this change makes of it: the module describes the table after the last migration, and a later migration changes it again`,
    'Pass the table as it is before the change as `existing` to op.batchAlterTable() (put the change in a batch), or run online.',
  );
}

/**
 * Folds `operations` into a rebuild whose result is `declared`: the table as the project's schema module declares
 * it, which is what the change makes of the table only when no later migration changes it (the runtime sees to
 * that). The table as it was is not known, so the copy is derived from the operations: columns they add start
 * empty, renamed ones come from their old name, `using` fills its column, and every other column of the declared
 * table comes from the column of the same name. The declared table must agree with the operations: it has the
 * columns and constraints they add and not those they drop.
 */
export function foldIntoDeclared(module: TableModel, operations: readonly Operation[]): DeclaredChange {
  // As SQLite reports a table (and as ambix creates one): a rowid is nullable, SQLite never storing NULL in it.
  const declared = freezeTable({
    ...module,
    columns: module.columns.map((column) =>
      column.identity === undefined ? column : { ...column, nullable: true },
    ),
  });
  const columnMap: Record<string, string | null> = {};
  let checkForeignKeys = true;
  const requireColumn = (name: string) => {
    if (!hasColumn(declared, name))
      throw declaredMismatch(declared, `without column ${JSON.stringify(name)}`);
  };
  const requireConstraint = (name: string, present: boolean) => {
    const names = [...constraintNames(declared), ...declared.indexes.map((index) => index.name)];
    if (names.includes(name) !== present) {
      throw declaredMismatch(
        declared,
        `${present ? 'without' : 'with'} a constraint or index ${JSON.stringify(name)}`,
      );
    }
  };
  for (const op of operations) {
    checkSameTable(declared, op);
    switch (op.kind) {
      case 'addColumn':
        if (op.ifNotExists === true) {
          throw sqliteCannot(
            opName(op.kind),
            `ifNotExists asks whether table ${JSON.stringify(declared.name)} has the column ${JSON.stringify(op.column.name)} already, which the schema module cannot tell`,
            'Leave ifNotExists out, or pass the table as it is as `existing` to op.batchAlterTable().',
          );
        }
        requireColumn(op.column.name);
        columnMap[op.column.name] = null;
        break;
      case 'dropColumn':
        if (hasColumn(declared, op.column)) {
          throw declaredMismatch(
            declared,
            `with column ${JSON.stringify(op.column)}, which this change drops`,
          );
        }
        columnMap[op.column] = null;
        break;
      case 'alterColumn': {
        if (op.using !== undefined) columnMap[op.column] = `(${renderExpression(op.using)})`;
        if (op.newName !== undefined) {
          const source = columnMap[op.column];
          columnMap[op.newName] = source !== undefined ? source : quoteIdentifier(op.column);
          columnMap[op.column] = null;
        }
        requireColumn(op.newName ?? op.column);
        break;
      }
      case 'createForeignKey':
        if (op.notValid === true) checkForeignKeys = false;
        requireConstraint(op.name, true);
        break;
      case 'createPrimaryKey':
      case 'createUniqueConstraint':
      case 'createCheckConstraint':
      case 'createIndex':
        requireConstraint(op.name, true);
        break;
      case 'dropConstraint':
      case 'dropIndex':
        requireConstraint(op.name, false);
        break;
      default:
        break;
    }
  }
  const before = freezeTable({
    ...declared,
    columns: declared.columns.filter((column) => columnMap[column.name] === undefined),
  });
  return { table: declared, before, columnMap, checkForeignKeys };
}

/**
 * A table definition as an operation gives it (a batch's `existing`: columns, constraints, indexes, STRICT and
 * WITHOUT ROWID) as the model of the table SQLite has: the column shorthands and the constraints applied as the
 * operations that add them would. Unnamed table constraints stay unnamed (written without CONSTRAINT), as SQLite
 * keeps them.
 */
export function tableOfDefinition(schema: string, name: string, definition: BatchExistingTable): TableModel {
  let table: TableModel = freezeTable({
    schema,
    name,
    columns: [],
    foreignKeys: [],
    uniques: [],
    checks: [],
    excludes: [],
    indexes: [],
  });
  const at = { schema: schema === MAIN_SCHEMA ? undefined : schema, table: name };
  for (const column of definition.columns) {
    table = applyToTable(table, compact({ kind: 'addColumn' as const, ...at, column }));
  }
  for (const constraint of definition.constraints) {
    const { type, name: constraintName, ...rest } = constraint;
    const named = { ...at, name: constraintName ?? '' };
    switch (type) {
      case 'primaryKey':
        table = applyToTable(table, { kind: 'createPrimaryKey', ...named, ...(rest as object) } as Operation);
        break;
      case 'foreignKey':
        table = applyToTable(table, { kind: 'createForeignKey', ...named, ...(rest as object) } as Operation);
        break;
      case 'unique':
        table = applyToTable(table, {
          kind: 'createUniqueConstraint',
          ...named,
          ...(rest as object),
        } as Operation);
        break;
      case 'check':
        table = applyToTable(table, {
          kind: 'createCheckConstraint',
          ...named,
          ...(rest as object),
        } as Operation);
        break;
      case 'exclude':
        throw sqliteCannot(tableWhere(table), EXCLUDE_MESSAGE);
    }
  }
  for (const index of definition.indexes ?? []) {
    table = applyToTable(table, { kind: 'createIndex', ...at, table: name, ...index } as Operation);
  }
  return freezeTable(
    compact({
      ...table,
      comment: definition.comment,
      strict: definition.strict === true ? (true as const) : undefined,
      withoutRowid: definition.withoutRowid === true ? (true as const) : undefined,
    }),
  );
}
