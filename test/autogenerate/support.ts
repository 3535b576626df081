import type { Operation } from '../../src/operations/operation.js';

/**
 * The operations without the autocommit markers, for tests that run a comparison's statements on a connection
 * outside any transaction (where the markers' COMMIT and BEGIN have nothing to do).
 */
export function withoutAutocommitMarkers(operations: readonly Operation[]): Operation[] {
  return operations.filter((o) => o.kind !== 'beginAutocommit' && o.kind !== 'endAutocommit');
}
