/**
 * Operations MySQL has no counterpart for. Each throws an AmbixError that says what MySQL has instead, so that a
 * migration written for PostgreSQL fails at its first impossible step, before any SQL runs, with a way forward.
 */
import { AmbixError } from '../../errors.js';
import type { OperationOf } from '../../operations/operation.js';
import type { Sql } from '../dialect.js';
import { literal } from './render-literal.js';

/** What MySQL cannot do (`message`) and what to do instead (`hint`). */
export function unsupported(message: string, hint: string): AmbixError {
  return new AmbixError('FAILED', message, { hint });
}

const quoted = (name: string): string => JSON.stringify(name);

const ENUM_IS_A_COLUMN_TYPE = 'On MySQL an enum is a column type, written on each column that uses it';

export function createEnum(op: OperationOf<'createEnum'>): Sql[] {
  throw unsupported(
    `MySQL has no enum types: cannot create the enum type ${quoted(op.name)}`,
    `${ENUM_IS_A_COLUMN_TYPE}: type: "enum(${op.values.map(literal).join(', ')})".`,
  );
}

export function dropEnum(op: OperationOf<'dropEnum'>): Sql[] {
  throw unsupported(
    `MySQL has no enum types: cannot drop the enum type ${quoted(op.name)}`,
    `${ENUM_IS_A_COLUMN_TYPE}: it goes with its columns (op.dropColumn, or op.alterColumn to another type).`,
  );
}

export function addEnumValue(op: OperationOf<'addEnumValue'>): Sql[] {
  throw unsupported(
    `MySQL has no enum types: cannot add ${literal(op.value)} to the enum type ${quoted(op.name)}`,
    `${ENUM_IS_A_COLUMN_TYPE}: restate it with the new value, op.alterColumn(table, column, { type: "enum(…, ${literal(op.value)})" }).`,
  );
}

export function renameEnumValue(op: OperationOf<'renameEnumValue'>): Sql[] {
  throw unsupported(
    `MySQL has no enum types: cannot rename ${literal(op.from)} in the enum type ${quoted(op.name)}`,
    `${ENUM_IS_A_COLUMN_TYPE}: add ${literal(op.to)} to the column's type with op.alterColumn, move the rows with op.execute('UPDATE …'), then drop ${literal(op.from)} the same way.`,
  );
}

const NO_EXTENSIONS =
  "Install plugins and components outside migrations, or with op.execute('INSTALL PLUGIN …') or op.execute('INSTALL COMPONENT …').";

export function createExtension(op: OperationOf<'createExtension'>): Sql[] {
  throw unsupported(`MySQL has no extensions: cannot create the extension ${quoted(op.name)}`, NO_EXTENSIONS);
}

export function dropExtension(op: OperationOf<'dropExtension'>): Sql[] {
  throw unsupported(`MySQL has no extensions: cannot drop the extension ${quoted(op.name)}`, NO_EXTENSIONS);
}

export function createExcludeConstraint(op: OperationOf<'createExcludeConstraint'>): Sql[] {
  throw unsupported(
    `MySQL has no exclusion constraints: cannot add ${quoted(op.name)} to ${quoted(op.table)}`,
    "Enforce the rule with a unique index, with triggers (op.execute('CREATE TRIGGER …')) or in the application.",
  );
}

const NO_MATERIALIZED_VIEWS = 'MySQL has no materialized views';

export function createMaterializedView(op: OperationOf<'createMaterializedView'>): Sql[] {
  throw unsupported(
    `${NO_MATERIALIZED_VIEWS}: cannot create ${quoted(op.name)}`,
    "Use a plain view (op.createView), or a table filled with op.execute('INSERT INTO … SELECT …').",
  );
}

export function dropMaterializedView(op: OperationOf<'dropMaterializedView'>): Sql[] {
  throw unsupported(
    `${NO_MATERIALIZED_VIEWS}: cannot drop ${quoted(op.name)}`,
    'Drop the view or table that stands in for it (op.dropView, op.dropTable).',
  );
}

export function refreshMaterializedView(op: OperationOf<'refreshMaterializedView'>): Sql[] {
  throw unsupported(
    `${NO_MATERIALIZED_VIEWS}: cannot refresh ${quoted(op.name)}`,
    "Refill the table that stands in for it with op.execute('DELETE FROM …') and op.execute('INSERT INTO … SELECT …').",
  );
}

export function createTrigger(op: OperationOf<'createTrigger'>): Sql[] {
  throw unsupported(
    `MySQL triggers hold their own SQL rather than call a trigger function: cannot create the trigger ${quoted(op.name)} on ${quoted(op.table)}`,
    "Write it with op.execute('CREATE TRIGGER name BEFORE INSERT ON table FOR EACH ROW …'), one event per trigger; op.dropTrigger drops it.",
  );
}
