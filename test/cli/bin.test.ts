import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempProject, tsMigration } from '../helpers/temp-project.js';

// The published entry point, run as a separate process (npm test builds dist/ before the tests run).
const bin = fileURLToPath(new URL('../../bin/ambix.js', import.meta.url));

function ambix(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/ambix.js', () => {
  it('is built', () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))).toBe(true);
  });

  it('prints results on stdout and exits 0', () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null));
    const run = ambix(project.dir, ['heads']);
    expect(run).toEqual({ code: 0, stdout: 'aaa001 (head)\n', stderr: '' });
  });

  it('exits 1 with a short message and no stack trace when the user must act', () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', 'missing01'));
    const run = ambix(project.dir, ['history']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(run.stderr).toContain('missing01');
  });

  it('exits 2 on a usage error', () => {
    const run = ambix(tempProject().dir, ['heads', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--bogus');
  });

  it('loads a TypeScript config and .env in the working directory', () => {
    const project = tempProject();
    project.write('.env', 'MIGRATIONS_DIR=./db\n');
    project.write(
      'ambix.config.ts',
      "import { defineConfig } from 'ambix';\nexport default defineConfig({ migrations: process.env.MIGRATIONS_DIR as string });\n",
    );
    project.write('db/a.ts', tsMigration('dbdb01', null));
    expect(ambix(project.dir, ['heads']).stdout).toBe('dbdb01 (head)\n');
  });
});
