import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EOF, IDENT, TsLexer } from '../../src/scripts/ts-lexer.js';

/** Offsets of the `export` keywords found token by token. */
function exportsByTokens(text: string): number[] {
  const lexer = new TsLexer(text);
  const found: number[] = [];
  for (lexer.next(); !lexer.at(EOF); lexer.next()) {
    if (lexer.at(IDENT) && lexer.is('export') && !lexer.prevIsPunct('.')) found.push(lexer.start);
  }
  return found;
}

/** Offsets of the `export` keywords found by the skimming fast path. */
function exportsBySkimming(text: string): number[] {
  const lexer = new TsLexer(text);
  const found: number[] = [];
  while (lexer.skipToExport()) found.push(lexer.start);
  return found;
}

// Pieces of JavaScript that exercise every state the lexer keeps.
const piece = fc.oneof(
  fc.constantFrom(
    'export',
    ' export ',
    '.export',
    'x',
    'return',
    'typeof',
    ' ',
    '\n',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '.',
    ';',
    '=',
    '/',
    '*',
    '1',
    '${',
    '`',
    "'",
    '"',
    '\\',
    '//',
    '/*',
    '*/',
    '/x/g',
    '/[/]/',
    'a / b',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
    '`a${ {} }b`',
    "'it\\'s'",
  ),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.constantFrom('\u2028', '\u00a0', '\r', '\ufeff', 'é'),
);
const source = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('TsLexer', () => {
  it('skimming finds the same export keywords as reading token by token', () => {
    fc.assert(
      fc.property(source, (text) => {
        // `0.` is a number, so `0.export` is no property access, merely invalid: the two may differ there.
        fc.pre(
          !/(?:^|[^\w$\u0080-\uffff]|[\u00a0\ufeff\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])\d[\w$]*\./.test(
            text,
          ),
        );
        expect(exportsBySkimming(text)).toEqual(exportsByTokens(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('knows a division from a regular expression after a comment', () => {
    const text = "a /* c */ / b; const s = '/'; export const x = 1;";
    expect(exportsBySkimming(text)).toEqual([text.indexOf('export')]);
    expect(exportsByTokens(text)).toEqual([text.indexOf('export')]);
  });

  it('records the leading doc comment in both modes', () => {
    const text = '// lint\n/* license */\n/** the doc */\nexport const x = 1;';
    const skimming = new TsLexer(text);
    skimming.skipToExport();
    const byTokens = new TsLexer(text);
    byTokens.next();
    for (const lexer of [skimming, byTokens]) {
      expect(text.slice(lexer.docStart, lexer.docEnd)).toBe('/** the doc */');
    }
  });
});
