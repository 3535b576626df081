import { AmbixError } from '../errors.js';
import type { Graph, Revision, RevisionMap } from './revision-map.js';
import { graphOf } from './revision-map.js';
import { ancestors } from './traversal.js';

/*
 * The version table holds one row per head. A step turns into one change of those rows, decided
 * from the heads present before it, with Alembic's HeadMaintainer rules.
 */

/** How one step changes the version table's rows. */
export type VersionTableChange =
  /** A new row: a base, or a revision whose down revisions are not rows (a new branch). */
  | { readonly kind: 'insert'; readonly revision: string }
  /** One row goes: downgrading a base, or a revision whose parents stay implied by other rows. */
  | { readonly kind: 'delete'; readonly revision: string }
  | { readonly kind: 'update'; readonly from: string; readonly to: string }
  /** Upgrading a merge point: the rows of its parents collapse into one. */
  | { readonly kind: 'merge'; readonly delete: readonly string[]; readonly from: string; readonly to: string }
  /** Downgrading a merge point: its row becomes one row per parent that is not otherwise implied. */
  | {
      readonly kind: 'unmerge';
      readonly insert: readonly string[];
      readonly from: string;
      readonly to: string;
    };

/** Running one migration's upgrade or downgrade. */
export interface MigrationStep {
  readonly kind: 'migration';
  readonly direction: 'up' | 'down';
  readonly revision: Revision;
  /**
   * The versions this step leaves: for `up` the revision's down revisions and normalized
   * dependencies (Alembic's `from_revisions`), for `down` the revision itself.
   */
  readonly fromRevisions: readonly string[];
  /** The versions this step reaches: the mirror of `fromRevisions`. */
  readonly toRevisions: readonly string[];
  /** The version-table change, for the heads the plan started from. */
  readonly change: VersionTableChange;
}

/** Moving the version table without running migrations (`ambix stamp`). */
export interface StampStep {
  readonly kind: 'stamp';
  readonly direction: 'up' | 'down';
  /** Current heads this step moves away from (empty when it starts a new branch). */
  readonly fromRevisions: readonly string[];
  /** Revisions it moves to (empty when it goes to base). */
  readonly toRevisions: readonly string[];
  /** True when the step adds a branch's row or removes it outright. */
  readonly branchMove: boolean;
  /** The version-table change, for the heads the plan started from. */
  readonly change: VersionTableChange;
}

export type PlanStep = MigrationStep | StampStep;

/** A step before its change is known. */
export type StepMovement = DistributiveOmit<PlanStep, 'change'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The version-table change a step makes when the table holds `heads` (Alembic's
 * HeadMaintainer.update_to_step): delete a branch, create a branch, merge, unmerge, or update.
 *
 * @throws AmbixError INVALID_PLAN when the step cannot apply to these heads.
 */
export function versionTableChange(
  map: RevisionMap,
  heads: readonly string[],
  step: StepMovement,
): VersionTableChange {
  return changeFor(graphOf(map), heads, step);
}

/**
 * The version table's heads after `step` (a pure HeadMaintainer): rows keep their order,
 * updated rows stay in place and inserted rows go last.
 *
 * @throws AmbixError INVALID_PLAN when the step cannot apply to these heads.
 */
export function applyStep(map: RevisionMap, heads: readonly string[], step: StepMovement): string[] {
  return applyChange(heads, versionTableChange(map, heads, step));
}

/**
 * Remembers what the other rows imply between steps. While a plan walks one branch, the rows of
 * the other branches do not change: the second step with the same rows marks all they imply
 * once; a one-off question is answered by a search bounded by the revisions asked about.
 */
export interface ImpliedCache {
  key?: string;
  uses?: number;
  marks?: Uint8Array;
}

export function changeFor(
  g: Graph,
  heads: readonly string[],
  step: StepMovement,
  cache: ImpliedCache = {},
): VersionTableChange {
  return step.kind === 'stamp' ? stampChange(heads, step) : migrationChange(g, heads, step, cache);
}

function migrationChange(
  g: Graph,
  heads: readonly string[],
  step: Omit<MigrationStep, 'change'>,
  cache: ImpliedCache,
): VersionTableChange {
  const id = step.revision.id;
  const r = g.index.get(id);
  if (r === undefined || g.node(r) !== step.revision) {
    throw new AmbixError('INVALID_PLAN', `Step for revision ${id} does not belong to this revision map.`);
  }
  const downs = g.normDown[r]!.map((d) => g.ids[d]!);

  if (step.direction === 'down') {
    if (heads.includes(id)) {
      if (downs.length === 0) return { kind: 'delete', revision: id };
      const to = unmergeTargets(g, heads, id, downs, cache);
      if (to.length === 0) return { kind: 'delete', revision: id };
      if (to.length > 1) return { kind: 'unmerge', insert: to.slice(0, -1), from: id, to: to.at(-1)! };
      return { kind: 'update', from: id, to: to[0]! };
    }
    return { kind: 'update', from: id, to: singleDown(heads, id, downs) };
  }

  const present = downs.filter((d) => heads.includes(d));
  if (present.length === 0) return { kind: 'insert', revision: id };
  if (downs.length > 1 && present.length > 1) {
    const others = heads.filter((h) => !downs.includes(h));
    const implied = others.length > 0 ? impliedBy(g, others, present, cache) : undefined;
    const notImplied = present.filter((_, k) => implied?.[k] !== true);
    const from = notImplied.length > 0 ? notImplied : present;
    if (from.length === 1) return { kind: 'update', from: from[0]!, to: id };
    return { kind: 'merge', delete: from.slice(0, -1), from: from.at(-1)!, to: id };
  }
  return { kind: 'update', from: singleDown(heads, id, downs), to: id };
}

function singleDown(heads: readonly string[], id: string, downs: readonly string[]): string {
  if (downs.length === 1) return downs[0]!;
  const present = downs.filter((d) => heads.includes(d));
  if (present.length !== 1) {
    throw new AmbixError(
      'INVALID_PLAN',
      `Cannot update the version table for ${id}: expected exactly one of ${downs.join(', ') || '(none)'} among the current heads (${heads.join(', ') || 'none'}).`,
      { details: { revision: id, heads: [...heads] } },
    );
  }
  return present[0]!;
}

/**
 * Parents that become rows again when `id` is downgraded: those that no other row implies and
 * that are not ancestors of another returning parent. (Alembic skips the second filter when other
 * rows exist, which can leave a redundant row for a parent's own ancestor.)
 */
function unmergeTargets(
  g: Graph,
  heads: readonly string[],
  id: string,
  downs: readonly string[],
  cache: ImpliedCache,
): readonly string[] {
  const others = heads.filter((h) => h !== id);
  let to = downs;
  if (others.length > 0) {
    const implied = impliedBy(g, others, downs, cache);
    to = downs.filter((_, k) => !implied[k]);
  }
  if (to.length < 2) return to;
  return to.filter(
    (d, k) =>
      !reachesAny(
        g,
        to.filter((_, j) => j !== k),
        [d],
        false,
      )[0],
  );
}

/** For each candidate: is it one of `heads` or an ancestor of one? */
function impliedBy(
  g: Graph,
  heads: readonly string[],
  candidates: readonly string[],
  cache: ImpliedCache,
): boolean[] {
  const key = [...heads].sort().join(' ');
  if (cache.key !== key) {
    cache.key = key;
    cache.uses = 0;
    cache.marks = undefined;
  }
  cache.uses = (cache.uses ?? 0) + 1;
  if (cache.marks === undefined && cache.uses > 1) cache.marks = ancestors(g, indexesOf(g, heads), true);
  const marks = cache.marks;
  if (marks !== undefined) return candidates.map((c) => marks[g.index.get(c)!] === 1);
  return reachesAny(g, heads, candidates, true);
}

function indexesOf(g: Graph, ids: readonly string[]): number[] {
  return ids.map((id) => g.index.get(id)).filter((i): i is number => i !== undefined);
}

/**
 * For each candidate: is it an ancestor of one of `from` (or one of them, when `orSelf`)? Walks
 * down from `from` but never below the oldest candidate, so it costs the distance between them.
 */
function reachesAny(
  g: Graph,
  from: readonly string[],
  candidates: readonly string[],
  orSelf: boolean,
): boolean[] {
  const wanted = new Map<number, number>();
  let limit = Number.POSITIVE_INFINITY;
  candidates.forEach((c, k) => {
    const i = g.index.get(c)!;
    wanted.set(i, k);
    limit = Math.min(limit, g.topo[i]!);
  });
  const found = candidates.map(() => false);
  const seen = new Set<number>();
  const stack: number[] = [];
  for (const f of indexesOf(g, from)) {
    if (orSelf) stack.push(f);
    else stack.push(...g.normDown[f]!);
  }
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (seen.has(x) || g.topo[x]! < limit) continue;
    seen.add(x);
    const k = wanted.get(x);
    if (k !== undefined) found[k] = true;
    for (const p of g.normDown[x]!) stack.push(p);
  }
  return found;
}

function stampChange(heads: readonly string[], step: Omit<StampStep, 'change'>): VersionTableChange {
  const { fromRevisions: from, toRevisions: to } = step;
  if (step.direction === 'down' && step.branchMove) return { kind: 'delete', revision: only(from, 'from') };
  if (
    step.direction === 'up' &&
    (step.branchMove || from.some((f) => !heads.includes(f))) &&
    to.some((t) => !heads.includes(t))
  ) {
    return { kind: 'insert', revision: only(to, 'to') };
  }
  if (from.length > 1)
    return { kind: 'merge', delete: from.slice(0, -1), from: from.at(-1)!, to: only(to, 'to') };
  if (to.length > 1)
    return { kind: 'unmerge', insert: to.slice(0, -1), from: only(from, 'from'), to: to.at(-1)! };
  return { kind: 'update', from: only(from, 'from'), to: only(to, 'to') };
}

function only(list: readonly string[], what: string): string {
  if (list.length !== 1) {
    throw new AmbixError(
      'INVALID_PLAN',
      `A stamp step needs exactly one '${what}' revision here, not ${list.length}.`,
    );
  }
  return list[0]!;
}

/**
 * Applies a version-table change to a list of heads, returning the new list.
 *
 * @throws AmbixError INVALID_PLAN when a row to delete or update is missing, or one to add exists.
 */
export function applyChange(heads: readonly string[], change: VersionTableChange): string[] {
  const rows = [...heads];
  applyChangeInPlace(rows, change);
  return rows;
}

/** {@link applyChange} on a mutable list. */
export function applyChangeInPlace(rows: string[], change: VersionTableChange): void {
  const remove = (id: string): void => {
    const k = rows.indexOf(id);
    if (k < 0) throw missingRow(id, rows);
    rows.splice(k, 1);
  };
  const insert = (id: string): void => {
    if (rows.includes(id)) throw duplicateRow(id);
    rows.push(id);
  };
  const update = (from: string, to: string): void => {
    const k = rows.indexOf(from);
    if (k < 0) throw missingRow(from, rows);
    if (rows.includes(to)) throw duplicateRow(to);
    rows[k] = to;
  };
  switch (change.kind) {
    case 'insert':
      insert(change.revision);
      break;
    case 'delete':
      remove(change.revision);
      break;
    case 'update':
      update(change.from, change.to);
      break;
    case 'merge':
      for (const id of change.delete) remove(id);
      update(change.from, change.to);
      break;
    case 'unmerge':
      for (const id of change.insert) insert(id);
      update(change.from, change.to);
      break;
  }
}

function missingRow(id: string, heads: readonly string[]): AmbixError {
  return new AmbixError(
    'INVALID_PLAN',
    `The version table has no row for ${id} (its heads are ${heads.join(', ') || 'empty'}); the plan does not fit the database state.`,
    { details: { revision: id, heads: [...heads] } },
  );
}

function duplicateRow(id: string): AmbixError {
  return new AmbixError(
    'INVALID_PLAN',
    `The version table already has a row for ${id}; the plan does not fit the database state.`,
    { details: { revision: id } },
  );
}
