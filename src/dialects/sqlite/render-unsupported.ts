/** The operations SQLite has nothing for: each says what SQLite lacks and what to write instead. */
import type { OperationOf } from '../../operations/operation.js';
import { opName, sqliteCannot } from './render-errors.js';
import { EXCLUDE_MESSAGE } from './render-table.js';

const ENUMS = "use a text column with a CHECK constraint (check: sql`status IN ('a', 'b')`)";

export function createEnum(op: OperationOf<'createEnum'>): never {
  throw sqliteCannot(opName(op.kind), `SQLite has no enum types: ${ENUMS}`);
}

export function dropEnum(op: OperationOf<'dropEnum'>): never {
  throw sqliteCannot(
    opName(op.kind),
    `SQLite has no enum types: ${ENUMS}, and drop the column or its constraint`,
  );
}

export function addEnumValue(op: OperationOf<'addEnumValue'>): never {
  throw sqliteCannot(
    opName(op.kind),
    `SQLite has no enum types: ${ENUMS}, and replace the constraint (op.dropConstraint, op.createCheckConstraint) to allow a new value`,
  );
}

export function renameEnumValue(op: OperationOf<'renameEnumValue'>): never {
  throw sqliteCannot(
    opName(op.kind),
    `SQLite has no enum types: ${ENUMS}; to rename a value, update the rows (op.execute) and replace the constraint`,
  );
}

const ATTACH =
  "a SQLite schema is a database file attached to the connection (ATTACH DATABASE 'file.db' AS name), which cannot happen inside a migration's transaction";

export function createSchema(op: OperationOf<'createSchema'>): never {
  throw sqliteCannot(opName(op.kind), `SQLite has no CREATE SCHEMA: ${ATTACH}; attach it before ambix runs`);
}

export function dropSchema(op: OperationOf<'dropSchema'>): never {
  throw sqliteCannot(
    opName(op.kind),
    `SQLite has no DROP SCHEMA: ${ATTACH}; detach it (DETACH DATABASE) outside the migration and delete its file`,
  );
}

const EXTENSIONS =
  "SQLite has no extensions to create or drop in the database: load a run-time extension into the connection (better-sqlite3's db.loadExtension()) before ambix runs";

export function createExtension(op: OperationOf<'createExtension'>): never {
  throw sqliteCannot(opName(op.kind), EXTENSIONS);
}

export function dropExtension(op: OperationOf<'dropExtension'>): never {
  throw sqliteCannot(opName(op.kind), EXTENSIONS);
}

const SEQUENCES =
  "SQLite has no sequences: number rows with an INTEGER PRIMARY KEY column (identity: 'always' writes INTEGER PRIMARY KEY AUTOINCREMENT), or keep a counter in a table";

export function createSequence(op: OperationOf<'createSequence'>): never {
  throw sqliteCannot(opName(op.kind), SEQUENCES);
}

export function alterSequence(op: OperationOf<'alterSequence'>): never {
  throw sqliteCannot(opName(op.kind), SEQUENCES);
}

export function dropSequence(op: OperationOf<'dropSequence'>): never {
  throw sqliteCannot(opName(op.kind), SEQUENCES);
}

const MATERIALIZED_VIEWS =
  'SQLite has no materialized views: use a plain view (op.createView), or a table filled with INSERT … SELECT (op.execute) that the application refreshes';

export function createMaterializedView(op: OperationOf<'createMaterializedView'>): never {
  throw sqliteCannot(opName(op.kind), MATERIALIZED_VIEWS);
}

export function dropMaterializedView(op: OperationOf<'dropMaterializedView'>): never {
  throw sqliteCannot(opName(op.kind), MATERIALIZED_VIEWS);
}

export function refreshMaterializedView(op: OperationOf<'refreshMaterializedView'>): never {
  throw sqliteCannot(opName(op.kind), MATERIALIZED_VIEWS);
}

function routineMessage(procedure: boolean): string {
  return procedure
    ? 'SQLite has no stored procedures: run the statements from the migration (op.execute)'
    : "SQLite has no stored functions: register application functions on the connection (better-sqlite3's db.function())";
}

export function createFunction(op: OperationOf<'createFunction'>): never {
  throw sqliteCannot(opName(op.kind), routineMessage(op.procedure === true));
}

export function dropFunction(op: OperationOf<'dropFunction'>): never {
  throw sqliteCannot(
    opName(op.kind),
    routineMessage(op.procedure === true || op.existing?.procedure === true),
  );
}

export function createExcludeConstraint(op: OperationOf<'createExcludeConstraint'>): never {
  throw sqliteCannot(opName(op.kind), EXCLUDE_MESSAGE);
}

export function setTableComment(op: OperationOf<'setTableComment'>): never {
  throw sqliteCannot(
    opName(op.kind),
    'SQLite has no comments on tables (COMMENT ON): keep the description in the schema module or in the migration',
  );
}
