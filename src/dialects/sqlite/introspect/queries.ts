/**
 * The catalog queries: the attached databases, `sqlite_schema` once (all read schemas in one UNION), then one
 * query per pragma family joining the pragma's table-valued function to the list of tables read, passed as one
 * JSON parameter. Five queries, whatever the number of tables or schemas.
 */

export interface DatabaseRow {
  readonly name: string;
}

export const DATABASES_QUERY = 'SELECT name FROM pragma_database_list ORDER BY seq';

export interface SchemaObjectRow {
  readonly schema: string;
  /** `table`, `index`, `view` or `trigger`. */
  readonly type: string;
  readonly name: string;
  /** `tbl_name`: an index's or trigger's table (a trigger's as its statement spells it). */
  readonly table: string;
  /** The CREATE statement as SQLite keeps it; null for the indexes of PRIMARY KEY and UNIQUE constraints. */
  readonly sql: string | null;
  /** A table's type in `pragma table_list`: `table`, `virtual`, or `shadow` for a virtual table's own storage. */
  readonly tableType: string | null;
  /** A table's `strict` in `pragma table_list`: 1 for a STRICT table. */
  readonly strict: number | null;
  /** A table's `wr` in `pragma table_list`: 1 for a WITHOUT ROWID table. */
  readonly withoutRowid: number | null;
}

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const stringLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Every object of the given attached databases (at least one). */
export function schemaObjectsQuery(schemas: readonly string[]): string {
  return schemas
    .map(
      (schema) => `SELECT ${stringLiteral(schema)} AS "schema", m.type, m.name, m.tbl_name AS "table", m.sql,
       l.type AS "tableType", l.strict, l.wr AS "withoutRowid"
  FROM ${quoteIdentifier(schema)}.sqlite_schema m
  LEFT JOIN pragma_table_list(m.name) l ON m.type = 'table' AND l.schema = ${stringLiteral(schema)}`,
    )
    .join('\nUNION ALL\n');
}

/** The tables read, from the JSON parameter `[["schema", "table"], …]`, in its order. */
const TABLES_READ = `tables_read AS (
  SELECT key, json_extract(value, '$[0]') AS "schema", json_extract(value, '$[1]') AS name FROM json_each(?))`;

/** A list of tables as the JSON parameter of the pragma queries. */
export const tablesParameter = (
  tables: readonly { readonly schema: string; readonly name: string }[],
): string => JSON.stringify(tables.map((table) => [table.schema, table.name]));

export interface ColumnRow {
  readonly schema: string;
  readonly table: string;
  readonly cid: number;
  readonly name: string;
  /** The declared type as written (SQLite upper-cases only its own names: INT, INTEGER, REAL, TEXT, BLOB, ANY). */
  readonly type: string;
  readonly notNull: number;
  readonly default: string | null;
  /** The column's position in the primary key, from 1; 0 when not in it. */
  readonly pk: number;
  /** 0 a plain column, 1 a virtual table's hidden column, 2 generated virtual, 3 generated stored. */
  readonly hidden: number;
}

/** `table_xinfo`, unlike `table_info`, also lists generated columns. */
export const COLUMNS_QUERY = `WITH ${TABLES_READ}
SELECT t."schema", t.name AS "table", c.cid, c.name, c.type, c."notnull" AS "notNull", c.dflt_value AS "default",
       c.pk, c.hidden
  FROM tables_read t JOIN pragma_table_xinfo(t.name, t."schema") c
 ORDER BY t.key, c.cid`;

export interface ForeignKeyRow {
  readonly schema: string;
  readonly table: string;
  /** Numbers the table's foreign keys, the last declared first. */
  readonly id: number;
  readonly seq: number;
  /** The parent table as the statement spells it. */
  readonly parent: string;
  readonly column: string;
  /** The parent's column as the parent names it; null when the parent or its key does not exist. */
  readonly referenced: string | null;
  readonly onUpdate: string;
  readonly onDelete: string;
}

/**
 * `to` is the parent column as written, or null for `REFERENCES parent` without columns (the parent's primary
 * key): both are resolved against the parent's columns here, so that the model names them as the parent does.
 */
export const FOREIGN_KEYS_QUERY = `WITH ${TABLES_READ}
SELECT t."schema", t.name AS "table", f.id, f.seq, f."table" AS parent, f."from" AS "column",
       (SELECT p.name FROM pragma_table_info(f."table", t."schema") p
         WHERE CASE WHEN f."to" IS NULL THEN p.pk = f.seq + 1 ELSE p.name = f."to" COLLATE NOCASE END
       ) AS referenced,
       f.on_update AS "onUpdate", f.on_delete AS "onDelete"
  FROM tables_read t JOIN pragma_foreign_key_list(t.name, t."schema") f
 ORDER BY t.key, f.id, f.seq`;

export interface IndexColumnRow {
  readonly schema: string;
  readonly table: string;
  readonly index: string;
  readonly unique: number;
  /** `c` CREATE INDEX, `u` a UNIQUE constraint's index. */
  readonly origin: string;
  readonly partial: number;
  readonly seqno: number;
  /** The column's number; -2 an expression, -1 the rowid. */
  readonly cid: number;
  readonly column: string | null;
  readonly desc: number;
}

/** The key columns of indexes and UNIQUE constraints; a primary key's index (origin `pk`) is the key's own. */
export const INDEXES_QUERY = `WITH ${TABLES_READ}
SELECT t."schema", t.name AS "table", l.name AS "index", l."unique", l.origin, l.partial, x.seqno, x.cid,
       x.name AS "column", x."desc"
  FROM tables_read t
  JOIN pragma_index_list(t.name, t."schema") l
  JOIN pragma_index_xinfo(l.name, t."schema") x
 WHERE x.key = 1 AND l.origin <> 'pk'
 ORDER BY t.key, l.name, x.seqno`;
