/**
 * IntrospectOptions as predicates over `sqlite_schema` rows. Everything is local to the process, so the rows of the
 * one `sqlite_schema` query are filtered here, before any pragma reads a table: excluded tables cost nothing more.
 * Patterns mean what they mean on PostgreSQL (`schema.name` globs, or a bare name in any schema).
 */
import type { IntrospectOptions } from '../../../schema/introspector.js';
import { globToRegex } from '../../postgres/introspect/filter.js';
import { asciiLower, sameName } from './tokens.js';

/** The main database; attached databases are the other schemas. */
export const MAIN_SCHEMA = 'main';

export interface ObjectFilter {
  /** The attached databases to read: `main` unless `schemas` names others; `temp` never. */
  schemasToRead(attached: readonly string[]): string[];
  /** A schema reported in the model's `schemas`: read, not `main`, and not left empty by the patterns. */
  declaredSchema(schema: string): boolean;
  /** A table, view or virtual table that is read: not internal (`sqlite_…`), matched, and not ignored. */
  relation(schema: string, name: string): boolean;
}

interface Pattern {
  /** The schema part of a `schema.name` pattern; absent for a bare name. */
  readonly schema?: RegExp;
  readonly name: RegExp;
  /** `schema.*`: the whole schema. */
  readonly wholeSchema: boolean;
}

/** `u`: `?` stands for one character, not one UTF-16 unit; `s`: `*` spans newlines, as on PostgreSQL. */
const globRegex = (glob: string): RegExp => new RegExp(globToRegex(glob), 'su');

function pattern(text: string): Pattern {
  const dot = text.indexOf('.');
  if (dot < 0) return { name: globRegex(text), wholeSchema: false };
  const name = text.slice(dot + 1);
  return { schema: globRegex(text.slice(0, dot)), name: globRegex(name), wholeSchema: name === '*' };
}

const matches = (item: Pattern, schema: string, name: string): boolean =>
  (item.schema?.test(schema) ?? true) && item.name.test(name);

/** SQLite reserves names starting with `sqlite_` (any case) for its own tables: sqlite_sequence, sqlite_stat1… */
const isInternal = (name: string): boolean => asciiLower(name.slice(0, 7)) === 'sqlite_';

/** Empty lists filter nothing, like omitted ones (as on PostgreSQL). */
export function objectFilter(options: IntrospectOptions = {}): ObjectFilter {
  const include = (options.include ?? []).map(pattern);
  const exclude = (options.exclude ?? []).map(pattern);
  const wanted = options.schemas ?? [];
  const ignored = options.ignoreTables ?? [];

  const schemasToRead = (attached: readonly string[]): string[] => {
    const readable = attached.filter((schema) => !sameName(schema, 'temp'));
    if (wanted.length === 0) return readable.filter((schema) => sameName(schema, MAIN_SCHEMA));
    return readable.filter((schema) => wanted.some((name) => sameName(name, schema)));
  };
  const declaredSchema = (schema: string): boolean => {
    if (schema === MAIN_SCHEMA) return false;
    const dotted = include.every((item) => item.schema !== undefined);
    if (include.length > 0 && dotted && !include.some((item) => item.schema?.test(schema))) return false;
    return !exclude.some((item) => item.wholeSchema && item.schema?.test(schema));
  };
  const relation = (schema: string, name: string): boolean =>
    !isInternal(name) &&
    (include.length === 0 || include.some((item) => matches(item, schema, name))) &&
    !exclude.some((item) => matches(item, schema, name)) &&
    // SQLite finds a table whatever the case it is named in: so are the ignored ones.
    !ignored.some((table) => sameName(table.schema, schema) && sameName(table.name, name));

  return { schemasToRead, declaredSchema, relation };
}
