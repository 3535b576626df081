/**
 * Altering a column. MySQL changes a column's type, nullability or comment only by restating the whole column
 * (`MODIFY COLUMN`, or `CHANGE COLUMN` to rename it too), and whatever the restatement leaves out is gone: the
 * default, its ON UPDATE, the comment, AUTO_INCREMENT, the collation, a generated column's expression and kind
 * and, on MariaDB, a column-level CHECK. So the restatement is built from the change, the operation's `existing…`
 * fields and the table's present definition, in that order of precedence.
 */

import type { ColumnDefault } from '../../operations/definitions.js';
import type { OperationOf } from '../../operations/operation.js';
import type { ColumnModel, TableModel } from '../../schema/model.js';
import type { RenderContext, Sql, TableReference } from '../dialect.js';
import {
  autoIncrementStart,
  commentClause,
  defaultValue,
  generatedClause,
  reflectedDefault,
  statement,
} from './render-column.js';
import { qualifiedName, quoteIdentifier } from './render-literal.js';
import { mysqlColumnType } from './render-types.js';
import { unsupported } from './render-unsupported.js';

type AlterColumn = OperationOf<'alterColumn'>;

/** A default alone has a clause of its own (`ALTER COLUMN … SET DEFAULT`); the rest restates the column. */
function restatesColumn(op: AlterColumn): boolean {
  return (
    op.type !== undefined ||
    op.nullable !== undefined ||
    op.comment !== undefined ||
    op.identity !== undefined
  );
}

/**
 * The table whose present definition completes the restatement. Asked for even when the operation carries every
 * `existing…` field, because only the table tells AUTO_INCREMENT, ON UPDATE, the collation and a generated
 * expression.
 */
export function alterColumnTables(op: AlterColumn): TableReference[] {
  return restatesColumn(op) ? [{ schema: op.schema, name: op.table }] : [];
}

/** The column as it will be; `null` is "none", as in the operation's fields. */
interface RestatedColumn {
  readonly type: string;
  readonly nullable: boolean;
  /** The SQL after DEFAULT. */
  readonly default: string | null;
  readonly comment: string | null;
  readonly collation?: string;
  readonly autoIncrement: boolean;
  /** A generated column's expression, and whether it is VIRTUAL. */
  readonly generated?: string;
  readonly generatedKind?: 'virtual';
  /** The SQL after ON UPDATE. */
  readonly onUpdate?: string;
  /** MariaDB's column-level CHECK, which MODIFY drops unless restated. */
  readonly check?: string;
}

const firstKnown = <T>(...values: readonly (T | undefined)[]): T | undefined =>
  values.find((value) => value !== undefined);

const defaultOf = (value: ColumnDefault | null | undefined): string | null | undefined =>
  value === undefined || value === null ? value : defaultValue(value);

/**
 * MariaDB names a column-level CHECK after its column (MySQL names it `table_chk_n`, and keeps it apart from
 * the column). A check named after the column is taken for the column's own and restated with it.
 */
function columnCheck(table: TableModel | undefined, column: string): string | undefined {
  return table?.checks.find((check) => check.name === column)?.expression;
}

/** What every restatement needs, and the operation's field that can tell each. */
const EXISTING_FIELD = {
  type: 'existingType',
  nullable: 'existingNullable',
  default: 'existingDefault',
  comment: 'existingComment',
} as const;

type EssentialParts = Pick<RestatedColumn, keyof typeof EXISTING_FIELD>;

function missingFields(parts: Partial<EssentialParts>): string[] {
  return (Object.keys(EXISTING_FIELD) as (keyof EssentialParts)[])
    .filter((key) => parts[key] === undefined)
    .map((key) => EXISTING_FIELD[key]);
}

function isComplete(parts: Partial<EssentialParts>): parts is EssentialParts {
  return missingFields(parts).length === 0;
}

function restatedColumn(op: AlterColumn, context: RenderContext | undefined): RestatedColumn {
  const table = context?.table(op.schema, op.table);
  const present: ColumnModel | undefined = table?.columns.find((column) => column.name === op.column);
  // The column as the database has it wins over the operation's existing… fields, which may be stale (a migration
  // written against another state): they only stand in when the table cannot be read (--sql).
  const parts: Partial<EssentialParts> = {
    type: firstKnown(op.type, present?.type, op.existingType),
    nullable: firstKnown(op.nullable, present?.nullable, op.existingNullable),
    default: firstKnown(
      defaultOf(op.default),
      present === undefined ? undefined : (reflectedDefault(present.default) ?? null),
      defaultOf(op.existingDefault),
    ),
    comment: firstKnown<string | null>(
      op.comment,
      present === undefined ? undefined : (present.comment ?? null),
      op.existingComment,
    ),
  };
  if (!isComplete(parts)) {
    const missing = missingFields(parts);
    throw unsupported(
      `MySQL restates the whole column to alter it (MODIFY COLUMN), and the column ${JSON.stringify(op.column)} of ${JSON.stringify(op.table)} is not fully known: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`,
      `Pass ${missing.join(', ')} to op.alterColumn() (null for "no default"/"no comment"): MySQL restates the whole column, and --sql cannot read it from the database.`,
    );
  }
  const check = columnCheck(table, op.column);
  return {
    ...parts,
    // A new type brings its own character set and collation (written in `type` if wanted).
    ...(op.type === undefined && present?.collation !== undefined ? { collation: present.collation } : {}),
    autoIncrement: autoIncrementOf(op, present, table !== undefined),
    ...(present?.generated === undefined ? {} : { generated: present.generated }),
    ...(present?.generatedKind === undefined ? {} : { generatedKind: present.generatedKind }),
    ...(present?.onUpdate === undefined ? {} : { onUpdate: present.onUpdate }),
    ...(check === undefined ? {} : { check }),
  };
}

/**
 * Whether the restated column is AUTO_INCREMENT: what the operation makes it, else what the table has, else the
 * operation's existingIdentity (unread, in --sql). MySQL's identity takes no sequence options but its start.
 */
function autoIncrementOf(op: AlterColumn, present: ColumnModel | undefined, read: boolean): boolean {
  if (op.identity !== undefined && op.identity !== null) autoIncrementStart(op.column, op.identity);
  if (op.identity !== undefined) return op.identity !== null;
  if (read) return present?.identity !== undefined;
  return op.existingIdentity !== undefined && op.existingIdentity !== null;
}

/** The definition after the column's name in MODIFY/CHANGE COLUMN. */
function definition(column: RestatedColumn): string {
  const parts = [mysqlColumnType(column.type)];
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`);
  if (column.generated !== undefined) parts.push(generatedClause(column.generated, column.generatedKind));
  // MariaDB refuses an explicit NULL after a generated column, which is nullable unless said otherwise.
  if (!column.nullable) parts.push('NOT NULL');
  else if (column.generated === undefined) parts.push('NULL');
  if (column.default !== null) parts.push(`DEFAULT ${column.default}`);
  if (column.onUpdate !== undefined) parts.push(`ON UPDATE ${column.onUpdate}`);
  if (column.autoIncrement) parts.push('AUTO_INCREMENT');
  const comment = commentClause(column.comment ?? undefined);
  if (comment !== undefined) parts.push(comment);
  if (column.check !== undefined) parts.push(`CHECK (${column.check})`);
  return parts.join(' ');
}

/** A restated column check under the column's new name (MariaDB prints its column references quoted). */
function renamedCheck(column: RestatedColumn, from: string, to: string): RestatedColumn {
  if (column.check === undefined) return column;
  return { ...column, check: column.check.replaceAll(quoteIdentifier(from), quoteIdentifier(to)) };
}

/**
 * `MODIFY COLUMN` (or `CHANGE COLUMN` with a rename) when the type, nullability or comment changes; otherwise
 * `ALTER COLUMN … SET/DROP DEFAULT` and `RENAME COLUMN` (MariaDB 10.5+, MySQL 8.0+), which need nothing else.
 */
export function alterColumn(op: AlterColumn, context?: RenderContext): Sql[] {
  const table = `ALTER TABLE ${qualifiedName(op.schema, op.table)}`;
  const name = quoteIdentifier(op.column);
  if (op.using !== undefined) {
    throw unsupported(
      `MySQL has no USING for a type change: cannot convert the column ${JSON.stringify(op.column)} of ${JSON.stringify(op.table)} with it`,
      "Drop using: MySQL converts the values itself. To convert them otherwise, add a column, fill it with op.execute('UPDATE …'), and swap the two.",
    );
  }
  if (restatesColumn(op)) {
    const column = restatedColumn(op, context);
    // Unread (--sql), the column is restated from the existing… fields alone: what they cannot say is left out,
    // and the script says so where a DBA reviewing it will see it.
    const unread =
      context?.table(op.schema, op.table) === undefined
        ? `-- ${op.table}.${op.column} is restated from the operation's existing… fields: check that it had no AUTO_INCREMENT, ON UPDATE, collation, generated expression or CHECK of its own, which MODIFY would drop.\n`
        : '';
    // Where a new AUTO_INCREMENT starts is the table's option.
    const start =
      op.identity?.start === undefined ? '' : `, AUTO_INCREMENT = ${op.identity.start.toString()}`;
    if (op.newName === undefined)
      return [statement(`${unread}${table} MODIFY COLUMN ${name} ${definition(column)}${start}`)];
    const renamed = renamedCheck(column, op.column, op.newName);
    return [
      statement(
        `${unread}${table} CHANGE COLUMN ${name} ${quoteIdentifier(op.newName)} ${definition(renamed)}${start}`,
      ),
    ];
  }
  const statements: Sql[] = [];
  if (op.default !== undefined) {
    const action = op.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${defaultValue(op.default)}`;
    statements.push(statement(`${table} ALTER COLUMN ${name} ${action}`));
  }
  // MySQL refuses a rename in the same ALTER TABLE as another change to the column.
  if (op.newName !== undefined)
    statements.push(statement(`${table} RENAME COLUMN ${name} TO ${quoteIdentifier(op.newName)}`));
  return statements;
}
