/**
 * What a stored `CREATE INDEX` statement says that `pragma index_xinfo` does not: the text of expression
 * elements, which collations were written out, and a partial index's predicate.
 */
import {
  closingParen,
  identifierValue,
  isKeyword,
  isPunct,
  sourceText,
  splitOnCommas,
  type Token,
  tokenize,
} from './tokens.js';

export interface ParsedIndexElement {
  /** The column or expression, without its order, its collation and parentheses around the whole. */
  readonly text: string;
  /** The `COLLATE` written on the element (the outermost one), as written. */
  readonly collation?: string;
}

export interface ParsedIndex {
  /** In the index's order, as `pragma index_xinfo` reports its key columns. */
  readonly elements: readonly ParsedIndexElement[];
  /** A partial index's `WHERE` predicate. */
  readonly where?: string;
}

export function parseCreateIndex(sql: string): ParsedIndex {
  const tokens = tokenize(sql);
  // Index and table names are single tokens: the first parenthesis opens the indexed columns.
  const open = tokens.findIndex((token) => isPunct(token, '('));
  if (open < 0) return { elements: [] };
  const close = closingParen(tokens, open);
  const elements = splitOnCommas(tokens, open + 1, close).map(([from, to]) =>
    indexElement(sql, tokens, from, to),
  );
  const where = tokens.findIndex((token, at) => at > close && isKeyword(token, 'where'));
  if (where < 0) return { elements };
  return { elements, where: sql.slice(tokens[where]!.end).trim() };
}

/**
 * `expr [COLLATE name] [ASC|DESC]`. Parentheses make no node in SQLite's syntax tree: `(name COLLATE nocase)` is
 * the column `name` with a collation, so enclosing parentheses and collations are peeled off in turn.
 */
function indexElement(sql: string, tokens: readonly Token[], from: number, to: number): ParsedIndexElement {
  let end = to;
  if (isKeyword(tokens[end - 1], 'asc') || isKeyword(tokens[end - 1], 'desc')) end--;
  let start = from;
  let collation: string | undefined;
  for (;;) {
    const last = tokens[end - 1];
    if (end - start >= 3 && isKeyword(tokens[end - 2], 'collate') && last !== undefined) {
      collation ??= identifierValue(last);
      end -= 2;
    } else if (isPunct(tokens[start], '(') && closingParen(tokens, start) === end - 1) {
      start++;
      end--;
    } else {
      break;
    }
  }
  const text = sourceText(sql, tokens, start, end);
  return collation === undefined ? { text } : { text, collation };
}
