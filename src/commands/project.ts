import type { ResolvedConfig } from '../config/resolve-config.js';
import { buildRevisionMap, type Revision, type RevisionMap } from '../graph/index.js';
import { defaultCacheDir } from '../scripts/cache.js';
import { scanMigrations } from '../scripts/scan.js';
import type { MigrationScript } from '../scripts/script.js';

/** The migration files of a configuration and the revision graph they form. */
export interface Project {
  readonly config: ResolvedConfig;
  readonly scripts: readonly MigrationScript[];
  readonly map: RevisionMap;
  /** The file of a revision in the map. */
  scriptOf(revision: Revision | string): MigrationScript;
}

/** Reads every migration header (without running any file) and builds the graph. */
export async function loadProject(config: ResolvedConfig): Promise<Project> {
  const scripts = await scanMigrations(config.migrations, {
    recursive: config.recursive,
    cacheDir: defaultCacheDir(config.cwd),
  });
  const map = buildRevisionMap(scripts);
  const byId = new Map(scripts.map((script) => [script.id, script]));
  return Object.freeze({
    config,
    scripts,
    map,
    scriptOf(revision: Revision | string): MigrationScript {
      const id = typeof revision === 'string' ? revision : revision.id;
      const script = byId.get(id);
      if (script === undefined) throw new Error(`internal: revision ${id} has no script`);
      return script;
    },
  });
}
