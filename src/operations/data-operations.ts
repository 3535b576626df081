import type { SchemaOption } from './table-operations.js';
import {
  checkName,
  checkNames,
  checkOptionalName,
  checkOptions,
  compact,
  deepFreeze,
  invalidOperation,
  isPlainObject,
} from './validate.js';

/**
 * SQL run as written. With `params` it is one statement whose placeholders are bound (`$1`, `$2`… on PostgreSQL,
 * `?` on SQLite and MySQL; inlined as literals in offline scripts); without, it may be a script of several
 * statements.
 */
export interface ExecuteOperation {
  readonly kind: 'execute';
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/**
 * Rows inserted with bound values. `columns` is every key of every row, in first-seen order; a row without a
 * key (or with `undefined`) gets the column's `DEFAULT`. A `sql` expression as a value is inlined as SQL.
 */
export interface BulkInsertOperation {
  readonly kind: 'bulkInsert';
  readonly schema?: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * The start of an `op.autocommit()` block. The runtime commits the migration's transaction (if it is in one) and
 * runs what follows outside any transaction until the matching {@link EndAutocommitOperation}, then opens a new
 * transaction. Rendered for offline scripts as `COMMIT` (and `BEGIN` for the end); a migration that runs without
 * a transaction treats both as no-ops.
 */
export interface BeginAutocommitOperation {
  readonly kind: 'beginAutocommit';
}

/** The end of an `op.autocommit()` block; see {@link BeginAutocommitOperation}. */
export interface EndAutocommitOperation {
  readonly kind: 'endAutocommit';
}

export interface BulkInsertOptions extends SchemaOption {
  /** The columns to insert, in order; omitted, every key of every row in first-seen order. */
  readonly columns?: readonly string[];
}

export const dataBuilders = {
  /**
   * Runs SQL as written. With `params`, one statement with its placeholders bound (`$1`, `$2`… on PostgreSQL, `?`
   * on SQLite and MySQL; inlined as literals in `--sql` output); without, one statement or a script of several.
   */
  execute(sql: string, params?: readonly unknown[]): ExecuteOperation {
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw invalidOperation('execute', 'sql must be a non-empty string of SQL');
    }
    if (params !== undefined && !Array.isArray(params))
      throw invalidOperation('execute', 'params must be an array');
    return deepFreeze(
      compact({ kind: 'execute' as const, sql, params: params?.length ? [...params] : undefined }),
    );
  },

  /**
   * `INSERT INTO table (…) VALUES (…), (…)` with bound values, split into as many statements as the database's
   * limit of parameters per statement needs (65,535 on PostgreSQL and MySQL, 32,766 on SQLite). Values are bound
   * as they are, as the driver binds them: on PostgreSQL a JavaScript array becomes an array and another object
   * JSON, so pass a JSON array for a json column as `JSON.stringify(value)`; SQLite and MySQL take both as JSON
   * text. A `sql` expression is inlined as SQL (`{ id: sql\`gen_random_uuid()\` }`).
   */
  bulkInsert(
    table: string,
    rows: readonly Readonly<Record<string, unknown>>[],
    options?: BulkInsertOptions,
  ): BulkInsertOperation {
    const o = checkOptions('bulkInsert', options);
    if (!Array.isArray(rows)) throw invalidOperation('bulkInsert', 'rows must be an array of objects');
    rows.forEach((row, index) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw invalidOperation('bulkInsert', `rows[${index}] must be an object of column values`);
      }
    });
    let columns: string[];
    if (o.columns !== undefined) {
      columns = checkNames('bulkInsert', 'columns', o.columns);
      const known = new Set(columns);
      rows.forEach((row, index) => {
        for (const key of Object.keys(row)) {
          if (!known.has(key))
            throw invalidOperation(
              'bulkInsert',
              `rows[${index}] has ${JSON.stringify(key)}, which is not in columns`,
            );
        }
      });
    } else {
      const seen = new Set<string>();
      for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
      columns = [...seen].map((key) => checkName('bulkInsert', 'column', key));
    }
    return Object.freeze(
      compact({
        kind: 'bulkInsert' as const,
        schema: checkOptionalName('bulkInsert', 'schema', o.schema),
        table: checkName('bulkInsert', 'table', table),
        columns: Object.freeze(columns),
        rows: Object.freeze(rows.map((row) => deepFreeze(isPlainObject(row) ? row : { ...row }))),
      }),
    );
  },
};

export const BEGIN_AUTOCOMMIT: BeginAutocommitOperation = Object.freeze({ kind: 'beginAutocommit' });
export const END_AUTOCOMMIT: EndAutocommitOperation = Object.freeze({ kind: 'endAutocommit' });
