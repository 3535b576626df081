/**
 * A new random revision id: 12 hex characters, as Alembic makes them. The Web Crypto global rather than an import of
 * node:crypto, which takes several milliseconds to load for every command, while only `revision` needs it.
 */
export function generateRevisionId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString('hex');
}

/**
 * Throws INVALID_REVISION_ID unless `id` can be told apart from a target expression. The rule belongs to the
 * revision graph, which owns identifier syntax.
 */
export { validateRevisionId } from '../graph/identifiers.js';
