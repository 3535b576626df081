/**
 * Whole ambix processes against one PostgreSQL database: many at once, and one killed mid-migration. Runs the
 * built CLI (npm test builds dist/ before the tests run).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { describePostgres } from '../dialects/helpers/postgres.js';
import { historyRows, testProject, usePostgres, versionRows } from './support.js';

const bin = fileURLToPath(new URL('../../bin/ambix.js', import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function ambix(
  cwd: string,
  args: readonly string[],
  url: string,
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

async function until(condition: () => Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describePostgres('ambix processes on one PostgreSQL database', () => {
  const db = usePostgres(import.meta.filename);
  afterEach(() => db.reset(), 60_000);

  it('lets twenty concurrent `upgrade head` runs apply each migration exactly once, all exiting 0', async () => {
    const p = testProject();
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    ids.forEach((id, index) => {
      p.migration({
        id,
        down: index === 0 ? null : ids[index - 1]!,
        upgrade: `await op.createTable('t_${id}', [{ name: 'id', type: 'integer' }]);
  await op.execute('SELECT pg_sleep(0.05)');`,
        downgrade: `await op.dropTable('t_${id}');`,
      });
    });
    const runs = Array.from({ length: 20 }, () => ambix(p.dir, ['upgrade', 'head'], db.url).done);
    const results = await Promise.all(runs);
    for (const result of results) {
      expect(result.stderr).not.toContain('ambix:');
      expect(result.code).toBe(0);
    }
    const history = await historyRows(db);
    expect(history.map((row) => row.revision)).toEqual(ids);
    expect(history.every((row) => row.error === null && row.direction === 'up')).toBe(true);
    expect(await versionRows(db)).toEqual(['m5']);
    // Exactly one run did the work; the others found the database at head once they held the lock.
    expect(results.filter((result) => result.stdout.startsWith('Upgraded 5 migrations'))).toHaveLength(1);
    expect(results.filter((result) => result.stdout.startsWith('Nothing to do'))).toHaveLength(19);
  }, 120_000);

  for (const mode of ['per migration', 'whole run'] as const) {
    it(`leaves the database at the last committed step when killed mid-migration (${mode}), and the next run finishes`, async () => {
      const p = testProject();
      p.migration({ id: 'k1', upgrade: "await op.execute('CREATE TABLE k1 (id int)');", downgrade: '' });
      p.migration({
        id: 'k2',
        down: 'k1',
        upgrade: `await op.execute('CREATE TABLE k2 (id int)');
  if (op.x.sleep) await op.execute('SELECT pg_sleep(600)');`,
        downgrade: '',
      });
      p.migration({
        id: 'k3',
        down: 'k2',
        upgrade: "await op.execute('CREATE TABLE k3 (id int)');",
        downgrade: '',
      });
      if (mode === 'per migration')
        p.write('ambix.config.ts', 'export default { transactionPerMigration: true };\n');

      const first = ambix(p.dir, ['upgrade', 'head', '-x', 'sleep=1'], db.url);
      await until(async () => {
        const rows = await db.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(600)%'",
        );
        return rows.length > 0;
      }, 'the migration to start sleeping');
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      // The server notices the dead session and rolls its transaction back.
      await until(async () => {
        const rows = await db.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(600)%'",
        );
        return rows.length === 0;
      }, 'the killed session to end');

      const kept = mode === 'per migration' ? ['k1'] : [];
      expect(await versionRows(db)).toEqual(kept);
      const tables = await db.query(
        "SELECT relname FROM pg_class WHERE relname IN ('k1', 'k2', 'k3') ORDER BY 1",
      );
      expect(tables.map((row) => row.relname)).toEqual(kept);

      const second = await ambix(p.dir, ['upgrade', 'head'], db.url).done;
      expect(second.stderr).not.toContain('ambix:');
      expect(second.code).toBe(0);
      expect(await versionRows(db)).toEqual(['k3']);
      expect((await historyRows(db)).map((row) => row.revision)).toEqual(['k1', 'k2', 'k3']);
    }, 120_000);
  }
});
