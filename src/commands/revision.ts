import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError, isAmbixError, UsageError } from '../errors.js';
import { type Revision, resolveRevisions } from '../graph/index.js';
import { type CreatedRevision, createRevision } from './create-revision.js';
import { loadProject, type Project } from './project.js';

export interface RevisionOptions {
  readonly config: ResolvedConfig;
  /** What the migration does; becomes the doc comment and the file name's slug. */
  readonly message?: string;
  /** The parent: `head` (default), `base` for a new root, a revision, `label@head`… */
  readonly head?: string;
  /** Allow `head` to name a revision that is not a head, starting a new branch from it. */
  readonly splice?: boolean;
  /** Label for the new revision's branch. */
  readonly branchLabel?: string;
  /** Revisions or branch labels the new revision depends on. */
  readonly dependsOn?: readonly string[];
  /** Use this id instead of a random one. */
  readonly revId?: string;
  /** Version location to write to (needed when several are configured and it cannot be inferred). */
  readonly versionPath?: string;
  /** `ts` or `sql`; default from the config. */
  readonly format?: 'ts' | 'sql';
  /** Clock for the file name and Create Date (tests). */
  readonly now?: Date;
}

export type RevisionResult = CreatedRevision;

/** Creates a new migration file on top of the current head (or the given one). */
export async function revision(options: RevisionOptions): Promise<RevisionResult> {
  const project = await loadProject(options.config);
  const parents = resolveParents(project, options.head ?? 'head', options.splice ?? false);
  return createRevision(project, {
    message: options.message,
    parents,
    branchLabels: options.branchLabel === undefined ? [] : [options.branchLabel],
    dependsOn: resolveDependencies(project, options.dependsOn ?? []),
    revId: options.revId,
    versionPath: options.versionPath,
    format: options.format,
    now: options.now,
  });
}

export function resolveParents(project: Project, head: string, splice: boolean): string[] {
  const { map } = project;
  let parents: Revision[];
  try {
    parents = resolveRevisions(map, head);
  } catch (error) {
    if (isAmbixError(error) && error.code === 'MULTIPLE_HEADS') {
      throw new AmbixError('MULTIPLE_HEADS', `Multiple heads are present (${map.heads.join(', ')}).`, {
        hint: "Choose the parent with --head (a revision id or 'label@head'), or join the heads first with 'ambix merge heads'.",
        details: { heads: [...map.heads] },
        cause: error,
      });
    }
    throw error;
  }
  const ids = parents.map((parent) => parent.id);
  if (new Set(ids).size !== ids.length) throw new UsageError(`--head ${head} names the same revision twice.`);
  if (!splice) {
    for (const parent of parents) {
      if (!parent.isHead) {
        throw new AmbixError('NOT_A_HEAD', `Revision ${parent.id} is not a head.`, {
          hint: 'Pass --splice to start a new branch from it, or build on a head.',
          details: { revision: parent.id },
        });
      }
    }
  }
  return ids;
}

/** Prefixes become full ids; branch labels stay labels (so the dependency follows the branch). */
export function resolveDependencies(project: Project, dependsOn: readonly string[]): string[] {
  return dependsOn.map((dependency) => {
    const [target, ...more] = resolveRevisions(project.map, dependency);
    if (target === undefined || more.length > 0) {
      throw new AmbixError('UNKNOWN_REVISION', `--depends-on ${dependency} must name exactly one revision.`, {
        details: { dependency },
      });
    }
    return target.branchLabels.includes(dependency) ? dependency : target.id;
  });
}
