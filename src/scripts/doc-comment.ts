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
 * file of a scan, so the comment renderTsMigration writes is recognized and read with two native passes (a test and
 * a replace); any other comment goes through the general form, which gives the same result for every comment.
 */
export function parseDocComment(comment: string): DocComment {
  return parseRenderedDocComment(comment) ?? parseAnyDocComment(comment);
}

// Anything that makes the text of a comment (after its first ` * `) differ from the rendered shape: white space
// starting it, a line that does not start with ` * ` and a non-space (nor is a bare ` *`), white space ending a
// line, other line breaks, an escaped `*\/`.
const NOT_RENDERED = /^\s|\n(?! \*(?:\n| \S))|[^\S\n](?:\n|$)|[\r\u2028\u2029]|\*\\/;
const RENDERED_LINE_START = /\n \*(?: |(?=\n))/g;
const RENDERED_START = '/**\n * ';
const RENDERED_END = '\n */';
const CREATE_DATE_LINE = `\n${CREATE_DATE}`;

/**
 * parseDocComment for a comment in the shape renderTsMigration writes: `/**`, then lines that each start with
 * ` * ` (or are a bare ` *`) with no white space at either end, then ` *\/` on a line of its own. Undefined for any
 * other comment. In this shape every line is its own text less its first three characters, and `Create Date:` can
 * only start a line, so the text is one replace away and its fields a few searches.
 */
export function parseRenderedDocComment(comment: string): DocComment | undefined {
  if (
    comment.length < RENDERED_START.length + RENDERED_END.length ||
    !comment.startsWith(RENDERED_START) ||
    !comment.endsWith(RENDERED_END)
  ) {
    return undefined;
  }
  const body = comment.slice(RENDERED_START.length, -RENDERED_END.length);
  if (body === '' || NOT_RENDERED.test(body)) return undefined;
  const doc = body.replace(RENDERED_LINE_START, '\n');
  const firstBreak = doc.indexOf('\n');
  const head = firstBreak === -1 ? doc : doc.slice(0, firstBreak);
  // A first line that looks like a field is still the message when a blank line follows it, as rendered.
  const hasMessage = !FIELD.test(head) || doc.charCodeAt(firstBreak + 1) === 10;
  let value = -1;
  if (!hasMessage && head.startsWith(CREATE_DATE)) value = CREATE_DATE.length;
  else if (firstBreak !== -1) {
    const at = doc.indexOf(CREATE_DATE_LINE, firstBreak);
    if (at !== -1) value = at + CREATE_DATE_LINE.length;
  }
  let createDate: string | undefined;
  if (value !== -1) {
    const lineEnd = doc.indexOf('\n', value);
    createDate = doc.slice(value, lineEnd === -1 ? undefined : lineEnd).trim() || undefined;
  }
  return { doc, message: hasMessage ? head : undefined, createDate };
}

/** The general form of parseDocComment: a few regular-expression passes over the whole comment, then its fields. */
export function parseAnyDocComment(comment: string): DocComment {
  let body = unescapeCommentText(comment.slice(3, comment.endsWith('*/') ? -2 : undefined));
  if (body.includes('\r') || body.includes('\u2028') || body.includes('\u2029')) {
    body = body.replace(LINE_BREAKS, '\n');
  }
  const doc = body
    .replace(LINE_STARTS, '\n')
    .replace(LINE_ENDS, '')
    .replace(/^\s+|\n+$/g, '');
  return fieldsOf(doc);
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
