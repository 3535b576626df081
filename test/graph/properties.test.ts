import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AmbixError } from '../../src/errors.js';
import type { MigrationStep, RevisionInput, RevisionMap } from '../../src/graph/index.js';
import {
  applyStep,
  buildRevisionMap,
  planDowngrade,
  planStamp,
  planUpgrade,
  revisionRange,
  versionTableChange,
} from '../../src/graph/index.js';
import { ids, rev } from './helpers.js';

/** Random histories: roots, chains, branches, merges, some dependencies and labels. */
const histories = fc
  .array(
    fc.record({
      shape: fc.nat(99),
      first: fc.nat(),
      second: fc.nat(),
      dependency: fc.option(fc.nat(), { freq: 4 }),
      label: fc.boolean(),
    }),
    { minLength: 1, maxLength: 24 },
  )
  .chain((specs) => fc.tuple(fc.constant(specs), fc.boolean()))
  .map(([specs, reversed]) => {
    const inputs: RevisionInput[] = specs.map((spec, i) => {
      const id = `r${i}`;
      let down: string[] = [];
      if (i > 0 && spec.shape >= 12) {
        down = [`r${spec.first % i}`];
        const other = `r${spec.second % i}`;
        if (spec.shape < 32 && other !== down[0]) down.push(other);
      }
      const dependency = spec.dependency === null || i === 0 ? undefined : `r${spec.dependency % i}`;
      const dependsOn = dependency !== undefined && !down.includes(dependency) ? [dependency] : [];
      return rev(id, down, { dependsOn, labels: spec.label && i % 3 === 0 ? [`label${i}`] : [] });
    });
    return reversed ? inputs.reverse() : inputs;
  });

/** Ancestors (with dependencies), computed from the public fields only. */
function ancestorsOf(map: RevisionMap, start: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const r = map.get(id)!;
    stack.push(...r.downRevisions, ...r.dependsOn);
  }
  return seen;
}

function descendantsOf(map: RevisionMap, start: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const r = map.get(id)!;
    stack.push(...r.children, ...r.dependents);
  }
  return seen;
}

function run(map: RevisionMap, start: readonly string[], steps: readonly MigrationStep[]): string[] {
  return steps.reduce<string[]>((heads, step) => applyStep(map, heads, step), [...start]);
}

const sorted = (list: Iterable<string>): string[] => [...list].sort();

/** Each revision comes after its down revisions and dependencies that are also in the list. */
function expectOldestFirst(map: RevisionMap, order: readonly string[]): void {
  const position = new Map(order.map((id, k) => [id, k]));
  for (const [id, k] of position) {
    const r = map.get(id)!;
    for (const older of [...r.downRevisions, ...r.dependsOn]) {
      if (position.has(older)) expect(position.get(older)!, `${older} before ${id}`).toBeLessThan(k);
    }
  }
}

/** Heads form the version table of `applied`: exactly its newest revisions. */
function expectHeadsOf(map: RevisionMap, heads: readonly string[], applied: ReadonlySet<string>): void {
  expect(new Set(heads).size).toBe(heads.length);
  expect(sorted(ancestorsOf(map, heads))).toEqual(sorted(applied));
  for (const head of heads) {
    const others = heads.filter((h) => h !== head);
    expect(ancestorsOf(map, others).has(head), `${head} is implied by another row`).toBe(false);
  }
}

const pick = (list: readonly string[], n: number): string => list[n % list.length]!;

describe('plans on random histories', () => {
  it('upgrades everything in topological order and ends at the real heads', () => {
    fc.assert(
      fc.property(histories, (inputs) => {
        const map = buildRevisionMap(inputs);
        const steps = planUpgrade(map, [], 'heads');
        const order = ids(steps);
        expect(sorted(order)).toEqual(sorted(inputs.map((i) => i.id)));
        expectOldestFirst(map, order);
        expect(sorted(run(map, [], steps))).toEqual(sorted(map.realHeads));
      }),
    );
  });

  it('downgrades everything newest first and ends with an empty table', () => {
    fc.assert(
      fc.property(histories, (inputs) => {
        const map = buildRevisionMap(inputs);
        const steps = planDowngrade(map, map.realHeads, 'base');
        const order = ids(steps);
        expect(sorted(order)).toEqual(sorted(inputs.map((i) => i.id)));
        expectOldestFirst(map, [...order].reverse());
        expect(run(map, map.realHeads, steps)).toEqual([]);
      }),
    );
  });

  it('upgrades to any target, then to another, applying exactly what they need', () => {
    fc.assert(
      fc.property(histories, fc.nat(), fc.nat(), (inputs, a, b) => {
        const map = buildRevisionMap(inputs);
        const all = inputs.map((i) => i.id);
        const first = pick(all, a);
        const second = pick(all, b);

        const toFirst = planUpgrade(map, [], first);
        expectOldestFirst(map, ids(toFirst));
        const afterFirst = run(map, [], toFirst);
        expectHeadsOf(map, afterFirst, ancestorsOf(map, [first]));

        const toSecond = planUpgrade(map, afterFirst, second);
        const applied = ancestorsOf(map, afterFirst);
        for (const id of ids(toSecond)) expect(applied.has(id), `${id} applied twice`).toBe(false);
        expectOldestFirst(map, ids(toSecond));
        const afterSecond = run(map, afterFirst, toSecond);
        expectHeadsOf(map, afterSecond, new Set([...applied, ...ancestorsOf(map, [second])]));
      }),
    );
  });

  it('downgrades to any applied revision, reverting exactly what is above it', () => {
    fc.assert(
      fc.property(histories, fc.nat(), fc.nat(), (inputs, a, b) => {
        const map = buildRevisionMap(inputs);
        const start = run(map, [], planUpgrade(map, [], pick(map.heads, a)));
        const applied = ancestorsOf(map, start);
        const target = pick([...applied], b);

        let steps: MigrationStep[];
        try {
          steps = planDowngrade(map, start, target);
        } catch (error) {
          // Alembic refuses a target reached only through a dependency: nothing lies above it.
          expect((error as AmbixError).code).toBe('RANGE_NOT_LINEAR');
          expect(start).not.toContain(target);
          return;
        }
        const reverted = descendantsOf(map, map.get(target)!.children);
        const expected = new Set([...applied].filter((id) => !reverted.has(id)));
        expect(sorted(ids(steps))).toEqual(sorted([...applied].filter((id) => reverted.has(id))));
        expectOldestFirst(map, [...ids(steps)].reverse());
        expectHeadsOf(map, run(map, start, steps), expected);
      }),
    );
  });

  it('returns to the same heads after upgrading past a revision and downgrading back to it', () => {
    fc.assert(
      fc.property(histories, fc.nat(), fc.nat(), (inputs, a, b) => {
        const map = buildRevisionMap(inputs);
        const all = inputs.map((i) => i.id);
        const target = pick(all, a);
        const above = descendantsOf(map, map.get(target)!.children);
        const later = pick(all, b);
        const below = ancestorsOf(map, [target]);
        // Everything the later revision needs must be the target's or above it.
        fc.pre([...ancestorsOf(map, [later])].every((id) => below.has(id) || above.has(id)));

        const atTarget = run(map, [], planUpgrade(map, [], target));
        const atLater = run(map, atTarget, planUpgrade(map, atTarget, later));
        const back = run(map, atLater, planDowngrade(map, atLater, target));
        expect(sorted(back)).toEqual(sorted(atTarget));
      }),
    );
  });

  it('plans each step with the change the head maintainer makes at that point', () => {
    fc.assert(
      fc.property(histories, fc.nat(), (inputs, a) => {
        const map = buildRevisionMap(inputs);
        let heads: string[] = [];
        for (const step of planUpgrade(map, [], pick(map.heads, a))) {
          expect(step.change).toEqual(versionTableChange(map, heads, step));
          heads = applyStep(map, heads, step);
        }
        for (const step of planDowngrade(map, heads, 'base')) {
          expect(step.change).toEqual(versionTableChange(map, heads, step));
          heads = applyStep(map, heads, step);
        }
        expect(heads).toEqual([]);
      }),
    );
  });

  it('stamps the real heads into an empty table and clears it again with base', () => {
    fc.assert(
      fc.property(histories, (inputs) => {
        const map = buildRevisionMap(inputs);
        const stamped = planStamp(map, [], ['heads']).reduce<string[]>((h, s) => applyStep(map, h, s), []);
        expect(sorted(stamped)).toEqual(sorted(map.realHeads));
        const cleared = planStamp(map, stamped, ['base']).reduce<string[]>(
          (h, s) => applyStep(map, h, s),
          stamped,
        );
        expect(cleared).toEqual([]);
      }),
    );
  });

  it('lists the whole history once, newest first', () => {
    fc.assert(
      fc.property(histories, (inputs) => {
        const map = buildRevisionMap(inputs);
        const listed = revisionRange(map, undefined, undefined).map((r) => r.id);
        expect(sorted(listed)).toEqual(sorted(inputs.map((i) => i.id)));
        expectOldestFirst(map, [...listed].reverse());
      }),
    );
  });

  it('keeps map.revisions topological and every label on all descendants', () => {
    fc.assert(
      fc.property(histories, (inputs) => {
        const map = buildRevisionMap(inputs);
        expectOldestFirst(
          map,
          map.revisions.map((r) => r.id),
        );
        for (const r of map.revisions) {
          for (const label of r.ownBranchLabels) expect(r.branchLabels).toContain(label);
          for (const parent of r.downRevisions) {
            for (const label of map.get(parent)!.branchLabels) expect(r.branchLabels).toContain(label);
          }
        }
      }),
    );
  });
});
