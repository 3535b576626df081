import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError } from '../errors.js';
import { planUpgrade } from '../graph/index.js';
import { type DatabaseOptions, readHeads, withDatabase } from '../runtime/database.js';
import { firstLineOf } from '../runtime/progress.js';
import { loadProject } from './project.js';

export type AssertUpToDateOptions = DatabaseOptions;

export interface UpToDateResult {
  /** The version table's rows: the heads of the migration files. */
  readonly heads: readonly string[];
}

/**
 * For application start-up: resolves when every migration file is applied, throws NOT_UP_TO_DATE naming the
 * pending revisions otherwise. Reads only; takes no lock.
 *
 * @throws AmbixError NOT_UP_TO_DATE, UNKNOWN_REVISION (the database is at a revision no file has: newer code
 *   migrated it), CONNECTION_FAILED
 */
export async function assertUpToDate(
  config: ResolvedConfig,
  options: AssertUpToDateOptions = {},
): Promise<UpToDateResult> {
  const project = await loadProject(config);
  const heads = await withDatabase(config, options, { lock: false, ensureTables: false }, (context) =>
    readHeads(context, project.map),
  );
  const pending = planUpgrade(project.map, heads, 'heads').map((step) => step.revision.id);
  if (pending.length > 0) {
    const named = pending.map((id) => {
      const message = firstLineOf(project.scriptOf(id).message);
      return message === null ? id : `${id} (${message})`;
    });
    throw new AmbixError(
      'NOT_UP_TO_DATE',
      `The database is not up to date: ${pending.length} migration${pending.length === 1 ? ' is' : 's are'} pending: ${named.join(', ')}.`,
      {
        hint: "Run 'ambix upgrade heads' (as a deployment step, before the application starts).",
        details: { pending, heads },
      },
    );
  }
  return { heads };
}
