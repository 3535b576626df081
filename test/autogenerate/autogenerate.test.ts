/**
 * `revision --autogenerate` and `check` through the API, on PGlite and the PostgreSQL server: a schema module
 * declares the schema, autogenerate writes migrations, upgrade runs them, check agrees, downgrade undoes them.
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { autogenerateRevision } from '../../src/commands/autogenerate-revision.js';
import { check } from '../../src/commands/check.js';
import { downgrade } from '../../src/commands/downgrade.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { AmbixError } from '../../src/errors.js';
import { describeEachDatabase, type TestDb, testProject, versionRows } from '../runtime/support.js';

const SCHEMA_V1 = `
import { enumType, index, sql, table, text, timestamptz, uuid, varchar, integer, numeric, view } from 'ambix/schema';

export const status = enumType('user_status', ['active', 'disabled']);

export const users = table('users', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  email: varchar(255).notNull().unique(),
  name: text(),
  status: status().notNull().default('active'),
  created_at: timestamptz().notNull().defaultNow(),
}, (t) => [index().on(t.created_at)]);

export const orders = table('orders', {
  id: integer().identity(),
  user_id: uuid().notNull().references(() => users.columns.id, { onDelete: 'cascade' }),
  total: numeric(10, 2).notNull().default(0).check(sql\`total >= 0\`),
}, (t) => [index().on(t.user_id)]);

export const activeUsers = view('active_users', sql\`SELECT id, email FROM users WHERE status = 'active'\`);
`;

const SCHEMA_V2 = SCHEMA_V1.replace(
  '  name: text(),\n',
  "  full_name: text().renamedFrom('name'),\n  nickname: varchar(40),\n",
).replace("['active', 'disabled']", "['active', 'disabled', 'banned']");

async function failure(promise: Promise<unknown>): Promise<AmbixError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AmbixError);
  return error as AmbixError;
}

async function project(db: TestDb, schema: string) {
  const p = testProject();
  p.write('src/schema.ts', schema);
  const config = await p.config({ ...db.settings(), schema: './src/schema.ts' });
  return { p, config };
}

describeEachDatabase('autogenerate', import.meta.filename, (db) => {
  it('writes the initial migration, then one per change, each undone by its downgrade', async () => {
    const { p, config } = await project(db, SCHEMA_V1);
    const before = await check(config, db.options());
    expect(before.matches).toBe(false);

    const first = await autogenerateRevision({ config, message: 'initial schema', ...db.options() });
    expect(first.created).toBeDefined();
    const text = readFileSync(first.created!.path, 'utf8');
    expect(text).toContain("await op.createEnum('user_status', ['active', 'disabled']);");
    expect(text).toContain("await op.createTable('users', [");
    expect(text).toContain("import { sql } from 'ambix';");
    expect(first.differences.map((d) => `${d.sign} ${d.object} ${d.name}`)).toEqual(
      expect.arrayContaining([
        '+ enum public.user_status',
        '+ table public.users',
        '+ view public.active_users',
      ]),
    );

    await upgrade(config, 'head', db.options());
    expect((await check(config, db.options())).matches).toBe(true);

    // Nothing changed: no file.
    const none = await autogenerateRevision({ config, message: 'nothing', ...db.options() });
    expect(none.created).toBeUndefined();
    expect(none.differences).toEqual([]);

    p.write('src/schema.ts', SCHEMA_V2);
    const second = await autogenerateRevision({
      config,
      message: 'rename name, add nickname',
      ...db.options(),
    });
    const lines = second.differences.map(
      (d) => `${d.sign} ${d.object} ${d.name}${d.detail ? `: ${d.detail}` : ''}`,
    );
    expect(lines).toEqual([
      "~ enum public.user_status: add value 'banned'",
      '> column public.users.name: renamed to full_name',
      '+ column public.users.nickname',
    ]);
    await upgrade(config, 'head', db.options());
    expect((await check(config, db.options())).matches).toBe(true);
    const columns = await db.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position",
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id',
      'email',
      'full_name',
      'status',
      'created_at',
      'nickname',
    ]);

    await downgrade(config, '-1', db.options());
    expect(await versionRows(db)).toEqual([first.created!.revision.id]);
    p.write('src/schema.ts', SCHEMA_V1);
    const back = await check(config, db.options());
    // The enum lost 'banned' again: PostgreSQL cannot drop a value, so the downgrade recreated the type.
    expect(back.differences).toEqual([]);
  });

  it('adds an enum value and uses it in the same migration (the value is committed first)', async () => {
    const { p, config } = await project(db, SCHEMA_V1);
    await autogenerateRevision({ config, message: 'initial', ...db.options() });
    await upgrade(config, 'head', db.options());
    // PostgreSQL refuses a value added in the open transaction ("unsafe use of new value"): the generated
    // migration must add it in an autocommit block before anything uses it.
    p.write(
      'src/schema.ts',
      SCHEMA_V2.replace(
        "status().notNull().default('active')",
        "status().notNull().default('banned')",
      ).replace("WHERE status = 'active'", "WHERE status <> 'banned'"),
    );
    const second = await autogenerateRevision({ config, message: 'ban by default', ...db.options() });
    const text = readFileSync(second.created!.path, 'utf8');
    expect(text).toContain(
      "await op.autocommit(async () => {\n    await op.addEnumValue('user_status', 'banned', { after: 'disabled' });\n  });",
    );
    await upgrade(config, 'head', db.options());
    expect((await check(config, db.options())).matches).toBe(true);
    await downgrade(config, '-1', db.options());
    p.write('src/schema.ts', SCHEMA_V1);
    expect((await check(config, db.options())).differences).toEqual([]);
  });

  it('refuses to autogenerate on a database that is not at the heads', async () => {
    const { config } = await project(db, SCHEMA_V1);
    await autogenerateRevision({ config, message: 'one', ...db.options() });
    const error = await failure(autogenerateRevision({ config, message: 'two', ...db.options() }));
    expect(error.code).toBe('NOT_UP_TO_DATE');
    expect(error.message).toMatch(/^Target database is not up to date: it is at base/);
  });

  it('takes a Drizzle schema as it is', async () => {
    const { p, config } = await project(
      db,
      `import { pgTable, serial, text, timestamp, integer, index } from 'drizzle-orm/pg-core';
export const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
});
export const books = pgTable('books', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => authors.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('books_title_idx').on(t.title)]);
`,
    );
    // The schema module imports drizzle-orm: give the temporary project this repository's node_modules.
    symlinkSync(resolve(import.meta.dirname, '../../node_modules'), `${p.dir}/node_modules`);
    const first = await autogenerateRevision({ config, message: 'books', ...db.options() });
    expect(first.differences.map((d) => `${d.sign} ${d.object} ${d.name}`)).toEqual([
      '+ table public.authors',
      '+ table public.books',
    ]);
    expect(readFileSync(first.created!.path, 'utf8')).toContain("'books_author_id_authors_id_fk'");
    await upgrade(config, 'head', db.options());
    expect((await check(config, db.options())).differences).toEqual([]);
  });

  it('leaves excluded tables alone and lets compareType settle a type difference', async () => {
    const p = testProject();
    p.write(
      'src/schema.ts',
      "import { table, varchar, integer } from 'ambix/schema';\nexport const people = table('people', { id: integer().primaryKey(), name: varchar(80) });\n",
    );
    await db.exec(
      'CREATE TABLE people (id integer PRIMARY KEY, name text); CREATE TABLE legacy_log (line text);',
    );
    const plain = await p.config({ ...db.settings(), schema: './src/schema.ts' });
    expect(
      (await check(plain, db.options())).differences.map((d) => `${d.sign} ${d.object} ${d.name}`),
    ).toEqual(['- table public.legacy_log', '~ column public.people.name']);
    const tuned = await p.config({
      ...db.settings(),
      schema: './src/schema.ts',
      autogenerate: {
        exclude: ['legacy_*'],
        compareType: ({ database, declared }) =>
          database === 'text' && declared?.startsWith('character varying') ? false : undefined,
      },
    });
    expect((await check(tuned, db.options())).differences).toEqual([]);
  });

  it('writes the whole schema from nothing with fromEmpty, whatever the database holds', async () => {
    const { config } = await project(db, SCHEMA_V1);
    await autogenerateRevision({ config, message: 'initial', ...db.options() });
    await upgrade(config, 'head', db.options());
    const again = await autogenerateRevision({
      config,
      message: 'from empty',
      fromEmpty: true,
      ...db.options(),
    });
    expect(again.created).toBeDefined();
    expect(again.differences.filter((d) => d.sign === '+').map((d) => d.name)).toEqual(
      expect.arrayContaining(['public.users', 'public.orders', 'public.active_users']),
    );
  });

  it('compares the comments of enums, domains, sequences and functions', async () => {
    const commented = (word: string) => `
import { domain, enumType, fn, sequence, text } from 'ambix/schema';
export const mood = enumType('mood', ['ok', 'sad'], { comment: 'How it ${word}' });
export const email = domain('email', text(), { comment: 'An address ${word}' });
export const tickets = sequence('tickets', { comment: 'Numbers ${word}' });
export const answer = fn('answer', { returns: 'integer', language: 'sql', body: 'SELECT 42', comment: 'The answer ${word}' });
`;
    const { p, config } = await project(db, commented('goes'));
    await autogenerateRevision({ config, message: 'initial', ...db.options() });
    await upgrade(config, 'head', db.options());
    expect((await check(config, db.options())).differences).toEqual([]);
    const [row] = await db.query(
      "SELECT obj_description('public.tickets'::regclass, 'pg_class') AS c, obj_description('public.mood'::regtype, 'pg_type') AS t",
    );
    expect(row).toEqual({ c: 'Numbers goes', t: 'How it goes' });

    p.write('src/schema.ts', commented('went'));
    const changed = await autogenerateRevision({ config, message: 'comments', ...db.options() });
    expect(changed.differences.map((d) => `${d.sign} ${d.object} ${d.name}: ${d.detail}`)).toEqual([
      '~ enum public.mood: comment',
      '~ domain public.email: comment',
      '~ sequence public.tickets: comment',
      '~ function public.answer(): comment',
    ]);
    await upgrade(config, 'head', db.options());
    expect((await check(config, db.options())).differences).toEqual([]);
    await downgrade(config, '-1', db.options());
    p.write('src/schema.ts', commented('goes'));
    expect((await check(config, db.options())).differences).toEqual([]);
  });

  it('says what is wrong with a schema module', async () => {
    const { config } = await project(db, 'export const x = 1;\n');
    const error = await failure(check(config, db.options()));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.message).toBe('The schema module src/schema.ts exports no table or other declaration.');
  });
});
