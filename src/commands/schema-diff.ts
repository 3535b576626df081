import { withAuthorText } from '../autogenerate/author-text.js';
import { batchTableChanges } from '../autogenerate/batch.js';
import {
  type CompareOptions,
  type Comparison,
  compareSchemas,
  type Renames,
  type SchemaDifference,
} from '../autogenerate/compare.js';
import { materialize } from '../autogenerate/materialize.js';
import {
  invertRenames,
  mergeRenames,
  type RenameCandidate,
  type RenamePolicy,
  renameCandidates,
  resolveRenames,
} from '../autogenerate/renames.js';
import { settle, settledTarget } from '../autogenerate/settle.js';
import type { CompareColumnContext } from '../config/define-config.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Dialect } from '../dialects/dialect.js';
import { AmbixError } from '../errors.js';
import type { Operation } from '../operations/operation.js';
import { type DatabaseContext, type DatabaseOptions, readHeads, withDatabase } from '../runtime/database.js';
import { openScratchDatabase } from '../runtime/scratch.js';
import type { IntrospectOptions } from '../schema/introspector.js';
import { loadDeclaredSchema } from '../schema/load-schema.js';
import { EMPTY_SCHEMA, type SchemaModel, type TableModel } from '../schema/model.js';
import { loadProject } from './project.js';

export interface SchemaDiffOptions extends DatabaseOptions {
  /** Renames to apply (`--rename`), on top of those the schema declares with `renamedFrom`. */
  readonly renames?: Renames;
  /** Asked about each likely rename; without it, likely renames are written as a drop and an add. */
  readonly resolveRename?: RenamePolicy;
  /** Compare with an empty database instead of the configured one's schema (`--from-empty`). */
  readonly fromEmpty?: boolean;
  /** Refuse unless the database is at the head revisions (what `revision --autogenerate` needs). */
  readonly requireHeads?: boolean;
}

/** What stands between the database and the declared schema. */
export interface SchemaDiff {
  readonly differences: readonly SchemaDifference[];
  /** The operations that take the database to the declared schema, in an order that runs. */
  readonly upgrade: readonly Operation[];
  /** The operations that take it back. */
  readonly downgrade: readonly Operation[];
  /** Things noticed and left alone (objects of kinds autogenerate does not drop, …). */
  readonly notes: readonly string[];
  /** Likely renames nobody answered: written as a drop and an add. */
  readonly unresolvedRenames: readonly RenameCandidate[];
  /** The database compared, password masked. */
  readonly url: string;
}

/**
 * Compares the live database with the declared schema. The declared schema is built in a scratch database and
 * reflected there, so both sides are read by the same introspector in the database's own spelling: defaults,
 * types and view queries that PostgreSQL rewrites never show up as differences.
 */
export async function schemaDiff(
  config: ResolvedConfig,
  options: SchemaDiffOptions = {},
): Promise<SchemaDiff> {
  const project =
    options.requireHeads === true && options.fromEmpty !== true ? await loadProject(config) : undefined;
  return withDatabase(config, options, { lock: false, ensureTables: false }, async (context) => {
    const loaded = await loadDeclaredSchema(config, context.dialect);
    const canonical = context.dialect.introspector.canonical;
    const declared = canonical === undefined ? loaded : { ...loaded, model: canonical(loaded.model) };
    if (project !== undefined) {
      const heads = await readHeads(context, project.map);
      const pending = project.map.heads.filter((head) => !heads.includes(head));
      if (pending.length > 0 || heads.some((head) => !project.map.heads.includes(head))) {
        throw new AmbixError(
          'NOT_UP_TO_DATE',
          `Target database is not up to date: it is at ${heads.length === 0 ? 'base' : heads.join(', ')}, the migrations' heads are ${project.map.heads.join(', ')}.`,
          {
            hint: "Run 'ambix upgrade heads' first, so that the new migration starts where the others end.",
            details: { heads, expected: [...project.map.heads] },
          },
        );
      }
    }
    const filters = await introspectOptions(config, context);
    const live =
      options.fromEmpty === true
        ? EMPTY_SCHEMA
        : await context.dialect.introspector.introspect(context.session.connection, filters);
    const notes: string[] = [];
    // Most of a declared schema usually matches the database already: only the rest is built in a scratch database.
    const settlement = settle(declared.model, live);
    let built: SchemaModel | undefined;
    if (settlement.toBuild !== undefined) {
      const scratch = await openScratchDatabase(config, context.session, context.onProgress);
      try {
        // The database's extensions are there for the declared schema to use (uuid_generate_v4(), citext…).
        for (const extension of live.extensions) {
          if (declared.model.extensions.some((e) => e.name === extension.name)) continue;
          await scratch.connection
            .query(`CREATE EXTENSION IF NOT EXISTS "${extension.name.replaceAll('"', '""')}"`)
            .catch((error: unknown) => {
              notes.push(
                `Could not create the extension ${extension.name} in ${scratch.description}: ${error instanceof Error ? error.message : String(error)}.`,
              );
            });
        }
        try {
          built = await materialize(settlement.toBuild, scratch.connection, context.dialect, {
            ...filters,
            ignoreTables: [],
          });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new AmbixError('SCHEMA_INVALID', `The declared schema cannot be built: ${reason}`, {
            hint: `ambix builds it in ${scratch.description} to compare it; fix the declaration the database refused (run with --debug for the statement).`,
            cause: error,
          });
        }
      } finally {
        await scratch.close();
      }
    }
    let target = settledTarget(declared.model, live, settlement, built);
    target = applyCompareHooks(config, live, target);

    const decided = mergeRenames(declared.renames, options.renames ?? {});
    const candidates = renameCandidates(live, target, decided);
    const renames = await resolveRenames(candidates, decided, options.resolveRename);
    const unresolvedRenames =
      options.resolveRename === undefined ? renameCandidates(live, target, renames) : [];
    const compareOptions = compareOptionsOf(context.dialect);
    const up: Comparison = compareSchemas(live, target, renames, compareOptions);
    const down: Comparison = compareSchemas(target, live, invertRenames(renames), compareOptions);
    // SQLite copies a table to change most of it: one copy per table, not per change.
    const batched = (operations: readonly Operation[]) =>
      context.dialect.name === 'sqlite' ? batchTableChanges(operations) : operations;
    const processed = processOperations(
      config,
      batched(withAuthorText(up.operations, target, declared.model)),
      batched(down.operations),
    );
    return {
      differences: up.differences,
      upgrade: processed.upgrade,
      downgrade: processed.downgrade,
      notes: [...notes, ...up.notes],
      unresolvedRenames,
      url: context.session.url,
    };
  });
}

/** How the comparison writes operations for a database of this dialect. */
export function compareOptionsOf(
  dialect: Pick<Dialect, 'name' | 'defaultSchema' | 'adapter'>,
): CompareOptions {
  const postgres = dialect.name === 'postgres' || dialect.name === 'pglite';
  return {
    defaultSchema: dialect.defaultSchema,
    alterConstraints: dialect.adapter.capabilities.alterConstraints,
    castOnTypeChange: postgres,
    renameConstraints: postgres,
    foreignKeysNeedIndex: dialect.name === 'mysql',
    identityNeedsKey: !postgres,
    namedPrimaryKeys: dialect.name !== 'mysql',
  };
}

/** The filters of the config, plus ambix's own tables, which are never compared. */
export async function introspectOptions(
  config: ResolvedConfig,
  context: DatabaseContext,
): Promise<IntrospectOptions> {
  const postgres = context.dialect.name === 'postgres' || context.dialect.name === 'pglite';
  const schema =
    config.versionTableSchema ??
    (postgres
      ? String(
          (await context.session.connection.query('SELECT current_schema() AS name')).rows[0]?.name ??
            'public',
        )
      : context.dialect.defaultSchema);
  const { include, exclude, schemas } = config.autogenerate;
  return {
    ...(include === undefined ? {} : { include }),
    ...(exclude === undefined ? {} : { exclude }),
    ...(schemas === undefined ? {} : { schemas }),
    ignoreTables: [
      { schema, name: config.versionTable },
      { schema, name: config.historyTable },
    ],
  };
}

/**
 * `compareType` and `compareDefault`: where a hook says two columns do not differ, the declared column takes the
 * database's value, so the comparison sees none.
 */
function applyCompareHooks(config: ResolvedConfig, live: SchemaModel, target: SchemaModel): SchemaModel {
  const { compareType, compareDefault } = config.autogenerate;
  if (compareType === undefined && compareDefault === undefined) return target;
  const liveTables = new Map(live.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const tables = target.tables.map((table): TableModel => {
    const before = liveTables.get(`${table.schema}.${table.name}`);
    if (before === undefined) return table;
    const columns = table.columns.map((column) => {
      const old = before.columns.find((c) => c.name === column.name);
      if (old === undefined) return column;
      const context = (database: string | undefined, declared: string | undefined): CompareColumnContext => ({
        schema: table.schema,
        table: table.name,
        column: column.name,
        database,
        declared,
      });
      let result = column;
      if (
        compareType !== undefined &&
        old.type !== column.type &&
        compareType(context(old.type, column.type)) === false
      ) {
        result = { ...result, type: old.type };
      }
      if (
        compareDefault !== undefined &&
        old.default !== column.default &&
        compareDefault(context(old.default, column.default)) === false
      ) {
        const { default: _ignored, ...rest } = result;
        result = old.default === undefined ? rest : { ...rest, default: old.default };
      }
      return result;
    });
    return { ...table, columns };
  });
  return { ...target, tables };
}

function processOperations(
  config: ResolvedConfig,
  upgrade: readonly Operation[],
  downgrade: readonly Operation[],
): { upgrade: readonly Operation[]; downgrade: readonly Operation[] } {
  const hook = config.autogenerate.processOperations;
  if (hook === undefined) return { upgrade, downgrade };
  let result: { readonly upgrade: readonly unknown[]; readonly downgrade: readonly unknown[] };
  try {
    result = hook({ upgrade, downgrade });
  } catch (error) {
    throw new AmbixError(
      'HOOK_FAILED',
      `autogenerate.processOperations failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (!Array.isArray(result?.upgrade) || !Array.isArray(result?.downgrade)) {
    throw new AmbixError(
      'HOOK_FAILED',
      'autogenerate.processOperations must return { upgrade, downgrade }, two lists of operations.',
    );
  }
  return { upgrade: result.upgrade as Operation[], downgrade: result.downgrade as Operation[] };
}
