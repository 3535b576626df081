/**
 * Reflection for PostgreSQL (and PGlite): a live database read into the schema model with a constant number of
 * catalog queries, one per object family, whatever the number of tables. The queries run one after another on
 * the caller's connection, which may be inside a migration's transaction: reflection changes no session state.
 */
import { deepFreeze } from '../../operations/validate.js';
import type { IntrospectOptions, Introspector } from '../../schema/introspector.js';
import type { SchemaModel } from '../../schema/model.js';
import type { Connection } from '../dialect.js';
import { catalogFilter } from './introspect/filter.js';
import {
  domainModel,
  enumModel,
  extensionModel,
  functionModel,
  otherModel,
  sequenceModel,
  triggerModel,
  viewModel,
} from './introspect/objects.js';
import {
  type ColumnRow,
  type ConstraintRow,
  columnsQuery,
  constraintsQuery,
  type DatabaseRow,
  type DomainRow,
  databaseQuery,
  domainsQuery,
  type EnumRow,
  type ExtensionRow,
  enumsQuery,
  extensionsQuery,
  type FunctionRow,
  functionsQuery,
  type IndexRow,
  indexesQuery,
  type OtherRow,
  othersQuery,
  type SequenceRow,
  sequencesQuery,
  serverFeatures,
  type TableRow,
  type TriggerRow,
  tablesQuery,
  triggersQuery,
  type ViewRow,
  viewsQuery,
} from './introspect/queries.js';
import { byName, bySchemaAndName, compareBy, compareText } from './introspect/rows.js';
import { indexesByRelation, tableModels } from './introspect/tables.js';

async function select<Row>(connection: Connection, sql: string): Promise<Row[]> {
  return (await connection.query(sql)).rows as unknown as Row[];
}

export async function introspectPostgres(
  connection: Connection,
  options: IntrospectOptions = {},
): Promise<SchemaModel> {
  const filter = catalogFilter(options);
  const [database] = await select<DatabaseRow>(connection, databaseQuery(filter));
  const features = serverFeatures(database?.version ?? 0);
  const extensions = await select<ExtensionRow>(connection, extensionsQuery(filter));
  const enums = await select<EnumRow>(connection, enumsQuery(filter));
  const domains = await select<DomainRow>(connection, domainsQuery(filter));
  const sequences = await select<SequenceRow>(connection, sequencesQuery(filter));
  const tables = await select<TableRow>(connection, tablesQuery(filter));
  const columns = await select<ColumnRow>(connection, columnsQuery(filter));
  const constraints = await select<ConstraintRow>(connection, constraintsQuery(filter, features));
  const indexes = indexesByRelation(await select<IndexRow>(connection, indexesQuery(filter, features)));
  const views = await select<ViewRow>(connection, viewsQuery(filter));
  const functions = await select<FunctionRow>(connection, functionsQuery(filter));
  const triggers = await select<TriggerRow>(connection, triggersQuery(filter, features));
  const others = await select<OtherRow>(connection, othersQuery(filter));

  return deepFreeze<SchemaModel>({
    schemas: [...(database?.schemas ?? [])].sort(compareText),
    extensions: extensions.map(extensionModel).sort(byName),
    enums: enums.map(enumModel).sort(bySchemaAndName),
    domains: domains.map(domainModel).sort(bySchemaAndName),
    sequences: sequences.map(sequenceModel).sort(bySchemaAndName),
    tables: tableModels({ tables, columns, constraints, indexes }).sort(bySchemaAndName),
    views: views.map((row) => viewModel(row, indexes)).sort(bySchemaAndName),
    functions: functions.map(functionModel).sort(
      compareBy(
        (item) => item.schema,
        (item) => item.name,
        (item) => item.identityArguments,
      ),
    ),
    triggers: triggers.map(triggerModel).sort(
      compareBy(
        (item) => item.schema,
        (item) => item.table,
        (item) => item.name,
      ),
    ),
    others: others.map(otherModel).sort(
      compareBy(
        (item) => item.kind,
        (item) => item.schema,
        (item) => item.table,
        (item) => item.name,
      ),
    ),
  });
}

/** The PostgreSQL introspector; PGlite uses it too. */
export const postgresIntrospector: Introspector = Object.freeze({ introspect: introspectPostgres });
