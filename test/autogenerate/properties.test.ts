/**
 * Autogenerate's round trip on random schemas (fast-check), on real databases: schema A is built in one database
 * and B in another, both reflected; the comparison A -> B (with the renames B was made with) is run on the first,
 * which must then show no difference from B, and the comparison back must leave it equal to A again. B is A
 * mutated (tables and columns added, dropped and renamed, types changed between compatible ones, nullability,
 * defaults, keys, indexes, constraints, foreign keys, enum values, views), so the differences are the ones real
 * projects make. Settling is checked on the way: a table `settle` takes from the live database must be the table
 * the declarations build.
 *
 * PGlite always, the PostgreSQL server when reachable. The databases are opened once and emptied between runs.
 * AMBIX_PROPERTY_SEED and AMBIX_PROPERTY_RUNS explore further than the fixed seed.
 */
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Comparison, compareSchemas, type Renames } from '../../src/autogenerate/compare.js';
import { materialize } from '../../src/autogenerate/materialize.js';
import { invertRenames } from '../../src/autogenerate/renames.js';
import { settle, settledTarget } from '../../src/autogenerate/settle.js';
import type { Connection } from '../../src/dialects/dialect.js';
import { fromPGlite } from '../../src/dialects/pglite/driver.js';
import { connectPostgres } from '../../src/dialects/postgres/driver.js';
import { postgresIntrospector } from '../../src/dialects/postgres/introspect.js';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import type { ColumnValue } from '../../src/operations/definitions.js';
import { declaredModel } from '../../src/schema/dsl/to-model.js';
import {
  bigint,
  bigserial,
  boolean,
  type ColumnBuilder,
  check,
  type Declaration,
  date,
  type EnumDeclaration,
  enumType,
  index,
  integer,
  jsonb,
  numeric,
  primaryKey,
  type SchemaModel,
  serial,
  smallint,
  smallserial,
  sql,
  type TableDeclaration,
  type TableExtra,
  table,
  text,
  timestamptz,
  unique,
  uuid,
  varchar,
  view,
} from '../../src/schema/index.js';
import { EMPTY_SCHEMA } from '../../src/schema/model.js';
import { admin, describePostgres, urlForDatabase } from '../dialects/helpers/postgres.js';
import { withoutAutocommitMarkers } from './support.js';

const SEED = Number(process.env.AMBIX_PROPERTY_SEED ?? 20261121);
const RUNS = Number(process.env.AMBIX_PROPERTY_RUNS ?? 25);
/** Runs, and shrinking a failure, take many statements each. */
const TIMEOUT = 600_000;

const dialect = { renderer: postgresRenderer, introspector: postgresIntrospector };

// ---------------------------------------------------------------------------------------------------------------
// Schemas as plain data: easy to generate, to mutate and to print; declarations are made from them.

type TypeShape =
  | {
      readonly kind:
        | 'uuid'
        | 'text'
        | 'integer'
        | 'bigint'
        | 'smallint'
        | 'boolean'
        | 'date'
        | 'timestamptz'
        | 'jsonb'
        | 'text[]';
    }
  | { readonly kind: 'varchar'; readonly length: number }
  | { readonly kind: 'numeric'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'enum'; readonly schema: string; readonly name: string };

type DefaultShape = { readonly value: ColumnValue } | { readonly sql: string };
type Action = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

interface ColumnShape {
  name: string;
  /** The column's name in A; undefined for a column B adds. */
  origin: string | undefined;
  type: TypeShape;
  notNull: boolean;
  default?: DefaultShape;
  generation?: 'always' | 'byDefault' | 'serial';
  unique: boolean;
  /** `CHECK (column >= 0)`, on numeric columns. */
  check: boolean;
  references?: { schema: string; table: string; column: string; onDelete: Action; onUpdate: Action };
}

interface IndexShape {
  columns: string[];
  unique: boolean;
  /** `WHERE first_column IS NOT NULL`. */
  partial: boolean;
}

interface TableShape {
  schema: string;
  name: string;
  origin: string | undefined;
  columns: ColumnShape[];
  primaryKey?: string[];
  uniques: string[][];
  indexes: IndexShape[];
  /** `CHECK (a >= b)` over two numeric columns. */
  pairCheck?: [string, string];
}

interface EnumShape {
  schema: string;
  name: string;
  values: string[];
}

interface ViewShape {
  name: string;
  schema: string;
  table: string;
  /** Undefined: `SELECT *`. */
  columns: string[] | undefined;
  where: boolean;
}

interface SchemaShape {
  enums: EnumShape[];
  tables: TableShape[];
  views: ViewShape[];
}

interface SchemaPair {
  readonly a: SchemaShape;
  readonly b: SchemaShape;
  readonly renames: Renames;
}

const SCHEMAS = ['public', 'public', 'public', 'app'] as const;
const ACTIONS: readonly Action[] = ['no action', 'restrict', 'cascade', 'set null', 'set default'];
const ENUM_VALUES = ['a', 'b', 'c', 'd', 'e'];
const PLAIN_KINDS = [
  'text',
  'integer',
  'varchar',
  'bigint',
  'boolean',
  'numeric',
  'timestamptz',
  'uuid',
  'smallint',
  'date',
  'jsonb',
  'text[]',
  'enum',
] as const;

const isInteger = (type: TypeShape): boolean =>
  type.kind === 'integer' || type.kind === 'bigint' || type.kind === 'smallint';
const isNumber = (type: TypeShape): boolean => isInteger(type) || type.kind === 'numeric';
const canBeKey = (type: TypeShape): boolean =>
  isInteger(type) ||
  type.kind === 'uuid' ||
  type.kind === 'text' ||
  type.kind === 'varchar' ||
  type.kind === 'date' ||
  type.kind === 'enum';

/** Types whose values compare with each other, as a foreign key needs (an operator family of their own). */
function family(type: TypeShape): string {
  if (isInteger(type)) return 'integer';
  if (type.kind === 'varchar' || type.kind === 'text') return 'text';
  if (type.kind === 'enum') return `enum ${type.schema}.${type.name}`;
  return type.kind;
}

function typeText(type: TypeShape): string {
  switch (type.kind) {
    case 'varchar':
      return `varchar(${type.length})`;
    case 'numeric':
      return `numeric(${type.precision},${type.scale})`;
    case 'enum':
      return `${type.schema}.${type.name}`;
    default:
      return type.kind;
  }
}

function defaultsFor(type: TypeShape, schema: SchemaShape): DefaultShape[] {
  switch (type.kind) {
    case 'uuid':
      return [{ sql: 'gen_random_uuid()' }, { value: '00000000-0000-0000-0000-000000000000' }];
    case 'text':
      return [{ value: 'x' }, { value: "it's" }, { value: '' }, { sql: 'current_user' }];
    case 'varchar':
      return [{ value: 'x' }, { value: 'abc' }, { value: '' }];
    case 'integer':
    case 'bigint':
    case 'smallint':
      return [{ value: 0 }, { value: 7 }, { value: -1 }, { sql: '(1 + 2)' }];
    case 'numeric':
      return [{ value: 0 }, { value: 1.5 }, { value: -2.25 }];
    case 'boolean':
      return [{ value: true }, { value: false }];
    case 'date':
      return [{ sql: 'CURRENT_DATE' }, { value: '2024-01-01' }];
    case 'timestamptz':
      return [
        { sql: 'now()' },
        { sql: 'CURRENT_TIMESTAMP' },
        { value: '2024-01-01 00:00:00+00' },
        { value: new Date('2024-06-01T12:00:00Z') },
      ];
    case 'jsonb':
      return [{ sql: "'{}'::jsonb" }, { value: '[]' }, { value: '{"a": 1}' }];
    case 'text[]':
      return [{ value: [] }, { value: ['a', "b'c"] }, { sql: "'{}'::text[]" }];
    case 'enum': {
      const values = schema.enums.find((e) => e.schema === type.schema && e.name === type.name)?.values ?? [];
      return values.map((value) => ({ value }));
    }
  }
}

const defaultKey = (value: DefaultShape | undefined): string => JSON.stringify(value ?? null);

/** Types a column of `type` can change to in place (the tables are empty: any cast PostgreSQL has will do). */
function retypes(type: TypeShape, schema: SchemaShape): TypeShape[] {
  const enums: TypeShape[] = schema.enums.map((e) => ({ kind: 'enum', schema: e.schema, name: e.name }));
  switch (type.kind) {
    case 'text':
      return [{ kind: 'varchar', length: 20 }, { kind: 'uuid' }, { kind: 'jsonb' }, ...enums];
    case 'varchar':
      return [{ kind: 'text' }, { kind: 'varchar', length: type.length === 20 ? 60 : 20 }];
    case 'integer':
      return [{ kind: 'bigint' }, { kind: 'smallint' }, { kind: 'numeric', precision: 12, scale: 0 }];
    case 'bigint':
      return [{ kind: 'integer' }];
    case 'smallint':
      return [{ kind: 'integer' }, { kind: 'bigint' }];
    case 'numeric':
      return [
        { kind: 'numeric', precision: type.precision === 10 ? 12 : 10, scale: type.scale === 2 ? 0 : 2 },
        { kind: 'integer' },
      ];
    case 'date':
      return [{ kind: 'timestamptz' }];
    case 'timestamptz':
      return [{ kind: 'date' }];
    case 'uuid':
      return [{ kind: 'text' }];
    case 'jsonb':
      return [{ kind: 'text' }];
    case 'enum':
      return [{ kind: 'text' }, ...enums.filter((e) => typeText(e) !== typeText(type))];
    default:
      return [];
  }
}

/**
 * Whether PostgreSQL casts a column of type `a` to `b` (`USING column::b`), or the comparison goes through text:
 * mutations change a type several times, and A's type must still reach B's, and back.
 */
function convertible(a: TypeShape, b: TypeShape): boolean {
  const textual = (type: TypeShape) => type.kind === 'text' || type.kind === 'varchar';
  const dates = (type: TypeShape) => type.kind === 'date' || type.kind === 'timestamptz';
  return (
    a.kind === b.kind || textual(a) || textual(b) || (isNumber(a) && isNumber(b)) || (dates(a) && dates(b))
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Generation: raw random choices, turned into shapes deterministically (which keeps shrinking effective).

const rawColumn = fc.record({
  kind: fc.constantFrom(...PLAIN_KINDS),
  size: fc.nat(5),
  notNull: fc.boolean(),
  default: fc.option(fc.nat(9), { freq: 2 }),
  // Rare, and shrinking towards none (fast-check shrinks numbers towards 0).
  unique: fc.nat(7).map((n) => n === 7),
  check: fc.boolean(),
});
type RawColumn = typeof rawColumn extends fc.Arbitrary<infer T> ? T : never;

const rawTable = fc.record({
  schema: fc.constantFrom(...SCHEMAS),
  key: fc.constantFrom('none', 'plain', 'identity', 'serial', 'composite'),
  keyType: fc.constantFrom<TypeShape>(
    { kind: 'integer' },
    { kind: 'bigint' },
    { kind: 'uuid' },
    { kind: 'text' },
    { kind: 'varchar', length: 20 },
  ),
  columns: fc.array(rawColumn, { minLength: 1, maxLength: 6 }),
  uniques: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
  indexes: fc.array(
    fc.record({
      columns: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      unique: fc.nat(3).map((n) => n === 3),
      partial: fc.nat(3).map((n) => n === 3),
    }),
    { maxLength: 3 },
  ),
  foreignKeys: fc.array(
    fc.record({
      target: fc.nat(),
      notNull: fc.boolean(),
      onDelete: fc.constantFrom(...ACTIONS),
      onUpdate: fc.constantFrom(...ACTIONS),
    }),
    { maxLength: 2 },
  ),
  pairCheck: fc.option(fc.tuple(fc.nat(), fc.nat()), { freq: 4 }),
});
type RawTable = typeof rawTable extends fc.Arbitrary<infer T> ? T : never;

const rawView = fc.record({
  table: fc.nat(),
  columns: fc.option(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), { freq: 3 }),
  where: fc.boolean(),
});

const rawSchema = fc.record({
  enums: fc.array(
    fc.record({
      app: fc.nat(4).map((n) => n === 4),
      values: fc.subarray(ENUM_VALUES.slice(0, 4), { minLength: 1 }),
    }),
    { maxLength: 2 },
  ),
  tables: fc.array(rawTable, { minLength: 1, maxLength: 6 }),
  views: fc.array(rawView, { maxLength: 2 }),
});
type RawSchema = typeof rawSchema extends fc.Arbitrary<infer T> ? T : never;

const MUTATIONS = [
  'addTable',
  'dropTable',
  'renameTable',
  'addColumn',
  'dropColumn',
  'renameColumn',
  'retype',
  'retypeKey',
  'toggleNull',
  'changeDefault',
  'addIndex',
  'dropIndex',
  'toggleIndexUnique',
  'togglePartial',
  'addUnique',
  'dropUnique',
  'toggleCheck',
  'addForeignKey',
  'dropForeignKey',
  'changeForeignKeyAction',
  'addEnumValue',
  'changePrimaryKey',
  'toggleIdentity',
  'changeView',
] as const;

const rawMutation = fc.record({
  kind: fc.constantFrom(...MUTATIONS),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  column: rawColumn,
  table: rawTable,
});
type RawMutation = typeof rawMutation extends fc.Arbitrary<infer T> ? T : never;

const pick = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

/** A name `prefix<n>` that `taken` lacks, the search starting at `prefix<start>`. */
function freshName(prefix: string, taken: readonly string[], start: number): string {
  for (let i = 0; ; i++) {
    const name = `${prefix}${(start + i) % (taken.length + 4)}`;
    if (!taken.includes(name)) return name;
  }
}

function columnFromRaw(raw: RawColumn, name: string, schema: SchemaShape): ColumnShape {
  let type: TypeShape;
  if (raw.kind === 'varchar') type = { kind: 'varchar', length: [4, 20, 60][raw.size % 3]! };
  else if (raw.kind === 'numeric')
    type = { kind: 'numeric', precision: [6, 10, 12][raw.size % 3]!, scale: raw.size % 2 === 0 ? 2 : 0 };
  else if (raw.kind === 'enum') {
    const chosen = pick(schema.enums, raw.size);
    type =
      chosen === undefined ? { kind: 'text' } : { kind: 'enum', schema: chosen.schema, name: chosen.name };
  } else type = { kind: raw.kind };
  const defaultValue = raw.default === null ? undefined : pick(defaultsFor(type, schema), raw.default);
  return {
    name,
    origin: undefined,
    type,
    notNull: raw.notNull,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    unique: raw.unique,
    check: raw.check && isNumber(type),
  };
}

function keyColumn(name: string, raw: RawTable, generation: ColumnShape['generation']): ColumnShape {
  const type: TypeShape =
    generation === undefined ? raw.keyType : isInteger(raw.keyType) ? raw.keyType : { kind: 'integer' };
  return {
    name,
    origin: undefined,
    type,
    notNull: true,
    ...(generation === undefined ? {} : { generation }),
    unique: false,
    check: false,
  };
}

/** A new table, named `name`, with foreign keys to the tables `schema` already has. */
function tableFromRaw(raw: RawTable, name: string, schema: SchemaShape): TableShape {
  const columns: ColumnShape[] = [];
  let primaryKey: string[] | undefined;
  if (raw.key === 'plain') columns.push(keyColumn('id', raw, undefined));
  if (raw.key === 'identity')
    columns.push(keyColumn('id', raw, raw.keyType.kind === 'bigint' ? 'byDefault' : 'always'));
  if (raw.key === 'serial') columns.push(keyColumn('id', raw, 'serial'));
  if (raw.key === 'composite') {
    columns.push({ ...keyColumn('k1', raw, undefined), type: { kind: 'integer' } });
    columns.push(keyColumn('k2', raw, undefined));
    primaryKey = ['k1', 'k2'];
  } else if (raw.key !== 'none') primaryKey = ['id'];
  for (const [i, column] of raw.columns.entries()) columns.push(columnFromRaw(column, `c${i}`, schema));
  const names = columns.map((c) => c.name);
  const shape: TableShape = {
    schema: raw.schema,
    name,
    origin: undefined,
    columns,
    ...(primaryKey === undefined ? {} : { primaryKey }),
    uniques: raw.uniques.map((picks) => distinct(picks.map((n) => names[n % names.length]!))),
    indexes: raw.indexes.map((index) => ({
      columns: distinct(index.columns.map((n) => names[n % names.length]!)),
      unique: index.unique,
      partial: index.partial,
    })),
  };
  for (const [i, fk] of raw.foreignKeys.entries()) {
    const target = pick(schema.tables, fk.target);
    if (target === undefined) break;
    addReference(shape, `r${i}`, target, fk.notNull, fk.onDelete, fk.onUpdate);
  }
  if (raw.pairCheck !== null) {
    const numbers = columns.filter((c) => isNumber(c.type)).map((c) => c.name);
    const first = pick(numbers, raw.pairCheck[0]);
    const second = pick(numbers, raw.pairCheck[1]);
    if (first !== undefined && second !== undefined && first !== second) shape.pairCheck = [first, second];
  }
  return shape;
}

function distinct<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

/** Adds column `name` to `shape` referencing `target`'s key (its single-column primary key or unique column). */
function addReference(
  shape: TableShape,
  name: string,
  target: TableShape,
  notNull: boolean,
  onDelete: Action,
  onUpdate: Action,
): void {
  const key = referenceableColumns(target)[0];
  if (key === undefined || shape.columns.some((c) => c.name === name)) return;
  shape.columns.push({
    name,
    origin: undefined,
    type: key.type,
    notNull,
    unique: false,
    check: false,
    references: { schema: target.schema, table: target.name, column: key.name, onDelete, onUpdate },
  });
}

/** Columns a foreign key can reference: a single-column primary key, unique constraint or unique index. */
function referenceableColumns(shape: TableShape): ColumnShape[] {
  const names = [
    ...(shape.primaryKey?.length === 1 ? shape.primaryKey : []),
    ...shape.columns.filter((c) => c.unique).map((c) => c.name),
    ...shape.uniques.filter((u) => u.length === 1).map((u) => u[0]!),
    ...shape.indexes
      .filter((i) => i.unique && !i.partial && i.columns.length === 1)
      .map((i) => i.columns[0]!),
  ];
  return distinct(names).map((n) => shape.columns.find((c) => c.name === n)!);
}

function schemaFromRaw(raw: RawSchema): SchemaShape {
  const schema: SchemaShape = { enums: [], tables: [], views: [] };
  for (const [i, e] of raw.enums.entries())
    schema.enums.push({ schema: e.app ? 'app' : 'public', name: `e${i}`, values: [...e.values] });
  for (const rawTableShape of raw.tables) {
    const taken = schema.tables.filter((t) => t.schema === rawTableShape.schema).map((t) => t.name);
    schema.tables.push(tableFromRaw(rawTableShape, freshName('t', taken, 0), schema));
  }
  for (const [i, v] of raw.views.entries()) {
    const target = pick(schema.tables, v.table)!;
    const names = target.columns.map((c) => c.name);
    schema.views.push({
      name: `v${i}`,
      // A view lives in its table's schema.
      schema: target.schema,
      table: target.name,
      columns: v.columns === null ? undefined : distinct(v.columns.map((n) => names[n % names.length]!)),
      where: v.where,
    });
  }
  return setOrigins(repair(schema));
}

function setOrigins(schema: SchemaShape): SchemaShape {
  for (const t of schema.tables) {
    t.origin = t.name;
    for (const c of t.columns) c.origin = c.name;
  }
  return schema;
}

/**
 * What mutations may leave behind made valid again: constraints, indexes and views over columns that went,
 * foreign keys to keys that went or changed family, checks and generation on types that no longer take them.
 */
function repair(schema: SchemaShape): SchemaShape {
  for (const t of schema.tables) {
    const names = new Set(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      if (c.type.kind === 'enum') {
        const type = c.type;
        if (!schema.enums.some((e) => e.schema === type.schema && e.name === type.name))
          c.type = { kind: 'text' };
      }
      if (!isNumber(c.type)) c.check = false;
      if (c.generation !== undefined && !isInteger(c.type)) delete c.generation;
      if (c.generation !== undefined) {
        delete c.default;
        if (c.generation !== 'serial') c.notNull = true;
      }
      if (
        c.default !== undefined &&
        !defaultsFor(c.type, schema).some((d) => defaultKey(d) === defaultKey(c.default))
      )
        delete c.default;
    }
    if (t.primaryKey !== undefined) {
      t.primaryKey = t.primaryKey.filter((n) => names.has(n));
      if (t.primaryKey.length === 0) delete t.primaryKey;
    }
    t.uniques = dedupe(t.uniques.map((u) => u.filter((n) => names.has(n))).filter((u) => u.length > 0));
    t.indexes = t.indexes
      .map((i) => ({ ...i, columns: i.columns.filter((n) => names.has(n)) }))
      .filter((i) => i.columns.length > 0);
    if (
      t.pairCheck !== undefined &&
      !t.pairCheck.every((n) => t.columns.some((c) => c.name === n && isNumber(c.type)))
    )
      delete t.pairCheck;
  }
  for (const t of schema.tables) {
    for (const c of t.columns) {
      const ref = c.references;
      if (ref === undefined) continue;
      const target = schema.tables.find((x) => x.schema === ref.schema && x.name === ref.table);
      const key =
        target === undefined ? undefined : referenceableColumns(target).find((k) => k.name === ref.column);
      if (key === undefined || family(key.type) !== family(c.type)) delete c.references;
    }
  }
  schema.views = schema.views.filter((v) => {
    const target = schema.tables.find((t) => t.schema === v.schema && t.name === v.table);
    if (target === undefined) return false;
    if (v.columns !== undefined)
      v.columns = v.columns.filter((n) => target.columns.some((c) => c.name === n));
    return v.columns === undefined || v.columns.length > 0;
  });
  return schema;
}

function dedupe(lists: readonly string[][]): string[][] {
  const seen = new Set<string>();
  return lists.filter((list) => {
    const k = list.join(',');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Renames everywhere a table or a column's name is used. */
function renameTableEverywhere(schema: SchemaShape, t: TableShape, to: string): void {
  for (const other of schema.tables) {
    for (const c of other.columns) {
      if (c.references?.schema === t.schema && c.references.table === t.name) c.references.table = to;
    }
  }
  for (const v of schema.views) if (v.schema === t.schema && v.table === t.name) v.table = to;
  t.name = to;
}

function renameColumnEverywhere(schema: SchemaShape, t: TableShape, c: ColumnShape, to: string): void {
  const rename = (n: string) => (n === c.name ? to : n);
  if (t.primaryKey !== undefined) t.primaryKey = t.primaryKey.map(rename);
  t.uniques = t.uniques.map((u) => u.map(rename));
  for (const i of t.indexes) i.columns = i.columns.map(rename);
  if (t.pairCheck !== undefined) t.pairCheck = [rename(t.pairCheck[0]), rename(t.pairCheck[1])];
  for (const other of schema.tables) {
    for (const o of other.columns) {
      const ref = o.references;
      if (ref?.schema === t.schema && ref.table === t.name && ref.column === c.name) ref.column = to;
    }
  }
  for (const v of schema.views) {
    if (v.schema === t.schema && v.table === t.name && v.columns !== undefined)
      v.columns = v.columns.map(rename);
  }
  c.name = to;
}

/**
 * Applies one mutation to `schema`, which started as `original`. New names are never names `original` used for
 * another table or column: the comparison takes a name that stays for the same object (as Alembic does), and a
 * new table of an old name, with types that may not cast, is no migration anyone writes.
 */
function mutate(schema: SchemaShape, original: SchemaShape, m: RawMutation): void {
  const t = pick(schema.tables, m.a);
  const c = t === undefined ? undefined : pick(t.columns, m.b);
  const namesIn = (s: string) =>
    [...schema.tables, ...original.tables].filter((x) => x.schema === s).map((x) => x.name);
  const originalType = (x: TableShape, column: ColumnShape) =>
    original.tables
      .find((o) => o.schema === x.schema && o.name === x.origin)
      ?.columns.find((o) => o.name === column.origin)?.type;
  const reaches = (x: TableShape, column: ColumnShape, type: TypeShape) => {
    const from = originalType(x, column);
    return from === undefined || convertible(from, type);
  };
  const columnNames = (x: TableShape) => [
    ...x.columns.map((column) => column.name),
    ...(original.tables.find((o) => o.schema === x.schema && o.name === x.origin)?.columns ?? []).map(
      (column) => column.name,
    ),
  ];
  switch (m.kind) {
    case 'addTable': {
      const created = tableFromRaw(m.table, freshName('t', namesIn(m.table.schema), m.c), schema);
      schema.tables.push(created);
      return;
    }
    case 'dropTable':
      if (t !== undefined && schema.tables.length > 1) schema.tables.splice(schema.tables.indexOf(t), 1);
      return;
    case 'renameTable':
      if (t !== undefined) renameTableEverywhere(schema, t, freshName('t', namesIn(t.schema), m.c));
      return;
    case 'addColumn':
      if (t !== undefined) {
        const name = freshName('c', columnNames(t), m.c);
        t.columns.push(columnFromRaw(m.column, name, schema));
      }
      return;
    case 'dropColumn':
      if (t !== undefined && c !== undefined && t.columns.length > 1)
        t.columns.splice(t.columns.indexOf(c), 1);
      return;
    case 'renameColumn':
      if (t !== undefined && c !== undefined)
        renameColumnEverywhere(schema, t, c, freshName('c', columnNames(t), m.c));
      return;
    case 'retype': {
      if (c === undefined) return;
      const choices = retypes(c.type, schema).filter(
        (type) => (c.generation === undefined || isInteger(type)) && reaches(t!, c, type),
      );
      const type = pick(choices, m.c);
      if (type === undefined) return;
      c.type = type;
      if (
        c.default !== undefined &&
        !defaultsFor(type, schema).some((d) => defaultKey(d) === defaultKey(c.default))
      ) {
        const replacement = pick(defaultsFor(type, schema), m.c);
        if (replacement === undefined) delete c.default;
        else c.default = replacement;
      }
      if (c.generation === 'serial' && type.kind === 'integer' && m.c % 2 === 0) delete c.generation;
      return;
    }
    case 'retypeKey': {
      // A key and the columns referencing it change type together: text ids becoming uuid, integers bigint.
      const key = t === undefined ? undefined : pick(referenceableColumns(t), m.b);
      if (t === undefined || key === undefined) return;
      const referencing = schema.tables.flatMap((x) =>
        x.columns
          .filter(
            (o) =>
              o.references?.schema === t.schema &&
              o.references.table === t.name &&
              o.references.column === key.name,
          )
          .map((o) => [x, o] as const),
      );
      const columns = [[t, key] as const, ...referencing];
      const type = pick(
        retypes(key.type, schema).filter((to) => columns.every(([x, column]) => reaches(x, column, to))),
        m.c,
      );
      if (type === undefined) return;
      for (const [, column] of columns) {
        if (column.generation !== undefined && !isInteger(type)) delete column.generation;
        column.type = type;
      }
      return;
    }
    case 'toggleNull':
      if (c !== undefined && c.generation === undefined) c.notNull = !c.notNull;
      return;
    case 'changeDefault':
      if (c !== undefined && c.generation === undefined) {
        const choice = pick([undefined, ...defaultsFor(c.type, schema)], m.c);
        if (choice === undefined) delete c.default;
        else c.default = choice;
      }
      return;
    case 'addIndex':
      if (t !== undefined && c !== undefined) {
        const second = pick(t.columns, m.c)!;
        t.indexes.push({
          columns: distinct(m.c % 3 === 0 ? [c.name, second.name] : [c.name]),
          unique: m.c % 4 === 1,
          partial: m.c % 5 === 2,
        });
      }
      return;
    case 'dropIndex':
      if (t !== undefined && t.indexes.length > 0) t.indexes.splice(m.c % t.indexes.length, 1);
      return;
    case 'toggleIndexUnique':
    case 'togglePartial': {
      const i = t === undefined ? undefined : pick(t.indexes, m.c);
      if (i === undefined) return;
      if (m.kind === 'toggleIndexUnique') i.unique = !i.unique;
      else i.partial = !i.partial;
      return;
    }
    case 'addUnique':
      if (t !== undefined && c !== undefined) {
        if (m.c % 2 === 0) c.unique = true;
        else t.uniques.push(distinct([c.name, pick(t.columns, m.c)!.name]));
      }
      return;
    case 'dropUnique':
      if (t === undefined) return;
      if (c?.unique === true) c.unique = false;
      else if (t.uniques.length > 0) t.uniques.splice(m.c % t.uniques.length, 1);
      return;
    case 'toggleCheck':
      if (c !== undefined && isNumber(c.type)) c.check = !c.check;
      return;
    case 'addForeignKey': {
      const target = pick(schema.tables, m.c);
      if (t === undefined || target === undefined) return;
      const name = freshName('r', columnNames(t), m.b);
      addReference(t, name, target, m.c % 2 === 0, pick(ACTIONS, m.b)!, pick(ACTIONS, m.c)!);
      return;
    }
    case 'dropForeignKey': {
      const referencing = t?.columns.filter((x) => x.references !== undefined) ?? [];
      const chosen = pick(referencing, m.c);
      if (chosen !== undefined) delete chosen.references;
      return;
    }
    case 'changeForeignKeyAction': {
      const chosen = pick(t?.columns.filter((x) => x.references !== undefined) ?? [], m.c);
      if (chosen?.references === undefined) return;
      if (m.b % 2 === 0) chosen.references.onDelete = pick(ACTIONS, m.c)!;
      else chosen.references.onUpdate = pick(ACTIONS, m.c)!;
      return;
    }
    case 'addEnumValue': {
      const e = pick(schema.enums, m.a);
      const value = pick(
        ENUM_VALUES.filter((v) => !e?.values.includes(v)),
        m.b,
      );
      if (e === undefined || value === undefined) return;
      e.values.splice(m.c % (e.values.length + 1), 0, value);
      return;
    }
    case 'changePrimaryKey':
      if (t === undefined) return;
      if (t.primaryKey !== undefined && m.c % 2 === 0) delete t.primaryKey;
      else {
        const keys = t.columns.filter((x) => canBeKey(x.type));
        const first = pick(keys, m.b);
        if (first === undefined) return;
        const second = m.c % 3 === 0 ? pick(keys, m.c) : undefined;
        t.primaryKey = distinct([first.name, ...(second === undefined ? [] : [second.name])]);
      }
      return;
    case 'toggleIdentity':
      if (c === undefined || !isInteger(c.type)) return;
      if (c.generation !== undefined) delete c.generation;
      else c.generation = pick(['always', 'byDefault', 'serial'] as const, m.c)!;
      return;
    case 'changeView': {
      const v = pick(schema.views, m.a);
      if (v !== undefined && m.c % 3 === 0) schema.views.splice(schema.views.indexOf(v), 1);
      else if (v !== undefined && m.c % 3 === 1) v.where = !v.where;
      else if (t !== undefined) {
        schema.views.push({
          name: freshName(
            'v',
            schema.views.map((w) => w.name),
            m.c,
          ),
          schema: t.schema,
          table: t.name,
          columns: m.b % 2 === 0 ? undefined : [t.columns[m.b % t.columns.length]!.name],
          where: m.c % 2 === 0,
        });
      }
      return;
    }
  }
}

/** The renames taking A's names to B's: what `revision --autogenerate --rename` would be told. */
function renamesOf(a: SchemaShape, b: SchemaShape): Renames {
  const tables: { schema: string; from: string; to: string }[] = [];
  const columns: { schema: string; table: string; from: string; to: string }[] = [];
  for (const t of b.tables) {
    if (t.origin === undefined) continue;
    const old = a.tables.find((x) => x.schema === t.schema && x.name === t.origin)!;
    if (t.origin !== t.name) tables.push({ schema: t.schema, from: t.origin, to: t.name });
    for (const c of t.columns) {
      if (c.origin !== undefined && c.origin !== c.name && old.columns.some((x) => x.name === c.origin))
        columns.push({ schema: t.schema, table: t.name, from: c.origin, to: c.name });
    }
  }
  return { tables, columns };
}

function pairFrom(raw: RawSchema, mutations: readonly RawMutation[]): SchemaPair {
  const a = schemaFromRaw(raw);
  const b = structuredClone(a);
  for (const m of mutations) {
    mutate(b, a, m);
    repair(b);
  }
  return { a, b, renames: renamesOf(a, b) };
}

const schemaPairs = fc
  .tuple(rawSchema, fc.array(rawMutation, { minLength: 1, maxLength: 8 }))
  .map(([raw, mutations]) => pairFrom(raw, mutations));

// ---------------------------------------------------------------------------------------------------------------
// Declarations made from shapes, and their printed form for failure reports.

function baseColumn(type: TypeShape, generation: ColumnShape['generation']): ColumnBuilder {
  if (generation === 'serial') {
    return type.kind === 'bigint' ? bigserial() : type.kind === 'smallint' ? smallserial() : serial();
  }
  switch (type.kind) {
    case 'uuid':
      return uuid();
    case 'text':
      return text();
    case 'varchar':
      return varchar(type.length);
    case 'integer':
      return integer();
    case 'bigint':
      return bigint();
    case 'smallint':
      return smallint();
    case 'numeric':
      return numeric(type.precision, type.scale);
    case 'boolean':
      return boolean();
    case 'date':
      return date();
    case 'timestamptz':
      return timestamptz();
    case 'jsonb':
      return jsonb();
    case 'text[]':
      return text().array();
    case 'enum':
      throw new Error('enum columns are made from their declaration');
  }
}

function declarationsOf(schema: SchemaShape): Declaration[] {
  const enums = new Map<string, EnumDeclaration>();
  for (const e of schema.enums) {
    enums.set(
      `${e.schema}.${e.name}`,
      enumType(e.name, e.values, e.schema === 'public' ? {} : { schema: e.schema }),
    );
  }
  const tables = new Map<string, TableDeclaration>();
  const columnOf = (ref: NonNullable<ColumnShape['references']>) => () =>
    tables.get(`${ref.schema}.${ref.table}`)!.columns[ref.column]!;
  for (const t of schema.tables) {
    const columns: Record<string, ColumnBuilder> = {};
    for (const c of t.columns) {
      let builder =
        c.type.kind === 'enum'
          ? enums.get(`${c.type.schema}.${c.type.name}`)!()
          : baseColumn(c.type, c.generation);
      if (c.generation === 'always' || c.generation === 'byDefault') builder = builder.identity(c.generation);
      if (c.notNull) builder = builder.notNull();
      if (c.default !== undefined)
        builder = builder.default('sql' in c.default ? sql.raw(c.default.sql) : c.default.value);
      if (t.primaryKey?.length === 1 && t.primaryKey[0] === c.name) builder = builder.primaryKey();
      if (c.unique) builder = builder.unique();
      if (c.check) builder = builder.check(sql`${sql.identifier(c.name)} >= 0`);
      if (c.references !== undefined) {
        const { onDelete, onUpdate } = c.references;
        builder = builder.references(columnOf(c.references), { onDelete, onUpdate });
      }
      columns[c.name] = builder;
    }
    const extras = (cols: Record<string, ColumnBuilder>): TableExtra[] => {
      const col = (name: string) => cols[name]!;
      return [
        ...(t.primaryKey !== undefined && t.primaryKey.length > 1
          ? [primaryKey(...t.primaryKey.map(col))]
          : []),
        ...t.uniques.map((u) => unique().on(...u.map(col))),
        ...t.indexes.map((i) => {
          let builder = index().on(...i.columns.map(col));
          if (i.unique) builder = builder.unique();
          if (i.partial) builder = builder.where(sql`${sql.identifier(i.columns[0]!)} IS NOT NULL`);
          return builder;
        }),
        ...(t.pairCheck === undefined
          ? []
          : [check(sql`${sql.identifier(t.pairCheck[0])} >= ${sql.identifier(t.pairCheck[1])}`)]),
      ];
    };
    tables.set(
      `${t.schema}.${t.name}`,
      table(t.name, columns, { ...(t.schema === 'public' ? {} : { schema: t.schema }), extras }),
    );
  }
  const views = schema.views.map((v) => {
    const selected = v.columns === undefined ? '*' : v.columns.map((n) => `"${n}"`).join(', ');
    const first =
      v.columns?.[0] ??
      schema.tables.find((t) => t.schema === v.schema && t.name === v.table)!.columns[0]!.name;
    const where = v.where ? ` WHERE "${first}" IS NOT NULL` : '';
    return view(v.name, sql.raw(`SELECT ${selected} FROM "${v.schema}"."${v.table}"${where}`), {
      ...(v.schema === 'public' ? {} : { schema: v.schema }),
    });
  });
  return [...enums.values(), ...tables.values(), ...views];
}

/** A schema as short text, for failure reports (the shapes are what a regression test needs). */
function describeSchema(schema: SchemaShape): string {
  const lines: string[] = [];
  for (const e of schema.enums) lines.push(`enum ${e.schema}.${e.name} (${e.values.join(', ')})`);
  for (const t of schema.tables) {
    const columns = t.columns.map((c) =>
      [
        c.name,
        typeText(c.type),
        c.generation ?? '',
        c.notNull ? 'not null' : '',
        c.default === undefined
          ? ''
          : `default ${JSON.stringify('sql' in c.default ? c.default.sql : c.default.value)}`,
        c.unique ? 'unique' : '',
        c.check ? 'check' : '',
        c.references === undefined
          ? ''
          : `-> ${c.references.schema}.${c.references.table}.${c.references.column} (${c.references.onDelete}/${c.references.onUpdate})`,
      ]
        .filter((part) => part !== '')
        .join(' '),
    );
    lines.push(`table ${t.schema}.${t.name}: ${columns.join('; ')}`);
    if (t.primaryKey !== undefined) lines.push(`  primary key (${t.primaryKey.join(', ')})`);
    for (const u of t.uniques) lines.push(`  unique (${u.join(', ')})`);
    for (const i of t.indexes)
      lines.push(
        `  ${i.unique ? 'unique ' : ''}index (${i.columns.join(', ')})${i.partial ? ' partial' : ''}`,
      );
    if (t.pairCheck !== undefined) lines.push(`  check (${t.pairCheck[0]} >= ${t.pairCheck[1]})`);
  }
  for (const v of schema.views)
    lines.push(
      `view ${v.schema}.${v.name}: ${v.columns?.join(', ') ?? '*'} from ${v.table}${v.where ? ' where' : ''}`,
    );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The round trip.

interface Databases {
  /** A: migrated to B and back. */
  readonly a: Connection;
  /** B, built from its declarations. */
  readonly b: Connection;
  /** Where settling builds what it cannot settle. */
  readonly scratch: Connection;
}

async function reflect(connection: Connection): Promise<SchemaModel> {
  return postgresIntrospector.introspect(connection);
}

async function run(connection: Connection, comparison: Comparison, what: string): Promise<void> {
  // These connections are not in a transaction: the autocommit markers (COMMIT, BEGIN) have nothing to do.
  for (const operation of withoutAutocommitMarkers(comparison.operations)) {
    for (const statement of postgresRenderer.render(operation)) {
      try {
        await connection.query(statement.sql, statement.params);
      } catch (error) {
        throw new Error(
          `${what}: ${statement.sql}\n  failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

/** Drops every schema but the system ones and creates an empty `public` (starting PGlite again costs a second). */
async function empty(connection: Connection): Promise<void> {
  const { rows } = await connection.query(
    `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND nspname NOT LIKE 'pg\\_%'`,
  );
  for (const { nspname } of rows) await connection.query(`DROP SCHEMA "${String(nspname)}" CASCADE`);
  await connection.query('CREATE SCHEMA public AUTHORIZATION pg_database_owner');
}

const lines = (comparison: Comparison): string[] =>
  comparison.differences.map(
    (d) => `${d.sign} ${d.object} ${d.name}${d.detail === undefined ? '' : `: ${d.detail}`}`,
  );

/**
 * A declared schema settled against a live one: every table settled must be the table the declarations build, and
 * the target (settled tables, the rest built in the scratch database) must equal the declarations fully built.
 */
async function expectSettlingAgrees(
  databases: Databases,
  declared: SchemaModel,
  live: SchemaModel,
  built: SchemaModel,
): Promise<void> {
  const settlement = settle(declared, live);
  const only = (t: SchemaModel['tables'][number]): SchemaModel => ({ ...EMPTY_SCHEMA, tables: [t] });
  for (const [key, settled] of settlement.settledTables) {
    const twin = built.tables.find((t) => `${t.schema}\u0000${t.name}` === key);
    expect(twin, `settled table ${key} is declared`).toBeDefined();
    expect(lines(compareSchemas(only(settled), only(twin!))), `settled table ${settled.name}`).toEqual([]);
  }
  let scratchBuilt: SchemaModel | undefined;
  if (settlement.toBuild !== undefined) {
    await empty(databases.scratch);
    scratchBuilt = await materialize(settlement.toBuild, databases.scratch, dialect);
  }
  const target = settledTarget(declared, live, settlement, scratchBuilt);
  expect(lines(compareSchemas(target, built)), 'the settled target').toEqual([]);
}

async function roundTrip(
  databases: Databases,
  a: readonly Declaration[],
  b: readonly Declaration[],
  renames: Renames = {},
): Promise<void> {
  await empty(databases.a);
  await empty(databases.b);
  const declaredA = declaredModel(a, { renderer: postgresRenderer }).model;
  const declaredB = declaredModel(b, { renderer: postgresRenderer }).model;
  const ra = await materialize(declaredA, databases.a, dialect);
  const rb = await materialize(declaredB, databases.b, dialect);

  await expectSettlingAgrees(databases, declaredB, ra, rb);
  await expectSettlingAgrees(databases, declaredA, ra, ra);

  const up = compareSchemas(ra, rb, renames);
  await run(databases.a, up, 'upgrade');
  expect(lines(compareSchemas(await reflect(databases.a), rb)), 'after the upgrade').toEqual([]);
  const down = compareSchemas(rb, ra, invertRenames(renames));
  await run(databases.a, down, 'downgrade');
  expect(lines(compareSchemas(await reflect(databases.a), ra)), 'after the downgrade').toEqual([]);
}

/** The round trip, its failure told with both schemas and the renames. */
async function roundTripExplained(databases: Databases, pair: SchemaPair): Promise<void> {
  try {
    await roundTrip(databases, declarationsOf(pair.a), declarationsOf(pair.b), pair.renames);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${message}\n--- A\n${describeSchema(pair.a)}\n--- B\n${describeSchema(pair.b)}\n--- renames\n${JSON.stringify(pair.renames)}`,
    );
  }
}

function properties(open: () => Databases) {
  it(
    'upgrades A to B with nothing left to compare, and downgrades back to A, on random schemas',
    async () => {
      const databases = open();
      await fc.assert(
        fc.asyncProperty(schemaPairs, (pair) => roundTripExplained(databases, pair)),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  // Counterexamples the property found, shrunk.

  it('drops the constraints of a renamed table under its old name', async () => {
    await roundTrip(
      open(),
      [table('t0', { c0: text().unique() })],
      [table('t1', { c0: text().primaryKey() })],
      { tables: [{ schema: 'public', from: 't0', to: 't1' }] },
    );
  });

  it('settles a table with a serial column while building another', async () => {
    const t0 = table('t0', { id: serial().primaryKey(), c0: text().unique() });
    await roundTrip(open(), [t0], [t0, table('t2', { c0: text().unique() })]);
  });

  it('renames the sequence of a serial column whose table or column is renamed', async () => {
    await roundTrip(open(), [table('t0', { id: serial() })], [table('t1', { n: serial() })], {
      tables: [{ schema: 'public', from: 't0', to: 't1' }],
      columns: [{ schema: 'public', table: 't1', from: 'id', to: 'n' }],
    });
  });

  it('drops and adds again a foreign key between columns of an enum that loses values', async () => {
    const schema = (values: readonly string[]) => {
      const e0 = enumType('e0', values, { schema: 'app' });
      const t0 = table('t0', { c0: e0().unique() });
      return [e0, t0, table('t1', { r0: e0().references(() => t0.columns.c0) })];
    };
    await roundTrip(open(), schema(['c']), schema(['a', 'c']));
  });

  it('drops an identity before its column becomes nullable, and adds it after NOT NULL', async () => {
    await roundTrip(
      open(),
      [table('t0', { c0: bigint().unique() })],
      [table('t0', { c0: bigint().identity().unique() })],
    );
  });

  it('converts a column from one enum to another through text', async () => {
    const e0 = enumType('e0', ['c'], { schema: 'app' });
    const e1 = enumType('e1', ['c'], { schema: 'app' });
    await roundTrip(open(), [e0, e1, table('t0', { c2: e0() })], [e0, e1, table('t0', { c2: e1() })]);
  });

  it('drops and adds again the foreign keys to a unique key that becomes the primary key', async () => {
    const schema = (key: ColumnBuilder) => {
      const t0 = table('t0', { c0: key });
      return [t0, table('t1', { r0: text().references(() => t0.columns.c0) })];
    };
    await roundTrip(open(), schema(text().unique()), schema(text().primaryKey()));
  });

  it('keeps the default of an enum column in a renamed table when the enum loses values', async () => {
    const schema = (name: string, values: readonly string[]) => {
      const e = enumType('e', values);
      return [e, table(name, { c: e().default('a') })];
    };
    await roundTrip(open(), schema('t0', ['a', 'b']), schema('t1', ['a']), {
      tables: [{ schema: 'public', from: 't0', to: 't1' }],
    });
  });

  it('drops and adds again a foreign key whose two sides change type', async () => {
    const schema = (key: () => ColumnBuilder) => {
      const t0 = table('t0', { id: key().primaryKey() });
      return [t0, table('t1', { r0: key().references(() => t0.columns.id) })];
    };
    await roundTrip(open(), schema(text), schema(uuid));
  });
}

describe('autogenerate round trips on random schemas (PGlite)', () => {
  let databases: Databases | undefined;
  const opened: PGlite[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) opened.push(await PGlite.create());
    const [a, b, scratch] = opened.map((db) => fromPGlite(db));
    databases = { a: a!, b: b!, scratch: scratch! };
  }, 60_000);
  afterAll(async () => {
    for (const db of opened) await db.close();
  });
  properties(() => databases!);
});

describePostgres('autogenerate round trips on random schemas (PostgreSQL)', () => {
  const names = ['a', 'b', 'scratch'].map((side) => `ambix_properties_${process.pid}_${side}`);
  const connections: Connection[] = [];
  let databases: Databases | undefined;
  beforeAll(async () => {
    for (const name of names) {
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin(`CREATE DATABASE "${name}"`);
      connections.push(await connectPostgres(urlForDatabase(name)));
    }
    const [a, b, scratch] = connections;
    databases = { a: a!, b: b!, scratch: scratch! };
  }, 60_000);
  afterAll(async () => {
    for (const connection of connections) await connection.close();
    for (const name of names) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }, 60_000);
  properties(() => databases!);
});
