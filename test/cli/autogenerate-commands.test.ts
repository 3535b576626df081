import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/temp-project.js';

const SCHEMA = `import { index, sql, table, text, timestamptz, uuid } from 'ambix/schema';

export const users = table('users', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  email: text().notNull().unique(),
  name: text(),
  created_at: timestamptz().notNull().defaultNow(),
}, (t) => [index().on(t.created_at)]);
`;

function project() {
  const p = tempProject();
  p.write(
    'ambix.config.ts',
    "import { defineConfig } from 'ambix';\nexport default defineConfig({ schema: './src/schema.ts' });\n",
  );
  p.write('src/schema.ts', SCHEMA);
  return p;
}

describe('autogenerate from the CLI on the embedded database', () => {
  it('check fails on differences, revision --autogenerate writes the migration, check then passes', async () => {
    const p = project();
    const before = await p.run(['check']);
    expect(before.code).toBe(1);
    expect(before.stdout).toBe('+ table public.users\n');
    expect(before.stderr).toContain('The database differs from the schema (1 difference):');

    const written = await p.run(['revision', '--autogenerate', '-m', 'create users']);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^migrations\/\d{4}_\d\d_\d\d_\d{4}-[0-9a-f]{12}_create_users\.ts\n$/);
    expect(written.stderr).toMatch(/^ {2}\+ table public\.users$/m);
    const file = readFileSync(`${p.dir}/${written.stdout.trim()}`, 'utf8');
    expect(file).toContain("await op.createTable('users', [");
    expect(file).toContain("await op.dropTable('users');");

    expect((await p.run(['upgrade', 'head'])).code).toBe(0);
    const after = await p.run(['check']);
    expect(after).toMatchObject({ code: 0, stdout: '' });
    expect(after.stderr).toContain('The database matches the schema.');

    const none = await p.run(['revision', '--autogenerate', '-m', 'nothing']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('No changes: the database matches the schema, so no migration was written');
    expect(readdirSync(`${p.dir}/migrations`)).toHaveLength(1);
  }, 120_000);

  it('writes a rename with --rename, and warns about a likely rename without it', async () => {
    const p = project();
    await p.run(['revision', '--autogenerate', '-m', 'create users']);
    await p.run(['upgrade', 'head']);
    p.write('src/schema.ts', SCHEMA.replace('  name: text(),', '  full_name: text(),'));

    const guessed = await p.run([
      'revision',
      '--autogenerate',
      '-m',
      'drop and add',
      '--rev-id',
      'aaaaaaaaaaaa',
    ]);
    expect(guessed.code).toBe(0);
    expect(guessed.stderr).toContain(
      'Warning: column public.users.name is dropped and full_name added, losing its data; if it is a rename, run again with --rename users.name=full_name.',
    );
    expect(guessed.stderr).toContain('- column public.users.name (data is lost)');

    rmSync(
      `${p.dir}/migrations/${readdirSync(`${p.dir}/migrations`).find((f) => f.includes('aaaaaaaaaaaa'))}`,
    );
    const questions: string[] = [];
    const asked = await p.run(['revision', '--autogenerate', '-m', 'asked', '--rev-id', 'bbbbbbbbbbbb'], {
      ask: async (question) => {
        questions.push(question);
        return 'y';
      },
    });
    expect(questions).toEqual([
      'Is column public.users.name renamed to full_name (text)? Otherwise it is dropped and added, and its data lost. [y/N] ',
    ]);
    expect(asked.stderr).toContain('> column public.users.name: renamed to full_name');
    rmSync(
      `${p.dir}/migrations/${readdirSync(`${p.dir}/migrations`).find((f) => f.includes('bbbbbbbbbbbb'))}`,
    );
    const renamed = await p.run([
      'revision',
      '--autogenerate',
      '-m',
      'rename',
      '--rename',
      'users.name=full_name',
    ]);
    expect(renamed.code).toBe(0);
    expect(renamed.stderr).toContain('> column public.users.name: renamed to full_name');
    const file = readFileSync(`${p.dir}/${renamed.stdout.trim()}`, 'utf8');
    expect(file).toContain("await op.alterColumn('users', 'name', { newName: 'full_name' });");
    expect(file).toContain("await op.alterColumn('users', 'full_name', { newName: 'name' });");
  }, 120_000);

  it('says what to do without a schema setting, and refuses --rename without --autogenerate', async () => {
    const p = tempProject();
    const missing = await p.run(['check']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No schema is configured');
    const usage = await p.run(['revision', '-m', 'x', '--rename', 'a=b']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--rename goes with --autogenerate.');
  }, 60_000);
});

describe('schema pull from the CLI', () => {
  it('writes a schema module that check then finds equal to the database', async () => {
    const p = tempProject();
    p.write(
      'ambix.config.ts',
      "import { defineConfig } from 'ambix';\nexport default defineConfig({ schema: './src/schema.ts' });\n",
    );
    p.write('src/schema.ts', SCHEMA);
    await p.run(['revision', '--autogenerate', '-m', 'create users']);
    await p.run(['upgrade', 'head']);
    rmSync(`${p.dir}/src/schema.ts`);

    const pulled = await p.run(['schema', 'pull', '--out', 'src/schema.ts']);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toBe('src/schema.ts\n');
    expect(pulled.stderr).toContain('Read 1 table.');
    expect(readFileSync(`${p.dir}/src/schema.ts`, 'utf8')).toContain('export const users = table(');
    expect((await p.run(['check'])).code).toBe(0);

    const again = await p.run(['schema', 'pull', '--out', 'src/schema.ts']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('src/schema.ts already exists.');
    const printed = await p.run(['schema', 'pull']);
    expect(printed.stdout).toContain("from 'ambix/schema';");
    expect((await p.run(['schema', 'push'])).stderr).toContain("Unknown schema action 'push'");
  }, 120_000);
});

describe('adopting a database built by hand (examples/scoping-sessions/init.sql)', () => {
  it('pull, then --from-empty into a fresh database, reproduces the schema exactly', async () => {
    const p = tempProject();
    const config = (db: string) =>
      `import { defineConfig } from 'ambix';\nexport default defineConfig({ url: 'pglite:./${db}', pglite: { extensions: ['uuid-ossp'] }, schema: './src/schema.ts' });\n`;
    p.write('ambix.config.ts', config('live'));
    // The app's database, created from its init.sql as the app does it.
    const { PGlite } = await import('@electric-sql/pglite');
    const { uuid_ossp } = await import('@electric-sql/pglite/contrib/uuid_ossp');
    const live = await PGlite.create(`${p.dir}/live`, { extensions: { uuid_ossp } });
    await live.exec(
      readFileSync(new URL('../../examples/scoping-sessions/init.sql', import.meta.url), 'utf8'),
    );
    await live.close();

    expect((await p.run(['schema', 'pull', '--out', 'src/schema.ts'])).code).toBe(0);
    expect((await p.run(['check'])).code).toBe(0);
    const initial = await p.run(['revision', '--autogenerate', '--from-empty', '-m', 'initial schema']);
    expect(initial.code).toBe(0);
    expect((await p.run(['stamp', 'head'])).code).toBe(0);
    expect((await p.run(['check'])).code).toBe(0);

    p.write('ambix.config.ts', config('fresh'));
    expect((await p.run(['upgrade', 'head'])).code).toBe(0);
    const fresh = await p.run(['check']);
    expect({ code: fresh.code, differences: fresh.stdout }).toEqual({ code: 0, differences: '' });
  }, 180_000);
});
