/**
 * The information_schema queries: one per object family for every database read, never one per object. Each
 * selects only what the filter keeps and aliases its columns as the row types below name them. Names and databases
 * come back raw (the real database name, mapped to the model's schema afterwards); types, defaults and definitions
 * as the server prints them. Flags come back as the catalog's own text (`YES`, `NO`): a comparison's result would
 * come back as a number or a string depending on the driver's settings.
 */
import type { IntrospectOptions } from '../../../schema/introspector.js';
import { qualifiedName, stringLiteral } from '../render-literal.js';
import type { CatalogFilter } from './filter.js';
import type { ServerFeatures } from './server.js';

/** Counts and positions: numbers, or strings when the driver returns big numbers as text. */
type CatalogNumber = number | string;

export interface SessionRow {
  readonly version: string;
  readonly current: string | null;
  /** One of the databases `schemas` names that exists; one row each (a single row with null when none). */
  readonly existing: string | null;
}

/** The server, the session's database and which of the databases `schemas` names exist: one row per database. */
export const sessionQuery = (options: IntrospectOptions): string => {
  const named = options.schemas ?? [];
  const exists = named.length === 0 ? 'FALSE' : `s.SCHEMA_NAME IN (${named.map(stringLiteral).join(', ')})`;
  return `
SELECT VERSION() AS \`version\`, DATABASE() AS \`current\`, s.SCHEMA_NAME AS \`existing\`
  FROM (SELECT 1 AS one) AS single_row
  LEFT JOIN information_schema.SCHEMATA s ON ${exists}`;
};

export interface TableRow {
  readonly schema: string;
  readonly name: string;
  /** `BASE TABLE` or `SEQUENCE` (MariaDB). */
  readonly type: string;
  /** The table's default collation, which its columns' collations are compared with. */
  readonly collation: string | null;
  readonly comment: string | null;
  /** The storage engine (`InnoDB`), and the server's default one. */
  readonly engine: string | null;
  readonly defaultEngine: string | null;
  /** The default collation of the table's database, which the table's is compared with. */
  readonly databaseCollation: string | null;
}

/** MariaDB lists its sequences among the tables; views are read apart, with their definitions. */
export const tablesQuery = (filter: CatalogFilter): string => `
SELECT t.TABLE_SCHEMA AS \`schema\`, t.TABLE_NAME AS \`name\`, t.TABLE_TYPE AS \`type\`,
       t.TABLE_COLLATION AS \`collation\`, t.TABLE_COMMENT AS \`comment\`, t.ENGINE AS \`engine\`,
       @@default_storage_engine AS \`defaultEngine\`, d.DEFAULT_COLLATION_NAME AS \`databaseCollation\`
  FROM information_schema.TABLES t
  LEFT JOIN information_schema.SCHEMATA d ON d.SCHEMA_NAME = t.TABLE_SCHEMA
 WHERE t.TABLE_TYPE IN ('BASE TABLE', 'SEQUENCE') AND ${filter.relation('t.TABLE_SCHEMA', 't.TABLE_NAME')}`;

export interface ColumnRow {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** COLUMN_TYPE: `int(11)`, `varchar(255)`, `enum('a','b')`, `int(10) unsigned`. */
  readonly type: string;
  /** DATA_TYPE: the type's bare name (`int`, `varchar`, `longtext`), which decides how a raw default is quoted. */
  readonly dataType: string;
  readonly nullable: string;
  readonly default: string | null;
  /** `auto_increment`, `on update current_timestamp()`, `STORED GENERATED`, `DEFAULT_GENERATED`… */
  readonly extra: string | null;
  readonly generated: string | null;
  readonly collation: string | null;
  readonly comment: string | null;
}

/** The columns of views come along (information_schema cannot tell them apart cheaply) and are left unused. */
export const columnsQuery = (filter: CatalogFilter): string => `
SELECT c.TABLE_SCHEMA AS \`schema\`, c.TABLE_NAME AS \`table\`, c.COLUMN_NAME AS \`name\`,
       c.COLUMN_TYPE AS \`type\`, c.DATA_TYPE AS \`dataType\`, c.IS_NULLABLE AS \`nullable\`,
       c.COLUMN_DEFAULT AS \`default\`, c.EXTRA AS \`extra\`, c.GENERATION_EXPRESSION AS \`generated\`,
       c.COLLATION_NAME AS \`collation\`, c.COLUMN_COMMENT AS \`comment\`
  FROM information_schema.COLUMNS c
 WHERE ${filter.relation('c.TABLE_SCHEMA', 'c.TABLE_NAME')}
 ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`;

export interface IndexColumnRow {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** `0` for a primary key, a unique constraint or a unique index. */
  readonly nonUnique: CatalogNumber;
  readonly position: CatalogNumber;
  /** Null for a functional key part. */
  readonly column: string | null;
  /** A functional key part's expression (MySQL 8.0.13 and later). */
  readonly expression: string | null;
  /** `A` ascending, `D` descending, null when the index has no order (FULLTEXT). */
  readonly order: string | null;
  /** A prefix length (`email(10)`). */
  readonly length: CatalogNumber | null;
  /** `BTREE`, `HASH`, `FULLTEXT`, `SPATIAL`. */
  readonly method: string;
}

/** Every index, one row per key part: primary keys and unique constraints are indexes in MySQL. */
export const indexesQuery = (filter: CatalogFilter, features: ServerFeatures): string => `
SELECT s.TABLE_SCHEMA AS \`schema\`, s.TABLE_NAME AS \`table\`, s.INDEX_NAME AS \`name\`,
       s.NON_UNIQUE AS \`nonUnique\`, s.SEQ_IN_INDEX AS \`position\`, s.COLUMN_NAME AS \`column\`,
       ${features.indexExpressions ? 's.EXPRESSION' : 'NULL'} AS \`expression\`, s.COLLATION AS \`order\`,
       s.SUB_PART AS \`length\`, s.INDEX_TYPE AS \`method\`
  FROM information_schema.STATISTICS s
 WHERE ${filter.relation('s.TABLE_SCHEMA', 's.TABLE_NAME')}
 ORDER BY s.TABLE_SCHEMA, s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX`;

export interface ForeignKeyColumnRow {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly column: string;
  readonly referencedSchema: string;
  readonly referencedTable: string;
  readonly referencedColumn: string;
  /** `CASCADE`, `SET NULL`, `SET DEFAULT`, `RESTRICT`, `NO ACTION`. */
  readonly onUpdate: string;
  readonly onDelete: string;
  /** `NONE` (simple), `FULL`, `PARTIAL`. */
  readonly match: string | null;
}

/** One row per key column, in the key's order; the referenced column is the one at the same position. */
export const foreignKeysQuery = (filter: CatalogFilter): string => `
SELECT k.TABLE_SCHEMA AS \`schema\`, k.TABLE_NAME AS \`table\`, k.CONSTRAINT_NAME AS \`name\`,
       k.COLUMN_NAME AS \`column\`, k.REFERENCED_TABLE_SCHEMA AS \`referencedSchema\`,
       k.REFERENCED_TABLE_NAME AS \`referencedTable\`, k.REFERENCED_COLUMN_NAME AS \`referencedColumn\`,
       r.UPDATE_RULE AS \`onUpdate\`, r.DELETE_RULE AS \`onDelete\`, r.MATCH_OPTION AS \`match\`
  FROM information_schema.KEY_COLUMN_USAGE k
  JOIN information_schema.REFERENTIAL_CONSTRAINTS r
    ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
   AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
 WHERE k.REFERENCED_TABLE_NAME IS NOT NULL AND ${filter.relation('k.TABLE_SCHEMA', 'k.TABLE_NAME')}
   AND ${filter.schema('r.CONSTRAINT_SCHEMA')}
 ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;

export interface CheckRow {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly expression: string;
}

/**
 * MariaDB's CHECK_CONSTRAINTS names each check's table, and names a column-level check after its column (so that
 * check names are unique per table only). MySQL's does not name the table: TABLE_CONSTRAINTS does, and check
 * names are unique per database there.
 */
export const checksQuery = (filter: CatalogFilter, features: ServerFeatures): string =>
  features.mariadb
    ? `
SELECT c.CONSTRAINT_SCHEMA AS \`schema\`, c.TABLE_NAME AS \`table\`, c.CONSTRAINT_NAME AS \`name\`,
       c.CHECK_CLAUSE AS \`expression\`
  FROM information_schema.CHECK_CONSTRAINTS c
 WHERE ${filter.relation('c.CONSTRAINT_SCHEMA', 'c.TABLE_NAME')}`
    : `
SELECT t.TABLE_SCHEMA AS \`schema\`, t.TABLE_NAME AS \`table\`, t.CONSTRAINT_NAME AS \`name\`,
       c.CHECK_CLAUSE AS \`expression\`
  FROM information_schema.TABLE_CONSTRAINTS t
  JOIN information_schema.CHECK_CONSTRAINTS c
    ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
 WHERE t.CONSTRAINT_TYPE = 'CHECK' AND ${filter.relation('t.TABLE_SCHEMA', 't.TABLE_NAME')}
   AND ${filter.schema('c.CONSTRAINT_SCHEMA')}`;

export interface ViewRow {
  readonly schema: string;
  readonly name: string;
  readonly query: string;
}

export const viewsQuery = (filter: CatalogFilter): string => `
SELECT v.TABLE_SCHEMA AS \`schema\`, v.TABLE_NAME AS \`name\`, v.VIEW_DEFINITION AS \`query\`
  FROM information_schema.VIEWS v
 WHERE ${filter.relation('v.TABLE_SCHEMA', 'v.TABLE_NAME')}`;

export interface TriggerRow {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** `BEFORE` or `AFTER`. */
  readonly timing: string;
  /** `INSERT`, `UPDATE` or `DELETE`. */
  readonly event: string;
  /** The trigger's place among its table's triggers for the same timing and event, from 1. */
  readonly order: CatalogNumber;
  readonly body: string;
}

/** A trigger belongs to its table: it is read when its table is. */
export const triggersQuery = (filter: CatalogFilter): string => `
SELECT g.EVENT_OBJECT_SCHEMA AS \`schema\`, g.EVENT_OBJECT_TABLE AS \`table\`, g.TRIGGER_NAME AS \`name\`,
       g.ACTION_TIMING AS \`timing\`, g.EVENT_MANIPULATION AS \`event\`, g.ACTION_ORDER AS \`order\`,
       g.ACTION_STATEMENT AS \`body\`
  FROM information_schema.TRIGGERS g
 WHERE ${filter.relation('g.EVENT_OBJECT_SCHEMA', 'g.EVENT_OBJECT_TABLE')}`;

export interface SequenceRow {
  readonly schema: string;
  readonly name: string;
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: string;
}

/**
 * MariaDB keeps a sequence's parameters in the sequence itself (a one-row table), not in information_schema: one
 * query reads them all, a UNION of one SELECT per sequence. Values come back as text (bigint-safe on any driver).
 */
export const sequencesQuery = (
  sequences: readonly { readonly schema: string; readonly name: string }[],
): string =>
  sequences
    .map(
      (sequence) => `
SELECT ${stringLiteral(sequence.schema)} AS \`schema\`, ${stringLiteral(sequence.name)} AS \`name\`,
       CAST(start_value AS CHAR) AS \`start\`, CAST(increment AS CHAR) AS \`increment\`,
       CAST(minimum_value AS CHAR) AS \`minValue\`, CAST(maximum_value AS CHAR) AS \`maxValue\`,
       CAST(cache_size AS CHAR) AS \`cache\`, CAST(cycle_option AS CHAR) AS \`cycle\`
  FROM ${qualifiedName(sequence.schema, sequence.name)}`,
    )
    .join('\nUNION ALL');
