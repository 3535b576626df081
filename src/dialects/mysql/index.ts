import type { Dialect } from '../dialect.js';
import { mysqlAdapter } from './adapter.js';
import { connectMysql } from './driver.js';
import { mysqlIntrospector } from './introspect.js';
import { mysqlRenderer } from './renderer.js';
import { mysqlState } from './state.js';

export { createMysqlAdapter, MYSQL_CAPABILITIES, mysqlAdapter, mysqlLockName } from './adapter.js';
export type { MysqlConnectionLike } from './driver.js';
export { connectMysql, fromMysqlClient, MysqlConnection } from './driver.js';
export { mysqlState } from './state.js';

/** MySQL and MariaDB through mysql2 (loaded on first use). */
export const mysqlDialect: Dialect = Object.freeze({
  name: 'mysql',
  renderer: mysqlRenderer,
  adapter: mysqlAdapter,
  state: mysqlState,
  defaultSchema: 'main',
  introspector: mysqlIntrospector,
  connect: (url: string) => connectMysql(url),
});
