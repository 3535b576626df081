import { describe, expect, it } from 'vitest';
import type { RevisionMap, StepMovement } from '../../src/graph/index.js';
import { applyStep, planStamp, versionTableChange } from '../../src/graph/index.js';
import { expectError, headsAfter, history, rev } from './helpers.js';

function up(map: RevisionMap, id: string): StepMovement {
  const revision = map.get(id)!;
  return {
    kind: 'migration',
    direction: 'up',
    revision,
    fromRevisions: [...revision.downRevisions, ...revision.normalizedDependsOn],
    toRevisions: [id],
  };
}

function down(map: RevisionMap, id: string): StepMovement {
  const revision = map.get(id)!;
  return {
    kind: 'migration',
    direction: 'down',
    revision,
    fromRevisions: [id],
    toRevisions: [...revision.downRevisions, ...revision.normalizedDependsOn],
  };
}

describe('the version table head maintainer', () => {
  /*
   * a ─ b ┬ c1 ─ d1 ┬ e
   *       └ c2 ─ d2 ┘
   */
  const map = history(
    rev('a'),
    rev('b', 'a'),
    rev('c1', 'b'),
    rev('d1', 'c1'),
    rev('c2', 'b'),
    rev('d2', 'c2'),
    rev('e', ['d1', 'd2']),
  );

  it('inserts a row for a base', () => {
    expect(versionTableChange(map, [], up(map, 'a'))).toEqual({ kind: 'insert', revision: 'a' });
    expect(applyStep(map, [], up(map, 'a'))).toEqual(['a']);
  });

  it('updates the row of the down revision on a normal step', () => {
    expect(versionTableChange(map, ['a'], up(map, 'b'))).toEqual({ kind: 'update', from: 'a', to: 'b' });
  });

  it('inserts a row when the down revision is not a row (a new branch)', () => {
    expect(versionTableChange(map, ['c2'], up(map, 'c1'))).toEqual({ kind: 'insert', revision: 'c1' });
    expect(applyStep(map, ['c2'], up(map, 'c1'))).toEqual(['c2', 'c1']);
  });

  it('deletes the rows of all parents but one on a merge, updating the last', () => {
    expect(versionTableChange(map, ['d1', 'd2'], up(map, 'e'))).toEqual({
      kind: 'merge',
      delete: ['d1'],
      from: 'd2',
      to: 'e',
    });
    expect(applyStep(map, ['d1', 'd2'], up(map, 'e'))).toEqual(['e']);
  });

  it('inserts rows for the parents on an un-merge', () => {
    expect(versionTableChange(map, ['e'], down(map, 'e'))).toEqual({
      kind: 'unmerge',
      insert: ['d1'],
      from: 'e',
      to: 'd2',
    });
    expect([...applyStep(map, ['e'], down(map, 'e'))].sort()).toEqual(['d1', 'd2']);
  });

  it('deletes the row of a revision whose parent another row still implies', () => {
    expect(versionTableChange(map, ['c1', 'd2'], down(map, 'c1'))).toEqual({
      kind: 'delete',
      revision: 'c1',
    });
  });

  it('updates a row down to its parent when nothing else implies the parent', () => {
    expect(applyStep(map, ['d1', 'c2'], down(map, 'd1'))).toEqual(['c1', 'c2']);
  });

  it('deletes the last row when a base is downgraded', () => {
    expect(applyStep(map, ['a'], down(map, 'a'))).toEqual([]);
  });

  it('keeps the order of the other rows and replaces an updated row in place', () => {
    expect(applyStep(map, ['d2', 'c1'], up(map, 'd1'))).toEqual(['d2', 'd1']);
  });

  it('refuses a step that does not fit the rows', () => {
    expectError(() => applyStep(map, ['d1'], down(map, 'b')), 'INVALID_PLAN', 'b', 'd1');
    expectError(() => applyStep(map, ['a'], up(map, 'a')), 'INVALID_PLAN', 'already has a row for a');
  });

  it('refuses a step built for another map', () => {
    const other = history(rev('a'));
    expectError(() => applyStep(map, [], up(other, 'a')), 'INVALID_PLAN', 'does not belong');
  });
});

describe('planStamp', () => {
  describe('on a line', () => {
    const line = history(rev('a'), rev('b', 'a'), rev('c', 'b'), rev('d', 'c'));

    it('deletes the row when stamping base', () => {
      const steps = planStamp(line, ['d'], ['base']);
      expect(steps).toHaveLength(1);
      expect(steps[0]).toMatchObject({ kind: 'stamp', direction: 'down', branchMove: true });
      expect(steps[0]!.change).toEqual({ kind: 'delete', revision: 'd' });
    });

    it('moves the row up or down without running anything', () => {
      expect(headsAfter(line, ['b'], planStamp(line, ['b'], ['d']))).toEqual(['d']);
      expect(headsAfter(line, ['d'], planStamp(line, ['d'], ['a']))).toEqual(['a']);
      expect(planStamp(line, ['b'], ['d'])[0]).toMatchObject({
        direction: 'up',
        fromRevisions: ['b'],
        toRevisions: ['d'],
      });
    });

    it('inserts a row into an empty table', () => {
      expect(headsAfter(line, [], planStamp(line, [], ['c']))).toEqual(['c']);
    });

    it('plans nothing when the table already holds the target', () => {
      expect(planStamp(line, ['c'], ['c'])).toEqual([]);
    });

    it('starts from an empty table with purge', () => {
      const steps = planStamp(line, ['stale-row'], ['b'], { purge: true });
      expect(headsAfter(line, [], steps)).toEqual(['b']);
    });
  });

  describe('on two labelled branches', () => {
    const branched = history(
      rev('a'),
      rev('b', 'a'),
      rev('c1', 'b', { labels: ['c1branch'] }),
      rev('d1', 'c1'),
      rev('c2', 'b', { labels: ['c2branch'] }),
      rev('d2', 'c2'),
    );

    it('collapses several branches onto their branch point', () => {
      const steps = planStamp(branched, ['d1', 'c2'], ['b']);
      expect(steps).toHaveLength(1);
      expect(steps[0]!.change).toEqual({ kind: 'merge', delete: ['d1'], from: 'c2', to: 'b' });
    });

    it('removes only the branch of label@base', () => {
      const steps = planStamp(branched, ['d1', 'c2'], ['c1branch@base']);
      expect(steps.map((s) => s.change)).toEqual([{ kind: 'delete', revision: 'd1' }]);
    });

    it('moves only the branch of label@head', () => {
      const steps = planStamp(branched, ['d1', 'c2'], ['c2branch@head']);
      expect(steps.map((s) => s.change)).toEqual([{ kind: 'update', from: 'c2', to: 'd2' }]);
      expect(headsAfter(branched, ['d1', 'c2'], steps)).toEqual(['d1', 'd2']);
    });

    it('adds a branch that has no row yet', () => {
      const steps = planStamp(branched, ['d1'], ['d2']);
      expect(steps[0]).toMatchObject({
        direction: 'up',
        branchMove: true,
        change: { kind: 'insert', revision: 'd2' },
      });
      expect(headsAfter(branched, ['d1'], steps)).toEqual(['d1', 'd2']);
    });
  });

  describe('across a merge point', () => {
    const merged = history(
      rev('a'),
      rev('b', 'a'),
      rev('c1', 'b'),
      rev('d1', 'c1'),
      rev('c2', 'b', { labels: ['c2branch'] }),
      rev('d2', 'c2'),
      rev('e', ['d1', 'd2']),
      rev('f', 'e'),
    );

    it('moves the merged row down onto one branch', () => {
      expect(planStamp(merged, ['e'], ['c2']).map((s) => s.change)).toEqual([
        { kind: 'update', from: 'e', to: 'c2' },
      ]);
      expect(planStamp(merged, ['e'], ['a']).map((s) => s.change)).toEqual([
        { kind: 'update', from: 'e', to: 'a' },
      ]);
    });

    it('moves one branch up past the merge point', () => {
      expect(planStamp(merged, ['c2'], ['e']).map((s) => s.change)).toEqual([
        { kind: 'update', from: 'c2', to: 'e' },
      ]);
      expect(planStamp(merged, ['b'], ['e']).map((s) => s.change)).toEqual([
        { kind: 'update', from: 'b', to: 'e' },
      ]);
    });

    it('merges the rows of both branches when moving past the merge point', () => {
      expect(planStamp(merged, ['d1', 'c2'], ['e']).map((s) => s.change)).toEqual([
        { kind: 'merge', delete: ['d1'], from: 'c2', to: 'e' },
      ]);
      expect(planStamp(merged, ['d1', 'c2'], ['c2branch@head']).map((s) => s.change)).toEqual([
        { kind: 'merge', delete: ['d1'], from: 'c2', to: 'f' },
      ]);
    });
  });

  it('moves down across a dependency', () => {
    const map = history(
      rev('a1', [], { labels: ['lib1'] }),
      rev('b1', 'a1'),
      rev('c1', 'b1'),
      rev('a2'),
      rev('b2', 'a2'),
      rev('c2', 'b2', { dependsOn: ['c1'] }),
      rev('d1', 'c1'),
      rev('e1', 'd1'),
    );
    expect(headsAfter(map, ['e1', 'c2'], planStamp(map, ['e1', 'c2'], ['b1']))).toEqual(['b1']);
  });

  describe('on independent roots', () => {
    const forest = history(rev('a1'), rev('b1', 'a1'), rev('a2'), rev('b2', 'a2'));

    it('stamps every head into an empty table', () => {
      const steps = planStamp(forest, [], ['heads']);
      expect(steps.map((s) => s.toRevisions)).toEqual([['b1'], ['b2']]);
      expect(headsAfter(forest, [], steps)).toEqual(['b1', 'b2']);
    });

    it('plans nothing when every head is already stamped', () => {
      expect(planStamp(forest, ['b1', 'b2'], ['heads'])).toEqual([]);
    });

    it('moves several rows to several targets', () => {
      expect(headsAfter(forest, ['a1', 'a2'], planStamp(forest, ['a1', 'a2'], ['heads']))).toEqual([
        'b1',
        'b2',
      ]);
      expect(headsAfter(forest, ['a1', 'a2'], planStamp(forest, ['a1', 'a2'], ['b1', 'b2']))).toEqual([
        'b1',
        'b2',
      ]);
    });

    it('removes every row when stamping base, or with no target', () => {
      expect(headsAfter(forest, ['b1', 'b2'], planStamp(forest, ['b1', 'b2'], ['base']))).toEqual([]);
      expect(headsAfter(forest, ['b1', 'b2'], planStamp(forest, ['b1', 'b2'], []))).toEqual([]);
    });
  });
});
