/** Views, triggers and virtual tables, from their `sqlite_schema` rows. */
import { compact } from '../../../operations/validate.js';
import type { OtherObjectModel, ViewModel } from '../../../schema/model.js';
import { parseCreateView } from './create-view.js';
import type { SchemaObjectRow } from './queries.js';

export function viewModel(row: SchemaObjectRow): ViewModel {
  const { columns, query } = parseCreateView(row.sql ?? '');
  return compact<ViewModel>({ schema: row.schema, name: row.name, materialized: false, query, columns });
}

/**
 * A SQLite trigger carries its body (`BEGIN … END`) where a PostgreSQL trigger names a function, and the model's
 * TriggerModel requires that function: SQLite's are carried whole, by definition, among the other objects.
 * `table` is the table or view it is on, as that names itself.
 */
export function triggerModel(row: SchemaObjectRow, table: string): OtherObjectModel {
  return { kind: 'trigger', schema: row.schema, table, name: row.name, definition: row.sql ?? '' };
}

/**
 * A virtual table (FTS5, R*Tree…) is made by its module, with the shadow tables that hold its data: it is carried
 * by definition, and its shadow tables are not read.
 */
export function virtualTableModel(row: SchemaObjectRow): OtherObjectModel {
  return { kind: 'virtual table', schema: row.schema, name: row.name, definition: row.sql ?? '' };
}
