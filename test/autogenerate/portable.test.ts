/**
 * Autogenerate on every database, with a schema every database can hold: the initial migration, a migration per
 * kind of change, each run and undone, and `check` agreeing with the database after each step. On SQLite and
 * MySQL the declared types are spelled as the database spells them (varchar, datetime, AUTO_INCREMENT…) and the
 * declared schema is built in a scratch database (in-memory SQLite, a temporary MySQL database) to compare it.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { autogenerateRevision } from '../../src/commands/autogenerate-revision.js';
import { check } from '../../src/commands/check.js';
import { downgrade } from '../../src/commands/downgrade.js';
import { schemaPull } from '../../src/commands/schema-pull.js';
import { upgrade } from '../../src/commands/upgrade.js';
import {
  ALL_DIALECTS,
  describeEachDatabase,
  type TestDb,
  testProject,
  versionRows,
} from '../runtime/support.js';

const SCHEMA_V1 = `
import { boolean, check, index, integer, numeric, serial, sql, table, text, timestamp, varchar } from 'ambix/schema';

export const authors = table('authors', {
  id: serial().primaryKey(),
  email: varchar(255).notNull().unique(),
  name: text(),
  active: boolean().notNull().default(true),
  created_at: timestamp().notNull().default(sql\`CURRENT_TIMESTAMP\`),
});

export const books = table('books', {
  id: integer().identity().primaryKey(),
  author_id: integer().notNull().references(() => authors.columns.id, { onDelete: 'cascade' }),
  title: varchar(200).notNull(),
  price: numeric(10, 2).notNull().default(0),
}, (t) => [index().on(t.title), check('books_price_positive', sql\`price >= 0\`)]);
`;

/** One change of every common kind. */
const SCHEMA_V2 = SCHEMA_V1.replace('  name: text(),\n', "  full_name: text().renamedFrom('name'),\n")
  .replace('title: varchar(200).notNull()', 'title: varchar(300).notNull()')
  .replace(
    'price: numeric(10, 2).notNull().default(0),',
    'price: numeric(10, 2).notNull().default(5),\n  isbn: varchar(20),',
  )
  .replace('(t) => [index().on(t.title),', '(t) => [index().on(t.isbn),')
  .concat(`
export const reviews = table('reviews', {
  id: integer().identity().primaryKey(),
  book_id: integer().notNull().references(() => books.columns.id),
  stars: integer().notNull(),
});
`);

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
  'autogenerate on every database',
  import.meta.filename,
  (db) => {
    const main = db.kind === 'sqlite' || db.kind === 'mysql' ? 'main' : 'public';

    it(
      'writes the initial migration and one per change; each runs, check agrees, and each downgrade undoes it',
      async () => {
        const { p, config } = await project(db, SCHEMA_V1);
        const first = await autogenerateRevision({ config, message: 'initial', ...db.options() });
        expect(lines(first.differences)).toEqual([`+ table ${main}.authors`, `+ table ${main}.books`]);
        const text = readFileSync(first.created!.path, 'utf8');
        // Objects of the default schema are written without one, on every database.
        expect(text).not.toMatch(/schema: '(main|public)'/);
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(
          (await autogenerateRevision({ config, message: 'nothing', ...db.options() })).created,
        ).toBeUndefined();

        // The declared constraints hold in the database.
        await db.exec("INSERT INTO authors (email) VALUES ('a@example.com')");
        const [author] = await db.query('SELECT id, active FROM authors');
        expect(Number(author!.id)).toBe(1);
        expect(Number(author!.active)).toBe(1);
        await db.exec(`INSERT INTO books (author_id, title) VALUES (${Number(author!.id)}, 'One')`);
        await expect(
          db.exec(`INSERT INTO books (author_id, title, price) VALUES (1, 'Two', -1)`),
        ).rejects.toThrow();

        p.write('src/schema.ts', SCHEMA_V2);
        const second = await autogenerateRevision({ config, message: 'changes', ...db.options() });
        expect(lines(second.differences)).toEqual(
          expect.arrayContaining([
            `+ table ${main}.reviews`,
            `> column ${main}.authors.name: renamed to full_name`,
            `+ column ${main}.books.isbn`,
            `+ index ${main}.books.books_isbn_idx`,
            `- index ${main}.books.books_title_idx`,
          ]),
        );
        expect(
          lines(second.differences).some((line) => line.startsWith(`~ column ${main}.books.title`)),
        ).toBe(true);
        expect(
          lines(second.differences).some((line) => line.startsWith(`~ column ${main}.books.price`)),
        ).toBe(true);
        // SQLite copies a table to change it: the changes to books are one batch (one copy) each way.
        const secondText = readFileSync(second.created!.path, 'utf8');
        if (db.kind === 'sqlite') {
          expect(secondText.match(/op\.batchAlterTable\('books'/g)).toHaveLength(2);
          expect(secondText).toContain('batch.addColumn(');
        } else expect(secondText).not.toContain('batchAlterTable');
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        // The rows survived the changes (on SQLite, a copy of each altered table).
        const [book] = await db.query('SELECT title, price FROM books');
        expect(book!.title).toBe('One');
        expect(Number(book!.price)).toBe(0);
        const [renamed] = await db.query('SELECT full_name, email FROM authors');
        expect(renamed!.email).toBe('a@example.com');

        await downgrade(config, '-1', db.options());
        expect(await versionRows(db)).toEqual([first.created!.revision.id]);
        p.write('src/schema.ts', SCHEMA_V1);
        expect((await check(config, db.options())).differences).toEqual([]);

        await downgrade(config, 'base', db.options());
        const fromEmpty = await check(config, db.options());
        expect(lines(fromEmpty.differences)).toEqual([`+ table ${main}.authors`, `+ table ${main}.books`]);
      },
      SLOW,
    );

    it(
      'drops a table and a column, naming the data they hold',
      async () => {
        const { p, config } = await project(db, SCHEMA_V2);
        await autogenerateRevision({ config, message: 'initial', ...db.options() });
        await upgrade(config, 'head', db.options());
        p.write(
          'src/schema.ts',
          SCHEMA_V2.replace(/\nexport const reviews[\s\S]*$/, '\n')
            .replace('  isbn: varchar(20),\n', '')
            .replace('index().on(t.isbn)', 'index().on(t.title)'),
        );
        const result = await check(config, db.options());
        expect(
          result.differences.filter((d) => d.destructive).map((d) => `${d.sign} ${d.object} ${d.name}`),
        ).toEqual([`- table ${main}.reviews`, `- column ${main}.books.isbn`]);
        const revision = await autogenerateRevision({ config, message: 'drop', ...db.options() });
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        await downgrade(config, '-1', db.options());
        p.write('src/schema.ts', SCHEMA_V2);
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(revision.created).toBeDefined();
      },
      SLOW,
    );

    it(
      'drops the only index of a foreign key column, which MySQL needs another index made for first',
      async () => {
        const plain = SCHEMA_V1.replace('(t) => [index().on(t.title),', '(t) => [');
        const { p, config } = await project(db, plain);
        await autogenerateRevision({ config, message: 'initial', ...db.options() });
        await upgrade(config, 'head', db.options());
        p.write(
          'src/schema.ts',
          plain.replace('(t) => [', "(t) => [index('books_author_title').on(t.author_id, t.title),"),
        );
        const added = await autogenerateRevision({ config, message: 'index', ...db.options() });
        expect(lines(added.differences)).toEqual([`+ index ${main}.books.books_author_title`]);
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        // InnoDB dropped the index it had made for the foreign key: the new one serves it, and cannot simply go.
        await downgrade(config, '-1', db.options());
        p.write('src/schema.ts', plain);
        expect((await check(config, db.options())).differences).toEqual([]);
      },
      SLOW,
    );

    it(
      'pulls a database into a schema module that builds the same schema from nothing',
      async () => {
        const { config } = await project(db, SCHEMA_V2);
        await autogenerateRevision({ config, message: 'initial', ...db.options() });
        await upgrade(config, 'head', db.options());
        const pulled = await schemaPull(config, { out: 'src/pulled.ts', ...db.options() });
        // Objects of the default schema are declared without one.
        expect(pulled.text).not.toContain("schema: 'main'");
        expect(pulled.text).not.toContain("schema: 'public'");
        const before = await check(config, db.options());
        expect(before.differences).toEqual([]);
        await downgrade(config, 'base', db.options());

        // Another project adopts the database with the pulled module: --from-empty builds it again.
        const adopted = testProject();
        adopted.write('src/schema.ts', pulled.text);
        const adoptedConfig = await adopted.config({ ...db.settings(), schema: './src/schema.ts' });
        const initial = await autogenerateRevision({
          config: adoptedConfig,
          message: 'from empty',
          fromEmpty: true,
          ...db.options(),
        });
        expect(lines(initial.differences)).toEqual([
          `+ table ${main}.authors`,
          `+ table ${main}.books`,
          `+ table ${main}.reviews`,
        ]);
        await upgrade(adoptedConfig, 'head', db.options());
        expect((await check(adoptedConfig, db.options())).differences).toEqual([]);
        // And the original declaration sees the same database it built.
        expect((await check(config, db.options())).differences).toEqual([]);
      },
      SLOW,
    );
  },
  ALL_DIALECTS,
);

const MYSQL_SCHEMA = `
import { index, integer, sql, table, text, timestamp, varchar } from 'ambix/schema';

export const pages = table('pages', {
  id: integer().identity().primaryKey(),
  slug: varchar(400).notNull(),
  body: text(),
  words: integer().generatedAs(sql\`char_length(body)\`, { virtual: true }),
  updated_at: timestamp().notNull().default(sql\`CURRENT_TIMESTAMP\`).onUpdate(sql\`CURRENT_TIMESTAMP\`),
}, { engine: 'Aria', extras: (t) => [index('pages_slug_prefix').on({ column: t.slug, length: 40 })] });
`;

describeEachDatabase(
  "autogenerate with MySQL's own column and table options",
  import.meta.filename,
  (db) => {
    it(
      'creates ON UPDATE, virtual and prefix-indexed columns in an Aria table, and sees no difference after',
      async () => {
        const { config } = await project(db, MYSQL_SCHEMA);
        const first = await autogenerateRevision({ config, message: 'pages', ...db.options() });
        const text = readFileSync(first.created!.path, 'utf8');
        expect(text).toContain("generatedKind: 'virtual'");
        expect(text).toContain("engine: 'Aria'");
        expect(text).toContain('length: 40');
        expect(text).toMatch(/onUpdate: sql`current_timestamp\(\)`/i);
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        await db.exec("INSERT INTO pages (slug, body) VALUES ('a', 'four')");
        const [page] = await db.query('SELECT words FROM pages');
        expect(Number(page!.words)).toBe(4);

        const pulled = await schemaPull(config, db.options());
        expect(pulled.text).toContain('{ virtual: true }');
        expect(pulled.text).toContain('.onUpdate(');
        expect(pulled.text).toContain("engine: 'Aria'");
        expect(pulled.text).toContain('length: 40');
        const adopted = testProject();
        adopted.write('src/schema.ts', pulled.text);
        const adoptedConfig = await adopted.config({ ...db.settings(), schema: './src/schema.ts' });
        expect((await check(adoptedConfig, db.options())).differences).toEqual([]);
      },
      SLOW,
    );
  },
  ['mysql'],
);

describeEachDatabase(
  'pulling and rebuilding triggers on SQLite and MySQL',
  import.meta.filename,
  (db) => {
    it(
      'declares a trigger as its SQL, and builds it again from nothing',
      async () => {
        const trigger =
          db.kind === 'sqlite'
            ? 'CREATE TRIGGER items_touch AFTER UPDATE ON items BEGIN UPDATE items SET n = n + 1 WHERE id = new.id AND new.n = old.n; END'
            : 'CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW SET new.n = old.n + 1';
        await db.exec('CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0)');
        await db.exec(trigger);
        const p = testProject();
        const config = await p.config(db.settings());
        const pulled = await schemaPull(config, db.options());
        expect(pulled.text).toContain("sqlObject(\n  'trigger',\n  'items_touch',");
        await db.exec('DROP TABLE items');

        const adopted = testProject();
        adopted.write('src/schema.ts', pulled.text);
        const adoptedConfig = await adopted.config({ ...db.settings(), schema: './src/schema.ts' });
        const initial = await autogenerateRevision({
          config: adoptedConfig,
          message: 'from empty',
          fromEmpty: true,
          ...db.options(),
        });
        expect(lines(initial.differences)).toEqual([
          '+ table main.items',
          '+ trigger main.items.items_touch',
        ]);
        await upgrade(adoptedConfig, 'head', db.options());
        const result = await check(adoptedConfig, db.options());
        expect(result.differences).toEqual([]);
        expect(result.notes).toEqual([]);
        await db.exec('INSERT INTO items (id) VALUES (1)');
        await db.exec('UPDATE items SET id = 1 WHERE id = 1');
        const [row] = await db.query('SELECT n FROM items');
        expect(Number(row!.n)).toBe(1);
      },
      SLOW,
    );
  },
  ['sqlite', 'mysql'],
);
