import type { ResolvedConfig } from '../config/resolve-config.js';
import { type MigrateOptions, type MigrateResult, migrate } from '../runtime/migrate.js';

export type DowngradeOptions = MigrateOptions;
export type DowngradeResult = MigrateResult;

/**
 * Reverts the migrations above `target` (`-1`, `base`, `label@-2`, a revision…), newest first. With `sql: true`
 * the target must be a range `START:END` (there is no database to read the current revision from).
 *
 * @throws AmbixError RANGE_NOT_LINEAR (target not below the current heads), MIGRATION_FAILED, LOCK_TIMEOUT…
 */
export function downgrade(
  config: ResolvedConfig,
  target: string,
  options: DowngradeOptions = {},
): Promise<DowngradeResult> {
  return migrate(config, 'down', target, options);
}
