import type { RevisionInput } from '../../src/graph/index.js';

/*
 * Facts about a raw history, computed straight from the revision inputs and independent of ambix's
 * graph code, for the rules that explain deliberate differences from Alembic.
 */

export class HistoryFacts {
  /** Revision id for each revision id and branch label. */
  readonly owner = new Map<string, string>();
  readonly byId = new Map<string, RevisionInput>();

  constructor(readonly revisions: readonly RevisionInput[]) {
    for (const r of revisions) {
      this.byId.set(r.id, r);
      this.owner.set(r.id, r.id);
    }
    for (const r of revisions) for (const label of r.branchLabels) this.owner.set(label, r.id);
  }

  /** Down revisions and dependencies (labels resolved) of one revision. */
  below(id: string): string[] {
    const r = this.byId.get(id);
    if (r === undefined) return [];
    return [...r.downRevisions, ...r.dependsOn.map((d) => this.owner.get(d) ?? d)];
  }

  /** The given revisions and everything they need, through down revisions and dependencies. */
  implied(rows: readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...rows];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.below(id));
    }
    return seen;
  }

  /**
   * The version table once exactly these revisions are applied: the applied revisions nothing
   * applied revises or depends on, sorted.
   */
  tableOf(applied: ReadonlySet<string>): string[] {
    const needed = new Set([...applied].flatMap((id) => this.below(id)));
    return [...applied].filter((id) => !needed.has(id)).sort();
  }

  /** Is `ancestor` strictly below `id`? */
  isBelow(ancestor: string, id: string): boolean {
    return ancestor !== id && this.implied([id]).has(ancestor);
  }

  /** Rows none of which is below another (what a version table normally holds). */
  isMinimal(rows: readonly string[]): boolean {
    return rows.every((row) => !rows.some((other) => this.isBelow(row, other)));
  }

  /** Revisions without children (down revisions only count), in input order. */
  heads(): string[] {
    const parents = new Set(this.revisions.flatMap((r) => r.downRevisions));
    return this.revisions.map((r) => r.id).filter((id) => !parents.has(id));
  }

  /** Revisions nothing revises or depends on, in input order. */
  realHeads(): string[] {
    const below = new Set(this.revisions.flatMap((r) => this.below(r.id)));
    return this.revisions.map((r) => r.id).filter((id) => !below.has(id));
  }

  /**
   * The one revision a plain symbol names: an exact id or label, `head` (the only head) or `heads`
   * (the only real head); undefined for anything else, null when it names none or several.
   */
  symbol(symbol: string): string | null | undefined {
    const owner = this.owner.get(symbol);
    if (owner !== undefined) return owner;
    if (symbol === 'head' || symbol === 'heads') {
      const heads = symbol === 'head' ? this.heads() : this.realHeads();
      return heads.length === 1 ? heads[0]! : null;
    }
    return undefined;
  }

  /**
   * Where walking `steps` down revisions from `id` ends, the way Alembic's `_walk` goes: 'base'
   * just below a root, null past base, 'ambiguous' at a merge point.
   */
  walkDown(id: string, steps: number): string | null {
    let current: string | null = id;
    for (let k = 0; k < steps; k++) {
      if (current === null || current === 'base' || current === 'ambiguous') return null;
      // A parent named twice is one parent, as ambix reads it.
      const parents: string[] = [...new Set(this.byId.get(current)?.downRevisions ?? [])];
      if (parents.length > 1) return 'ambiguous';
      current = parents[0] ?? 'base';
    }
    return current;
  }

  /**
   * Where `-N` or `<symbol>-N` leads, one result per walk (`-N` walks down from every real head),
   * per {@link walkDown}; undefined when the identifier is not of that form, names a branch
   * (`label@…`), or its symbol is not one {@link symbol} knows.
   */
  relativeDown(identifier: string): (string | null)[] | undefined {
    if (this.owner.has(identifier)) return undefined;
    const match = /^(\w+)?-(\d+)$/.exec(identifier);
    if (match === null) return undefined;
    const steps = Number(match[2]);
    if (match[1] === undefined) return this.realHeads().map((head) => this.walkDown(head, steps));
    const from = this.symbol(match[1]);
    return typeof from === 'string' ? [this.walkDown(from, steps)] : undefined;
  }

  /** Revisions whose down revisions include `id` (dependencies do not count), in input order. */
  children(id: string): string[] {
    return this.revisions.filter((r) => r.downRevisions.includes(id)).map((r) => r.id);
  }

  /** Revisions without down revisions, in input order. */
  bases(): string[] {
    return this.revisions.filter((r) => r.downRevisions.length === 0).map((r) => r.id);
  }

  /** `id`, its ancestors and its descendants through down revisions only (Alembic's lineage). */
  lineage(id: string): Set<string> {
    const out = new Set<string>();
    const down = (x: string): readonly string[] => this.byId.get(x)?.downRevisions ?? [];
    for (const next of [down, (x: string) => this.children(x)]) {
      const seen = new Set<string>();
      const stack = [id];
      while (stack.length > 0) {
        const x = stack.pop()!;
        if (seen.has(x)) continue;
        seen.add(x);
        out.add(x);
        stack.push(...next(x));
      }
    }
    return out;
  }

  /**
   * Where walking `steps` children up from `from` (from the bases when null) ends, the way
   * Alembic's `_walk` goes, keeping only children in `within` when given: null past the newest
   * revision, 'ambiguous' where there is more than one way.
   */
  walkUp(from: string | null, steps: number, within?: ReadonlySet<string>): string | null {
    let current = from;
    for (let k = 0; k < steps; k++) {
      let options = current === null ? this.bases() : this.children(current);
      if (within !== undefined) options = options.filter((o) => within.has(o));
      if (options.length === 0) return null;
      if (options.length > 1) return 'ambiguous';
      current = options[0]!;
    }
    return current;
  }

  /** Keys (revision ids and branch labels) longer than three characters that start with `prefix`. */
  keysStartingWith(prefix: string): string[] {
    return [...this.owner.keys()].filter((key) => key.length > 3 && key.startsWith(prefix));
  }
}
