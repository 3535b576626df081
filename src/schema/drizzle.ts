/**
 * Drizzle ORM schemas as autogenerate's target, so that a project that declares its tables with `drizzle-orm/pg-core`
 * does not declare them a second time for ambix.
 *
 * Drizzle's objects are read through its public API (`getTableConfig`, `getViewConfig`, column properties, the
 * dialect's `sqlToQuery`) and translated into `ambix/schema` declarations; `declaredModel` turns those into the
 * model as it does for any schema module, so type spellings, serial sequences, identity options and PostgreSQL's
 * default names stay in one place. Every name Drizzle chooses itself is taken over as drizzle-kit writes it into
 * the database (`posts_author_id_users_id_fk`, `users_email_unique`, `posts_author_id_index`, `t_a_b_pk`); only
 * what drizzle-kit leaves to PostgreSQL (a column's `PRIMARY KEY`) gets PostgreSQL's name (`users_pkey`).
 *
 * drizzle-orm is an optional peer dependency: nothing here imports it until a Drizzle object is seen, and values
 * are recognised by the symbols Drizzle marks them with, without loading it.
 */
import type { SQL } from 'drizzle-orm';
import type {
  ForeignKey,
  Index,
  IndexedColumn,
  PgColumn,
  PgMaterializedView,
  PgSchema,
  PgSequence,
  PgSequenceOptions,
  PgTable,
  PgView,
} from 'drizzle-orm/pg-core';
import { importModule, loadOptional, type ModuleImporter } from '../dialects/driver-loader.js';
import { AmbixError } from '../errors.js';
import type { SequenceParameters } from '../operations/definitions.js';
import { type SqlExpression, sql } from '../operations/sql-expression.js';
import { bigserial, type ColumnBuilder, column as dslColumn, serial, smallserial } from './dsl/column.js';
import { schemaError } from './dsl/errors.js';
import {
  type Declaration,
  dbSchema,
  enumType,
  isDeclaration,
  materializedView,
  qualifiedTypeName,
  sequence,
  view,
} from './dsl/objects.js';
import {
  check,
  foreignKey,
  type IndexElementSpec,
  index,
  primaryKey,
  type TableDeclaration,
  type TableExtra,
  table,
  unique,
} from './dsl/table.js';
import { type DeclaredModelOptions, type DeclaredSchema, declaredModel } from './dsl/to-model.js';
import { makeObjectName } from './naming.js';

const IS_DRIZZLE_TABLE = Symbol.for('drizzle:IsDrizzleTable');
const IS_ALIAS = Symbol.for('drizzle:IsAlias');
const VIEW_BASE_CONFIG = Symbol.for('drizzle:ViewBaseConfig');
const IS_PG_ENUM = Symbol.for('drizzle:isPgEnum');
const ENTITY_KIND = Symbol.for('drizzle:entityKind');

/** Kinds of Drizzle objects that are neither tables, views nor enums but belong to a schema. */
const SCHEMA_ENTITY_KINDS: ReadonlySet<unknown> = new Set(['PgSchema', 'PgSequence']);

/**
 * Whether a value (an export of a schema module) is a Drizzle schema object: a table, view, enum, schema or
 * sequence. Decided from the symbols Drizzle marks them with, so drizzle-orm need not be loaded to ask. Aliases and
 * other Drizzle values (relations, query builders) are not schema objects.
 */
export function isDrizzleValue(value: unknown): boolean {
  if (typeof value === 'function') return (value as unknown as Record<symbol, unknown>)[IS_PG_ENUM] === true;
  if (typeof value !== 'object' || value === null) return false;
  const marked = value as Record<symbol, unknown>;
  if (IS_DRIZZLE_TABLE in value) return marked[IS_ALIAS] !== true;
  if (VIEW_BASE_CONFIG in value) return (marked[VIEW_BASE_CONFIG] as { isAlias?: unknown }).isAlias !== true;
  return SCHEMA_ENTITY_KINDS.has(entityKind(value));
}

export interface DrizzleModelOptions extends DeclaredModelOptions {
  /** Imports drizzle-orm; injected so tests can simulate it not being installed. */
  readonly importer?: ModuleImporter;
}

/**
 * The schema model of a schema module's exports that declare the schema with Drizzle (`pgTable`, `pgEnum`,
 * `pgSchema`, `pgView`, `pgMaterializedView`, `pgSequence`). `ambix/schema` declarations among them (an
 * `extension()`, a `fn()`) are kept; other values (relations, helpers) are ignored.
 */
export async function drizzleModel(
  exports: readonly unknown[],
  options: DrizzleModelOptions,
): Promise<DeclaredSchema> {
  const { importer = importModule, ...modelOptions } = options;
  const values = [...new Set(exports)];
  const declarations: Declaration[] = values.filter(isDeclaration);
  if (values.some(isDrizzleValue)) {
    const reader = new DrizzleReader(await loadDrizzle(importer));
    declarations.push(...reader.declarations(values.filter(isDrizzleValue)));
  }
  return declaredModel(declarations, modelOptions);
}

type DrizzleOrm = typeof import('drizzle-orm');
type DrizzlePg = typeof import('drizzle-orm/pg-core');

interface Drizzle {
  readonly orm: DrizzleOrm;
  readonly pg: DrizzlePg;
}

async function loadDrizzle(importer: ModuleImporter): Promise<Drizzle> {
  const orm = (await loadOptional('drizzle-orm', importer)) as DrizzleOrm | undefined;
  if (orm === undefined) {
    throw new AmbixError(
      'DRIVER_MISSING',
      'The schema module exports Drizzle tables, but "drizzle-orm" cannot be loaded from ambix.',
      {
        hint: "Run 'npm install drizzle-orm' in your project (ambix lists it as an optional peer dependency).",
        details: { package: 'drizzle-orm', install: 'npm install drizzle-orm' },
      },
    );
  }
  return { orm, pg: (await importer('drizzle-orm/pg-core')) as DrizzlePg };
}

function entityKind(value: object): unknown {
  const type = (value as { constructor?: unknown }).constructor;
  return typeof type === 'function' ? (type as unknown as Record<symbol, unknown>)[ENTITY_KIND] : undefined;
}

/** PostgreSQL cuts longer identifiers to 63 bytes: a generated name longer than that is stored cut. */
function storedName(name: string): string {
  return makeObjectName(name, undefined, '');
}

type Columns = Record<string, ColumnBuilder>;
type PgEnumLike = {
  readonly enumName: string;
  readonly enumValues: readonly string[];
  readonly schema?: string;
};

/** Translates Drizzle objects into declarations; one per call of drizzleModel. */
class DrizzleReader {
  readonly #orm: DrizzleOrm;
  readonly #pg: DrizzlePg;
  readonly #dialect: InstanceType<DrizzlePg['PgDialect']>;
  /** Each table's declaration, for foreign keys to find the columns they reference. */
  readonly #tables = new Map<PgTable, TableDeclaration>();
  /** The enums the module exports: a column may only use those (drizzle-kit creates no others). */
  readonly #enums = new Set<unknown>();

  constructor({ orm, pg }: Drizzle) {
    this.#orm = orm;
    this.#pg = pg;
    this.#dialect = new pg.PgDialect();
  }

  declarations(values: readonly unknown[]): Declaration[] {
    const { is } = this.#orm;
    const pg = this.#pg;
    for (const value of values) if (pg.isPgEnum(value)) this.#enums.add(value);
    const out: Declaration[] = [];
    for (const value of values) {
      if (pg.isPgEnum(value)) {
        out.push(this.enumDeclaration(value));
      } else if (is(value, pg.PgTable)) {
        const declaration = this.tableDeclaration(value);
        this.#tables.set(value, declaration);
        out.push(declaration);
      } else if (is(value, pg.PgMaterializedView) || is(value, pg.PgView)) {
        const declaration = this.viewDeclaration(value);
        if (declaration !== undefined) out.push(declaration);
      } else if (is(value, pg.PgSchema)) {
        out.push(dbSchema((value as PgSchema).schemaName));
      } else if (is(value, pg.PgSequence)) {
        out.push(this.sequenceDeclaration(value as PgSequence));
      } else if (IS_DRIZZLE_TABLE in (value as object)) {
        throw schemaError(
          `The schema module exports a Drizzle ${String(entityKind(value as object))}; ambix reads PostgreSQL tables only.`,
          "Declare the tables with pgTable() from 'drizzle-orm/pg-core'.",
        );
      }
    }
    return out;
  }

  /** A fragment of Drizzle SQL as text, its parameters written in as literals. */
  text(fragment: SQL, invokeSource?: 'indexes'): string {
    // A wrapper, so that inlining does not change the user's object (SQL.inlineParams() sets a flag on it).
    return this.#dialect.sqlToQuery(this.#orm.sql`${fragment}`.inlineParams(), invokeSource).sql;
  }

  expression(fragment: SQL, invokeSource?: 'indexes'): SqlExpression {
    return sql.raw(this.text(fragment, invokeSource));
  }

  enumDeclaration(value: PgEnumLike): Declaration {
    return enumType(
      value.enumName,
      value.enumValues,
      value.schema === undefined ? {} : { schema: value.schema },
    );
  }

  sequenceDeclaration(value: PgSequence): Declaration {
    if (value.seqName === undefined) throw schemaError('A Drizzle pgSequence() has no name.');
    return sequence(value.seqName, {
      ...(value.schema === undefined ? {} : { schema: value.schema }),
      ...sequenceParameters(value.seqOptions, `Sequence ${value.seqName}`),
    });
  }

  viewDeclaration(value: PgView | PgMaterializedView): Declaration | undefined {
    const pg = this.#pg;
    const materialized = this.#orm.is(value, pg.PgMaterializedView);
    const config = materialized
      ? pg.getMaterializedViewConfig(value as PgMaterializedView)
      : pg.getViewConfig(value as PgView);
    // `.existing()`: a view the schema reads but does not manage; drizzle-kit leaves it alone, and so does ambix.
    if (config.isExisting) return undefined;
    if (config.query === undefined) {
      throw schemaError(
        `Drizzle view ${config.name} has no query.`,
        'Give it one with .as(…), or mark it .existing() if the database has it already.',
      );
    }
    const query = this.expression(config.query);
    const schema = config.schema === undefined ? {} : { schema: config.schema };
    if (!materialized) return view(config.name, query, schema);
    const withNoData = (config as { withNoData?: boolean }).withNoData === true;
    return materializedView(config.name, query, { ...schema, ...(withNoData ? { withData: false } : {}) });
  }

  tableDeclaration(value: PgTable): TableDeclaration {
    const config = this.#pg.getTableConfig(value);
    const columns: Columns = {};
    for (const column of config.columns) columns[column.name] = this.column(column, config.name);
    return table(config.name, columns, {
      ...(config.schema === undefined ? {} : { schema: config.schema }),
      extras: (t) => this.extras(config, t),
    });
  }

  column(column: PgColumn, tableName: string): ColumnBuilder {
    const what = `Column ${tableName}.${column.name}`;
    const sqlType = column.getSQLType();
    const serialType = SERIALS[sqlType];
    let builder = serialType === undefined ? dslColumn(this.typeOf(column, what)) : serialType();
    if (column.notNull) builder = builder.notNull();
    const defaultSql = this.defaultOf(column);
    if (defaultSql !== undefined) builder = builder.default(defaultSql);
    const generated = column.generated;
    if (generated !== undefined) {
      const as = generated.as;
      const expression = this.#orm.is(as, this.#orm.SQL)
        ? this.expression(as as SQL)
        : typeof as === 'function'
          ? this.expression((as as () => SQL)())
          : sql.raw(String(as));
      builder = builder.generatedAs(expression);
    }
    const identity = column.generatedIdentity;
    if (identity !== undefined) {
      builder = builder.identity(
        identity.type === 'byDefault' ? 'byDefault' : 'always',
        sequenceParameters(identity.sequenceOptions, what),
      );
    }
    if (column.primary) builder = builder.primaryKey();
    if (column.isUnique) {
      builder = builder.unique({
        name: storedName(column.uniqueName ?? `${tableName}_${column.name}_unique`),
        ...(column.uniqueType === 'not distinct' ? { nullsNotDistinct: true } : {}),
      });
    }
    return builder;
  }

  /** The column's type, with an enum named as the database names it (`"app"."mood"` is `app.mood`). */
  typeOf(column: PgColumn, what: string): string {
    if (this.#orm.is(column, this.#pg.PgArray)) {
      const base = (column as unknown as { baseColumn: PgColumn }).baseColumn;
      return `${this.typeOf(base, what)}[]`;
    }
    const enumeration = (column as { enum?: unknown }).enum;
    if (this.#pg.isPgEnum(enumeration)) {
      if (!this.#enums.has(enumeration)) {
        throw schemaError(
          `${what} has the enum type ${enumeration.enumName}, which the schema module does not export.`,
          'Export the pgEnum() too: drizzle-kit and ambix create only the enums the schema exports.',
        );
      }
      return qualifiedTypeName(enumeration.schema, enumeration.enumName);
    }
    return column.getSQLType();
  }

  /** The default as drizzle-kit writes it into `CREATE TABLE`; `$defaultFn()` runs in the application only. */
  defaultOf(column: PgColumn): SqlExpression | undefined {
    const value: unknown = column.default;
    if (value === undefined || value === null) return undefined;
    if (this.#orm.is(value, this.#orm.SQL)) return this.expression(value as SQL);
    return sql.raw(defaultLiteral(value, column.getSQLType().toLowerCase()));
  }

  extras(config: ReturnType<DrizzlePg['getTableConfig']>, t: Columns): TableExtra[] {
    const where = `${config.schema === undefined ? '' : `${config.schema}.`}${config.name}`;
    const own = (name: string): ColumnBuilder => {
      const column = t[name];
      if (column === undefined) throw schemaError(`Table ${where} has no column ${name}.`);
      return column;
    };
    const extras: TableExtra[] = [];
    for (const key of config.primaryKeys) {
      extras.push(
        primaryKey({ name: storedName(key.getName()), columns: key.columns.map((c) => own(c.name)) }),
      );
    }
    for (const constraint of config.uniqueConstraints) {
      const names = constraint.columns.map((c) => c.name);
      const name = constraint.getName() ?? `${config.name}_${names.join('_')}_unique`;
      const builder = unique(storedName(name)).on(...names.map(own));
      extras.push(constraint.nullsNotDistinct ? builder.nullsNotDistinct() : builder);
    }
    for (const constraint of config.checks) {
      extras.push(check(storedName(constraint.name), this.expression(constraint.value)));
    }
    for (const key of config.foreignKeys) extras.push(this.foreignKey(key, where, own));
    for (const spec of config.indexes) extras.push(this.index(spec, config.name, where, own));
    return extras;
  }

  foreignKey(key: ForeignKey, where: string, own: (name: string) => ColumnBuilder): TableExtra {
    const reference = key.reference();
    const name = storedName(key.getName());
    const target = this.#tables.get(reference.foreignTable);
    if (target === undefined) {
      throw schemaError(
        `The foreign key ${name} of ${where} references table ${this.#orm.getTableName(reference.foreignTable)}, which the schema module does not export.`,
        'Export every table the schema references: drizzle-kit and ambix create only the tables the schema exports.',
      );
    }
    return foreignKey({
      name,
      columns: reference.columns.map((c) => own(c.name)),
      references: () =>
        reference.foreignColumns.map((c) => {
          const column = target.columns[c.name];
          if (column === undefined) throw schemaError(`Table ${target.name} has no column ${c.name}.`);
          return column;
        }),
      onDelete: key.onDelete ?? 'no action',
      onUpdate: key.onUpdate ?? 'no action',
    });
  }

  index(spec: Index, tableName: string, where: string, own: (name: string) => ColumnBuilder): TableExtra {
    const { config } = spec;
    const elements: IndexElementSpec[] = [];
    const names: string[] = [];
    for (const element of config.columns) {
      if (this.#orm.is(element, this.#orm.SQL)) {
        if (config.name === undefined) {
          throw schemaError(
            `An index of ${where} is on the expression ${this.text(element as SQL, 'indexes')} and has no name.`,
            "Name it, as drizzle-kit requires too: index('users_lower_email_idx').on(…).",
          );
        }
        elements.push(this.expression(element as SQL, 'indexes'));
        continue;
      }
      const indexed = element as IndexedColumn;
      if (indexed.name === undefined)
        throw schemaError(`An index of ${where} names a column without a name.`);
      names.push(indexed.name);
      const order = indexed.indexConfig?.order ?? 'asc';
      const opclass = indexed.indexConfig?.opClass;
      elements.push({
        column: own(indexed.name),
        order,
        // Drizzle's default is NULLS LAST, also for DESC, and drizzle-kit writes it so.
        nulls: indexed.indexConfig?.nulls ?? (order === 'desc' ? 'first' : 'last'),
        ...(opclass === undefined ? {} : { opclass }),
      });
    }
    let builder = index(storedName(config.name ?? `${tableName}_${names.join('_')}_index`))
      .on(...elements)
      .using(config.method ?? 'btree');
    if (config.unique) builder = builder.unique();
    if (config.where !== undefined) builder = builder.where(this.expression(config.where));
    if (config.with !== undefined && Object.keys(config.with).length > 0)
      builder = builder.withParameters(config.with);
    return builder;
  }
}

const SERIALS: Readonly<Record<string, () => ColumnBuilder>> = { serial, smallserial, bigserial };

/** Drizzle's sequence options (numbers or numeric strings) as ambix's, only those given. */
function sequenceParameters(options: PgSequenceOptions | undefined, what: string): SequenceParameters {
  const integer = (key: keyof PgSequenceOptions, value: number | string | boolean | undefined) => {
    if (value === undefined) return undefined;
    try {
      return BigInt(value);
    } catch {
      throw schemaError(`${what}: ${key} must be an integer, not ${JSON.stringify(value)}.`);
    }
  };
  const out: { -readonly [K in keyof SequenceParameters]: SequenceParameters[K] } = {};
  const increment = integer('increment', options?.increment);
  const minValue = integer('minValue', options?.minValue);
  const maxValue = integer('maxValue', options?.maxValue);
  const start = integer('startWith', options?.startWith);
  const cache = integer('cache', options?.cache);
  if (increment !== undefined) out.increment = increment;
  if (minValue !== undefined) out.minValue = minValue;
  if (maxValue !== undefined) out.maxValue = maxValue;
  if (start !== undefined) out.start = start;
  if (cache !== undefined) out.cache = cache;
  if (options?.cycle === true) out.cycle = true;
  return out;
}

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A value default as drizzle-kit spells it: strings quoted, JSON cast, arrays as array literals, dates as ISO. */
function defaultLiteral(value: unknown, type: string): string {
  if (typeof value === 'string') return quote(value);
  if (type === 'json' || type === 'jsonb') return `${quote(JSON.stringify(value))}::${type}`;
  if (value instanceof Date) return quote(dateText(value, type));
  if (Array.isArray(value) && /\[\d*\]/.test(type)) return quote(arrayLiteral(value, type));
  return String(value);
}

function dateText(value: Date, type: string): string {
  const iso = value.toISOString();
  if (type === 'date') return iso.split('T')[0]!;
  if (type === 'timestamp') return iso.replace('T', ' ').slice(0, 23);
  return iso;
}

/** `{1,2}`, `{"a","b"}`: PostgreSQL's array input syntax, elements quoted where they are text. */
function arrayLiteral(values: readonly unknown[], type: string): string {
  const base = type.split('[')[0]!;
  const element = (value: unknown): string => {
    if (value === null) return 'NULL';
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return String(value);
    if (Array.isArray(value)) return arrayLiteral(value, base);
    const text =
      value instanceof Date
        ? dateText(value, base)
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  };
  return `{${values.map(element).join(',')}}`;
}
