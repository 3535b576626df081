import { AmbixError } from '../errors.js';
import { parseDocComment } from './doc-comment.js';
import { headerError, lineAt } from './header-error.js';
import { validateRevisionId } from './revision-id.js';
import type { MigrationScript } from './script.js';
import {
  decodeStringLiteral,
  EOF,
  IDENT,
  PUNCT,
  STRING,
  TEMPLATE,
  TEMPLATE_HEAD,
  TsLexer,
} from './ts-lexer.js';

type HeaderName = 'revision' | 'downRevision' | 'branchLabels' | 'dependsOn' | 'transaction';
type Literal = string | null | boolean | readonly string[];

const HEADER_NAMES: ReadonlySet<string> = new Set<HeaderName>([
  'revision',
  'downRevision',
  'branchLabels',
  'dependsOn',
  'transaction',
]);

/** Alembic's spellings, which a hand-ported file may still use. */
const SNAKE_CASE: Readonly<Record<string, HeaderName>> = {
  down_revision: 'downRevision',
  branch_labels: 'branchLabels',
  depends_on: 'dependsOn',
};

/**
 * A part of every header name, camelCase or snake_case (`revision`, `downRevision`, `down_revision`, ...), chosen
 * to start with a letter that is rare in code, which makes the engine's search faster.
 */
const HEADER_WORDS = ['vision', 'branch', 'pends', 'saction'];

const NOT_RUN = 'ambix reads it without running the file.';
const EXPECTED: Readonly<Record<HeaderName, string>> = {
  revision: `'revision' must be a string literal; ${NOT_RUN}`,
  downRevision: `'downRevision' must be a literal (a string, null, or an array of strings); ${NOT_RUN}`,
  branchLabels: `'branchLabels' must be a literal (a string, null, or an array of strings); ${NOT_RUN}`,
  dependsOn: `'dependsOn' must be a literal (a string, null, or an array of strings); ${NOT_RUN}`,
  transaction: `'transaction' must be the literal true or false; ${NOT_RUN}`,
};

interface Found {
  readonly value: Literal;
  /** Offset of the exported name (its line is only worked out for a message). */
  readonly offset: number;
}

/**
 * Reads the header of a TypeScript or JavaScript migration without running it: the `export const` literals
 * `revision`, `downRevision`, `branchLabels`, `dependsOn` and `transaction`, and the message and create date from
 * the leading doc comment.
 *
 * Returns null for a helper module that exports none of them. A file that exports some but not all of the required
 * ones, exports one twice, or gives one a value that is not a literal is a SCRIPT_HEADER error naming `file:line`.
 */
export function readTsHeader(path: string, text: string): MigrationScript | null {
  // Cheap rejection of helper modules: every header mentions `revision` or `Revision`.
  if (!text.includes('vision')) return null;
  const reader = new HeaderReader(path, text);
  const found = reader.read();
  if (found.size === 0) return null;

  const revision = found.get('revision');
  if (revision === undefined) {
    const first = lineAt(text, Math.min(...[...found.values()].map((entry) => entry.offset)));
    throw headerError(
      path,
      first,
      "'revision' is missing; a migration must export its id as `export const revision = '…';`.",
    );
  }
  const downRevision = found.get('downRevision');
  if (downRevision === undefined) {
    throw headerError(
      path,
      lineAt(text, revision.offset),
      "'downRevision' is missing; export the parent revision id, or `export const downRevision = null;` for a root.",
    );
  }

  const lexer = reader.lexer;
  const doc = lexer.docStart === -1 ? undefined : parseDocComment(text.slice(lexer.docStart, lexer.docEnd));
  const transaction = found.get('transaction');
  // Built field by field rather than from spreads: this runs once per migration file of a scan.
  const script: Mutable<MigrationScript> = {
    id: revision.value as string,
    downRevisions: toList(downRevision.value),
    branchLabels: toList(found.get('branchLabels')?.value ?? null),
    dependsOn: toList(found.get('dependsOn')?.value ?? null),
    source: path,
    path,
    format: /\.m?ts$/i.test(path) ? 'ts' : 'js',
    transaction: transaction === undefined ? true : (transaction.value as boolean),
  };
  if (doc !== undefined) {
    if (doc.message !== undefined) script.message = doc.message;
    if (doc.createDate !== undefined) script.createDate = doc.createDate;
    if (doc.doc !== '') script.doc = doc.doc;
  }
  return Object.freeze(script);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Offset of the last mention of a header word, found forwards: engines search backwards far more slowly. */
function lastMention(text: string): number {
  let last = -1;
  for (const word of HEADER_WORDS) {
    for (let at = text.indexOf(word, last + 1); at !== -1; at = text.indexOf(word, at + word.length)) {
      last = at;
    }
  }
  return last;
}

function toList(value: Literal): readonly string[] {
  if (value === null) return EMPTY;
  return Object.freeze(typeof value === 'string' ? [value] : [...(value as readonly string[])]);
}

const EMPTY: readonly string[] = Object.freeze([]);

class HeaderReader {
  readonly lexer: TsLexer;
  private readonly found = new Map<HeaderName, Found>();
  /** The current token has not been looked at by the main loop yet. */
  private pending = false;

  constructor(
    private readonly path: string,
    private readonly text: string,
  ) {
    this.lexer = new TsLexer(text);
  }

  read(): Map<HeaderName, Found> {
    const lx = this.lexer;
    // Every header export names one of these words after its `export`, so none can start after the last of them:
    // the skimming stops there instead of reading the bodies of upgrade() and downgrade().
    const horizon = lastMention(this.text);
    for (;;) {
      if (this.pending) {
        // the token after a header value, which may itself start the next export
        this.pending = false;
        if (lx.at(IDENT) && lx.is('export')) {
          this.readExport();
          continue;
        }
      }
      if (!lx.skipToExport(horizon)) return this.found;
      this.readExport();
    }
  }

  private readExport(): void {
    const lx = this.lexer;
    lx.next();
    this.pending = true;
    if (lx.isPunct('{')) {
      this.readExportClause();
    } else if (lx.at(IDENT) && (lx.is('const') || lx.is('let') || lx.is('var'))) {
      this.readDeclarations(lx.value());
    }
  }

  /** `export { a as revision }` cannot be read statically: say how to write it. */
  private readExportClause(): void {
    const lx = this.lexer;
    this.pending = false;
    for (;;) {
      lx.next();
      if (!lx.at(IDENT) && !lx.at(STRING)) break;
      let exported = lx.at(STRING) ? (decodeStringLiteral(this.text, lx.start, lx.end) ?? '') : lx.value();
      let line = this.line(lx.start);
      lx.next();
      if (lx.at(IDENT) && lx.is('as')) {
        lx.next();
        exported = lx.at(STRING) ? (decodeStringLiteral(this.text, lx.start, lx.end) ?? '') : lx.value();
        line = this.line(lx.start);
        lx.next();
      }
      const name = HEADER_NAMES.has(exported) ? exported : SNAKE_CASE[exported];
      if (name !== undefined) {
        throw headerError(
          this.path,
          line,
          `'${exported}' must be declared as \`export const ${name} = …\` with a literal value; ${NOT_RUN}`,
        );
      }
      if (!lx.isPunct(',')) break;
    }
    this.pending = !lx.isPunct('}');
  }

  private readDeclarations(keyword: string): void {
    const lx = this.lexer;
    for (;;) {
      lx.next();
      this.pending = true;
      if (!lx.at(IDENT)) return;
      const exported = lx.value();
      const snake = SNAKE_CASE[exported];
      if (!HEADER_NAMES.has(exported) && snake === undefined) {
        // Not a header value: its initializer is ordinary code that the main loop skips.
        this.pending = false;
        return;
      }
      const offset = lx.start;
      if (snake !== undefined) {
        throw headerError(this.path, this.line(offset), `'${exported}' is spelled '${snake}' in ambix.`);
      }
      const name = exported as HeaderName;
      if (keyword !== 'const') {
        throw headerError(
          this.path,
          this.line(offset),
          `'${name}' must be declared with \`export const\`, not \`${keyword}\`.`,
        );
      }
      const previous = this.found.get(name);
      if (previous !== undefined) {
        const first = this.line(previous.offset);
        throw headerError(
          this.path,
          this.line(offset),
          `'${name}' is exported twice (first on line ${first}).`,
        );
      }
      this.found.set(name, { value: this.readInitializer(name), offset });

      // The literal must be the whole initializer: `'a' + b` or `'a'.trim()` is code.
      if (lx.isPunct(',')) continue;
      if (lx.isPunct(';')) {
        this.pending = false;
        return;
      }
      if (lx.at(EOF) || (lx.newlineBefore && lx.at(IDENT))) return;
      throw headerError(this.path, this.line(lx.start), EXPECTED[name]);
    }
  }

  /** Reads `[: Type] = literal [as const]`, leaving the lexer on the token after it. */
  private readInitializer(name: HeaderName): Literal {
    const lx = this.lexer;
    lx.next();
    if (lx.isPunct(':')) this.skipTypeAnnotation();
    if (!lx.isPunct('=')) {
      throw headerError(this.path, this.line(lx.start), `'${name}' must be initialized: ${EXPECTED[name]}`);
    }
    lx.next();
    const valueOffset = lx.start;
    const value = this.readLiteral(name);
    lx.next();
    if (lx.at(IDENT) && lx.is('as') && !lx.newlineBefore) {
      lx.next();
      if (!(lx.at(IDENT) && lx.is('const'))) {
        throw headerError(this.path, this.line(lx.start), EXPECTED[name]);
      }
      lx.next();
    }
    this.checkValue(name, value, valueOffset);
    return value;
  }

  /** Skips `: string | null` and the like up to the `=` of the initializer. */
  private skipTypeAnnotation(): void {
    const lx = this.lexer;
    let depth = 0;
    for (;;) {
      lx.next();
      if (lx.at(EOF) || (depth === 0 && (lx.isPunct('=') || lx.isPunct(';')))) return;
      if (!lx.at(PUNCT) || lx.end - lx.start !== 1) continue;
      const c = this.text[lx.start];
      if (c === '(' || c === '[' || c === '{' || c === '<') depth += 1;
      else if (c === ')' || c === ']' || c === '}' || c === '>') depth = Math.max(0, depth - 1);
    }
  }

  private readLiteral(name: HeaderName): Literal {
    const lx = this.lexer;
    const string = this.readString();
    if (string !== undefined) return string;
    if (lx.at(IDENT)) {
      if (lx.is('null')) return null;
      if (lx.is('true')) return true;
      if (lx.is('false')) return false;
    }
    if (lx.isPunct('[')) {
      const items: string[] = [];
      for (;;) {
        lx.next();
        if (lx.isPunct(']')) return items;
        const item = this.readString();
        if (item === undefined) throw headerError(this.path, this.line(lx.start), EXPECTED[name]);
        items.push(item);
        lx.next();
        if (lx.isPunct(']')) return items;
        if (!lx.isPunct(',')) throw headerError(this.path, this.line(lx.start), EXPECTED[name]);
      }
    }
    throw headerError(this.path, this.line(lx.start), EXPECTED[name]);
  }

  /** The current token's value when it is a string literal, else undefined. */
  private readString(): string | undefined {
    const lx = this.lexer;
    if (lx.at(TEMPLATE_HEAD)) {
      throw headerError(
        this.path,
        this.line(lx.start),
        `a template literal with \${…} is computed when the file runs; ${NOT_RUN}`,
      );
    }
    if (!lx.at(STRING) && !lx.at(TEMPLATE)) return undefined;
    const value = lx.unterminated ? undefined : decodeStringLiteral(this.text, lx.start, lx.end);
    if (value === undefined) {
      throw headerError(this.path, this.line(lx.start), 'this string literal is malformed or not closed.');
    }
    return value;
  }

  private checkValue(name: HeaderName, value: Literal, offset: number): void {
    const ok =
      name === 'revision'
        ? typeof value === 'string'
        : name === 'transaction'
          ? typeof value === 'boolean'
          : typeof value !== 'boolean';
    if (!ok) throw headerError(this.path, this.line(offset), EXPECTED[name]);
    if (name === 'revision' || name === 'downRevision') {
      if (typeof value === 'string') this.checkId(value, offset);
      else if (Array.isArray(value)) for (const id of value) this.checkId(id, offset);
    }
  }

  private checkId(id: string, offset: number): void {
    try {
      validateRevisionId(id);
    } catch (error) {
      if (!(error instanceof AmbixError)) throw error;
      throw headerError(this.path, this.line(offset), error.message, error.hint, error.code);
    }
  }

  private line(offset: number): number {
    return lineAt(this.text, offset);
  }
}
