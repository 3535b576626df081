import type { Connection, Dialect } from '../dialects/dialect.js';
import type { IntrospectOptions } from '../schema/introspector.js';
import { EMPTY_SCHEMA, type SchemaModel } from '../schema/model.js';
import { compareSchemas } from './compare.js';

/**
 * The model of `model` as the database itself spells it: everything it declares is created in `scratch` (an empty
 * database of the same kind) and reflected back. Defaults PostgreSQL rewrites (`now()` and `CURRENT_TIMESTAMP`,
 * casts, `'{}'::jsonb`), type synonyms and view queries come back exactly as a live database prints them, so
 * comparing the result with a live database shows no phantom differences.
 */
export async function materialize(
  model: SchemaModel,
  scratch: Connection,
  dialect: Pick<Dialect, 'renderer' | 'introspector'> & { readonly defaultSchema?: string },
  options: IntrospectOptions = {},
): Promise<SchemaModel> {
  const { operations } = compareSchemas(
    EMPTY_SCHEMA,
    model,
    {},
    dialect.defaultSchema === undefined ? {} : { defaultSchema: dialect.defaultSchema },
  );
  for (const operation of operations) {
    for (const statement of dialect.renderer.render(operation)) {
      await scratch.query(statement.sql, statement.params);
    }
  }
  return dialect.introspector.introspect(scratch, options);
}
