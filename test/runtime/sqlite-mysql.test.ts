/**
 * What differs on SQLite and MySQL/MariaDB: SQLite rolls DDL back with the run and locks with its write
 * transaction; MySQL commits each DDL statement at once, so a failed step is recorded before and after it runs,
 * stops later runs while it is unresolved, and `ambix resolve` settles it; its lock is GET_LOCK.
 */
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { expect, it } from 'vitest';
import { downgrade } from '../../src/commands/downgrade.js';
import { resolve } from '../../src/commands/resolve.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { migrationLockKey } from '../../src/dialects/lock-key.js';
import { mysqlLockName } from '../../src/dialects/mysql/adapter.js';
import { AmbixError } from '../../src/errors.js';
import {
  describeEachDatabase,
  historyRows,
  type MigrationSpec,
  type TestDb,
  tableExists,
  testProject,
  versionRows,
} from './support.js';

const createT = (id: string) => `await op.createTable('t_${id}', [{ name: 'id', type: 'integer' }]);`;
const dropT = (id: string) => `await op.dropTable('t_${id}');`;

/** a, b, then c: creates t_c, then fails on a table that does not exist. */
const CHAIN: readonly MigrationSpec[] = [
  { id: 'a', upgrade: createT('a'), downgrade: dropT('a') },
  { id: 'b', down: 'a', upgrade: createT('b'), downgrade: dropT('b') },
  {
    id: 'c',
    down: 'b',
    message: 'half of it',
    upgrade: `${createT('c')}\n  await op.execute('INSERT INTO no_such_table VALUES (1)');`,
    downgrade: dropT('c'),
  },
];

async function failure(promise: Promise<unknown>): Promise<AmbixError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AmbixError);
  return error as AmbixError;
}

async function project(db: TestDb, specs: readonly MigrationSpec[], settings: Record<string, unknown> = {}) {
  const p = testProject();
  for (const spec of specs) p.migration(spec);
  return { p, config: await p.config({ ...db.settings(), ...settings }) };
}

describeEachDatabase(
  'SQLite: transactional DDL and the write lock',
  import.meta.filename,
  (db) => {
    it('rolls back the whole run, DDL included, and records the failure', async () => {
      const { config } = await project(db, CHAIN);
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.code).toBe('MIGRATION_FAILED');
      expect(error.message).toContain('The upgrade of c (half of it) failed: no such table: no_such_table');
      expect(error.hint).toContain('the version table is empty (base)');
      for (const table of ['t_a', 't_b', 't_c']) expect(await tableExists(db, table)).toBe(false);
      const rows = await historyRows(db);
      expect(rows.map((row) => [row.revision, row.error === null])).toEqual([['c', false]]);
    });

    it('keeps the migrations before a failure with transactionPerMigration', async () => {
      const { config } = await project(db, CHAIN, { transactionPerMigration: true });
      await failure(upgrade(config, 'head', db.options()));
      expect(await versionRows(db)).toEqual(['b']);
      expect(await tableExists(db, 't_b')).toBe(true);
      expect(await tableExists(db, 't_c')).toBe(false);
    });

    it('waits for another writer, then gives up with LOCK_TIMEOUT and changes nothing', async () => {
      const { config } = await project(db, CHAIN.slice(0, 2), { lockTimeout: 400 });
      const other = new Database((db as TestDb & { file(): string }).file());
      try {
        other.exec('BEGIN IMMEDIATE');
        const waits: string[] = [];
        const error = await failure(
          upgrade(config, 'head', { ...db.options(), onProgress: (event) => waits.push(event.kind) }),
        );
        expect(error.code).toBe('LOCK_TIMEOUT');
        expect(error.message).toContain('another connection is writing to the database');
        expect(waits).toContain('lockWaiting');
        other.exec('COMMIT');
      } finally {
        other.close();
      }
      await upgrade(config, 'head', db.options());
      expect(await versionRows(db)).toEqual(['b']);
    });
  },
  ['sqlite'],
);

describeEachDatabase(
  'MySQL: DDL that commits at once',
  import.meta.filename,
  (db) => {
    it('records a half-applied step, refuses to run on, and goes on once it is resolved as rolled back', async () => {
      const { p, config } = await project(db, CHAIN);
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.code).toBe('MIGRATION_FAILED');
      expect(error.message).toContain("The upgrade of c (half of it) failed: Table '");
      expect(error.hint).toContain(
        "the step's first 1 statement (1 operation complete) ran, then statement 2 failed (INSERT INTO no_such_table VALUES (1)); what ran stays",
      );
      expect(error.hint).toContain("'ambix resolve c --rolled-back'");
      expect(error.details).toMatchObject({
        revision: 'c',
        heads: ['b'],
        operationsRan: 1,
        statementsRan: 1,
      });
      // a and b were committed; c's table stayed (MySQL committed it), the version table did not move.
      expect(await versionRows(db)).toEqual(['b']);
      expect(await tableExists(db, 't_c')).toBe(true);
      const last = (await historyRows(db)).at(-1);
      expect(last).toMatchObject({ revision: 'c', direction: 'up' });
      expect(last?.error).toContain(
        'partially applied: 1 statement (1 operation complete) ran, then statement 2 failed (INSERT INTO no_such_table VALUES (1)): ',
      );

      const refused = await failure(upgrade(config, 'head', db.options()));
      expect(refused.code).toBe('UNRESOLVED_STEP');
      expect(refused.message).toContain('the upgrade of c');
      expect((await failure(downgrade(config, 'base', db.options()))).code).toBe('UNRESOLVED_STEP');

      // The operator undoes what ran, fixes the migration and says so.
      await db.exec('DROP TABLE t_c');
      const resolved = await resolve(config, 'c', { ...db.options(), outcome: 'rolled-back' });
      expect(resolved).toMatchObject({
        revision: 'c',
        direction: 'up',
        outcome: 'rolled-back',
        heads: ['b'],
      });
      p.migration({ ...CHAIN[2]!, upgrade: createT('c') });
      await upgrade(config, 'head', db.options());
      expect(await versionRows(db)).toEqual(['c']);
      await downgrade(config, 'base', db.options());
      expect(await versionRows(db)).toEqual([]);
    });

    it('moves the version table when a half-applied step is resolved as applied', async () => {
      const { config } = await project(db, CHAIN);
      await failure(upgrade(config, 'head', db.options()));
      const resolved = await resolve(config, 'c', { ...db.options(), outcome: 'applied' });
      expect(resolved.heads).toEqual(['c']);
      expect(await versionRows(db)).toEqual(['c']);
      // Nothing is pending any more, and the history says c is applied.
      expect((await upgrade(config, 'head', db.options())).steps).toEqual([]);
      const last = (await historyRows(db)).at(-1);
      expect(last).toMatchObject({ revision: 'c', direction: 'up', from_heads: ['b'], to_heads: ['c'] });
      expect(last?.error).toBeNull();
    });

    it('names the statement that failed and counts the statements that ran, within an operation too', async () => {
      const { config } = await project(db, [
        {
          id: 'a',
          message: 'rename onto a taken name',
          upgrade: [
            "await op.createTable('t_d', [{ name: 'id', type: 'int' }, { name: 'other', type: 'int' }]);",
            // Two statements: SET DEFAULT runs, RENAME COLUMN fails on the name 'other' has.
            "  await op.alterColumn('t_d', 'id', { default: 7, newName: 'other' });",
          ].join('\n'),
          downgrade: "await op.dropTable('t_d');",
        },
      ]);
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.message).toContain("Duplicate column name 'other'");
      expect(error.hint).toContain(
        "the step's first 2 statements (1 operation complete) ran, then statement 3 failed (ALTER TABLE `t_d` RENAME COLUMN `id` TO `other`); what ran stays, and the rest did not run.",
      );
      expect(error.details).toMatchObject({ operationsRan: 1, statementsRan: 2 });
      // The default was set and stays: the step is half-applied even though its second operation did not finish.
      const [column] = await db.query(
        "SELECT COLUMN_DEFAULT AS def FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't_d' AND COLUMN_NAME = 'id'",
      );
      expect(column?.def).toBe('7');
      const last = (await historyRows(db)).at(-1);
      expect(last?.error?.split('\n')[0]).toBe(
        "partially applied: 2 statements (1 operation complete) ran, then statement 3 failed (ALTER TABLE `t_d` RENAME COLUMN `id` TO `other`): Duplicate column name 'other'",
      );
      const refused = await failure(upgrade(config, 'head', db.options()));
      expect(refused.code).toBe('UNRESOLVED_STEP');
      expect(refused.message).toContain(
        'then statement 3 failed (ALTER TABLE `t_d` RENAME COLUMN `id` TO `other`)',
      );
    });

    it('cuts a long failed statement short in the one-line report', async () => {
      const columns = Array.from({ length: 30 }, (_, i) => `{ name: 'column_number_${i}', type: 'int' }`);
      const { config } = await project(db, [
        {
          id: 'a',
          upgrade: [
            "await op.createTable('t_e', [{ name: 'id', type: 'int' }]);",
            `  await op.createTable('t_e', [${columns.join(', ')}]);`,
          ].join('\n'),
          downgrade: "await op.dropTable('t_e');",
        },
      ]);
      await failure(upgrade(config, 'head', db.options()));
      const first = (await historyRows(db)).at(-1)?.error?.split('\n')[0] ?? '';
      expect(first).toMatch(
        /^partially applied: 1 statement \(1 operation complete\) ran, then statement 2 failed \(CREATE TABLE `t_e` \( `column_number_0` int, .{40,}…\): Table 't_e' already exists$/,
      );
    });

    it('finishes a step that failed before anything ran, so nothing needs resolving', async () => {
      const { config } = await project(db, [
        { id: 'a', upgrade: "await op.execute('INSERT INTO no_such_table VALUES (1)');", downgrade: '' },
      ]);
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.hint).not.toContain('resolve');
      // Its row is finished and says where the version table still stands, not where the step was going.
      const row = (await historyRows(db)).find((r) => r.revision === 'a');
      expect(row).toMatchObject({ revision: 'a', from_heads: [], to_heads: [] });
      expect(row!.error).toContain('no_such_table');
      expect((await failure(upgrade(config, 'head', db.options()))).code).toBe('MIGRATION_FAILED');
      expect(
        (await failure(resolve(config, 'a', { ...db.options(), outcome: 'applied' }))).message,
      ).toContain("No unfinished step of revision 'a'");
    });

    it('writes a backslash in a literal as one on a connection in NO_BACKSLASH_ESCAPES mode, and restores the mode', async () => {
      const { config } = await project(db, [
        {
          id: 'a',
          upgrade: String.raw`await op.createTable('t', [{ name: 'id', type: 'int' }, { name: 'v', type: 'varchar(10)', default: 'a\\b' }]);`,
          downgrade: "await op.dropTable('t');",
        },
      ]);
      const client = await mysql.createConnection({
        uri: String(db.settings().url),
        multipleStatements: true,
      });
      try {
        await client.query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')");
        await upgrade(config, 'head', { connection: client });
        const [modes] = await client.query('SELECT @@SESSION.sql_mode AS mode');
        expect(String((modes as { mode: string }[])[0]!.mode)).toContain('NO_BACKSLASH_ESCAPES');
      } finally {
        await client.end();
      }
      await db.exec('INSERT INTO t (id) VALUES (1)');
      const [row] = await db.query('SELECT v FROM t');
      expect(row!.v).toBe(String.raw`a\b`);
    });

    it('counts the statements of a SQL migration one by one, naming the one that failed', async () => {
      const p = testProject();
      p.write(
        'migrations/a.sql',
        [
          '-- ambix:revision a',
          '-- ambix:down-revision none',
          '',
          '-- ambix:upgrade',
          'CREATE TABLE one (id int);',
          'CREATE TABLE two (id int);',
          'INSERT INTO no_such_table VALUES (1);',
          '',
          '-- ambix:downgrade',
          'DROP TABLE two;',
          'DROP TABLE one;',
          '',
        ].join('\n'),
      );
      const config = await p.config(db.settings());
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.hint).toContain(
        "the step's first 2 statements (2 operations complete) ran, then statement 3 failed (INSERT INTO no_such_table VALUES (1))",
      );
    });

    it('rolls back a step of data statements alone, which needs no resolve', async () => {
      const p = testProject();
      const sql = (revision: string, down: string, upgrade: string[]) =>
        [
          `-- ambix:revision ${revision}`,
          `-- ambix:down-revision ${down}`,
          '',
          '-- ambix:upgrade',
          ...upgrade,
          '',
          '-- ambix:downgrade',
          'DELETE FROM kept;',
          '',
        ].join('\n');
      p.write('migrations/a.sql', sql('a', 'none', ['CREATE TABLE kept (id int PRIMARY KEY);']));
      p.write(
        'migrations/b.sql',
        sql('b', 'a', [
          'INSERT INTO kept VALUES (1);',
          '/* a comment; with a semicolon */ UPDATE kept SET id = 2 WHERE id = 1;',
          'INSERT INTO kept VALUES (2);',
        ]),
      );
      const config = await p.config(db.settings());
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.hint).toMatch(
        /^The failing step was rolled back; 1 earlier step was kept, and the version table is at a\./,
      );
      expect(await db.query('SELECT id FROM kept')).toEqual([]);
      // Nothing is half-applied: the next run needs no resolve, and fails the same way.
      const again = await failure(upgrade(config, 'head', db.options()));
      expect(again.code).toBe('MIGRATION_FAILED');
    });

    it.each([
      ['one round trip on a session that takes several statements at once', true],
      ['statement by statement on one that does not', false],
    ])(
      'commits once between two steps, the end of one with the start of the next: %s',
      async (_, multiple) => {
        const { config } = await project(db, CHAIN.slice(0, 2));
        const client = await mysql.createConnection({
          uri: String(db.settings().url),
          multipleStatements: multiple,
        });
        /** Each query sent: its statements as `COMMIT`, `UPDATE \`ambix_history\``, `INSERT INTO \`ambix_version\``… */
        const sent: string[] = [];
        const label = (sql: string) => {
          const words = sql.trim().split(/\s+/);
          return words.slice(0, /^(INSERT|CREATE|DELETE)$/i.test(words[0] ?? '') ? 3 : 2).join(' ');
        };
        const recording = {
          config: client.config,
          query: (sql: string, values?: unknown[]) => {
            sent.push(sql.split('\n;\n').map(label).join(' + '));
            return client.query(sql, values);
          },
          execute: client.execute.bind(client),
        };
        try {
          // An application's connection gets its own setting back.
          await client.query('SET SESSION autocommit = 0');
          await upgrade(config, 'head', { connection: recording });
          const [[after]] = (await client.query('SELECT @@SESSION.autocommit AS autocommit')) as unknown as [
            [{ autocommit: number }],
          ];
          expect(Number(after.autocommit)).toBe(0);
        } finally {
          await client.end();
        }
        /** Statements sent in one query where the session allows it, one by one where not. */
        const together = (...statements: string[]) => (multiple ? [statements.join(' + ')] : statements);
        // Autocommit off for the bookkeeping (a DDL statement ends a transaction), back on after its COMMIT.
        const hold = 'SET @ambix_autocommit';
        const release = 'SET SESSION';
        const ddl = (table: string) => sent.indexOf(`CREATE TABLE \`${table}\``);
        const between = (from: number, to: number) => sent.slice(from + 1, to);
        // a's row, unfinished, is committed before a runs, which runs in a transaction of its own; after a, its end
        // and b's start commit together.
        const committed = sent.lastIndexOf(together(hold, 'INSERT INTO `ambix_history`').at(-1)!, ddl('t_a'));
        expect(between(committed - (multiple ? 1 : 2), ddl('t_a'))).toEqual([
          ...together(hold, 'INSERT INTO `ambix_history`'),
          ...together('COMMIT', release, 'START TRANSACTION'),
        ]);
        expect(between(ddl('t_a'), ddl('t_b'))).toEqual([
          ...together(
            hold,
            'INSERT INTO `ambix_version`',
            'UPDATE `ambix_history`',
            'INSERT INTO `ambix_history`',
          ),
          ...together('COMMIT', release, 'START TRANSACTION'),
        ]);
        const last = [
          ...together(hold, 'UPDATE `ambix_version`', 'UPDATE `ambix_history`'),
          ...together('COMMIT', release),
        ];
        expect(sent.slice(ddl('t_b') + 1, ddl('t_b') + 1 + last.length)).toEqual(last);
        expect(await versionRows(db)).toEqual(['b']);
        const rows = await db.query('SELECT revision, finished_at FROM ambix_history ORDER BY id');
        expect(rows.map((row) => [row.revision, row.finished_at !== null])).toEqual([
          ['a', true],
          ['b', true],
        ]);
      },
    );

    it.each(['b', 'c'])(
      'leaves the step whose session died after its DDL (%s) unfinished, and the steps before it applied',
      async (dying) => {
        const killSession = [
          "  const [session] = await op.query('SELECT CONNECTION_ID() AS id');",
          "  await op.execute('KILL ' + session.id);",
        ].join('\n');
        const { config } = await project(
          db,
          CHAIN.map((spec) =>
            spec.id === dying
              ? { ...spec, upgrade: `${createT(spec.id)}\n${killSession}` }
              : { ...spec, upgrade: createT(spec.id) },
          ),
        );
        const error = await failure(upgrade(config, 'head', db.options()));
        expect(error.code).toBe('MIGRATION_FAILED');
        const before = CHAIN.map((spec) => spec.id).filter((id) => id < dying);
        expect(await versionRows(db)).toEqual([before.at(-1)]);
        expect(await tableExists(db, `t_${dying}`)).toBe(true);
        const rows = await db.query('SELECT revision, finished_at FROM ambix_history ORDER BY id');
        expect(rows.map((row) => [row.revision, row.finished_at !== null])).toEqual([
          ...before.map((id) => [id, true]),
          [dying, false],
        ]);
        const refused = await failure(upgrade(config, 'head', db.options()));
        expect(refused.code).toBe('UNRESOLVED_STEP');
        expect(refused.message).toContain(`the upgrade of ${dying}`);
      },
    );

    it('fails the step after which the version table no longer holds what the run expects, keeping it unfinished', async () => {
      const { config } = await project(db, [
        { ...CHAIN[0]! },
        {
          ...CHAIN[1]!,
          // What another run with --no-lock could do: the version table moves under this one.
          upgrade: `${createT('b')}\n  await op.execute('DELETE FROM ambix_version');`,
        },
        { ...CHAIN[2]!, upgrade: createT('c') },
      ]);
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.code).toBe('MIGRATION_FAILED');
      expect(error.message).toContain(
        'The upgrade of b (step b) failed: The version table did not hold the rows',
      );
      expect(error.details).toMatchObject({ revision: 'b', heads: ['a'], statementsRan: 2 });
      // b's end and c's start were rolled back; c never ran. (The DELETE, after b's DDL, committed at once.)
      expect(await versionRows(db)).toEqual([]);
      expect(await tableExists(db, 't_c')).toBe(false);
      const rows = await db.query('SELECT revision, finished_at, error FROM ambix_history ORDER BY id');
      expect(rows.map((row) => [row.revision, row.finished_at !== null])).toEqual([
        ['a', true],
        ['b', false],
      ]);
      expect(String(rows[1]!.error)).toMatch(/^partially applied: 2 statements/);
    });

    it('waits for the GET_LOCK another session holds, then gives up with LOCK_TIMEOUT naming it', async () => {
      const { config } = await project(db, CHAIN.slice(0, 1), { lockTimeout: 400 });
      const url = String(db.settings().url);
      const other = await mysql.createConnection({ uri: url });
      try {
        const [[row]] = (await other.query(
          'SELECT DATABASE() AS name, CONNECTION_ID() AS id',
        )) as unknown as [[{ name: string; id: number }]];
        const name = mysqlLockName(migrationLockKey(row.name, 'ambix_version'));
        await other.query('SELECT GET_LOCK(?, 0)', [name]);
        const error = await failure(upgrade(config, 'head', db.options()));
        expect(error.code).toBe('LOCK_TIMEOUT');
        expect(error.message).toContain(`pid ${row.id}`);
        expect(error.hint).toContain(`KILL ${row.id}`);
      } finally {
        await other.end();
      }
      await upgrade(config, 'head', db.options());
      expect(await versionRows(db)).toEqual(['a']);
    });
  },
  ['mysql'],
);
