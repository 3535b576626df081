/**
 * Reflection for SQLite: a database read into the schema model with five catalog queries whatever the number of
 * tables (the attached databases, `sqlite_schema`, then one pragma family each: columns, foreign keys, indexes).
 *
 * The main database is the schema `main`; attached databases are other schemas, read only when `schemas` names
 * them; `temp` is never read. The pragmas give the structure; what only the stored CREATE statements hold (names,
 * checks, expressions, collations, AUTOINCREMENT, deferrability) is parsed from them. Enums, domains, sequences,
 * functions and extensions do not exist on SQLite.
 */
import { deepFreeze } from '../../operations/validate.js';
import type { IntrospectOptions, Introspector } from '../../schema/introspector.js';
import type { OtherObjectModel, SchemaModel, ViewModel } from '../../schema/model.js';
import type { Connection } from '../dialect.js';
import { bySchemaAndName, compareBy, compareText } from '../postgres/introspect/rows.js';
import { MAIN_SCHEMA, type ObjectFilter, objectFilter } from './introspect/filter.js';
import { triggerModel, viewModel, virtualTableModel } from './introspect/objects.js';
import {
  COLUMNS_QUERY,
  type ColumnRow,
  DATABASES_QUERY,
  type DatabaseRow,
  FOREIGN_KEYS_QUERY,
  type ForeignKeyRow,
  INDEXES_QUERY,
  type IndexColumnRow,
  type SchemaObjectRow,
  schemaObjectsQuery,
  tablesParameter,
} from './introspect/queries.js';
import { tableModels } from './introspect/tables.js';
import { asciiLower } from './introspect/tokens.js';

async function select<Row>(
  connection: Connection,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  return (await connection.query(sql, params)).rows as unknown as Row[];
}

/** The rows of `sqlite_schema` that the filter keeps, by kind. */
interface ReadObjects {
  readonly tables: SchemaObjectRow[];
  readonly views: ViewModel[];
  readonly others: OtherObjectModel[];
}

/**
 * Tables, views and virtual tables pass the filter themselves; a trigger goes with the table or view it is on.
 * Shadow tables belong to their virtual table, and SQLite's own tables (`sqlite_…`) are never read.
 */
function readObjects(objects: readonly SchemaObjectRow[], filter: ObjectFilter): ReadObjects {
  const tables: SchemaObjectRow[] = [];
  const views: ViewModel[] = [];
  const others: OtherObjectModel[] = [];
  // Tables and views read, by schema and lower-cased name: a trigger's statement may spell its table otherwise.
  const relations = new Map<string, string>();
  const relationKey = (schema: string, name: string): string => JSON.stringify([schema, asciiLower(name)]);
  for (const row of objects) {
    if ((row.type !== 'table' && row.type !== 'view') || !filter.relation(row.schema, row.name)) continue;
    if (row.tableType === 'shadow') continue;
    if (row.tableType === 'virtual') {
      others.push(virtualTableModel(row));
      continue;
    }
    relations.set(relationKey(row.schema, row.name), row.name);
    if (row.type === 'view') views.push(viewModel(row));
    else tables.push(row);
  }
  for (const row of objects) {
    const table = row.type === 'trigger' ? relations.get(relationKey(row.schema, row.table)) : undefined;
    if (table !== undefined) others.push(triggerModel(row, table));
  }
  return { tables, views, others };
}

export async function introspectSqlite(
  connection: Connection,
  options: IntrospectOptions = {},
): Promise<SchemaModel> {
  const filter = objectFilter(options);
  const databases = await select<DatabaseRow>(connection, DATABASES_QUERY);
  const schemas = filter.schemasToRead(databases.map((database) => database.name));
  const objects =
    schemas.length === 0 ? [] : await select<SchemaObjectRow>(connection, schemaObjectsQuery(schemas));
  const read = readObjects(objects, filter);
  const tablesRead = [tablesParameter(read.tables)];
  const columns = await select<ColumnRow>(connection, COLUMNS_QUERY, tablesRead);
  const foreignKeys = await select<ForeignKeyRow>(connection, FOREIGN_KEYS_QUERY, tablesRead);
  const indexColumns = await select<IndexColumnRow>(connection, INDEXES_QUERY, tablesRead);

  return deepFreeze<SchemaModel>({
    schemas: schemas
      .filter((schema) => schema !== MAIN_SCHEMA && filter.declaredSchema(schema))
      .sort(compareText),
    extensions: [],
    enums: [],
    domains: [],
    sequences: [],
    tables: tableModels({ tables: read.tables, columns, foreignKeys, indexColumns, objects }).sort(
      bySchemaAndName,
    ),
    views: read.views.sort(bySchemaAndName),
    functions: [],
    triggers: [],
    others: read.others.sort(
      compareBy(
        (item) => item.kind,
        (item) => item.schema,
        (item) => item.table,
        (item) => item.name,
      ),
    ),
  });
}

/** The SQLite introspector. */
export const sqliteIntrospector: Introspector = Object.freeze({ introspect: introspectSqlite });
