import { expect, it } from 'vitest';
import { current } from '../../src/commands/current.js';
import { downgrade } from '../../src/commands/downgrade.js';
import { loadProject } from '../../src/commands/project.js';
import { stamp } from '../../src/commands/stamp.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { AmbixError } from '../../src/errors.js';
import { applyStep, planDowngrade, planStamp, planUpgrade } from '../../src/graph/index.js';
import type { ProgressEvent } from '../../src/runtime/progress.js';
import {
  ALL_DIALECTS,
  describeEachDatabase,
  historyRows,
  isPostgres,
  type MigrationSpec,
  type TestDb,
  type TestProject,
  tableExists,
  takeStepLog,
  testProject,
  versionRows,
} from './support.js';

/**
 * a ─ b ─ c ─────── m (merge of c and x2)
 *  └─ x1 ─ x2 ───┘          (x1 starts branch 'feature')
 * d1 ─ d2                   (branch 'other'; d2 depends on b)
 */
const GRAPH: readonly MigrationSpec[] = [
  { id: 'a', message: 'create a' },
  { id: 'b', down: 'a' },
  { id: 'c', down: 'b' },
  { id: 'x1', down: 'a', branchLabels: ['feature'] },
  { id: 'x2', down: 'x1' },
  { id: 'm', down: ['c', 'x2'], message: 'merge' },
  { id: 'd1', branchLabels: ['other'] },
  { id: 'd2', down: 'd1', dependsOn: ['b'] },
];

function project(specs: readonly MigrationSpec[] = GRAPH): TestProject {
  const p = testProject();
  for (const spec of specs) p.migration(spec);
  return p;
}

/**
 * Runs `upgrade`/`downgrade` to `target` and checks every step against the graph: the revisions run and their
 * order are the plan's (logged by the migrations themselves, inside the run), the version table before and after
 * each step (as its history row records it) and at the end is what applyStep gives.
 */
async function runAndCheck(
  db: TestDb,
  p: TestProject,
  direction: 'up' | 'down',
  target: string,
): Promise<string[]> {
  const config = await p.config(db.settings());
  const { map } = await loadProject(config);
  const before = await currentRows(db);
  const recorded = (await tableExists(db, 'ambix_history')) ? (await historyRows(db)).length : 0;
  const plan = direction === 'up' ? planUpgrade(map, before, target) : planDowngrade(map, before, target);
  const events: ProgressEvent[] = [];
  const run = direction === 'up' ? upgrade : downgrade;
  const result = await run(config, target, { ...db.options(), onProgress: (event) => events.push(event) });

  const expected: { revision: string; direction: string; from: string[]; to: string[] }[] = [];
  let heads = before;
  for (const step of plan) {
    const next = applyStep(map, heads, step);
    expected.push({
      revision: step.revision.id,
      direction: step.direction,
      from: [...heads].sort(),
      to: [...next].sort(),
    });
    heads = next;
  }
  expect(await takeStepLog(db)).toEqual(expected.map(({ revision, direction }) => ({ revision, direction })));
  const rows = (await historyRows(db)).slice(recorded);
  expect(
    rows.map((row) => ({
      revision: row.revision,
      direction: row.direction,
      from: [...row.from_heads].sort(),
      to: [...row.to_heads].sort(),
    })),
  ).toEqual(expected);
  expect(await versionRows(db)).toEqual([...heads].sort());
  expect([...result.heads].sort()).toEqual([...heads].sort());
  expect(result.steps.map((step) => step.revision)).toEqual(plan.map((step) => step.revision.id));
  expect(events.filter((event) => event.kind === 'stepFinished')).toHaveLength(plan.length);
  return [...heads].sort();
}

async function currentRows(db: TestDb): Promise<string[]> {
  return (await tableExists(db, 'ambix_version')) ? versionRows(db) : [];
}

describeEachDatabase(
  'upgrade and downgrade',
  import.meta.filename,
  (db) => {
    it('applies a linear history one migration at a time and reverts it to base', async () => {
      const p = project(GRAPH.slice(0, 3));
      expect(await runAndCheck(db, p, 'up', 'head')).toEqual(['c']);
      expect(await tableExists(db, 't_c')).toBe(true);
      expect(await runAndCheck(db, p, 'down', '-1')).toEqual(['b']);
      expect(await tableExists(db, 't_c')).toBe(false);
      expect(await runAndCheck(db, p, 'down', 'base')).toEqual([]);
      expect(await runAndCheck(db, p, 'up', '+2')).toEqual(['b']);
      expect(await runAndCheck(db, p, 'up', '+1')).toEqual(['c']);
      expect(await runAndCheck(db, p, 'up', 'head')).toEqual(['c']);
    });

    it('runs branches, a merge and a cross-branch dependency in the graph order', async () => {
      const p = project();
      expect(await runAndCheck(db, p, 'up', 'heads')).toEqual(['d2', 'm']);
      for (const table of ['t_a', 't_b', 't_c', 't_x1', 't_x2', 't_m', 't_d1', 't_d2']) {
        expect(await tableExists(db, table)).toBe(true);
      }
      expect(await runAndCheck(db, p, 'down', 'base')).toEqual([]);
      expect(await tableExists(db, 't_a')).toBe(false);
    });

    it('moves one branch at a time, with un-merges and dependencies pulled in', async () => {
      const p = project();
      await runAndCheck(db, p, 'up', 'feature@head');
      await runAndCheck(db, p, 'up', 'other@head'); // needs b: the dependency is applied first
      await runAndCheck(db, p, 'up', 'm');
      await runAndCheck(db, p, 'down', 'x1'); // un-merges m, reverts x2
      await runAndCheck(db, p, 'down', 'other@base');
      await runAndCheck(db, p, 'up', 'heads');
      await runAndCheck(db, p, 'down', 'b'); // reverts m, c, d2 (depends on b stays), x branch
      await runAndCheck(db, p, 'down', 'base');
    });

    it('stamps across branches, merges and dependencies, each move as the graph says', async () => {
      const p = project();
      const config = await p.config(db.settings());
      const { map } = await loadProject(config);
      let heads: string[] = [];
      let recorded = 0;
      const sequence: readonly (readonly string[])[] = [
        ['c', 'x1'],
        ['x2'],
        ['m'],
        ['d1'],
        ['b'],
        ['heads'],
        ['feature@base'],
        ['base'],
      ];
      for (const targets of sequence) {
        const plan = planStamp(map, heads, targets);
        const expectedMoves: [string[], string[]][] = [];
        for (const step of plan) {
          const next = applyStep(map, heads, step);
          expectedMoves.push([[...heads].sort(), [...next].sort()]);
          heads = next;
        }
        await stamp(config, targets, db.options());
        expect(await versionRows(db)).toEqual([...heads].sort());
        const rows = (await historyRows(db)).slice(recorded);
        recorded += rows.length;
        expect(rows.map((row) => [[...row.from_heads].sort(), [...row.to_heads].sort()])).toEqual(
          expectedMoves,
        );
      }
      expect(await takeStepLog(db)).toEqual([]);
    });

    it('records every step in the history table with its checksum, duration and host', async () => {
      const p = project(GRAPH.slice(0, 2));
      const config = await p.config(db.settings());
      await upgrade(config, 'head', db.options());
      await downgrade(config, 'base', db.options());
      const rows = await historyRows(db);
      expect(rows.map((row) => [row.revision, row.direction, row.from_heads, row.to_heads])).toEqual([
        ['a', 'up', [], ['a']],
        ['b', 'up', ['a'], ['b']],
        ['b', 'down', ['b'], ['a']],
        ['a', 'down', ['a'], []],
      ]);
      for (const row of rows) {
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.error).toBeNull();
        expect(row.duration_ms).toBeGreaterThanOrEqual(0);
        expect(row.host_name).not.toBe('');
        expect(row.ambix_version).toMatch(/^\d+\.\d+\.\d+/);
        expect(row.db_user).not.toBe('');
      }
      expect(rows[0]?.checksum).toBe(rows[3]?.checksum);
    });

    it.runIf(isPostgres(db))('creates the version table as Alembic does, one row per head', async () => {
      const p = project();
      const config = await p.config(db.settings());
      await upgrade(config, 'c', db.options());
      await upgrade(config, 'x1', db.options());
      const columns = await db.query(
        `SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns
        WHERE table_name = 'ambix_version'`,
      );
      expect(columns).toEqual([
        {
          column_name: 'version_num',
          data_type: 'character varying',
          character_maximum_length: 255,
          is_nullable: 'NO',
        },
      ]);
      const constraints = await db.query(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'ambix_version'::regclass AND contype = 'p'",
      );
      expect(constraints).toEqual([{ conname: 'ambix_version_pkc' }]);
      expect(await versionRows(db)).toEqual(['c', 'x1']);
      const state = await current(config, db.options());
      expect(state.heads.map((head) => head.id)).toEqual(['c', 'x1']);
      expect(state.atHeads).toBe(false);
    });

    it("refuses 'head' when there are several heads, naming 'heads'", async () => {
      const p = project();
      const config = await p.config(db.settings());
      const failure = await upgrade(config, undefined, db.options()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AmbixError);
      expect((failure as AmbixError).code).toBe('MULTIPLE_HEADS');
      expect((failure as AmbixError).message).toContain("'heads'");
    });

    it('does nothing when the database is already at the target', async () => {
      const p = project(GRAPH.slice(0, 2));
      const config = await p.config(db.settings());
      await upgrade(config, 'head', db.options());
      const again = await upgrade(config, 'head', db.options());
      expect(again.steps).toEqual([]);
      expect(again.heads).toEqual(['b']);
      expect(await historyRows(db)).toHaveLength(2);
    });
  },
  ALL_DIALECTS,
);
