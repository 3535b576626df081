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
 * Reads a `/** ... *\/` comment as written by renderTsMigration (or by hand). A handful of native passes over the
 * text rather than a loop over its lines: this runs once for every migration file of a scan.
 */
export function parseDocComment(comment: string): DocComment {
  let body = unescapeCommentText(comment.slice(3, comment.endsWith('*/') ? -2 : undefined));
  if (body.includes('\r') || body.includes('\u2028') || body.includes('\u2029')) {
    body = body.replace(LINE_BREAKS, '\n');
  }
  const doc = body
    .replace(LINE_STARTS, '\n')
    .replace(LINE_ENDS, '')
    .replace(/^\s+|\n+$/g, '');
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
    if (doc.slice(lineStart, at).trim() !== '') continue;
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
