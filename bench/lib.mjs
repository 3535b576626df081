/**
 * Helpers shared by the benchmark scripts in bench/ (graph-commands.mjs, migrations-apply.mjs,
 * migrations-apply-dialects.mjs, autogenerate-check.mjs): command-line reading, timing whole processes,
 * round-robin measurement, the machine description, environment cleaning, finding Python and Alembic,
 * PostgreSQL administration through psql, and writing a marked section of bench/RESULTS.md.
 *
 * What a benchmark measures, its fixtures, its checks and the text of its section stay in its script; this
 * module holds only what they all do the same way, so that a fix to, say, the Markdown table padding or the
 * machine description reaches every section alike.
 *
 * Plain Node ESM, no dependencies. Never a test: nothing here runs under vitest.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// ---------------------------------------------------------------------------------------------------------
// Places

/** The repository root (bench/..): every path a script reports is relative to it. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** bench/RESULTS.md, whose marked sections the scripts' --write replaces. */
export const RESULTS = join(REPO, 'bench', 'RESULTS.md');

/** The CLI measured unless --ambix-bin says otherwise (needs `npm run build`). */
export const AMBIX_BIN = join(REPO, 'bin', 'ambix.js');

/** Where a benchmark generates its fixtures: bench/.work/NAME (git-ignored, and ignored by Biome). */
export const workDir = (name) => join(REPO, 'bench', '.work', name);

/** Whether the module at `url` (a script's import.meta.url) is the one node was asked to run, not an import. */
export const isMain = (url) => Boolean(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(url);

// ---------------------------------------------------------------------------------------------------------
// Messages and options

/** Progress and diagnostics go to stderr, so that stdout carries nothing but the Markdown section. */
export function log(message) {
  process.stderr.write(`${message}\n`);
}

/**
 * A script's fail(message): prints `name: message` on stderr and exits with status 2, a usage or setup
 * error, as against 1 for a measurement that failed its checks.
 */
export function failer(name) {
  return (message) => {
    console.error(`${name}: ${message}`);
    process.exit(2);
  };
}

/**
 * Reads the command line with node:util's parseArgs: the script's own `options` plus those every benchmark
 * has (--write, --keep-env, --ambix-bin, -h/--help). --help prints the usage, which is the comment at the top
 * of the script (`scriptUrl`, its import.meta.url), and exits 0, so the usage has one place to be kept in.
 * Returns the values, positiveInt(name, min), which reads an integer option or fails, and `common`: the
 * options object's fields for the common options ({ write, keepEnv, ambixBin }, the CLI path resolved).
 */
export function readOptions(scriptUrl, options, fail) {
  const { values } = parseArgs({
    options: {
      ...options,
      write: { type: 'boolean', default: false },
      'keep-env': { type: 'boolean', default: false },
      'ambix-bin': { type: 'string', default: AMBIX_BIN },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    const source = readFileSync(fileURLToPath(scriptUrl), 'utf8');
    const usage = source.slice(source.indexOf('/**') + 3, source.indexOf('*/'));
    console.log(usage.replace(/^ \* ?/gm, '').trim());
    process.exit(0);
  }
  const positiveInt = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min} (got ${values[name]})`);
    return n;
  };
  const common = { write: values.write, keepEnv: values['keep-env'], ambixBin: resolve(values['ambix-bin']) };
  return { values, positiveInt, common };
}

/** `text` as a URL, or undefined when it is not one (the caller says what it expected). */
export function tryUrl(text) {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A URL with its password, if any, replaced by `***`: for command lines written into RESULTS.md. */
export function maskUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * `options.adminUrl` (an administrative connection to a server) with another database name and, where a
 * client wants its own spelling (SQLAlchemy's `postgresql+psycopg2:`, `mysql+pymysql:`), another scheme.
 */
export function databaseUrl(options, name, scheme = 'postgres:') {
  const u = new URL(options.adminUrl.toString());
  u.pathname = `/${name}`;
  return scheme === u.protocol ? u.toString() : u.toString().replace(/^[a-z]+:/, scheme);
}

// ---------------------------------------------------------------------------------------------------------
// Processes

/** Quick probe for versions and availability: a command's trimmed stdout, or null if it did not exit 0. */
export function probe(file, args, options = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', ...options });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The last `lines` lines of a process's output, indented to follow a log line or a failure message. */
export function excerpt(text, lines = 8) {
  const all = (text ?? '').trimEnd().split('\n');
  return all.slice(-lines).join('\n    ');
}

/**
 * Runs `{ file, args, cwd, env }` once as a whole process and times it from spawn to exit, between two
 * process.hrtime.bigint() readings (nothing else between them: the figure is what a user waits for).
 * stdout is kept with `capture` (for checks) and otherwise goes nowhere; stderr is kept for diagnostics;
 * `stdin` is 'ignore' or an open file descriptor. Returns { ms, problem, status, stdout, stderr }, where
 * `problem` says only that the process could not run or was killed: what its exit status means is the
 * caller's to judge.
 */
export function timedRun(
  { file, args, cwd, env },
  { capture = false, stdin = 'ignore', maxBuffer = 64 * 1024 * 1024, timeout } = {},
) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, {
    cwd,
    env,
    stdio: [stdin, capture ? 'pipe' : 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer,
    timeout,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let problem = null;
  if (r.error) problem = `could not run: ${r.error.message}`;
  else if (r.signal) problem = `killed by ${r.signal}`;
  return { ms, problem, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * Environment variables removed before running a tool, unless --keep-env. They are settings of this
 * machine (a sandbox), not of a developer's: each is removed so that the tool is measured as users run it.
 * - NODE_EXTRA_CA_CERTS: Node 20 reads and parses the certificate file at every start-up (~60 ms here).
 * - PYTHONDONTWRITEBYTECODE: without a .pyc cache every Alembic run compiles the migrations (or models.py)
 *   again.
 * - PYTHONUNBUFFERED: one write system call per line of output (`alembic history`).
 * Removing the Python ones puts Alembic in its usual, most favourable setting: the warm-up run caches the
 * bytecode and the timed runs start from it.
 */
export const UNSET = {
  node: ['NODE_EXTRA_CA_CERTS'],
  python: ['PYTHONDONTWRITEBYTECODE', 'PYTHONUNBUFFERED'],
};

/**
 * A copy of this process's environment for a measured tool: without `unset` (all of UNSET by default)
 * unless `keepEnv`; without the variables `drop` names (a list of names, or a RegExp a name must match),
 * so that nothing from the outside decides which database a tool uses or whether it caches; then `extra`.
 */
export function cleanEnv(keepEnv, { unset = [...UNSET.node, ...UNSET.python], drop = [], extra = {} } = {}) {
  const env = { ...process.env };
  if (!keepEnv) for (const name of unset) delete env[name];
  const dropped = drop instanceof RegExp ? (name) => drop.test(name) : (name) => drop.includes(name);
  for (const name of Object.keys(env)) if (dropped(name)) delete env[name];
  return { ...env, ...extra };
}

/** The note saying which UNSET variables this run removed (null if none were set, or with --keep-env). */
export function removedEnvNote(keepEnv) {
  const removed = keepEnv ? [] : [...UNSET.node, ...UNSET.python].filter((name) => name in process.env);
  if (removed.length === 0) return null;
  return (
    `Removed from the environment of the measured processes (settings of this machine, not of a developer's; ` +
    `see \`UNSET\` in the script, \`--keep-env\` keeps them): ${removed.map((n) => `\`${n}\``).join(', ')}.`
  );
}

/**
 * Runs `apt-get install -y` for `packages`, once, after logging `reason` (what is missing). Returns why it
 * may not have helped, for the caller's "not measured" note should the retry still fail: the error, or the
 * exit status (with `stderr`, followed by apt-get's last line of stderr).
 */
export function aptInstall(packages, reason, { stderr = false } = {}) {
  log(`${reason}; trying \`apt-get install -y ${packages.join(' ')}\` once…`);
  const apt = spawnSync('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=300', ...packages], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (apt.error) return apt.error.message;
  return stderr
    ? `apt-get exit status ${apt.status}: ${apt.stderr.trim().split('\n').pop()}`
    : `apt-get exit status ${apt.status}`;
}

/**
 * The first of `candidates` (Python executables) on which `code` runs and prints space-separated versions,
 * as { python, [field]: version… } named by `fields`; null if none. With `install` ({ packages, reason,
 * stderr }), a miss runs aptInstall once and tries again (Debian's python3-alembic and friends live in
 * /usr/bin/python3). Returns { found, why }: `why` is aptInstall's answer when it ran, else null.
 */
export function findPython({ candidates, code, fields, install = null }) {
  const check = () => {
    for (const python of candidates) {
      const out = probe(python, ['-c', code]);
      if (out) {
        const values = out.split(' ');
        return { python, ...Object.fromEntries(fields.map((field, i) => [field, values[i]])) };
      }
    }
    return null;
  };
  const found = check();
  if (found || !install) return { found, why: null };
  const why = aptInstall(install.packages, install.reason, { stderr: install.stderr });
  return { found: check(), why };
}

/**
 * Whether this ambix CLI has `command` (e.g. `upgrade`, `check`); a reason for the "not measured" note when
 * not: no CLI file, no build under dist/, or a build from before the command existed.
 */
export function ambixReadiness(bin, command) {
  if (!existsSync(bin)) return `the ambix CLI ${relative(REPO, bin)} does not exist`;
  const r = spawnSync(process.execPath, [bin, command, '--help'], { encoding: 'utf8' });
  const text = `${r.stdout}\n${r.stderr}`;
  if (/ERR_MODULE_NOT_FOUND/.test(text)) return 'ambix is not built (run `npm run build`)';
  if (r.status !== 0) {
    const said =
      text
        .trim()
        .split('\n')
        .find((l) => l.trim() !== '') ?? `exit status ${r.status}`;
    return `\`ambix ${command}\` is not available in this build (it said: ${said.trim()})`;
  }
  return null;
}

/**
 * An Alembic project of plain-URL migrations in `dir` (alembic.ini, migrations/env.py, migrations/script.py.mako):
 * an env.py as the Alembic tutorial writes it, the URL read from BENCH_DATABASE_URL and `run_migrations()` inside
 * `begin_transaction()`. `script`: the benchmark that writes it, named in the files.
 */
export function writeAlembicProject(dir, script) {
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  writeFileSync(
    join(dir, 'alembic.ini'),
    `# Generated by bench/${script}.
[alembic]
script_location = migrations
prepend_sys_path = .
`,
  );
  writeFileSync(
    join(dir, 'migrations', 'env.py'),
    `"""Generated by bench/${script}: the URL comes from BENCH_DATABASE_URL."""
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
`,
  );
  writeFileSync(
    join(dir, 'migrations', 'script.py.mako'),
    `"""\${message}

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
`,
  );
}

/** Writes a project's package.json (a project of its own keeps ambix's caches in its own node_modules/). */
export function writePackageJson(dir, fields = { private: true, type: 'module' }) {
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(fields, null, 2)}\n`);
}

/**
 * The files in `dir` whose names pass `keep`: name → { size, mtimeMs }, empty if there is no such folder.
 * Taken before and after the timed runs, it shows whether a cache was only read, as a warm run should.
 */
export function fileStats(dir, keep = () => true) {
  const files = new Map();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir)) {
    if (!keep(name)) continue;
    const { size, mtimeMs } = statSync(join(dir, name));
    files.set(name, { size, mtimeMs });
  }
  return files;
}

/** The entries of `before` (from fileStats) gone from `after` or changed in size or mtime. */
export function changedFiles(before, after) {
  return [...before].filter(([name, a]) => {
    const b = after.get(name);
    return b === undefined || b.mtimeMs !== a.mtimeMs || b.size !== a.size;
  });
}

/** `name, 12 KiB; …` for fileStats entries, as the notes list a cache's files. */
export function fileSizes(entries) {
  return [...entries].map(([name, { size }]) => `${name}, ${(size / 1024).toFixed(0)} KiB`).join('; ');
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL through psql (no driver: the scripts have no dependencies)

/** Runs SQL through psql on a database of the server at options.adminUrl; its unaligned output, or throws. */
export function psql(options, database, sql) {
  const r = spawnSync(
    'psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl(options, database), '-c', sql],
    { encoding: 'utf8' },
  );
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql ${JSON.stringify(sql.slice(0, 200))}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Fails unless the PostgreSQL server at --url answers, before anything is generated. */
export function requirePostgres(options, fail) {
  try {
    psql(options, 'postgres', 'SELECT 1');
  } catch (error) {
    fail(`cannot reach the PostgreSQL server at ${maskUrl(options.url)}: ${error.message}`);
  }
}

/** The server's version and host, and psql's version, for the Machine paragraph. */
export function postgresInfo(options) {
  let server = 'unknown';
  try {
    server = psql(options, 'postgres', 'SHOW server_version');
  } catch {}
  return {
    postgres: `${server} at ${options.adminUrl.host}`,
    psql: probe('psql', ['--version']) ?? 'unknown',
  };
}

let databaseCounter = 0;

/** A database name no other run of this process (nor another process's) uses: ambix_bench_PID_N. */
export function freshDatabaseName() {
  databaseCounter += 1;
  return `ambix_bench_${process.pid}_${databaseCounter}`;
}

/**
 * Checks a version table: null if `query()` returns `expected`, else what went wrong, prefixed with `what`
 * (the table), a failing query included.
 */
export function checkRows(query, expected, what) {
  let rows;
  try {
    rows = query();
  } catch (error) {
    return `${what}: ${error.message.split('\n')[0]}`;
  }
  return rows === expected
    ? null
    : `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(rows)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

/** mulberry32: small, fast, good enough for generating fixtures; same seed, same fixtures. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The median of a list of numbers (the mean of the two middle ones for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The measurement every benchmark makes of its `items` (commands or tools, each with a `label`):
 * `warmUp(item)` runs each once, checks it and returns whether it goes on to be timed (it sets `item.times =
 * []` then, or `item.failure` / `item.skipped`); `afterWarmup()` runs once they all have; then `runs` timed
 * rounds, each running every item still without a failure once through `timed(item, round)` (which pushes
 * onto `item.times` or sets `item.failure`), starting at a different item each round, so that slow phases of
 * the machine are spread over all items alike. Sets median, min and max on every item that has times and no
 * failure.
 */
export function measure(items, runs, { warmUp, timed, afterWarmup = () => {} }) {
  const live = [];
  for (const item of items) if (warmUp(item)) live.push(item);
  afterWarmup();
  for (let round = 0; round < runs; round++) {
    log(`round ${round + 1}/${runs}`);
    const active = live.filter((item) => !item.failure);
    for (let i = 0; i < active.length; i++) timed(active[(i + round) % active.length], round);
  }
  for (const item of items) {
    if (item.times?.length && !item.failure) {
      item.median = median(item.times);
      item.min = Math.min(...item.times);
      item.max = Math.max(...item.times);
    }
  }
}

/**
 * measure() for tools that each run on a database of their own (the migrations-apply benchmarks):
 * `runOnce(tool)` makes the database, times the tool, checks and removes it, and returns { ms, problem }.
 * A tool with `skipped` set is reported and left out; `fmt` formats the times logged.
 */
export function measureTools(tools, runs, runOnce, fmt) {
  measure(tools, runs, {
    warmUp(tool) {
      if (tool.skipped) {
        log(`not measured: ${tool.label}: ${tool.skipped}`);
        return false;
      }
      log(`warm-up + check: ${tool.label}`);
      const r = runOnce(tool);
      tool.warmupMs = r.ms;
      if (r.problem) {
        tool.failure = `warm-up: ${r.problem}`;
        log(`  FAILED: ${tool.failure}`);
        return false;
      }
      log(`  ok, ${fmt(r.ms)} ms`);
      tool.times = [];
      return true;
    },
    timed(tool, round) {
      const r = runOnce(tool);
      if (r.problem) {
        tool.failure = `timed run ${round + 1}: ${r.problem}`;
        log(`  FAILED ${tool.label}: ${tool.failure}`);
        return;
      }
      log(`  ${tool.label}: ${fmt(r.ms)} ms`);
      tool.times.push(r.ms);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Report

/** The 1, 5 and 15 minute load averages, `2.71 2.39 3.30`: taken at the start and at the end of a run. */
export const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/**
 * What every Machine paragraph says: date, CPUs, RAM, kernel, the load average at the start (`loadStart`;
 * the script adds `loadEnd`), Node's version and the ambix commit (marked when the tree has uncommitted
 * changes). Each script adds the versions of what it compares with.
 */
export function machineInfo() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? os.totalmem() / 1024);
  const commit = probe('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
  const dirty = commit ? probe('git', ['-C', REPO, 'status', '--porcelain']) : null;
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: probe('nproc', []) ?? String(os.availableParallelism?.() ?? os.cpus().length),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadStart: loadavg(),
    node: process.version,
    commit: commit ? `${commit}${dirty ? ' + uncommitted changes' : ''}` : 'no commit yet',
  };
}

/**
 * The highest one-minute load average at the start or the end, if it exceeded the number of CPUs (then the
 * script warns that the figures are inflated); null on a machine that was not busy.
 */
export function busiestLoad(machine) {
  const busiest = Math.max(...[machine.loadStart, machine.loadEnd].map((l) => Number(l.split(' ')[0])));
  return busiest > Number(machine.nproc) ? busiest : null;
}

/**
 * Milliseconds as the tables show them: '–' when not measured, no decimals from 100 ms, one from 10 ms, and
 * two below 10 ms unless `hundredths` is off (the migrations-apply benchmarks, whose figures are larger).
 */
export function formatMs(ms, { hundredths = true } = {}) {
  if (ms === undefined) return '–';
  if (ms < 10 && hundredths) return ms.toFixed(2);
  return ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/** 1000 → `1,000`. */
export const thousands = (n) => n.toLocaleString('en-US');

/** A target met or missed. */
export const verdict = (ok) => (ok ? '✅' : '❌');

/**
 * A Markdown table padded the way the repository's formatter (Biome, which formats Markdown) writes it,
 * so that `biome check` stays clean after --write. `align` holds 'left' or 'right' per column.
 */
export function markdownTable(header, align, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const pad = (cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const line = (row) => `| ${row.map(pad).join(' | ')} |`;
  const rule = widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(cells[0]), `| ${rule.join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/** What follows an item's name in a table row when it has no figures: its failure, or `skipped` if skipped. */
export function rowStatus(item, skipped = ' — not measured (see notes)') {
  if (item.failure) return ` — **failed:** ${item.failure.split('\n')[0].replace(/:$/, '')}`;
  return item.skipped ? skipped : '';
}

/**
 * A benchmark's section of RESULTS.md: the start marker, `title`, the line saying which command line
 * (`command`, without --write) generated it and when, the script's `body` (lines, the last one blank), the
 * notes as a list, and the end marker. The markers are what --write replaces between.
 */
export function markedSection(name, { title, command, date, body, notes }) {
  return [
    `<!-- bench:${name}:start -->`,
    title,
    '',
    `_Generated by \`${command} --write\` on ${date}; rerun it rather than editing this section._`,
    '',
    ...body,
    '**Notes.**',
    '',
    ...notes.map((note) => `- ${note}`),
    `<!-- bench:${name}:end -->`,
  ].join('\n');
}

/**
 * Replaces the section between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in RESULTS.md, or
 * appends it if neither marker is there; fails if only one is. A missing RESULTS.md is started from `header`
 * when given, else a failure.
 */
export function writeResults(name, section, { fail, header = null }) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  if (!existsSync(RESULTS) && header === null) fail(`${relative(REPO, RESULTS)} does not exist`);
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : header;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i !== -1 && j > i) {
    text = text.slice(0, i) + section + text.slice(j + end.length);
  } else if (i !== -1 || j !== -1) {
    fail(`${relative(REPO, RESULTS)} has only one of the ${name} markers; fix it by hand first`);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(RESULTS, text);
}

/**
 * The end of every benchmark: prints the section on stdout, lists the `items` that failed (`noun(s)
 * failed`), writes the section with --write unless something failed (a section is never written from a run
 * that failed a check), and sets the exit status: 1 if anything failed, else 0.
 */
export function finish(name, section, { items, noun, write, fail, header = null }) {
  console.log(section);
  const failures = items.filter((item) => item.failure);
  if (failures.length > 0) {
    log(`\n${failures.length} ${noun}(s) failed: ${failures.map((item) => item.label).join(', ')}`);
  }
  if (write) {
    if (failures.length > 0) {
      log(`not writing ${relative(REPO, RESULTS)}: fix the failures first.`);
    } else {
      writeResults(name, section, { fail, header });
      log(`wrote the ${name} section of ${relative(REPO, RESULTS)}`);
    }
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}
