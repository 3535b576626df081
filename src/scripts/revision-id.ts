import { AmbixError } from '../errors.js';

/**
 * A new random revision id: 12 hex characters, as Alembic makes them. The Web Crypto global rather than an import of
 * node:crypto, which takes several milliseconds to load for every command, while only `revision` needs it.
 */
export function generateRevisionId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString('hex');
}

// `@` separates a label from a revision (`auth@head`), `-`/`+` make relative targets (`head-1`), `:` a range.
const ILLEGAL = /[\s@+:-]/u;

/** Throws INVALID_REVISION_ID unless `id` can be told apart from a target expression. */
export function validateRevisionId(id: string): void {
  if (id === '') {
    throw new AmbixError('INVALID_REVISION_ID', 'A revision id cannot be empty.', {
      hint: 'Leave --rev-id out for a random one.',
    });
  }
  const bad = ILLEGAL.exec(id);
  if (bad !== null) {
    const what = /\s/u.test(bad[0]) ? 'whitespace' : `'${bad[0]}'`;
    throw new AmbixError('INVALID_REVISION_ID', `Revision id '${id}' contains ${what}.`, {
      hint: "A revision id may not contain whitespace or any of '@', '-', '+', ':' (they make target expressions such as 'auth@head' or 'head-1').",
      details: { id },
    });
  }
}
