import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../../src/dialects/dialect.js';
import { fromSqliteDatabase } from '../../../src/dialects/sqlite/driver.js';
import { introspectSqlite } from '../../../src/dialects/sqlite/introspect.js';
import { applyToTable, foldOperations, moveAndCopy } from '../../../src/dialects/sqlite/move-and-copy.js';
import { type SqliteRenderContext, sqliteRenderer } from '../../../src/dialects/sqlite/renderer.js';
import { operationBuilders as op } from '../../../src/operations/builders.js';
import type { Operation } from '../../../src/operations/operation.js';
import { sql } from '../../../src/operations/sql-expression.js';
import type { OtherObjectModel, SchemaModel, TableModel, ViewModel } from '../../../src/schema/model.js';

// The database of these tests, and the same tables as models (what reflection reports).
const SCHEMA = `
CREATE TABLE users (
  id INTEGER CONSTRAINT users_pkey PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  name TEXT DEFAULT 'anon',
  created_at TEXT DEFAULT (datetime('now')),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_email_check CHECK (email <> '')
);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE posts (
  id INTEGER NOT NULL,
  author_id INTEGER,
  reviewer_id INTEGER,
  title TEXT NOT NULL,
  price TEXT,
  CONSTRAINT posts_pkey PRIMARY KEY (id),
  CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX posts_title_lower ON posts (lower(title) DESC) WHERE author_id IS NOT NULL;
CREATE TABLE tags (label TEXT, weight DEFAULT 0);
CREATE TABLE audit (message TEXT);
CREATE VIEW user_posts AS SELECT u.email, p.title FROM users u JOIN posts p ON p.author_id = u.id;
CREATE TRIGGER users_audit AFTER UPDATE OF email ON users BEGIN INSERT INTO audit VALUES ('email of ' || new.id); END;

INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', NULL),
  (3, 'cy@example.com', 'Cy');
DELETE FROM users WHERE id = 3;
INSERT INTO posts VALUES (10, 1, NULL, 'Hello', '1.25'), (11, 1, 2, 'Again', '2'), (12, 2, NULL, 'Third', NULL);
INSERT INTO tags (label) VALUES ('red'), ('blue'), (NULL);
`;

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

/** The trigger as the SQLite introspector carries it: by definition, among the other objects. */
const USERS_AUDIT: OtherObjectModel = {
  kind: 'trigger',
  schema: 'main',
  table: 'users',
  name: 'users_audit',
  definition:
    "CREATE TRIGGER users_audit AFTER UPDATE OF email ON users BEGIN INSERT INTO audit VALUES ('email of ' || new.id); END",
};

const USER_POSTS: ViewModel = {
  schema: 'main',
  name: 'user_posts',
  materialized: false,
  query: 'SELECT u.email, p.title FROM users u JOIN posts p ON p.author_id = u.id',
};

const MODELS = [USERS, POSTS, TAGS];

/** What the runtime gives the renderer: the tables as reflected, and the users table's trigger to set aside. */
const context: SqliteRenderContext = {
  table: (_schema, name) => MODELS.find((table) => table.name === name),
  dependents: (_schema, table) => (table === 'users' ? { views: [], triggers: [USERS_AUDIT] } : undefined),
};

type Row = Record<string, unknown>;

let directory: string;
let db: Database.Database;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ambix-sqlite-rebuild-'));
  db = new Database(join(directory, 'app.db'));
  // better-sqlite3 turns foreign keys on; the runtime (connectSqlite) turns them off, as a rebuild needs.
  db.pragma('foreign_keys = OFF');
  db.pragma('synchronous = OFF');
  db.exec(SCHEMA);
});

afterEach(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

/**
 * Runs statements as the runtime does: one IMMEDIATE transaction, foreign keys off, rolled back on failure. Returns
 * the rows the statements that read report.
 */
function run(statements: readonly Sql[]): Row[] {
  const reported: Row[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const statement of statements) {
      const prepared = db.prepare(statement.sql);
      const params = statement.params ?? [];
      if (prepared.reader) reported.push(...(prepared.all(...params) as Row[]));
      else prepared.run(...params);
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  return reported;
}

const render = (operation: Operation): readonly Sql[] => sqliteRenderer.render(operation, context);
const rows = (query: string): Row[] => db.prepare(query).all() as Row[];
const objects = (type: string): string[] =>
  rows(`SELECT name FROM sqlite_schema WHERE type = '${type}' ORDER BY name`).map((row) => String(row.name));

/** What must hold after every rebuild. */
function expectHealthyDatabase(): void {
  expect(rows('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  expect(rows('PRAGMA foreign_key_check')).toEqual([]);
  expect(objects('table')).not.toContain('_ambix_new_users');
  expect(rows('SELECT * FROM user_posts ORDER BY title')).toEqual([
    { email: 'ada@example.com', title: 'Again' },
    { email: 'ada@example.com', title: 'Hello' },
    { email: 'bob@example.com', title: 'Third' },
  ]);
  expect(rows('PRAGMA legacy_alter_table')).toEqual([{ legacy_alter_table: 0 }]);
}

function expectFails(statement: string, message: RegExp): void {
  expect(() => db.prepare(statement).run()).toThrow(message);
}

describe('move and copy on a real SQLite database', () => {
  it('changes a column type, nullability and name, keeping rows, indexes, views and triggers', () => {
    db.exec("UPDATE users SET name = 'Bob' WHERE id = 2");
    run(
      render(
        op.alterColumn('users', 'name', { type: 'varchar(100)', nullable: false, newName: 'full_name' }),
      ),
    );
    expect(rows('SELECT id, email, full_name FROM users ORDER BY id')).toEqual([
      { id: 1, email: 'ada@example.com', full_name: 'Ada' },
      { id: 2, email: 'bob@example.com', full_name: 'Bob' },
    ]);
    expectFails(
      "INSERT INTO users (email, full_name) VALUES ('x@example.com', NULL)",
      /NOT NULL constraint failed/,
    );
    expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'users_name_idx'")).toEqual([
      { sql: 'CREATE INDEX "users_name_idx" ON "users" ("full_name")' },
    ]);
    expect(objects('trigger')).toEqual(['users_audit']);
    db.exec("UPDATE users SET email = 'ada@example.org' WHERE id = 1");
    expect(rows('SELECT message FROM audit')).toEqual([{ message: 'email of 1' }]);
    db.exec("UPDATE users SET email = 'ada@example.com' WHERE id = 1");
    expectHealthyDatabase();
  });

  it('keeps the AUTOINCREMENT counter, so a deleted number is never given again', () => {
    run(render(op.alterColumn('users', 'created_at', { default: null })));
    db.prepare("INSERT INTO users (email) VALUES ('dee@example.com')").run();
    expect(rows("SELECT id FROM users WHERE email = 'dee@example.com'")).toEqual([{ id: 4 }]);
    expect(rows('SELECT name, seq FROM sqlite_sequence')).toEqual([{ name: 'users', seq: 4 }]);
    expectHealthyDatabase();
  });

  it('fills a column from a type change’s using expression', () => {
    run(
      render(
        op.alterColumn('posts', 'price', {
          type: 'integer',
          using: sql`CAST(round(price * 100) AS INTEGER)`,
        }),
      ),
    );
    expect(rows('SELECT id, price, typeof(price) AS type FROM posts ORDER BY id')).toEqual([
      { id: 10, price: 125, type: 'integer' },
      { id: 11, price: 200, type: 'integer' },
      { id: 12, price: null, type: 'null' },
    ]);
    expectHealthyDatabase();
  });

  it('adds a CHECK constraint that new rows must meet', () => {
    run(render(op.createCheckConstraint('users_name_check', 'users', sql`length(name) > ${1}`)));
    expectFails(
      "INSERT INTO users (email, name) VALUES ('x@example.com', 'X')",
      /CHECK constraint failed: users_name_check/,
    );
    expect(rows('SELECT count(*) AS n FROM users')).toEqual([{ n: 2 }]);
    expectHealthyDatabase();
  });

  it('refuses a CHECK constraint the rows already there break, leaving the table as it was', () => {
    expect(() =>
      run(render(op.createCheckConstraint('users_name_check', 'users', 'name IS NOT NULL'))),
    ).toThrow(/CHECK constraint failed/);
    expect(objects('table')).toContain('users');
    expect(objects('table')).not.toContain('_ambix_new_users');
    expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'users'")[0]?.sql).not.toContain(
      'users_name_check',
    );
    expectHealthyDatabase();
  });

  it('adds a unique constraint, which SQLite then enforces', () => {
    run(render(op.createUniqueConstraint('posts_title_key', 'posts', ['title'])));
    expectFails(
      "INSERT INTO posts (id, title) VALUES (13, 'Hello')",
      /UNIQUE constraint failed: posts.title/,
    );
    expect(objects('index')).toEqual(
      ['posts_title_lower', 'sqlite_autoindex_posts_1', 'users_name_idx', 'sqlite_autoindex_users_1'].sort(),
    );
    expectHealthyDatabase();
  });

  it('adds a foreign key, enforced once foreign keys are on', () => {
    const reported = run(
      render(
        op.createForeignKey('posts_reviewer_fkey', 'posts', ['reviewer_id'], {
          table: 'users',
          columns: ['id'],
        }),
      ),
    );
    expect(reported).toEqual([]);
    db.pragma('foreign_keys = ON');
    expectFails(
      "INSERT INTO posts (id, reviewer_id, title) VALUES (13, 99, 'x')",
      /FOREIGN KEY constraint failed/,
    );
    expectHealthyDatabase();
  });

  it('fails, leaving the table as it was, when rows break a new foreign key; NOT VALID skips the check', () => {
    db.exec('UPDATE posts SET reviewer_id = 99 WHERE id = 12');
    const fk = (notValid: boolean) =>
      op.createForeignKey(
        'posts_reviewer_fkey',
        'posts',
        ['reviewer_id'],
        { table: 'users', columns: ['id'] },
        { notValid },
      );
    expect(() => run(render(fk(false)))).toThrow(
      'CHECK constraint failed: ambix: rows break a foreign key after rebuilding table posts; PRAGMA foreign_key_check lists them',
    );
    expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'posts'")[0]?.sql).not.toContain(
      'posts_reviewer_fkey',
    );
    expect(rows('SELECT count(*) AS n FROM posts')).toEqual([{ n: 3 }]);
    const unchecked = render(fk(true));
    expect(unchecked.some((statement) => statement.sql.includes('foreign_key_check'))).toBe(false);
    expect(run(unchecked)).toEqual([]);
    expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'posts'")[0]?.sql).toContain(
      'posts_reviewer_fkey',
    );
  });

  it('adds a primary key to a table that had none; its column becomes NOT NULL', () => {
    db.exec('DELETE FROM tags WHERE label IS NULL');
    run(render(op.createPrimaryKey('tags_pkey', 'tags', ['label'])));
    expectFails("INSERT INTO tags (label) VALUES ('red')", /UNIQUE constraint failed: tags.label/);
    expectFails('INSERT INTO tags (label) VALUES (NULL)', /NOT NULL constraint failed: tags.label/);
    expect(rows('SELECT label, weight FROM tags ORDER BY label')).toEqual([
      { label: 'blue', weight: 0 },
      { label: 'red', weight: 0 },
    ]);
    expectHealthyDatabase();
  });

  it('drops a unique constraint, after which duplicates are allowed', () => {
    run(render(op.dropConstraint('users_email_key', 'users')));
    db.prepare("INSERT INTO users (email) VALUES ('ada@example.com')").run();
    expect(rows("SELECT count(*) AS n FROM users WHERE email = 'ada@example.com'")).toEqual([{ n: 2 }]);
    expectHealthyDatabase();
  });

  it('drops an indexed column by rebuilding, its index with it', () => {
    const statements = render(op.dropColumn('users', 'name'));
    expect(statements.map((statement) => statement.sql)).toContain('DROP TABLE "users"');
    run(statements);
    expect(rows('SELECT * FROM users ORDER BY id').map((row) => Object.keys(row))).toEqual([
      ['id', 'email', 'created_at'],
      ['id', 'email', 'created_at'],
    ]);
    expect(objects('index')).not.toContain('users_name_idx');
    expectHealthyDatabase();
  });

  it('drops a column nothing uses in place', () => {
    const statements = render(op.dropColumn('users', 'created_at'));
    expect(statements).toEqual([{ sql: 'ALTER TABLE "users" DROP COLUMN "created_at"' }]);
    run(statements);
    expectHealthyDatabase();
  });

  it('adds a column with a non-constant default by rebuilding; the rows already there get the default', () => {
    run(
      render(
        op.addColumn('users', {
          name: 'seen_at',
          type: 'text',
          nullable: false,
          default: sql`CURRENT_TIMESTAMP`,
        }),
      ),
    );
    expect(rows('SELECT count(*) AS n FROM users WHERE seen_at IS NOT NULL')).toEqual([{ n: 2 }]);
    expectHealthyDatabase();
  });

  it('adds an identity column to a table without a primary key, numbering its rows', () => {
    run(render(op.addColumn('tags', { name: 'id', type: 'integer', primaryKey: true, identity: 'always' })));
    expect(rows('SELECT id, label FROM tags ORDER BY id')).toEqual([
      { id: 1, label: 'red' },
      { id: 2, label: 'blue' },
      { id: 3, label: null },
    ]);
    expectHealthyDatabase();
  });

  it('adds a NOT NULL column without a default to an empty table, and refuses it, saying why, on one with rows', () => {
    const add = op.addColumn('tags', { name: 'code', type: 'text', nullable: false });
    expect(() => run(render(add))).toThrow(
      /tags has rows, and its new NOT NULL column code has no default to give them/,
    );
    expect(rows('SELECT count(*) AS n FROM tags')).toEqual([{ n: 3 }]);
    db.exec('DELETE FROM tags');
    run(render(add));
    expect(() => db.prepare('INSERT INTO tags (label) VALUES (?)').run('x')).toThrow(/NOT NULL/);
    expectHealthyDatabase();
  });

  it('makes a key column an identity and a plain column again, keeping its rows', () => {
    const tableSql = (name: string) =>
      String(rows(`SELECT sql FROM sqlite_schema WHERE name = '${name}'`)[0]?.sql ?? '');
    run(render(op.alterColumn('posts', 'id', { identity: 'byDefault', existingIdentity: null })));
    expect(tableSql('posts')).toMatch(/"id" INTEGER .*PRIMARY KEY AUTOINCREMENT/);
    const ids = [{ id: 10 }, { id: 11 }, { id: 12 }];
    expect(rows('SELECT id FROM posts ORDER BY id')).toEqual(ids);
    run(render(op.alterColumn('posts', 'id', { identity: null, existingIdentity: 'byDefault' })));
    expect(tableSql('posts')).not.toMatch(/AUTOINCREMENT/);
    expect(rows('SELECT id FROM posts ORDER BY id')).toEqual(ids);
    expectHealthyDatabase();
  });

  it('refuses an identity on a column that is not the only key column', () => {
    expect(() =>
      render(op.alterColumn('posts', 'title', { identity: 'byDefault', existingIdentity: null })),
    ).toThrow(/INTEGER PRIMARY KEY/);
  });

  it('rebuilds a parent table without breaking the foreign keys that reference it', () => {
    run(render(op.createCheckConstraint('users_id_check', 'users', 'id > 0')));
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM users WHERE id = 2').run();
    expect(rows('SELECT id FROM posts ORDER BY id')).toEqual([{ id: 10 }, { id: 11 }]);
    expectFails(
      "INSERT INTO posts (id, author_id, title) VALUES (20, 42, 'x')",
      /FOREIGN KEY constraint failed/,
    );
  });

  it('loses the table’s triggers when the context does not pass them as dependents', () => {
    const withoutDependents: SqliteRenderContext = { table: context.table };
    run(
      sqliteRenderer.render(op.createCheckConstraint('users_id_check', 'users', 'id > 0'), withoutDependents),
    );
    expect(objects('trigger')).toEqual([]);
  });

  it('rebuilds a table of an attached database', () => {
    db.exec(`ATTACH DATABASE '${join(directory, 'aux.db')}' AS aux`);
    db.exec(
      "CREATE TABLE aux.notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO aux.notes VALUES (1, 'hi');",
    );
    db.exec('CREATE INDEX aux.notes_body ON notes (body)');
    const notes: TableModel = {
      ...TAGS,
      schema: 'aux',
      name: 'notes',
      columns: [
        { name: 'id', type: 'INTEGER', nullable: false },
        { name: 'body', type: 'TEXT', nullable: true },
      ],
      primaryKey: { name: '', columns: ['id'] },
      indexes: [{ name: 'notes_body', unique: false, method: 'btree', elements: [{ column: 'body' }] }],
    };
    const statements = sqliteRenderer.render(
      op.alterColumn('notes', 'body', { schema: 'aux', nullable: false }),
      {
        table: (schema, name) => (schema === 'aux' && name === 'notes' ? notes : undefined),
      },
    );
    run(statements);
    expect(rows('SELECT * FROM aux.notes')).toEqual([{ id: 1, body: 'hi' }]);
    expectFails('INSERT INTO aux.notes (body) VALUES (NULL)', /NOT NULL constraint failed: notes.body/);
    expect(rows('SELECT type, name FROM aux.sqlite_schema ORDER BY name')).toEqual([
      { type: 'table', name: 'notes' },
      { type: 'index', name: 'notes_body' },
    ]);
    expect(objects('table')).not.toContain('notes');
    expectHealthyDatabase();
  });
});

describe('the statements SQLite runs in place', () => {
  it('run on a real SQLite database', () => {
    db.exec(`ATTACH DATABASE '${join(directory, 'aux.db')}' AS aux`);
    const operations = [
      op.createTable(
        'orders',
        [
          { name: 'id', type: 'bigint', identity: 'always' },
          {
            name: 'user_id',
            type: 'integer',
            nullable: false,
            references: { table: 'users', column: 'id', onDelete: 'cascade' },
          },
          { name: 'total', type: 'numeric(10, 2)', nullable: false, default: 0, check: 'total >= 0' },
          { name: 'placed_at', type: 'text', default: sql`CURRENT_TIMESTAMP` },
          { name: 'note', type: 'text', collation: 'NOCASE', comment: 'left out' },
          { name: 'cents', type: 'integer', generated: sql`CAST(total * 100 AS INTEGER)` },
        ],
        {
          constraints: [{ type: 'primaryKey', name: 'orders_pkey', columns: ['id'] }],
          comment: 'left out too',
        },
      ),
      op.createTable(
        'kv',
        [
          { name: 'k', type: 'text', primaryKey: true },
          { name: 'v', type: 'blob', default: Buffer.from([1]) },
        ],
        { schema: 'aux' },
      ),
      op.createIndex(
        'orders_user',
        'orders',
        ['user_id', { column: 'placed_at', order: 'desc', nulls: 'last' }],
        { where: 'total > 0' },
      ),
      op.createIndex('kv_v', 'kv', [sql`length(v)`], { schema: 'aux', unique: true, ifNotExists: true }),
      op.addColumn('orders', {
        name: 'status',
        type: 'text',
        nullable: false,
        default: 'new',
        check: "status <> ''",
      }),
      op.alterColumn('orders', 'note', { newName: 'remark' }),
      op.createView('big_orders', sql`SELECT id, total FROM orders WHERE total > ${100}`, {
        columns: ['order_id', 'amount'],
      }),
      op.createView('big_orders', 'SELECT id FROM orders', { orReplace: true }),
      op.bulkInsert('orders', [
        { user_id: 1, total: 5 },
        { user_id: 2, total: sql`${2} * 3`, remark: "it's" },
        { user_id: 1 },
      ]),
      op.renameTable('orders', 'purchases'),
      op.dropView('big_orders'),
      op.dropIndex('kv_v', { schema: 'aux' }),
      op.dropTable('kv', { schema: 'aux', ifExists: true }),
      op.execute('UPDATE purchases SET remark = ? WHERE id = ?', ['first', 1]),
    ];
    run(operations.flatMap((operation) => sqliteRenderer.render(operation)));
    expect(rows('SELECT id, user_id, total, remark, cents, status FROM purchases ORDER BY id')).toEqual([
      { id: 1, user_id: 1, total: 5, remark: 'first', cents: 500, status: 'new' },
      { id: 2, user_id: 2, total: 6, remark: "it's", cents: 600, status: 'new' },
      { id: 3, user_id: 1, total: 0, remark: null, cents: 0, status: 'new' },
    ]);
    expectFails('INSERT INTO purchases (user_id, total) VALUES (1, -1)', /CHECK constraint failed/);
    expect(objects('index')).toContain('orders_user');
    expectHealthyDatabase();
  });
});

describe('moveAndCopy, folding several operations into one rebuild', () => {
  it('applies them all in one copy, renamed columns filled from their old name', () => {
    const change = foldOperations(USERS, [
      op.alterColumn('users', 'name', { newName: 'display_name' }),
      op.addColumn('users', { name: 'age', type: 'integer', check: 'age >= 0' }),
      op.dropConstraint('users_email_check', 'users'),
      op.createIndex('users_age_idx', 'users', [{ column: 'age', order: 'desc' }]),
      op.dropColumn('users', 'created_at'),
    ]);
    const reported = run(
      moveAndCopy(USERS, change.table, {
        columnMap: change.columnMap,
        dependents: { views: [USER_POSTS], triggers: [USERS_AUDIT] },
      }),
    );
    expect(reported).toEqual([]);
    expect(rows('SELECT * FROM users ORDER BY id')).toEqual([
      { id: 1, email: 'ada@example.com', display_name: 'Ada', age: null },
      { id: 2, email: 'bob@example.com', display_name: null, age: null },
    ]);
    expect(objects('index')).toContain('users_age_idx');
    expect(objects('index')).toContain('users_name_idx');
    expectFails(
      "INSERT INTO users (email, age) VALUES ('x@example.com', -1)",
      /CHECK constraint failed: users_age_check/,
    );
    db.prepare("INSERT INTO users (email) VALUES ('')").run();
    expect(objects('trigger')).toEqual(['users_audit']);
    expect(objects('view')).toEqual(['user_posts']);
    expectHealthyDatabase();
  });
});

describe('move and copy with the tables the SQLite introspector reflects', () => {
  const reflect = async (): Promise<SchemaModel> => introspectSqlite(fromSqliteDatabase(db));

  /** The context the runtime builds from a reflected schema: its tables, and the views and triggers on them. */
  function contextFrom(schema: SchemaModel): SqliteRenderContext {
    return {
      table: (database, name) =>
        schema.tables.find((table) => table.schema === (database ?? 'main') && table.name === name),
      dependents: (database, table) => ({
        views: [],
        triggers: schema.others.filter(
          (other) =>
            other.kind === 'trigger' && other.schema === (database ?? 'main') && other.table === table,
        ),
      }),
    };
  }

  const byName = <T extends { readonly name: string }>(items: readonly T[]): T[] =>
    [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const comparable = (table: TableModel | undefined) =>
    table === undefined
      ? undefined
      : {
          ...table,
          // SQLite reports its own type names upper-cased (text is TEXT), others as written.
          columns: table.columns.map((column) => ({ ...column, type: column.type.toUpperCase() })),
          checks: byName(table.checks),
          uniques: byName(table.uniques),
          foreignKeys: byName(table.foreignKeys),
          indexes: byName(table.indexes),
        };

  const changes: readonly (readonly [string, Operation])[] = [
    ['adds a CHECK constraint', op.createCheckConstraint('users_name_check', 'users', "name <> ''")],
    ['adds a unique constraint', op.createUniqueConstraint('posts_title_key', 'posts', ['title'])],
    [
      'adds a deferred foreign key',
      op.createForeignKey(
        'posts_reviewer_fkey',
        'posts',
        ['reviewer_id'],
        { table: 'users', columns: ['id'] },
        { onDelete: 'set null', initiallyDeferred: true },
      ),
    ],
    ['drops a unique constraint', op.dropConstraint('users_email_key', 'users')],
    [
      'changes a type, nullability and default',
      op.alterColumn('posts', 'title', { type: 'varchar(200)', nullable: true, default: 'untitled' }),
    ],
    [
      'changes a type and renames the column',
      op.alterColumn('users', 'name', { type: 'varchar(50)', default: null, newName: 'full_name' }),
    ],
    ['drops an indexed column', op.dropColumn('users', 'name')],
    [
      'adds a unique column with a check',
      op.addColumn('posts', { name: 'slug', type: 'text', unique: true, check: "slug <> ''" }),
    ],
    [
      'adds a column with a non-constant default',
      op.addColumn('users', { name: 'seen_at', type: 'text', default: sql`CURRENT_TIMESTAMP` }),
    ],
    [
      'adds an identity column',
      op.addColumn('tags', { name: 'id', type: 'integer', primaryKey: true, identity: 'always' }),
    ],
  ];

  for (const [what, change] of changes) {
    it(`${what}: reflection reads back the table applyToTable predicts`, async () => {
      const before = await reflect();
      const table = 'table' in change ? change.table : '';
      const present = before.tables.find((model) => model.name === table);
      if (present === undefined) throw new Error(`no table ${table}`);
      run(sqliteRenderer.render(change, contextFrom(before)));
      const after = await reflect();
      expect(comparable(after.tables.find((model) => model.name === table))).toEqual(
        comparable(applyToTable(present, change)),
      );
      expect(after.others).toEqual(before.others);
      expectHealthyDatabase();
    });
  }
});
