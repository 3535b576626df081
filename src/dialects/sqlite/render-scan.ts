/**
 * A small reader of SQLite's SQL text, as its tokenizer splits it: enough to find `?` parameters and the names a
 * piece of SQL uses, never looking inside strings, blobs, quoted names or comments.
 */

export type TokenKind =
  /** A bare word: a keyword or an unquoted name. */
  | 'word'
  /** A quoted name: `"a""b"`, `[a b]` or `` `a` ``. */
  | 'quoted'
  /** A string or blob literal. */
  | 'string'
  /** `?` or `?NNN`. */
  | 'parameter'
  | 'number'
  | 'comment'
  | 'space'
  /** Any other single character: operators, punctuation. */
  | 'other';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
// SQLite's identifier characters: ASCII letters, `_`, `$` after the first character, and anything beyond ASCII.
const isWordStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isWordPart = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 36;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** The end of a quoted run opened at `from` by `close`; a doubled `close` inside is part of it. Unclosed: the end. */
function skipQuoted(sql: string, from: number, close: string, doubles: boolean): number {
  let pos = from + 1;
  for (;;) {
    const found = sql.indexOf(close, pos);
    if (found === -1) return sql.length;
    if (!doubles || sql[found + 1] !== close) return found + 1;
    pos = found + 2;
  }
}

function tokenEnd(sql: string, pos: number): { kind: TokenKind; end: number } {
  const c = sql.charCodeAt(pos);
  const next = sql.charCodeAt(pos + 1);
  if (c === 39) return { kind: 'string', end: skipQuoted(sql, pos, "'", true) };
  if (c === 34) return { kind: 'quoted', end: skipQuoted(sql, pos, '"', true) };
  if (c === 96) return { kind: 'quoted', end: skipQuoted(sql, pos, '`', true) };
  if (c === 91) return { kind: 'quoted', end: skipQuoted(sql, pos, ']', false) };
  if (c === 45 && next === 45) {
    const newline = sql.indexOf('\n', pos);
    return { kind: 'comment', end: newline === -1 ? sql.length : newline };
  }
  if (c === 47 && next === 42) {
    // SQLite's block comments do not nest; an unclosed one runs to the end.
    const close = sql.indexOf('*/', pos + 2);
    return { kind: 'comment', end: close === -1 ? sql.length : close + 2 };
  }
  if (c === 63) {
    let end = pos + 1;
    while (end < sql.length && isDigit(sql.charCodeAt(end))) end += 1;
    return { kind: 'parameter', end };
  }
  if ((c === 88 || c === 120) && next === 39)
    return { kind: 'string', end: skipQuoted(sql, pos + 1, "'", true) };
  if (isWordStart(c)) {
    let end = pos + 1;
    while (end < sql.length && isWordPart(sql.charCodeAt(end))) end += 1;
    return { kind: 'word', end };
  }
  if (isDigit(c) || (c === 46 && isDigit(next))) {
    // 1e5, 0x1F, 10.5: letters, digits and dots run together into one number.
    let end = pos + 1;
    while (end < sql.length && (isWordPart(sql.charCodeAt(end)) || sql.charCodeAt(end) === 46)) end += 1;
    // An exponent's sign belongs to the number: 1e-5 (but 0x1E-1 is a subtraction).
    const text = sql.slice(pos, end);
    if (/^[0-9.]+[eE]$/.test(text) && /[+-]/.test(sql[end] ?? '')) {
      end += 1;
      while (end < sql.length && isDigit(sql.charCodeAt(end))) end += 1;
    }
    return { kind: 'number', end };
  }
  if (isSpace(c)) {
    let end = pos + 1;
    while (end < sql.length && isSpace(sql.charCodeAt(end))) end += 1;
    return { kind: 'space', end };
  }
  return { kind: 'other', end: pos + 1 };
}

/** Every token of `sql`, in order; together they cover the whole text. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < sql.length) {
    const { kind, end } = tokenEnd(sql, pos);
    tokens.push({ kind, start: pos, end });
    pos = end;
  }
  return tokens;
}

/** The name a `word` or `quoted` token stands for: `"a""b"` is `a"b`, `[x]` is `x`. */
export function tokenName(sql: string, token: Token): string {
  const text = sql.slice(token.start, token.end);
  if (token.kind !== 'quoted') return text;
  const open = text[0];
  const inner = text.slice(1, text.length - 1);
  if (open === '"') return inner.replaceAll('""', '"');
  if (open === '`') return inner.replaceAll('``', '`');
  return inner;
}

/** SQLite compares names without regard to (ASCII) case. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The tokens of `sql` that name the column `column`: words and quoted names equal to it, except a bare word
 * followed by `(` (a function of that name) or by `.` (a table of that name qualifying a column).
 */
function columnTokens(sql: string, column: string): Token[] {
  const tokens = tokenize(sql).filter((token) => token.kind !== 'space' && token.kind !== 'comment');
  return tokens.filter((token, index) => {
    if (token.kind !== 'word' && token.kind !== 'quoted') return false;
    if (!sameName(tokenName(sql, token), column)) return false;
    const following = tokens[index + 1];
    const next = following === undefined ? '' : sql.slice(following.start, following.end);
    return !(token.kind === 'word' && next === '(') && next !== '.';
  });
}

/**
 * Whether `sql` (a CHECK, an index expression, a generated column) may use the column. It errs towards yes: a
 * keyword spelled like the column counts, which only ever makes ambix rebuild a table it could have altered.
 */
export function mentionsColumn(sql: string, column: string): boolean {
  return columnTokens(sql, column).length > 0;
}

/**
 * `sql` with the column `from` renamed `to` (written quoted), as SQLite's RENAME COLUMN rewrites the expressions
 * of a table. A keyword spelled like the old name would be renamed too: renaming a column called `end` inside
 * `CASE … END` needs SQLite's own RENAME COLUMN, which the renderer uses for plain renames.
 */
export function renameColumnIn(
  sql: string,
  from: string,
  to: string,
  quote: (name: string) => string,
): string {
  let out = '';
  let copied = 0;
  for (const token of columnTokens(sql, from)) {
    out += sql.slice(copied, token.start) + quote(to);
    copied = token.end;
  }
  return out + sql.slice(copied);
}
