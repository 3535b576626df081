/**
 * op.batchAlterTable() and table rebuilds on real SQLite files, through the runtime's executors: online, the
 * executor reflects the table and its triggers before rendering; offline, the script is run the way a DBA would
 * (`sqlite3 -bail`: statement after statement, stopping at the first error).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/dialects/dialect.js';
import { fromSqliteDatabase } from '../../../src/dialects/sqlite/driver.js';
import { sqliteDialect } from '../../../src/dialects/sqlite/index.js';
import { introspectSqlite } from '../../../src/dialects/sqlite/introspect.js';
import { AmbixError } from '../../../src/errors.js';
import { operationBuilders as op } from '../../../src/operations/builders.js';
import type { Operation } from '../../../src/operations/operation.js';
import { reverseOperation } from '../../../src/operations/reverse.js';
import { offlineExecutor, onlineExecutor } from '../../../src/runtime/executor.js';
import type { SchemaModel } from '../../../src/schema/model.js';

const SCHEMA = `
CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  org_id INTEGER,
  legacy TEXT
);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE audit (message TEXT);
CREATE VIEW user_names AS SELECT id, email, name FROM users;
CREATE TRIGGER users_audit AFTER UPDATE OF email ON users BEGIN INSERT INTO audit VALUES ('email of ' || new.id); END;
INSERT INTO orgs VALUES (1, 'Acme');
INSERT INTO users (email, name, org_id, legacy) VALUES ('ada@example.com', 'Ada', 1, 'x'), ('bob@example.com', 'Bob', NULL, 'y');
`;

type Row = Record<string, unknown>;

let directory: string;
let db: Database.Database;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ambix-sqlite-batch-'));
  db = new Database(join(directory, 'app.db'));
  // As the runtime runs: foreign keys off (a rebuild drops the old table, which must not cascade).
  db.pragma('foreign_keys = OFF');
  db.exec(SCHEMA);
});

afterEach(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

const rows = (query: string): Row[] => db.prepare(query).all() as Row[];
const objects = (type: string): string[] =>
  rows(`SELECT name FROM sqlite_schema WHERE type = '${type}' ORDER BY name`).map((row) => String(row.name));

/**
 * Runs operations as an online run does: the write transaction, a savepoint, the executor. Returns every statement
 * sent to the database, reflection's included.
 */
async function runOnline(...operations: readonly Operation[]): Promise<string[]> {
  const sent: string[] = [];
  const base = fromSqliteDatabase(db);
  const connection: Connection = {
    query: (sql, params) => {
      sent.push(sql);
      return base.query(sql, params);
    },
    close: () => base.close(),
  };
  const executor = onlineExecutor(connection, sqliteDialect);
  db.exec('BEGIN IMMEDIATE');
  try {
    await executor.begin();
    for (const operation of operations) await executor.run(operation);
    await executor.commit();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  return sent;
}

/** The script an offline run writes for the operations (with the schema module's model, when given). */
async function script(operations: readonly Operation[], declared?: SchemaModel): Promise<string> {
  const executor = offlineExecutor(sqliteDialect.renderer, {
    defaultSchema: 'main',
    ...(declared === undefined ? {} : { declaredSchema: async () => declared }),
  });
  await executor.begin();
  for (const operation of operations) await executor.run(operation);
  await executor.commit();
  return executor.script();
}

/** What must hold after a rebuild of users: its rows, its trigger, the view on it. */
function expectUsersIntact(): void {
  expect(rows('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  expect(rows('PRAGMA foreign_key_check')).toEqual([]);
  expect(objects('table')).not.toContain('_ambix_new_users');
  expect(objects('trigger')).toEqual(['users_audit']);
  db.exec("UPDATE users SET email = 'ada@example.org' WHERE id = 1");
  expect(rows('SELECT message FROM audit')).toEqual([{ message: 'email of 1' }]);
  expect(rows('SELECT * FROM user_names ORDER BY id')).toEqual([
    { id: 1, email: 'ada@example.org', name: 'Ada' },
    { id: 2, email: 'bob@example.com', name: 'Bob' },
  ]);
}

const changes = op.batchAlterTable('users', (batch) => {
  batch.addColumn({ name: 'active', type: 'integer', nullable: false, default: 1 });
  batch.alterColumn('name', { type: 'varchar(100)', nullable: false, default: 'anon' });
  batch.dropColumn('legacy');
  batch.createForeignKey('users_org_fkey', ['org_id'], { table: 'orgs', columns: ['id'] });
  batch.createIndex('users_org_idx', ['org_id']);
});

describe('a rebuild run online on a SQLite file', () => {
  it('keeps the table’s trigger and the view on it when one column is altered', async () => {
    await runOnline(op.alterColumn('users', 'name', { type: 'varchar(100)', nullable: false }));
    expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'users'")[0]?.sql).toContain(
      '"name" varchar(100) NOT NULL',
    );
    expectUsersIntact();
  });

  it('applies a batch with one copy of the table, keeping rows, trigger, view and indexes', async () => {
    const seen = await runOnline(changes);
    expect(seen.filter((sql) => sql.startsWith('DROP TABLE "users"'))).toHaveLength(1);
    expect(rows('SELECT id, email, name, org_id, active FROM users ORDER BY id')).toEqual([
      { id: 1, email: 'ada@example.com', name: 'Ada', org_id: 1, active: 1 },
      { id: 2, email: 'bob@example.com', name: 'Bob', org_id: null, active: 1 },
    ]);
    expect(rows('PRAGMA table_info(users)').map((row) => row.name)).not.toContain('legacy');
    expect(objects('index')).toEqual(['sqlite_autoindex_users_1', 'users_name_idx', 'users_org_idx']);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare("INSERT INTO users (email, org_id) VALUES ('x@example.com', 42)").run()).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    expect(() => db.prepare("INSERT INTO users (email, name) VALUES ('y@example.com', NULL)").run()).toThrow(
      /NOT NULL constraint failed/,
    );
    db.pragma('foreign_keys = OFF');
    expect(rows("SELECT seq FROM sqlite_sequence WHERE name = 'users'")).toEqual([{ seq: 2 }]);
    expectUsersIntact();
  });

  it('rolls the whole batch back when the rows break the new foreign key', async () => {
    db.exec('UPDATE users SET org_id = 99 WHERE id = 2');
    await expect(runOnline(changes)).rejects.toThrow(
      'CHECK constraint failed: ambix: rows break a foreign key after rebuilding table users; PRAGMA foreign_key_check lists them',
    );
    expect(rows('PRAGMA table_info(users)').map((row) => row.name)).toEqual([
      'id',
      'email',
      'name',
      'org_id',
      'legacy',
    ]);
    expect(objects('table')).not.toContain('_ambix_new_users');
    expect(objects('trigger')).toEqual(['users_audit']);
  });

  it('runs a batch SQLite can do in place without copying the table', async () => {
    const batch = op.batchAlterTable('users', (b) => {
      b.addColumn({ name: 'nickname', type: 'text' });
      b.alterColumn('nickname', { newName: 'handle' });
      b.dropColumn('legacy');
    });
    await runOnline(batch);
    expect(rows('PRAGMA table_info(users)').map((row) => row.name)).toEqual([
      'id',
      'email',
      'name',
      'org_id',
      'handle',
    ]);
    expectUsersIntact();
  });

  it('undoes a batch with its reverse, as one batch', async () => {
    const reversible = op.batchAlterTable('users', (batch) => {
      batch.addColumn({ name: 'active', type: 'integer', nullable: false, default: 1 });
      batch.alterColumn('name', { nullable: false, existingNullable: true });
      batch.createUniqueConstraint('users_name_key', ['name']);
    });
    await runOnline(reversible);
    expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'users'")[0]?.sql).toContain('users_name_key');
    await runOnline(reverseOperation(reversible));
    const sqlText = String(rows("SELECT sql FROM sqlite_schema WHERE name = 'users'")[0]?.sql);
    expect(sqlText).not.toContain('users_name_key');
    expect(sqlText).not.toContain('active');
    expect(sqlText).toContain('"name" TEXT,');
    expectUsersIntact();
  });

  it('refuses a batch that renames, inside the copy, a column the table’s trigger uses', async () => {
    const renames = op.batchAlterTable('users', (batch) => {
      batch.alterColumn('email', { newName: 'mail' });
      batch.createCheckConstraint('users_mail_check', "mail <> ''");
    });
    const error = await runOnline(renames).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbixError);
    expect((error as AmbixError).message).toBe(
      'op.batchAlterTable(): the trigger "users_audit" uses column "email", which this rebuild renames to "mail"; the rebuild creates the trigger again as it is, naming the old column',
    );
    expect((error as AmbixError).hint).toContain('op.alterColumn("users", "email", { newName: "mail" })');
  });
});

describe('a rebuild written offline (--sql) for a SQLite file', () => {
  const existing = {
    columns: [
      { name: 'id', type: 'INTEGER', primaryKey: true, identity: 'always' as const },
      { name: 'email', type: 'TEXT', nullable: false, unique: true },
      { name: 'name', type: 'TEXT' },
      { name: 'org_id', type: 'INTEGER' },
      { name: 'legacy', type: 'TEXT' },
    ],
    indexes: [{ name: 'users_name_idx', columns: ['name'] }],
  };

  it('rebuilds from the batch’s `existing`, and the script keeps the rows', async () => {
    db.exec('DROP TRIGGER users_audit');
    const text = await script([
      op.batchAlterTable(
        'users',
        (batch) => {
          batch.alterColumn('name', { type: 'varchar(100)', nullable: false, default: 'anon' });
          batch.dropColumn('legacy');
        },
        { existing },
      ),
    ]);
    db.exec(text);
    expect(rows('SELECT id, email, name, org_id FROM users ORDER BY id')).toEqual([
      { id: 1, email: 'ada@example.com', name: 'Ada', org_id: 1 },
      { id: 2, email: 'bob@example.com', name: 'Bob', org_id: null },
    ]);
    expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'users'")[0]?.sql).toContain(
      '"name" varchar(100) DEFAULT \'anon\' NOT NULL',
    );
    expect(objects('index')).toContain('users_name_idx');
    expect(objects('table')).not.toContain('_ambix_guard');
  });

  it('stops the script before the copy when the table has triggers the script cannot know', async () => {
    const text = await script([
      op.batchAlterTable('users', (batch) => batch.dropColumn('legacy'), { existing, recreate: 'always' }),
    ]);
    expect(text).toContain("tbl_name = 'users' COLLATE NOCASE");
    expect(() => db.exec(text)).toThrow(
      'CHECK constraint failed: ambix: rebuilding table users would drop its triggers; drop them before this change and create them again after it',
    );
    db.exec('ROLLBACK');
    expect(objects('trigger')).toEqual(['users_audit']);
    expect(rows('PRAGMA table_info(users)').map((row) => row.name)).toContain('legacy');
  });

  it('without a definition, fails saying that --sql cannot read the table and what to pass', async () => {
    const error = await script([op.alterColumn('users', 'name', { nullable: false })]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AmbixError);
    expect((error as AmbixError).message).toBe(
      'op.alterColumn(): SQLite cannot do this in place and ambix rebuilds the table ("move and copy"), and --sql mode cannot read table "users" from the database: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
    );
  });

  describe('with the schema module’s tables, which are the tables after the last migration', () => {
    /** The schema module's users table, as reflection would give it after the change. */
    async function declaredAfter(change: Operation): Promise<SchemaModel> {
      const copy = new Database(':memory:');
      copy.pragma('foreign_keys = OFF');
      copy.exec(SCHEMA);
      const connection = fromSqliteDatabase(copy);
      const executor = onlineExecutor(connection, sqliteDialect);
      await executor.run(change);
      const model = await introspectSqlite(connection);
      copy.close();
      return model;
    }

    it('rebuilds a table for the last change the run makes to it', async () => {
      db.exec('DROP TRIGGER users_audit');
      const change = op.alterColumn('users', 'name', {
        type: 'varchar(100)',
        nullable: false,
        default: 'anon',
      });
      const text = await script([change], await declaredAfter(change));
      db.exec(text);
      expect(rows('SELECT id, name FROM users ORDER BY id')).toEqual([
        { id: 1, name: 'Ada' },
        { id: 2, name: 'Bob' },
      ]);
      expect(rows("SELECT sql FROM sqlite_schema WHERE name = 'users'")[0]?.sql).toContain(
        '"name" varchar(100) DEFAULT \'anon\' NOT NULL',
      );
      expect(objects('index')).toContain('users_name_idx');
    });

    it('copies an added column from nothing and a renamed one from its old name', async () => {
      db.exec('DROP TRIGGER users_audit');
      const change = op.batchAlterTable('users', (batch) => {
        batch.addColumn({ name: 'active', type: 'integer', nullable: false, default: 1 });
        batch.alterColumn('legacy', { newName: 'note', type: 'text', nullable: false, default: '' });
      });
      const text = await script([change], await declaredAfter(change));
      db.exec(text);
      expect(rows('SELECT id, note, active FROM users ORDER BY id')).toEqual([
        { id: 1, note: 'x', active: 1 },
        { id: 2, note: 'y', active: 1 },
      ]);
    });

    it('refuses a later change to a table rebuilt from its declaration', async () => {
      const change = op.alterColumn('users', 'name', { nullable: false });
      const error = await script(
        [change, op.createIndex('users_email_idx', 'users', ['email'])],
        await declaredAfter(change),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AmbixError);
      expect((error as AmbixError).message).toBe(
        'op.createIndex() changes table "users" after op.alterColumn() rebuilt it from the schema module, which declares the table as it is after the last migration: that rebuild already made this change, or contradicts it.',
      );
    });

    it('refuses a declaration that does not agree with the change', async () => {
      const declared = await declaredAfter(op.alterColumn('users', 'name', { nullable: false }));
      const error = await script([op.dropConstraint('users_email_key', 'users')], declared).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AmbixError);
      expect((error as AmbixError).message).toBe(
        'Table "users": the schema module declares the table with a constraint or index "users_email_key", unlike what this change makes of it: the module describes the table after the last migration, and a later migration changes it again',
      );
    });
  });
});

describe('a STRICT, WITHOUT ROWID table with a VIRTUAL column, rebuilt on a SQLite file', () => {
  const READINGS = `
CREATE TABLE readings (
  sensor TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  celsius REAL,
  fahrenheit REAL GENERATED ALWAYS AS (celsius * 9 / 5 + 32) VIRTUAL,
  PRIMARY KEY (sensor, taken_at)
) STRICT, WITHOUT ROWID;
INSERT INTO readings (sensor, taken_at, celsius) VALUES ('b', 1, 20), ('a', 2, 25.5), ('a', 1, 0);
`;

  beforeEach(() => {
    db.exec(READINGS);
  });

  const readingsSql = (): unknown => rows("SELECT sql FROM sqlite_schema WHERE name = 'readings'")[0]?.sql;

  /** What the rebuild must keep: both table options, the VIRTUAL column, the rows, and STRICT's type checks. */
  function expectReadingsKept(): void {
    expect(rows("SELECT strict, wr FROM pragma_table_list WHERE name = 'readings'")).toEqual([
      { strict: 1, wr: 1 },
    ]);
    expect(rows("SELECT name, hidden FROM pragma_table_xinfo('readings') WHERE name = 'fahrenheit'")).toEqual(
      [{ name: 'fahrenheit', hidden: 2 }],
    );
    // WITHOUT ROWID: the rows come back in the primary key's order, and there is no rowid to ask for.
    expect(rows('SELECT sensor, taken_at, fahrenheit FROM readings')).toEqual([
      { sensor: 'a', taken_at: 1, fahrenheit: 32 },
      { sensor: 'a', taken_at: 2, fahrenheit: 77.9 },
      { sensor: 'b', taken_at: 1, fahrenheit: 68 },
    ]);
    expect(() => db.prepare('SELECT rowid FROM readings').all()).toThrow(/no such column: rowid/);
    expect(() =>
      db.prepare("INSERT INTO readings (sensor, taken_at, celsius) VALUES ('c', 1, 'warm')").run(),
    ).toThrow(/cannot store TEXT value in REAL column/);
    expect(rows('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(objects('table')).not.toContain('_ambix_new_readings');
  }

  it('keeps STRICT, WITHOUT ROWID and the VIRTUAL column through an alterColumn rebuild', async () => {
    const before = (await introspectSqlite(fromSqliteDatabase(db))).tables.find((t) => t.name === 'readings');
    const sent = await runOnline(op.alterColumn('readings', 'celsius', { nullable: false }));
    expect(sent.filter((sql) => sql.startsWith('DROP TABLE "readings"'))).toHaveLength(1);
    expect(readingsSql()).toBe(
      'CREATE TABLE "readings" (\n' +
        '  "sensor" TEXT NOT NULL,\n' +
        '  "taken_at" INTEGER NOT NULL,\n' +
        '  "celsius" REAL NOT NULL,\n' +
        '  "fahrenheit" REAL GENERATED ALWAYS AS (celsius * 9 / 5 + 32) VIRTUAL,\n' +
        '  CONSTRAINT "readings_pkey" PRIMARY KEY ("sensor", "taken_at")\n' +
        ') STRICT, WITHOUT ROWID',
    );
    expectReadingsKept();
    // Reflection reads back the table it read before, but for the change.
    const after = (await introspectSqlite(fromSqliteDatabase(db))).tables.find((t) => t.name === 'readings');
    expect(after).toEqual({
      ...before,
      columns: before?.columns.map((column) =>
        column.name === 'celsius' ? { ...column, nullable: false } : column,
      ),
    });
  });

  it('adds a STORED generated column by one rebuild of a batch, and a VIRTUAL one in place', async () => {
    const sent = await runOnline(
      op.batchAlterTable('readings', (batch) => {
        batch.addColumn({ name: 'kelvin', type: 'REAL', generated: 'celsius + 273.15' });
        batch.createIndex('readings_celsius_idx', ['celsius']);
      }),
    );
    expect(sent.filter((sql) => sql.startsWith('DROP TABLE "readings"'))).toHaveLength(1);
    expect(rows("SELECT name, hidden FROM pragma_table_xinfo('readings') WHERE hidden > 0")).toEqual([
      { name: 'fahrenheit', hidden: 2 },
      { name: 'kelvin', hidden: 3 },
    ]);
    expect(objects('index')).toContain('readings_celsius_idx');
    expectReadingsKept();

    const inPlace = await runOnline(
      op.addColumn('readings', {
        name: 'rankine',
        type: 'REAL',
        generated: '(celsius + 273.15) * 9 / 5',
        generatedKind: 'virtual',
      }),
    );
    expect(inPlace.filter((sql) => sql.startsWith('DROP TABLE'))).toEqual([]);
    expect(inPlace).toContain(
      'ALTER TABLE "readings" ADD COLUMN "rankine" REAL GENERATED ALWAYS AS ((celsius + 273.15) * 9 / 5) VIRTUAL',
    );
    expect(rows("SELECT name, hidden FROM pragma_table_xinfo('readings') WHERE name = 'rankine'")).toEqual([
      { name: 'rankine', hidden: 2 },
    ]);
    expectReadingsKept();
  });

  it('keeps both options offline too, from the batch’s `existing`', async () => {
    const text = await script([
      op.batchAlterTable('readings', (batch) => batch.alterColumn('celsius', { nullable: false }), {
        existing: {
          columns: [
            { name: 'sensor', type: 'TEXT', nullable: false },
            { name: 'taken_at', type: 'INTEGER', nullable: false },
            { name: 'celsius', type: 'REAL' },
            {
              name: 'fahrenheit',
              type: 'REAL',
              generated: 'celsius * 9 / 5 + 32',
              generatedKind: 'virtual',
            },
          ],
          constraints: [{ type: 'primaryKey', name: 'readings_pkey', columns: ['sensor', 'taken_at'] }],
          strict: true,
          withoutRowid: true,
        },
      }),
    ]);
    db.exec(text);
    expect(readingsSql()).toContain(') STRICT, WITHOUT ROWID');
    expectReadingsKept();
  });

  it('refuses, before anything runs, a type the STRICT table cannot take', async () => {
    const error = await runOnline(op.alterColumn('readings', 'celsius', { type: 'double precision' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AmbixError);
    expect((error as AmbixError).message).toBe(
      'Table "readings": a STRICT table\'s columns must have one of SQLite\'s own types (INT, INTEGER, REAL, TEXT, BLOB, ANY), and column "celsius" has type double precision',
    );
    expect((error as AmbixError).hint).toContain('the type REAL');
    expectReadingsKept();
  });
});
