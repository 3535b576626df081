#!/usr/bin/env node
/**
 * Migrations-apply benchmark on SQLite and MariaDB/MySQL: 1,000 small migrations (one table each) applied to a fresh
 * database by `ambix upgrade head`, against the database's own command-line client running the same SQL (the floor)
 * and Alembic, each timed as a whole process. The PostgreSQL counterpart is bench/migrations-apply.mjs.
 *
 *   node bench/migrations-apply-dialects.mjs [--migrations 1000] [--runs 5] [--dialects sqlite,mariadb]
 *                                            [--mysql-url mysql://root@127.0.0.1:3306/mysql] [--write]
 *                                            [--python /usr/bin/python3] [--ambix-bin bin/ambix.js] [--keep-env]
 *
 *   --dialects   which databases to measure: sqlite, mariadb (a MySQL server works too), or both (the default)
 *   --mysql-url  an administrative connection to the MariaDB/MySQL server (it must be allowed to CREATE DATABASE);
 *                every run gets a database of its own on that server, created before and dropped after the timed
 *                process. SQLite runs each get a new file under bench/.work/ (git-ignored), deleted afterwards
 *   --write      replace this benchmark's section of bench/RESULTS.md
 *   --python     a Python that can import alembic and pymysql (default: /usr/bin/python3, Debian's
 *                python3-alembic and python3-pymysql; installed with apt-get once if missing)
 *   --ambix-bin  the CLI to measure (default: bin/ambix.js, which needs `npm run build`)
 *   --keep-env   keep NODE_EXTRA_CA_CERTS / PYTHONDONTWRITEBYTECODE (see UNSET)
 *
 * What it does:
 *   1. Generates under bench/.work/migrations-apply-dialects/<database>/ the same N migrations four ways. Migration
 *      i creates table t<i> (`id bigint NOT NULL PRIMARY KEY, name varchar(100) NOT NULL, created_at timestamp
 *      NOT NULL DEFAULT CURRENT_TIMESTAMP`) and has revision i-1 as its parent:
 *        floor/all.sql              the N CREATE TABLE statements (on SQLite between BEGIN and COMMIT), fed to
 *                                   `sqlite3 -bail FILE` or `mariadb … DB` on standard input
 *        ambix-sql/migrations/      ambix SQL migrations (`-- ambix:` headers) with that statement
 *        ambix-ts/migrations/       ambix TypeScript migrations calling `op.createTable(…)`
 *        alembic/                   alembic.ini, env.py (a plain URL from the environment, Alembic's default
 *                                   transaction handling), versions/*.py calling `op.create_table(…)`
 *   2. For each tool and database: a warm-up run on a fresh database, checked; then `--runs` timed rounds, all
 *      tools of all databases interleaved round-robin (each round starts with the next tool). Every run: a fresh
 *      database (MariaDB: CREATE DATABASE, not timed; SQLite: a file name that does not exist yet, which the tool
 *      creates), the tool as a whole process from spawn to exit (timed), checks (not timed: N tables t1…tN exist,
 *      t1 and tN have the same columns as the floor's; the tool's version table says what it should), then DROP
 *      DATABASE / the file deleted.
 *   3. Prints a Markdown section with medians; with --write, replaces it in bench/RESULTS.md (between
 *      `<!-- bench:migrations-apply-dialects:start -->` and `<!-- bench:migrations-apply-dialects:end -->`).
 *
 * A tool or database that cannot run here (ambix not built, no Alembic or PyMySQL, no sqlite3 or mariadb client, no
 * server) is reported as "not measured" with the reason, and the others are still measured. The exit status is 1
 * if a tool that ran failed a check (then --write refuses to update RESULTS.md).
 *
 * Plain Node ESM, no dependencies (the sqlite3 and mariadb clients do the administration and the checks). A
 * script, never a test.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  AMBIX_BIN,
  ambixReadiness,
  aptInstall,
  busiestLoad,
  checkRows,
  cleanEnv,
  databaseUrl,
  excerpt,
  failer,
  findPython as findPythonWith,
  finish,
  formatMs,
  freshDatabaseName,
  isMain,
  loadavg,
  log,
  machineInfo,
  markdownTable,
  markedSection,
  maskUrl,
  measureTools,
  probe,
  REPO,
  readOptions,
  removedEnvNote,
  rowStatus,
  thousands,
  timedRun,
  tryUrl,
  workDir,
  writeAlembicProject,
  writePackageJson,
} from './lib.mjs';

const SECTION = 'migrations-apply-dialects';
const WORK = workDir(SECTION);
const DIALECTS = ['sqlite', 'mariadb'];
const DEFAULTS = {
  migrations: '1000',
  runs: '5',
  dialects: DIALECTS.join(','),
  mysqlUrl: 'mysql://root@127.0.0.1:3306/mysql',
  python: '/usr/bin/python3',
  ambixBin: AMBIX_BIN,
};

const RUN_TIMEOUT_MS = 15 * 60_000;

// ---------------------------------------------------------------------------------------------------------
// Options

function parseOptions() {
  // --help prints the comment at the top of this file.
  const { values, positiveInt, common } = readOptions(
    import.meta.url,
    {
      migrations: { type: 'string', default: DEFAULTS.migrations },
      runs: { type: 'string', default: DEFAULTS.runs },
      dialects: { type: 'string', default: DEFAULTS.dialects },
      'mysql-url': { type: 'string', default: DEFAULTS.mysqlUrl },
      python: { type: 'string', default: DEFAULTS.python },
    },
    fail,
  );
  const dialects = values.dialects
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .map((d) => (d === 'mysql' ? 'mariadb' : d))
    .filter((d) => d !== '');
  for (const d of dialects)
    if (!DIALECTS.includes(d)) fail(`--dialects: unknown database ${d} (sqlite, mariadb)`);
  if (dialects.length === 0) fail('--dialects names no database');
  const adminUrl = tryUrl(values['mysql-url']);
  if (!adminUrl || !/^(mysql|mariadb):$/.test(adminUrl.protocol))
    fail(`--mysql-url must be a mysql:// URL (got ${values['mysql-url']})`);
  return {
    migrations: positiveInt('migrations', 1),
    runs: positiveInt('runs', 1),
    dialects: DIALECTS.filter((d) => dialects.includes(d)),
    mysqlUrl: values['mysql-url'],
    adminUrl,
    python: values.python,
    ...common,
  };
}

function commandLine(options) {
  const args = [
    'node bench/migrations-apply-dialects.mjs',
    `--migrations ${options.migrations}`,
    `--runs ${options.runs}`,
  ];
  if (options.dialects.join(',') !== DEFAULTS.dialects) args.push(`--dialects ${options.dialects.join(',')}`);
  if (options.mysqlUrl !== DEFAULTS.mysqlUrl) args.push(`--mysql-url ${maskUrl(options.mysqlUrl)}`);
  if (options.python !== DEFAULTS.python) args.push(`--python ${options.python}`);
  if (options.ambixBin !== DEFAULTS.ambixBin) args.push(`--ambix-bin ${relative(REPO, options.ambixBin)}`);
  if (options.keepEnv) args.push('--keep-env');
  return args.join(' ');
}

const fail = failer(SECTION);

// ---------------------------------------------------------------------------------------------------------
// The migrations

/** Revision i (1-based): a 12-hex id derived from i, its parent, its table. */
function revisions(count) {
  const list = [];
  for (let i = 1; i <= count; i++) {
    const id = createHash('sha256').update(`migrations-apply-dialects:${i}`).digest('hex').slice(0, 12);
    list.push({ index: i, id, parent: list[i - 2]?.id ?? null, table: `t${String(i).padStart(4, '0')}` });
  }
  return list;
}

/**
 * What differs between the databases. The created_at type is `timestamp` on both, which an operation's column
 * keeps as it is on SQLite and on MySQL/MariaDB (their own TIMESTAMP; see src/dialects/mysql/render-types.ts), so
 * that every tool creates the same columns on a database; Alembic gets the SQLAlchemy type that renders that name.
 */
const DIALECT = {
  sqlite: {
    title: 'SQLite',
    timestampType: 'timestamp',
    alembicTimestamp: 'sa.TIMESTAMP()',
    // SQLite writes DDL in autocommit unless told otherwise: the floor wraps the file in one transaction.
    wrap: (statements) => ['BEGIN;', ...statements, 'COMMIT;'],
  },
  mariadb: {
    title: 'MariaDB',
    timestampType: 'timestamp',
    alembicTimestamp: 'sa.TIMESTAMP()',
    // MySQL/MariaDB commit every DDL statement implicitly: a transaction around them would mean nothing.
    wrap: (statements) => statements,
  },
};

const createTableSql = (dialect, table) =>
  `CREATE TABLE ${table} (id bigint NOT NULL PRIMARY KEY, name varchar(100) NOT NULL, created_at ` +
  `${DIALECT[dialect].timestampType} NOT NULL DEFAULT CURRENT_TIMESTAMP);`;

const CREATE_DATE = '2026-11-21 10:00:00.000000';
const stem = (rev) => `${String(rev.index).padStart(4, '0')}_${rev.id}_create_${rev.table}`;

function ambixSqlMigration(dialect, rev) {
  return [
    `-- ambix:revision ${rev.id}`,
    `-- ambix:down-revision ${rev.parent ?? 'none'}`,
    `-- ambix:message create ${rev.table}`,
    `-- ambix:create-date ${CREATE_DATE}`,
    '',
    '-- ambix:upgrade',
    createTableSql(dialect, rev.table),
    '',
    '-- ambix:downgrade',
    `DROP TABLE ${rev.table};`,
    '',
  ].join('\n');
}

/** The same file on both databases: `timestamp` is each one's own. */
function ambixTsMigration(_dialect, rev) {
  return `/**
 * create ${rev.table}
 *
 * Revision ID: ${rev.id}
 * Revises: ${rev.parent ?? ''}
 * Create Date: ${CREATE_DATE}
 */
import { type Operations, sql } from 'ambix';

export const revision = '${rev.id}';
export const downRevision = ${rev.parent === null ? 'null' : `'${rev.parent}'`};

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('${rev.table}', [
    { name: 'id', type: 'bigint', primaryKey: true },
    { name: 'name', type: 'varchar(100)', nullable: false },
    { name: 'created_at', type: 'timestamp', nullable: false, default: sql\`CURRENT_TIMESTAMP\` },
  ]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('${rev.table}');
}
`;
}

function alembicMigration(dialect, rev) {
  return `"""create ${rev.table}

Revision ID: ${rev.id}
Revises: ${rev.parent ?? ''}
Create Date: ${CREATE_DATE}

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '${rev.id}'
down_revision = ${rev.parent === null ? 'None' : `'${rev.parent}'`}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        '${rev.table}',
        sa.Column('id', sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column('name', sa.String(100), nullable=False),
        sa.Column('created_at', ${DIALECT[dialect].alembicTimestamp}, server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('${rev.table}')
`;
}

function writeProjects(dialect, revs) {
  const base = join(WORK, dialect);
  rmSync(base, { recursive: true, force: true });
  const dirs = {
    floor: join(base, 'floor'),
    ambixSql: join(base, 'ambix-sql'),
    ambixTs: join(base, 'ambix-ts'),
    alembic: join(base, 'alembic'),
    databases: join(base, 'databases'),
  };
  mkdirSync(dirs.floor, { recursive: true });
  if (dialect === 'sqlite') mkdirSync(dirs.databases, { recursive: true });
  const statements = revs.map((r) => createTableSql(dialect, r.table));
  writeFileSync(join(dirs.floor, 'all.sql'), `${DIALECT[dialect].wrap(statements).join('\n')}\n`);

  for (const [dir, write, extension] of [
    [dirs.ambixSql, ambixSqlMigration, 'sql'],
    [dirs.ambixTs, ambixTsMigration, 'ts'],
  ]) {
    mkdirSync(join(dir, 'migrations'), { recursive: true });
    // A project of its own (no config file: --url names the database), so that ambix's caches live in its
    // node_modules/.cache, never in the repository's.
    writePackageJson(dir);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    for (const rev of revs)
      writeFileSync(join(dir, 'migrations', `${stem(rev)}.${extension}`), write(dialect, rev));
  }

  mkdirSync(join(dirs.alembic, 'migrations', 'versions'), { recursive: true });
  // On SQLite and MySQL Alembic's default (transactional_ddl = False for both) is a transaction per migration:
  // begin_transaction() around run_migrations() does nothing there and each migration runs in a transaction of its own.
  writeAlembicProject(dirs.alembic, 'migrations-apply-dialects.mjs');
  for (const rev of revs) {
    writeFileSync(
      join(dirs.alembic, 'migrations', 'versions', `${stem(rev)}.py`),
      alembicMigration(dialect, rev),
    );
  }
  return dirs;
}

// ---------------------------------------------------------------------------------------------------------
// Tools

/** The first of these clients that runs, or null. */
function findClient(names) {
  for (const name of names) if (probe(name, ['--version']) !== null) return name;
  return null;
}

let SQLITE3 = null;
let MARIADB = null;

/** Runs SQL on a SQLite file through the sqlite3 client; returns its output (`|`-separated) or throws. */
function sqlite(file, sql) {
  const r = spawnSync(SQLITE3, ['-bail', '-batch', '-noheader', '-list', file, sql], { encoding: 'utf8' });
  if (r.error) throw new Error(`sqlite3: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sqlite3 ${JSON.stringify(sql)}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** The mariadb client's connection arguments for a database of the server, and its environment. */
function mariadbArgs(options, database) {
  const u = options.adminUrl;
  const args = ['--protocol=TCP', '-h', u.hostname || '127.0.0.1', '-P', u.port || '3306'];
  if (u.username) args.push('-u', decodeURIComponent(u.username));
  if (database) args.push('-D', database);
  const env = { ...process.env };
  if (u.password) env.MYSQL_PWD = decodeURIComponent(u.password);
  return { args, env };
}

/** Runs SQL on a database of the server through the mariadb client; returns its tab-separated output or throws. */
function mariadb(options, database, sql) {
  const { args, env } = mariadbArgs(options, database);
  const r = spawnSync(MARIADB, [...args, '-N', '-B', '-e', sql], { encoding: 'utf8', env });
  if (r.error) throw new Error(`${MARIADB}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${MARIADB} ${JSON.stringify(sql)}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** A Python that imports alembic and pymysql; tries apt-get once if the default one cannot. */
function findPython(python) {
  const { found, why } = findPythonWith({
    candidates: [python],
    code: 'import sys, sqlite3, alembic, sqlalchemy, pymysql; print(sys.version.split()[0], alembic.__version__, sqlalchemy.__version__, pymysql.__version__, sqlite3.sqlite_version)',
    fields: ['version', 'alembic', 'sqlalchemy', 'pymysql', 'sqlite'],
    install: python === DEFAULTS.python && {
      packages: ['python3-alembic', 'python3-pymysql'],
      reason: 'alembic or pymysql is not importable',
    },
  });
  const note = `${python} cannot import alembic and pymysql${why ? ` (${why})` : ''}`;
  return { found, note: found ? null : note };
}

/** The sqlite3 client, installed with apt-get once if missing. */
function findSqlite3() {
  const found = findClient(['sqlite3']);
  if (found) return { found, note: null };
  const why = aptInstall(['sqlite3'], 'sqlite3 is not installed');
  const again = findClient(['sqlite3']);
  if (again) return { found: again, note: null };
  return { found: null, note: `no sqlite3 client (${why})` };
}

/** The versions of the drivers ambix loads (from the repository's node_modules, as ambix resolves them). */
function ambixDrivers() {
  const script = `
    const { createRequire } = require('node:module');
    const req = createRequire(${JSON.stringify(join(REPO, 'package.json'))});
    const out = {};
    try {
      out.betterSqlite3 = req('better-sqlite3/package.json').version;
      const Database = req('better-sqlite3');
      out.sqlite = new Database(':memory:').prepare('select sqlite_version() v').get().v;
    } catch {}
    try { out.mysql2 = req('mysql2/package.json').version; } catch {}
    console.log(JSON.stringify(out));`;
  try {
    return JSON.parse(probe(process.execPath, ['-e', script]) ?? '{}');
  } catch {
    return {};
  }
}

/**
 * The environment of a measured tool (see UNSET and cleanEnv in lib.mjs): nothing from the outside decides
 * which database a tool uses, each command names its own.
 */
const toolEnv = (keepEnv, extra = {}) =>
  cleanEnv(keepEnv, {
    drop: ['DATABASE_URL', 'PGDATABASE', 'AMBIX_CACHE', 'AMBIX_CACHE_DIR', 'MYSQL_HOST', 'MYSQL_PWD'],
    extra,
  });

// ---------------------------------------------------------------------------------------------------------
// Databases: how a run's fresh database is made, named, queried and removed

function sqliteTarget(dirs) {
  return {
    create(name) {
      const file = join(dirs.databases, `${name}.db`);
      this.remove(file);
      return file;
    },
    remove(file) {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
    query: (file, sql) => sqlite(file, sql),
    ambixUrl: (file) => `sqlite:${file}`,
    alembicUrl: (file) => `sqlite:///${file}`,
    tableCount: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 't[0-9]*'",
    columns: (table) =>
      `SELECT name, lower(type), "notnull", coalesce(dflt_value, 'NULL'), pk FROM pragma_table_info('${table}') ORDER BY cid`,
  };
}

function mariadbTarget(options) {
  return {
    create(name) {
      mariadb(options, null, `CREATE DATABASE ${name}`);
      return name;
    },
    remove(name) {
      mariadb(options, null, `DROP DATABASE IF EXISTS ${name}`);
    },
    query: (name, sql) => mariadb(options, name, sql),
    ambixUrl: (name) => databaseUrl(options, name, 'mysql:'),
    alembicUrl: (name) => databaseUrl(options, name, 'mysql+pymysql:'),
    tableCount:
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name REGEXP '^t[0-9]+$'",
    columns: (table) =>
      "SELECT column_name, lower(column_type), is_nullable, coalesce(lower(column_default), 'NULL'), column_key, if(extra = '', '-', extra) " +
      `FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '${table}' ORDER BY ordinal_position`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Checks (after each run, on the run's database)

/** The columns of a table, one line per column, normalised (SQLite keeps a default's parentheses as written). */
function columnsOf(target, database, table) {
  return target
    .query(database, target.columns(table))
    .split('\n')
    .map((line) =>
      line
        .replace(/\t/g, '|')
        .replace(/\|\((.*)\)\|/, '|$1|')
        .toLowerCase(),
    )
    .join('; ');
}

function checkTables(target, database, count, reference) {
  const n = Number(target.query(database, target.tableCount));
  if (n !== count) return `expected ${count} tables t0001…, found ${n}`;
  // The columns of the first and the last table, against the floor's (set by the floor's warm-up).
  const last = `t${String(count).padStart(4, '0')}`;
  for (const table of ['t0001', last]) {
    const columns = columnsOf(target, database, table);
    if (reference.columns === undefined) reference.columns = columns;
    else if (columns !== reference.columns)
      return `${table} has other columns than the floor's: ${columns} (floor: ${reference.columns})`;
  }
  return null;
}

function checkVersionRows(target, database, sql, expected, what) {
  return checkRows(() => target.query(database, sql), expected, what);
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

/** One run of one tool on a fresh database: create (untimed), run (timed), check (untimed), remove. */
function runOnce(tool) {
  const database = tool.target.create(freshDatabaseName());
  try {
    const command = tool.command(database);
    const stdin = command.stdinFile ? openSync(join(tool.cwd, command.stdinFile), 'r') : 'ignore';
    let r;
    try {
      r = timedRun({ ...command, cwd: tool.cwd }, { stdin, timeout: RUN_TIMEOUT_MS });
    } finally {
      if (typeof stdin === 'number') closeSync(stdin);
    }
    let problem = r.problem;
    if (problem === null && r.status !== 0) problem = `exit status ${r.status}: ${excerpt(r.stderr)}`;
    if (problem === null) {
      try {
        problem = tool.check(database);
      } catch (error) {
        problem = `check: ${error.message.split('\n')[0]}`;
      }
    }
    return { ms: r.ms, problem };
  } finally {
    tool.target.remove(database);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

/** What the Machine paragraph says besides machineInfo() in lib.mjs: the file system, clients, drivers. */
function dialectsInfo(options, py, drivers) {
  let server = 'unknown';
  if (MARIADB && options.dialects.includes('mariadb')) {
    try {
      server = mariadb(options, null, 'SELECT VERSION()');
    } catch {}
  }
  const fs = probe('findmnt', ['-n', '-o', 'FSTYPE', '-T', WORK]);
  return {
    filesystem: fs ? `${fs}` : 'unknown',
    mariadbServer: `${server} at ${options.adminUrl.host}`,
    mariadbClient: MARIADB
      ? (probe(MARIADB, ['--version']) ?? 'unknown').replace(/\s+/g, ' ').replace(/, for .*$/, '')
      : 'n/a',
    sqlite3: SQLITE3 ? `sqlite3 ${(probe(SQLITE3, ['--version']) ?? 'unknown').split(' ')[0]}` : 'n/a',
    betterSqlite3: drivers.betterSqlite3
      ? `better-sqlite3 ${drivers.betterSqlite3} (SQLite ${drivers.sqlite ?? '?'})`
      : 'better-sqlite3 n/a',
    mysql2: `mysql2 ${drivers.mysql2 ?? 'n/a'}`,
    python: py ? `${py.version} (${py.python})` : 'n/a',
    alembic: py
      ? `${py.alembic} (SQLAlchemy ${py.sqlalchemy}; Python's sqlite3 module with SQLite ${py.sqlite}; PyMySQL ${py.pymysql})`
      : 'n/a',
  };
}

const fmt = (ms) => formatMs(ms, { hundredths: false });

function renderSection({ options, tools, machine, notes }) {
  const n = thousands(options.migrations);
  const titles = options.dialects.map((d) => DIALECT[d].title).join(' and ');
  const out = [];
  out.push(
    `**What is measured.** The SQLite and MariaDB counterpart of the PostgreSQL benchmark above: ${n} migrations, ` +
      'each creating one table (`CREATE TABLE t0001 (id bigint NOT NULL PRIMARY KEY, name varchar(100) NOT NULL, ' +
      'created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)`, see the notes) with the previous one as its ' +
      'parent, applied to a fresh database: on SQLite a new file (under ' +
      '`bench/.work/`, on the same disk as the repository), created by the tool itself and deleted after the ' +
      'checks; on MariaDB a database created just before the run (not timed) on the local server and dropped ' +
      'after it (not timed). Wall-clock time of the whole process, from spawn to exit (`child_process.spawnSync` ' +
      'between two `process.hrtime.bigint()` readings), start-up included; output to /dev/null. Each tool runs once ' +
      `on each database as a warm-up, then ${options.runs} timed runs, all tools of both databases interleaved ` +
      `round-robin. After every run (not timed) the checks: the ${n} tables exist, the first and the last have ` +
      "exactly the floor's columns (name, type, nullability, default, key), and the tool's version table holds " +
      `what it should (\`ambix_version\`: the head; \`ambix_history\`: ${n} finished \`up\` rows; \`alembic_version\`: the ` +
      'head).',
  );
  out.push('');
  out.push(
    "**The tools.** _Floor_: the database's own client running the same statements, with no bookkeeping: " +
      '`sqlite3 -bail FILE < all.sql` with the statements between `BEGIN;` and `COMMIT;` (one transaction, one ' +
      'commit); `mariadb … DB < all.sql`, one client session (MariaDB commits every DDL statement implicitly, so ' +
      'there is no transaction to wrap them in). _ambix_: `node bin/ambix.js upgrade head --url …` with its defaults ' +
      '(SQLite: one `BEGIN IMMEDIATE` transaction for the run, a savepoint per migration; MariaDB: a `GET_LOCK` ' +
      'lock session, each migration’s history row committed, unfinished, before it runs, and marked finished, ' +
      'with the version table moved, in the same commit as the next migration’s row), in a folder holding `migrations/`, a `package.json` and `node_modules/` (its header cache, written ' +
      'by the warm-up run, as Alembic starts from the `__pycache__` its warm-up wrote); once with SQL migrations ' +
      '(`-- ambix:upgrade` + the statement), once with TypeScript migrations calling `op.createTable(…)`. ' +
      "_Alembic_: `python3 -m alembic upgrade head` (SQLite through Python's `sqlite3` module, MariaDB through " +
      'PyMySQL, `mysql+pymysql://`), an env.py that reads a plain URL from the environment and wraps ' +
      '`run_migrations()` in `begin_transaction()` as the tutorial does, which on both databases means its ' +
      'default of one transaction per migration (`transactional_ddl` is off for SQLite and MySQL), migrations ' +
      'calling `op.create_table(…)`.',
  );
  out.push('');
  out.push(
    `**Machine.** ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory} RAM, ${machine.os}, ${machine.filesystem} ` +
      `file system; load average ${machine.loadStart} at the start and ${machine.loadEnd} at the end. ` +
      `MariaDB ${machine.mariadbServer}; ${machine.mariadbClient}. ${machine.sqlite3}. Node ${machine.node}; ` +
      `${machine.betterSqlite3}; ${machine.mysql2}. Python ${machine.python}; Alembic ${machine.alembic}. ` +
      `ambix commit: ${machine.commit}.`,
  );
  out.push('');

  for (const dialect of options.dialects) {
    const mine = tools.filter((t) => t.dialect === dialect);
    const floor = mine.find((t) => t.kind === 'floor');
    const ratio = (t) =>
      t.median !== undefined && floor?.median !== undefined
        ? `${(t.median / floor.median).toFixed(2)}×`
        : '–';
    const rows = mine.map((t) => [
      `${t.display}${rowStatus(t)}`,
      fmt(t.median),
      fmt(t.min),
      fmt(t.max),
      ratio(t),
      String(t.times?.length ?? 0),
    ]);
    out.push(`**${DIALECT[dialect].title}**`);
    out.push('');
    out.push(
      markdownTable(
        ['Command', 'Median (ms)', 'Min (ms)', 'Max (ms)', 'vs floor', 'Runs'],
        ['left', 'right', 'right', 'right', 'right', 'right'],
        rows,
      ),
    );
    out.push('');
  }

  const comparisons = [];
  for (const dialect of options.dialects) {
    const mine = tools.filter((t) => t.dialect === dialect);
    const floor = mine.find((t) => t.kind === 'floor');
    const alembic = mine.find((t) => t.kind === 'alembic');
    const title = DIALECT[dialect].title;
    for (const t of mine.filter((x) => x.kind.startsWith('ambix'))) {
      if (t.median === undefined) {
        comparisons.push(`- ${title}, ${t.short}: not measured (see notes).`);
        continue;
      }
      const parts = [];
      if (floor?.median !== undefined) {
        parts.push(
          `${(t.median / floor.median).toFixed(2)}× the floor on medians (${fmt(t.median)} ms against ` +
            `${fmt(floor.median)} ms, ${fmt(t.median - floor.median)} ms more; ` +
            `${(t.min / floor.min).toFixed(2)}× on minimums)`,
        );
      }
      if (alembic?.median !== undefined) {
        const speedup = alembic.median / t.median;
        parts.push(
          speedup >= 1
            ? `${speedup.toFixed(2)}× faster than Alembic on medians (${fmt(alembic.median)} ms; ` +
                `${(alembic.min / t.min).toFixed(2)}× on minimums)`
            : `${(1 / speedup).toFixed(2)}× slower than Alembic on medians (${fmt(alembic.median)} ms; ` +
                `${(t.min / alembic.min).toFixed(2)}× on minimums)`,
        );
      }
      comparisons.push(`- ${title}, ${t.short}: ${parts.join('; ') || 'nothing to compare with'}.`);
    }
    if (alembic?.median !== undefined && floor?.median !== undefined) {
      comparisons.push(
        `- ${title}, Alembic: ${(alembic.median / floor.median).toFixed(2)}× the floor on medians ` +
          `(${(alembic.min / floor.min).toFixed(2)}× on minimums).`,
      );
    }
  }
  out.push(
    '**Comparisons** (the issue sets no targets for these databases; medians, then the ratio of minimums, less ' +
      'exposed to a busy machine).',
  );
  out.push('');
  out.push(...comparisons);
  out.push('');
  return markedSection(SECTION, {
    title: `## Applying migrations on ${titles}: ${n} one-table migrations on a fresh database`,
    command: commandLine(options),
    date: machine.date,
    body: out,
    notes,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Main

function main() {
  const options = parseOptions();
  const notes = [];
  const unavailable = {};

  if (options.dialects.includes('sqlite')) {
    const { found, note } = findSqlite3();
    SQLITE3 = found;
    if (!found) unavailable.sqlite = note;
  }
  if (options.dialects.includes('mariadb')) {
    MARIADB = findClient(['mariadb', 'mysql']);
    if (!MARIADB) unavailable.mariadb = 'no mariadb or mysql client';
    else {
      try {
        mariadb(options, null, 'SELECT 1');
      } catch (error) {
        unavailable.mariadb = `cannot reach the server at ${maskUrl(options.mysqlUrl)}: ${error.message.split('\n')[0]}`;
      }
    }
  }
  for (const [dialect, why] of Object.entries(unavailable))
    log(`${DIALECT[dialect].title} not measured: ${why}`);

  const revs = revisions(options.migrations);
  const head = revs.at(-1).id;
  const count = options.migrations;
  const node = process.execPath;
  const ambixNotReady = ambixReadiness(options.ambixBin, 'upgrade');
  const { found: py, note: pyNote } = findPython(options.python);
  const drivers = ambixDrivers();

  const tools = [];
  for (const dialect of options.dialects) {
    const title = DIALECT[dialect].title;
    log(
      `generating ${options.migrations} migrations four ways under ${relative(REPO, join(WORK, dialect))}/ …`,
    );
    const dirs = writeProjects(dialect, revs);
    const target = dialect === 'sqlite' ? sqliteTarget(dirs) : mariadbTarget(options);
    const down = unavailable[dialect] ? `${title} not available: ${unavailable[dialect]}` : null;
    const reference = {};
    const tableCheck = (extra) => (database) =>
      checkTables(target, database, count, reference) ?? extra(database);

    const floorCommand =
      dialect === 'sqlite'
        ? (file) => ({
            file: SQLITE3,
            args: ['-bail', file],
            stdinFile: 'all.sql',
            env: toolEnv(options.keepEnv),
          })
        : (database) => {
            const { args, env } = mariadbArgs(options, database);
            return {
              file: MARIADB,
              args: ['--batch', ...args],
              stdinFile: 'all.sql',
              env: toolEnv(options.keepEnv, { MYSQL_PWD: env.MYSQL_PWD }),
            };
          };
    tools.push({
      dialect,
      kind: 'floor',
      target,
      short: `the ${dialect === 'sqlite' ? 'sqlite3' : 'mariadb'} floor`,
      display:
        dialect === 'sqlite'
          ? 'floor: `sqlite3 -bail FILE < all.sql` (`BEGIN` … `COMMIT`)'
          : `floor: \`${MARIADB ?? 'mariadb'} DB < all.sql\``,
      label: `${title} floor`,
      reference,
      cwd: dirs.floor,
      skipped: down,
      command: floorCommand,
      check: tableCheck(() => null),
    });

    for (const [kind, dir, language] of [
      ['ambix-sql', dirs.ambixSql, 'SQL'],
      ['ambix-ts', dirs.ambixTs, 'TypeScript'],
    ]) {
      tools.push({
        dialect,
        kind,
        target,
        short: `ambix (${language} migrations)`,
        display: `ambix \`upgrade head\`, ${language} migrations`,
        label: `${title} ambix ${language}`,
        cwd: dir,
        skipped: down ?? (ambixNotReady ? `${ambixNotReady}; ambix not measured` : null),
        command: (database) => ({
          file: node,
          args: [options.ambixBin, 'upgrade', 'head', '--url', target.ambixUrl(database)],
          env: toolEnv(options.keepEnv),
        }),
        check: tableCheck(
          (database) =>
            checkVersionRows(
              target,
              database,
              'SELECT version_num FROM ambix_version',
              head,
              'ambix_version',
            ) ??
            checkVersionRows(
              target,
              database,
              "SELECT count(*) FROM ambix_history WHERE direction = 'up' AND finished_at IS NOT NULL AND error IS NULL",
              String(count),
              'ambix_history',
            ),
        ),
      });
    }

    tools.push({
      dialect,
      kind: 'alembic',
      target,
      short: 'Alembic',
      display: 'Alembic `upgrade head` (`op.create_table`)',
      label: `${title} alembic`,
      cwd: dirs.alembic,
      skipped: down ?? (py ? null : `${pyNote}; Alembic not measured`),
      command: (database) => ({
        file: py.python,
        args: ['-m', 'alembic', 'upgrade', 'head'],
        env: toolEnv(options.keepEnv, { BENCH_DATABASE_URL: target.alembicUrl(database) }),
      }),
      check: tableCheck((database) =>
        checkVersionRows(
          target,
          database,
          'SELECT version_num FROM alembic_version',
          head,
          'alembic_version',
        ),
      ),
    });
  }

  const machine = { ...machineInfo(), ...dialectsInfo(options, py, drivers) };
  measureTools(tools, options.runs, runOnce, fmt);
  machine.loadEnd = loadavg();
  const busiest = busiestLoad(machine);
  if (busiest !== null) {
    notes.push(
      `⚠️ The machine was busy: a one-minute load average of up to ${busiest.toFixed(2)} on ${machine.nproc} CPUs, ` +
        'so other processes (the MariaDB server serves them too) competed with every tool, the floors included. ' +
        'The interleaving spreads that noise over all tools alike, but absolute times are inflated and ratios ' +
        'are less certain than on a quiet machine; rerun there before drawing fine conclusions.',
    );
  }

  for (const dialect of options.dialects) {
    const floor = tools.find((t) => t.dialect === dialect && t.kind === 'floor');
    if (floor.reference?.columns !== undefined) {
      notes.push(
        `${DIALECT[dialect].title}: every tool created the same columns as the floor (checked on the first and the ` +
          `last table of every run): \`${floor.reference.columns}\`.`,
      );
    }
  }
  notes.push(
    'The column types: every tool writes `timestamp` (Alembic `sa.TIMESTAMP()`), which ambix’s `op.createTable` ' +
      'keeps as it is on both databases (an operation may name MySQL’s own TIMESTAMP; a schema module’s ' +
      '`timestamp()` would become `datetime` there). `id bigint NOT NULL PRIMARY KEY` says NOT NULL because on SQLite a primary key that is not an ' +
      '`INTEGER PRIMARY KEY` accepts NULLs unless told, and both ambix and Alembic (`BIGINT NOT NULL`) write it; ' +
      'Alembic’s id column has `autoincrement=False`, since SQLAlchemy would otherwise make a lone integer primary ' +
      'key `AUTO_INCREMENT` on MariaDB.',
  );
  notes.push(
    'SQLite durability is the same for all: the default rollback journal and `synchronous = FULL` (none of the ' +
      'clients changes them), so every commit waits for the disk. The floor and ambix commit once per run; ' +
      'Alembic commits every migration (its default on SQLite), and Python’s `sqlite3` module does not open a ' +
      'transaction before DDL, so each `CREATE TABLE` is committed on its own as well.',
  );

  if (options.dialects.includes('mariadb')) {
    notes.push(
      'MariaDB bookkeeping, per migration (the statements as sent by this commit, seen with a query-timing hook ' +
        'while writing this script; the timed runs are not instrumented): ambix, which commits each step’s history ' +
        'row before the step runs so that a half-applied step can be settled with `ambix resolve` ' +
        '(docs/commands.md), sends the `CREATE TABLE` (committed at once, ending the transaction the step began ' +
        'in), then one multi-statement query with `SET autocommit = 0` (so that the rest waits for the COMMIT), ' +
        '`UPDATE ambix_version`, `UPDATE ambix_history` (the step finished; the row’s id is the insert id mysql2 ' +
        'reported for it) and `INSERT INTO ambix_history` (the next step’s row, unfinished), then another with ' +
        '`COMMIT`, autocommit back on and `START TRANSACTION` (the next step’s): 3 round trips and 2 commits, the ' +
        'DDL’s own included. Alembic sends the `CREATE TABLE`, ' +
        '`UPDATE alembic_version`, `COMMIT`: 3 round trips, 2 commits. The floor: 1 and 1. On this server every ' +
        'commit waits for the redo log to reach the disk (`innodb_flush_log_at_trx_commit = 1`).',
    );
  }
  for (const tool of tools.filter((t) => t.skipped))
    notes.push(`Not measured: ${tool.label}: ${tool.skipped}.`);
  const removed = removedEnvNote(options.keepEnv);
  if (removed) notes.push(removed);
  const warm = tools.filter((t) => t.warmupMs !== undefined && !t.skipped);
  if (warm.length > 0) {
    notes.push(
      `Warm-up runs (each tool's first run after the projects were written, before ambix's header cache and ` +
        `Alembic's \`__pycache__\` existed; not in the figures): ${warm
          .map((t) => `${t.label} ${fmt(t.warmupMs)} ms`)
          .join(', ')}.`,
    );
  }

  finish(SECTION, renderSection({ options, tools, machine, notes }), {
    items: tools,
    noun: 'tool',
    write: options.write,
    fail,
  });
}

if (isMain(import.meta.url)) main();
