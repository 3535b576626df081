import type { ColumnDefault, SequenceParameters } from '../../operations/definitions.js';
import type { FunctionDefinitionInput, TriggerDefinition } from '../../operations/function-operations.js';
import type { SqlExpression } from '../../operations/sql-expression.js';
import { type ColumnBuilder, column, isColumnBuilder } from './column.js';
import { schemaError } from './errors.js';
import { DECLARATION, IndexBuilder, type TableDeclaration, toExpression } from './table.js';

/** A type that columns can use: calling it makes a column of that type. */
export interface TypeDeclaration {
  (): ColumnBuilder;
  /** The type's name in a column definition: `user_status`, `app.user_status`. */
  readonly typeName: string;
}

export interface EnumDeclaration extends TypeDeclaration {
  readonly [DECLARATION]: 'enum';
  readonly kind: 'enum';
  readonly name: string;
  readonly schema: string | undefined;
  readonly values: readonly string[];
  readonly comment?: string;
}

/** A PostgreSQL enum: `const status = enumType('user_status', ['active', 'disabled'])`, then `status()` as a column. */
export function enumType(
  name: string,
  values: readonly string[],
  options: { readonly schema?: string; readonly comment?: string } = {},
): EnumDeclaration {
  if (values.length === 0) throw schemaError(`Enum ${JSON.stringify(name)} needs at least one value.`);
  const duplicate = values.find((value, index) => values.indexOf(value) !== index);
  if (duplicate !== undefined)
    throw schemaError(`Enum ${JSON.stringify(name)} lists ${JSON.stringify(duplicate)} twice.`);
  return typeDeclaration(name, options.schema, {
    [DECLARATION]: 'enum',
    kind: 'enum',
    name,
    schema: options.schema,
    values: Object.freeze([...values]),
    ...(options.comment === undefined ? {} : { comment: options.comment }),
  }) as EnumDeclaration;
}

export interface DomainDeclaration extends TypeDeclaration {
  readonly [DECLARATION]: 'domain';
  readonly kind: 'domain';
  readonly name: string;
  readonly schema: string | undefined;
  readonly type: string;
  readonly notNull: boolean;
  readonly default?: ColumnDefault;
  readonly collation?: string;
  readonly checks: readonly { readonly name?: string; readonly expression: SqlExpression }[];
  readonly comment?: string;
}

/** A domain: a base type with constraints, `domain('email', text(), { checks: [sql\`VALUE ~ '@'\`] })`. */
export function domain(
  name: string,
  type: string | ColumnBuilder,
  options: {
    readonly schema?: string;
    readonly notNull?: boolean;
    readonly default?: ColumnDefault;
    readonly collation?: string;
    readonly checks?: readonly (
      | string
      | SqlExpression
      | { readonly name?: string; readonly expression: string | SqlExpression }
    )[];
    readonly comment?: string;
  } = {},
): DomainDeclaration {
  const base = isColumnBuilder(type) ? type.spec.type : type;
  const checks = (options.checks ?? []).map((check) =>
    typeof check === 'object' && 'expression' in check
      ? {
          ...(check.name === undefined ? {} : { name: check.name }),
          expression: toExpression(check.expression),
        }
      : { expression: toExpression(check) },
  );
  return typeDeclaration(name, options.schema, {
    [DECLARATION]: 'domain',
    kind: 'domain',
    name,
    schema: options.schema,
    type: base,
    notNull: options.notNull === true,
    ...(options.default === undefined ? {} : { default: options.default }),
    ...(options.collation === undefined ? {} : { collation: options.collation }),
    checks: Object.freeze(checks),
    ...(options.comment === undefined ? {} : { comment: options.comment }),
  }) as DomainDeclaration;
}

function typeDeclaration(name: string, schema: string | undefined, fields: object): TypeDeclaration {
  const typeName = qualifiedTypeName(schema, name);
  const make = (() => column(typeName)) as TypeDeclaration;
  // defineProperty: a function's own `name` is read-only to plain assignment.
  for (const key of [...Object.keys(fields), ...Object.getOwnPropertySymbols(fields)]) {
    Object.defineProperty(make, key, {
      value: (fields as Record<PropertyKey, unknown>)[key],
      enumerable: true,
    });
  }
  Object.defineProperty(make, 'typeName', { value: typeName, enumerable: true });
  return Object.freeze(make);
}

/**
 * A type's name as PostgreSQL's `format_type` prints it for a type outside `pg_catalog`: quoted where needed, and
 * qualified unless it lives in `public` (the schema on every default search path).
 */
export function qualifiedTypeName(schema: string | undefined, name: string): string {
  const quoted = quoteIfNeeded(name);
  return schema === undefined || schema === 'public' ? quoted : `${quoteIfNeeded(schema)}.${quoted}`;
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !QUOTED_KEYWORDS.has(name)
    ? name
    : `"${name.replaceAll('"', '""')}"`;
}

/**
 * PostgreSQL's keywords that `quote_ident` (and so `format_type`) quotes: every keyword but the unreserved ones
 * (reserved, column-name and type-or-function-name keywords).
 */
const QUOTED_KEYWORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case ' +
    'cast char character check coalesce collate collation column concurrently constraint create cross ' +
    'current_catalog current_date current_role current_schema current_time current_timestamp current_user dec ' +
    'decimal default deferrable desc distinct do else end except exists extract false fetch float for foreign ' +
    'freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect ' +
    'interval into is isnull join json json_array json_arrayagg json_exists json_object json_objectagg json_query ' +
    'json_scalar json_serialize json_table json_value lateral leading least left like limit localtime ' +
    'localtimestamp merge_action national natural nchar none normalize not notnull null nullif numeric offset on ' +
    'only or order out outer overlaps overlay placing position precision primary real references returning right ' +
    'row select session_user setof similar smallint some substring symmetric system_user table tablesample then ' +
    'time timestamp to trailing treat trim true union unique user using values varchar variadic verbose when ' +
    'where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi ' +
    'xmlroot xmlserialize xmltable'
  ).split(' '),
);

export interface SequenceDeclaration extends SequenceParameters {
  readonly [DECLARATION]: 'sequence';
  readonly kind: 'sequence';
  readonly name: string;
  readonly schema: string | undefined;
  /** `smallint`, `integer` or `bigint` (default). */
  readonly as?: string;
  readonly comment?: string;
}

export function sequence(
  name: string,
  options: SequenceParameters & {
    readonly schema?: string;
    readonly as?: string;
    readonly comment?: string;
  } = {},
): SequenceDeclaration {
  return Object.freeze({
    [DECLARATION]: 'sequence' as const,
    kind: 'sequence' as const,
    name,
    ...options,
    schema: options.schema,
  });
}

export interface ViewDeclaration {
  readonly [DECLARATION]: 'view';
  readonly kind: 'view';
  readonly name: string;
  readonly schema: string | undefined;
  readonly materialized: boolean;
  readonly query: SqlExpression;
  readonly columns?: readonly string[];
  readonly withData?: boolean;
  /** A materialized view's indexes. */
  readonly indexes?: readonly IndexBuilder[];
  readonly comment?: string;
  readonly renamedFrom?: string;
}

interface ViewOptions {
  readonly schema?: string;
  readonly columns?: readonly string[];
  readonly comment?: string;
  readonly renamedFrom?: string;
}

/** A view: `view('active_users', sql\`SELECT * FROM users WHERE active\`)`. */
export function view(
  name: string,
  query: string | SqlExpression,
  options: ViewOptions = {},
): ViewDeclaration {
  if ((options as { readonly indexes?: unknown }).indexes !== undefined) {
    throw schemaError(
      `The view ${JSON.stringify(name)} declares indexes: only a materialized view has them.`,
      'Declare it with materializedView(), or move the indexes to the tables it reads.',
    );
  }
  return viewDeclaration(name, query, options, false);
}

/**
 * A materialized view. Its indexes name the view's columns by strings (the DSL does not declare them):
 * `materializedView('order_totals', sql\`…\`, { indexes: [uniqueIndex().on('user_id'), index().on(sql\`lower(name)\`)] })`.
 */
export function materializedView(
  name: string,
  query: string | SqlExpression,
  options: ViewOptions & { readonly withData?: boolean; readonly indexes?: readonly IndexBuilder[] } = {},
): ViewDeclaration {
  const indexes = options.indexes ?? [];
  if (!Array.isArray(indexes) || indexes.some((index) => !(index instanceof IndexBuilder))) {
    throw schemaError(
      `The indexes of the materialized view ${JSON.stringify(name)} are not all index() declarations.`,
      "List them as index('name').on('column', …) or uniqueIndex().on(…).",
    );
  }
  return viewDeclaration(name, query, { ...options, indexes: Object.freeze([...indexes]) }, true);
}

function viewDeclaration(
  name: string,
  query: string | SqlExpression,
  options: ViewOptions & { readonly withData?: boolean; readonly indexes?: readonly IndexBuilder[] },
  materialized: boolean,
): ViewDeclaration {
  return Object.freeze({
    [DECLARATION]: 'view' as const,
    kind: 'view' as const,
    name,
    ...options,
    schema: options.schema,
    materialized,
    query: toExpression(query),
  });
}

export interface FunctionDeclaration extends FunctionDefinitionInput {
  readonly [DECLARATION]: 'function';
  readonly kind: 'function';
  readonly name: string;
  readonly schema: string | undefined;
  readonly procedure: boolean;
  readonly comment?: string;
}

/**
 * A function: `fn('touch_updated_at', { returns: 'trigger', language: 'plpgsql', body: 'BEGIN … END' })`. Compared
 * by its definition as PostgreSQL prints it.
 */
export function fn(
  name: string,
  definition: FunctionDefinitionInput & { readonly schema?: string; readonly comment?: string },
): FunctionDeclaration {
  return Object.freeze({
    [DECLARATION]: 'function' as const,
    kind: 'function' as const,
    name,
    ...definition,
    schema: definition.schema,
    procedure: false,
  });
}

/** A procedure (`CALL`able): like `fn()` without a return type. */
export function procedure(
  name: string,
  definition: Omit<FunctionDefinitionInput, 'returns' | 'volatility' | 'strict' | 'parallel'> & {
    readonly schema?: string;
    readonly comment?: string;
  },
): FunctionDeclaration {
  return Object.freeze({
    [DECLARATION]: 'function' as const,
    kind: 'function' as const,
    name,
    ...definition,
    returns: 'void',
    schema: definition.schema,
    procedure: true,
  });
}

export interface TriggerDeclaration extends Omit<TriggerDefinition, 'function' | 'when'> {
  readonly [DECLARATION]: 'trigger';
  readonly kind: 'trigger';
  readonly name: string;
  /** The table it fires on, or a view (whose triggers are `timing: 'instead of'` row triggers). */
  readonly table: () => TableDeclaration | ViewDeclaration;
  /** `false`: created disabled (`ALTER TABLE … DISABLE TRIGGER`), as a table's trigger can be. */
  readonly enabled?: boolean;
  /** The declared function, or one the schema does not declare by its name: `'pg_catalog.tsvector_update_trigger'`. */
  readonly function: (() => FunctionDeclaration) | string;
  readonly when?: SqlExpression;
}

/**
 * A trigger: `trigger('users_touch', { table: () => users, timing: 'before', events: ['update'], forEach: 'row', function: () => touch })`.
 * On a view: `trigger('v_insert', { table: () => activeUsers, timing: 'instead of', events: ['insert'], forEach: 'row', … })`.
 * `enabled: false` declares it disabled.
 */
export function trigger(
  name: string,
  options: Omit<TriggerDeclaration, typeof DECLARATION | 'kind' | 'name' | 'when'> & {
    readonly when?: string | SqlExpression;
  },
): TriggerDeclaration {
  const { when, ...rest } = options;
  return Object.freeze({
    [DECLARATION]: 'trigger' as const,
    kind: 'trigger' as const,
    name,
    ...rest,
    ...(when === undefined ? {} : { when: toExpression(when) }),
  });
}

export interface ExtensionDeclaration {
  readonly [DECLARATION]: 'extension';
  readonly kind: 'extension';
  readonly name: string;
  readonly schema: string | undefined;
}

/** An extension the schema needs: `extension('pgcrypto')`, `extension('vector')`. */
export function extension(name: string, options: { readonly schema?: string } = {}): ExtensionDeclaration {
  return Object.freeze({
    [DECLARATION]: 'extension' as const,
    kind: 'extension' as const,
    name,
    schema: options.schema,
  });
}

export interface SchemaDeclaration {
  readonly [DECLARATION]: 'schema';
  readonly kind: 'schema';
  readonly name: string;
}

/** A schema (namespace) the declared objects live in; declaring it is optional when objects name it. */
export function dbSchema(name: string): SchemaDeclaration {
  return Object.freeze({ [DECLARATION]: 'schema' as const, kind: 'schema' as const, name });
}

export interface SqlObjectDeclaration {
  readonly [DECLARATION]: 'sqlObject';
  readonly kind: 'sqlObject';
  /** What it is, as reflection calls it: `policy`, `composite type`, `rule`, `aggregate`, `trigger` (SQLite, MySQL)… */
  readonly objectKind: string;
  readonly name: string;
  readonly schema: string | undefined;
  /** The table it belongs to, for objects named within a table (policies, rules, SQLite and MySQL triggers). */
  readonly table: string | undefined;
  /** The SQL that creates it. */
  readonly definition: SqlExpression;
}

/**
 * An object `ambix/schema` has no builder for, declared by the SQL that creates it:
 * `sqlObject('policy', 'own_orders', sql\`CREATE POLICY own_orders ON orders USING (owner = current_user)\`, { table: 'orders' })`.
 * Autogenerate creates it when the database lacks it, and compares it as the database prints it; one the database
 * has and the schema does not declare, or declares otherwise, is reported and left alone (never dropped).
 * `ambix schema pull` writes one for each such object it finds.
 */
export function sqlObject(
  kind: string,
  name: string,
  definition: string | SqlExpression,
  options: { readonly schema?: string; readonly table?: string } = {},
): SqlObjectDeclaration {
  return Object.freeze({
    [DECLARATION]: 'sqlObject' as const,
    kind: 'sqlObject' as const,
    objectKind: kind,
    name,
    schema: options.schema,
    table: options.table,
    definition: toExpression(definition),
  });
}

export type Declaration =
  | TableDeclaration
  | EnumDeclaration
  | DomainDeclaration
  | SequenceDeclaration
  | ViewDeclaration
  | FunctionDeclaration
  | TriggerDeclaration
  | ExtensionDeclaration
  | SchemaDeclaration
  | SqlObjectDeclaration;

/** Whether a value (an export of a schema module) is something `ambix/schema` declared. */
export function isDeclaration(value: unknown): value is Declaration {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[DECLARATION] === 'string'
  );
}
