import { describe, expect, it } from 'vitest';
import type { MigrationStep } from '../../src/graph/index.js';
import { planDowngrade, planUpgrade } from '../../src/graph/index.js';
import { expectError, headsAfter, headsTrail, history, ids, rev } from './helpers.js';

describe('planning upgrades and downgrades', () => {
  describe('on a straight line a ─ b ─ c ─ d ─ e', () => {
    const line = history(rev('a'), rev('b', 'a'), rev('c', 'b'), rev('d', 'c'), rev('e', 'd'));

    it('upgrades from the current head to the target, oldest first', () => {
      const steps = planUpgrade(line, ['c'], 'e');
      expect(ids(steps)).toEqual(['d', 'e']);
      expect(headsAfter(line, ['c'], steps)).toEqual(['e']);
    });

    it('upgrades an empty database from the first revision', () => {
      const steps = planUpgrade(line, [], 'c');
      expect(ids(steps)).toEqual(['a', 'b', 'c']);
      expect(steps.map((s) => s.change.kind)).toEqual(['insert', 'update', 'update']);
    });

    it('describes each step with its direction and the versions it moves between', () => {
      const [step] = planUpgrade(line, ['a'], 'b');
      expect(step).toMatchObject({
        kind: 'migration',
        direction: 'up',
        fromRevisions: ['a'],
        toRevisions: ['b'],
        change: { kind: 'update', from: 'a', to: 'b' },
      });
      expect(step!.revision).toBe(line.get('b'));
      const [back] = planDowngrade(line, ['b'], 'a');
      expect(back).toMatchObject({ direction: 'down', fromRevisions: ['b'], toRevisions: ['a'] });
    });

    it('counts relative targets from the current head or from a revision', () => {
      expect(ids(planUpgrade(line, ['a'], '+2'))).toEqual(['b', 'c']);
      expect(ids(planUpgrade(line, ['a'], '+1'))).toEqual(['b']);
      expect(ids(planUpgrade(line, ['b'], '+3'))).toEqual(['c', 'd', 'e']);
      expect(ids(planUpgrade(line, ['a'], 'b+2'))).toEqual(['b', 'c', 'd']);
      expect(ids(planUpgrade(line, ['a'], 'd-2'))).toEqual(['b']);
      expect(ids(planUpgrade(line, [], 'base+1'))).toEqual(['a']);
      expect(ids(planUpgrade(line, [], '+1'))).toEqual(['a']);
    });

    it('refuses relative upgrades that go down or past the newest revision', () => {
      expectError(() => planUpgrade(line, ['b'], '-2'), 'RELATIVE_OUT_OF_RANGE', "'-2'");
      expectError(() => planUpgrade(line, ['b'], '+5'), 'RELATIVE_OUT_OF_RANGE', "'+5'", 'b');
    });

    it('plans nothing for a target that is already applied', () => {
      expect(planUpgrade(line, ['e'], 'c')).toEqual([]);
      expect(planUpgrade(line, ['e'], 'heads')).toEqual([]);
    });

    it('downgrades newest first to the target', () => {
      const steps = planDowngrade(line, ['e'], 'c');
      expect(ids(steps)).toEqual(['e', 'd']);
      expect(headsAfter(line, ['e'], steps)).toEqual(['c']);
    });

    it('downgrades to base, deleting the last row', () => {
      const steps = planDowngrade(line, ['c'], 'base');
      expect(ids(steps)).toEqual(['c', 'b', 'a']);
      expect(steps.at(-1)!.change).toEqual({ kind: 'delete', revision: 'a' });
      expect(headsAfter(line, ['c'], steps)).toEqual([]);
    });

    it('counts relative downgrades from the current head or from a revision', () => {
      expect(ids(planDowngrade(line, ['c'], '-1'))).toEqual(['c']);
      expect(ids(planDowngrade(line, ['e'], '-3'))).toEqual(['e', 'd', 'c']);
      expect(ids(planDowngrade(line, ['d'], 'a+2'))).toEqual(['d']);
      expect(ids(planDowngrade(line, ['d'], 'c-2'))).toEqual(['d', 'c', 'b']);
      expect(headsAfter(line, ['a'], planDowngrade(line, ['a'], '-1'))).toEqual([]);
    });

    it('refuses relative downgrades that go up or below base', () => {
      expectError(() => planDowngrade(line, ['b'], '-5'), 'RELATIVE_OUT_OF_RANGE', "'-5'");
      expectError(() => planDowngrade(line, ['b'], '+2'), 'RELATIVE_OUT_OF_RANGE', "'+2'");
      expectError(() => planDowngrade(line, [], '-1'), 'RELATIVE_OUT_OF_RANGE', "'-1'");
    });

    it('refuses to downgrade to a revision above the current head, naming both', () => {
      expectError(() => planDowngrade(line, ['b'], 'c'), 'RANGE_NOT_LINEAR', "'c'", 'b');
      expectError(() => planDowngrade(line, [], 'b'), 'RANGE_NOT_LINEAR', "'b'");
    });

    it('plans nothing when downgrading to the current head or an applied revision', () => {
      expect(planDowngrade(line, ['a'], 'a')).toEqual([]);
      expect(planDowngrade(line, ['e'], 'e')).toEqual([]);
      expect(planDowngrade(line, [], 'base')).toEqual([]);
    });

    it('refuses a current head that is not in the history', () => {
      expectError(() => planUpgrade(line, ['gone'], 'heads'), 'UNKNOWN_REVISION', 'gone');
    });
  });

  describe('on a diamond', () => {
    const diamond = history(rev('a'), rev('b1', 'a'), rev('b2', 'a'), rev('c', ['b1', 'b2']), rev('d', 'c'));

    it('runs a merge point after all of its parents', () => {
      const steps = planUpgrade(diamond, [], 'd');
      expect(ids(steps)).toEqual(['a', 'b2', 'b1', 'c', 'd']);
      expect(steps[3]!.change).toMatchObject({ kind: 'merge', to: 'c' });
      expect(headsTrail(diamond, [], steps)).toEqual([['a'], ['b2'], ['b1', 'b2'], ['c'], ['d']]);
    });

    it('un-merges on the way down, one row per parent', () => {
      const steps = planDowngrade(diamond, ['d'], 'a');
      expect(ids(steps)).toEqual(['d', 'c', 'b1', 'b2']);
      expect(steps[1]!.change).toMatchObject({ kind: 'unmerge', from: 'c' });
      expect(headsTrail(diamond, ['d'], steps)).toEqual([['c'], ['b1', 'b2'], ['b2'], ['a']]);
    });
  });

  describe('on two labelled branches from one branch point', () => {
    /*
     * a ─ b ┬ c1 (c1branch) ─ d1
     *       └ c2 (c2branch) ─ d2
     */
    const branched = history(
      rev('a'),
      rev('b', 'a'),
      rev('c1', 'b', { labels: ['c1branch'] }),
      rev('d1', 'c1'),
      rev('c2', 'b', { labels: ['c2branch'] }),
      rev('d2', 'c2'),
    );

    it('upgrades one branch', () => {
      const steps = planUpgrade(branched, ['b'], 'd1');
      expect(ids(steps)).toEqual(['c1', 'd1']);
      expect(headsAfter(branched, ['b'], steps)).toEqual(['d1']);
    });

    it('runs shared ancestors first, then each branch contiguously', () => {
      const steps = planUpgrade(branched, ['a'], 'heads');
      expect(ids(steps)).toEqual(['b', 'c2', 'd2', 'c1', 'd1']);
      expect(steps[3]!.change).toEqual({ kind: 'insert', revision: 'c1' });
      expect(headsAfter(branched, ['a'], steps)).toEqual(['d1', 'd2']);
    });

    it('downgrades each branch contiguously before their branch point', () => {
      const steps = planDowngrade(branched, ['d1', 'd2'], 'a');
      expect(ids(steps)).toEqual(['d1', 'c1', 'd2', 'c2', 'b']);
      expect(steps[1]!.change).toEqual({ kind: 'delete', revision: 'c1' });
      expect(headsAfter(branched, ['d1', 'd2'], steps)).toEqual(['a']);
    });

    it('upgrades a branch relative to its head', () => {
      const steps = planUpgrade(branched, ['b'], 'c2branch@head-1');
      expect(ids(steps)).toEqual(['c2']);
    });

    it('counts base+N without a label across both branches', () => {
      const steps = planDowngrade(branched, ['d2', 'd1'], 'base+2');
      expect(ids(steps)).toEqual(['d1', 'c1', 'd2', 'c2']);
      expect(headsAfter(branched, ['d2', 'd1'], steps)).toEqual(['b']);
    });

    it('downgrades only the named branch with label@base+N', () => {
      const steps = planDowngrade(branched, ['d2', 'd1'], 'c2branch@base+2');
      expect(ids(steps)).toEqual(['d2', 'c2']);
      expect(headsAfter(branched, ['d2', 'd1'], steps)).toEqual(['d1']);
      expect(ids(planDowngrade(branched, ['d2', 'd1'], 'c2branch@base+3'))).toEqual(['d2']);
    });

    it('downgrades one branch with label@-N', () => {
      const steps = planDowngrade(branched, ['d1', 'd2'], 'c1branch@-1');
      expect(ids(steps)).toEqual(['d1']);
      expect(headsAfter(branched, ['d1', 'd2'], steps)).toEqual(['c1', 'd2']);
      expect(ids(planDowngrade(branched, ['d1', 'd2'], 'c1branch@head-1'))).toEqual(['d1']);
    });

    it('downgrades one branch with <rev>-N', () => {
      const steps = planDowngrade(branched, ['c1', 'd2'], 'd2-1');
      expect(ids(steps)).toEqual(['d2']);
      expect(headsAfter(branched, ['c1', 'd2'], steps)).toEqual(['c1', 'c2']);
    });

    it('downgrades one branch to its branch point with label@<rev>', () => {
      const c1Only = planDowngrade(branched, ['c1', 'd2'], 'c1branch@b');
      expect(ids(c1Only)).toEqual(['c1']);
      expect(headsAfter(branched, ['c1', 'd2'], c1Only)).toEqual(['d2']);
      expect(ids(planDowngrade(branched, ['c1', 'd2'], 'c2branch@b'))).toEqual(['d2', 'c2']);
      expect(ids(planDowngrade(branched, ['d1', 'd2'], 'c2@b'))).toEqual(['d2', 'c2']);
      expect(ids(planDowngrade(branched, ['d1', 'd2'], 'd1@b'))).toEqual(['d1', 'c1']);
    });

    it('moves a branch that is not applied yet up from its branch point', () => {
      const steps = planUpgrade(branched, ['c1'], 'c2branch@+1');
      expect(ids(steps)).toEqual(['c2']);
      expect(headsAfter(branched, ['c1'], steps)).toEqual(['c1', 'c2']);
      expect(ids(planUpgrade(branched, ['c1', 'c2'], 'c2branch@+1'))).toEqual(['d2']);
    });

    it('refuses +N and -N from several heads', () => {
      expectError(() => planUpgrade(branched, ['c1', 'c2'], '+1'), 'MULTIPLE_HEADS', 'c1, c2');
      expectError(() => planDowngrade(branched, ['d2', 'd1'], '-1'), 'MULTIPLE_HEADS', 'd2, d1');
    });

    it('refuses head as a target when there are several heads', () => {
      expectError(() => planUpgrade(branched, ['b'], 'head'), 'MULTIPLE_HEADS', 'd1, d2', 'heads');
    });

    it('plans nothing when downgrading to a head that is applied', () => {
      expect(planDowngrade(branched, ['d1', 'c2'], 'c2')).toEqual([]);
      expect(planDowngrade(branched, ['d1', 'c2'], 'd1')).toEqual([]);
    });
  });

  describe('across a merge point', () => {
    // a ─ b ┬ c1 ─ d1 ┬ e ─ f
    //       └ c2 ─ d2 ┘        (c2 carries c2branch)
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

    it('inserts a row for the second branch and merges the rows at the merge point', () => {
      const steps = planUpgrade(merged, ['b'], 'f');
      expect(ids(steps)).toEqual(['c2', 'd2', 'c1', 'd1', 'e', 'f']);
      expect(steps.map((s) => s.change.kind)).toEqual([
        'update',
        'update',
        'insert',
        'update',
        'merge',
        'update',
      ]);
      expect(headsTrail(merged, ['b'], steps)).toEqual([
        ['c2'],
        ['d2'],
        ['c1', 'd2'],
        ['d1', 'd2'],
        ['e'],
        ['f'],
      ]);
    });

    it('un-merges the rows on the way down and deletes the branch that ends', () => {
      const steps = planDowngrade(merged, ['f'], 'b');
      expect(ids(steps)).toEqual(['f', 'e', 'd1', 'c1', 'd2', 'c2']);
      expect(steps.map((s) => s.change.kind)).toEqual([
        'update',
        'unmerge',
        'update',
        'delete',
        'update',
        'update',
      ]);
      expect(headsTrail(merged, ['f'], steps)).toEqual([
        ['e'],
        ['d1', 'd2'],
        ['c1', 'd2'],
        ['d2'],
        ['c2'],
        ['b'],
      ]);
    });
  });

  describe('with several merges of the same parents', () => {
    // b1, b2, b3 branch from a; c1 and c2 both merge all three.
    const twins = history(
      rev('a'),
      rev('b1', 'a'),
      rev('b2', 'a'),
      rev('b3', 'a'),
      rev('c1', ['b1', 'b2', 'b3']),
      rev('c2', ['b1', 'b2', 'b3']),
      rev('d1', 'c1'),
      rev('d2', 'c2'),
    );

    it('merges the parents once and starts the twin merge as a new row', () => {
      const steps = planUpgrade(twins, ['a'], 'heads');
      expect(ids(steps)).toEqual(['b3', 'b2', 'b1', 'c2', 'd2', 'c1', 'd1']);
      expect(headsTrail(twins, ['a'], steps)).toEqual([
        ['b3'],
        ['b2', 'b3'],
        ['b1', 'b2', 'b3'],
        ['c2'],
        ['d2'],
        ['c1', 'd2'],
        ['d1', 'd2'],
      ]);
      expect(steps[5]!.change).toEqual({ kind: 'insert', revision: 'c1' });
    });

    it('deletes a twin merge whose parents the other twin still implies', () => {
      const steps = planDowngrade(twins, ['d1', 'd2'], 'a');
      expect(ids(steps)).toEqual(['d1', 'c1', 'd2', 'c2', 'b1', 'b2', 'b3']);
      expect(headsTrail(twins, ['d1', 'd2'], steps)).toEqual([
        ['c1', 'd2'],
        ['d2'],
        ['c2'],
        ['b1', 'b2', 'b3'],
        ['b2', 'b3'],
        ['b3'],
        ['a'],
      ]);
    });

    it('handles merges that share only some parents', () => {
      const partial = history(
        rev('a'),
        rev('b1', 'a'),
        rev('b2', 'a'),
        rev('b3', 'a'),
        rev('c1', ['b1', 'b2']),
        rev('c2', ['b2', 'b3']),
        rev('d1', 'c1'),
        rev('d2', 'c2'),
      );
      const up = planUpgrade(partial, ['a'], 'heads');
      expect(ids(up)).toEqual(['b2', 'b3', 'c2', 'd2', 'b1', 'c1', 'd1']);
      expect(headsTrail(partial, ['a'], up)).toEqual([
        ['b2'],
        ['b2', 'b3'],
        ['c2'],
        ['d2'],
        ['b1', 'd2'],
        ['c1', 'd2'],
        ['d1', 'd2'],
      ]);
      const down = planDowngrade(partial, ['d1', 'd2'], 'a');
      expect(ids(down)).toEqual(['d1', 'c1', 'b1', 'd2', 'c2', 'b3', 'b2']);
      expect(headsAfter(partial, ['d1', 'd2'], down)).toEqual(['a']);
    });
  });

  describe('with a branch that starts at a merge point', () => {
    // a1 ─ b1 ─ c1 ┐
    // a2 ─ b2 ─ c2 ┴ d1;   c2 also continues to d2
    const fromMerge = history(
      rev('a1'),
      rev('b1', 'a1'),
      rev('c1', 'b1'),
      rev('a2'),
      rev('b2', 'a2'),
      rev('c2', 'b2'),
      rev('d1', ['c1', 'c2']),
      rev('d2', 'c2'),
    );

    it('upgrades only the side of the merge that is missing', () => {
      const steps = planUpgrade(fromMerge, ['d2', 'b1'], 'd1');
      expect(ids(steps)).toEqual(['c1', 'd1']);
      expect(headsAfter(fromMerge, ['d2', 'b1'], steps)).toEqual(['d1', 'd2']);
    });

    it('downgrades only the side of the merge below the target', () => {
      const steps = planDowngrade(fromMerge, ['d2', 'd1'], 'b1');
      expect(ids(steps)).toEqual(['d1', 'c1']);
      expect(headsAfter(fromMerge, ['d2', 'd1'], steps)).toEqual(['b1', 'd2']);
    });
  });

  describe('with dependencies between branches', () => {
    /*
     * base1 (b_1) ┬ a1a ─ b1a
     *             └ a1b ─ b1b ····> a3
     * base2 (b_2) ─ a2 ─ b2 ─ c2 ─ d2      c2 ····> a3
     * base3 (b_3) ─ a3 ─ b3
     */
    const cross = history(
      rev('base1', [], { labels: ['b_1'] }),
      rev('a1a', 'base1'),
      rev('a1b', 'base1'),
      rev('b1a', 'a1a'),
      rev('b1b', 'a1b', { dependsOn: ['a3'] }),
      rev('base2', [], { labels: ['b_2'] }),
      rev('a2', 'base2'),
      rev('b2', 'a2'),
      rev('c2', 'b2', { dependsOn: ['a3'] }),
      rev('d2', 'c2'),
      rev('base3', [], { labels: ['b_3'] }),
      rev('a3', 'base3'),
      rev('b3', 'a3'),
    );

    it('applies the dependencies of the target first', () => {
      const steps = planUpgrade(cross, [], 'b_2@head');
      expect(ids(steps)).toEqual(['base3', 'a3', 'base2', 'a2', 'b2', 'c2', 'd2']);
      expect(headsTrail(cross, [], steps)).toEqual([
        ['base3'],
        ['a3'],
        ['a3', 'base2'],
        ['a2', 'a3'],
        ['a3', 'b2'],
        ['c2'],
        ['d2'],
      ]);
      expect(steps[5]).toMatchObject({
        fromRevisions: ['b2', 'a3'],
        change: { kind: 'merge', delete: ['b2'] },
      });
    });

    it('upgrades everything to the real heads', () => {
      const steps = planUpgrade(cross, [], 'heads');
      expect(ids(steps)).toEqual([
        'base3',
        'a3',
        'b3',
        'base2',
        'a2',
        'b2',
        'c2',
        'd2',
        'base1',
        'a1b',
        'b1b',
        'a1a',
        'b1a',
      ]);
      expect(headsAfter(cross, [], steps)).toEqual(['b1a', 'b1b', 'b3', 'd2']);
    });

    it('downgrades one branch alone when nothing depends on it', () => {
      const steps = planDowngrade(cross, cross.realHeads, 'b_2@base');
      expect(ids(steps)).toEqual(['d2', 'c2', 'b2', 'a2', 'base2']);
      expect(headsAfter(cross, cross.realHeads, steps)).toEqual(['b1a', 'b1b', 'b3']);
    });

    it('also reverts the dependents of what it downgrades', () => {
      const steps = planDowngrade(cross, cross.realHeads, 'b_3@base');
      expect(ids(steps)).toEqual(['b1b', 'd2', 'c2', 'b3', 'a3', 'base3']);
      expect(headsTrail(cross, cross.realHeads, steps)).toEqual([
        ['a1b', 'b1a', 'b3', 'd2'],
        ['a1b', 'b1a', 'b3', 'c2'],
        ['a1b', 'b1a', 'b2', 'b3'],
        ['a1b', 'a3', 'b1a', 'b2'],
        ['a1b', 'b1a', 'b2', 'base3'],
        ['a1b', 'b1a', 'b2'],
      ]);
    });

    it('follows a dependency declared with a branch label', () => {
      const labelled = history(
        rev('a1', [], { labels: ['lib1'] }),
        rev('b1', 'a1'),
        rev('c1', 'b1', { labels: ['c1lib'] }),
        rev('a2'),
        rev('b2', 'a2'),
        rev('c2', 'b2', { dependsOn: ['c1lib'] }),
        rev('d1', 'c1'),
      );
      const steps = planUpgrade(labelled, ['a2'], 'c2');
      expect(ids(steps)).toEqual(['a1', 'b1', 'c1', 'b2', 'c2']);
      expect(headsAfter(labelled, ['a2'], steps)).toEqual(['c2']);
    });

    it('keeps a dependency applied when the revision that needed it is downgraded', () => {
      const map = history(
        rev('a1', [], { labels: ['lib1'] }),
        rev('b1', 'a1'),
        rev('c1', 'b1'),
        rev('a2'),
        rev('b2', 'a2'),
        rev('c2', 'b2', { dependsOn: ['c1'] }),
        rev('d1', 'c1'),
      );
      const steps = planDowngrade(map, ['c2', 'd1'], 'c1');
      expect(ids(steps)).toEqual(['d1']);
      expect(steps[0]!.change).toEqual({ kind: 'delete', revision: 'd1' });
      expect(headsAfter(map, ['c2', 'd1'], steps)).toEqual(['c2']);
    });

    it('downgrades one side of a criss-cross without touching the other', () => {
      // a1 ─ a2 ─ a3 (needs b1);  b1 ─ b2 (needs a2) ─ b3
      const crisscross = history(
        rev('a1'),
        rev('a2', 'a1'),
        rev('b1'),
        rev('b2', 'b1', { dependsOn: ['a2'] }),
        rev('b3', 'b2'),
        rev('a3', 'a2', { dependsOn: ['b1'] }),
      );
      const steps = planDowngrade(crisscross, ['a3', 'b2'], 'b1');
      expect(ids(steps)).toEqual(['b2']);
      expect(headsAfter(crisscross, ['a3', 'b2'], steps)).toEqual(['a3']);
    });

    it('treats a dependency on the own down revision as the down revision', () => {
      const own = history(rev('a1'), rev('a2', 'a1', { dependsOn: ['a1'] }));
      expect(headsAfter(own, [], planUpgrade(own, [], 'a2'))).toEqual(['a2']);
      expect(headsAfter(own, ['a2'], planDowngrade(own, ['a2'], 'a1'))).toEqual(['a1']);
    });

    it('keeps the dependency an older revision of the line still implies', () => {
      const normalized = history(
        rev('a1'),
        rev('a2', 'a1'),
        rev('a3', 'a2'),
        rev('b1'),
        rev('b2', 'b1', { dependsOn: ['a3'] }),
        rev('b3', 'b2'),
        rev('b4', 'b3', { dependsOn: ['a3'] }),
      );
      const steps = planDowngrade(normalized, ['b4'], 'b3');
      expect(ids(steps)).toEqual(['b4']);
      expect(headsAfter(normalized, ['b4'], steps)).toEqual(['b3']);
    });

    it('moves a merge of a revision and its own dependency back to that dependency', () => {
      // b1 depends on a1; bmerge merges a1 and b1.
      const map = history(rev('a1'), rev('b1', [], { dependsOn: ['a1'] }), rev('bmerge', ['a1', 'b1']));
      expect(headsAfter(map, ['a1'], planUpgrade(map, ['a1'], 'b1'))).toEqual(['b1']);
      expect(headsAfter(map, ['b1'], planUpgrade(map, ['b1'], 'bmerge'))).toEqual(['bmerge']);
      expect(headsAfter(map, ['bmerge'], planDowngrade(map, ['bmerge'], 'a1'))).toEqual(['b1']);
      expect(headsAfter(map, ['bmerge'], planDowngrade(map, ['bmerge'], 'b1'))).toEqual(['b1']);
    });

    it('downgrades a labelled branch that depends on another without touching the other', () => {
      const map = history(
        rev('a'),
        rev('b', 'a'),
        rev('c1', 'b', { labels: ['c1branch'] }),
        rev('d1', 'c1'),
        rev('c2', 'b', { labels: ['c2branch'] }),
        rev('d2', 'c2', { dependsOn: ['c1'] }),
      );
      const independent = planDowngrade(map, ['d1', 'd2'], 'c2branch@b');
      expect(ids(independent)).toEqual(['d2', 'c2']);
      expect(headsAfter(map, ['d1', 'd2'], independent)).toEqual(['d1']);
      const dependency = planDowngrade(map, ['d1', 'd2'], 'c1branch@b');
      expect(ids(dependency)).toEqual(['d1', 'd2', 'c1']);
      expect(headsAfter(map, ['d1', 'd2'], dependency)).toEqual(['c2']);
    });

    it('downgrades label@-N from the current heads even when the branch head is implied', () => {
      // y2 depends on x1; downgrading x@-1 from (x1, y2) must revert y2 first.
      const map = history(
        rev('y1', [], { labels: ['y'] }),
        rev('x1', [], { labels: ['x'] }),
        rev('y2', 'y1', { dependsOn: ['x1'] }),
        rev('x2', 'x1'),
      );
      expect(ids(planDowngrade(map, ['x2', 'y2'], 'x@-1'))).toEqual(['x2']);
      expect(ids(planDowngrade(map, ['x1', 'y2'], 'x@-1'))).toEqual(['y2', 'x1']);
      expect(ids(planDowngrade(map, ['y2'], 'x@-1'))).toEqual(['y2', 'x1']);
    });
  });

  describe('with many bases and merges', () => {
    const kaboom = history(
      rev('a1'),
      rev('a2'),
      rev('a3'),
      rev('amerge', ['a1', 'a2', 'a3']),
      rev('b1'),
      rev('b2'),
      rev('bmerge', ['b1', 'b2']),
      rev('c1'),
      rev('c2'),
      rev('c3'),
      rev('cmerge', ['c1', 'c2', 'c3']),
      rev('d1', [], { dependsOn: ['a3', 'b2', 'c1'] }),
    );

    it('un-merges into the one parent that no other row implies', () => {
      const start = ['amerge', 'bmerge', 'cmerge', 'd1'];
      const steps = planDowngrade(kaboom, start, 'b2');
      expect(ids(steps)).toEqual(['bmerge']);
      expect(headsAfter(kaboom, start, steps)).toEqual(['amerge', 'b1', 'cmerge', 'd1']);
    });

    it('inserts a dependency again when the revision that implied it goes', () => {
      const start = ['amerge', 'd1', 'b1', 'cmerge'];
      const steps = planDowngrade(kaboom, start, 'd1@base');
      expect(ids(steps)).toEqual(['d1']);
      expect(steps[0]!.change).toEqual({ kind: 'update', from: 'd1', to: 'b2' });
      expect(headsAfter(kaboom, start, steps)).toEqual(['amerge', 'b1', 'b2', 'cmerge']);
    });

    it('downgrades everything to base', () => {
      const start = ['amerge', 'b1', 'b2', 'cmerge'];
      const steps = planDowngrade(kaboom, start, 'base');
      expect(ids(steps)).toEqual(['amerge', 'a1', 'b1', 'b2', 'cmerge', 'c1', 'a2', 'a3', 'c2', 'c3']);
      expect(headsAfter(kaboom, start, steps)).toEqual([]);
    });

    it('upgrades everything, leaving one row per real head', () => {
      const steps = planUpgrade(kaboom, [], 'heads');
      expect(ids(steps)).toEqual([
        'c3',
        'c2',
        'b2',
        'a3',
        'a2',
        'c1',
        'd1',
        'cmerge',
        'b1',
        'bmerge',
        'a1',
        'amerge',
      ]);
      expect(headsAfter(kaboom, [], steps)).toEqual(['amerge', 'bmerge', 'cmerge', 'd1']);
    });
  });

  it('upgrades independent roots one whole tree at a time', () => {
    const forest = history(rev('a1'), rev('b1', 'a1'), rev('a2'), rev('b2', 'a2'));
    const steps = planUpgrade(forest, [], 'heads');
    expect(ids(steps)).toEqual(['a2', 'b2', 'a1', 'b1']);
    expect(headsAfter(forest, [], steps)).toEqual(['b1', 'b2']);
  });

  it('never leaves a row that another row already implies', () => {
    // a3 depends on a1, an ancestor of its own down revision; Alembic would keep a1 as a row.
    const map = history(rev('a1'), rev('a2', 'a1'), rev('a3', 'a2', { dependsOn: ['a1'] }), rev('other'));
    const steps: MigrationStep[] = planDowngrade(map, ['a3', 'other'], 'a2');
    expect(ids(steps)).toEqual(['a3']);
    expect(headsAfter(map, ['a3', 'other'], steps)).toEqual(['a2', 'other']);
  });
});
