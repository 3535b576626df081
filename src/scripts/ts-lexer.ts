/**
 * Just enough of a JavaScript/TypeScript tokenizer to find `export const` declarations: it skips comments, strings,
 * template literals (with nested `${}` expressions) and regular expressions, so text that merely looks like an
 * export inside any of them is never mistaken for one. It never builds a syntax tree and allocates nothing per
 * token.
 *
 * Two ways through a file share one state: next() reads token by token (used on the few tokens of a header
 * declaration), skipToExport() skims everything in between, up to the next `export` keyword.
 */

export const EOF = 0;
export const IDENT = 1;
/** A quoted string. */
export const STRING = 2;
/** A template literal without substitutions: as literal as a quoted string. */
export const TEMPLATE = 3;
/** The start of a template literal with substitutions, up to and including the first `${`. */
export const TEMPLATE_HEAD = 4;
/** `}...${` inside a template literal. */
export const TEMPLATE_MIDDLE = 5;
/** `}...\`` ending a template literal. */
export const TEMPLATE_TAIL = 6;
export const NUMBER = 7;
export const PUNCT = 8;
export const REGEX = 9;

export type TokenKind =
  | typeof EOF
  | typeof IDENT
  | typeof STRING
  | typeof TEMPLATE
  | typeof TEMPLATE_HEAD
  | typeof TEMPLATE_MIDDLE
  | typeof TEMPLATE_TAIL
  | typeof NUMBER
  | typeof PUNCT
  | typeof REGEX;

// After these keywords a `/` starts a regular expression rather than a division.
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'extends',
]);

export class TsLexer {
  readonly text: string;
  private readonly length: number;
  private pos = 0;

  kind: TokenKind = EOF;
  start = 0;
  end = 0;
  /** A line break (possibly inside a comment) separates this token from the previous one. */
  newlineBefore = false;
  /** A string or template literal that reaches the end of its line or of the file without closing. */
  unterminated = false;
  prevKind: TokenKind = EOF;
  prevStart = 0;
  prevEnd = 0;

  /** Offsets of the first `/** ... *\/` comment before any token, or -1. */
  docStart = -1;
  docEnd = -1;

  private emitted = false;
  /** Offset of the next `export` in the text at or after the skimming position (anywhere: code or not). */
  private nextExportWord = -1;
  private braceDepth = 0;
  private readonly templateBraces: number[] = [];

  constructor(text: string) {
    this.text = text;
    this.length = text.length;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    if (text.startsWith('#!', this.pos)) {
      const newline = text.indexOf('\n', this.pos);
      this.pos = newline === -1 ? this.length : newline;
    }
  }

  /** A method rather than a comparison of `kind`, which the compiler would wrongly keep narrowed across next(). */
  at(kind: TokenKind): boolean {
    return this.kind === kind;
  }

  /** The current token's text equals `word`. */
  is(word: string): boolean {
    return this.end - this.start === word.length && this.text.startsWith(word, this.start);
  }

  isPunct(char: string): boolean {
    return (
      this.kind === PUNCT &&
      this.end - this.start === 1 &&
      this.text.charCodeAt(this.start) === char.charCodeAt(0)
    );
  }

  prevIsPunct(char: string): boolean {
    return (
      this.prevKind === PUNCT &&
      this.prevEnd - this.prevStart === 1 &&
      this.text.charCodeAt(this.prevStart) === char.charCodeAt(0)
    );
  }

  value(): string {
    return this.text.slice(this.start, this.end);
  }

  next(): void {
    this.prevKind = this.kind;
    this.prevStart = this.start;
    this.prevEnd = this.end;
    this.unterminated = false;
    this.skipTrivia();
    const text = this.text;
    const start = this.pos;
    this.start = start;
    if (start >= this.length) {
      this.kind = EOF;
      this.end = start;
      return;
    }
    this.emitted = true;
    const c = text.charCodeAt(start);
    if (isIdentStart(c)) {
      let i = start + 1;
      while (i < this.length && isIdentPart(text.charCodeAt(i))) i += 1;
      this.token(IDENT, i);
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(start + 1)))) {
      let i = start + 1;
      while (i < this.length && isNumberPart(text.charCodeAt(i))) i += 1;
      this.token(NUMBER, i);
    } else if (c === 39 || c === 34) {
      this.scanString(c);
    } else if (c === 96) {
      this.scanTemplate(start + 1, TEMPLATE, TEMPLATE_HEAD);
    } else if (c === 125 && this.closesSubstitution()) {
      this.braceDepth -= 1;
      this.templateBraces.pop();
      this.scanTemplate(start + 1, TEMPLATE_TAIL, TEMPLATE_MIDDLE);
    } else if (c === 47 && this.regexAllowed() && this.scanRegex()) {
      // scanRegex set the token
    } else if (c === 61 && (text.charCodeAt(start + 1) === 61 || text.charCodeAt(start + 1) === 62)) {
      // `==`, `===` and `=>` are one token so that a lone `=` is always an assignment
      let i = start + 2;
      if (text.charCodeAt(start + 1) === 61 && text.charCodeAt(i) === 61) i += 1;
      this.token(PUNCT, i);
    } else {
      if (c === 123) this.braceDepth += 1;
      else if (c === 125) this.braceDepth -= 1;
      this.token(PUNCT, start + 1);
    }
  }

  /**
   * Moves to the next `export` keyword outside comments, strings, templates and regular expressions, and makes it
   * the current token; false at the end of the file. This is the fast path that skims a file's bodies: one tight
   * loop over the characters that reacts only to the few that change the lexer's state (quotes, slashes, braces)
   * and to the `export` words, instead of producing a token for every word. An `export` after `limit` is not
   * looked for: the skimming stops there.
   */
  skipToExport(limit = this.length): boolean {
    const text = this.text;
    const length = Math.min(this.length, limit + 1);
    let i = this.pos;
    // Plain code (no comment, string or brace) runs from `code` to `i`.
    let code = i;
    // Whether a `/` right after the last comment, string, brace or slash would start a regular expression.
    let regexAfterSpecial =
      this.kind === EOF ? true : this.regexAllowedAfter(this.kind, this.start, this.end);
    // The code before the last comment ended in a `.`, so an `export` right after the comment is a property name.
    let dotBeforeComment = false;
    let seenCode = this.emitted;
    let nextExport = this.nextExportWord >= i ? this.nextExportWord : findWord(text, 'export', i);
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c > 125 || SKIM[c] === 0) {
        i += 1;
        continue;
      }
      if (c === 101) {
        // `e`: perhaps the `export` keyword
        if (i > nextExport) nextExport = findWord(text, 'export', i);
        if (i === nextExport) {
          nextExport = findWord(text, 'export', i + 6);
          if (isExportKeyword(text, i, code, dotBeforeComment)) {
            this.nextExportWord = nextExport;
            this.pos = i;
            this.kind = EOF;
            this.next();
            return true;
          }
        }
        i += 1;
        continue;
      }
      const before = lastNonSpace(text, code, i);
      if (before !== -1) {
        seenCode = true;
        dotBeforeComment = false;
      }
      if (c === 47) {
        const d = text.charCodeAt(i + 1);
        if (before !== -1) regexAfterSpecial = this.regexAllowedAfterChar(before, code);
        if (d === 47 || d === 42) {
          if (before !== -1) dotBeforeComment = text.charCodeAt(before) === 46;
          if (d === 47) {
            i = lineEnd(text, i + 2);
          } else {
            const close = text.indexOf('*/', i + 2);
            const end = close === -1 ? this.length : close + 2;
            if (!seenCode && this.docStart === -1 && text.charCodeAt(i + 2) === 42 && end - i > 4) {
              this.docStart = i;
              this.docEnd = end;
            }
            i = end;
          }
        } else {
          seenCode = true;
          this.start = i;
          const end = regexAfterSpecial ? this.regexEnd() : -1;
          regexAfterSpecial = end === -1;
          i = end === -1 ? i + 1 : end;
        }
      } else {
        seenCode = true;
        if (c === 39 || c === 34) {
          const end = stringEnd(text, i, c);
          i = end < 0 ? -1 - end : end;
          regexAfterSpecial = false;
        } else if (c === 96) {
          i = this.skipTemplateBody(i + 1);
          regexAfterSpecial = text.charCodeAt(i - 1) === 123; // after `${`
        } else if (c === 123) {
          this.braceDepth += 1;
          i += 1;
          regexAfterSpecial = true;
        } else {
          const top = this.templateBraces[this.templateBraces.length - 1];
          this.braceDepth -= 1;
          if (top !== undefined && top === this.braceDepth) {
            this.templateBraces.pop();
            i = this.skipTemplateBody(i + 1);
            regexAfterSpecial = text.charCodeAt(i - 1) === 123;
          } else {
            i += 1;
            regexAfterSpecial = true;
          }
        }
      }
      code = i;
    }
    this.pos = length;
    if (length < this.length) {
      this.kind = EOF; // stopped at the limit, maybe inside a token: nothing more is read
      return false;
    }
    this.next();
    return false;
  }

  /** Like regexAllowedAfter, for code whose last significant character is at `last` (code starts at `from`). */
  private regexAllowedAfterChar(last: number, from: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(last);
    if (c === 41 || c === 93) return false;
    if (!isIdentPart(c)) return true;
    let start = last;
    while (start > from && isIdentPart(text.charCodeAt(start - 1))) start -= 1;
    if (isDigit(text.charCodeAt(start))) return false;
    return KEYWORDS_BEFORE_EXPRESSION.has(text.slice(start, last + 1));
  }

  /** Skips template text from `from` to just after its closing backtick or after a `${` (entering it). */
  private skipTemplateBody(from: number): number {
    const text = this.text;
    let i = from;
    while (i < this.length) {
      const c = text.charCodeAt(i);
      if (c === 96) return i + 1;
      if (c === 92) {
        i += 2;
      } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
        this.templateBraces.push(this.braceDepth);
        this.braceDepth += 1;
        return i + 2;
      } else {
        i += 1;
      }
    }
    return this.length;
  }

  private token(kind: TokenKind, end: number): void {
    this.kind = kind;
    this.end = end;
    this.pos = end;
  }

  private skipTrivia(): void {
    const text = this.text;
    const length = this.length;
    let pos = this.pos;
    let newline = false;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
        newline = true;
        pos += 1;
      } else if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff) {
        pos += 1;
      } else if (c === 47) {
        const d = text.charCodeAt(pos + 1);
        if (d === 47) {
          pos = lineEnd(text, pos + 2);
        } else if (d === 42) {
          const close = text.indexOf('*/', pos + 2);
          const end = close === -1 ? length : close + 2;
          if (!this.emitted && this.docStart === -1 && text.charCodeAt(pos + 2) === 42 && end - pos > 4) {
            this.docStart = pos;
            this.docEnd = end;
          }
          if (!newline) {
            const lineBreak = text.indexOf('\n', pos);
            newline = lineBreak !== -1 && lineBreak < end;
          }
          pos = end;
        } else {
          break;
        }
      } else if (c > 127 && isUnicodeSpace(c)) {
        pos += 1;
      } else {
        break;
      }
    }
    this.pos = pos;
    this.newlineBefore = newline;
  }

  private scanString(quote: number): void {
    const end = stringEnd(this.text, this.start, quote);
    this.unterminated = end < 0;
    this.token(STRING, end < 0 ? -1 - end : end);
  }

  private scanTemplate(from: number, closedKind: TokenKind, openKind: TokenKind): void {
    const text = this.text;
    let i = from;
    while (i < this.length) {
      const c = text.charCodeAt(i);
      if (c === 96) {
        this.token(closedKind, i + 1);
        return;
      }
      if (c === 92) {
        i += 2;
      } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
        this.templateBraces.push(this.braceDepth);
        this.braceDepth += 1;
        this.token(openKind, i + 2);
        return;
      } else {
        i += 1;
      }
    }
    this.unterminated = true;
    this.token(closedKind, this.length);
  }

  private closesSubstitution(): boolean {
    const top = this.templateBraces[this.templateBraces.length - 1];
    return top !== undefined && top === this.braceDepth - 1;
  }

  private regexAllowed(): boolean {
    return this.regexAllowedAfter(this.prevKind, this.prevStart, this.prevEnd);
  }

  /** Whether a `/` after the token (kind, start, end) starts a regular expression rather than a division. */
  private regexAllowedAfter(kind: TokenKind, start: number, end: number): boolean {
    switch (kind) {
      case IDENT:
        return KEYWORDS_BEFORE_EXPRESSION.has(this.text.slice(start, end));
      case NUMBER:
      case STRING:
      case TEMPLATE:
      case TEMPLATE_TAIL:
      case REGEX:
        return false;
      case PUNCT: {
        const c = this.text.charCodeAt(start);
        return !(end - start === 1 && (c === 41 || c === 93));
      }
      default:
        return true;
    }
  }

  /**
   * Reads a regular expression literal. A regex cannot span lines, so when none closes on this line the `/` was a
   * division after all and false is returned: a wrong guess costs nothing.
   */
  private scanRegex(): boolean {
    const end = this.regexEnd();
    if (end === -1) return false;
    this.token(REGEX, end);
    return true;
  }

  /** End of the regular expression literal starting at `start`, or -1 when the line ends first. */
  private regexEnd(): number {
    const text = this.text;
    let i = this.start + 1;
    let inClass = false;
    while (i < this.length) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return -1;
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === 47 && !inClass) {
        i += 1;
        while (i < this.length && isIdentPart(text.charCodeAt(i))) i += 1;
        return i;
      }
      i += 1;
    }
    return -1;
  }
}

// The characters skipToExport stops at: quotes, `/`, braces, and `e` for `export`.
const SKIM = new Uint8Array(126);
for (const c of '\'"`/{}e') SKIM[c.charCodeAt(0)] = 1;

/** Offset of the next `word` at or after `from`, or the text's length: a cached answer stays valid until passed. */
function findWord(text: string, word: string, from: number): number {
  const at = text.indexOf(word, from);
  return at === -1 ? text.length : at;
}

/** Whether the `export` at `at`, in code that starts at `code`, is the keyword rather than part of a name. */
function isExportKeyword(text: string, at: number, code: number, dotBeforeCode: boolean): boolean {
  if (at > 0 && isIdentPart(text.charCodeAt(at - 1))) return false;
  if (isIdentPart(text.charCodeAt(at + 6))) return false;
  // `x.export` and `x?.export` are property names (a `.` hidden behind a comment is dotBeforeCode)
  const before = lastNonSpace(text, code, at);
  return before === -1 ? !dotBeforeCode : text.charCodeAt(before) !== 46;
}

/**
 * End of the quoted string starting at `start`, just after its closing quote; for a string that a line break or
 * the end of the text cuts off, `-1 - offset` of the cut.
 */
function stringEnd(text: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === 92) {
      // an escaped line break continues the string on the next line
      i += text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
    } else if (c === 10 || c === 13) {
      return -1 - i;
    } else {
      i += 1;
    }
  }
  return -1 - Math.min(i, text.length);
}

/** Offset of the line break ending a `//` comment whose text starts at `from`. */
function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i;
    i += 1;
  }
  return text.length;
}

/** Offset of the last character in [from, to) that is not whitespace, or -1. */
function lastNonSpace(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i -= 1) {
    const c = text.charCodeAt(i);
    if (
      !(c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || (c > 127 && isUnicodeSpace(c)))
    ) {
      return i;
    }
  }
  return -1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    c === 36 ||
    c === 95 ||
    c === 92 ||
    c === 35 ||
    (c > 127 && !isUnicodeSpace(c))
  );
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isNumberPart(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46;
}

function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** The value of a string or template literal token, escapes decoded; undefined when an escape is malformed. */
export function decodeStringLiteral(text: string, start: number, end: number): string | undefined {
  const isTemplate = text.charCodeAt(start) === 96;
  const body = text.slice(start + 1, end - 1);
  if (!body.includes('\\')) return isTemplate ? body.replace(/\r\n?/g, '\n') : body;
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (c !== '\\') {
      if (isTemplate && c === '\r') {
        out += '\n';
        if (body[i + 1] === '\n') i += 1;
      } else {
        out += c;
      }
      continue;
    }
    i += 1;
    const e = body[i];
    switch (e) {
      case undefined:
        return out;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '0':
        out += '\0';
        break;
      case 'x':
      case 'u': {
        const braced = e === 'u' && body[i + 1] === '{';
        const from = braced ? i + 2 : i + 1;
        const to = braced ? body.indexOf('}', i) : from + (e === 'x' ? 2 : 4);
        const hex = body.slice(from, to);
        const code = /^[0-9a-fA-F]+$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
        if (to === -1 || !(code <= 0x10ffff) || (!braced && hex.length !== to - from)) return undefined;
        out += String.fromCodePoint(code);
        i = braced ? to : to - 1;
        break;
      }
      case '\r':
        if (body[i + 1] === '\n') i += 1;
        break;
      case '\n':
      case '\u2028':
      case '\u2029':
        break;
      default:
        out += e;
    }
  }
  return out;
}
