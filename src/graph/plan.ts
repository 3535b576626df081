import { AmbixError } from '../errors.js';
import type {
  ImpliedCache,
  MigrationStep,
  PlanStep,
  StampStep,
  StepMovement,
  VersionTableChange,
} from './heads.js';
import { applyChangeInPlace, changeFor } from './heads.js';
import type { Identifier } from './identifiers.js';
import {
  BASE,
  currentHeadIndexes,
  filterForLineage,
  getRevision,
  getRevisions,
  NONE,
  parseDowngradeTarget,
  parseUpgradeTarget,
  resolveBranch,
} from './identifiers.js';
import type { Graph, Revision, RevisionMap } from './revision-map.js';
import { graphOf } from './revision-map.js';
import { ancestors, descendants, uniqueSorted } from './traversal.js';

/*
 * Which revisions an upgrade, downgrade, stamp or history range covers, and in what order:
 * Alembic's _collect_upgrade_revisions / _collect_downgrade_revisions / _topological_sort and
 * ScriptDirectory._stamp_revs, re-implemented over integer indexes.
 */

interface IterateOptions {
  /** Alembic's implicit_base: also take revisions that are not descendants of the lower end. */
  readonly implicitBase: boolean;
  /** Include the lower end itself. */
  readonly inclusive: boolean;
  /** Fail when a relative move goes past the end (otherwise stop at the end). */
  readonly assertRelativeLength: boolean;
}

interface Collected {
  readonly todo: Uint8Array;
  /** Where the newest-first walk starts. */
  readonly heads: readonly number[];
}

const ANCESTOR_CHECK = { relation: 'an ancestor' };
const DESCENDANT_CHECK = { relation: 'a descendant' };

function revisionsOnly(found: readonly number[], argument: string): number[] {
  if (found.includes(NONE)) {
    throw new AmbixError('RELATIVE_OUT_OF_RANGE', `'${argument}' goes past the end of the history.`, {
      details: { argument },
    });
  }
  return found.filter((r) => r !== BASE);
}

function describe(identifier: Identifier, fallback: string): string {
  if (identifier === null) return fallback;
  if (typeof identifier === 'string') return identifier;
  return identifier.length > 0 ? identifier.join(', ') : fallback;
}

/** Alembic's `_collect_upgrade_revisions`: what reaching `upper` needs beyond `lower`. */
function collectUpgrade(
  g: Graph,
  upper: Identifier,
  lower: Identifier,
  options: IterateOptions,
  notAncestor: () => AmbixError,
): Collected {
  const lowerRevisions = lower === null ? [] : getRevisions(g, lower).filter((r) => r >= 0);
  let targets = revisionsOnly(
    parseUpgradeTarget(g, lowerRevisions, upper, options.assertRelativeLength),
    describe(upper, 'heads'),
  );

  // `label@…` as the lower end keeps only the targets on that branch.
  if (typeof lower === 'string' && lower.includes('@')) {
    let branch = lower.slice(0, lower.indexOf('@'));
    const branchRev = getRevision(g, branch);
    if (branchRev !== null && g.ids[branchRev]! === branch) {
      const labels = [...g.labels[branchRev]!];
      if (labels.length !== 1) {
        throw new AmbixError(
          'INVALID_IDENTIFIER',
          `'${lower}' uses revision ${branch} as a branch, which needs exactly one branch label on it (it has ${labels.length}); use a branch label instead.`,
          { details: { argument: lower } },
        );
      }
      branch = labels[0]!;
    }
    targets = targets.filter((t) => g.labels[t]!.has(branch));
  }

  const required = ancestors(g, targets, true, ANCESTOR_CHECK);
  let current = getRevisions(g, lower);
  let lowerNow = lower;
  if (current.includes(BASE)) {
    // A relative lower end that walked down to base (Alembic fails on this one).
    current = current.filter((r) => r !== BASE);
    if (current.length === 0) lowerNow = null;
  }
  if (!options.implicitBase && current.some((r) => r >= 0 && required[r] !== 1)) {
    throw notAncestor();
  }
  if (current.length > 0 && current[0] === NONE) {
    // A relative lower end that went past the end: count it from the upper end instead.
    const upperRevisions = upper === null ? [] : getRevisions(g, upper).filter((r) => r >= 0);
    const lowerText = typeof lower === 'string' ? lower : null;
    const { revision } = parseDowngradeTarget(g, upperRevisions, lowerText, options.assertRelativeLength);
    if (revision < 0) {
      current = [];
      lowerNow = null;
    } else {
      current = [revision];
      lowerNow = g.ids[revision]!;
    }
  }
  const currentRevisions = current.filter((r) => r >= 0);
  const applied = ancestors(g, currentRevisions, true, ANCESTOR_CHECK);

  const todo = new Uint8Array(g.ids.length);
  for (let i = 0; i < todo.length; i++) todo[i] = required[i] === 1 && applied[i] !== 1 ? 1 : 0;
  if (options.inclusive && lowerNow !== null) {
    for (const r of getRevisions(g, lowerNow)) if (r >= 0) todo[r] = 1;
  }
  if (currentRevisions.length > 0 && !options.implicitBase) {
    const above = descendants(g, currentRevisions, false, DESCENDANT_CHECK);
    for (let i = 0; i < todo.length; i++) if (above[i] !== 1) todo[i] = 0;
  }
  return { todo, heads: targets };
}

/** Alembic's `_collect_downgrade_revisions`: what must be reverted to reach `lower` from `upper`. */
function collectDowngrade(
  g: Graph,
  upper: Identifier,
  lower: string | null,
  options: IterateOptions,
  notAncestor: () => AmbixError,
): Collected {
  const heads = upper === null ? [] : getRevisions(g, upper).filter((r) => r >= 0);
  const { branch, revision: target } = parseDowngradeTarget(g, heads, lower, options.assertRelativeLength);
  const toBase = target < 0;

  let roots: number[];
  if (toBase) roots = [...g.bases];
  else if (options.inclusive) roots = [target];
  else roots = [...g.next[target]!];

  if (branch !== null && roots.length > 1) {
    const onBranch = ancestors(g, [resolveBranch(g, branch)], false);
    roots = roots.filter((r) => onBranch[r] === 1);
    if (roots.length === 0) throw notAncestor();
  }

  const dropped = descendants(g, roots, true);
  const active = ancestors(g, heads, true);
  const todo = new Uint8Array(g.ids.length);
  let any = false;
  for (let i = 0; i < todo.length; i++) {
    if (dropped[i] === 1 && active[i] === 1) {
      todo[i] = 1;
      any = true;
    }
  }
  if (options.implicitBase) {
    const kept = ancestors(g, roots, true);
    for (let i = 0; i < todo.length; i++) {
      if (active[i] === 1 && kept[i] !== 1) {
        todo[i] = 1;
        any = true;
      }
    }
  }
  if (!toBase && !any && !heads.includes(target)) throw notAncestor();
  return { todo, heads };
}

/**
 * Alembic's `_topological_sort`, newest first: walk down one branch at a time from the first
 * head (input order); a revision that another pending head still needs waits, and the walk
 * switches to the first head that needs it. The result keeps each branch contiguous, stops every
 * branch at its branch point before going below it, and puts merge points before their parents.
 *
 * Works on sets that are closed under "between" and reachable from the heads (every set the
 * upgrade and downgrade collectors produce). With `verify`, any other set (a history range
 * through a dependency) falls back to plain reverse topological order, where Alembic would fail
 * an assertion.
 */
function sortNewestFirst(g: Graph, todoIn: Uint8Array, heads: readonly number[], verify: boolean): number[] {
  const n = g.ids.length;
  const todo = Uint8Array.from(todoIn);
  let remaining = 0;
  for (let i = 0; i < n; i++) remaining += todo[i]!;
  if (remaining === 0) return [];

  const current = uniqueSorted(heads.filter((h) => todo[h] === 1));
  if (verify && !isWalkable(g, todo, current, remaining)) {
    return [...Array(n).keys()].filter((i) => todo[i] === 1).sort((a, b) => g.topo[b]! - g.topo[a]!);
  }

  // Children still waiting to be emitted: while any remain, another head needs this revision.
  const waiting = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (todo[i] !== 1) continue;
    for (const d of g.normDown[i]!) if (todo[d] === 1) waiting[d] = waiting[d]! + 1;
  }
  const inCurrent = new Uint8Array(n);
  for (const c of current) inCurrent[c] = 1;

  const visited = new Int32Array(n);
  let stamp = 0;
  /** Is `a` an ancestor of `b`? Searches down from b through pending revisions not older than a. */
  const isAncestor = (a: number, b: number): boolean => {
    stamp++;
    const limit = g.topo[a]!;
    const stack = [b];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x === a) return true;
      if (visited[x] === stamp) continue;
      visited[x] = stamp;
      for (const p of g.normDown[x]!) if (todo[p] === 1 && g.topo[p]! >= limit) stack.push(p);
    }
    return false;
  };

  const out: number[] = [];
  let k = 0;
  // Each switch moves to a strictly newer pending revision, so a run of switches is shorter than
  // the list of heads; the bound only guards against looping forever.
  let switches = 0;
  while (current.length > 0) {
    const candidate = current[k]!;
    if (waiting[candidate]! > 0 && switches <= current.length) {
      const j = current.findIndex((h, i) => i !== k && isAncestor(candidate, h));
      if (j >= 0) {
        k = j;
        switches++;
        continue;
      }
    }
    switches = 0;
    out.push(candidate);
    todo[candidate] = 0;
    const parents = g.normDown[candidate]!.filter((d) => todo[d] === 1);
    for (const d of parents) waiting[d] = waiting[d]! - 1;
    const added = parents.filter((d) => inCurrent[d] !== 1);
    inCurrent[candidate] = 0;
    if (added.length === 0) {
      current.splice(k, 1);
      k = Math.max(k - 1, 0);
    } else {
      current[k] = added[0]!;
      current.push(...added.slice(1));
      for (const d of added) inCurrent[d] = 1;
    }
  }
  return out;
}

/**
 * True when every pending revision lies below a head through pending revisions only, and no
 * path leaves the set and comes back (the set is convex).
 */
function isWalkable(g: Graph, todo: Uint8Array, heads: readonly number[], count: number): boolean {
  const n = g.ids.length;
  const reached = new Uint8Array(n);
  const stack = [...heads];
  let seen = 0;
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (reached[x] === 1) continue;
    reached[x] = 1;
    seen++;
    for (const p of g.normDown[x]!) if (todo[p] === 1) stack.push(p);
  }
  if (seen !== count) return false;
  // Convex: no revision outside the set is both above and below members of it.
  const pending = [...Array(n).keys()].filter((i) => todo[i] === 1);
  const above = reachFrom(g.normNext, pending, n);
  const below = reachFrom(g.normDown, pending, n);
  for (let i = 0; i < n; i++) if (todo[i] !== 1 && above[i] === 1 && below[i] === 1) return false;
  return true;
}

function reachFrom(edges: readonly (readonly number[])[], starts: readonly number[], n: number): Uint8Array {
  const marks = new Uint8Array(n);
  const stack = starts.flatMap((s) => edges[s]!);
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (marks[x] === 1) continue;
    marks[x] = 1;
    for (const e of edges[x]!) stack.push(e);
  }
  return marks;
}

/** Attaches to each movement the version-table change it makes, starting from `currentHeads`. */
function simulate<S extends PlanStep>(
  g: Graph,
  currentHeads: readonly string[],
  movements: readonly DistributiveOmit<S, 'change'>[],
): S[] {
  const heads = [...currentHeads];
  const cache: ImpliedCache = {};
  const steps: S[] = new Array(movements.length);
  for (let k = 0; k < movements.length; k++) {
    const movement = movements[k]!;
    const change = Object.freeze(changeFor(g, heads, movement as StepMovement, cache));
    applyChangeInPlace(heads, change);
    steps[k] = withChange(movement as StepMovement, change) as S;
  }
  return steps;
}

// Spelled out rather than spread: object spread is the slowest part of a 10,000-step plan.
function withChange(movement: StepMovement, change: VersionTableChange): PlanStep {
  if (movement.kind === 'migration') {
    const { kind, direction, revision, fromRevisions, toRevisions } = movement;
    return Object.freeze({ kind, direction, revision, fromRevisions, toRevisions, change });
  }
  const { kind, direction, fromRevisions, toRevisions, branchMove } = movement;
  return Object.freeze({ kind, direction, fromRevisions, toRevisions, branchMove, change });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function migrationMovement(g: Graph, r: number, direction: 'up' | 'down'): Omit<MigrationStep, 'change'> {
  const revision = g.node(r);
  const downs = Object.freeze(g.normDown[r]!.map((d) => g.ids[d]!));
  const self = Object.freeze([revision.id]);
  return direction === 'up'
    ? { kind: 'migration', direction, revision, fromRevisions: downs, toRevisions: self }
    : { kind: 'migration', direction, revision, fromRevisions: self, toRevisions: downs };
}

/**
 * The migrations `ambix upgrade <target>` runs, oldest first, with the version-table change of
 * each. Runs everything the target needs that the current heads do not imply, dependencies
 * included (`depends_on` of another branch is applied first). Shared ancestors come first, each
 * branch runs contiguously, and a merge point runs after all of its parents. A target that is
 * already applied (or older) gives an empty plan.
 *
 * @param currentHeads the version table's rows (exact revision ids; empty for a fresh database).
 * @param target any identifier: `heads`, `head`, a revision id or prefix, `label@head`, `+N`,
 *   `label@+N`, `<rev>+N`, `<rev>-N`...
 */
export function planUpgrade(
  map: RevisionMap,
  currentHeads: readonly string[],
  target: string,
): MigrationStep[] {
  const g = graphOf(map);
  const current = currentHeadIndexes(g, currentHeads);
  const currentIds = current.map((c) => g.ids[c]!);
  const { todo, heads } = collectUpgrade(g, target, currentIds, UPGRADE, () =>
    notUpgradable(g, target, current),
  );
  // Upgrade and downgrade sets are always walkable: everything pending lies below a target.
  const order = sortNewestFirst(g, todo, heads, false).reverse();
  return simulate<MigrationStep>(
    g,
    currentIds,
    order.map((r) => migrationMovement(g, r, 'up')),
  );
}

/**
 * The migrations `ambix downgrade <target>` reverts, newest first, with the version-table change
 * of each: everything above the target that the current heads imply, including revisions of
 * other branches that depend on what is reverted. `label@<rev>` or `label@-N` limit the downgrade
 * to one branch; `base` (or `label@base`) reverts everything (on that branch).
 *
 * @throws AmbixError RANGE_NOT_LINEAR when the target is not below the current heads.
 */
export function planDowngrade(
  map: RevisionMap,
  currentHeads: readonly string[],
  target: string,
): MigrationStep[] {
  const g = graphOf(map);
  const current = currentHeadIndexes(g, currentHeads);
  const currentIds = current.map((c) => g.ids[c]!);
  const { todo, heads } = collectDowngrade(g, currentIds, target, DOWNGRADE, () =>
    notDowngradable(g, target, current),
  );
  const order = sortNewestFirst(g, todo, heads, false);
  return simulate<MigrationStep>(
    g,
    currentIds,
    order.map((r) => migrationMovement(g, r, 'down')),
  );
}

const UPGRADE: IterateOptions = { implicitBase: true, inclusive: false, assertRelativeLength: true };
const DOWNGRADE: IterateOptions = { implicitBase: false, inclusive: false, assertRelativeLength: true };
const HISTORY: IterateOptions = { implicitBase: false, inclusive: true, assertRelativeLength: false };

function notUpgradable(g: Graph, target: string, current: readonly number[]): AmbixError {
  const heads = current.map((c) => g.ids[c]!).join(', ') || 'none';
  return new AmbixError(
    'RANGE_NOT_LINEAR',
    `Cannot upgrade to '${target}': it is not a descendant of the current heads (${heads}).`,
    { details: { target, currentHeads: current.map((c) => g.ids[c]!) } },
  );
}

function notDowngradable(g: Graph, target: string, current: readonly number[]): AmbixError {
  const heads = current.map((c) => g.ids[c]!).join(', ') || 'none';
  return new AmbixError(
    'RANGE_NOT_LINEAR',
    `Cannot downgrade to '${target}': it is not below the current heads (${heads}). Run 'ambix current' and 'ambix history' to pick a revision on their lineage.`,
    { details: { target, currentHeads: current.map((c) => g.ids[c]!) } },
  );
}

/** One end of a history range: an identifier, or the current heads (for `current`). */
export type RangeEnd = string | readonly string[] | undefined;

/**
 * The revisions `ambix history -r start:end` lists, newest first: `end` and its ancestors down
 * to and including `start`, along one line of history (Alembic's `walk_revisions`). `start`
 * defaults to `base`, `end` to `heads`; pass the current heads (possibly empty) for `current`.
 * Relative ends stop at the end of the history instead of failing.
 *
 * @throws AmbixError RANGE_NOT_LINEAR when start is not an ancestor of end.
 */
export function revisionRange(map: RevisionMap, start: RangeEnd, end: RangeEnd): Revision[] {
  const g = graphOf(map);
  const lower =
    start === undefined || start === '' || (typeof start !== 'string' && start.length === 0) ? 'base' : start;
  const upper =
    end === undefined || end === '' || (typeof end !== 'string' && end.length === 0) ? 'heads' : end;
  const { todo, heads } = collectUpgrade(g, upper, lower, HISTORY, () => {
    const from = describe(lower, 'base');
    const to = describe(upper, 'heads');
    return new AmbixError(
      'RANGE_NOT_LINEAR',
      `The range ${from}:${to} does not follow one line of history: ${from} is not an ancestor of ${to}.`,
      { details: { start: from, end: to } },
    );
  });
  return sortNewestFirst(g, todo, heads, true).map((r) => g.node(r));
}

/**
 * Splits `start:end`, `start:` or `:end` (the `-r` argument of `ambix history`).
 *
 * @throws AmbixError INVALID_IDENTIFIER when there is not exactly one `:`.
 */
export function parseRevisionRange(text: string): { readonly start?: string; readonly end?: string } {
  const parts = text.trim().split(':');
  if (parts.length !== 2) {
    throw new AmbixError(
      'INVALID_IDENTIFIER',
      `'${text}' is not a revision range; write start:end, start: or :end.`,
      { details: { argument: text } },
    );
  }
  const [start, end] = parts as [string, string];
  return { ...(start !== '' && { start }), ...(end !== '' && { end }) };
}

/**
 * The version-table moves of `ambix stamp <targets>`: no migration runs, each target replaces the
 * current heads on its lineage (moving them up or down), or starts a new branch when none is
 * on it; `base` removes the rows on its lineage. With `purge`, the table is treated as empty
 * first (the caller deletes its rows).
 */
export function planStamp(
  map: RevisionMap,
  currentHeads: readonly string[],
  targets: readonly string[],
  options: { readonly purge?: boolean } = {},
): StampStep[] {
  const g = graphOf(map);
  const current = options.purge === true ? [] : currentHeadIndexes(g, currentHeads);
  const requested = targets.length > 0 ? targets : ['base'];

  const onLineage: number[] = [];
  for (const target of requested) {
    if (target === '') continue;
    for (const h of filterForLineage(g, current, target, true)) if (!onLineage.includes(h)) onLineage.push(h);
  }
  const fromIds = Object.freeze(onLineage.map((h) => g.ids[h]!));

  const destinations = revisionsOnly(getRevisions(g, requested), requested.join(', '));
  const movements: Omit<StampStep, 'change'>[] = [];
  if (destinations.length === 0) {
    for (const id of fromIds) {
      movements.push({
        kind: 'stamp',
        direction: 'down',
        fromRevisions: [id],
        toRevisions: [],
        branchMove: true,
      });
    }
  }
  for (const dest of destinations) {
    if (onLineage.includes(dest)) continue;
    const to = Object.freeze([g.ids[dest]!]);
    const above = descendants(g, [dest], true);
    const below = ancestors(g, [dest], true);
    if (onLineage.some((h) => above[h] === 1)) {
      movements.push({
        kind: 'stamp',
        direction: 'down',
        fromRevisions: fromIds,
        toRevisions: to,
        branchMove: false,
      });
    } else if (onLineage.some((h) => below[h] === 1)) {
      movements.push({
        kind: 'stamp',
        direction: 'up',
        fromRevisions: fromIds,
        toRevisions: to,
        branchMove: false,
      });
    } else {
      movements.push({
        kind: 'stamp',
        direction: 'up',
        fromRevisions: [],
        toRevisions: to,
        branchMove: true,
      });
    }
  }
  return simulate<StampStep>(
    g,
    current.map((c) => g.ids[c]!),
    movements,
  );
}
