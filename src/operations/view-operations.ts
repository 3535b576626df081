import { optionalNames } from './definitions.js';
import type { SqlExpression } from './sql-expression.js';
import type { SchemaOption } from './table-operations.js';
import {
  checkBoolean,
  checkName,
  checkOptionalName,
  checkOptions,
  checkSql,
  compact,
  deepFreeze,
  invalidOperation,
  isPlainObject,
} from './validate.js';

/** A view's query and, optionally, names for its columns. */
export interface ViewDefinition {
  readonly query: SqlExpression;
  readonly columns?: readonly string[];
}

export interface ViewDefinitionInput {
  /** The `SELECT`: SQL text or a `sql` expression. */
  readonly query: string | SqlExpression;
  readonly columns?: readonly string[];
}

export interface MaterializedViewDefinition extends ViewDefinition {
  /** `WITH NO DATA` when `false`: the view is created empty and must be refreshed before use. */
  readonly withData?: boolean;
}

export type MaterializedViewDefinitionInput = ViewDefinitionInput & { readonly withData?: boolean };

export interface CreateViewOperation extends ViewDefinition {
  readonly kind: 'createView';
  readonly schema?: string;
  readonly name: string;
  /** `CREATE OR REPLACE VIEW`. */
  readonly orReplace?: boolean;
  /**
   * What `orReplace` replaces, which makes it reversible: the view's previous definition, or `null` when there
   * was no view. A plain create needs none.
   */
  readonly existing?: ViewDefinition | null;
}

export interface DropViewOperation {
  readonly kind: 'dropView';
  readonly schema?: string;
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: ViewDefinition;
}

export interface CreateMaterializedViewOperation extends MaterializedViewDefinition {
  readonly kind: 'createMaterializedView';
  readonly schema?: string;
  readonly name: string;
  readonly ifNotExists?: boolean;
}

export interface DropMaterializedViewOperation {
  readonly kind: 'dropMaterializedView';
  readonly schema?: string;
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: MaterializedViewDefinition;
}

/** `REFRESH MATERIALIZED VIEW`: changes data, not schema, so it has no reverse. */
export interface RefreshMaterializedViewOperation {
  readonly kind: 'refreshMaterializedView';
  readonly schema?: string;
  readonly name: string;
  /** Refreshes without locking out readers (PostgreSQL); the materialized view needs a unique index. */
  readonly concurrently?: boolean;
  readonly withData?: boolean;
}

export interface CreateViewOptions extends SchemaOption {
  readonly columns?: readonly string[];
  readonly orReplace?: boolean;
  readonly existing?: ViewDefinitionInput | null;
}

export interface DropViewOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The view's definition as it is: without it the drop cannot be reversed. */
  readonly existing?: ViewDefinitionInput;
}

export interface CreateMaterializedViewOptions extends SchemaOption {
  readonly columns?: readonly string[];
  readonly withData?: boolean;
  readonly ifNotExists?: boolean;
}

export interface DropMaterializedViewOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: MaterializedViewDefinitionInput;
}

export interface RefreshMaterializedViewOptions extends SchemaOption {
  readonly concurrently?: boolean;
  readonly withData?: boolean;
}

function normalizeView(operation: string, what: string, input: unknown): MaterializedViewDefinition {
  if (!isPlainObject(input)) throw invalidOperation(operation, `${what} must be { query, columns? }`);
  const view = input as unknown as MaterializedViewDefinitionInput;
  return compact({
    query: checkSql(operation, `${what}.query`, view.query),
    columns: optionalNames(operation, `${what}.columns`, view.columns),
    withData: checkBoolean(operation, `${what}.withData`, view.withData),
  });
}

export const viewBuilders = {
  /**
   * `CREATE [OR REPLACE] VIEW name AS query`. With `orReplace`, pass `existing` (the previous definition, or
   * `null` if there was no view) to make it reversible. PostgreSQL replaces a view only with one that keeps its
   * columns (it may add some at the end): a replacement that adds columns has a reverse PostgreSQL refuses, so
   * write that downgrade as `dropView` and `createView`.
   */
  createView(name: string, query: string | SqlExpression, options?: CreateViewOptions): CreateViewOperation {
    const o = checkOptions('createView', options);
    return deepFreeze(
      compact({
        kind: 'createView' as const,
        schema: checkOptionalName('createView', 'schema', o.schema),
        name: checkName('createView', 'name', name),
        query: checkSql('createView', 'query', query),
        columns: optionalNames('createView', 'columns', o.columns),
        orReplace: checkBoolean('createView', 'orReplace', o.orReplace),
        existing:
          o.existing === undefined || o.existing === null
            ? o.existing
            : viewOnly(normalizeView('createView', 'existing', o.existing)),
      }),
    );
  },

  /** `DROP VIEW`. Pass `existing` (its definition) to make it reversible. */
  dropView(name: string, options?: DropViewOptions): DropViewOperation {
    const o = checkOptions('dropView', options);
    return deepFreeze(
      compact({
        kind: 'dropView' as const,
        schema: checkOptionalName('dropView', 'schema', o.schema),
        name: checkName('dropView', 'name', name),
        ifExists: checkBoolean('dropView', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropView', 'cascade', o.cascade),
        existing:
          o.existing === undefined ? undefined : viewOnly(normalizeView('dropView', 'existing', o.existing)),
      }),
    );
  },

  /** `CREATE MATERIALIZED VIEW name AS query [WITH NO DATA]`. */
  createMaterializedView(
    name: string,
    query: string | SqlExpression,
    options?: CreateMaterializedViewOptions,
  ): CreateMaterializedViewOperation {
    const o = checkOptions('createMaterializedView', options);
    return deepFreeze(
      compact({
        kind: 'createMaterializedView' as const,
        schema: checkOptionalName('createMaterializedView', 'schema', o.schema),
        name: checkName('createMaterializedView', 'name', name),
        ...normalizeView('createMaterializedView', 'view', {
          query,
          columns: o.columns,
          withData: o.withData,
        }),
        ifNotExists: checkBoolean('createMaterializedView', 'ifNotExists', o.ifNotExists),
      }),
    );
  },

  /** `DROP MATERIALIZED VIEW`. Pass `existing` (its definition) to make it reversible. */
  dropMaterializedView(name: string, options?: DropMaterializedViewOptions): DropMaterializedViewOperation {
    const o = checkOptions('dropMaterializedView', options);
    return deepFreeze(
      compact({
        kind: 'dropMaterializedView' as const,
        schema: checkOptionalName('dropMaterializedView', 'schema', o.schema),
        name: checkName('dropMaterializedView', 'name', name),
        ifExists: checkBoolean('dropMaterializedView', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropMaterializedView', 'cascade', o.cascade),
        existing:
          o.existing === undefined
            ? undefined
            : normalizeView('dropMaterializedView', 'existing', o.existing),
      }),
    );
  },

  /** `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH NO DATA]`. */
  refreshMaterializedView(
    name: string,
    options?: RefreshMaterializedViewOptions,
  ): RefreshMaterializedViewOperation {
    const o = checkOptions('refreshMaterializedView', options);
    return deepFreeze(
      compact({
        kind: 'refreshMaterializedView' as const,
        schema: checkOptionalName('refreshMaterializedView', 'schema', o.schema),
        name: checkName('refreshMaterializedView', 'name', name),
        concurrently: checkBoolean('refreshMaterializedView', 'concurrently', o.concurrently),
        withData: checkBoolean('refreshMaterializedView', 'withData', o.withData),
      }),
    );
  },
};

function viewOnly(definition: MaterializedViewDefinition): ViewDefinition {
  const { withData: _withData, ...view } = definition;
  return view;
}
