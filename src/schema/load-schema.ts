import { relative } from 'node:path';
import { importTypeScript } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Dialect } from '../dialects/dialect.js';
import { AmbixError } from '../errors.js';
import { drizzleModel, isDrizzleValue } from './drizzle.js';
import { isDeclaration } from './dsl/objects.js';
import type { DeclaredSchema } from './dsl/to-model.js';

/**
 * The declared schema of a project: the modules of the `schema` setting loaded (afresh, so a long-lived process
 * sees edits), every `ambix/schema` declaration they export collected, and the schema model built from them.
 * Exports may be declarations, or arrays and plain objects of them (`export default [users, posts]`); Drizzle
 * `pg-core` tables, enums and views are read through Drizzle's API, so Drizzle users declare their schema once.
 */
export async function loadDeclaredSchema(
  config: ResolvedConfig,
  dialect: Pick<Dialect, 'name' | 'renderer' | 'defaultSchema'>,
): Promise<DeclaredSchema> {
  if (config.schema.length === 0) {
    throw new AmbixError(
      'CONFIG_INVALID',
      'No schema is configured: autogenerate has nothing to compare the database with.',
      {
        hint: "Set schema in ambix.config.ts to your schema module, e.g. schema: './src/db/schema.ts' (or run 'ambix schema pull' to write one from the database).",
      },
    );
  }
  const values = new Set<unknown>();
  for (const path of config.schema) {
    const shown = relative(config.cwd, path) || path;
    let module: unknown;
    try {
      module = await importTypeScript(path, { fresh: true });
    } catch (error) {
      if (error instanceof AmbixError) throw error;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      const missing =
        (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String(reason).includes(path);
      throw new AmbixError(
        'SCHEMA_INVALID',
        missing
          ? `The schema module ${shown} does not exist.`
          : `Could not load the schema module ${shown}: ${reason}`,
        {
          hint: missing
            ? 'Check the schema setting in ambix.config.ts.'
            : 'Fix the error in the schema module (run with --debug for the stack trace).',
          details: { path },
          cause: error,
        },
      );
    }
    collect(module, values, 0);
  }
  if (values.size === 0) {
    throw new AmbixError(
      'SCHEMA_INVALID',
      `The schema module${config.schema.length > 1 ? 's' : ''} ${config.schema.map((p) => relative(config.cwd, p) || p).join(', ')} export${config.schema.length > 1 ? '' : 's'} no table or other declaration.`,
      {
        hint: "Export what you declare: export const users = table('users', { … }).",
      },
    );
  }
  const postgres = dialect.name === 'postgres' || dialect.name === 'pglite';
  return drizzleModel([...values], {
    renderer: dialect.renderer,
    defaultSchema: dialect.defaultSchema,
    // SQLite and MySQL have no sequences: a serial column is numbered by the table (AUTO_INCREMENT, the rowid).
    serial: postgres ? 'sequence' : 'identity',
  });
}

/** The `ambix/schema` declarations and Drizzle objects among a module's exports. */
function collect(value: unknown, into: Set<unknown>, depth: number): void {
  if (isDeclaration(value) || isDrizzleValue(value)) {
    into.add(value);
    return;
  }
  // Drizzle's own objects hold tables too (relations, columns): only plain containers are looked into.
  if (depth > 2 || value === null || typeof value !== 'object') return;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    if ((value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] !== 'Module') return;
  }
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  for (const item of items) collect(item, into, depth + 1);
}
