/** Tables, their columns, constraints and indexes, assembled from the rows of one query per family. */

import { compact } from '../../../operations/validate.js';
import type {
  CheckModel,
  ColumnModel,
  ExcludeModel,
  ForeignKeyModel,
  IdentityModel,
  IndexElementModel,
  IndexModel,
  PrimaryKeyModel,
  ReferentialActionModel,
  TableModel,
  UniqueModel,
} from '../../../schema/model.js';
import { SEQUENCE_MAXIMUMS } from '../../../schema/types.js';
import type {
  ColumnRow,
  ConstraintRow,
  IndexElementRow,
  IndexRow,
  SequenceParametersRow,
  TableRow,
} from './queries.js';
import { byName, groupBy, orUndefined } from './rows.js';

const REFERENTIAL_ACTIONS: Readonly<Record<string, ReferentialActionModel>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const MATCH_TYPES: Readonly<Record<string, ForeignKeyModel['match']>> = {
  s: 'simple',
  f: 'full',
  p: 'partial',
};

export interface TableRows {
  readonly tables: readonly TableRow[];
  readonly columns: readonly ColumnRow[];
  readonly constraints: readonly ConstraintRow[];
  /** Indexes of tables and materialized views. */
  readonly indexes: ReadonlyMap<string, readonly IndexModel[]>;
}

export function tableModels(rows: TableRows): TableModel[] {
  const columns = groupBy(rows.columns, (row) => String(row.tableOid));
  const constraints = groupBy(rows.constraints, (row) => String(row.tableOid));
  return rows.tables.map((row) => {
    const oid = String(row.oid);
    const own = constraints.get(oid) ?? [];
    const primaryKey = own.find((constraint) => constraint.type === 'p');
    return compact<TableModel>({
      schema: row.schema,
      name: row.name,
      columns: (columns.get(oid) ?? []).map(columnModel),
      primaryKey: primaryKey === undefined ? undefined : primaryKeyModel(primaryKey),
      foreignKeys: own
        .filter((constraint) => constraint.type === 'f')
        .map(foreignKeyModel)
        .sort(byName),
      uniques: own
        .filter((constraint) => constraint.type === 'u')
        .map(uniqueModel)
        .sort(byName),
      checks: own
        .filter((constraint) => constraint.type === 'c')
        .map(checkModel)
        .sort(byName),
      excludes: own
        .filter((constraint) => constraint.type === 'x')
        .map(excludeModel)
        .sort(byName),
      indexes: rows.indexes.get(oid) ?? [],
      comment: orUndefined(row.comment),
      partitionBy: orUndefined(row.partitionBy),
      partitionOf:
        row.parentName === null || row.parentSchema === null || row.bound === null
          ? undefined
          : { schema: row.parentSchema, table: row.parentName, bound: row.bound },
      unlogged: row.unlogged ? true : undefined,
    });
  });
}

function columnModel(row: ColumnRow): ColumnModel {
  return compact<ColumnModel>({
    name: row.name,
    type: row.type,
    nullable: !row.notNull,
    default: orUndefined(row.default),
    identity:
      row.identity === '' || row.identitySequence === null
        ? undefined
        : identityModel(row.identity === 'a' ? 'always' : 'byDefault', row.identitySequence),
    generated: orUndefined(row.generated),
    collation: orUndefined(row.collation),
    comment: orUndefined(row.comment),
  });
}

/**
 * An identity column's sequence parameters, each only when it differs from PostgreSQL's default for the type
 * (those of an ascending sequence: `START 1`, `INCREMENT 1`, `MINVALUE 1`, `MAXVALUE` the type's maximum,
 * `CACHE 1`, `NO CYCLE`), as the schema DSL writes them: a descending identity reports its start and bounds.
 */
function identityModel(
  generated: IdentityModel['generated'],
  sequence: SequenceParametersRow,
): IdentityModel {
  const maxValue = SEQUENCE_MAXIMUMS[sequence.type];
  const differs = (value: string, byDefault: bigint | undefined): string | undefined =>
    byDefault !== undefined && BigInt(value) === byDefault ? undefined : value;
  return compact<IdentityModel>({
    generated,
    start: differs(sequence.start, 1n),
    increment: differs(sequence.increment, 1n),
    minValue: differs(sequence.minValue, 1n),
    maxValue: differs(sequence.maxValue, maxValue),
    cache: differs(sequence.cache, 1n),
    cycle: sequence.cycle ? true : undefined,
  });
}

const columnsOf = (row: ConstraintRow): readonly string[] => row.columns ?? [];

const includeOf = (row: { readonly include: readonly string[] | null }): readonly string[] | undefined =>
  row.include === null || row.include.length === 0 ? undefined : row.include;

function primaryKeyModel(row: ConstraintRow): PrimaryKeyModel {
  return compact<PrimaryKeyModel>({ name: row.name, columns: columnsOf(row), include: includeOf(row) });
}

function foreignKeyModel(row: ConstraintRow): ForeignKeyModel {
  return compact<ForeignKeyModel>({
    name: row.name,
    columns: columnsOf(row),
    references: {
      schema: row.referencedSchema ?? '',
      table: row.referencedTable ?? '',
      columns: row.referencedColumns ?? [],
    },
    onDelete: REFERENTIAL_ACTIONS[row.onDelete ?? 'a'] ?? 'no action',
    onUpdate: REFERENTIAL_ACTIONS[row.onUpdate ?? 'a'] ?? 'no action',
    match: MATCH_TYPES[row.match ?? 's'] ?? 'simple',
    deferrable: row.deferrable,
    initiallyDeferred: row.initiallyDeferred,
    notValid: row.notValid ? true : undefined,
  });
}

function uniqueModel(row: ConstraintRow): UniqueModel {
  return compact<UniqueModel>({
    name: row.name,
    columns: columnsOf(row),
    nullsNotDistinct: row.nullsNotDistinct === true ? true : undefined,
    include: includeOf(row),
    deferrable: row.deferrable,
    initiallyDeferred: row.initiallyDeferred,
  });
}

function checkModel(row: ConstraintRow): CheckModel {
  return compact<CheckModel>({
    name: row.name,
    expression: row.definition ?? '',
    noInherit: row.noInherit ? true : undefined,
    notValid: row.notValid ? true : undefined,
  });
}

/** `EXCLUDE USING gist (…) [WHERE (…)] [DEFERRABLE] [INITIALLY DEFERRED]`, less what the model holds apart. */
function excludeModel(row: ConstraintRow): ExcludeModel {
  let definition = (row.definition ?? '').replace(/^EXCLUDE /, '');
  if (row.initiallyDeferred) definition = definition.replace(/ INITIALLY DEFERRED$/, '');
  if (row.deferrable) definition = definition.replace(/ DEFERRABLE$/, '');
  return {
    name: row.name,
    definition,
    deferrable: row.deferrable,
    initiallyDeferred: row.initiallyDeferred,
  };
}

function indexModel(row: IndexRow): IndexModel {
  return compact<IndexModel>({
    name: row.name,
    unique: row.unique,
    method: row.method,
    elements: row.elements.map(indexElementModel),
    include: includeOf(row),
    where: orUndefined(row.where),
    nullsNotDistinct: row.nullsNotDistinct === true ? true : undefined,
    with: row.with === null ? undefined : [...row.with].sort(),
  });
}

/** `DESC` when descending; `NULLS FIRST/LAST` only when not the default for that order (last ascending). */
function indexElementModel(row: IndexElementRow): IndexElementModel {
  const descending = (row.option & 1) !== 0;
  const nullsFirst = (row.option & 2) !== 0;
  return compact<IndexElementModel>({
    column: orUndefined(row.column),
    expression: orUndefined(row.expression),
    collation: orUndefined(row.collation),
    opclass: orUndefined(row.opclass),
    order: descending ? 'desc' : undefined,
    nulls: nullsFirst === descending ? undefined : nullsFirst ? 'first' : 'last',
  });
}

/** Indexes by the oid of their table or materialized view, each list sorted by name. */
export function indexesByRelation(rows: readonly IndexRow[]): Map<string, IndexModel[]> {
  const grouped = new Map<string, IndexModel[]>();
  for (const [oid, indexes] of groupBy(rows, (row) => String(row.relationOid))) {
    grouped.set(oid, indexes.map(indexModel).sort(byName));
  }
  return grouped;
}
