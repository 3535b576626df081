import type { AlembicAnswer, AlembicError, AlembicTableFailure, AlembicTableStep } from './alembic-oracle.js';
import type { Outcome } from './ambix-answers.js';
import type { HistoryFacts } from './history-facts.js';

/*
 * Every place where ambix is meant to answer differently from the Alembic it is compared with, each
 * a named rule. A rule never excuses a difference in general: it recognises one precise situation
 * from both answers and the raw history, and checks that ambix did the documented thing.
 *
 * 'deliberate': a choice ambix made (docs/from-alembic.md, the TSDoc in src/graph/).
 * 'alembic crash': Alembic fails with an internal error (assertion, KeyError) where ambix answers.
 * 'alembic 1.8': Debian's Alembic 1.8.1 behaves in a way current Alembic has changed; ambix follows
 * current Alembic.
 * 'known ambix bug': a difference this test found in ambix, reported and not yet fixed; the rule
 * recognises exactly that bug so that everything else stays checked, and goes when the bug does.
 */

export interface Rule {
  readonly kind: 'deliberate' | 'alembic crash' | 'alembic 1.8' | 'known ambix bug';
  /** What differs and why, with the evidence. */
  readonly reason: string;
}

export const RULES = {
  DUPLICATE_IDS_ARE_ERRORS: {
    kind: 'deliberate',
    reason:
      'Alembic warns that a revision id is present more than once and keeps the last file; ambix refuses the history (DUPLICATE_REVISION), since either file could be the one that ran.',
  },
  MISSING_PARENTS_ARE_ERRORS: {
    kind: 'deliberate',
    reason:
      'Alembic warns about a down revision that is not present (then fails with KeyError), and fails with a bare KeyError on a depends_on that names nothing; ambix refuses the history with MISSING_PARENT naming the file.',
  },
  UNUSABLE_NAMES_ARE_REFUSED: {
    kind: 'deliberate',
    reason:
      "Alembic accepts branch labels with whitespace, '@' or ':', a leading '+' or '-', or a reserved word (head, heads, base, current), and revision ids with whitespace or a reserved word; none of them can be typed back as an identifier, so ambix refuses them (INVALID_IDENTIFIER, INVALID_REVISION_ID).",
  },
  CYCLES_ARE_ALWAYS_FOUND: {
    kind: 'deliberate',
    reason:
      "Alembic's _detect_cycles only reports revisions it cannot reach from the heads or from the bases, so a cycle hanging off the rest of the history (a revision revising or depending on its own descendant) builds; ambix refuses every cycle (CYCLE).",
  },
  SELF_DEPENDENCY_THROUGH_OWN_LABEL: {
    kind: 'deliberate',
    reason:
      'A revision whose depends_on names its own branch label depends on itself: ambix refuses it as SELF_LOOP. Alembic either misses it (the revision is reachable from both ends, so its cycle check passes) or reports a DependencyCycleDetected that names every revision it could not reach.',
  },
  DUPLICATE_REFERENCES_COUNT_ONCE: {
    kind: 'deliberate',
    reason:
      "A revision that names the same down revision twice, or depends on one revision twice (say by its id and by its branch label), has it once in ambix; Alembic keeps the tuple as written (it lists the dependency twice, calls a revision with one parent named twice a merge point, and finds a walk down from it ambiguous). ambix must answer as Alembic does for the same history with every reference written once (the case's twin).",
  },
  PREFIX_OF_ONE_REVISION_IS_NOT_AMBIGUOUS: {
    kind: 'deliberate',
    reason:
      "Alembic finds a partial id ambiguous when it starts both a revision id and that same revision's branch label; ambix only when it starts keys of different revisions, and reads it as that revision.",
  },
  EXACT_KEY_IS_NOT_RELATIVE: {
    kind: 'deliberate',
    reason:
      "Alembic reads an upgrade, downgrade or history target such as the branch label 'rel-1' as the relative move 'rel' -1 before looking it up; ambix reads an exact revision id or branch label as itself, and must answer as Alembic does for that revision's id.",
  },
  TARGET_BELOW_ROOT_IS_BASE: {
    kind: 'deliberate',
    reason:
      "A target '<rev>-N' (or a stamp target '-N') that walks below the first revision means base. Alembic gets the string 'base' from its walk and fails an assertion (is_revision) on it; ambix reads it as base, and must answer as Alembic does for the question with that target written as base (for a stamp: as the revisions the other walks reach).",
  },
  RELATIVE_RANGE_START_STOPS_AT_BASE: {
    kind: 'deliberate',
    reason:
      "A history range starting at '-N' or '<rev>-N' where a walk goes below the first revision: Alembic fails (an assertion, or RangeNotAncestorError on the string 'base'); ambix drops the walks that went below a root (starting at base when none is left), and must list what Alembic lists for the range starting at the revisions the other walks reach.",
  },
  RANGE_END_COUNTED_FROM_START: {
    kind: 'alembic crash',
    reason:
      "A history range 'start:+N' (or 'start:label@+N') with a relative start such as '-1': Alembic counts the end from the start's text, which it then looks up as a revision id (ResolutionError for '-1', or an assertion); ambix counts from the revisions the start names, and must list what Alembic lists when the start is given as those revisions.",
  },
  DOWNGRADE_RELATIVE_FROM_SEVERAL_HEADS: {
    kind: 'deliberate',
    reason:
      "Alembic warns that 'downgrade -N' from several current heads is ambiguous ('this usage will be disallowed in a future release') and walks down from whichever head comes first; ambix refuses it with MULTIPLE_HEADS and asks for 'label@-N' or '<rev>-N'.",
  },
  MERGE_DELETES_ONLY_PRESENT_ROWS: {
    kind: 'deliberate',
    reason:
      "Upgrading a merge point, Alembic's merge_branch_idents removes every parent the other rows do not imply, whether it has a row or not (a dependency already implied by another parent has none), and HeadMaintainer fails with KeyError on the missing row; ambix deletes the parents that have rows, and only those.",
  },
  EMPTY_MERGE_OR_UNMERGE_IS_UPDATE: {
    kind: 'deliberate',
    reason:
      "When Alembic takes its merge (unmerge) branch with no row to delete (insert), the version table sees a single UPDATE; ambix reports that step as an 'update'.",
  },
  UNMERGE_SKIPS_IMPLIED_PARENT: {
    kind: 'deliberate',
    reason:
      'Downgrading a merge point while other rows exist, Alembic re-inserts every parent the other rows do not imply, even one that is an ancestor of another returning parent, which leaves a redundant row (later steps may then fail on it); ambix never re-inserts a parent another returning parent implies. Both tables mean the same applied revisions.',
  },
  PYTHON_SET_ORDER: {
    kind: 'deliberate',
    reason:
      "Where a revision has two or more normalized dependencies, Alembic keeps them in a Python set, so the order it walks them (step order, each step's from/to order) follows set iteration; for plans through such a revision, when the step order differs, only the set of steps and the final table are compared; for ranges, only the set of revisions.",
  },
  RELATIVE_TARGET_PAST_THE_END: {
    kind: 'alembic crash',
    reason:
      "A target '<rev>+N' or '<rev>-N' that walks past the newest revision or below base: Alembic's _parse_upgrade_target returns None and fails an assertion (is_revision) on it, and a stamp reads the None as base; ambix refuses with RELATIVE_OUT_OF_RANGE.",
  },
  BRANCH_RELATIVE_DOWNGRADE_NEEDS_ONE_HEAD: {
    kind: 'alembic crash',
    reason:
      "'downgrade label@-N' when not exactly one current head (or applied branch tip) is on that branch: Alembic fails 'assert len(symbol_list) == 1'; ambix refuses with RELATIVE_OUT_OF_RANGE (none) or MULTIPLE_HEADS (several).",
  },
  RANGE_ALEMBIC_CANNOT_SORT: {
    kind: 'alembic crash',
    reason:
      "A history range holding a revision reached only through a dependency of a revision outside the range: Alembic's _topological_sort fails 'assert not todo'; ambix lists the same revisions Alembic collected, newest first.",
  },
  STAMP_TARGETS_OVERLAP: {
    kind: 'alembic crash',
    reason:
      'A stamp whose targets touch the same row twice (the same revision twice, or two targets on one line): Alembic plans both moves and HeadMaintainer fails on the second (assertion or KeyError); ambix refuses the plan with INVALID_PLAN.',
  },
  ANOTHER_ERROR_FIRST: {
    kind: 'deliberate',
    reason:
      "A stamp or history range with more than one wrong identifier: Alembic and ambix check them in another order and report different ones (Alembic expands 'head' while filtering the current heads even when there are none, and parses a range's end before its start). ambix's error must be the one Alembic's get_revisions gives for one of the identifiers asked about.",
  },
  KNOWN_BUG_RANGE_ORDER_AROUND_DEPENDENCY: {
    kind: 'known ambix bug',
    reason:
      "A history range 'L:heads' where a revision outside the range depends on one range member and is depended on by another (say a, b(a), x depending on b, c(b) depending on x, d(a): 'a:' lists c, b, d, a in Alembic): ambix's sortNewestFirst finds the set 'not convex' and falls back to plain reverse topological order (d, c, b, a), although Alembic walks it without trouble. Same revisions, another order. Remove this rule when src/graph/plan.ts is fixed.",
  },
  ALEMBIC_1_8_ACCEPTS_COLON_IN_IDS: {
    kind: 'alembic 1.8',
    reason:
      "Alembic 1.8.1 accepts ':' in a revision id; Alembic 1.17.1 refuses it because it clashes with the start:end range syntax (changelog of 1.17.1, sqlalchemy/alembic#1540). ambix refuses it too (INVALID_REVISION_ID).",
  },
  ALEMBIC_1_8_UNMERGE_KEEPS_IMPLIED_PARENTS: {
    kind: 'alembic 1.8',
    reason:
      'Downgrading a merge point that is the only row, Alembic 1.8.1 re-inserts all of its parents, even one that is an ancestor of another (a redundant row); current Alembic drops such parents in _unmerge_to_revisions (sqlalchemy/alembic#1373, fixed by pull request #1376, December 2023) and so does ambix.',
  },
} as const satisfies Record<string, Rule>;

export type RuleName = keyof typeof RULES;

const isError = (answer: AlembicAnswer<unknown>): answer is AlembicError => 'error' in answer;

/** Alembic failed one of its own assertions, in the given function. */
export function alembicAssertion(answer: AlembicAnswer<unknown>, where: string): boolean {
  return isError(answer) && answer.error === 'AssertionError' && answer.where === where;
}

// ---------------------------------------------------------------------------------------------
// Building the history

const RESERVED = ['head', 'heads', 'base', 'current'];

/** ambix refused a history that Alembic built. */
export function refusedHistory(facts: HistoryFacts, mine: Outcome<true>): RuleName | null {
  if (!('error' in mine)) return null;
  if (
    mine.error === 'CYCLE' &&
    facts.revisions.some((r) => facts.below(r.id).some((b) => facts.implied([b]).has(r.id)))
  ) {
    return 'CYCLES_ARE_ALWAYS_FOUND';
  }
  const labels = facts.revisions.flatMap((r) => r.branchLabels);
  const ids = facts.revisions.map((r) => r.id);
  const unusableLabel = (l: string) =>
    l === '' || /[@:\s]/.test(l) || /^[+-]/.test(l) || RESERVED.includes(l);
  if (mine.error === 'INVALID_IDENTIFIER' && labels.some(unusableLabel)) return 'UNUSABLE_NAMES_ARE_REFUSED';
  if (mine.error === 'INVALID_REVISION_ID') {
    if (ids.some((id) => /\s/.test(id) || RESERVED.includes(id))) return 'UNUSABLE_NAMES_ARE_REFUSED';
    if (ids.some((id) => id.includes(':'))) return 'ALEMBIC_1_8_ACCEPTS_COLON_IN_IDS';
  }
  return null;
}

/**
 * A revision depends on its own branch label; ambix refused it as SELF_LOOP, and Alembic either
 * built the history or found a dependency cycle through that revision.
 */
export function selfDependency(
  facts: HistoryFacts,
  theirs: AlembicAnswer<true>,
  mine: Outcome<true>,
): boolean {
  if (!('error' in mine) || mine.error !== 'SELF_LOOP') return false;
  const own = facts.revisions.filter((r) => r.dependsOn.some((d) => r.branchLabels.includes(d)));
  if (own.length === 0) return false;
  if ('ok' in theirs) return true;
  return (
    isError(theirs) &&
    theirs.error === 'DependencyCycleDetected' &&
    own.some((r) => new RegExp(`[(, ]${r.id}[,)]`).test(theirs.message))
  );
}

/** Alembic warned or crashed while building a history that ambix refuses. */
export function brokenHistory(
  facts: HistoryFacts,
  theirs: AlembicAnswer<true>,
  mine: Outcome<true>,
): RuleName | null {
  if (!('error' in mine)) return null;
  if ('warning' in theirs) {
    if (
      /^Revision \S+ is present more than once$/.test(theirs.warning) &&
      mine.error === 'DUPLICATE_REVISION'
    ) {
      return 'DUPLICATE_IDS_ARE_ERRORS';
    }
    if (
      /^Revision \S+ referenced from .* is not present$/.test(theirs.warning) &&
      mine.error === 'MISSING_PARENT'
    ) {
      return 'MISSING_PARENTS_ARE_ERRORS';
    }
  }
  if (isError(theirs) && theirs.error === 'KeyError' && mine.error === 'MISSING_PARENT') {
    const key = theirs.message.replace(/^'(.*)'$/, '$1');
    const declared = facts.revisions.some((r) => r.dependsOn.includes(key));
    if (declared && !facts.owner.has(key)) return 'MISSING_PARENTS_ARE_ERRORS';
  }
  return null;
}

/**
 * ambix listed a history range in plain reverse topological order where Alembic walked it branch by
 * branch, because a revision outside the range sits between two of its members through a dependency.
 */
export function rangeOrderAroundDependency(
  facts: HistoryFacts,
  topologicalOrder: readonly string[],
  theirs: readonly string[],
  mine: readonly string[],
): boolean {
  if (sameList(theirs, mine) || !sameList([...theirs].sort(), [...mine].sort())) return false;
  const members = new Set(mine);
  const reverseTopological = topologicalOrder.filter((id) => members.has(id)).reverse();
  if (!sameList(mine, reverseTopological)) return false;
  return facts.revisions.some(
    (outside) =>
      !members.has(outside.id) &&
      mine.some((low) => facts.isBelow(low, outside.id)) &&
      mine.some((high) => facts.isBelow(outside.id, high)),
  );
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/** The partial id Alembic found ambiguous, if that is what it said. */
export function ambiguousPrefix(answer: AlembicAnswer<unknown>): string | null {
  if (!isError(answer) || answer.error !== 'ResolutionError') return null;
  return /^Multiple revisions start with '([^']*)'/.exec(answer.message)?.[1] ?? null;
}

/**
 * Alembic found a partial id ambiguous although every key it starts belongs to one revision:
 * that revision, which ambix must read it as; otherwise null.
 */
export function prefixOfOneRevision(facts: HistoryFacts, answer: AlembicAnswer<unknown>): string | null {
  const prefix = ambiguousPrefix(answer);
  if (prefix === null) return null;
  const owners = new Set(facts.keysStartingWith(prefix).map((key) => facts.owner.get(key)!));
  return owners.size === 1 ? [...owners][0]! : null;
}

// ---------------------------------------------------------------------------------------------
// Relative targets

const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

/** Per the raw history, does target `<symbol>±N` (or `label@<symbol>+N`) walk past either end? */
export function walksPastTheEnd(facts: HistoryFacts, target: string): boolean {
  if (facts.owner.has(target)) return false;
  const down = facts.relativeDown(target);
  if (down !== undefined) return down.includes(null);
  const match = RELATIVE.exec(target);
  if (match === null || match[2] === undefined || !match[3]!.startsWith('+')) return false;
  const from = match[2] === 'base' ? null : facts.symbol(match[2]);
  if (from === undefined || (from === null && match[2] !== 'base')) return false;
  const branch = match[1] === undefined ? undefined : facts.owner.get(match[1]);
  if (match[1] !== undefined && branch === undefined) return false;
  return (
    facts.walkUp(from, Number(match[3]), branch === undefined ? undefined : facts.lineage(branch)) === null
  );
}

/**
 * `downgrade label@-N`: how many current heads (or, when none, tips of everything applied) are on
 * the branch's lineage, the way Alembic's _parse_downgrade_target counts them; null when the target
 * is not of that form.
 */
export function headsOnBranch(
  facts: HistoryFacts,
  target: string,
  current: readonly string[],
): number | null {
  const match = /^(.+?)@-\d+$/.exec(target);
  const owner = match === null ? undefined : facts.owner.get(match[1]!);
  if (owner === undefined) return null;
  const lineage = facts.lineage(owner);
  const onBranch = current.filter((c) => lineage.has(c));
  if (onBranch.length > 0) return onBranch.length;
  const applied = [...facts.implied(current)];
  const tips = applied.filter((r) => !applied.some((other) => isAbove(facts, other, r)));
  return tips.filter((t) => lineage.has(t)).length;
}

/** Is `upper` a descendant of `lower` through down revisions only? */
function isAbove(facts: HistoryFacts, upper: string, lower: string): boolean {
  const stack = [upper];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    for (const parent of facts.byId.get(x)?.downRevisions ?? []) {
      if (parent === lower) return true;
      stack.push(parent);
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The version table

/** Alembic's HeadMaintainer failed on a merge step removing one of its parents that has no row. */
export function mergeRemovedMissingRow(
  failure: AlembicTableFailure,
  before: readonly string[],
  step: { readonly from: readonly string[] },
): boolean {
  const last = failure.changes.at(-1);
  if (failure.error !== 'KeyError' || failure.kind !== 'merge' || last === undefined) return false;
  const removed = last[0] === 'delete' || last[0] === 'update' ? last[1]! : undefined;
  return removed !== undefined && !before.includes(removed) && step.from.includes(removed);
}

/**
 * Alembic's HeadMaintainer failed on a merge step removing a parent that has no row; ambix's step
 * removed exactly the parents that had rows and put the merge point in their place.
 */
export function mergeDeletesOnlyPresentRows(
  failure: AlembicTableFailure,
  before: readonly string[],
  step: { readonly revision: string; readonly from: readonly string[] },
  mine: AlembicTableStep | undefined,
): boolean {
  if (!mergeRemovedMissingRow(failure, before, step)) return false;
  const expected = [...before.filter((row) => !step.from.includes(row)), step.revision].sort();
  return mine !== undefined && sameList(mine.rows, expected);
}

export function emptyMergeOrUnmergeIsUpdate(
  before: readonly string[],
  theirs: AlembicTableStep,
  mine: AlembicTableStep,
): boolean {
  if (!sameList(theirs.rows, mine.rows) || mine.kind !== 'update') return false;
  if (theirs.kind !== 'merge' && theirs.kind !== 'unmerge') return false;
  const gone = before.filter((row) => !mine.rows.includes(row));
  const added = mine.rows.filter((row) => !before.includes(row));
  return gone.length === 1 && added.length === 1;
}

/**
 * Downgrading merge point `revision` (parents `to`), Alembic put back parents that ambix left out,
 * each an ancestor of another parent that ambix did put back.
 */
export function unmergeKeptImpliedParent(
  facts: HistoryFacts,
  before: readonly string[],
  step: { readonly revision: string; readonly to: readonly string[] },
  theirs: AlembicTableStep,
  mine: AlembicTableStep,
): RuleName | null {
  if (step.to.length < 2 || !before.includes(step.revision)) return null;
  if (!mine.rows.every((row) => theirs.rows.includes(row))) return null;
  const extra = theirs.rows.filter((row) => !mine.rows.includes(row));
  const implied = (row: string) =>
    step.to.includes(row) && step.to.some((other) => mine.rows.includes(other) && facts.isBelow(row, other));
  if (extra.length === 0 || !extra.every(implied)) return null;
  return before.length === 1 ? 'ALEMBIC_1_8_UNMERGE_KEEPS_IMPLIED_PARENTS' : 'UNMERGE_SKIPS_IMPLIED_PARENT';
}

/** Two version tables that mean the same applied revisions, Alembic's holding redundant rows. */
export function sameAppliedRevisions(
  facts: HistoryFacts,
  theirs: readonly string[],
  mine: readonly string[],
): boolean {
  if (!mine.every((row) => theirs.includes(row))) return false;
  const implied = facts.implied(mine);
  return theirs.every((row) => implied.has(row));
}

/**
 * Alembic's HeadMaintainer failed on a stamp step that moves a row an earlier step of the same stamp
 * already moved (or inserted), and ambix refused the stamp.
 */
export function stampTargetsOverlap(
  steps: readonly { readonly from: readonly string[]; readonly to: readonly string[] }[],
  failure: AlembicTableFailure | undefined,
  mine: Outcome<unknown>,
): boolean {
  if (failure === undefined || failure.at === 0 || !('error' in mine) || mine.error !== 'INVALID_PLAN')
    return false;
  const failing = steps[failure.at]!;
  const earlier = steps.slice(0, failure.at);
  const touched = new Set(earlier.flatMap((s) => [...s.from, ...s.to]));
  return [...failing.from, ...failing.to].some((r) => touched.has(r));
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}
