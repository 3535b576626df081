import { readFile } from 'node:fs/promises';
import { evaluateTypeScript } from '../config/load-config.js';
import { AmbixError } from '../errors.js';
import type { MigrationModule, Operations } from '../operations/operations.js';
import type { MigrationScript } from '../scripts/script.js';
import { parseSqlMigration } from '../scripts/sql-migration.js';
import { splitSqlStatements } from '../scripts/sql-statements.js';
import { migrationChecksum } from './checksum.js';

/** A migration ready to run: its two directions as functions of `op`, and the checksum of its file. */
export interface LoadedMigration {
  readonly script: MigrationScript;
  readonly checksum: string;
  /** False when the migration must run outside a transaction. */
  readonly transaction: boolean;
  upgrade(op: Operations): Promise<void>;
  downgrade(op: Operations): Promise<void>;
}

/**
 * Imports one migration file (TypeScript through jiti, SQL by splitting its sections into statements). Only the
 * files a run needs are loaded; the header was already read statically.
 */
export async function loadMigration(script: MigrationScript): Promise<LoadedMigration> {
  const text = await readMigrationText(script.path);
  const checksum = migrationChecksum(text);
  if (script.format === 'sql') return loadSqlMigration(script, text, checksum);

  let module: Partial<MigrationModule>;
  try {
    // The code that runs is the text whose checksum is recorded, even if the file changes meanwhile.
    module = (await evaluateTypeScript(script.path, text)) as Partial<MigrationModule>;
  } catch (error) {
    throw new AmbixError(
      'SCRIPT_HEADER',
      `Could not load ${script.path}${location(script.path, error)}: ${firstLine(error).trim()}`,
      {
        hint: 'Fix the error in the migration file (run with --debug for the stack trace).',
        cause: error,
        details: { path: script.path, revision: script.id },
      },
    );
  }
  for (const name of ['upgrade', 'downgrade'] as const) {
    if (typeof module[name] !== 'function') {
      throw new AmbixError('SCRIPT_HEADER', `${script.path} does not export an ${name}() function.`, {
        hint: `Add \`export async function ${name}(op: Operations): Promise<void> { … }\`.`,
        details: { path: script.path, revision: script.id },
      });
    }
  }
  return {
    script,
    checksum,
    transaction: script.transaction,
    upgrade: async (op) => {
      await module.upgrade!(op);
    },
    downgrade: async (op) => {
      await module.downgrade!(op);
    },
  };
}

function loadSqlMigration(script: MigrationScript, text: string, checksum: string): LoadedMigration {
  const parsed = parseSqlMigration(script.path, text);
  const statements = (section: { sql: string; line: number } | null) =>
    section === null ? [] : splitSqlStatements(section.sql, { firstLine: section.line });
  const up = statements(parsed.upgrade);
  const down = statements(parsed.downgrade);
  return {
    script,
    checksum,
    transaction: script.transaction,
    upgrade: async (op) => {
      for (const statement of up) await op.execute(statement.sql);
    },
    downgrade: async (op) => {
      if (parsed.downgrade === null) {
        throw new AmbixError('SCRIPT_HEADER', `${script.path} has no '-- ambix:downgrade' section.`, {
          hint: 'Add one with the SQL that undoes the upgrade (it may be empty if nothing needs undoing).',
          details: { path: script.path, revision: script.id },
        });
      }
      for (const statement of down) await op.execute(statement.sql);
    },
  };
}

async function readMigrationText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AmbixError('SCRIPT_IO', `Cannot read ${path}: ${firstLine(error)}`, {
      cause: error,
      details: { path },
    });
  }
}

/** `:line:column` when the compiler's message gives the position in `path`, else nothing. */
function location(path: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  for (const line of text.split('\n').slice(1)) {
    const trimmed = line.trim();
    if (trimmed.startsWith(`${path}:`) && /^:\d+:\d+$/.test(trimmed.slice(path.length))) {
      return trimmed.slice(path.length);
    }
  }
  return '';
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
