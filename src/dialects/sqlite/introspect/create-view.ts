/** A stored `CREATE VIEW` statement's column names and query. */
import { isKeyword, isPunct, namesInParens, tokenize } from './tokens.js';

export interface ParsedView {
  /** `CREATE VIEW v (a, b) AS …`: the declared column names. */
  readonly columns?: readonly string[];
  /** The text after `AS`, as SQLite keeps it. */
  readonly query: string;
}

export function parseCreateView(sql: string): ParsedView {
  const tokens = tokenize(sql);
  // Before the query, only the view's name and its column list: the first AS outside them starts the query.
  const open = tokens.findIndex((token) => isPunct(token, '('));
  const as = tokens.findIndex((token) => isKeyword(token, 'as'));
  if (as < 0) return { query: '' };
  const query = sql.slice(tokens[as]!.end).trim();
  return open >= 0 && open < as ? { columns: namesInParens(tokens, open), query } : { query };
}
