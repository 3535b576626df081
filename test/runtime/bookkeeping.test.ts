import { describe, expect, it } from 'vitest';
import { downgrade } from '../../src/commands/downgrade.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { postgresDialect } from '../../src/dialects/postgres/index.js';
import { applyChange } from '../../src/graph/heads.js';
import { HISTORY_ROWS_PER_INSERT, historyInsert, versionTableTransition } from '../../src/runtime/tables.js';
import { ALL_DIALECTS, describeEachDatabase, historyRows, testProject, versionRows } from './support.js';

describe('versionTableTransition', () => {
  const cases: [string[], string[]][] = [
    [[], []],
    [[], ['a']],
    [['a'], []],
    [['a'], ['b']],
    [['a', 'b'], ['m']],
    [['m'], ['a', 'b']],
    [
      ['a', 'b', 'c'],
      ['b', 'd'],
    ],
    [
      ['a', 'x'],
      ['a', 'x'],
    ],
    [
      ['a', 'b'],
      ['c', 'd', 'e'],
    ],
  ];
  it.each(cases)('takes %j to %j in the fewest one-row statements', (from, to) => {
    const changes = versionTableTransition(from, to);
    let rows: readonly string[] = from;
    for (const change of changes) rows = applyChange(rows, change);
    expect([...rows].sort()).toEqual([...to].sort());
    const moved = new Set([...from, ...to].filter((id) => !(from.includes(id) && to.includes(id))));
    const removed = from.filter((id) => !to.includes(id)).length;
    const added = to.filter((id) => !from.includes(id)).length;
    expect(changes).toHaveLength(Math.max(removed, added));
    expect(moved.size).toBe(removed + added);
  });
});

describe('historyInsert', () => {
  const tables = { schema: undefined, version: 'ambix_version', history: 'ambix_history' };
  const entry = {
    revision: 'a',
    direction: 'up' as const,
    fromHeads: [],
    toHeads: ['a'],
    checksum: null,
    hostName: null,
    ambixVersion: '0.0.0',
    error: null,
  };
  it('refuses an empty batch and one over the limit', () => {
    expect(() => historyInsert(postgresDialect, tables, [])).toThrow(RangeError);
    const many = Array.from({ length: HISTORY_ROWS_PER_INSERT + 1 }, () => entry);
    expect(() => historyInsert(postgresDialect, tables, many)).toThrow(RangeError);
  });
});

describeEachDatabase(
  'bookkeeping of a long run',
  import.meta.filename,
  (db) => {
    it('records every step of a run longer than one history INSERT, in order', async () => {
      const p = testProject();
      const count = HISTORY_ROWS_PER_INSERT + 7;
      const id = (i: number) => `r${String(i).padStart(4, '0')}`;
      for (let i = 1; i <= count; i++) {
        p.write(
          `migrations/${id(i)}.sql`,
          [
            `-- ambix:revision ${id(i)}`,
            `-- ambix:down-revision ${i === 1 ? 'none' : id(i - 1)}`,
            '-- ambix:upgrade',
            'SELECT 1;',
            '-- ambix:downgrade',
            'SELECT 1;',
            '',
          ].join('\n'),
        );
      }
      const config = await p.config(db.settings());
      const result = await upgrade(config, 'head', db.options());
      expect(result.steps).toHaveLength(count);
      expect(await versionRows(db)).toEqual([id(count)]);
      const rows = await historyRows(db);
      expect(rows.map((row) => row.revision)).toEqual(Array.from({ length: count }, (_, i) => id(i + 1)));
      expect(rows.every((row, i) => row.from_heads.join() === (i === 0 ? '' : id(i)))).toBe(true);
      expect(rows.every((row) => row.checksum !== null && row.duration_ms !== null)).toBe(true);

      await downgrade(config, `${id(3)}`, db.options());
      expect(await versionRows(db)).toEqual([id(3)]);
      expect((await historyRows(db)).length).toBe(count + count - 3);
    });
  },
  ALL_DIALECTS,
);
