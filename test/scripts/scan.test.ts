import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMigrationFileName, scanMigrations } from '../../src/scripts/scan.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ambix-scan-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(relativePath: string, text: string): Promise<string> {
  const path = join(root, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

function ts(id: string, parent: string | null): string {
  return `/** ${id} */\nexport const revision = '${id}';\nexport const downRevision = ${parent === null ? 'null' : `'${parent}'`};\n`;
}

function sql(id: string, parent: string | null): string {
  return `-- ambix:revision ${id}\n-- ambix:down-revision ${parent ?? 'none'}\n-- ambix:upgrade\nSELECT 1;\n`;
}

describe('scanMigrations', () => {
  it('reads every migration of a folder, in path order, with absolute paths', async () => {
    await write('migrations/b.ts', ts('b', 'a'));
    await write('migrations/a.sql', sql('a', null));
    await write('migrations/c.mjs', ts('c', 'b'));
    const scripts = await scanMigrations([join(root, 'migrations')], { recursive: false });
    expect(scripts.map((script) => [script.id, script.format, script.path])).toEqual([
      ['a', 'sql', join(root, 'migrations/a.sql')],
      ['b', 'ts', join(root, 'migrations/b.ts')],
      ['c', 'js', join(root, 'migrations/c.mjs')],
    ]);
  });

  it('skips declaration files, files starting with _ or ., other extensions and helpers without a revision', async () => {
    await write('m/real.ts', ts('real', null));
    await write('m/real.d.ts', ts('decl', null));
    await write('m/_helpers.ts', ts('underscore', null));
    await write('m/__init__.ts', ts('init', null));
    await write('m/.hidden.ts', ts('hidden', null));
    await write('m/notes.md', ts('markdown', null));
    await write('m/data.json', '{"revision": "x"}');
    await write('m/util.ts', 'export function pad(revision: string) { return revision; }\n');
    await write('m/seed.sql', 'INSERT INTO t VALUES (1);\n');
    const scripts = await scanMigrations([join(root, 'm')], { recursive: false });
    expect(scripts.map((script) => script.id)).toEqual(['real']);
  });

  it('looks into sub-folders only when recursive, skipping hidden ones and node_modules', async () => {
    await write('m/top.ts', ts('top', null));
    await write('m/2026/01/nested.ts', ts('nested', 'top'));
    await write('m/.cache/hidden.ts', ts('hidden', null));
    await write('m/node_modules/pkg/index.ts', ts('dependency', null));
    expect((await scanMigrations([join(root, 'm')], { recursive: false })).map((s) => s.id)).toEqual(['top']);
    expect((await scanMigrations([join(root, 'm')], { recursive: true })).map((s) => s.id)).toEqual([
      'nested',
      'top',
    ]);
  });

  it('merges several locations and reads a file listed twice once', async () => {
    await write('one/a.ts', ts('a', null));
    await write('two/b.ts', ts('b', 'a'));
    const scripts = await scanMigrations([join(root, 'two'), join(root, 'one'), join(root, 'one')], {
      recursive: false,
    });
    expect(scripts.map((script) => script.id)).toEqual(['a', 'b']);
  });

  it('follows symbolic links to files', async () => {
    const target = await write('elsewhere/linked.ts', ts('linked', null));
    await mkdir(join(root, 'm'));
    await symlink(target, join(root, 'm/linked.ts'));
    expect((await scanMigrations([join(root, 'm')], { recursive: false })).map((s) => s.id)).toEqual([
      'linked',
    ]);
  });

  it('returns an empty list for a folder that does not exist', async () => {
    expect(await scanMigrations([join(root, 'missing')], { recursive: true })).toEqual([]);
  });

  it('reports a malformed header as SCRIPT_HEADER naming the file', async () => {
    await write('m/a.ts', ts('a', null));
    const bad = await write(
      'm/b.ts',
      "export const revision = 'b';\nexport const downRevision = parent();\n",
    );
    await expect(scanMigrations([join(root, 'm')], { recursive: false })).rejects.toMatchObject({
      code: 'SCRIPT_HEADER',
      details: { path: bad, line: 2 },
    });
  });

  it('reports a location that is a file as SCRIPT_IO', async () => {
    const file = await write('not-a-folder', '');
    await expect(scanMigrations([file], { recursive: false })).rejects.toMatchObject({ code: 'SCRIPT_IO' });
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file as SCRIPT_IO', async () => {
    const path = await write('m/a.ts', ts('a', null));
    await chmod(path, 0o000);
    await expect(scanMigrations([join(root, 'm')], { recursive: false })).rejects.toMatchObject({
      code: 'SCRIPT_IO',
      details: { path },
    });
  });
});

describe('isMigrationFileName', () => {
  it.each(['a.ts', 'a.mts', 'a.js', 'a.mjs', 'a.sql', '2026_01_01_0000-abc_add.ts'])('accepts %s', (name) => {
    expect(isMigrationFileName(name)).toBe(true);
  });

  it.each(['a.d.ts', 'a.d.mts', '_a.ts', '.a.ts', 'a.json', 'a.md', 'a.tsx', 'a.ts.bak'])(
    'rejects %s',
    (name) => {
      expect(isMigrationFileName(name)).toBe(false);
    },
  );
});
