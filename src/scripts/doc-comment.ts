/**
 * The leading doc comment of a TypeScript migration: its first line is the message, and `Create Date:` is read from
 * it, as Alembic reads both from a script's docstring.
 */

export interface DocComment {
  /** The comment text without its `/**`, `*\/` and leading `*` markers. */
  readonly doc: string;
  readonly message: string | undefined;
  readonly createDate: string | undefined;
}

const FIELD = /^(?:Revision ID|Revises|Create Date):/;
const CREATE_DATE = 'Create Date:';
const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;
// The ` * ` that starts each line after the first, and the spaces that end each line.
const LINE_STARTS = /\n[^\S\n]*\* ?/g;
const LINE_ENDS = /[^\S\n]+(?=\n|$)/g;

/**
 * Reads a `/** ... *\/` comment as written by renderTsMigration (or by hand). This runs once for every migration
 * file of a scan, so the usual comment (`\n` line breaks, no escaped `*\/`) is read in one pass over its lines;
 * other comments go through the general, regular-expression form, which gives the same result.
 */
export function parseDocComment(comment: string): DocComment {
  return fieldsOf(plainDocText(comment) ?? docText(comment));
}

/** The comment text without its markers: the general form, for any comment. */
export function docText(comment: string): string {
  let body = unescapeCommentText(comment.slice(3, comment.endsWith('*/') ? -2 : undefined));
  if (body.includes('\r') || body.includes('\u2028') || body.includes('\u2029')) {
    body = body.replace(LINE_BREAKS, '\n');
  }
  return body
    .replace(LINE_STARTS, '\n')
    .replace(LINE_ENDS, '')
    .replace(/^\s+|\n+$/g, '');
}

/**
 * docText for a comment with `\n` line breaks only and no escaped `*\/`; undefined for any other comment. One pass
 * over the lines: each loses its ` * ` prefix (after the first) and its trailing spaces, blank lines at either end
 * are dropped, and the text starts at its first non-space character.
 */
export function plainDocText(comment: string): string | undefined {
  if (
    comment.includes('\r') ||
    comment.includes('*\\') ||
    comment.includes('\u2028') ||
    comment.includes('\u2029')
  ) {
    return undefined;
  }
  const end = Math.max(3, comment.endsWith('*/') ? comment.length - 2 : comment.length);
  let doc = '';
  let blankLines = 0;
  for (let lineStart = 3; lineStart <= end; ) {
    const lineBreak = comment.indexOf('\n', lineStart);
    const lineEnd = lineBreak === -1 || lineBreak > end ? end : lineBreak;
    let from = lineStart;
    if (lineStart > 3) {
      let at = lineStart;
      while (at < lineEnd && isSpace(comment.charCodeAt(at))) at += 1;
      if (comment.charCodeAt(at) === 42 && at < lineEnd) {
        from = comment.charCodeAt(at + 1) === 32 && at + 1 < lineEnd ? at + 2 : at + 1;
      }
    }
    let to = lineEnd;
    while (to > from && isSpace(comment.charCodeAt(to - 1))) to -= 1;
    if (doc === '') {
      while (from < to && isSpace(comment.charCodeAt(from))) from += 1;
      if (from < to) doc = comment.slice(from, to);
    } else if (from === to) {
      blankLines += 1;
    } else {
      doc += `${blankLines === 0 ? '\n' : '\n'.repeat(blankLines + 1)}${comment.slice(from, to)}`;
      blankLines = 0;
    }
    lineStart = lineEnd + 1;
  }
  return doc;
}

/** The message (first line) and `Create Date:` of a comment's text. */
function fieldsOf(doc: string): DocComment {
  const firstBreak = doc.indexOf('\n');
  const head = (firstBreak === -1 ? doc : doc.slice(0, firstBreak)).trim();
  // A first line that looks like a field is still the message when a blank line follows it, as rendered.
  const hasMessage = head !== '' && (!FIELD.test(head) || doc.charCodeAt(firstBreak + 1) === 10);
  let createDate: string | undefined;
  for (
    let at = doc.indexOf(CREATE_DATE, hasMessage ? firstBreak : 0);
    at !== -1;
    at = doc.indexOf(CREATE_DATE, at + 1)
  ) {
    const lineStart = doc.lastIndexOf('\n', at) + 1;
    if (lineStart !== at && doc.slice(lineStart, at).trim() !== '') continue;
    const lineEnd = doc.indexOf('\n', at);
    createDate = doc.slice(at + CREATE_DATE.length, lineEnd === -1 ? undefined : lineEnd).trim() || undefined;
    break;
  }
  return { doc, message: hasMessage ? head : undefined, createDate };
}

/** White space other than `\n`, as `[^\S\n]` matches it. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13 && c !== 10) || (c > 127 && isUnicodeSpace(c));
}

function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * The one-line form of a message: line breaks (which would end it early) become single spaces, the ends are
 * trimmed, and unpaired surrogates (which UTF-8 cannot store) become U+FFFD. This is what a rendered file stores
 * and reads back.
 */
export function normalizeMessage(message: string | undefined): string {
  if (message === undefined) return '';
  return message
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

/**
 * Makes text safe inside a block comment: `*\/` would close it, so every `*` + backslashes + `/` gains one
 * backslash. unescapeCommentText removes exactly one again, so any text survives the round trip.
 */
export function escapeCommentText(text: string): string {
  return text.replace(/\*(\\*)\//g, '*\\$1/');
}

export function unescapeCommentText(text: string): string {
  if (!text.includes('*\\')) return text;
  return text.replace(/\*\\(\\*)\//g, '*$1/');
}
