/**
 * Reflection for MySQL and MariaDB: a live database read from information_schema into the schema model with a
 * constant number of queries, one per object family, whatever the number of tables.
 *
 * The session's database (`DATABASE()`) is read, or the databases `schemas` names. Its objects carry the schema
 * `main` in the model: its real name differs between the live database and the scratch database a comparison
 * materializes its target in. Other databases keep their names and are listed in `schemas`.
 *
 * MySQL and MariaDB print the same schema differently; what the model holds is brought to one form: defaults as
 * SQL text (see `columnDefault`), MariaDB's JSON columns as `json` without the check it adds for them, primary
 * keys named `<table>_pkey`, unique indexes over whole columns as unique constraints, and the indexes MySQL adds
 * for foreign keys as part of their keys. Types are as the server prints them (`int(11)` on MariaDB, `int` on
 * MySQL 8). Enums, domains, functions and extensions do not exist in this sense: their lists are empty.
 */

import { deepFreeze } from '../../operations/validate.js';
import type { IntrospectOptions, Introspector } from '../../schema/introspector.js';
import type { SchemaModel } from '../../schema/model.js';
import type { Connection } from '../dialect.js';
import { bySchemaAndName, compareBy, compareText } from '../postgres/introspect/rows.js';
import { mysqlCanonical } from './canonical.js';
import { catalogFilter, declaredSchemas, modelSchema, resolveDatabases } from './introspect/filter.js';
import { sequenceModel, triggerModels, viewModel } from './introspect/objects.js';
import {
  type CheckRow,
  type ColumnRow,
  checksQuery,
  columnsQuery,
  type ForeignKeyColumnRow,
  foreignKeysQuery,
  type IndexColumnRow,
  indexesQuery,
  type SequenceRow,
  type SessionRow,
  sequencesQuery,
  sessionQuery,
  type TableRow,
  type TriggerRow,
  tablesQuery,
  triggersQuery,
  type ViewRow,
  viewsQuery,
} from './introspect/queries.js';
import { serverFeatures } from './introspect/server.js';
import { tableModels } from './introspect/tables.js';

/** Text the driver hands back as bytes (a binary collation, or an application's client) is read as UTF-8. */
function textValues(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value;
  }
  return out;
}

async function select<Row>(connection: Connection, sql: string): Promise<Row[]> {
  return (await connection.query(sql)).rows.map(textValues) as unknown as Row[];
}

export async function introspectMysql(
  connection: Connection,
  options: IntrospectOptions = {},
): Promise<SchemaModel> {
  const session = await select<SessionRow>(connection, sessionQuery(options));
  const features = serverFeatures(session[0]?.version ?? '');
  const existing = session.flatMap((row) => (row.existing === null ? [] : [row.existing]));
  const databases = resolveDatabases(options, session[0]?.current ?? undefined, existing);
  const schemaOf = (database: string): string => modelSchema(databases, database);
  const filter = catalogFilter(options, databases);

  const relations = await select<TableRow>(connection, tablesQuery(filter));
  const columns = await select<ColumnRow>(connection, columnsQuery(filter));
  const indexes = await select<IndexColumnRow>(connection, indexesQuery(filter, features));
  const foreignKeys = await select<ForeignKeyColumnRow>(connection, foreignKeysQuery(filter));
  const checks = features.checkConstraints
    ? await select<CheckRow>(connection, checksQuery(filter, features))
    : [];
  const views = await select<ViewRow>(connection, viewsQuery(filter));
  const triggers = await select<TriggerRow>(connection, triggersQuery(filter));
  const sequenceTables = relations.filter((row) => row.type === 'SEQUENCE');
  const sequences =
    sequenceTables.length === 0 ? [] : await select<SequenceRow>(connection, sequencesQuery(sequenceTables));

  const commentOf = (sequence: SequenceRow): string | null =>
    sequenceTables.find((row) => row.schema === sequence.schema && row.name === sequence.name)?.comment ??
    null;
  return deepFreeze<SchemaModel>({
    schemas: declaredSchemas(options, databases).sort(compareText),
    extensions: [],
    enums: [],
    domains: [],
    sequences: sequences
      .map((row) => sequenceModel(row, schemaOf(row.schema), commentOf(row)))
      .sort(bySchemaAndName),
    tables: tableModels({
      features,
      schemaOf,
      tables: relations.filter((row) => row.type === 'BASE TABLE'),
      columns,
      indexes,
      foreignKeys,
      checks,
    }).sort(bySchemaAndName),
    views: views.map((row) => viewModel(row, schemaOf(row.schema), databases.current)).sort(bySchemaAndName),
    functions: [],
    triggers: [],
    others: triggerModels(triggers, schemaOf).sort(
      compareBy(
        (item) => item.kind,
        (item) => item.schema,
        (item) => item.table,
        (item) => item.name,
      ),
    ),
  });
}

/** The MySQL and MariaDB introspector. */
export const mysqlIntrospector: Introspector = Object.freeze({
  introspect: introspectMysql,
  canonical: mysqlCanonical,
});
