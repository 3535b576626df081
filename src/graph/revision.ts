/**
 * What the graph needs to know about one migration. Produced by scripts/ from file headers
 * (without executing the files) and consumed by the pure revision graph.
 */
export interface RevisionInput {
  /** Revision id: any string without whitespace or any of `@ - + :`. */
  readonly id: string;
  /** Parents: empty for a root, one for a normal step, several for a merge point. */
  readonly downRevisions: readonly string[];
  /** Labels declared by this revision's own file. */
  readonly branchLabels: readonly string[];
  /** Revision ids or branch labels (unresolved) this revision depends on across branches. */
  readonly dependsOn: readonly string[];
  /** Where the revision came from (a file path); only used in messages. */
  readonly source?: string;
  /** One-line description (the `-m` message). */
  readonly message?: string;
  /** Creation date text from the header, as written. */
  readonly createDate?: string;
}
