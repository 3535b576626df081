import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AmbixError } from '../errors.js';
import { DEFAULT_FILE_TEMPLATE, DEFAULT_TRUNCATE_SLUG_LENGTH } from '../scripts/file-name.js';
import type { PostWriteHook } from '../scripts/write.js';
import type { AmbixConfig, AutogenerateSettings, ConfigContext, SessionSettings } from './define-config.js';
import { findConfigFile, readConfigFile, resolvePath, selectEnvironment } from './load-config.js';
import { validateConfig } from './validate.js';

export { DEFAULT_FILE_TEMPLATE };
export const DEFAULT_VERSION_TABLE = 'ambix_version';
export const DEFAULT_HISTORY_TABLE = 'ambix_history';
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
export const DEFAULT_MIGRATIONS_FOLDER = 'migrations';

/** Everything a command needs to know, with defaults applied and paths made absolute. Frozen. */
export interface ResolvedConfig {
  /** Working directory the config was resolved from. */
  readonly cwd: string;
  /** The config file that was loaded, if any. */
  readonly configFile: string | undefined;
  /** The environment selected with `-n/--name`, if any. */
  readonly environment: string | undefined;
  /** Database URL: `--url`, else the config's `url`, else DATABASE_URL. */
  readonly url: string | undefined;
  /** Where `url` came from, for messages. */
  readonly urlSource: 'flag' | 'config' | 'DATABASE_URL' | undefined;
  /** Absolute version locations, in the configured order. */
  readonly migrations: readonly string[];
  readonly recursive: boolean;
  readonly fileTemplate: string;
  readonly truncateSlugLength: number;
  readonly timezone: string;
  readonly versionTable: string;
  /** Schema of the version and history tables; undefined: the connection's default schema. */
  readonly versionTableSchema: string | undefined;
  readonly historyTable: string;
  readonly transactionPerMigration: boolean;
  /** Milliseconds to wait for the migration lock. */
  readonly lockTimeout: number;
  /** Session settings in milliseconds; absent ones are left as the server has them. */
  readonly session: Readonly<SessionSettings>;
  /** The embedded database's settings; ignored for `postgres://` URLs. */
  readonly pglite: { readonly extensions: readonly string[] };
  readonly revisionFormat: 'ts' | 'sql';
  readonly postWriteHooks: readonly PostWriteHook[];
  /** Absolute paths of the schema modules; empty when none is configured. */
  readonly schema: readonly string[];
  readonly autogenerate: Readonly<AutogenerateSettings>;
  /** `-x KEY=VALUE` arguments, readable from config functions and migrations. */
  readonly x: Readonly<Record<string, string>>;
}

export interface ResolveConfigOptions {
  /** Working directory; default `process.cwd()`. */
  readonly cwd?: string;
  /** Explicit config file (`-c/--config`); otherwise `ambix.config.*` is looked for in `cwd`. */
  readonly configFile?: string;
  /** A config given in code instead of a file (paths relative to `cwd`). */
  readonly config?: AmbixConfig;
  /** Named environment (`-n/--name`). */
  readonly name?: string;
  /** URL override (`--url`). */
  readonly url?: string;
  /** `-x KEY=VALUE` arguments. */
  readonly x?: Readonly<Record<string, string>>;
  /** Environment variables; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Finds, loads and resolves the configuration. Works with no config file at all. */
export async function resolveConfig(options: ResolveConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const x = Object.freeze({ ...(options.x ?? {}) });
  const context: ConfigContext = { x, name: options.name, env };

  let configFile: string | undefined;
  let config: AmbixConfig;
  if (options.config !== undefined) {
    config = validateConfig(options.config, '<inline config>');
  } else {
    configFile =
      options.configFile !== undefined ? resolvePath(cwd, options.configFile) : findConfigFile(cwd);
    if (configFile !== undefined && !existsSync(configFile)) {
      throw new AmbixError('CONFIG_NOT_FOUND', `Config file ${configFile} does not exist.`, {
        hint: "Check the -c/--config path, or run 'ambix init' to create one.",
        details: { path: configFile },
      });
    }
    config = configFile === undefined ? {} : await readConfigFile(configFile, context);
  }

  const settings = selectEnvironment(config, options.name, configFile);
  const base = configFile === undefined ? cwd : resolve(configFile, '..');
  const locations =
    settings.migrations === undefined
      ? [DEFAULT_MIGRATIONS_FOLDER]
      : typeof settings.migrations === 'string'
        ? [settings.migrations]
        : settings.migrations;

  const [url, urlSource] =
    options.url !== undefined
      ? [options.url, 'flag' as const]
      : settings.url !== undefined
        ? [settings.url, 'config' as const]
        : env.DATABASE_URL !== undefined && env.DATABASE_URL !== ''
          ? [env.DATABASE_URL, 'DATABASE_URL' as const]
          : [undefined, undefined];

  return Object.freeze({
    cwd,
    configFile,
    environment: options.name,
    url,
    urlSource,
    migrations: Object.freeze([...new Set(locations.map((location) => resolvePath(base, location)))]),
    recursive: settings.recursive ?? false,
    fileTemplate: settings.fileTemplate ?? DEFAULT_FILE_TEMPLATE,
    truncateSlugLength: settings.truncateSlugLength ?? DEFAULT_TRUNCATE_SLUG_LENGTH,
    timezone: settings.timezone ?? 'UTC',
    versionTable: settings.versionTable ?? DEFAULT_VERSION_TABLE,
    versionTableSchema: settings.versionTableSchema,
    historyTable: settings.historyTable ?? DEFAULT_HISTORY_TABLE,
    transactionPerMigration: settings.transactionPerMigration ?? false,
    lockTimeout: settings.lockTimeout ?? DEFAULT_LOCK_TIMEOUT_MS,
    session: Object.freeze({ ...(settings.session ?? {}) }),
    pglite: Object.freeze({ extensions: Object.freeze([...(settings.pglite?.extensions ?? [])]) }),
    revisionFormat: settings.revisionFormat ?? 'ts',
    postWriteHooks: Object.freeze([...(settings.postWriteHooks ?? [])]),
    schema: Object.freeze(
      (settings.schema === undefined
        ? []
        : typeof settings.schema === 'string'
          ? [settings.schema]
          : settings.schema
      ).map((path) => resolvePath(base, path)),
    ),
    autogenerate: Object.freeze({ ...(settings.autogenerate ?? {}) }),
    x,
  });
}
