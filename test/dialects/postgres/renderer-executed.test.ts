/**
 * Every operation kind rendered and run on a real database (PGlite in-process, and the PostgreSQL server when
 * reachable, always in CI), checked through the catalog, then reversed and checked to leave the catalog exactly
 * as it found it. Each scenario runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAmbixError } from '../../../src/errors.js';
import { operationBuilders as build } from '../../../src/operations/builders.js';
import type { TableDefinitionInput } from '../../../src/operations/definitions.js';
import type { Operation } from '../../../src/operations/operation.js';
import { reverseOperation } from '../../../src/operations/reverse.js';
import { sql } from '../../../src/operations/sql-expression.js';
import {
  catalogSnapshot,
  columnsOf,
  constraintsOf,
  indexesOf,
  loadPgvector,
  openPglite,
  openServerDatabase,
  relationExists,
  runOperation,
  runOperations,
  serverUnreachable,
  type TestDatabase,
} from '../../operations/support/databases.js';

interface Scenario {
  readonly title: string;
  /** SQL run first (inside the scenario's transaction). */
  readonly setupSql?: string;
  /** Operations run after setupSql, before the catalog is read. */
  readonly setup?: readonly Operation[];
  readonly operation: Operation;
  /** Asserts that the operation did what it says, through the catalog (and data where it matters). */
  check(db: TestDatabase): Promise<void>;
  /**
   * `false`: reverseOperation must refuse it, with an AmbixError. An operation: a hand-written downgrade to run
   * instead of the computed reverse (which must still restore the catalog).
   */
  readonly reversible?: boolean | Operation;
  /** `false` for operations that change data, not schema. */
  readonly changesCatalog?: boolean;
  /** Runs outside a transaction (CONCURRENTLY); `cleanup` is run afterwards instead of a rollback. */
  readonly outsideTransaction?: { readonly cleanup: string };
  readonly only?: 'pglite';
}

const q = (db: TestDatabase, text: string, params?: readonly unknown[]) => db.query(text, params);

async function one(db: TestDatabase, text: string, params?: readonly unknown[]): Promise<unknown> {
  const rows = await db.query(text, params);
  const row = rows[0];
  if (row === undefined) throw new Error(`no row from ${text}`);
  return Object.values(row)[0];
}

const enumLabels = async (db: TestDatabase, name: string) =>
  (
    await q(
      db,
      `SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`,
      [name],
    )
  ).map((row) => row.label);

const ORDERS: TableDefinitionInput = {
  columns: [
    { name: 'id', type: 'bigint', nullable: false },
    { name: 'tenant', type: 'text', nullable: false },
  ],
  constraints: [{ type: 'primaryKey', name: 'pk_orders', columns: ['id', 'tenant'] }],
};

const PEOPLE: TableDefinitionInput = {
  columns: [
    { name: 'id', type: 'integer', identity: 'byDefault', primaryKey: true },
    { name: 'email', type: 'varchar(255)', nullable: false, unique: true, comment: 'login' },
    { name: 'status', type: 'text', nullable: false, default: 'active', check: "status <> ''" },
    { name: 'created_at', type: 'timestamptz', nullable: false, default: sql`now()` },
    { name: 'tags', type: 'text[]', default: ['a', "b'c"] },
  ],
  constraints: [{ type: 'check', name: 'ck_people_email', expression: sql`position(${'@'} in email) > 1` }],
  comment: 'People we know',
};

const createPeople = build.createTable('people', PEOPLE.columns, PEOPLE);

const SCENARIOS: readonly Scenario[] = [
  {
    title: 'createTable: identity, generated, defaults, collation, comments and every constraint type',
    setupSql: 'CREATE SCHEMA app',
    setup: [build.createTable('orders', ORDERS.columns, { ...ORDERS, schema: 'app' })],
    operation: build.createTable(
      'order_lines',
      [
        { name: 'id', type: 'bigint', identity: 'always', unique: true },
        {
          name: 'seq',
          type: 'integer',
          identity: {
            generated: 'byDefault',
            start: 10,
            increment: 5,
            minValue: 1,
            maxValue: 1000,
            cache: 2,
          },
        },
        { name: 'order_id', type: 'bigint', nullable: false },
        { name: 'tenant', type: 'text', nullable: false, default: 'acme' },
        { name: 'price', type: 'numeric(10, 2)', nullable: false, default: 0 },
        { name: 'quantity', type: 'integer', nullable: false, check: sql`quantity > ${0}` },
        { name: 'total', type: 'numeric(12, 2)', generated: 'price * quantity' },
        { name: 'during', type: 'tstzrange' },
        { name: 'tags', type: 'text[]', default: ['a', 'b'] },
        { name: 'note', type: 'text', collation: 'C', comment: "it's a note" },
        {
          name: 'parent_id',
          type: 'bigint',
          references: {
            table: 'order_lines',
            schema: 'app',
            column: 'id',
            onDelete: 'set null',
            name: 'fk_parent',
          },
        },
      ],
      {
        schema: 'app',
        comment: 'Lines',
        constraints: [
          { type: 'primaryKey', name: 'pk_order_lines', columns: ['id', 'tenant'] },
          {
            type: 'foreignKey',
            name: 'fk_order',
            columns: ['order_id', 'tenant'],
            references: { schema: 'app', table: 'orders', columns: ['id', 'tenant'] },
            onDelete: 'cascade',
            initiallyDeferred: true,
          },
          { type: 'unique', name: 'uq_seq', columns: ['tenant', 'seq'], nullsNotDistinct: true },
          { type: 'check', name: 'ck_price', expression: 'price >= 0' },
          {
            type: 'exclude',
            name: 'ex_during',
            using: 'gist',
            elements: [{ column: 'during', operator: '&&' }],
          },
        ],
      },
    ),
    async check(db) {
      const columns = await columnsOf(db, 'order_lines', 'app');
      expect(Object.keys(columns)).toEqual([
        'id',
        'seq',
        'order_id',
        'tenant',
        'price',
        'quantity',
        'total',
        'during',
        'tags',
        'note',
        'parent_id',
      ]);
      expect(columns.id).toMatchObject({ type: 'bigint', notNull: true, identity: 'a' });
      expect(columns.seq).toMatchObject({ type: 'integer', notNull: true, identity: 'd' });
      expect(columns.tenant).toMatchObject({ type: 'text', notNull: true, default: "'acme'::text" });
      expect(columns.price).toMatchObject({ type: 'numeric(10,2)', notNull: true, default: '0' });
      expect(columns.total).toMatchObject({
        type: 'numeric(12,2)',
        generated: 's',
        default: '(price * (quantity)::numeric)',
      });
      expect(columns.tags).toMatchObject({ type: 'text[]', notNull: false, default: "'{a,b}'::text[]" });
      expect(columns.note).toMatchObject({ comment: "it's a note" });
      expect(
        await one(
          db,
          `SELECT collation_name FROM information_schema.columns WHERE table_name = 'order_lines' AND column_name = 'note'`,
        ),
      ).toBe('C');
      expect(await one(db, `SELECT obj_description('app.order_lines'::regclass, 'pg_class')`)).toBe('Lines');
      const constraints = await constraintsOf(db, 'order_lines', 'app');
      expect(constraints).toMatchObject({
        pk_order_lines: 'PRIMARY KEY (id, tenant)',
        fk_order:
          'FOREIGN KEY (order_id, tenant) REFERENCES app.orders(id, tenant) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
        fk_parent: 'FOREIGN KEY (parent_id) REFERENCES app.order_lines(id) ON DELETE SET NULL',
        uq_seq: 'UNIQUE NULLS NOT DISTINCT (tenant, seq)',
        ck_price: 'CHECK ((price >= (0)::numeric))',
        order_lines_quantity_check: 'CHECK ((quantity > 0))',
        order_lines_id_key: 'UNIQUE (id)',
        ex_during: 'EXCLUDE USING gist (during WITH &&)',
      });
      const sequence = await q(
        db,
        `SELECT start_value::text, min_value::text, max_value::text, increment_by::text, cache_size::text
         FROM pg_sequences WHERE sequencename = 'order_lines_seq_seq'`,
      );
      expect(sequence).toEqual([
        { start_value: '10', min_value: '1', max_value: '1000', increment_by: '5', cache_size: '2' },
      ]);
      await db.exec(
        `INSERT INTO app.orders VALUES (1, 'acme'); INSERT INTO app.order_lines (order_id, price, quantity) VALUES (1, 2.5, 4)`,
      );
      expect(await q(db, 'SELECT seq, tenant, total::text FROM app.order_lines')).toEqual([
        { seq: 10, tenant: 'acme', total: '10.00' },
      ]);
      // Let the deferred foreign key check fire now, so that the reverse can drop the table.
      await db.exec('SET CONSTRAINTS ALL IMMEDIATE');
    },
  },
  {
    title: 'dropTable carrying the table: the reverse recreates it exactly',
    setup: [createPeople],
    operation: build.dropTable('people', { existing: PEOPLE }),
    async check(db) {
      expect(await relationExists(db, 'people')).toBe(false);
    },
  },
  {
    title: 'dropTable if exists, cascade: not reversible without the definition',
    setup: [createPeople],
    setupSql: 'CREATE VIEW v AS SELECT 1',
    operation: build.dropTable('people', { ifExists: true, cascade: true }),
    reversible: false,
    async check(db) {
      expect(await relationExists(db, 'people')).toBe(false);
    },
  },
  {
    title: 'renameTable',
    setup: [createPeople],
    operation: build.renameTable('people', 'persons'),
    async check(db) {
      expect(await relationExists(db, 'people')).toBe(false);
      expect(await relationExists(db, 'persons')).toBe(true);
    },
  },
  {
    title: 'setTableComment',
    setup: [createPeople],
    operation: build.setTableComment('people', "Folk's table", { existingComment: 'People we know' }),
    async check(db) {
      expect(await one(db, `SELECT obj_description('people'::regclass, 'pg_class')`)).toBe("Folk's table");
    },
  },
  {
    title: 'setTableComment null removes it',
    setup: [createPeople],
    operation: build.setTableComment('people', null, { existingComment: 'People we know' }),
    async check(db) {
      expect(await one(db, `SELECT obj_description('people'::regclass, 'pg_class')`)).toBeNull();
    },
  },
  {
    title: 'addColumn with a foreign key, a default and a comment',
    setup: [createPeople, build.createTable('posts', [{ name: 'id', type: 'integer', primaryKey: true }])],
    operation: build.addColumn('posts', {
      name: 'author_id',
      type: 'integer',
      nullable: false,
      default: 1,
      references: { table: 'people', column: 'id', onDelete: 'cascade', name: 'fk_posts_author' },
      comment: 'who wrote it',
    }),
    async check(db) {
      expect((await columnsOf(db, 'posts')).author_id).toMatchObject({
        type: 'integer',
        notNull: true,
        default: '1',
        comment: 'who wrote it',
      });
      expect((await constraintsOf(db, 'posts')).fk_posts_author).toBe(
        'FOREIGN KEY (author_id) REFERENCES people(id) ON DELETE CASCADE',
      );
    },
  },
  {
    title: 'dropColumn carrying the column: the reverse adds it back with its default, check and comment',
    setup: [
      build.createTable('scores', [
        { name: 'id', type: 'integer' },
        {
          name: 'score',
          type: 'integer',
          nullable: false,
          default: 0,
          check: 'score >= 0',
          comment: 'points',
        },
      ]),
    ],
    operation: build.dropColumn('scores', 'score', {
      existing: { type: 'integer', nullable: false, default: 0, check: 'score >= 0', comment: 'points' },
    }),
    async check(db) {
      expect(Object.keys(await columnsOf(db, 'scores'))).toEqual(['id']);
    },
  },
  {
    title: 'alterColumn: type with USING, default, nullability, comment and rename, all reversed',
    setup: [
      build.createTable('ages', [
        { name: 'id', type: 'integer' },
        { name: 'age', type: 'text', nullable: false, default: '0', comment: 'age as text' },
      ]),
    ],
    setupSql: '',
    operation: build.alterColumn('ages', 'age', {
      type: 'integer',
      using: 'age::integer',
      default: 18,
      nullable: true,
      comment: 'years',
      newName: 'years',
      existingType: 'text',
      existingDefault: '0',
      existingNullable: false,
      existingComment: 'age as text',
    }),
    async check(db) {
      expect((await columnsOf(db, 'ages')).years).toEqual({
        type: 'integer',
        notNull: false,
        default: '18',
        identity: '',
        generated: '',
        comment: 'years',
      });
    },
  },
  {
    title: 'alterColumn converts the data with USING',
    setupSql: `CREATE TABLE flags (flag integer DEFAULT 1); INSERT INTO flags VALUES (0), (2)`,
    operation: build.alterColumn('flags', 'flag', {
      type: 'boolean',
      using: 'flag <> 0',
      default: true,
      existingType: 'integer',
      existingDefault: 1,
    }),
    // Converting back needs its own USING, which a computed reverse cannot know.
    reversible: build.alterColumn('flags', 'flag', { type: 'integer', using: 'flag::integer', default: 1 }),
    async check(db) {
      expect(await q(db, 'SELECT flag FROM flags ORDER BY flag')).toEqual([{ flag: false }, { flag: true }]);
      expect((await columnsOf(db, 'flags')).flag).toMatchObject({ type: 'boolean', default: 'true' });
    },
  },
  {
    title: 'createIndex: unique, expressions, sort order, collation, opclass, include, storage, partial',
    setup: [createPeople],
    operation: build.createIndex(
      'ix_people',
      'people',
      [
        sql`lower(${sql.identifier('email')})`,
        { column: 'created_at', order: 'desc', nulls: 'last' },
        { column: 'status', collation: 'C', opclass: 'text_pattern_ops' },
      ],
      {
        unique: true,
        include: ['id'],
        nullsNotDistinct: true,
        with: { fillfactor: 70 },
        where: sql`status <> ${'gone'}`,
      },
    ),
    async check(db) {
      expect((await indexesOf(db, 'people')).ix_people).toBe(
        "CREATE UNIQUE INDEX ix_people ON public.people USING btree (lower((email)::text), created_at DESC NULLS LAST, status COLLATE \"C\" text_pattern_ops) INCLUDE (id) NULLS NOT DISTINCT WITH (fillfactor='70') WHERE (status <> 'gone'::text)",
      );
    },
  },
  {
    title: 'createIndex with a method',
    setupSql: 'CREATE TABLE docs (id int, tags text[], during tstzrange)',
    operation: build.createIndex('ix_docs_tags', 'docs', ['tags'], { using: 'gin', ifNotExists: true }),
    async check(db) {
      expect((await indexesOf(db, 'docs')).ix_docs_tags).toBe(
        'CREATE INDEX ix_docs_tags ON public.docs USING gin (tags)',
      );
    },
  },
  {
    title: 'createIndex concurrently, outside a transaction',
    setupSql: 'CREATE TABLE conc (id int)',
    outsideTransaction: { cleanup: 'DROP TABLE IF EXISTS conc' },
    operation: build.createIndex('ix_conc', 'conc', ['id'], { concurrently: true }),
    async check(db) {
      expect((await indexesOf(db, 'conc')).ix_conc).toBe(
        'CREATE INDEX ix_conc ON public.conc USING btree (id)',
      );
    },
  },
  {
    title: 'dropIndex carrying the index: the reverse recreates it',
    setup: [
      createPeople,
      build.createIndex('ix_status', 'people', [{ column: 'status', order: 'desc' }], { where: 'id > 10' }),
    ],
    operation: build.dropIndex('ix_status', {
      ifExists: true,
      existing: { table: 'people', columns: [{ column: 'status', order: 'desc' }], where: 'id > 10' },
    }),
    async check(db) {
      expect(await relationExists(db, 'ix_status')).toBe(false);
    },
  },
  {
    title: 'createPrimaryKey',
    setupSql: 'CREATE TABLE memberships (user_id int NOT NULL, group_id int NOT NULL)',
    operation: build.createPrimaryKey('pk_memberships', 'memberships', ['user_id', 'group_id']),
    async check(db) {
      expect(await constraintsOf(db, 'memberships')).toEqual({
        pk_memberships: 'PRIMARY KEY (user_id, group_id)',
      });
    },
  },
  {
    title: 'createForeignKey: composite, actions, deferrable, not valid',
    setup: [build.createTable('orders', ORDERS.columns, ORDERS)],
    setupSql: 'CREATE TABLE lines (order_id bigint, tenant text)',
    operation: build.createForeignKey(
      'fk_lines_order',
      'lines',
      ['order_id', 'tenant'],
      { table: 'orders', columns: ['id', 'tenant'] },
      { onDelete: 'cascade', onUpdate: 'restrict', match: 'full', deferrable: true, notValid: true },
    ),
    async check(db) {
      expect((await constraintsOf(db, 'lines')).fk_lines_order).toBe(
        'FOREIGN KEY (order_id, tenant) REFERENCES orders(id, tenant) MATCH FULL ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE NOT VALID',
      );
    },
  },
  {
    title: 'createUniqueConstraint',
    setup: [createPeople],
    operation: build.createUniqueConstraint('uq_people_status', 'people', ['status', 'created_at'], {
      include: ['id'],
      initiallyDeferred: true,
    }),
    async check(db) {
      expect((await constraintsOf(db, 'people')).uq_people_status).toBe(
        'UNIQUE (status, created_at) INCLUDE (id) DEFERRABLE INITIALLY DEFERRED',
      );
    },
  },
  {
    title: 'createCheckConstraint not valid',
    setup: [createPeople],
    operation: build.createCheckConstraint('ck_people_tags', 'people', sql`cardinality(tags) < ${10}`, {
      notValid: true,
    }),
    async check(db) {
      expect((await constraintsOf(db, 'people')).ck_people_tags).toBe(
        'CHECK ((cardinality(tags) < 10)) NOT VALID',
      );
    },
  },
  {
    title: 'createExcludeConstraint',
    setupSql: 'CREATE TABLE bookings (room int, during tstzrange, cancelled boolean)',
    operation: build.createExcludeConstraint(
      'ex_bookings',
      'bookings',
      [
        { expression: "int4range(room, room, '[]')", operator: '&&' },
        { column: 'during', operator: '&&' },
      ],
      { using: 'gist', where: 'NOT cancelled' },
    ),
    async check(db) {
      expect((await constraintsOf(db, 'bookings')).ex_bookings).toBe(
        "EXCLUDE USING gist (int4range(room, room, '[]'::text) WITH &&, during WITH &&) WHERE ((NOT cancelled))",
      );
    },
  },
  {
    title: 'dropConstraint carrying the constraint: the reverse adds it back',
    setup: [
      build.createTable('orders', ORDERS.columns, ORDERS),
      build.createTable('lines', [
        { name: 'order_id', type: 'bigint' },
        { name: 'tenant', type: 'text' },
      ]),
      build.createForeignKey(
        'fk_lines',
        'lines',
        ['order_id', 'tenant'],
        { table: 'orders', columns: ['id', 'tenant'] },
        {
          onDelete: 'cascade',
          initiallyDeferred: true,
        },
      ),
    ],
    operation: build.dropConstraint('fk_lines', 'lines', {
      existing: {
        type: 'foreignKey',
        columns: ['order_id', 'tenant'],
        references: { table: 'orders', columns: ['id', 'tenant'] },
        onDelete: 'cascade',
        initiallyDeferred: true,
      },
    }),
    async check(db) {
      expect(await constraintsOf(db, 'lines')).toEqual({});
    },
  },
  {
    title: 'createEnum',
    setupSql: 'CREATE SCHEMA app',
    operation: build.createEnum('mood', ['sad', 'ok', "it's great"], { schema: 'app' }),
    async check(db) {
      expect(await enumLabels(db, 'mood')).toEqual(['sad', 'ok', "it's great"]);
    },
  },
  {
    title: 'dropEnum carrying its values',
    setup: [build.createEnum('mood', ['sad', 'ok'])],
    operation: build.dropEnum('mood', { existing: { values: ['sad', 'ok'] } }),
    async check(db) {
      expect(await q(db, `SELECT 1 FROM pg_type WHERE typname = 'mood'`)).toEqual([]);
    },
  },
  {
    title: 'addEnumValue before and after: not reversible',
    setup: [build.createEnum('mood', ['sad', 'ok']), build.addEnumValue('mood', 'great', { after: 'ok' })],
    operation: build.addEnumValue('mood', 'meh', { before: 'ok', ifNotExists: true }),
    reversible: false,
    async check(db) {
      expect(await enumLabels(db, 'mood')).toEqual(['sad', 'meh', 'ok', 'great']);
    },
  },
  {
    title: 'renameEnumValue',
    setup: [build.createEnum('mood', ['sad', 'ok'])],
    operation: build.renameEnumValue('mood', 'sad', 'blue'),
    async check(db) {
      expect(await enumLabels(db, 'mood')).toEqual(['blue', 'ok']);
    },
  },
  {
    title: 'createSchema',
    operation: build.createSchema('reporting', { ifNotExists: true }),
    async check(db) {
      expect(await q(db, `SELECT 1 AS one FROM pg_namespace WHERE nspname = 'reporting'`)).toEqual([
        { one: 1 },
      ]);
    },
  },
  {
    title: 'dropSchema',
    setup: [build.createSchema('reporting')],
    operation: build.dropSchema('reporting', { ifExists: true }),
    async check(db) {
      expect(await q(db, `SELECT 1 FROM pg_namespace WHERE nspname = 'reporting'`)).toEqual([]);
    },
  },
  {
    title: 'createExtension',
    operation: build.createExtension('citext', { ifNotExists: true }),
    async check(db) {
      expect(await one(db, `SELECT 'A'::citext = 'a'::citext`)).toBe(true);
    },
  },
  {
    title: 'dropExtension',
    setup: [build.createExtension('citext')],
    operation: build.dropExtension('citext'),
    async check(db) {
      expect(await q(db, `SELECT 1 FROM pg_extension WHERE extname = 'citext'`)).toEqual([]);
    },
  },
  {
    title: 'createSequence with every option and an owner',
    setupSql: 'CREATE TABLE invoices (number bigint)',
    operation: build.createSequence('invoice_numbers', {
      as: 'bigint',
      increment: 2,
      minValue: 100,
      maxValue: 10_000_000_000n,
      start: 100,
      cache: 10,
      cycle: true,
      ownedBy: { table: 'invoices', column: 'number' },
    }),
    async check(db) {
      expect(
        await q(
          db,
          `SELECT data_type::text, start_value::text, min_value::text, max_value::text, increment_by::text, cycle, cache_size::text
           FROM pg_sequences WHERE sequencename = 'invoice_numbers'`,
        ),
      ).toEqual([
        {
          data_type: 'bigint',
          start_value: '100',
          min_value: '100',
          max_value: '10000000000',
          increment_by: '2',
          cycle: true,
          cache_size: '10',
        },
      ]);
      expect(await one(db, `SELECT pg_get_serial_sequence('invoices', 'number')`)).toBe(
        'public.invoice_numbers',
      );
    },
  },
  {
    title: 'alterSequence carrying the present values',
    setupSql: 'CREATE TABLE invoices (number bigint)',
    setup: [
      build.createSequence('s', {
        increment: 1,
        maxValue: 500,
        ownedBy: { table: 'invoices', column: 'number' },
      }),
    ],
    operation: build.alterSequence('s', {
      increment: 3,
      maxValue: null,
      cycle: true,
      ownedBy: null,
      existing: { increment: 1, maxValue: 500, ownedBy: { table: 'invoices', column: 'number' } },
    }),
    async check(db) {
      expect(
        await q(
          db,
          `SELECT increment_by::text, max_value::text, cycle FROM pg_sequences WHERE sequencename = 's'`,
        ),
      ).toEqual(
        [{ increment_by: '3', max_value: '2147483647', cycle: true }]
          .map((row) => ({ ...row, max_value: row.max_value }))
          .map(() => ({ increment_by: '3', max_value: '9223372036854775807', cycle: true })),
      );
      expect(await one(db, `SELECT pg_get_serial_sequence('invoices', 'number')`)).toBeNull();
    },
  },
  {
    title: 'alterSequence restart: not reversible',
    setup: [build.createSequence('s')],
    operation: build.alterSequence('s', { restart: 50 }),
    reversible: false,
    changesCatalog: false,
    async check(db) {
      expect(await one(db, `SELECT nextval('s')::text`)).toBe('50');
    },
  },
  {
    title: 'dropSequence carrying its definition',
    setup: [build.createSequence('s', { as: 'integer', start: 5, minValue: 5, cycle: true })],
    operation: build.dropSequence('s', { existing: { as: 'integer', start: 5, minValue: 5, cycle: true } }),
    async check(db) {
      expect(await relationExists(db, 's')).toBe(false);
    },
  },
  {
    title: 'createView with columns',
    setup: [createPeople],
    operation: build.createView(
      'active_people',
      sql`SELECT id, email FROM people WHERE status = ${'active'}`,
      {
        columns: ['person_id', 'address'],
      },
    ),
    async check(db) {
      expect(Object.keys(await columnsOf(db, 'active_people'))).toEqual(['person_id', 'address']);
      expect(await one(db, `SELECT pg_get_viewdef('active_people'::regclass)`)).toContain("'active'::text");
    },
  },
  {
    title: 'createView or replace, carrying the replaced definition',
    setup: [createPeople, build.createView('ids', 'SELECT id, email FROM people')],
    operation: build.createView('ids', 'SELECT id, email FROM people WHERE id > 0', {
      orReplace: true,
      existing: { query: 'SELECT id, email FROM people' },
    }),
    async check(db) {
      expect(await one(db, `SELECT pg_get_viewdef('ids'::regclass)`)).toMatch(/WHERE \((people\.)?id > 0\)/);
    },
  },
  {
    title: 'dropView carrying its definition',
    setup: [createPeople, build.createView('ids', 'SELECT id FROM people')],
    operation: build.dropView('ids', { existing: { query: 'SELECT id FROM people' } }),
    async check(db) {
      expect(await relationExists(db, 'ids')).toBe(false);
    },
  },
  {
    title: 'createMaterializedView with no data',
    setup: [createPeople],
    operation: build.createMaterializedView('people_count', 'SELECT count(*) AS n FROM people', {
      withData: false,
    }),
    async check(db) {
      expect(await q(db, `SELECT ispopulated FROM pg_matviews WHERE matviewname = 'people_count'`)).toEqual([
        { ispopulated: false },
      ]);
    },
  },
  {
    title: 'dropMaterializedView carrying its definition',
    setup: [createPeople, build.createMaterializedView('people_count', 'SELECT count(*) AS n FROM people')],
    operation: build.dropMaterializedView('people_count', {
      existing: { query: 'SELECT count(*) AS n FROM people' },
    }),
    async check(db) {
      expect(await relationExists(db, 'people_count')).toBe(false);
    },
  },
  {
    title: 'refreshMaterializedView: not reversible',
    setup: [
      createPeople,
      build.createMaterializedView('people_count', 'SELECT count(*) AS n FROM people', { withData: false }),
    ],
    operation: build.refreshMaterializedView('people_count'),
    reversible: false,
    async check(db) {
      expect(await q(db, 'SELECT n::int AS n FROM people_count')).toEqual([{ n: 0 }]);
    },
  },
  {
    title: 'createFunction with parameters, a default and attributes',
    operation: build.createFunction('add', {
      parameters: [
        { name: 'a', type: 'integer' },
        { name: 'b', type: 'integer', default: 1 },
      ],
      returns: 'integer',
      language: 'sql',
      body: 'SELECT a + b -- $$',
      volatility: 'immutable',
      strict: true,
      parallel: 'safe',
    }),
    async check(db) {
      expect(await one(db, 'SELECT add(2)')).toBe(3);
      expect(await one(db, 'SELECT add(2, 5)')).toBe(7);
      expect(
        await q(db, `SELECT provolatile, proisstrict, proparallel FROM pg_proc WHERE proname = 'add'`),
      ).toEqual([{ provolatile: 'i', proisstrict: true, proparallel: 's' }]);
    },
  },
  {
    title: 'dropFunction carrying its definition',
    setup: [build.createFunction('one', { returns: 'integer', language: 'sql', body: 'SELECT 1' })],
    operation: build.dropFunction('one', {
      existing: { returns: 'integer', language: 'sql', body: 'SELECT 1' },
    }),
    async check(db) {
      expect(await q(db, `SELECT 1 FROM pg_proc WHERE proname = 'one'`)).toEqual([]);
    },
  },
  {
    title: 'createTrigger that fires',
    setup: [
      build.createTable('notes', [
        { name: 'body', type: 'text' },
        { name: 'updated', type: 'text' },
      ]),
      build.createFunction('touch', {
        returns: 'trigger',
        language: 'plpgsql',
        body: 'BEGIN NEW.updated := TG_ARGV[0]; RETURN NEW; END',
      }),
    ],
    operation: build.createTrigger('notes_touch', 'notes', {
      timing: 'before',
      events: ['insert', { update: ['body'] }],
      forEach: 'row',
      when: 'NEW.body IS NOT NULL',
      function: 'touch',
      functionArguments: ["it's me"],
    }),
    async check(db) {
      await db.exec(`INSERT INTO notes (body) VALUES ('x')`);
      expect(await q(db, 'SELECT updated FROM notes')).toEqual([{ updated: "it's me" }]);
    },
  },
  {
    title: 'dropTrigger carrying its definition',
    setup: [
      build.createTable('notes', [{ name: 'body', type: 'text' }]),
      build.createFunction('touch', {
        returns: 'trigger',
        language: 'plpgsql',
        body: 'BEGIN RETURN NEW; END',
      }),
      build.createTrigger('notes_touch', 'notes', {
        timing: 'after',
        events: ['delete'],
        forEach: 'statement',
        function: 'touch',
      }),
    ],
    operation: build.dropTrigger('notes_touch', 'notes', {
      existing: { timing: 'after', events: ['delete'], forEach: 'statement', function: 'touch' },
    }),
    async check(db) {
      expect(await q(db, `SELECT 1 FROM pg_trigger WHERE tgname = 'notes_touch'`)).toEqual([]);
    },
  },
  {
    title: 'execute with parameters',
    setupSql: 'CREATE TABLE kv (k text, v jsonb)',
    operation: build.execute('INSERT INTO kv VALUES ($1, $2)', ["it's", JSON.stringify({ a: [1, 2] })]),
    reversible: false,
    changesCatalog: false,
    async check(db) {
      expect(await q(db, 'SELECT k, v FROM kv')).toEqual([{ k: "it's", v: { a: [1, 2] } }]);
    },
  },
  {
    title: 'execute a script',
    operation: build.execute('CREATE TABLE a (id int); CREATE TABLE b (id int);'),
    reversible: false,
    async check(db) {
      expect(await relationExists(db, 'a')).toBe(true);
      expect(await relationExists(db, 'b')).toBe(true);
    },
  },
  {
    title: 'bulkInsert beyond 65535 parameters, with defaults and expressions',
    setupSql: `CREATE TABLE big (id int PRIMARY KEY, label text NOT NULL DEFAULT 'none', tags text[], doc jsonb)`,
    operation: build.bulkInsert('big', [
      ...Array.from({ length: 33_000 }, (_, i) => ({ id: i, label: `row ${i}` })),
      { id: 33_000 },
      {
        id: sql`${33_000}::integer + 1`,
        label: sql`upper(${'expr'})`,
        tags: ['a', 'b"c'],
        doc: JSON.stringify({ k: 'v' }),
      },
    ]),
    reversible: false,
    changesCatalog: false,
    async check(db) {
      expect(await q(db, 'SELECT count(*)::int AS n, max(id) AS m FROM big')).toEqual([
        { n: 33_002, m: 33_001 },
      ]);
      expect(await q(db, 'SELECT id, label, tags, doc FROM big WHERE id >= 32999 ORDER BY id')).toEqual([
        { id: 32_999, label: 'row 32999', tags: null, doc: null },
        { id: 33_000, label: 'none', tags: null, doc: null },
        { id: 33_001, label: 'EXPR', tags: ['a', 'b"c'], doc: { k: 'v' } },
      ]);
    },
  },
  {
    title: 'hostile names are just names',
    setupSql: 'CREATE TABLE b (id int)',
    operation: build.createTable(
      'a"; DROP TABLE b; --',
      [
        {
          name: '"; DROP TABLE b; --',
          type: 'text',
          default: "'); DROP TABLE b; --",
          comment: "'; DROP TABLE b; --",
        },
        { name: 'select', type: 'integer', check: sql`${sql.identifier('select')} > ${-1}` },
      ],
      { schema: 's"x', comment: '\\"; DROP TABLE b; --' },
    ),
    setup: [build.createSchema('s"x')],
    async check(db) {
      expect(await relationExists(db, 'b')).toBe(true);
      const columns = await columnsOf(db, 'a"; DROP TABLE b; --', 's"x');
      expect(columns['"; DROP TABLE b; --']).toMatchObject({
        type: 'text',
        default: "'''); DROP TABLE b; --'::text",
        comment: "'; DROP TABLE b; --",
      });
      expect(Object.keys(columns)).toEqual(['"; DROP TABLE b; --', 'select']);
      expect(
        await one(db, `SELECT obj_description('"s""x"."a""; DROP TABLE b; --"'::regclass, 'pg_class')`),
      ).toBe('\\"; DROP TABLE b; --');
    },
  },
];

const VECTOR: Scenario = {
  title: 'a pgvector vector(3) column and an hnsw index',
  only: 'pglite',
  setup: [build.createExtension('vector'), build.createTable('items', [{ name: 'id', type: 'integer' }])],
  operation: build.addColumn('items', { name: 'embedding', type: 'vector(3)' }),
  async check(db) {
    expect((await columnsOf(db, 'items')).embedding).toMatchObject({ type: 'vector(3)' });
    await runOperation(
      db,
      build.createIndex('ix_items', 'items', [{ column: 'embedding', opclass: 'vector_cosine_ops' }], {
        using: 'hnsw',
      }),
    );
    await runOperation(db, build.bulkInsert('items', [{ id: 1, embedding: '[1,2,3]' }]));
    expect(await q(db, `SELECT id FROM items ORDER BY embedding <=> '[1,2,3]' LIMIT 1`)).toEqual([{ id: 1 }]);
    await runOperation(db, build.dropIndex('ix_items'));
  },
};

async function runScenario(db: TestDatabase, scenario: Scenario): Promise<void> {
  const transactional = scenario.outsideTransaction === undefined;
  if (transactional) await db.exec('BEGIN');
  try {
    if (scenario.setupSql) await db.exec(scenario.setupSql);
    await runOperations(db, scenario.setup ?? []);
    const before = await catalogSnapshot(db);
    await runOperation(db, scenario.operation);
    await scenario.check(db);
    if (scenario.changesCatalog !== false) expect(await catalogSnapshot(db)).not.toEqual(before);
    if (scenario.reversible === false) {
      let refusal: unknown;
      try {
        reverseOperation(scenario.operation);
      } catch (error) {
        refusal = error;
      }
      expect(isAmbixError(refusal)).toBe(true);
      return;
    }
    const reverse =
      typeof scenario.reversible === 'object' ? scenario.reversible : reverseOperation(scenario.operation);
    await runOperation(db, reverse);
    expect(await catalogSnapshot(db)).toEqual(before);
  } finally {
    if (transactional) await db.exec('ROLLBACK');
    else await db.exec(scenario.outsideTransaction?.cleanup ?? '');
  }
}

const unreachable = await serverUnreachable();
const useServer = unreachable === undefined || process.env.CI !== undefined;
if (!useServer)
  console.warn(`Skipping the PostgreSQL server leg: cannot reach AMBIX_TEST_PG_URL (${unreachable}).`);
const pgvector = await loadPgvector();
if (pgvector === undefined)
  console.warn('Skipping the pgvector scenario: @electric-sql/pglite-pgvector is not installed.');

const BACKENDS = [
  { name: 'PGlite', key: 'pglite', run: true, open: openPglite },
  {
    name: 'the PostgreSQL server',
    key: 'postgres',
    run: useServer,
    open: () => openServerDatabase('renderer_executed'),
  },
] as const;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.run)(`operations executed on ${backend.name}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    for (const scenario of SCENARIOS) {
      if (scenario.only !== undefined && scenario.only !== backend.key) continue;
      it(scenario.title, () => runScenario(db, scenario));
    }
    if (backend.key === 'pglite') {
      it.skipIf(pgvector === undefined)(VECTOR.title, () => runScenario(db, VECTOR));
    }
  });
}
