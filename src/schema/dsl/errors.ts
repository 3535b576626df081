import { AmbixError } from '../../errors.js';

/** A schema declaration that cannot be right (a bad type argument, a reference to nothing, a duplicate name). */
export function schemaError(message: string, hint?: string): AmbixError {
  return new AmbixError('SCHEMA_INVALID', message, hint === undefined ? {} : { hint });
}
