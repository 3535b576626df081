import type { Dialect } from '../dialect.js';
import { postgresAdapter } from './adapter.js';
import { connectPostgres } from './driver.js';
import { postgresIntrospector } from './introspect.js';
import { postgresRenderer } from './renderer.js';
import { postgresState } from './state.js';

export {
  createPostgresAdapter,
  POSTGRES_CAPABILITIES,
  postgresAdapter,
  postgresSessionSettings,
} from './adapter.js';
export type { PgClientLike } from './driver.js';
export { connectPostgres, fromClient, PostgresConnection, pgConnectPlan } from './driver.js';
export { introspectPostgres, postgresIntrospector } from './introspect.js';
export { postgresState } from './state.js';

/** PostgreSQL through node-postgres (`pg`, loaded on first use). */
export const postgresDialect: Dialect = Object.freeze({
  name: 'postgres',
  renderer: postgresRenderer,
  adapter: postgresAdapter,
  state: postgresState,
  defaultSchema: 'public',
  introspector: postgresIntrospector,
  connect: (url: string) => connectPostgres(url),
});
