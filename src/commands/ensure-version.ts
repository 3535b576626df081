import type { ResolvedConfig } from '../config/resolve-config.js';
import {
  configuredDialect,
  type DatabaseOptions,
  ensureStateTables,
  offlineScript,
  withDatabase,
} from '../runtime/database.js';
import { createHistoryTable, createVersionTable, stateTables } from '../runtime/tables.js';

export interface EnsureVersionOptions extends DatabaseOptions {
  /** Offline: return the DDL instead of running it. */
  readonly sql?: boolean;
  readonly noLock?: boolean;
}

export interface EnsureVersionResult {
  readonly versionTable: string;
  readonly historyTable: string;
  /** The tables created now (empty when both existed). Offline: both, as `IF NOT EXISTS`. */
  readonly created: readonly string[];
  readonly url?: string;
  readonly script?: string;
}

/** Creates the version and history tables if they do not exist (every writing command does this itself). */
export async function ensureVersion(
  config: ResolvedConfig,
  options: EnsureVersionOptions = {},
): Promise<EnsureVersionResult> {
  const tables = stateTables(config);
  const names = { versionTable: tables.version, historyTable: tables.history };
  if (options.sql === true) {
    const dialect = configuredDialect(config);
    const executor = offlineScript(config, dialect, 'ambix ensure-version');
    await executor.begin();
    await executor.run(createVersionTable(tables));
    await executor.run(createHistoryTable(tables, dialect));
    await executor.commit();
    return { ...names, created: [tables.version, tables.history], script: executor.script() };
  }
  return withDatabase(config, options, { lock: true, ensureTables: false }, async (context) => ({
    ...names,
    created: await ensureStateTables(context.executor, context.dialect, context.tables),
    url: context.session.url,
  }));
}
