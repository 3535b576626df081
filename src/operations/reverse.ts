import { AmbixError } from '../errors.js';
import type { BatchTableOperation } from './batch-operations.js';
import { BEGIN_AUTOCOMMIT, END_AUTOCOMMIT } from './data-operations.js';
import type { ColumnDefinition, TableConstraint } from './definitions.js';
import type { CreateConstraintOperation, IndexDefinition } from './index-operations.js';
import type { Operation, OperationKind, OperationOf } from './operation.js';
import type { AlterSequenceOperation, SequenceDefinitionWithNone } from './sequence-operations.js';
import type { AlterColumnOperation } from './table-operations.js';
import { compact, deepFreeze } from './validate.js';

type Reverser<K extends OperationKind> = (operation: OperationOf<K>) => Operation;

function cannotReverse(operation: Operation, why: string, hint: string): AmbixError {
  return new AmbixError('FAILED', `Cannot reverse ${operation.kind}: ${why}`, {
    hint,
    details: { operation: operation.kind },
  });
}

function needsExisting(operation: Operation, what: string, option = 'existing'): AmbixError {
  return cannotReverse(
    operation,
    `it does not carry the ${what} it removes or replaces`,
    `Pass \`${option}\` to op.${operation.kind}() with the ${what} as it is, or write the downgrade by hand.`,
  );
}

function make<T extends Operation>(operation: T): Operation {
  return deepFreeze(compact(operation));
}

const CREATE_KIND = {
  primaryKey: 'createPrimaryKey',
  foreignKey: 'createForeignKey',
  unique: 'createUniqueConstraint',
  check: 'createCheckConstraint',
  exclude: 'createExcludeConstraint',
} as const satisfies Record<TableConstraint['type'], CreateConstraintOperation['kind']>;

function constraintOf(operation: CreateConstraintOperation): TableConstraint {
  const { kind, schema: _schema, table: _table, name: _name, ...rest } = operation;
  const type = (Object.keys(CREATE_KIND) as TableConstraint['type'][]).find(
    (key) => CREATE_KIND[key] === kind,
  );
  return { type, ...rest } as TableConstraint;
}

function dropConstraintFor(operation: CreateConstraintOperation): Operation {
  return make({
    kind: 'dropConstraint',
    schema: operation.schema,
    table: operation.table,
    name: operation.name,
    existing: constraintOf(operation),
  });
}

function indexDefinitionOf(operation: OperationOf<'createIndex'>): IndexDefinition {
  const { kind: _k, schema: _s, name: _n, concurrently: _c, ifNotExists: _i, ...definition } = operation;
  return definition;
}

/** One change of a batch undone; a change that cannot be makes the batch irreversible, saying which. */
function reverseInBatch(batch: Operation, inner: BatchTableOperation): BatchTableOperation {
  try {
    return reverseOperation(inner) as BatchTableOperation;
  } catch (error) {
    if (!(error instanceof AmbixError)) throw error;
    const why = error.message.replace(`Cannot reverse ${inner.kind}: `, '');
    throw cannotReverse(
      batch,
      `its batch.${inner.kind}() cannot be reversed: ${why}`,
      (error.hint ?? 'Write the downgrade by hand.').replaceAll(`op.${inner.kind}(`, `batch.${inner.kind}(`),
    );
  }
}

function reverseAlterColumn(operation: AlterColumnOperation): Operation {
  const missing: string[] = [];
  if (operation.type !== undefined && operation.existingType === undefined) missing.push('existingType');
  if (operation.default !== undefined && operation.existingDefault === undefined)
    missing.push('existingDefault');
  if (operation.comment !== undefined && operation.existingComment === undefined)
    missing.push('existingComment');
  if (operation.identity !== undefined && operation.existingIdentity === undefined)
    missing.push('existingIdentity');
  if (missing.length > 0) {
    throw cannotReverse(
      operation,
      `it changes the column without carrying ${missing.join(', ')}`,
      `Pass ${missing.join(', ')} to op.alterColumn() (null for "no default"/"no comment"/"no identity"), or write the downgrade by hand.`,
    );
  }
  const changes = (value: unknown, existing: unknown) => (value === undefined ? undefined : existing);
  return make({
    kind: 'alterColumn',
    schema: operation.schema,
    table: operation.table,
    column: operation.newName ?? operation.column,
    type: changes(operation.type, operation.existingType) as string | undefined,
    // When the nullability before the change is unknown, it was the opposite of what the change sets.
    nullable:
      operation.nullable === undefined ? undefined : (operation.existingNullable ?? !operation.nullable),
    default: changes(operation.default, operation.existingDefault) as AlterColumnOperation['default'],
    comment: changes(operation.comment, operation.existingComment) as AlterColumnOperation['comment'],
    newName: operation.newName === undefined ? undefined : operation.column,
    existingType: operation.type ?? operation.existingType,
    existingNullable: operation.nullable ?? operation.existingNullable,
    existingDefault: operation.default === undefined ? operation.existingDefault : operation.default,
    existingComment: operation.comment === undefined ? operation.existingComment : operation.comment,
    identity: changes(operation.identity, operation.existingIdentity) as AlterColumnOperation['identity'],
    existingIdentity: operation.identity === undefined ? operation.existingIdentity : operation.identity,
  });
}

const SEQUENCE_KEYS = [
  'as',
  'increment',
  'minValue',
  'maxValue',
  'start',
  'cache',
  'cycle',
  'ownedBy',
] as const;

function reverseAlterSequence(operation: AlterSequenceOperation): Operation {
  if (operation.restart !== undefined) {
    throw cannotReverse(
      operation,
      'RESTART moves the sequence and its previous position is not known',
      'Split the restart into its own op.alterSequence() and write its downgrade by hand (or leave it out).',
    );
  }
  const existing: SequenceDefinitionWithNone = operation.existing ?? {};
  const reversed: Record<string, unknown> = {};
  const carried: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const key of SEQUENCE_KEYS) {
    if (operation[key] === undefined) continue;
    carried[key] = operation[key];
    if (existing[key] !== undefined) reversed[key] = existing[key];
    else if (key === 'cycle') reversed[key] = !operation.cycle;
    else missing.push(`existing.${key}`);
  }
  if (missing.length > 0) {
    throw cannotReverse(
      operation,
      `it does not carry ${missing.join(', ')}`,
      'Pass `existing` to op.alterSequence() with the present value of each parameter it changes.',
    );
  }
  return make({
    kind: 'alterSequence',
    schema: operation.schema,
    name: operation.name,
    ...reversed,
    existing: carried,
  } as AlterSequenceOperation);
}

const REVERSERS: { readonly [K in OperationKind]: Reverser<K> } = {
  createTable: (op) =>
    make({
      kind: 'dropTable',
      schema: op.schema,
      table: op.table,
      ifExists: op.ifNotExists,
      existing: compact({
        columns: op.columns,
        constraints: op.constraints,
        comment: op.comment,
        engine: op.engine,
        charset: op.charset,
        collation: op.collation,
        strict: op.strict,
        withoutRowid: op.withoutRowid,
      }),
    }),
  dropTable: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'table definition');
    return make({
      kind: 'createTable',
      schema: op.schema,
      table: op.table,
      ...op.existing,
      ifNotExists: op.ifExists,
    });
  },
  renameTable: (op) => make({ kind: 'renameTable', schema: op.schema, table: op.newName, newName: op.table }),
  setTableComment: (op) => {
    if (op.existingComment === undefined) throw needsExisting(op, 'previous comment', 'existingComment');
    return make({
      kind: 'setTableComment',
      schema: op.schema,
      table: op.table,
      comment: op.existingComment,
      existingComment: op.comment,
    });
  },
  addColumn: (op) =>
    make({
      kind: 'dropColumn',
      schema: op.schema,
      table: op.table,
      column: op.column.name,
      ifExists: op.ifNotExists,
      existing: op.column,
    }),
  dropColumn: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'column definition');
    const column: ColumnDefinition = { ...op.existing, name: op.column };
    return make({ kind: 'addColumn', schema: op.schema, table: op.table, column, ifNotExists: op.ifExists });
  },
  alterColumn: reverseAlterColumn,
  createIndex: (op) =>
    make({
      kind: 'dropIndex',
      schema: op.schema,
      name: op.name,
      table: op.table,
      concurrently: op.concurrently,
      ifExists: op.ifNotExists,
      existing: indexDefinitionOf(op),
    }),
  dropIndex: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'index definition');
    return make({
      kind: 'createIndex',
      schema: op.schema,
      name: op.name,
      ...op.existing,
      concurrently: op.concurrently,
      ifNotExists: op.ifExists,
    });
  },
  createPrimaryKey: dropConstraintFor,
  createForeignKey: dropConstraintFor,
  createUniqueConstraint: dropConstraintFor,
  createCheckConstraint: dropConstraintFor,
  createExcludeConstraint: dropConstraintFor,
  dropConstraint: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'constraint definition');
    const { type, name: _name, ...rest } = op.existing;
    return make({
      kind: CREATE_KIND[type],
      schema: op.schema,
      table: op.table,
      name: op.name,
      ...rest,
    } as Operation);
  },
  // The changes undone in the opposite order, still as one batch (one rebuild on SQLite). The table as it was
  // before the batch (`existing`) is not the table before its reversal, so it is left out.
  batchAlterTable: (op) =>
    make({
      kind: 'batchAlterTable',
      schema: op.schema,
      table: op.table,
      operations: [...op.operations].reverse().map((inner) => reverseInBatch(op, inner)),
      recreate: op.recreate,
    }),
  createEnum: (op) =>
    make({ kind: 'dropEnum', schema: op.schema, name: op.name, existing: { values: op.values } }),
  dropEnum: (op) => {
    if (op.existing === undefined) throw needsExisting(op, "enum's values");
    return make({ kind: 'createEnum', schema: op.schema, name: op.name, values: op.existing.values });
  },
  addEnumValue: (op) => {
    throw cannotReverse(
      op,
      'PostgreSQL cannot remove a value from an enum',
      'Write the downgrade by hand (for example: create the old enum under a new name, convert the columns, drop the new one), or leave the value in place.',
    );
  },
  renameEnumValue: (op) =>
    make({ kind: 'renameEnumValue', schema: op.schema, name: op.name, from: op.to, to: op.from }),
  createSchema: (op) => make({ kind: 'dropSchema', name: op.name, ifExists: op.ifNotExists }),
  dropSchema: (op) => make({ kind: 'createSchema', name: op.name, ifNotExists: op.ifExists }),
  createExtension: (op) => make({ kind: 'dropExtension', name: op.name, ifExists: op.ifNotExists }),
  dropExtension: (op) => make({ kind: 'createExtension', name: op.name, ifNotExists: op.ifExists }),
  createSequence: (op) => {
    const { kind: _k, schema, name, ifNotExists, ...definition } = op;
    return make({ kind: 'dropSequence', schema, name, ifExists: ifNotExists, existing: definition });
  },
  alterSequence: reverseAlterSequence,
  dropSequence: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'sequence definition');
    return make({
      kind: 'createSequence',
      schema: op.schema,
      name: op.name,
      ...op.existing,
      ifNotExists: op.ifExists,
    });
  },
  createView: (op) => {
    const definition = compact({ query: op.query, columns: op.columns });
    if (op.orReplace === true) {
      if (op.existing === undefined)
        throw needsExisting(op, 'previous view definition (or null if there was none)');
      if (op.existing !== null) {
        return make({
          kind: 'createView',
          schema: op.schema,
          name: op.name,
          ...op.existing,
          orReplace: true,
          existing: definition,
        });
      }
    }
    return make({ kind: 'dropView', schema: op.schema, name: op.name, existing: definition });
  },
  dropView: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'view definition');
    return make({ kind: 'createView', schema: op.schema, name: op.name, ...op.existing });
  },
  createMaterializedView: (op) =>
    make({
      kind: 'dropMaterializedView',
      schema: op.schema,
      name: op.name,
      ifExists: op.ifNotExists,
      existing: compact({ query: op.query, columns: op.columns, withData: op.withData }),
    }),
  dropMaterializedView: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'materialized view definition');
    return make({
      kind: 'createMaterializedView',
      schema: op.schema,
      name: op.name,
      ...op.existing,
      ifNotExists: op.ifExists,
    });
  },
  refreshMaterializedView: (op) => {
    throw cannotReverse(
      op,
      'a refresh replaces the view’s rows and the previous rows are not kept',
      'Leave it out of the downgrade, or refresh again there if the downgrade changes what the view reads.',
    );
  },
  createFunction: (op) => {
    const { kind: _k, schema, name, orReplace, existing, ...definition } = op;
    if (orReplace === true) {
      if (existing === undefined)
        throw needsExisting(op, 'previous function definition (or null if there was none)');
      if (existing !== null) {
        return make({
          kind: 'createFunction',
          schema,
          name,
          ...existing,
          orReplace: true,
          existing: definition,
        });
      }
    }
    return make({
      kind: 'dropFunction',
      schema,
      name,
      parameters: definition.parameters,
      existing: definition,
    });
  },
  dropFunction: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'function definition');
    return make({ kind: 'createFunction', schema: op.schema, name: op.name, ...op.existing });
  },
  createTrigger: (op) => {
    const { kind: _k, schema, table, name, orReplace, existing, ...definition } = op;
    if (orReplace === true) {
      if (existing === undefined)
        throw needsExisting(op, 'previous trigger definition (or null if there was none)');
      if (existing !== null) {
        return make({
          kind: 'createTrigger',
          schema,
          table,
          name,
          ...existing,
          orReplace: true,
          existing: definition,
        });
      }
    }
    return make({ kind: 'dropTrigger', schema, table, name, existing: definition });
  },
  dropTrigger: (op) => {
    if (op.existing === undefined) throw needsExisting(op, 'trigger definition');
    return make({ kind: 'createTrigger', schema: op.schema, table: op.table, name: op.name, ...op.existing });
  },
  execute: (op) => {
    throw cannotReverse(
      op,
      'ambix cannot know what arbitrary SQL undoes',
      'Write the downgrade’s SQL by hand.',
    );
  },
  bulkInsert: (op) => {
    throw cannotReverse(
      op,
      'the inserted rows may not be identifiable',
      'Delete the rows in the downgrade with op.execute(), by their keys.',
    );
  },
  beginAutocommit: () => END_AUTOCOMMIT,
  endAutocommit: () => BEGIN_AUTOCOMMIT,
};

/**
 * The operation that undoes `operation`. Drops and replacements reverse only when they carry what they remove
 * (`existing…`); `execute`, `bulkInsert`, `addEnumValue` and `refreshMaterializedView` never do. Throws an
 * AmbixError saying what to pass or write instead.
 */
export function reverseOperation(operation: Operation): Operation {
  const reverser = REVERSERS[operation.kind] as Reverser<OperationKind>;
  return reverser(operation as never);
}

/** The operations that undo a sequence of operations: each reversed, in the opposite order. */
export function reverseOperations(operations: readonly Operation[]): Operation[] {
  return [...operations].reverse().map(reverseOperation);
}

/** Whether `reverseOperation` would succeed. */
export function isReversible(operation: Operation): boolean {
  try {
    reverseOperation(operation);
    return true;
  } catch {
    return false;
  }
}
