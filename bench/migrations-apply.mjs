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
import { join, relative } from 'node:path';
import {
  AMBIX_BIN,
  ambixReadiness,
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
  postgresInfo,
  psql,
  REPO,
  readOptions,
  removedEnvNote,
  requirePostgres,
  rowStatus,
  thousands,
  timedRun,
  tryUrl,
  verdict,
  workDir,
  writeAlembicProject,
  writePackageJson,
} from './lib.mjs';

const SECTION = 'migrations-apply';
const WORK = workDir(SECTION);
const DEFAULTS = {
  migrations: '1000',
  runs: '5',
  url: 'postgres://postgres@127.0.0.1:5432/postgres',
  python: '/usr/bin/python3',
  ambixBin: AMBIX_BIN,
};
const NODE_PG_MIGRATE_VERSION = '9.0.0';

/** Targets from the issue. */
const TARGET_FLOOR_RATIO = 1.3;

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
      url: { type: 'string', default: DEFAULTS.url },
      python: { type: 'string', default: DEFAULTS.python },
    },
    fail,
  );
  const adminUrl = tryUrl(values.url) ?? fail(`--url must be a postgres:// URL (got ${values.url})`);
  return {
    migrations: positiveInt('migrations', 1),
    runs: positiveInt('runs', 1),
    url: values.url,
    adminUrl,
    python: values.python,
    ...common,
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

const fail = failer(SECTION);

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
    writePackageJson(dir);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    for (const rev of revs) writeFileSync(join(dir, 'migrations', `${stem(rev)}.${extension}`), write(rev));
  }

  mkdirSync(join(dirs.alembic, 'migrations', 'versions'), { recursive: true });
  // The whole upgrade in one transaction (Alembic's default on PostgreSQL), as ambix and node-pg-migrate do.
  writeAlembicProject(dirs.alembic, 'migrations-apply.mjs');
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
  const { found, why } = findPythonWith({
    candidates: [python],
    code: 'import sys, alembic, sqlalchemy, psycopg2; print(sys.version.split()[0], alembic.__version__, sqlalchemy.__version__, psycopg2.__version__.split()[0])',
    fields: ['version', 'alembic', 'sqlalchemy', 'psycopg2'],
    install: python === DEFAULTS.python && {
      packages: ['python3-alembic', 'python3-psycopg2'],
      reason: 'alembic or psycopg2 is not importable',
    },
  });
  const note = `${python} cannot import alembic and psycopg2${why ? ` (${why})` : ''}`;
  return { found, note: found ? null : note };
}

/**
 * The environment of a measured tool (see UNSET and cleanEnv in lib.mjs): nothing from the outside decides
 * which database a tool uses, each command names its own.
 */
const toolEnv = (keepEnv, extra = {}) =>
  cleanEnv(keepEnv, { drop: ['DATABASE_URL', 'PGDATABASE', 'AMBIX_CACHE', 'AMBIX_CACHE_DIR'], extra });

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
  return checkRows(() => psql(options, database, sql), expected, what);
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

/** One run of one tool on a fresh database: create (untimed), run (timed), check (untimed), drop. */
function runOnce(options, tool) {
  const database = freshDatabaseName();
  psql(options, 'postgres', `CREATE DATABASE ${database}`);
  try {
    const r = timedRun({ ...tool.command(database), cwd: tool.cwd }, { timeout: RUN_TIMEOUT_MS });
    let problem = r.problem;
    if (problem === null && r.status !== 0) problem = `exit status ${r.status}: ${excerpt(r.stderr)}`;
    if (problem === null) problem = tool.check(database);
    return { ms: r.ms, problem };
  } finally {
    psql(options, 'postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

const fmt = (ms) => formatMs(ms, { hundredths: false });

function renderSection({ options, tools, machine, notes }) {
  const byKey = Object.fromEntries(tools.map((t) => [t.key, t]));
  const n = thousands(options.migrations);
  const floor = byKey.floor;
  const out = [];
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
  const rows = tools.map((t) => [
    `${t.display}${rowStatus(t)}`,
    fmt(t.median),
    fmt(t.min),
    fmt(t.max),
    ratio(t),
    String(t.times?.length ?? 0),
  ]);
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
  return markedSection(SECTION, {
    title: `## Applying migrations: ${n} one-table migrations on a fresh PostgreSQL database`,
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

  requirePostgres(options, fail);

  log(`generating ${options.migrations} migrations five ways under ${relative(REPO, WORK)}/ …`);
  const revs = revisions(options.migrations);
  const head = revs.at(-1).id;
  const dirs = writeProjects(revs);
  const count = options.migrations;

  const node = process.execPath;
  const tableCheck = (extra) => (database) => checkTables(options, database, count) ?? extra(database);

  const ambixNotReady = ambixReadiness(options.ambixBin, 'upgrade');
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
      env: toolEnv(options.keepEnv),
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
        env: toolEnv(options.keepEnv),
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
        env: toolEnv(options.keepEnv, {
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
        env: toolEnv(options.keepEnv, { DATABASE_URL: databaseUrl(options, database) }),
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

  const machine = {
    ...machineInfo(),
    ...postgresInfo(options),
    python: py ? `${py.version} (${py.python})` : 'n/a',
    alembic: py ? `${py.alembic} (SQLAlchemy ${py.sqlalchemy}, psycopg2 ${py.psycopg2})` : 'n/a',
    nodePgMigrate: npm?.version ?? 'n/a',
  };
  measureTools(tools, options.runs, (tool) => runOnce(options, tool), fmt);
  machine.loadEnd = loadavg();
  const busiest = busiestLoad(machine);
  if (busiest !== null) {
    notes.push(
      `⚠️ The machine was busy: a one-minute load average of up to ${busiest.toFixed(2)} on ${machine.nproc} CPUs, ` +
        'so other processes (the PostgreSQL server serves them too) competed with every tool, the floor included. ' +
        'The interleaving spreads that noise over all tools alike, but absolute times are inflated and ratios ' +
        'are less certain than on a quiet machine; rerun there before drawing fine conclusions.',
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
  notes.push(
    'Each run used a database of its own, created from `template1` just before the timed process and dropped ' +
      '(`WITH (FORCE)`) after the checks; creating and dropping it is not in the figures.',
  );

  finish(SECTION, renderSection({ options, tools, machine, notes }), {
    items: tools,
    noun: 'tool',
    write: options.write,
    fail,
  });
}

if (isMain(import.meta.url)) main();
