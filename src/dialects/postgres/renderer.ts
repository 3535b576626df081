import type { Operation, OperationKind, OperationOf } from '../../operations/operation.js';
import type { SqlExpression } from '../../operations/sql-expression.js';
import { canonicalType } from '../../schema/types.js';
import { renderBatchInPlace } from '../batch-in-place.js';
import type { Renderer, Sql } from '../dialect.js';
import { bulkInsert, execute } from './render-data.js';
import { inline } from './render-inline.js';
import { literal, quoteIdentifier, renderExpression } from './render-literal.js';
import {
  addEnumValue,
  alterSequence,
  createEnum,
  createExtension,
  createFunction,
  createMaterializedView,
  createSchema,
  createSequence,
  createTrigger,
  createView,
  dropEnum,
  dropExtension,
  dropFunction,
  dropMaterializedView,
  dropSchema,
  dropSequence,
  dropTrigger,
  dropView,
  refreshMaterializedView,
  renameEnumValue,
} from './render-objects.js';
import {
  addColumn,
  addConstraint,
  alterColumn,
  createIndex,
  createTable,
  dropColumn,
  dropConstraint,
  dropIndex,
  dropTable,
  renameTable,
  setTableComment,
  statement,
} from './render-table.js';

type RenderTable = { readonly [K in OperationKind]: (operation: OperationOf<K>) => Sql[] };

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
  createPrimaryKey: addConstraint,
  createForeignKey: addConstraint,
  createUniqueConstraint: addConstraint,
  createCheckConstraint: addConstraint,
  createExcludeConstraint: addConstraint,
  dropConstraint,
  batchAlterTable: (batch) =>
    renderBatchInPlace(batch, 'PostgreSQL', (op) => (RENDER[op.kind] as (op: Operation) => Sql[])(op)),
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
 * PostgreSQL's renderer (also PGlite's). Identifiers are always quoted, DDL carries its values as escaped
 * literals (PostgreSQL cannot bind parameters in DDL) and data statements carry them as `$n` parameters.
 */
export const postgresRenderer: Renderer = Object.freeze({
  render(operation: Operation): readonly Sql[] {
    const render = RENDER[operation.kind] as (operation: Operation) => Sql[];
    if (render === undefined) throw new TypeError(`Not an operation: ${JSON.stringify(operation)}`);
    return Object.freeze(render(operation).map((sql) => Object.freeze(sql)));
  },
  placeholder: (index: number) => `$${index}`,
  columnType: canonicalType,
  quoteIdentifier,
  literal,
  inline,
  expression: (expression: SqlExpression) => renderExpression(expression),
});
