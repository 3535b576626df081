import { AmbixError } from '../../errors.js';

/**
 * What SQLite cannot do as asked. `where` names the operation (`op.createEnum()`) or the table being rebuilt;
 * the message says what SQLite lacks and what to write instead.
 */
export function sqliteCannot(where: string, message: string, hint?: string): AmbixError {
  return new AmbixError('FAILED', `${where}: ${message}`, {
    ...(hint === undefined ? {} : { hint }),
    details: { dialect: 'sqlite' },
  });
}

/** `op.addColumn()`: how messages about one operation begin. */
export const opName = (kind: string): string => `op.${kind}()`;
