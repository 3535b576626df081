/** IntrospectOptions as SQL predicates, inlined into the catalog queries so that excluded objects are never read. */
import type { IntrospectOptions } from '../../../schema/introspector.js';
import { stringLiteral } from '../render-literal.js';

/** SQL predicates over a query's namespace and object-name columns. */
export interface CatalogFilter {
  /** A schema whose objects are read: not the system's own, and among `schemas` when given. */
  schema(schemaColumn: string): string;
  /**
   * A schema reported as such: one whose objects are read, that some include pattern can match (any pattern
   * without a dot does) and that no exclude pattern `schema.*` leaves empty.
   */
  declaredSchema(schemaColumn: string): string;
  /** An object that is read: its schema is, and `schema.name` passes the include and exclude patterns. */
  object(schemaColumn: string, nameColumn: string): string;
  /** A table (or any relation) that is read: like `object`, and not one of `ignoreTables`. */
  relation(schemaColumn: string, nameColumn: string): string;
}

/**
 * A glob (`*` any run of characters, `?` one character) as an anchored PostgreSQL regular expression. Every
 * other character stands for itself.
 */
export function globToRegex(glob: string): string {
  let regex = '^';
  for (const char of glob) {
    if (char === '*') regex += '.*';
    else if (char === '?') regex += '.';
    else regex += /[\\^$.|()[\]{}+*?]/.test(char) ? `\\${char}` : char;
  }
  return `${regex}$`;
}

/** One pattern as a predicate: with a dot it matches `schema.name`, without one the name in any schema. */
function patternPredicate(pattern: string, schemaColumn: string, nameColumn: string): string {
  const subject = pattern.includes('.') ? `(${schemaColumn} || '.' || ${nameColumn})` : nameColumn;
  return `${subject} ~ ${stringLiteral(globToRegex(pattern))}`;
}

function schemaPart(pattern: string): { schema: string; name: string } | undefined {
  const dot = pattern.indexOf('.');
  return dot < 0 ? undefined : { schema: pattern.slice(0, dot), name: pattern.slice(dot + 1) };
}

/** The schema parts of `schema.name` patterns, matched against a schema name. */
function anySchema(patterns: readonly string[], schemaColumn: string): string {
  const globs = patterns.map((pattern) => schemaPart(pattern)?.schema ?? '');
  return globs.map((glob) => `${schemaColumn} ~ ${stringLiteral(globToRegex(glob))}`).join(' OR ');
}

function anyPattern(patterns: readonly string[], schemaColumn: string, nameColumn: string): string {
  return patterns.map((pattern) => patternPredicate(pattern, schemaColumn, nameColumn)).join(' OR ');
}

/** Empty lists filter nothing, like omitted ones: a configuration's defaults must not hide the whole database. */
export function catalogFilter(options: IntrospectOptions = {}): CatalogFilter {
  const schema = (schemaColumn: string): string => {
    // User schemas cannot start with pg_: that excludes pg_catalog, pg_toast* and pg_temp_* at once.
    const system = `${schemaColumn} <> 'information_schema' AND left(${schemaColumn}, 3) <> 'pg_'`;
    if (options.schemas === undefined || options.schemas.length === 0) return system;
    return `${system} AND ${schemaColumn} IN (${options.schemas.map(stringLiteral).join(', ')})`;
  };
  const declaredSchema = (schemaColumn: string): string => {
    const parts = [schema(schemaColumn)];
    const include = options.include ?? [];
    const excludedSchemas = (options.exclude ?? []).filter((pattern) => schemaPart(pattern)?.name === '*');
    if (include.length > 0 && include.every((pattern) => pattern.includes('.')))
      parts.push(`(${anySchema(include, schemaColumn)})`);
    if (excludedSchemas.length > 0) parts.push(`NOT (${anySchema(excludedSchemas, schemaColumn)})`);
    return parts.join(' AND ');
  };
  const object = (schemaColumn: string, nameColumn: string): string => {
    const parts = [schema(schemaColumn)];
    const include = options.include ?? [];
    const exclude = options.exclude ?? [];
    if (include.length > 0) parts.push(`(${anyPattern(include, schemaColumn, nameColumn)})`);
    if (exclude.length > 0) parts.push(`NOT (${anyPattern(exclude, schemaColumn, nameColumn)})`);
    return parts.join(' AND ');
  };
  const relation = (schemaColumn: string, nameColumn: string): string => {
    const ignored = options.ignoreTables ?? [];
    if (ignored.length === 0) return object(schemaColumn, nameColumn);
    const pairs = ignored.map((table) => `(${stringLiteral(table.schema)}, ${stringLiteral(table.name)})`);
    return `${object(schemaColumn, nameColumn)} AND (${schemaColumn}, ${nameColumn}) NOT IN (${pairs.join(', ')})`;
  };
  return { schema, declaredSchema, object, relation };
}
