/**
 * The SQL a generated migration writes is the schema author's, not PostgreSQL's reprint of it. The comparison
 * sees both sides in PostgreSQL's spelling (so nothing differs that is the same), but that spelling is not always
 * a fixed point: `role IN ('a', 'b')` on a varchar column prints as `role::text = ANY (ARRAY['a'::character
 * varying, …]::text[])`, which, run again, prints differently once more. The scratch database built the declared
 * schema from the author's text; a database the migration builds from that same text ends up exactly like it.
 */
import type { Operation } from '../operations/operation.js';
import { isSqlExpression, type SqlExpression, sql } from '../operations/sql-expression.js';
import { deepFreeze } from '../operations/validate.js';
import type { SchemaModel, TableModel } from '../schema/model.js';

/**
 * `operations` (generated towards `target`, the declared schema in PostgreSQL's spelling) with the SQL text of
 * defaults, generated columns, checks, index expressions and predicates (of tables and materialized views), view
 * queries, functions and triggers replaced by the declared text of the same object, where there is one.
 */
export function withAuthorText(
  operations: readonly Operation[],
  target: SchemaModel,
  declared: SchemaModel,
): Operation[] {
  const tables = new Map(declared.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const tableOf = (schema: string | undefined, name: string) => tables.get(`${schema ?? 'public'}.${name}`);
  const definitions = new Map<string, string>();
  for (const f of target.functions) {
    const twins = declared.functions.filter(
      (d) => d.schema === f.schema && d.name === f.name && d.kind === f.kind,
    );
    if (twins.length === 1) definitions.set(f.definition, twins[0]!.definition);
  }
  for (const t of target.triggers) {
    const twin = declared.triggers.find(
      (d) => d.schema === t.schema && d.table === t.table && d.name === t.name,
    );
    if (twin !== undefined) definitions.set(t.definition, twin.definition);
  }
  return operations.map((operation) => rewrite(operation, tableOf, declared, definitions));
}

const raw = (text: string | undefined): SqlExpression | undefined =>
  text === undefined ? undefined : sql.raw(text);

function rewrite(
  operation: Operation,
  tableOf: (schema: string | undefined, name: string) => TableModel | undefined,
  declared: SchemaModel,
  definitions: ReadonlyMap<string, string>,
): Operation {
  switch (operation.kind) {
    case 'createTable': {
      const table = tableOf(operation.schema, operation.table);
      if (table === undefined) return operation;
      return freeze({
        ...operation,
        columns: operation.columns.map((column) => withColumnText(column, table)),
        constraints: operation.constraints.map((constraint) => {
          if (constraint.type !== 'check') return constraint;
          const check = table.checks.find((c) => c.name === constraint.name);
          return check === undefined ? constraint : { ...constraint, expression: sql.raw(check.expression) };
        }),
      });
    }
    case 'addColumn': {
      const table = tableOf(operation.schema, operation.table);
      return table === undefined
        ? operation
        : freeze({ ...operation, column: withColumnText(operation.column, table) });
    }
    case 'alterColumn': {
      const column = tableOf(operation.schema, operation.table)?.columns.find(
        (c) => c.name === (operation.newName ?? operation.column),
      );
      if (column === undefined || operation.default === undefined || operation.default === null)
        return operation;
      return column.default === undefined
        ? operation
        : freeze({ ...operation, default: sql.raw(column.default) });
    }
    case 'createCheckConstraint': {
      const check = tableOf(operation.schema, operation.table)?.checks.find((c) => c.name === operation.name);
      return check === undefined
        ? operation
        : freeze({ ...operation, expression: sql.raw(check.expression) });
    }
    case 'createIndex': {
      // A table's index, or a materialized view's.
      const schema = operation.schema ?? 'public';
      const indexes =
        tableOf(operation.schema, operation.table)?.indexes ??
        declared.views.find((v) => v.schema === schema && v.name === operation.table)?.indexes;
      const index = indexes?.find((i) => i.name === operation.name);
      if (index === undefined || index.elements.length !== operation.columns.length) return operation;
      return freeze({
        ...operation,
        columns: operation.columns.map((element, i) => {
          const source = index.elements[i]!;
          return 'expression' in element && source.expression !== undefined
            ? { ...element, expression: sql.raw(source.expression) }
            : element;
        }),
        ...(operation.where === undefined || index.where === undefined
          ? {}
          : { where: sql.raw(index.where) }),
      });
    }
    case 'createView':
    case 'createMaterializedView': {
      const view = declared.views.find(
        (v) => v.schema === (operation.schema ?? 'public') && v.name === operation.name,
      );
      if (view === undefined) return operation;
      // WITH NO DATA is the schema's word alone: the databases compared do not tell.
      const empty = operation.kind === 'createMaterializedView' && view.withData === false;
      return freeze({ ...operation, query: sql.raw(view.query), ...(empty ? { withData: false } : {}) });
    }
    case 'execute': {
      const text = definitions.get(operation.sql);
      return text === undefined ? operation : freeze({ ...operation, sql: text });
    }
    default:
      return operation;
  }
}

function withColumnText<
  T extends { readonly name: string; readonly default?: unknown; readonly generated?: unknown },
>(column: T, table: TableModel): T {
  const source = table.columns.find((c) => c.name === column.name);
  if (source === undefined) return column;
  const defaultText = isSqlExpression(column.default) ? raw(source.default) : undefined;
  const generatedText = isSqlExpression(column.generated) ? raw(source.generated) : undefined;
  return {
    ...column,
    ...(defaultText === undefined ? {} : { default: defaultText }),
    ...(generatedText === undefined ? {} : { generated: generatedText }),
  };
}

function freeze<T>(value: T): T {
  return deepFreeze(value);
}
