import { describe, expect, it } from 'vitest';
import type { RevisionMap } from '../../src/graph/index.js';
import {
  resolveRevision,
  resolveRevisions,
  resolveTarget,
  validateRevisionId,
} from '../../src/graph/index.js';
import { expectError, history, rev } from './helpers.js';

const idsOf = (map: RevisionMap, identifier: string): string[] =>
  resolveRevisions(map, identifier).map((r) => r.id);
const idOf = (map: RevisionMap, identifier: string): string | null =>
  resolveRevision(map, identifier)?.id ?? null;

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

describe('resolving identifiers', () => {
  describe('absolute identifiers', () => {
    it('finds a revision by its full id, however short', () => {
      expect(idOf(labelled, 'e')).toBe('e');
      expect(idOf(labelled, 'someothername')).toBe('someothername');
    });

    it('finds a revision by a unique prefix', () => {
      expect(idOf(labelled, 'somel')).toBe('somelongername');
    });

    it('reports an ambiguous prefix with its candidates, apart from an unknown one', () => {
      const error = expectError(
        () => resolveRevision(labelled, 'some'),
        'AMBIGUOUS_REVISION',
        "'some'",
        'somelongername',
        'someothername',
      );
      expect(error.details.candidates).toEqual(['somelongername', 'someothername']);
      expectError(() => resolveRevision(labelled, 'qprstuv'), 'UNKNOWN_REVISION', "'qprstuv'");
    });

    it('lists at most a few candidates of a very ambiguous prefix in the message', () => {
      const many = history(...Array.from({ length: 30 }, (_, i) => rev(`abcd${i}`)));
      const error = expectError(() => resolveRevision(many, 'abc'), 'AMBIGUOUS_REVISION', 'and 25 more');
      expect(error.details.count).toBe(30);
    });

    it('matches prefixes only against ids longer than three characters, as Alembic does', () => {
      const short = history(rev('abc'), rev('abcdef'));
      expect(idOf(short, 'ab')).toBe('abcdef');
      expect(idOf(short, 'abc')).toBe('abc');
    });

    it('explains that a very short prefix matches nothing', () => {
      expectError(() => resolveRevision(labelled, 'zz'), 'UNKNOWN_REVISION', "'zz'", 'four characters');
    });

    it('resolves a branch label to the revision that declares it', () => {
      expect(idOf(labelled, 'abranch')).toBe('a');
      expect(idOf(labelled, 'ebranch')).toBe('e');
    });

    it('resolves heads to every head and base to nothing', () => {
      expect(idsOf(labelled, 'heads')).toEqual(['c', 'f']);
      expect(idsOf(labelled, 'base')).toEqual([]);
      expect(idOf(labelled, 'base')).toBeNull();
    });

    it('refuses head when there are several heads, saying what to type instead', () => {
      const error = expectError(
        () => resolveRevision(labelled, 'head'),
        'MULTIPLE_HEADS',
        "Multiple heads are present (c, f); use 'heads', 'label@head', a revision id, or join them with 'ambix merge heads'.",
      );
      expect(error.details.heads).toEqual(['c', 'f']);
      expectError(() => resolveRevisions(labelled, 'head'), 'MULTIPLE_HEADS');
      expectError(() => resolveRevision(labelled, 'heads'), 'MULTIPLE_HEADS', 'c, f');
    });

    it('resolves head in a history with one head', () => {
      const line = history(rev('a'), rev('b', 'a'));
      expect(idOf(line, 'head')).toBe('b');
      expect(idsOf(line, 'head')).toEqual(['b']);
    });

    it('resolves nothing for head, heads and base of an empty history', () => {
      const empty = history();
      expect(idsOf(empty, 'head')).toEqual([]);
      expect(idsOf(empty, 'heads')).toEqual([]);
    });
  });

  describe('label@… identifiers', () => {
    it('finds the head and heads of a branch', () => {
      expect(idOf(labelled, 'ebranch@head')).toBe('f');
      expect(idOf(labelled, 'abranch@heads')).toBe('c');
    });

    it('names base for label@base', () => {
      expect(idOf(labelled, 'abranch@base')).toBeNull();
      expect(idsOf(labelled, 'abranch@base')).toEqual([]);
    });

    it('finds a revision on the branch, by id or by a prefix narrowed to the branch', () => {
      expect(idOf(labelled, 'ebranch@d')).toBe('d');
      expect(idOf(labelled, 'ebranch@some')).toBe('someothername');
      expect(idOf(labelled, 'abranch@some')).toBe('somelongername');
      expect(idOf(labelled, 'ebranch@ebranch')).toBe('e');
    });

    it('refuses a revision that is not on the branch', () => {
      expectError(
        () => resolveRevision(labelled, 'ebranch@b'),
        'UNKNOWN_REVISION',
        'Revision b',
        "'ebranch'",
      );
      expectError(
        () => resolveRevision(labelled, 'abranch@d'),
        'UNKNOWN_REVISION',
        'Revision d',
        "'abranch'",
      );
    });

    it('accepts a revision id or prefix in place of a label', () => {
      expect(idOf(labelled, 'e@d')).toBe('d');
      expect(idOf(labelled, 'someoth@d')).toBe('d');
    });

    it('refuses an unknown branch', () => {
      expectError(() => resolveRevision(labelled, 'x@d'), 'UNKNOWN_REVISION', "'x'");
    });

    it('reports several heads within one branch', () => {
      const forked = history(rev('a', [], { labels: ['x'] }), rev('b1', 'a'), rev('b2', 'a'));
      expectError(
        () => resolveRevision(forked, 'x@head'),
        'MULTIPLE_HEADS',
        "Branch 'x'",
        'b1, b2',
        "'x@heads'",
      );
      expect(idsOf(forked, 'x@heads')).toEqual(['b1', 'b2']);
    });
  });

  describe('relative identifiers', () => {
    it('moves up and down from a revision', () => {
      expect(idOf(labelled, 'c-2')).toBe('b');
      expect(idOf(labelled, 'a+2')).toBe('somelongername');
      expect(idOf(labelled, 'b+0')).toBe('b');
    });

    it('counts head-N and base+N', () => {
      const line = history(rev('a'), rev('b', 'a'), rev('c', 'b'));
      expect(idOf(line, 'head-1')).toBe('b');
      expect(idOf(line, 'base+1')).toBe('a');
      expect(idOf(line, 'a-1')).toBeNull();
    });

    it('counts label@+N up from base along the branch', () => {
      expect(idOf(labelled, 'ebranch@+2')).toBe('e');
      expect(idOf(labelled, 'abranch@base+3')).toBe('somelongername');
    });

    it('counts label@-N down from the heads on the branch', () => {
      expect(idsOf(labelled, 'ebranch@-1')).toEqual(['someothername']);
      expect(idsOf(labelled, '-1')).toEqual(['somelongername', 'someothername']);
    });

    it('counts label@<rev>±N within the branch', () => {
      expect(idOf(labelled, 'ebranch@f-2')).toBe('e');
    });

    it('refuses to move past the end of the history', () => {
      expectError(() => resolveRevision(labelled, 'c+1'), 'RELATIVE_OUT_OF_RANGE', "'c+1'", 'c');
      expectError(() => resolveRevision(labelled, 'b-5'), 'RELATIVE_OUT_OF_RANGE', "'b-5'");
    });

    it('refuses base+N when there are several bases', () => {
      expectError(() => resolveRevision(labelled, 'base+1'), 'MULTIPLE_BASES', 'a, d');
    });

    it('refuses to move up from a branch point or down from a merge point', () => {
      const diamond = history(rev('a'), rev('b1', 'a'), rev('b2', 'a'), rev('c', ['b1', 'b2']));
      expectError(() => resolveRevision(diamond, 'a+1'), 'AMBIGUOUS_REVISION', "'a+1'", 'b1, b2');
      expectError(() => resolveRevision(diamond, 'c-1'), 'AMBIGUOUS_REVISION', "'c-1'", 'b1, b2');
      expect(idOf(diamond, 'b2+1')).toBe('c');
    });

    it('moves up along the named branch past a branch point', () => {
      const branched = history(
        rev('a'),
        rev('b', 'a'),
        rev('c1', 'b', { labels: ['one'] }),
        rev('c2', 'b', { labels: ['two'] }),
        rev('d2', 'c2'),
      );
      expect(idOf(branched, 'two@b+2')).toBe('d2');
      expect(idOf(branched, 'one@a+2')).toBe('c1');
    });

    it('treats a label that looks relative as the label itself', () => {
      const map = history(rev('a'), rev('b', 'a', { labels: ['release-2'] }));
      expect(idOf(map, 'release-2')).toBe('b');
    });
  });

  describe('targets relative to the current heads', () => {
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
    const up = (currentHeads: string[], target: string) =>
      resolveTarget(branched, target, { currentHeads, direction: 'up' }).map((r) => r.id);
    const down = (currentHeads: string[], target: string) =>
      resolveTarget(branched, target, { currentHeads, direction: 'down' }).map((r) => r.id);

    it('counts +N up from the current head', () => {
      expect(up(['a'], '+1')).toEqual(['b']);
      expect(up(['c1'], '+1')).toEqual(['d1']);
      expectError(() => up(['a'], '+2'), 'AMBIGUOUS_REVISION', 'c1, c2');
    });

    it('counts +N from base on an empty database', () => {
      expect(up([], '+1')).toEqual(['a']);
      expect(up([], '+2')).toEqual(['b']);
    });

    it('refuses +N from several current heads', () => {
      expectError(() => up(['c1', 'c2'], '+1'), 'MULTIPLE_HEADS', 'c1, c2', 'label@+N');
    });

    it('counts label@+N from the current head on that branch', () => {
      expect(up(['c1', 'c2'], 'c2branch@+1')).toEqual(['d2']);
    });

    it('starts label@+N below the branch when the branch is not applied yet', () => {
      expect(up(['c1'], 'c2branch@+1')).toEqual(['c2']);
    });

    it('counts -N down from the single current head', () => {
      expect(down(['d1'], '-2')).toEqual(['b']);
      expect(down(['a'], '-1')).toEqual([]);
    });

    it('refuses -N from several current heads, where Alembic guesses', () => {
      expectError(() => down(['d1', 'd2'], '-1'), 'MULTIPLE_HEADS', 'd1, d2', 'label@-1');
    });

    it('counts label@-N from the current head on that branch', () => {
      expect(down(['d1', 'd2'], 'c1branch@-1')).toEqual(['c1']);
    });

    it('refuses to move the wrong way or past the end', () => {
      expectError(() => up(['b'], '-1'), 'RELATIVE_OUT_OF_RANGE', "'-1'", 'downgrade');
      expectError(() => down(['b'], '+1'), 'RELATIVE_OUT_OF_RANGE', "'+1'", 'upgrade');
      expectError(() => down([], '-1'), 'RELATIVE_OUT_OF_RANGE', "'-1'");
      expectError(() => up(['d2'], '+1'), 'RELATIVE_OUT_OF_RANGE', "'+1'", 'd2');
    });

    it('refuses a current head that is not a known revision', () => {
      expectError(() => up(['nope'], 'heads'), 'UNKNOWN_REVISION', 'nope');
    });
  });
});

describe('validateRevisionId', () => {
  it('accepts ordinary ids', () => {
    for (const id of ['3f2a9c1b0d4e', 'a', 'add_users_table', 'v1.2'])
      expect(() => validateRevisionId(id)).not.toThrow();
  });

  it('rejects whitespace, identifier syntax and reserved words, naming the offender', () => {
    expectError(() => validateRevisionId('ab-cd'), 'INVALID_REVISION_ID', "'ab-cd'", "'-'");
    expectError(() => validateRevisionId('a+b:c'), 'INVALID_REVISION_ID', "'+'", "':'");
    expectError(() => validateRevisionId('a@b'), 'INVALID_REVISION_ID', "'@'");
    expectError(() => validateRevisionId('a b'), 'INVALID_REVISION_ID', 'whitespace');
    expectError(() => validateRevisionId(''), 'INVALID_REVISION_ID', 'empty');
    expectError(
      () => validateRevisionId('head', 'versions/head.ts'),
      'INVALID_REVISION_ID',
      'reserved',
      'versions/head.ts',
    );
  });
});
