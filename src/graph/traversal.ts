import { AmbixError } from '../errors.js';
import type { Graph } from './revision-map.js';

/**
 * What to do when one requested revision is reached from another (Alembic's `check=True`):
 * the requested revisions must not be ancestors (or descendants) of each other.
 */
export interface OverlapCheck {
  /** How a reached revision relates to the one it was reached from, e.g. 'an ancestor'. */
  readonly relation: string;
}

/**
 * Marks every revision reachable from `targets` along `edges`, targets included. With a check,
 * fails when a target reaches another target, exactly as Alembic's traversal with `check=True`.
 */
export function reach(
  g: Graph,
  targets: readonly number[],
  edges: readonly (readonly number[])[],
  check?: OverlapCheck,
): Uint8Array {
  const seen = new Uint8Array(g.ids.length);
  let requested: Uint8Array | undefined;
  if (check !== undefined) {
    requested = new Uint8Array(g.ids.length);
    for (const t of targets) requested[t] = 1;
  }
  const stack: number[] = [];
  for (const target of targets) {
    stack.push(target);
    let overlaps: number[] | undefined;
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (requested?.[node] === 1 && node !== target && !overlaps?.includes(node)) {
        overlaps ??= [];
        overlaps.push(node);
      }
      if (seen[node] === 1) continue;
      seen[node] = 1;
      for (const e of edges[node]!) stack.push(e);
    }
    if (overlaps !== undefined && check !== undefined) {
      const others = overlaps.map((o) => g.ids[o]!).join(', ');
      throw new AmbixError(
        'INVALID_PLAN',
        `Revision ${g.ids[target]!} was requested together with ${others}, which is ${check.relation} of it; request only one revision per branch.`,
        { details: { revision: g.ids[target]!, overlaps: overlaps.map((o) => g.ids[o]!) } },
      );
    }
  }
  return seen;
}

/** Ancestors of `targets`, targets included; with dependencies unless told otherwise. */
export function ancestors(
  g: Graph,
  targets: readonly number[],
  includeDependencies = true,
  check?: OverlapCheck,
): Uint8Array {
  return reach(g, targets, includeDependencies ? g.normDown : g.down, check);
}

/** Descendants of `targets`, targets included; with dependents unless told otherwise. */
export function descendants(
  g: Graph,
  targets: readonly number[],
  includeDependencies = true,
  check?: OverlapCheck,
): Uint8Array {
  return reach(g, targets, includeDependencies ? g.allNext : g.next, check);
}

/** The marked revisions in input order. */
export function marked(marks: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < marks.length; i++) if (marks[i] === 1) out.push(i);
  return out;
}

/** Input-order, duplicate-free copy. */
export function uniqueSorted(list: Iterable<number>): number[] {
  return [...new Set(list)].sort((a, b) => a - b);
}
