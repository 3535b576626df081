import type { PostWriteHook } from '../scripts/write.js';

/** Settings a config file (or one of its named environments) may set. */
export interface AmbixSettings {
  /** Database URL. Falls back to the DATABASE_URL environment variable; `--url` overrides both. */
  readonly url?: string;
  /** Version location(s): folders holding migration files, relative to the config file. Default `./migrations`. */
  readonly migrations?: string | readonly string[];
  /** Also search sub-folders of the version locations. Default false. */
  readonly recursive?: boolean;
  /**
   * File name template for new revisions, without extension. Tokens: `{rev}`, `{slug}`, `{year}`, `{month}`,
   * `{day}`, `{hour}`, `{minute}`, `{second}`, `{epoch}`. Default `{year}_{month}_{day}_{hour}{minute}-{rev}_{slug}`.
   */
  readonly fileTemplate?: string;
  /** Maximum length of the message slug in file names. Default 40. */
  readonly truncateSlugLength?: number;
  /** IANA time zone for the dates in file names and headers. Default UTC. */
  readonly timezone?: string;
  /**
   * Name of the version table (one row per current head). Default `ambix_version`; `alembic_version` adopts a
   * database that Alembic manages, keeping its revision ids.
   */
  readonly versionTable?: string;
  /**
   * Schema of the version and history tables (Alembic's `version_table_schema`). Default: the first schema of the
   * connection's `search_path` (usually `public`).
   */
  readonly versionTableSchema?: string;
  /** Name of the append-only log of every step run, with checksums, timings and errors. Default `ambix_history`. */
  readonly historyTable?: string;
  /**
   * Commit after each migration instead of running the whole upgrade or downgrade in one transaction, so a
   * failure keeps the migrations before it. Default false (`--transaction-per-migration` sets it for one run).
   */
  readonly transactionPerMigration?: boolean;
  /** How long to wait for another run's migration lock before giving up, in milliseconds. Default 60000. */
  readonly lockTimeout?: number;
  /**
   * Settings for the migration session, in milliseconds (0 disables): `lockTimeout` bounds how long a statement
   * waits for a table lock (so DDL never queues forever behind live traffic), `statementTimeout` how long any
   * statement runs.
   */
  readonly session?: SessionSettings;
  /**
   * The embedded database (`pglite:` URLs, and the default `.ambix/pglite`): `extensions` lists the PostgreSQL
   * extensions PGlite loads when it opens, so migrations can `CREATE EXTENSION` them. Ignored for `postgres://`.
   */
  readonly pglite?: PgliteSettings;
  /** Format of files written by `revision` and `merge`: `ts` (default) or `sql`. */
  readonly revisionFormat?: 'ts' | 'sql';
  /** Commands run on every generated migration file, e.g. a formatter. */
  readonly postWriteHooks?: readonly PostWriteHook[];
  /**
   * The schema module(s) `revision --autogenerate` and `check` compare the database with: files exporting
   * `ambix/schema` declarations (or Drizzle tables). Paths relative to the config file.
   */
  readonly schema?: string | readonly string[];
  /** What autogenerate and `check` look at, and hooks to adjust what they write. */
  readonly autogenerate?: AutogenerateSettings;
}

/** Autogenerate's filters and hooks. */
export interface AutogenerateSettings {
  /**
   * Globs over `schema.name` (`*`, `?`; without a dot, the name in any schema): only matching objects are compared.
   */
  readonly include?: readonly string[];
  /** Globs over `schema.name`: matching objects are left alone (neither read nor dropped). */
  readonly exclude?: readonly string[];
  /** Schemas to compare; default: every schema the database or the declared schema has. */
  readonly schemas?: readonly string[];
  /**
   * Decides whether two column types differ (Alembic's `compare_type`): return `true` or `false` to decide, or
   * `undefined` to let ambix compare them.
   */
  readonly compareType?: (context: CompareColumnContext) => boolean | undefined;
  /** Decides whether two column defaults differ (Alembic's `compare_server_default`), like `compareType`. */
  readonly compareDefault?: (context: CompareColumnContext) => boolean | undefined;
  /**
   * Rewrites or drops the generated operations before the file is written (Alembic's
   * `process_revision_directives`): return the operations to write.
   */
  readonly processOperations?: (operations: {
    readonly upgrade: readonly unknown[];
    readonly downgrade: readonly unknown[];
  }) => { readonly upgrade: readonly unknown[]; readonly downgrade: readonly unknown[] };
}

/** A column as the database has it and as the schema declares it, for the compare hooks. */
export interface CompareColumnContext {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /** The database's value (type, or default SQL; undefined for no default). */
  readonly database: string | undefined;
  /** The schema's value, in the database's spelling. */
  readonly declared: string | undefined;
}

/** PostgreSQL session settings applied before migrations run, in milliseconds. */
export interface SessionSettings {
  /** PostgreSQL's `lock_timeout`: give up on a statement that waits longer than this for a lock. */
  readonly lockTimeout?: number;
  /** PostgreSQL's `statement_timeout`: cancel a statement that runs longer than this. */
  readonly statementTimeout?: number;
}

/** Settings of the embedded PGlite database. */
export interface PgliteSettings {
  /**
   * Extensions to load, by the names `CREATE EXTENSION` takes (`'uuid-ossp'`, `'pgcrypto'`, `'citext'`…), from
   * those PGlite ships in `@electric-sql/pglite/contrib`. pgvector is loaded whenever a pgvector package is
   * installed; listing `'vector'` makes that package required.
   */
  readonly extensions?: readonly string[];
}

/** The shape of `ambix.config.ts`. */
export interface AmbixConfig extends AmbixSettings {
  /**
   * Named environments selected with `-n/--name`: each one's settings are laid over the top-level ones, so one
   * file can describe several databases (as Alembic's `-n` selects an ini section).
   */
  readonly environments?: Readonly<Record<string, AmbixSettings>>;
}

/** What a config function receives. */
export interface ConfigContext {
  /** `-x KEY=VALUE` arguments. */
  readonly x: Readonly<Record<string, string>>;
  /** The environment selected with `-n/--name`, if any. */
  readonly name: string | undefined;
  /** The process environment (after `.env` was loaded). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type AmbixConfigExport =
  | AmbixConfig
  | ((context: ConfigContext) => AmbixConfig | Promise<AmbixConfig>);

/** Type-checks an ambix config. Returns its argument unchanged. */
export function defineConfig<T extends AmbixConfigExport>(config: T): T {
  return config;
}
