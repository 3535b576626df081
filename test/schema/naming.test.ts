import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import { declaredModel } from '../../src/schema/dsl/to-model.js';
import {
  type ColumnBuilder,
  check,
  domain,
  enumType,
  index,
  integer,
  serial,
  sql,
  table,
  unique,
} from '../../src/schema/index.js';
import { makeObjectName } from '../../src/schema/naming.js';

/**
 * The default names of the DSL against the names PostgreSQL itself chooses for the same DDL without names: the
 * database is the oracle.
 */
describe('default names, as PostgreSQL chooses them', () => {
  const db = new PGlite();
  afterAll(() => db.close());

  const long = 'a_table_with_a_name_so_long_that_postgresql_has_to_shorten_it_x';
  const col = 'some_rather_long_column_name_that_goes_on';
  const ddl = `
    CREATE TABLE "${long}" (
      id serial PRIMARY KEY,
      "${col}" integer UNIQUE CHECK ("${col}" > 0),
      other integer,
      ref integer REFERENCES "${long}" (id),
      CHECK (other > 0),
      CHECK (other > id),
      UNIQUE (other, "${col}")
    );
    CREATE INDEX ON "${long}" (other);
    CREATE INDEX ON "${long}" (other);
    CREATE INDEX ON "${long}" (lower(other::text), other);
    CREATE INDEX ON t2 ((a::text));
    CREATE INDEX ON t2 (((a + b)::text));
    CREATE INDEX ON t2 ((a + 1));
    CREATE INDEX ON t2 ((CASE WHEN a > 0 THEN 1 END));
    CREATE INDEX ON t2 (pg_catalog.abs(a), (b));
    CREATE TABLE "t ü" (a integer, UNIQUE (a));
    CREATE TABLE t2 (a integer, b integer);`.replace(/CREATE INDEX ON t2[^;]*;\s*/g, '');
  const t2Indexes = `
    CREATE INDEX ON t2 ((a::text));
    CREATE INDEX ON t2 (((a + b)::text));
    CREATE INDEX ON t2 ((a + 1));
    CREATE INDEX ON t2 ((CASE WHEN a > 0 THEN 1 END));
    CREATE INDEX ON t2 (pg_catalog.abs(a), (b));`;

  const declared = () => {
    const t = table(
      long,
      {
        id: serial().primaryKey(),
        [col]: integer()
          .unique()
          .check(sql`${sql.identifier(col)} > 0`),
        other: integer(),
        ref: integer().references((): ColumnBuilder => t.columns.id),
      },
      (c) => [
        check(sql`other > 0`),
        check(sql`other > id`),
        unique().on(c.other, c[col]!),
        index().on(c.other),
        index().on(c.other),
        index().on(sql`lower(other::text)`, c.other),
      ],
    );
    const t2 = table('t2', { a: integer(), b: integer() }, () => [
      index().on(sql`a::text`),
      index().on(sql`(a + b)::text`),
      index().on(sql`a + 1`),
      index().on(sql`CASE WHEN a > 0 THEN 1 END`),
      index().on(sql`pg_catalog.abs(a)`, sql`(b)`),
    ]);
    return [t, table('t ü', { a: integer().unique() }), t2];
  };

  it('matches the names of constraints, indexes and sequences', async () => {
    await db.exec(ddl);
    await db.exec(t2Indexes);
    const constraints = (
      await db.query<{ name: string }>(
        "SELECT conname AS name FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n' ORDER BY 1",
      )
    ).rows.map((r) => r.name);
    const relations = (
      await db.query<{ name: string }>(
        "SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('i', 'S') ORDER BY 1",
      )
    ).rows.map((r) => r.name);

    const { model } = declaredModel(declared(), { renderer: postgresRenderer });
    const names = new Set<string>();
    for (const t of model.tables) {
      if (t.primaryKey) names.add(t.primaryKey.name);
      for (const x of [...t.uniques, ...t.checks, ...t.foreignKeys]) names.add(x.name);
    }
    expect([...names].sort()).toEqual(constraints);
    const indexNames = new Set(model.tables.flatMap((t) => t.indexes.map((i) => i.name)));
    for (const t of model.tables) {
      if (t.primaryKey) indexNames.add(t.primaryKey.name);
      for (const u of t.uniques) indexNames.add(u.name);
    }
    for (const s of model.sequences) indexNames.add(s.name);
    expect([...indexNames].sort()).toEqual(relations);
  });

  it('cuts the longer part first', () => {
    expect(makeObjectName('a'.repeat(40), 'b'.repeat(40), 'key')).toBe(
      `${'a'.repeat(29)}_${'b'.repeat(29)}_key`,
    );
    expect(makeObjectName('t', undefined, 'pkey')).toBe('t_pkey');
  });

  it("names a domain's unnamed checks and quotes a type named by a keyword as PostgreSQL does", async () => {
    const other = new PGlite();
    try {
      await other.exec(`CREATE TYPE "user" AS ENUM ('a');
        CREATE DOMAIN amount AS integer CHECK (VALUE > 0) CHECK (VALUE < 100) CONSTRAINT amount_small CHECK (VALUE <> 5);
        CREATE TABLE t (u "user");`);
      const names = (
        await other.query<{ name: string }>(
          "SELECT conname AS name FROM pg_constraint WHERE contypid = 'amount'::regtype ORDER BY 1",
        )
      ).rows.map((r) => r.name);
      const type = (
        await other.query<{ type: string }>(
          "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'u'",
        )
      ).rows[0]?.type;
      const user = enumType('user', ['a']);
      const { model } = declaredModel(
        [
          user,
          domain('amount', integer(), {
            checks: [sql`VALUE > 0`, sql`VALUE < 100`, { name: 'amount_small', expression: sql`VALUE <> 5` }],
          }),
          table('t', { u: user() }),
        ],
        { renderer: postgresRenderer },
      );
      expect(model.domains[0]!.checks.map((c) => c.name).sort()).toEqual(names);
      expect(model.tables[0]!.columns[0]!.type).toBe(type);
    } finally {
      await other.close();
    }
  });
});
