import { batchBuilders } from './batch-operations.js';
import { dataBuilders } from './data-operations.js';
import { functionBuilders } from './function-operations.js';
import { indexBuilders } from './index-operations.js';
import { schemaBuilders } from './schema-operations.js';
import { sequenceBuilders } from './sequence-operations.js';
import { tableBuilders } from './table-operations.js';
import { typeBuilders } from './type-operations.js';
import { viewBuilders } from './view-operations.js';

/**
 * Every operation builder: pure functions that validate their arguments and return a frozen operation. `op.x(...)`
 * in a migration is `operationBuilders.x(...)` handed to the runtime; autogenerate and tests call them directly.
 */
export const operationBuilders = Object.freeze({
  ...tableBuilders,
  ...indexBuilders,
  ...batchBuilders,
  ...typeBuilders,
  ...schemaBuilders,
  ...sequenceBuilders,
  ...viewBuilders,
  ...functionBuilders,
  ...dataBuilders,
});

export type OperationBuilders = typeof operationBuilders;
