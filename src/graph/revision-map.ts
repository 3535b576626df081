import { AmbixError } from '../errors.js';
import { validateBranchLabel, validateRevisionId } from './identifiers.js';
import type { RevisionInput } from './revision.js';

/**
 * One migration in the revision graph, with everything derived from the whole history.
 * All arrays are frozen; ids are full revision ids.
 */
export interface Revision {
  readonly id: string;
  /** Parents as declared (`down_revision`): empty for a base, several for a merge point. */
  readonly downRevisions: readonly string[];
  /** Cross-branch dependencies resolved to revision ids (a label stands for the revision that declares it). */
  readonly dependsOn: readonly string[];
  /**
   * `dependsOn` without the dependencies an older revision of the same lineage already declares
   * (Alembic's normalized dependencies). These, with `downRevisions`, are what a step moves from.
   */
  readonly normalizedDependsOn: readonly string[];
  /** Branch labels declared by this revision's own file. */
  readonly ownBranchLabels: readonly string[];
  /**
   * Every label that applies to this revision, sorted: labels spread to all descendants through
   * `downRevisions`, and down to the ancestors of a labelled revision when nothing branches or
   * merges above it, stopping at the first branch point or merge point below it (Alembic's rule).
   */
  readonly branchLabels: readonly string[];
  /** Revisions whose `downRevisions` include this one, in input order. */
  readonly children: readonly string[];
  /** Revisions whose `dependsOn` include this one, in input order. */
  readonly dependents: readonly string[];
  /** No down revisions (it may still have dependencies). */
  readonly isBase: boolean;
  /** No children; dependents do not count (Alembic's `is_head`). */
  readonly isHead: boolean;
  /** No children and no dependents: nothing needs this revision (Alembic's `_is_real_head`). */
  readonly isRealHead: boolean;
  /** More than one child; dependents do not count. */
  readonly isBranchPoint: boolean;
  /** More than one down revision; dependencies do not count. */
  readonly isMergePoint: boolean;
  readonly source: string | undefined;
  readonly message: string | undefined;
  readonly createDate: string | undefined;
}

/** The immutable revision graph built from every migration file. */
export interface RevisionMap {
  /** Every revision, parents and dependencies before children; ties keep input order. */
  readonly revisions: readonly Revision[];
  /** Revisions without children, in input order (what `ambix heads` lists). */
  readonly heads: readonly string[];
  /**
   * Heads that nothing depends on either, in input order: the version table's rows after
   * upgrading everything, and what the identifier `heads` means.
   */
  readonly realHeads: readonly string[];
  /** Revisions without down revisions, in input order. */
  readonly bases: readonly string[];
  /** The revision with exactly this id. */
  get(id: string): Revision | undefined;
  /** The revision that declares this branch label in its own file. */
  getByBranchLabel(label: string): Revision | undefined;
}

/**
 * The graph behind a RevisionMap, indexed by input position. Internal to src/graph: every
 * algorithm works on these integer adjacency lists so that 10,000-revision histories stay cheap.
 */
export interface Graph {
  readonly map: RevisionMap;
  /** Revision ids by input index. */
  readonly ids: readonly string[];
  /** The public Revision for an input index, created on first use. */
  node(i: number): Revision;
  readonly index: ReadonlyMap<string, number>;
  /** Revision ids and branch labels (Alembic's revision map keys), for exact and prefix lookup. */
  readonly keys: ReadonlyMap<string, number>;
  /** Versioned parents (`downRevisions`). */
  readonly down: readonly (readonly number[])[];
  /** Parents and resolved dependencies. */
  readonly allDown: readonly (readonly number[])[];
  /** Parents and normalized dependencies. */
  readonly normDown: readonly (readonly number[])[];
  /** Versioned children. */
  readonly next: readonly (readonly number[])[];
  /** Children and dependents. */
  readonly allNext: readonly (readonly number[])[];
  /** Reverse of `normDown`. */
  readonly normNext: readonly (readonly number[])[];
  readonly labels: readonly ReadonlySet<string>[];
  /** Position of each revision in `map.revisions`: ancestors always have a smaller position. */
  readonly topo: Int32Array;
  readonly heads: readonly number[];
  readonly realHeads: readonly number[];
  readonly bases: readonly number[];
}

const graphs = new WeakMap<RevisionMap, Graph>();

/** The indexed graph behind a map built by buildRevisionMap. */
export function graphOf(map: RevisionMap): Graph {
  const graph = graphs.get(map);
  if (graph === undefined) {
    throw new AmbixError('FAILED', 'This RevisionMap was not created by buildRevisionMap().');
  }
  return graph;
}

/** `id (source)` for messages. */
export function describeRevision(id: string, source: string | undefined): string {
  return source === undefined ? id : `${id} (${source})`;
}

/**
 * Builds the immutable revision graph. Linear in the size of the history apart from one
 * priority queue for the deterministic topological order.
 *
 * @throws AmbixError INVALID_REVISION_ID, INVALID_IDENTIFIER (bad branch label), DUPLICATE_REVISION,
 *   DUPLICATE_LABEL, SELF_LOOP, MISSING_PARENT or CYCLE, naming the files involved.
 */
export function buildRevisionMap(inputs: readonly RevisionInput[]): RevisionMap {
  const n = inputs.length;
  const at = (i: number): RevisionInput => inputs[i]!;
  const name = (i: number): string => describeRevision(at(i).id, at(i).source);

  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const input = at(i);
    validateRevisionId(input.id, input.source);
    const previous = index.get(input.id);
    if (previous !== undefined) {
      throw new AmbixError(
        'DUPLICATE_REVISION',
        `Revision id ${input.id} is used by two files: ${at(previous).source ?? '(no source)'} and ${input.source ?? '(no source)'}. Give one of them a new id.`,
        { details: { revision: input.id, sources: [at(previous).source, input.source] } },
      );
    }
    index.set(input.id, i);
  }

  // Branch labels share one namespace with revision ids (Alembic keeps them in the same map).
  const keys = new Map<string, number>(index);
  const ownLabels: (readonly string[])[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const declared = at(i).branchLabels;
    if (declared.length === 0) {
      ownLabels[i] = EMPTY;
      continue;
    }
    for (const label of declared) {
      validateBranchLabel(label, at(i).id, at(i).source);
      const holder = keys.get(label);
      if (holder !== undefined) {
        const what = holder === index.get(label) ? 'the id of revision' : 'already the branch label of';
        throw new AmbixError(
          'DUPLICATE_LABEL',
          `Branch label '${label}' of revision ${name(i)} is ${what} ${name(holder)}. Branch labels must be unique and differ from every revision id; rename one.`,
          { details: { label, revision: at(i).id, other: at(holder).id } },
        );
      }
      keys.set(label, i);
    }
    ownLabels[i] = Object.freeze([...declared]);
  }

  const down: (readonly number[])[] = new Array(n);
  const deps: (readonly number[])[] = new Array(n);
  let anyDependency = false;
  for (let i = 0; i < n; i++) {
    const input = at(i);
    down[i] = input.downRevisions.length === 0 ? EMPTY : resolveParents(input, i, index, name);
    if (input.dependsOn.length === 0) {
      deps[i] = EMPTY;
    } else {
      deps[i] = resolveDependencies(input, i, keys, name);
      anyDependency = true;
    }
  }

  const allDown = anyDependency ? down.map((parents, i) => concatUnique(parents, deps[i]!)) : down;
  const next = reverse(n, down);
  const allNext = anyDependency ? reverse(n, allDown) : next;

  const order = topologicalOrder(n, allDown, allNext);
  if (order.length < n) throw cycleError(n, down, allDown, name);
  const topo = new Int32Array(n);
  for (let position = 0; position < n; position++) topo[order[position]!] = position;

  const normDeps = anyDependency ? normalizeDependencies(n, deps, next, topo) : deps;
  const normDown = anyDependency ? down.map((parents, i) => concatUnique(parents, normDeps[i]!)) : down;
  const normNext = anyDependency ? reverse(n, normDown) : next;
  const dependents = anyDependency ? reverse(n, deps) : deps;

  const labels = spreadBranchLabels(order, ownLabels, down, next, allNext);

  // Label sets are shared along lines of history, and so are their sorted arrays.
  const sorted = new Map<ReadonlySet<string>, readonly string[]>();
  const sortedLabels = (set: ReadonlySet<string>): readonly string[] => {
    if (set.size === 0) return EMPTY;
    let list = sorted.get(set);
    if (list === undefined) {
      list = Object.freeze([...set].sort());
      sorted.set(set, list);
    }
    return list;
  };

  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) ids[i] = inputs[i]!.id;
  const idList = (list: readonly number[]): readonly string[] =>
    list.length === 0 ? EMPTY : Object.freeze(list.map((i) => ids[i]!));

  // Revision objects are built on first use: `ambix heads` on a long history needs only a few.
  const nodes: (Revision | undefined)[] = new Array(n);
  const node = (i: number): Revision => {
    const existing = nodes[i];
    if (existing !== undefined) return existing;
    const input = at(i);
    const parents = down[i]!;
    const children = next[i]!;
    const labelSet = labels[i]!;
    const revision: Revision = Object.freeze({
      id: input.id,
      downRevisions: idList(parents),
      dependsOn: idList(deps[i]!),
      normalizedDependsOn: idList(normDeps[i]!),
      ownBranchLabels: ownLabels[i]!,
      branchLabels: sortedLabels(labelSet),
      children: idList(children),
      dependents: idList(dependents[i]!),
      isBase: parents.length === 0,
      isHead: children.length === 0,
      isRealHead: allNext[i]!.length === 0,
      isBranchPoint: children.length > 1,
      isMergePoint: parents.length > 1,
      source: input.source,
      message: input.message,
      createDate: input.createDate,
    });
    nodes[i] = revision;
    return revision;
  };

  const heads: number[] = [];
  const realHeads: number[] = [];
  const bases: number[] = [];
  for (let i = 0; i < n; i++) {
    if (next[i]!.length === 0) heads.push(i);
    if (allNext[i]!.length === 0) realHeads.push(i);
    if (down[i]!.length === 0) bases.push(i);
  }

  let revisions: readonly Revision[] | undefined;
  const map: RevisionMap = Object.freeze({
    get revisions(): readonly Revision[] {
      revisions ??= Object.freeze(order.map(node));
      return revisions;
    },
    heads: idList(heads),
    realHeads: idList(realHeads),
    bases: idList(bases),
    get: (id: string) => {
      const i = index.get(id);
      return i === undefined ? undefined : node(i);
    },
    getByBranchLabel: (label: string) => {
      const i = keys.get(label);
      return i === undefined || index.get(label) === i ? undefined : node(i);
    },
  });

  graphs.set(map, {
    map,
    ids,
    node,
    index,
    keys,
    down,
    allDown,
    normDown,
    next,
    allNext,
    normNext,
    labels,
    topo,
    heads,
    realHeads,
    bases,
  });
  return map;
}

const EMPTY: readonly never[] = Object.freeze([]);

function resolveParents(
  input: RevisionInput,
  i: number,
  index: ReadonlyMap<string, number>,
  name: (i: number) => string,
): number[] {
  const parents: number[] = [];
  for (const parent of input.downRevisions) {
    if (parent === input.id) {
      throw new AmbixError(
        'SELF_LOOP',
        `Revision ${name(i)} lists itself as its own down revision. Point it at the revision it follows.`,
        { details: { revision: input.id } },
      );
    }
    const p = index.get(parent);
    if (p === undefined) {
      throw new AmbixError(
        'MISSING_PARENT',
        `Revision ${name(i)} revises ${parent}, but no migration file has that revision id. Restore the missing file or fix the down revision.`,
        { details: { revision: input.id, missing: parent, source: input.source } },
      );
    }
    if (!parents.includes(p)) parents.push(p);
  }
  return parents;
}

function resolveDependencies(
  input: RevisionInput,
  i: number,
  keys: ReadonlyMap<string, number>,
  name: (i: number) => string,
): number[] {
  const resolved: number[] = [];
  for (const dependency of input.dependsOn) {
    const d = keys.get(dependency);
    if (dependency === input.id || d === i) {
      const via = dependency === input.id ? '' : ` (through its own branch label '${dependency}')`;
      throw new AmbixError(
        'SELF_LOOP',
        `Revision ${name(i)} depends on itself${via}. Remove it from depends on.`,
        {
          details: { revision: input.id },
        },
      );
    }
    if (d === undefined) {
      throw new AmbixError(
        'MISSING_PARENT',
        `Revision ${name(i)} depends on ${dependency}, which is neither a revision id nor a branch label. Restore the missing file or fix depends on.`,
        { details: { revision: input.id, missing: dependency, source: input.source } },
      );
    }
    if (!resolved.includes(d)) resolved.push(d);
  }
  return resolved;
}

function concatUnique(first: readonly number[], second: readonly number[]): readonly number[] {
  if (second.length === 0) return first;
  const out = [...first];
  for (const x of second) if (!out.includes(x)) out.push(x);
  return out;
}

/** Reverses adjacency lists; each reversed list comes out in ascending input order. */
function reverse(n: number, edges: readonly (readonly number[])[]): (readonly number[])[] {
  const out: (readonly number[])[] = new Array(n).fill(EMPTY);
  for (let i = 0; i < n; i++) {
    for (const j of edges[i]!) {
      const list = out[j]!;
      if (list === EMPTY) out[j] = [i];
      else (list as number[]).push(i);
    }
  }
  return out;
}

/**
 * Kahn's algorithm, always taking the ready revision that came first in the input: the
 * result is deterministic and keeps input order wherever the graph allows it.
 */
function topologicalOrder(
  n: number,
  parents: readonly (readonly number[])[],
  children: readonly (readonly number[])[],
): number[] {
  const waiting = new Int32Array(n);
  const heap = new MinHeap(n);
  for (let i = 0; i < n; i++) {
    waiting[i] = parents[i]!.length;
    if (waiting[i] === 0) heap.push(i);
  }
  const order: number[] = [];
  while (heap.size > 0) {
    const node = heap.pop();
    order.push(node);
    for (const child of children[node]!) {
      waiting[child] = waiting[child]! - 1;
      if (waiting[child] === 0) heap.push(child);
    }
  }
  return order;
}

class MinHeap {
  private readonly items: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(capacity, 1));
  }

  push(value: number): void {
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items[--this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && items[child + 1]! < items[child]!) child++;
      if (items[child]! >= last) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * Names the revisions on one cycle. Down revisions are checked first, as Alembic does, so a cycle
 * made only of down revisions is reported as such even when dependencies also loop.
 */
function cycleError(
  n: number,
  down: readonly (readonly number[])[],
  allDown: readonly (readonly number[])[],
  name: (i: number) => string,
): AmbixError {
  const versionedLeft = leftovers(n, down);
  const viaDependencies = versionedLeft === null;
  const edges = viaDependencies ? allDown : down;
  const left = versionedLeft ?? leftovers(n, allDown)!;

  // Every revision Kahn could not place has an unplaced parent: follow those until one repeats.
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let node = left.findIndex(Boolean);
  while (!seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    node = edges[node]!.find((parent) => left[parent])!;
  }
  const cycle = path.slice(seenAt.get(node));
  const links = cycle.map((rev, k) => {
    const older = cycle[(k + 1) % cycle.length]!;
    const how = down[rev]!.includes(older) ? 'revises' : 'depends on';
    return `${name(rev)} ${how} ${name(older)}`;
  });
  const kind = viaDependencies
    ? 'Down revisions and dependencies form a cycle'
    : 'Down revisions form a cycle';
  return new AmbixError(
    'CYCLE',
    `${kind}: ${links.join(', ')}. Break the cycle by fixing the down revision or depends on of one of these files.`,
    { details: { revisions: cycle.map((rev) => name(rev)) } },
  );
}

/** Marks of the revisions a topological sort over `edges` cannot place, or null if it places all. */
function leftovers(n: number, parents: readonly (readonly number[])[]): Uint8Array | null {
  const children = reverse(n, parents);
  const order = topologicalOrder(n, parents, children);
  if (order.length === n) return null;
  const left = new Uint8Array(n).fill(1);
  for (const i of order) left[i] = 0;
  return left;
}

/**
 * Alembic's normalized dependencies: a revision drops a dependency when one of its (versioned)
 * ancestors declares the same dependency. For each dependency target, a walk from the children
 * of its dependents marks their descendants, bounded by the newest dependent.
 */
function normalizeDependencies(
  n: number,
  deps: readonly (readonly number[])[],
  next: readonly (readonly number[])[],
  topo: Int32Array,
): (readonly number[])[] {
  const dependers = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    for (const d of deps[i]!) {
      const list = dependers.get(d);
      if (list === undefined) dependers.set(d, [i]);
      else list.push(i);
    }
  }
  const dropped = new Set<string>();
  const mark = new Int32Array(n).fill(-1);
  for (const [target, list] of dependers) {
    if (list.length < 2) continue;
    let limit = 0;
    for (const r of list) limit = Math.max(limit, topo[r]!);
    const stack: number[] = [];
    for (const r of list) stack.push(...next[r]!);
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (mark[node] === target || topo[node]! > limit) continue;
      mark[node] = target;
      stack.push(...next[node]!);
    }
    for (const r of list) {
      if (mark[r] === target) dropped.add(`${r}:${target}`);
    }
  }
  if (dropped.size === 0) return [...deps];
  return deps.map((list, i) => (list.length === 0 ? list : list.filter((d) => !dropped.has(`${i}:${d}`))));
}

/**
 * Effective branch labels, as Alembic computes them: a label reaches every descendant of the
 * revision declaring it; and when that revision and all its descendants form a plain line (no
 * branch point, no merge point, counting dependents as children), it also reaches the ancestors
 * below it down to, not including, the first branch point or merge point.
 */
function spreadBranchLabels(
  order: readonly number[],
  own: readonly (readonly string[])[],
  down: readonly (readonly number[])[],
  next: readonly (readonly number[])[],
  allNext: readonly (readonly number[])[],
): ReadonlySet<string>[] {
  const n = order.length;
  const empty: ReadonlySet<string> = new Set();
  if (!own.some((labels) => labels.length > 0)) return new Array<ReadonlySet<string>>(n).fill(empty);
  const stops = (i: number): boolean => allNext[i]!.length > 1 || down[i]!.length > 1;
  const plainAbove = new Uint8Array(n);
  const fromAbove: (ReadonlySet<string> | undefined)[] = new Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k]!;
    if (stops(i)) continue;
    const child = next[i]![0];
    plainAbove[i] = child === undefined || plainAbove[child] === 1 ? 1 : 0;
    const inherited = child !== undefined && !stops(child) ? fromAbove[child] : undefined;
    const mine = plainAbove[i] === 1 && own[i]!.length > 0 ? own[i] : undefined;
    fromAbove[i] = mine === undefined ? inherited : union(inherited, mine);
  }

  const labels: ReadonlySet<string>[] = new Array(n);
  for (const i of order) {
    const parents = down[i]!;
    let set: ReadonlySet<string> = parents.length > 0 ? labels[parents[0]!]! : empty;
    for (let p = 1; p < parents.length; p++) set = union(set, labels[parents[p]!]!);
    set = union(set, own[i]!);
    const above = fromAbove[i];
    if (above !== undefined) set = union(set, above);
    labels[i] = set;
  }
  return labels;
}

/** Union that returns `base` itself when `extra` adds nothing, so unlabelled lines share one set. */
function union(base: ReadonlySet<string> | undefined, extra: Iterable<string>): ReadonlySet<string> {
  let out: Set<string> | undefined;
  for (const label of extra) {
    if (base?.has(label) || out?.has(label)) continue;
    out ??= new Set(base);
    out.add(label);
  }
  return out ?? base ?? new Set();
}
