import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationScript } from './script.js';

/**
 * The folder for scanMigrations' header cache, following the find-cache-dir convention:
 * `node_modules/.cache/ambix` of the nearest folder above `cwd` with a package.json (when it has a node_modules),
 * else `ambix-cache-<user>` in the system's temporary folder. `AMBIX_CACHE_DIR` names another folder and
 * `AMBIX_CACHE=0` turns the cache off (false).
 */
export function defaultCacheDir(cwd: string, env: NodeJS.ProcessEnv = process.env): string | false {
  if (env.AMBIX_CACHE === '0') return false;
  if (env.AMBIX_CACHE_DIR) return resolve(cwd, env.AMBIX_CACHE_DIR);
  for (let folder = resolve(cwd); ; ) {
    if (existsSync(join(folder, 'package.json'))) {
      const modules = join(folder, 'node_modules');
      if (existsSync(modules)) return join(modules, '.cache', 'ambix');
      break;
    }
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return join(tmpdir(), `ambix-cache-${currentUser()}`);
}

function currentUser(): string {
  const uid = process.getuid?.();
  if (uid !== undefined) return String(uid);
  try {
    return userInfo().username.replace(/[^\w.-]/g, '_') || 'user';
  } catch {
    return 'user';
  }
}

/** Bumped whenever the file's layout or the meaning of a cached header changes. */
const FORMAT = 1;

/**
 * A file is only cached once its modification time is this far behind the start of the scan. A file changed twice
 * within one tick of the file system's clock (coarse: milliseconds on ext4, seconds elsewhere) keeps its mtime; a
 * header read in that tick could be stale and is therefore read again next time ("racy git").
 */
const RACY_MS = 2000;

/**
 * One cached file: `[name, size, mtimeMs, ino]` for a file without a header (a helper module), else followed by
 * `id, downRevisions, createDate, message, doc, branchLabels, dependsOn, transaction`. An absent field is 0 and
 * trailing ones are left out; `doc` is 1 when it is the one renderTsMigration writes from the other fields, and
 * `transaction` is only written (as 0) when false.
 */
type Entry = [
  name: string,
  size: number,
  mtimeMs: number,
  ino: number,
  id?: string,
  downRevisions?: readonly string[],
  createDate?: string | 0,
  message?: string | 0,
  doc?: string | 0 | 1,
  branchLabels?: readonly string[] | 0,
  dependsOn?: readonly string[] | 0,
  transaction?: 0,
];

/** The cache file: headers grouped by the folder of their file. */
interface CacheFile {
  readonly format: number;
  readonly ambix: string;
  readonly build: number;
  readonly locations: readonly string[];
  readonly recursive: boolean;
  readonly folders: Readonly<Record<string, readonly Entry[]>>;
}

/**
 * The headers of a set of version locations, persisted between scans in one JSON file per set of locations, keyed by
 * each file's absolute path and checked against its size, modification time and inode. Only scanMigrations uses it;
 * every failure to read or write the file is silent, since the cache can only save work.
 */
export class HeaderCache {
  private readonly entries = new Map<string, Entry>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly identity: Omit<CacheFile, 'folders'>,
  ) {}

  /** `locations` are absolute. */
  static open(cacheDir: string, locations: readonly string[], recursive: boolean): HeaderCache {
    const sorted = [...new Set(locations)].sort();
    const key = createHash('sha256')
      .update(JSON.stringify([sorted, recursive]))
      .digest('hex')
      .slice(0, 16);
    const identity = {
      format: FORMAT,
      ambix: ambixVersion(),
      build: buildStamp(),
      locations: sorted,
      recursive,
    };
    const cache = new HeaderCache(join(resolve(cacheDir), `headers-${key}.json`), identity);
    cache.load();
    return cache;
  }

  /** The cached header of a file (null: it has none) while its stats match; undefined when it must be read. */
  lookup(path: string, stats: Stats): MigrationScript | null | undefined {
    const entry = this.entries.get(path);
    if (
      entry === undefined ||
      entry[1] !== stats.size ||
      entry[2] !== stats.mtimeMs ||
      entry[3] !== stats.ino
    ) {
      return undefined;
    }
    const script = decode(path, entry);
    if (script === undefined) {
      this.entries.delete(path);
      this.changed = true;
    }
    return script;
  }

  /**
   * Records the header read from a file whose stats were taken before reading it, unless the file changed too
   * recently to be told apart from a later change (see RACY_MS).
   */
  store(path: string, stats: Stats, script: MigrationScript | null, scanStart: number): void {
    if (stats.mtimeMs >= scanStart - RACY_MS) {
      if (this.entries.delete(path)) this.changed = true;
      return;
    }
    const cut = path.lastIndexOf(sep);
    this.entries.set(path, encode(path.slice(cut + 1), stats, script));
    this.changed = true;
  }

  /** Forgets the files that are gone. */
  retain(paths: ReadonlySet<string>): void {
    for (const path of this.entries.keys()) {
      if (!paths.has(path)) {
        this.entries.delete(path);
        this.changed = true;
      }
    }
  }

  /** Writes the cache if anything changed: to a temporary file renamed over the old one, so readers never see half. */
  save(): void {
    if (!this.changed) return;
    const folders: Record<string, Entry[]> = {};
    for (const [path, entry] of this.entries) {
      const folder = path.slice(0, path.lastIndexOf(sep));
      const entries = folders[folder];
      if (entries === undefined) folders[folder] = [entry];
      else entries.push(entry);
    }
    const data = JSON.stringify({ ...this.identity, folders } satisfies CacheFile);
    const temporary = `${this.file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, this.file);
      this.changed = false;
    } catch {
      // A read-only file system or a folder without write permission: the next scan reads the files again.
      try {
        unlinkSync(temporary);
      } catch {
        // it was never created
      }
    }
  }

  private load(): void {
    const text = readOwnFile(this.file);
    if (text === undefined) return;
    // Whatever is wrong with an existing file, it is rewritten after the scan.
    this.changed = true;
    let data: CacheFile;
    try {
      data = JSON.parse(text) as CacheFile;
    } catch {
      return;
    }
    const { identity } = this;
    if (
      typeof data !== 'object' ||
      data === null ||
      data.format !== identity.format ||
      data.ambix !== identity.ambix ||
      data.build !== identity.build ||
      data.recursive !== identity.recursive ||
      !Array.isArray(data.locations) ||
      data.locations.length !== identity.locations.length ||
      data.locations.some((location, index) => location !== identity.locations[index]) ||
      typeof data.folders !== 'object' ||
      data.folders === null
    ) {
      return;
    }
    for (const folder of Object.keys(data.folders)) {
      const entries = data.folders[folder];
      if (!Array.isArray(entries)) return;
      const prefix = folder + sep;
      for (const entry of entries) {
        if (Array.isArray(entry) && typeof entry[0] === 'string')
          this.entries.set(prefix + entry[0], entry as Entry);
      }
    }
    this.changed = false;
  }
}

/** The text of a file owned by the current user (another user's file could lie about headers), else undefined. */
function readOwnFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) return undefined;
    const buffer = Buffer.allocUnsafe(stats.size);
    let length = 0;
    while (length < buffer.length) {
      const count = readSync(fd, buffer, length, buffer.length - length, null);
      if (count === 0) break;
      length += count;
    }
    return buffer.toString('utf8', 0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function encode(name: string, stats: Stats, script: MigrationScript | null): Entry {
  const entry: Entry = [name, stats.size, stats.mtimeMs, stats.ino];
  if (script === null) return entry;
  const { downRevisions, branchLabels, dependsOn } = script;
  const doc =
    script.doc === undefined ? 0 : script.doc === standardDoc(script, script.createDate) ? 1 : script.doc;
  entry.push(
    script.id,
    downRevisions,
    script.createDate ?? 0,
    script.message ?? 0,
    doc,
    branchLabels.length === 0 ? 0 : branchLabels,
    dependsOn.length === 0 ? 0 : dependsOn,
  );
  if (!script.transaction) entry.push(0);
  else while (entry.length > 6 && entry[entry.length - 1] === 0) entry.pop();
  return entry;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The header of a cached entry; undefined when the entry is malformed. */
function decode(path: string, entry: Entry): MigrationScript | null | undefined {
  if (entry.length === 4) return null;
  const [, , , , id, downRevisions, createDate = 0, message = 0, doc = 0, labels = 0, dependsOn = 0] = entry;
  if (
    typeof id !== 'string' ||
    !isStringList(downRevisions) ||
    (createDate !== 0 && typeof createDate !== 'string') ||
    (message !== 0 && typeof message !== 'string') ||
    (doc !== 0 && doc !== 1 && typeof doc !== 'string') ||
    (labels !== 0 && !isStringList(labels)) ||
    (dependsOn !== 0 && !isStringList(dependsOn)) ||
    (entry.length > 11 && entry[11] !== 0)
  ) {
    return undefined;
  }
  const lower = path.toLowerCase();
  const script: Mutable<MigrationScript> = {
    id,
    downRevisions: list(downRevisions),
    branchLabels: labels === 0 ? EMPTY : list(labels),
    dependsOn: dependsOn === 0 ? EMPTY : list(dependsOn),
    source: path,
    path,
    format: lower.endsWith('.sql') ? 'sql' : /\.m?ts$/.test(lower) ? 'ts' : 'js',
    transaction: entry.length <= 11,
  };
  if (message !== 0) script.message = message;
  if (createDate !== 0) script.createDate = createDate;
  if (doc === 1) {
    if (createDate === 0) return undefined;
    script.doc = standardDoc(script, createDate);
  } else if (doc !== 0) {
    script.doc = doc;
  }
  return Object.freeze(script);
}

/** The doc comment renderTsMigration writes for these fields, which most files keep: cached as 1. */
function standardDoc(
  script: Pick<MigrationScript, 'id' | 'downRevisions' | 'message'>,
  createDate: string | undefined,
): string | undefined {
  if (createDate === undefined) return undefined;
  const parents = script.downRevisions.length === 0 ? '' : ` ${script.downRevisions.join(', ')}`;
  const message = script.message === undefined ? '' : `${script.message}\n\n`;
  return `${message}Revision ID: ${script.id}\nRevises:${parents}\nCreate Date: ${createDate}`;
}

const EMPTY: readonly string[] = Object.freeze([]);

function list(items: readonly string[]): readonly string[] {
  return items.length === 0 ? EMPTY : Object.freeze(items);
}

function isStringList(value: unknown): value is readonly string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/** ambix's version: an upgrade starts a new cache. */
function ambixVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return String(manifest.version);
  } catch {
    return 'unknown';
  }
}

/**
 * When this module was built: every build rewrites it, so a build from changed sources (a development checkout,
 * where the version stays the same) starts a new cache too.
 */
function buildStamp(): number {
  try {
    return statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    return 0;
  }
}
