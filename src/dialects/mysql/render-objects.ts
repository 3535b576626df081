/** SQL for schemas (databases), sequences (MariaDB), views, routines and dropping triggers. */
import type { FunctionParameter } from '../../operations/function-operations.js';
import type { OperationOf } from '../../operations/operation.js';
import type { SequenceDefinitionWithNone } from '../../operations/sequence-operations.js';
import type { Sql } from '../dialect.js';
import { columnList, statement } from './render-column.js';
import { qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';
import { refuseCascade } from './render-table.js';
import { unsupported } from './render-unsupported.js';

const ifExists = (flag: boolean | undefined): string => (flag === true ? 'IF EXISTS ' : '');
const ifNotExists = (flag: boolean | undefined): string => (flag === true ? 'IF NOT EXISTS ' : '');

/**
 * A MySQL schema is a database (`CREATE SCHEMA` is a synonym of `CREATE DATABASE`), and tables name theirs as
 * `database`.`table`, so `schema` means the same on every operation. Databases have no owner.
 */
export function createSchema(op: OperationOf<'createSchema'>): Sql[] {
  if (op.authorization !== undefined) {
    throw unsupported(
      `MySQL databases have no owner: cannot create the database ${JSON.stringify(op.name)} with an authorization`,
      `Drop authorization, and grant privileges with op.execute('GRANT ALL ON ${quoteIdentifier(op.name)}.* TO …').`,
    );
  }
  return [statement(`CREATE DATABASE ${ifNotExists(op.ifNotExists)}${quoteIdentifier(op.name)}`)];
}

/**
 * `DROP DATABASE` drops everything in it, as PostgreSQL's `DROP SCHEMA … CASCADE` does; without `cascade` it
 * cannot refuse a non-empty database as PostgreSQL would, so a migration must empty it first, as the reverse of
 * a migration that filled it does.
 */
export function dropSchema(op: OperationOf<'dropSchema'>): Sql[] {
  return [statement(`DROP DATABASE ${ifExists(op.ifExists)}${quoteIdentifier(op.name)}`)];
}

function refuseOwner(owner: unknown, name: string): void {
  if (owner === undefined) return;
  throw unsupported(
    `MariaDB sequences have no owner: cannot tie the sequence ${JSON.stringify(name)} to a column`,
    'Drop ownedBy, and drop the sequence with its table (op.dropSequence).',
  );
}

function integer(value: number | bigint): string {
  return String(value);
}

/** MariaDB's spelling of the sequence options (`NOCYCLE`, not `NO CYCLE`). */
function sequenceClauses(definition: SequenceDefinitionWithNone): string {
  const parts: string[] = [];
  if (definition.as !== undefined) parts.push(`AS ${definition.as}`);
  if (definition.increment !== undefined) parts.push(`INCREMENT BY ${integer(definition.increment)}`);
  if (definition.minValue !== undefined) {
    parts.push(definition.minValue === null ? 'NO MINVALUE' : `MINVALUE ${integer(definition.minValue)}`);
  }
  if (definition.maxValue !== undefined) {
    parts.push(definition.maxValue === null ? 'NO MAXVALUE' : `MAXVALUE ${integer(definition.maxValue)}`);
  }
  if (definition.start !== undefined) parts.push(`START WITH ${integer(definition.start)}`);
  if (definition.cache !== undefined) parts.push(`CACHE ${integer(definition.cache)}`);
  if (definition.cycle !== undefined) parts.push(definition.cycle ? 'CYCLE' : 'NOCYCLE');
  return parts.map((part) => ` ${part}`).join('');
}

/** MariaDB 10.3+ (`AS type`: 11.5+); MySQL has no sequences and refuses the statement. */
export function createSequence(op: OperationOf<'createSequence'>): Sql[] {
  refuseOwner(op.ownedBy, op.name);
  return [
    statement(
      `CREATE SEQUENCE ${ifNotExists(op.ifNotExists)}${qualifiedName(op.schema, op.name)}${sequenceClauses(op)}`,
    ),
  ];
}

export function alterSequence(op: OperationOf<'alterSequence'>): Sql[] {
  refuseOwner(op.ownedBy, op.name);
  let sql = `ALTER SEQUENCE ${qualifiedName(op.schema, op.name)}${sequenceClauses(op)}`;
  if (op.restart === true) sql += ' RESTART';
  else if (op.restart !== undefined) sql += ` RESTART WITH ${integer(op.restart)}`;
  return [statement(sql)];
}

export function dropSequence(op: OperationOf<'dropSequence'>): Sql[] {
  refuseCascade(op.cascade, `the sequence ${JSON.stringify(op.name)}`);
  return [statement(`DROP SEQUENCE ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}`)];
}

export function createView(op: OperationOf<'createView'>): Sql[] {
  const orReplace = op.orReplace === true ? 'OR REPLACE ' : '';
  const columns = op.columns === undefined ? '' : ` ${columnList(op.columns)}`;
  return [
    statement(
      `CREATE ${orReplace}VIEW ${qualifiedName(op.schema, op.name)}${columns} AS ${renderExpression(op.query)}`,
    ),
  ];
}

export function dropView(op: OperationOf<'dropView'>): Sql[] {
  refuseCascade(op.cascade, `the view ${JSON.stringify(op.name)}`);
  return [statement(`DROP VIEW ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}`)];
}

function routineNoun(procedure: boolean | undefined): string {
  return procedure === true ? 'procedure' : 'function';
}

/** A routine's parameter: MySQL's are always named, have no defaults, and only procedures' have a mode. */
function parameter(p: FunctionParameter, routine: OperationOf<'createFunction'>): string {
  const what = `the ${routineNoun(routine.procedure)} ${JSON.stringify(routine.name)}`;
  if (p.name === undefined) {
    throw unsupported(
      `MySQL routine parameters are named: a parameter of ${what} has none`,
      'Give every parameter a name ({ name, type }).',
    );
  }
  if (p.default !== undefined) {
    throw unsupported(
      `MySQL routine parameters have no defaults: cannot render the parameter ${JSON.stringify(p.name)} of ${what}`,
      'Drop the default and pass the value in every call.',
    );
  }
  const mode = p.mode ?? 'in';
  if (mode === 'variadic' || (routine.procedure !== true && mode !== 'in')) {
    throw unsupported(
      `MySQL has no ${mode.toUpperCase()} parameters for a ${routineNoun(routine.procedure)}: cannot render the parameter ${JSON.stringify(p.name)} of ${what}`,
      routine.procedure === true
        ? 'Use in, out or inout.'
        : 'Return the value, or write a procedure (procedure: true) with out parameters.',
    );
  }
  const prefix = routine.procedure === true && p.mode !== undefined ? `${p.mode.toUpperCase()} ` : '';
  return `${prefix}${quoteIdentifier(p.name)} ${p.type}`;
}

// Return types that are PostgreSQL's alone: sets, tables, triggers and nothing at all.
const POSTGRES_RETURNS = /^(?:setof\s|table\s*\(|trigger$|void$)/i;

/** `DETERMINISTIC` is MySQL's IMMUTABLE; STABLE is the closest it has to reading without writing. */
const VOLATILITY = {
  immutable: 'DETERMINISTIC',
  stable: 'NOT DETERMINISTIC READS SQL DATA',
  volatile: 'NOT DETERMINISTIC',
} as const;

function refuseRoutineOptions(op: OperationOf<'createFunction'>): void {
  const what = `the ${routineNoun(op.procedure)} ${JSON.stringify(op.name)}`;
  if (op.language.toLowerCase() !== 'sql') {
    throw unsupported(
      `MySQL routines are written in SQL: cannot create ${what} in ${JSON.stringify(op.language)}`,
      "Write the body as a MySQL statement (RETURN …, or BEGIN … END) with language: 'sql', or create it with op.execute('CREATE FUNCTION …').",
    );
  }
  if (op.procedure !== true && POSTGRES_RETURNS.test(op.returns.trim())) {
    throw unsupported(
      `MySQL functions return one value: cannot create ${what} returning ${op.returns}`,
      'Return a scalar type, or write a procedure (procedure: true) that selects the rows.',
    );
  }
  if (op.strict === true || op.parallel !== undefined) {
    throw unsupported(
      `MySQL routines have no ${op.strict === true ? 'STRICT' : 'PARALLEL'} attribute: cannot create ${what}`,
      'Drop strict and parallel.',
    );
  }
  if (op.set !== undefined && Object.keys(op.set).length > 0) {
    throw unsupported(
      `MySQL routines take no settings (SET ${Object.keys(op.set).join(', ')}): cannot create ${what}`,
      'Drop set, or set the variables inside the body (SET @@SESSION.… = …).',
    );
  }
}

/**
 * `CREATE [OR REPLACE] FUNCTION name(…) RETURNS type …` or `CREATE PROCEDURE`, with `language: 'sql'` and a
 * MySQL body (`RETURN …`, `BEGIN … END`), sent as one statement (no DELIMITER needed). `OR REPLACE` is MariaDB's.
 * SQL SECURITY is always written, because the two databases differ in their default (PostgreSQL runs a routine
 * as its caller unless SECURITY DEFINER, MySQL as its definer).
 */
export function createFunction(op: OperationOf<'createFunction'>): Sql[] {
  refuseRoutineOptions(op);
  const orReplace = op.orReplace === true ? 'OR REPLACE ' : '';
  const lines = [
    `CREATE ${orReplace}${op.procedure === true ? 'PROCEDURE' : 'FUNCTION'} ${qualifiedName(op.schema, op.name)}(${op.parameters
      .map((p) => parameter(p, op))
      .join(', ')})`,
  ];
  if (op.procedure !== true) lines.push(` RETURNS ${op.returns}`);
  const characteristics = ['LANGUAGE SQL'];
  if (op.volatility !== undefined) characteristics.push(VOLATILITY[op.volatility]);
  characteristics.push(`SQL SECURITY ${op.securityDefiner === true ? 'DEFINER' : 'INVOKER'}`);
  lines.push(` ${characteristics.join(' ')}`, op.body);
  return [statement(lines.join('\n'))];
}

/** MySQL routines are not overloaded, so the name alone identifies one and `parameters` are not needed. */
export function dropFunction(op: OperationOf<'dropFunction'>): Sql[] {
  const procedure = op.procedure === true || op.existing?.procedure === true;
  refuseCascade(op.cascade, `the ${routineNoun(procedure)} ${JSON.stringify(op.name)}`);
  return [
    statement(
      `DROP ${procedure ? 'PROCEDURE' : 'FUNCTION'} ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}`,
    ),
  ];
}

/**
 * A trigger created with op.execute drops by name: MySQL names triggers per database, not per table. (Creating
 * one from the PostgreSQL shape, which calls a function, is refused: see render-unsupported.ts.)
 */
export function dropTrigger(op: OperationOf<'dropTrigger'>): Sql[] {
  refuseCascade(op.cascade, `the trigger ${JSON.stringify(op.name)}`);
  return [statement(`DROP TRIGGER ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}`)];
}
