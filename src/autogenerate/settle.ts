/**
 * Settling: which declared objects already match the live database without asking PostgreSQL. A declared table
 * that equals its live counterpart once the declared SQL text is spelled the way PostgreSQL prints it (a literal
 * default gets its cast, `TRUE` is `true`…) needs no scratch database: the live table stands for it. Only what
 * stays unsettled is built in the scratch database and reflected (materialize.ts).
 *
 * Predictions only ever say "equal": a declared value the predictor does not recognize, or recognizes wrongly,
 * is simply unsettled and goes through the scratch database. A wrong prediction can cost time, never a wrong
 * answer.
 */
import type { ColumnModel, SchemaModel, SequenceModel, TableModel } from '../schema/model.js';

export interface Settlement {
  /** Declared tables equal to the live ones, by `schema\0name`: the live table stands for the declared one. */
  readonly settledTables: ReadonlyMap<string, TableModel>;
  /**
   * What the scratch database must build: unsettled tables (without their foreign keys, taken from the declared
   * schema as they are), and everything tables depend on. Undefined when nothing needs building.
   */
  readonly toBuild: SchemaModel | undefined;
}

export const tableKey = (schema: string, name: string): string => `${schema}\u0000${name}`;

/** Which declared objects the live database already settles, and what is left to build. */
export function settle(declared: SchemaModel, live: SchemaModel): Settlement {
  const liveTables = new Map(live.tables.map((t) => [tableKey(t.schema, t.name), t]));
  const settledTables = new Map<string, TableModel>();
  const unsettled: TableModel[] = [];
  for (const table of declared.tables) {
    const current = liveTables.get(tableKey(table.schema, table.name));
    if (current !== undefined && tablesMatch(table, current))
      settledTables.set(tableKey(table.schema, table.name), current);
    else unsettled.push(table);
  }
  // Views, functions, triggers and objects declared as SQL are compared by the text PostgreSQL prints, which only PostgreSQL can say; they
  // may read any table, so all tables are built with them.
  const textual =
    declared.views.length > 0 ||
    declared.functions.length > 0 ||
    declared.triggers.length > 0 ||
    declared.others.length > 0;
  const typesMatch =
    same(declared.enums, live.enums) &&
    same(declared.sequences, live.sequences) &&
    declared.domains.every((domain) => live.domains.some((d) => same(d, domain)));
  if (!textual && unsettled.length === 0 && typesMatch) return { settledTables, toBuild: undefined };
  const tables = (textual ? declared.tables : unsettled).map((table) => ({ ...table, foreignKeys: [] }));
  // A serial column's sequence is built with its table: one owned by a settled table has no column to belong to.
  const sequences = declared.sequences.filter((sequence) => !ownedBySettled(sequence, settledTables, tables));
  return { settledTables, toBuild: { ...declared, tables, sequences } };
}

function ownedBySettled(
  sequence: SequenceModel,
  settledTables: ReadonlyMap<string, TableModel>,
  built: readonly TableModel[],
): boolean {
  const owner = sequence.ownedBy;
  if (owner === undefined) return false;
  const key = tableKey(owner.schema, owner.table);
  return settledTables.has(key) && !built.some((t) => tableKey(t.schema, t.name) === key);
}

/**
 * The target model: declared objects as PostgreSQL spells them. Settled tables are the live ones; the rest come
 * from the scratch database (`built`), with the declared foreign keys (plain structure, spelled alike) put back.
 */
export function settledTarget(
  declared: SchemaModel,
  live: SchemaModel,
  settlement: Settlement,
  built: SchemaModel | undefined,
): SchemaModel {
  if (built === undefined) {
    // Nothing was built: every declared table, type and sequence matched the live one.
    return {
      ...declared,
      extensions: unionByName(declared.extensions, live.extensions),
      tables: declared.tables.map((t) => settlement.settledTables.get(tableKey(t.schema, t.name))!),
      domains: declared.domains.map((domain) => live.domains.find((d) => same(d, domain))!),
    };
  }
  const builtTables = new Map(built.tables.map((t) => [tableKey(t.schema, t.name), t]));
  const tables = declared.tables.map((table) => {
    const settled = settlement.settledTables.get(tableKey(table.schema, table.name));
    if (settled !== undefined) return settled;
    const reflected = builtTables.get(tableKey(table.schema, table.name));
    return reflected === undefined ? table : { ...reflected, foreignKeys: table.foreignKeys };
  });
  // The sequences of settled tables' serial columns were not built: they are as declared.
  const unbuilt = declared.sequences.filter(
    (sequence) => !built.sequences.some((s) => s.schema === sequence.schema && s.name === sequence.name),
  );
  const sequences = [...built.sequences, ...unbuilt].sort(
    (a, b) => compare(a.schema, b.schema) || compare(a.name, b.name),
  );
  return { ...built, tables, sequences };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The extensions of both, the declared one first where both have it. */
function unionByName<T extends { readonly name: string }>(first: readonly T[], second: readonly T[]): T[] {
  return [...first, ...second.filter((item) => !first.some((f) => f.name === item.name))].sort((a, b) =>
    compare(a.name, b.name),
  );
}

/** Deep equality of plain data, whatever the order of keys; a key holding undefined counts as absent. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => same(item, other[i]));
  }
  const left = Object.entries(a).filter(([, v]) => v !== undefined);
  const right = new Map(Object.entries(b).filter(([, v]) => v !== undefined));
  return left.length === right.size && left.every(([k, v]) => right.has(k) && same(v, right.get(k)));
}

function tablesMatch(declared: TableModel, live: TableModel): boolean {
  if (declared.columns.length !== live.columns.length) return false;
  for (let i = 0; i < declared.columns.length; i++) {
    if (!columnsMatch(declared.columns[i]!, live.columns[i]!)) return false;
  }
  const { columns: _a, ...declaredRest } = declared;
  const { columns: _b, ...liveRest } = live;
  return same(declaredRest, liveRest);
}

function columnsMatch(declared: ColumnModel, live: ColumnModel): boolean {
  const { default: declaredDefault, ...declaredRest } = declared;
  const { default: liveDefault, ...liveRest } = live;
  if (!same(declaredRest, liveRest)) return false;
  if (declaredDefault === liveDefault) return true;
  if (declaredDefault === undefined || liveDefault === undefined) return false;
  return predictedDefaults(declaredDefault, declared.type).includes(liveDefault);
}

/**
 * How PostgreSQL may print a declared default on a column of `type`: a literal gets a cast to the type (without
 * its length: `'a'::character varying`), a negative number is quoted and cast, `TRUE` is `true`.
 */
export function predictedDefaults(text: string, type: string): string[] {
  const trimmed = text.trim();
  const cast = castName(type);
  if (/^'(?:[^']|'')*'$/.test(trimmed)) return [`${trimmed}::${cast}`];
  if (/^-\d+(\.\d+)?$/.test(trimmed)) return [`'${trimmed}'::${cast}`];
  if (/^\d+(\.\d+)?$/.test(trimmed)) return [trimmed, `'${trimmed}'::${cast}`];
  if (/^(true|false)$/i.test(trimmed)) return [trimmed.toLowerCase()];
  if (/^current_timestamp$/i.test(trimmed)) return ['CURRENT_TIMESTAMP'];
  if (/^current_date$/i.test(trimmed)) return ['CURRENT_DATE'];
  return [];
}

/** The type as it appears in a cast PostgreSQL prints: the length and precision of text types dropped. */
function castName(type: string): string {
  return type
    .replace(/^character varying\(\d+\)/, 'character varying')
    .replace(/^character\(\d+\)/, 'bpchar');
}
