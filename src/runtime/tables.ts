import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Dialect, Renderer } from '../dialects/dialect.js';
import type { VersionTableChange } from '../graph/index.js';
import { operationBuilders } from '../operations/builders.js';
import type { Operation } from '../operations/operation.js';
import { sql } from '../operations/sql-expression.js';
import type { Executor } from './executor.js';
import type { StepDirection } from './progress.js';

/** Where ambix keeps its state: the version table (one row per head) and the history table (one row per step). */
export interface StateTables {
  /** Undefined: the connection's default schema. */
  readonly schema: string | undefined;
  readonly version: string;
  readonly history: string;
}

export function stateTables(config: ResolvedConfig): StateTables {
  return Object.freeze({
    schema: config.versionTableSchema,
    version: config.versionTable,
    history: config.historyTable,
  });
}

/** What the state tables' SQL needs of a dialect. */
export type StateDialect = Pick<Dialect, 'renderer' | 'state'>;

/** `"schema"."table"` or `"table"`. */
export function qualified(renderer: Renderer, schema: string | undefined, table: string): string {
  const name = renderer.quoteIdentifier(table);
  return schema === undefined ? name : `${renderer.quoteIdentifier(schema)}.${name}`;
}

/** The version table as Alembic makes it: `version_num varchar NOT NULL`, primary key `<table>_pkc`. */
export function createVersionTable(tables: StateTables): Operation {
  return operationBuilders.createTable(
    tables.version,
    [{ name: 'version_num', type: 'varchar(255)', nullable: false }],
    {
      ...(tables.schema === undefined ? {} : { schema: tables.schema }),
      ifNotExists: true,
      constraints: [{ type: 'primaryKey', name: `${tables.version}_pkc`, columns: ['version_num'] }],
    },
  );
}

/** The append-only history: one row per step run, stamped or failed. */
export function createHistoryTable(tables: StateTables, dialect: StateDialect): Operation {
  const { types, defaults } = dialect.state;
  return operationBuilders.createTable(
    tables.history,
    [
      { name: 'id', ...types.id, primaryKey: true },
      { name: 'revision', type: 'varchar(255)' },
      {
        name: 'direction',
        type: 'varchar(5)',
        nullable: false,
        check: "direction IN ('up', 'down', 'stamp')",
      },
      { name: 'from_heads', type: types.heads, nullable: false },
      { name: 'to_heads', type: types.heads, nullable: false },
      { name: 'checksum', type: 'varchar(64)' },
      { name: 'started_at', type: types.timestamp, nullable: false, default: sql.raw(defaults.now) },
      { name: 'finished_at', type: types.timestamp },
      { name: 'duration_ms', type: 'integer' },
      defaults.user === undefined
        ? { name: 'db_user', type: 'text' }
        : { name: 'db_user', type: 'text', nullable: false, default: sql.raw(defaults.user) },
      { name: 'host_name', type: 'text' },
      { name: 'ambix_version', type: 'text' },
      { name: 'error', type: 'text' },
    ],
    {
      ...(tables.schema === undefined ? {} : { schema: tables.schema }),
      ifNotExists: true,
      comment: 'ambix: every migration step run against this database (append-only)',
    },
  );
}

/** The statements that apply one version-table change (Alembic's HeadMaintainer). */
export function versionTableOperations(
  dialect: StateDialect,
  tables: StateTables,
  change: VersionTableChange,
): Operation[] {
  const { renderer } = dialect;
  const table = qualified(renderer, tables.schema, tables.version);
  const $ = (index: number) => renderer.placeholder(index);
  const insert = (revision: string) =>
    operationBuilders.execute(`INSERT INTO ${table} (version_num) VALUES (${$(1)})`, [revision]);
  const remove = (revision: string) =>
    operationBuilders.execute(`DELETE FROM ${table} WHERE version_num = ${$(1)}`, [revision]);
  const update = (from: string, to: string) =>
    operationBuilders.execute(`UPDATE ${table} SET version_num = ${$(1)} WHERE version_num = ${$(2)}`, [
      to,
      from,
    ]);
  switch (change.kind) {
    case 'insert':
      return [insert(change.revision)];
    case 'delete':
      return [remove(change.revision)];
    case 'update':
      return [update(change.from, change.to)];
    case 'merge':
      return [...change.delete.map(remove), update(change.from, change.to)];
    case 'unmerge':
      return [...change.insert.map(insert), update(change.from, change.to)];
  }
}

/** `DELETE FROM` the version table (`stamp --purge`). */
export function purgeVersionTable(renderer: Renderer, tables: StateTables): Operation {
  return operationBuilders.execute(`DELETE FROM ${qualified(renderer, tables.schema, tables.version)}`);
}

/** One row of the history table. */
export interface HistoryEntry {
  readonly revision: string | null;
  readonly direction: StepDirection;
  readonly fromHeads: readonly string[];
  readonly toHeads: readonly string[];
  readonly checksum: string | null;
  /** Undefined offline, where the script's run time is not known: the database's clock is used. */
  readonly startedAt?: Date;
  /** Null: the step has not finished (a step under way, or one that failed half-applied on MySQL). */
  readonly finishedAt?: Date | null;
  readonly durationMs?: number;
  readonly hostName: string | null;
  readonly ambixVersion: string;
  readonly error: string | null;
}

/** Rows per history INSERT: well under every dialect's limit on bound parameters (11 per row). */
export const HISTORY_ROWS_PER_INSERT = 500;

/** An INSERT of history rows (at most {@link HISTORY_ROWS_PER_INSERT}), in order. */
export function historyInsert(
  dialect: StateDialect,
  tables: StateTables,
  entries: readonly HistoryEntry[],
): Operation {
  if (entries.length === 0 || entries.length > HISTORY_ROWS_PER_INSERT) {
    throw new RangeError(`historyInsert takes 1 to ${HISTORY_ROWS_PER_INSERT} rows, not ${entries.length}`);
  }
  const { renderer, state } = dialect;
  const table = qualified(renderer, tables.schema, tables.history);
  const user = state.user === undefined ? '' : ', db_user';
  const columns = `revision, direction, from_heads, to_heads, checksum, started_at, finished_at, duration_ms, host_name, ambix_version, error${user}`;
  const params: unknown[] = [];
  const bind = (value: unknown, cast = ''): string => {
    params.push(value);
    return `${renderer.placeholder(params.length)}${cast}`;
  };
  const bindAs = (converted: { readonly value: unknown; readonly cast: string }): string =>
    bind(converted.value, converted.cast);
  const rows = entries.map((entry) => {
    const values = [
      bind(entry.revision),
      bind(entry.direction),
      bindAs(state.heads(entry.fromHeads)),
      bindAs(state.heads(entry.toHeads)),
      bind(entry.checksum),
      // Offline the script's run time is unknown: the database's clock at the time the statement runs.
      entry.startedAt === undefined ? state.clock : bindAs(state.timestamp(entry.startedAt)),
      entry.finishedAt === undefined
        ? state.clock
        : entry.finishedAt === null
          ? 'NULL'
          : bindAs(state.timestamp(entry.finishedAt)),
      bind(entry.durationMs === undefined ? null : Math.round(entry.durationMs), state.integerCast),
      bind(entry.hostName),
      bind(entry.ambixVersion),
      bind(entry.error),
      ...(state.user === undefined ? [] : [state.user]),
    ];
    return `(${values.join(', ')})`;
  });
  return operationBuilders.execute(`INSERT INTO ${table} (${columns}) VALUES ${rows.join(', ')}`, params);
}

/**
 * The version-table changes that take the table from holding `from` to holding `to` in the fewest statements: an
 * UPDATE per row that changes, then DELETEs or INSERTs for the rest. Online runs write the changes of all the steps
 * of a transaction at once with it; each statement must still affect exactly one row.
 */
export function versionTableTransition(from: readonly string[], to: readonly string[]): VersionTableChange[] {
  const removed = from.filter((revision) => !to.includes(revision));
  const added = to.filter((revision) => !from.includes(revision));
  const paired = Math.min(removed.length, added.length);
  const changes: VersionTableChange[] = [];
  for (let i = 0; i < paired; i++) changes.push({ kind: 'update', from: removed[i]!, to: added[i]! });
  for (const revision of removed.slice(paired)) changes.push({ kind: 'delete', revision });
  for (const revision of added.slice(paired)) changes.push({ kind: 'insert', revision });
  return changes;
}

/** Whether a table exists (schema-qualified, or found on the search path). */
export async function tableExists(
  executor: Executor,
  dialect: StateDialect,
  schema: string | undefined,
  table: string,
): Promise<boolean> {
  const query = dialect.state.tableExists(schema, table);
  return (await executor.query(query.sql, query.params)).length > 0;
}

/** The version table's rows; empty when the table does not exist yet. */
export async function readVersionRows(
  executor: Executor,
  dialect: StateDialect,
  tables: StateTables,
): Promise<string[]> {
  if (!(await tableExists(executor, dialect, tables.schema, tables.version))) return [];
  const rows = await executor.query(
    `SELECT version_num FROM ${qualified(dialect.renderer, tables.schema, tables.version)}`,
  );
  return rows.map((row) => String(row.version_num));
}

/** The checksum each revision was last applied (or stamped) with, from the history table. */
export async function readRecordedChecksums(
  executor: Executor,
  dialect: StateDialect,
  tables: StateTables,
): Promise<Map<string, string>> {
  if (!(await tableExists(executor, dialect, tables.schema, tables.history))) return new Map();
  const history = qualified(dialect.renderer, tables.schema, tables.history);
  // The newest qualifying row of each revision (portable: no DISTINCT ON outside PostgreSQL).
  const rows = await executor.query(
    `SELECT revision, checksum FROM ${history}
      WHERE id IN (SELECT max(id) FROM ${history}
                    WHERE error IS NULL AND revision IS NOT NULL AND checksum IS NOT NULL AND direction <> 'down'
                    GROUP BY revision)`,
  );
  return new Map(rows.map((row) => [String(row.revision), String(row.checksum)]));
}

/**
 * The revisions the history says are applied (their last successful row moved up or stamped to them), for
 * telling which applied migration files vanished.
 */
export async function readHistoryRevisions(
  executor: Executor,
  dialect: StateDialect,
  tables: StateTables,
): Promise<string[]> {
  if (!(await tableExists(executor, dialect, tables.schema, tables.history))) return [];
  const history = qualified(dialect.renderer, tables.schema, tables.history);
  const rows = await executor.query(
    `SELECT revision FROM ${history}
      WHERE id IN (SELECT max(id) FROM ${history} WHERE error IS NULL AND revision IS NOT NULL GROUP BY revision)
        AND direction <> 'down'`,
  );
  return rows.map((row) => String(row.revision));
}

/** Marks a history row finished: its end, its duration, and the error if it failed. */
export function finishHistoryRow(
  dialect: StateDialect,
  tables: StateTables,
  id: number,
  outcome: {
    readonly finishedAt: Date | null;
    readonly durationMs: number;
    readonly error: string | null;
    /** Where the version table stands after all, when the step did not get where its row says it went. */
    readonly toHeads?: readonly string[];
  },
): Operation {
  const { renderer, state } = dialect;
  const history = qualified(renderer, tables.schema, tables.history);
  const params: unknown[] = [];
  const bind = (value: unknown, cast = ''): string => {
    params.push(value);
    return `${renderer.placeholder(params.length)}${cast}`;
  };
  const finished =
    outcome.finishedAt === null
      ? 'NULL'
      : bind(state.timestamp(outcome.finishedAt).value, state.timestamp(outcome.finishedAt).cast);
  let assignments = `finished_at = ${finished}, duration_ms = ${bind(Math.round(outcome.durationMs), state.integerCast)}, error = ${bind(outcome.error)}`;
  if (outcome.toHeads !== undefined) {
    const heads = state.heads(outcome.toHeads);
    assignments += `, to_heads = ${bind(heads.value, heads.cast)}`;
  }
  return operationBuilders.execute(
    `UPDATE ${history} SET ${assignments} WHERE id = ${bind(id, state.integerCast)}`,
    params,
  );
}

/**
 * The id of the newest history row of a revision that has not finished: the one just written for a step, on a
 * driver that does not report the key an INSERT generated.
 */
export async function unfinishedRowId(
  executor: Executor,
  dialect: StateDialect,
  tables: StateTables,
  revision: string | null,
): Promise<number> {
  const history = qualified(dialect.renderer, tables.schema, tables.history);
  const rows = await executor.query(
    `SELECT max(id) AS id FROM ${history} WHERE finished_at IS NULL AND ${revision === null ? 'revision IS NULL' : `revision = ${dialect.renderer.placeholder(1)}`}`,
    revision === null ? [] : [revision],
  );
  return Number(rows[0]?.id);
}

/** A step the history says started and never finished: half-applied, to be resolved by the operator. */
export interface UnfinishedStep {
  readonly revision: string | null;
  readonly direction: string;
  readonly fromHeads: readonly string[];
  readonly toHeads: readonly string[];
  readonly error: string | null;
  readonly startedAt: string;
}

/**
 * Steps whose newest history row never finished (`finished_at` NULL): on a database without transactional DDL a
 * failed migration can leave part of its changes behind, and so can a process killed mid-step. Rows are oldest
 * first.
 */
export async function readUnfinishedSteps(
  executor: Executor,
  dialect: StateDialect,
  tables: StateTables,
): Promise<UnfinishedStep[]> {
  if (!(await tableExists(executor, dialect, tables.schema, tables.history))) return [];
  const history = qualified(dialect.renderer, tables.schema, tables.history);
  const rows = await executor.query(
    `SELECT revision, direction, from_heads, to_heads, error, started_at FROM ${history}
      WHERE finished_at IS NULL
        AND id IN (SELECT max(id) FROM ${history} WHERE revision IS NOT NULL GROUP BY revision)
      ORDER BY id`,
  );
  const heads = (value: unknown): string[] =>
    typeof value === 'string'
      ? (JSON.parse(value) as string[])
      : Array.isArray(value)
        ? value.map(String)
        : [];
  return rows.map((row) => ({
    revision: row.revision === null ? null : String(row.revision),
    direction: String(row.direction),
    fromHeads: heads(row.from_heads),
    toHeads: heads(row.to_heads),
    error: row.error === null ? null : String(row.error),
    startedAt: row.started_at instanceof Date ? row.started_at.toISOString() : String(row.started_at),
  }));
}
