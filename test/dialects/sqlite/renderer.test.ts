import { describe, expect, it } from 'vitest';
import type { Sql } from '../../../src/dialects/dialect.js';
import { applyToTable, moveAndCopy } from '../../../src/dialects/sqlite/move-and-copy.js';
import { bulkInsert } from '../../../src/dialects/sqlite/render-data.js';
import { type SqliteRenderContext, sqliteRenderer } from '../../../src/dialects/sqlite/renderer.js';
import { AmbixError } from '../../../src/errors.js';
import { operationBuilders as build } from '../../../src/operations/builders.js';
import { BEGIN_AUTOCOMMIT, END_AUTOCOMMIT } from '../../../src/operations/data-operations.js';
import type { Operation, OperationKind } from '../../../src/operations/operation.js';
import { OPERATION_KINDS } from '../../../src/operations/operation.js';
import { sql } from '../../../src/operations/sql-expression.js';
import type { TableModel } from '../../../src/schema/model.js';

// The tables the render context knows in these tests, as reflection reports them.
const USERS: TableModel = {
  schema: 'main',
  name: 'users',
  columns: [
    // SQLite reports a rowid nullable, though it never holds NULL.
    { name: 'id', type: 'INTEGER', nullable: true, identity: { generated: 'byDefault' } },
    { name: 'email', type: 'TEXT', nullable: false },
    { name: 'name', type: 'TEXT', nullable: true, default: "'anon'" },
    { name: 'created_at', type: 'TEXT', nullable: true, default: "datetime('now')" },
  ],
  primaryKey: { name: 'users_pkey', columns: ['id'] },
  foreignKeys: [],
  uniques: [{ name: 'users_email_key', columns: ['email'], deferrable: false, initiallyDeferred: false }],
  checks: [{ name: 'users_email_check', expression: "email <> ''" }],
  excludes: [],
  indexes: [{ name: 'users_name_idx', unique: false, method: 'btree', elements: [{ column: 'name' }] }],
};

const POSTS: TableModel = {
  schema: 'main',
  name: 'posts',
  columns: [
    { name: 'id', type: 'INTEGER', nullable: false },
    { name: 'author_id', type: 'INTEGER', nullable: true },
    { name: 'reviewer_id', type: 'INTEGER', nullable: true },
    { name: 'title', type: 'TEXT', nullable: false },
    { name: 'price', type: 'TEXT', nullable: true },
  ],
  primaryKey: { name: 'posts_pkey', columns: ['id'] },
  foreignKeys: [
    {
      name: 'posts_author_id_fkey',
      columns: ['author_id'],
      references: { schema: 'main', table: 'users', columns: ['id'] },
      onDelete: 'cascade',
      onUpdate: 'no action',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  uniques: [],
  checks: [],
  excludes: [],
  indexes: [
    {
      name: 'posts_title_lower',
      unique: true,
      method: 'btree',
      elements: [{ expression: 'lower(title)', order: 'desc' }],
      where: 'author_id IS NOT NULL',
    },
  ],
};

/** A table without a primary key, whose rows only SQLite's hidden rowid tells apart. */
const TAGS: TableModel = {
  schema: 'main',
  name: 'tags',
  columns: [
    { name: 'label', type: 'TEXT', nullable: true },
    { name: 'weight', type: '', nullable: true, default: '0' },
  ],
  foreignKeys: [],
  uniques: [],
  checks: [],
  excludes: [],
  indexes: [],
};

/** A STRICT, WITHOUT ROWID table with a VIRTUAL generated column, as reflection reports it. */
const READINGS: TableModel = {
  schema: 'main',
  name: 'readings',
  columns: [
    // A WITHOUT ROWID table's key columns are NOT NULL, declared so or not.
    { name: 'sensor', type: 'TEXT', nullable: false },
    { name: 'taken_at', type: 'INTEGER', nullable: false },
    { name: 'celsius', type: 'REAL', nullable: true },
    {
      name: 'fahrenheit',
      type: 'REAL',
      nullable: true,
      generated: 'celsius * 9 / 5 + 32',
      generatedKind: 'virtual',
    },
  ],
  primaryKey: { name: 'readings_pkey', columns: ['sensor', 'taken_at'] },
  foreignKeys: [],
  uniques: [],
  checks: [],
  excludes: [],
  indexes: [],
  strict: true,
  withoutRowid: true,
};

/** The statements that end a rebuild: PRAGMA foreign_key_check, failing when it finds a row. */
function foreignKeyCheck(table: string, schema?: string): string[] {
  return [
    `CREATE TEMP TABLE "_ambix_guard" ("row" CONSTRAINT "ambix: rows break a foreign key after rebuilding table ${table}; PRAGMA foreign_key_check lists them" CHECK ("row" IS NULL))`,
    `INSERT INTO temp."_ambix_guard" SELECT "table" FROM pragma_foreign_key_check('${table}'${schema === undefined ? '' : `, '${schema}'`})`,
    'DROP TABLE temp."_ambix_guard"',
  ];
}

interface Golden {
  readonly title: string;
  readonly operation: Operation;
  /** The tables the render context knows; omitted, there is no context at all. */
  readonly tables?: readonly TableModel[];
  /** The statements, or the message of the AmbixError the operation is refused with. */
  readonly sql?: readonly string[];
  readonly error?: string;
}

// One entry per kind at least: a Record over OperationKind, so a new kind without golden SQL does not compile.
const GOLDEN: Record<OperationKind, readonly Golden[]> = {
  createTable: [
    {
      title: 'columns, defaults as values and as SQL, column constraints; comments left out',
      sql: [
        'CREATE TABLE IF NOT EXISTS "accounts" (\n' +
          '  "id" text NOT NULL PRIMARY KEY,\n' +
          '  "email" varchar(255) NOT NULL UNIQUE,\n' +
          "  \"status\" text DEFAULT 'active' NOT NULL CHECK (status <> ''),\n" +
          '  "created_at" text DEFAULT CURRENT_TIMESTAMP NOT NULL,\n' +
          '  "updated_at" text DEFAULT (datetime(\'now\')),\n' +
          '  "score" integer DEFAULT -1,\n' +
          '  "name" text COLLATE "NOCASE",\n' +
          '  "owner_id" integer CONSTRAINT "fk_owner" REFERENCES "users" ON DELETE SET NULL\n' +
          ')',
      ],
      operation: build.createTable(
        'accounts',
        [
          { name: 'id', type: 'text', primaryKey: true },
          {
            name: 'email',
            type: 'varchar(255)',
            nullable: false,
            unique: true,
            comment: "the user's address",
          },
          { name: 'status', type: 'text', nullable: false, default: 'active', check: "status <> ''" },
          { name: 'created_at', type: 'text', nullable: false, default: sql`CURRENT_TIMESTAMP` },
          { name: 'updated_at', type: 'text', default: sql`datetime('now')` },
          { name: 'score', type: 'integer', default: -1 },
          { name: 'name', type: 'text', collation: 'NOCASE' },
          {
            name: 'owner_id',
            type: 'integer',
            references: { table: 'users', name: 'fk_owner', onDelete: 'set null' },
          },
        ],
        { comment: 'People', ifNotExists: true },
      ),
    },
    {
      title: 'an identity column takes the named primary key on itself as INTEGER PRIMARY KEY AUTOINCREMENT',
      sql: [
        'CREATE TABLE "aux"."order_lines" (\n' +
          '  "id" INTEGER CONSTRAINT "pk_order_lines" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "order_id" bigint NOT NULL,\n' +
          '  "price" numeric(10, 2) NOT NULL,\n' +
          '  "quantity" integer NOT NULL,\n' +
          '  "total" numeric(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,\n' +
          '  CONSTRAINT "fk_order" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED,\n' +
          '  CONSTRAINT "uq_line" UNIQUE ("order_id", "price"),\n' +
          '  CONSTRAINT "ck_quantity" CHECK (quantity > 0)\n' +
          ')',
      ],
      operation: build.createTable(
        'order_lines',
        [
          { name: 'id', type: 'bigint', identity: 'always' },
          { name: 'order_id', type: 'bigint', nullable: false },
          { name: 'price', type: 'numeric(10, 2)', nullable: false },
          { name: 'quantity', type: 'integer', nullable: false },
          { name: 'total', type: 'numeric(12, 2)', generated: sql`price * quantity` },
        ],
        {
          schema: 'aux',
          constraints: [
            { type: 'primaryKey', name: 'pk_order_lines', columns: ['id'] },
            {
              type: 'foreignKey',
              name: 'fk_order',
              columns: ['order_id'],
              references: { schema: 'aux', table: 'orders', columns: ['id'] },
              onDelete: 'cascade',
              onUpdate: 'no action',
              initiallyDeferred: true,
            },
            { type: 'unique', name: 'uq_line', columns: ['order_id', 'price'] },
            { type: 'check', name: 'ck_quantity', expression: sql`quantity > ${0}`, noInherit: true },
          ],
        },
      ),
    },
    {
      title: "a serial column is SQLite's plain rowid, INTEGER PRIMARY KEY",
      sql: ['CREATE TABLE "pairs" (\n' + '  "id" INTEGER PRIMARY KEY\n' + ')'],
      operation: build.createTable('pairs', [{ name: 'id', type: 'serial', primaryKey: true }]),
    },
    {
      title: 'a composite primary key makes its columns NOT NULL, as on PostgreSQL',
      sql: [
        'CREATE TABLE "memberships" (\n' +
          '  "user_id" integer NOT NULL,\n' +
          '  "group_id" integer NOT NULL,\n' +
          '  "note" text,\n' +
          '  PRIMARY KEY ("user_id", "group_id")\n' +
          ')',
      ],
      operation: build.createTable(
        'memberships',
        [
          { name: 'user_id', type: 'integer' },
          { name: 'group_id', type: 'integer' },
          { name: 'note', type: 'text', nullable: true },
        ],
        { constraints: [{ type: 'primaryKey', columns: ['user_id', 'group_id'] }] },
      ),
    },
    {
      title: 'defaults of every value type',
      sql: [
        'CREATE TABLE "defaults" (\n' +
          '  "b" boolean DEFAULT 0,\n' +
          '  "n" real DEFAULT 1.5,\n' +
          '  "big" integer DEFAULT 9007199254740993,\n' +
          '  "d" text DEFAULT \'2024-01-02T03:04:05.678Z\',\n' +
          '  "bytes" blob DEFAULT X\'00ff\',\n' +
          "  \"quote\" text DEFAULT 'it''s C:\\temp',\n" +
          '  "list" text DEFAULT \'["a","b"]\',\n' +
          '  "inf" real DEFAULT 1e999,\n' +
          '  "parenthesized" integer DEFAULT (1 + 2),\n' +
          '  "sum" integer DEFAULT ((1) + (2))\n' +
          ')',
      ],
      operation: build.createTable('defaults', [
        { name: 'b', type: 'boolean', default: false },
        { name: 'n', type: 'real', default: 1.5 },
        { name: 'big', type: 'integer', default: 9007199254740993n },
        { name: 'd', type: 'text', default: new Date('2024-01-02T03:04:05.678Z') },
        { name: 'bytes', type: 'blob', default: Buffer.from([0, 255]) },
        { name: 'quote', type: 'text', default: "it's C:\\temp" },
        { name: 'list', type: 'text', default: ['a', 'b'] },
        { name: 'inf', type: 'real', default: Number.POSITIVE_INFINITY },
        { name: 'parenthesized', type: 'integer', default: sql`(1 + 2)` },
        { name: 'sum', type: 'integer', default: sql`(1) + (2)` },
      ]),
    },
    {
      title: 'an identity column that is not the only primary key column is an error',
      error:
        'op.createTable(): column "id" is an identity column, which SQLite supports only as the table\'s INTEGER PRIMARY KEY: make it the table\'s only primary key column (primaryKey: true), or make it a plain integer column',
      operation: build.createTable('bad', [{ name: 'id', type: 'integer', identity: 'always' }]),
    },
    {
      title: 'identity sequence options are an error',
      error:
        'op.createTable(): SQLite\'s AUTOINCREMENT has no sequence options (start on column "id"): leave them out',
      operation: build.createTable('bad', [
        { name: 'id', type: 'integer', primaryKey: true, identity: { start: 10 } },
      ]),
    },
    {
      title: 'an identity column of a non-integer type is an error',
      error:
        'op.createTable(): column "id" is numbered automatically but has type uuid: SQLite numbers rows only in an INTEGER PRIMARY KEY column; give it an integer type',
      operation: build.createTable('bad', [
        { name: 'id', type: 'uuid', primaryKey: true, identity: 'always' },
      ]),
    },
    {
      title: 'a table without columns is an error',
      error: 'op.createTable(): SQLite tables need at least one column; "empty" has none',
      operation: build.createTable('empty', []),
    },
    {
      title: 'a foreign key to another schema is an error',
      error:
        'op.createTable(): SQLite foreign keys reference tables of the same database, not of schema "public": leave references.schema out',
      operation: build.createTable('bad', [
        { name: 'a', type: 'integer', references: { schema: 'public', table: 'users' } },
      ]),
    },
    {
      title: 'MATCH FULL is an error',
      error:
        'op.createTable(): SQLite handles every foreign key as MATCH SIMPLE and has no MATCH FULL: leave match out',
      operation: build.createTable('bad', [
        { name: 'a', type: 'integer', references: { table: 'users', match: 'full' } },
      ]),
    },
    {
      title: 'a deferrable unique constraint is an error',
      error:
        'op.createTable(): SQLite checks unique constraints at once and cannot defer them: leave deferrable out',
      operation: build.createTable('bad', [{ name: 'a', type: 'integer' }], {
        constraints: [{ type: 'unique', columns: ['a'], deferrable: true }],
      }),
    },
    {
      title: 'an exclusion constraint is an error',
      error:
        'op.createTable(): SQLite has no exclusion constraints: use a unique index (op.createIndex(…, { unique: true })) for equality, or a trigger that raises an error (op.execute(`CREATE TRIGGER … BEGIN SELECT RAISE(ABORT, …); END`))',
      operation: build.createTable('bad', [{ name: 'a', type: 'integer' }], {
        constraints: [{ type: 'exclude', elements: [{ column: 'a', operator: '=' }] }],
      }),
    },
    {
      title: 'STRICT and WITHOUT ROWID after the columns; a VIRTUAL generated column',
      sql: [
        'CREATE TABLE "readings" (\n' +
          '  "sensor" TEXT NOT NULL,\n' +
          '  "taken_at" INTEGER NOT NULL,\n' +
          '  "celsius" real,\n' +
          '  "fahrenheit" REAL GENERATED ALWAYS AS (celsius * 9 / 5 + 32) VIRTUAL,\n' +
          '  "payload" ANY,\n' +
          '  PRIMARY KEY ("sensor", "taken_at")\n' +
          ') STRICT, WITHOUT ROWID',
      ],
      operation: build.createTable(
        'readings',
        [
          { name: 'sensor', type: 'TEXT' },
          { name: 'taken_at', type: 'INTEGER' },
          { name: 'celsius', type: 'real' },
          {
            name: 'fahrenheit',
            type: 'REAL',
            generated: sql`celsius * 9 / 5 + 32`,
            generatedKind: 'virtual',
          },
          { name: 'payload', type: 'ANY' },
        ],
        {
          constraints: [{ type: 'primaryKey', columns: ['sensor', 'taken_at'] }],
          strict: true,
          withoutRowid: true,
        },
      ),
    },
    {
      title: 'STRICT alone: an identity column is INTEGER whatever integer type it declares',
      sql: [
        'CREATE TABLE "events" (\n' +
          '  "id" INTEGER PRIMARY KEY AUTOINCREMENT,\n' +
          '  "kind" text NOT NULL\n' +
          ') STRICT',
      ],
      operation: build.createTable(
        'events',
        [
          { name: 'id', type: 'bigint', primaryKey: true, identity: 'always' },
          { name: 'kind', type: 'text', nullable: false },
        ],
        { strict: true },
      ),
    },
    {
      title: 'WITHOUT ROWID alone; false options are SQLite’s defaults and are left out',
      sql: [
        'CREATE TABLE "settings" (\n' +
          '  "key" varchar(40) NOT NULL PRIMARY KEY,\n' +
          '  "value" blob\n' +
          ') WITHOUT ROWID',
      ],
      operation: build.createTable(
        'settings',
        [
          { name: 'key', type: 'varchar(40)', primaryKey: true },
          { name: 'value', type: 'blob' },
        ],
        { withoutRowid: true, strict: false },
      ),
    },
    {
      title: 'a STRICT table with a type SQLite does not have is an error naming the type to write',
      error:
        'op.createTable(): a STRICT table\'s columns must have one of SQLite\'s own types (INT, INTEGER, REAL, TEXT, BLOB, ANY), and column "email" has type varchar(255)',
      operation: build.createTable(
        'people',
        [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: 'email', type: 'varchar(255)' },
        ],
        { strict: true },
      ),
    },
    {
      title: 'a WITHOUT ROWID table without a primary key is an error',
      error: 'op.createTable(): a WITHOUT ROWID table needs a PRIMARY KEY, and table "log" has none',
      operation: build.createTable('log', [{ name: 'line', type: 'text' }], { withoutRowid: true }),
    },
    {
      title: 'an identity column in a WITHOUT ROWID table is an error',
      error:
        'op.createTable(): column "id" is an identity column, which SQLite numbers with the rowid (INTEGER PRIMARY KEY [AUTOINCREMENT]), and a WITHOUT ROWID table has none',
      operation: build.createTable(
        'counters',
        [{ name: 'id', type: 'integer', primaryKey: true, identity: 'byDefault' }],
        { withoutRowid: true },
      ),
    },
    {
      title: 'a serial column in a WITHOUT ROWID table is an error',
      error:
        'op.createTable(): column "id" is a serial column, which SQLite numbers with the rowid (INTEGER PRIMARY KEY [AUTOINCREMENT]), and a WITHOUT ROWID table has none',
      operation: build.createTable('counters', [{ name: 'id', type: 'serial', primaryKey: true }], {
        withoutRowid: true,
      }),
    },
    {
      title: "MySQL's table options are an error",
      error:
        "op.createTable(): SQLite tables have no engine (MySQL's table options): leave them out, and give text columns their own collation",
      operation: build.createTable('t', [{ name: 'a', type: 'integer' }], { engine: 'InnoDB' }),
    },
  ],
  dropTable: [
    { title: 'plain', sql: ['DROP TABLE "users"'], operation: build.dropTable('users') },
    {
      title: 'if exists, in an attached database',
      sql: ['DROP TABLE IF EXISTS "aux"."users"'],
      operation: build.dropTable('users', { schema: 'aux', ifExists: true }),
    },
    {
      title: 'CASCADE is an error',
      error:
        'op.dropTable(): SQLite has no CASCADE: drop what depends on table "users" (views, triggers, foreign keys of other tables) first, then leave cascade out',
      operation: build.dropTable('users', { cascade: true }),
    },
  ],
  renameTable: [
    {
      title: 'stays in its database',
      sql: ['ALTER TABLE "aux"."users" RENAME TO "people"'],
      operation: build.renameTable('users', 'people', { schema: 'aux' }),
    },
  ],
  setTableComment: [
    {
      title: 'is an error',
      error:
        'op.setTableComment(): SQLite has no comments on tables (COMMENT ON): keep the description in the schema module or in the migration',
      operation: build.setTableComment('users', 'People'),
    },
  ],
  addColumn: [
    {
      title: 'in place, with what ADD COLUMN allows (needs no table definition)',
      sql: [
        'ALTER TABLE "users" ADD COLUMN "country" text COLLATE "NOCASE" DEFAULT \'NL\' NOT NULL CHECK (length(country) = 2) REFERENCES "countries" ("code")',
      ],
      operation: build.addColumn('users', {
        name: 'country',
        type: 'text',
        nullable: false,
        default: 'NL',
        collation: 'NOCASE',
        check: 'length(country) = 2',
        references: { table: 'countries', column: 'code' },
      }),
    },
    {
      title: 'a default that is not a constant rebuilds the table',
      sql: [
        'CREATE TABLE "_ambix_new_users" (\n' +
          '  "id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "email" TEXT NOT NULL,\n' +
          '  "name" TEXT DEFAULT \'anon\',\n' +
          '  "created_at" TEXT DEFAULT (datetime(\'now\')),\n' +
          '  "seen_at" text DEFAULT CURRENT_TIMESTAMP,\n' +
          '  CONSTRAINT "users_email_key" UNIQUE ("email"),\n' +
          '  CONSTRAINT "users_email_check" CHECK (email <> \'\')\n' +
          ')',
        'INSERT INTO "_ambix_new_users" ("id", "email", "name", "created_at")\n' +
          '  SELECT "id", "email", "name", "created_at" FROM "users"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_users\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_users\', seq FROM "sqlite_sequence" WHERE name = \'users\'',
        'DROP TABLE "users"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_users" RENAME TO "users"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE INDEX "users_name_idx" ON "users" ("name")',
        ...foreignKeyCheck('users'),
      ],
      operation: build.addColumn('users', { name: 'seen_at', type: 'text', default: sql`CURRENT_TIMESTAMP` }),
      tables: [USERS],
    },
    {
      title: 'a unique column rebuilds the table, its constraint named as PostgreSQL would',
      sql: [
        'CREATE TABLE "_ambix_new_posts" (\n' +
          '  "id" INTEGER NOT NULL,\n' +
          '  "author_id" INTEGER,\n' +
          '  "reviewer_id" INTEGER,\n' +
          '  "title" TEXT NOT NULL,\n' +
          '  "price" TEXT,\n' +
          '  "slug" text,\n' +
          '  CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),\n' +
          '  CONSTRAINT "posts_slug_key" UNIQUE ("slug"),\n' +
          '  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE\n' +
          ')',
        'INSERT INTO "_ambix_new_posts" ("id", "author_id", "reviewer_id", "title", "price")\n' +
          '  SELECT "id", "author_id", "reviewer_id", "title", "price" FROM "posts"',
        'DROP TABLE "posts"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_posts" RENAME TO "posts"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE UNIQUE INDEX "posts_title_lower" ON "posts" ((lower(title)) DESC) WHERE author_id IS NOT NULL',
        ...foreignKeyCheck('posts'),
      ],
      operation: build.addColumn('posts', { name: 'slug', type: 'text', unique: true }),
      tables: [POSTS],
    },
    {
      title: 'a stored generated column rebuilds the table and is not copied',
      sql: [
        'CREATE TABLE "_ambix_new_posts" (\n' +
          '  "id" INTEGER NOT NULL,\n' +
          '  "author_id" INTEGER,\n' +
          '  "reviewer_id" INTEGER,\n' +
          '  "title" TEXT NOT NULL,\n' +
          '  "price" TEXT,\n' +
          '  "title_length" integer GENERATED ALWAYS AS (length(title)) STORED,\n' +
          '  CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),\n' +
          '  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE\n' +
          ')',
        'INSERT INTO "_ambix_new_posts" ("id", "author_id", "reviewer_id", "title", "price")\n' +
          '  SELECT "id", "author_id", "reviewer_id", "title", "price" FROM "posts"',
        'DROP TABLE "posts"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_posts" RENAME TO "posts"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE UNIQUE INDEX "posts_title_lower" ON "posts" ((lower(title)) DESC) WHERE author_id IS NOT NULL',
        ...foreignKeyCheck('posts'),
      ],
      operation: build.addColumn('posts', {
        name: 'title_length',
        type: 'integer',
        generated: sql`length(title)`,
      }),
      tables: [POSTS],
    },
    {
      title: 'an identity column on a table without a primary key rebuilds it, numbering its rows',
      sql: [
        'CREATE TABLE "_ambix_new_tags" (\n' +
          '  "label" TEXT,\n' +
          '  "weight" DEFAULT 0,\n' +
          '  "id" INTEGER CONSTRAINT "tags_pkey" PRIMARY KEY AUTOINCREMENT\n' +
          ')',
        'INSERT INTO "_ambix_new_tags" ("label", "weight")\n' + '  SELECT "label", "weight" FROM "tags"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_tags\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_tags\', seq FROM "sqlite_sequence" WHERE name = \'tags\'',
        'DROP TABLE "tags"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_tags" RENAME TO "tags"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('tags'),
      ],
      operation: build.addColumn('tags', {
        name: 'id',
        type: 'integer',
        primaryKey: true,
        identity: 'byDefault',
      }),
      tables: [TAGS],
    },
    {
      title: 'ifNotExists asks the table: nothing when the column is there',
      sql: [],
      operation: build.addColumn('users', { name: 'email', type: 'text' }, { ifNotExists: true }),
      tables: [USERS],
    },
    {
      title: 'ifNotExists adds a missing column in place',
      sql: ['ALTER TABLE "users" ADD COLUMN "bio" text'],
      operation: build.addColumn('users', { name: 'bio', type: 'text' }, { ifNotExists: true }),
      tables: [USERS],
    },
    {
      title: 'a NOT NULL column without a default is a rebuild, which needs the table',
      error:
        'op.addColumn(): SQLite cannot add a NOT NULL column without a default in place and ambix rebuilds the table ("move and copy"), so ambix needs the present definition of table "users", which it does not have here: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
      operation: build.addColumn('users', { name: 'age', type: 'integer', nullable: false }),
    },
    {
      title:
        'a column that needs a rebuild, without the table definition, is an error that says what to pass',
      error:
        'op.addColumn(): SQLite cannot add a UNIQUE column in place and ambix rebuilds the table ("move and copy"), so ambix needs the present definition of table "users", which it does not have here: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
      operation: build.addColumn('users', { name: 'code', type: 'text', unique: true }),
    },
    {
      title: 'a VIRTUAL generated column is added in place (needs no table definition)',
      sql: [
        'ALTER TABLE "posts" ADD COLUMN "title_length" integer GENERATED ALWAYS AS (length(title)) VIRTUAL',
      ],
      operation: build.addColumn('posts', {
        name: 'title_length',
        type: 'integer',
        generated: sql`length(title)`,
        generatedKind: 'virtual',
      }),
    },
    {
      title: 'a STORED generated column of a STRICT, WITHOUT ROWID table rebuilds it, keeping both',
      sql: [
        'CREATE TABLE "_ambix_new_readings" (\n' +
          '  "sensor" TEXT NOT NULL,\n' +
          '  "taken_at" INTEGER NOT NULL,\n' +
          '  "celsius" REAL,\n' +
          '  "fahrenheit" REAL GENERATED ALWAYS AS (celsius * 9 / 5 + 32) VIRTUAL,\n' +
          '  "kelvin" REAL GENERATED ALWAYS AS (celsius + 273.15) STORED,\n' +
          '  CONSTRAINT "readings_pkey" PRIMARY KEY ("sensor", "taken_at")\n' +
          ') STRICT, WITHOUT ROWID',
        'INSERT INTO "_ambix_new_readings" ("sensor", "taken_at", "celsius")\n' +
          '  SELECT "sensor", "taken_at", "celsius" FROM "readings"',
        'DROP TABLE "readings"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_readings" RENAME TO "readings"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('readings'),
      ],
      operation: build.addColumn('readings', {
        name: 'kelvin',
        type: 'REAL',
        generated: sql`celsius + 273.15`,
        generatedKind: 'stored',
      }),
      tables: [READINGS],
    },
    {
      title: 'a type a STRICT table does not take is an error when the table is known',
      error:
        'op.addColumn(): a STRICT table\'s columns must have one of SQLite\'s own types (INT, INTEGER, REAL, TEXT, BLOB, ANY), and column "note" has type varchar(100)',
      operation: build.addColumn('readings', { name: 'note', type: 'varchar(100)' }),
      tables: [READINGS],
    },
  ],
  dropColumn: [
    {
      title: 'in place when the table is not known',
      sql: ['ALTER TABLE "aux"."users" DROP COLUMN "name"'],
      operation: build.dropColumn('users', 'name', { schema: 'aux' }),
    },
    {
      title: 'in place when nothing else uses the column',
      sql: ['ALTER TABLE "users" DROP COLUMN "created_at"'],
      operation: build.dropColumn('users', 'created_at'),
      tables: [USERS],
    },
    {
      title: 'an indexed column rebuilds the table, its index dropped with it',
      sql: [
        'CREATE TABLE "_ambix_new_users" (\n' +
          '  "id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "email" TEXT NOT NULL,\n' +
          '  "created_at" TEXT DEFAULT (datetime(\'now\')),\n' +
          '  CONSTRAINT "users_email_key" UNIQUE ("email"),\n' +
          '  CONSTRAINT "users_email_check" CHECK (email <> \'\')\n' +
          ')',
        'INSERT INTO "_ambix_new_users" ("id", "email", "created_at")\n' +
          '  SELECT "id", "email", "created_at" FROM "users"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_users\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_users\', seq FROM "sqlite_sequence" WHERE name = \'users\'',
        'DROP TABLE "users"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_users" RENAME TO "users"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('users'),
      ],
      operation: build.dropColumn('users', 'name'),
      tables: [USERS],
    },
    {
      title: 'a column in a foreign key rebuilds the table, the foreign key dropped with it',
      sql: [
        'CREATE TABLE "_ambix_new_posts" (\n' +
          '  "id" INTEGER NOT NULL,\n' +
          '  "reviewer_id" INTEGER,\n' +
          '  "title" TEXT NOT NULL,\n' +
          '  "price" TEXT,\n' +
          '  CONSTRAINT "posts_pkey" PRIMARY KEY ("id")\n' +
          ')',
        'INSERT INTO "_ambix_new_posts" ("id", "reviewer_id", "title", "price")\n' +
          '  SELECT "id", "reviewer_id", "title", "price" FROM "posts"',
        'DROP TABLE "posts"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_posts" RENAME TO "posts"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('posts'),
      ],
      operation: build.dropColumn('posts', 'author_id'),
      tables: [POSTS],
    },
    {
      title: 'ifExists on a missing column is nothing',
      sql: [],
      operation: build.dropColumn('users', 'nope', { ifExists: true }),
      tables: [USERS],
    },
    {
      title: 'ifExists without the table definition is an error',
      error:
        'op.dropColumn(): SQLite has no DROP COLUMN IF EXISTS, so ambix needs the present definition of table "users", which it does not have here: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
      operation: build.dropColumn('users', 'x', { ifExists: true }),
    },
    {
      title: 'a missing column is an error',
      error: 'op.dropColumn(): table "users" has no column "nope"',
      operation: build.dropColumn('users', 'nope'),
      tables: [USERS],
    },
    {
      title: 'CASCADE is an error',
      error:
        'op.dropColumn(): SQLite has no CASCADE: drop what depends on column "name" (views, triggers, foreign keys of other tables) first, then leave cascade out',
      operation: build.dropColumn('users', 'name', { cascade: true }),
    },
  ],
  alterColumn: [
    {
      title: 'a rename alone is RENAME COLUMN',
      sql: ['ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"'],
      operation: build.alterColumn('users', 'name', { newName: 'full_name' }),
    },
    {
      title: 'type, nullability and a rename: the rebuild, then the rename in place',
      sql: [
        'CREATE TABLE "_ambix_new_users" (\n' +
          '  "id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "email" TEXT NOT NULL,\n' +
          '  "name" varchar(100) DEFAULT \'anon\' NOT NULL,\n' +
          '  "created_at" TEXT DEFAULT (datetime(\'now\')),\n' +
          '  CONSTRAINT "users_email_key" UNIQUE ("email"),\n' +
          '  CONSTRAINT "users_email_check" CHECK (email <> \'\')\n' +
          ')',
        'INSERT INTO "_ambix_new_users" ("id", "email", "name", "created_at")\n' +
          '  SELECT "id", "email", "name", "created_at" FROM "users"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_users\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_users\', seq FROM "sqlite_sequence" WHERE name = \'users\'',
        'DROP TABLE "users"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_users" RENAME TO "users"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE INDEX "users_name_idx" ON "users" ("name")',
        ...foreignKeyCheck('users'),
        'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"',
      ],
      operation: build.alterColumn('users', 'name', {
        type: 'varchar(100)',
        nullable: false,
        newName: 'full_name',
      }),
      tables: [USERS],
    },
    {
      title: 'a type change with using fills the column from the expression',
      sql: [
        'CREATE TABLE "_ambix_new_posts" (\n' +
          '  "id" INTEGER NOT NULL,\n' +
          '  "author_id" INTEGER,\n' +
          '  "reviewer_id" INTEGER,\n' +
          '  "title" TEXT NOT NULL,\n' +
          '  "price" integer,\n' +
          '  CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),\n' +
          '  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE\n' +
          ')',
        'INSERT INTO "_ambix_new_posts" ("id", "author_id", "reviewer_id", "title", "price")\n' +
          '  SELECT "id", "author_id", "reviewer_id", "title", (CAST(round(price * 100) AS INTEGER)) FROM "posts"',
        'DROP TABLE "posts"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_posts" RENAME TO "posts"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE UNIQUE INDEX "posts_title_lower" ON "posts" ((lower(title)) DESC) WHERE author_id IS NOT NULL',
        ...foreignKeyCheck('posts'),
      ],
      operation: build.alterColumn('posts', 'price', {
        type: 'integer',
        using: sql`CAST(round(price * 100) AS INTEGER)`,
      }),
      tables: [POSTS],
    },
    {
      title: 'default: null drops the default',
      sql: [
        'CREATE TABLE "_ambix_new_users" (\n' +
          '  "id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "email" TEXT NOT NULL,\n' +
          '  "name" TEXT DEFAULT \'anon\',\n' +
          '  "created_at" TEXT,\n' +
          '  CONSTRAINT "users_email_key" UNIQUE ("email"),\n' +
          '  CONSTRAINT "users_email_check" CHECK (email <> \'\')\n' +
          ')',
        'INSERT INTO "_ambix_new_users" ("id", "email", "name", "created_at")\n' +
          '  SELECT "id", "email", "name", "created_at" FROM "users"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_users\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_users\', seq FROM "sqlite_sequence" WHERE name = \'users\'',
        'DROP TABLE "users"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_users" RENAME TO "users"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE INDEX "users_name_idx" ON "users" ("name")',
        ...foreignKeyCheck('users'),
      ],
      operation: build.alterColumn('users', 'created_at', { default: null }),
      tables: [USERS],
    },
    {
      title: 'a comment alone is an error',
      error:
        'op.alterColumn(): SQLite has no comments on columns (COMMENT ON): keep the description in the schema module or in the migration',
      operation: build.alterColumn('users', 'name', { comment: 'Full name' }),
    },
    {
      title: 'without the table definition is an error that says what to pass',
      error:
        'op.alterColumn(): SQLite cannot do this in place and ambix rebuilds the table ("move and copy"), so ambix needs the present definition of table "users", which it does not have here: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
      operation: build.alterColumn('users', 'name', { nullable: false }),
    },
    {
      title: 'a column the table does not have is an error',
      error: 'op.alterColumn(): table "users" has no column "nope"',
      operation: build.alterColumn('users', 'nope', { nullable: false }),
      tables: [USERS],
    },
    {
      title: 'the rebuild of a STRICT, WITHOUT ROWID table keeps both, and its VIRTUAL column VIRTUAL',
      sql: [
        'CREATE TABLE "_ambix_new_readings" (\n' +
          '  "sensor" TEXT NOT NULL,\n' +
          '  "taken_at" INTEGER NOT NULL,\n' +
          '  "celsius" REAL NOT NULL,\n' +
          '  "fahrenheit" REAL GENERATED ALWAYS AS (celsius * 9 / 5 + 32) VIRTUAL,\n' +
          '  CONSTRAINT "readings_pkey" PRIMARY KEY ("sensor", "taken_at")\n' +
          ') STRICT, WITHOUT ROWID',
        'INSERT INTO "_ambix_new_readings" ("sensor", "taken_at", "celsius")\n' +
          '  SELECT "sensor", "taken_at", "celsius" FROM "readings"',
        'DROP TABLE "readings"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_readings" RENAME TO "readings"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('readings'),
      ],
      operation: build.alterColumn('readings', 'celsius', { nullable: false }),
      tables: [READINGS],
    },
    {
      title: 'a type a STRICT table does not take is an error before anything runs',
      error:
        'Table "readings": a STRICT table\'s columns must have one of SQLite\'s own types (INT, INTEGER, REAL, TEXT, BLOB, ANY), and column "celsius" has type numeric(5, 2)',
      operation: build.alterColumn('readings', 'celsius', { type: 'numeric(5, 2)' }),
      tables: [READINGS],
    },
  ],
  createIndex: [
    {
      title: 'plain',
      sql: ['CREATE INDEX "users_email_idx" ON "users" ("email")'],
      operation: build.createIndex('users_email_idx', 'users', ['email']),
    },
    {
      title: 'unique, if not exists, schema on the index name, expressions, collation, order, partial',
      sql: [
        'CREATE UNIQUE INDEX IF NOT EXISTS "aux"."users_lower_email" ON "users" ((lower(email)), "name" COLLATE "NOCASE" DESC, "id") WHERE email <> \'\'',
      ],
      operation: build.createIndex(
        'users_lower_email',
        'users',
        [
          sql`lower(email)`,
          { column: 'name', collation: 'NOCASE', order: 'desc', nulls: 'last' },
          { column: 'id', nulls: 'first' },
        ],
        {
          schema: 'aux',
          unique: true,
          ifNotExists: true,
          where: sql`email <> ${''}`,
          using: 'btree',
          concurrently: true,
        },
      ),
    },
    {
      title: 'another index method is an error',
      error: 'op.createIndex(): SQLite has only b-tree indexes, not gin: leave using out',
      operation: build.createIndex('i', 'users', ['email'], { using: 'gin' }),
    },
    {
      title: 'INCLUDE is an error',
      error:
        'op.createIndex(): SQLite indexes have no INCLUDE columns: add them to the indexed columns instead',
      operation: build.createIndex('i', 'users', ['email'], { include: ['name'] }),
    },
    {
      title: 'NULLS LAST ascending is an error',
      error:
        'op.createIndex(): SQLite indexes sort NULL first when ascending and cannot be told otherwise: "email" cannot have NULLS LAST; leave nulls out',
      operation: build.createIndex('i', 'users', [{ column: 'email', nulls: 'last' }]),
    },
    {
      title: 'an operator class is an error',
      error:
        'op.createIndex(): SQLite indexes have no operator classes (text_pattern_ops on "email"): leave opclass out',
      operation: build.createIndex('i', 'users', [{ column: 'email', opclass: 'text_pattern_ops' }]),
    },
  ],
  dropIndex: [
    { title: 'plain', sql: ['DROP INDEX "users_email_idx"'], operation: build.dropIndex('users_email_idx') },
    {
      title: 'if exists, schema; concurrently and cascade left out',
      sql: ['DROP INDEX IF EXISTS "aux"."i"'],
      operation: build.dropIndex('i', { schema: 'aux', ifExists: true, concurrently: true, cascade: true }),
    },
  ],
  createPrimaryKey: [
    {
      title: 'rebuilds the table; the key columns become NOT NULL',
      sql: [
        'CREATE TABLE "_ambix_new_tags" (\n' +
          '  "label" TEXT NOT NULL,\n' +
          '  "weight" DEFAULT 0,\n' +
          '  CONSTRAINT "tags_pkey" PRIMARY KEY ("label")\n' +
          ')',
        'INSERT INTO "_ambix_new_tags" ("label", "weight")\n' + '  SELECT "label", "weight" FROM "tags"',
        'DROP TABLE "tags"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_tags" RENAME TO "tags"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('tags'),
      ],
      operation: build.createPrimaryKey('tags_pkey', 'tags', ['label']),
      tables: [TAGS],
    },
    {
      title: 'a table that has one is an error',
      error: 'op.createPrimaryKey(): table "users" already has a primary key ("users_pkey"): drop it first',
      operation: build.createPrimaryKey('pk', 'users', ['email']),
      tables: [USERS],
    },
  ],
  createForeignKey: [
    {
      title: 'rebuilds the table and checks the foreign keys',
      sql: [
        'CREATE TABLE "_ambix_new_posts" (\n' +
          '  "id" INTEGER NOT NULL,\n' +
          '  "author_id" INTEGER,\n' +
          '  "reviewer_id" INTEGER,\n' +
          '  "title" TEXT NOT NULL,\n' +
          '  "price" TEXT,\n' +
          '  CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),\n' +
          '  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE,\n' +
          '  CONSTRAINT "posts_reviewer_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users" ("id") ON DELETE SET NULL DEFERRABLE\n' +
          ')',
        'INSERT INTO "_ambix_new_posts" ("id", "author_id", "reviewer_id", "title", "price")\n' +
          '  SELECT "id", "author_id", "reviewer_id", "title", "price" FROM "posts"',
        'DROP TABLE "posts"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_posts" RENAME TO "posts"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE UNIQUE INDEX "posts_title_lower" ON "posts" ((lower(title)) DESC) WHERE author_id IS NOT NULL',
        ...foreignKeyCheck('posts'),
      ],
      operation: build.createForeignKey(
        'posts_reviewer_fkey',
        'posts',
        ['reviewer_id'],
        { table: 'users', columns: ['id'] },
        { onDelete: 'set null', deferrable: true },
      ),
      tables: [POSTS],
    },
    {
      title: 'NOT VALID skips the check of the rows already there',
      sql: [
        'CREATE TABLE "_ambix_new_posts" (\n' +
          '  "id" INTEGER NOT NULL,\n' +
          '  "author_id" INTEGER,\n' +
          '  "reviewer_id" INTEGER,\n' +
          '  "title" TEXT NOT NULL,\n' +
          '  "price" TEXT,\n' +
          '  CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),\n' +
          '  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE,\n' +
          '  CONSTRAINT "posts_reviewer_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users" ("id")\n' +
          ')',
        'INSERT INTO "_ambix_new_posts" ("id", "author_id", "reviewer_id", "title", "price")\n' +
          '  SELECT "id", "author_id", "reviewer_id", "title", "price" FROM "posts"',
        'DROP TABLE "posts"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_posts" RENAME TO "posts"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE UNIQUE INDEX "posts_title_lower" ON "posts" ((lower(title)) DESC) WHERE author_id IS NOT NULL',
      ],
      operation: build.createForeignKey(
        'posts_reviewer_fkey',
        'posts',
        ['reviewer_id'],
        { table: 'users', columns: ['id'] },
        { notValid: true },
      ),
      tables: [POSTS],
    },
  ],
  createUniqueConstraint: [
    {
      title: 'rebuilds the table',
      sql: [
        'CREATE TABLE "_ambix_new_posts" (\n' +
          '  "id" INTEGER NOT NULL,\n' +
          '  "author_id" INTEGER,\n' +
          '  "reviewer_id" INTEGER,\n' +
          '  "title" TEXT NOT NULL,\n' +
          '  "price" TEXT,\n' +
          '  CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),\n' +
          '  CONSTRAINT "posts_title_key" UNIQUE ("title"),\n' +
          '  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE\n' +
          ')',
        'INSERT INTO "_ambix_new_posts" ("id", "author_id", "reviewer_id", "title", "price")\n' +
          '  SELECT "id", "author_id", "reviewer_id", "title", "price" FROM "posts"',
        'DROP TABLE "posts"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_posts" RENAME TO "posts"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE UNIQUE INDEX "posts_title_lower" ON "posts" ((lower(title)) DESC) WHERE author_id IS NOT NULL',
        ...foreignKeyCheck('posts'),
      ],
      operation: build.createUniqueConstraint('posts_title_key', 'posts', ['title']),
      tables: [POSTS],
    },
    {
      title: 'NULLS NOT DISTINCT is an error',
      error:
        'op.createUniqueConstraint(): SQLite unique constraints always let NULLs repeat (NULLS DISTINCT): leave nullsNotDistinct out, or make the columns NOT NULL',
      operation: build.createUniqueConstraint('u', 'posts', ['title'], { nullsNotDistinct: true }),
      tables: [POSTS],
    },
  ],
  createCheckConstraint: [
    {
      title: 'rebuilds the table',
      sql: [
        'CREATE TABLE "_ambix_new_users" (\n' +
          '  "id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "email" TEXT NOT NULL,\n' +
          '  "name" TEXT DEFAULT \'anon\',\n' +
          '  "created_at" TEXT DEFAULT (datetime(\'now\')),\n' +
          '  CONSTRAINT "users_email_key" UNIQUE ("email"),\n' +
          '  CONSTRAINT "users_email_check" CHECK (email <> \'\'),\n' +
          '  CONSTRAINT "users_name_check" CHECK (length("name") > 1)\n' +
          ')',
        'INSERT INTO "_ambix_new_users" ("id", "email", "name", "created_at")\n' +
          '  SELECT "id", "email", "name", "created_at" FROM "users"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_users\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_users\', seq FROM "sqlite_sequence" WHERE name = \'users\'',
        'DROP TABLE "users"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_users" RENAME TO "users"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE INDEX "users_name_idx" ON "users" ("name")',
        ...foreignKeyCheck('users'),
      ],
      operation: build.createCheckConstraint(
        'users_name_check',
        'users',
        sql`length(${sql.identifier('name')}) > ${1}`,
      ),
      tables: [USERS],
    },
    {
      title: 'NOT VALID is an error',
      error:
        'op.createCheckConstraint(): SQLite checks every row it copies into the rebuilt table, so a CHECK cannot skip the rows already there (NOT VALID): fix those rows first (op.execute with an UPDATE), then leave notValid out',
      operation: build.createCheckConstraint('c', 'users', 'id > 0', { notValid: true }),
      tables: [USERS],
    },
  ],
  createExcludeConstraint: [
    {
      title: 'is an error',
      error:
        'op.createExcludeConstraint(): SQLite has no exclusion constraints: use a unique index (op.createIndex(…, { unique: true })) for equality, or a trigger that raises an error (op.execute(`CREATE TRIGGER … BEGIN SELECT RAISE(ABORT, …); END`))',
      operation: build.createExcludeConstraint('ex', 'users', [{ column: 'email', operator: '=' }]),
    },
  ],
  dropConstraint: [
    {
      title: 'rebuilds the table without it',
      sql: [
        'CREATE TABLE "_ambix_new_users" (\n' +
          '  "id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "email" TEXT NOT NULL,\n' +
          '  "name" TEXT DEFAULT \'anon\',\n' +
          '  "created_at" TEXT DEFAULT (datetime(\'now\')),\n' +
          '  CONSTRAINT "users_email_check" CHECK (email <> \'\')\n' +
          ')',
        'INSERT INTO "_ambix_new_users" ("id", "email", "name", "created_at")\n' +
          '  SELECT "id", "email", "name", "created_at" FROM "users"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_users\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_users\', seq FROM "sqlite_sequence" WHERE name = \'users\'',
        'DROP TABLE "users"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_users" RENAME TO "users"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE INDEX "users_name_idx" ON "users" ("name")',
        ...foreignKeyCheck('users'),
      ],
      operation: build.dropConstraint('users_email_key', 'users'),
      tables: [USERS],
    },
    {
      title: 'if exists, on a missing constraint, is nothing',
      sql: [],
      operation: build.dropConstraint('nope', 'users', { ifExists: true }),
      tables: [USERS],
    },
    {
      title: "a missing constraint is an error that lists the table's",
      error:
        'op.dropConstraint(): table "users" has no constraint "nope" (it has "users_pkey", "users_email_key", "users_email_check")',
      operation: build.dropConstraint('nope', 'users'),
      tables: [USERS],
    },
    {
      title: 'the primary key of a WITHOUT ROWID table is an error: the table cannot be without one',
      error: 'Table "readings": a WITHOUT ROWID table needs a PRIMARY KEY, and table "readings" has none',
      operation: build.dropConstraint('readings_pkey', 'readings'),
      tables: [READINGS],
    },
  ],
  batchAlterTable: [
    {
      title:
        'folds every change into one rebuild: columns added, altered and dropped, a foreign key, an index',
      sql: [
        'CREATE TABLE "_ambix_new_users" (\n' +
          '  "id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "email" TEXT NOT NULL,\n' +
          '  "name" varchar(100) DEFAULT \'anon\' NOT NULL,\n' +
          '  "org_id" integer,\n' +
          '  CONSTRAINT "users_email_key" UNIQUE ("email"),\n' +
          '  CONSTRAINT "users_email_check" CHECK (email <> \'\'),\n' +
          '  CONSTRAINT "users_org_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id")\n' +
          ')',
        'INSERT INTO "_ambix_new_users" ("id", "email", "name")\n' +
          '  SELECT "id", "email", "name" FROM "users"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_users\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_users\', seq FROM "sqlite_sequence" WHERE name = \'users\'',
        'DROP TABLE "users"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_users" RENAME TO "users"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE INDEX "users_name_idx" ON "users" ("name")',
        'CREATE INDEX "users_org_idx" ON "users" ("org_id")',
        ...foreignKeyCheck('users'),
      ],
      operation: build.batchAlterTable('users', (batch) => {
        batch.addColumn({ name: 'org_id', type: 'integer' });
        batch.alterColumn('name', { type: 'varchar(100)', nullable: false });
        batch.dropColumn('created_at');
        batch.createForeignKey('users_org_fkey', ['org_id'], { table: 'orgs', columns: ['id'] });
        batch.createIndex('users_org_idx', ['org_id']);
      }),
      tables: [USERS],
    },
    {
      title: 'changes SQLite makes in place run in place, one after another, each seeing the ones before',
      sql: [
        'ALTER TABLE "users" ADD COLUMN "age" integer',
        'CREATE INDEX "users_age_idx" ON "users" ("age")',
        'ALTER TABLE "users" RENAME COLUMN "age" TO "years"',
        'ALTER TABLE "users" DROP COLUMN "created_at"',
      ],
      operation: build.batchAlterTable('users', (batch) => {
        batch.addColumn({ name: 'age', type: 'integer' });
        batch.createIndex('users_age_idx', ['age']);
        batch.alterColumn('age', { newName: 'years' });
        batch.dropColumn('created_at');
      }),
      tables: [USERS],
    },
    {
      title: "recreate: 'always' rebuilds for changes SQLite could make in place",
      sql: [
        'CREATE TABLE "_ambix_new_tags" (\n  "label" TEXT,\n  "weight" DEFAULT 0,\n  "note" text\n)',
        'INSERT INTO "_ambix_new_tags" ("label", "weight")\n  SELECT "label", "weight" FROM "tags"',
        'DROP TABLE "tags"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_tags" RENAME TO "tags"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('tags'),
      ],
      operation: build.batchAlterTable(
        'tags',
        (batch) => {
          batch.addColumn({ name: 'note', type: 'text' });
        },
        { recreate: 'always' },
      ),
      tables: [TAGS],
    },
    {
      title: 'a rename folded into the rebuild: the new column is filled from the old one',
      sql: [
        'CREATE TABLE "_ambix_new_tags" (\n  "name" TEXT NOT NULL,\n  "weight" DEFAULT 0\n)',
        'INSERT INTO "_ambix_new_tags" ("name", "weight")\n  SELECT "label", "weight" FROM "tags"',
        'DROP TABLE "tags"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_tags" RENAME TO "tags"',
        'PRAGMA legacy_alter_table = OFF',
        ...foreignKeyCheck('tags'),
      ],
      operation: build.batchAlterTable('tags', (batch) => {
        batch.alterColumn('label', { newName: 'name' });
        batch.alterColumn('name', { nullable: false });
      }),
      tables: [TAGS],
    },
    {
      title: "recreate: 'never' refuses a change that needs a rebuild",
      error:
        'op.batchAlterTable(): recreate is \'never\', but SQLite cannot add or drop a constraint ("tags_pkey") in place (batch.createPrimaryKey() on table "tags")',
      operation: build.batchAlterTable(
        'tags',
        (batch) => {
          batch.addColumn({ name: 'note', type: 'text' });
          batch.createPrimaryKey('tags_pkey', ['label']);
        },
        { recreate: 'never' },
      ),
      tables: [TAGS],
    },
    {
      title: 'without the table and without `existing` is an error that says what to pass',
      error:
        'op.batchAlterTable(): SQLite cannot change the type, nullability, default or identity of the column "label" in place, and ambix rebuilds the table ("move and copy") once for the whole batch, so ambix needs the present definition of table "tags", which it does not have here: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
      operation: build.batchAlterTable('tags', (batch) => {
        batch.alterColumn('label', { nullable: false });
      }),
    },
    {
      title: '`existing` gives the table when the context has none, indexes included',
      sql: [
        'CREATE TABLE "_ambix_new_tags" (\n' +
          '  "id" INTEGER CONSTRAINT "tags_pkey" PRIMARY KEY AUTOINCREMENT,\n' +
          '  "label" text NOT NULL,\n' +
          '  CONSTRAINT "tags_label_key" UNIQUE ("label"),\n' +
          '  CHECK (length(label) > 0)\n' +
          ')',
        'INSERT INTO "_ambix_new_tags" ("id", "label")\n  SELECT "id", "label" FROM "tags"',
        'DELETE FROM "sqlite_sequence" WHERE name = \'_ambix_new_tags\'',
        'INSERT INTO "sqlite_sequence" (name, seq) SELECT \'_ambix_new_tags\', seq FROM "sqlite_sequence" WHERE name = \'tags\'',
        'DROP TABLE "tags"',
        'PRAGMA legacy_alter_table = ON',
        'ALTER TABLE "_ambix_new_tags" RENAME TO "tags"',
        'PRAGMA legacy_alter_table = OFF',
        'CREATE INDEX "tags_label_lower" ON "tags" ((lower(label)))',
        ...foreignKeyCheck('tags'),
      ],
      operation: build.batchAlterTable(
        'tags',
        (batch) => {
          batch.alterColumn('label', { nullable: false });
        },
        {
          existing: {
            columns: [
              { name: 'id', type: 'integer', primaryKey: true, identity: 'always' },
              { name: 'label', type: 'text', unique: true },
            ],
            constraints: [{ type: 'check', expression: 'length(label) > 0' }],
            indexes: [{ name: 'tags_label_lower', columns: [sql`lower(label)`] }],
          },
        },
      ),
    },
    {
      title: 'a comment alone is an error, as outside a batch',
      error:
        'op.setTableComment(): SQLite has no comments on tables (COMMENT ON): keep the description in the schema module or in the migration',
      operation: build.batchAlterTable('tags', (batch) => {
        batch.addColumn({ name: 'note', type: 'text' });
        batch.setTableComment('Labels');
      }),
      tables: [TAGS],
    },
  ],
  createEnum: [
    {
      title: 'is an error',
      error:
        "op.createEnum(): SQLite has no enum types: use a text column with a CHECK constraint (check: sql`status IN ('a', 'b')`)",
      operation: build.createEnum('mood', ['happy', 'sad']),
    },
  ],
  dropEnum: [
    {
      title: 'is an error',
      error:
        "op.dropEnum(): SQLite has no enum types: use a text column with a CHECK constraint (check: sql`status IN ('a', 'b')`), and drop the column or its constraint",
      operation: build.dropEnum('mood'),
    },
  ],
  addEnumValue: [
    {
      title: 'is an error',
      error:
        "op.addEnumValue(): SQLite has no enum types: use a text column with a CHECK constraint (check: sql`status IN ('a', 'b')`), and replace the constraint (op.dropConstraint, op.createCheckConstraint) to allow a new value",
      operation: build.addEnumValue('mood', 'ok'),
    },
  ],
  renameEnumValue: [
    {
      title: 'is an error',
      error:
        "op.renameEnumValue(): SQLite has no enum types: use a text column with a CHECK constraint (check: sql`status IN ('a', 'b')`); to rename a value, update the rows (op.execute) and replace the constraint",
      operation: build.renameEnumValue('mood', 'sad', 'blue'),
    },
  ],
  createSchema: [
    {
      title: 'is an error',
      error:
        "op.createSchema(): SQLite has no CREATE SCHEMA: a SQLite schema is a database file attached to the connection (ATTACH DATABASE 'file.db' AS name), which cannot happen inside a migration's transaction; attach it before ambix runs",
      operation: build.createSchema('aux'),
    },
  ],
  dropSchema: [
    {
      title: 'is an error',
      error:
        "op.dropSchema(): SQLite has no DROP SCHEMA: a SQLite schema is a database file attached to the connection (ATTACH DATABASE 'file.db' AS name), which cannot happen inside a migration's transaction; detach it (DETACH DATABASE) outside the migration and delete its file",
      operation: build.dropSchema('aux'),
    },
  ],
  createExtension: [
    {
      title: 'is an error',
      error:
        "op.createExtension(): SQLite has no extensions to create or drop in the database: load a run-time extension into the connection (better-sqlite3's db.loadExtension()) before ambix runs",
      operation: build.createExtension('vector'),
    },
  ],
  dropExtension: [
    {
      title: 'is an error',
      error:
        "op.dropExtension(): SQLite has no extensions to create or drop in the database: load a run-time extension into the connection (better-sqlite3's db.loadExtension()) before ambix runs",
      operation: build.dropExtension('vector'),
    },
  ],
  createSequence: [
    {
      title: 'is an error',
      error:
        "op.createSequence(): SQLite has no sequences: number rows with an INTEGER PRIMARY KEY column (identity: 'always' writes INTEGER PRIMARY KEY AUTOINCREMENT), or keep a counter in a table",
      operation: build.createSequence('ids'),
    },
  ],
  alterSequence: [
    {
      title: 'is an error',
      error:
        "op.alterSequence(): SQLite has no sequences: number rows with an INTEGER PRIMARY KEY column (identity: 'always' writes INTEGER PRIMARY KEY AUTOINCREMENT), or keep a counter in a table",
      operation: build.alterSequence('ids', { restart: true }),
    },
  ],
  dropSequence: [
    {
      title: 'is an error',
      error:
        "op.dropSequence(): SQLite has no sequences: number rows with an INTEGER PRIMARY KEY column (identity: 'always' writes INTEGER PRIMARY KEY AUTOINCREMENT), or keep a counter in a table",
      operation: build.dropSequence('ids'),
    },
  ],
  createView: [
    {
      title: 'with column names, in a schema',
      sql: [
        'CREATE VIEW "aux"."active_users" ("user_id", "address") AS SELECT id, email FROM users WHERE name <> \'x\'',
      ],
      operation: build.createView('active_users', sql`SELECT id, email FROM users WHERE name <> ${'x'}`, {
        schema: 'aux',
        columns: ['user_id', 'address'],
      }),
    },
    {
      title: 'OR REPLACE is a drop and a create',
      sql: ['DROP VIEW IF EXISTS "v"', 'CREATE VIEW "v" AS SELECT 1'],
      operation: build.createView('v', 'SELECT 1', { orReplace: true }),
    },
  ],
  dropView: [
    {
      title: 'if exists',
      sql: ['DROP VIEW IF EXISTS "v"'],
      operation: build.dropView('v', { ifExists: true }),
    },
    {
      title: 'CASCADE is an error',
      error:
        'op.dropView(): SQLite has no CASCADE: drop what depends on view "v" (views, triggers, foreign keys of other tables) first, then leave cascade out',
      operation: build.dropView('v', { cascade: true }),
    },
  ],
  createMaterializedView: [
    {
      title: 'is an error',
      error:
        'op.createMaterializedView(): SQLite has no materialized views: use a plain view (op.createView), or a table filled with INSERT … SELECT (op.execute) that the application refreshes',
      operation: build.createMaterializedView('mv', 'SELECT 1'),
    },
  ],
  dropMaterializedView: [
    {
      title: 'is an error',
      error:
        'op.dropMaterializedView(): SQLite has no materialized views: use a plain view (op.createView), or a table filled with INSERT … SELECT (op.execute) that the application refreshes',
      operation: build.dropMaterializedView('mv'),
    },
  ],
  refreshMaterializedView: [
    {
      title: 'is an error',
      error:
        'op.refreshMaterializedView(): SQLite has no materialized views: use a plain view (op.createView), or a table filled with INSERT … SELECT (op.execute) that the application refreshes',
      operation: build.refreshMaterializedView('mv'),
    },
  ],
  createFunction: [
    {
      title: 'is an error',
      error:
        "op.createFunction(): SQLite has no stored functions: register application functions on the connection (better-sqlite3's db.function())",
      operation: build.createFunction('f', { returns: 'integer', language: 'sql', body: 'SELECT 1' }),
    },
    {
      title: 'a procedure is an error',
      error:
        'op.createFunction(): SQLite has no stored procedures: run the statements from the migration (op.execute)',
      operation: build.createFunction('p', {
        returns: 'void',
        language: 'sql',
        body: 'SELECT 1',
        procedure: true,
      }),
    },
  ],
  dropFunction: [
    {
      title: 'is an error',
      error:
        "op.dropFunction(): SQLite has no stored functions: register application functions on the connection (better-sqlite3's db.function())",
      operation: build.dropFunction('f'),
    },
  ],
  createTrigger: [
    {
      title: 'is an error that points to op.execute',
      error:
        'op.createTrigger(): SQLite triggers run a body of SQL statements, not a function (audit): write trigger "t" with op.execute(`CREATE TRIGGER … BEGIN … END`) (op.dropTrigger drops it)',
      operation: build.createTrigger('t', 'users', {
        timing: 'after',
        events: ['insert'],
        forEach: 'row',
        function: 'audit',
      }),
    },
  ],
  dropTrigger: [
    {
      title: 'plain',
      sql: ['DROP TRIGGER "users_audit"'],
      operation: build.dropTrigger('users_audit', 'users'),
    },
    {
      title: 'if exists, in a schema',
      sql: ['DROP TRIGGER IF EXISTS "aux"."users_audit"'],
      operation: build.dropTrigger('users_audit', 'users', { schema: 'aux', ifExists: true, cascade: true }),
    },
  ],
  execute: [
    {
      title: 'as written',
      sql: ['UPDATE users SET name = ? WHERE id = ?'],
      operation: build.execute('UPDATE users SET name = ? WHERE id = ?', ['x', 1]),
    },
  ],
  bulkInsert: [
    {
      title: 'rows with the same columns share an INSERT; missing values and empty rows do not',
      sql: [
        'INSERT INTO "aux"."users" ("id", "email") VALUES\n' + '  (?, ?),\n' + '  (?, lower(?))',
        'INSERT INTO "aux"."users" ("email") VALUES\n' + '  (?)',
        'INSERT INTO "aux"."users" DEFAULT VALUES',
      ],
      operation: build.bulkInsert(
        'users',
        [{ id: 1, email: 'a@x' }, { id: 2, email: sql`lower(${'B@X'})` }, { email: 'c@x' }, {}],
        { schema: 'aux' },
      ),
    },
  ],
  beginAutocommit: [{ title: 'commits', sql: ['COMMIT'], operation: BEGIN_AUTOCOMMIT }],
  endAutocommit: [{ title: 'begins', sql: ['BEGIN'], operation: END_AUTOCOMMIT }],
};

function contextOf(tables: readonly TableModel[] | undefined): SqliteRenderContext | undefined {
  return tables === undefined
    ? undefined
    : { table: (_schema, name) => tables.find((table) => table.name === name) };
}

function refusal(run: () => unknown): AmbixError {
  try {
    run();
  } catch (error) {
    if (error instanceof AmbixError) return error;
    throw error;
  }
  throw new Error('expected an AmbixError');
}

const statements = (operation: Operation, context?: SqliteRenderContext): string[] =>
  sqliteRenderer.render(operation, context).map((statement) => statement.sql);

describe('sqliteRenderer golden SQL', () => {
  it('has golden SQL for every operation kind', () => {
    for (const kind of OPERATION_KINDS) expect(GOLDEN[kind].length, kind).toBeGreaterThan(0);
  });

  for (const kind of OPERATION_KINDS) {
    describe(kind, () => {
      for (const golden of GOLDEN[kind]) {
        it(golden.title, () => {
          const context = contextOf(golden.tables);
          if (golden.error !== undefined) {
            const error = refusal(() => sqliteRenderer.render(golden.operation, context));
            expect(error.code).toBe('FAILED');
            expect(error.message).toBe(golden.error);
          } else {
            expect(statements(golden.operation, context)).toEqual(golden.sql);
          }
        });
      }
    });
  }
});

describe('sqliteRenderer literals', () => {
  it('writes each kind of value as SQLite reads it', () => {
    const { literal } = sqliteRenderer;
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal(true)).toBe('1');
    expect(literal(false)).toBe('0');
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('-1.5');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
    expect(literal("it's")).toBe("'it''s'");
    expect(literal('C:\\temp')).toBe("'C:\\temp'");
    expect(literal(new Date('2024-01-01T00:00:00.000Z'))).toBe("'2024-01-01T00:00:00.000Z'");
    expect(literal(Uint8Array.from([0, 15, 255]))).toBe("X'000fff'");
    expect(literal(['a', 1, null])).toBe(`'["a",1,null]'`);
    expect(literal({ a: "b'c", n: 1n })).toBe(`'{"a":"b''c","n":"1"}'`);
  });

  it('writes what SQLite stores for numbers it has no literal of', () => {
    expect(sqliteRenderer.literal(Number.NaN)).toBe('NULL');
    expect(sqliteRenderer.literal(Number.POSITIVE_INFINITY)).toBe('1e999');
    expect(sqliteRenderer.literal(Number.NEGATIVE_INFINITY)).toBe('-1e999');
  });

  it('refuses what no literal can hold', () => {
    expect(refusal(() => sqliteRenderer.literal('a\0b')).message).toMatch(/NUL character/);
    expect(refusal(() => sqliteRenderer.literal(new Date(Number.NaN))).message).toMatch(/invalid Date/);
    expect(() => sqliteRenderer.literal(sql`now()`)).toThrow(TypeError);
    expect(() => sqliteRenderer.literal(() => 1)).toThrow(TypeError);
  });

  it('quotes identifiers with double quotes, doubled inside', () => {
    expect(sqliteRenderer.quoteIdentifier('users')).toBe('"users"');
    expect(sqliteRenderer.quoteIdentifier('a"b')).toBe('"a""b"');
    expect(refusal(() => sqliteRenderer.quoteIdentifier('a\0')).message).toMatch(/NUL character/);
  });

  it('binds parameters as ?', () => {
    expect(sqliteRenderer.placeholder(1)).toBe('?');
    expect(sqliteRenderer.placeholder(7)).toBe('?');
  });

  it('renders sql expressions with quoted identifiers and literal values', () => {
    expect(
      sqliteRenderer.expression(
        sql`lower(${sql.identifier('main', 'users')}.email) = ${"it's"} AND n > ${-1}`,
      ),
    ).toBe(`lower("main"."users".email) = 'it''s' AND n > (-1)`);
  });
});

describe('sqliteRenderer.inline', () => {
  const inline = (text: string, params?: readonly unknown[]) =>
    sqliteRenderer.inline(params === undefined ? { sql: text } : { sql: text, params });

  it('replaces each ? with the next value, and ?NNN with that value', () => {
    expect(inline('SELECT ?, ?', [1, 'a'])).toBe("SELECT 1, 'a'");
    expect(inline('SELECT ?2, ?1, ?', ['a', 'b', 'c'])).toBe("SELECT 'b', 'a', 'c'");
  });

  it('leaves ? alone inside strings, blobs, quoted names and comments', () => {
    expect(
      inline("SELECT '?', x'3f', \"?\", [?], `?` -- ?\n, ? /* ? */ FROM t WHERE a = ?", [true, null]),
    ).toBe("SELECT '?', x'3f', \"?\", [?], `?` -- ?\n, 1 /* ? */ FROM t WHERE a = NULL");
  });

  it('parenthesizes negative numbers, which could otherwise start a comment', () => {
    expect(inline('SELECT 1-?', [-1])).toBe('SELECT 1-(-1)');
  });

  it('returns a statement without parameters as it is', () => {
    expect(inline('SELECT ?')).toBe('SELECT ?');
  });

  it('refuses a placeholder without a value', () => {
    expect(refusal(() => inline('SELECT ?, ?', [1])).message).toBe(
      'The statement uses parameter 2 but has 1 parameter: SELECT ?, ?',
    );
  });
});

describe('sqliteRenderer.tablesNeeded', () => {
  const needed = (operation: Operation) => sqliteRenderer.tablesNeeded?.(operation);

  it('names the table of each operation that rebuilds it', () => {
    const users = [{ schema: 'aux', name: 'users' }];
    expect(needed(build.alterColumn('users', 'name', { nullable: false, schema: 'aux' }))).toEqual(users);
    expect(needed(build.createPrimaryKey('pk', 'users', ['id'], { schema: 'aux' }))).toEqual(users);
    expect(
      needed(build.createForeignKey('fk', 'users', ['a'], { table: 't', columns: ['b'] }, { schema: 'aux' })),
    ).toEqual(users);
    expect(needed(build.createUniqueConstraint('u', 'users', ['a'], { schema: 'aux' }))).toEqual(users);
    expect(needed(build.createCheckConstraint('c', 'users', 'a > 0', { schema: 'aux' }))).toEqual(users);
    expect(needed(build.dropConstraint('c', 'users', { schema: 'aux' }))).toEqual(users);
  });

  it('names the table of a column change only when SQLite may not do it in place', () => {
    const users = [{ schema: undefined, name: 'users' }];
    expect(needed(build.alterColumn('users', 'name', { newName: 'full_name' }))).toEqual([]);
    expect(needed(build.addColumn('users', { name: 'a', type: 'text', default: 'x' }))).toEqual([]);
    expect(needed(build.addColumn('users', { name: 'a', type: 'text', unique: true }))).toEqual(users);
    expect(needed(build.addColumn('users', { name: 'a', type: 'text' }, { ifNotExists: true }))).toEqual(
      users,
    );
    expect(needed(build.dropColumn('users', 'a'))).toEqual(users);
  });

  it('names nothing for the rest', () => {
    expect(needed(build.createTable('t', [{ name: 'a', type: 'text' }]))).toEqual([]);
    expect(needed(build.createIndex('i', 't', ['a']))).toEqual([]);
    expect(needed(build.execute('SELECT 1'))).toEqual([]);
  });
});

describe('sqliteRenderer rebuilds', () => {
  it('qualifies the rebuild of a table in an attached database, the schema on index names', () => {
    const notes: TableModel = {
      ...TAGS,
      schema: 'aux',
      name: 'notes',
      indexes: [{ name: 'notes_label', unique: false, method: 'btree', elements: [{ column: 'label' }] }],
    };
    const sqlOf = statements(
      build.createCheckConstraint('notes_weight', 'notes', 'weight >= 0', { schema: 'aux' }),
      {
        table: (schema, name) => (schema === 'aux' && name === 'notes' ? notes : undefined),
      },
    );
    expect(sqlOf).toEqual([
      'CREATE TABLE "aux"."_ambix_new_notes" (\n  "label" TEXT,\n  "weight" DEFAULT 0,\n  CONSTRAINT "notes_weight" CHECK (weight >= 0)\n)',
      'INSERT INTO "aux"."_ambix_new_notes" ("label", "weight")\n  SELECT "label", "weight" FROM "aux"."notes"',
      'DROP TABLE "aux"."notes"',
      'PRAGMA legacy_alter_table = ON',
      'ALTER TABLE "aux"."_ambix_new_notes" RENAME TO "notes"',
      'PRAGMA legacy_alter_table = OFF',
      'CREATE INDEX "aux"."notes_label" ON "notes" ("label")',
      ...foreignKeyCheck('notes', 'aux'),
    ]);
  });

  it('uses the table of a schema module under the database the operation names', () => {
    const declared: TableModel = { ...TAGS, schema: 'public' };
    const sqlOf = statements(build.createUniqueConstraint('tags_label_key', 'tags', ['label']), {
      table: () => declared,
    });
    expect(sqlOf[0]).toBe(
      'CREATE TABLE "_ambix_new_tags" (\n  "label" TEXT,\n  "weight" DEFAULT 0,\n  CONSTRAINT "tags_label_key" UNIQUE ("label")\n)',
    );
  });

  it('sets aside the views and triggers the context gives, and recreates them after', () => {
    const context: SqliteRenderContext = {
      table: () => TAGS,
      dependents: () => ({
        views: [
          {
            schema: 'main',
            name: 'heavy',
            materialized: false,
            query: 'SELECT label FROM tags WHERE weight > 1',
          },
          {
            schema: 'aux',
            name: 'labels',
            materialized: false,
            query: 'SELECT label FROM heavy',
            columns: ['name'],
          },
        ],
        triggers: [
          {
            schema: 'main',
            table: 'tags',
            name: 'tags_touch',
            definition: 'CREATE TRIGGER tags_touch AFTER INSERT ON tags BEGIN SELECT 1; END',
            function: { schema: 'main', name: '' },
          },
        ],
      }),
    };
    const sqlOf = statements(build.createPrimaryKey('tags_pkey', 'tags', ['label']), context);
    expect(sqlOf.slice(0, 3)).toEqual([
      'DROP VIEW IF EXISTS "aux"."labels"',
      'DROP VIEW IF EXISTS "heavy"',
      'DROP TRIGGER IF EXISTS "tags_touch"',
    ]);
    expect(sqlOf.slice(-6)).toEqual([
      'CREATE VIEW "heavy" AS SELECT label FROM tags WHERE weight > 1',
      'CREATE VIEW "aux"."labels" ("name") AS SELECT label FROM heavy',
      'CREATE TRIGGER tags_touch AFTER INSERT ON tags BEGIN SELECT 1; END',
      ...foreignKeyCheck('tags'),
    ]);
  });

  it('refuses a table the database does not have', () => {
    const error = refusal(() =>
      sqliteRenderer.render(build.dropConstraint('c', 'ghosts'), contextOf([USERS])),
    );
    expect(error.message).toBe(
      'op.dropConstraint(): SQLite cannot do this in place and ambix rebuilds the table ("move and copy"), and the database has no table "ghosts"',
    );
  });

  it('refuses a rebuild offline without the table, saying that --sql cannot read it and what to pass', () => {
    const error = refusal(() =>
      sqliteRenderer.render(build.dropConstraint('c', 'users'), { offline: true, table: () => undefined }),
    );
    expect(error.message).toBe(
      'op.dropConstraint(): SQLite cannot do this in place and ambix rebuilds the table ("move and copy"), and --sql mode cannot read table "users" from the database: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
    );
    expect(error.hint).toContain('existing: { columns: […], constraints: […], indexes: […] }');
  });

  it('returns frozen statements and refuses what is not an operation', () => {
    const rendered = sqliteRenderer.render(build.dropTable('t'));
    expect(Object.isFrozen(rendered)).toBe(true);
    expect(Object.isFrozen(rendered[0])).toBe(true);
    expect(() => sqliteRenderer.render({ kind: 'nope' } as unknown as Operation)).toThrow(TypeError);
  });
});

describe('sqliteRenderer and SQLite table options', () => {
  const strictHint = (type: string): string | undefined =>
    refusal(() => sqliteRenderer.render(build.createTable('t', [{ name: 'a', type }], { strict: true })))
      .hint;

  it('names, for a type a STRICT table refuses, the type of its own SQLite would give it', () => {
    expect(strictHint('varchar(255)')).toBe(
      'Give the column the type TEXT, or leave strict out (SQLite then keeps any declared type and reads only its affinity).',
    );
    expect(strictHint('bigint')).toContain('the type INTEGER,');
    expect(strictHint('boolean')).toContain('the type INTEGER,');
    expect(strictHint('timestamp with time zone')).toContain('the type TEXT,');
    expect(strictHint('double precision')).toContain('the type REAL,');
    expect(strictHint('bytea')).toContain('the type BLOB,');
    expect(strictHint('numeric(10,2)')).toContain(
      'the type INTEGER, REAL or TEXT, as the values are, or ANY,',
    );
  });

  it('takes SQLite’s own types in any case', () => {
    const types = ['int', 'Integer', 'REAL', 'text', 'blob', 'any'];
    expect(
      statements(
        build.createTable(
          't',
          types.map((type, at) => ({ name: `c${at}`, type })),
          { strict: true },
        ),
      ),
    ).toHaveLength(1);
  });

  it('writes the rebuild of a table known only from a batch’s `existing` with its options', () => {
    const batch = build.batchAlterTable('readings', (b) => b.alterColumn('celsius', { nullable: false }), {
      existing: {
        columns: [
          { name: 'sensor', type: 'TEXT', primaryKey: true },
          { name: 'celsius', type: 'REAL' },
          { name: 'fahrenheit', type: 'REAL', generated: 'celsius * 9 / 5 + 32', generatedKind: 'virtual' },
        ],
        strict: true,
        withoutRowid: true,
      },
    });
    expect(
      statements(batch, {
        offline: true,
        table: () => undefined,
        dependents: () => ({ views: [], triggers: [] }),
      })[0],
    ).toBe(
      'CREATE TABLE "_ambix_new_readings" (\n' +
        '  "sensor" TEXT NOT NULL,\n' +
        '  "celsius" REAL NOT NULL,\n' +
        '  "fahrenheit" REAL GENERATED ALWAYS AS (celsius * 9 / 5 + 32) VIRTUAL,\n' +
        '  CONSTRAINT "readings_pkey" PRIMARY KEY ("sensor")\n' +
        ') STRICT, WITHOUT ROWID',
    );
  });
});

describe('moveAndCopy', () => {
  const copy = (before: TableModel, after: TableModel, columnMap?: Record<string, string | null>): Sql[] =>
    moveAndCopy(before, after, columnMap === undefined ? {} : { columnMap });

  it('fills columns from the column map, and leaves a column mapped to null to its default', () => {
    const after: TableModel = {
      ...TAGS,
      columns: [
        { name: 'name', type: 'TEXT', nullable: true },
        { name: 'weight', type: '', nullable: true, default: '0' },
      ],
    };
    expect(copy(TAGS, after, { name: 'upper("label")', weight: null })[1]).toEqual({
      sql: 'INSERT INTO "_ambix_new_tags" ("name")\n  SELECT upper("label") FROM "tags"',
    });
  });

  it('guards a NOT NULL column without a default that nothing fills: the table must be empty', () => {
    const after: TableModel = {
      ...TAGS,
      columns: [...TAGS.columns, { name: 'code', type: 'TEXT', nullable: false }],
    };
    expect(copy(TAGS, after).map((s) => s.sql)).toEqual(
      expect.arrayContaining([
        'INSERT INTO temp."_ambix_guard" SELECT 1 FROM "tags" LIMIT 1',
        expect.stringContaining('has rows, and its new NOT NULL column code has no default to give them'),
      ]),
    );
  });

  it('writes unnamed constraints without a name and leaves out the indexes SQLite makes for them', () => {
    const table: TableModel = {
      ...TAGS,
      primaryKey: { name: '', columns: ['label'] },
      uniques: [{ name: '', columns: ['weight'], deferrable: false, initiallyDeferred: false }],
      indexes: [
        { name: 'sqlite_autoindex_tags_1', unique: true, method: 'btree', elements: [{ column: 'label' }] },
      ],
    };
    const sqlOf = copy(table, table).map((statement) => statement.sql);
    expect(sqlOf[0]).toBe(
      'CREATE TABLE "_ambix_new_tags" (\n  "label" TEXT,\n  "weight" DEFAULT 0,\n  PRIMARY KEY ("label"),\n  UNIQUE ("weight")\n)',
    );
    expect(sqlOf.filter((text) => text.startsWith('CREATE INDEX'))).toEqual([]);
  });

  it('refuses what no SQLite table can have', () => {
    expect(refusal(() => copy(TAGS, { ...TAGS, partitionBy: 'RANGE (label)' })).message).toBe(
      'Table "tags": SQLite has no partitioned tables',
    );
    expect(
      refusal(() =>
        copy(TAGS, {
          ...TAGS,
          columns: [{ name: 'id', type: 'INTEGER', nullable: false, identity: { generated: 'always' } }],
        }),
      ).message,
    ).toMatch(/^Table "tags": column "id" is an identity column, which SQLite supports only/);
    expect(refusal(() => copy(TAGS, { ...TAGS, name: 'other', schema: 'aux' })).message).toBe(
      'Table "tags": SQLite cannot move a table to another database (aux)',
    );
  });
});

describe('applyToTable', () => {
  it('returns the table itself for what changes nothing', () => {
    expect(applyToTable(USERS, build.dropConstraint('nope', 'users', { ifExists: true }))).toBe(USERS);
    expect(
      applyToTable(USERS, build.addColumn('users', { name: 'email', type: 'text' }, { ifNotExists: true })),
    ).toBe(USERS);
    expect(applyToTable(USERS, build.dropIndex('nope', { ifExists: true }))).toBe(USERS);
  });

  it('renames a column wherever the table names it', () => {
    const table: TableModel = {
      ...USERS,
      checks: [{ name: 'c', expression: "length(name) > 1 AND name <> 'name'" }],
      indexes: [
        {
          name: 'i',
          unique: false,
          method: 'btree',
          elements: [{ expression: 'lower(name)' }],
          where: 'name IS NOT NULL',
        },
      ],
    };
    const renamed = applyToTable(table, build.alterColumn('users', 'name', { newName: 'full name' }));
    expect(renamed.columns.map((column) => column.name)).toEqual(['id', 'email', 'full name', 'created_at']);
    expect(renamed.checks).toEqual([
      { name: 'c', expression: `length("full name") > 1 AND "full name" <> 'name'` },
    ]);
    expect(renamed.indexes[0]?.elements).toEqual([{ expression: 'lower("full name")' }]);
    expect(renamed.indexes[0]?.where).toBe('"full name" IS NOT NULL');
  });

  it('renames and comments the table, and adds and drops indexes', () => {
    const changed = [
      build.renameTable('users', 'people'),
      build.setTableComment('people', 'People'),
      build.createIndex('people_email', 'people', ['email'], { unique: true }),
      build.dropIndex('users_name_idx'),
    ].reduce(applyToTable, USERS);
    expect(changed.name).toBe('people');
    expect(changed.comment).toBe('People');
    expect(changed.indexes).toEqual([
      { name: 'people_email', unique: true, method: 'btree', elements: [{ column: 'email' }] },
    ]);
  });

  it('refuses operations that are not about this table', () => {
    expect(refusal(() => applyToTable(USERS, build.createEnum('mood', ['a']))).message).toBe(
      "op.createEnum(): it does not change a table's definition and cannot be part of a rebuild",
    );
    expect(
      refusal(() => applyToTable(USERS, build.addColumn('posts', { name: 'a', type: 'text' }))).message,
    ).toBe('op.addColumn(): it changes table "posts", not "users"');
  });
});

describe('sqliteRenderer data statements', () => {
  it('splits a bulk insert under the parameter limit', () => {
    const operation = build.bulkInsert('t', [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
      { a: 5, b: 6 },
    ]);
    expect(bulkInsert(operation, 4)).toEqual([
      { sql: 'INSERT INTO "t" ("a", "b") VALUES\n  (?, ?),\n  (?, ?)', params: [1, 2, 3, 4] },
      { sql: 'INSERT INTO "t" ("a", "b") VALUES\n  (?, ?)', params: [5, 6] },
    ]);
    expect(refusal(() => bulkInsert(operation, 1)).message).toBe(
      "bulkInsert row 0 needs 2 parameters, more than SQLite's 1",
    );
  });

  it('binds values instead of writing them into the statement', () => {
    const [statement] = sqliteRenderer.render(build.bulkInsert('t', [{ a: "'); DROP TABLE t; --" }]));
    expect(statement).toEqual({
      sql: 'INSERT INTO "t" ("a") VALUES\n  (?)',
      params: ["'); DROP TABLE t; --"],
    });
    expect(sqliteRenderer.inline(statement as Sql)).toBe(
      `INSERT INTO "t" ("a") VALUES\n  ('''); DROP TABLE t; --')`,
    );
  });

  it('keeps execute parameters bound', () => {
    expect(sqliteRenderer.render(build.execute('DELETE FROM t WHERE id = ?', [5]))).toEqual([
      { sql: 'DELETE FROM t WHERE id = ?', params: [5] },
    ]);
  });

  it('quotes every name, so a name cannot end the statement', () => {
    expect(statements(build.dropTable('x"; DROP TABLE users; --'))).toEqual([
      'DROP TABLE "x""; DROP TABLE users; --"',
    ]);
  });
});
