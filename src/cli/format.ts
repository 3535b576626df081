import type { RevisionSummary } from '../commands/summary.js';

/** `<base>` or the parents, comma-separated (Alembic's "down revision" display). */
export function formatParents(revision: RevisionSummary): string {
  return revision.downRevisions.length === 0 ? '<base>' : revision.downRevisions.join(', ');
}

interface LineOptions {
  /** `parent -> rev` prefix (history). */
  readonly parents?: boolean;
  /** `, message` suffix. */
  readonly message?: boolean;
  /** `(branchpoint)` and `(mergepoint)` markers. */
  readonly tree?: boolean;
  /** `(current)`: the database is at this revision (`history -i`). */
  readonly current?: boolean;
}

/** One revision on one line, e.g. `a1b2 -> 3f2a (auth) (head), add users table`. */
export function formatRevisionLine(revision: RevisionSummary, options: LineOptions = {}): string {
  let text = revision.id;
  if (options.parents) {
    const dependencies = revision.dependsOn.length > 0 ? ` (${revision.dependsOn.join(', ')})` : '';
    text = `${formatParents(revision)}${dependencies} -> ${text}`;
  }
  if (revision.branchLabels.length > 0) text += ` (${revision.branchLabels.join(', ')})`;
  if (revision.isHead) text += ' (head)';
  if (revision.isEffectiveHead) text += ' (effective head)';
  if (options.current) text += ' (current)';
  if (options.tree) {
    if (revision.isBranchPoint) text += ' (branchpoint)';
    if (revision.isMergePoint) text += ' (mergepoint)';
  }
  if (options.message) text += `, ${revision.message ?? ''}`;
  return text;
}

/** The full entry of `show`, `history -v` and `heads -v`. */
export function formatRevisionEntry(revision: RevisionSummary): string {
  const markers = [
    revision.isHead || revision.isEffectiveHead ? ' (head)' : '',
    revision.isBranchPoint ? ' (branchpoint)' : '',
    revision.isMergePoint ? ' (mergepoint)' : '',
  ].join('');
  const lines = [`Rev: ${revision.id}${markers}`];
  lines.push(
    revision.isMergePoint ? `Merges: ${formatParents(revision)}` : `Parent: ${formatParents(revision)}`,
  );
  if (revision.dependsOn.length > 0) lines.push(`Also depends on: ${revision.dependsOn.join(', ')}`);
  if (revision.isBranchPoint) lines.push(`Branches into: ${revision.children.join(', ')}`);
  if (revision.branchLabels.length > 0) lines.push(`Branch names: ${revision.branchLabels.join(', ')}`);
  lines.push(`Path: ${revision.path}`);
  lines.push('');
  const doc = revision.doc ?? revision.message ?? '';
  for (const line of doc.split('\n')) lines.push(line === '' ? '' : `    ${line}`);
  lines.push('');
  return lines.join('\n');
}
