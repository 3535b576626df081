/**
 * Which databases reflection reads, and IntrospectOptions as SQL predicates over information_schema, inlined into
 * the queries so that excluded objects are never read.
 */
import { AmbixError } from '../../../errors.js';
import type { IntrospectOptions } from '../../../schema/introspector.js';
import { stringLiteral } from '../render-literal.js';

/**
 * The model's schema for the session's own database. Its real name differs between the live database and a scratch
 * copy (where autogenerate materializes a target), so the model cannot carry it.
 */
export const CURRENT_SCHEMA = 'main';

export interface Databases {
  /** The session's database (`DATABASE()`); undefined when the connection selected none. */
  readonly current: string | undefined;
  /** The databases read, by their real names. */
  readonly read: readonly string[];
}

/** A database's name in the model: `main` for the session's own, its real name for any other. */
export function modelSchema(databases: Databases, database: string): string {
  return database === databases.current ? CURRENT_SCHEMA : database;
}

/**
 * The session's database, unless `schemas` names databases: then those of them that exist, `main` (or the
 * session database's own name) standing for the session's database.
 */
export function resolveDatabases(
  options: IntrospectOptions,
  current: string | undefined,
  existing: readonly string[],
): Databases {
  const named = options.schemas ?? [];
  if (named.length === 0) {
    if (current === undefined) throw noDatabaseSelected();
    return { current, read: [current] };
  }
  const read = new Set<string>();
  for (const name of named) {
    if (current !== undefined && (name === CURRENT_SCHEMA || name === current)) read.add(current);
    else if (existing.includes(name)) read.add(name);
  }
  return { current, read: [...read] };
}

function noDatabaseSelected(): AmbixError {
  return new AmbixError(
    'FAILED',
    'The MySQL connection has no database selected, so there is nothing to reflect',
    {
      hint: 'Name the database in the URL (mysql://user@host:3306/mydb), or list the databases to read in schemas.',
    },
  );
}

/** A glob (`*` any run of characters, `?` one character) as a LIKE pattern escaped with `!`. */
export function globToLike(glob: string): string {
  let like = '';
  for (const char of glob) {
    if (char === '*') like += '%';
    else if (char === '?') like += '_';
    else like += char === '%' || char === '_' || char === '!' ? `!${char}` : char;
  }
  return like;
}

/** A glob matched in JavaScript, for the few names that need no query (the databases themselves). */
export function globMatches(glob: string, text: string): boolean {
  let source = '^';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|()[\]{}+*?]/g, '\\$&');
  }
  return new RegExp(`${source}$`, 'su').test(text);
}

function schemaGlob(pattern: string): string | undefined {
  const dot = pattern.indexOf('.');
  return dot < 0 ? undefined : pattern.slice(0, dot);
}

/**
 * The databases other than the session's that are read and that the patterns can leave anything in: some include
 * pattern can match in them (any pattern without a dot can), and no exclude pattern `database.*` empties them.
 */
export function declaredSchemas(options: IntrospectOptions, databases: Databases): string[] {
  const include = options.include ?? [];
  const excludedWholly = (options.exclude ?? []).filter((pattern) => pattern.endsWith('.*'));
  return databases.read
    .filter((database) => database !== databases.current)
    .filter(
      (database) =>
        include.length === 0 ||
        include.some((pattern) => {
          const glob = schemaGlob(pattern);
          return glob === undefined || globMatches(glob, database);
        }),
    )
    .filter((database) => !excludedWholly.some((pattern) => globMatches(pattern.slice(0, -2), database)));
}

/** SQL predicates over a query's database and object-name columns. */
export interface CatalogFilter {
  /** The database is one that is read. */
  schema(schemaColumn: string): string;
  /** An object that is read: its database is, and `schema.name` passes the include and exclude patterns. */
  object(schemaColumn: string, nameColumn: string): string;
  /** A table (or view, or anything named like one) that is read: like `object`, and not one of `ignoreTables`. */
  relation(schemaColumn: string, nameColumn: string): string;
}

/**
 * information_schema compares names case-insensitively (its columns are utf8mb3_general_ci); the patterns and
 * `ignoreTables` compare them exactly, as the model does.
 */
const exact = (expression: string): string => `CONVERT(${expression} USING utf8mb4) COLLATE utf8mb4_bin`;

export function catalogFilter(options: IntrospectOptions, databases: Databases): CatalogFilter {
  const { current } = databases;
  const schemaName = (schemaColumn: string): string =>
    current === undefined
      ? schemaColumn
      : `CASE ${schemaColumn} WHEN ${stringLiteral(current)} THEN '${CURRENT_SCHEMA}' ELSE ${schemaColumn} END`;
  const matches = (pattern: string, schemaColumn: string, nameColumn: string): string => {
    const subject = pattern.includes('.')
      ? `CONCAT(CONVERT(${schemaName(schemaColumn)} USING utf8mb4), '.', CONVERT(${nameColumn} USING utf8mb4))`
      : `CONVERT(${nameColumn} USING utf8mb4)`;
    return `${subject} COLLATE utf8mb4_bin LIKE ${stringLiteral(globToLike(pattern))} ESCAPE '!'`;
  };
  const anyPattern = (patterns: readonly string[], schemaColumn: string, nameColumn: string): string =>
    patterns.map((pattern) => matches(pattern, schemaColumn, nameColumn)).join(' OR ');

  // Plain equality on the database column: MariaDB then reads only those databases' directories.
  const schema = (schemaColumn: string): string =>
    databases.read.length === 0
      ? 'FALSE'
      : `${schemaColumn} IN (${databases.read.map((name) => stringLiteral(name)).join(', ')})`;
  const object = (schemaColumn: string, nameColumn: string): string => {
    const parts = [schema(schemaColumn)];
    const include = options.include ?? [];
    const exclude = options.exclude ?? [];
    if (include.length > 0) parts.push(`(${anyPattern(include, schemaColumn, nameColumn)})`);
    if (exclude.length > 0) parts.push(`NOT (${anyPattern(exclude, schemaColumn, nameColumn)})`);
    return parts.join(' AND ');
  };
  const relation = (schemaColumn: string, nameColumn: string): string => {
    const ignored = (options.ignoreTables ?? []).map((table) => ({
      // The session's database may be named either way: `main`, or its real name.
      schema: table.schema === current ? CURRENT_SCHEMA : table.schema,
      name: table.name,
    }));
    if (ignored.length === 0) return object(schemaColumn, nameColumn);
    const pairs = ignored.map(
      (table) =>
        `(${exact(schemaName(schemaColumn))} = ${stringLiteral(table.schema)} AND ${exact(nameColumn)} = ${stringLiteral(table.name)})`,
    );
    return `${object(schemaColumn, nameColumn)} AND NOT (${pairs.join(' OR ')})`;
  };
  return { schema, object, relation };
}
