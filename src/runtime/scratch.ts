import { randomBytes } from 'node:crypto';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Connection } from '../dialects/dialect.js';
import { connectMysql } from '../dialects/mysql/driver.js';
import { openPrivatePglite, PgliteConnection } from '../dialects/pglite/driver.js';
import { connectPostgres } from '../dialects/postgres/driver.js';
import { connectSqlite } from '../dialects/sqlite/driver.js';
import { parseDatabaseUrl } from '../dialects/url.js';
import { AmbixError } from '../errors.js';
import type { ProgressListener } from './progress.js';
import type { Session } from './session.js';

/** An empty database to build a declared schema in, dropped when closed. */
export interface ScratchDatabase {
  readonly connection: Connection;
  /** `a temporary database on the server` or `an in-memory PGlite database`, for messages. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * A scratch database of the same kind as the session's: on PostgreSQL a temporary database on the same server when
 * the role may create one, else (and for PGlite) an in-memory PGlite database with the configured extensions; on
 * SQLite a private memory database; on MySQL and MariaDB a temporary database on the same server, which needs
 * the CREATE privilege (there is no embedded MySQL to fall back on).
 */
export async function openScratchDatabase(
  config: ResolvedConfig,
  session: Session,
  onProgress: ProgressListener,
): Promise<ScratchDatabase> {
  switch (session.dialect.name) {
    case 'sqlite': {
      const connection = await connectSqlite(undefined);
      return { connection, description: 'an in-memory SQLite database', close: () => connection.close() };
    }
    case 'mysql':
      return mysqlScratch(config, session);
    case 'postgres':
    case 'pglite':
      return postgresScratch(config, session, onProgress);
  }
}

function scratchName(): string {
  return `ambix_scratch_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function postgresScratch(
  config: ResolvedConfig,
  session: Session,
  onProgress: ProgressListener,
): Promise<ScratchDatabase> {
  if (!(session.connection instanceof PgliteConnection) && config.url !== undefined && session.owned) {
    const parsed = parseDatabaseUrl(config.url, { cwd: config.cwd });
    if (parsed.dialect === 'postgres') {
      const name = scratchName();
      try {
        await session.connection.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        onProgress({
          kind: 'info',
          message: `Cannot create a scratch database on the server (${reason}): using an in-memory PGlite database instead.`,
        });
        return pgliteScratch(config);
      }
      const url = new URL(config.url);
      url.pathname = `/${name}`;
      let connection: Connection;
      try {
        connection = await connectPostgres(url.toString());
      } catch (error) {
        await session.connection.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => {});
        throw error;
      }
      return {
        connection,
        description: 'a temporary database on the server',
        close: async () => {
          await connection.close().catch(() => {});
          await session.connection
            .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
            .catch(() => session.connection.query(`DROP DATABASE IF EXISTS "${name}"`));
        },
      };
    }
  }
  return pgliteScratch(config);
}

async function pgliteScratch(config: ResolvedConfig): Promise<ScratchDatabase> {
  const connection = await openPrivatePglite(config.pglite.extensions);
  return { connection, description: 'an in-memory PGlite database', close: () => connection.close() };
}

/**
 * A temporary database beside the session's, with its character set and collation, so that text columns reflect
 * alike. With a URL it gets a connection of its own; an application's connection is switched to it with USE and
 * back when done.
 */
async function mysqlScratch(config: ResolvedConfig, session: Session): Promise<ScratchDatabase> {
  const name = scratchName();
  const [current] = (
    await session.connection.query(
      'SELECT DATABASE() AS db, @@character_set_database AS charset, @@collation_database AS collation',
    )
  ).rows;
  const database = String(current?.db ?? '');
  try {
    await session.connection.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET ${String(current?.charset)} COLLATE ${String(current?.collation)}`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AmbixError('FAILED', `Cannot create a scratch database on the server: ${reason}`, {
      hint: `ambix builds the declared schema in a temporary database (${name}) to compare it as the server spells it: grant the user CREATE and DROP on databases named ambix_scratch_%.`,
      cause: error,
    });
  }
  const drop = () => session.connection.query(`DROP DATABASE IF EXISTS \`${name}\``).then(() => {});
  if (session.owned && config.url !== undefined) {
    const url = new URL(config.url);
    url.pathname = `/${name}`;
    let connection: Connection;
    try {
      connection = await connectMysql(url.toString());
    } catch (error) {
      await drop().catch(() => {});
      throw error;
    }
    return {
      connection,
      description: 'a temporary database on the server',
      close: async () => {
        await connection.close().catch(() => {});
        await drop();
      },
    };
  }
  await session.connection.query(`USE \`${name}\``);
  const connection: Connection = {
    query: (sql, params) => session.connection.query(sql, params),
    close: async () => {},
  };
  return {
    connection,
    description: 'a temporary database on the server',
    close: async () => {
      await session.connection.query(`USE \`${database.replaceAll('`', '``')}\``);
      await drop();
    },
  };
}
