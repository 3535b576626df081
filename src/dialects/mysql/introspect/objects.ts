/** Schema objects other than tables, from their information_schema rows. */

import { compact } from '../../../operations/validate.js';
import type { OtherObjectModel, SequenceModel, ViewModel } from '../../../schema/model.js';
import { qualifiedName, quoteIdentifier } from '../render-literal.js';
import { CURRENT_SCHEMA } from './filter.js';
import type { SequenceRow, TriggerRow, ViewRow } from './queries.js';

/**
 * A view's SELECT as the server prints it, less the session database's name: the server qualifies every table and
 * column with its database (`` `shop`.`users`.`id` ``), and the session's database is `main` in the model, whatever
 * its real name (the live database and a scratch copy must print the same query).
 */
export function viewQuery(query: string, current: string | undefined): string {
  if (current === undefined) return query;
  // Only where a name starts: in `shop`.`shop`.`id` the second `shop` is a table of that name.
  const qualifier = `${quoteIdentifier(current)}.`.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  return query.replace(new RegExp(`(?<!\\.)${qualifier}`, 'gu'), '');
}

export function viewModel(row: ViewRow, schema: string, current: string | undefined): ViewModel {
  return { schema, name: row.name, materialized: false, query: viewQuery(row.query, current) };
}

/** Objects of the session's database are named without it, others with their database. */
const nameIn = (schema: string, name: string): string =>
  schema === CURRENT_SCHEMA ? quoteIdentifier(name) : qualifiedName(schema, name);

/**
 * A trigger as an `others` entry of kind `trigger`: the model's TriggerModel names the function a trigger calls,
 * and a MySQL trigger calls none (its body is inline). The definition recreates it, DEFINER left to the session:
 * ``CREATE TRIGGER `t` BEFORE INSERT ON `users` FOR EACH ROW SET NEW.a = 1``. A trigger that runs after another of
 * the same table, timing and event says so (`FOLLOWS`), so that recreating them keeps their order.
 */
export function triggerModels(
  rows: readonly TriggerRow[],
  schemaOf: (database: string) => string,
): OtherObjectModel[] {
  const place = (row: TriggerRow): string =>
    `${row.schema}\u0000${row.table}\u0000${row.timing}\u0000${row.event}\u0000${Number(row.order)}`;
  const byPlace = new Map(rows.map((row) => [place(row), row]));
  return rows.map((row) => {
    const schema = schemaOf(row.schema);
    const previous = byPlace.get(place({ ...row, order: Number(row.order) - 1 }));
    const follows = previous === undefined ? '' : ` FOLLOWS ${quoteIdentifier(previous.name)}`;
    return {
      kind: 'trigger',
      schema,
      table: row.table,
      name: row.name,
      definition:
        `CREATE TRIGGER ${nameIn(schema, row.name)} ${row.timing} ${row.event} ON ${nameIn(schema, row.table)}` +
        ` FOR EACH ROW${follows} ${row.body}`,
    };
  });
}

/**
 * A MariaDB sequence. Its values are BIGINT (MariaDB 11.5 added `AS <type>`, which information_schema.SEQUENCES
 * reports; older servers have neither).
 */
export function sequenceModel(row: SequenceRow, schema: string, comment: string | null): SequenceModel {
  return compact<SequenceModel>({
    schema,
    name: row.name,
    type: 'bigint',
    start: row.start,
    increment: row.increment,
    minValue: row.minValue,
    maxValue: row.maxValue,
    cache: row.cache,
    cycle: row.cycle === '1',
    comment: comment === null || comment === '' ? undefined : comment,
  });
}
