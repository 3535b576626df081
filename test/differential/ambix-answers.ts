import { isDeepStrictEqual } from 'node:util';
import { AmbixError } from '../../src/errors.js';
import type { PlanStep, RevisionMap } from '../../src/graph/index.js';
import {
  applyStep,
  buildRevisionMap,
  planDowngrade,
  planStamp,
  planUpgrade,
  resolveRevision,
  resolveRevisions,
  revisionRange,
  versionTableChange,
} from '../../src/graph/index.js';
import type {
  AlembicInfo,
  AlembicMigrationStep,
  AlembicStampStep,
  AlembicTableStep,
} from './alembic-oracle.js';
import type { Case } from './random-histories.js';

/*
 * ambix's answers to the questions of a case, in the shapes the Alembic oracle answers in, so that
 * most comparisons are plain deep equality.
 */

/** A value, or an error: an AmbixError's code, or `crash <name>` for anything else thrown. */
export type Outcome<T> = { readonly ok: T } | { readonly error: string; readonly message: string };

export function outcome<T>(run: () => T): Outcome<T> {
  try {
    return { ok: run() };
  } catch (error) {
    if (error instanceof AmbixError) return { error: error.code, message: error.message };
    const e = error as Error;
    return { error: `crash ${e.name}`, message: e.stack ?? String(e) };
  }
}

export interface AmbixPlan<Step> {
  readonly steps: readonly Step[];
  /** The version table after each step (change kind and sorted rows), applied with applyStep. */
  readonly table: readonly AlembicTableStep[];
}

export interface AmbixResolution {
  readonly revisions: Outcome<readonly string[]>;
  readonly revision: Outcome<string | null>;
}

export interface AmbixCaseAnswer {
  readonly map: RevisionMap | null;
  readonly build: Outcome<true>;
  readonly info?: AlembicInfo;
  readonly resolve?: readonly AmbixResolution[];
  readonly upgrades?: readonly Outcome<AmbixPlan<AlembicMigrationStep>>[];
  readonly downgrades?: readonly Outcome<AmbixPlan<AlembicMigrationStep>>[];
  readonly stamps?: readonly Outcome<AmbixPlan<AlembicStampStep>>[];
  readonly ranges?: readonly Outcome<readonly string[]>[];
}

/**
 * The version table after each step. The change a plan carries (what the runtime applies) must be
 * the one versionTableChange gives for the rows at that point; anything else is reported as a crash.
 */
function table(map: RevisionMap, start: readonly string[], steps: readonly PlanStep[]): AlembicTableStep[] {
  let rows: readonly string[] = start;
  return steps.map((step) => {
    const change = versionTableChange(map, rows, step);
    if (!isDeepStrictEqual(change, step.change)) {
      throw new Error(
        `planned change ${JSON.stringify(step.change)} but the rows call for ${JSON.stringify(change)}`,
      );
    }
    rows = applyStep(map, rows, step);
    return { kind: step.change.kind, rows: [...rows].sort() };
  });
}

function describe(map: RevisionMap): AlembicInfo {
  const revisions: Record<string, AlembicInfo['revisions'][string]> = {};
  for (const r of map.revisions) {
    revisions[r.id] = {
      branchLabels: [...r.branchLabels],
      dependsOn: [...r.dependsOn],
      normalizedDependsOn: [...r.normalizedDependsOn].sort(),
      children: [...r.children].sort(),
      isBase: r.isBase,
      isHead: r.isHead,
      isRealHead: r.isRealHead,
      isBranchPoint: r.isBranchPoint,
      isMergePoint: r.isMergePoint,
    };
  }
  return { heads: [...map.heads], realHeads: [...map.realHeads], bases: [...map.bases], revisions };
}

function migrationAnswer(plan: typeof planUpgrade) {
  return (map: RevisionMap, current: readonly string[], target: string) =>
    outcome(() => {
      const steps = plan(map, current, target);
      return {
        steps: steps.map((s) => ({
          revision: s.revision.id,
          from: [...s.fromRevisions],
          to: [...s.toRevisions],
        })),
        table: table(map, current, steps),
      };
    });
}

export const planUpgradeAnswer = migrationAnswer(planUpgrade);
export const planDowngradeAnswer = migrationAnswer(planDowngrade);

export function planStampAnswer(map: RevisionMap, current: readonly string[], targets: readonly string[]) {
  return outcome(() => {
    const steps = planStamp(map, current, targets);
    return {
      steps: steps.map((s) => ({
        from: [...s.fromRevisions],
        to: [...s.toRevisions],
        up: s.direction === 'up',
        branchMove: s.branchMove,
      })),
      table: table(map, current, steps),
    };
  });
}

export function rangeAnswer(map: RevisionMap, start: string | readonly string[] | null, end: string | null) {
  return outcome(() => revisionRange(map, start ?? undefined, end ?? undefined).map((r) => r.id));
}

export function answerWithAmbix(c: Case): AmbixCaseAnswer {
  const built = outcome(() => buildRevisionMap(c.revisions));
  if (!('ok' in built)) return { map: null, build: built };
  const map = built.ok;
  return {
    map,
    build: { ok: true },
    info: describe(map),
    resolve: c.identifiers.map((identifier) => ({
      revisions: outcome(() => resolveRevisions(map, identifier).map((r) => r.id)),
      revision: outcome(() => resolveRevision(map, identifier)?.id ?? null),
    })),
    upgrades: c.upgrades.map(([current, target]) => planUpgradeAnswer(map, current, target)),
    downgrades: c.downgrades.map(([current, target]) => planDowngradeAnswer(map, current, target)),
    stamps: c.stamps.map(([current, targets]) => planStampAnswer(map, current, targets)),
    ranges: c.ranges.map(([start, end]) => rangeAnswer(map, start, end)),
  };
}

export const same = isDeepStrictEqual;
