/** SQL for enums, schemas, extensions, sequences, views, functions and triggers. */
import type { FunctionParameter, TriggerEvent } from '../../operations/function-operations.js';
import type { OperationOf } from '../../operations/operation.js';
import type { SequenceDefinitionWithNone } from '../../operations/sequence-operations.js';
import type { Sql } from '../dialect.js';
import { literal, qualifiedName, quoteIdentifier, renderExpression } from './render-literal.js';
import { columnList, defaultValue, sequenceParameters, statement } from './render-table.js';

const ifExists = (flag: boolean | undefined): string => (flag === true ? 'IF EXISTS ' : '');
const ifNotExists = (flag: boolean | undefined): string => (flag === true ? 'IF NOT EXISTS ' : '');
const cascade = (flag: boolean | undefined): string => (flag === true ? ' CASCADE' : '');

export function createEnum(op: OperationOf<'createEnum'>): Sql[] {
  return [
    statement(
      `CREATE TYPE ${qualifiedName(op.schema, op.name)} AS ENUM (${op.values.map(literal).join(', ')})`,
    ),
  ];
}

export function dropEnum(op: OperationOf<'dropEnum'>): Sql[] {
  return [
    statement(`DROP TYPE ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}${cascade(op.cascade)}`),
  ];
}

export function addEnumValue(op: OperationOf<'addEnumValue'>): Sql[] {
  let sql = `ALTER TYPE ${qualifiedName(op.schema, op.name)} ADD VALUE ${ifNotExists(op.ifNotExists)}${literal(op.value)}`;
  if (op.before !== undefined) sql += ` BEFORE ${literal(op.before)}`;
  if (op.after !== undefined) sql += ` AFTER ${literal(op.after)}`;
  return [statement(sql)];
}

export function renameEnumValue(op: OperationOf<'renameEnumValue'>): Sql[] {
  return [
    statement(
      `ALTER TYPE ${qualifiedName(op.schema, op.name)} RENAME VALUE ${literal(op.from)} TO ${literal(op.to)}`,
    ),
  ];
}

export function createSchema(op: OperationOf<'createSchema'>): Sql[] {
  const authorization =
    op.authorization === undefined ? '' : ` AUTHORIZATION ${quoteIdentifier(op.authorization)}`;
  return [
    statement(`CREATE SCHEMA ${ifNotExists(op.ifNotExists)}${quoteIdentifier(op.name)}${authorization}`),
  ];
}

export function dropSchema(op: OperationOf<'dropSchema'>): Sql[] {
  return [statement(`DROP SCHEMA ${ifExists(op.ifExists)}${quoteIdentifier(op.name)}${cascade(op.cascade)}`)];
}

export function createExtension(op: OperationOf<'createExtension'>): Sql[] {
  let sql = `CREATE EXTENSION ${ifNotExists(op.ifNotExists)}${quoteIdentifier(op.name)}`;
  if (op.schema !== undefined) sql += ` SCHEMA ${quoteIdentifier(op.schema)}`;
  if (op.version !== undefined) sql += ` VERSION ${literal(op.version)}`;
  return [statement(sql + cascade(op.cascade))];
}

export function dropExtension(op: OperationOf<'dropExtension'>): Sql[] {
  return [
    statement(`DROP EXTENSION ${ifExists(op.ifExists)}${quoteIdentifier(op.name)}${cascade(op.cascade)}`),
  ];
}

function sequenceClauses(definition: SequenceDefinitionWithNone): string {
  const parts: string[] = [];
  if (definition.as !== undefined) parts.push(`AS ${definition.as}`);
  parts.push(...sequenceParameters(definition));
  if (definition.ownedBy === null) parts.push('OWNED BY NONE');
  else if (definition.ownedBy !== undefined) {
    const owner = definition.ownedBy;
    parts.push(`OWNED BY ${qualifiedName(owner.schema, owner.table)}.${quoteIdentifier(owner.column)}`);
  }
  return parts.map((part) => ` ${part}`).join('');
}

export function createSequence(op: OperationOf<'createSequence'>): Sql[] {
  return [
    statement(
      `CREATE SEQUENCE ${ifNotExists(op.ifNotExists)}${qualifiedName(op.schema, op.name)}${sequenceClauses(op)}`,
    ),
  ];
}

export function alterSequence(op: OperationOf<'alterSequence'>): Sql[] {
  let sql = `ALTER SEQUENCE ${qualifiedName(op.schema, op.name)}${sequenceClauses(op)}`;
  if (op.restart === true) sql += ' RESTART';
  else if (op.restart !== undefined) sql += ` RESTART WITH ${String(op.restart)}`;
  return [statement(sql)];
}

export function dropSequence(op: OperationOf<'dropSequence'>): Sql[] {
  return [
    statement(
      `DROP SEQUENCE ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}${cascade(op.cascade)}`,
    ),
  ];
}

function viewColumns(columns: readonly string[] | undefined): string {
  return columns === undefined ? '' : ` ${columnList(columns)}`;
}

export function createView(op: OperationOf<'createView'>): Sql[] {
  const orReplace = op.orReplace === true ? 'OR REPLACE ' : '';
  return [
    statement(
      `CREATE ${orReplace}VIEW ${qualifiedName(op.schema, op.name)}${viewColumns(op.columns)} AS ${renderExpression(op.query)}`,
    ),
  ];
}

export function dropView(op: OperationOf<'dropView'>): Sql[] {
  return [
    statement(`DROP VIEW ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}${cascade(op.cascade)}`),
  ];
}

function withData(flag: boolean | undefined): string {
  return flag === undefined ? '' : flag ? ' WITH DATA' : ' WITH NO DATA';
}

export function createMaterializedView(op: OperationOf<'createMaterializedView'>): Sql[] {
  return [
    statement(
      `CREATE MATERIALIZED VIEW ${ifNotExists(op.ifNotExists)}${qualifiedName(op.schema, op.name)}${viewColumns(
        op.columns,
      )} AS ${renderExpression(op.query)}${withData(op.withData)}`,
    ),
  ];
}

export function dropMaterializedView(op: OperationOf<'dropMaterializedView'>): Sql[] {
  return [
    statement(
      `DROP MATERIALIZED VIEW ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}${cascade(op.cascade)}`,
    ),
  ];
}

export function refreshMaterializedView(op: OperationOf<'refreshMaterializedView'>): Sql[] {
  const concurrently = op.concurrently === true ? 'CONCURRENTLY ' : '';
  return [
    statement(
      `REFRESH MATERIALIZED VIEW ${concurrently}${qualifiedName(op.schema, op.name)}${withData(op.withData)}`,
    ),
  ];
}

function parameter(p: FunctionParameter, withDefault: boolean): string {
  const parts: string[] = [];
  if (p.mode !== undefined) parts.push(p.mode.toUpperCase());
  if (p.name !== undefined) parts.push(quoteIdentifier(p.name));
  parts.push(p.type);
  if (withDefault && p.default !== undefined) parts.push(`DEFAULT ${defaultValue(p.default)}`);
  return parts.join(' ');
}

/** `$$…$$`, or `$function$…$function$` (then `$function1$`…) when the body would end a shorter quote early. */
export function dollarQuote(body: string): string {
  for (let attempt = 0; ; attempt += 1) {
    const tag = attempt === 0 ? '$$' : `$function${attempt === 1 ? '' : attempt - 1}$`;
    if (`${body}${tag}`.indexOf(tag) === body.length) return `${tag}${body}${tag}`;
  }
}

export function createFunction(op: OperationOf<'createFunction'>): Sql[] {
  const orReplace = op.orReplace === true ? 'OR REPLACE ' : '';
  const lines = [
    `CREATE ${orReplace}${op.procedure === true ? 'PROCEDURE' : 'FUNCTION'} ${qualifiedName(op.schema, op.name)}(${op.parameters
      .map((p) => parameter(p, true))
      .join(', ')})`,
    ...(op.procedure === true ? [] : [` RETURNS ${op.returns}`]),
    ` LANGUAGE ${quoteIdentifier(op.language)}`,
  ];
  const attributes: string[] = [];
  if (op.volatility !== undefined) attributes.push(op.volatility.toUpperCase());
  if (op.strict === true) attributes.push('STRICT');
  if (op.securityDefiner === true) attributes.push('SECURITY DEFINER');
  if (op.parallel !== undefined) attributes.push(`PARALLEL ${op.parallel.toUpperCase()}`);
  if (attributes.length > 0) lines.push(` ${attributes.join(' ')}`);
  for (const [name, value] of Object.entries(op.set ?? {})) {
    lines.push(` SET ${name} = ${(typeof value === 'string' ? [value] : value).map(literal).join(', ')}`);
  }
  lines.push(`AS ${dollarQuote(op.body)}`);
  return [statement(lines.join('\n'))];
}

export function dropFunction(op: OperationOf<'dropFunction'>): Sql[] {
  const parameters =
    op.parameters === undefined ? '' : `(${op.parameters.map((p) => parameter(p, false)).join(', ')})`;
  return [
    statement(
      `DROP ${op.existing?.procedure === true || op.procedure === true ? 'PROCEDURE' : 'FUNCTION'} ${ifExists(op.ifExists)}${qualifiedName(op.schema, op.name)}${parameters}${cascade(op.cascade)}`,
    ),
  ];
}

function triggerEvent(event: TriggerEvent): string {
  return typeof event === 'string'
    ? event.toUpperCase()
    : `UPDATE OF ${event.update.map(quoteIdentifier).join(', ')}`;
}

export function createTrigger(op: OperationOf<'createTrigger'>): Sql[] {
  const orReplace = op.orReplace === true ? 'OR REPLACE ' : '';
  let sql = `CREATE ${orReplace}TRIGGER ${quoteIdentifier(op.name)} ${op.timing.toUpperCase()} ${op.events
    .map(triggerEvent)
    .join(' OR ')} ON ${qualifiedName(op.schema, op.table)} FOR EACH ${op.forEach.toUpperCase()}`;
  if (op.when !== undefined) sql += ` WHEN (${renderExpression(op.when)})`;
  const args = (op.functionArguments ?? []).map(literal).join(', ');
  sql += ` EXECUTE FUNCTION ${qualifiedName(op.function.schema, op.function.name)}(${args})`;
  return [statement(sql)];
}

export function dropTrigger(op: OperationOf<'dropTrigger'>): Sql[] {
  return [
    statement(
      `DROP TRIGGER ${ifExists(op.ifExists)}${quoteIdentifier(op.name)} ON ${qualifiedName(op.schema, op.table)}${cascade(
        op.cascade,
      )}`,
    ),
  ];
}
