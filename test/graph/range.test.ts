import { describe, expect, it } from 'vitest';
import type { RangeEnd, RevisionMap } from '../../src/graph/index.js';
import { parseRevisionRange, revisionRange } from '../../src/graph/index.js';
import { expectError, history, rev } from './helpers.js';

const range = (map: RevisionMap, start: RangeEnd, end: RangeEnd): string[] =>
  revisionRange(map, start, end).map((r) => r.id);

describe('revisionRange (history -r start:end)', () => {
  /*
   *  a (abranch) ─ b ─ somelongername ─ c
   *  d ─ e (ebranch) ─ someothername ─ f
   */
  const labelled = history(
    rev('a', [], { labels: ['abranch'] }),
    rev('b', 'a'),
    rev('somelongername', 'b'),
    rev('c', 'somelongername'),
    rev('d'),
    rev('e', 'd', { labels: ['ebranch'] }),
    rev('someothername', 'e'),
    rev('f', 'someothername'),
  );

  it('lists the whole history newest first by default', () => {
    expect(range(labelled, undefined, undefined)).toEqual([
      'c',
      'somelongername',
      'b',
      'a',
      'f',
      'someothername',
      'e',
      'd',
    ]);
  });

  it('keeps to one branch with label@base as the start', () => {
    expect(range(labelled, 'ebranch@base', 'heads')).toEqual(['f', 'someothername', 'e', 'd']);
    expect(range(labelled, 'abranch@base', undefined)).toEqual(['c', 'somelongername', 'b', 'a']);
    expect(range(labelled, 'e@base', undefined)).toEqual(['f', 'someothername', 'e', 'd']);
  });

  it('keeps to one branch with label@head as the end', () => {
    expect(range(labelled, undefined, 'ebranch@head')).toEqual(['f', 'someothername', 'e', 'd']);
    expect(range(labelled, 'base', 'abranch@head')).toEqual(['c', 'somelongername', 'b', 'a']);
  });

  it('includes both ends', () => {
    expect(range(labelled, 'ebranch@head', 'heads')).toEqual(['f']);
    expect(range(labelled, 'ebranch@d', 'heads')).toEqual(['f', 'someothername', 'e', 'd']);
    expect(range(labelled, 'b', 'c')).toEqual(['c', 'somelongername', 'b']);
  });

  it('accepts relative ends', () => {
    expect(range(labelled, 'ebranch@-2', 'heads')).toEqual(['f', 'someothername', 'e']);
    expect(range(labelled, undefined, 'ebranch@+2')).toEqual(['e', 'd']);
  });

  it('stops a relative start at the end of the history instead of failing', () => {
    const line = history(rev('a'), rev('b', 'a'), rev('c', 'b'));
    expect(range(line, '-1', undefined)).toEqual(['c', 'b']);
    expect(range(line, '-3', undefined)).toEqual(['c', 'b', 'a']);
    expect(range(line, '-10', undefined)).toEqual(['c', 'b', 'a']);
  });

  it('takes the current heads for either end', () => {
    const line = history(rev('a'), rev('b', 'a'), rev('c', 'b'));
    expect(range(line, ['b'], undefined)).toEqual(['c', 'b']);
    expect(range(line, undefined, ['b'])).toEqual(['b', 'a']);
    expect(range(line, [], undefined)).toEqual(['c', 'b', 'a']);
  });

  it('lists a diamond with the merge point first and each side contiguous', () => {
    const diamond = history(rev('a'), rev('b1', 'a'), rev('b2', 'a'), rev('c', ['b1', 'b2']), rev('d', 'c'));
    expect(range(diamond, 'a', 'd')).toEqual(['d', 'c', 'b1', 'b2', 'a']);
  });

  describe('on branches that split and merge again', () => {
    const travelling = history(
      rev('a1'),
      rev('a2', 'a1'),
      rev('a3', 'a2'),
      rev('b1', 'a3'),
      rev('b2', 'a3'),
      rev('cb1', 'b1'),
      rev('cb2', 'b2'),
      rev('db1', 'cb1'),
      rev('db2', 'cb2'),
      rev('e1b1', 'db1'),
      rev('fe1b1', 'e1b1'),
      rev('e2b1', 'db1'),
      rev('e2b2', 'db2'),
      rev('merge', ['e2b1', 'e2b2']),
    );

    it('finishes every branch at its branch point before going below it', () => {
      expect(range(travelling, 'a1', 'merge')).toEqual([
        'merge',
        'e2b1',
        'db1',
        'cb1',
        'b1',
        'e2b2',
        'db2',
        'cb2',
        'b2',
        'a3',
        'a2',
        'a1',
      ]);
    });

    it('walks three branches that meet at two branch points', () => {
      expect(range(travelling, 'a1', ['merge', 'fe1b1'])).toEqual([
        'fe1b1',
        'e1b1',
        'merge',
        'e2b1',
        'db1',
        'cb1',
        'b1',
        'e2b2',
        'db2',
        'cb2',
        'b2',
        'a3',
        'a2',
        'a1',
      ]);
    });

    it('keeps only the side of a merge above the start', () => {
      expect(range(travelling, 'b1', 'merge')).toEqual(['merge', 'e2b1', 'db1', 'cb1', 'b1']);
    });

    it('accepts several starts', () => {
      expect(range(travelling, ['cb1', 'cb2'], ['merge', 'fe1b1'])).toEqual([
        'fe1b1',
        'e1b1',
        'merge',
        'e2b1',
        'db1',
        'cb1',
        'e2b2',
        'db2',
        'cb2',
      ]);
    });

    it('refuses ends that are ancestors of each other', () => {
      expectError(() => range(travelling, undefined, ['db1', 'b2', 'fe1b1']), 'INVALID_PLAN', 'fe1b1', 'db1');
    });
  });

  describe('errors', () => {
    const branches = history(
      rev('a'),
      rev('b1', 'a'),
      rev('b2', 'a'),
      rev('cb1', 'b1'),
      rev('cb2', 'b2'),
      rev('d1cb1', 'cb1'),
      rev('d2cb2', 'cb2'),
    );

    it('refuses a start that is newer than the end', () => {
      expectError(() => range(branches, 'd1cb1', 'b1'), 'RANGE_NOT_LINEAR', 'd1cb1:b1', 'not an ancestor');
    });

    it('refuses ends on different branches', () => {
      expectError(() => range(branches, 'b1', 'd2cb2'), 'RANGE_NOT_LINEAR', 'b1', 'd2cb2');
    });

    it('refuses a start above base when the end is base', () => {
      expectError(() => range(branches, 'd1cb1', 'base'), 'RANGE_NOT_LINEAR', 'd1cb1');
    });
  });
});

describe('parseRevisionRange', () => {
  it('splits start:end, start: and :end', () => {
    expect(parseRevisionRange('ae10:3f2a')).toEqual({ start: 'ae10', end: '3f2a' });
    expect(parseRevisionRange('ae10:')).toEqual({ start: 'ae10' });
    expect(parseRevisionRange(':3f2a')).toEqual({ end: '3f2a' });
    expect(parseRevisionRange(' -3:current ')).toEqual({ start: '-3', end: 'current' });
  });

  it('refuses text without exactly one colon', () => {
    expectError(() => parseRevisionRange('ae10'), 'INVALID_IDENTIFIER', "'ae10'", 'start:end');
    expectError(() => parseRevisionRange('a:b:c'), 'INVALID_IDENTIFIER', "'a:b:c'");
  });
});
