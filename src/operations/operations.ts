import { AsyncLocalStorage } from 'node:async_hooks';
import { AmbixError } from '../errors.js';
import { type OperationBuilders, operationBuilders } from './builders.js';
import { BEGIN_AUTOCOMMIT, END_AUTOCOMMIT } from './data-operations.js';
import type { Operation } from './operation.js';

type OperationMethods = {
  readonly [K in keyof OperationBuilders]: (...args: Parameters<OperationBuilders[K]>) => Promise<void>;
};

/**
 * The `op` argument of a migration's `upgrade()` and `downgrade()`. Operations run in the order they are called,
 * awaited or not; online they run against the database, offline (`--sql`) they are written to the script. A
 * failing operation rejects its own promise and the migration, and no later operation runs.
 *
 * Names (tables, columns, constraints…) are identifiers and always quoted; values are bound or escaped. SQL goes
 * where only SQL can go (a check, a `where`, a view's query) as a string or a `sql` expression, and where a value
 * could go (defaults, inserted rows) only as a `sql` expression: `default: sql\`now()\`` vs `default: 'active'`.
 */
export interface Operations extends OperationMethods {
  /**
   * Runs a query and returns its rows, after every operation called before it. Online only: offline (`--sql`)
   * there is no database to read, and it rejects with an AmbixError.
   */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /**
   * Runs `block` outside the migration's transaction (Alembic's `autocommit_block`), for statements PostgreSQL
   * refuses inside one: `CREATE INDEX CONCURRENTLY`, `ALTER TYPE … ADD VALUE` before PostgreSQL 12, `VACUUM`.
   * The transaction is committed before the block and a new one begun after it. Await the operations inside
   * the block; blocks do not nest.
   */
  autocommit<T>(block: () => Promise<T> | T): Promise<T>;
  /** The `-x key=value` arguments of the command line. */
  readonly x: Readonly<Record<string, string>>;
  /** Whether this run writes a script (`--sql`) instead of changing a database. */
  readonly offline: boolean;
  /**
   * The database the migration runs on (PGlite is `postgresql`), online and offline alike: for a migration that
   * writes a statement its own way for each (`if (op.dialect === 'postgresql') …`).
   */
  readonly dialect: DatabaseKind;
}

/** The kinds of database ambix migrates. */
export type DatabaseKind = 'postgresql' | 'sqlite' | 'mysql';

/** What the runtime gives the `op` facade. */
export interface OperationsContext {
  /** Runs one operation (online) or renders it into the script (offline). Called one at a time, in order. */
  emit(operation: Operation): Promise<void>;
  /** Runs a query and returns its rows; absent offline. */
  query?(sql: string, params: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
  readonly x?: Readonly<Record<string, string>>;
  readonly offline: boolean;
  /** The database operations are run on or rendered for; PostgreSQL when not given. */
  readonly dialect?: DatabaseKind;
}

/** Runs tasks one after another; after a failure, every later task fails with the same error without running. */
class TaskQueue {
  private tail: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | undefined;
  closed = false;

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(() => {
      if (this.failure !== undefined) throw this.failure.error;
      return task();
    });
    this.tail = result.then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    // A migration may leave an operation's promise unawaited: its failure then surfaces through settle().
    result.catch(() => undefined);
    return result;
  }

  /** Waits for every task, including tasks queued while waiting; rejects with the first failure. */
  async settle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
    if (this.failure !== undefined) throw this.failure.error;
  }
}

const QUEUES = new WeakMap<Operations, TaskQueue>();

/**
 * The `op` object a migration receives. Each method builds its operation at once (so bad arguments fail at the
 * call) and queues it; the queue hands operations to `context.emit` one at a time, in call order.
 * After the migration's function returns, the runtime must `await settleOperations(op)`.
 */
export function createOperations(context: OperationsContext): Operations {
  const main = new TaskQueue();
  const block = new AsyncLocalStorage<TaskQueue>();
  const current = (): TaskQueue => {
    const inner = block.getStore();
    return inner !== undefined && !inner.closed ? inner : main;
  };
  const methods: Record<string, (...args: never[]) => Promise<void>> = {};
  for (const [name, build] of Object.entries(operationBuilders)) {
    methods[name] = (...args: never[]): Promise<void> => {
      let operation: Operation;
      try {
        operation = (build as (...a: never[]) => Operation)(...args);
      } catch (error) {
        return current().run(() => Promise.reject(error));
      }
      return current().run(() => context.emit(operation));
    };
  }
  const op: Operations = Object.freeze({
    ...(methods as unknown as OperationMethods),
    query<Row extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      return current().run(async () => {
        if (context.offline || context.query === undefined) {
          const shown = sql.trim().split('\n')[0]!;
          const excerpt = shown.length > 60 ? `${shown.slice(0, 57)}…` : shown;
          throw new AmbixError(
            'FAILED',
            `op.query(${JSON.stringify(excerpt)}) reads the database, and an offline (--sql) run has none.`,
            {
              hint: 'Make the SQL independent of what it would read: do the work in SQL (INSERT … SELECT, UPDATE … FROM, a DO block) with op.execute(), or skip the read when op.offline is true.',
            },
          );
        }
        return [...(await context.query(sql, params))] as Row[];
      });
    },
    autocommit<T>(run: () => Promise<T> | T): Promise<T> {
      if (block.getStore() !== undefined && !block.getStore()?.closed) {
        return current().run(() => {
          throw new AmbixError('FAILED', 'op.autocommit() blocks do not nest.', {
            hint: 'Move the inner operations into the outer block.',
          });
        });
      }
      return main.run(async () => {
        await context.emit(BEGIN_AUTOCOMMIT);
        const inner = new TaskQueue();
        let failure: { readonly error: unknown } | undefined;
        let value: T | undefined;
        try {
          value = await block.run(inner, run);
        } catch (error) {
          failure = { error };
        }
        try {
          await inner.settle();
        } catch (error) {
          failure ??= { error };
        }
        inner.closed = true;
        if (failure !== undefined) throw failure.error;
        await context.emit(END_AUTOCOMMIT);
        return value as T;
      });
    },
    x: Object.freeze({ ...(context.x ?? {}) }),
    offline: context.offline,
    dialect: context.dialect ?? 'postgresql',
  });
  QUEUES.set(op, main);
  return op;
}

/**
 * Waits until every operation the migration queued has run, awaited or not, and rejects with the first failure.
 * The runtime calls it after `upgrade(op)`/`downgrade(op)` returns.
 */
export function settleOperations(op: Operations): Promise<void> {
  const queue = QUEUES.get(op);
  if (queue === undefined)
    return Promise.reject(new TypeError('settleOperations() takes an op made by createOperations()'));
  return queue.settle();
}

/** The module shape of a TypeScript migration file. */
export interface MigrationModule {
  readonly revision: string;
  readonly downRevision: string | readonly string[] | null;
  readonly branchLabels?: string | readonly string[] | null;
  readonly dependsOn?: string | readonly string[] | null;
  /** `false` runs the migration outside a transaction. */
  readonly transaction?: boolean;
  upgrade(op: Operations): Promise<void> | void;
  downgrade(op: Operations): Promise<void> | void;
}
