import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError } from '../errors.js';
import { type DatabaseOptions, withDatabase } from '../runtime/database.js';
import type { SchemaModel } from '../schema/model.js';
import { renderSchemaModule } from '../schema/pull.js';
import { introspectOptions } from './schema-diff.js';

export interface SchemaPullOptions extends DatabaseOptions {
  /** Write the module to this file (relative to the config's folder); without it, the text is only returned. */
  readonly out?: string;
  /** Replace an existing file. */
  readonly force?: boolean;
}

export interface SchemaPullResult {
  /** The `ambix/schema` module's text. */
  readonly text: string;
  /** The file written, when `out` was given. */
  readonly path: string | undefined;
  /** What was read: counts of each kind of object. */
  readonly counts: Readonly<Record<string, number>>;
  /** The database read, password masked. */
  readonly url: string;
}

/**
 * `ambix schema pull`: an `ambix/schema` module that declares the database's schema as it is, so a project whose
 * database was built by hand (an `init.sql`) adopts autogenerate: point `schema` at the file, then
 * `revision --autogenerate --from-empty` writes the migration that builds it from nothing.
 */
export async function schemaPull(
  config: ResolvedConfig,
  options: SchemaPullOptions = {},
): Promise<SchemaPullResult> {
  return withDatabase(config, options, { lock: false, ensureTables: false }, async (context) => {
    const filters = await introspectOptions(config, context);
    const model = await context.dialect.introspector.introspect(context.session.connection, filters);
    const text = renderSchemaModule(model, {
      header: `The schema of ${context.session.url}, as \`ambix schema pull\` read it.`,
      defaultSchema: context.dialect.defaultSchema,
    });
    let path: string | undefined;
    if (options.out !== undefined) {
      path = resolve(config.cwd, options.out);
      await mkdir(dirname(path), { recursive: true });
      try {
        await writeFile(path, text, { flag: options.force === true ? 'w' : 'wx' });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'EEXIST') {
          throw new AmbixError('SCRIPT_EXISTS', `${options.out} already exists.`, {
            hint: 'Choose another --out, or pass --force to replace it.',
            details: { path },
          });
        }
        throw error;
      }
    }
    return { text, path, counts: countsOf(model), url: context.session.url };
  });
}

function countsOf(model: SchemaModel): Record<string, number> {
  return {
    tables: model.tables.length,
    views: model.views.length,
    enums: model.enums.length,
    domains: model.domains.length,
    sequences: model.sequences.length,
    functions: model.functions.length,
    triggers: model.triggers.length,
    extensions: model.extensions.length,
    others: model.others.length,
  };
}
