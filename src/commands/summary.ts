import { relative } from 'node:path';
import type { Revision } from '../graph/index.js';
import type { Project } from './project.js';

/** A revision as commands report it (and as `--json` prints it). */
export interface RevisionSummary {
  readonly id: string;
  readonly downRevisions: readonly string[];
  /** Dependencies as the file declares them (revision ids or branch labels). */
  readonly dependsOn: readonly string[];
  /** The same dependencies resolved to revision ids. */
  readonly dependsOnRevisions: readonly string[];
  readonly branchLabels: readonly string[];
  readonly children: readonly string[];
  readonly message: string | null;
  readonly createDate: string | null;
  /** The file, relative to the working directory. */
  readonly path: string;
  readonly format: 'ts' | 'js' | 'sql';
  /** No other revision builds on it or depends on it. */
  readonly isHead: boolean;
  /** No other revision builds on it, but some depend on it (Alembic's "effective head"). */
  readonly isEffectiveHead: boolean;
  readonly isBase: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
  /** The full doc comment of the file. */
  readonly doc: string | null;
}

export function summarize(project: Project, revision: Revision): RevisionSummary {
  const script = project.scriptOf(revision);
  return {
    id: revision.id,
    downRevisions: [...revision.downRevisions],
    dependsOn: [...script.dependsOn],
    dependsOnRevisions: [...revision.dependsOn],
    branchLabels: [...revision.branchLabels],
    children: [...revision.children],
    message: script.message ?? null,
    createDate: script.createDate ?? null,
    path: relative(project.config.cwd, script.path) || script.path,
    format: script.format,
    isHead: revision.isRealHead,
    isEffectiveHead: revision.isHead && !revision.isRealHead,
    isBase: revision.isBase,
    isBranchPoint: revision.isBranchPoint,
    isMergePoint: revision.isMergePoint,
    doc: script.doc ?? null,
  };
}
