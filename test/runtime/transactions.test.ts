import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/commands/resolve.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { AmbixError } from '../../src/errors.js';
import {
  ALL_DIALECTS,
  columnNames,
  describeEachDatabase,
  historyRows,
  indexNames,
  isPostgres,
  type MigrationSpec,
  type TestDb,
  type TestDialect,
  tableExists,
  testProject,
  versionRows,
} from './support.js';

const createT = (id: string) => `await op.createTable('t_${id}', [{ name: 'id', type: 'integer' }]);`;
const dropT = (id: string) => `await op.dropTable('t_${id}');`;

function chain(failing: MigrationSpec): MigrationSpec[] {
  return [
    { id: 'a', upgrade: createT('a'), downgrade: dropT('a') },
    { id: 'b', down: 'a', upgrade: createT('b'), downgrade: dropT('b') },
    { ...failing, id: 'c', down: 'b' },
  ];
}

const FAILS_ON_MISSING_COLUMN: MigrationSpec = {
  id: 'c',
  message: 'backfill names',
  upgrade: `${createT('c')}\n  await op.execute('UPDATE t_a\\n   SET nam = 1');`,
  downgrade: dropT('c'),
};

/** Each database's message for the UPDATE of FAILS_ON_MISSING_COLUMN, and its SQLSTATE (SQLite has none). */
const MISSING_COLUMN: Readonly<
  Record<TestDialect, { readonly message: string; readonly sqlState?: string }>
> = {
  pglite: { message: 'column "nam" of relation "t_a" does not exist', sqlState: '42703' },
  postgres: { message: 'column "nam" of relation "t_a" does not exist', sqlState: '42703' },
  sqlite: { message: 'no such column: nam' },
  mysql: { message: "Unknown column 'nam' in 'SET'", sqlState: '42S22' },
};

/** MySQL commits each DDL statement at once: a step that fails after one stays half-applied. */
const commitsDdlAtOnce = (db: TestDb): boolean => db.kind === 'mysql';

/** The start of the hint for a half-applied step (what follows says how far it got). */
const HALF_APPLIED = 'This database commits each DDL statement at once: ';

async function failure(promise: Promise<unknown>): Promise<AmbixError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AmbixError);
  return error as AmbixError;
}

async function run(db: TestDb, specs: readonly MigrationSpec[], settings: Record<string, unknown> = {}) {
  const p = testProject();
  for (const spec of specs) p.migration(spec);
  const config = await p.config({ ...db.settings(), ...settings });
  return { p, config };
}

describeEachDatabase(
  'transactions and failures',
  import.meta.filename,
  (db) => {
    const missingColumn = MISSING_COLUMN[db.kind];
    /** The failing statement; PostgreSQL, which gives the error's position, puts a caret under it. */
    const failingStatement = `Statement:\n    UPDATE t_a\n       SET nam = 1${isPostgres(db) ? '\n           ^' : ''}`;

    it.skipIf(commitsDdlAtOnce(db))(
      'rolls back the whole run on a failure and records it after the rollback',
      async () => {
        const { config } = await run(db, chain(FAILS_ON_MISSING_COLUMN));
        const error = await failure(upgrade(config, 'head', db.options()));
        expect(error.code).toBe('MIGRATION_FAILED');
        expect(error.message).toContain(`The upgrade of c (backfill names) failed: ${missingColumn.message}`);
        expect(error.message).toContain(failingStatement);
        expect(error.hint).toContain('the version table is empty (base)');
        expect(error.details).toMatchObject({ revision: 'c', heads: [], keptSteps: 0 });
        expect(error.details.sqlState).toBe(missingColumn.sqlState);

        expect(await versionRows(db)).toEqual([]);
        for (const table of ['t_a', 't_b', 't_c']) expect(await tableExists(db, table)).toBe(false);
        const history = await historyRows(db);
        expect(history).toHaveLength(1);
        expect(history[0]).toMatchObject({ revision: 'c', direction: 'up', from_heads: ['b'], to_heads: [] });
        expect(history[0]?.error).toContain(missingColumn.message);
      },
    );

    it.runIf(commitsDdlAtOnce(db))(
      'keeps every step before a failure where DDL commits at once, and records the failing one half-applied',
      async () => {
        const { config } = await run(db, chain(FAILS_ON_MISSING_COLUMN));
        const error = await failure(upgrade(config, 'head', db.options()));
        expect(error.code).toBe('MIGRATION_FAILED');
        expect(error.message).toContain(`The upgrade of c (backfill names) failed: ${missingColumn.message}`);
        expect(error.message).toContain(failingStatement);
        expect(error.hint).toContain(HALF_APPLIED);
        expect(error.hint).toContain("'ambix resolve c --rolled-back'");
        expect(error.details).toMatchObject({
          revision: 'c',
          heads: ['b'],
          keptSteps: 2,
          operationsRan: 1,
          sqlState: missingColumn.sqlState,
        });

        expect(await versionRows(db)).toEqual(['b']);
        // c's CREATE TABLE committed before its UPDATE failed.
        for (const table of ['t_a', 't_b', 't_c']) expect(await tableExists(db, table)).toBe(true);
        const history = await historyRows(db);
        expect(history.map((row) => [row.revision, row.error === null])).toEqual([
          ['a', true],
          ['b', true],
          ['c', false],
        ]);
        // Unfinished, the row says where the step was going: 'ambix resolve c --applied' moves the version
        // table there.
        expect(history[2]).toMatchObject({ direction: 'up', from_heads: ['b'], to_heads: ['c'] });
        expect(history[2]?.error).toMatch(/^partially applied: /);
        expect(history[2]?.error).toContain(missingColumn.message);
        expect((await failure(upgrade(config, 'head', db.options()))).code).toBe('UNRESOLVED_STEP');
      },
    );

    it('keeps the steps before a failure with transactionPerMigration', async () => {
      const { config } = await run(db, chain(FAILS_ON_MISSING_COLUMN), { transactionPerMigration: true });
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.details).toMatchObject({ heads: ['b'], keptSteps: 2 });
      expect(error.hint).toContain(
        commitsDdlAtOnce(db) ? HALF_APPLIED : '2 earlier steps were kept, and the version table is at b',
      );
      expect(await versionRows(db)).toEqual(['b']);
      expect(await tableExists(db, 't_b')).toBe(true);
      expect(await tableExists(db, 't_c')).toBe(commitsDdlAtOnce(db));
      const history = await historyRows(db);
      expect(history.map((row) => [row.revision, row.error === null])).toEqual([
        ['a', true],
        ['b', true],
        ['c', false],
      ]);
      expect(history[2]).toMatchObject({ from_heads: ['b'], to_heads: commitsDdlAtOnce(db) ? ['c'] : ['b'] });
      if (commitsDdlAtOnce(db)) {
        // The half-applied step stops every run until the operator undoes it and says so.
        await db.exec('DROP TABLE t_c');
        await resolve(config, 'c', { ...db.options(), outcome: 'rolled-back' });
      }

      // Fixed, the next run finishes from where the database is.
      const p2 = testProject();
      for (const spec of chain({ id: 'c', upgrade: createT('c'), downgrade: dropT('c') })) p2.migration(spec);
      const fixed = await upgrade(
        await p2.config({ ...db.settings(), transactionPerMigration: true }),
        'head',
        {
          ...db.options(),
          allowChanged: true,
        },
      );
      expect(fixed.steps.map((step) => step.revision)).toEqual(['c']);
      expect(await versionRows(db)).toEqual(['c']);
    });

    it('takes --transaction-per-migration as an option of the run', async () => {
      const { config } = await run(db, chain(FAILS_ON_MISSING_COLUMN));
      await failure(upgrade(config, 'head', { ...db.options(), transactionPerMigration: true }));
      expect(await versionRows(db)).toEqual(['b']);
    });

    describe.each([
      ['in one transaction', {}, chain],
      ['with transactionPerMigration', { transactionPerMigration: true }, chain],
      [
        'after a migration without a transaction',
        {},
        (broken: MigrationSpec) =>
          chain(broken).map((spec) => (spec.id === 'b' ? { ...spec, transaction: false } : spec)),
      ],
    ] as const)('a migration file that cannot be loaded (%s)', (_, settings, specs) => {
      it('stops the run before anything is applied, naming the file', async () => {
        const { p, config } = await run(
          db,
          specs({ id: 'c', upgrade: createT('c'), downgrade: dropT('c') }),
          settings,
        );
        p.write(
          'migrations/c.ts',
          readFileSync(`${p.dir}/migrations/c.ts`, 'utf8').replace(
            'export async function upgrade',
            'export async function upgrade(',
          ),
        );
        const error = await failure(upgrade(config, 'head', db.options()));
        expect(error.code).toBe('SCRIPT_HEADER');
        expect(error.message).toMatch(/^Could not load .*c\.ts:\d+:\d+: ParseError/);
        expect(await tableExists(db, 't_a')).toBe(false);
        expect(await tableExists(db, 't_b')).toBe(false);
        expect(await versionRows(db)).toEqual([]);
        expect(await historyRows(db)).toEqual([]);
      });
    });

    it('names the first file of the run that cannot be loaded, when several cannot', async () => {
      const { p, config } = await run(db, chain({ id: 'c', upgrade: createT('c'), downgrade: dropT('c') }));
      for (const id of ['b', 'c']) {
        const path = `migrations/${id}.ts`;
        const text = readFileSync(`${p.dir}/${path}`, 'utf8');
        p.write(path, text.replace('export async function upgrade', 'export async function upgrade('));
      }
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.message).toMatch(/^Could not load .*b\.ts:\d+:\d+: ParseError/);
      expect(await tableExists(db, 't_a')).toBe(false);
      expect(await versionRows(db)).toEqual([]);
    });

    it('runs a migration with transaction = false outside any transaction (an index built concurrently)', async () => {
      const { config } = await run(db, [
        {
          id: 'a',
          upgrade: `${createT('a')}\n  await op.execute('INSERT INTO t_a VALUES (1), (2)');`,
          downgrade: dropT('a'),
        },
        {
          id: 'b',
          down: 'a',
          transaction: false,
          upgrade: "await op.createIndex('t_a_id', 't_a', ['id'], { concurrently: true });",
          downgrade: "await op.dropIndex('t_a_id', { concurrently: true });",
        },
        { id: 'c', down: 'b', upgrade: createT('c'), downgrade: dropT('c') },
      ]);
      const result = await upgrade(config, 'head', db.options());
      expect(result.steps.map((step) => step.revision)).toEqual(['a', 'b', 'c']);
      expect(await versionRows(db)).toEqual(['c']);
      expect(await indexNames(db, 't_a')).toEqual(['t_a_id']);
      expect((await historyRows(db)).map((row) => row.revision)).toEqual(['a', 'b', 'c']);
    });

    it('keeps what a migration without a transaction did before it failed, and the steps before it', async () => {
      const { config } = await run(db, [
        { id: 'a', upgrade: createT('a'), downgrade: dropT('a') },
        {
          id: 'b',
          down: 'a',
          transaction: false,
          upgrade: `${createT('b')}\n  await op.execute('SELECT * FROM missing_table');`,
          downgrade: dropT('b'),
        },
      ]);
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.hint).toContain(commitsDdlAtOnce(db) ? HALF_APPLIED : 'ran outside a transaction');
      expect(error.details).toMatchObject({ heads: ['a'], keptSteps: 1 });
      expect(await versionRows(db)).toEqual(['a']);
      expect(await tableExists(db, 't_b')).toBe(true);
      expect((await historyRows(db)).map((row) => [row.revision, row.error === null])).toEqual([
        ['a', true],
        ['b', false],
      ]);
    });

    it('runs an op.autocommit() block outside the migration transaction', async () => {
      const { config } = await run(db, [
        { id: 'a', upgrade: createT('a'), downgrade: dropT('a') },
        {
          id: 'b',
          down: 'a',
          upgrade: `await op.addColumn('t_a', { name: 'name', type: 'text' });
  await op.autocommit(async () => {
    await op.createIndex('t_a_name', 't_a', ['name'], { concurrently: true });
  });
  await op.addColumn('t_a', { name: 'email', type: 'text' });`,
          downgrade: "await op.dropIndex('t_a_name');",
        },
      ]);
      await upgrade(config, 'head', db.options());
      expect(await versionRows(db)).toEqual(['b']);
      expect(await indexNames(db, 't_a')).toEqual(['t_a_name']);
      expect(await columnNames(db, 't_a')).toEqual(['id', 'name', 'email']);
    });

    it('commits the steps before an autocommit block, so a later failure keeps them', async () => {
      const { config } = await run(db, [
        { id: 'a', upgrade: createT('a'), downgrade: dropT('a') },
        {
          id: 'b',
          down: 'a',
          upgrade: `await op.autocommit(async () => {
    await op.execute('SELECT 1');
  });
  await op.execute('SELECT * FROM missing_table');`,
          downgrade: '',
        },
      ]);
      const error = await failure(upgrade(config, 'head', db.options()));
      expect(error.details).toMatchObject({ heads: ['a'], keptSteps: 1 });
      expect(await versionRows(db)).toEqual(['a']);
    });

    for (const perMigration of [false, true]) {
      // Only PostgreSQL checks a constraint at COMMIT: MySQL has no deferrable constraints, and SQLite's deferred
      // foreign keys go unchecked, since ambix runs migrations with foreign keys off (a table rebuild must not
      // cascade).
      it.runIf(isPostgres(db))(
        `reports a COMMIT refused by a deferred constraint as the failure of the step it commits (${perMigration ? 'per migration' : 'whole run'})`,
        async () => {
          const { config } = await run(
            db,
            [
              {
                id: 'a',
                upgrade: `await op.execute('CREATE TABLE parent (id int PRIMARY KEY)');
  await op.execute('CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED)');`,
                downgrade: '',
              },
              {
                id: 'b',
                down: 'a',
                message: 'orphan',
                upgrade: "await op.execute('INSERT INTO child VALUES (42)');",
                downgrade: '',
              },
            ],
            { transactionPerMigration: perMigration },
          );
          const error = await failure(upgrade(config, 'head', db.options()));
          expect(error.code).toBe('MIGRATION_FAILED');
          expect(error.message).toContain(
            'The upgrade of b (orphan) failed: insert or update on table "child" violates foreign key constraint',
          );
          expect(error.details).toMatchObject({ revision: 'b', heads: perMigration ? ['a'] : [] });
          expect(await versionRows(db)).toEqual(perMigration ? ['a'] : []);
          const history = await historyRows(db);
          expect(history.map((row) => [row.revision, row.error === null])).toEqual(
            perMigration
              ? [
                  ['a', true],
                  ['b', false],
                ]
              : [['b', false]],
          );
        },
      );
    }

    it('applies the session settings to the migration session', async () => {
      const { config } = await run(
        db,
        [
          {
            id: 'a',
            upgrade: `const [row] = await op.query(${JSON.stringify(SESSION_SETTINGS[db.kind].query)});
  await op.createTable('settings', [{ name: 'lock_timeout', type: 'text' }, { name: 'statement_timeout', type: 'text' }]);
  const text = (value: unknown) => (value === null ? null : String(value));
  await op.bulkInsert('settings', [{ lock_timeout: text(row.lock_timeout), statement_timeout: text(row.statement_timeout) }]);`,
            downgrade: '',
          },
        ],
        { session: { lockTimeout: 1500, statementTimeout: 60000 } },
      );
      await upgrade(config, 'head', db.options());
      expect(await db.query('SELECT lock_timeout, statement_timeout FROM settings')).toEqual([
        SESSION_SETTINGS[db.kind].expected,
      ]);
    });
  },
  ALL_DIALECTS,
);

/**
 * How a migration reads the session's timeouts, and what they are with lockTimeout 1500 ms and statementTimeout
 * 60 s: PostgreSQL's settings; MySQL's lock waits in whole seconds, rounded up, and MariaDB's statement limit in
 * seconds; SQLite's busy timeout (it has no statement timeout).
 */
const PG_SESSION_SETTINGS = {
  query:
    "SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout",
  expected: { lock_timeout: '1500ms', statement_timeout: '1min' },
};
const SESSION_SETTINGS: Readonly<
  Record<TestDialect, { readonly query: string; readonly expected: Record<string, string | null> }>
> = {
  pglite: PG_SESSION_SETTINGS,
  postgres: PG_SESSION_SETTINGS,
  sqlite: {
    query: 'SELECT timeout AS lock_timeout, NULL AS statement_timeout FROM pragma_busy_timeout',
    expected: { lock_timeout: '1500', statement_timeout: null },
  },
  mysql: {
    query: 'SELECT @@lock_wait_timeout AS lock_timeout, @@max_statement_time AS statement_timeout',
    expected: { lock_timeout: '2', statement_timeout: '60' },
  },
};
