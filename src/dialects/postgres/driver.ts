import { AmbixError } from '../../errors.js';
import type { Connection, QueryResult } from '../dialect.js';
import { importModule, loadDriver, type ModuleImporter } from '../driver-loader.js';
import { maskUrl } from '../url.js';

/** What ambix needs from a node-postgres result. */
export interface PgResultLike {
  readonly rows: Record<string, unknown>[];
  readonly rowCount?: number | null;
}

/** What ambix needs from a connected node-postgres client (`pg.Client` fits; so does a `PoolClient`). */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** A client ambix opened itself and so may end. */
interface OwnedPgClient extends PgClientLike {
  connect(): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly database?: string;
}

interface PgModule {
  readonly Client: new (config: PgClientConfig) => OwnedPgClient;
}

/** The `pg.Client` configuration ambix passes: the URL itself, plus what ambix adds to it. */
export interface PgClientConfig {
  readonly connectionString: string;
  /** Used only when neither the URL (`application_name=`) nor PGAPPNAME names the application. */
  readonly fallback_application_name: string;
  readonly connectionTimeoutMillis: number;
}

export interface PgConnectPlan {
  readonly config: PgClientConfig;
  /** libpq's `sslmode=prefer`/`allow`: a second try with the other transport when the first is refused. */
  readonly fallback?: { readonly config: PgClientConfig; readonly when: (error: unknown) => boolean };
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/**
 * The pg client configuration for a URL. pg itself reads the URL (pg-connection-string) and fills whatever it
 * lacks from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGAPPNAME and ~/.pgpass. ambix only adjusts TLS so
 * that `sslmode` means what it means to psql and libpq (pg 8 alone treats `require` as `verify-full` and
 * `prefer` as "TLS or fail"):
 *
 * - `disable`: no TLS. `require`: TLS, certificate not verified (verified against `sslrootcert` when given).
 * - `verify-ca`: TLS, chain checked against `sslrootcert`. `verify-full`: chain and host name checked.
 * - `prefer` (and `allow`): TLS without verification, falling back to plain TCP when the server has no TLS.
 * - `no-verify` (pg's own spelling) and URLs with `uselibpqcompat=` are left to pg as they are.
 * - `sslrootcert=system` (libpq 16) means verify-full against the system's CAs.
 * - PGSSLMODE applies when the URL has neither `sslmode` nor `ssl`.
 *
 * `connect_timeout` (seconds) in the URL or PGCONNECT_TIMEOUT bounds the connection attempt; default 30 s.
 */
export function pgConnectPlan(
  url: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PgConnectPlan {
  let connectionString = url;
  const params = queryParams(url);
  const base = { fallback_application_name: 'ambix', connectionTimeoutMillis: connectTimeoutMs(params, env) };
  const plain = (extra: string): PgClientConfig => ({
    ...base,
    connectionString: withParams(connectionString, extra),
  });

  if (params.has('uselibpqcompat')) return { config: { ...base, connectionString } };
  if (params.get('sslrootcert') === 'system') {
    connectionString = withoutParam(connectionString, 'sslrootcert');
    return { config: plain('sslmode=verify-full') };
  }
  let sslmode = params.get('sslmode') ?? undefined;
  if (sslmode === undefined && !params.has('ssl') && env.PGSSLMODE !== undefined && env.PGSSLMODE !== '') {
    sslmode = env.PGSSLMODE;
    connectionString = withParams(connectionString, `sslmode=${encodeURIComponent(sslmode)}`);
  }
  switch (sslmode) {
    case 'prefer':
      return {
        config: plain('uselibpqcompat=true'),
        fallback: { config: plain('sslmode=disable'), when: isNoTlsOnServer },
      };
    case 'allow':
      return {
        config: plain('sslmode=disable'),
        fallback: { config: plain('sslmode=require&uselibpqcompat=true'), when: isPlaintextRejected },
      };
    case 'require':
    case 'verify-ca':
    case 'verify-full':
      return { config: plain('uselibpqcompat=true') };
    default:
      return { config: { ...base, connectionString } };
  }
}

function connectTimeoutMs(
  params: URLSearchParams,
  env: Readonly<Record<string, string | undefined>>,
): number {
  const seconds = Number(params.get('connect_timeout') ?? env.PGCONNECT_TIMEOUT ?? Number.NaN);
  // libpq: 0 means wait forever; pg: 0 means no timeout too.
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : DEFAULT_CONNECT_TIMEOUT_MS;
}

function queryParams(url: string): URLSearchParams {
  const query = url.split('#', 1)[0]?.split('?').slice(1).join('?') ?? '';
  return new URLSearchParams(query);
}

/** Appends parameters; pg-connection-string keeps the last value of a repeated parameter. */
function withParams(url: string, extra: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${extra}`;
}

function withoutParam(url: string, name: string): string {
  return url.replace(new RegExp(`([?&])${name}=[^&#]*&?`), '$1').replace(/[?&]$/, '');
}

function isNoTlsOnServer(error: unknown): boolean {
  return error instanceof Error && /does not support SSL/i.test(error.message);
}

function isPlaintextRejected(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '28000';
}

export interface ConnectPostgresOptions {
  /** How the `pg` module is imported; tests inject one that fails. */
  readonly importer?: ModuleImporter;
}

/** Opens a PostgreSQL session for a `postgres://` URL with node-postgres, loaded on first use. */
export async function connectPostgres(
  url: string,
  options: ConnectPostgresOptions = {},
): Promise<PostgresConnection> {
  const pg = pgModule(await loadDriver('postgres', options.importer ?? importModule));
  const plan = pgConnectPlan(url);
  try {
    return await openClient(pg, plan.config);
  } catch (failure) {
    if (plan.fallback === undefined || !plan.fallback.when(causeOf(failure)))
      throw connectionFailed(url, failure);
    try {
      return await openClient(pg, plan.fallback.config);
    } catch (fallbackFailure) {
      throw connectionFailed(url, fallbackFailure);
    }
  }
}

/** A failed connection attempt and where pg was trying to go. */
class FailedAttempt {
  constructor(
    readonly error: unknown,
    readonly target: ConnectTarget,
  ) {}
}

function causeOf(failure: unknown): unknown {
  return failure instanceof FailedAttempt ? failure.error : failure;
}

async function openClient(pg: PgModule, config: PgClientConfig): Promise<PostgresConnection> {
  // pg validates some parameters (port, sslnegotiation…) here already; that error becomes CONNECTION_FAILED too.
  const client = new pg.Client(config);
  const target = describeTarget(client);
  // An idle session the server drops emits 'error'; unhandled, that would crash the process. The next query
  // fails with "Connection terminated unexpectedly" instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new FailedAttempt(error, target);
  }
  return new PostgresConnection(client, async () => {
    await client.end();
  });
}

function pgModule(loaded: unknown): PgModule {
  const module = loaded as { Client?: unknown; default?: { Client?: unknown } };
  const Client = module.Client ?? module.default?.Client;
  if (typeof Client !== 'function') {
    throw new AmbixError('DRIVER_MISSING', 'The installed "pg" package has no Client class.', {
      hint: "Reinstall it with 'npm install pg@8'.",
    });
  }
  return { Client: Client as PgModule['Client'] };
}

/**
 * Wraps an application's connected `pg` client. ambix runs its queries on it and never closes it: `close()`
 * leaves the client open for its owner.
 */
export function fromClient(client: PgClientLike): PostgresConnection {
  if ('totalCount' in client && 'idleCount' in client) {
    // A pg.Pool runs each query on whichever client is free: session state (the advisory lock, SET, BEGIN) would
    // land on different sessions.
    throw new AmbixError('FAILED', 'ambix needs one database session, not a pg.Pool.', {
      hint: 'Pass a client checked out of the pool: fromClient(await pool.connect()), and release it afterwards.',
    });
  }
  return new PostgresConnection(client, undefined);
}

/** A PostgreSQL session over a node-postgres client. */
export class PostgresConnection implements Connection {
  readonly #client: PgClientLike;
  readonly #end: (() => Promise<void>) | undefined;
  #closed = false;

  /** `end` closes the client; undefined for a client the application owns. */
  constructor(client: PgClientLike, end: (() => Promise<void>) | undefined) {
    this.#client = client;
    this.#end = end;
  }

  async query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
    const result = await this.#client.query(sql, params === undefined ? undefined : [...params]);
    // A parameterless multi-statement query (simple protocol) answers with one result per statement.
    const last = (Array.isArray(result) ? result.at(-1) : result) as PgResultLike | undefined;
    const rows = last?.rows ?? [];
    return { rows, rowCount: last?.rowCount ?? rows.length };
  }

  async exec(sql: string): Promise<void> {
    // Without parameters pg uses the simple query protocol, which runs several statements in one go.
    await this.#client.query(sql);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#end?.();
  }
}

interface ConnectTarget {
  readonly host: string;
  readonly port: number | undefined;
  readonly user: string | undefined;
  readonly database: string | undefined;
}

function describeTarget(client: OwnedPgClient): ConnectTarget {
  return {
    host: client.host ?? 'localhost',
    port: client.port,
    user: client.user,
    database: client.database,
  };
}

/** CONNECTION_FAILED: the masked URL, where pg actually went, the server's or system's message, and a hint. */
function connectionFailed(url: string, failure: unknown): AmbixError {
  const target = failure instanceof FailedAttempt ? failure.target : undefined;
  const error = causeOf(failure);
  const cause = firstError(error);
  const reason = oneLine(cause.message) || String(cause.code ?? 'unknown error');
  const where = target === undefined || urlNamesEverything(url) ? '' : ` (${formatTarget(target)})`;
  return new AmbixError('CONNECTION_FAILED', `Cannot connect to ${maskUrl(url)}${where}: ${reason}`, {
    hint: connectionHint(cause, target),
    details: {
      url: maskUrl(url),
      ...(target === undefined ? {} : { target }),
      ...(cause.code === undefined ? {} : { code: cause.code }),
    },
    cause: error,
  });
}

/** Whether the URL itself names user, host, port and database, so the resolved target adds nothing. */
function urlNamesEverything(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.username !== '' && parsed.hostname !== '' && parsed.port !== '' && parsed.pathname.length > 1;
}

function formatTarget(target: ConnectTarget): string {
  const port = target.port === undefined ? '' : `:${target.port}`;
  return `user ${target.user ?? '?'} at ${target.host}${port}, database ${target.database ?? '?'}`;
}

function firstError(error: unknown): { message: string; code?: string } {
  // Node reports a failed connection to a name with several addresses (localhost: ::1 and 127.0.0.1) as an
  // AggregateError with an empty message.
  if (error instanceof AggregateError && error.errors.length > 0) {
    const errors = error.errors as { message?: string; code?: string }[];
    const messages = [...new Set(errors.map((each) => each.message ?? String(each)))];
    return { message: messages.join('; '), code: errors[0]?.code };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function connectionHint(
  cause: { message: string; code?: string },
  target: ConnectTarget | undefined,
): string {
  const at = target === undefined ? 'the configured host and port' : `${target.host}:${target.port ?? 5432}`;
  const message = cause.message;
  switch (cause.code) {
    case 'ECONNREFUSED':
      return `Is PostgreSQL running and accepting TCP connections at ${at}? Check the host and port in the URL (or PGHOST/PGPORT).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The host name does not resolve; check the host in the URL (or PGHOST).';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Nothing answered at ${at}; check the host, port and firewall.`;
    case '28P01':
      return 'Check the user name and password (in the URL, PGUSER/PGPASSWORD or ~/.pgpass).';
    case '28000':
      return /no encryption/i.test(message)
        ? 'The server only accepts encrypted connections: add sslmode=require (or verify-full) to the URL.'
        : 'The server refused this user or client address (pg_hba.conf); check the user name in the URL.';
    case '3D000':
      return `Create the database first (createdb ${target?.database ?? 'NAME'}) or fix the database name in the URL.`;
    case '53300':
      return 'The server has no free connection slots; close some sessions or raise max_connections.';
    case '57P03':
      return 'The server is starting up or shutting down; try again in a moment.';
  }
  if (/does not support SSL/i.test(message)) {
    return 'The server does not offer TLS: use sslmode=prefer or sslmode=disable, or enable ssl on the server.';
  }
  if (/certificate|self[- ]signed|altnames|CERT_/i.test(`${message} ${cause.code ?? ''}`)) {
    return "The server's TLS certificate could not be verified: give its CA with sslrootcert=/path/to/ca.pem, or use sslmode=require to encrypt without verifying.";
  }
  if (/timeout/i.test(message)) {
    return `The server did not answer in time at ${at}; check the host and firewall, or raise connect_timeout (seconds) in the URL.`;
  }
  return 'Check the URL and that the server is reachable from this machine.';
}
