import { checkBoolean, checkName, checkOptionalName, checkOptions, compact, deepFreeze } from './validate.js';

export interface CreateSchemaOperation {
  readonly kind: 'createSchema';
  readonly name: string;
  readonly ifNotExists?: boolean;
  /** The role that owns the schema. */
  readonly authorization?: string;
}

export interface DropSchemaOperation {
  readonly kind: 'dropSchema';
  readonly name: string;
  readonly ifExists?: boolean;
  /** Drops everything in the schema too, which the reverse cannot bring back. */
  readonly cascade?: boolean;
}

export interface CreateExtensionOperation {
  readonly kind: 'createExtension';
  readonly name: string;
  /** The schema the extension's objects go in. */
  readonly schema?: string;
  readonly version?: string;
  readonly ifNotExists?: boolean;
  /** Also installs the extensions it requires. */
  readonly cascade?: boolean;
}

export interface DropExtensionOperation {
  readonly kind: 'dropExtension';
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
}

export interface CreateSchemaOptions {
  readonly ifNotExists?: boolean;
  readonly authorization?: string;
}

export interface DropOptions {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
}

export interface CreateExtensionOptions {
  readonly schema?: string;
  readonly version?: string;
  readonly ifNotExists?: boolean;
  readonly cascade?: boolean;
}

export const schemaBuilders = {
  /** `CREATE SCHEMA`. */
  createSchema(name: string, options?: CreateSchemaOptions): CreateSchemaOperation {
    const o = checkOptions('createSchema', options);
    return deepFreeze(
      compact({
        kind: 'createSchema' as const,
        name: checkName('createSchema', 'name', name),
        ifNotExists: checkBoolean('createSchema', 'ifNotExists', o.ifNotExists),
        authorization: checkOptionalName('createSchema', 'authorization', o.authorization),
      }),
    );
  },

  /** `DROP SCHEMA`. */
  dropSchema(name: string, options?: DropOptions): DropSchemaOperation {
    const o = checkOptions('dropSchema', options);
    return deepFreeze(
      compact({
        kind: 'dropSchema' as const,
        name: checkName('dropSchema', 'name', name),
        ifExists: checkBoolean('dropSchema', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropSchema', 'cascade', o.cascade),
      }),
    );
  },

  /** `CREATE EXTENSION`, such as `op.createExtension('vector')` or `op.createExtension('pg_trgm')`. */
  createExtension(name: string, options?: CreateExtensionOptions): CreateExtensionOperation {
    const o = checkOptions('createExtension', options);
    return deepFreeze(
      compact({
        kind: 'createExtension' as const,
        name: checkName('createExtension', 'name', name),
        schema: checkOptionalName('createExtension', 'schema', o.schema),
        version: checkOptionalName('createExtension', 'version', o.version),
        ifNotExists: checkBoolean('createExtension', 'ifNotExists', o.ifNotExists),
        cascade: checkBoolean('createExtension', 'cascade', o.cascade),
      }),
    );
  },

  /** `DROP EXTENSION`. */
  dropExtension(name: string, options?: DropOptions): DropExtensionOperation {
    const o = checkOptions('dropExtension', options);
    return deepFreeze(
      compact({
        kind: 'dropExtension' as const,
        name: checkName('dropExtension', 'name', name),
        ifExists: checkBoolean('dropExtension', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropExtension', 'cascade', o.cascade),
      }),
    );
  },
};
