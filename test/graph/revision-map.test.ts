import { describe, expect, it } from 'vitest';
import type { RevisionInput } from '../../src/graph/index.js';
import { buildRevisionMap } from '../../src/graph/index.js';
import { expectError, history, rev } from './helpers.js';

describe('buildRevisionMap', () => {
  describe('a linear history', () => {
    const map = history(rev('a'), rev('b', 'a'), rev('c', 'b'));

    it('has one head and one base', () => {
      expect(map.heads).toEqual(['c']);
      expect(map.realHeads).toEqual(['c']);
      expect(map.bases).toEqual(['a']);
    });

    it('links each revision to its children', () => {
      expect(map.get('a')?.children).toEqual(['b']);
      expect(map.get('c')?.children).toEqual([]);
      expect(map.get('b')?.downRevisions).toEqual(['a']);
    });

    it('flags the base and the head', () => {
      const a = map.get('a')!;
      const c = map.get('c')!;
      expect([a.isBase, a.isHead, c.isBase, c.isHead]).toEqual([true, false, false, true]);
      expect(map.get('b')).toMatchObject({ isBranchPoint: false, isMergePoint: false, isRealHead: false });
    });

    it('passes source, message and create date through', () => {
      const withText = buildRevisionMap([
        { ...rev('a'), message: 'create users', createDate: '2024-05-01 10:00:00' },
      ]);
      expect(withText.get('a')).toMatchObject({
        source: 'versions/a.ts',
        message: 'create users',
        createDate: '2024-05-01 10:00:00',
      });
    });

    it('answers undefined for an unknown id', () => {
      expect(map.get('zzz')).toBeUndefined();
    });
  });

  it('builds an empty map from no revisions', () => {
    const map = buildRevisionMap([]);
    expect([map.heads, map.realHeads, map.bases, map.revisions]).toEqual([[], [], [], []]);
  });

  describe('a diamond', () => {
    const map = history(rev('a'), rev('b1', 'a'), rev('b2', 'a'), rev('c', ['b1', 'b2']), rev('d', 'c'));

    it('marks the fork as a branch point and the join as a merge point', () => {
      expect(map.get('a')).toMatchObject({ isBranchPoint: true, children: ['b1', 'b2'] });
      expect(map.get('c')).toMatchObject({ isMergePoint: true, downRevisions: ['b1', 'b2'] });
      expect(map.heads).toEqual(['d']);
    });

    it('lists revisions parents first', () => {
      const order = map.revisions.map((r) => r.id);
      expect(order).toEqual(['a', 'b1', 'b2', 'c', 'd']);
    });
  });

  it('keeps input order among revisions that could come in any order', () => {
    const map = history(rev('y1'), rev('x1'), rev('x2', 'x1'), rev('y2', 'y1'));
    expect(map.revisions.map((r) => r.id)).toEqual(['y1', 'x1', 'x2', 'y2']);
    expect(map.bases).toEqual(['y1', 'x1']);
    expect(map.heads).toEqual(['x2', 'y2']);
  });

  it('orders a child given before its parent after the parent', () => {
    const map = history(rev('b', 'a'), rev('a'));
    expect(map.revisions.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('ignores a down revision listed twice', () => {
    const map = history(rev('a'), rev('b', ['a', 'a']));
    expect(map.get('b')).toMatchObject({ downRevisions: ['a'], isMergePoint: false });
  });

  it('freezes the map and every revision', () => {
    const map = history(rev('a'), rev('b', 'a'));
    expect(Object.isFrozen(map)).toBe(true);
    expect(Object.isFrozen(map.revisions)).toBe(true);
    expect(Object.isFrozen(map.get('b'))).toBe(true);
    expect(Object.isFrozen(map.get('b')!.downRevisions)).toBe(true);
    expect(Object.isFrozen(map.heads)).toBe(true);
  });

  it('returns the same Revision object every time', () => {
    const map = history(rev('a'), rev('b', 'a'));
    expect(map.get('b')).toBe(map.revisions[1]);
  });

  describe('cross-branch dependencies', () => {
    // x1 ─ x2          y2 depends on x1 (by id), z1 on branch label 'xs' (x1)
    // y1 ─ y2
    const map = history(
      rev('y1', [], { labels: ['ys'] }),
      rev('x1', [], { labels: ['xs'] }),
      rev('y2', 'y1', { dependsOn: ['x1'] }),
      rev('x2', 'x1'),
      rev('z1', [], { dependsOn: ['xs'] }),
    );

    it('resolves dependencies given as ids or branch labels to revision ids', () => {
      expect(map.get('y2')!.dependsOn).toEqual(['x1']);
      expect(map.get('z1')!.dependsOn).toEqual(['x1']);
      expect(map.get('x1')!.dependents).toEqual(['y2', 'z1']);
    });

    it('does not count dependents as children for heads', () => {
      expect(map.heads).toEqual(['y2', 'x2', 'z1']);
      expect(map.get('x1')).toMatchObject({ children: ['x2'], isHead: false, isBranchPoint: false });
    });

    it('keeps a head that something depends on out of the real heads', () => {
      const withDependedHead = history(rev('a'), rev('b'), rev('c', 'b', { dependsOn: ['a'] }));
      expect(withDependedHead.heads).toEqual(['a', 'c']);
      expect(withDependedHead.realHeads).toEqual(['c']);
      expect(withDependedHead.get('a')).toMatchObject({ isHead: true, isRealHead: false });
    });

    it('counts a revision with only dependencies as a base', () => {
      expect(map.get('z1')!.isBase).toBe(true);
      expect(map.bases).toEqual(['y1', 'x1', 'z1']);
    });

    it('places dependencies before their dependents', () => {
      const order = map.revisions.map((r) => r.id);
      expect(order.indexOf('x1')).toBeLessThan(order.indexOf('y2'));
      expect(order.indexOf('x1')).toBeLessThan(order.indexOf('z1'));
    });
  });

  describe('normalized dependencies', () => {
    // b2 and b4 both depend on a3; b4's is already implied by its ancestor b2.
    const map = history(
      rev('a1'),
      rev('a2', 'a1'),
      rev('a3', 'a2'),
      rev('b1'),
      rev('b2', 'b1', { dependsOn: ['a3'] }),
      rev('b3', 'b2'),
      rev('b4', 'b3', { dependsOn: ['a3'] }),
      rev('b5', 'b4', { dependsOn: ['b4'] }),
    );

    it('drops a dependency an ancestor already declares', () => {
      expect(map.get('b4')!.dependsOn).toEqual(['a3']);
      expect(map.get('b4')!.normalizedDependsOn).toEqual([]);
      expect(map.get('b2')!.normalizedDependsOn).toEqual(['a3']);
    });

    it('keeps a dependency on the own down revision', () => {
      expect(map.get('b5')!.normalizedDependsOn).toEqual(['b4']);
    });
  });

  describe('branch labels', () => {
    it('spread to every descendant, across branch points and merge points', () => {
      const map = history(
        rev('a', [], { labels: ['x'] }),
        rev('b', 'a'),
        rev('c1', 'b'),
        rev('c2', 'b'),
        rev('d', ['c1', 'c2']),
      );
      for (const id of ['a', 'b', 'c1', 'c2', 'd']) expect(map.get(id)!.branchLabels).toEqual(['x']);
      expect(map.get('b')!.ownBranchLabels).toEqual([]);
      expect(map.get('a')!.ownBranchLabels).toEqual(['x']);
    });

    it('reach the ancestors of a label on a line that does not branch above it', () => {
      const map = history(rev('a'), rev('b', 'a'), rev('c', 'b', { labels: ['x'] }), rev('d', 'c'));
      for (const id of ['a', 'b', 'c', 'd']) expect(map.get(id)!.branchLabels).toEqual(['x']);
    });

    it('stop going down at the first branch point', () => {
      const map = history(
        rev('a'),
        rev('b', 'a'),
        rev('c1', 'b', { labels: ['one'] }),
        rev('d1', 'c1'),
        rev('c2', 'b', { labels: ['two'] }),
      );
      expect(map.get('c1')!.branchLabels).toEqual(['one']);
      expect(map.get('d1')!.branchLabels).toEqual(['one']);
      expect(map.get('c2')!.branchLabels).toEqual(['two']);
      expect(map.get('b')!.branchLabels).toEqual([]);
      expect(map.get('a')!.branchLabels).toEqual([]);
    });

    it('stop going down at a merge point', () => {
      const map = history(
        rev('a1'),
        rev('a2'),
        rev('m', ['a1', 'a2']),
        rev('n', 'm'),
        rev('p', 'n', { labels: ['x'] }),
      );
      expect(map.get('n')!.branchLabels).toEqual(['x']);
      expect(map.get('m')!.branchLabels).toEqual([]);
      expect(map.get('a1')!.branchLabels).toEqual([]);
    });

    it('do not go down when the labelled revision branches above itself', () => {
      const map = history(rev('a'), rev('b', 'a', { labels: ['x'] }), rev('c1', 'b'), rev('c2', 'b'));
      expect(map.get('a')!.branchLabels).toEqual([]);
      expect(map.get('c2')!.branchLabels).toEqual(['x']);
    });

    it('treat a dependent as a branch when deciding how far down a label goes', () => {
      // b has a child (c) and a dependent (z): a label on c does not reach b.
      const map = history(
        rev('a'),
        rev('b', 'a'),
        rev('c', 'b', { labels: ['x'] }),
        rev('z', [], { dependsOn: ['b'] }),
      );
      expect(map.get('c')!.branchLabels).toEqual(['x']);
      expect(map.get('b')!.branchLabels).toEqual([]);
    });

    it('accumulate along a line, sorted', () => {
      const map = history(
        rev('a', [], { labels: ['zeta'] }),
        rev('b', 'a', { labels: ['alpha'] }),
        rev('c', 'b'),
      );
      expect(map.get('c')!.branchLabels).toEqual(['alpha', 'zeta']);
      expect(map.get('a')!.branchLabels).toEqual(['alpha', 'zeta']);
    });

    it('find the revision that declares them', () => {
      const map = history(rev('a', [], { labels: ['x'] }), rev('b', 'a'));
      expect(map.getByBranchLabel('x')?.id).toBe('a');
      expect(map.getByBranchLabel('a')).toBeUndefined();
    });
  });

  describe('errors', () => {
    it('rejects a revision id used twice, naming both files', () => {
      const error = expectError(
        () => buildRevisionMap([rev('a'), { ...rev('a'), source: 'versions/a_copy.ts' }]),
        'DUPLICATE_REVISION',
        'a',
        'versions/a.ts',
        'versions/a_copy.ts',
      );
      expect(error.details).toMatchObject({ revision: 'a' });
    });

    it('rejects a down revision that does not exist, naming the file and the missing id', () => {
      expectError(() => history(rev('a'), rev('b', 'zz9')), 'MISSING_PARENT', 'b (versions/b.ts)', 'zz9');
    });

    it('rejects a dependency that is neither a revision nor a label', () => {
      expectError(
        () => history(rev('a'), rev('b', 'a', { dependsOn: ['nolabel'] })),
        'MISSING_PARENT',
        'versions/b.ts',
        'nolabel',
      );
    });

    it('does not resolve dependencies by prefix', () => {
      expectError(
        () => history(rev('abcdef'), rev('b', [], { dependsOn: ['abcd'] })),
        'MISSING_PARENT',
        'abcd',
      );
    });

    it('rejects a revision that revises itself', () => {
      expectError(() => history(rev('a'), rev('b', ['a', 'b'])), 'SELF_LOOP', 'b (versions/b.ts)', 'itself');
    });

    it('rejects a revision that depends on itself, directly or through its own label', () => {
      expectError(() => history(rev('a', [], { dependsOn: ['a'] })), 'SELF_LOOP', 'a (versions/a.ts)');
      expectError(
        () => history(rev('a', [], { labels: ['mine'], dependsOn: ['mine'] })),
        'SELF_LOOP',
        "'mine'",
      );
    });

    it('rejects a cycle of down revisions, naming the revisions on it', () => {
      const error = expectError(
        () => history(rev('a', 'c'), rev('b', 'a'), rev('c', 'b'), rev('d'), rev('e', 'd')),
        'CYCLE',
        'a (versions/a.ts)',
        'b (versions/b.ts)',
        'c (versions/c.ts)',
      );
      expect(error.message).not.toContain('versions/d.ts');
      expect(error.message).not.toContain('versions/e.ts');
      expect(error.details.revisions).toHaveLength(3);
    });

    it('names only the cycle, not the revisions built on top of it', () => {
      const error = expectError(
        () => history(rev('a', 'c'), rev('b', 'a'), rev('c', 'b'), rev('d', 'c'), rev('e', 'd')),
        'CYCLE',
      );
      expect(error.details.revisions).toEqual(expect.arrayContaining(['a (versions/a.ts)']));
      expect(error.message).not.toContain('versions/e.ts');
    });

    it('rejects a cycle that runs through a dependency', () => {
      expectError(
        () => history(rev('a', [], { dependsOn: ['c'] }), rev('b', 'a'), rev('c', 'b')),
        'CYCLE',
        'dependencies',
        'a (versions/a.ts) depends on c',
      );
    });

    it('rejects a branch label declared by two revisions', () => {
      expectError(
        () => history(rev('a', [], { labels: ['x'] }), rev('b', 'a', { labels: ['x'] })),
        'DUPLICATE_LABEL',
        "'x'",
        'a (versions/a.ts)',
        'b (versions/b.ts)',
      );
    });

    it('rejects a branch label equal to a revision id', () => {
      expectError(
        () => history(rev('a'), rev('b', 'a', { labels: ['a'] })),
        'DUPLICATE_LABEL',
        "'a'",
        'id of revision a',
      );
    });

    it('rejects revision ids with identifier syntax in them', () => {
      for (const bad of ['a-b', 'a+b', 'a@b', 'a:b', 'a b', '', 'heads']) {
        expectError(() => history(rev(bad)), 'INVALID_REVISION_ID');
      }
      expectError(() => history(rev('x-1')), 'INVALID_REVISION_ID', "'-'", 'versions/x-1.ts');
    });

    it('rejects branch labels that cannot be written in an identifier', () => {
      for (const bad of ['a@b', 'a:b', 'with space', '', 'head', '-1']) {
        expectError(() => history(rev('a', [], { labels: [bad] })), 'INVALID_IDENTIFIER', 'versions/a.ts');
      }
    });
  });

  it('builds a 10,000-revision history with branches, merges and dependencies', () => {
    const inputs: RevisionInput[] = [];
    let tip = '';
    for (let i = 0; i < 10_000; i++) {
      const id = `r${String(i).padStart(5, '0')}`;
      if (i > 0 && i % 100 === 0) {
        inputs.push(rev(`${id}side`, tip, { labels: [`side${i}`] }));
        inputs.push(rev(id, [tip, `${id}side`]));
      } else {
        inputs.push(rev(id, i === 0 ? [] : tip, i % 250 === 7 ? { dependsOn: [inputs[i - 5]!.id] } : {}));
      }
      tip = id;
    }
    const map = buildRevisionMap(inputs);
    expect(map.heads).toEqual([tip]);
    expect(map.revisions).toHaveLength(inputs.length);
    expect(map.get('r00100')!.isMergePoint).toBe(true);
    expect(map.get('r00300')!.branchLabels).toContain('side200');
    expect(map.get('r00199')!.branchLabels).not.toContain('side200');
  });
});
