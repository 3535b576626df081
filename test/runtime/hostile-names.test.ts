import { expect, it } from 'vitest';
import { downgrade } from '../../src/commands/downgrade.js';
import { status } from '../../src/commands/status.js';
import { upgrade } from '../../src/commands/upgrade.js';
import {
  ALL_DIALECTS,
  describeEachDatabase,
  historyRows,
  quoteName,
  tableNames,
  testProject,
  versionRows,
} from './support.js';

/** Names that break out of every database's quoting: "…" (PostgreSQL, SQLite), `…` (MySQL) and '…' strings. */
const HOSTILE = 'a"`; DROP TABLE b; --';
const HOSTILE_VERSION = 'v"`; DROP TABLE b; --';
const HOSTILE_HISTORY = "h'`); DROP TABLE b; --";

describeEachDatabase(
  'hostile identifiers',
  import.meta.filename,
  (db) => {
    async function project() {
      const p = testProject();
      p.migration({
        id: 'x1',
        upgrade: `await op.createTable(${JSON.stringify(HOSTILE)}, [{ name: ${JSON.stringify(HOSTILE)}, type: 'text' }]);
  await op.bulkInsert(${JSON.stringify(HOSTILE)}, [{ ${JSON.stringify(HOSTILE)}: "'); DROP TABLE b; --" }]);`,
        downgrade: `await op.dropTable(${JSON.stringify(HOSTILE)});`,
      });
      return p.config({ ...db.settings(), versionTable: HOSTILE_VERSION, historyTable: HOSTILE_HISTORY });
    }

    it('treats a table, a column, a value and the version table named to inject SQL as plain names', async () => {
      await db.exec('CREATE TABLE b (id int); INSERT INTO b VALUES (1)');
      const config = await project();
      await upgrade(config, 'head', db.options());
      expect(await tableNames(db)).toEqual([HOSTILE, HOSTILE_VERSION, HOSTILE_HISTORY, 'b'].sort());
      expect(await versionRows(db, HOSTILE_VERSION)).toEqual(['x1']);
      expect((await historyRows(db, HOSTILE_HISTORY)).map((row) => row.revision)).toEqual(['x1']);
      const values = await db.query(`SELECT * FROM ${quoteName(db, HOSTILE)}`);
      expect(values).toEqual([{ [HOSTILE]: "'); DROP TABLE b; --" }]);
      expect((await status(config, db.options())).upToDate).toBe(true);

      await downgrade(config, 'base', db.options());
      expect(await tableNames(db)).toEqual([HOSTILE_VERSION, HOSTILE_HISTORY, 'b'].sort());
      expect(await versionRows(db, HOSTILE_VERSION)).toEqual([]);
      expect(await db.query('SELECT id FROM b')).toEqual([{ id: 1 }]);
    });

    it('writes them quoted in offline scripts too', async () => {
      await db.exec('CREATE TABLE b (id int)');
      const config = await project();
      const { script } = await upgrade(config, 'head', { sql: true });
      await db.execScript(script!);
      expect(await tableNames(db)).toEqual([HOSTILE, HOSTILE_VERSION, HOSTILE_HISTORY, 'b'].sort());
      expect(await versionRows(db, HOSTILE_VERSION)).toEqual(['x1']);
    });
  },
  ALL_DIALECTS,
);
