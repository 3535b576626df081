import { AmbixError } from '../errors.js';
import type { SchemaModel, TableModel } from '../schema/model.js';
import type { Renames } from './compare.js';

/** A table or column that one side drops and the other adds, which may be the same thing renamed. */
export type RenameCandidate =
  | { readonly kind: 'table'; readonly schema: string; readonly from: string; readonly to: string }
  | {
      readonly kind: 'column';
      readonly schema: string;
      readonly table: string;
      readonly from: string;
      readonly to: string;
      readonly type: string;
    };

/** Decides whether a candidate is a rename (the CLI asks in a terminal; tests answer directly). */
export type RenamePolicy = (candidate: RenameCandidate) => Promise<boolean> | boolean;

const key = (schema: string, name: string) => `${schema}\u0000${name}`;

/**
 * The renames worth asking about: a dropped and an added table in the same schema that share at least half of
 * their columns (same name and type), and, in tables on both sides, a dropped and an added column of the same
 * type. Renames already decided are left out, and so is anything they settle.
 */
export function renameCandidates(
  from: SchemaModel,
  to: SchemaModel,
  decided: Renames = {},
): RenameCandidate[] {
  const tableRenamedTo = new Map((decided.tables ?? []).map((r) => [key(r.schema, r.to), r.from]));
  const tableRenamedFrom = new Set((decided.tables ?? []).map((r) => key(r.schema, r.from)));
  const fromTables = new Map(from.tables.map((t) => [key(t.schema, t.name), t]));
  const toKeys = new Set(to.tables.map((t) => key(t.schema, t.name)));
  const dropped = from.tables.filter(
    (t) => !toKeys.has(key(t.schema, t.name)) && !tableRenamedFrom.has(key(t.schema, t.name)),
  );
  const added = to.tables.filter(
    (t) => !fromTables.has(key(t.schema, t.name)) && !tableRenamedTo.has(key(t.schema, t.name)),
  );
  const candidates: RenameCandidate[] = [];
  for (const table of added) {
    for (const old of dropped) {
      if (
        old.schema === table.schema &&
        sharedColumns(old, table) * 2 >= Math.max(old.columns.length, table.columns.length)
      ) {
        candidates.push({ kind: 'table', schema: table.schema, from: old.name, to: table.name });
      }
    }
  }
  const columnDecided = new Set(
    (decided.columns ?? []).flatMap((r) => [
      `${key(r.schema, r.table)}\u0000${r.from}`,
      `${key(r.schema, r.table)}\u0000${r.to}`,
    ]),
  );
  for (const table of to.tables) {
    const old =
      fromTables.get(key(table.schema, table.name)) ??
      fromTables.get(key(table.schema, tableRenamedTo.get(key(table.schema, table.name)) ?? ''));
    if (old === undefined) continue;
    const oldNames = new Set(old.columns.map((c) => c.name));
    const newNames = new Set(table.columns.map((c) => c.name));
    const goes = old.columns.filter(
      (c) => !newNames.has(c.name) && !columnDecided.has(`${key(table.schema, table.name)}\u0000${c.name}`),
    );
    const comes = table.columns.filter(
      (c) => !oldNames.has(c.name) && !columnDecided.has(`${key(table.schema, table.name)}\u0000${c.name}`),
    );
    for (const column of comes) {
      for (const gone of goes) {
        if (gone.type === column.type) {
          candidates.push({
            kind: 'column',
            schema: table.schema,
            table: table.name,
            from: gone.name,
            to: column.name,
            type: column.type,
          });
        }
      }
    }
  }
  return candidates;
}

function sharedColumns(a: TableModel, b: TableModel): number {
  const types = new Map(a.columns.map((c) => [c.name, c.type]));
  return b.columns.filter((c) => types.get(c.name) === c.type).length;
}

/**
 * Asks `policy` about each candidate, in order; a yes settles the candidates that share its old or new name. The
 * renames decided before are kept.
 */
export async function resolveRenames(
  candidates: readonly RenameCandidate[],
  decided: Renames,
  policy: RenamePolicy | undefined,
): Promise<Renames> {
  const tables = [...(decided.tables ?? [])];
  const columns = [...(decided.columns ?? [])];
  if (policy === undefined) return { tables, columns };
  const settled = new Set<string>();
  for (const candidate of candidates) {
    const scope =
      candidate.kind === 'table'
        ? `t\u0000${candidate.schema}`
        : `c\u0000${candidate.schema}\u0000${candidate.table}`;
    if (
      settled.has(`${scope}\u0000from\u0000${candidate.from}`) ||
      settled.has(`${scope}\u0000to\u0000${candidate.to}`)
    )
      continue;
    if (!(await policy(candidate))) continue;
    settled.add(`${scope}\u0000from\u0000${candidate.from}`);
    settled.add(`${scope}\u0000to\u0000${candidate.to}`);
    if (candidate.kind === 'table')
      tables.push({ schema: candidate.schema, from: candidate.from, to: candidate.to });
    else
      columns.push({
        schema: candidate.schema,
        table: candidate.table,
        from: candidate.from,
        to: candidate.to,
      });
  }
  return { tables, columns };
}

/**
 * `--rename old=new`: `table=new_table`, `table.column=new_column`, or with a schema in front
 * (`app.table.column=new`). A table's rename names the new table, a column's the new column.
 */
export function parseRenameFlag(text: string, defaultSchema = 'public'): Renames {
  const equals = text.indexOf('=');
  const left = equals < 0 ? '' : text.slice(0, equals).trim();
  const right = equals < 0 ? '' : text.slice(equals + 1).trim();
  const parts = left.split('.');
  if (left === '' || right === '' || right.includes('.') || parts.some((p) => p === '') || parts.length > 3) {
    throw new AmbixError('USAGE', `--rename ${text} is not OLD=NEW.`, {
      hint: 'Write --rename users=accounts for a table, --rename users.name=full_name for a column (prefix a schema: app.users.name=full_name).',
    });
  }
  if (parts.length === 1) return { tables: [{ schema: defaultSchema, from: parts[0]!, to: right }] };
  if (parts.length === 2)
    return { columns: [{ schema: defaultSchema, table: parts[0]!, from: parts[1]!, to: right }] };
  return { columns: [{ schema: parts[0]!, table: parts[1]!, from: parts[2]!, to: right }] };
}

/** Both sets of renames together. */
export function mergeRenames(...all: readonly Renames[]): Renames {
  return {
    tables: all.flatMap((r) => r.tables ?? []),
    columns: all.flatMap((r) => r.columns ?? []),
  };
}

/** The same renames, the other way round (for the downgrade). */
export function invertRenames(renames: Renames): Renames {
  const oldTableName = new Map((renames.tables ?? []).map((r) => [key(r.schema, r.to), r.from]));
  return {
    tables: (renames.tables ?? []).map((r) => ({ ...r, from: r.to, to: r.from })),
    // A column rename names its table as it is after the upgrade; the downgrade's table has the old name.
    columns: (renames.columns ?? []).map((r) => ({
      ...r,
      table: oldTableName.get(key(r.schema, r.table)) ?? r.table,
      from: r.to,
      to: r.from,
    })),
  };
}
