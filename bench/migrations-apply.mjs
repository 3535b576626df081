#!/usr/bin/env node
/**
 * Migrations-apply benchmark: 1,000 small migrations (one table each) applied to a fresh PostgreSQL database by
 * `ambix upgrade head`, against `psql -1 -f` of the same SQL (the floor), Alembic and node-pg-migrate, each timed
 * as a whole process.
 *
 *   node bench/migrations-apply.mjs [--migrations 1000] [--runs 5] [--url postgres://postgres@127.0.0.1:5432/postgres]
 *                                   [--write] [--python /usr/bin/python3] [--ambix-bin bin/ambix.js] [--keep-env]
 *
 *   --url        an administrative connection to the server (it must be allowed to CREATE DATABASE); every run
 *                gets a database of its own on that server, created before and dropped after the timed process
 *   --write      replace this benchmark's section of bench/RESULTS.md
 *   --python     a Python that can import alembic and psycopg2 (default: /usr/bin/python3, Debian's
 *                python3-alembic and python3-psycopg2; installed with apt-get once if missing)
 *   --ambix-bin  the CLI to measure (default: bin/ambix.js, which needs `npm run build`)
 *   --keep-env   keep NODE_EXTRA_CA_CERTS / PYTHONDONTWRITEBYTECODE (see UNSET)
 *
 * What it does:
 *   1. Generates under bench/.work/migrations-apply/ (git-ignored) the same N migrations five ways. Migration i
 *      creates table t<i> (`id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT
 *      now()`) and has revision i-1 as its parent:
 *        floor/all.sql              the N CREATE TABLE statements, for `psql -1 -f`
 *        ambix-sql/migrations/      ambix SQL migrations (`-- ambix:` headers) with that statement
 *        ambix-ts/migrations/       ambix TypeScript migrations calling `op.createTable(…)`
 *        alembic/                   alembic.ini, env.py (a plain URL from the environment, one transaction),
 *                                   versions/*.py calling `op.create_table(…)`
 *        node-pg-migrate/           migrations/*.js calling `pgm.createTable(…)`; node-pg-migrate itself is
 *                                   installed here with npm (never into the repository's package.json)
 *   2. For each tool: a warm-up run on a fresh database, checked; then `--runs` timed rounds, the tools
 *      interleaved round-robin (each round starts with the next tool). Every run: CREATE DATABASE (not timed), the
 *      tool as a whole process from spawn to exit (timed), checks (not timed: N tables t1…tN exist; the tool's
 *      version table says what it should), DROP DATABASE.
 *   3. Prints a Markdown section with medians; with --write, replaces it in bench/RESULTS.md (between
 *      `<!-- bench:migrations-apply:start -->` and `<!-- bench:migrations-apply:end -->`).
 *
 * A tool that cannot run here (ambix not built or without its database commands yet, no Alembic, no npm registry
 * for node-pg-migrate) is reported as "not measured" with the reason, and the others are still measured. The exit
 * status is 1 if a tool that ran failed a check (then --write refuses to update RESULTS.md).
 *
 * Plain Node ESM, no dependencies (psql does the administration). A script, never a test.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(REPO, 'bench', '.work', 'migrations-apply');
const RESULTS = join(REPO, 'bench', 'RESULTS.md');
const SECTION = 'migrations-apply';
const DEFAULTS = {
  migrations: '1000',
  runs: '5',
  url: 'postgres://postgres@127.0.0.1:5432/postgres',
  python: '/usr/bin/python3',
  ambixBin: join(REPO, 'bin', 'ambix.js'),
};
const NODE_PG_MIGRATE_VERSION = '9.0.0';

/** Targets from the issue. */
const TARGET_FLOOR_RATIO = 1.3;

const RUN_TIMEOUT_MS = 15 * 60_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Options

function parseOptions() {
  const { values } = parseArgs({
    options: {
      migrations: { type: 'string', default: DEFAULTS.migrations },
      runs: { type: 'string', default: DEFAULTS.runs },
      url: { type: 'string', default: DEFAULTS.url },
      write: { type: 'boolean', default: false },
      'keep-env': { type: 'boolean', default: false },
      python: { type: 'string', default: DEFAULTS.python },
      'ambix-bin': { type: 'string', default: DEFAULTS.ambixBin },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const usage = source.slice(source.indexOf('/**') + 3, source.indexOf('*/'));
    console.log(usage.replace(/^ \* ?/gm, '').trim());
    process.exit(0);
  }
  const positiveInt = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min} (got ${values[name]})`);
    return n;
  };
  let adminUrl;
  try {
    adminUrl = new URL(values.url);
  } catch {
    fail(`--url must be a postgres:// URL (got ${values.url})`);
  }
  return {
    migrations: positiveInt('migrations', 1),
    runs: positiveInt('runs', 1),
    url: values.url,
    adminUrl,
    write: values.write,
    keepEnv: values['keep-env'],
    python: values.python,
    ambixBin: resolve(values['ambix-bin']),
  };
}

function commandLine(options) {
  const args = [
    'node bench/migrations-apply.mjs',
    `--migrations ${options.migrations}`,
    `--runs ${options.runs}`,
  ];
  if (options.url !== DEFAULTS.url) args.push(`--url ${maskUrl(options.url)}`);
  if (options.python !== DEFAULTS.python) args.push(`--python ${options.python}`);
  if (options.ambixBin !== DEFAULTS.ambixBin) args.push(`--ambix-bin ${relative(REPO, options.ambixBin)}`);
  if (options.keepEnv) args.push('--keep-env');
  return args.join(' ');
}

function fail(message) {
  console.error(`migrations-apply: ${message}`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`${message}\n`);
}

function maskUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** The admin URL with another database name. */
function databaseUrl(options, name, scheme = 'postgres:') {
  const u = new URL(options.adminUrl.toString());
  u.pathname = `/${name}`;
  return scheme === u.protocol ? u.toString() : u.toString().replace(/^[a-z]+:/, scheme);
}

// ---------------------------------------------------------------------------------------------------------
// The migrations

/** Revision i (1-based): a 12-hex id derived from i, its parent, its table. */
function revisions(count) {
  const list = [];
  for (let i = 1; i <= count; i++) {
    const id = createHash('sha256').update(`migrations-apply:${i}`).digest('hex').slice(0, 12);
    list.push({ index: i, id, parent: list[i - 2]?.id ?? null, table: `t${String(i).padStart(4, '0')}` });
  }
  return list;
}

const createTableSql = (table) =>
  `CREATE TABLE ${table} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`;

const CREATE_DATE = '2026-11-21 10:00:00.000000';
const stem = (rev) => `${String(rev.index).padStart(4, '0')}_${rev.id}_create_${rev.table}`;

function ambixSqlMigration(rev) {
  return [
    `-- ambix:revision ${rev.id}`,
    `-- ambix:down-revision ${rev.parent ?? 'none'}`,
    `-- ambix:message create ${rev.table}`,
    `-- ambix:create-date ${CREATE_DATE}`,
    '',
    '-- ambix:upgrade',
    createTableSql(rev.table),
    '',
    '-- ambix:downgrade',
    `DROP TABLE ${rev.table};`,
    '',
  ].join('\n');
}

function ambixTsMigration(rev) {
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
    { name: 'name', type: 'text', nullable: false },
    { name: 'created_at', type: 'timestamptz', nullable: false, default: sql\`now()\` },
  ]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('${rev.table}');
}
`;
}

function alembicMigration(rev) {
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
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('${rev.table}')
`;
}

function nodePgMigrateMigration(rev) {
  return `/* create ${rev.table} */
exports.up = (pgm) => {
  pgm.createTable('${rev.table}', {
    id: { type: 'bigint', primaryKey: true },
    name: { type: 'text', notNull: true },
    created_at: { type: 'timestamptz', notNull: true, default: pgm.func('now()') },
  });
};

exports.down = (pgm) => {
  pgm.dropTable('${rev.table}');
};
`;
}

const ALEMBIC_INI = `# Generated by bench/migrations-apply.mjs.
[alembic]
script_location = migrations
prepend_sys_path = .
`;

// An env.py as the Alembic tutorial writes it for a plain URL, the URL read from the environment, and the whole
// upgrade in one transaction (Alembic's default), as ambix and node-pg-migrate do.
const ALEMBIC_ENV_PY = `"""Generated by bench/migrations-apply.mjs: the URL comes from BENCH_DATABASE_URL."""
import os

from alembic import context
from sqlalchemy import create_engine, pool

url = os.environ["BENCH_DATABASE_URL"]


def run_migrations_offline():
    context.configure(url=url, target_metadata=None, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`;

const ALEMBIC_SCRIPT_MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa


revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

function writeProjects(revs) {
  // node-pg-migrate's install is kept across runs; everything else is generated afresh.
  for (const dir of ['floor', 'ambix-sql', 'ambix-ts', 'alembic', join('node-pg-migrate', 'migrations')]) {
    rmSync(join(WORK, dir), { recursive: true, force: true });
  }
  const dirs = {
    floor: join(WORK, 'floor'),
    ambixSql: join(WORK, 'ambix-sql'),
    ambixTs: join(WORK, 'ambix-ts'),
    alembic: join(WORK, 'alembic'),
    nodePgMigrate: join(WORK, 'node-pg-migrate'),
  };
  mkdirSync(dirs.floor, { recursive: true });
  writeFileSync(join(dirs.floor, 'all.sql'), `${revs.map((r) => createTableSql(r.table)).join('\n')}\n`);

  for (const [dir, write, extension] of [
    [dirs.ambixSql, ambixSqlMigration, 'sql'],
    [dirs.ambixTs, ambixTsMigration, 'ts'],
  ]) {
    mkdirSync(join(dir, 'migrations'), { recursive: true });
    // A project of its own (no config file: --url names the database), so that ambix's caches live in its
    // node_modules/.cache, never in the repository's.
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`,
    );
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    for (const rev of revs) writeFileSync(join(dir, 'migrations', `${stem(rev)}.${extension}`), write(rev));
  }

  mkdirSync(join(dirs.alembic, 'migrations', 'versions'), { recursive: true });
  writeFileSync(join(dirs.alembic, 'alembic.ini'), ALEMBIC_INI);
  writeFileSync(join(dirs.alembic, 'migrations', 'env.py'), ALEMBIC_ENV_PY);
  writeFileSync(join(dirs.alembic, 'migrations', 'script.py.mako'), ALEMBIC_SCRIPT_MAKO);
  for (const rev of revs) {
    writeFileSync(join(dirs.alembic, 'migrations', 'versions', `${stem(rev)}.py`), alembicMigration(rev));
  }

  mkdirSync(join(dirs.nodePgMigrate, 'migrations'), { recursive: true });
  for (const rev of revs) {
    // node-pg-migrate orders files by their numeric prefix, a timestamp by default.
    const prefix = String(1_700_000_000_000 + rev.index);
    writeFileSync(
      join(dirs.nodePgMigrate, 'migrations', `${prefix}_create_${rev.table}.js`),
      nodePgMigrateMigration(rev),
    );
  }
  return dirs;
}

// ---------------------------------------------------------------------------------------------------------
// Tools

function probe(file, args, options = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', ...options });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Runs SQL through psql on a database of the server; returns its unaligned output or throws. */
function psql(options, database, sql) {
  const r = spawnSync(
    'psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl(options, database), '-c', sql],
    { encoding: 'utf8' },
  );
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql ${JSON.stringify(sql)}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/**
 * Installs node-pg-migrate (and pg) with npm into bench/.work/migrations-apply/node-pg-migrate, once. Returns the
 * path of its CLI and its version, or a reason it could not.
 */
function installNodePgMigrate(dir) {
  const bin = join(dir, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
  const packageJson = join(dir, 'node_modules', 'node-pg-migrate', 'package.json');
  const installed = () =>
    existsSync(packageJson) ? JSON.parse(readFileSync(packageJson, 'utf8')).version : undefined;
  if (installed() !== NODE_PG_MIGRATE_VERSION) {
    log(`installing node-pg-migrate@${NODE_PG_MIGRATE_VERSION} into ${relative(REPO, dir)}/ …`);
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'bench-node-pg-migrate', private: true }, null, 2)}\n`,
    );
    const r = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', `node-pg-migrate@${NODE_PG_MIGRATE_VERSION}`, 'pg@8'],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (r.status !== 0 || !existsSync(bin)) {
      return {
        reason: `npm install node-pg-migrate failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`,
      };
    }
  }
  return { bin, version: installed() };
}

/** A Python that imports alembic and psycopg2; tries apt-get once if the default one cannot. */
function findPython(python) {
  const check = () => {
    const out = probe(python, [
      '-c',
      'import sys, alembic, sqlalchemy, psycopg2; print(sys.version.split()[0], alembic.__version__, sqlalchemy.__version__, psycopg2.__version__.split()[0])',
    ]);
    if (!out) return null;
    const [version, alembic, sqlalchemy, psycopg2] = out.split(' ');
    return { python, version, alembic, sqlalchemy, psycopg2 };
  };
  const found = check();
  if (found || python !== DEFAULTS.python)
    return { found, note: found ? null : `${python} cannot import alembic and psycopg2` };
  log(
    'alembic or psycopg2 is not importable; trying `apt-get install -y python3-alembic python3-psycopg2` once…',
  );
  const apt = spawnSync(
    'apt-get',
    ['install', '-y', '-o', 'DPkg::Lock::Timeout=300', 'python3-alembic', 'python3-psycopg2'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const again = check();
  if (again) return { found: again, note: null };
  const why = apt.error ? apt.error.message : `apt-get exit status ${apt.status}`;
  return { found: null, note: `${python} cannot import alembic and psycopg2 (${why})` };
}

/** Whether this ambix CLI has the database commands (`upgrade`); a reason when not. */
function ambixReadiness(bin) {
  if (!existsSync(bin)) return `the ambix CLI ${relative(REPO, bin)} does not exist`;
  const r = spawnSync(process.execPath, [bin, 'upgrade', '--help'], { encoding: 'utf8' });
  const text = `${r.stdout}\n${r.stderr}`;
  if (/ERR_MODULE_NOT_FOUND/.test(text)) return 'ambix is not built (run `npm run build`)';
  if (r.status !== 0) {
    const said =
      text
        .trim()
        .split('\n')
        .find((l) => l.trim() !== '') ?? `exit status ${r.status}`;
    return `\`ambix upgrade\` is not available in this build (it said: ${said.trim()})`;
  }
  return null;
}

/**
 * Environment variables removed before running a tool, unless --keep-env: settings of this machine, not of a
 * developer's. NODE_EXTRA_CA_CERTS makes Node 20 parse a certificate file at every start (~60 ms here);
 * PYTHONDONTWRITEBYTECODE would make every Alembic run compile the 1,000 migrations again.
 */
const UNSET = ['NODE_EXTRA_CA_CERTS', 'PYTHONDONTWRITEBYTECODE', 'PYTHONUNBUFFERED'];

function cleanEnv(keepEnv, extra = {}) {
  const env = { ...process.env };
  if (!keepEnv) for (const name of UNSET) delete env[name];
  // Nothing from the outside decides which database a tool uses: each command names its own.
  for (const name of ['DATABASE_URL', 'PGDATABASE', 'AMBIX_CACHE', 'AMBIX_CACHE_DIR']) delete env[name];
  return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------------------
// Checks (after each run, on the run's database)

function checkTables(options, database, count) {
  const n = Number(
    psql(
      options,
      database,
      "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'",
    ),
  );
  return n === count ? null : `expected ${count} tables t0001…, found ${n}`;
}

function checkVersionRows(options, database, sql, expected, what) {
  let rows;
  try {
    rows = psql(options, database, sql);
  } catch (error) {
    return `${what}: ${error.message.split('\n')[0]}`;
  }
  return rows === expected
    ? null
    : `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(rows)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

let databaseCounter = 0;

/** One run of one tool on a fresh database: create (untimed), run (timed), check (untimed), drop. */
function runOnce(options, tool) {
  databaseCounter += 1;
  const database = `ambix_bench_${process.pid}_${databaseCounter}`;
  psql(options, 'postgres', `CREATE DATABASE ${database}`);
  try {
    const command = tool.command(database);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(command.file, command.args, {
      cwd: tool.cwd,
      env: command.env,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT,
      timeout: RUN_TIMEOUT_MS,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    let problem = null;
    if (r.error) problem = `could not run: ${r.error.message}`;
    else if (r.signal) problem = `killed by ${r.signal}`;
    else if (r.status !== 0) problem = `exit status ${r.status}: ${excerpt(r.stderr)}`;
    if (problem === null) problem = tool.check(database);
    return { ms, problem };
  } finally {
    psql(options, 'postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

function excerpt(text, lines = 8) {
  const all = (text ?? '').trimEnd().split('\n');
  return all.slice(-lines).join('\n    ');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(options, tools) {
  const live = [];
  for (const tool of tools) {
    if (tool.skipped) {
      log(`not measured: ${tool.label}: ${tool.skipped}`);
      continue;
    }
    log(`warm-up + check: ${tool.label}`);
    const r = runOnce(options, tool);
    tool.warmupMs = r.ms;
    if (r.problem) {
      tool.failure = `warm-up: ${r.problem}`;
      log(`  FAILED: ${tool.failure}`);
      continue;
    }
    log(`  ok, ${fmt(r.ms)} ms`);
    tool.times = [];
    live.push(tool);
  }
  for (let round = 0; round < options.runs; round++) {
    const active = live.filter((t) => !t.failure);
    log(`round ${round + 1}/${options.runs}`);
    for (let i = 0; i < active.length; i++) {
      const tool = active[(i + round) % active.length];
      const r = runOnce(options, tool);
      if (r.problem) {
        tool.failure = `timed run ${round + 1}: ${r.problem}`;
        log(`  FAILED ${tool.label}: ${tool.failure}`);
        continue;
      }
      log(`  ${tool.label}: ${fmt(r.ms)} ms`);
      tool.times.push(r.ms);
    }
  }
  for (const tool of tools) {
    if (tool.times?.length && !tool.failure) {
      tool.median = median(tool.times);
      tool.min = Math.min(...tool.times);
      tool.max = Math.max(...tool.times);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

function machineInfo(options, py, npm) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? os.totalmem() / 1024);
  const commit = probe('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
  const dirty = commit ? probe('git', ['-C', REPO, 'status', '--porcelain']) : null;
  let server = 'unknown';
  try {
    server = psql(options, 'postgres', 'SHOW server_version');
  } catch {}
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: probe('nproc', []) ?? String(os.availableParallelism?.() ?? os.cpus().length),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadStart: loadavg(),
    node: process.version,
    postgres: `${server} at ${options.adminUrl.host}`,
    psql: probe('psql', ['--version']) ?? 'unknown',
    python: py ? `${py.version} (${py.python})` : 'n/a',
    alembic: py ? `${py.alembic} (SQLAlchemy ${py.sqlalchemy}, psycopg2 ${py.psycopg2})` : 'n/a',
    nodePgMigrate: npm?.version ?? 'n/a',
    commit: commit ? `${commit}${dirty ? ' + uncommitted changes' : ''}` : 'no commit yet',
  };
}

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const fmt = (ms) => (ms === undefined ? '–' : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const thousands = (n) => n.toLocaleString('en-US');

/** A Markdown table padded the way Biome formats Markdown, so that `biome check` stays clean after --write. */
function markdownTable(header, align, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const pad = (cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const line = (row) => `| ${row.map(pad).join(' | ')} |`;
  const rule = widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(cells[0]), `| ${rule.join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

const verdict = (ok) => (ok ? '✅' : '❌');

function renderSection({ options, tools, machine, notes }) {
  const byKey = Object.fromEntries(tools.map((t) => [t.key, t]));
  const n = thousands(options.migrations);
  const floor = byKey.floor;
  const out = [];
  out.push(`<!-- bench:${SECTION}:start -->`);
  out.push(`## Applying migrations: ${n} one-table migrations on a fresh PostgreSQL database`);
  out.push('');
  out.push(
    `_Generated by \`${commandLine(options)} --write\` on ${machine.date}; rerun it rather than editing this section._`,
  );
  out.push('');
  out.push(
    `**What is measured.** ${n} migrations, each creating one table (\`CREATE TABLE t0001 (id bigint PRIMARY KEY, ` +
      'name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`) with the previous one as its parent, ' +
      'applied to a database created just before the run (not timed) on the local server. Wall-clock time of the ' +
      'whole process, from spawn to exit (`child_process.spawnSync` between two `process.hrtime.bigint()` ' +
      'readings), start-up included; output to /dev/null. Each tool runs once as a warm-up, then ' +
      `${options.runs} timed runs interleaved round-robin with the others. After every run (not timed) the checks: ` +
      `the ${n} tables exist, and the tool's version table holds what it should (\`ambix_version\`: the head; ` +
      `\`ambix_history\`: ${n} \`up\` rows; \`alembic_version\`: the head; \`pgmigrations\`: ${n} rows).`,
  );
  out.push('');
  out.push(
    '**The tools.** _Floor_: `psql -X -q -1 -v ON_ERROR_STOP=1 -f all.sql`, the same statements in one transaction ' +
      'with no bookkeeping: no tool that runs these statements can beat it. _ambix_: ' +
      `\`node ${relative(REPO, options.ambixBin)} upgrade head --url …\`, one transaction (its default), in a ` +
      'folder holding `migrations/`, a `package.json` and `node_modules/` (its header cache, written by the ' +
      'warm-up run, as Alembic starts from the `__pycache__` its warm-up wrote); once with SQL migrations ' +
      '(`-- ambix:upgrade` + the statement), once with TypeScript migrations calling `op.createTable(…)`. ' +
      '_Alembic_: `python3 -m alembic upgrade head` with psycopg2, an env.py that reads a plain URL from the ' +
      'environment and runs the upgrade in one transaction (its default), migrations calling `op.create_table(…)`. ' +
      '_node-pg-migrate_: `node node_modules/node-pg-migrate/bin/node-pg-migrate.js up` (defaults: one ' +
      'transaction, advisory lock, statements echoed), CommonJS migrations calling `pgm.createTable(…)`.',
  );
  out.push('');
  out.push(
    `**Machine.** ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory} RAM, ${machine.os}; load average ` +
      `${machine.loadStart} at the start and ${machine.loadEnd} at the end. PostgreSQL ${machine.postgres}; ` +
      `${machine.psql}. Node ${machine.node}; Python ${machine.python}; Alembic ${machine.alembic}; ` +
      `node-pg-migrate ${machine.nodePgMigrate}. ambix commit: ${machine.commit}.`,
  );
  out.push('');
  const ratio = (t) =>
    t.median !== undefined && floor?.median !== undefined ? `${(t.median / floor.median).toFixed(2)}×` : '–';
  const rows = tools.map((t) => {
    const status = t.failure
      ? ` — **failed:** ${t.failure.split('\n')[0].replace(/:$/, '')}`
      : t.skipped
        ? ' — not measured (see notes)'
        : '';
    return [
      `${t.display}${status}`,
      fmt(t.median),
      fmt(t.min),
      fmt(t.max),
      ratio(t),
      String(t.times?.length ?? 0),
    ];
  });
  out.push(
    markdownTable(
      ['Command', 'Median (ms)', 'Min (ms)', 'Max (ms)', 'vs floor', 'Runs'],
      ['left', 'right', 'right', 'right', 'right', 'right'],
      rows,
    ),
  );
  out.push('');

  const targets = [];
  const peers = [byKey.alembic, byKey['node-pg-migrate']].filter((t) => t.median !== undefined);
  for (const key of ['ambix-sql', 'ambix-ts']) {
    const t = byKey[key];
    if (t.median === undefined) {
      targets.push(`- ${t.short}: not evaluated, ambix was not measured (see notes).`);
      continue;
    }
    if (floor?.median !== undefined) {
      const r = t.median / floor.median;
      targets.push(
        `- ${t.short} within ${TARGET_FLOOR_RATIO}× of the psql floor: ${verdict(r <= TARGET_FLOOR_RATIO)} ` +
          `${r.toFixed(2)}× on medians (${fmt(t.median)} ms against ${fmt(floor.median)} ms; ` +
          `${(t.min / floor.min).toFixed(2)}× on minimums).`,
      );
    }
    for (const peer of peers) {
      const speedup = peer.median / t.median;
      targets.push(
        `- ${t.short} faster than ${peer.short}: ${verdict(speedup > 1)} ${speedup.toFixed(2)}× ` +
          `on medians (${fmt(t.median)} ms against ${fmt(peer.median)} ms; ${(peer.min / t.min).toFixed(2)}× on ` +
          'minimums).',
      );
    }
  }
  out.push(
    '**Targets** (judged on medians, as the issue asks; the ratio of minimums, less exposed to a busy machine, follows).',
  );
  out.push('');
  out.push(...targets);
  out.push('');
  out.push('**Notes.**');
  out.push('');
  out.push(...notes.map((note) => `- ${note}`));
  out.push(`<!-- bench:${SECTION}:end -->`);
  return out.join('\n');
}

function writeResults(section) {
  const start = `<!-- bench:${SECTION}:start -->`;
  const end = `<!-- bench:${SECTION}:end -->`;
  if (!existsSync(RESULTS)) fail(`${relative(REPO, RESULTS)} does not exist`);
  let text = readFileSync(RESULTS, 'utf8');
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i !== -1 && j > i) {
    text = text.slice(0, i) + section + text.slice(j + end.length);
  } else if (i !== -1 || j !== -1) {
    fail(`${relative(REPO, RESULTS)} has only one of the ${SECTION} markers; fix it by hand first`);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(RESULTS, text);
}

// ---------------------------------------------------------------------------------------------------------
// Main

function main() {
  const options = parseOptions();
  const notes = [];

  try {
    psql(options, 'postgres', 'SELECT 1');
  } catch (error) {
    fail(`cannot reach the PostgreSQL server at ${maskUrl(options.url)}: ${error.message}`);
  }

  log(`generating ${options.migrations} migrations five ways under ${relative(REPO, WORK)}/ …`);
  const revs = revisions(options.migrations);
  const head = revs.at(-1).id;
  const dirs = writeProjects(revs);
  const count = options.migrations;

  const node = process.execPath;
  const tableCheck = (extra) => (database) => checkTables(options, database, count) ?? extra(database);

  const ambixNotReady = ambixReadiness(options.ambixBin);
  const ambixTool = (key, dir, kind) => ({
    key,
    short: `ambix (${kind} migrations)`,
    display: `ambix \`upgrade head\`, ${kind} migrations`,
    label: `ambix ${kind}`,
    cwd: dir,
    skipped: ambixNotReady ? `${ambixNotReady}; ambix not measured` : null,
    command: (database) => ({
      file: node,
      args: [options.ambixBin, 'upgrade', 'head', '--url', databaseUrl(options, database)],
      env: cleanEnv(options.keepEnv),
    }),
    check: tableCheck(
      (database) =>
        checkVersionRows(options, database, 'SELECT version_num FROM ambix_version', head, 'ambix_version') ??
        checkVersionRows(
          options,
          database,
          "SELECT count(*) FROM ambix_history WHERE direction = 'up'",
          String(count),
          'ambix_history',
        ),
    ),
  });

  const { found: py, note: pyNote } = findPython(options.python);
  const npm = installNodePgMigrate(dirs.nodePgMigrate);

  const tools = [
    {
      key: 'floor',
      short: 'the psql floor',
      display: 'floor: `psql -1 -f all.sql`',
      label: 'psql -1 -f all.sql',
      cwd: dirs.floor,
      command: (database) => ({
        file: 'psql',
        args: [
          '-X',
          '-q',
          '-1',
          '-v',
          'ON_ERROR_STOP=1',
          '-d',
          databaseUrl(options, database),
          '-f',
          'all.sql',
        ],
        env: cleanEnv(options.keepEnv),
      }),
      check: tableCheck(() => null),
    },
    ambixTool('ambix-sql', dirs.ambixSql, 'SQL'),
    ambixTool('ambix-ts', dirs.ambixTs, 'TypeScript'),
    {
      key: 'alembic',
      short: 'Alembic',
      display: 'Alembic `upgrade head` (`op.create_table`)',
      label: 'alembic',
      cwd: dirs.alembic,
      skipped: py ? null : `${pyNote}; Alembic not measured`,
      command: (database) => ({
        file: py.python,
        args: ['-m', 'alembic', 'upgrade', 'head'],
        env: cleanEnv(options.keepEnv, {
          BENCH_DATABASE_URL: databaseUrl(options, database, 'postgresql+psycopg2:'),
        }),
      }),
      check: tableCheck((database) =>
        checkVersionRows(
          options,
          database,
          'SELECT version_num FROM alembic_version',
          head,
          'alembic_version',
        ),
      ),
    },
    {
      key: 'node-pg-migrate',
      short: 'node-pg-migrate',
      display: 'node-pg-migrate `up` (`pgm.createTable`)',
      label: 'node-pg-migrate',
      cwd: dirs.nodePgMigrate,
      skipped: npm.reason ? `${npm.reason}; node-pg-migrate not measured` : null,
      command: (database) => ({
        file: node,
        args: [npm.bin, 'up', '-m', 'migrations'],
        env: cleanEnv(options.keepEnv, { DATABASE_URL: databaseUrl(options, database) }),
      }),
      check: tableCheck((database) =>
        checkVersionRows(
          options,
          database,
          'SELECT count(*) FROM pgmigrations',
          String(count),
          'pgmigrations',
        ),
      ),
    },
  ];

  const machine = machineInfo(options, py, npm);
  measure(options, tools);
  machine.loadEnd = loadavg();
  const busiest = Math.max(...[machine.loadStart, machine.loadEnd].map((l) => Number(l.split(' ')[0])));
  if (busiest > Number(machine.nproc)) {
    notes.push(
      `⚠️ The machine was busy: a one-minute load average of up to ${busiest.toFixed(2)} on ${machine.nproc} CPUs, ` +
        'so other processes (the PostgreSQL server serves them too) competed with every tool, the floor included. ' +
        'The interleaving spreads that noise over all tools alike, but absolute times are inflated and ratios ' +
        'are less certain than on a quiet machine; rerun there before drawing fine conclusions.',
    );
  }

  for (const tool of tools.filter((t) => t.skipped))
    notes.push(`Not measured: ${tool.label}: ${tool.skipped}.`);
  const removed = options.keepEnv ? [] : UNSET.filter((name) => name in process.env);
  if (removed.length > 0) {
    notes.push(
      `Removed from the environment of the measured processes (settings of this machine, not of a developer's; ` +
        `see \`UNSET\` in the script, \`--keep-env\` keeps them): ${removed.map((n) => `\`${n}\``).join(', ')}.`,
    );
  }
  const warm = tools.filter((t) => t.warmupMs !== undefined && !t.skipped);
  if (warm.length > 0) {
    notes.push(
      `Warm-up runs (each tool's first run after the projects were written, before ambix's header cache and ` +
        `Alembic's \`__pycache__\` existed; not in the figures): ${warm
          .map((t) => `${t.label} ${fmt(t.warmupMs)} ms`)
          .join(', ')}.`,
    );
  }
  notes.push(
    'Each run used a database of its own, created from `template1` just before the timed process and dropped ' +
      '(`WITH (FORCE)`) after the checks; creating and dropping it is not in the figures.',
  );

  const section = renderSection({ options, tools, machine, notes });
  console.log(section);

  const failures = tools.filter((t) => t.failure);
  if (failures.length > 0)
    log(`\n${failures.length} tool(s) failed: ${failures.map((t) => t.label).join(', ')}`);
  if (options.write) {
    if (failures.length > 0) {
      log(`not writing ${relative(REPO, RESULTS)}: fix the failures first.`);
    } else {
      writeResults(section);
      log(`wrote the ${SECTION} section of ${relative(REPO, RESULTS)}`);
    }
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
