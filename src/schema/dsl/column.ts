import type {
  ColumnDefault,
  ForeignKeyActions,
  IdentityGeneration,
  SequenceParameters,
} from '../../operations/definitions.js';
import { isSqlExpression, type SqlExpression, sql } from '../../operations/sql-expression.js';
import { schemaError } from './errors.js';

/** A column's reference to another table's column, resolved lazily (the other table may be declared later). */
export interface ColumnReferenceSpec extends ForeignKeyActions {
  readonly target: () => ColumnBuilder;
  readonly name?: string;
}

export interface IdentitySpec extends SequenceParameters {
  readonly generated: IdentityGeneration;
}

/** Everything a column declares, as its builder accumulated it. */
export interface ColumnSpec {
  /** The type as written (`varchar(255)`, `integer[]`). */
  readonly type: string;
  /** `serial`, `bigserial`, `smallserial`: an integer column with an owned sequence and a `nextval` default. */
  readonly serial?: 'smallint' | 'integer' | 'bigint';
  readonly notNull: boolean;
  readonly primaryKey?: { readonly name?: string };
  readonly unique?: { readonly name?: string; readonly nullsNotDistinct?: boolean };
  readonly default?: ColumnDefault;
  readonly checks: readonly {
    readonly name?: string;
    readonly expression: SqlExpression;
    /** `NO INHERIT`: the check holds on this table only, not on the tables that inherit from it. */
    readonly noInherit?: boolean;
  }[];
  readonly references?: ColumnReferenceSpec;
  readonly identity?: IdentitySpec;
  readonly generated?: SqlExpression;
  /** A generated column computed when read (MySQL, MariaDB, SQLite) instead of stored. */
  readonly virtual?: boolean;
  /** MySQL's `ON UPDATE CURRENT_TIMESTAMP`. */
  readonly onUpdate?: SqlExpression;
  readonly collation?: string;
  readonly comment?: string;
  readonly renamedFrom?: string;
}

const BUILDER = Symbol.for('ambix.schema.column');

/** Where a column builder ended up: set by `table()` when it takes the column. */
export interface ColumnOwner {
  readonly schema: string | undefined;
  readonly table: string;
  readonly column: string;
}

/**
 * A column under construction. Every method returns a new builder (builders are immutable, so a shared
 * `const id = uuid().primaryKey()` can be reused across tables safely).
 */
export class ColumnBuilder {
  readonly [BUILDER] = true;
  /** @internal */
  readonly spec: ColumnSpec;
  /** @internal set once by table(); a reused builder is copied first. */
  owner: ColumnOwner | undefined;

  constructor(spec: ColumnSpec) {
    this.spec = Object.freeze(spec);
  }

  private with(changes: Partial<ColumnSpec>): ColumnBuilder {
    return new ColumnBuilder({ ...this.spec, ...changes });
  }

  /** `NOT NULL`. */
  notNull(): ColumnBuilder {
    return this.with({ notNull: true });
  }

  /** Nullable (the default), stated explicitly. */
  nullable(): ColumnBuilder {
    return this.with({ notNull: false });
  }

  /** The table's primary key (one column; for several, use `primaryKey()` in the table's extras). */
  primaryKey(options: { readonly name?: string } = {}): ColumnBuilder {
    return this.with({ primaryKey: options, notNull: true });
  }

  /** A `UNIQUE` constraint on this column. */
  unique(options: { readonly name?: string; readonly nullsNotDistinct?: boolean } = {}): ColumnBuilder {
    return this.with({ unique: options });
  }

  /**
   * The default: a value (`'active'`, `0`, `false`) written as a literal, or SQL with the `sql` tag
   * (`sql\`now()\``). A plain string is a value, never SQL.
   */
  default(value: ColumnDefault): ColumnBuilder {
    if (value === undefined) throw schemaError('default() needs a value; omit the call for no default.');
    return this.with({ default: value });
  }

  /** `DEFAULT now()`. */
  defaultNow(): ColumnBuilder {
    return this.with({ default: sql`now()` });
  }

  /** A `CHECK` constraint on this column: SQL text or a `sql` expression. */
  check(
    expression: string | SqlExpression,
    options: { readonly name?: string; readonly noInherit?: boolean } = {},
  ): ColumnBuilder {
    const checks = [...this.spec.checks, { ...options, expression: toExpression(expression) }];
    return this.with({ checks });
  }

  /**
   * A foreign key to another table's column: `.references(() => users.columns.id, { onDelete: 'cascade' })`.
   * The function defers the lookup, so tables can refer to each other in any order.
   */
  references(
    target: () => ColumnBuilder,
    options: ForeignKeyActions & { readonly name?: string } = {},
  ): ColumnBuilder {
    if (typeof target !== 'function') {
      throw schemaError(
        'references() takes a function returning the column, e.g. references(() => users.columns.id).',
      );
    }
    return this.with({ references: { ...options, target } });
  }

  /** An identity column: `GENERATED ALWAYS AS IDENTITY` (default) or `BY DEFAULT`, with sequence options. */
  identity(generated: IdentityGeneration = 'always', options: SequenceParameters = {}): ColumnBuilder {
    return this.with({ identity: { ...options, generated }, notNull: true });
  }

  /**
   * A generated column: `GENERATED ALWAYS AS (expression) STORED`, or with `{ virtual: true }` computed when read
   * (`VIRTUAL`, SQLite, MySQL and MariaDB; PostgreSQL stores generated columns).
   */
  generatedAs(
    expression: string | SqlExpression,
    options: { readonly virtual?: boolean } = {},
  ): ColumnBuilder {
    return this.with({
      generated: toExpression(expression),
      ...(options.virtual === true ? { virtual: true } : {}),
    });
  }

  /**
   * What an UPDATE that leaves the column alone sets it to: MySQL's `ON UPDATE CURRENT_TIMESTAMP`
   * (`.onUpdate(sql\`CURRENT_TIMESTAMP\`)`). MySQL and MariaDB only; elsewhere a trigger does it.
   */
  onUpdate(expression: string | SqlExpression): ColumnBuilder {
    return this.with({ onUpdate: toExpression(expression) });
  }

  collate(collation: string): ColumnBuilder {
    return this.with({ collation });
  }

  comment(text: string): ColumnBuilder {
    return this.with({ comment: text });
  }

  /** An array of this type: `text().array()` is `text[]`. */
  array(dimensions = 1): ColumnBuilder {
    if (this.spec.serial !== undefined) throw schemaError('serial columns cannot be arrays.');
    return this.with({ type: `${this.spec.type}${'[]'.repeat(dimensions)}` });
  }

  /**
   * The column was called `name` before: autogenerate writes a rename instead of a drop and an add. Remove it once
   * the migration that renames it has run everywhere.
   */
  renamedFrom(name: string): ColumnBuilder {
    return this.with({ renamedFrom: name });
  }
}

export function isColumnBuilder(value: unknown): value is ColumnBuilder {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BUILDER] === true;
}

function toExpression(expression: string | SqlExpression): SqlExpression {
  if (isSqlExpression(expression)) return expression;
  if (typeof expression === 'string') return sql.raw(expression);
  throw schemaError(`expected SQL text or a sql\`…\` expression, got ${typeof expression}`);
}

/** A column of any type, written as the database spells it: `column('tsvector')`, `column('int4range')`. */
export function column(type: string): ColumnBuilder {
  if (typeof type !== 'string' || type.trim() === '') throw schemaError('column() needs a type name.');
  return new ColumnBuilder({ type: type.trim(), notNull: false, checks: [] });
}

const typed = (type: string) => (): ColumnBuilder => column(type);

function lengthOf(name: string, length: number | undefined): string {
  if (length === undefined) return name;
  if (!Number.isInteger(length) || length < 1)
    throw schemaError(`${name}(n) needs a positive integer length.`);
  return `${name}(${length})`;
}

function precisionOf(name: string, precision: number | undefined, suffix = ''): string {
  if (precision === undefined) return `${name}${suffix}`;
  if (!Number.isInteger(precision) || precision < 0 || precision > 6) {
    throw schemaError(`${name} precision must be an integer from 0 to 6.`);
  }
  return `${name}(${precision})${suffix}`;
}

export const uuid = typed('uuid');
export const text = typed('text');
export const smallint = typed('smallint');
export const integer = typed('integer');
export const bigint = typed('bigint');
export const boolean = typed('boolean');
export const real = typed('real');
export const doublePrecision = typed('double precision');
export const date = typed('date');
export const interval = typed('interval');
export const json = typed('json');
export const jsonb = typed('jsonb');
export const bytea = typed('bytea');
export const inet = typed('inet');
export const cidr = typed('cidr');
export const macaddr = typed('macaddr');
export const money = typed('money');
export const tsvector = typed('tsvector');
export const xml = typed('xml');

export function varchar(length?: number): ColumnBuilder {
  return column(lengthOf('character varying', length));
}

export function char(length?: number): ColumnBuilder {
  return column(lengthOf('character', length ?? 1));
}

export function numeric(precision?: number, scale?: number): ColumnBuilder {
  if (precision === undefined) {
    if (scale !== undefined)
      throw schemaError('numeric(precision, scale) needs the precision with the scale.');
    return column('numeric');
  }
  if (!Number.isInteger(precision) || precision < 1 || precision > 1000) {
    throw schemaError('numeric precision must be an integer from 1 to 1000.');
  }
  return column(scale === undefined ? `numeric(${precision},0)` : `numeric(${precision},${scale})`);
}

export function time(
  options: { readonly precision?: number; readonly withTimeZone?: boolean } = {},
): ColumnBuilder {
  const zone = options.withTimeZone === true ? ' with time zone' : ' without time zone';
  return column(precisionOf('time', options.precision, zone));
}

export function timestamp(
  options: { readonly precision?: number; readonly withTimeZone?: boolean } = {},
): ColumnBuilder {
  const zone = options.withTimeZone === true ? ' with time zone' : ' without time zone';
  return column(precisionOf('timestamp', options.precision, zone));
}

export function timestamptz(options: { readonly precision?: number } = {}): ColumnBuilder {
  return timestamp({ ...options, withTimeZone: true });
}

function serialOf(kind: 'smallint' | 'integer' | 'bigint') {
  return (): ColumnBuilder => new ColumnBuilder({ type: kind, serial: kind, notNull: true, checks: [] });
}

/** `serial`: an `integer` with a sequence of its own (prefer `integer().identity()` in new schemas). */
export const serial = serialOf('integer');
export const smallserial = serialOf('smallint');
export const bigserial = serialOf('bigint');

/** A pgvector column: `vector(1536)`. */
export function vector(dimensions: number): ColumnBuilder {
  if (!Number.isInteger(dimensions) || dimensions < 1)
    throw schemaError('vector(n) needs a positive dimension.');
  return column(`vector(${dimensions})`);
}
