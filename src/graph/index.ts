/**
 * The revision graph: pure functions over the revisions parsed from migration file headers.
 * Alembic's revision model (heads, branch labels, depends_on, merges, relative identifiers,
 * upgrade/downgrade/stamp plans and the one-row-per-head version table), re-implemented.
 */

export { isAncestor } from './ancestry.js';
export type { MigrationStep, PlanStep, StampStep, StepMovement, VersionTableChange } from './heads.js';
export { applyStep, versionTableChange } from './heads.js';
export { resolveRevision, resolveRevisions, resolveTarget, validateRevisionId } from './identifiers.js';
export type { RangeEnd } from './plan.js';
export { parseRevisionRange, planDowngrade, planStamp, planUpgrade, revisionRange } from './plan.js';
export type { RevisionInput } from './revision.js';
export type { Revision, RevisionMap } from './revision-map.js';
export { buildRevisionMap } from './revision-map.js';
