/**
 * The schema model: a database's schema as plain, frozen, dialect-neutral data. Reflection (a dialect's
 * introspector reading a live database) and the `ambix/schema` DSL (a project's schema in TypeScript) both produce
 * it; autogenerate compares two of them and turns the differences into operations.
 *
 * Conventions that make two models comparable:
 * - Every object is fully qualified: `schema` is always set (`'public'` on PostgreSQL by default), every
 *   constraint and index has its name (the DSL applies the naming convention to unnamed ones).
 * - Column-level shorthands (`primaryKey: true`, `unique`, `references`, `check`) are hoisted into the table's
 *   named constraints; a column holds only what belongs to the column itself.
 * - SQL fragments (defaults, checks, predicates, view queries) are SQL text. Reflected ones are as the database
 *   prints them (`pg_get_expr`, `pg_get_viewdef`); the DSL's are as written, rendered with the dialect's literals.
 *   Comparison normalizes both sides, and settles what it cannot normalize by materializing the target.
 * - Types are as the database names them in its catalog output (`character varying(255)`, `timestamp with time
 *   zone`, `integer[]`); the DSL canonicalizes its own spellings the same way where it can.
 * - Arrays are sorted by name (schemas, tables, columns keep their declared/ordinal order: column order matters).
 */

/** The model of a whole database (or of the part that include/exclude filters keep). */
export interface SchemaModel {
  /** Schemas other than the default one that objects live in or that the schema declares (`public` excluded). */
  readonly schemas: readonly string[];
  readonly extensions: readonly ExtensionModel[];
  readonly enums: readonly EnumModel[];
  readonly domains: readonly DomainModel[];
  /** Stand-alone sequences; those owned by identity or serial columns belong to their column. */
  readonly sequences: readonly SequenceModel[];
  readonly tables: readonly TableModel[];
  readonly views: readonly ViewModel[];
  readonly functions: readonly FunctionModel[];
  readonly triggers: readonly TriggerModel[];
  /** Objects of other kinds (aggregates, operators, casts, policies, composite types…), carried by definition. */
  readonly others: readonly OtherObjectModel[];
}

/** What every named object of a schema has. */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export interface ExtensionModel {
  readonly name: string;
  /** The schema it was installed into. */
  readonly schema: string;
  readonly version?: string;
}

export interface EnumModel extends QualifiedName {
  /** In their declared order (sort order of the enum). */
  readonly values: readonly string[];
  readonly comment?: string;
}

export interface DomainModel extends QualifiedName {
  /** The base type, as the database prints it. */
  readonly type: string;
  readonly nullable: boolean;
  readonly default?: string;
  readonly collation?: string;
  readonly checks: readonly NamedCheck[];
  readonly comment?: string;
}

export interface NamedCheck {
  readonly name: string;
  /** The boolean expression, without the `CHECK (…)` around it. */
  readonly expression: string;
}

export interface SequenceModel extends QualifiedName {
  /** `smallint`, `integer` or `bigint`. */
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** The column the sequence is owned by (`OWNED BY`), if any. */
  readonly ownedBy?: { readonly schema: string; readonly table: string; readonly column: string };
  readonly comment?: string;
}

export interface TableModel extends QualifiedName {
  /** In their ordinal order. */
  readonly columns: readonly ColumnModel[];
  readonly primaryKey?: PrimaryKeyModel;
  readonly foreignKeys: readonly ForeignKeyModel[];
  readonly uniques: readonly UniqueModel[];
  readonly checks: readonly CheckModel[];
  readonly excludes: readonly ExcludeModel[];
  /** Indexes that back no constraint (a primary key's or unique constraint's index is the constraint's). */
  readonly indexes: readonly IndexModel[];
  readonly comment?: string;
  /** A partitioned table: `PARTITION BY` as the database prints it (`RANGE (created_at)`). */
  readonly partitionBy?: string;
  /** A partition: its parent and bound (`FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`, `DEFAULT`). */
  readonly partitionOf?: { readonly schema: string; readonly table: string; readonly bound: string };
  /** Unlogged tables skip the WAL. */
  readonly unlogged?: boolean;
  /** MySQL's storage engine (`MyISAM`, `Aria`…), only when it is not the server's default one. */
  readonly engine?: string;
  /** MySQL's table collation (and with it the character set), only when it is not its database's default. */
  readonly collation?: string;
  /** SQLite's `STRICT` table: every column has one of SQLite's own types, and values must be of that type. */
  readonly strict?: true;
  /**
   * SQLite's `WITHOUT ROWID` table: stored in its primary key's order, with no rowid. Its key columns are NOT NULL
   * (SQLite reports them so whether or not they were declared so), and it has no AUTOINCREMENT.
   */
  readonly withoutRowid?: true;
}

export interface ColumnModel {
  readonly name: string;
  /** As the database prints it: `integer`, `character varying(255)`, `numeric(10,2)`, `text[]`, `"my enum"`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default's SQL (absent for identity and generated columns). */
  readonly default?: string;
  readonly identity?: IdentityModel;
  /** A generated column's expression. */
  readonly generated?: string;
  /**
   * A generated column computed when read (`VIRTUAL`, SQLite's and MySQL's default); absent for a stored one
   * (PostgreSQL's only kind).
   */
  readonly generatedKind?: 'virtual';
  /**
   * What an UPDATE that leaves the column alone sets it to (MySQL's `ON UPDATE current_timestamp()`), as the
   * database prints it.
   */
  readonly onUpdate?: string;
  /** Only when it differs from the type's default collation. */
  readonly collation?: string;
  readonly comment?: string;
}

export interface IdentityModel {
  readonly generated: 'always' | 'byDefault';
  /** The identity sequence's parameters, as strings (bigint-safe); absent when they are the defaults. */
  readonly start?: string;
  readonly increment?: string;
  readonly minValue?: string;
  readonly maxValue?: string;
  readonly cache?: string;
  readonly cycle?: boolean;
}

export interface ConstraintTiming {
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

export interface PrimaryKeyModel {
  readonly name: string;
  readonly columns: readonly string[];
  readonly include?: readonly string[];
}

export type ReferentialActionModel = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKeyModel extends ConstraintTiming {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: {
    readonly schema: string;
    readonly table: string;
    readonly columns: readonly string[];
  };
  readonly onDelete: ReferentialActionModel;
  readonly onUpdate: ReferentialActionModel;
  readonly match: 'simple' | 'full' | 'partial';
  /** Added `NOT VALID` and not validated since. */
  readonly notValid?: boolean;
}

export interface UniqueModel extends ConstraintTiming {
  readonly name: string;
  readonly columns: readonly string[];
  readonly nullsNotDistinct?: boolean;
  readonly include?: readonly string[];
}

export interface CheckModel {
  readonly name: string;
  readonly expression: string;
  readonly noInherit?: boolean;
  readonly notValid?: boolean;
}

export interface ExcludeModel extends ConstraintTiming {
  readonly name: string;
  /** The whole definition after `EXCLUDE`, as the database prints it: `USING gist (room WITH =, during WITH &&)`. */
  readonly definition: string;
}

export interface IndexElementModel {
  /** A column name, or absent for an expression. */
  readonly column?: string;
  /** An expression's SQL, or absent for a column. */
  readonly expression?: string;
  readonly collation?: string;
  readonly opclass?: string;
  readonly order?: 'asc' | 'desc';
  readonly nulls?: 'first' | 'last';
  /** A prefix length (MySQL's `email(10)`): the key holds the column's first `length` characters only. */
  readonly length?: number;
}

export interface IndexModel {
  readonly name: string;
  readonly unique: boolean;
  /** `btree`, `gin`, `gist`, `brin`, `hash`, `hnsw`… */
  readonly method: string;
  readonly elements: readonly IndexElementModel[];
  readonly include?: readonly string[];
  readonly where?: string;
  readonly nullsNotDistinct?: boolean;
  /** Storage parameters, as `name=value` strings sorted by name. */
  readonly with?: readonly string[];
}

export interface ViewModel extends QualifiedName {
  readonly materialized: boolean;
  /** The `SELECT`, as the database prints it (`pg_get_viewdef`). */
  readonly query: string;
  /** Explicit column names, when the view declares them. */
  readonly columns?: readonly string[];
  /** A materialized view's indexes, sorted by name (a plain view has none). */
  readonly indexes?: readonly IndexModel[];
  readonly comment?: string;
  /**
   * The relations (tables, views, materialized views) the query reads, as the database records them (PostgreSQL's
   * `pg_depend`), sorted by schema and name. Absent where the database keeps no such record (SQLite, MySQL) or the
   * view was not read from a database (the DSL's model): dependencies are then found by the names the query
   * mentions. Not part of the view's definition: the query determines it.
   */
  readonly dependsOn?: readonly QualifiedName[];
  /**
   * `false`: a materialized view the schema declares `WITH NO DATA`, which a migration creates empty (to be
   * refreshed later). Declared only: a database does not tell, and it is not compared.
   */
  readonly withData?: false;
}

export interface FunctionModel extends QualifiedName {
  readonly kind: 'function' | 'procedure';
  /** The argument types that identify an overload: `integer, text`. */
  readonly identityArguments: string;
  /** The whole `CREATE OR REPLACE FUNCTION …` statement as the database prints it (`pg_get_functiondef`). */
  readonly definition: string;
  readonly comment?: string;
}

export interface TriggerModel {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** The whole `CREATE TRIGGER …` statement as the database prints it (`pg_get_triggerdef`). */
  readonly definition: string;
  /** The function it calls, for ordering (a trigger needs its function). */
  readonly function: QualifiedName;
  readonly enabled?: boolean;
}

/** An object of a kind ambix does not model in detail, kept so that nothing is ever dropped without notice. */
export interface OtherObjectModel {
  /** `aggregate`, `operator`, `cast`, `policy`, `composite type`, `rule`… */
  readonly kind: string;
  readonly schema?: string;
  /** The table it belongs to, for objects named within a table's namespace (policies, rules). */
  readonly table?: string;
  readonly name: string;
  /** SQL that creates it. */
  readonly definition: string;
}

/** An empty model, to build on or to compare against (autogenerate `--from-empty`). */
export const EMPTY_SCHEMA: SchemaModel = Object.freeze({
  schemas: Object.freeze([]),
  extensions: Object.freeze([]),
  enums: Object.freeze([]),
  domains: Object.freeze([]),
  sequences: Object.freeze([]),
  tables: Object.freeze([]),
  views: Object.freeze([]),
  functions: Object.freeze([]),
  triggers: Object.freeze([]),
  others: Object.freeze([]),
});
