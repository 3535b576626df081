import {
  type CheckConstraint,
  type Deferrable,
  type ExcludeConstraint,
  type ExcludeElementInput,
  type ForeignKeyActions,
  type ForeignKeyConstraint,
  type IndexElement,
  type IndexElementInput,
  normalizeConstraint,
  normalizeIndexElements,
  optionalNames,
  type PrimaryKeyConstraint,
  type ReferencedColumns,
  type TableConstraint,
  type TableConstraintInput,
  type UniqueConstraint,
} from './definitions.js';
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

/** An index as it exists, which `dropIndex` needs to be reversed. */
export interface IndexDefinition {
  readonly table: string;
  readonly columns: readonly IndexElement[];
  readonly unique?: boolean;
  /** The index method: `'btree'` (default), `'gin'`, `'gist'`, `'brin'`, `'hash'`, `'hnsw'`… */
  readonly using?: string;
  /** A partial index's predicate. */
  readonly where?: SqlExpression;
  /** Non-key columns stored in the index (`INCLUDE`). */
  readonly include?: readonly string[];
  readonly nullsNotDistinct?: boolean;
  /** Storage parameters (`WITH (fillfactor = 70)`). */
  readonly with?: Readonly<Record<string, string | number | boolean>>;
}

export interface CreateIndexOperation extends IndexDefinition {
  readonly kind: 'createIndex';
  readonly schema?: string;
  readonly name: string;
  /** `CONCURRENTLY`, which cannot run in a transaction: put it in `op.autocommit(…)`. */
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
}

export interface DropIndexOperation {
  readonly kind: 'dropIndex';
  readonly schema?: string;
  readonly name: string;
  /** The index's table (Alembic's `table_name`), given or taken from `existing`: MySQL drops an index from it. */
  readonly table?: string;
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The index as it is, which makes the drop reversible. */
  readonly existing?: IndexDefinition;
}

type Named<T extends TableConstraint> = Omit<T, 'type' | 'name'> & {
  readonly schema?: string;
  readonly table: string;
  readonly name: string;
};

export interface CreatePrimaryKeyOperation extends Named<PrimaryKeyConstraint> {
  readonly kind: 'createPrimaryKey';
}
export interface CreateForeignKeyOperation extends Named<ForeignKeyConstraint> {
  readonly kind: 'createForeignKey';
}
export interface CreateUniqueConstraintOperation extends Named<UniqueConstraint> {
  readonly kind: 'createUniqueConstraint';
}
export interface CreateCheckConstraintOperation extends Named<CheckConstraint> {
  readonly kind: 'createCheckConstraint';
}
export interface CreateExcludeConstraintOperation extends Named<ExcludeConstraint> {
  readonly kind: 'createExcludeConstraint';
}

export type CreateConstraintOperation =
  | CreatePrimaryKeyOperation
  | CreateForeignKeyOperation
  | CreateUniqueConstraintOperation
  | CreateCheckConstraintOperation
  | CreateExcludeConstraintOperation;

export interface DropConstraintOperation {
  readonly kind: 'dropConstraint';
  readonly schema?: string;
  readonly table: string;
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The constraint as it is, which makes the drop reversible. */
  readonly existing?: TableConstraint;
}

export interface CreateIndexOptions extends SchemaOption {
  readonly unique?: boolean;
  readonly using?: string;
  /** A partial index's predicate: SQL text or a `sql` expression. */
  readonly where?: string | SqlExpression;
  readonly include?: readonly string[];
  readonly nullsNotDistinct?: boolean;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
}

export type IndexDefinitionInput = Omit<CreateIndexOptions, 'schema' | 'concurrently' | 'ifNotExists'> & {
  readonly table: string;
  readonly columns: readonly IndexElementInput[];
};

export interface DropIndexOptions extends SchemaOption {
  /** The index's table, which MySQL needs (`DROP INDEX name ON table`); `existing.table` serves too. */
  readonly table?: string;
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The index's definition as it is: without it the drop cannot be reversed. */
  readonly existing?: IndexDefinitionInput;
}

export interface CreatePrimaryKeyOptions extends SchemaOption {
  readonly include?: readonly string[];
}

export interface CreateForeignKeyOptions extends SchemaOption, ForeignKeyActions {
  readonly notValid?: boolean;
}

export interface CreateUniqueConstraintOptions extends SchemaOption, Deferrable {
  readonly nullsNotDistinct?: boolean;
  readonly include?: readonly string[];
}

export interface CreateCheckConstraintOptions extends SchemaOption {
  readonly noInherit?: boolean;
  readonly notValid?: boolean;
}

export interface CreateExcludeConstraintOptions extends SchemaOption, Deferrable {
  /** The index method; exclusion constraints usually need `'gist'`. */
  readonly using?: string;
  readonly include?: readonly string[];
  readonly where?: string | SqlExpression;
}

export interface DropConstraintOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The constraint's definition as it is: without it the drop cannot be reversed. */
  readonly existing?: TableConstraintInput;
}

const STORAGE_PARAMETER = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function normalizeIndexDefinition(operation: string, input: IndexDefinitionInput): IndexDefinition {
  let storage: Record<string, string | number | boolean> | undefined;
  if (input.with !== undefined) {
    if (!isPlainObject(input.with))
      throw invalidOperation(operation, '`with` must be an object of storage parameters');
    storage = {};
    for (const [key, value] of Object.entries(input.with)) {
      if (!STORAGE_PARAMETER.test(key))
        throw invalidOperation(operation, `storage parameter ${JSON.stringify(key)} is not a name`);
      if (
        !['string', 'number', 'boolean'].includes(typeof value) ||
        (typeof value === 'number' && !Number.isFinite(value))
      ) {
        throw invalidOperation(
          operation,
          `storage parameter ${key} must be a string, a finite number or a boolean`,
        );
      }
      storage[key] = value;
    }
  }
  return compact({
    table: checkName(operation, 'table', input.table),
    columns: normalizeIndexElements(operation, 'columns', input.columns),
    unique: checkBoolean(operation, 'unique', input.unique),
    using: checkOptionalName(operation, 'using', input.using),
    where: input.where === undefined ? undefined : checkSql(operation, 'where', input.where),
    include: optionalNames(operation, 'include', input.include),
    nullsNotDistinct: checkBoolean(operation, 'nullsNotDistinct', input.nullsNotDistinct),
    with: storage,
  });
}

function named<T extends TableConstraint, K extends CreateConstraintOperation['kind']>(
  kind: K,
  name: string,
  table: string,
  schema: string | undefined,
  constraint: T,
): Named<T> & { readonly kind: K } {
  const { type: _type, name: _name, ...rest } = constraint;
  return deepFreeze(
    compact({
      kind,
      schema: checkOptionalName(kind, 'schema', schema),
      table: checkName(kind, 'table', table),
      name: checkName(kind, 'name', name),
      ...rest,
    }) as unknown as Named<T> & { readonly kind: K },
  );
}

export const indexBuilders = {
  /**
   * `CREATE INDEX name ON table (…)`. Columns are names, `sql` expressions, or objects with `column` or
   * `expression` and `order`, `nulls`, `opclass`, `collation`.
   */
  createIndex(
    name: string,
    table: string,
    columns: readonly IndexElementInput[],
    options?: CreateIndexOptions,
  ): CreateIndexOperation {
    const o = checkOptions('createIndex', options);
    return deepFreeze(
      compact({
        kind: 'createIndex' as const,
        schema: checkOptionalName('createIndex', 'schema', o.schema),
        name: checkName('createIndex', 'name', name),
        ...normalizeIndexDefinition('createIndex', { ...o, table, columns }),
        concurrently: checkBoolean('createIndex', 'concurrently', o.concurrently),
        ifNotExists: checkBoolean('createIndex', 'ifNotExists', o.ifNotExists),
      }),
    );
  },

  /**
   * `DROP INDEX`. Pass `table` where the database needs it (MySQL), and `existing` (the index's definition, which
   * names the table too) to make it reversible.
   */
  dropIndex(name: string, options?: DropIndexOptions): DropIndexOperation {
    const o = checkOptions('dropIndex', options);
    if (o.existing !== undefined && !isPlainObject(o.existing)) {
      throw invalidOperation('dropIndex', 'existing must be an index definition object');
    }
    const table = checkOptionalName('dropIndex', 'table', o.table);
    const existing = o.existing === undefined ? undefined : normalizeIndexDefinition('dropIndex', o.existing);
    if (table !== undefined && existing !== undefined && existing.table !== table) {
      throw invalidOperation(
        'dropIndex',
        `table is ${JSON.stringify(table)} but existing.table is ${JSON.stringify(existing.table)}`,
      );
    }
    return deepFreeze(
      compact({
        kind: 'dropIndex' as const,
        schema: checkOptionalName('dropIndex', 'schema', o.schema),
        name: checkName('dropIndex', 'name', name),
        table: table ?? existing?.table,
        concurrently: checkBoolean('dropIndex', 'concurrently', o.concurrently),
        ifExists: checkBoolean('dropIndex', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropIndex', 'cascade', o.cascade),
        existing,
      }),
    );
  },

  /** `ALTER TABLE … ADD CONSTRAINT name PRIMARY KEY (…)`. */
  createPrimaryKey(
    name: string,
    table: string,
    columns: readonly string[],
    options?: CreatePrimaryKeyOptions,
  ): CreatePrimaryKeyOperation {
    const o = checkOptions('createPrimaryKey', options);
    const constraint = normalizeConstraint('createPrimaryKey', 'constraint', {
      ...o,
      type: 'primaryKey',
      columns,
    });
    return named('createPrimaryKey', name, table, o.schema, constraint as PrimaryKeyConstraint);
  },

  /** `ALTER TABLE … ADD CONSTRAINT name FOREIGN KEY (columns) REFERENCES references.table (references.columns)`. */
  createForeignKey(
    name: string,
    table: string,
    columns: readonly string[],
    references: ReferencedColumns,
    options?: CreateForeignKeyOptions,
  ): CreateForeignKeyOperation {
    const o = checkOptions('createForeignKey', options);
    const constraint = normalizeConstraint('createForeignKey', 'constraint', {
      ...o,
      type: 'foreignKey',
      columns,
      references,
    });
    return named('createForeignKey', name, table, o.schema, constraint as ForeignKeyConstraint);
  },

  /** `ALTER TABLE … ADD CONSTRAINT name UNIQUE (…)`. */
  createUniqueConstraint(
    name: string,
    table: string,
    columns: readonly string[],
    options?: CreateUniqueConstraintOptions,
  ): CreateUniqueConstraintOperation {
    const o = checkOptions('createUniqueConstraint', options);
    const constraint = normalizeConstraint('createUniqueConstraint', 'constraint', {
      ...o,
      type: 'unique',
      columns,
    });
    return named('createUniqueConstraint', name, table, o.schema, constraint as UniqueConstraint);
  },

  /** `ALTER TABLE … ADD CONSTRAINT name CHECK (expression)`: SQL text or a `sql` expression. */
  createCheckConstraint(
    name: string,
    table: string,
    expression: string | SqlExpression,
    options?: CreateCheckConstraintOptions,
  ): CreateCheckConstraintOperation {
    const o = checkOptions('createCheckConstraint', options);
    const constraint = normalizeConstraint('createCheckConstraint', 'constraint', {
      ...o,
      type: 'check',
      expression,
    });
    return named('createCheckConstraint', name, table, o.schema, constraint as CheckConstraint);
  },

  /** `ALTER TABLE … ADD CONSTRAINT name EXCLUDE USING method (element WITH operator, …)`. */
  createExcludeConstraint(
    name: string,
    table: string,
    elements: readonly ExcludeElementInput[],
    options?: CreateExcludeConstraintOptions,
  ): CreateExcludeConstraintOperation {
    const o = checkOptions('createExcludeConstraint', options);
    const constraint = normalizeConstraint('createExcludeConstraint', 'constraint', {
      ...o,
      type: 'exclude',
      elements,
    });
    return named('createExcludeConstraint', name, table, o.schema, constraint as ExcludeConstraint);
  },

  /** `ALTER TABLE … DROP CONSTRAINT`. Pass `existing` (the constraint's definition) to make it reversible. */
  dropConstraint(name: string, table: string, options?: DropConstraintOptions): DropConstraintOperation {
    const o = checkOptions('dropConstraint', options);
    let existing: TableConstraint | undefined;
    if (o.existing !== undefined) {
      const { name: _ignored, ...constraint } = normalizeConstraint('dropConstraint', 'existing', o.existing);
      existing = constraint as TableConstraint;
    }
    return deepFreeze(
      compact({
        kind: 'dropConstraint' as const,
        schema: checkOptionalName('dropConstraint', 'schema', o.schema),
        table: checkName('dropConstraint', 'table', table),
        name: checkName('dropConstraint', 'name', name),
        ifExists: checkBoolean('dropConstraint', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropConstraint', 'cascade', o.cascade),
        existing,
      }),
    );
  },
};
