/**
 * `ambix/schema`: a project's database schema in TypeScript, the target `ambix revision --autogenerate` and
 * `ambix check` compare the database with.
 *
 * ```ts
 * import { enumType, index, sql, table, text, timestamptz, uuid } from 'ambix/schema';
 *
 * export const status = enumType('user_status', ['active', 'disabled']);
 * export const users = table('users', {
 *   id: uuid().primaryKey().default(sql`gen_random_uuid()`),
 *   email: text().notNull().unique(),
 *   status: status().notNull().default('active'),
 *   created_at: timestamptz().notNull().defaultNow(),
 * }, (t) => [index().on(t.created_at)]);
 * ```
 */

export type { SqlExpression } from '../operations/sql-expression.js';
export { sql } from '../operations/sql-expression.js';
export {
  bigint,
  bigserial,
  boolean,
  bytea,
  ColumnBuilder,
  char,
  cidr,
  column,
  date,
  doublePrecision,
  inet,
  integer,
  interval,
  json,
  jsonb,
  macaddr,
  money,
  numeric,
  real,
  serial,
  smallint,
  smallserial,
  text,
  time,
  timestamp,
  timestamptz,
  tsvector,
  uuid,
  varchar,
  vector,
  xml,
} from './dsl/column.js';
export type {
  Declaration,
  DomainDeclaration,
  EnumDeclaration,
  ExtensionDeclaration,
  FunctionDeclaration,
  SchemaDeclaration,
  SequenceDeclaration,
  SqlObjectDeclaration,
  TriggerDeclaration,
  TypeDeclaration,
  ViewDeclaration,
} from './dsl/objects.js';
export {
  dbSchema,
  domain,
  enumType,
  extension,
  fn,
  materializedView,
  procedure,
  sequence,
  sqlObject,
  trigger,
  view,
} from './dsl/objects.js';
export type {
  IndexColumn,
  IndexElementSpec,
  TableDeclaration,
  TableExtra,
  TableOptions,
} from './dsl/table.js';
export {
  asc,
  check,
  desc,
  exclude,
  foreignKey,
  IndexBuilder,
  index,
  primaryKey,
  table,
  UniqueBuilder,
  unique,
  uniqueIndex,
} from './dsl/table.js';
export type * from './model.js';
