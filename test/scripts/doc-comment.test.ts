import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeCommentText,
  normalizeMessage,
  parseAnyDocComment,
  parseDocComment,
  parseRenderedDocComment,
  unescapeCommentText,
} from '../../src/scripts/doc-comment.js';
import { renderTsMigration } from '../../src/scripts/render.js';

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

describe('the fast reading of rendered comments', () => {
  function docCommentOf(text: string): string {
    return text.slice(0, text.indexOf('*/') + 2);
  }

  it('reads every comment renderTsMigration writes without escapes, as the general form does', () => {
    for (const message of [
      'add users',
      undefined,
      'Revises: looks like a field',
      '  spaced  ',
      'ünïcødé 😀',
    ]) {
      for (const downRevisions of [[], ['a'], ['a', 'b']]) {
        for (const createDate of ['2026-01-02 03:04:05.000000', 'today']) {
          const comment = docCommentOf(renderTsMigration({ id: 'r1', message, downRevisions, createDate }));
          const rendered = parseRenderedDocComment(comment);
          expect(rendered).toBeDefined();
          expect(rendered).toStrictEqual(parseAnyDocComment(comment));
        }
      }
    }
  });

  it('leaves any other comment to the general form', () => {
    for (const comment of [
      '/** one line */',
      '/**\r\n * a\r\n */',
      '/**\n * a \u2028 b\n */',
      '/**\n * a *\\/ b\n */',
      '/**\n * trailing space \n */',
      '/**\n *  indented\n */',
      '/**\n * a\n   no star\n */',
      '/**\n * a\n *\n */',
      '/**\n * \n * a\n */',
      '/**\n * a\n */ ',
    ]) {
      expect(parseRenderedDocComment(comment)).toBeUndefined();
      expect(parseDocComment(comment)).toStrictEqual(parseAnyDocComment(comment));
    }
  });

  it('agrees with the general form on any comment', () => {
    const regularLine = fc.constantFrom(
      '',
      'a',
      'b c',
      'Create Date:',
      'Create Date: 2026',
      'Create Date: x  y',
      'see Create Date: no',
      'Revision ID: r',
      'Revises:',
      'Revises: r1, r2',
      '* b',
      '/',
      '\\',
    );
    const oddLine = fc.constantFrom(
      ' ',
      ' indented',
      'trailing ',
      '\u00a0x',
      'x\u3000',
      ' Create Date: z',
      'Create Date:  x ',
      '*\\/',
      'a\rb',
      'a\u2028b',
    );
    const line = fc.oneof({ arbitrary: regularLine, weight: 12 }, { arbitrary: oddLine, weight: 1 });
    const prefix = fc.oneof(
      { arbitrary: fc.constant(' * '), weight: 12 },
      { arbitrary: fc.constantFrom(' *', '   * ', '*', ' ', '', '\t* '), weight: 1 },
    );
    // Mostly comments in (or near) the rendered shape, so that both readings are exercised.
    const rendered = fc
      .array(fc.tuple(prefix, line), { maxLength: 8 })
      .map((lines) => `/**\n${lines.map(([start, text]) => `${start}${text}\n`).join('')} */`);
    const anything = fc
      .tuple(
        fc.array(fc.constantFrom('\n * ', '\n *', '\n', ' ', '*', '/', 'a', 'Create Date: x'), {
          maxLength: 16,
        }),
        fc.boolean(),
      )
      .map(([pieces, closed]) => `/**${pieces.join('')}${closed ? '*/' : ''}`);
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(rendered, anything), (comment) => {
        const reading = parseRenderedDocComment(comment);
        if (reading !== undefined) {
          fast += 1;
          expect(reading).toStrictEqual(parseAnyDocComment(comment));
        }
        expect(parseDocComment(comment)).toStrictEqual(parseAnyDocComment(comment));
      }),
      { numRuns: 5000 },
    );
    expect(fast).toBeGreaterThan(100);
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
