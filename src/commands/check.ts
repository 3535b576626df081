import type { SchemaDifference } from '../autogenerate/compare.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { DatabaseOptions } from '../runtime/database.js';
import { schemaDiff } from './schema-diff.js';

export interface CheckResult {
  /** True when the database matches the declared schema. */
  readonly matches: boolean;
  readonly differences: readonly SchemaDifference[];
  readonly notes: readonly string[];
  /** The database compared, password masked. */
  readonly url: string;
}

/** Whether the database matches the declared schema: the gate for CI (`ambix check` exits 1 when not). */
export async function check(config: ResolvedConfig, options: DatabaseOptions = {}): Promise<CheckResult> {
  const diff = await schemaDiff(config, options);
  return Object.freeze({
    matches: diff.differences.length === 0,
    differences: diff.differences,
    notes: diff.notes,
    url: diff.url,
  });
}
