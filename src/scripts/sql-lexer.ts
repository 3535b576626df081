/**
 * Cuts SQL text into the pieces that matter for splitting it into statements and for finding `-- ambix:`
 * directives: comments, quoted text (strings, quoted identifiers, dollar-quoted bodies), words and semicolons.
 * It knows nothing of any grammar beyond that.
 */

export type SqlPieceKind =
  | 'space'
  | 'line-comment'
  | 'block-comment'
  | 'quoted'
  | 'word'
  | 'semicolon'
  | 'other';

export interface SqlLexOptions {
  /**
   * Backslash escapes a quote inside '…' and "…" (MySQL's default). Off by default: standard SQL, PostgreSQL and
   * SQLite treat a backslash as an ordinary character, except in PostgreSQL's E'…' strings, which are always
   * read with escapes.
   */
  readonly backslashEscapes?: boolean;
}

export type SqlPieceVisitor = (kind: SqlPieceKind, start: number, end: number) => void;

export function lexSql(sql: string, options: SqlLexOptions, visit: SqlPieceVisitor): void {
  const length = sql.length;
  const backslashes = options.backslashEscapes === true;
  let pos = 0;
  while (pos < length) {
    const start = pos;
    const c = sql.charCodeAt(pos);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff) {
      pos += 1;
      while (pos < length && isSpace(sql.charCodeAt(pos))) pos += 1;
      visit('space', start, pos);
    } else if (c === 45 && sql.charCodeAt(pos + 1) === 45) {
      pos += 2;
      while (pos < length) {
        const d = sql.charCodeAt(pos);
        if (d === 10 || d === 13) break;
        pos += 1;
      }
      visit('line-comment', start, pos);
    } else if (c === 47 && sql.charCodeAt(pos + 1) === 42) {
      pos = skipBlockComment(sql, pos);
      visit('block-comment', start, pos);
    } else if (c === 39) {
      pos = skipQuoted(sql, pos, 39, backslashes);
      visit('quoted', start, pos);
    } else if (c === 34 || c === 96) {
      pos = skipQuoted(sql, pos, c, backslashes && c === 34);
      visit('quoted', start, pos);
    } else if (c === 36 && !isWordPart(sql.charCodeAt(pos - 1))) {
      const end = skipDollarQuoted(sql, pos);
      if (end === -1) {
        // a parameter such as $1
        pos += 1;
        while (pos < length && isWordPart(sql.charCodeAt(pos))) pos += 1;
        visit('other', start, pos);
      } else {
        pos = end;
        visit('quoted', start, pos);
      }
    } else if (isWordStart(c)) {
      pos += 1;
      if ((c === 69 || c === 101) && sql.charCodeAt(pos) === 39) {
        // E'…': PostgreSQL's escape string syntax, where \' does not end the string
        pos = skipQuoted(sql, pos, 39, true);
        visit('quoted', start, pos);
      } else {
        while (pos < length && isWordPart(sql.charCodeAt(pos))) pos += 1;
        visit('word', start, pos);
      }
    } else if (c === 59) {
      pos += 1;
      visit('semicolon', start, pos);
    } else if (isDigit(c)) {
      pos += 1;
      while (pos < length && isWordPart(sql.charCodeAt(pos))) pos += 1;
      visit('other', start, pos);
    } else {
      pos += 1;
      visit('other', start, pos);
    }
  }
}

// Characters that may start a comment, a quoted text or a dollar quote.
const SPECIAL = /['"`$/-]/g;
const LINE_END = /[^\r\n]*/y;

/**
 * The fast path of lexSql for finding directives: calls `visitLineComment` for every `--` comment and
 * `visitCode` with the offset of code outside comments (at least once for each stretch of code; not for every
 * piece). It reads quotes exactly as lexSql does but jumps over plain text with the engine's native search.
 */
export function skimSql(
  sql: string,
  visitLineComment: (start: number, end: number) => void,
  visitCode: (start: number) => void,
): void {
  const length = sql.length;
  let pos = 0;
  // End of the last quoted piece: a word may start right after it even when it ends in `$`.
  let quotedEnd = -1;
  for (;;) {
    SPECIAL.lastIndex = pos;
    const found = SPECIAL.exec(sql);
    const special = found === null ? length : found.index;
    for (let i = pos; i < special; i += 1) {
      if (!isSpace(sql.charCodeAt(i))) {
        visitCode(i);
        break;
      }
    }
    if (special >= length) return;
    const c = sql.charCodeAt(special);
    const next = sql.charCodeAt(special + 1);
    if (c === 45 && next === 45) {
      LINE_END.lastIndex = special + 2;
      LINE_END.exec(sql);
      pos = LINE_END.lastIndex;
      visitLineComment(special, pos);
    } else if (c === 47 && next === 42) {
      pos = skipBlockComment(sql, special);
    } else if (c === 39) {
      const escapeString = isEscapeStringPrefix(sql, special - 1, quotedEnd);
      visitCode(escapeString ? special - 1 : special);
      pos = skipQuoted(sql, special, 39, escapeString);
      quotedEnd = pos;
    } else if (c === 34 || c === 96) {
      visitCode(special);
      pos = skipQuoted(sql, special, c, false);
      quotedEnd = pos;
    } else if (c === 36 && !isWordPart(sql.charCodeAt(special - 1))) {
      visitCode(special);
      const end = skipDollarQuoted(sql, special);
      if (end === -1) {
        pos = special + 1;
      } else {
        pos = end;
        quotedEnd = end;
      }
    } else {
      visitCode(special);
      // A `$` that starts a token without opening a dollar quote is a token of its own (as lexSql reads it), so
      // the next character starts a new token: `$E'…'` after a quoted piece is an escape string.
      if (c === 36 && special === quotedEnd) quotedEnd = special + 1;
      pos = special + 1;
    }
  }
}

/** An `E` or `e` that is a word of its own, so that `E'…'` is an escape string. */
function isEscapeStringPrefix(sql: string, at: number, quotedEnd: number): boolean {
  const c = sql.charCodeAt(at);
  return (c === 69 || c === 101) && (at === quotedEnd || !isWordPart(sql.charCodeAt(at - 1)));
}

/** PostgreSQL block comments nest: `/* a /* b *\/ c *\/` is one comment. */
function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let pos = from;
  while (pos < sql.length) {
    const c = sql.charCodeAt(pos);
    if (c === 47 && sql.charCodeAt(pos + 1) === 42) {
      depth += 1;
      pos += 2;
    } else if (c === 42 && sql.charCodeAt(pos + 1) === 47) {
      depth -= 1;
      pos += 2;
      if (depth === 0) return pos;
    } else {
      pos += 1;
    }
  }
  return sql.length;
}

/** '…' with '' (and optionally \') escapes; the same for "…" and `…`. Unclosed quotes run to the end. */
function skipQuoted(sql: string, from: number, quote: number, backslashes: boolean): number {
  if (!backslashes) {
    const char = String.fromCharCode(quote);
    let pos = from + 1;
    for (;;) {
      const close = sql.indexOf(char, pos);
      if (close === -1) return sql.length;
      if (sql.charCodeAt(close + 1) !== quote) return close + 1;
      pos = close + 2;
    }
  }
  let pos = from + 1;
  while (pos < sql.length) {
    const c = sql.charCodeAt(pos);
    if (c === quote) {
      if (sql.charCodeAt(pos + 1) !== quote) return pos + 1;
      pos += 2;
    } else if (c === 92) {
      pos += 2;
    } else {
      pos += 1;
    }
  }
  return sql.length;
}

/** `$$…$$` or `$tag$…$tag$`; -1 when the `$` does not open a dollar quote (`$1` parameters). */
function skipDollarQuoted(sql: string, from: number): number {
  let pos = from + 1;
  const first = sql.charCodeAt(pos);
  if (first !== 36) {
    if (!isWordStart(first)) return -1;
    while (pos < sql.length && isWordPart(sql.charCodeAt(pos)) && sql.charCodeAt(pos) !== 36) pos += 1;
    if (sql.charCodeAt(pos) !== 36) return -1;
  }
  const tag = sql.slice(from, pos + 1);
  const close = sql.indexOf(tag, pos + 1);
  return close === -1 ? sql.length : close + tag.length;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c > 127 && c !== 0xa0 && c !== 0xfeff);
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c) || c === 36;
}
