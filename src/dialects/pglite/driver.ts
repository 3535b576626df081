import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AmbixError } from '../../errors.js';
import type { Connection, QueryResult } from '../dialect.js';
import { importModule, loadDriver, loadOptional, type ModuleImporter } from '../driver-loader.js';

/** What ambix needs from a PGlite instance (`PGlite` from `@electric-sql/pglite` fits). */
export interface PGliteLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
  readonly closed?: boolean;
  readonly dataDir?: string;
}

interface PGliteCreateOptions {
  readonly extensions?: Record<string, unknown>;
  readonly parsers?: Record<number, (value: string) => unknown>;
}

/**
 * `bigint` (OID 20) values come back as strings, as node-postgres returns them, so code running on both drivers
 * sees the same types (PGlite would return a number and lose precision above 2^53).
 */
const PARSERS = Object.freeze({ 20: (value: string) => value });

interface PGliteModule {
  readonly PGlite: {
    create(dataDir?: string, options?: PGliteCreateOptions): Promise<PGliteLike>;
  };
}

/**
 * Where pgvector comes from: its own package since PGlite 0.5 (`@electric-sql/pglite-pgvector`), a subpath of
 * PGlite before. Its 50 kB bundle is unpacked at every start: measured with PGlite 0.5.16 on a 2-core machine,
 * reopening a data directory took ~515 ms without it and ~585 ms with it (median of 12); a first start (initdb)
 * takes seconds either way. That is worth paying for pgvector columns that just work, and since PGlite 0.5 only
 * those who install the package pay it: ambix loads it whenever one of them is installed.
 */
const VECTOR_MODULES = ['@electric-sql/pglite-pgvector', '@electric-sql/pglite/vector'] as const;

/** The pgvector extension object for PGlite, or undefined when no installed package provides it. */
export async function loadVectorExtension(importer: ModuleImporter = importModule): Promise<unknown> {
  for (const specifier of VECTOR_MODULES) {
    const module = (await loadOptional(specifier, importer)) as { vector?: unknown } | undefined;
    if (module?.vector !== undefined) return module.vector;
  }
  return undefined;
}

const PGVECTOR_INSTALL = 'npm install @electric-sql/pglite-pgvector';

/** Where PGlite keeps the extensions it ships, one module each, exported under the module's name. */
const CONTRIB = '@electric-sql/pglite/contrib';

/**
 * The extension objects PGlite is to be created with, keyed by module name: `names` are the names
 * `CREATE EXTENSION` takes (`uuid-ossp`) or the module names (`uuid_ossp`). `vector` comes from a pgvector
 * package, the rest from PGlite's contrib. Throws AmbixError CONFIG_INVALID for an extension PGlite does not ship,
 * DRIVER_MISSING for `vector` without a pgvector package.
 */
export async function loadPgliteExtensions(
  names: readonly string[],
  importer: ModuleImporter = importModule,
): Promise<Readonly<Record<string, unknown>>> {
  const extensions: Record<string, unknown> = {};
  for (const name of names) {
    const module = name.replaceAll('-', '_');
    if (Object.hasOwn(extensions, module)) continue;
    extensions[module] =
      module === 'vector' ? await requireVector(importer) : await loadContrib(name, module, importer);
  }
  return Object.freeze(extensions);
}

async function requireVector(importer: ModuleImporter): Promise<unknown> {
  const vector = await loadVectorExtension(importer);
  if (vector !== undefined) return vector;
  throw new AmbixError('DRIVER_MISSING', "pglite.extensions lists 'vector', but pgvector is not installed.", {
    hint: `Run '${PGVECTOR_INSTALL}' in your project.`,
    details: { extension: 'vector', package: VECTOR_MODULES[0], install: PGVECTOR_INSTALL },
  });
}

async function loadContrib(name: string, module: string, importer: ModuleImporter): Promise<unknown> {
  const specifier = `${CONTRIB}/${module}`;
  // Only a plain module name: anything else would let the setting import some other file of the package.
  if (!/^[a-z0-9_]+$/.test(module)) throw notShipped(name, specifier);
  let loaded: unknown;
  try {
    loaded = await importer(specifier);
  } catch (error) {
    if (isNotFound(error, specifier)) throw notShipped(name, specifier);
    const reason = error instanceof Error ? error.message : String(error);
    throw new AmbixError(
      'DRIVER_MISSING',
      `Cannot load the PGlite extension '${name}' from ${specifier}: ${reason.split('\n')[0]}`,
      {
        hint: "Reinstall PGlite with 'npm install @electric-sql/pglite'.",
        details: { extension: name, module: specifier },
        cause: error,
      },
    );
  }
  const extension = (loaded as Record<string, unknown> | undefined)?.[module];
  if (extension === undefined) throw notShipped(name, specifier);
  return extension;
}

/**
 * The module does not exist, or the installed PGlite does not export that subpath. Node names the file it looked
 * for, not the specifier; Vite's resolver (under Vitest) says it only in words.
 */
function isNotFound(error: unknown, specifier: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ||
    /is not exported under the conditions/.test(error.message) ||
    error.message.includes(`Could not resolve "${specifier}"`)
  );
}

function notShipped(name: string, specifier: string): AmbixError {
  return new AmbixError('CONFIG_INVALID', `PGlite ships no extension '${name}' (looked for ${specifier}).`, {
    hint: "Check the names in pglite.extensions in ambix.config.ts: they are those CREATE EXTENSION takes, such as 'uuid-ossp'.",
    details: { extension: name, module: specifier },
  });
}

export interface ConnectPgliteOptions {
  /** How `@electric-sql/pglite` (and its extensions) are imported; tests inject one that fails. */
  readonly importer?: ModuleImporter;
  /**
   * Extensions to load when the database opens (the `pglite.extensions` setting): names as `CREATE EXTENSION`
   * takes them. pgvector is loaded whenever it is installed, listed or not.
   */
  readonly extensions?: readonly string[];
}

/**
 * PGlite is a single session, and a data directory must not be opened twice: connections to the same database
 * in one process share one instance, opened on first use and closed with the last connection.
 */
interface SharedInstance {
  readonly db: Promise<PGliteLike>;
  refs: number;
  failed: boolean;
}
const instances = new Map<string, SharedInstance>();
const MEMORY = ':memory:';

/**
 * A connection to a PGlite database: `dataDir` (absolute; created with its parents on first use) or in memory
 * when undefined. The driver and the listed extensions are imported now, so a missing package or an unknown
 * extension is reported at once; the database itself is opened on the first query — so a connection that only
 * takes the migration lock never touches the data directory another process may be migrating. Connections that
 * share an open instance share the extensions it was opened with.
 */
export async function connectPglite(
  dataDir: string | undefined,
  options: ConnectPgliteOptions = {},
): Promise<PgliteConnection> {
  const importer = options.importer ?? importModule;
  const pglite = pgliteModule(await loadDriver('pglite', importer));
  const extensions = await loadPgliteExtensions(options.extensions ?? [], importer);
  const key = dataDir === undefined ? MEMORY : resolve(dataDir);
  let mine: SharedInstance | undefined;

  const share = (): SharedInstance => {
    const existing = instances.get(key);
    if (existing !== undefined && !existing.failed) return existing;
    const created: SharedInstance = {
      db: openInstance(pglite, key === MEMORY ? undefined : key, extensions, importer),
      refs: 0,
      failed: false,
    };
    instances.set(key, created);
    created.db.catch(() => {
      created.failed = true;
      if (instances.get(key) === created) instances.delete(key);
    });
    return created;
  };

  return new PgliteConnection(
    key === MEMORY ? undefined : key,
    () => {
      if (mine === undefined || mine.failed) {
        mine = share();
        mine.refs += 1;
      }
      return mine.db;
    },
    async () => {
      const instance = mine;
      mine = undefined;
      if (instance === undefined) return;
      instance.refs -= 1;
      if (instance.refs > 0) return;
      if (instances.get(key) === instance) instances.delete(key);
      const db = await instance.db.catch(() => undefined);
      if (db !== undefined && db.closed !== true) await db.close();
    },
  );
}

/**
 * A PGlite database of its own, in memory, never shared with other connections (a scratch database): closed with
 * the connection.
 */
export async function openPrivatePglite(
  extensionNames: readonly string[] = [],
  importer: ModuleImporter = importModule,
): Promise<PgliteConnection> {
  const pglite = pgliteModule(await loadDriver('pglite', importer));
  const extensions = await loadPgliteExtensions(extensionNames, importer);
  const db = await openInstance(pglite, undefined, extensions, importer);
  return new PgliteConnection(
    undefined,
    () => Promise.resolve(db),
    async () => {
      if (db.closed !== true) await db.close();
    },
  );
}

async function openInstance(
  pglite: PGliteModule,
  dataDir: string | undefined,
  listed: Readonly<Record<string, unknown>>,
  importer: ModuleImporter,
): Promise<PGliteLike> {
  const vector = Object.hasOwn(listed, 'vector') ? undefined : await loadVectorExtension(importer);
  const extensions = vector === undefined ? listed : { ...listed, vector };
  const options: PGliteCreateOptions =
    Object.keys(extensions).length === 0 ? { parsers: PARSERS } : { parsers: PARSERS, extensions };
  try {
    if (dataDir === undefined) return await pglite.PGlite.create(undefined, options);
    await mkdir(dataDir, { recursive: true });
    return await pglite.PGlite.create(dataDir, options);
  } catch (error) {
    const where = dataDir === undefined ? 'in memory' : `at ${dataDir}`;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AmbixError('CONNECTION_FAILED', `Cannot open the embedded database ${where}: ${reason}`, {
      hint:
        dataDir === undefined
          ? 'Check that @electric-sql/pglite is installed correctly.'
          : 'Is another process using this data directory, or was it created by another PGlite version? Move it aside to start afresh.',
      details: { url: dataDir === undefined ? 'pglite:memory' : `pglite:${dataDir}` },
      cause: error,
    });
  }
}

function pgliteModule(loaded: unknown): PGliteModule {
  const module = loaded as { PGlite?: { create?: unknown } };
  if (typeof module.PGlite?.create !== 'function') {
    throw new AmbixError(
      'DRIVER_MISSING',
      'The installed "@electric-sql/pglite" package has no PGlite class.',
      {
        hint: "Reinstall it with 'npm install @electric-sql/pglite'.",
      },
    );
  }
  return module as PGliteModule;
}

/**
 * Wraps an application's PGlite instance. ambix runs its queries on it and never closes it. Its data directory
 * (when on disk) is still guarded by the migration lock file against other processes.
 */
export function fromPGlite(db: PGliteLike): PgliteConnection {
  const dir = db.dataDir;
  const onDisk = typeof dir === 'string' && dir !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(dir);
  return new PgliteConnection(onDisk ? resolve(dir) : undefined, () => Promise.resolve(db), undefined);
}

/** A session on a PGlite database. */
export class PgliteConnection implements Connection {
  /** The absolute data directory, or undefined in memory (or in a browser store). */
  readonly dataDir: string | undefined;
  readonly #open: () => Promise<PGliteLike>;
  readonly #release: (() => Promise<void>) | undefined;
  #closed = false;

  /** `release` gives the instance back when ambix owns it; undefined for an instance the application owns. */
  constructor(
    dataDir: string | undefined,
    open: () => Promise<PGliteLike>,
    release: (() => Promise<void>) | undefined,
  ) {
    this.dataDir = dataDir;
    this.#open = open;
    this.#release = release;
  }

  async query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
    const db = await this.#db();
    const result = await db
      .query(sql, params === undefined ? undefined : [...params])
      .catch((error: unknown) => this.#explain(error));
    const rows = result.rows as Record<string, unknown>[];
    return { rows, rowCount: Math.max(result.affectedRows ?? 0, rows.length) };
  }

  async exec(sql: string): Promise<void> {
    await (await this.#db()).exec(sql).catch((error: unknown) => this.#explain(error));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#release?.();
  }

  #db(): Promise<PGliteLike> {
    if (this.#closed) return Promise.reject(new Error('This PGlite connection is closed.'));
    return this.#open();
  }

  /**
   * PostgreSQL's hint for a missing extension ("must first be installed on the system where PostgreSQL is
   * running") misleads on PGlite, which has the extensions it was handed when it opened: say how to hand it one.
   */
  #explain(error: unknown): never {
    if (!(error instanceof Error) || (error as { code?: unknown }).code !== '0A000') throw error;
    const name = /^extension "(.+)" is not available$/.exec(error.message)?.[1];
    if (name === undefined) throw error;
    const hint =
      this.#release === undefined
        ? `PGlite has only the extensions it was created with: pass '${name}' to PGlite.create({ extensions }).`
        : name === 'vector'
          ? `ambix loads pgvector whenever a pgvector package is installed: run '${PGVECTOR_INSTALL}'.`
          : `PGlite has only the extensions it was opened with: list it in ambix.config.ts, pglite: { extensions: ['${name}'] }.`;
    // A copy with the database's fields (code, position…) and the new hint: the error PGlite threw stays as it was.
    throw Object.assign(new Error(error.message, { cause: error }), error, { hint });
  }
}
