import { AmbixError } from '../errors.js';
import { headerError } from './header-error.js';
import { validateRevisionId } from './revision-id.js';
import type { MigrationScript } from './script.js';
import { skimSql } from './sql-lexer.js';

/** One section of a SQL migration. */
export interface SqlSection {
  /** The text between the section's marker line and the next marker (or the end of the file). */
  readonly sql: string;
  /** 1-based line of the file where `sql` starts; pass it as `firstLine` to splitSqlStatements. */
  readonly line: number;
}

export interface SqlMigration {
  readonly header: MigrationScript;
  readonly upgrade: SqlSection;
  /** Null when the file has no `-- ambix:downgrade` section. */
  readonly downgrade: SqlSection | null;
}

type HeaderDirective =
  | 'revision'
  | 'down-revision'
  | 'branch-labels'
  | 'depends-on'
  | 'message'
  | 'create-date'
  | 'transaction';

const HEADER_DIRECTIVES: ReadonlySet<string> = new Set<HeaderDirective>([
  'revision',
  'down-revision',
  'branch-labels',
  'depends-on',
  'message',
  'create-date',
  'transaction',
]);
const KNOWN = [...HEADER_DIRECTIVES, 'upgrade', 'downgrade'].map((name) => `ambix:${name}`).join(', ');

// A directive is a line comment that starts its line: `-- ambix:name value`.
const DIRECTIVE = /^--[ \t]*ambix:(\S*)(.*)$/s;

interface Directive {
  readonly name: string;
  readonly value: string;
  readonly line: number;
  /** Offset of the start of the directive's line. */
  readonly lineStart: number;
  /** Offset just after the directive's line (after its line break). */
  readonly nextLine: number;
}

/**
 * Reads a SQL migration: the `-- ambix:` header directives and the upgrade and downgrade sections. Directives are
 * only recognized in line comments that start a line outside strings and dollar-quoted bodies, so a function body
 * that mentions `-- ambix:downgrade` is left alone.
 */
export function parseSqlMigration(path: string, text: string): SqlMigration {
  const parsed = parse(path, text);
  if (parsed === null) {
    throw headerError(path, 1, "missing '-- ambix:revision <id>'; this file has no ambix header.");
  }
  return parsed;
}

/** The header of a SQL migration, or null for a .sql file with no `-- ambix:` directive at all. */
export function readSqlHeader(path: string, text: string): MigrationScript | null {
  return parse(path, text)?.header ?? null;
}

function parse(path: string, text: string): SqlMigration | null {
  const { directives, codeBeforeUpgrade } = findDirectives(text);
  if (directives.length === 0) return null;

  const header = new Map<HeaderDirective, Directive>();
  let upgrade: Directive | undefined;
  let downgrade: Directive | undefined;
  for (const directive of directives) {
    const { name, line } = directive;
    if (name === 'upgrade' || name === 'downgrade') {
      if (directive.value !== '') {
        throw headerError(
          path,
          line,
          `'-- ambix:${name}' takes no value; put the SQL on the lines below it.`,
        );
      }
      if ((name === 'upgrade' ? upgrade : downgrade) !== undefined) {
        throw headerError(path, line, `'-- ambix:${name}' appears twice.`);
      }
      if (name === 'downgrade' && upgrade === undefined) {
        throw headerError(path, line, "'-- ambix:downgrade' must come after '-- ambix:upgrade'.");
      }
      if (name === 'upgrade') upgrade = directive;
      else downgrade = directive;
    } else if (HEADER_DIRECTIVES.has(name)) {
      if (upgrade !== undefined) {
        throw headerError(path, line, `'-- ambix:${name}' must come before '-- ambix:upgrade'.`);
      }
      const previous = header.get(name as HeaderDirective);
      if (previous !== undefined) {
        throw headerError(path, line, `'-- ambix:${name}' appears twice (first on line ${previous.line}).`);
      }
      header.set(name as HeaderDirective, directive);
    } else {
      throw headerError(path, line, `unknown directive '-- ambix:${name}'; known directives: ${KNOWN}.`);
    }
  }

  const revision = header.get('revision');
  if (revision === undefined) {
    throw headerError(path, directives[0]!.line, "missing '-- ambix:revision <id>'.");
  }
  const lastHeader = [...header.values()].reduce((a, b) => (b.line > a.line ? b : a));
  if (upgrade === undefined) {
    throw headerError(
      path,
      lastHeader.line,
      "missing '-- ambix:upgrade'; put it on its own line after the header, followed by the upgrade SQL.",
    );
  }
  if (codeBeforeUpgrade !== undefined) {
    throw headerError(
      path,
      codeBeforeUpgrade,
      "SQL before '-- ambix:upgrade' would never run; move it below the marker.",
    );
  }

  const id = requireValue(path, revision);
  checkId(path, revision.line, id);
  const downRevision = header.get('down-revision');
  const downRevisions = downRevision === undefined ? [] : list(downRevision.value);
  for (const parent of downRevisions) checkId(path, downRevision!.line, parent);
  const transaction = header.get('transaction');
  const message = header.get('message')?.value;
  const createDate = header.get('create-date')?.value;
  const doc = leadingComments(text, directives[0]!.lineStart);

  const script: MigrationScript = Object.freeze({
    id,
    downRevisions: Object.freeze(downRevisions),
    branchLabels: Object.freeze(list(header.get('branch-labels')?.value ?? '')),
    dependsOn: Object.freeze(list(header.get('depends-on')?.value ?? '')),
    source: path,
    path,
    format: 'sql',
    transaction: transaction === undefined ? true : readBoolean(path, transaction),
    ...(message ? { message } : {}),
    ...(createDate ? { createDate } : {}),
    ...(doc === '' ? {} : { doc }),
  });
  return Object.freeze({
    header: script,
    upgrade: section(text, upgrade, downgrade),
    downgrade: downgrade === undefined ? null : section(text, downgrade, undefined),
  });
}

/** The directive comments, and the line of the first SQL above the upgrade marker if there is any. */
function findDirectives(text: string): { directives: Directive[]; codeBeforeUpgrade: number | undefined } {
  const directives: Directive[] = [];
  let codeBeforeUpgrade: number | undefined;
  let upgradeSeen = false;
  let line = 1;
  let counted = 0;
  const lineOf = (offset: number): number => {
    for (let index = text.indexOf('\n', counted); index !== -1 && index < offset; ) {
      line += 1;
      index = text.indexOf('\n', index + 1);
    }
    counted = offset;
    return line;
  };

  skimSql(
    text,
    (start, end) => {
      if (!startsLine(text, start)) return;
      const match = DIRECTIVE.exec(text.slice(start, end));
      if (match === null) return;
      const name = match[1]!;
      const lineBreak = text.indexOf('\n', end);
      directives.push({
        name,
        value: match[2]!.trim(),
        line: lineOf(start),
        lineStart: text.lastIndexOf('\n', start) + 1,
        nextLine: lineBreak === -1 ? text.length : lineBreak + 1,
      });
      if (name === 'upgrade') upgradeSeen = true;
    },
    (start) => {
      if (!upgradeSeen && codeBeforeUpgrade === undefined) codeBeforeUpgrade = lineOf(start);
    },
  );
  return { directives, codeBeforeUpgrade };
}

/** Only spaces and tabs stand between the start of the line and `offset`. */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i -= 1) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 0xa0 && c !== 0xfeff) return false;
  }
  return true;
}

function section(text: string, marker: Directive, next: Directive | undefined): SqlSection {
  return Object.freeze({
    sql: text.slice(marker.nextLine, next === undefined ? text.length : next.lineStart),
    line: marker.line + 1,
  });
}

/** Plain comment lines above the first directive, as the file's documentation. */
function leadingComments(text: string, end: number): string {
  return text
    .slice(0, end)
    .split(/\r?\n/)
    .map((line) => /^\s*--\s?(.*)$/s.exec(line)?.[1]?.trimEnd())
    .filter((line): line is string => line !== undefined)
    .join('\n')
    .trim();
}

function list(value: string): string[] {
  if (value === '' || value.toLowerCase() === 'none') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function requireValue(path: string, directive: Directive): string {
  if (directive.value === '') {
    throw headerError(path, directive.line, `'-- ambix:${directive.name}' needs a value.`);
  }
  return directive.value;
}

function readBoolean(path: string, directive: Directive): boolean {
  const value = directive.value.toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw headerError(
    path,
    directive.line,
    `'-- ambix:transaction' must be true or false, not '${directive.value}'.`,
  );
}

function checkId(path: string, line: number, id: string): void {
  try {
    validateRevisionId(id);
  } catch (error) {
    if (!(error instanceof AmbixError)) throw error;
    throw headerError(path, line, error.message, error.hint, error.code);
  }
}
