import type { Operation, OperationKind, OperationOf } from '../../operations/operation.js';
import type { SqlExpression } from '../../operations/sql-expression.js';
import type { RenderContext, Renderer, Sql, TableReference } from '../dialect.js';
import { batchAlterTable } from './render-batch.js';
import { statement } from './render-clauses.js';
import { bulkInsert, execute } from './render-data.js';
import { inline } from './render-inline.js';
import { literal, quoteIdentifier, renderExpression } from './render-literal.js';
import { createTrigger, createView, dropTrigger, dropView } from './render-objects.js';
import {
  addColumn,
  alterColumn,
  dropColumn,
  rebuildFor,
  type SqliteRenderContext,
  tablesNeeded,
} from './render-rebuild.js';
import { createIndex, createTable, dropIndex, dropTable, renameTable } from './render-table.js';
import {
  addEnumValue,
  alterSequence,
  createEnum,
  createExcludeConstraint,
  createExtension,
  createFunction,
  createMaterializedView,
  createSchema,
  createSequence,
  dropEnum,
  dropExtension,
  dropFunction,
  dropMaterializedView,
  dropSchema,
  dropSequence,
  refreshMaterializedView,
  renameEnumValue,
  setTableComment,
} from './render-unsupported.js';

export type { SqliteRenderContext } from './render-rebuild.js';

type RenderTable = {
  readonly [K in OperationKind]: (
    operation: OperationOf<K>,
    context: SqliteRenderContext | undefined,
  ) => Sql[];
};

// Exhaustive: a kind added to Operation without an entry here does not compile.
const RENDER: RenderTable = {
  createTable,
  dropTable,
  renameTable,
  setTableComment,
  addColumn,
  dropColumn,
  alterColumn,
  createIndex,
  dropIndex,
  createPrimaryKey: rebuildFor,
  createForeignKey: rebuildFor,
  createUniqueConstraint: rebuildFor,
  createCheckConstraint: rebuildFor,
  createExcludeConstraint,
  dropConstraint: rebuildFor,
  batchAlterTable,
  createEnum,
  dropEnum,
  addEnumValue,
  renameEnumValue,
  createSchema,
  dropSchema,
  createExtension,
  dropExtension,
  createSequence,
  alterSequence,
  dropSequence,
  createView,
  dropView,
  createMaterializedView,
  dropMaterializedView,
  refreshMaterializedView,
  createFunction,
  dropFunction,
  createTrigger,
  dropTrigger,
  execute,
  bulkInsert: (operation) => bulkInsert(operation),
  // The runtime handles the autocommit markers itself online; these are what an offline script needs.
  beginAutocommit: () => [statement('COMMIT')],
  endAutocommit: () => [statement('BEGIN')],
};

/**
 * SQLite's renderer. Identifiers are always quoted, DDL carries its values as literals and data statements as `?`
 * parameters. What SQLite cannot alter in place it rebuilds ("move and copy", see move-and-copy.ts) from the
 * table's present definition, which `render` reads from its context ({@link SqliteRenderContext}).
 */
export const sqliteRenderer: Renderer = Object.freeze({
  render(operation: Operation, context?: RenderContext): readonly Sql[] {
    const render = RENDER[operation.kind] as (
      operation: Operation,
      context: SqliteRenderContext | undefined,
    ) => Sql[];
    if (render === undefined) throw new TypeError(`Not an operation: ${JSON.stringify(operation)}`);
    return Object.freeze(render(operation, context).map((sql) => Object.freeze(sql)));
  },
  tablesNeeded: (operation: Operation): readonly TableReference[] => Object.freeze(tablesNeeded(operation)),
  placeholder: (_index: number) => '?',
  // SQLite keeps a column's declared type as written, and takes any name (its affinity comes from the words).
  columnType: (type: string) => type.trim().replace(/\s+/g, ' '),
  quoteIdentifier,
  literal,
  inline,
  expression: (expression: SqlExpression) => renderExpression(expression),
});
