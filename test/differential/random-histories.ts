import { isDeepStrictEqual as same } from 'node:util';
import type { RevisionInput } from '../../src/graph/index.js';
import { HistoryFacts } from './history-facts.js';

/*
 * Seeded random revision histories and the questions to ask about them, for the differential test
 * against Alembic. Ids are short strings over a four-letter alphabet so that prefixes collide;
 * histories mix roots, chains, branches, merges, branch labels and depends_on (by id and by label),
 * and a few are deliberately broken (duplicate ids, missing parents, cycles, unusable names).
 *
 * Where a question uses a construct that ambix reads differently from Alembic on purpose, the same
 * question written plainly is asked too (Plainly), so that a rule can check ambix's answer against
 * what Alembic says the construct means; a history naming a reference twice gets a twin case.
 */

/** [current heads, target] */
export type PlanQuestion = readonly [readonly string[], string];
/** [current heads, targets] */
export type StampQuestion = readonly [readonly string[], readonly string[]];
/** [start, end] of a history range; null for the default (base, heads), a list for given heads. */
export type RangeQuestion = readonly [string | readonly string[] | null, string | null];

/**
 * A construct ambix reads differently from Alembic on purpose (or where Alembic fails), which a
 * question can also be asked without.
 */
export type Construct =
  /** A branch label such as `rel-1`: Alembic reads it as `rel` -1 in a target. */
  | 'relative-looking label'
  /** A target `<rev>-N` (or stamp target `-N`) walking below the first revision: base. */
  | 'target below a root'
  /** A range start `-N` where a walk (from one of the heads) goes below the first revision. */
  | 'start below a root'
  /** A relative range start with an end counted from it (`-1:+2`): Alembic counts from its text. */
  | 'relative start';

/** For a question using such constructs, the index of the same question written plainly. */
export interface Plainly {
  readonly index: number;
  readonly because: readonly Construct[];
}

/** One history and everything asked about it; answered by ambix and by Alembic alike. */
export interface Case {
  readonly index: number;
  /** Regenerates this case alone: `generateCase(seed, index)`. */
  readonly seed: number;
  readonly revisions: readonly RevisionInput[];
  /** How the history was broken on purpose, if it was. */
  readonly broken: string | null;
  readonly identifiers: readonly string[];
  readonly upgrades: readonly PlanQuestion[];
  readonly downgrades: readonly PlanQuestion[];
  readonly stamps: readonly StampQuestion[];
  readonly ranges: readonly RangeQuestion[];
  /**
   * The same case with every reference written once, when a revision names a parent twice or
   * depends on one revision twice: Alembic keeps such tuples as written, ambix does not.
   */
  readonly twin?: Case;
  /** Question index -> the same question written plainly, per kind of question. */
  readonly plainly: {
    readonly upgrades: ReadonlyMap<number, Plainly>;
    readonly downgrades: ReadonlyMap<number, Plainly>;
    readonly stamps: ReadonlyMap<number, Plainly>;
    readonly ranges: ReadonlyMap<number, Plainly>;
  };
}

/** mulberry32: small, fast and good enough to pick shapes of histories. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Picker {
  constructor(readonly next: () => number) {}

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  one<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  some<T>(list: readonly T[], count: number): T[] {
    const pool = [...list];
    const out: T[] = [];
    while (out.length < count && pool.length > 0)
      out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  shuffle<T>(list: readonly T[]): T[] {
    return this.some(list, list.length);
  }
}

interface Draft {
  id: string;
  downRevisions: string[];
  dependsOn: string[];
  branchLabels: string[];
}

const ALPHABET = 'abcd';

function draftHistory(pick: Picker): Draft[] {
  const n = pick.int(1, 12);
  const ids: string[] = [];
  while (ids.length < n) {
    let id = '';
    for (let k = pick.int(4, 6); k > 0; k--) id += pick.one([...ALPHABET]);
    if (!ids.includes(id)) ids.push(id);
  }
  let labelCount = 0;
  const drafts: Draft[] = ids.map((id, i) => {
    const earlier = ids.slice(0, i);
    const shape = pick.next();
    let downRevisions: string[];
    if (earlier.length === 0 || shape < 0.15) downRevisions = [];
    else if (shape < 0.3 && earlier.length >= 2)
      downRevisions = pick.some(earlier, pick.chance(0.25) ? 3 : 2);
    else downRevisions = [pick.one(earlier)];
    // Now and then a parent is named twice (see DUPLICATE_REFERENCES_COUNT_ONCE).
    if (downRevisions.length === 1 && pick.chance(0.02)) downRevisions.push(downRevisions[0]!);
    const dependsOn: string[] = [];
    const candidates = earlier.filter((e) => !downRevisions.includes(e));
    if (candidates.length > 0 && pick.chance(0.2)) {
      dependsOn.push(...pick.some(candidates, pick.chance(0.2) ? 2 : 1));
    }
    const branchLabels: string[] = [];
    if (pick.chance(0.2)) {
      const kind = pick.next();
      // Mostly plain labels; some extend their own revision's id (a prefix of both names one
      // revision) and some look like relative identifiers (`rel-1`), which must still mean themselves.
      if (kind < 0.08) branchLabels.push(`${id}x`);
      else if (kind < 0.16) branchLabels.push(`rel-${labelCount++}`);
      else branchLabels.push(`lb${labelCount++}`);
    }
    return { id, downRevisions, dependsOn, branchLabels };
  });
  // Some dependencies name a branch label instead of a revision id, a few name both.
  for (const draft of drafts) {
    draft.dependsOn = draft.dependsOn.flatMap((dependency) => {
      const label = drafts.find((d) => d.id === dependency)!.branchLabels[0];
      if (label === undefined) return [dependency];
      const way = pick.next();
      return way < 0.45 ? [label] : way < 0.55 ? [dependency, label] : [dependency];
    });
  }
  return pick.chance(0.3) ? pick.shuffle(drafts) : drafts;
}

const BAD_LABELS = ['lb 1', 'lb@1', 'lb:1', 'head', 'heads', 'base', 'current', '+lb', '-lb'];
const BAD_IDS = ['ab-cd', 'ab+cd', 'ab@cd', 'ab:cd', 'ab cd', 'head', 'heads', 'base', 'current'];

/** Breaks a history in one of the ways a real project can (or one ambix refuses on purpose). */
function breakHistory(pick: Picker, drafts: Draft[]): string {
  const target = pick.one(drafts);
  const other = pick.one(drafts);
  /** A random ancestor through down revisions (the revision itself when it is a root). */
  const ancestorOf = (draft: Draft): Draft => {
    let current = draft;
    do {
      const parent = current.downRevisions.length > 0 ? pick.one(current.downRevisions) : undefined;
      const next = drafts.find((d) => d.id === parent);
      if (next === undefined) return current;
      current = next;
    } while (pick.chance(0.5));
    return current;
  };
  const mutations: Record<string, () => void> = {
    'duplicate id': () => drafts.push({ ...other, downRevisions: [], dependsOn: [], branchLabels: [] }),
    'missing parent': () => target.downRevisions.push('zzzz'),
    'missing dependency': () => target.dependsOn.push('zzzz'),
    'own down revision': () => target.downRevisions.push(target.id),
    'own dependency': () => target.dependsOn.push(target.id),
    'own label as dependency': () => {
      target.branchLabels.push('self');
      target.dependsOn.push('self');
    },
    // An ancestor of the target revising (depending on) it closes a cycle through the target.
    'down revision cycle': () => ancestorOf(target).downRevisions.push(target.id),
    'dependency cycle': () => ancestorOf(target).dependsOn.push(target.id),
    'duplicate label': () => {
      target.branchLabels.push('twice');
      (drafts.find((d) => d !== target) ?? target).branchLabels.push('twice');
    },
    'label equal to an id': () => target.branchLabels.push(other.id),
    'unusable label': () => target.branchLabels.push(pick.one(BAD_LABELS)),
    'unusable id': () => {
      const bad = pick.one(BAD_IDS);
      for (const d of drafts) {
        d.downRevisions = d.downRevisions.map((x) => (x === target.id ? bad : x));
        d.dependsOn = d.dependsOn.map((x) => (x === target.id ? bad : x));
      }
      target.id = bad;
    },
  };
  const kind = pick.one(Object.keys(mutations));
  mutations[kind]!();
  return kind;
}

/** The version table of a database where the picked revisions (and all they need) are applied. */
function versionTable(facts: HistoryFacts, picked: readonly string[]): string[] {
  const table = new Set(facts.tableOf(facts.implied(picked)));
  return facts.revisions.map((r) => r.id).filter((id) => table.has(id));
}

function identifiersFor(pick: Picker, revisions: readonly RevisionInput[]): string[] {
  const ids = revisions.map((r) => r.id);
  const labels = revisions.flatMap((r) => r.branchLabels);
  const out = [
    'heads',
    'head',
    'base',
    'zzzz',
    '+1',
    '+2',
    '-1',
    '-2',
    'head-1',
    'heads-1',
    'base+1',
    'base+2',
  ];
  for (const id of pick.some(ids, 3)) {
    out.push(id, id.slice(0, pick.int(1, 4)), `${id}${pick.one(['+1', '+2', '-1', '-2'])}`);
  }
  for (const label of labels) {
    out.push(label);
    // Alembic reads a relative-looking label as relative even inside `label@…`; only its exact
    // form is asked (see EXACT_KEY_IS_NOT_RELATIVE).
    if (/[+-]\d+$/.test(label)) continue;
    out.push(`${label}@head`, `${label}@heads`, `${label}@base`, `${label}@+1`, `${label}@-1`);
    out.push(`${label}@${pick.one(ids)}`, `${label}@base+1`);
  }
  return out;
}

type Plain<Q> = { readonly question: Q; readonly because: readonly Construct[] } | null;

/** Appends questions, each followed by its plain form when it has one, and records the pairs. */
class Questions<Q> {
  readonly list: Q[] = [];
  readonly plainly = new Map<number, Plainly>();

  constructor(private readonly plain: (question: Q) => Plain<Q>) {}

  ask(question: Q): void {
    this.list.push(question);
    const plain = this.plain(question);
    if (plain === null) return;
    this.plainly.set(this.list.length - 1, { index: this.list.length, because: plain.because });
    this.list.push(plain.question);
  }
}

/**
 * What a relative identifier that walks below a root stands for in ambix: the revisions the walks
 * reach, those below a root dropped (null when none is left); undefined when no walk goes below a
 * root, or the walks cannot be followed here.
 */
function belowRoot(facts: HistoryFacts, identifier: string): string[] | null | undefined {
  const ends = facts.relativeDown(identifier);
  if (ends === undefined || ends.includes('ambiguous') || !ends.some((e) => e === null || e === 'base')) {
    return undefined;
  }
  const revisions = ends.filter((end): end is string => end !== null && end !== 'base');
  return revisions.length > 0 ? revisions : null;
}

const draft = (
  id: string,
  downRevisions: string[] = [],
  dependsOn: string[] = [],
  branchLabels: string[] = [],
) => ({
  id,
  downRevisions,
  dependsOn,
  branchLabels,
});

/** Histories the generator seldom produces, as the first cases of every run (questions stay random). */
const FIXED: readonly { readonly revisions: readonly Draft[]; readonly broken: string | null }[] = [
  // Alembic 1.8.1 takes ':' in a revision id; current Alembic and ambix refuse it.
  { revisions: [draft('abcd'), draft('ab:cd', ['abcd'])], broken: 'unusable id' },
  // A parent named twice.
  { revisions: [draft('aaaa'), draft('bbbb', ['aaaa', 'aaaa']), draft('cccc', ['bbbb'])], broken: null },
  // One dependency named by its id and by its branch label.
  {
    revisions: [draft('aaaa', [], [], ['lb0']), draft('bbbb', [], ['aaaa', 'lb0']), draft('cccc', ['bbbb'])],
    broken: null,
  },
  // dddd, outside the range 'aaaa:', sits between its members bbbb and cccc through dependencies
  // (KNOWN_BUG_RANGE_ORDER_AROUND_DEPENDENCY).
  {
    revisions: [
      draft('aaaa'),
      draft('bbbb', ['aaaa']),
      draft('dddd', [], ['bbbb']),
      draft('cccc', ['bbbb'], ['dddd']),
      draft('abab', ['aaaa']),
    ],
    broken: null,
  },
];

/** Generates case `index` of the run seeded with `seed`; the same pair always gives the same case. */
export function generateCase(seed: number, index: number): Case {
  const caseSeed = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  const pick = new Picker(random(caseSeed));
  const fixed = FIXED[index];
  const drafts = fixed?.revisions.map((d) => ({ ...d })) ?? draftHistory(pick);
  const broken = fixed !== undefined ? fixed.broken : pick.chance(0.08) ? breakHistory(pick, drafts) : null;
  const revisions: RevisionInput[] = drafts.map((d) => ({
    id: d.id,
    downRevisions: d.downRevisions,
    dependsOn: d.dependsOn,
    branchLabels: d.branchLabels,
  }));
  const facts = new HistoryFacts(revisions);
  const withTwin = (asked: Case): Case => {
    const once = withReferencesOnce(facts);
    return once === null ? asked : { ...asked, twin: { ...asked, revisions: once } };
  };
  if (broken !== null) {
    const none = new Map<number, Plainly>();
    const plainly = { upgrades: none, downgrades: none, stamps: none, ranges: none };
    const nothing = { identifiers: [], upgrades: [], downgrades: [], stamps: [], ranges: [] };
    return withTwin({ index, seed, revisions, broken, ...nothing, plainly });
  }

  const ids = revisions.map((r) => r.id);
  const identifiers = identifiersFor(pick, revisions);
  const relativeLooking = (target: string) =>
    /[+-]\d+$/.test(target) && !ids.includes(target) ? facts.owner.get(target) : undefined;
  /** `<rev>-N` walking to base exactly (a walk further down is refused, see walksPastTheEnd). */
  const toBase = (target: string) => /^\w+-\d+$/.test(target) && same(facts.relativeDown(target), ['base']);

  const upgrades = new Questions<PlanQuestion>(([current, target]) => {
    const id = relativeLooking(target);
    if (id !== undefined) return { question: [current, id], because: ['relative-looking label'] };
    if (toBase(target)) return { question: [current, 'base'], because: ['target below a root'] };
    return null;
  });
  const downgrades = new Questions<PlanQuestion>(([current, target]) => {
    const id = relativeLooking(target);
    return id === undefined ? null : { question: [current, id], because: ['relative-looking label'] };
  });
  const stamps = new Questions<StampQuestion>(([current, targets]) => {
    // With rows present, both refuse a relative stamp target (it names no lineage to compare with).
    if (current.length > 0) return null;
    // Only `-N` walks here: a stamp target `<rev>-N` names no revision, for either.
    const walked = targets.map((t) => (/^-\d+$/.test(t) ? belowRoot(facts, t) : undefined));
    if (walked.every((w) => w === undefined)) return null;
    const plain = targets.flatMap((t, k) => (walked[k] === undefined ? [t] : (walked[k] ?? [])));
    return { question: [current, plain.length > 0 ? plain : ['base']], because: ['target below a root'] };
  });
  const ranges = new Questions<RangeQuestion>(([start, end]) => {
    const because: Construct[] = [];
    let plainEnd = end;
    const id = end === null ? undefined : relativeLooking(end);
    if (end !== null && id !== undefined) {
      plainEnd = id;
      because.push('relative-looking label');
    } else if (end !== null && /^\w+-\d+$/.test(end) && belowRoot(facts, end) === null) {
      // A range end walks at most to base: assert_relative_length is off for history.
      plainEnd = 'base';
      because.push('target below a root');
    }
    let plainStart = start;
    // Only `-N` is a relative start: `<rev>-N` names no revision there, for either.
    const walks = typeof start === 'string' && /^-\d+$/.test(start) ? facts.relativeDown(start) : undefined;
    if (walks !== undefined && walks[0] !== null && !walks.includes('ambiguous')) {
      const reached = belowRoot(facts, start as string);
      const countedFromStart = plainEnd !== null && /^[+-]\d+$|@[+-]\d+$/.test(plainEnd);
      if (reached !== undefined || countedFromStart) {
        const revisions = walks.filter((w): w is string => w !== null && w !== 'base');
        plainStart = revisions.length > 0 ? revisions : null;
        because.push(reached !== undefined ? 'start below a root' : 'relative start');
      }
    }
    return because.length === 0 ? null : { question: [plainStart, plainEnd], because };
  });

  // Branch-relative starts and stamp targets (`label@-1`) are left out: Alembic then reads the
  // identifier's text where it needs revisions, and the walk depends on effective branch labels,
  // which this generator does not compute. Downgrades and resolution still ask about them.
  const branchRelative = (identifier: string) => /@[+-]\d+$/.test(identifier);
  const plainIdentifiers = identifiers.filter((i) => !branchRelative(i));
  const tables: string[][] = [[], versionTable(facts, ids)];
  for (let k = 0; k < 3; k++) tables.push(versionTable(facts, pick.some(ids, pick.int(1, 3))));
  for (const table of tables) {
    for (const target of pick.some(identifiers, 6)) upgrades.ask([table, target]);
    for (const target of pick.some(identifiers, 6)) downgrades.ask([table, target]);
    for (let k = 0; k < 2; k++) stamps.ask([table, pick.some(plainIdentifiers, pick.chance(0.7) ? 1 : 2)]);
  }
  // `history -r <rev>:`, the range people ask for most.
  for (const id of ids) ranges.ask([id, null]);
  for (let k = 0; k < 8; k++) {
    let start = pick.chance(0.3) ? null : pick.one(plainIdentifiers);
    // When the first walk of a relative start (after those stopping just below a root) goes past
    // base, both count the start from the end instead (Alembic's special case for a relative lower
    // end), where Alembic reads the end's text as a revision and trips over the other walks'
    // 'base': no plain question says what that means, so such starts are not asked.
    const walks = start !== null && /^-\d+$/.test(start) ? facts.relativeDown(start) : undefined;
    if (walks?.filter((w) => w !== 'base')[0] === null) start = null;
    ranges.ask([start, pick.chance(0.3) ? null : pick.one(identifiers)]);
  }
  return withTwin({
    index,
    seed,
    revisions,
    broken,
    identifiers,
    upgrades: upgrades.list,
    downgrades: downgrades.list,
    stamps: stamps.list,
    ranges: ranges.list,
    plainly: {
      upgrades: upgrades.plainly,
      downgrades: downgrades.plainly,
      stamps: stamps.plainly,
      ranges: ranges.plainly,
    },
  });
}

/** The history with duplicate down revisions and dependencies dropped; null when it has none. */
function withReferencesOnce(facts: HistoryFacts): RevisionInput[] | null {
  let changed = false;
  const revisions = facts.revisions.map((r) => {
    const downRevisions = [...new Set(r.downRevisions)];
    const owners = new Set<string>();
    const dependsOn = r.dependsOn.filter((d) => {
      const owner = facts.owner.get(d) ?? d;
      if (owners.has(owner)) return false;
      owners.add(owner);
      return true;
    });
    if (downRevisions.length === r.downRevisions.length && dependsOn.length === r.dependsOn.length) return r;
    changed = true;
    return { ...r, downRevisions, dependsOn };
  });
  return changed ? revisions : null;
}
