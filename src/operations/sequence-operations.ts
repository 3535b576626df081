import { normalizeSequenceParameters, type SequenceParameters } from './definitions.js';
import type { SchemaOption } from './table-operations.js';
import {
  checkBoolean,
  checkInteger,
  checkName,
  checkOptionalName,
  checkOptions,
  checkType,
  compact,
  deepFreeze,
  invalidOperation,
  isPlainObject,
} from './validate.js';

/** The column a sequence belongs to (dropped with it); `null` in `alterSequence` detaches it (`OWNED BY NONE`). */
export interface SequenceOwner {
  readonly table: string;
  readonly column: string;
  readonly schema?: string;
}

/** A sequence's definition: its type (`as`: `'integer'`, `'bigint'`…), parameters and owner. */
export interface SequenceDefinition extends SequenceParameters {
  readonly as?: string;
  readonly ownedBy?: SequenceOwner;
}

export interface CreateSequenceOperation extends SequenceDefinition {
  readonly kind: 'createSequence';
  readonly schema?: string;
  readonly name: string;
  readonly ifNotExists?: boolean;
}

/**
 * `ALTER SEQUENCE`. `existing` holds the present value of each changed parameter, which makes it reversible;
 * `restart` moves the sequence's current value and is never reversible.
 */
export interface AlterSequenceOperation extends SequenceParameters {
  readonly kind: 'alterSequence';
  readonly schema?: string;
  readonly name: string;
  readonly as?: string;
  readonly ownedBy?: SequenceOwner | null;
  /** `true` restarts at the start value, a number at that number. */
  readonly restart?: true | number | bigint;
  readonly existing?: SequenceDefinitionWithNone;
}

/** Like SequenceDefinition, with `ownedBy: null` for a sequence that has no owner. */
export type SequenceDefinitionWithNone = Omit<SequenceDefinition, 'ownedBy'> & {
  readonly ownedBy?: SequenceOwner | null;
};

export interface DropSequenceOperation {
  readonly kind: 'dropSequence';
  readonly schema?: string;
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The sequence as it is, which makes the drop reversible (its current value is not restored). */
  readonly existing?: SequenceDefinition;
}

export interface CreateSequenceOptions extends SchemaOption, SequenceDefinition {
  readonly ifNotExists?: boolean;
}

export interface AlterSequenceOptions extends SchemaOption, SequenceParameters {
  readonly as?: string;
  readonly ownedBy?: SequenceOwner | null;
  readonly restart?: true | number | bigint;
  /** The present values of the parameters this changes: without them the change cannot be reversed. */
  readonly existing?: SequenceDefinitionWithNone;
}

export interface DropSequenceOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: SequenceDefinition;
}

function normalizeOwner(operation: string, what: string, value: unknown): SequenceOwner | null | undefined {
  if (value === undefined || value === null) return value;
  if (!isPlainObject(value))
    throw invalidOperation(operation, `${what} must be { table, column, schema? } or null`);
  const owner = value as unknown as SequenceOwner;
  return compact({
    table: checkName(operation, `${what}.table`, owner.table),
    column: checkName(operation, `${what}.column`, owner.column),
    schema: checkOptionalName(operation, `${what}.schema`, owner.schema),
  });
}

function normalizeDefinition(
  operation: string,
  what: string,
  input: SequenceDefinitionWithNone,
): SequenceDefinitionWithNone {
  return compact({
    as: input.as === undefined ? undefined : checkType(operation, `${what}as`, input.as),
    ...normalizeSequenceParameters(operation, what === '' ? 'options' : what.slice(0, -1), input),
    ownedBy: normalizeOwner(operation, `${what}ownedBy`, input.ownedBy),
  });
}

function noNone(operation: string, definition: SequenceDefinitionWithNone): SequenceDefinition {
  if (definition.ownedBy === null)
    throw invalidOperation(operation, 'ownedBy: null only makes sense in alterSequence');
  return definition as SequenceDefinition;
}

export const sequenceBuilders = {
  /** `CREATE SEQUENCE`. */
  createSequence(name: string, options?: CreateSequenceOptions): CreateSequenceOperation {
    const o = checkOptions('createSequence', options);
    return deepFreeze(
      compact({
        kind: 'createSequence' as const,
        schema: checkOptionalName('createSequence', 'schema', o.schema),
        name: checkName('createSequence', 'name', name),
        ifNotExists: checkBoolean('createSequence', 'ifNotExists', o.ifNotExists),
        ...noNone('createSequence', normalizeDefinition('createSequence', '', o)),
      }),
    );
  },

  /** `ALTER SEQUENCE`. Give `existing` with the present values of what you change to make it reversible. */
  alterSequence(name: string, options: AlterSequenceOptions): AlterSequenceOperation {
    const o = checkOptions('alterSequence', options);
    let restart: true | number | bigint | undefined;
    if (o.restart !== undefined) {
      restart = o.restart === true ? true : checkInteger('alterSequence', 'restart', o.restart);
    }
    if (o.existing !== undefined && !isPlainObject(o.existing)) {
      throw invalidOperation('alterSequence', 'existing must be an object of sequence parameters');
    }
    const changes = normalizeDefinition('alterSequence', '', o);
    if (Object.keys(changes).length === 0 && restart === undefined) {
      throw invalidOperation('alterSequence', `nothing to change on sequence ${JSON.stringify(name)}`);
    }
    return deepFreeze(
      compact({
        kind: 'alterSequence' as const,
        schema: checkOptionalName('alterSequence', 'schema', o.schema),
        name: checkName('alterSequence', 'name', name),
        ...changes,
        restart,
        existing:
          o.existing === undefined
            ? undefined
            : normalizeDefinition('alterSequence', 'existing.', o.existing),
      }),
    );
  },

  /** `DROP SEQUENCE`. Pass `existing` (its definition) to make it reversible. */
  dropSequence(name: string, options?: DropSequenceOptions): DropSequenceOperation {
    const o = checkOptions('dropSequence', options);
    if (o.existing !== undefined && !isPlainObject(o.existing)) {
      throw invalidOperation('dropSequence', 'existing must be an object of sequence parameters');
    }
    return deepFreeze(
      compact({
        kind: 'dropSequence' as const,
        schema: checkOptionalName('dropSequence', 'schema', o.schema),
        name: checkName('dropSequence', 'name', name),
        ifExists: checkBoolean('dropSequence', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropSequence', 'cascade', o.cascade),
        existing:
          o.existing === undefined
            ? undefined
            : noNone('dropSequence', normalizeDefinition('dropSequence', 'existing.', o.existing)),
      }),
    );
  },
};
