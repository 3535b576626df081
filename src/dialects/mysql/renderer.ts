import type { Operation, OperationKind, OperationOf } from '../../operations/operation.js';
import type { SqlExpression } from '../../operations/sql-expression.js';
import type { RenderContext, Renderer, Sql, TableReference } from '../dialect.js';
import { alterColumn, alterColumnTables } from './render-alter-column.js';
import { batchAlterTable, batchTables } from './render-batch.js';
import { statement } from './render-column.js';
import { addConstraint, dropConstraint, dropConstraintTables } from './render-constraint.js';
import { bulkInsert, execute } from './render-data.js';
import { inline } from './render-inline.js';
import { literal, quoteIdentifier, renderExpression } from './render-literal.js';
import {
  alterSequence,
  createFunction,
  createSchema,
  createSequence,
  createView,
  dropFunction,
  dropSchema,
  dropSequence,
  dropTrigger,
  dropView,
} from './render-objects.js';
import {
  addColumn,
  createIndex,
  createTable,
  dropColumn,
  dropIndex,
  dropTable,
  renameTable,
  setTableComment,
} from './render-table.js';
import { mysqlDeclaredType } from './render-types.js';
import {
  addEnumValue,
  createEnum,
  createExcludeConstraint,
  createExtension,
  createMaterializedView,
  createTrigger,
  dropEnum,
  dropExtension,
  dropMaterializedView,
  refreshMaterializedView,
  renameEnumValue,
} from './render-unsupported.js';

type RenderTable = {
  readonly [K in OperationKind]: (operation: OperationOf<K>, context: RenderContext | undefined) => Sql[];
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
  createPrimaryKey: addConstraint,
  createForeignKey: addConstraint,
  createUniqueConstraint: addConstraint,
  createCheckConstraint: addConstraint,
  createExcludeConstraint,
  dropConstraint,
  batchAlterTable: (batch, context) => batchAlterTable(batch, context, renderOne),
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

function renderOne(operation: Operation, context: RenderContext | undefined): Sql[] {
  return (RENDER[operation.kind] as (operation: Operation, context: RenderContext | undefined) => Sql[])(
    operation,
    context,
  );
}

/** The operations whose rendering reads a table's present definition, and which table. */
function tablesNeeded(operation: Operation): readonly TableReference[] {
  switch (operation.kind) {
    case 'batchAlterTable':
      return Object.freeze(batchTables(operation, tablesNeeded));
    case 'alterColumn':
      return Object.freeze(alterColumnTables(operation));
    case 'dropConstraint':
      return Object.freeze(dropConstraintTables(operation));
    default:
      return Object.freeze([]);
  }
}

/**
 * MySQL's and MariaDB's renderer. Identifiers are always quoted with backticks, DDL carries its values as
 * escaped literals and data statements carry them as `?` parameters, bound in order. Where the two servers
 * differ, it writes what both take when there is such a form, and otherwise the newer syntax of either (noted
 * where it is written: `IF [NOT] EXISTS` on columns, indexes and constraints and sequences are MariaDB's,
 * expression index parts MySQL's).
 */
export const mysqlRenderer: Renderer = Object.freeze({
  render(operation: Operation, context?: RenderContext): readonly Sql[] {
    const render = RENDER[operation.kind] as
      | ((operation: Operation, context: RenderContext | undefined) => Sql[])
      | undefined;
    if (render === undefined) throw new TypeError(`Not an operation: ${JSON.stringify(operation)}`);
    return Object.freeze(render(operation, context).map((sql) => Object.freeze(sql)));
  },
  tablesNeeded,
  placeholder: (_index: number) => '?',
  columnType: mysqlDeclaredType,
  quoteIdentifier,
  literal,
  inline,
  expression: (expression: SqlExpression) => renderExpression(expression),
});
