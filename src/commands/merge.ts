import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError, UsageError } from '../errors.js';
import { isAncestor, resolveRevisions } from '../graph/index.js';
import { type CreatedRevision, createRevision } from './create-revision.js';
import { loadProject } from './project.js';

export interface MergeOptions {
  readonly config: ResolvedConfig;
  /** Revisions to join; `heads` stands for every head. */
  readonly revisions: readonly string[];
  readonly message?: string;
  readonly branchLabel?: string;
  readonly revId?: string;
  readonly now?: Date;
}

export type MergeResult = CreatedRevision;

/** Creates a merge revision whose parents are the given revisions. */
export async function merge(options: MergeOptions): Promise<MergeResult> {
  if (options.revisions.length === 0) throw new UsageError("merge needs the revisions to join, or 'heads'.");
  const project = await loadProject(options.config);
  const { map } = project;
  const parents: string[] = [];
  for (const identifier of options.revisions) {
    for (const revision of resolveRevisions(map, identifier)) {
      if (!parents.includes(revision.id)) parents.push(revision.id);
    }
  }
  if (parents.length < 2) {
    throw new AmbixError(
      'INVALID_MERGE',
      `Nothing to merge: ${options.revisions.join(' ')} names ${parents.length} revision.`,
      {
        hint: "A merge joins two or more heads; 'ambix heads' lists them.",
        details: { parents },
      },
    );
  }
  for (const a of parents) {
    for (const b of parents) {
      if (a !== b && isAncestor(map, a, b)) {
        throw new AmbixError('INVALID_MERGE', `Cannot merge ${a} with its own descendant ${b}.`, {
          hint: 'Merge revisions on different branches; usually the heads.',
          details: { ancestor: a, descendant: b },
        });
      }
    }
  }
  return createRevision(project, {
    message: options.message,
    parents,
    branchLabels: options.branchLabel === undefined ? [] : [options.branchLabel],
    dependsOn: [],
    revId: options.revId,
    versionPath: undefined,
    format: undefined,
    now: options.now,
  });
}
