import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/scripts/cache.js';
import { renderSqlMigration, renderTsMigration } from '../../src/scripts/render.js';
import { type ScanOptions, scanMigrations } from '../../src/scripts/scan.js';

let root: string;
let cacheDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ambix-cache-test-'));
  cacheDir = join(root, 'cache');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A day in the past: the cache leaves alone files changed in the last two seconds. */
const PAST = new Date('2026-01-02T03:04:05Z');

/** Writes a file and gives it a modification time in the past (`at`, default PAST). */
function write(relativePath: string, text: string, at = PAST): string {
  const path = join(root, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, at, at);
  return path;
}

/** Rewrites a file without changing its modification time (nor its inode: the file is rewritten in place). */
function rewriteKeepingMtime(path: string, text: string): void {
  const { mtime, atime } = statSync(path);
  writeFileSync(path, text);
  utimesSync(path, atime, mtime);
}

function ts(id: string, parent: string | null, message = `add ${id}`): string {
  return renderTsMigration({
    id,
    message,
    downRevisions: parent === null ? [] : [parent],
    createDate: '2026-01-02 03:04:05.000000',
  });
}

function scan(locations: readonly string[] = [join(root, 'm')], options: Partial<ScanOptions> = {}) {
  return scanMigrations(locations, { recursive: false, cacheDir, ...options });
}

function cacheFileNames(): string[] {
  try {
    return readdirSync(cacheDir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
}

function onlyCacheFile(): string {
  const names = cacheFileNames();
  expect(names).toHaveLength(1);
  return join(cacheDir, names[0]!);
}

/** The names of the files the cache holds, whatever their folder. */
function cachedNames(): string[] {
  const data = JSON.parse(readFileSync(onlyCacheFile(), 'utf8')) as { folders: Record<string, [string][]> };
  return Object.values(data.folders).flatMap((entries) => entries.map((entry) => entry[0]));
}

describe('the header cache', () => {
  it('reuses a header while its file keeps its size, modification time and inode', async () => {
    const path = write('m/a.ts', ts('aaaa', null));
    expect((await scan()).map((s) => s.id)).toEqual(['aaaa']);

    // Same size, same mtime: the cache cannot tell, which proves the file is not read again.
    rewriteKeepingMtime(path, ts('bbbb', null));
    expect((await scan()).map((s) => s.id)).toEqual(['aaaa']);
    expect((await scanMigrations([join(root, 'm')], { recursive: false })).map((s) => s.id)).toEqual([
      'bbbb',
    ]);

    // Another mtime: read again.
    utimesSync(path, PAST, new Date(PAST.getTime() + 1000));
    expect((await scan()).map((s) => s.id)).toEqual(['bbbb']);
  });

  it('reads a file again when its size changes', async () => {
    const path = write('m/a.ts', ts('aaaa', null));
    await scan();
    rewriteKeepingMtime(path, ts('aaaa_longer', null));
    expect((await scan()).map((s) => s.id)).toEqual(['aaaa_longer']);
  });

  it('reads a file again when it is replaced by another one (a new inode)', async () => {
    const path = write('m/a.ts', ts('aaaa', null));
    await scan();
    const replacement = write('other/a.ts', ts('bbbb', null));
    await unlink(path);
    await symlink(replacement, path);
    expect((await scan()).map((s) => s.id)).toEqual(['bbbb']);
  });

  it('reads new files and forgets removed ones', async () => {
    write('m/a.ts', ts('a', null));
    const b = write('m/b.ts', ts('b', 'a'));
    await scan();
    expect(cachedNames().sort()).toEqual(['a.ts', 'b.ts']);

    write('m/c.ts', ts('c', 'b'));
    await unlink(b);
    expect((await scan()).map((s) => s.id)).toEqual(['a', 'c']);
    expect(cachedNames().sort()).toEqual(['a.ts', 'c.ts']);
  });

  it('remembers helper modules, which have no header', async () => {
    write('m/a.ts', ts('a', null));
    write('m/helpers.ts', 'export function pad(revision: string) {\n  return revision;\n}\n');
    expect((await scan()).map((s) => s.id)).toEqual(['a']);
    expect(cachedNames().sort()).toEqual(['a.ts', 'helpers.ts']);
    expect((await scan()).map((s) => s.id)).toEqual(['a']);
  });

  it('never caches a malformed file: its SCRIPT_HEADER error is raised on every scan, as without a cache', async () => {
    write('m/a.ts', ts('a', null));
    const bad = write('m/b.ts', "export const revision = 'b';\nexport const downRevision = parent();\n");
    write('m/c.ts', ts('c', 'b'));
    const uncached = await scanMigrations([join(root, 'm')], { recursive: false }).catch(
      (error: unknown) => error,
    );
    expect(uncached).toMatchObject({ code: 'SCRIPT_HEADER', details: { path: bad, line: 2 } });
    for (let run = 0; run < 2; run += 1) {
      const error = await scan().catch((caught: unknown) => caught);
      expect(error).toEqual(uncached);
      expect((error as Error).message).toBe((uncached as Error).message);
    }
    // The headers read before the error are kept; the malformed file is not.
    expect(cachedNames()).toEqual(['a.ts']);

    rewriteKeepingMtime(bad, ts('b', 'a'));
    utimesSync(bad, PAST, new Date(PAST.getTime() + 1000));
    expect((await scan()).map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(cachedNames().sort()).toEqual(['a.ts', 'b.ts', 'c.ts']);
  });

  it('does not cache a file changed in the last two seconds, whose mtime may not show a second change', async () => {
    const path = write('m/a.ts', ts('aaaa', null), new Date());
    await scan();
    rewriteKeepingMtime(path, ts('bbbb', null));
    expect((await scan()).map((s) => s.id)).toEqual(['bbbb']);
  });

  it('does not write the cache again when nothing changed', async () => {
    write('m/a.ts', ts('a', null));
    await scan();
    const file = onlyCacheFile();
    const { ino, mtimeMs } = statSync(file);
    await scan();
    // A write goes through a new file renamed into place: the inode would change.
    expect(statSync(file)).toMatchObject({ ino, mtimeMs });
  });

  it('deletes the cache files no scan has read for a month when it writes one', async () => {
    write('m/a.ts', ts('a', null));
    mkdirSync(cacheDir, { recursive: true });
    const longAgo = new Date(Date.now() - 40 * 24 * 3600_000);
    const stale = ['headers-0123456789abcd.json', 'headers-0123456789abcd.json.1-x.tmp'];
    const kept = ['headers-fedcba98765432.json', 'notes.txt'];
    for (const name of [...stale, ...kept]) {
      writeFileSync(join(cacheDir, name), '{}');
      if (name !== kept[0]) utimesSync(join(cacheDir, name), longAgo, longAgo);
    }
    await scan();
    // The new cache file, the recent one and a file that is not ambix's are left.
    const after = readdirSync(cacheDir);
    expect(after).toHaveLength(3);
    expect(after).toEqual(expect.arrayContaining(kept));
    for (const name of stale) expect(after).not.toContain(name);
  });

  it('marks a cache file in use when it reads one last written over a day ago', async () => {
    write('m/a.ts', ts('a', null));
    await scan();
    const file = onlyCacheFile();
    utimesSync(file, PAST, PAST);
    await scan();
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(3600_000);
  });

  it('ignores a corrupt cache file and writes a good one', async () => {
    write('m/a.ts', ts('a', null));
    await scan();
    const file = onlyCacheFile();
    for (const corrupt of ['{"format":', 'null', '[]', '{"format":1}', '\u0000\u0001']) {
      writeFileSync(file, corrupt);
      expect((await scan()).map((s) => s.id)).toEqual(['a']);
      expect(cachedNames()).toEqual(['a.ts']);
    }
  });

  it('ignores malformed entries', async () => {
    write('m/a.ts', ts('a', null));
    write('m/b.ts', ts('b', 'a'));
    await scan();
    const file = onlyCacheFile();
    const data = JSON.parse(readFileSync(file, 'utf8')) as { folders: Record<string, unknown[][]> };
    const entries = Object.values(data.folders)[0]!;
    entries[0]![4] = 42; // the id of a.ts
    entries[1]![5] = 'not a list'; // the parents of b.ts
    writeFileSync(file, JSON.stringify(data));
    expect((await scan()).map((s) => [s.id, s.downRevisions])).toEqual([
      ['a', []],
      ['b', ['a']],
    ]);
  });

  it.each([
    ['format', 0],
    ['ambix', '0.0.0-older'],
    ['build', 1],
  ])('ignores a cache whose %s differs', async (field, value) => {
    const path = write('m/a.ts', ts('aaaa', null));
    await scan();
    const file = onlyCacheFile();
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...data, [field]: value }));
    // Only a file that is read again can show the new content.
    rewriteKeepingMtime(path, ts('bbbb', null));
    expect((await scan()).map((s) => s.id)).toEqual(['bbbb']);
  });

  it('keeps one cache file per set of locations and recursive flag', async () => {
    write('m/a.ts', ts('a', null));
    write('n/b.ts', ts('b', null));
    await scan([join(root, 'm')]);
    await scan([join(root, 'n')]);
    await scan([join(root, 'n'), join(root, 'm')]);
    await scan([join(root, 'm'), join(root, 'n')]);
    await scan([join(root, 'm')], { recursive: true });
    expect(cacheFileNames()).toHaveLength(4);
    // Written through temporary files renamed into place: none is left behind.
    expect(readdirSync(cacheDir).sort()).toEqual(cacheFileNames().sort());
  });

  it('works without writing when the cache folder cannot be created', async () => {
    write('m/a.ts', ts('a', null));
    cacheDir = join(write('not-a-folder', ''), 'cache');
    expect((await scan()).map((s) => s.id)).toEqual(['a']);
    expect((await scan()).map((s) => s.id)).toEqual(['a']);
  });

  it('is not used with cacheDir false or undefined', async () => {
    const path = write('m/a.ts', ts('aaaa', null));
    await scan();
    rewriteKeepingMtime(path, ts('bbbb', null));
    for (const off of [false, undefined] as const) {
      expect((await scan(undefined, { cacheDir: off })).map((s) => s.id)).toEqual(['bbbb']);
    }
  });
});

describe('scans with and without the cache', () => {
  /** Scans without a cache, then twice with one (filling it, then from it), and checks all three agree. */
  async function expectSameScans(locations: readonly string[], recursive = false): Promise<void> {
    const uncached = await scanMigrations(locations, { recursive });
    const filling = await scanMigrations(locations, { recursive, cacheDir });
    // Overwrite every file with blanks of the same size and mtime: a scan can then only agree from the cache.
    for (const script of uncached) rewriteKeepingMtime(script.path, ' '.repeat(statSync(script.path).size));
    const cached = await scanMigrations(locations, { recursive, cacheDir });
    for (const scripts of [filling, cached]) {
      expect(scripts).toStrictEqual(uncached);
      expect(scripts.map((script) => Object.keys(script))).toEqual(
        uncached.map((script) => Object.keys(script)),
      );
      for (const script of scripts) {
        expect(Object.isFrozen(script)).toBe(true);
        expect(Object.isFrozen(script.downRevisions)).toBe(true);
        expect(Object.isFrozen(script.branchLabels)).toBe(true);
        expect(Object.isFrozen(script.dependsOn)).toBe(true);
      }
    }
  }

  it('gives the same scripts, in the same order and form, for every kind of header', async () => {
    const files: Record<string, string> = {
      'm/01_root.ts': ts('r00t', null),
      'm/02_merge.mts': renderTsMigration({
        id: 'merge',
        message: 'merge heads',
        downRevisions: ['a1', 'b2'],
        branchLabels: ['auth', 'with space'],
        dependsOn: ['r00t'],
        transaction: false,
        createDate: '2026-01-02 03:04:05.000000',
      }),
      'm/03_no_message.js': renderTsMigration({ id: 'nomsg', downRevisions: ['r00t'], createDate: 'x' }),
      'm/04_hand.mjs':
        "/**\n * Hand written\n *\n * more text\n */\nexport const revision = 'hand';\nexport const downRevision = null;\n",
      'm/05_no_doc.ts': "export const revision = 'nodoc';\nexport const downRevision = ['r00t'];\n",
      'm/06_field_first.ts':
        "/** Revises: r00t */\nexport const revision = 'field';\nexport const downRevision = 'r00t';\n",
      'm/07_crlf.ts': ts('crlf', 'r00t').replaceAll('\n', '\r\n'),
      'm/08_escaped.ts': ts('esc', 'r00t', 'a */ b'),
      'm/09_unicode.ts': ts('uni', 'r00t', 'ajoute les tables 😀 ñ'),
      'm/10_empty_doc.ts': "/** */\nexport const revision = 'emptydoc';\nexport const downRevision = null;\n",
      'm/11_blank_date.ts':
        "/**\n * msg\n *\n * Create Date:\n */\nexport const revision = 'nodate';\nexport const downRevision = null;\n",
      'm/12_helper.ts': 'export const something = 1;\n',
      'm/13_sql.sql': renderSqlMigration({
        id: 'sql1',
        message: 'plain SQL',
        downRevisions: ['r00t'],
        branchLabels: ['reports'],
        createDate: '2026-01-02 03:04:05.000000',
        transaction: false,
      }),
      'm/14_sql_doc.SQL':
        '-- What this does\n-- in two lines\n-- ambix:revision sql2\n-- ambix:down-revision none\n-- ambix:upgrade\nSELECT 1;\n',
      'm/15_plain.sql': 'SELECT 1;\n',
      'm/sub/16_nested.ts': ts('nested', 'r00t'),
    };
    for (const [path, text] of Object.entries(files)) write(path, text);
    await expectSameScans([join(root, 'm')], true);
  });

  it('gives the same scripts for any rendered header', async () => {
    const id = fc.stringMatching(/^[0-9a-z_]{1,16}$/);
    const text = fc.string({ unit: 'grapheme', maxLength: 20 });
    const header = fc.record({
      id,
      message: fc.option(text, { nil: undefined }),
      downRevisions: fc.array(id, { maxLength: 3 }),
      branchLabels: fc.array(text, { maxLength: 2 }),
      dependsOn: fc.array(id, { maxLength: 2 }),
      createDate: text,
      transaction: fc.boolean(),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(header, { minLength: 1, maxLength: 4 }), async (headers) => {
        run += 1;
        const location = join(root, `run${run}`);
        headers.forEach((contents, index) => {
          const name = `run${run}/${String(index).padStart(2, '0')}`;
          write(`${name}.ts`, renderTsMigration(contents));
          if (contents.branchLabels.every((label) => /^[\w-]+$/.test(label))) {
            write(`${name}.sql`, renderSqlMigration({ ...contents, id: `${contents.id}_sql` }));
          }
        });
        await expectSameScans([location]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('defaultCacheDir', () => {
  it('is node_modules/.cache/ambix of the nearest package with a node_modules folder', () => {
    write('project/package.json', '{}');
    mkdirSync(join(root, 'project/node_modules'));
    mkdirSync(join(root, 'project/db/deep'), { recursive: true });
    expect(defaultCacheDir(join(root, 'project/db/deep'), {})).toBe(
      join(root, 'project/node_modules/.cache/ambix'),
    );
    expect(defaultCacheDir(join(root, 'project'), {})).toBe(join(root, 'project/node_modules/.cache/ambix'));
  });

  it("is a folder of the user's in the temporary folder when the package has no node_modules", () => {
    write('project/package.json', '{}');
    const user = process.getuid?.() ?? userInfo().username;
    expect(defaultCacheDir(join(root, 'project'), {})).toBe(join(tmpdir(), `ambix-cache-${user}`));
  });

  it('is AMBIX_CACHE_DIR when set, relative to the working directory', () => {
    expect(defaultCacheDir(root, { AMBIX_CACHE_DIR: 'here' })).toBe(join(root, 'here'));
    expect(defaultCacheDir(root, { AMBIX_CACHE_DIR: '/elsewhere' })).toBe('/elsewhere');
  });

  it('is false with AMBIX_CACHE=0', () => {
    expect(defaultCacheDir(root, { AMBIX_CACHE: '0', AMBIX_CACHE_DIR: 'here' })).toBe(false);
  });
});
