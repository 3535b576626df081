import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { connectPostgres, fromClient, pgConnectPlan } from '../../src/dialects/postgres/driver.js';
import { AmbixError } from '../../src/errors.js';
import { describePostgres, TEST_PG_URL, useTestDatabase } from './helpers/postgres.js';
import { startTlsProxy, TEST_CA_FILE, type TlsProxy } from './helpers/tls-proxy.js';

const server = new URL(TEST_PG_URL);

describePostgres('PostgreSQL driver', () => {
  const db = useTestDatabase(import.meta.filename);
  const url = (database: string, options: { port?: number; password?: string } = {}) => {
    const each = new URL(db.url);
    each.pathname = `/${database}`;
    if (options.port !== undefined) each.port = String(options.port);
    if (options.password !== undefined) each.password = options.password;
    return each.toString();
  };

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('runs queries with parameters and scripts of several statements', async () => {
    const connection = await connectPostgres(db.url);
    try {
      await connection.exec(
        'CREATE TABLE items (id int PRIMARY KEY, name text); CREATE INDEX ON items (name)',
      );
      const inserted = await connection.query('INSERT INTO items VALUES ($1, $2), ($3, $4)', [
        1,
        'a',
        2,
        'b',
      ]);
      expect(inserted.rowCount).toBe(2);
      const selected = await connection.query('SELECT name FROM items WHERE id > $1 ORDER BY id', [0]);
      expect(selected.rows).toEqual([{ name: 'a' }, { name: 'b' }]);
      expect(selected.rowCount).toBe(2);
      const ddl = await connection.query('DROP TABLE items');
      expect(ddl.rowCount).toBe(0);
    } finally {
      await connection.close();
    }
  });

  it('sets application_name to ambix unless the URL or PGAPPNAME names one', async () => {
    vi.stubEnv('PGAPPNAME', undefined);
    const name = async (target: string) => {
      const connection = await connectPostgres(target);
      try {
        return (await connection.query("SELECT current_setting('application_name') AS name")).rows[0]?.name;
      } finally {
        await connection.close();
      }
    };
    expect(await name(db.url)).toBe('ambix');
    expect(await name(`${db.url}?application_name=deploy-42`)).toBe('deploy-42');
    vi.stubEnv('PGAPPNAME', 'from-env');
    expect(await name(db.url)).toBe('from-env');
  });

  it('fills what the URL leaves out from the PG* environment variables', async () => {
    vi.stubEnv('PGHOST', server.hostname);
    vi.stubEnv('PGPORT', server.port || '5432');
    vi.stubEnv('PGUSER', decodeURIComponent(server.username) || 'postgres');
    vi.stubEnv('PGPASSWORD', decodeURIComponent(server.password));
    vi.stubEnv('PGDATABASE', db.name);
    for (const target of ['postgres://', 'postgresql:///', `postgres:///${db.name}`]) {
      const connection = await connectPostgres(target);
      try {
        const row = (await connection.query('SELECT current_database() AS name')).rows[0];
        expect(row?.name).toBe(db.name);
      } finally {
        await connection.close();
      }
    }
  });

  it('reports a server that is not listening as CONNECTION_FAILED with the masked URL and a hint', async () => {
    const port = await freePort();
    const error = await connectError(url('postgres', { port, password: 's3cret' }));
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toContain(`postgres://${server.username}:***@${server.hostname}:${port}/postgres`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.hint).toContain(
      `Is PostgreSQL running and accepting TCP connections at ${server.hostname}:${port}?`,
    );
    expectShortAndSecret(error);
  });

  it('says where the PG* variables sent it when the URL does not say', async () => {
    const port = await freePort();
    vi.stubEnv('PGHOST', '127.0.0.1');
    vi.stubEnv('PGPORT', String(port));
    vi.stubEnv('PGUSER', 'someone');
    vi.stubEnv('PGDATABASE', 'somedb');
    const error = await connectError('postgres://');
    expect(error.message).toMatch(
      /^Cannot connect to postgres:\/\/ \(user someone at 127\.0\.0\.1:\d+, database somedb\): /,
    );
  });

  it('reports an unknown database with the server message and how to create it', async () => {
    const error = await connectError(url('ambix_no_such_database', { password: 's3cret' }));
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toContain('database "ambix_no_such_database" does not exist');
    expect(error.hint).toContain('createdb ambix_no_such_database');
    expectShortAndSecret(error);
  });

  it('reports an unknown role as an authentication problem without showing the password', async () => {
    const target = new URL(db.url);
    target.username = 'ambix_no_such_role';
    target.password = 's3cret';
    const error = await connectError(target.toString());
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toContain('role "ambix_no_such_role" does not exist');
    expect(error.message).toContain('ambix_no_such_role:***@');
    expectShortAndSecret(error);
  });

  it('leaves an application-owned pg client open after close()', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const connection = fromClient(client);
      expect((await connection.query('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
      await connection.close();
      expect((await client.query('SELECT 1 AS still_open')).rows).toEqual([{ still_open: 1 }]);
    } finally {
      await client.end();
    }
  });

  describePostgres('sslmode, as libpq means it', () => {
    let proxy: TlsProxy;
    const viaProxy = (query: string) =>
      `postgres://${server.username || 'postgres'}@127.0.0.1:${proxy.port}/${db.name}?${query}`;

    beforeAll(async () => {
      proxy = await startTlsProxy({ host: server.hostname, port: Number(server.port || 5432) });
    });
    afterAll(async () => {
      await proxy.close();
    });

    async function transportOf(target: string): Promise<string | undefined> {
      const before = proxy.sessions.length;
      const connection = await connectPostgres(target);
      try {
        await connection.query('SELECT 1');
      } finally {
        await connection.close();
      }
      return proxy.sessions.slice(before).join(',');
    }

    it('require encrypts without verifying the certificate, and warns about nothing', async () => {
      const warn = vi.spyOn(process, 'emitWarning');
      try {
        expect(await transportOf(viaProxy('sslmode=require'))).toBe('tls');
        expect(warn).not.toHaveBeenCalled();
      } finally {
        warn.mockRestore();
      }
    });

    it('verify-full refuses a certificate from an unknown CA and says how to trust it', async () => {
      const error = await connectError(viaProxy('sslmode=verify-full'));
      expect(error.code).toBe('CONNECTION_FAILED');
      expect(error.hint).toContain('sslrootcert=');
    });

    it('verify-full and verify-ca accept the certificate when sslrootcert names its CA', async () => {
      const ca = encodeURIComponent(TEST_CA_FILE);
      expect(await transportOf(viaProxy(`sslmode=verify-full&sslrootcert=${ca}`))).toBe('tls');
      expect(await transportOf(viaProxy(`sslmode=verify-ca&sslrootcert=${ca}`))).toBe('tls');
    });

    it('sslrootcert=system verifies against the system CAs instead of reading a file named "system"', async () => {
      const error = await connectError(viaProxy('sslrootcert=system'));
      expect(error.code).toBe('CONNECTION_FAILED');
      expect(error.message).not.toContain('ENOENT');
      expect(error.hint).toContain('certificate');
    });

    it('disable never starts TLS', async () => {
      expect(await transportOf(viaProxy('sslmode=disable'))).toBe('plain');
    });

    it('prefer uses TLS when the server offers it and plain TCP when it does not', async () => {
      expect(await transportOf(viaProxy('sslmode=prefer'))).toBe('tls');
      const direct = await connectPostgres(`${db.url}?sslmode=prefer`);
      await direct.close();
    });

    it('require fails against a server without TLS, saying so', async () => {
      const error = await connectError(`${db.url}?sslmode=require`);
      expect(error.message).toContain('does not support SSL');
      expect(error.hint).toContain('sslmode=prefer');
    });

    it('PGSSLMODE applies when the URL has no sslmode', async () => {
      vi.stubEnv('PGSSLMODE', 'require');
      expect(await transportOf(viaProxy('application_name=x'))).toBe('tls');
      expect(await transportOf(viaProxy('sslmode=disable'))).toBe('plain');
    });
  });
});

it('plans the pg configuration: the URL as given, libpq TLS semantics, ambix defaults', () => {
  const base = 'postgres://u@h/db';
  expect(pgConnectPlan(base, {})).toEqual({
    config: { connectionString: base, fallback_application_name: 'ambix', connectionTimeoutMillis: 30_000 },
  });
  expect(pgConnectPlan(`${base}?sslmode=require`, {}).config.connectionString).toBe(
    `${base}?sslmode=require&uselibpqcompat=true`,
  );
  expect(pgConnectPlan(`${base}?sslmode=no-verify`, {}).config.connectionString).toBe(
    `${base}?sslmode=no-verify`,
  );
  expect(pgConnectPlan(`${base}?sslmode=require&uselibpqcompat=false`, {}).config.connectionString).toBe(
    `${base}?sslmode=require&uselibpqcompat=false`,
  );
  expect(pgConnectPlan(`${base}?sslmode=prefer`, {}).fallback?.config.connectionString).toBe(
    `${base}?sslmode=prefer&sslmode=disable`,
  );
  expect(pgConnectPlan(base, { PGSSLMODE: 'verify-full' }).config.connectionString).toBe(
    `${base}?sslmode=verify-full&uselibpqcompat=true`,
  );
  expect(pgConnectPlan(`${base}?ssl=true`, { PGSSLMODE: 'require' }).config.connectionString).toBe(
    `${base}?ssl=true`,
  );
  expect(pgConnectPlan(`${base}?connect_timeout=5`, {}).config.connectionTimeoutMillis).toBe(5000);
  expect(pgConnectPlan(base, { PGCONNECT_TIMEOUT: '0' }).config.connectionTimeoutMillis).toBe(0);
});

it('refuses a pg.Pool, whose queries would land on different sessions', () => {
  const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
  expect(() => fromClient(pool)).toThrow('ambix needs one database session, not a pg.Pool.');
});

async function connectError(url: string): Promise<AmbixError> {
  try {
    const connection = await connectPostgres(url);
    await connection.close();
  } catch (error) {
    if (error instanceof AmbixError) return error;
    throw error;
  }
  throw new Error(`expected ${url} to fail`);
}

/** One or two lines, no stack trace, no password anywhere a user could see it. */
function expectShortAndSecret(error: AmbixError): void {
  expect(error.message.split('\n').length).toBeLessThanOrEqual(2);
  expect(error.message).not.toMatch(/\n\s+at /);
  expect(`${error.message} ${error.hint} ${JSON.stringify(error.details)}`).not.toContain('s3cret');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
