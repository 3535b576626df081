import { AmbixError } from '../../errors.js';
import type { Sql } from '../dialect.js';
import { inlineLiteral } from './render-literal.js';
import { tokenize } from './render-scan.js';

/**
 * A statement with its `?` parameters replaced by literals, for offline scripts. SQLite numbers them as it binds
 * them: `?` is one more than the largest number so far, `?NNN` is NNN. Parameters inside strings, quoted names and
 * comments are left alone; a parameter without a value is an error.
 */
export function inline(statement: Sql): string {
  const params = statement.params ?? [];
  if (params.length === 0) return statement.sql;
  const sql = statement.sql;
  let out = '';
  let copied = 0;
  let largest = 0;
  for (const token of tokenize(sql)) {
    if (token.kind !== 'parameter') continue;
    const number =
      token.end - token.start === 1 ? largest + 1 : Number(sql.slice(token.start + 1, token.end));
    largest = Math.max(largest, number);
    if (number < 1 || number > params.length) {
      throw new AmbixError(
        'FAILED',
        `The statement uses parameter ${number} but has ${params.length} parameter${params.length === 1 ? '' : 's'}: ${sql}`,
      );
    }
    out += sql.slice(copied, token.start) + inlineLiteral(params[number - 1]);
    copied = token.end;
  }
  return out + sql.slice(copied);
}
