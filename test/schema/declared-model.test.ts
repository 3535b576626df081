import { describe, expect, it } from 'vitest';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import { AmbixError } from '../../src/errors.js';
import { declaredModel } from '../../src/schema/dsl/to-model.js';
import {
  bigint,
  boolean,
  check,
  type Declaration,
  dbSchema,
  desc,
  domain,
  enumType,
  extension,
  fn,
  foreignKey,
  index,
  integer,
  jsonb,
  materializedView,
  numeric,
  primaryKey,
  procedure,
  sequence,
  serial,
  sql,
  table,
  text,
  timestamptz,
  trigger,
  unique,
  uniqueIndex,
  uuid,
  varchar,
  vector,
  view,
} from '../../src/schema/index.js';

const model = (declarations: readonly Declaration[]) =>
  declaredModel(declarations, { renderer: postgresRenderer }).model;

function failure(run: () => unknown): AmbixError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AmbixError);
    return error as AmbixError;
  }
  throw new Error('expected an error');
}

describe('declared schema model', () => {
  it('hoists column shorthands into named constraints, named as PostgreSQL names them', () => {
    const users = table('users', {
      id: uuid().primaryKey().default(sql`gen_random_uuid()`),
      email: varchar(255).notNull().unique(),
      age: integer().check(sql`age >= 0`),
      created_at: timestamptz({ precision: 3 }).notNull().defaultNow(),
    });
    const posts = table(
      'posts',
      {
        id: bigint().identity('byDefault', { start: 100 }),
        author_id: uuid()
          .notNull()
          .references(() => users.columns.id, { onDelete: 'cascade' }),
        title: text().notNull(),
        price: numeric(10, 2),
        tags: text().array().default([]),
      },
      (t) => [
        primaryKey(t.id),
        index().on(t.author_id, desc(t.title, 'last')),
        index('posts_title_lower_idx').on(sql`lower(title)`).where(sql`price > ${0}`),
        check(sql`price >= 0`),
        unique().on(t.author_id, t.title),
      ],
    );
    const m = model([users, posts]);
    expect(m.tables.map((t) => t.name)).toEqual(['posts', 'users']);
    const u = m.tables.find((t) => t.name === 'users')!;
    expect(u).toEqual({
      schema: 'public',
      name: 'users',
      columns: [
        { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' },
        { name: 'email', type: 'character varying(255)', nullable: false },
        { name: 'age', type: 'integer', nullable: true },
        { name: 'created_at', type: 'timestamp(3) with time zone', nullable: false, default: 'now()' },
      ],
      primaryKey: { name: 'users_pkey', columns: ['id'] },
      foreignKeys: [],
      uniques: [{ name: 'users_email_key', columns: ['email'], deferrable: false, initiallyDeferred: false }],
      checks: [{ name: 'users_age_check', expression: 'age >= 0' }],
      excludes: [],
      indexes: [],
    });
    const p = m.tables.find((t) => t.name === 'posts')!;
    expect(p.columns).toEqual([
      { name: 'id', type: 'bigint', nullable: false, identity: { generated: 'byDefault', start: '100' } },
      { name: 'author_id', type: 'uuid', nullable: false },
      { name: 'title', type: 'text', nullable: false },
      { name: 'price', type: 'numeric(10,2)', nullable: true },
      { name: 'tags', type: 'text[]', nullable: true, default: "'{}'" },
    ]);
    expect(p.primaryKey).toEqual({ name: 'posts_pkey', columns: ['id'] });
    expect(p.foreignKeys).toEqual([
      {
        name: 'posts_author_id_fkey',
        columns: ['author_id'],
        references: { schema: 'public', table: 'users', columns: ['id'] },
        onDelete: 'cascade',
        onUpdate: 'no action',
        match: 'simple',
        deferrable: false,
        initiallyDeferred: false,
      },
    ]);
    expect(p.checks).toEqual([{ name: 'posts_price_check', expression: 'price >= 0' }]);
    expect(p.uniques.map((x) => x.name)).toEqual(['posts_author_id_title_key']);
    expect(p.indexes).toEqual([
      {
        name: 'posts_author_id_title_idx',
        unique: false,
        method: 'btree',
        elements: [{ column: 'author_id' }, { column: 'title', order: 'desc', nulls: 'last' }],
      },
      {
        name: 'posts_title_lower_idx',
        unique: false,
        method: 'btree',
        elements: [{ expression: 'lower(title)' }],
        where: 'price > 0',
      },
    ]);
    expect(Object.isFrozen(p.indexes[0]!.elements[0])).toBe(true);
  });

  it('gives a serial column its owned sequence and nextval default', () => {
    const m = model([table('orders', { id: serial().primaryKey() }, { schema: 'shop' })]);
    expect(m.schemas).toEqual(['shop']);
    expect(m.tables[0]!.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, default: "nextval('shop.orders_id_seq'::regclass)" },
    ]);
    expect(m.sequences).toEqual([
      {
        schema: 'shop',
        name: 'orders_id_seq',
        type: 'integer',
        start: '1',
        increment: '1',
        minValue: '1',
        maxValue: '2147483647',
        cache: '1',
        cycle: false,
        ownedBy: { schema: 'shop', table: 'orders', column: 'id' },
      },
    ]);
  });

  it('models enums, domains, sequences, views, functions, procedures, triggers and extensions', () => {
    const status = enumType('user status', ['active', 'disabled'], { schema: 'app' });
    const email = domain('email', text(), { notNull: true, checks: [sql`VALUE ~ '@'`] });
    const accounts = table(
      'accounts',
      { id: integer().primaryKey(), status: status().notNull().default('active'), email: email() },
      { schema: 'app', comment: 'the accounts' },
    );
    const touch = fn('touch', { returns: 'trigger', language: 'plpgsql', body: 'BEGIN RETURN NEW; END' });
    const declarations: Declaration[] = [
      dbSchema('app'),
      extension('pgcrypto'),
      status,
      email,
      accounts,
      sequence('invoice_numbers', { as: 'integer', start: 1000, increment: -1 }),
      view('active_accounts', sql`SELECT id FROM app.accounts WHERE status = ${'active'}`, { schema: 'app' }),
      touch,
      procedure('archive', { language: 'sql', parameters: ['integer'], body: 'DELETE FROM app.accounts' }),
      trigger('accounts_touch', {
        table: () => accounts,
        timing: 'before',
        events: ['update'],
        forEach: 'row',
        function: () => touch,
      }),
    ];
    const m = model(declarations);
    expect(m.schemas).toEqual(['app']);
    expect(m.extensions).toEqual([{ name: 'pgcrypto', schema: 'public' }]);
    expect(m.enums).toEqual([{ schema: 'app', name: 'user status', values: ['active', 'disabled'] }]);
    expect(m.tables[0]!.columns[1]).toEqual({
      name: 'status',
      type: 'app."user status"',
      nullable: false,
      default: "'active'",
    });
    expect(m.tables[0]!.columns[2]).toEqual({ name: 'email', type: 'email', nullable: true });
    expect(m.tables[0]!.comment).toBe('the accounts');
    expect(m.domains).toEqual([
      {
        schema: 'public',
        name: 'email',
        type: 'text',
        nullable: false,
        checks: [{ name: 'email_check', expression: "VALUE ~ '@'" }],
      },
    ]);
    expect(m.sequences).toEqual([
      {
        schema: 'public',
        name: 'invoice_numbers',
        type: 'integer',
        start: '1000',
        increment: '-1',
        minValue: '-2147483648',
        maxValue: '-1',
        cache: '1',
        cycle: false,
      },
    ]);
    expect(m.views).toEqual([
      {
        schema: 'app',
        name: 'active_accounts',
        materialized: false,
        query: "SELECT id FROM app.accounts WHERE status = 'active'",
      },
    ]);
    expect(m.functions.map((f) => [f.name, f.kind, f.identityArguments])).toEqual([
      ['archive', 'procedure', 'integer'],
      ['touch', 'function', ''],
    ]);
    expect(m.functions[0]!.definition).toMatch(/^CREATE OR REPLACE PROCEDURE "public"\."archive"\(integer\)/);
    expect(m.functions[1]!.definition).toContain('RETURNS trigger');
    expect(m.triggers).toEqual([
      {
        schema: 'app',
        table: 'accounts',
        name: 'accounts_touch',
        definition:
          'CREATE TRIGGER "accounts_touch" BEFORE UPDATE ON "app"."accounts" FOR EACH ROW EXECUTE FUNCTION "public"."touch"()',
        function: { schema: 'public', name: 'touch' },
      },
    ]);
  });

  it('resolves composite foreign keys to tables declared later, and pgvector columns', () => {
    const lines = table('lines', { order_id: integer(), line: integer(), embedding: vector(3) }, (t) => [
      foreignKey({
        columns: [t.order_id, t.line],
        references: () => [slots.columns.order_id, slots.columns.line],
        onDelete: 'set null',
        deferrable: true,
      }),
    ]);
    const slots = table(
      'slots',
      { order_id: integer(), line: integer(), data: jsonb(), on: boolean() },
      (t) => [primaryKey(t.order_id, t.line)],
    );
    const m = model([lines, slots]);
    const l = m.tables.find((t) => t.name === 'lines')!;
    expect(l.columns[2]).toEqual({ name: 'embedding', type: 'vector(3)', nullable: true });
    expect(l.foreignKeys[0]).toMatchObject({
      name: 'lines_order_id_line_fkey',
      references: { schema: 'public', table: 'slots', columns: ['order_id', 'line'] },
      onDelete: 'set null',
      deferrable: true,
      initiallyDeferred: false,
    });
    expect(m.tables.find((t) => t.name === 'slots')!.primaryKey).toEqual({
      name: 'slots_pkey',
      columns: ['order_id', 'line'],
    });
  });

  it('chooses a free name when the default is taken', () => {
    const m = model([table('t', { a: integer() }, (t) => [index('t_a_idx').on(t.a), index().on(t.a)])]);
    expect(m.tables[0]!.indexes.map((i) => i.name)).toEqual(['t_a_idx', 't_a_idx1']);
  });

  it("declares a materialized view's indexes on its columns by name, unnamed ones named as PostgreSQL names them", () => {
    const totals = materializedView(
      'order_totals',
      sql`SELECT user_id, day, sum(amount) AS total FROM orders GROUP BY user_id, day`,
      {
        schema: 'app',
        indexes: [
          uniqueIndex().on('user_id', desc('day', 'last')),
          index('order_totals_big_idx').on('total').where(sql`total > 100`),
          index().on(sql`lower(user_id::text)`).include('total'),
          index().on({ column: 'day', opclass: 'date_ops' }),
        ],
      },
    );
    const m = model([table('order_totals_day_idx', { a: integer() }, { schema: 'app' }), totals]);
    expect(m.views).toEqual([
      {
        schema: 'app',
        name: 'order_totals',
        materialized: true,
        query: 'SELECT user_id, day, sum(amount) AS total FROM orders GROUP BY user_id, day',
        indexes: [
          {
            name: 'order_totals_big_idx',
            unique: false,
            method: 'btree',
            elements: [{ column: 'total' }],
            where: 'total > 100',
          },
          {
            name: 'order_totals_day_idx1',
            unique: false,
            method: 'btree',
            elements: [{ column: 'day', opclass: 'date_ops' }],
          },
          {
            name: 'order_totals_lower_idx',
            unique: false,
            method: 'btree',
            elements: [{ expression: 'lower(user_id::text)' }],
            include: ['total'],
          },
          {
            name: 'order_totals_user_id_day_idx',
            unique: true,
            method: 'btree',
            elements: [{ column: 'user_id' }, { column: 'day', order: 'desc', nulls: 'last' }],
          },
        ],
      },
    ]);
    // A materialized view without indexes has none, as reflection reads it; a view has no index list at all.
    expect(model([materializedView('m', sql`SELECT 1 AS one`), view('v', sql`SELECT 1`)]).views).toEqual([
      { schema: 'public', name: 'm', materialized: true, query: 'SELECT 1 AS one', indexes: [] },
      { schema: 'public', name: 'v', materialized: false, query: 'SELECT 1' },
    ]);
  });

  it('says what is wrong with the index of a view', () => {
    const t = table('t', { a: integer() });
    expect(
      failure(() =>
        model([t, materializedView('m', sql`SELECT a FROM t`, { indexes: [index().on(t.columns.a)] })]),
      ).message,
    ).toBe('An index of the materialized view public.m names a column of a table.');
    expect(
      failure(() =>
        model([materializedView('m', sql`SELECT a FROM t`, { columns: ['x'], indexes: [index().on('a')] })]),
      ).message,
    ).toBe('An index of the materialized view public.m is on "a", which is not one of its columns (x).');
    expect(failure(() => model([table('u', { a: integer() }, () => [index().on('a')])])).message).toBe(
      'An index of table public.u names the column "a" by a string.',
    );
    expect(
      failure(() => view('v', sql`SELECT 1`, { indexes: [index().on('x')] } as Parameters<typeof view>[2]))
        .message,
    ).toBe('The view "v" declares indexes: only a materialized view has them.');
  });

  it('says what is wrong with a declaration', () => {
    expect(
      failure(() => model([table('t', { a: integer().primaryKey(), b: integer().primaryKey() })])).message,
    ).toBe('Table public.t marks 2 columns .primaryKey() (a, b).');
    const other = table('o', { x: integer() });
    expect(
      failure(() => model([table('t', { a: integer() }, () => [index().on(other.columns.x)]), other]))
        .message,
    ).toBe('An index of table public.t names a column of another table.');
    expect(failure(() => model([table('t', { a: integer() }), table('t', { b: integer() })])).message).toBe(
      'The schema declares the table public.t twice.',
    );
    expect(failure(() => enumType('e', ['a', 'a'])).message).toBe('Enum "e" lists "a" twice.');
    expect(failure(() => varchar(0)).code).toBe('SCHEMA_INVALID');
  });
});
