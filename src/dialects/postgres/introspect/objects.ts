/** Schema objects other than tables, from their catalog rows. */

import { compact } from '../../../operations/validate.js';
import type {
  DomainModel,
  EnumModel,
  ExtensionModel,
  FunctionModel,
  IndexModel,
  OtherObjectModel,
  SequenceModel,
  TriggerModel,
  ViewModel,
} from '../../../schema/model.js';
import type {
  DomainRow,
  EnumRow,
  ExtensionRow,
  FunctionRow,
  OtherRow,
  SequenceRow,
  TriggerRow,
  ViewRow,
} from './queries.js';
import { byName, bySchemaAndName, orUndefined } from './rows.js';

export function extensionModel(row: ExtensionRow): ExtensionModel {
  return { name: row.name, schema: row.schema, version: row.version };
}

export function enumModel(row: EnumRow): EnumModel {
  return compact<EnumModel>({
    schema: row.schema,
    name: row.name,
    values: row.values ?? [],
    comment: orUndefined(row.comment),
  });
}

export function domainModel(row: DomainRow): DomainModel {
  return compact<DomainModel>({
    schema: row.schema,
    name: row.name,
    type: row.type,
    nullable: !row.notNull,
    default: orUndefined(row.default),
    collation: orUndefined(row.collation),
    checks: [...(row.checks ?? [])].sort(byName),
    comment: orUndefined(row.comment),
  });
}

export function sequenceModel(row: SequenceRow): SequenceModel {
  return compact<SequenceModel>({
    schema: row.schema,
    name: row.name,
    type: row.type,
    start: row.start,
    increment: row.increment,
    minValue: row.minValue,
    maxValue: row.maxValue,
    cache: row.cache,
    cycle: row.cycle,
    ownedBy:
      row.ownerSchema === null || row.ownerTable === null || row.ownerColumn === null
        ? undefined
        : { schema: row.ownerSchema, table: row.ownerTable, column: row.ownerColumn },
    comment: orUndefined(row.comment),
  });
}

/** `indexes` holds a materialized view's indexes by its oid; a view has none. */
export function viewModel(row: ViewRow, indexes: ReadonlyMap<string, readonly IndexModel[]>): ViewModel {
  return compact<ViewModel>({
    schema: row.schema,
    name: row.name,
    materialized: row.materialized,
    query: row.query,
    indexes: row.materialized ? (indexes.get(String(row.oid)) ?? []) : undefined,
    comment: orUndefined(row.comment),
    dependsOn: [...(row.dependsOn ?? [])].sort(bySchemaAndName),
  });
}

export function functionModel(row: FunctionRow): FunctionModel {
  return compact<FunctionModel>({
    schema: row.schema,
    name: row.name,
    kind: row.kind === 'p' ? 'procedure' : 'function',
    identityArguments: row.identityArguments,
    definition: row.definition,
    comment: orUndefined(row.comment),
  });
}

export function triggerModel(row: TriggerRow): TriggerModel {
  return compact<TriggerModel>({
    schema: row.schema,
    table: row.table,
    name: row.name,
    definition: row.definition,
    function: { schema: row.functionSchema, name: row.functionName },
    enabled: row.disabled ? false : undefined,
  });
}

export function otherModel(row: OtherRow): OtherObjectModel {
  return compact<OtherObjectModel>({
    kind: row.kind,
    schema: row.schema,
    table: orUndefined(row.table),
    name: row.name,
    definition: row.definition,
  });
}
