/**
 * Operations as the TypeScript a person would write in a migration: `await op.createTable('users', [...], {...});`.
 * Evaluating the code calls the `op` facade with arguments that build exactly the same operations (a test checks
 * it for every kind), so what autogenerate writes is what runs.
 */
import type { BatchTableOperation } from '../operations/batch-operations.js';
import type { Operation, OperationKind, OperationOf } from '../operations/operation.js';
import { isSqlExpression, type SqlExpression } from '../operations/sql-expression.js';
import { indentCode } from '../scripts/render.js';

/** A call: the facade method, its positional arguments, and the fields that go in its options object. */
interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
  readonly options?: Record<string, unknown>;
}

/** The fields of `operation` that are not `kind` or listed, with undefined ones left out. */
function rest<T extends Operation>(operation: T, ...taken: readonly (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(operation)) {
    if (name === 'kind' || taken.includes(name as keyof T) || value === undefined) continue;
    out[name] = value;
  }
  return out;
}

type CallOf = { readonly [K in OperationKind]: (operation: OperationOf<K>) => Call };

/** Every kind: adding one without its call is a compile error. */
const CALLS: CallOf = {
  createTable: (o) => {
    const { columns, constraints, ...options } = rest(o, 'table');
    const withConstraints =
      Array.isArray(constraints) && constraints.length > 0 ? { ...options, constraints } : options;
    return { method: 'createTable', args: [o.table, columns], options: withConstraints };
  },
  dropTable: (o) => ({ method: 'dropTable', args: [o.table], options: rest(o, 'table') }),
  renameTable: (o) => ({
    method: 'renameTable',
    args: [o.table, o.newName],
    options: rest(o, 'table', 'newName'),
  }),
  setTableComment: (o) => ({
    method: 'setTableComment',
    args: [o.table, o.comment],
    options: rest(o, 'table', 'comment'),
  }),
  addColumn: (o) => ({ method: 'addColumn', args: [o.table, o.column], options: rest(o, 'table', 'column') }),
  dropColumn: (o) => ({
    method: 'dropColumn',
    args: [o.table, o.column],
    options: rest(o, 'table', 'column'),
  }),
  alterColumn: (o) => ({
    method: 'alterColumn',
    args: [o.table, o.column, rest(o, 'table', 'column')],
  }),
  createIndex: (o) => ({
    method: 'createIndex',
    args: [o.name, o.table, o.columns.map(indexElement)],
    options: rest(o, 'name', 'table', 'columns'),
  }),
  dropIndex: (o) => ({ method: 'dropIndex', args: [o.name], options: rest(o, 'name') }),
  createPrimaryKey: (o) => ({
    method: 'createPrimaryKey',
    args: [o.name, o.table, o.columns],
    options: rest(o, 'name', 'table', 'columns'),
  }),
  createForeignKey: (o) => ({
    method: 'createForeignKey',
    args: [o.name, o.table, o.columns, o.references],
    options: rest(o, 'name', 'table', 'columns', 'references'),
  }),
  createUniqueConstraint: (o) => ({
    method: 'createUniqueConstraint',
    args: [o.name, o.table, o.columns],
    options: rest(o, 'name', 'table', 'columns'),
  }),
  createCheckConstraint: (o) => ({
    method: 'createCheckConstraint',
    args: [o.name, o.table, o.expression],
    options: rest(o, 'name', 'table', 'expression'),
  }),
  createExcludeConstraint: (o) => ({
    method: 'createExcludeConstraint',
    args: [o.name, o.table, o.elements],
    options: rest(o, 'name', 'table', 'elements'),
  }),
  dropConstraint: (o) => ({
    method: 'dropConstraint',
    args: [o.name, o.table],
    options: rest(o, 'name', 'table'),
  }),
  // Written as the call with its callback, in renderBatch.
  batchAlterTable: () => {
    throw new TypeError('batches are written by renderBatch');
  },
  createEnum: (o) => ({ method: 'createEnum', args: [o.name, o.values], options: rest(o, 'name', 'values') }),
  dropEnum: (o) => ({ method: 'dropEnum', args: [o.name], options: rest(o, 'name') }),
  addEnumValue: (o) => ({
    method: 'addEnumValue',
    args: [o.name, o.value],
    options: rest(o, 'name', 'value'),
  }),
  renameEnumValue: (o) => ({
    method: 'renameEnumValue',
    args: [o.name, o.from, o.to],
    options: rest(o, 'name', 'from', 'to'),
  }),
  createSchema: (o) => ({ method: 'createSchema', args: [o.name], options: rest(o, 'name') }),
  dropSchema: (o) => ({ method: 'dropSchema', args: [o.name], options: rest(o, 'name') }),
  createExtension: (o) => ({ method: 'createExtension', args: [o.name], options: rest(o, 'name') }),
  dropExtension: (o) => ({ method: 'dropExtension', args: [o.name], options: rest(o, 'name') }),
  createSequence: (o) => ({ method: 'createSequence', args: [o.name], options: rest(o, 'name') }),
  alterSequence: (o) => ({ method: 'alterSequence', args: [o.name, rest(o, 'name')] }),
  dropSequence: (o) => ({ method: 'dropSequence', args: [o.name], options: rest(o, 'name') }),
  createView: (o) => ({ method: 'createView', args: [o.name, o.query], options: rest(o, 'name', 'query') }),
  dropView: (o) => ({ method: 'dropView', args: [o.name], options: rest(o, 'name') }),
  createMaterializedView: (o) => ({
    method: 'createMaterializedView',
    args: [o.name, o.query],
    options: rest(o, 'name', 'query'),
  }),
  dropMaterializedView: (o) => ({ method: 'dropMaterializedView', args: [o.name], options: rest(o, 'name') }),
  refreshMaterializedView: (o) => ({
    method: 'refreshMaterializedView',
    args: [o.name],
    options: rest(o, 'name'),
  }),
  createFunction: (o) => ({ method: 'createFunction', args: [o.name, rest(o, 'name')] }),
  dropFunction: (o) => ({ method: 'dropFunction', args: [o.name], options: rest(o, 'name') }),
  createTrigger: (o) => ({ method: 'createTrigger', args: [o.name, o.table, rest(o, 'name', 'table')] }),
  dropTrigger: (o) => ({ method: 'dropTrigger', args: [o.name, o.table], options: rest(o, 'name', 'table') }),
  execute: (o) => ({ method: 'execute', args: o.params === undefined ? [o.sql] : [o.sql, o.params] }),
  bulkInsert: (o) => ({ method: 'bulkInsert', args: [o.table, o.rows], options: rest(o, 'table', 'rows') }),
  // Written as the block around the calls between them, in renderOperationCalls.
  beginAutocommit: () => {
    throw new TypeError('autocommit markers are not written as calls');
  },
  endAutocommit: () => {
    throw new TypeError('autocommit markers are not written as calls');
  },
};

/** Where each change of a batch takes the table, which `batch.…()` leaves out (dropIndex takes it as an option). */
const TABLE_ARGUMENT: Readonly<Record<BatchTableOperation['kind'], number | undefined>> = {
  addColumn: 0,
  dropColumn: 0,
  alterColumn: 0,
  setTableComment: 0,
  createIndex: 1,
  dropIndex: undefined,
  createPrimaryKey: 1,
  createForeignKey: 1,
  createUniqueConstraint: 1,
  createCheckConstraint: 1,
  createExcludeConstraint: 1,
  dropConstraint: 1,
};

/** An options object without the table and schema, which are the batch's. */
function withoutTable(options: unknown): unknown {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return options;
  const { table: _table, schema: _schema, ...kept } = options as Record<string, unknown>;
  return kept;
}

/** `await op.batchAlterTable('t', (batch) => { batch.addColumn(…); … }, { … });` */
function renderBatch(batch: OperationOf<'batchAlterTable'>, state: { usesSql: boolean }): string {
  const body = batch.operations.map((operation) => {
    const call = (CALLS[operation.kind] as (operation: Operation) => Call)(operation);
    const position = TABLE_ARGUMENT[operation.kind];
    const args = call.args
      .filter((_, index) => index !== position)
      // alterColumn takes its options as a positional argument.
      .map((arg, index, all) =>
        operation.kind === 'alterColumn' && index === all.length - 1 ? withoutTable(arg) : arg,
      );
    const options = withoutTable(call.options) as Record<string, unknown> | undefined;
    if (options !== undefined && Object.keys(options).length > 0) args.push(options);
    return renderCall(`batch.${call.method}`, args, state);
  });
  const options = rest(batch, 'table', 'operations');
  const tail = Object.keys(options).length === 0 ? '' : `, ${value(options, state, 0, true)}`;
  return `await op.batchAlterTable(${stringLiteral(batch.table)}, (batch) => {\n${indentCode(body.join('\n'))}\n}${tail});`;
}

/** An index element as `createIndex` takes it: a bare column name when it has no options. */
function indexElement(element: OperationOf<'createIndex'>['columns'][number]): unknown {
  if ('column' in element && Object.keys(element).length === 1) return element.column;
  if ('expression' in element && Object.keys(element).length === 1) return element.expression;
  return element;
}

export interface RenderedCalls {
  /** Statements, one per operation, unindented. */
  readonly code: string;
  /** Whether the code uses the `sql` tag (its import is needed). */
  readonly usesSql: boolean;
}

const WIDTH = 110;

/** The operations as `await op.…;` statements. */
export function renderOperationCalls(operations: readonly Operation[]): RenderedCalls {
  const state = { usesSql: false };
  const lines: string[] = [];
  let block: string[] | undefined;
  for (const operation of operations) {
    // An autocommit block is written as the `op.autocommit(async () => { … })` call that builds it.
    if (operation.kind === 'beginAutocommit') {
      if (block !== undefined) throw new TypeError('autocommit blocks do not nest');
      block = [];
      continue;
    }
    if (operation.kind === 'endAutocommit') {
      if (block === undefined) throw new TypeError('an autocommit block ends before it begins');
      const body = indentCode(block.join('\n'));
      lines.push(`await op.autocommit(async () => {\n${body}\n});`);
      block = undefined;
      continue;
    }
    if (operation.kind === 'batchAlterTable') {
      (block ?? lines).push(renderBatch(operation, state));
      continue;
    }
    const render = CALLS[operation.kind] as (operation: Operation) => Call;
    const call = render(operation);
    const args = [...call.args];
    if (call.options !== undefined && Object.keys(call.options).length > 0) args.push(call.options);
    (block ?? lines).push(renderCall(`await op.${call.method}`, args, state));
  }
  if (block !== undefined) throw new TypeError('an autocommit block is not closed');
  return { code: lines.join('\n'), usesSql: state.usesSql };
}

function renderCall(callee: string, args: readonly unknown[], state: { usesSql: boolean }): string {
  const inline = `${callee}(${args.map((arg) => value(arg, state, 0, true)).join(', ')});`;
  if (!inline.includes('\n') && inline.length <= WIDTH) return inline;
  // Too long: the last argument (an array or an options object) opens on the call's line.
  const head = args.slice(0, -1).map((arg) => value(arg, state, 0, true));
  const last = value(args.at(-1), state, 0, false);
  return `${callee}(${[...head, last].join(', ')});`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A JavaScript expression for `input`: strings single-quoted (a template literal when multi-line), `sql`
 * expressions as `sql` templates, bigints with `n`, objects and arrays inline when short.
 */
function value(input: unknown, state: { usesSql: boolean }, depth: number, preferInline: boolean): string {
  if (input === null) return 'null';
  if (input === undefined) return 'undefined';
  switch (typeof input) {
    case 'string':
      return stringLiteral(input);
    case 'number':
    case 'boolean':
      return String(input);
    case 'bigint':
      return `${input}n`;
    case 'object':
      break;
    default:
      throw new TypeError(`cannot write a ${typeof input} into a migration`);
  }
  if (isSqlExpression(input)) {
    state.usesSql = true;
    return sqlTemplate(input, state);
  }
  if (input instanceof Date) return `new Date(${stringLiteral(input.toISOString())})`;
  if (input instanceof Uint8Array) return `new Uint8Array([${[...input].join(', ')}])`;
  const pad = '  '.repeat(depth + 1);
  const close = '  '.repeat(depth);
  if (Array.isArray(input)) {
    if (input.length === 0) return '[]';
    const items = input.map((item) => value(item, state, depth + 1, true));
    const inline = `[${items.join(', ')}]`;
    if (preferInline && !inline.includes('\n') && inline.length <= WIDTH - 20 - depth * 2) return inline;
    return `[\n${input.map((item) => `${pad}${value(item, state, depth + 1, true)},`).join('\n')}\n${close}]`;
  }
  const entries = Object.entries(input as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const parts = entries.map(
    ([k, v]) => `${IDENTIFIER.test(k) ? k : stringLiteral(k)}: ${value(v, state, depth + 1, true)}`,
  );
  const inline = `{ ${parts.join(', ')} }`;
  if (preferInline && !inline.includes('\n') && inline.length <= WIDTH - 20 - depth * 2) return inline;
  return `{\n${entries
    .map(
      ([k, v]) => `${pad}${IDENTIFIER.test(k) ? k : stringLiteral(k)}: ${value(v, state, depth + 1, true)},`,
    )
    .join('\n')}\n${close}}`;
}

function stringLiteral(text: string): string {
  if (text.includes('\n')) return `\`${templateText(text)}\``;
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\r', '\\r').replaceAll('\t', '\\t')}'`;
}

/** Text inside a template literal: backslashes, backticks and `${` escaped. */
function templateText(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('`', '\\`')
    .replaceAll('${', '\\${')
    .replaceAll('\r', '\\r');
}

function sqlTemplate(expression: SqlExpression, state: { usesSql: boolean }): string {
  let out = templateText(expression.strings[0] ?? '');
  expression.fragments.forEach((fragment, index) => {
    out +=
      fragment.kind === 'identifier'
        ? `\${sql.identifier(${fragment.names.map(stringLiteral).join(', ')})}`
        : `\${${value(fragment.value, state, 0, true)}}`;
    out += templateText(expression.strings[index + 1] ?? '');
  });
  return `sql\`${out}\``;
}
