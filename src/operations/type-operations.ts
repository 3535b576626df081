import type { SchemaOption } from './table-operations.js';
import {
  checkBoolean,
  checkName,
  checkNames,
  checkOptionalName,
  checkOptions,
  compact,
  deepFreeze,
  invalidOperation,
  isPlainObject,
} from './validate.js';

export interface CreateEnumOperation {
  readonly kind: 'createEnum';
  readonly schema?: string;
  readonly name: string;
  readonly values: readonly string[];
}

export interface DropEnumOperation {
  readonly kind: 'dropEnum';
  readonly schema?: string;
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The enum as it is, which makes the drop reversible. */
  readonly existing?: { readonly values: readonly string[] };
}

/** `ALTER TYPE … ADD VALUE`: PostgreSQL cannot remove an enum value, so this one does not reverse. */
export interface AddEnumValueOperation {
  readonly kind: 'addEnumValue';
  readonly schema?: string;
  readonly name: string;
  readonly value: string;
  readonly before?: string;
  readonly after?: string;
  readonly ifNotExists?: boolean;
}

export interface RenameEnumValueOperation {
  readonly kind: 'renameEnumValue';
  readonly schema?: string;
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

export interface DropEnumOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The enum's labels as they are: without them the drop cannot be reversed. */
  readonly existing?: { readonly values: readonly string[] };
}

export interface AddEnumValueOptions extends SchemaOption {
  readonly before?: string;
  readonly after?: string;
  readonly ifNotExists?: boolean;
}

/** Enum labels are values (quoted as literals), but, like names, non-empty text without NUL characters. */
function checkLabels(operation: string, what: string, values: unknown): string[] {
  const labels = checkNames(operation, what, values);
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label)) throw invalidOperation(operation, `${what} lists ${JSON.stringify(label)} twice`);
    seen.add(label);
  }
  return labels;
}

export const typeBuilders = {
  /** `CREATE TYPE name AS ENUM (values…)`. */
  createEnum(name: string, values: readonly string[], options?: SchemaOption): CreateEnumOperation {
    const o = checkOptions('createEnum', options);
    return deepFreeze(
      compact({
        kind: 'createEnum' as const,
        schema: checkOptionalName('createEnum', 'schema', o.schema),
        name: checkName('createEnum', 'name', name),
        values: checkLabels('createEnum', 'values', values),
      }),
    );
  },

  /** `DROP TYPE`. Pass `existing: { values }` to make it reversible. */
  dropEnum(name: string, options?: DropEnumOptions): DropEnumOperation {
    const o = checkOptions('dropEnum', options);
    if (o.existing !== undefined && !isPlainObject(o.existing)) {
      throw invalidOperation('dropEnum', 'existing must be { values: [...] }');
    }
    return deepFreeze(
      compact({
        kind: 'dropEnum' as const,
        schema: checkOptionalName('dropEnum', 'schema', o.schema),
        name: checkName('dropEnum', 'name', name),
        ifExists: checkBoolean('dropEnum', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropEnum', 'cascade', o.cascade),
        existing:
          o.existing === undefined
            ? undefined
            : { values: checkLabels('dropEnum', 'existing.values', o.existing.values) },
      }),
    );
  },

  /**
   * `ALTER TYPE … ADD VALUE`, optionally `before` or `after` an existing label. Not reversible: PostgreSQL
   * cannot remove an enum label. Before PostgreSQL 12 it cannot run inside a transaction (use `op.autocommit`).
   */
  addEnumValue(name: string, value: string, options?: AddEnumValueOptions): AddEnumValueOperation {
    const o = checkOptions('addEnumValue', options);
    if (o.before !== undefined && o.after !== undefined) {
      throw invalidOperation('addEnumValue', 'give `before` or `after`, not both');
    }
    return deepFreeze(
      compact({
        kind: 'addEnumValue' as const,
        schema: checkOptionalName('addEnumValue', 'schema', o.schema),
        name: checkName('addEnumValue', 'name', name),
        value: checkName('addEnumValue', 'value', value),
        before: checkOptionalName('addEnumValue', 'before', o.before),
        after: checkOptionalName('addEnumValue', 'after', o.after),
        ifNotExists: checkBoolean('addEnumValue', 'ifNotExists', o.ifNotExists),
      }),
    );
  },

  /** `ALTER TYPE … RENAME VALUE from TO to`. */
  renameEnumValue(name: string, from: string, to: string, options?: SchemaOption): RenameEnumValueOperation {
    const o = checkOptions('renameEnumValue', options);
    return deepFreeze(
      compact({
        kind: 'renameEnumValue' as const,
        schema: checkOptionalName('renameEnumValue', 'schema', o.schema),
        name: checkName('renameEnumValue', 'name', name),
        from: checkName('renameEnumValue', 'from', from),
        to: checkName('renameEnumValue', 'to', to),
      }),
    );
  },
};
