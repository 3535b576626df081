import type { ResolvedConfig } from '../config/resolve-config.js';
import { type MigrateOptions, type MigrateResult, migrate } from '../runtime/migrate.js';

export type UpgradeOptions = MigrateOptions;
export type UpgradeResult = MigrateResult;

/**
 * Applies the migrations that take the database to `target` (default `head`; `heads` for every branch), in
 * Alembic's order, each recorded in the version and history tables. Refuses when an applied migration's file
 * changed since it ran (`allowChanged` overrides). With `sql: true`, returns the script instead of running it.
 *
 * @throws AmbixError MULTIPLE_HEADS (several heads and target `head`), CHANGED_MIGRATION, MIGRATION_FAILED,
 *   LOCK_TIMEOUT, CONNECTION_FAILED, and the graph's errors for a bad target.
 */
export function upgrade(
  config: ResolvedConfig,
  target = 'head',
  options: UpgradeOptions = {},
): Promise<UpgradeResult> {
  return migrate(config, 'up', target, options);
}
