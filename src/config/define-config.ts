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
  /** Name of the version table. Default `ambix_version`; `alembic_version` adopts an Alembic-managed database. */
  readonly versionTable?: string;
  /** Format of files written by `revision` and `merge`: `ts` (default) or `sql`. */
  readonly revisionFormat?: 'ts' | 'sql';
  /** Commands run on every generated migration file, e.g. a formatter. */
  readonly postWriteHooks?: readonly PostWriteHook[];
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
