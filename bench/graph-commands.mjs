#!/usr/bin/env node
/**
 * Graph-commands benchmark: `ambix heads` / `ambix history` against `alembic heads` / `alembic history`
 * on the same 10,000-revision graph, timed as whole processes.
 *
 *   node bench/graph-commands.mjs [--revisions 10000] [--runs 10] [--seed 20261121] [--write]
 *                                 [--python /usr/bin/python3] [--ambix-bin bin/ambix.js] [--keep-env]
 *
 *   --write      replace this benchmark's section of bench/RESULTS.md (creating the file if needed)
 *   --python     a Python that can import alembic (default: python3 on PATH, then /usr/bin/python3)
 *   --ambix-bin  the CLI to measure (default: bin/ambix.js, which needs `npm run build`)
 *   --keep-env   keep NODE_EXTRA_CA_CERTS / PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED (see UNSET)
 *
 * What it does:
 *   1. Generates, under bench/.work/graph-commands/ (git-ignored), one revision graph twice from a seeded
 *      PRNG: an ambix project (migrations/*.ts, no config file) and an Alembic project (alembic.ini,
 *      migrations/env.py, migrations/script.py.mako, migrations/versions/*.py) with the same ids, parents,
 *      branch labels and dependencies. The graph is a long main line with feature branches that fork off
 *      and merge back (merge revisions have two parents), two labelled branches, a few cross-branch
 *      depends_on, one base and exactly one head.
 *   2. Runs every command once as a warm-up whose output is checked (exit status, exactly one head, the
 *      expected head id for both tools, history lists every revision), then times N runs of each,
 *      interleaved round-robin so machine noise hits all commands alike. Floors are timed alongside:
 *      Node's start-up, reading every migration file from Node, `cat` of every file, Python's start-up.
 *      ambix runs two ways: warm (its header cache written by the warm-up run, as Alembic's runs start
 *      from the `__pycache__` its warm-up wrote) and cold (`AMBIX_CACHE=0`: every file read and parsed,
 *      as on a fresh checkout or in CI). The targets are judged on the warm runs; the cold ones are shown
 *      next to them. The ambix project has its own package.json and node_modules/, so its cache lives in
 *      bench/.work/graph-commands/ambix/node_modules/.cache/ambix (ambix's default place), never in the
 *      repository's node_modules. Every generated file's mtime is set an hour back, as in a real project:
 *      ambix does not cache a file changed in the last two seconds (see RACY_MS in src/scripts/cache.ts).
 *   3. Prints a Markdown section; with --write, replaces that section in bench/RESULTS.md (between
 *      `<!-- bench:graph-commands:start -->` and `<!-- bench:graph-commands:end -->`).
 *
 * A missing ambix CLI (no bin/ambix.js, or no build under dist/) or a missing Alembic is reported and
 * skipped; the other measurements still run. The exit status is 1 if a command that ran failed a check
 * (then --write refuses to update RESULTS.md).
 *
 * Plain Node ESM, no dependencies. This is a script, never a test: nothing here runs under vitest.
 */

import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  AMBIX_BIN,
  changedFiles,
  cleanEnv,
  failer,
  fileSizes,
  fileStats,
  findPython as findPythonWith,
  finish,
  formatMs as fmt,
  isMain,
  loadavg,
  log,
  machineInfo,
  markdownTable,
  markedSection,
  measure,
  prng,
  REPO,
  readOptions,
  removedEnvNote,
  rowStatus,
  thousands,
  timedRun,
  UNSET,
  verdict,
  workDir,
  writePackageJson,
} from './lib.mjs';

const SECTION = 'graph-commands';
const WORK = workDir(SECTION);
const DEFAULTS = {
  revisions: '10000',
  runs: '10',
  seed: '20261121',
  ambixBin: AMBIX_BIN,
};

/** Targets from the issue. */
const TARGET_HEADS_MS = 300;
const TARGET_SPEEDUP = 5;

/** Graph shape (main-line steps between forks, branch lengths, how long a branch stays open). */
const FORK_EVERY = [150, 450];
const BRANCH_LENGTH = [2, 6];
const MERGE_AFTER = [20, 300];
const FEATURE_STEP_CHANCE = 0.35;
/** Branch number (1-based, in fork order) → label on the branch's first revision. */
const LABELLED_BRANCHES = new Map([
  [2, 'auth'],
  [5, 'billing'],
]);
/**
 * Every DEPENDS_ON_EVERY-th branch (from DEPENDS_ON_FIRST) has one step that depends_on the main line's tip
 * at that moment: a revision created after the fork, so on another branch, not an ancestor.
 */
const DEPENDS_ON_EVERY = 7;
const DEPENDS_ON_FIRST = 3;

const HEX12 = /\b[0-9a-f]{12}\b/g;
const MAX_OUTPUT = 256 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Options

function parseOptions() {
  // --help prints the comment at the top of this file.
  const { values, positiveInt, common } = readOptions(
    import.meta.url,
    {
      revisions: { type: 'string', default: DEFAULTS.revisions },
      runs: { type: 'string', default: DEFAULTS.runs },
      seed: { type: 'string', default: DEFAULTS.seed },
      python: { type: 'string' },
    },
    fail,
  );
  return {
    revisions: positiveInt('revisions', 10),
    runs: positiveInt('runs', 1),
    seed: positiveInt('seed', 0),
    python: values.python,
    ...common,
  };
}

/** The command line that reproduces this run (for the report). */
function commandLine(options) {
  const args = [
    'node bench/graph-commands.mjs',
    `--revisions ${options.revisions}`,
    `--runs ${options.runs}`,
  ];
  if (String(options.seed) !== DEFAULTS.seed) args.push(`--seed ${options.seed}`);
  if (options.python) args.push(`--python ${options.python}`);
  if (options.ambixBin !== DEFAULTS.ambixBin) args.push(`--ambix-bin ${options.ambixBin}`);
  if (options.keepEnv) args.push('--keep-env');
  return args.join(' ');
}

const fail = failer(SECTION);

// ---------------------------------------------------------------------------------------------------------
// Deterministic graph

/**
 * Builds the revision list in creation (topological) order. Each revision:
 * { index, id, parents: string[], branchLabels: string[], dependsOn: string[], message, createDate }.
 */
function generateGraph(total, seed) {
  const random = prng(seed);
  const int = ([lo, hi]) => lo + Math.floor(random() * (hi - lo + 1));
  const usedIds = new Set();
  const newId = () => {
    for (;;) {
      const hex = (n) =>
        Math.floor(random() * 2 ** 24)
          .toString(16)
          .padStart(n, '0');
      const id = hex(6) + hex(6);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);

  const revisions = [];
  const emit = (parents, message, extra = {}) => {
    const index = revisions.length + 1;
    const rev = {
      index,
      id: newId(),
      parents,
      branchLabels: extra.branchLabels ?? [],
      dependsOn: extra.dependsOn ?? [],
      message,
      createDate: alembicDate(new Date(start + index * 17 * 60_000)),
    };
    revisions.push(rev);
    return rev;
  };

  const branches = []; // every branch ever opened, in fork order
  let open = []; // branches not merged yet
  let mainTip = null;
  let mainSteps = 0;
  let nextFork = int(FORK_EVERY);
  // Revisions still owed to open branches: their remaining steps plus one merge each.
  const owed = () => open.reduce((n, b) => n + b.left + 1, 0);

  while (revisions.length < total) {
    const forced = total - revisions.length <= owed(); // no room left: only finish open branches

    const growing = open.filter((b) => b.left > 0);
    if (growing.length > 0 && (forced || random() < FEATURE_STEP_CHANCE)) {
      const b = growing[Math.floor(random() * growing.length)];
      const step = b.length - b.left + 1;
      const extra = {};
      if (step === 1 && LABELLED_BRANCHES.has(b.number))
        extra.branchLabels = [LABELLED_BRANCHES.get(b.number)];
      if (b.wantsDependency && mainTip !== b.forkedFrom) {
        extra.dependsOn = [mainTip];
        b.wantsDependency = false;
      }
      const rev = emit([b.tip], `feature ${b.number} step ${step}`, extra);
      b.tip = rev.id;
      b.left -= 1;
      continue;
    }

    const ready = open.find((b) => b.left === 0 && (forced || mainSteps >= b.mergeAt));
    if (ready) {
      mainTip = emit([mainTip, ready.tip], `merge feature ${ready.number}`).id;
      open = open.filter((b) => b !== ready);
      continue;
    }

    mainSteps += 1;
    mainTip = emit(mainTip === null ? [] : [mainTip], `step ${mainSteps}`).id;

    if (mainSteps >= nextFork) {
      nextFork = mainSteps + int(FORK_EVERY);
      const length = int(BRANCH_LENGTH);
      // Open a branch only if it can be finished (steps + merge) with some main line to spare.
      if (total - revisions.length - owed() >= length + 1 + 10) {
        const b = {
          number: branches.length + 1,
          forkedFrom: mainTip,
          tip: mainTip,
          length,
          left: length,
          wantsDependency: (branches.length + 1) % DEPENDS_ON_EVERY === DEPENDS_ON_FIRST,
          mergeAt: mainSteps + int(MERGE_AFTER),
        };
        branches.push(b);
        open.push(b);
      }
    }
  }
  if (open.length > 0) throw new Error('generator bug: branches left open');

  // Sanity: exactly one head, parents and dependencies precede their children.
  const seen = new Set();
  const hasChild = new Set();
  for (const rev of revisions) {
    for (const p of [...rev.parents, ...rev.dependsOn]) {
      if (!seen.has(p)) throw new Error(`generator bug: ${rev.id} refers to ${p} before it exists`);
    }
    for (const p of rev.parents) hasChild.add(p);
    seen.add(rev.id);
  }
  const heads = revisions.filter((r) => !hasChild.has(r.id));
  if (heads.length !== 1) throw new Error(`generator bug: ${heads.length} heads`);

  return {
    revisions,
    head: heads[0].id,
    stats: {
      total: revisions.length,
      mainLine: mainSteps,
      branches: branches.length,
      featureSteps: revisions.filter((r) => r.message.startsWith('feature')).length,
      merges: revisions.filter((r) => r.parents.length > 1).length,
      bases: revisions.filter((r) => r.parents.length === 0).length,
      labels: revisions.flatMap((r) => r.branchLabels),
      dependsOn: revisions.filter((r) => r.dependsOn.length > 0).length,
    },
  };
}

/** Alembic's Create Date format: `2026-01-05 09:17:00.000000`. */
function alembicDate(d) {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}.000000`;
}

function fileStem(rev, total) {
  const width = Math.max(4, String(total).length);
  const slug = rev.message.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return `${String(rev.index).padStart(width, '0')}_${slug}_${rev.id}`;
}

// ---------------------------------------------------------------------------------------------------------
// Project writers

const tsString = (s) => `'${s}'`;
const tsList = (xs) => `[${xs.map(tsString).join(', ')}]`;

function ambixMigration(rev) {
  const down =
    rev.parents.length === 0
      ? 'null'
      : rev.parents.length === 1
        ? tsString(rev.parents[0])
        : tsList(rev.parents);
  const lines = [
    '/**',
    ` * ${rev.message}`,
    ' *',
    ` * Revision ID: ${rev.id}`,
    ` * Revises: ${rev.parents.join(', ')}`,
    ` * Create Date: ${rev.createDate}`,
    ' */',
    "import type { Operations } from 'ambix';",
    '',
    `export const revision = ${tsString(rev.id)};`,
    `export const downRevision = ${down};`,
  ];
  if (rev.branchLabels.length > 0) lines.push(`export const branchLabels = ${tsList(rev.branchLabels)};`);
  if (rev.dependsOn.length > 0) lines.push(`export const dependsOn = ${tsList(rev.dependsOn)};`);
  lines.push(
    '',
    'export async function upgrade(op: Operations): Promise<void> {',
    "  await op.execute('SELECT 1');",
    '}',
    '',
    'export async function downgrade(op: Operations): Promise<void> {',
    "  await op.execute('SELECT 1');",
    '}',
    '',
  );
  return lines.join('\n');
}

/** Python's repr() of None, a str, or a tuple of str, as Alembic's script.py.mako writes them. */
function pyRepr(value) {
  if (value === null) return 'None';
  if (typeof value === 'string') return `'${value}'`;
  return value.length === 1 ? `('${value[0]}',)` : `(${value.map((v) => `'${v}'`).join(', ')})`;
}

/** Exactly what Alembic 1.8's generic script.py.mako renders for an empty migration. */
function alembicMigration(rev) {
  const down = rev.parents.length === 0 ? null : rev.parents.length === 1 ? rev.parents[0] : rev.parents;
  return `"""${rev.message}

Revision ID: ${rev.id}
Revises: ${rev.parents.join(', ')}
Create Date: ${rev.createDate}

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = ${pyRepr(rev.id)}
down_revision = ${pyRepr(down)}
branch_labels = ${pyRepr(rev.branchLabels.length > 0 ? rev.branchLabels : null)}
depends_on = ${pyRepr(rev.dependsOn.length > 0 ? rev.dependsOn : null)}


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
`;
}

const ALEMBIC_INI = `# Generated by bench/graph-commands.mjs. \`alembic heads\` and \`alembic history\` only read the scripts.
[alembic]
script_location = migrations
prepend_sys_path = .
sqlalchemy.url = sqlite://
`;

const ALEMBIC_ENV_PY = `"""Generated by bench/graph-commands.mjs.

\`alembic heads\` and \`alembic history\` never run env.py; it exists only because a script directory
normally has one. If it ever runs, the benchmark is measuring something else: fail loudly.
"""
raise RuntimeError("benchmark project: env.py is not expected to run")
`;

const ALEMBIC_SCRIPT_MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

function writeProjects(graph, total) {
  rmSync(WORK, { recursive: true, force: true });
  const ambixDir = join(WORK, 'ambix');
  const alembicDir = join(WORK, 'alembic');
  mkdirSync(join(ambixDir, 'migrations'), { recursive: true });
  mkdirSync(join(alembicDir, 'migrations', 'versions'), { recursive: true });

  writeFileSync(join(alembicDir, 'alembic.ini'), ALEMBIC_INI);
  writeFileSync(join(alembicDir, 'migrations', 'env.py'), ALEMBIC_ENV_PY);
  writeFileSync(join(alembicDir, 'migrations', 'script.py.mako'), ALEMBIC_SCRIPT_MAKO);
  // A project of its own, so that ambix's default cache folder is ambixDir/node_modules/.cache/ambix.
  writePackageJson(ambixDir);
  mkdirSync(join(ambixDir, 'node_modules'));
  // Files last changed an hour ago, like a real project's: a file changed in the last two seconds is not cached.
  const changed = new Date(Date.now() - 3600_000);
  for (const rev of graph.revisions) {
    const stem = fileStem(rev, total);
    for (const path of [
      join(ambixDir, 'migrations', `${stem}.ts`),
      join(alembicDir, 'migrations', 'versions', `${stem}.py`),
    ]) {
      writeFileSync(path, path.endsWith('.ts') ? ambixMigration(rev) : alembicMigration(rev));
      utimesSync(path, changed, changed);
    }
  }
  return { ambixDir, alembicDir };
}

// ---------------------------------------------------------------------------------------------------------
// Processes

/** Runs a command once, with no time limit. `capture` keeps stdout for checks; timed runs send it nowhere. */
function run(cmd, { capture }) {
  const r = timedRun(cmd, { capture, maxBuffer: MAX_OUTPUT });
  const problem = r.problem ?? (r.status !== 0 ? `exit status ${r.status}` : null);
  return { ms: r.ms, problem, stdout: r.stdout, stderr: r.stderr };
}

/** The last lines of an output, each indented, `…` first if some were left out. */
function excerpt(text, lines = 15) {
  const all = text.trimEnd().split('\n');
  const shown = all.slice(-lines).map((l) => `    ${l}`);
  return (all.length > lines ? ['    …', ...shown] : shown).join('\n');
}

/**
 * Finds a Python that can import alembic: --python, then `python3` on PATH, then /usr/bin/python3 (Debian's
 * python3-alembic lives there, while PATH may point at another Python). Tries `apt-get install -y
 * python3-alembic` once if none can.
 */
function findPython(explicit) {
  const candidates = explicit ? [explicit] : ['python3', '/usr/bin/python3'];
  const { found, why } = findPythonWith({
    candidates,
    code: 'import sys, alembic, sqlalchemy; print(sys.version.split()[0], alembic.__version__, sqlalchemy.__version__)',
    fields: ['version', 'alembic', 'sqlalchemy'],
    install: explicit
      ? null
      : { packages: ['python3-alembic'], reason: 'alembic is not importable', stderr: true },
  });
  if (found) return { found, note: null };
  if (explicit) return { found, note: `${explicit} cannot import alembic` };
  return { found, note: `no Python can import alembic (tried ${candidates.join(', ')}; ${why})` };
}

// ---------------------------------------------------------------------------------------------------------
// Checks on captured output

function checkHeads(expectedHead) {
  return (stdout) => {
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    if (lines.length !== 1)
      return `expected exactly one head line, got ${lines.length}:\n${excerpt(stdout, 5)}`;
    const ids = lines[0].match(HEX12) ?? [];
    if (!ids.includes(expectedHead)) return `expected head ${expectedHead}, got: ${lines[0]}`;
    return null;
  };
}

function checkHistory(graph) {
  return (stdout) => {
    const lines = stdout.split('\n').filter((l) => l.trim() !== '').length;
    if (lines < graph.revisions.length) return `expected ${graph.revisions.length}+ lines, got ${lines}`;
    const mentioned = new Set(stdout.match(HEX12));
    const missing = graph.revisions.filter((r) => !mentioned.has(r.id));
    if (missing.length > 0)
      return `${missing.length} revisions missing from the output, e.g. ${missing[0].id}`;
    return null;
  };
}

function checkPrints(expected) {
  return (stdout) =>
    stdout.trim() === expected ? null : `expected output ${expected}, got ${stdout.trim()}`;
}

/** Whether the warm runs really started from the cache the warm-up wrote, and never wrote it again. */
function cacheNote(dir, afterWarmup, afterRuns) {
  const where = `\`${relative(REPO, dir)}/\``;
  const files = [...(afterWarmup ?? new Map())];
  if (files.length === 0)
    return `⚠️ ambix's warm-up wrote no header cache in ${where}: the "warm" runs were cold.`;
  const rewritten = changedFiles(files, afterRuns);
  const sizes = fileSizes(files);
  return rewritten.length > 0 || afterRuns.size !== files.length
    ? `⚠️ ambix's header cache in ${where} changed during the timed runs (${sizes}): some "warm" runs did more work.`
    : `ambix's header cache (${sizes}) was written in ${where} by the warm-up of \`ambix heads\` and left ` +
        'unchanged by every timed run: each warm run read it, checked the size, mtime and inode of every file, ' +
        'and read no migration file.';
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

/**
 * Warm-up + check for every command, then `runs` timed rounds, interleaved round-robin (see measure in
 * lib.mjs). A warm-up that finds ambix unbuilt marks the command skipped rather than failed.
 */
function measureCommands(commands, runs, afterWarmup) {
  measure(commands, runs, {
    afterWarmup,
    warmUp(cmd) {
      log(`warm-up + check: ${cmd.label}`);
      const r = run(cmd, { capture: true });
      const problem = r.problem ?? cmd.check?.(r.stdout) ?? null;
      cmd.warmupMs = r.ms;
      cmd.lines = r.stdout.split('\n').filter((l) => l.trim() !== '').length;
      if (problem && /ERR_MODULE_NOT_FOUND/.test(r.stderr) && /[/\\]dist[/\\]/.test(r.stderr)) {
        cmd.skipped =
          'ambix is not built (a module under dist/ is missing; run `npm run build`): ambix was not measured.';
        log(`  SKIPPED: ${cmd.skipped}`);
        return false;
      }
      if (problem) {
        cmd.failure = problem;
        log(`  FAILED: ${cmd.failure}${r.stderr.trim() ? `\n  stderr:\n${excerpt(r.stderr)}` : ''}`);
        return false;
      }
      cmd.times = [];
      return true;
    },
    timed(cmd, round) {
      const r = run(cmd, { capture: false });
      if (r.problem) {
        cmd.failure = `timed run ${round + 1}: ${r.problem}`;
        log(`  FAILED ${cmd.label}: ${cmd.failure}\n${excerpt(r.stderr)}`);
        return;
      }
      cmd.times.push(r.ms);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Report

function renderSection({ options, graph, commands, machine, notes }) {
  const byKey = Object.fromEntries(commands.map((c) => [c.key, c]));
  const s = graph.stats;
  const out = [];
  out.push(
    '**What is measured.** Wall-clock time of whole processes, from spawn to exit (`child_process.spawnSync` ' +
      'between two `process.hrtime.bigint()` readings), stdout to /dev/null. Both tools read the same generated ' +
      'graph. Each command runs once as a warm-up whose output is checked, then ' +
      `${options.runs} timed runs, interleaved round-robin with the other commands. ` +
      `ambix: \`node ${relative(REPO, options.ambixBin)} heads|history\` in a folder holding \`migrations/*.ts\`, an empty ` +
      '`package.json` and `node_modules/` (no config file), run two ways: **warm**, from the header cache that the ' +
      "warm-up wrote in `node_modules/.cache/ambix` (ambix's default: each run checks every file's size, mtime and " +
      'inode and reads only new or changed files), which is the footing of the Alembic runs, which start from the ' +
      '`__pycache__` their warm-up wrote; and **cold**, with `AMBIX_CACHE=0`, reading and parsing every file on ' +
      'every run, as on a fresh checkout or in CI. The targets are judged on the warm runs. ' +
      'Alembic: `python3 -m alembic heads|history` next to `alembic.ini`; no database is involved and env.py is not run.',
  );
  out.push('');
  out.push(
    `**Graph** (seed ${options.seed}). ${thousands(s.total)} revisions: ${thousands(s.mainLine)} on the main line, ` +
      `${s.branches} feature branches (${s.featureSteps} revisions) forking off and merging back through ` +
      `${s.merges} two-parent merge revisions, branch labels ${s.labels.map((l) => `\`${l}\``).join(', ') || 'none'}, ` +
      `${s.dependsOn} cross-branch \`depends_on\`, ${s.bases} base, 1 head (\`${graph.head}\`).`,
  );
  out.push('');
  out.push(
    `**Machine.** ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory} RAM, ${machine.os}, ` +
      `load average (1, 5, 15 min) at start ${machine.loadStart}, at end ${machine.loadEnd ?? '?'} (a shared machine: ` +
      'the interleaving spreads its noise over all commands alike). ' +
      `Node ${machine.node}; Python ${machine.python}; ` +
      `Alembic ${machine.alembic}. ambix commit: ${machine.commit}.`,
  );
  out.push('');
  const rows = commands.map((c) => [
    `${c.display}${rowStatus(c, ' — not measured')}`,
    fmt(c.median),
    fmt(c.min),
    fmt(c.max),
    String(c.times?.length ?? 0),
  ]);
  out.push(
    markdownTable(
      ['Command', 'Median (ms)', 'Min (ms)', 'Max (ms)', 'Runs'],
      ['left', 'right', 'right', 'right', 'right'],
      rows,
    ),
  );
  out.push('');

  const targets = [];
  const ah = byKey['ambix-heads'];
  const cold = (c) => (c?.median === undefined ? '' : ` (cold: ${fmt(c.median)} ms)`);
  if (ah.median !== undefined) {
    targets.push(
      `- \`ambix heads\` under ${TARGET_HEADS_MS} ms (warm): ${verdict(ah.median < TARGET_HEADS_MS)} ` +
        `median ${fmt(ah.median)} ms${cold(byKey['ambix-heads-cold'])}.`,
    );
  }
  for (const name of ['heads', 'history']) {
    const a = byKey[`ambix-${name}`];
    const b = byKey[`alembic-${name}`];
    const c = byKey[`ambix-${name}-cold`];
    if (a.median !== undefined && b.median !== undefined) {
      const ratio = b.median / a.median;
      const coldRatio = c?.median === undefined ? '' : `; cold: ${(b.median / c.median).toFixed(1)}×`;
      targets.push(
        `- \`${name}\` at least ${TARGET_SPEEDUP}× faster than Alembic (warm): ${verdict(ratio >= TARGET_SPEEDUP)} ` +
          `${ratio.toFixed(1)}× on medians (${(b.min / a.min).toFixed(1)}× on minimums${coldRatio}).`,
      );
    }
  }
  if (targets.length === 0) targets.push('- Not evaluated: ambix was not measured (see notes).');
  out.push('**Targets.**');
  out.push('');
  out.push(...targets);
  out.push('');
  return markedSection(SECTION, {
    title: `## Graph commands: \`heads\` and \`history\` on ${thousands(s.total)} revisions`,
    command: commandLine(options),
    date: machine.date,
    body: out,
    notes,
  });
}

/** bench/RESULTS.md's opening, should --write find no such file. */
const RESULTS_HEADER = `# ambix benchmarks

The figures behind ambix's performance claims. Each section below is produced by a script in \`bench/\`
and records its own command line, machine and date, since sections may be refreshed at different times.
The text between a section's \`<!-- bench:NAME:start -->\` and \`<!-- bench:NAME:end -->\` markers is
rewritten by that script's \`--write\` flag: change the script, not the section. A new benchmark adds its
own marked section; anything outside the markers is left alone.

Common rules: commands are timed as whole processes (start-up included, as a user experiences them),
each after a warm-up, interleaved with the commands they are compared to, and reported as median and
minimum of several runs. Physical floors (runtime start-up, reading the files) are measured alongside so
the figures can be judged against what no implementation can beat on that machine. Generated fixtures
live under \`bench/.work/\`, which is git-ignored.
`;

// ---------------------------------------------------------------------------------------------------------
// Main

function main() {
  const options = parseOptions();
  const notes = [];

  log(`generating ${options.revisions} revisions (seed ${options.seed}) under ${relative(REPO, WORK)}/ …`);
  const graph = generateGraph(options.revisions, options.seed);
  const { ambixDir, alembicDir } = writeProjects(graph, options.revisions);
  const s = graph.stats;
  log(
    `  ${s.mainLine} main line, ${s.branches} branches (${s.featureSteps} revisions), ${s.merges} merges, ` +
      `labels [${s.labels.join(', ')}], ${s.dependsOn} depends_on, head ${graph.head}`,
  );

  const node = process.execPath;
  const nodeEnv = cleanEnv(options.keepEnv, { unset: UNSET.node });
  const pythonEnv = cleanEnv(options.keepEnv, { unset: UNSET.python });
  const readAll =
    "const fs=require('fs');let n=0;for(const f of fs.readdirSync('migrations')){fs.readFileSync('migrations/'+f,'utf8');n++}console.log(n)";
  // Warm: ambix's default cache folder (the project's node_modules/.cache/ambix), which the warm-up run fills.
  // Cold: AMBIX_CACHE=0, every file read and parsed on every run.
  const { AMBIX_CACHE: _cache, AMBIX_CACHE_DIR: _cacheDir, ...ambixEnv } = nodeEnv;
  const ambixCmd = (sub, cold) => ({
    key: `ambix-${sub}${cold ? '-cold' : ''}`,
    display: `\`ambix ${sub}\` ${cold ? 'cold (`AMBIX_CACHE=0`)' : 'warm (header cache)'}`,
    label: `ambix ${sub} ${cold ? 'cold' : 'warm'}`,
    file: node,
    args: [options.ambixBin, sub],
    cwd: ambixDir,
    env: cold ? { ...ambixEnv, AMBIX_CACHE: '0' } : ambixEnv,
  });
  const commands = [
    { ...ambixCmd('heads', false), check: checkHeads(graph.head) },
    { ...ambixCmd('history', false), check: checkHistory(graph) },
    { ...ambixCmd('heads', true), check: checkHeads(graph.head) },
    { ...ambixCmd('history', true), check: checkHistory(graph) },
  ];

  // ambix CLI: say clearly if it's not there, and carry on with the rest.
  if (!existsSync(options.ambixBin)) {
    const msg = `ambix CLI not found at ${relative(REPO, options.ambixBin)}: ambix was not measured.`;
    log(`NOTE: ${msg}`);
    for (const c of commands) c.skipped = msg;
  }

  // Alembic
  const { found: py, note: pyNote } = findPython(options.python);
  const alembicCmd = (sub) => ({
    key: `alembic-${sub}`,
    display: `\`alembic ${sub}\``,
    label: `alembic ${sub}`,
    file: py?.python,
    args: ['-m', 'alembic', sub],
    cwd: alembicDir,
    env: pythonEnv,
    skipped: py ? null : `${pyNote}: the Alembic comparison was skipped.`,
  });
  commands.push(
    { ...alembicCmd('heads'), check: checkHeads(graph.head) },
    { ...alembicCmd('history'), check: checkHistory(graph) },
  );
  if (!py) {
    log(`NOTE: ${pyNote}: Alembic comparison skipped.`);
  }

  // Physical floors.
  commands.push(
    {
      key: 'node-startup',
      display: 'floor: `node -e 0` (Node start-up)',
      label: 'node -e 0',
      file: node,
      args: ['-e', '0'],
      cwd: ambixDir,
      env: nodeEnv,
    },
    {
      key: 'node-read',
      display: `floor: \`node -e\` reading the ${thousands(s.total)} .ts files (readFileSync)`,
      label: 'node read all files',
      file: node,
      args: ['-e', readAll],
      cwd: ambixDir,
      env: nodeEnv,
      check: checkPrints(String(s.total)),
    },
    {
      key: 'cat',
      display: 'floor: `cat migrations/* > /dev/null` (via sh)',
      label: 'cat migrations/*',
      file: '/bin/sh',
      args: ['-c', 'cat migrations/* > /dev/null'],
      cwd: ambixDir,
    },
  );
  if (py) {
    commands.push({
      key: 'python-startup',
      display: 'floor: `python3 -c pass` (Python start-up)',
      label: 'python3 -c pass',
      file: py.python,
      args: ['-c', 'pass'],
      cwd: alembicDir,
      env: pythonEnv,
    });
  }

  const machine = {
    ...machineInfo(),
    python: py ? `${py.version} (${py.python})` : 'n/a',
    alembic: py ? `${py.alembic} (SQLAlchemy ${py.sqlalchemy})` : 'n/a',
  };
  const cacheDir = join(ambixDir, 'node_modules', '.cache', 'ambix');
  let cacheAfterWarmup = null;
  measureCommands(
    commands.filter((c) => !c.skipped),
    options.runs,
    () => {
      cacheAfterWarmup = fileStats(cacheDir);
    },
  );
  const cacheAfterRuns = fileStats(cacheDir);
  machine.loadEnd = loadavg();

  // Notes that make the figures interpretable.
  notes.push(...new Set(commands.map((c) => c.skipped).filter(Boolean)));
  const removed = removedEnvNote(options.keepEnv);
  if (removed) notes.push(removed);
  if (py) {
    const pycache = join(alembicDir, 'migrations', 'versions', '__pycache__');
    const cached = existsSync(pycache);
    const first = commands.find((c) => c.key === 'alembic-heads');
    notes.push(
      cached
        ? `Alembic's warm-up cached the bytecode of the ${thousands(s.total)} migrations (\`__pycache__\`), so the ` +
            'timed runs start from it: its usual, most favourable case. ' +
            `Without that cache (a fresh checkout, CI), its first \`alembic heads\` took ${fmt(first.warmupMs)} ms.`
        : 'Alembic wrote no bytecode cache (`__pycache__` absent): every run compiled the migrations again.',
    );
  }
  const warmRan = commands.some((c) => c.times?.length && !c.key.endsWith('-cold'));
  if (warmRan) notes.push(cacheNote(cacheDir, cacheAfterWarmup, cacheAfterRuns));
  for (const c of commands.filter((c) => c.key.includes('history') && c.lines && !c.failure)) {
    notes.push(`\`${c.label}\` printed ${thousands(c.lines)} lines.`);
  }
  const checked = commands.filter((c) => /-(heads|history)(-cold)?$/.test(c.key) && c.times && !c.failure);
  if (checked.length > 0) {
    notes.push(
      `Outputs checked before timing: every \`heads\` names exactly one head, ${graph.head}, the generator's ` +
        `head; every \`history\` mentions all ${thousands(s.total)} revision ids. ` +
        `Checked: ${checked.map((c) => `\`${c.label}\``).join(', ')}.`,
    );
  }

  finish(SECTION, renderSection({ options, graph, commands, machine, notes }), {
    items: commands,
    noun: 'command',
    write: options.write,
    fail,
    header: RESULTS_HEADER,
  });
}

// Run when executed, not when imported (the generator can be imported to inspect a graph).
if (isMain(import.meta.url)) main();

export { generateGraph };
