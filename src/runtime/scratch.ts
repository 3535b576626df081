import { randomBytes } from 'node:crypto';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Connection } from '../dialects/dialect.js';
import { openPrivatePglite, PgliteConnection } from '../dialects/pglite/driver.js';
import { connectPostgres } from '../dialects/postgres/driver.js';
import { parseDatabaseUrl } from '../dialects/url.js';
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
 * A scratch database of the same kind as the session's: a temporary database on the same PostgreSQL server when
 * the role may create one, else (and for PGlite) an in-memory PGlite database with the configured extensions.
 */
export async function openScratchDatabase(
  config: ResolvedConfig,
  session: Session,
  onProgress: ProgressListener,
): Promise<ScratchDatabase> {
  if (!(session.connection instanceof PgliteConnection) && config.url !== undefined && session.owned) {
    const parsed = parseDatabaseUrl(config.url, { cwd: config.cwd });
    if (parsed.dialect === 'postgres') {
      const name = `ambix_scratch_${process.pid}_${randomBytes(4).toString('hex')}`;
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
