import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexSql, skimSql } from '../../src/scripts/sql-lexer.js';

function lineCommentsByPieces(sql: string): [number, number][] {
  const found: [number, number][] = [];
  lexSql(sql, {}, (kind, start, end) => {
    if (kind === 'line-comment') found.push([start, end]);
  });
  return found;
}

function firstCodeByPieces(sql: string): number | undefined {
  let first: number | undefined;
  lexSql(sql, {}, (kind, start) => {
    if (first === undefined && kind !== 'space' && kind !== 'line-comment' && kind !== 'block-comment')
      first = start;
  });
  return first;
}

function skim(sql: string): { comments: [number, number][]; firstCode: number | undefined } {
  const comments: [number, number][] = [];
  let firstCode: number | undefined;
  skimSql(
    sql,
    (start, end) => comments.push([start, end]),
    (start) => {
      firstCode ??= start;
    },
  );
  return { comments, firstCode };
}

const piece = fc.oneof(
  fc.constantFrom(
    '--',
    '-- ambix:downgrade',
    '-',
    '/*',
    '*/',
    '/',
    "'",
    "''",
    '"',
    '`',
    '$',
    '$$',
    '$a$',
    '$1',
    'x$',
    'E',
    'e',
    "E'\\''",
    '\\',
    ';',
    ' ',
    '\n',
    '\r\n',
    'SELECT',
    '1',
  ),
  fc.string({ maxLength: 3 }),
);
const sql = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('skimSql', () => {
  it('finds the same line comments and the same first code as lexSql', () => {
    fc.assert(
      fc.property(sql, (text) => {
        const skimmed = skim(text);
        expect(skimmed.comments).toEqual(lineCommentsByPieces(text));
        expect(skimmed.firstCode).toBe(firstCodeByPieces(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads E'…' after a stray $ that follows a dollar quote as lexSql does", () => {
    // Found by the property above: `$$$$` is an empty dollar quote, each further `$` a token of its own.
    const text = "$$$$$$E'\\''--";
    expect(skim(text).comments).toEqual(lineCommentsByPieces(text));
    expect(skim(text).comments).toEqual([[11, 13]]);
  });
});
