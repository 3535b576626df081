import type { Connection } from '../dialects/dialect.js';
import type { QualifiedName, SchemaModel } from './model.js';

/**
 * Which objects reflection reads. Patterns are globs over `schema.name` (`*` any run of characters, `?` one
 * character; a pattern without a dot matches the name in any schema). Filters are applied in the catalog queries,
 * before anything is read, so that excluded objects cost nothing.
 */
export interface IntrospectOptions {
  /** Schemas to read; omitted, every schema that is not the database's own (`pg_catalog`, `information_schema`…). */
  readonly schemas?: readonly string[];
  /** When given, only objects matching one of these patterns are read. */
  readonly include?: readonly string[];
  /** Objects matching one of these patterns are not read. */
  readonly exclude?: readonly string[];
  /** Tables never read whatever the patterns say: ambix's version and history tables. */
  readonly ignoreTables?: readonly QualifiedName[];
}

/** Reads a live database's schema into the dialect-neutral model. */
export interface Introspector {
  introspect(connection: Connection, options?: IntrospectOptions): Promise<SchemaModel>;
  /**
   * A declared model as this introspector would report it, where building it in a scratch database does not say:
   * foreign keys (compared as declared) and what the database does not keep apart (MySQL's RESTRICT and NO ACTION,
   * its primary keys all named PRIMARY). Without it, the declared model is compared as it is.
   */
  canonical?(model: SchemaModel): SchemaModel;
}
