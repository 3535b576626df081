import type { Connection, Dialect, QueryResult, RenderContext, Renderer, Sql } from '../dialects/dialect.js';
import { AmbixError } from '../errors.js';
import type { Operation } from '../operations/operation.js';
import type { SchemaModel } from '../schema/model.js';

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
  /**
   * Runs operations together, for ambix's bookkeeping: in one round trip where the driver can send several
   * statements at once (MySQL), and in a transaction that lasts until the next commit or rollback, the open one or
   * one begun for them, even where a DDL statement already ended the one a step began (see the adapter's `hold`).
   * Returns each operation's result (its last statement's: the rows it affected, the key an INSERT generated);
   * offline, empty results. A failure names the statements together.
   */
  runTogether(operations: readonly Operation[]): Promise<readonly QueryResult[]>;
  /** The statements of operations that ran (offline: were written) so far, for reports of how far a step got. */
  readonly statementsRun: number;
  /**
   * The statements of operations sent so far that a ROLLBACK may not undo (the adapter's `staysInside`: MySQL's
   * DDL, which commits the open transaction before it runs, even when it then fails). Offline: all of them.
   */
  readonly committingStatements: number;
  /** Runs a query and returns its rows. Online only. */
  query(sql: string, params?: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
  begin(): Promise<void>;
  /** Commits; with `chain`, a new transaction is open after it. */
  commit(options?: { readonly chain?: boolean }): Promise<void>;
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
  let statementsRun = 0;
  let committingStatements = 0;
  const runSql = async (statement: Sql, script: boolean): Promise<QueryResult> => {
    try {
      if (statement.params === undefined && script && connection.exec !== undefined) {
        await connection.exec(statement.sql);
        return { rows: [], rowCount: 0 };
      }
      return await connection.query(statement.sql, statement.params);
    } catch (error) {
      throw new StatementError(statement.sql, inlineSafely(renderer, statement), error);
    }
  };
  const rendered = async (operation: Operation): Promise<readonly Sql[]> =>
    renderer.render(operation, await reflectedContext(connection, dialect, operation));
  /** Statements in one round trip where the driver can, a failure naming them together; results in order. */
  const runBatch = async (statements: readonly Sql[]): Promise<readonly QueryResult[]> => {
    if (connection.batch === undefined || statements.length < 2) {
      const results: QueryResult[] = [];
      for (const statement of statements) results.push(await runSql(statement, false));
      return results;
    }
    try {
      return await connection.batch(statements);
    } catch (error) {
      const together = (text: (statement: Sql) => string) => statements.map(text).join(';\n');
      throw new StatementError(
        together((statement) => statement.sql),
        together((statement) => inlineSafely(renderer, statement)),
        error,
      );
    }
  };
  const control = (statements: readonly string[]): Sql[] => statements.map((sql) => ({ sql }));
  /** Whether the open transaction was made to last past DDL statements (the adapter's `hold`). */
  let held = false;
  /**
   * Ends the open transaction with `statements`, releases its hold if it was held, then runs `next` (a new
   * transaction's BEGIN), in one round trip where the driver can. Ending it failed: the transaction is over all the
   * same, and the hold is released if it can be.
   */
  const settle = async (statements: readonly string[], next: readonly string[] = []): Promise<void> => {
    const release = held ? (transaction.hold?.release ?? []) : [];
    held = false;
    try {
      await runBatch(control([...statements, ...release, ...next]));
    } catch (error) {
      inTransaction = false;
      await runBatch(control(release)).catch(() => {});
      throw error;
    }
  };
  return {
    offline: false,
    get inTransaction() {
      return inTransaction;
    },
    get statementsRun() {
      return statementsRun;
    },
    get committingStatements() {
      return committingStatements;
    },
    async run(operation) {
      let affected = 0;
      // An `execute` without parameters may be a script of several statements (an SQL migration section).
      const script = operation.kind === 'execute';
      for (const statement of await rendered(operation)) {
        if (transaction.staysInside !== undefined && !transaction.staysInside(statement.sql))
          committingStatements += 1;
        affected = (await runSql(statement, script)).rowCount;
        statementsRun += 1;
      }
      return affected;
    },
    async runTogether(operations) {
      const rendering: (readonly Sql[])[] = [];
      for (const operation of operations) rendering.push(await rendered(operation));
      const statements = rendering.flat();
      const hold = transaction.hold !== undefined && !held ? transaction.hold.statements : [];
      const begin = !inTransaction && hold.length === 0 ? transaction.begin : [];
      const prefix = control([...begin, ...hold]);
      // Open (and held) from here, even if a statement fails: the failure's ROLLBACK ends it and releases it.
      inTransaction = true;
      held ||= hold.length > 0;
      const results = (await runBatch([...prefix, ...statements])).slice(prefix.length);
      statementsRun += statements.length;
      // Each operation's last statement.
      let end = 0;
      return rendering.map((each) => {
        end += each.length;
        return (each.length === 0 ? undefined : results[end - 1]) ?? { rows: [], rowCount: 0 };
      });
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
      await runBatch(control(transaction.begin));
      inTransaction = true;
    },
    async commit(options) {
      const chain = options?.chain === true;
      inTransaction = false;
      await settle(transaction.commit, chain ? transaction.begin : []);
      inTransaction = chain;
    },
    async rollback() {
      inTransaction = false;
      await settle(transaction.rollback);
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
  const inSchema = (schema: string | undefined) => schema ?? dialect.defaultSchema;
  const find = (schema: string | undefined, name: string) =>
    model.tables.find((table) => table.schema === inSchema(schema) && table.name === name);
  return {
    table: find,
    // What a table rebuild must create again: the table's triggers, which reflection keeps with the table (SQLite's
    // among the other objects). Views are left where they are: they name the table, which has its name again after
    // the rebuild, and recreating them would cost a reflection of the whole database for no change.
    dependents: (schema, name) =>
      find(schema, name) === undefined
        ? undefined
        : {
            views: [],
            triggers: model.others.filter(
              (other) =>
                other.kind === 'trigger' &&
                other.table === name &&
                inSchema(other.schema) === inSchema(schema),
            ),
          },
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

export interface OfflineExecutorOptions {
  /**
   * The project's schema module as a model, for a run that ends where the module describes the database (an
   * upgrade to the heads). Loaded when an operation first needs a table's present definition, which an offline run
   * cannot read: a renderer may then build the table from its declaration (see RenderContext.declaredTable).
   */
  readonly declaredSchema?: () => Promise<SchemaModel>;
  /** The schema of an operation that names none, as the declared model names it (`main` on SQLite). */
  readonly defaultSchema?: string;
}

/**
 * The render context of an offline run: no table can be read; the schema module's tables, when given, serve for
 * the last change the run makes to a table. Each table a renderer took from the module is remembered, and a later
 * operation on it refused: the module describes the table after that change too, so the rebuild already made it.
 */
function declaredTables(options: OfflineExecutorOptions) {
  let loading: Promise<{ model?: SchemaModel; error?: unknown }> | undefined;
  const used = new Map<string, string>();
  const keyOf = (schema: string | undefined, name: string) =>
    JSON.stringify([schema ?? options.defaultSchema, name]);
  return {
    refuseLaterChange(operation: Operation): void {
      for (const [schema, table] of tablesNamed(operation)) {
        const rebuiltBy = used.get(keyOf(schema, table));
        if (rebuiltBy === undefined) continue;
        throw new AmbixError(
          'FAILED',
          `op.${operation.kind}() changes table ${JSON.stringify(table)} after op.${rebuiltBy}() rebuilt it from the schema module, which declares the table as it is after the last migration: that rebuild already made this change, or contradicts it.`,
          {
            hint: `Give the earlier change the table as it is before it: put it in op.batchAlterTable(${JSON.stringify(table)}, (batch) => { … }, { existing: … }). Or write the script from a database (online).`,
            details: { operation: operation.kind, table },
          },
        );
      }
    },
    async context(operation: Operation, renderer: Renderer): Promise<RenderContext> {
      const load = options.declaredSchema;
      if (load === undefined || (renderer.tablesNeeded?.(operation) ?? []).length === 0) {
        return { offline: true, table: () => undefined };
      }
      loading ??= load().then(
        (model) => ({ model }),
        (error: unknown) => ({ error }),
      );
      const declared = await loading;
      return {
        offline: true,
        table: () => undefined,
        declaredTable: (schema, name) => {
          if (declared.error !== undefined) throw declared.error;
          const wanted = schema ?? options.defaultSchema;
          const table = declared.model?.tables.find((t) => t.schema === wanted && t.name === name);
          if (table !== undefined) used.set(keyOf(schema, name), operation.kind);
          return table;
        },
      };
    },
  };
}

/** The operations that change a table's definition (data, triggers and the like leave it as it is). */
const CHANGES_TABLE = new Set<Operation['kind']>([
  'createTable',
  'dropTable',
  'renameTable',
  'setTableComment',
  'addColumn',
  'dropColumn',
  'alterColumn',
  'createIndex',
  'dropIndex',
  'createPrimaryKey',
  'createForeignKey',
  'createUniqueConstraint',
  'createCheckConstraint',
  'createExcludeConstraint',
  'dropConstraint',
  'batchAlterTable',
]);

/** The tables an operation changes the definition of, as `[schema, name]` (a rename's new name too). */
function tablesNamed(operation: Operation): [string | undefined, string][] {
  if (!CHANGES_TABLE.has(operation.kind)) return [];
  const schema = 'schema' in operation ? operation.schema : undefined;
  const named: [string | undefined, string][] = [];
  if ('table' in operation && typeof operation.table === 'string') named.push([schema, operation.table]);
  if (operation.kind === 'renameTable') named.push([schema, operation.newName]);
  return named;
}

export function offlineExecutor(renderer: Renderer, options: OfflineExecutorOptions = {}): OfflineExecutor {
  const parts: string[] = [];
  let inTransaction = false;
  let statementsRun = 0;
  const declared = declaredTables(options);
  const write = (statement: Sql): void => {
    parts.push(`${terminated(renderer.inline(statement))}\n\n`);
  };
  const run = async (operation: Operation): Promise<number> => {
    declared.refuseLaterChange(operation);
    const context = await declared.context(operation, renderer);
    for (const statement of renderer.render(operation, context)) {
      write(statement);
      statementsRun += 1;
    }
    return 0;
  };
  const begin = async (): Promise<void> => {
    write({ sql: 'BEGIN' });
    inTransaction = true;
  };
  return {
    offline: true,
    get inTransaction() {
      return inTransaction;
    },
    get statementsRun() {
      return statementsRun;
    },
    get committingStatements() {
      return statementsRun;
    },
    run,
    async runTogether(operations) {
      if (!inTransaction && operations.length > 0) await begin();
      for (const operation of operations) await run(operation);
      return operations.map(() => ({ rows: [], rowCount: 0 }));
    },
    async query() {
      throw new AmbixError('FAILED', 'Offline (--sql) runs cannot read the database.');
    },
    begin,
    async commit(options) {
      write({ sql: 'COMMIT' });
      inTransaction = false;
      if (options?.chain === true) await begin();
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
