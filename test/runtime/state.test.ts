import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { assertUpToDate } from '../../src/commands/assert-up-to-date.js';
import { current } from '../../src/commands/current.js';
import { ensureVersion } from '../../src/commands/ensure-version.js';
import { history } from '../../src/commands/history.js';
import { stamp } from '../../src/commands/stamp.js';
import { status } from '../../src/commands/status.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { AmbixError } from '../../src/errors.js';
import {
  ALL_DIALECTS,
  describeEachDatabase,
  historyRows,
  type MigrationSpec,
  quoteName,
  type TestDialect,
  tableExists,
  testProject,
  versionRows,
} from './support.js';

const LINEAR: readonly MigrationSpec[] = [
  { id: 'a', message: 'create a' },
  { id: 'b', down: 'a', message: 'create b' },
  { id: 'c', down: 'b', message: 'create c' },
];

async function caught(promise: Promise<unknown>): Promise<AmbixError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AmbixError);
  return error as AmbixError;
}

describeEachDatabase(
  'checksums, stamp, current and status',
  import.meta.filename,
  (db) => {
    function project(specs: readonly MigrationSpec[] = LINEAR) {
      const p = testProject();
      const paths = Object.fromEntries(specs.map((spec) => [spec.id, p.migration(spec)]));
      return { p, paths, config: () => p.config(db.settings()) };
    }

    it('refuses to upgrade when an applied migration changed, naming the file, unless allowed', async () => {
      const { paths, config } = project();
      await upgrade(await config(), 'b', db.options());
      writeFileSync(paths.a!, `${readFileSync(paths.a!, 'utf8')}\n// edited after it ran\n`);

      const error = await caught(upgrade(await config(), 'head', db.options()));
      expect(error.code).toBe('CHANGED_MIGRATION');
      expect(error.message).toContain('a (migrations/a.ts)');
      expect(error.hint).toContain("'ambix stamp b'");
      expect(await versionRows(db)).toEqual(['b']);

      const report = await status(await config(), db.options());
      expect(report.changed.map((each) => each.id)).toEqual(['a']);
      expect(report.upToDate).toBe(false);

      const forced = await upgrade(await config(), 'head', { ...db.options(), allowChanged: true });
      expect(forced.steps.map((step) => step.revision)).toEqual(['c']);
    });

    it('does not take a checkout with CRLF line endings or a BOM for a change', async () => {
      const { paths, config } = project();
      await upgrade(await config(), 'b', db.options());
      writeFileSync(paths.a!, `\uFEFF${readFileSync(paths.a!, 'utf8').replaceAll('\n', '\r\n')}`);
      const result = await upgrade(await config(), 'head', db.options());
      expect(result.steps.map((step) => step.revision)).toEqual(['c']);
    });

    it('runs a migration file as it is now, even when this process ran an earlier version of it', async () => {
      const p = testProject();
      const path = p.migration({
        id: 'a',
        upgrade: "await op.execute('CREATE TABLE first (id int)');",
        downgrade: '',
      });
      const config = await p.config(db.settings());
      await upgrade(config, 'head', db.options());
      await stamp(config, 'base', db.options());
      writeFileSync(path, readFileSync(path, 'utf8').replace('CREATE TABLE first', 'CREATE TABLE second'));
      await upgrade(config, 'head', db.options());
      expect(await tableExists(db, 'second')).toBe(true);
      const rows = await historyRows(db);
      expect(rows[0]?.checksum).not.toBe(rows.at(-1)?.checksum);
    });

    it('re-records the checksum of a changed applied migration on stamp', async () => {
      const { paths, config } = project();
      await upgrade(await config(), 'b', db.options());
      writeFileSync(paths.b!, `${readFileSync(paths.b!, 'utf8')}\n// a comment\n`);
      const stamped = await stamp(await config(), 'b', db.options());
      expect(stamped.rerecorded).toEqual(['b']);
      expect(stamped.heads).toEqual(['b']);
      const rows = await historyRows(db);
      expect(rows.at(-1)).toMatchObject({
        revision: 'b',
        direction: 'stamp',
        from_heads: ['b'],
        to_heads: ['b'],
      });
      await upgrade(await config(), 'head', db.options());
      expect(await versionRows(db)).toEqual(['c']);
    });

    it('stamps without running migrations, and records each move', async () => {
      const { config } = project();
      const result = await stamp(await config(), 'b', db.options());
      expect(result.steps.map((step) => [step.direction, step.fromRevisions, step.toRevisions])).toEqual([
        ['stamp', [], ['b']],
      ]);
      expect(await versionRows(db)).toEqual(['b']);
      expect(await tableExists(db, 't_a')).toBe(false);
      await stamp(await config(), 'a', db.options());
      expect(await versionRows(db)).toEqual(['a']);
      await stamp(await config(), 'base', db.options());
      expect(await versionRows(db)).toEqual([]);
      const rows = await historyRows(db);
      expect(rows.map((row) => [row.revision, row.direction, row.from_heads, row.to_heads])).toEqual([
        ['b', 'stamp', [], ['b']],
        ['a', 'stamp', ['b'], ['a']],
        [null, 'stamp', ['a'], []],
      ]);
      expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    });

    it('stamps several branch heads and purges rows no file knows', async () => {
      const { config } = project([{ id: 'a' }, { id: 'b', down: 'a' }, { id: 'x', down: 'a' }]);
      await stamp(await config(), ['b', 'x'], db.options());
      expect(await versionRows(db)).toEqual(['b', 'x']);
      await db.exec("INSERT INTO ambix_version VALUES ('gone')");

      const error = await caught(stamp(await config(), 'b', db.options()));
      expect(error.code).toBe('UNKNOWN_REVISION');
      expect(error.hint).toContain('--purge');
      const report = await status(await config(), db.options());
      expect(report.vanished).toEqual(['gone']);

      await stamp(await config(), 'b', { ...db.options(), purge: true });
      expect(await versionRows(db)).toEqual(['b']);
    });

    it('reports current heads, checks them against the files, and asserts being up to date', async () => {
      const { config } = project();
      const empty = await current(await config(), db.options());
      expect(empty.heads).toEqual([]);
      expect(empty.atHeads).toBe(false);
      expect(await tableExists(db, 'ambix_version')).toBe(false);

      await upgrade(await config(), 'b', db.options());
      const partway = await current(await config(), db.options());
      expect(partway.heads).toEqual([{ id: 'b', message: 'create b', isHead: false, known: true }]);
      const notAtHeads = await caught(current(await config(), { ...db.options(), checkHeads: true }));
      expect(notAtHeads.code).toBe('NOT_UP_TO_DATE');

      const pending = await caught(assertUpToDate(await config(), db.options()));
      expect(pending.code).toBe('NOT_UP_TO_DATE');
      expect(pending.message).toContain('1 migration is pending: c (create c)');
      const report = await status(await config(), db.options());
      expect(report.pending.map((each) => [each.id, each.message, each.path])).toEqual([
        ['c', 'create c', 'migrations/c.ts'],
      ]);

      await upgrade(await config(), 'head', db.options());
      expect((await current(await config(), { ...db.options(), checkHeads: true })).atHeads).toBe(true);
      expect(await assertUpToDate(await config(), db.options())).toEqual({ heads: ['c'] });
      expect((await status(await config(), db.options())).upToDate).toBe(true);
      const listed = await history({ config: await config(), indicateCurrent: true, ...db.options() });
      expect(listed.currentHeads).toEqual(['c']);
    });

    it('reports an applied migration whose file vanished', async () => {
      const { paths, config } = project();
      await upgrade(await config(), 'head', db.options());
      rmSync(paths.c!);
      const report = await status(await config(), db.options());
      expect(report.vanished).toEqual(['c']);
      expect(report.pending).toEqual([]);
      const error = await caught(upgrade(await config(), 'head', db.options()));
      expect(error.code).toBe('UNKNOWN_REVISION');
    });

    it('creates the state tables with ensure-version, once', async () => {
      const { config } = project();
      const first = await ensureVersion(await config(), db.options());
      expect(first.created).toEqual(['ambix_version', 'ambix_history']);
      expect((await ensureVersion(await config(), db.options())).created).toEqual([]);
      const script = await ensureVersion(await config(), { sql: true });
      expect(script.script).toContain(`CREATE TABLE IF NOT EXISTS ${quoteName(db, 'ambix_history')}`);
    });

    it('adopts a database that Alembic manages through its alembic_version table', async () => {
      await db.exec(`CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
      CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
      INSERT INTO alembic_version VALUES ('b')`);
      const p = testProject();
      for (const spec of LINEAR)
        p.migration({ ...spec, upgrade: `await op.execute('CREATE TABLE t_${spec.id} (id int)');` });
      const config = await p.config({ ...db.settings(), versionTable: 'alembic_version' });
      const result = await upgrade(config, 'head', db.options());
      expect(result.steps.map((step) => step.revision)).toEqual(['c']);
      expect(await versionRows(db, 'alembic_version')).toEqual(['c']);
      expect(await tableExists(db, 'ambix_version')).toBe(false);
      expect(await db.query(ALEMBIC_VERSION_COLUMNS[db.kind])).toEqual([
        db.kind === 'sqlite'
          ? { name: 'version_num', type: 'VARCHAR(32)' }
          : { name: 'version_num', length: 32 },
      ]);
      expect((await historyRows(db)).map((row) => row.revision)).toEqual(['c']);
    });

    // SQLite's other schemas are databases ATTACHed to one connection, and ambix opens a connection of its own.
    it.skipIf(db.kind === 'sqlite')(
      'keeps its tables in the configured schema and history table',
      async () => {
        const schema = await db.createSchema('meta');
        const p = testProject();
        for (const spec of LINEAR)
          p.migration({ ...spec, upgrade: `await op.execute('CREATE TABLE t_${spec.id} (id int)');` });
        const config = await p.config({
          ...db.settings(),
          versionTableSchema: schema,
          historyTable: 'migration_log',
        });
        await upgrade(config, 'head', db.options());
        expect(await versionRows(db, 'ambix_version', schema)).toEqual(['c']);
        expect(await tableExists(db, 'ambix_version')).toBe(false);
        const logged = await db.query(
          `SELECT revision FROM ${quoteName(db, schema)}.migration_log ORDER BY id`,
        );
        expect(logged.map((row) => row.revision)).toEqual(['a', 'b', 'c']);
        expect((await current(config, db.options())).heads.map((head) => head.id)).toEqual(['c']);
      },
    );
  },
  ALL_DIALECTS,
);

/** The columns of Alembic's version table: the length the catalog gives, SQLite's declared type as written. */
const PG_ALEMBIC_VERSION_COLUMNS = `SELECT column_name AS name, character_maximum_length AS length
  FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'alembic_version'`;
const ALEMBIC_VERSION_COLUMNS: Readonly<Record<TestDialect, string>> = {
  pglite: PG_ALEMBIC_VERSION_COLUMNS,
  postgres: PG_ALEMBIC_VERSION_COLUMNS,
  sqlite: "SELECT name, type FROM pragma_table_info('alembic_version')",
  mysql: `SELECT column_name AS name, character_maximum_length AS length
    FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'alembic_version'`,
};
