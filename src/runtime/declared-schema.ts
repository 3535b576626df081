import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Dialect } from '../dialects/dialect.js';
import { type RevisionMap, resolveRevisions } from '../graph/index.js';
import { loadDeclaredSchema } from '../schema/load-schema.js';
import type { OfflineExecutorOptions } from './executor.js';

/**
 * What an offline run may take from the project's schema module: its tables, as the definitions of the tables
 * after the last migration, when the run ends there (an upgrade whose target is every head) and a module is
 * configured. A downgrade, or an upgrade to an earlier revision, ends elsewhere: there the module describes another
 * state than the run's, and a table rebuild must be given its table (a batch's `existing`).
 */
export function declaredSchemaOfRun(
  config: ResolvedConfig,
  dialect: Pick<Dialect, 'name' | 'renderer' | 'defaultSchema'>,
  map: RevisionMap,
  direction: 'up' | 'down',
  target: string,
): OfflineExecutorOptions {
  const defaults = { defaultSchema: dialect.defaultSchema };
  if (direction !== 'up' || config.schema.length === 0) return defaults;
  const ends = resolveRevisions(map, target).map((revision) => revision.id);
  if (!map.heads.every((head) => ends.includes(head))) return defaults;
  return {
    ...defaults,
    declaredSchema: async () => (await loadDeclaredSchema(config, dialect)).model,
  };
}
