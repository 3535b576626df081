import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError } from '../errors.js';
import type { RevisionMap } from '../graph/index.js';
import { type DatabaseOptions, readHeads, withDatabase } from '../runtime/database.js';
import { firstLineOf } from '../runtime/progress.js';
import { loadProject } from './project.js';

export interface CurrentOptions extends DatabaseOptions {
  /** Throw NOT_UP_TO_DATE unless the database is at the heads of the migration files. */
  readonly checkHeads?: boolean;
}

/** One row of the version table, with what the migration files say about it. */
export interface CurrentHead {
  readonly id: string;
  /** The migration's message; null when it has none or no file has this revision. */
  readonly message: string | null;
  /** A head of the migration files (nothing builds on it). */
  readonly isHead: boolean;
  /** False when no migration file has this revision. */
  readonly known: boolean;
}

export interface CurrentResult {
  /** The database, password masked. */
  readonly url: string;
  /** The version table's rows (empty for a database at base). */
  readonly heads: readonly CurrentHead[];
  /** Whether the rows are exactly the heads of the migration files. */
  readonly atHeads: boolean;
}

/** The database's current revisions (the version table's rows). Reads only; takes no lock. */
export async function current(config: ResolvedConfig, options: CurrentOptions = {}): Promise<CurrentResult> {
  const project = await loadProject(config);
  const result = await withDatabase(
    config,
    options,
    { lock: false, ensureTables: false },
    async (context) => {
      const heads = await readHeads(context, project.map);
      return {
        url: context.session.url,
        heads: heads.map((id) => describeHead(project.map, id, project.scriptOf)),
        atHeads: sameSet(heads, project.map.realHeads),
      };
    },
  );
  if (options.checkHeads === true && !result.atHeads) throw notAtHeads(project.map, result.heads);
  return result;
}

export function describeHead(
  map: RevisionMap,
  id: string,
  scriptOf: (id: string) => { readonly message?: string },
): CurrentHead {
  const revision = map.get(id);
  return Object.freeze({
    id,
    message: revision === undefined ? null : firstLineOf(scriptOf(id).message),
    isHead: revision?.isRealHead ?? false,
    known: revision !== undefined,
  });
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((id) => left.has(id));
}

function notAtHeads(map: RevisionMap, heads: readonly CurrentHead[]): AmbixError {
  const at = heads.length === 0 ? 'base (empty)' : heads.map((head) => head.id).join(', ');
  return new AmbixError(
    'NOT_UP_TO_DATE',
    `The database is at ${at}, not at the head revisions (${map.realHeads.join(', ') || 'none'}).`,
    {
      hint: "Run 'ambix status' to see what is pending, and 'ambix upgrade heads' to apply it.",
      details: { current: heads.map((head) => head.id), heads: [...map.realHeads] },
    },
  );
}
