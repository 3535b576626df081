import { isAbsolute, resolve } from 'node:path';
import { AmbixError } from '../errors.js';

/** The URL used when none is configured: an embedded PostgreSQL (PGlite) in the project, no setup needed. */
export const DEFAULT_URL = 'pglite:.ambix/pglite';

/** The schemes ambix understands, as shown to users. */
export const SUPPORTED_SCHEMES: readonly string[] = Object.freeze([
  'postgres://',
  'postgresql://',
  'pglite:<directory>',
  'pglite:memory',
  'sqlite:<file>',
  'sqlite::memory:',
  'mysql://',
  'mariadb://',
]);

export interface PostgresUrl {
  readonly dialect: 'postgres';
  /** The URL as given (pg reads it; missing parts come from the PG* environment variables). */
  readonly url: string;
  /** The URL with any password replaced by `***`: the only form to print. */
  readonly masked: string;
  readonly isDefault: false;
}

export interface PgliteUrl {
  readonly dialect: 'pglite';
  /** Normalised: `pglite:memory` or `pglite:<absolute directory>`. */
  readonly url: string;
  readonly masked: string;
  /** Absolute data directory; undefined for `pglite:memory`. */
  readonly dataDir: string | undefined;
  /** True when no URL was configured and {@link DEFAULT_URL} was used: say so once ("using the embedded database at …"). */
  readonly isDefault: boolean;
}

export interface SqliteUrl {
  readonly dialect: 'sqlite';
  /** Normalised: `sqlite::memory:` or `sqlite:<absolute file>`. */
  readonly url: string;
  readonly masked: string;
  /** Absolute path of the database file; undefined for a memory database. */
  readonly filename: string | undefined;
  readonly isDefault: false;
}

export interface MysqlUrl {
  readonly dialect: 'mysql';
  /** The URL as given (`mysql://` or `mariadb://`). */
  readonly url: string;
  readonly masked: string;
  readonly isDefault: false;
}

export type DatabaseUrl = PostgresUrl | PgliteUrl | SqliteUrl | MysqlUrl;

export interface ParseUrlOptions {
  /** Directory relative PGlite paths are resolved against (the config's cwd); default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * Reads a database URL. `undefined` or `''` means "not configured" and yields {@link DEFAULT_URL}.
 * Throws AmbixError BAD_URL (with the password masked) for anything else ambix cannot connect to.
 */
export function parseDatabaseUrl(url: string | undefined, options: ParseUrlOptions = {}): DatabaseUrl {
  const isDefault = url === undefined || url.trim() === '';
  const text = isDefault ? DEFAULT_URL : url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    assertParsable(text);
    return Object.freeze({ dialect: 'postgres', url: text, masked: maskUrl(text), isDefault: false });
  }
  if (scheme === 'pglite') {
    return parsePgliteUrl(text, options.cwd ?? process.cwd(), isDefault);
  }
  if (scheme === 'sqlite' || scheme === 'file') {
    return parseSqliteUrl(text, scheme, options.cwd ?? process.cwd());
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    if (!URL.canParse(text)) {
      throw badUrl(text, 'is not a valid URL (a password with @ / ? # must be percent-encoded)');
    }
    const database = new URL(text).pathname.replace(/^\//, '');
    if (database === '') {
      throw badUrl(text, 'names no database (mysql://user:password@host:3306/database)');
    }
    return Object.freeze({ dialect: 'mysql', url: text, masked: maskUrl(text), isDefault: false });
  }
  throw badUrl(
    text,
    scheme === undefined ? 'is not a database URL' : `uses the unsupported scheme "${scheme}:"`,
  );
}

function parsePgliteUrl(text: string, cwd: string, isDefault: boolean): PgliteUrl {
  // `pglite:./dir`, `pglite:/abs/dir`; the `pglite://…` spelling is accepted too.
  let location = text.slice('pglite:'.length);
  if (location.startsWith('//')) location = location.slice(2);
  if (location === '') {
    throw badUrl(text, 'names no directory (use pglite:./some/dir or pglite:memory)');
  }
  if (location === 'memory' || location === 'memory:' || location === 'memory://') {
    return Object.freeze({
      dialect: 'pglite',
      url: 'pglite:memory',
      masked: 'pglite:memory',
      dataDir: undefined,
      isDefault,
    });
  }
  const dataDir = isAbsolute(location) ? resolve(location) : resolve(cwd, location);
  const normalised = `pglite:${dataDir}`;
  return Object.freeze({ dialect: 'pglite', url: normalised, masked: normalised, dataDir, isDefault });
}

/**
 * `sqlite:./app.db`, `sqlite:/abs/app.db`, `sqlite::memory:`; SQLAlchemy's `sqlite:///relative.db` and
 * `sqlite:////absolute.db` too, so an Alembic project's URL works as it is.
 */
function parseSqliteUrl(text: string, scheme: string, cwd: string): SqliteUrl {
  let location = text.slice(scheme.length + 1).replace(/\?.*$/, '');
  if (location.startsWith('///')) location = location.slice(3);
  else if (location.startsWith('//')) location = location.slice(2);
  if (location === ':memory:' || location === 'memory' || location === '') {
    if (location === '' && !text.endsWith('://')) {
      throw badUrl(text, 'names no file (use sqlite:./app.db or sqlite::memory:)');
    }
    return Object.freeze({
      dialect: 'sqlite',
      url: 'sqlite::memory:',
      masked: 'sqlite::memory:',
      filename: undefined,
      isDefault: false,
    });
  }
  const filename = isAbsolute(location) ? resolve(location) : resolve(cwd, location);
  const normalised = `sqlite:${filename}`;
  return Object.freeze({
    dialect: 'sqlite',
    url: normalised,
    masked: normalised,
    filename,
    isDefault: false,
  });
}

function assertParsable(text: string): void {
  // Like pg-connection-string: `postgres://user@/db?host=/socket` has an empty host, which URL rejects.
  if (URL.canParse(text) || URL.canParse(text.replace('@/', '@___DUMMY___/'))) return;
  throw badUrl(text, 'is not a valid URL (a password with @ / ? # must be percent-encoded)');
}

function badUrl(text: string, problem: string): AmbixError {
  return new AmbixError('BAD_URL', `The database URL ${maskUrl(text)} ${problem}.`, {
    hint: `Supported: ${SUPPORTED_SCHEMES.join(', ')}; e.g. postgres://user:password@localhost:5432/app or pglite:./data.`,
    details: { url: maskUrl(text), supported: SUPPORTED_SCHEMES },
  });
}

/**
 * The URL with every password replaced by `***`: in the userinfo (`user:***@host`) and in `password=` parameters
 * (query string or `key=value` form). Works on malformed URLs too, so even an error about a bad URL cannot leak
 * the password. Every URL ambix prints goes through this.
 */
export function maskUrl(url: string): string {
  return maskPasswordParams(maskUserinfo(url));
}

function maskUserinfo(url: string): string {
  const schemeEnd = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0].length;
  if (schemeEnd === undefined) return url;
  const rest = url.slice(schemeEnd);
  // The userinfo ends at the last `@` of the authority. An unencoded `/`, `?` or `#` in a password would end the
  // authority early, so when there is no `@` before the query, fall back to the last `@` anywhere.
  const queryStart = rest.indexOf('?');
  const authorityEnd = queryStart === -1 ? rest.length : queryStart;
  let at = rest.lastIndexOf('@', authorityEnd - 1);
  if (at === -1) at = rest.lastIndexOf('@');
  if (at === -1) return url;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon === -1) return url;
  return `${url.slice(0, schemeEnd)}${userinfo.slice(0, colon)}:***${rest.slice(at)}`;
}

function maskPasswordParams(text: string): string {
  return text.replace(
    /((?:^|[?&;\s])password\s*=\s*)('(?:[^'\\]|\\.|'')*'|[^&#\s]*)/gi,
    (_match, prefix: string) => `${prefix}***`,
  );
}
