/** SQLite DDL for views and triggers. */
import type { OperationOf } from '../../operations/operation.js';
import type { Sql } from '../dialect.js';
import { columnList, statement } from './render-clauses.js';
import { opName, sqliteCannot } from './render-errors.js';
import { qualifiedName, renderExpression } from './render-literal.js';
import { noCascade } from './render-table.js';

/**
 * `CREATE VIEW "schema"."name" ("columns") AS query` (column names need SQLite 3.9+). SQLite has no OR REPLACE;
 * it keeps no record of what depends on a view either, so dropping and creating it is the same thing.
 */
export function createView(op: OperationOf<'createView'>): Sql[] {
  const name = qualifiedName(op.schema, op.name);
  const columns = op.columns === undefined ? '' : ` ${columnList(op.columns)}`;
  return [
    ...(op.orReplace === true ? [statement(`DROP VIEW IF EXISTS ${name}`)] : []),
    statement(`CREATE VIEW ${name}${columns} AS ${renderExpression(op.query)}`),
  ];
}

export function dropView(op: OperationOf<'dropView'>): Sql[] {
  noCascade(opName(op.kind), op.cascade, `view ${JSON.stringify(op.name)}`);
  return [
    statement(`DROP VIEW ${op.ifExists === true ? 'IF EXISTS ' : ''}${qualifiedName(op.schema, op.name)}`),
  ];
}

/** The trigger operations describe PostgreSQL's triggers, which call a function; SQLite's run their own body. */
export function createTrigger(op: OperationOf<'createTrigger'>): Sql[] {
  throw sqliteCannot(
    opName(op.kind),
    `SQLite triggers run a body of SQL statements, not a function (${op.function.name}): write trigger ${JSON.stringify(op.name)} with op.execute(\`CREATE TRIGGER … BEGIN … END\`) (op.dropTrigger drops it)`,
  );
}

/**
 * `DROP TRIGGER "schema"."name"`: a SQLite trigger's name is unique in its database, so the table is not written.
 * CASCADE is left out: nothing can depend on a trigger.
 */
export function dropTrigger(op: OperationOf<'dropTrigger'>): Sql[] {
  return [
    statement(`DROP TRIGGER ${op.ifExists === true ? 'IF EXISTS ' : ''}${qualifiedName(op.schema, op.name)}`),
  ];
}
