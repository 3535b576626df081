import { AmbixError } from '../errors.js';
import type { Graph, Revision, RevisionMap } from './revision-map.js';
import { describeRevision, graphOf } from './revision-map.js';
import { ancestors, descendants, marked, uniqueSorted } from './traversal.js';

/*
 * Identifier resolution, re-implementing Alembic's RevisionMap.get_revisions / get_revision /
 * _resolve_revision_number / _walk and the relative-target parsers used by upgrade and downgrade.
 * Internally a resolved revision is its input index; two markers stand for Alembic's non-revisions.
 */

/** No revision: a relative move went past the end of the history (Alembic's `None` from `_walk`). */
export const NONE = -1;
/** Below the first revision (Alembic's `"base"` from walking down off a root). */
export const BASE = -2;

/** What Alembic accepts where it takes "a revision identifier": one string, several, or base. */
export type Identifier = string | readonly string[] | null;

const RESERVED = new Set(['head', 'heads', 'base', 'current']);
const ILLEGAL_IN_ID = /[@+:\s-]/;

/**
 * Checks a revision id: not empty, no whitespace, none of `@ - + :` (they are identifier syntax),
 * and none of the words `head`, `heads`, `base`, `current`.
 *
 * @param source where the id came from, named in the message.
 * @throws AmbixError INVALID_REVISION_ID
 */
export function validateRevisionId(id: string, source?: string): void {
  if (id.length > 0 && !ILLEGAL_IN_ID.test(id) && !RESERVED.has(id)) return;
  const where = source === undefined ? '' : ` in ${source}`;
  if (id.length === 0) {
    throw new AmbixError(
      'INVALID_REVISION_ID',
      `The revision id${where} is empty; give the revision an id.`,
      {
        details: { revision: id, source },
      },
    );
  }
  const bad = [...new Set(id.match(new RegExp(ILLEGAL_IN_ID, 'g')) ?? [])];
  if (bad.length > 0) {
    const shown = bad.map((c) => (/\s/.test(c) ? 'whitespace' : `'${c}'`)).join(', ');
    throw new AmbixError(
      'INVALID_REVISION_ID',
      `Revision id '${id}'${where} contains ${shown}; revision ids may not contain whitespace or any of @ - + : because those characters are identifier syntax.`,
      { details: { revision: id, source } },
    );
  }
  if (RESERVED.has(id)) {
    throw new AmbixError(
      'INVALID_REVISION_ID',
      `Revision id '${id}'${where} is a reserved word (head, heads, base, current); choose another id.`,
      { details: { revision: id, source } },
    );
  }
}

/**
 * Checks a branch label: not empty, no whitespace, no `@` or `:` (both are identifier syntax),
 * not a reserved word.
 *
 * @throws AmbixError INVALID_IDENTIFIER
 */
export function validateBranchLabel(label: string, revision: string, source?: string): void {
  if (label.length === 0 || /[@:\s]/.test(label) || /^[+-]/.test(label) || RESERVED.has(label)) {
    throw new AmbixError(
      'INVALID_IDENTIFIER',
      `Branch label '${label}' of revision ${describeRevision(revision, source)} is not usable: labels must be non-empty, contain no whitespace, '@' or ':', not start with '+' or '-', and not be head, heads, base or current.`,
      { details: { label, revision, source } },
    );
  }
}

const ids = (g: Graph, list: readonly number[]): string[] => list.map((i) => g.ids[i]!);

function multipleHeads(g: Graph, heads: readonly number[], argument: string): AmbixError {
  const named = [...new Set(ids(g, heads))];
  const list = named.join(', ');
  const at = argument.lastIndexOf('@');
  const message =
    at > 0
      ? `Branch '${argument.slice(0, at)}' has multiple heads (${list}); use '${argument.slice(0, at)}@heads' for all of them, a revision id for one, or join them with 'ambix merge'.`
      : `Multiple heads are present (${list}); use 'heads', 'label@head', a revision id, or join them with 'ambix merge heads'.`;
  return new AmbixError('MULTIPLE_HEADS', message, { details: { heads: named, argument } });
}

/** Alembic's `_resolve_revision_number`: splits `label@rest` and expands head/heads/base. */
export function resolveRevisionNumber(
  g: Graph,
  identifier: string | null,
): { readonly ids: readonly string[]; readonly branch: string | null } {
  let id = identifier;
  let branch: string | null = null;
  if (id?.includes('@')) {
    const at = id.indexOf('@');
    branch = id.slice(0, at) || null;
    id = id.slice(at + 1);
  }
  if (id === 'heads') {
    return branch !== null
      ? { ids: ids(g, filterForLineage(g, g.heads, branch)), branch }
      : { ids: ids(g, g.realHeads), branch };
  }
  if (id === 'head') {
    const head = currentHead(g, branch);
    return { ids: head === null ? [] : [g.ids[head]!], branch };
  }
  if (id === 'base' || id === null) return { ids: [], branch };
  return { ids: [id], branch };
}

/** Alembic's `get_current_head`: the single head, optionally within one branch's lineage. */
export function currentHead(g: Graph, branch: string | null): number | null {
  const heads = branch !== null ? filterForLineage(g, g.heads, branch) : g.heads;
  if (heads.length > 1) throw multipleHeads(g, heads, branch !== null ? `${branch}@head` : 'head');
  return heads[0] ?? null;
}

/** Marks the ancestors and descendants of every revision in `shares`. */
function lineage(g: Graph, shares: readonly number[], includeDependencies: boolean): Uint8Array {
  const up = descendants(g, shares, includeDependencies);
  const down = ancestors(g, shares, includeDependencies);
  for (let i = 0; i < up.length; i++) up[i] = up[i]! | down[i]!;
  return up;
}

/**
 * Marks the lineage (ancestors and descendants) of what `checkAgainst` names: a label, a
 * revision, `label@rev`, ...; null when it names nothing to compare with, such as `base`.
 */
function lineageOf(g: Graph, checkAgainst: string | null, includeDependencies: boolean): Uint8Array | null {
  const { ids: resolved, branch } = resolveRevisionNumber(g, checkAgainst);
  const shares = branch !== null ? [branch, ...resolved] : resolved;
  if (shares.length === 0) return null;
  const against: number[] = [];
  for (const share of shares) {
    const r = revisionForIdent(g, share, null);
    if (r !== null) against.push(r);
  }
  return lineage(g, against, includeDependencies);
}

/**
 * Alembic's `filter_for_lineage`: keeps the targets that are an ancestor or a descendant of
 * what `checkAgainst` names.
 */
export function filterForLineage(
  g: Graph,
  targets: readonly number[],
  checkAgainst: string | null,
  includeDependencies = false,
): number[] {
  // Like Alembic, what to test against is only looked up when there is something to test.
  if (targets.length === 0) return [];
  const marks = lineageOf(g, checkAgainst, includeDependencies);
  return marks === null ? [...targets] : targets.filter((t) => marks[t] === 1);
}

function sharesLineage(g: Graph, target: number, against: number): boolean {
  return lineage(g, [against], false)[target] === 1;
}

/** Alembic's `_resolve_branch`: a label, a revision id, or a unique prefix. */
export function resolveBranch(g: Graph, label: string): number {
  const exact = g.keys.get(label);
  if (exact !== undefined) return exact;
  try {
    return revisionForIdent(g, label, null)!;
  } catch (error) {
    if (error instanceof AmbixError && error.code === 'UNKNOWN_REVISION') {
      throw new AmbixError(
        'UNKNOWN_REVISION',
        `No branch label or revision matches '${label}'. Run 'ambix branches' or 'ambix history' to see what exists.`,
        { details: { branch: label } },
      );
    }
    throw error;
  }
}

/**
 * Alembic's `_revision_for_ident`: an exact revision id or branch label, else a unique prefix of
 * one of them (only keys longer than three characters take part, as in Alembic). With a branch,
 * prefix candidates are narrowed to that branch's lineage and the result must belong to it.
 */
export function revisionForIdent(
  g: Graph,
  resolvedId: string | null,
  checkBranch: string | null,
): number | null {
  const branchRev = checkBranch !== null ? resolveBranch(g, checkBranch) : null;
  if (resolvedId === null) return null;
  let revision = g.keys.get(resolvedId);
  if (revision === undefined) {
    const candidates = new Set<number>();
    for (const [key, i] of g.keys) {
      if (key.length > 3 && key.startsWith(resolvedId)) candidates.add(i);
    }
    let found = [...candidates];
    if (branchRev !== null) found = filterForLineage(g, found, checkBranch);
    if (found.length === 0) {
      const hint =
        resolvedId.length < 4
          ? ' A partial revision id must match the start of an id of at least four characters.'
          : " Run 'ambix history' to see the revision ids.";
      const where = checkBranch !== null ? ` on branch '${checkBranch}'` : '';
      throw new AmbixError(
        'UNKNOWN_REVISION',
        `No revision or branch label matches '${resolvedId}'${where}.${hint}`,
        {
          details: { argument: resolvedId },
        },
      );
    }
    if (found.length > 1) {
      const list = ids(g, found);
      const shown =
        list.length > 5 ? `${list.slice(0, 5).join(', ')} and ${list.length - 5} more` : list.join(', ');
      throw new AmbixError(
        'AMBIGUOUS_REVISION',
        `'${resolvedId}' is ambiguous: it is the start of ${shown}. Type more characters of the revision id.`,
        { details: { argument: resolvedId, candidates: list.slice(0, 100), count: list.length } },
      );
    }
    revision = found[0]!;
  }
  if (branchRev !== null && !sharesLineage(g, revision, branchRev)) {
    throw new AmbixError(
      'UNKNOWN_REVISION',
      `Revision ${g.ids[revision]!} is not on branch '${checkBranch}' (neither an ancestor nor a descendant of ${g.ids[branchRev]!}).`,
      { details: { revision: g.ids[revision]!, branch: checkBranch } },
    );
  }
  return revision;
}

/**
 * Alembic's `get_revisions`: every revision an identifier (or list of identifiers) names.
 * `base` names nothing; `-N` and `label@-N` walk down from the heads (Alembic's rule), and may
 * yield NONE or BASE markers.
 */
export function getRevisions(g: Graph, identifier: Identifier): number[] {
  if (identifier !== null && typeof identifier !== 'string') {
    return identifier.flatMap((one) => getRevisions(g, one));
  }
  const { ids: resolved, branch } = resolveRevisionNumber(g, identifier);
  const only = resolved.length === 1 ? resolved[0]! : undefined;
  if (only !== undefined && /^[+-]?\d+$/.test(only) && Number(only) < 0) {
    let heads = getRevisions(g, 'heads');
    if (branch !== null) heads = heads.filter((h) => g.labels[h]!.has(branch));
    return heads.map((h) => walk(g, h, Number(only), null, true, identifier ?? 'base'));
  }
  return resolved.map((id) => revisionForIdent(g, id, branch) ?? NONE);
}

/**
 * Alembic's `get_revision`: exactly one revision, or null for base.
 *
 * @throws AmbixError MULTIPLE_HEADS when the identifier names several revisions.
 */
export function getRevision(g: Graph, identifier: string | null): number | null {
  const { ids: resolved, branch } = resolveRevisionNumber(g, identifier);
  if (resolved.length > 1) {
    throw new AmbixError(
      'MULTIPLE_HEADS',
      `'${identifier}' names several revisions (${[...new Set(resolved)].join(', ')}) where one is needed; use a revision id or 'label@head'.`,
      { details: { heads: [...new Set(resolved)], argument: identifier } },
    );
  }
  return revisionForIdent(g, resolved[0] ?? null, branch);
}

/**
 * Alembic's `_walk`: moves `steps` revisions up (children, optionally only within a branch's
 * lineage) or down (down revisions). Walking up from NONE starts at the bases; walking down off a
 * root reaches BASE. Past the end it returns NONE, or with `noOverwalk` false stops where it is.
 * Returns where the walk ended: a revision, NONE or BASE.
 *
 * @throws AmbixError when a step has more than one way to go.
 */
export function walk(
  g: Graph,
  start: number,
  steps: number,
  branch: string | null,
  noOverwalk: boolean,
  argument: string,
): number {
  let current = start;
  let branchMarks: Uint8Array | null | undefined;
  for (let step = 0; step < Math.abs(steps); step++) {
    let options: number[];
    if (steps > 0) {
      options = [...(current === NONE || current === BASE ? g.bases : g.next[current]!)];
      if (branch !== null) {
        if (branchMarks === undefined) branchMarks = lineageOf(g, branch, false);
        const marks = branchMarks;
        if (marks !== null) options = options.filter((o) => marks[o] === 1);
      }
    } else if (current === BASE) {
      options = [];
    } else {
      options = [...(current === NONE ? g.heads : g.down[current]!)];
      if (options.length === 0) options = [BASE];
    }
    if (options.length === 0) return noOverwalk ? NONE : current;
    if (options.length > 1) throw ambiguousWalk(g, current, options, steps > 0, argument);
    current = options[0]!;
  }
  return current;
}

function ambiguousWalk(g: Graph, from: number, options: readonly number[], up: boolean, argument: string) {
  const list = ids(g, options).join(', ');
  if (from === NONE || from === BASE) {
    return up
      ? new AmbixError(
          'MULTIPLE_BASES',
          `'${argument}' counts from base, but there are several bases (${list}); use 'label@base+N' or '<revision>+N'.`,
          { details: { argument, bases: ids(g, options) } },
        )
      : multipleHeads(g, options, argument);
  }
  const what = up ? 'children' : 'down revisions';
  return new AmbixError(
    'AMBIGUOUS_REVISION',
    `'${argument}' is ambiguous: revision ${g.ids[from]!} has several ${what} (${list}); name the branch with 'label@…' or use a revision id.`,
    { details: { argument, from: g.ids[from]!, candidates: ids(g, options) } },
  );
}

export interface RelativeIdentifier {
  readonly branch: string | null;
  readonly symbol: string | null;
  readonly steps: number;
}

const RELATIVE = /^(?:(.+?)@)?([^@+:\s-]+)?([+-]\d+)$/;

/**
 * Parses `[label@][symbol]±N`. An identifier that is exactly a revision id or branch label is
 * never relative, so a label such as `release-2` still means itself.
 */
export function parseRelative(g: Graph, identifier: string): RelativeIdentifier | null {
  if (g.keys.has(identifier)) return null;
  const match = RELATIVE.exec(identifier);
  if (match === null) return null;
  return { branch: match[1] ?? null, symbol: match[2] ?? null, steps: Number(match[3]) };
}

function outOfRange(argument: string, from: string, steps: number): AmbixError {
  const way = steps > 0 ? 'up' : 'down';
  const end = steps > 0 ? 'newest revision' : 'base';
  return new AmbixError(
    'RELATIVE_OUT_OF_RANGE',
    `'${argument}' moves ${Math.abs(steps)} revision(s) ${way} from ${from}, which goes past the ${end}; use a smaller number.`,
    { details: { argument, from, steps } },
  );
}

function revisionName(g: Graph, rev: number): string {
  return rev === NONE || rev === BASE ? 'base' : g.ids[rev]!;
}

/** Current heads as given, checked to be known revision ids, without duplicates. */
export function currentHeadIndexes(g: Graph, currentHeads: readonly string[]): number[] {
  const out: number[] = [];
  for (const id of currentHeads) {
    const i = g.index.get(id);
    if (i === undefined) {
      throw new AmbixError(
        'UNKNOWN_REVISION',
        `The current head ${id} is not a known revision; no migration file has that id. Restore the file, or use 'ambix stamp' to correct the version table.`,
        { details: { revision: id } },
      );
    }
    if (!out.includes(i)) out.push(i);
  }
  return out;
}

/**
 * Alembic's `_parse_upgrade_target`: the revisions an upgrade target names, given the current
 * heads. `+N` counts from the single current head (or the branch's head with `label@+N`),
 * `<rev>±N` from a revision; `-N` without a revision is not an upgrade.
 */
export function parseUpgradeTarget(
  g: Graph,
  current: readonly number[],
  target: Identifier,
  assertRelativeLength: boolean,
): number[] {
  const relative = typeof target === 'string' ? parseRelative(g, target) : null;
  if (relative === null || typeof target !== 'string') return getRevisions(g, target);
  const { branch, symbol, steps } = relative;

  if (steps > 0) {
    if (symbol === null) {
      let starts: number[] = current.length > 0 ? [...current] : [NONE];
      if (branch !== null) {
        starts = filterForLineage(g, current, branch);
        if (starts.length === 0) {
          // The branch has no current head: count from the newest applied revisions on it.
          const active = filterForLineage(g, marked(ancestors(g, current)), branch);
          const below = new Set(active.flatMap((r) => g.normDown[r]!));
          starts = active.filter((r) => !below.has(r));
          if (starts.length === 0) starts = [NONE];
        }
      }
      if (starts.length > 1) {
        throw new AmbixError(
          'MULTIPLE_HEADS',
          `'${target}' counts from the current head, but there are several (${starts.map((s) => revisionName(g, s)).join(', ')}); use 'label@+N' or '<revision>+N'.`,
          { details: { argument: target, heads: starts.map((s) => revisionName(g, s)) } },
        );
      }
      const from = starts[0]!;
      const reached = walk(g, from, steps, branch, assertRelativeLength, target);
      if (reached === NONE) throw outOfRange(target, revisionName(g, from), steps);
      return [reached];
    }
    const from = getRevision(g, symbol) ?? NONE;
    const reached = walk(g, from, steps, branch, assertRelativeLength, target);
    if (reached === NONE) throw outOfRange(target, revisionName(g, from), steps);
    return [reached];
  }

  if (symbol === null) {
    throw new AmbixError(
      'RELATIVE_OUT_OF_RANGE',
      `'${target}' moves down, which an upgrade cannot do; use 'ambix downgrade ${target}', or '<revision>${target}'.`,
      { details: { argument: target } },
    );
  }
  const from = (branch === null ? getRevision(g, symbol) : getRevision(g, `${branch}@${symbol}`)) ?? NONE;
  const reached = walk(g, from, steps, null, assertRelativeLength, target);
  if (reached === NONE) throw outOfRange(target, revisionName(g, from), steps);
  return [reached];
}

/**
 * Alembic's `_parse_downgrade_target`: the branch label (if any) and the revision a downgrade
 * target names. `-N` counts down from the current head (several current heads are refused,
 * where Alembic warns and picks the first), `label@-N` from the current head on that branch.
 */
export function parseDowngradeTarget(
  g: Graph,
  current: readonly number[],
  target: string | null,
  assertRelativeLength: boolean,
): { readonly branch: string | null; readonly revision: number } {
  if (target === null) return { branch: null, revision: BASE };
  const relative = parseRelative(g, target);
  if (relative !== null) {
    let { branch, symbol } = relative;
    const { steps } = relative;
    if (steps >= 0) {
      if (symbol === null) {
        throw new AmbixError(
          'RELATIVE_OUT_OF_RANGE',
          `'${target}' moves up, which a downgrade cannot do; use 'ambix upgrade ${target}', or '<revision>${target}'.`,
          { details: { argument: target } },
        );
      }
      const from = getRevision(g, symbol) ?? NONE;
      const reached = walk(g, from, steps, branch, assertRelativeLength, target);
      if (reached === NONE) throw outOfRange(target, revisionName(g, from), steps);
      return { branch, revision: reached };
    }
    const fromCurrent = symbol === null;
    if (fromCurrent) {
      if (branch !== null) {
        let onBranch = filterForLineage(g, current, branch);
        if (onBranch.length === 0) {
          // All heads of other branches may depend on this one: look at everything applied.
          onBranch = filterForLineage(g, allCurrent(g, current), branch);
        }
        if (onBranch.length !== 1) {
          const code = onBranch.length === 0 ? 'RELATIVE_OUT_OF_RANGE' : 'MULTIPLE_HEADS';
          const what =
            onBranch.length === 0
              ? `none of the current heads (${ids(g, current).join(', ') || 'none'}) is on branch '${branch}'`
              : `several current heads are on branch '${branch}' (${ids(g, onBranch).join(', ')}); use '<revision>${steps}'`;
          throw new AmbixError(
            code,
            `'${target}' counts from the current head on branch '${branch}', but ${what}.`,
            {
              details: { argument: target, currentHeads: ids(g, current) },
            },
          );
        }
        symbol = g.ids[onBranch[0]!]!;
      } else {
        if (current.length === 0) throw outOfRange(target, 'base', steps);
        if (current.length > 1) {
          throw new AmbixError(
            'MULTIPLE_HEADS',
            `'${target}' counts down from the current head, but there are several (${ids(g, current).join(', ')}); use 'label@${steps}' or '<revision>${steps}'.`,
            { details: { argument: target, currentHeads: ids(g, current) } },
          );
        }
        symbol = g.ids[current[0]!]!;
        branch = symbol;
      }
    }
    const from = (branch === null ? getRevision(g, symbol) : getRevision(g, `${branch}@${symbol}`)) ?? NONE;
    const reached = walk(g, from, steps, null, assertRelativeLength, target);
    if (reached === NONE) throw outOfRange(target, revisionName(g, from), steps);
    return { branch, revision: reached };
  }
  const at = target.lastIndexOf('@');
  const branch = at > 0 ? target.slice(0, at) : null;
  return { branch, revision: getRevision(g, target.slice(at + 1)) ?? BASE };
}

/** Alembic's `_get_all_current`: the tips of everything the given heads imply. */
function allCurrent(g: Graph, current: readonly number[]): number[] {
  const applied = ancestors(g, current);
  return marked(applied).filter((r) => !g.next[r]!.some((child) => applied[child] === 1));
}

function publicRevisions(g: Graph, found: readonly number[], identifier: string): Revision[] {
  const out: Revision[] = [];
  for (const r of uniqueSorted(found.filter((f) => f !== BASE))) {
    if (r === NONE) {
      throw new AmbixError('RELATIVE_OUT_OF_RANGE', `'${identifier}' goes past the end of the history.`, {
        details: { argument: identifier },
      });
    }
    out.push(g.node(r));
  }
  return out;
}

/**
 * Every revision an identifier names, in input order; `base` names none. Accepts full ids, unique
 * prefixes, branch labels, `head`, `heads`, `base`, `label@head`, `label@heads`, `label@base`,
 * `label@<rev>`, `<rev>+N`, `<rev>-N`, `label@<rev>±N`, `head-N`, `base+N`; `+N` / `label@+N`
 * count up from base, `-N` / `label@-N` down from the heads of the history. For `+N` / `-N`
 * counted from the database's current heads, use {@link resolveTarget}.
 *
 * @throws AmbixError UNKNOWN_REVISION, AMBIGUOUS_REVISION, MULTIPLE_HEADS, RELATIVE_OUT_OF_RANGE
 */
export function resolveRevisions(map: RevisionMap, identifier: string): Revision[] {
  const g = graphOf(map);
  const relative = parseRelative(g, identifier);
  if (relative !== null && (relative.symbol !== null || relative.steps > 0)) {
    return publicRevisions(g, parseUpgradeTarget(g, [], identifier, true), identifier);
  }
  return publicRevisions(g, getRevisions(g, identifier), identifier);
}

/**
 * The one revision an identifier names, or null for `base`.
 *
 * @throws AmbixError MULTIPLE_HEADS when it names several (e.g. `head` with two heads), and the
 *   errors of {@link resolveRevisions}.
 */
export function resolveRevision(map: RevisionMap, identifier: string): Revision | null {
  const g = graphOf(map);
  const relative = parseRelative(g, identifier);
  if (relative !== null) {
    const found = resolveRevisions(map, identifier);
    if (found.length > 1) {
      throw multipleHeads(
        g,
        found.map((r) => g.index.get(r.id)!),
        identifier,
      );
    }
    return found[0] ?? null;
  }
  const r = getRevision(g, identifier);
  return r === null ? null : g.node(r);
}

/**
 * What an upgrade or downgrade target names, relative forms counted from the current heads:
 * for `up`, `+N` and `label@+N` move up from the current head; for `down`, `-N` and `label@-N`
 * move down. Returns the target revisions (none for base).
 */
export function resolveTarget(
  map: RevisionMap,
  target: string,
  options: { readonly currentHeads: readonly string[]; readonly direction: 'up' | 'down' },
): Revision[] {
  const g = graphOf(map);
  const current = currentHeadIndexes(g, options.currentHeads);
  if (options.direction === 'up') {
    return publicRevisions(g, parseUpgradeTarget(g, current, target, true), target);
  }
  return publicRevisions(g, [parseDowngradeTarget(g, current, target, true).revision], target);
}
