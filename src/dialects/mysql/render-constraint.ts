/** Table constraints: how MySQL writes them, and how it drops each kind. */
import type { ForeignKeyActions, TableConstraint } from '../../operations/definitions.js';
import type { CreateConstraintOperation } from '../../operations/index-operations.js';
import type { OperationOf } from '../../operations/operation.js';
import type { RenderContext, Sql, TableReference } from '../dialect.js';
import { columnList, statement } from './render-column.js';
import { qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';
import { unsupported } from './render-unsupported.js';

type ConstraintType = TableConstraint['type'];

const NOUN: Record<ConstraintType, string> = {
  primaryKey: 'primary key',
  foreignKey: 'foreign key',
  unique: 'unique constraint',
  check: 'check constraint',
  exclude: 'exclusion constraint',
};

function describe(type: ConstraintType | undefined, name: string | undefined, table: string): string {
  const named = name === undefined ? '' : ` ${JSON.stringify(name)}`;
  return `the ${type === undefined ? 'constraint' : NOUN[type]}${named} of ${JSON.stringify(table)}`;
}

function refuse(flag: unknown, message: string, hint: string): void {
  if (flag !== undefined && flag !== false) throw unsupported(message, hint);
}

function refuseDeferrable(actions: ForeignKeyActions, what: string): void {
  refuse(
    actions.deferrable === true || actions.initiallyDeferred === true,
    `MySQL has no deferrable constraints: cannot make ${what} deferrable`,
    "MySQL checks constraints statement by statement: drop deferrable and initiallyDeferred, and order the statements so that each leaves the data consistent (or wrap them in op.execute('SET foreign_key_checks = 0') … 'SET foreign_key_checks = 1' for foreign keys).",
  );
}

function refuseInclude(include: readonly string[] | undefined, what: string): void {
  refuse(
    include,
    `MySQL indexes have no INCLUDE columns: cannot render ${what}`,
    'Drop include, or make the columns part of the key.',
  );
}

/** ` ON DELETE … ON UPDATE …`; InnoDB checks foreign keys as MATCH SIMPLE, so that is the only match it renders. */
export function referentialClauses(actions: ForeignKeyActions, what: string): string {
  refuseDeferrable(actions, what);
  refuse(
    actions.match === 'full' || actions.match === 'partial',
    `MySQL has no MATCH ${actions.match?.toUpperCase()} foreign keys: cannot render ${what}`,
    'Drop match: InnoDB checks a foreign key as MATCH SIMPLE does (a NULL in any of its columns skips the check).',
  );
  refuse(
    actions.onDelete === 'set default' || actions.onUpdate === 'set default',
    `InnoDB refuses SET DEFAULT as a referential action: cannot render ${what}`,
    "Use 'set null', 'cascade', 'restrict' or 'no action', or set the default with a trigger.",
  );
  let text = '';
  if (actions.onDelete !== undefined) text += ` ON DELETE ${actions.onDelete.toUpperCase()}`;
  if (actions.onUpdate !== undefined) text += ` ON UPDATE ${actions.onUpdate.toUpperCase()}`;
  return text;
}

/**
 * A table constraint as it appears in CREATE TABLE and ALTER TABLE … ADD. MySQL names every primary key
 * `PRIMARY` whatever it is called; a unique constraint is a unique index, named after the constraint.
 */
export function tableConstraint(constraint: TableConstraint, table: string, name = constraint.name): string {
  const what = describe(constraint.type, name, table);
  const prefix = name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(name)} `;
  switch (constraint.type) {
    case 'primaryKey':
      refuseInclude(constraint.include, what);
      return `${prefix}PRIMARY KEY ${columnList(constraint.columns)}`;
    case 'unique': {
      refuseInclude(constraint.include, what);
      refuseDeferrable(constraint, what);
      refuse(
        constraint.nullsNotDistinct,
        `MySQL has no NULLS NOT DISTINCT: cannot render ${what}`,
        'A MySQL unique index lets several rows hold NULL: make the columns NOT NULL, or drop nullsNotDistinct.',
      );
      const index = name === undefined ? '' : `${quoteIdentifier(name)} `;
      return `UNIQUE KEY ${index}${columnList(constraint.columns)}`;
    }
    case 'foreignKey': {
      refuse(
        constraint.notValid,
        `MySQL checks existing rows when it adds a foreign key: cannot add ${what} NOT VALID`,
        "Drop notValid; to skip the check, wrap the change in op.execute('SET foreign_key_checks = 0') and op.execute('SET foreign_key_checks = 1').",
      );
      const target = qualifiedName(constraint.references.schema, constraint.references.table);
      return `${prefix}FOREIGN KEY ${columnList(constraint.columns)} REFERENCES ${target} ${columnList(
        constraint.references.columns,
      )}${referentialClauses(constraint, what)}`;
    }
    case 'check':
      refuse(
        constraint.notValid,
        `MySQL checks existing rows when it adds a check constraint: cannot add ${what} NOT VALID`,
        'Drop notValid, and fix the rows that break the check first.',
      );
      refuse(
        constraint.noInherit,
        `MySQL tables have no inheritance: cannot add ${what} NO INHERIT`,
        'Drop noInherit.',
      );
      return `${prefix}CHECK (${renderExpression(constraint.expression)})`;
    case 'exclude':
      throw unsupported(
        `MySQL has no exclusion constraints: cannot render ${what}`,
        "Enforce the rule with a unique index, with triggers (op.execute('CREATE TRIGGER …')) or in the application.",
      );
  }
}

const CONSTRAINT_TYPE = {
  createPrimaryKey: 'primaryKey',
  createForeignKey: 'foreignKey',
  createUniqueConstraint: 'unique',
  createCheckConstraint: 'check',
  createExcludeConstraint: 'exclude',
} as const satisfies Record<CreateConstraintOperation['kind'], ConstraintType>;

export function addConstraint(op: CreateConstraintOperation): Sql[] {
  const { kind, schema, table, name, ...rest } = op;
  const constraint = { type: CONSTRAINT_TYPE[kind], ...rest } as TableConstraint;
  return [
    statement(`ALTER TABLE ${qualifiedName(schema, table)} ADD ${tableConstraint(constraint, table, name)}`),
  ];
}

/** MySQL's name for every primary key. */
const isPrimaryName = (name: string): boolean => name.toUpperCase() === 'PRIMARY';

/**
 * MySQL drops each kind of constraint its own way, so dropping one needs its kind: from the operation's
 * `existing`, from the table's present definition, or from the name `PRIMARY`.
 */
function kindToDrop(
  op: OperationOf<'dropConstraint'>,
  context: RenderContext | undefined,
): ConstraintType | undefined {
  if (op.existing !== undefined) return op.existing.type;
  if (isPrimaryName(op.name)) return 'primaryKey';
  const table = context?.table(op.schema, op.table);
  if (table === undefined) return undefined;
  const named = ({ name }: { readonly name: string }) => name === op.name;
  if (table.primaryKey !== undefined && named(table.primaryKey)) return 'primaryKey';
  if (table.foreignKeys.some(named)) return 'foreignKey';
  if (table.uniques.some(named) || table.indexes.some((index) => index.unique && named(index)))
    return 'unique';
  if (table.checks.some(named)) return 'check';
  if (table.excludes.some(named)) return 'exclude';
  return undefined;
}

/** The table whose definition tells which kind of constraint `op` drops, when the operation does not say. */
export function dropConstraintTables(op: OperationOf<'dropConstraint'>): TableReference[] {
  return op.existing === undefined && !isPrimaryName(op.name) ? [{ schema: op.schema, name: op.table }] : [];
}

/**
 * `DROP PRIMARY KEY`, `DROP FOREIGN KEY`, `DROP INDEX` (a unique constraint is an index) or `DROP CONSTRAINT`
 * (checks, and any kind on MariaDB 10.2+ and MySQL 8.0.19+, which is the fallback when the kind is unknown).
 * `IF EXISTS` is MariaDB's; a primary key is dropped as the index `PRIMARY`, which takes it.
 */
export function dropConstraint(op: OperationOf<'dropConstraint'>, context?: RenderContext): Sql[] {
  const type = kindToDrop(op, context);
  const what = describe(type, op.name, op.table);
  refuse(
    op.cascade,
    `MySQL has no DROP CONSTRAINT … CASCADE: cannot drop ${what} with its dependents`,
    'Drop the foreign keys that depend on it first (op.dropConstraint), then drop it without cascade.',
  );
  const ifExists = op.ifExists === true ? 'IF EXISTS ' : '';
  const name = quoteIdentifier(op.name);
  let action: string;
  switch (type) {
    case 'primaryKey':
      action =
        op.ifExists === true ? `DROP INDEX IF EXISTS ${quoteIdentifier('PRIMARY')}` : 'DROP PRIMARY KEY';
      break;
    case 'foreignKey':
      action = `DROP FOREIGN KEY ${ifExists}${name}`;
      break;
    case 'unique':
      action = `DROP INDEX ${ifExists}${name}`;
      break;
    case 'exclude':
      throw unsupported(
        `MySQL has no exclusion constraints: cannot drop ${what}`,
        'Drop whatever enforces the rule on MySQL (an index, triggers) instead.',
      );
    default:
      action = `DROP CONSTRAINT ${ifExists}${name}`;
  }
  return [statement(`ALTER TABLE ${qualifiedName(op.schema, op.table)} ${action}`)];
}
