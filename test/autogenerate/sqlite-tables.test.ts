/**
 * Autogenerate with SQLite's table options and generated column kinds: STRICT and WITHOUT ROWID tables declared
 * in the schema module, VIRTUAL and STORED generated columns, created by the initial migration, kept by the
 * rebuild a later change needs, seen by `check` as the database has them, and pulled back into a module.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { autogenerateRevision } from '../../src/commands/autogenerate-revision.js';
import { check } from '../../src/commands/check.js';
import { downgrade } from '../../src/commands/downgrade.js';
import { schemaPull } from '../../src/commands/schema-pull.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { describeEachDatabase, type TestDb, testProject } from '../runtime/support.js';

const SCHEMA_V1 = `
import { column, integer, primaryKey, real, sql, table, text } from 'ambix/schema';

export const readings = table('readings', {
  sensor: text().notNull(),
  // A WITHOUT ROWID table's key columns are NOT NULL, declared so or not.
  taken_at: integer(),
  celsius: real(),
  fahrenheit: real().generatedAs(sql\`celsius * 9 / 5 + 32\`, { virtual: true }),
  payload: column('any'),
}, { strict: true, withoutRowid: true, extras: (t) => [primaryKey(t.sensor, t.taken_at)] });

export const notes = table('notes', {
  id: integer().primaryKey(),
  body: text().notNull(),
  size: integer().generatedAs(sql\`length(body)\`),
}, { strict: true });
`;

/** A change that rebuilds readings (a column made NOT NULL), and a VIRTUAL column added to notes. */
const SCHEMA_V2 = SCHEMA_V1.replace('  celsius: real(),', '  celsius: real().notNull().default(0),').replace(
  '  size: integer().generatedAs(sql`length(body)`),',
  '  size: integer().generatedAs(sql`length(body)`),\n  shout: text().generatedAs(sql`upper(body)`, { virtual: true }),',
);

const SLOW = 120_000;

async function project(db: TestDb, schema: string) {
  const p = testProject();
  p.write('src/schema.ts', schema);
  const config = await p.config({ ...db.settings(), schema: './src/schema.ts' });
  return { p, config };
}

function lines(differences: readonly { sign: string; object: string; name: string; detail?: string }[]) {
  return differences.map((d) => `${d.sign} ${d.object} ${d.name}${d.detail ? `: ${d.detail}` : ''}`);
}

describeEachDatabase(
  "autogenerate with SQLite's STRICT, WITHOUT ROWID and VIRTUAL",
  import.meta.filename,
  (db) => {
    const tableOptions = async (name: string) =>
      db.query(`SELECT strict, wr FROM pragma_table_list WHERE name = '${name}'`);
    const generatedKinds = async (table: string) =>
      db.query(`SELECT name, hidden FROM pragma_table_xinfo('${table}') WHERE hidden > 0 ORDER BY cid`);

    it(
      'creates the tables as declared, keeps them through a rebuild, and check agrees at every step',
      async () => {
        const { p, config } = await project(db, SCHEMA_V1);
        const first = await autogenerateRevision({ config, message: 'initial', ...db.options() });
        expect(lines(first.differences)).toEqual(['+ table main.notes', '+ table main.readings']);
        const text = readFileSync(first.created!.path, 'utf8');
        expect(text).toContain('strict: true');
        expect(text).toContain('withoutRowid: true');
        expect(text).toContain("generatedKind: 'virtual'");
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(await tableOptions('readings')).toEqual([{ strict: 1, wr: 1 }]);
        expect(await tableOptions('notes')).toEqual([{ strict: 1, wr: 0 }]);
        expect(await generatedKinds('readings')).toEqual([{ name: 'fahrenheit', hidden: 2 }]);
        expect(await generatedKinds('notes')).toEqual([{ name: 'size', hidden: 3 }]);

        await db.exec("INSERT INTO readings (sensor, taken_at, celsius) VALUES ('a', 1, 100)");
        await db.exec("INSERT INTO notes (id, body) VALUES (1, 'hello')");
        await expect(
          db.exec("INSERT INTO readings (sensor, taken_at, celsius) VALUES ('a', 2, 'hot')"),
        ).rejects.toThrow(/cannot store TEXT value in REAL column/);

        p.write('src/schema.ts', SCHEMA_V2);
        const second = await autogenerateRevision({ config, message: 'changes', ...db.options() });
        expect(lines(second.differences)).toEqual(
          expect.arrayContaining([
            '+ column main.notes.shout',
            expect.stringMatching(/^~ column main\.readings\.celsius/),
          ]),
        );
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        // The rebuild of readings kept STRICT, WITHOUT ROWID and its VIRTUAL column; notes took a VIRTUAL one.
        expect(await tableOptions('readings')).toEqual([{ strict: 1, wr: 1 }]);
        const [schemaRow] = await db.query("SELECT sql FROM sqlite_schema WHERE name = 'readings'");
        expect(String(schemaRow!.sql)).toMatch(/GENERATED ALWAYS AS \(celsius \* 9 \/ 5 \+ 32\) VIRTUAL/);
        expect(String(schemaRow!.sql)).toMatch(/\) STRICT, WITHOUT ROWID$/);
        // Rebuilt (SQLite's ALTER TABLE cannot make a column NOT NULL): the copy's statement, renamed.
        expect(String(schemaRow!.sql)).toContain('CREATE TABLE "readings" (');
        expect(String(schemaRow!.sql)).toContain('"celsius" REAL DEFAULT 0 NOT NULL');
        expect(await generatedKinds('readings')).toEqual([{ name: 'fahrenheit', hidden: 2 }]);
        expect(await generatedKinds('notes')).toEqual([
          { name: 'size', hidden: 3 },
          { name: 'shout', hidden: 2 },
        ]);
        const [reading] = await db.query('SELECT fahrenheit FROM readings');
        expect(Number(reading!.fahrenheit)).toBe(212);
        const [note] = await db.query('SELECT size, shout FROM notes');
        expect(note).toEqual({ size: 5, shout: 'HELLO' });

        await downgrade(config, '-1', db.options());
        p.write('src/schema.ts', SCHEMA_V1);
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(await tableOptions('readings')).toEqual([{ strict: 1, wr: 1 }]);
        expect(await generatedKinds('notes')).toEqual([{ name: 'size', hidden: 3 }]);
      },
      SLOW,
    );

    it(
      'reports a change of STRICT or WITHOUT ROWID with a note, and writes nothing for it',
      async () => {
        const { p, config } = await project(db, SCHEMA_V1);
        await autogenerateRevision({ config, message: 'initial', ...db.options() });
        await upgrade(config, 'head', db.options());
        p.write('src/schema.ts', SCHEMA_V1.replace('}, { strict: true });', '});'));
        const result = await check(config, db.options());
        expect(lines(result.differences)).toEqual(['~ table main.notes: STRICT or WITHOUT ROWID']);
        expect(result.notes).toEqual([
          expect.stringContaining('Table main.notes changes STRICT or WITHOUT ROWID'),
        ]);
        const revision = await autogenerateRevision({ config, message: 'strict', ...db.options() });
        // No operation to write: no migration.
        expect(revision.created).toBeUndefined();
      },
      SLOW,
    );

    it(
      'pulls the tables into a module that declares the same options and builds them again',
      async () => {
        const { config } = await project(db, SCHEMA_V1);
        await autogenerateRevision({ config, message: 'initial', ...db.options() });
        await upgrade(config, 'head', db.options());
        const pulled = await schemaPull(config, db.options());
        expect(pulled.text).toContain('strict: true');
        expect(pulled.text).toContain('withoutRowid: true');
        expect(pulled.text).toContain('{ virtual: true }');
        const adopted = testProject();
        adopted.write('src/schema.ts', pulled.text);
        const adoptedConfig = await adopted.config({ ...db.settings(), schema: './src/schema.ts' });
        expect((await check(adoptedConfig, db.options())).differences).toEqual([]);
        await downgrade(config, 'base', db.options());
        const initial = await autogenerateRevision({
          config: adoptedConfig,
          message: 'from empty',
          fromEmpty: true,
          ...db.options(),
        });
        expect(lines(initial.differences)).toEqual(['+ table main.notes', '+ table main.readings']);
        await upgrade(adoptedConfig, 'head', db.options());
        expect((await check(adoptedConfig, db.options())).differences).toEqual([]);
        expect(await tableOptions('readings')).toEqual([{ strict: 1, wr: 1 }]);
        expect(await generatedKinds('readings')).toEqual([{ name: 'fahrenheit', hidden: 2 }]);
      },
      SLOW,
    );
  },
  ['sqlite'],
);
