import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Case } from './random-histories.js';

/*
 * Runs test/differential/alembic-oracle.py with the Alembic that Debian installs (python3-alembic):
 * one Python process answers every case. /usr/bin/python3 on purpose: a `python3` found on PATH
 * may be a pyenv or virtualenv interpreter without Alembic.
 */

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./alembic-oracle.py', import.meta.url));

/** An exception Alembic raised. */
export interface AlembicError {
  /** Its class name. */
  readonly error: string;
  readonly message: string;
  /** The function and source line that raised it (tells Alembic's own assertions apart). */
  readonly where?: string;
  readonly line?: string;
  /** For a history range whose topological sort failed: the revisions Alembic had collected. */
  readonly collected?: readonly string[];
}

/** Alembic's answer: a value, an exception, or a warning it emitted. */
export type AlembicAnswer<T> = { readonly ok: T } | AlembicError | { readonly warning: string };

export interface AlembicRevisionInfo {
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
  readonly normalizedDependsOn: readonly string[];
  readonly children: readonly string[];
  readonly isBase: boolean;
  readonly isHead: boolean;
  readonly isRealHead: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
}

export interface AlembicInfo {
  readonly heads: readonly string[];
  readonly realHeads: readonly string[];
  readonly bases: readonly string[];
  readonly revisions: Readonly<Record<string, AlembicRevisionInfo>>;
}

/** Which branch of HeadMaintainer.update_to_step a step took. */
export type AlembicUpdateKind = 'delete' | 'insert' | 'merge' | 'unmerge' | 'update';

/** One row change HeadMaintainer made: ['insert', rev], ['delete', rev] or ['update', from, to]. */
export type AlembicRowChange = readonly string[];

export interface AlembicTableStep {
  readonly kind: AlembicUpdateKind;
  /** The version table's rows after the step, sorted. */
  readonly rows: readonly string[];
}

export interface AlembicTableFailure {
  readonly error: string;
  readonly message: string;
  /** Index of the step HeadMaintainer failed on. */
  readonly at: number;
  /** The branch it took, or null when choosing the branch failed. */
  readonly kind: AlembicUpdateKind | null;
  /** The row changes of that step up to and including the one that failed. */
  readonly changes: readonly AlembicRowChange[];
}

export interface AlembicPlan<Step> {
  readonly steps: readonly Step[];
  /** The version table after each step, up to the step HeadMaintainer failed on (if it did). */
  readonly table: readonly AlembicTableStep[];
  readonly tableFailure?: AlembicTableFailure;
}

export interface AlembicMigrationStep {
  readonly revision: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
}

export interface AlembicStampStep {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly up: boolean;
  readonly branchMove: boolean;
}

/** Revision ids; null where a relative walk went past the end, 'base' where it went below a root. */
export type AlembicRevisionList = readonly (string | null)[];

export interface AlembicResolution {
  /** RevisionMap.get_revisions(identifier) */
  readonly getRevisions: AlembicAnswer<AlembicRevisionList>;
  /** RevisionMap.get_revision(identifier) */
  readonly getRevision: AlembicAnswer<string | null>;
  /** RevisionMap._parse_upgrade_target((), identifier): how `alembic upgrade` reads it on an empty table. */
  readonly upgradeTarget: AlembicAnswer<AlembicRevisionList>;
}

export interface AlembicCaseAnswer {
  readonly build: AlembicAnswer<true>;
  /** Present when the build succeeded, with one answer per question of the case, in order. */
  readonly info?: AlembicInfo;
  readonly resolve?: readonly AlembicResolution[];
  readonly upgrades?: readonly AlembicAnswer<AlembicPlan<AlembicMigrationStep>>[];
  readonly downgrades?: readonly AlembicAnswer<AlembicPlan<AlembicMigrationStep>>[];
  readonly stamps?: readonly AlembicAnswer<AlembicPlan<AlembicStampStep>>[];
  readonly ranges?: readonly AlembicAnswer<readonly string[]>[];
}

export interface AlembicAnswers {
  readonly alembic: string;
  readonly answers: readonly AlembicCaseAnswer[];
}

/** The installed Alembic's version, or null when /usr/bin/python3 cannot import it. */
export function installedAlembic(): string | null {
  const probe = spawnSync(PYTHON, ['-s', '-c', 'import alembic; print(alembic.__version__)'], {
    encoding: 'utf8',
    env: {},
  });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

/** Asks Alembic about every case in one Python process. */
export function askAlembic(cases: readonly Case[]): AlembicAnswers {
  const input = cases.map((c) => ({
    revisions: c.revisions,
    identifiers: c.identifiers,
    upgrades: c.upgrades,
    downgrades: c.downgrades,
    stamps: c.stamps,
    ranges: c.ranges,
  }));
  const run = spawnSync(PYTHON, ['-s', '-B', SCRIPT], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    // A fixed hash seed: where Alembic's results depend on set iteration order, reruns agree.
    env: { PYTHONHASHSEED: '0' },
  });
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0) {
    throw new Error(`${SCRIPT} failed with status ${run.status}:\n${run.stderr}`);
  }
  return JSON.parse(run.stdout) as AlembicAnswers;
}
