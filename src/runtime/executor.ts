import type { Connection, Dialect, RenderContext, Renderer, Sql } from '../dialects/dialect.js';
import { AmbixError } from '../errors.js';
import type { Operation } from '../operations/operation.js';

/**
 * The one execution point (Alembic's `_exec`): every statement of a run, the migrations' and ambix's own
 * bookkeeping alike, goes through `run`. Online it runs on the connection; offline it appends the statement, its
 * parameters inlined, to the script. Offline scripts therefore contain exactly what an online run executes.
 */
export interface Executor {
  readonly offline: boolean;
  /** Whether a transaction ambix opened is in progress. */
  readonly inTransaction: boolean;
  /** Runs (or writes) an operation; returns the rows the last statement affected (0 offline). */
  run(operation: Operation): Promise<number>;
  /** Runs a query and returns its rows. Online only. */
  query(sql: string, params?: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** A `-- comment` line in an offline script; nothing online. */
  comment(text: string): void;
}

/** A statement the database refused, with the statement itself. */
export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    /** The SQL as sent (positions in the database's error refer to it). */
    readonly sql: string,
    /** The statement with its parameters inlined, for reports. */
    readonly inlined: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** What an online executor needs of the dialect. */
export type ExecutorDialect = Pick<Dialect, 'renderer' | 'adapter' | 'introspector' | 'defaultSchema'>;

/**
 * An executor that runs statements on `connection`. An operation whose rendering needs a table's present
 * definition (SQLite's table rebuild, MySQL's full column restatement) gets it reflected from the database first.
 */
export function onlineExecutor(connection: Connection, dialect: ExecutorDialect): Executor {
  const { renderer } = dialect;
  const { transaction } = dialect.adapter;
  let inTransaction = false;
  const runSql = async (statement: Sql, script: boolean): Promise<number> => {
    try {
      if (statement.params === undefined && script && connection.exec !== undefined) {
        await connection.exec(statement.sql);
        return 0;
      }
      return (await connection.query(statement.sql, statement.params)).rowCount;
    } catch (error) {
      throw new StatementError(statement.sql, inlineSafely(renderer, statement), error);
    }
  };
  return {
    offline: false,
    get inTransaction() {
      return inTransaction;
    },
    async run(operation) {
      let affected = 0;
      // An `execute` without parameters may be a script of several statements (an SQL migration section).
      const script = operation.kind === 'execute';
      const context = await reflectedContext(connection, dialect, operation);
      for (const statement of renderer.render(operation, context)) affected = await runSql(statement, script);
      return affected;
    },
    async query(sql, params) {
      try {
        return (await connection.query(sql, params)).rows;
      } catch (error) {
        const statement = { sql, ...(params === undefined ? {} : { params }) };
        throw new StatementError(sql, inlineSafely(renderer, statement), error);
      }
    },
    async begin() {
      for (const sql of transaction.begin) await runSql({ sql }, false);
      inTransaction = true;
    },
    async commit() {
      inTransaction = false;
      for (const sql of transaction.commit) await runSql({ sql }, false);
    },
    async rollback() {
      inTransaction = false;
      for (const sql of transaction.rollback) await runSql({ sql }, false);
    },
    comment() {},
  };
}

/** The present definitions of the tables `operation` needs to be rendered, reflected; undefined when none. */
async function reflectedContext(
  connection: Connection,
  dialect: ExecutorDialect,
  operation: Operation,
): Promise<RenderContext | undefined> {
  const needed = dialect.renderer.tablesNeeded?.(operation) ?? [];
  if (needed.length === 0) return undefined;
  const model = await dialect.introspector.introspect(connection, {
    include: needed.map((table) => `${table.schema ?? dialect.defaultSchema}.${table.name}`),
  });
  return {
    table: (schema, name) =>
      model.tables.find((table) => table.schema === (schema ?? dialect.defaultSchema) && table.name === name),
  };
}

function inlineSafely(renderer: Renderer, statement: Sql): string {
  try {
    return renderer.inline(statement);
  } catch {
    return statement.sql;
  }
}

/** An executor that writes the script a DBA can review and run with psql. */
export interface OfflineExecutor extends Executor {
  /** The script so far. */
  script(): string;
  /** Appends a statement written by hand (e.g. `SET lock_timeout …`). */
  statement(statement: Sql): void;
}

export function offlineExecutor(renderer: Renderer): OfflineExecutor {
  const parts: string[] = [];
  let inTransaction = false;
  const write = (statement: Sql): void => {
    parts.push(`${terminated(renderer.inline(statement))}\n\n`);
  };
  return {
    offline: true,
    get inTransaction() {
      return inTransaction;
    },
    async run(operation) {
      for (const statement of renderer.render(operation)) write(statement);
      return 0;
    },
    async query() {
      throw new AmbixError('FAILED', 'Offline (--sql) runs cannot read the database.');
    },
    async begin() {
      write({ sql: 'BEGIN' });
      inTransaction = true;
    },
    async commit() {
      write({ sql: 'COMMIT' });
      inTransaction = false;
    },
    async rollback() {
      write({ sql: 'ROLLBACK' });
      inTransaction = false;
    },
    comment(text) {
      for (const line of text.split(/\r?\n/)) parts.push(`-- ${line}\n`);
      parts.push('\n');
    },
    statement: write,
    script: () => parts.join(''),
  };
}

/**
 * A statement ending in exactly one `;`, on a line of its own when the statement ends in a line comment (which
 * would otherwise swallow it).
 */
export function terminated(sql: string): string {
  const body = sql.replace(/[\s;]+$/, '');
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  return lastLine.includes('--') ? `${body}\n;` : `${body};`;
}
