import {
  type ColumnDefault,
  type ColumnDefinition,
  type ColumnInput,
  type ColumnSpecInput,
  checkComment,
  checkDefault,
  checkNullableComment,
  type Identity,
  type IdentityGeneration,
  type IdentityInput,
  type MysqlTableOptions,
  normalizeColumn,
  normalizeColumnSpec,
  normalizeColumns,
  normalizeConstraints,
  normalizeIdentity,
  normalizeMysqlTableOptions,
  normalizeSqliteTableOptions,
  normalizeTableDefinition,
  type SqliteTableOptions,
  type TableConstraintInput,
  type TableDefinition,
  type TableDefinitionInput,
} from './definitions.js';
import type { SqlExpression } from './sql-expression.js';
import {
  checkBoolean,
  checkName,
  checkOptionalName,
  checkOptions,
  checkSql,
  checkType,
  compact,
  deepFreeze,
  invalidOperation,
  isPlainObject,
} from './validate.js';

/** Where a table lives: `schema` omitted means the connection's search path. */
export interface SchemaOption {
  readonly schema?: string;
}

export interface CreateTableOperation extends TableDefinition {
  readonly kind: 'createTable';
  readonly schema?: string;
  readonly table: string;
  readonly ifNotExists?: boolean;
}

export interface DropTableOperation {
  readonly kind: 'dropTable';
  readonly schema?: string;
  readonly table: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The table as it is, which makes the drop reversible. */
  readonly existing?: TableDefinition;
}

export interface RenameTableOperation {
  readonly kind: 'renameTable';
  readonly schema?: string;
  readonly table: string;
  readonly newName: string;
}

export interface SetTableCommentOperation {
  readonly kind: 'setTableComment';
  readonly schema?: string;
  readonly table: string;
  /** `null` removes the comment. */
  readonly comment: string | null;
  /** The comment as it is (`null`: none), which makes the change reversible. */
  readonly existingComment?: string | null;
}

export interface AddColumnOperation {
  readonly kind: 'addColumn';
  readonly schema?: string;
  readonly table: string;
  readonly column: ColumnDefinition;
  readonly ifNotExists?: boolean;
}

export interface DropColumnOperation {
  readonly kind: 'dropColumn';
  readonly schema?: string;
  readonly table: string;
  readonly column: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The column as it is, which makes the drop reversible. */
  readonly existing?: ColumnDefinition;
}

/**
 * Changes to one column. Each change may carry the column's present state (`existing…`, Alembic's
 * `existing_type` and friends) so that the change can be reversed and so that dialects that restate the whole
 * column (MySQL) can. `default: null` drops the default; `comment: null` removes the comment.
 */
export interface AlterColumnOperation {
  readonly kind: 'alterColumn';
  readonly schema?: string;
  readonly table: string;
  readonly column: string;
  readonly type?: string;
  /** How to convert existing values to the new type (`USING`). */
  readonly using?: SqlExpression;
  readonly nullable?: boolean;
  readonly default?: ColumnDefault | null;
  readonly comment?: string | null;
  readonly newName?: string;
  /**
   * An identity to add (`{ generated }` with its sequence options), or `null` to drop the column's identity.
   * PostgreSQL's `ADD GENERATED … AS IDENTITY`/`DROP IDENTITY`, MySQL's AUTO_INCREMENT (which needs a key on the
   * column), SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT` (the table's only key column; the table is rebuilt).
   */
  readonly identity?: Identity | null;
  readonly existingType?: string;
  readonly existingNullable?: boolean;
  /** `null`: the column has no default. */
  readonly existingDefault?: ColumnDefault | null;
  /** `null`: the column has no comment. */
  readonly existingComment?: string | null;
  /** `null`: the column is no identity. */
  readonly existingIdentity?: Identity | null;
}

export interface CreateTableOptions extends SchemaOption, MysqlTableOptions, SqliteTableOptions {
  readonly constraints?: readonly TableConstraintInput[];
  readonly comment?: string;
  readonly ifNotExists?: boolean;
}

export interface DropTableOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The table's definition as it is: without it the drop cannot be reversed. */
  readonly existing?: TableDefinitionInput;
}

export interface SetTableCommentOptions extends SchemaOption {
  readonly existingComment?: string | null;
}

export interface AddColumnOptions extends SchemaOption {
  readonly ifNotExists?: boolean;
}

export interface DropColumnOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The column's definition as it is: without it the drop cannot be reversed. */
  readonly existing?: ColumnSpecInput;
}

/** What `op.alterColumn(table, column, options)` takes: the operation's fields, with `using` also as plain text. */
export interface AlterColumnOptions
  extends SchemaOption,
    Omit<
      AlterColumnOperation,
      'kind' | 'schema' | 'table' | 'column' | 'using' | 'identity' | 'existingIdentity'
    > {
  /** SQL converting the old values (`USING`): text or a `sql` expression. */
  readonly using?: string | SqlExpression;
  /** `'always'`, `'byDefault'` or the generation with sequence options; `null` drops the identity. */
  readonly identity?: IdentityGeneration | IdentityInput | null;
  readonly existingIdentity?: IdentityGeneration | IdentityInput | null;
}

function schemaOf(operation: string, options: SchemaOption | undefined): string | undefined {
  return checkOptionalName(operation, 'schema', options?.schema);
}

export const tableBuilders = {
  /**
   * `CREATE TABLE`. Columns are objects (`{ name: 'id', type: 'uuid', primaryKey: true }`); table-level
   * constraints go in `options.constraints`; a `comment` becomes `COMMENT ON TABLE`.
   */
  createTable(
    table: string,
    columns: readonly ColumnInput[],
    options?: CreateTableOptions,
  ): CreateTableOperation {
    const o = checkOptions('createTable', options);
    return deepFreeze(
      compact({
        kind: 'createTable' as const,
        schema: schemaOf('createTable', o),
        table: checkName('createTable', 'table', table),
        columns: normalizeColumns('createTable', columns),
        constraints: normalizeConstraints('createTable', o.constraints),
        comment: checkComment('createTable', 'comment', o.comment),
        ...normalizeMysqlTableOptions('createTable', o),
        ...normalizeSqliteTableOptions('createTable', o),
        ifNotExists: checkBoolean('createTable', 'ifNotExists', o.ifNotExists),
      }),
    );
  },

  /** `DROP TABLE`. Pass `existing` (the table's definition) to make it reversible. */
  dropTable(table: string, options?: DropTableOptions): DropTableOperation {
    const o = checkOptions('dropTable', options);
    return deepFreeze(
      compact({
        kind: 'dropTable' as const,
        schema: schemaOf('dropTable', o),
        table: checkName('dropTable', 'table', table),
        ifExists: checkBoolean('dropTable', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropTable', 'cascade', o.cascade),
        existing:
          o.existing === undefined
            ? undefined
            : normalizeTableDefinition('dropTable', o.existing, 'existing'),
      }),
    );
  },

  /** `ALTER TABLE … RENAME TO`: the table stays in its schema. */
  renameTable(table: string, newName: string, options?: SchemaOption): RenameTableOperation {
    const o = checkOptions('renameTable', options);
    return deepFreeze(
      compact({
        kind: 'renameTable' as const,
        schema: schemaOf('renameTable', o),
        table: checkName('renameTable', 'table', table),
        newName: checkName('renameTable', 'newName', newName),
      }),
    );
  },

  /** `COMMENT ON TABLE`; `null` removes the comment. Pass `existingComment` to make it reversible. */
  setTableComment(
    table: string,
    comment: string | null,
    options?: SetTableCommentOptions,
  ): SetTableCommentOperation {
    const o = checkOptions('setTableComment', options);
    if (comment !== null && typeof comment !== 'string') {
      throw invalidOperation('setTableComment', 'comment must be a string or null');
    }
    return deepFreeze(
      compact({
        kind: 'setTableComment' as const,
        schema: schemaOf('setTableComment', o),
        table: checkName('setTableComment', 'table', table),
        comment,
        existingComment: checkNullableComment('setTableComment', 'existingComment', o.existingComment),
      }),
    );
  },

  /** `ALTER TABLE … ADD COLUMN`. */
  addColumn(table: string, column: ColumnInput, options?: AddColumnOptions): AddColumnOperation {
    const o = checkOptions('addColumn', options);
    return deepFreeze(
      compact({
        kind: 'addColumn' as const,
        schema: schemaOf('addColumn', o),
        table: checkName('addColumn', 'table', table),
        column: normalizeColumn('addColumn', column),
        ifNotExists: checkBoolean('addColumn', 'ifNotExists', o.ifNotExists),
      }),
    );
  },

  /** `ALTER TABLE … DROP COLUMN`. Pass `existing` (the column's definition) to make it reversible. */
  dropColumn(table: string, column: string, options?: DropColumnOptions): DropColumnOperation {
    const o = checkOptions('dropColumn', options);
    const name = checkName('dropColumn', 'column', column);
    if (o.existing !== undefined && !isPlainObject(o.existing)) {
      throw invalidOperation('dropColumn', 'existing must be a column definition object');
    }
    return deepFreeze(
      compact({
        kind: 'dropColumn' as const,
        schema: schemaOf('dropColumn', o),
        table: checkName('dropColumn', 'table', table),
        column: name,
        ifExists: checkBoolean('dropColumn', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropColumn', 'cascade', o.cascade),
        existing:
          o.existing === undefined
            ? undefined
            : normalizeColumnSpec('dropColumn', o.existing, 'existing', name),
      }),
    );
  },

  /**
   * `ALTER TABLE … ALTER COLUMN`: type (with `using`), nullability, default (`null` drops it), comment (`null`
   * removes it) and `newName`. Give the column's present state as `existingType`, `existingNullable`,
   * `existingDefault` and `existingComment` for the changes you make, so that the change can be reversed.
   */
  alterColumn(table: string, column: string, options: AlterColumnOptions): AlterColumnOperation {
    const o = checkOptions('alterColumn', options);
    const op = 'alterColumn';
    const result = compact({
      kind: 'alterColumn' as const,
      schema: schemaOf(op, o),
      table: checkName(op, 'table', table),
      column: checkName(op, 'column', column),
      type: o.type === undefined ? undefined : checkType(op, 'type', o.type),
      using: o.using === undefined ? undefined : checkSql(op, 'using', o.using),
      nullable: checkBoolean(op, 'nullable', o.nullable),
      default:
        o.default === undefined || o.default === null ? o.default : checkDefault(op, 'default', o.default),
      comment: checkNullableComment(op, 'comment', o.comment),
      newName: checkOptionalName(op, 'newName', o.newName),
      identity: o.identity === null ? null : normalizeIdentity(op, 'identity', o.identity),
      existingType: o.existingType === undefined ? undefined : checkType(op, 'existingType', o.existingType),
      existingNullable: checkBoolean(op, 'existingNullable', o.existingNullable),
      existingDefault:
        o.existingDefault === undefined || o.existingDefault === null
          ? o.existingDefault
          : checkDefault(op, 'existingDefault', o.existingDefault),
      existingComment: checkNullableComment(op, 'existingComment', o.existingComment),
      existingIdentity:
        o.existingIdentity === null ? null : normalizeIdentity(op, 'existingIdentity', o.existingIdentity),
    });
    if (result.using !== undefined && result.type === undefined) {
      throw invalidOperation(op, '`using` converts values to a new type: give `type` as well');
    }
    const changes: (keyof AlterColumnOperation)[] = [
      'type',
      'nullable',
      'default',
      'comment',
      'newName',
      'identity',
    ];
    if (!changes.some((key) => result[key] !== undefined)) {
      throw invalidOperation(
        op,
        `nothing to change on column ${JSON.stringify(column)}`,
        `Give one of ${changes.join(', ')}.`,
      );
    }
    return deepFreeze(result);
  },
};
