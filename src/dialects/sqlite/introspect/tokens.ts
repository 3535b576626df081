/**
 * A tokenizer for the CREATE statements SQLite keeps in `sqlite_schema`. SQLite reports columns, keys and indexes
 * through pragmas, but constraint names, CHECK and generated expressions, collations, AUTOINCREMENT and
 * deferrability exist only in the statement's text: reading them needs SQLite's lexical rules (its four quoting
 * styles, comments, nested parentheses), not regular expressions over the whole text.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'blob' | 'number' | 'variable' | 'punct';

/** One token; `start` and `end` are offsets into the text, so that fragments are cut out exactly as written. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const NUMBER = /0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/y;

/** SQLite treats every non-ASCII character as part of an identifier, so `prénom` and `名前` need no quotes. */
function isIdentifierStart(char: string): boolean {
  return /[A-Za-z_]/.test(char) || char.charCodeAt(0) >= 0x80;
}

function isIdentifierPart(char: string): boolean {
  return /[A-Za-z0-9_$]/.test(char) || char.charCodeAt(0) >= 0x80;
}

/** The offset just past the quote closing the one at `start`; a doubled quote stands for itself. */
function quotedEnd(sql: string, start: number, close: string, doubles: boolean): number {
  let at = start + 1;
  while (at < sql.length) {
    if (sql[at] === close) {
      if (doubles && sql[at + 1] === close) at += 2;
      else return at + 1;
    } else {
      at++;
    }
  }
  return sql.length;
}

function wordEnd(sql: string, start: number): number {
  let at = start + 1;
  while (at < sql.length && isIdentifierPart(sql[at]!)) at++;
  return at;
}

/** The kind and end of the token starting at `at` (not a space or a comment). */
function scan(sql: string, at: number): { kind: TokenKind; end: number } {
  const char = sql[at]!;
  const next = sql[at + 1];
  if (char === "'") return { kind: 'string', end: quotedEnd(sql, at, "'", true) };
  if (char === '"') return { kind: 'quoted', end: quotedEnd(sql, at, '"', true) };
  if (char === '`') return { kind: 'quoted', end: quotedEnd(sql, at, '`', true) };
  if (char === '[') return { kind: 'quoted', end: quotedEnd(sql, at, ']', false) };
  if ((char === 'x' || char === 'X') && next === "'")
    return { kind: 'blob', end: quotedEnd(sql, at + 1, "'", true) };
  if (isIdentifierStart(char)) return { kind: 'word', end: wordEnd(sql, at) };
  NUMBER.lastIndex = at;
  if (NUMBER.test(sql)) return { kind: 'number', end: NUMBER.lastIndex };
  if ('?:@$#'.includes(char) && next !== undefined && isIdentifierPart(next))
    return { kind: 'variable', end: wordEnd(sql, at) };
  return { kind: 'punct', end: at + 1 };
}

/** The offset past the comment starting at `at`, or `at` when none starts there. */
function commentEnd(sql: string, at: number): number {
  if (sql.startsWith('--', at)) {
    const newline = sql.indexOf('\n', at);
    return newline < 0 ? sql.length : newline + 1;
  }
  if (sql.startsWith('/*', at)) {
    const close = sql.indexOf('*/', at + 2);
    return close < 0 ? sql.length : close + 2;
  }
  return at;
}

/** The tokens of `sql`, without spaces and comments. Unterminated quotes and comments run to the end. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    if (/\s/.test(sql[at]!)) {
      at++;
      continue;
    }
    const afterComment = commentEnd(sql, at);
    if (afterComment !== at) {
      at = afterComment;
      continue;
    }
    const { kind, end } = scan(sql, at);
    tokens.push({ kind, text: sql.slice(at, end), start: at, end });
    at = end;
  }
  return tokens;
}

/** SQLite folds only ASCII letters when it compares identifiers and keywords. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (char) => char.toLowerCase());
}

/** Whether two identifiers name the same object for SQLite. */
export function sameName(a: string, b: string): boolean {
  return asciiLower(a) === asciiLower(b);
}

/** Whether `token` is the bare word `keyword` (given in lower case), in any case. */
export function isKeyword(token: Token | undefined, keyword: string): boolean {
  return token?.kind === 'word' && asciiLower(token.text) === keyword;
}

export function isPunct(token: Token | undefined, char: string): boolean {
  return token?.kind === 'punct' && token.text === char;
}

/** The name a token stands for: quotes removed and doubled quotes undone. */
export function identifierValue(token: Token): string {
  const { text } = token;
  switch (token.kind) {
    case 'quoted':
      if (text.startsWith('[')) return text.slice(1, text.endsWith(']') ? -1 : undefined);
      return unquote(text);
    case 'string':
      return unquote(text);
    default:
      return text;
  }
}

function unquote(text: string): string {
  const quote = text[0]!;
  const body = text.length > 1 && text.endsWith(quote) ? text.slice(1, -1) : text.slice(1);
  return body.replaceAll(quote + quote, quote);
}

/** The index of the `)` that closes the `(` at `open`, or `tokens.length` when it is never closed. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let at = open; at < tokens.length; at++) {
    if (isPunct(tokens[at], '(')) depth++;
    else if (isPunct(tokens[at], ')') && --depth === 0) return at;
  }
  return tokens.length;
}

/** Index ranges `[from, to)` of the parts of `tokens[from, to)` separated by commas outside parentheses. */
export function splitOnCommas(tokens: readonly Token[], from: number, to: number): [number, number][] {
  const parts: [number, number][] = [];
  let start = from;
  let depth = 0;
  for (let at = from; at < to; at++) {
    const token = tokens[at];
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && isPunct(token, ',')) {
      parts.push([start, at]);
      start = at + 1;
    }
  }
  if (start < to) parts.push([start, to]);
  return parts;
}

/** The text from the start of `tokens[from]` to the end of `tokens[to - 1]`, exactly as written. */
export function sourceText(sql: string, tokens: readonly Token[], from: number, to: number): string {
  const first = tokens[from];
  const last = tokens[to - 1];
  return first === undefined || last === undefined || to <= from ? '' : sql.slice(first.start, last.end);
}

/** The text between the `(` at `open` and its `)`, trimmed: a CHECK's or generated column's expression. */
export function textInParens(sql: string, tokens: readonly Token[], open: number): string {
  const close = closingParen(tokens, open);
  const start = tokens[open]?.end ?? sql.length;
  const end = tokens[close]?.start ?? sql.length;
  return sql.slice(start, end).trim();
}

/** The names in a parenthesized list (`(a, "b" COLLATE nocase DESC)`): the first token of each element. */
export function namesInParens(tokens: readonly Token[], open: number): string[] {
  const close = closingParen(tokens, open);
  return splitOnCommas(tokens, open + 1, close).flatMap(([from]) => {
    const token = tokens[from];
    return token === undefined ? [] : [identifierValue(token)];
  });
}

/** A read position over tokens, for the small recursive-descent parsers of CREATE statements. */
export class TokenCursor {
  position: number;

  constructor(
    readonly tokens: readonly Token[],
    from = 0,
    readonly end = tokens.length,
  ) {
    this.position = from;
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  peek(offset = 0): Token | undefined {
    const at = this.position + offset;
    return at < this.end ? this.tokens[at] : undefined;
  }

  /** Whether the next tokens are these keywords (in lower case). */
  at(...keywords: readonly string[]): boolean {
    return keywords.every((keyword, offset) => isKeyword(this.peek(offset), keyword));
  }

  atPunct(char: string): boolean {
    return isPunct(this.peek(), char);
  }

  /** Consumes the keywords when they come next, and says whether they did. */
  eat(...keywords: readonly string[]): boolean {
    if (!this.at(...keywords)) return false;
    this.position += keywords.length;
    return true;
  }

  /** Consumes one token and returns it. */
  next(): Token | undefined {
    const token = this.peek();
    if (token !== undefined) this.position++;
    return token;
  }

  /** Consumes one token, or a whole parenthesized group; a group's `(` index is returned, else -1. */
  skip(): number {
    if (!this.atPunct('(')) {
      this.next();
      return -1;
    }
    const open = this.position;
    this.position = Math.min(closingParen(this.tokens, open) + 1, this.end);
    return open;
  }
}
