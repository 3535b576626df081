import { expect, it } from 'vitest';
import { downgrade } from '../../src/commands/downgrade.js';
import { stamp } from '../../src/commands/stamp.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { AmbixError } from '../../src/errors.js';
import {
  ALL_DIALECTS,
  describeEachDatabase,
  historyRows,
  isPostgres,
  type MigrationSpec,
  quoteName,
  schemaSnapshot,
  type TestDb,
  type TestDialect,
  testProject,
  versionRows,
} from './support.js';

/** The graph, with the bound parameters of `op.execute` written as the database marks them ($1 or ?). */
function graph(db: TestDb): readonly MigrationSpec[] {
  const [first, second] = isPostgres(db) ? ['$1', '$2'] : ['?', '?'];
  return [
    { id: 'a', message: 'create a' },
    { id: 'b', down: 'a' },
    { id: 'x1', down: 'a', branchLabels: ['feature'] },
    {
      id: 'x2',
      down: 'x1',
      transaction: false,
      upgrade: `await op.createIndex('t_a_id', 't_a', ['id'], { concurrently: true });
  await op.execute("CREATE TABLE t_x2 (id integer)");
  await op.execute("INSERT INTO step_log (n, revision, direction) SELECT COALESCE(MAX(n), 0) + 1, 'x2', 'up' FROM step_log");`,
      downgrade: `await op.dropIndex('t_a_id', { table: 't_a' });
  await op.execute('DROP TABLE t_x2');`,
    },
    { id: 'm', down: ['b', 'x2'], message: 'merge' },
    {
      id: 'n',
      down: 'm',
      message: "it's data",
      upgrade: `await op.createTable('t_n', [{ name: 'id', type: 'integer' }, { name: 'note', type: 'text' }]);
  await op.bulkInsert('t_n', [{ id: 1, note: "it's" }, { id: -2, note: null }]);
  await op.execute('UPDATE t_n SET note = ${first} WHERE id = ${second}', ['new\\\\line', 1]);
  await op.autocommit(async () => {
    await op.createIndex('t_n_id', 't_n', ['id'], { concurrently: true });
  });`,
      downgrade: "await op.dropTable('t_n');",
    },
    { id: 'd1', branchLabels: ['other'] },
    { id: 'd2', down: 'd1', dependsOn: ['b'] },
  ];
}

async function state(db: TestDb) {
  const catalog = await schemaSnapshot(db);
  const history = (await historyRows(db)).map((row) => [
    row.revision,
    row.direction,
    row.from_heads,
    row.to_heads,
    row.checksum,
    row.error,
  ]);
  const log = await db.query('SELECT revision, direction FROM step_log ORDER BY n');
  const data = await db.query('SELECT id, note FROM t_n ORDER BY id').catch(() => null);
  return { catalog, versions: await versionRows(db), history, log, data };
}

/**
 * A URL of each kind that reaches no database (a server that is not there, with a password that must not show; a
 * folder that does not exist), and how the script starts: the session's lock timeout (5000 ms) as the database
 * takes it, then the first BEGIN.
 */
const NOWHERE: Readonly<Record<TestDialect, { readonly url: string; readonly start: string }>> = {
  pglite: {
    url: 'postgres://nobody:secret@127.0.0.1:1/nowhere',
    start: "SET lock_timeout = '5000ms';\n\nBEGIN;",
  },
  postgres: {
    url: 'postgres://nobody:secret@127.0.0.1:1/nowhere',
    start: "SET lock_timeout = '5000ms';\n\nBEGIN;",
  },
  sqlite: { url: 'sqlite:/nonexistent/app.db', start: 'PRAGMA busy_timeout = 5000;\n\nBEGIN;' },
  mysql: {
    url: 'mysql://nobody:secret@127.0.0.1:1/nowhere',
    // Whole seconds: MySQL's lock waits take no fractions.
    start: 'SET SESSION lock_wait_timeout = 5;\n\nSET SESSION innodb_lock_wait_timeout = 5;\n\nBEGIN;',
  },
};

describeEachDatabase(
  'offline SQL',
  import.meta.filename,
  (db) => {
    async function project(settings: Record<string, unknown> = {}) {
      const p = testProject();
      for (const spec of graph(db)) p.migration(spec);
      return p.config({ ...db.settings(), ...settings });
    }

    it('writes an upgrade script equal in effect to the online run', async () => {
      const config = await project();
      await upgrade(config, 'heads', db.options());
      const online = await state(db);
      await db.reset();

      const offline = await upgrade(config, 'heads', { sql: true });
      expect(offline.steps.map((step) => step.revision)).toEqual(online.history.map((row) => row[0]));
      await db.execScript(offline.script!);
      expect(await state(db)).toEqual(online);
    });

    it('writes a downgrade script (START:END) equal in effect to the online run', async () => {
      const config = await project();
      await upgrade(config, 'heads', db.options());
      await downgrade(config, 'x1', db.options());
      const online = await state(db);
      await db.reset();

      const up = await upgrade(config, 'heads', { sql: true });
      const down = await downgrade(config, 'heads:x1', { sql: true });
      expect(down.steps.map((step) => step.revision)).toEqual(['n', 'm', 'x2']);
      await db.execScript(up.script!);
      await db.execScript(down.script!);
      expect(await state(db)).toEqual(online);
    });

    it('needs START:END for an offline downgrade', async () => {
      const config = await project();
      const error = await downgrade(config, 'base', { sql: true }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AmbixError);
      expect((error as AmbixError).code).toBe('USAGE');
      expect((error as AmbixError).message).toContain("'downgrade START:base --sql'");
    });

    it('commits per migration in the script with transactionPerMigration', async () => {
      const config = await project({ transactionPerMigration: true });
      const { script } = await upgrade(config, 'heads', { sql: true });
      const begins = script!.match(/^BEGIN;$/gm) ?? [];
      // One per transactional migration, plus one after the autocommit block; x2 runs outside any.
      expect(begins.length).toBeGreaterThanOrEqual(graph(db).length - 1);
      await upgrade(config, 'heads', db.options());
      const online = await state(db);
      await db.reset();
      await db.execScript(script!);
      expect(await state(db)).toEqual(online);
    });

    it('writes stamp scripts equal in effect to stamping online', async () => {
      const config = await project();
      await stamp(config, ['b', 'x2'], db.options());
      await stamp(config, ['d1'], db.options());
      const online = { versions: await versionRows(db), history: await historyRows(db) };
      expect(online.versions).toEqual(['b', 'd1', 'x2']);
      await db.reset();
      await db.execScript((await stamp(config, ['b', 'x2'], { sql: true })).script!);
      await db.execScript((await stamp(config, 'x2:d1', { sql: true })).script!);
      expect(await versionRows(db)).toEqual(online.versions);
      const history = await historyRows(db);
      // The ranged script knows only the heads it was told (x2), so its rows' from/to heads leave out b.
      expect(history.map((row) => [row.revision, row.direction, row.checksum])).toEqual(
        online.history.map((row) => [row.revision, row.direction, row.checksum]),
      );
    });

    it('opens no connection and needs no database', async () => {
      const p = testProject();
      for (const spec of graph(db)) p.migration(spec);
      const nowhere = NOWHERE[db.kind];
      const config = await p.config({ url: nowhere.url, session: { lockTimeout: 5000 } });
      const version = quoteName(db, 'ambix_version');
      const { script } = await upgrade(config, 'heads', { sql: true });
      expect(script).not.toContain('secret');
      expect(script).toContain(nowhere.start);
      expect(script).toContain('-- Running upgrade <base> -> a, create a');
      expect(script).toContain(`CREATE TABLE IF NOT EXISTS ${version}`);
      expect(script).toContain(`INSERT INTO ${version} (version_num) VALUES ('a');`);
      expect(script).toContain(`DELETE FROM ${version} WHERE version_num = 'b';`);
      expect(script).toContain(`UPDATE ${version} SET version_num = 'm' WHERE version_num = 'x2';`);
      expect(script!.trimEnd().endsWith('COMMIT;')).toBe(true);
      const ranged = await upgrade(config, 'm:heads', { sql: true });
      expect(ranged.script).not.toContain(`CREATE TABLE IF NOT EXISTS ${version}`);
      expect(ranged.steps.map((step) => step.revision)).toEqual(['n', 'd1', 'd2']);
    });

    it('refuses op.query() offline, naming the migration', async () => {
      const p = testProject();
      p.migration({ id: 'q', upgrade: "await op.query('SELECT 1');", downgrade: '' });
      const error = await upgrade(await p.config(db.settings()), 'head', { sql: true }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AmbixError);
      expect((error as AmbixError).code).toBe('MIGRATION_FAILED');
      expect((error as AmbixError).message).toContain('The upgrade of q');
      expect((error as AmbixError).message).toContain(
        'op.query("SELECT 1") reads the database, and an offline (--sql) run has none.',
      );
      expect((error as AmbixError).hint).toContain('Nothing was written: no database was touched');
      expect((error as AmbixError).hint).not.toContain('version table');
    });
  },
  ALL_DIALECTS,
);
