/**
 * Reflection on real SQLite files: hand-written DDL covering what SQLite can declare, read back into the schema
 * model and compared exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/dialects/dialect.js';
import { connectSqlite, type SqliteConnection } from '../../../src/dialects/sqlite/driver.js';
import { parseCreateIndex } from '../../../src/dialects/sqlite/introspect/create-index.js';
import { parseCreateTable } from '../../../src/dialects/sqlite/introspect/create-table.js';
import { parseCreateView } from '../../../src/dialects/sqlite/introspect/create-view.js';
import { introspectSqlite, sqliteIntrospector } from '../../../src/dialects/sqlite/introspect.js';
import type { IntrospectOptions } from '../../../src/schema/introspector.js';
import type { SchemaModel, TableModel } from '../../../src/schema/model.js';

const SCHEMA = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(255) NOT NULL CONSTRAINT users_email_unique UNIQUE,
  name text COLLATE NOCASE,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),
  score integer DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TEXT DEFAULT (datetime('now')),
  email_lower TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL,
  email_domain TEXT AS (substr(email, instr(email, '@') + 1)) STORED,
  CONSTRAINT users_score_positive CHECK (score >= 0),
  CHECK (created_at <= updated_at)
);
CREATE INDEX users_lower_name_idx ON users (lower(name) DESC);
CREATE UNIQUE INDEX users_name_idx ON users (name COLLATE BINARY, score DESC) WHERE score > 0;

CREATE TABLE [odd "table"] (
  \`the id\` integer,
  "naïve ""col""" TEXT,
  名前 text,
  PRIMARY KEY (\`the id\` DESC)
);
CREATE INDEX "odd ""idx""" ON [odd "table"] (("naïve ""col""" COLLATE nocase), (名前 || 'x'));

CREATE TABLE orders (
  region TEXT NOT NULL,
  number INT NOT NULL,
  user_id INTEGER REFERENCES USERS ON DELETE SET NULL,
  amount REAL CHECK (amount > 0) CHECK (amount < 1000000),
  CONSTRAINT orders_pk PRIMARY KEY (region, number)
) WITHOUT ROWID, STRICT;

CREATE TABLE order_lines (
  region TEXT,
  number INT,
  line INTEGER,
  product text /* a comment, with (parens) and 'quotes' */ NOT NULL,
  FOREIGN KEY (region, number) REFERENCES orders (REGION, number)
    ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT lines_product_fk FOREIGN KEY (product) REFERENCES products (code) MATCH FULL NOT DEFERRABLE,
  PRIMARY KEY (region, number, line)
  UNIQUE (product, line)
);

CREATE TABLE products (
  code TEXT PRIMARY KEY, -- a comment ) with a parenthesis
  label text COLLATE "RTRIM" UNIQUE ON CONFLICT REPLACE,
  parent text REFERENCES products DEFERRABLE,
  price DECIMAL(10, 2) DEFAULT -1.5,
  CONSTRAINT products_code_unique UNIQUE (code)
);

CREATE TABLE counters (n INTEGER, PRIMARY KEY (n AUTOINCREMENT));
CREATE TABLE notes (
  user_id INTEGER REFERENCES users NOT NULL DEFERRABLE INITIALLY DEFERRED,
  body TEXT,
  CHECK (length("body") > 0)
);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label);
ALTER TABLE tags ADD COLUMN note TEXT DEFAULT 'x' CHECK (note <> '');

CREATE TABLE t (id PRIMARY KEY, a CHECK (a > 0) CONSTRAINT t_a_check CHECK (a < 10));
CREATE INDEX t_pkey ON tags (label);

CREATE VIEW "active users" (id, "e-mail") AS SELECT id, email FROM users WHERE status = 'active';
CREATE VIEW totals AS SELECT user_id, sum(amount) AS total FROM orders GROUP BY user_id;
CREATE TRIGGER users_touch AFTER UPDATE ON Users
BEGIN
  UPDATE users SET updated_at = datetime('now') WHERE id = NEW.id;
END;
CREATE TRIGGER active_insert INSTEAD OF INSERT ON "active users"
BEGIN
  INSERT INTO users (email) VALUES (NEW."e-mail");
END;
CREATE VIRTUAL TABLE docs USING fts5(title, body);

INSERT INTO users (email) VALUES ('a@example.com');
ANALYZE;
CREATE TEMP TABLE scratch (x);
`;

const AUX_SCHEMA = `
CREATE TABLE aux.things (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);
CREATE INDEX aux.things_user_idx ON things (user_id);
`;

const USERS: TableModel = {
  schema: 'main',
  name: 'users',
  columns: [
    // A rowid alias is reported as SQLite reports it: nullable.
    { name: 'id', type: 'INTEGER', nullable: true, identity: { generated: 'byDefault' } },
    { name: 'email', type: 'VARCHAR(255)', nullable: false },
    { name: 'name', type: 'TEXT', nullable: true, collation: 'NOCASE' },
    { name: 'status', type: 'TEXT', nullable: false, default: "'active'" },
    { name: 'score', type: 'INTEGER', nullable: true, default: '0' },
    { name: 'created_at', type: 'TEXT', nullable: false, default: 'CURRENT_TIMESTAMP' },
    { name: 'updated_at', type: 'TEXT', nullable: true, default: "datetime('now')" },
    // `pragma table_xinfo` tells VIRTUAL (hidden 2) from STORED (hidden 3).
    {
      name: 'email_lower',
      type: 'TEXT',
      nullable: true,
      generated: 'lower(email)',
      generatedKind: 'virtual',
    },
    { name: 'email_domain', type: 'TEXT', nullable: true, generated: "substr(email, instr(email, '@') + 1)" },
  ],
  primaryKey: { name: 'users_pkey', columns: ['id'] },
  foreignKeys: [],
  uniques: [{ name: 'users_email_unique', columns: ['email'], deferrable: false, initiallyDeferred: false }],
  checks: [
    { name: 'users_check', expression: 'created_at <= updated_at' },
    { name: 'users_score_positive', expression: 'score >= 0' },
    { name: 'users_status_check', expression: "status IN ('active', 'banned')" },
  ],
  excludes: [],
  indexes: [
    {
      name: 'users_lower_name_idx',
      unique: false,
      method: 'btree',
      elements: [{ expression: 'lower(name)', order: 'desc' }],
    },
    {
      name: 'users_name_idx',
      unique: true,
      method: 'btree',
      elements: [
        { column: 'name', collation: 'BINARY' },
        { column: 'score', order: 'desc' },
      ],
      where: 'score > 0',
    },
  ],
};

const ODD: TableModel = {
  schema: 'main',
  name: 'odd "table"',
  columns: [
    { name: 'the id', type: 'INTEGER', nullable: true },
    { name: 'naïve "col"', type: 'TEXT', nullable: true },
    { name: '名前', type: 'TEXT', nullable: true },
  ],
  primaryKey: { name: 'odd "table"_pkey', columns: ['the id'] },
  foreignKeys: [],
  uniques: [],
  checks: [],
  excludes: [],
  indexes: [
    {
      name: 'odd "idx"',
      unique: false,
      method: 'btree',
      elements: [{ column: 'naïve "col"', collation: 'nocase' }, { expression: "名前 || 'x'" }],
    },
  ],
};

const ORDERS: TableModel = {
  schema: 'main',
  name: 'orders',
  columns: [
    { name: 'region', type: 'TEXT', nullable: false },
    { name: 'number', type: 'INT', nullable: false },
    { name: 'user_id', type: 'INTEGER', nullable: true },
    { name: 'amount', type: 'REAL', nullable: true },
  ],
  primaryKey: { name: 'orders_pk', columns: ['region', 'number'] },
  foreignKeys: [
    {
      name: 'orders_user_id_fkey',
      columns: ['user_id'],
      // `REFERENCES USERS`: the parent as it names itself, and its primary key.
      references: { schema: 'main', table: 'users', columns: ['id'] },
      onDelete: 'set null',
      onUpdate: 'no action',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  uniques: [],
  checks: [
    { name: 'orders_amount_check', expression: 'amount > 0' },
    { name: 'orders_amount_check1', expression: 'amount < 1000000' },
  ],
  excludes: [],
  indexes: [],
  // From `pragma table_list` (its `strict` and `wr`), whatever order the statement writes them in.
  strict: true,
  withoutRowid: true,
};

const ORDER_LINES: TableModel = {
  schema: 'main',
  name: 'order_lines',
  columns: [
    { name: 'region', type: 'TEXT', nullable: true },
    { name: 'number', type: 'INT', nullable: true },
    { name: 'line', type: 'INTEGER', nullable: true },
    { name: 'product', type: 'TEXT', nullable: false },
  ],
  primaryKey: { name: 'order_lines_pkey', columns: ['region', 'number', 'line'] },
  foreignKeys: [
    {
      name: 'lines_product_fk',
      columns: ['product'],
      references: { schema: 'main', table: 'products', columns: ['code'] },
      onDelete: 'no action',
      onUpdate: 'no action',
      // SQLite ignores MATCH: a key with a NULL column is never checked.
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
    {
      name: 'order_lines_region_number_fkey',
      columns: ['region', 'number'],
      references: { schema: 'main', table: 'orders', columns: ['region', 'number'] },
      onDelete: 'cascade',
      onUpdate: 'restrict',
      match: 'simple',
      deferrable: true,
      initiallyDeferred: true,
    },
  ],
  uniques: [
    {
      name: 'order_lines_product_line_key',
      columns: ['product', 'line'],
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  checks: [],
  excludes: [],
  indexes: [],
};

const PRODUCTS: TableModel = {
  schema: 'main',
  name: 'products',
  columns: [
    { name: 'code', type: 'TEXT', nullable: true },
    { name: 'label', type: 'TEXT', nullable: true, collation: 'RTRIM' },
    { name: 'parent', type: 'TEXT', nullable: true },
    { name: 'price', type: 'DECIMAL(10, 2)', nullable: true, default: '-1.5' },
  ],
  primaryKey: { name: 'products_pkey', columns: ['code'] },
  foreignKeys: [
    {
      name: 'products_parent_fkey',
      columns: ['parent'],
      references: { schema: 'main', table: 'products', columns: ['code'] },
      onDelete: 'no action',
      onUpdate: 'no action',
      match: 'simple',
      // As written: SQLite checks a DEFERRABLE key at once unless it is INITIALLY DEFERRED.
      deferrable: true,
      initiallyDeferred: false,
    },
  ],
  // UNIQUE (code) repeats the primary key: SQLite keeps no index for it, so neither does the model.
  uniques: [{ name: 'products_label_key', columns: ['label'], deferrable: false, initiallyDeferred: false }],
  checks: [],
  excludes: [],
  indexes: [],
};

const COUNTERS: TableModel = {
  schema: 'main',
  name: 'counters',
  columns: [{ name: 'n', type: 'INTEGER', nullable: true, identity: { generated: 'byDefault' } }],
  primaryKey: { name: 'counters_pkey', columns: ['n'] },
  foreignKeys: [],
  uniques: [],
  checks: [],
  excludes: [],
  indexes: [],
};

const NOTES: TableModel = {
  schema: 'main',
  name: 'notes',
  columns: [
    { name: 'user_id', type: 'INTEGER', nullable: false },
    { name: 'body', type: 'TEXT', nullable: true },
  ],
  foreignKeys: [
    {
      name: 'notes_user_id_fkey',
      columns: ['user_id'],
      references: { schema: 'main', table: 'users', columns: ['id'] },
      onDelete: 'no action',
      onUpdate: 'no action',
      match: 'simple',
      // A column's DEFERRABLE clause may stand apart from its REFERENCES.
      deferrable: true,
      initiallyDeferred: true,
    },
  ],
  uniques: [],
  // A table's check naming one column (not a function) is named after it.
  checks: [{ name: 'notes_body_check', expression: 'length("body") > 0' }],
  excludes: [],
  indexes: [],
};

const TAGS: TableModel = {
  schema: 'main',
  name: 'tags',
  columns: [
    // A rowid alias without AUTOINCREMENT has no identity: it is the rowid.
    { name: 'id', type: 'INTEGER', nullable: true },
    { name: 'label', type: '', nullable: true },
    { name: 'note', type: 'TEXT', nullable: true, default: "'x'" },
  ],
  primaryKey: { name: 'tags_pkey', columns: ['id'] },
  foreignKeys: [],
  uniques: [],
  checks: [{ name: 'tags_note_check', expression: "note <> ''" }],
  excludes: [],
  indexes: [{ name: 't_pkey', unique: false, method: 'btree', elements: [{ column: 'label' }] }],
};

const T: TableModel = {
  schema: 'main',
  name: 't',
  columns: [
    { name: 'id', type: '', nullable: true },
    { name: 'a', type: '', nullable: true },
  ],
  // Unnamed constraints skip the names already used in the table and by the schema's tables and indexes.
  primaryKey: { name: 't_pkey1', columns: ['id'] },
  foreignKeys: [],
  uniques: [],
  checks: [
    { name: 't_a_check', expression: 'a < 10' },
    { name: 't_a_check1', expression: 'a > 0' },
  ],
  excludes: [],
  indexes: [],
};

const THINGS: TableModel = {
  schema: 'aux',
  name: 'things',
  columns: [
    { name: 'id', type: 'INTEGER', nullable: true },
    { name: 'user_id', type: 'INTEGER', nullable: true },
  ],
  primaryKey: { name: 'things_pkey', columns: ['id'] },
  foreignKeys: [
    {
      name: 'things_user_id_fkey',
      columns: ['user_id'],
      // A foreign key references its own database's tables: aux has no users, so its key is unknown.
      references: { schema: 'aux', table: 'users', columns: [] },
      onDelete: 'no action',
      onUpdate: 'no action',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  uniques: [],
  checks: [],
  excludes: [],
  indexes: [{ name: 'things_user_idx', unique: false, method: 'btree', elements: [{ column: 'user_id' }] }],
};

const MAIN_TABLES = [COUNTERS, NOTES, ODD, ORDER_LINES, ORDERS, PRODUCTS, T, TAGS, USERS];

const tableNames = (model: SchemaModel): string[] =>
  model.tables.map((table) => `${table.schema}.${table.name}`);

function allFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(allFrozen);
}

/** A connection that counts the queries run on it. */
function counting(connection: Connection): {
  readonly connection: Connection;
  readonly queries: () => number;
} {
  let queries = 0;
  return {
    connection: {
      query: (sql, params) => {
        queries += 1;
        return connection.query(sql, params);
      },
      close: async () => {},
    },
    queries: () => queries,
  };
}

describe('sqliteIntrospector', () => {
  let directory: string;
  let connection: SqliteConnection;
  let model: SchemaModel;
  const introspect = (options?: IntrospectOptions) => sqliteIntrospector.introspect(connection, options);

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ambix-sqlite-introspect-'));
    connection = await connectSqlite(join(directory, 'main.db'));
    await connection.exec(SCHEMA);
    await connection.exec(`ATTACH DATABASE '${join(directory, 'aux.db').replaceAll("'", "''")}' AS aux`);
    await connection.exec(AUX_SCHEMA);
    model = await introspect();
  });

  afterAll(async () => {
    await connection?.close();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it('reads the tables of main, exactly, sorted by name', () => {
    expect(tableNames(model)).toEqual(MAIN_TABLES.map((table) => `main.${table.name}`));
    expect(model.tables).toEqual(MAIN_TABLES);
  });

  it('reads columns: declared types as written, defaults as kept, collations, generated expressions', () => {
    expect(model.tables.find((table) => table.name === 'users')).toEqual(USERS);
    expect(model.tables.find((table) => table.name === 'products')).toEqual(PRODUCTS);
  });

  it('reads AUTOINCREMENT as a by-default identity, in a column or a table constraint; a bare rowid alias has none', () => {
    expect(model.tables.find((table) => table.name === 'users')?.columns[0]?.identity).toEqual({
      generated: 'byDefault',
    });
    expect(model.tables.find((table) => table.name === 'counters')).toEqual(COUNTERS);
    expect(model.tables.find((table) => table.name === 'tags')?.columns[0]).toEqual({
      name: 'id',
      type: 'INTEGER',
      nullable: true,
    });
  });

  it('reads odd identifiers: brackets, backticks, doubled quotes, spaces and unicode', () => {
    expect(model.tables.find((table) => table.name === 'odd "table"')).toEqual(ODD);
  });

  it('reads composite keys, WITHOUT ROWID and STRICT tables, and foreign keys with their parents resolved', () => {
    expect(model.tables.find((table) => table.name === 'orders')).toEqual(ORDERS);
    expect(model.tables.find((table) => table.name === 'order_lines')).toEqual(ORDER_LINES);
  });

  it('names unnamed constraints as PostgreSQL would, around the names already taken', () => {
    expect(model.tables.find((table) => table.name === 't')).toEqual(T);
    expect(model.tables.find((table) => table.name === 'tags')?.checks).toEqual([
      { name: 'tags_note_check', expression: "note <> ''" },
    ]);
  });

  it('reads views with their declared columns and the query as written', () => {
    expect(model.views).toEqual([
      {
        schema: 'main',
        name: 'active users',
        materialized: false,
        query: "SELECT id, email FROM users WHERE status = 'active'",
        columns: ['id', 'e-mail'],
      },
      {
        schema: 'main',
        name: 'totals',
        materialized: false,
        query: 'SELECT user_id, sum(amount) AS total FROM orders GROUP BY user_id',
      },
    ]);
  });

  it('carries triggers and virtual tables by definition, without the virtual tables’ shadow tables', () => {
    expect(model.triggers).toEqual([]);
    expect(model.others).toEqual([
      {
        kind: 'trigger',
        schema: 'main',
        table: 'active users',
        name: 'active_insert',
        definition:
          'CREATE TRIGGER active_insert INSTEAD OF INSERT ON "active users"\nBEGIN\n' +
          '  INSERT INTO users (email) VALUES (NEW."e-mail");\nEND',
      },
      {
        kind: 'trigger',
        schema: 'main',
        table: 'users',
        name: 'users_touch',
        definition:
          'CREATE TRIGGER users_touch AFTER UPDATE ON Users\nBEGIN\n' +
          "  UPDATE users SET updated_at = datetime('now') WHERE id = NEW.id;\nEND",
      },
      {
        kind: 'virtual table',
        schema: 'main',
        name: 'docs',
        definition: 'CREATE VIRTUAL TABLE docs USING fts5(title, body)',
      },
    ]);
    expect(tableNames(model).filter((name) => name.startsWith('main.docs'))).toEqual([]);
  });

  it("never reads SQLite's own tables nor the temp schema, and has none of PostgreSQL's object kinds", async () => {
    const own = await connection.query(
      "SELECT name FROM sqlite_schema WHERE name LIKE 'sqlite\\_%' ESCAPE '\\' AND type = 'table' ORDER BY name",
    );
    expect(own.rows.map((row) => row.name)).toEqual(['sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);
    expect(tableNames(model).some((name) => name.includes('sqlite_'))).toBe(false);
    expect(tableNames(await introspect({ schemas: ['temp'] }))).toEqual([]);
    expect(model.schemas).toEqual([]);
    expect(model.extensions).toEqual([]);
    expect(model.enums).toEqual([]);
    expect(model.domains).toEqual([]);
    expect(model.sequences).toEqual([]);
    expect(model.functions).toEqual([]);
  });

  it('reads attached databases as schemas when asked for them', async () => {
    const both = await introspect({ schemas: ['main', 'aux'] });
    expect(both.schemas).toEqual(['aux']);
    expect(both.tables).toEqual([THINGS, ...MAIN_TABLES]);

    const auxOnly = await introspect({ schemas: ['aux'] });
    expect(auxOnly.schemas).toEqual(['aux']);
    expect(auxOnly.tables).toEqual([THINGS]);
    expect(auxOnly.views).toEqual([]);
    expect(auxOnly.others).toEqual([]);

    expect(await introspect({ schemas: ['not_attached'] })).toEqual({
      ...model,
      tables: [],
      views: [],
      others: [],
    });
  });

  it('reads only what the include patterns match: schema.name globs, or a bare name in any schema', async () => {
    const reflected = await introspect({ include: ['users', 'order?', 'aux.*'], schemas: ['main', 'aux'] });
    expect(tableNames(reflected)).toEqual(['aux.things', 'main.orders', 'main.users']);
    expect(reflected.tables.find((table) => table.name === 'users')).toEqual(USERS);
    expect(reflected.schemas).toEqual(['aux']);
    // A trigger goes with its table: the view "active users" is not read, nor its trigger.
    expect(reflected.others.map((other) => other.name)).toEqual(['users_touch']);
    expect(reflected.views).toEqual([]);

    const onlyMain = await introspect({ include: ['main.*'], schemas: ['main', 'aux'] });
    expect(onlyMain.schemas).toEqual([]);
    expect(onlyMain.tables).toEqual(MAIN_TABLES);
    expect(onlyMain.views).toEqual(model.views);
  });

  it('leaves out what the exclude patterns match, with the triggers of what it leaves out', async () => {
    const reflected = await introspect({ exclude: ['order*', 'main.products', '*users'] });
    expect(tableNames(reflected)).toEqual([
      'main.counters',
      'main.notes',
      'main.odd "table"',
      'main.t',
      'main.tags',
    ]);
    expect(reflected.views.map((view) => view.name)).toEqual(['totals']);
    expect(reflected.others.map((other) => other.name)).toEqual(['docs']);

    const withoutAux = await introspect({ schemas: ['main', 'aux'], exclude: ['aux.*'] });
    expect(withoutAux.schemas).toEqual([]);
    expect(withoutAux.tables).toEqual(MAIN_TABLES);
  });

  it('never reads the ignored tables, whatever the patterns and the case say', async () => {
    const reflected = await introspect({ include: ['*'], ignoreTables: [{ schema: 'main', name: 'USERS' }] });
    expect(tableNames(reflected)).not.toContain('main.users');
    expect(tableNames(reflected)).toContain('main.orders');
    expect(reflected.others.map((other) => other.name)).not.toContain('users_touch');
    // What references an ignored table still names it.
    expect(reflected.tables.find((table) => table.name === 'orders')).toEqual(ORDERS);
  });

  it('gives equal models when reading twice, and after reopening the file', async () => {
    expect(await introspect()).toEqual(model);
    const reopened = await connectSqlite(join(directory, 'main.db'));
    try {
      expect(await introspectSqlite(reopened)).toEqual(model);
    } finally {
      await reopened.close();
    }
  });

  it('returns a model frozen all the way down', () => {
    expect(allFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.tables[0]?.columns[0])).toBe(true);
  });

  it('runs the same five catalog queries whatever the number of tables and schemas', async () => {
    const before = counting(connection);
    await sqliteIntrospector.introspect(before.connection, { schemas: ['main', 'aux'] });
    const tables = Array.from(
      { length: 30 },
      (_, index) =>
        `CREATE TABLE aux.many${index} (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES many0 (id), note TEXT UNIQUE);
         CREATE INDEX aux.many${index}_note_idx ON many${index} (note);`,
    );
    await connection.exec(tables.join('\n'));
    try {
      const after = counting(connection);
      const reflected = await sqliteIntrospector.introspect(after.connection, { schemas: ['main', 'aux'] });
      expect(reflected.tables.filter((table) => table.name.startsWith('many'))).toHaveLength(30);
      expect(after.queries()).toBe(before.queries());
      expect(after.queries()).toBe(5);
    } finally {
      await connection.exec(
        Array.from({ length: 30 }, (_, index) => `DROP TABLE aux.many${index};`).join('\n'),
      );
    }
  });
});

describe('SQLite table options and generated column kinds', () => {
  let connection: SqliteConnection;
  let tables: readonly TableModel[];

  beforeAll(async () => {
    connection = await connectSqlite(undefined);
    await connection.exec(`
CREATE TABLE plain (id INTEGER PRIMARY KEY, doubled INT AS (id * 2), tripled INT AS (id * 3) STORED);
CREATE TABLE strict_only (id INTEGER PRIMARY KEY, body TEXT) STRICT;
CREATE TABLE keyed (code TEXT, part INT, label ANY, PRIMARY KEY (code, part)) WITHOUT ROWID;
`);
    tables = (await introspectSqlite(connection)).tables;
  });

  afterAll(async () => {
    await connection?.close();
  });

  const table = (name: string): TableModel | undefined => tables.find((model) => model.name === name);

  it('reads STRICT and WITHOUT ROWID each alone, and neither on a plain table', () => {
    expect(table('strict_only')).toMatchObject({ strict: true });
    expect(table('strict_only')).not.toHaveProperty('withoutRowid');
    expect(table('keyed')).toMatchObject({ withoutRowid: true });
    expect(table('keyed')).not.toHaveProperty('strict');
    expect(table('plain')).not.toHaveProperty('strict');
    expect(table('plain')).not.toHaveProperty('withoutRowid');
  });

  it('reads a WITHOUT ROWID table’s key columns NOT NULL, as SQLite enforces them, though not declared so', () => {
    expect(table('keyed')?.columns).toEqual([
      { name: 'code', type: 'TEXT', nullable: false },
      { name: 'part', type: 'INT', nullable: false },
      { name: 'label', type: 'ANY', nullable: true },
    ]);
  });

  it('reads a generated column without a kind as VIRTUAL, SQLite’s default, and a STORED one without a kind', () => {
    expect(table('plain')?.columns).toEqual([
      { name: 'id', type: 'INTEGER', nullable: true },
      { name: 'doubled', type: 'INT', nullable: true, generated: 'id * 2', generatedKind: 'virtual' },
      { name: 'tripled', type: 'INT', nullable: true, generated: 'id * 3' },
    ]);
  });
});

describe('parsing stored CREATE statements', () => {
  it('reads tokens written without spaces between them', () => {
    expect(
      parseCreateTable('CREATE TABLE "x"("a""b"INT CONSTRAINT"c"CHECK("a""b">0)COLLATE[no case])'),
    ).toEqual({
      columns: [{ name: 'a"b', collation: 'no case' }],
      uniques: [],
      checks: [{ name: 'c', expression: '"a""b">0', column: 'a"b' }],
      foreignKeys: [],
    });
  });

  it('never fails on a statement it does not understand, and keeps what it did', () => {
    expect(parseCreateTable('CREATE TABLE x')).toEqual({
      columns: [],
      uniques: [],
      checks: [],
      foreignKeys: [],
    });
    expect(parseCreateTable("CREATE TABLE x (a CHECK (a > ')' /* unterminated")).toEqual({
      columns: [{ name: 'a' }],
      uniques: [],
      checks: [{ expression: "a > ')' /* unterminated", column: 'a' }],
      foreignKeys: [],
    });
    expect(parseCreateIndex('CREATE INDEX i ON t')).toEqual({ elements: [] });
    expect(parseCreateView('CREATE VIEW v')).toEqual({ query: '' });
  });

  it('tells quoted names from keywords', () => {
    expect(parseCreateView('CREATE VIEW "as" ("as", [where]) AS SELECT 1 AS "as", 2')).toEqual({
      columns: ['as', 'where'],
      query: 'SELECT 1 AS "as", 2',
    });
    expect(parseCreateIndex('CREATE INDEX "where" ON t ("desc" DESC, "collate") WHERE "where" > 0')).toEqual({
      elements: [{ text: '"desc"' }, { text: '"collate"' }],
      where: '"where" > 0',
    });
  });
});
