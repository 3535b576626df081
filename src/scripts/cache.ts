import {
  closeSync,
  existsSync,
  fstatSync,
  futimesSync,
  mkdirSync,
  openSync,
  readdirSync,
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
import type { MigrationFormat, MigrationScript } from './script.js';

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

const HOUR_MS = 3600_000;
/** A cache file that no scan has read for this long is deleted when another one is written in its folder. */
const UNUSED_MS = 30 * 24 * HOUR_MS;
/** Reading a cache file older than this marks it as in use (its mtime), at most once a day. */
const TOUCH_MS = 24 * HOUR_MS;
/** A temporary file this old was left by a process that died while writing. */
const ABANDONED_MS = HOUR_MS;

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
  /** Folder → file name → entry: the names come straight from the cache file, with no path to build for each. */
  private readonly folders = new Map<string, Map<string, Entry>>();
  private size = 0;
  private changed = false;
  /** Entries looked up or stored by this scan: when they are all of them, none is stale. */
  private kept = 0;
  /** The folder of the last lookup, which is usually the folder of the next one too. */
  private lastFolder: string | undefined;
  private lastEntries: Map<string, Entry> | undefined;

  private constructor(
    private readonly file: string,
    private readonly identity: Omit<CacheFile, 'folders'>,
  ) {}

  /** `locations` are absolute. */
  static open(cacheDir: string, locations: readonly string[], recursive: boolean): HeaderCache {
    const sorted = [...new Set(locations)].sort();
    const key = hash(JSON.stringify([sorted, recursive]));
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
    const cut = path.lastIndexOf(sep);
    const entries = this.entriesOf(path, cut);
    const name = path.slice(cut + 1);
    const entry = entries?.get(name);
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
      entries!.delete(name);
      this.size -= 1;
      this.changed = true;
    } else {
      this.kept += 1;
    }
    return script;
  }

  /**
   * Records the header read from a file whose stats were taken before reading it, unless the file changed too
   * recently to be told apart from a later change (see RACY_MS).
   */
  store(path: string, stats: Stats, script: MigrationScript | null, scanStart: number): void {
    const cut = path.lastIndexOf(sep);
    const name = path.slice(cut + 1);
    let entries = this.entriesOf(path, cut);
    const had = entries?.delete(name) ?? false;
    if (had) {
      this.size -= 1;
      this.changed = true;
    }
    if (stats.mtimeMs >= scanStart - RACY_MS) return;
    if (entries === undefined) {
      entries = new Map();
      this.folders.set(path.slice(0, cut), entries);
      this.lastFolder = undefined;
    }
    entries.set(name, encode(name, stats, script));
    this.size += 1;
    this.changed = true;
    this.kept += 1;
  }

  /** Forgets the files that are gone, once every file of the scan was looked up. */
  retain(paths: ReadonlySet<string>): void {
    if (this.kept === this.size) return;
    for (const [folder, entries] of this.folders) {
      for (const name of entries.keys()) {
        if (!paths.has(folder + sep + name)) {
          entries.delete(name);
          this.size -= 1;
          this.changed = true;
        }
      }
    }
  }

  /** Writes the cache if anything changed: to a temporary file renamed over the old one, so readers never see half. */
  save(): void {
    if (!this.changed) return;
    const folders: Record<string, Entry[]> = {};
    for (const [folder, entries] of this.folders)
      if (entries.size > 0) folders[folder] = [...entries.values()];
    const data = JSON.stringify({ ...this.identity, folders } satisfies CacheFile);
    const temporary = `${this.file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, this.file);
      this.changed = false;
      prune(dirname(this.file), this.file);
    } catch {
      // A read-only file system or a folder without write permission: the next scan reads the files again.
      try {
        unlinkSync(temporary);
      } catch {
        // it was never created
      }
    }
  }

  /** The entries of the folder of `path`, whose last separator is at `cut`. */
  private entriesOf(path: string, cut: number): Map<string, Entry> | undefined {
    const last = this.lastFolder;
    if (last === undefined || last.length !== cut || !path.startsWith(last)) {
      this.lastFolder = path.slice(0, cut);
      this.lastEntries = this.folders.get(this.lastFolder);
    }
    return this.lastEntries;
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
      const list = data.folders[folder];
      if (!Array.isArray(list)) return;
      const entries = new Map<string, Entry>();
      for (const entry of list) {
        if (Array.isArray(entry) && typeof entry[0] === 'string' && !entries.has(entry[0])) {
          entries.set(entry[0], entry as Entry);
        }
      }
      this.folders.set(folder, entries);
      this.size += entries.size;
    }
    this.changed = false;
  }
}

/**
 * Deletes the cache files of a folder that no scan has read for a month (the caches of projects, or of temporary
 * folders of test suites, that are gone) and temporary files left by dead processes. Only ambix's own file names:
 * AMBIX_CACHE_DIR may name a folder that holds other files too.
 */
function prune(folder: string, keep: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const temporary = name.endsWith('.tmp');
    if (!name.startsWith('headers-') || !(temporary || name.endsWith('.json'))) continue;
    const path = join(folder, name);
    if (path === keep) continue;
    try {
      if (now - statSync(path).mtimeMs > (temporary ? ABANDONED_MS : UNUSED_MS)) unlinkSync(path);
    } catch {
      // removed by another process meanwhile
    }
  }
}

/**
 * A 53-bit hash of the text (cyrb53), in hex: enough to keep the caches of different sets of locations apart. A
 * collision would only make two projects take turns rewriting one file, since the file names its locations; and
 * node:crypto would cost every command several milliseconds to load.
 */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
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
    const now = Date.now();
    if (now - stats.mtimeMs > TOUCH_MS) {
      try {
        futimesSync(fd, new Date(now), new Date(now));
      } catch {
        // then prune() may delete it a month from now, and a scan writes it again
      }
    }
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
  // Indexed reads rather than destructuring, which goes through the array iterator: this runs for every file.
  const length = entry.length;
  if (length === 4) return null;
  const id = entry[4];
  const downRevisions = entry[5];
  const createDate = length > 6 ? entry[6] : 0;
  const message = length > 7 ? entry[7] : 0;
  const doc = length > 8 ? entry[8] : 0;
  const labels = length > 9 ? entry[9] : 0;
  const dependsOn = length > 10 ? entry[10] : 0;
  if (
    typeof id !== 'string' ||
    !isStringList(downRevisions) ||
    (createDate !== 0 && typeof createDate !== 'string') ||
    (message !== 0 && typeof message !== 'string') ||
    (doc !== 0 && doc !== 1 && typeof doc !== 'string') ||
    (labels !== 0 && !isStringList(labels)) ||
    (dependsOn !== 0 && !isStringList(dependsOn)) ||
    (length > 11 && (length > 12 || entry[11] !== 0))
  ) {
    return undefined;
  }
  const script: Mutable<MigrationScript> = {
    id,
    downRevisions: list(downRevisions),
    branchLabels: labels === 0 ? EMPTY : list(labels),
    dependsOn: dependsOn === 0 ? EMPTY : list(dependsOn),
    source: path,
    path,
    format: formatOf(path),
    transaction: length < 12,
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

/** As scanMigrations and readTsHeader tell them apart, from the extension alone. */
function formatOf(path: string): MigrationFormat {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return extension === 'sql' ? 'sql' : extension === 'ts' || extension === 'mts' ? 'ts' : 'js';
}

/** The doc comment renderTsMigration writes for these fields, which most files keep: cached as 1. */
function standardDoc(
  script: Pick<MigrationScript, 'id' | 'downRevisions' | 'message'>,
  createDate: string | undefined,
): string | undefined {
  if (createDate === undefined) return undefined;
  const { message, downRevisions } = script;
  const parents =
    downRevisions.length === 0
      ? ''
      : downRevisions.length === 1
        ? ` ${downRevisions[0]}`
        : ` ${downRevisions.join(', ')}`;
  // Joined into one flat string: concatenation would keep a tree of seven strings per header alive.
  return [
    message ?? '',
    message === undefined ? '' : '\n\n',
    'Revision ID: ',
    script.id,
    '\nRevises:',
    parents,
    '\nCreate Date: ',
    createDate,
  ].join('');
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
