import { AmbixError } from '../errors.js';
import { escapeCommentText, normalizeMessage } from './doc-comment.js';
import { validateRevisionId } from './revision-id.js';

/** What a new migration file says about itself. */
export interface MigrationContents {
  readonly id: string;
  /** The `-m` text; line breaks become spaces (see normalizeMessage). */
  readonly message?: string | undefined;
  /** Parents: none for a root, several for a merge. */
  readonly downRevisions: readonly string[];
  readonly branchLabels?: readonly string[] | undefined;
  readonly dependsOn?: readonly string[] | undefined;
  /** As written in the header, e.g. formatCreateDate(now, timezone). */
  readonly createDate: string;
  /** False for a migration that must run outside a transaction. Default true. */
  readonly transaction?: boolean | undefined;
  /** Body of upgrade() (TypeScript) or the upgrade section (SQL), unindented; a placeholder when absent. */
  readonly upgradeBody?: string | undefined;
  readonly downgradeBody?: string | undefined;
  /** TypeScript only: import lines added after `import type { Operations } from 'ambix';`. */
  readonly imports?: readonly string[] | undefined;
}

const TS_UPGRADE_PLACEHOLDER = "// Describe the change here, e.g. op.addColumn('users', ...).";
const TS_DOWNGRADE_PLACEHOLDER = '// Undo what upgrade() does.';
const SQL_UPGRADE_PLACEHOLDER = '-- Write the upgrade SQL here.';
const SQL_DOWNGRADE_PLACEHOLDER = '-- Write the SQL that undoes the upgrade here.';

/** The text of a new TypeScript migration; readTsHeader reads the same header back. */
export function renderTsMigration(contents: MigrationContents): string {
  checkIds(contents);
  const message = normalizeMessage(contents.message);
  const docLines = [
    ...(message === '' ? [] : [message, '']),
    `Revision ID: ${contents.id}`,
    contents.downRevisions.length === 0 ? 'Revises:' : `Revises: ${contents.downRevisions.join(', ')}`,
    `Create Date: ${oneLine(contents.createDate).trim()}`,
  ];
  const doc = [
    '/**',
    ...docLines.map((line) => (line === '' ? ' *' : ` * ${escapeCommentText(line)}`)),
    ' */',
  ];
  const imports = unique(["import type { Operations } from 'ambix';", ...(contents.imports ?? [])]);
  const parents = contents.downRevisions;
  const lines = [
    ...doc,
    ...imports,
    '',
    `export const revision = ${quote(contents.id)};`,
    `export const downRevision = ${parents.length === 1 ? quote(parents[0]!) : listOrNull(parents)};`,
    `export const branchLabels = ${listOrNull(contents.branchLabels ?? [])};`,
    `export const dependsOn = ${listOrNull(contents.dependsOn ?? [])};`,
    ...(contents.transaction === false ? ['export const transaction = false;'] : []),
    '',
    'export async function upgrade(op: Operations): Promise<void> {',
    ...indent(contents.upgradeBody, TS_UPGRADE_PLACEHOLDER),
    '}',
    '',
    'export async function downgrade(op: Operations): Promise<void> {',
    ...indent(contents.downgradeBody, TS_DOWNGRADE_PLACEHOLDER),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** The text of a new SQL migration; parseSqlMigration reads the same header back. */
export function renderSqlMigration(contents: MigrationContents): string {
  checkIds(contents);
  for (const parent of contents.downRevisions) checkSqlListItem('parent revision', parent);
  const labels = contents.branchLabels ?? [];
  const dependsOn = contents.dependsOn ?? [];
  for (const label of labels) checkSqlListItem('branch label', label);
  for (const dependency of dependsOn) checkSqlListItem('dependency', dependency);
  const message = normalizeMessage(contents.message);
  const createDate = oneLine(contents.createDate).trim();
  const lines = [
    `-- ambix:revision ${contents.id}`,
    `-- ambix:down-revision ${contents.downRevisions.length === 0 ? 'none' : contents.downRevisions.join(', ')}`,
    ...(labels.length === 0 ? [] : [`-- ambix:branch-labels ${labels.join(', ')}`]),
    ...(dependsOn.length === 0 ? [] : [`-- ambix:depends-on ${dependsOn.join(', ')}`]),
    ...(message === '' ? [] : [`-- ambix:message ${message}`]),
    ...(createDate === '' ? [] : [`-- ambix:create-date ${createDate}`]),
    ...(contents.transaction === false ? ['-- ambix:transaction false'] : []),
    '',
    '-- ambix:upgrade',
    body(contents.upgradeBody, SQL_UPGRADE_PLACEHOLDER),
    '',
    '-- ambix:downgrade',
    body(contents.downgradeBody, SQL_DOWNGRADE_PLACEHOLDER),
  ];
  return `${lines.join('\n')}\n`;
}

function checkIds(contents: MigrationContents): void {
  validateRevisionId(contents.id);
  for (const parent of contents.downRevisions) validateRevisionId(parent);
}

/** SQL headers are comma-separated lists on one line, with `none` meaning an empty list. */
function checkSqlListItem(what: string, value: string): void {
  if (value === '' || value !== value.trim() || /[,\r\n]/.test(value) || value.toLowerCase() === 'none') {
    throw new AmbixError(
      'INVALID_IDENTIFIER',
      `The ${what} '${value}' cannot be written in a SQL migration header.`,
      {
        hint: "Use a name without commas, line breaks or surrounding spaces, other than 'none'.",
        details: { value },
      },
    );
  }
}

/** A single-quoted TypeScript string literal; anything that is not plain printable text is escaped. */
function quote(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    const pairedHigh = c >= 0xd800 && c <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1));
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (pairedHigh) {
      out += value.slice(i, i + 2);
      i += 1;
    } else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += value[i];
  }
  return `${out}'`;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function listOrNull(values: readonly string[]): string {
  return values.length === 0 ? 'null' : `[${values.map(quote).join(', ')}]`;
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

function oneLine(text: string): string {
  return text.replace(/\s*(?:\r\n|[\n\r\u2028\u2029])\s*/g, ' ');
}

function indent(code: string | undefined, placeholder: string): string[] {
  return indentCode(body(code, placeholder)).split('\n');
}

/** TypeScript code indented one level (two spaces), blank lines left empty. */
export function indentCode(code: string): string {
  const lines = code.split('\n');
  const continues = templateContinuations(lines);
  // A line that continues a template literal is part of a string: indenting it would change the string.
  return lines.map((line, i) => (continues[i] ? line : line.trim() === '' ? '' : `  ${line}`)).join('\n');
}

/**
 * For each line, whether it starts inside a template literal (a multi-line SQL string). A small lexer over the
 * code: strings, template literals and their `${…}` parts, and line comments.
 */
function templateContinuations(lines: readonly string[]): boolean[] {
  const result: boolean[] = [];
  // The stack of open contexts: 'template', or 'code' for a `${` inside a template (with its brace depth).
  const stack: { kind: 'template' | 'code'; braces: number }[] = [];
  for (const line of lines) {
    result.push(stack.at(-1)?.kind === 'template');
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const char = line[i]!;
      const top = stack.at(-1);
      if (top?.kind === 'template') {
        if (char === '\\') i++;
        else if (char === '`') stack.pop();
        else if (char === '$' && line[i + 1] === '{') {
          stack.push({ kind: 'code', braces: 0 });
          i++;
        }
        continue;
      }
      if (quote !== undefined) {
        if (char === '\\') i++;
        else if (char === quote) quote = undefined;
        continue;
      }
      if (char === '/' && line[i + 1] === '/') break;
      if (char === "'" || char === '"') quote = char;
      else if (char === '`') stack.push({ kind: 'template', braces: 0 });
      else if (top?.kind === 'code' && char === '{') top.braces++;
      else if (top?.kind === 'code' && char === '}') {
        if (top.braces === 0) stack.pop();
        else top.braces--;
      }
    }
  }
  return result;
}

function body(code: string | undefined, placeholder: string): string {
  const text = code?.replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
  return text === undefined || text === '' ? placeholder : text;
}
