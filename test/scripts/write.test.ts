import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPostWriteHooks, writeMigrationFile } from '../../src/scripts/write.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ambix-write-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

// Hooks run `node -e <script>`, so the tests need nothing but the Node running them.
const node = process.execPath;

describe('writeMigrationFile', () => {
  it('creates the missing folders and returns the absolute path', async () => {
    const path = await writeMigrationFile({
      directory: join(root, 'migrations'),
      fileName: '2026/a.ts',
      text: 'x',
    });
    expect(path).toBe(join(root, 'migrations/2026/a.ts'));
    expect(await readFile(path, 'utf8')).toBe('x');
  });

  it('refuses to overwrite an existing file', async () => {
    await writeFile(join(root, 'a.ts'), 'original');
    await expect(
      writeMigrationFile({ directory: root, fileName: 'a.ts', text: 'new' }),
    ).rejects.toMatchObject({
      code: 'SCRIPT_EXISTS',
    });
    expect(await readFile(join(root, 'a.ts'), 'utf8')).toBe('original');
  });

  it('refuses a file name that leaves the folder', async () => {
    await expect(
      writeMigrationFile({ directory: join(root, 'm'), fileName: '../escape.ts', text: '' }),
    ).rejects.toMatchObject({ code: 'SCRIPT_IO' });
  });
});

describe('runPostWriteHooks', () => {
  it('runs a command with {file} replaced by the path, without a shell', async () => {
    const file = join(root, "it's a file.ts");
    await writeFile(file, 'before');
    await runPostWriteHooks(
      [{ command: node, args: ['-e', "require('fs').appendFileSync(process.argv[1], ' after')", '{file}'] }],
      file,
      root,
    );
    expect(await readFile(file, 'utf8')).toBe('before after');
  });

  it('passes the path as the last argument when no argument mentions {file}', async () => {
    const file = join(root, 'a.ts');
    await writeFile(file, '');
    await runPostWriteHooks(
      [{ command: node, args: ['-e', "require('fs').writeFileSync(process.argv[1], 'appended')"] }],
      file,
      root,
    );
    expect(await readFile(file, 'utf8')).toBe('appended');
  });

  it('runs a string hook through the shell, quoting the path', async () => {
    const file = join(root, 'a "quoted" $HOME file.ts');
    await writeFile(file, '');
    const script = join(root, 'hook.cjs');
    await writeFile(script, "require('fs').writeFileSync(process.argv[2], 'from the shell')");
    await runPostWriteHooks([`"${node}" "${script}" {file}`], file, root);
    expect(await readFile(file, 'utf8')).toBe('from the shell');
  });

  it('runs hooks in order in the given working directory', async () => {
    const file = join(root, 'a.ts');
    await writeFile(file, '');
    const append = (text: string) => ({
      command: node,
      args: [
        '-e',
        `require('fs').appendFileSync(process.argv[1], process.cwd() === ${JSON.stringify(root)} ? '${text}' : '?')`,
      ],
    });
    await runPostWriteHooks([append('1'), append('2')], file, root);
    expect(await readFile(file, 'utf8')).toBe('12');
  });

  it('reports a failing hook with its exit code and the end of its stderr', async () => {
    const hook = {
      command: node,
      args: ['-e', "console.error('line one\\nformatter exploded'); process.exit(3)"],
    };
    const failure = runPostWriteHooks([hook], join(root, 'a.ts'), root);
    await expect(failure).rejects.toMatchObject({ code: 'HOOK_FAILED', details: { exitCode: 3 } });
    await expect(failure).rejects.toThrow(
      /Post-write hook '.*' exited with code 3:\nline one\nformatter exploded$/,
    );
  });

  it('stops at the first failing hook', async () => {
    const file = join(root, 'a.ts');
    await writeFile(file, '');
    const failing = { command: node, args: ['-e', 'process.exit(1)'] };
    const writing = { command: node, args: ['-e', "require('fs').writeFileSync(process.argv[1], 'ran')"] };
    await expect(runPostWriteHooks([failing, writing], file, root)).rejects.toMatchObject({
      code: 'HOOK_FAILED',
    });
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('reports a command that does not exist', async () => {
    await expect(
      runPostWriteHooks([{ command: 'ambix-no-such-formatter' }], join(root, 'a.ts'), root),
    ).rejects.toThrow(/Post-write hook 'ambix-no-such-formatter' could not start/);
  });
});
