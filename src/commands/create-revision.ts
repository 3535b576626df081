import { readFile } from 'node:fs/promises';
import { normalize, resolve, sep } from 'node:path';
import { AmbixError } from '../errors.js';
import { buildRevisionMap, type RevisionInput } from '../graph/index.js';
import { formatCreateDate } from '../scripts/date-parts.js';
import { renderFileName, slugify } from '../scripts/file-name.js';
import { renderSqlMigration, renderTsMigration } from '../scripts/render.js';
import { generateRevisionId, validateRevisionId } from '../scripts/revision-id.js';
import { readSqlHeader } from '../scripts/sql-migration.js';
import { readTsHeader } from '../scripts/ts-header.js';
import { runPostWriteHooks, writeMigrationFile } from '../scripts/write.js';
import type { Project } from './project.js';
import { type RevisionSummary, summarize } from './summary.js';

export interface NewRevision {
  readonly message: string | undefined;
  readonly parents: readonly string[];
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
  readonly revId: string | undefined;
  readonly versionPath: string | undefined;
  readonly format: 'ts' | 'sql' | undefined;
  readonly now: Date | undefined;
  /** Bodies of upgrade() and downgrade() (TypeScript) or the SQL sections; placeholders when absent. */
  readonly upgrade?: string;
  readonly downgrade?: string;
  /** TypeScript only: import lines the bodies need. */
  readonly imports?: readonly string[];
}

export interface CreatedRevision {
  readonly revision: RevisionSummary;
  /** Absolute path of the new file. */
  readonly path: string;
}

/**
 * Writes a new migration file. The graph is checked with the new revision in it before anything is written, so a
 * bad label or id leaves no file behind.
 */
export async function createRevision(project: Project, spec: NewRevision): Promise<CreatedRevision> {
  const { config, map } = project;
  const id = spec.revId ?? generateRevisionId();
  validateRevisionId(id);
  const existing = map.get(id);
  if (existing !== undefined) {
    throw new AmbixError(
      'DUPLICATE_REVISION',
      `Revision id ${id} is already used by ${project.scriptOf(existing).path}.`,
      {
        hint: 'Choose another --rev-id, or leave it out for a random one.',
        details: { id },
      },
    );
  }
  const input: RevisionInput = {
    id,
    downRevisions: spec.parents,
    branchLabels: spec.branchLabels,
    dependsOn: spec.dependsOn,
    message: spec.message,
  };
  buildRevisionMap([...project.scripts, input]);

  const directory = chooseVersionLocation(project, spec);
  const now = spec.now ?? new Date();
  const format = spec.format ?? config.revisionFormat;
  const createDate = formatCreateDate(now, config.timezone);
  const contents = {
    id,
    message: spec.message,
    downRevisions: spec.parents,
    branchLabels: spec.branchLabels,
    dependsOn: spec.dependsOn,
    createDate,
    upgradeBody: spec.upgrade,
    downgradeBody: spec.downgrade,
    imports: spec.imports,
  };
  const text = format === 'sql' ? renderSqlMigration(contents) : renderTsMigration(contents);
  const fileName = `${renderFileName(config.fileTemplate, {
    rev: id,
    slug: slugify(spec.message ?? '', config.truncateSlugLength),
    date: now,
    timezone: config.timezone,
  })}.${format}`;
  const path = await writeMigrationFile({ directory, fileName, text });
  await runPostWriteHooks(config.postWriteHooks, path, config.cwd);

  // Read the file back as every later command will, so a hook that broke the header is caught now.
  const written = await readFile(path, 'utf8');
  const script = format === 'sql' ? readSqlHeader(path, written) : readTsHeader(path, written);
  if (script === null || script.id !== id) {
    throw new AmbixError(
      'SCRIPT_HEADER',
      `${path} no longer declares revision ${id} after the post-write hooks ran.`,
      {
        hint: 'Check the postWriteHooks in the config; they must keep the header intact.',
      },
    );
  }
  const after = buildRevisionMap([...project.scripts, script]);
  const revision = after.get(id)!;
  const projectAfter: Project = {
    ...project,
    scripts: [...project.scripts, script],
    map: after,
    scriptOf: (r) => ((typeof r === 'string' ? r : r.id) === id ? script : project.scriptOf(r)),
  };
  return { revision: summarize(projectAfter, revision), path };
}

/**
 * Where the new file goes: `--version-path` (which must be a configured location), else the only location, else
 * the folder of the first parent's file (as Alembic does).
 */
function chooseVersionLocation(project: Project, spec: NewRevision): string {
  const { config } = project;
  if (spec.versionPath !== undefined) {
    const wanted = normalize(resolve(config.cwd, spec.versionPath));
    const inside = config.migrations.some((location) => {
      const known = normalize(location);
      return wanted === known || (config.recursive && wanted.startsWith(known + sep));
    });
    if (!inside) {
      throw new AmbixError('CONFIG_INVALID', `${spec.versionPath} is not a configured version location.`, {
        hint: `Configured: ${config.migrations.join(', ')}. Add it to 'migrations' in the config.`,
      });
    }
    return wanted;
  }
  if (config.migrations.length === 1) return config.migrations[0]!;
  const parent = spec.parents[0];
  if (parent !== undefined) return resolve(project.scriptOf(parent).path, '..');
  throw new AmbixError('USAGE', 'Several version locations are configured; say where the new file goes.', {
    hint: `Pass --version-path with one of: ${config.migrations.join(', ')}.`,
  });
}
