import type { Deferrable, ForeignKeyActions, NullsOrder, SortOrder } from '../../operations/definitions.js';
import { isSqlExpression, type SqlExpression, sql } from '../../operations/sql-expression.js';
import { type ColumnBuilder, isColumnBuilder } from './column.js';
import { schemaError } from './errors.js';

const DECLARATION = Symbol.for('ambix.schema.declaration');

/**
 * A column an index names: a table's column (`t.email`), or, in a materialized view's index, the name of one of the
 * view's columns (`'user_id'`), which the DSL does not declare.
 */
export type IndexColumn = ColumnBuilder | string;

/** One element of an index: a column, an expression, or either with ordering and operator class. */
export type IndexElementSpec =
  | IndexColumn
  | SqlExpression
  | {
      readonly column: IndexColumn;
      readonly order?: SortOrder;
      readonly nulls?: NullsOrder;
      readonly opclass?: string;
      readonly collation?: string;
      /** A prefix length (MySQL's `name(10)`): the key holds the column's first `length` characters. */
      readonly length?: number;
    }
  | {
      readonly expression: string | SqlExpression;
      readonly order?: SortOrder;
      readonly nulls?: NullsOrder;
      readonly opclass?: string;
      readonly collation?: string;
    };

export interface IndexSpec {
  readonly kind: 'index';
  readonly name?: string;
  readonly elements: readonly IndexElementSpec[];
  readonly unique: boolean;
  readonly method?: string;
  readonly where?: SqlExpression;
  readonly include: readonly IndexColumn[];
  readonly nullsNotDistinct: boolean;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * `index('users_email_idx').on(t.email)`; unnamed, the name PostgreSQL would give it. On a materialized view, the
 * columns are named by strings: `index().on('user_id')`.
 */
export class IndexBuilder {
  /** @internal */
  readonly spec: IndexSpec;
  constructor(spec: IndexSpec) {
    this.spec = Object.freeze(spec);
  }
  private with(changes: Partial<IndexSpec>): IndexBuilder {
    return new IndexBuilder({ ...this.spec, ...changes });
  }
  /** The indexed columns and expressions, in order. */
  on(...elements: readonly IndexElementSpec[]): IndexBuilder {
    if (elements.length === 0) throw schemaError('index().on() needs at least one column or expression.');
    return this.with({ elements });
  }
  /** The index method: `btree` (default), `gin`, `gist`, `brin`, `hash`, `hnsw`… */
  using(method: string): IndexBuilder {
    return this.with({ method });
  }
  /** A partial index's predicate. */
  where(predicate: string | SqlExpression): IndexBuilder {
    return this.with({ where: toExpression(predicate) });
  }
  /** Non-key columns stored in the index. */
  include(...columns: readonly IndexColumn[]): IndexBuilder {
    return this.with({ include: columns });
  }
  unique(): IndexBuilder {
    return this.with({ unique: true });
  }
  nullsNotDistinct(): IndexBuilder {
    return this.with({ nullsNotDistinct: true });
  }
  /** Storage parameters: `{ fillfactor: 70 }`, `{ m: 16, ef_construction: 64 }`. */
  withParameters(parameters: Readonly<Record<string, string | number | boolean>>): IndexBuilder {
    return this.with({ with: parameters });
  }
}

export function index(name?: string): IndexBuilder {
  return new IndexBuilder({
    kind: 'index',
    ...(name === undefined ? {} : { name }),
    elements: [],
    unique: false,
    include: [],
    nullsNotDistinct: false,
  });
}

/** `uniqueIndex()` is `index().unique()`. */
export function uniqueIndex(name?: string): IndexBuilder {
  return index(name).unique();
}

export function asc(column: IndexColumn, nulls?: NullsOrder): IndexElementSpec {
  return { column, order: 'asc', ...(nulls === undefined ? {} : { nulls }) };
}

export function desc(column: IndexColumn, nulls?: NullsOrder): IndexElementSpec {
  return { column, order: 'desc', ...(nulls === undefined ? {} : { nulls }) };
}

export interface PrimaryKeySpec {
  readonly kind: 'primaryKey';
  readonly name?: string;
  readonly columns: readonly ColumnBuilder[];
}

/** A (composite) primary key: `primaryKey(t.tenant_id, t.id)` or `primaryKey({ name, columns })`. */
export function primaryKey(
  ...args: readonly ColumnBuilder[] | [{ readonly name?: string; readonly columns: readonly ColumnBuilder[] }]
): PrimaryKeySpec {
  const first = args[0];
  const options =
    first !== undefined && !isColumnBuilder(first)
      ? (first as { readonly name?: string; readonly columns: readonly ColumnBuilder[] })
      : { columns: args as readonly ColumnBuilder[] };
  if (options.columns.length === 0) throw schemaError('primaryKey() needs at least one column.');
  return Object.freeze({ kind: 'primaryKey', ...options });
}

export interface UniqueSpec extends Deferrable {
  readonly kind: 'unique';
  readonly name?: string;
  readonly columns: readonly ColumnBuilder[];
  readonly nullsNotDistinct?: boolean;
  readonly include?: readonly ColumnBuilder[];
}

/** `unique().on(t.a, t.b)`, `unique('name').on(…).nullsNotDistinct()`. */
export class UniqueBuilder {
  /** @internal */
  readonly spec: UniqueSpec;
  constructor(spec: UniqueSpec) {
    this.spec = Object.freeze(spec);
  }
  private with(changes: Partial<UniqueSpec>): UniqueBuilder {
    return new UniqueBuilder({ ...this.spec, ...changes });
  }
  /** The constrained columns, in order. */
  on(...columns: readonly ColumnBuilder[]): UniqueBuilder {
    if (columns.length === 0) throw schemaError('unique().on() needs at least one column.');
    return this.with({ columns });
  }
  /** NULLs count as equal (PostgreSQL 15 and later). */
  nullsNotDistinct(): UniqueBuilder {
    return this.with({ nullsNotDistinct: true });
  }
  deferrable(options: { readonly initiallyDeferred?: boolean } = {}): UniqueBuilder {
    return this.with({
      deferrable: true,
      ...(options.initiallyDeferred === true ? { initiallyDeferred: true } : {}),
    });
  }
  include(...columns: readonly ColumnBuilder[]): UniqueBuilder {
    return this.with({ include: columns });
  }
}

/** A `UNIQUE` constraint over one or several columns. */
export function unique(name?: string): UniqueBuilder {
  return new UniqueBuilder({ kind: 'unique', ...(name === undefined ? {} : { name }), columns: [] });
}

export interface CheckSpec {
  readonly kind: 'check';
  readonly name?: string;
  readonly expression: SqlExpression;
  /** `NO INHERIT`: the check holds on this table only, not on the tables that inherit from it. */
  readonly noInherit?: boolean;
}

export interface CheckOptions {
  /** `NO INHERIT`: the check holds on this table only, not on the tables that inherit from it. */
  readonly noInherit?: boolean;
}

/**
 * A table `CHECK`: `check('positive_total', sql\`total >= 0\`)` or `check(sql\`…\`)`, with options last:
 * `check('own_only', sql\`n > 0\`, { noInherit: true })`.
 */
export function check(
  nameOrExpression: string | SqlExpression,
  expressionOrOptions?: string | SqlExpression | CheckOptions,
  options: CheckOptions = {},
): CheckSpec {
  const named = typeof expressionOrOptions === 'string' || isSqlExpression(expressionOrOptions);
  const { noInherit } = (named ? options : (expressionOrOptions as CheckOptions | undefined)) ?? {};
  const flags = noInherit === true ? { noInherit: true } : {};
  if (!named) {
    return Object.freeze({ kind: 'check', expression: toExpression(nameOrExpression), ...flags });
  }
  if (typeof nameOrExpression !== 'string')
    throw schemaError('check(name, expression): the name is a string.');
  return Object.freeze({
    kind: 'check',
    name: nameOrExpression,
    expression: toExpression(expressionOrOptions as string | SqlExpression),
    ...flags,
  });
}

export interface ForeignKeySpec extends ForeignKeyActions {
  readonly kind: 'foreignKey';
  readonly name?: string;
  readonly columns: readonly ColumnBuilder[];
  readonly references: () => readonly ColumnBuilder[];
}

/** A (composite) foreign key: `foreignKey({ columns: [t.a, t.b], references: () => [o.columns.a, o.columns.b] })`. */
export function foreignKey(options: Omit<ForeignKeySpec, 'kind'>): ForeignKeySpec {
  if (options.columns.length === 0) throw schemaError('foreignKey() needs at least one column.');
  if (typeof options.references !== 'function') {
    throw schemaError('foreignKey({ references }) takes a function returning the referenced columns.');
  }
  return Object.freeze({ kind: 'foreignKey', ...options });
}

export interface ExcludeSpec extends Deferrable {
  readonly kind: 'exclude';
  readonly name?: string;
  readonly using?: string;
  readonly elements: readonly (IndexElementSpec & { readonly operator: string })[];
  readonly where?: SqlExpression;
}

/** An exclusion constraint: `exclude({ using: 'gist', elements: [{ column: t.room, operator: '=' }, …] })`. */
export function exclude(options: {
  readonly name?: string;
  readonly using?: string;
  readonly elements: readonly (
    | { readonly column: ColumnBuilder; readonly operator: string; readonly opclass?: string }
    | { readonly expression: string | SqlExpression; readonly operator: string; readonly opclass?: string }
  )[];
  readonly where?: string | SqlExpression;
  readonly deferrable?: boolean;
  readonly initiallyDeferred?: boolean;
}): ExcludeSpec {
  if (options.elements.length === 0) throw schemaError('exclude() needs at least one element.');
  const { where, ...rest } = options;
  return Object.freeze({
    kind: 'exclude',
    ...rest,
    ...(where === undefined ? {} : { where: toExpression(where) }),
  });
}

export type TableExtra =
  | IndexBuilder
  | PrimaryKeySpec
  | UniqueBuilder
  | CheckSpec
  | ForeignKeySpec
  | ExcludeSpec;

/**
 * A table's options. `Inherited`: a partition's parent's columns, which its extras name as its own (a partition
 * declares no columns: they are its parent's).
 */
export interface TableOptions<Columns, Inherited = Record<never, never>> {
  /** The schema; omitted, the default one (`public`). */
  readonly schema?: string;
  readonly comment?: string;
  /** The table was called `name` before: autogenerate writes a rename. */
  readonly renamedFrom?: string;
  /** A partitioned table: `'RANGE (created_at)'`, `'LIST (region)'`, `'HASH (id)'`. */
  readonly partitionBy?: string;
  /** A partition of another table, with its bound: `{ of: () => events, bound: "FOR VALUES FROM (…) TO (…)" }`. */
  readonly partitionOf?: {
    // biome-ignore lint/suspicious/noExplicitAny: any table's columns; `Inherited` infers them
    readonly of: () => TableDeclaration<Inherited extends Record<string, ColumnBuilder> ? Inherited : any>;
    readonly bound: string;
  };
  readonly unlogged?: boolean;
  /** MySQL's storage engine (`'MyISAM'`, `'Aria'`…), when it is not the server's default. */
  readonly engine?: string;
  /** MySQL's table collation (`'utf8mb4_bin'`), when it is not the database's default. */
  readonly collation?: string;
  /**
   * SQLite's `STRICT` table: values must be of their column's type, which must be one of SQLite's own, INT,
   * INTEGER, REAL, TEXT, BLOB or ANY (`integer()`, `text()`, `real()`, `column('blob')`, `column('any')`).
   */
  readonly strict?: boolean;
  /** SQLite's `WITHOUT ROWID` table, stored in its primary key's order: it needs a primary key. */
  readonly withoutRowid?: boolean;
  /** Indexes and table constraints, given the table's columns (a partition's: its parent's). */
  readonly extras?: (columns: Columns & Inherited) => readonly TableExtra[];
}

export interface TableDeclaration<
  Columns extends Record<string, ColumnBuilder> = Record<string, ColumnBuilder>,
> {
  readonly [DECLARATION]: 'table';
  readonly kind: 'table';
  readonly name: string;
  readonly schema: string | undefined;
  /** The table's columns, by name: `users.columns.id` in a reference. */
  readonly columns: Columns;
  readonly options: Omit<TableOptions<Columns>, 'extras'>;
  /** @internal */
  extras(): readonly TableExtra[];
}

/**
 * A table: `table('users', { id: uuid().primaryKey(), email: text().notNull() }, (t) => [index().on(t.email)])`.
 * Each key of `columns` is a column's name. The third argument is the extras function or the table's options.
 */
export function table<
  Columns extends Record<string, ColumnBuilder>,
  Inherited extends Record<string, ColumnBuilder> = Record<never, never>,
>(
  name: string,
  columns: Columns,
  extrasOrOptions?: ((columns: Columns) => readonly TableExtra[]) | TableOptions<Columns, Inherited>,
): TableDeclaration<Columns> {
  if (typeof name !== 'string' || name === '') throw schemaError('table() needs a name.');
  const options: TableOptions<Columns, Inherited> =
    typeof extrasOrOptions === 'function'
      ? { extras: extrasOrOptions as TableOptions<Columns, Inherited>['extras'] }
      : (extrasOrOptions ?? {});
  for (const [columnName, builder] of Object.entries(columns)) {
    if (!isColumnBuilder(builder)) {
      throw schemaError(
        `Column ${JSON.stringify(columnName)} of table ${JSON.stringify(name)} is not a column.`,
        'Declare columns with the type functions of ambix/schema: text(), integer(), uuid()…',
      );
    }
  }
  const own = (all: Record<string, ColumnBuilder>) => {
    const owned = {} as Record<string, ColumnBuilder>;
    for (const [columnName, builder] of Object.entries(all)) {
      // A copy, so that a builder shared by several tables gets one owner per table.
      const copy = new (builder.constructor as new (spec: ColumnBuilder['spec']) => ColumnBuilder)(
        builder.spec,
      );
      copy.owner = { schema: options.schema, table: name, column: columnName };
      owned[columnName] = copy;
    }
    return Object.freeze(owned);
  };
  const frozenColumns = own(columns) as Columns;
  const { extras, ...rest } = options;
  // A partition's extras name its parent's columns, as the partition's own; the parent is known once asked for.
  const extrasColumns = () =>
    (options.partitionOf === undefined
      ? frozenColumns
      : own({ ...options.partitionOf.of().columns, ...columns })) as Columns & Inherited;
  let computed: readonly TableExtra[] | undefined;
  return Object.freeze({
    [DECLARATION]: 'table' as const,
    kind: 'table' as const,
    name,
    schema: options.schema,
    columns: frozenColumns,
    options: Object.freeze(rest),
    extras() {
      computed ??= Object.freeze([...(extras?.(extrasColumns()) ?? [])]);
      return computed;
    },
  });
}

export function isTableDeclaration(value: unknown): value is TableDeclaration {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DECLARATION] === 'table'
  );
}

export function toExpression(expression: string | SqlExpression): SqlExpression {
  if (isSqlExpression(expression)) return expression;
  if (typeof expression === 'string') return sql.raw(expression);
  throw schemaError(`expected SQL text or a sql\`…\` expression, got ${typeof expression}`);
}

export { DECLARATION };
