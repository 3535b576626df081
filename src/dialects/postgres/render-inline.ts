import { AmbixError } from '../../errors.js';
import type { Sql } from '../dialect.js';
import { inlineLiteral } from './render-literal.js';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 36;

// A dollar-quote opening tag: `$$` or `$tag$`, where the tag is an identifier without `$`.
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** End of a '…' string starting at `from` (the quote); `backslashes` for E'…' strings. Unclosed: the end. */
function skipString(sql: string, from: number, backslashes: boolean): number {
  let pos = from + 1;
  while (pos < sql.length) {
    const c = sql.charCodeAt(pos);
    if (backslashes && c === 92) pos += 2;
    else if (c === 39) {
      if (sql.charCodeAt(pos + 1) !== 39) return pos + 1;
      pos += 2;
    } else pos += 1;
  }
  return sql.length;
}

function skipQuotedIdentifier(sql: string, from: number): number {
  let pos = from + 1;
  for (;;) {
    const close = sql.indexOf('"', pos);
    if (close === -1) return sql.length;
    if (sql.charCodeAt(close + 1) !== 34) return close + 1;
    pos = close + 2;
  }
}

/** PostgreSQL block comments nest. */
function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let pos = from;
  while (pos < sql.length) {
    if (sql.startsWith('/*', pos)) {
      depth += 1;
      pos += 2;
    } else if (sql.startsWith('*/', pos)) {
      depth -= 1;
      pos += 2;
      if (depth === 0) return pos;
    } else pos += 1;
  }
  return sql.length;
}

/**
 * Calls `onParameter(number, start, end)` for every `$n` in `sql` outside strings, quoted identifiers, comments
 * and dollar-quoted bodies. `$10` is parameter 10, never `$1` followed by `0`.
 */
export function scanParameters(
  sql: string,
  onParameter: (number: number, start: number, end: number) => void,
): void {
  let pos = 0;
  const length = sql.length;
  while (pos < length) {
    const c = sql.charCodeAt(pos);
    if (c === 39) {
      pos = skipString(sql, pos, false);
    } else if (c === 34) {
      pos = skipQuotedIdentifier(sql, pos);
    } else if (c === 45 && sql.charCodeAt(pos + 1) === 45) {
      pos += 2;
      while (pos < length && sql.charCodeAt(pos) !== 10 && sql.charCodeAt(pos) !== 13) pos += 1;
    } else if (c === 47 && sql.charCodeAt(pos + 1) === 42) {
      pos = skipBlockComment(sql, pos);
    } else if (c === 36) {
      if (isDigit(sql.charCodeAt(pos + 1))) {
        let end = pos + 1;
        while (end < length && isDigit(sql.charCodeAt(end))) end += 1;
        onParameter(Number(sql.slice(pos + 1, end)), pos, end);
        pos = end;
        continue;
      }
      DOLLAR_TAG.lastIndex = pos;
      const tag = DOLLAR_TAG.exec(sql);
      if (tag === null) {
        pos += 1;
      } else {
        const close = sql.indexOf(tag[0], pos + tag[0].length);
        pos = close === -1 ? length : close + tag[0].length;
      }
    } else if (isIdentStart(c)) {
      // A word, which may hold `$` (`a$1` is a name) and may prefix a string: E'…' reads backslash escapes.
      let end = pos + 1;
      while (end < length && isIdentPart(sql.charCodeAt(end))) end += 1;
      if (end === pos + 1 && (c === 69 || c === 101) && sql.charCodeAt(end) === 39) {
        pos = skipString(sql, end, true);
      } else {
        pos = end;
      }
    } else if (isDigit(c)) {
      // A number such as 1e5 or 10.5: never a parameter or a word.
      let end = pos + 1;
      while (end < length && (isIdentPart(sql.charCodeAt(end)) || sql.charCodeAt(end) === 46)) end += 1;
      pos = end;
    } else {
      pos += 1;
    }
  }
}

/**
 * A statement with its `$n` parameters replaced by literals, for offline scripts. Parameters inside strings,
 * quoted names, comments and dollar-quoted bodies are left alone; a `$n` without a value is an error.
 */
export function inline(statement: Sql): string {
  const params = statement.params ?? [];
  if (params.length === 0) return statement.sql;
  let out = '';
  let copied = 0;
  scanParameters(statement.sql, (number, start, end) => {
    if (number < 1 || number > params.length) {
      throw new AmbixError(
        'FAILED',
        `The statement uses $${number} but has ${params.length} parameter${params.length === 1 ? '' : 's'}: ${statement.sql}`,
      );
    }
    out += statement.sql.slice(copied, start) + inlineLiteral(params[number - 1]);
    copied = end;
  });
  return out + statement.sql.slice(copied);
}
