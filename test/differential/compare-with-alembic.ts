import type { RevisionMap } from '../../src/graph/index.js';
import type {
  AlembicAnswer,
  AlembicCaseAnswer,
  AlembicInfo,
  AlembicMigrationStep,
  AlembicPlan,
  AlembicResolution,
  AlembicRevisionList,
  AlembicStampStep,
  AlembicTableStep,
} from './alembic-oracle.js';
import type { AmbixCaseAnswer, AmbixPlan, Outcome } from './ambix-answers.js';
import {
  planDowngradeAnswer,
  planStampAnswer,
  planUpgradeAnswer,
  rangeAnswer,
  same,
} from './ambix-answers.js';
import type { RuleName } from './deliberate-differences.js';
import {
  alembicAssertion,
  ambiguousPrefix,
  brokenHistory,
  emptyMergeOrUnmergeIsUpdate,
  headsOnBranch,
  mergeDeletesOnlyPresentRows,
  mergeRemovedMissingRow,
  prefixOfOneRevision,
  rangeOrderAroundDependency,
  refusedHistory,
  sameAppliedRevisions,
  sameList,
  selfDependency,
  stampTargetsOverlap,
  unmergeKeptImpliedParent,
  walksPastTheEnd,
} from './deliberate-differences.js';
import { HistoryFacts } from './history-facts.js';
import type { Case, Construct, Plainly } from './random-histories.js';

/*
 * Compares ambix's answers with Alembic's, question by question. Two answers agree when they are
 * equal, or when Alembic raised an error that says what the AmbixError ambix raised says. Any other
 * difference must be explained by one of the named rules in deliberate-differences.ts.
 */

/** Alembic's exceptions, and the AmbixError codes that say the same thing. */
const SAME_ERRORS: readonly { error: string; message?: RegExp; codes: readonly string[] }[] = [
  { error: 'MultipleHeads', codes: ['MULTIPLE_HEADS'] },
  { error: 'ResolutionError', message: /^Multiple revisions start with/, codes: ['AMBIGUOUS_REVISION'] },
  { error: 'ResolutionError', codes: ['UNKNOWN_REVISION'] },
  { error: 'RangeNotAncestorError', codes: ['RANGE_NOT_LINEAR'] },
  // Two ways to go: from a revision, from the bases (+N) or from the heads (-N).
  {
    error: 'RevisionError',
    message: /^Ambiguous walk$/,
    codes: ['AMBIGUOUS_REVISION', 'MULTIPLE_BASES', 'MULTIPLE_HEADS'],
  },
  {
    error: 'RevisionError',
    message: /^Relative revision \S+ didn't produce|^Walked too far$/,
    codes: ['RELATIVE_OUT_OF_RANGE'],
  },
  { error: 'RevisionError', message: /^Requested revision \S+ overlaps with other/, codes: ['INVALID_PLAN'] },
  {
    error: 'RevisionError',
    message: /^Ambiguous upgrade from multiple current revisions$/,
    codes: ['MULTIPLE_HEADS'],
  },
  {
    error: 'RevisionError',
    message: /^Not a valid downgrade target from current heads$/,
    codes: ['RANGE_NOT_LINEAR'],
  },
  {
    error: 'RevisionError',
    message: /^Branch name '.*' in revision \S+ already used/,
    codes: ['DUPLICATE_LABEL'],
  },
  { error: 'RevisionError', message: /not allowed in revision identifier/, codes: ['INVALID_REVISION_ID'] },
  { error: 'CycleDetected', codes: ['CYCLE'] },
  { error: 'DependencyCycleDetected', codes: ['CYCLE'] },
  { error: 'LoopDetected', codes: ['SELF_LOOP'] },
  { error: 'DependencyLoopDetected', codes: ['SELF_LOOP'] },
];

/** What ambix must answer, given Alembic's answer: a value, one of some error codes, or unknown. */
type Expected<T> = { readonly ok: T } | { readonly codes: readonly string[] } | { readonly unknown: true };

function expected<T>(theirs: AlembicAnswer<T>): Expected<T> {
  if ('ok' in theirs) return { ok: theirs.ok };
  if ('warning' in theirs) return { unknown: true };
  const known = SAME_ERRORS.find(
    (e) => e.error === theirs.error && (e.message === undefined || e.message.test(theirs.message)),
  );
  return known === undefined ? { unknown: true } : { codes: known.codes };
}

function meets<T, M>(want: Expected<T>, mine: Outcome<M>, equal: (a: T, b: M) => boolean): boolean {
  if ('codes' in want) return 'error' in mine && want.codes.includes(mine.error);
  if ('ok' in want) return 'ok' in mine && equal(want.ok, mine.ok);
  return false;
}

/**
 * What an identifier names, as ambix's resolveRevisions documents it: a set (compared sorted)
 * without 'base'; a walk past the end of the history is RELATIVE_OUT_OF_RANGE.
 */
function revisionSet(theirs: AlembicAnswer<AlembicRevisionList>): Expected<string[]> {
  const want = expected(theirs);
  if (!('ok' in want)) return want;
  if (want.ok.includes(null)) return { codes: ['RELATIVE_OUT_OF_RANGE'] };
  return { ok: [...new Set(want.ok.filter((r): r is string => r !== null && r !== 'base'))].sort() };
}

const sorted = (list: readonly string[]): string[] => [...list].sort();

export interface Mismatch {
  readonly seed: number;
  readonly index: number;
  readonly question: string;
  readonly revisions: Case['revisions'];
  readonly alembic: unknown;
  readonly ambix: unknown;
}

/** How many questions were asked, how many answers agreed, which rules explained the others. */
export class Tally {
  questions = 0;
  agreed = 0;
  readonly explained = new Map<RuleName, number>();
  readonly mismatches: Mismatch[] = [];

  record(c: Case, question: string, verdict: Verdict, alembic: unknown, ambix: unknown): void {
    this.questions++;
    if (!verdict.agree) {
      this.mismatches.push({
        seed: c.seed,
        index: c.index,
        question,
        revisions: c.revisions,
        alembic,
        ambix,
      });
    } else if (verdict.rules.length === 0) {
      this.agreed++;
    } else {
      for (const rule of new Set(verdict.rules))
        this.explained.set(rule, (this.explained.get(rule) ?? 0) + 1);
    }
  }
}

export type Verdict =
  | { readonly agree: true; readonly rules: readonly RuleName[] }
  | { readonly agree: false };
const AGREE: Verdict = { agree: true, rules: [] };
const DIFFER: Verdict = { agree: false };
const because = (...rules: RuleName[]): Verdict => ({ agree: true, rules });
const verdictOf = (agree: boolean): Verdict => (agree ? AGREE : DIFFER);

const RULE_FOR: Record<Construct, RuleName> = {
  'relative-looking label': 'EXACT_KEY_IS_NOT_RELATIVE',
  'target below a root': 'TARGET_BELOW_ROOT_IS_BASE',
  'start below a root': 'RELATIVE_RANGE_START_STOPS_AT_BASE',
  'relative start': 'RANGE_END_COUNTED_FROM_START',
};

/**
 * ambix's answer agrees with Alembic's answer to the same question written plainly: explained by
 * the rules for the constructs the plain question avoids.
 */
function plainlyAgrees(plainly: Plainly | undefined, judge: (index: number) => Verdict): Verdict {
  if (plainly === undefined) return DIFFER;
  const verdict = judge(plainly.index);
  return verdict.agree ? because(...plainly.because.map((c) => RULE_FOR[c]), ...verdict.rules) : DIFFER;
}

/** Same outcome: equal values, or errors with the same code (messages name what was typed). */
function sameOutcome(a: Outcome<unknown>, b: Outcome<unknown>): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && a.error === b.error;
  return same(a.ok, b.ok);
}

/**
 * Both refused a question naming several identifiers, not for the same reason: ambix's error is
 * what Alembic's get_revisions says about one of them, so Alembic refuses that identifier too.
 */
function anotherErrorFirst(
  ctx: Context,
  identifiers: readonly (string | null)[],
  theirs: AlembicAnswer<unknown>,
  mine: Outcome<unknown>,
): boolean {
  if (!('error' in theirs) || !('error' in mine)) return false;
  return identifiers.some((identifier) => {
    const about = identifier === null ? undefined : ctx.resolved.get(identifier);
    return about !== undefined && meets(expected(about.getRevisions), mine, () => false);
  });
}

interface Context {
  readonly c: Case;
  readonly facts: HistoryFacts;
  readonly info: AlembicInfo;
  readonly map: RevisionMap;
  /** Alembic's answers for the case (or for its twin). */
  readonly answer: AlembicCaseAnswer;
  /** Alembic's answers about each identifier of the case. */
  readonly resolved: ReadonlyMap<string, AlembicResolution>;
}

/** One question: how to judge ambix's answer against an Alembic answer for the case, and what to show. */
interface Question {
  readonly label: string;
  readonly judge: (ctx: Context) => Verdict;
  readonly alembic: (ctx: Context) => unknown;
  readonly ambix: unknown;
}

/**
 * Compares every answer of one case. `twin` is Alembic's answer for the same history with duplicate
 * references removed (see DUPLICATE_REFERENCES_COUNT_ONCE), when the history has some.
 */
export function compareCase(
  c: Case,
  theirs: AlembicCaseAnswer,
  mine: AmbixCaseAnswer,
  tally: Tally,
  twin?: AlembicCaseAnswer,
): void {
  const facts = new HistoryFacts(c.revisions);
  const built = theirs.build;
  if (!('ok' in built) || mine.map === null) {
    let verdict = verdictOf(meets(expected(built), mine.build, () => true));
    if (!verdict.agree) {
      const rule = selfDependency(facts, built, mine.build)
        ? 'SELF_DEPENDENCY_THROUGH_OWN_LABEL'
        : 'ok' in built
          ? refusedHistory(facts, mine.build)
          : brokenHistory(facts, built, mine.build);
      if (rule !== null) verdict = because(rule);
    }
    tally.record(c, `build (${c.broken ?? 'not broken'})`, verdict, built, mine.build);
    return;
  }
  tally.record(c, 'build', AGREE, built, mine.build);
  const contextOf = (answer: AlembicCaseAnswer | undefined): Context | null =>
    answer?.info === undefined
      ? null
      : {
          c,
          facts,
          info: answer.info,
          map: mine.map!,
          answer,
          resolved: new Map(c.identifiers.map((identifier, k) => [identifier, answer.resolve![k]!])),
        };
  const ctx = contextOf(theirs)!;
  const twinCtx = contextOf(twin);
  for (const question of questionsOf(c, mine)) {
    let verdict = question.judge(ctx);
    if (!verdict.agree && twinCtx !== null) {
      const asTwin = question.judge(twinCtx);
      if (asTwin.agree) verdict = because('DUPLICATE_REFERENCES_COUNT_ONCE', ...asTwin.rules);
    }
    tally.record(c, question.label, verdict, question.alembic(ctx), question.ambix);
  }
}

function questionsOf(c: Case, mine: AmbixCaseAnswer): Question[] {
  const questions: Question[] = [];
  const info = mine.info!;
  for (const key of ['heads', 'realHeads', 'bases'] as const) {
    questions.push({
      label: key,
      judge: (ctx) => verdictOf(same(ctx.info[key], info[key])),
      alembic: (ctx) => ctx.info[key],
      ambix: info[key],
    });
  }
  for (const r of c.revisions) {
    questions.push({
      label: `revision ${r.id}`,
      judge: (ctx) => verdictOf(same(ctx.info.revisions[r.id], info.revisions[r.id])),
      alembic: (ctx) => ctx.info.revisions[r.id],
      ambix: info.revisions[r.id],
    });
  }
  c.identifiers.forEach((identifier, k) => {
    const answer = mine.resolve![k]!;
    questions.push({
      label: `resolveRevisions ${identifier}`,
      judge: (ctx) => judgeRevisions(ctx, identifier, answer.revisions),
      alembic: (ctx) => ctx.answer.resolve![k],
      ambix: answer.revisions,
    });
    questions.push({
      label: `resolveRevision ${identifier}`,
      judge: (ctx) => judgeRevision(ctx, identifier, answer.revision),
      alembic: (ctx) => ctx.answer.resolve![k],
      ambix: answer.revision,
    });
  });
  const plans = [
    ['upgrade', c.upgrades.map(([current, target]) => [current, [target]] as const), mine.upgrades!],
    ['downgrade', c.downgrades.map(([current, target]) => [current, [target]] as const), mine.downgrades!],
    ['stamp', c.stamps, mine.stamps!],
  ] as const;
  for (const [kind, asked, ambix] of plans) {
    const plainly = c.plainly[`${kind}s`];
    const alembicAnswers = (ctx: Context) => ctx.answer[`${kind}s`]!;
    asked.forEach(([current, targets], k) => {
      // Alembic's answer to question `index` (this one or its plain form) against ambix's to this one.
      const judgeAs = (ctx: Context) => (index: number) => {
        const [, targetsAsked] = asked[index]!;
        const theirs = alembicAnswers(ctx)[index]!;
        const verdict = judgePlan(ctx, kind, current, theirs, ambix[k]!);
        return verdict.agree ? verdict : planRules(ctx, kind, current, targetsAsked, theirs, ambix[k]!);
      };
      questions.push({
        label: `${kind} ${JSON.stringify(current)} -> ${targets.join(', ')}`,
        judge: (ctx) => {
          const verdict = judgeAs(ctx)(k);
          return verdict.agree ? verdict : plainlyAgrees(plainly.get(k), judgeAs(ctx));
        },
        alembic: (ctx) => alembicAnswers(ctx)[k],
        ambix: ambix[k],
      });
    });
  }
  c.ranges.forEach(([start, end], k) => {
    const ambix = mine.ranges![k]!;
    const judgeAs = (ctx: Context) => (index: number) => {
      const [asStart, asEnd] = c.ranges[index]!;
      const theirs = ctx.answer.ranges![index]!;
      const verdict = judgeRange(ctx, theirs, ambix);
      return verdict.agree ? verdict : rangeRules(ctx, asStart, asEnd, theirs, ambix);
    };
    questions.push({
      label: `history ${JSON.stringify(start) ?? 'base'}:${end ?? 'heads'}`,
      judge: (ctx) => {
        const verdict = judgeAs(ctx)(k);
        return verdict.agree ? verdict : plainlyAgrees(c.plainly.ranges.get(k), judgeAs(ctx));
      },
      alembic: (ctx) => ctx.answer.ranges![k],
      ambix,
    });
  });
  return questions;
}

/** Alembic's regular expression for relative identifiers, anchored at both ends. */
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

/**
 * How Alembic reads an identifier that resolveRevisions is given: `<rev>±N`, `label@<rev>±N`, `+N`
 * and `label@+N` as `alembic upgrade` does on an empty database, all else as get_revisions.
 */
function revisionsAnswer(ctx: Context, identifier: string) {
  const theirs = ctx.resolved.get(identifier)!;
  const relative = ctx.facts.owner.has(identifier) ? null : RELATIVE.exec(identifier);
  const asUpgrade = relative !== null && (relative[2] !== undefined || relative[3]!.startsWith('+'));
  return { relative: relative !== null, raw: asUpgrade ? theirs.upgradeTarget : theirs.getRevisions };
}

function judgeRevisions(ctx: Context, identifier: string, mine: Outcome<readonly string[]>): Verdict {
  const { raw } = revisionsAnswer(ctx, identifier);
  if (meets(revisionSet(raw), mine, (a, b) => same(a, sorted(b)))) return AGREE;
  return identifierRules(ctx, identifier, raw, mine, (r) => [r]);
}

/**
 * resolveRevision is get_revision, except for relative forms (which get_revision does not read):
 * those must name at most one revision among what resolveRevisions finds.
 */
function judgeRevision(ctx: Context, identifier: string, mine: Outcome<string | null>): Verdict {
  const { relative, raw } = revisionsAnswer(ctx, identifier);
  let one: Expected<string | null>;
  let rawOne: AlembicAnswer<unknown> = ctx.resolved.get(identifier)!.getRevision;
  if (relative) {
    rawOne = raw;
    const list = revisionSet(raw);
    one = !('ok' in list)
      ? list
      : list.ok.length > 1
        ? { codes: ['MULTIPLE_HEADS'] }
        : { ok: list.ok[0] ?? null };
  } else {
    one = expected(ctx.resolved.get(identifier)!.getRevision);
  }
  if (meets(one, mine, (a, b) => a === b)) return AGREE;
  return identifierRules(ctx, identifier, rawOne, mine, (r) => r);
}

function identifierRules<T>(
  ctx: Context,
  identifier: string,
  theirs: AlembicAnswer<unknown>,
  mine: Outcome<T>,
  asAnswer: (revision: string) => T,
): Verdict {
  const revision = prefixOfOneRevision(ctx.facts, theirs);
  if (revision !== null && ambiguousPrefix(theirs) === identifier && same(mine, { ok: asAnswer(revision) })) {
    return because('PREFIX_OF_ONE_REVISION_IS_NOT_AMBIGUOUS');
  }
  return DIFFER;
}

// ---------------------------------------------------------------------------------------------
// Plans

type PlanKind = 'upgrade' | 'downgrade' | 'stamp';
type AnyStep = AlembicMigrationStep | AlembicStampStep;

function ambixPlan(ctx: Context, kind: PlanKind, current: readonly string[], targets: readonly string[]) {
  if (kind === 'stamp') return planStampAnswer(ctx.map, current, targets);
  const plan = kind === 'upgrade' ? planUpgradeAnswer : planDowngradeAnswer;
  return plan(ctx.map, current, targets[0]!);
}

/** Steps with their from/to lists sorted: all that survives Python set iteration. */
const unordered = (steps: readonly AnyStep[]) =>
  steps.map((s) => ({ ...s, from: sorted(s.from), to: sorted(s.to) }));

function judgePlan(
  ctx: Context,
  kind: PlanKind,
  current: readonly string[],
  theirs: AlembicAnswer<AlembicPlan<AnyStep>>,
  mine: Outcome<AmbixPlan<AnyStep>>,
): Verdict {
  if (!('ok' in theirs) || !('ok' in mine)) return verdictOf(meets(expected(theirs), mine, () => false));
  const alembic = theirs.ok;
  const ambix = mine.ok;
  const rules: RuleName[] = [];

  const throughSet = alembic.steps.some(
    (s) => 'revision' in s && (ctx.info.revisions[s.revision]?.normalizedDependsOn.length ?? 0) >= 2,
  );
  if (!same(alembic.steps, ambix.steps)) {
    if (!throughSet) return DIFFER;
    if (!same(unordered(alembic.steps), unordered(ambix.steps))) {
      // Another step order: only the steps as a set and the final table can be compared.
      const setOf = (steps: readonly AnyStep[]) =>
        unordered(steps)
          .map((step) => JSON.stringify(step))
          .sort();
      if (!same(setOf(alembic.steps), setOf(ambix.steps))) return DIFFER;
      const lastRows = (table: readonly AlembicTableStep[]) => table.at(-1)?.rows ?? sorted(current);
      const failure = alembic.tableFailure;
      if (failure === undefined) {
        const theirEnd = lastRows(alembic.table);
        const myEnd = lastRows(ambix.table);
        if (sameList(theirEnd, myEnd)) return because('PYTHON_SET_ORDER');
        // Alembic's table kept a redundant row after an unmerge: the rules for that say which.
        const unmerge = redundantUnmerge(ctx.facts, current, alembic.table);
        const sameMeaning = sameAppliedRevisions(ctx.facts, theirEnd, myEnd) && ctx.facts.isMinimal(myEnd);
        return unmerge !== null && sameMeaning ? because('PYTHON_SET_ORDER', unmerge) : DIFFER;
      }
      // Alembic's table failed on the way; ambix's must end where these steps lead.
      const before = alembic.table[failure.at - 1]?.rows ?? sorted(current);
      if (!mergeRemovedMissingRow(failure, before, alembic.steps[failure.at]!)) return DIFFER;
      const moved = new Set(ambix.steps.map((s) => ('revision' in s ? s.revision : '')));
      const applied = ctx.facts.implied(kind === 'upgrade' ? [...current, ...moved] : current);
      if (kind === 'downgrade') for (const r of moved) applied.delete(r);
      const end = ctx.facts.tableOf(applied);
      return sameList(lastRows(ambix.table), end)
        ? because('PYTHON_SET_ORDER', 'MERGE_DELETES_ONLY_PRESENT_ROWS')
        : DIFFER;
    }
    rules.push('PYTHON_SET_ORDER');
  }

  let before = sorted(current);
  let diverged: RuleName | null = null;
  for (let k = 0; k < alembic.table.length; k++) {
    const theirStep = alembic.table[k]!;
    const myStep = ambix.table[k]!;
    const step = ambix.steps[k]!;
    if (diverged !== null) {
      if (!sameAppliedRevisions(ctx.facts, theirStep.rows, myStep.rows)) return DIFFER;
    } else if (!same(theirStep, myStep)) {
      if (emptyMergeOrUnmergeIsUpdate(before, theirStep, myStep)) {
        rules.push('EMPTY_MERGE_OR_UNMERGE_IS_UPDATE');
      } else {
        const unmerge =
          kind === 'downgrade' && 'revision' in step
            ? unmergeKeptImpliedParent(ctx.facts, before, step, theirStep, myStep)
            : null;
        if (unmerge === null) return DIFFER;
        rules.push(unmerge);
        diverged = unmerge;
      }
    }
    before = [...theirStep.rows];
  }
  const failure = alembic.tableFailure;
  if (failure !== undefined) {
    const step = ambix.steps[failure.at];
    if (diverged !== null && !ctx.facts.isMinimal(before)) {
      // Alembic tripped over the redundant row it kept; ambix's table never had it.
      rules.push(diverged);
    } else if (
      diverged === null &&
      step !== undefined &&
      'revision' in step &&
      mergeDeletesOnlyPresentRows(failure, before, step, ambix.table[failure.at])
    ) {
      rules.push('MERGE_DELETES_ONLY_PRESENT_ROWS');
    } else {
      return DIFFER;
    }
  }
  return rules.length === 0 ? AGREE : because(...rules);
}

/**
 * The rule for the first unmerge after which Alembic's version table held a redundant row: with no
 * other row before it, Alembic 1.8's behaviour; otherwise the deliberate difference.
 */
function redundantUnmerge(
  facts: HistoryFacts,
  current: readonly string[],
  table: readonly AlembicTableStep[],
): RuleName | null {
  let before: readonly string[] = current;
  for (const step of table) {
    if (!facts.isMinimal(step.rows)) {
      if (step.kind !== 'unmerge') return null;
      return before.length === 1
        ? 'ALEMBIC_1_8_UNMERGE_KEEPS_IMPLIED_PARENTS'
        : 'UNMERGE_SKIPS_IMPLIED_PARENT';
    }
    before = step.rows;
  }
  return null;
}

/** The rules for plans where Alembic and ambix do not even answer the same kind of thing. */
function planRules(
  ctx: Context,
  kind: PlanKind,
  current: readonly string[],
  targets: readonly string[],
  theirs: AlembicAnswer<AlembicPlan<AnyStep>>,
  mine: Outcome<AmbixPlan<AnyStep>>,
): Verdict {
  const target = targets[0]!;
  const refused = (code: string) => 'error' in mine && mine.error === code;
  const pastTheEnd = targets.some((t) => walksPastTheEnd(ctx.facts, t));
  if (pastTheEnd && refused('RELATIVE_OUT_OF_RANGE')) {
    if (kind === 'upgrade' && alembicAssertion(theirs, 'is_revision'))
      return because('RELATIVE_TARGET_PAST_THE_END');
    if (kind === 'stamp' && ('ok' in theirs || alembicAssertion(theirs, 'is_revision'))) {
      return because('RELATIVE_TARGET_PAST_THE_END');
    }
  }
  if (
    kind === 'downgrade' &&
    'warning' in theirs &&
    /^downgrade -1 from multiple heads is ambiguous/.test(theirs.warning) &&
    /^-\d+$/.test(target) &&
    current.length > 1 &&
    refused('MULTIPLE_HEADS')
  ) {
    return because('DOWNGRADE_RELATIVE_FROM_SEVERAL_HEADS');
  }
  if (kind === 'downgrade' && alembicAssertion(theirs, '_parse_downgrade_target')) {
    const count = headsOnBranch(ctx.facts, target, current);
    if (
      (count === 0 && refused('RELATIVE_OUT_OF_RANGE')) ||
      (count !== null && count > 1 && refused('MULTIPLE_HEADS'))
    ) {
      return because('BRANCH_RELATIVE_DOWNGRADE_NEEDS_ONE_HEAD');
    }
  }
  if (
    kind === 'stamp' &&
    'ok' in theirs &&
    stampTargetsOverlap(theirs.ok.steps, theirs.ok.tableFailure, mine)
  ) {
    return because('STAMP_TARGETS_OVERLAP');
  }
  if (kind === 'stamp' && targets.length > 1 && anotherErrorFirst(ctx, targets, theirs, mine)) {
    return because('ANOTHER_ERROR_FIRST');
  }
  const prefix = ambiguousPrefix(theirs);
  const revision = prefixOfOneRevision(ctx.facts, theirs);
  if (prefix !== null && revision !== null && targets.includes(prefix)) {
    const plain = targets.map((t) => (t === prefix ? revision : t));
    if (sameOutcome(mine, ambixPlan(ctx, kind, current, plain))) {
      return because('PREFIX_OF_ONE_REVISION_IS_NOT_AMBIGUOUS');
    }
  }
  return DIFFER;
}

// ---------------------------------------------------------------------------------------------
// History ranges

function judgeRange(
  ctx: Context,
  theirs: AlembicAnswer<readonly string[]>,
  mine: Outcome<readonly string[]>,
): Verdict {
  if (meets(expected(theirs), mine, same)) return AGREE;
  if (!('ok' in theirs) || !('ok' in mine)) return DIFFER;
  const throughSet = theirs.ok.some((id) => (ctx.info.revisions[id]?.normalizedDependsOn.length ?? 0) >= 2);
  if (throughSet && same(sorted(theirs.ok), sorted(mine.ok))) return because('PYTHON_SET_ORDER');
  const order = ctx.map.revisions.map((r) => r.id);
  if (rangeOrderAroundDependency(ctx.facts, order, theirs.ok, mine.ok)) {
    return because('KNOWN_BUG_RANGE_ORDER_AROUND_DEPENDENCY');
  }
  return DIFFER;
}

/** Each revision listed before everything below it in the list (newest first). */
function newestFirst(facts: HistoryFacts, list: readonly string[]): boolean {
  return list.every((id, k) => list.slice(0, k).every((earlier) => !facts.isBelow(earlier, id)));
}

function rangeRules(
  ctx: Context,
  start: string | readonly string[] | null,
  end: string | null,
  theirs: AlembicAnswer<readonly string[]>,
  mine: Outcome<readonly string[]>,
): Verdict {
  if ('error' in theirs && alembicAssertion(theirs, '_topological_sort') && 'ok' in mine) {
    const collected = theirs.collected ?? [];
    if (same(sorted(mine.ok), collected) && newestFirst(ctx.facts, mine.ok))
      return because('RANGE_ALEMBIC_CANNOT_SORT');
  }
  if (typeof start !== 'object' && anotherErrorFirst(ctx, [start, end], theirs, mine)) {
    return because('ANOTHER_ERROR_FIRST');
  }
  const prefix = ambiguousPrefix(theirs);
  const revision = prefixOfOneRevision(ctx.facts, theirs);
  if (prefix !== null && revision !== null && (start === prefix || end === prefix)) {
    const plainStart = start === prefix ? revision : start;
    const plainEnd = end === prefix ? revision : end;
    if (sameOutcome(mine, rangeAnswer(ctx.map, plainStart, plainEnd))) {
      return because('PREFIX_OF_ONE_REVISION_IS_NOT_AMBIGUOUS');
    }
  }
  return DIFFER;
}
