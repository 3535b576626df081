import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describePostgres } from '../dialects/helpers/postgres.js';
import { tempProject } from '../helpers/temp-project.js';
import { type MigrationSpec, tsMigration, usePostgres } from '../runtime/support.js';

const LINEAR: readonly MigrationSpec[] = [
  { id: 'aaa001', message: 'create users' },
  { id: 'aaa002', down: 'aaa001', message: 'add email' },
];

function project(specs: readonly MigrationSpec[] = LINEAR) {
  const p = tempProject();
  for (const spec of specs) p.write(`migrations/${spec.id}.ts`, tsMigration(spec));
  return p;
}

describe('running migrations from the CLI on the embedded database', () => {
  it('runs the README quickstart, `ambix upgrade head` in examples/quickstart, with no setup', async () => {
    const p = tempProject();
    cpSync(fileURLToPath(new URL('../../examples/quickstart', import.meta.url)), p.dir, {
      recursive: true,
      filter: (source) => !source.includes('.ambix'),
    });
    const run = await p.run(['upgrade', 'head']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('using the embedded database at .ambix/pglite');
    expect(run.stderr).toMatch(
      /^Running upgrade e91f27b40a6c, 5a3c8e0f6d24 -> 0f6b2d9c7e18, merge goals and opportunities … \d+ ms$/m,
    );
    expect(run.stdout).toMatch(/^Upgraded 6 migrations in .*; the database is at 0f6b2d9c7e18\.\n$/);
    expect((await p.run(['current'])).stdout).toBe('0f6b2d9c7e18 (head), merge goals and opportunities\n');
  }, 60_000);

  it('works with no configuration at all: upgrade, current, status, history -i, downgrade -1, stamp', async () => {
    const p = project();

    const up = await p.run(['upgrade']);
    expect(up.code).toBe(0);
    expect(up.stderr).toContain(
      'No database URL is configured: using the embedded database at .ambix/pglite',
    );
    expect(up.stderr).toMatch(/^Running upgrade <base> -> aaa001, create users … \d+ ms$/m);
    expect(up.stderr).toMatch(/^Running upgrade aaa001 -> aaa002, add email … \d+ ms$/m);
    expect(up.stdout).toMatch(/^Upgraded 2 migrations in \d+ ms; the database is at aaa002\.\n$/);

    const again = await p.run(['upgrade', 'head']);
    expect(again).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'Nothing to do: the database is at aaa002.\n',
    });

    const now = await p.run(['current', '-v']);
    expect(now.code).toBe(0);
    expect(now.stdout).toMatch(
      /^Current revision\(s\) for pglite:.*\.ambix\/pglite:\naaa002 \(head\), add email\n$/,
    );

    const down = await p.run(['downgrade', '-1']);
    expect(down.code).toBe(0);
    expect(down.stderr).toMatch(/^Running downgrade aaa002 -> aaa001, add email … \d+ ms$/m);
    expect(down.stdout).toContain('the database is at aaa001');

    const behind = await p.run(['current', '--check-heads']);
    expect(behind.code).toBe(1);
    expect(behind.stderr).toContain('not at the head revisions (aaa002)');

    const report = await p.run(['status']);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('Current: aaa001\n');
    expect(report.stdout).toContain('Pending, in the order they would run (1):\n  aaa002  add email\n');

    const listed = await p.run(['history', '-i']);
    expect(listed.stdout).toBe(
      'aaa001 -> aaa002 (head), add email\n<base> -> aaa001 (current), create users\n',
    );

    const stamped = await p.run(['stamp', 'head']);
    expect(stamped.code).toBe(0);
    expect(stamped.stderr).toMatch(/^Running stamp aaa001 -> aaa002, add email … \d+ ms$/m);
    expect(stamped.stdout).toBe('Stamped: the database is at aaa002.\n');

    const tables = await p.run(['ensure-version']);
    expect(tables.stdout).toBe('The tables ambix_version and ambix_history exist.\n');
  }, 60_000);

  it('prints machine-readable results with --json, nothing else with -q, and scripts with --sql', async () => {
    const p = project();
    const json = await p.run(['upgrade', '--json']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const result = JSON.parse(json.stdout) as {
      steps: { revision: string; durationMs: number }[];
      heads: string[];
    };
    expect(result.steps.map((step) => step.revision)).toEqual(['aaa001', 'aaa002']);
    expect(result.heads).toEqual(['aaa002']);

    const quiet = await p.run(['downgrade', 'base', '-q']);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    expect(quiet.stdout).toContain('Downgraded 2 migrations');

    const sql = await p.run(['upgrade', '--sql']);
    expect(sql.code).toBe(0);
    expect(sql.stderr).toBe('');
    expect(sql.stdout).toContain('-- Running upgrade <base> -> aaa001, create users\n');
    expect(sql.stdout).toContain('COMMIT;\n');
    const down = await p.run(['downgrade', 'head:base', '--sql']);
    expect(down.stdout).toContain('-- Running downgrade aaa002 -> aaa001, add email\n');
    const stamp = await p.run(['stamp', 'aaa001', '--sql']);
    expect(stamp.stdout).toContain(`INSERT INTO "ambix_version" (version_num) VALUES ('aaa001');`);
  }, 60_000);

  it('reports a failing migration with its statement and exits 1', async () => {
    const p = project([
      { id: 'aaa001', message: 'create users' },
      {
        id: 'aaa002',
        down: 'aaa001',
        message: 'broken',
        upgrade: "await op.execute('SELECT nope FROM t_aaa001');",
      },
    ]);
    const run = await p.run(['upgrade']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Running upgrade aaa001 -> aaa002, broken … failed after \d+ ms$/m);
    expect(run.stderr).toContain(
      'ambix: The upgrade of aaa002 (broken) failed: column "nope" does not exist',
    );
    expect(run.stderr).toContain('  Statement:\n    SELECT nope FROM t_aaa001\n           ^\n');
    expect(run.stderr).toContain('the version table is empty (base)');
    expect(run.stdout).toBe('');
  }, 60_000);

  it('asks for heads when several heads are present', async () => {
    const p = project([{ id: 'aaa001' }, { id: 'bbb001' }]);
    const run = await p.run(['upgrade', '--sql']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Multiple heads are present (aaa001, bbb001); use 'heads'");
  });

  it('takes the target and options of downgrade and stamp as Alembic does', async () => {
    const p = project();
    expect((await p.run(['downgrade'])).code).toBe(2);
    expect((await p.run(['stamp'])).code).toBe(2);
    const help = await p.run(['upgrade', '--help']);
    for (const option of ['--sql', '--allow-changed', '--no-lock', '--transaction-per-migration']) {
      expect(help.stdout).toContain(option);
    }
  });
});

describePostgres('running migrations from the CLI on PostgreSQL', () => {
  const db = usePostgres(import.meta.filename);

  it('never prints the password: current -v, status and connection errors', async () => {
    const p = project();
    const url = db.url.replace('postgres://postgres@', 'postgres://postgres:s3cr%40t@');
    const env = { DATABASE_URL: url };
    expect((await p.run(['upgrade'], { env })).code).toBe(0);
    const now = await p.run(['current', '-v'], { env });
    expect(now.stdout).toContain('postgres://postgres:***@');
    expect(now.stdout).not.toContain('s3cr');
    const report = await p.run(['status'], { env });
    expect(report.stdout).toContain('Database: postgres://postgres:***@');

    const refused = await p.run(['upgrade', '--url', 'postgres://postgres:s3cr%40t@127.0.0.1:1/none']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('postgres://postgres:***@127.0.0.1:1/none');
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('s3cr');
  });
});
