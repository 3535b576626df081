import { closeSync, type Dirent, openSync, readdirSync, readSync, type Stats, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { AmbixError } from '../errors.js';
import { HeaderCache } from './cache.js';
import type { MigrationScript } from './script.js';
import { readSqlHeader } from './sql-migration.js';
import { readTsHeader } from './ts-header.js';

export interface ScanOptions {
  /** Also look in sub-folders (except hidden ones and node_modules). */
  readonly recursive: boolean;
  /**
   * Folder of the header cache (see defaultCacheDir): a header read before is reused while its file keeps its
   * size, modification time and inode. Undefined or false: every file is read.
   */
  readonly cacheDir?: string | false | undefined;
}

const MIGRATION_FILE = /\.(?:ts|mts|js|mjs|sql)$/i;
const DECLARATION_FILE = /\.d\.m?ts$/i;

/** Files read between two turns of the event loop. */
const READ_BATCH = 500;

/**
 * Reads the header of every migration file in the version locations, without running any of them, sorted by path.
 *
 * A location that does not exist yields nothing. Declaration files, files whose names start with `_` or `.`, and
 * TypeScript/JavaScript modules (or .sql files) that declare no revision at all are helpers and are skipped; a file
 * that declares a revision but a malformed header is a SCRIPT_HEADER error, reported for the first such file in
 * path order.
 *
 * With a cacheDir, the headers are kept between scans (like Python's `__pycache__`): a scan then reads only the
 * files that are new or changed, and the result is the same as without the cache. A malformed file is never cached.
 */
export async function scanMigrations(
  locations: readonly string[],
  options: ScanOptions = { recursive: false },
): Promise<MigrationScript[]> {
  const scanStart = Date.now();
  const roots = locations.map((location) => resolve(location));
  const files = new Set<string>();
  for (const root of roots) collect(root, options.recursive, files);
  // The default order compares code units: the same on every machine and locale.
  const paths = [...files].sort();
  const cache = options.cacheDir ? HeaderCache.open(options.cacheDir, roots, options.recursive) : undefined;
  const reader = new TextReader();
  const scripts: MigrationScript[] = [];
  try {
    for (let index = 0; index < paths.length; index += 1) {
      // Synchronous reads: thousands of small files read several times faster this way than through the thread
      // pool, whose per-file round trips dominate. A turn of the event loop every batch keeps it responsive.
      if (index % READ_BATCH === 0 && index > 0) await new Promise((resume) => setImmediate(resume));
      const path = paths[index]!;
      let stats: Stats | undefined;
      if (cache !== undefined) {
        // Taken before reading: a change made while the file is read shows in its stats next time.
        stats = statFile(path);
        const cached = stats === undefined ? undefined : cache.lookup(path, stats);
        if (cached !== undefined) {
          if (cached !== null) scripts.push(cached);
          continue;
        }
      }
      const text = reader.read(path, stats?.size);
      const script =
        path.slice(-4).toLowerCase() === '.sql' ? readSqlHeader(path, text) : readTsHeader(path, text);
      if (stats !== undefined) cache?.store(path, stats, script, scanStart);
      if (script !== null) scripts.push(script);
    }
    cache?.retain(files);
  } finally {
    // After an error too: the headers read before it are kept.
    cache?.save();
  }
  return scripts;
}

/** True for a file name that may hold a migration. */
export function isMigrationFileName(name: string): boolean {
  return (
    MIGRATION_FILE.test(name) &&
    !DECLARATION_FILE.test(name) &&
    !name.startsWith('_') &&
    !name.startsWith('.')
  );
}

/**
 * Adds the migration files of a folder (and its sub-folders when recursive) to `files`. Synchronous like the reads:
 * an asynchronous readdir would start libuv's thread pool for one or two folders, which costs more than it saves.
 */
function collect(directory: string, recursive: boolean, files: Set<string>): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw ioError(directory, error);
  }
  const subdirectories: string[] = [];
  // `directory` is already absolute and normalized; join() would normalize it again for every file
  const prefix = directory.endsWith(sep) ? directory : directory + sep;
  for (const entry of entries) {
    const name = entry.name;
    const path = prefix + name;
    let isFile = entry.isFile();
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = statFile(path);
      isFile = target?.isFile() ?? false;
      isDirectory = target?.isDirectory() ?? false;
    }
    if (isFile && isMigrationFileName(name)) {
      files.add(path);
    } else if (isDirectory && recursive && !name.startsWith('.') && name !== 'node_modules') {
      subdirectories.push(path);
    }
  }
  for (const subdirectory of subdirectories) collect(subdirectory, true, files);
}

/**
 * Reads files into one reusable buffer: for thousands of small files this is measurably faster than
 * readFileSync, which allocates a buffer and checks its options for every file.
 */
class TextReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  /**
   * With the file's size from a stat taken before opening it, the read that would only confirm the end of the file
   * is left out (as readFileSync does with fstat's size): a file that grew since then still reads to its end.
   */
  read(path: string, size?: number): string {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw ioError(path, error);
    }
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const larger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(larger);
          this.buffer = larger;
        }
        const count = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (count === 0) break;
        length += count;
        if (length === size) break;
      }
      return this.buffer.toString('utf8', 0, length);
    } catch (error) {
      throw ioError(path, error);
    } finally {
      closeSync(fd);
    }
  }
}

const NO_THROW = { throwIfNoEntry: false } as const;

/** The file's stats, or undefined when they cannot be read (reading the file then reports why). */
function statFile(path: string): Stats | undefined {
  try {
    return statSync(path, NO_THROW);
  } catch {
    return undefined;
  }
}

function ioError(path: string, error: unknown): AmbixError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AmbixError('SCRIPT_IO', `Cannot read ${path}: ${reason}`, { details: { path }, cause: error });
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}
