import type { SchemaDifference } from '../autogenerate/compare.js';
import type { RenameCandidate } from '../autogenerate/renames.js';
import { renderOperationCalls } from '../autogenerate/render-typescript.js';
import { AmbixError } from '../errors.js';
import { type CreatedRevision, createRevision } from './create-revision.js';
import { loadProject } from './project.js';
import type { RevisionOptions } from './revision.js';
import { resolveDependencies, resolveParents } from './revision.js';
import { type SchemaDiffOptions, schemaDiff } from './schema-diff.js';

export interface AutogenerateRevisionOptions extends RevisionOptions, SchemaDiffOptions {
  /** Write a migration even when nothing changed. */
  readonly allowEmpty?: boolean;
}

export interface AutogenerateRevisionResult {
  /** The migration written; undefined when nothing changed (and `allowEmpty` was not given). */
  readonly created: CreatedRevision | undefined;
  readonly differences: readonly SchemaDifference[];
  readonly notes: readonly string[];
  /** Likely renames written as a drop and an add, for a warning. */
  readonly unresolvedRenames: readonly RenameCandidate[];
}

/**
 * `ambix revision --autogenerate`: compares the database (which must be at the heads) with the declared schema
 * and writes a TypeScript migration whose upgrade makes the change and whose downgrade undoes it.
 */
export async function autogenerateRevision(
  options: AutogenerateRevisionOptions,
): Promise<AutogenerateRevisionResult> {
  const { config } = options;
  if ((options.format ?? config.revisionFormat) === 'sql') {
    throw new AmbixError('USAGE', 'Autogenerate writes TypeScript migrations, not SQL ones.', {
      hint: 'Leave out --format sql (or set revisionFormat back to ts for this revision with --format ts).',
    });
  }
  const project = await loadProject(config);
  const parents = resolveParents(project, options.head ?? 'head', options.splice ?? false);
  const diff = await schemaDiff(config, { ...options, requireHeads: options.fromEmpty !== true });
  const base = {
    differences: diff.differences,
    notes: diff.notes,
    unresolvedRenames: diff.unresolvedRenames,
  };
  if (diff.upgrade.length === 0 && options.allowEmpty !== true) return { created: undefined, ...base };
  const upgrade = renderOperationCalls(diff.upgrade);
  const downgrade = renderOperationCalls(diff.downgrade);
  const created = await createRevision(project, {
    message: options.message,
    parents,
    branchLabels: options.branchLabel === undefined ? [] : [options.branchLabel],
    dependsOn: resolveDependencies(project, options.dependsOn ?? []),
    revId: options.revId,
    versionPath: options.versionPath,
    format: 'ts',
    now: options.now,
    ...(diff.upgrade.length === 0 ? {} : { upgrade: upgrade.code, downgrade: downgrade.code }),
    ...(upgrade.usesSql || downgrade.usesSql ? { imports: ["import { sql } from 'ambix';"] } : {}),
  });
  return { created, ...base };
}
