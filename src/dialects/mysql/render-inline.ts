import { AmbixError } from '../../errors.js';
import type { Sql } from '../dialect.js';
import { inlineLiteral } from './render-literal.js';

const BACKSLASH = 92;

/** End of a string opened by `quote` at `from`: backslash escapes and a doubled quote. Unclosed: the end. */
function skipString(sql: string, from: number, quote: number): number {
  let pos = from + 1;
  while (pos < sql.length) {
    const c = sql.charCodeAt(pos);
    if (c === BACKSLASH) pos += 2;
    else if (c === quote) {
      if (sql.charCodeAt(pos + 1) !== quote) return pos + 1;
      pos += 2;
    } else pos += 1;
  }
  return sql.length;
}

/** End of a `` `name` ``, whose backticks are doubled inside. */
function skipQuotedIdentifier(sql: string, from: number): number {
  let pos = from + 1;
  for (;;) {
    const close = sql.indexOf('`', pos);
    if (close === -1) return sql.length;
    if (sql.charCodeAt(close + 1) !== 96) return close + 1;
    pos = close + 2;
  }
}

function skipLine(sql: string, from: number): number {
  let pos = from;
  while (pos < sql.length && sql.charCodeAt(pos) !== 10 && sql.charCodeAt(pos) !== 13) pos += 1;
  return pos;
}

/** MySQL's `--` starts a comment only when a space or control character (or the end) follows it. */
function isDashComment(sql: string, pos: number): boolean {
  if (!sql.startsWith('--', pos)) return false;
  const next = sql.charCodeAt(pos + 2);
  return Number.isNaN(next) || next <= 32;
}

/**
 * Calls `onPlaceholder(position)` for every `?` in `sql` outside strings ('…' and "…"), `` `names` `` and
 * comments (`-- `, `#`, `/* … *\/`, which MySQL does not nest).
 */
export function scanPlaceholders(sql: string, onPlaceholder: (position: number) => void): void {
  let pos = 0;
  while (pos < sql.length) {
    const c = sql.charCodeAt(pos);
    if (c === 39 || c === 34) pos = skipString(sql, pos, c);
    else if (c === 96) pos = skipQuotedIdentifier(sql, pos);
    else if (c === 35 || isDashComment(sql, pos)) pos = skipLine(sql, pos);
    else if (sql.startsWith('/*', pos)) {
      const close = sql.indexOf('*/', pos + 2);
      pos = close === -1 ? sql.length : close + 2;
    } else {
      if (c === 63) onPlaceholder(pos);
      pos += 1;
    }
  }
}

/**
 * A statement with its `?` placeholders replaced, in order, by literals, for offline scripts. The placeholders
 * and the parameters must pair up: `?` binds by position, so one too many or too few shifts every value.
 */
export function inline(statement: Sql): string {
  const params = statement.params ?? [];
  if (params.length === 0) return statement.sql;
  const positions: number[] = [];
  scanPlaceholders(statement.sql, (position) => positions.push(position));
  if (positions.length !== params.length) {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    throw new AmbixError(
      'FAILED',
      `The statement has ${plural(positions.length, 'placeholder')} but ${plural(params.length, 'parameter')}: ${statement.sql}`,
      {
        hint: 'Write one ? per parameter (a ? inside a string, a `name` or a comment is not a placeholder).',
      },
    );
  }
  let out = '';
  let copied = 0;
  positions.forEach((position, index) => {
    out += statement.sql.slice(copied, position) + inlineLiteral(params[index]);
    copied = position + 1;
  });
  return out + statement.sql.slice(copied);
}
