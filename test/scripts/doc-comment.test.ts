import { describe, expect, it } from 'vitest';
import {
  escapeCommentText,
  normalizeMessage,
  parseDocComment,
  unescapeCommentText,
} from '../../src/scripts/doc-comment.js';

describe('parseDocComment', () => {
  it('strips the comment markers and takes the first line as the message', () => {
    expect(parseDocComment('/**\n * add users\n *\n * Create Date: 2026-11-21\n */')).toEqual({
      doc: 'add users\n\nCreate Date: 2026-11-21',
      message: 'add users',
      createDate: '2026-11-21',
    });
  });

  it('reads Windows line endings and lines without a star', () => {
    expect(parseDocComment('/**\r\n   add users  \r\n   Create Date: 2026\r\n*/')).toEqual({
      doc: 'add users\n   Create Date: 2026',
      message: 'add users',
      createDate: '2026',
    });
  });

  it('reads a one-line comment', () => {
    expect(parseDocComment('/** add users */')).toEqual({
      doc: 'add users',
      message: 'add users',
      createDate: undefined,
    });
  });

  it('only takes a Create Date that starts its line', () => {
    const doc = parseDocComment('/**\n * see Create Date: nope\n * Create Date: 2026-01-01\n */');
    expect(doc.createDate).toBe('2026-01-01');
    expect(parseDocComment('/**\n * msg\n * not a Create Date: x\n */').createDate).toBeUndefined();
  });

  it('takes a first line that looks like a field for the message when a blank line follows it', () => {
    expect(parseDocComment('/**\n * Revises: the docs\n *\n * Revision ID: r\n */').message).toBe(
      'Revises: the docs',
    );
  });

  it('has no message when the first line is a field or the comment is empty', () => {
    expect(parseDocComment('/**\n * Revises: a\n */').message).toBeUndefined();
    expect(parseDocComment('/** */').message).toBeUndefined();
  });
});

describe('comment escaping', () => {
  it('escapes every */ and undoes exactly that', () => {
    for (const text of ['*/', 'a */ b', '*\\/', '*\\\\/', '/* x */', 'no stars']) {
      const escaped = escapeCommentText(text);
      expect(escaped).not.toContain('*/');
      expect(unescapeCommentText(escaped)).toBe(text);
    }
  });
});

describe('normalizeMessage', () => {
  it('joins lines with single spaces and trims', () => {
    expect(normalizeMessage('  add users\r\n\n  table \u2028 now ')).toBe('add users table now');
    expect(normalizeMessage(undefined)).toBe('');
  });

  it('replaces unpaired surrogates, which UTF-8 cannot store', () => {
    expect(normalizeMessage('a\ud800b 😀')).toBe('a\ufffdb 😀');
  });
});
