import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/temp-project.js';

/**
 * Command lines from the migration guides of projects that use Alembic (shared/seeds), with `alembic` replaced by
 * `ambix`: every one that needs no database. They run in order on one project, as a developer would type them.
 */
const SEED_LINES: readonly (readonly string[])[] = [
  ['revision', '-m', 'add user authentication table'],
  ['revision', '-m', 'Add new table'],
  ['revision', '-m', 'Custom data migration'],
  ['history'],
  ['history', '--verbose'],
  ['history', '-v'],
  ['heads'],
  ['show', 'head'],
  ['revision', '-m', 'Feature branch migration', '--branch-label', 'feature_branch'],
  ['revision', '-m', 'Modify XYZ table'],
];

describe('command lines from the seed guides', () => {
  it('all run with alembic replaced by ambix', async () => {
    const project = tempProject();
    for (const line of SEED_LINES) {
      const run = await project.run(line);
      expect({
        line: line.join(' '),
        code: run.code,
        stderr: run.stderr.includes('ambix:') ? run.stderr : '',
      }).toEqual({
        line: line.join(' '),
        code: 0,
        stderr: '',
      });
    }
    const history = await project.run(['history']);
    expect(history.stdout.split('\n').filter(Boolean)).toHaveLength(5);
    expect(history.stdout).toContain('(feature_branch) (head), Modify XYZ table');
  });

  it('merges two heads as `ambix merge -m "Merge feature branch" head1 head2`', async () => {
    const project = tempProject();
    await project.run(['revision', '-m', 'base', '--rev-id', 'base01']);
    await project.run(['revision', '-m', 'one', '--rev-id', 'head1']);
    await project.run(['revision', '-m', 'two', '--rev-id', 'head2', '--head', 'base01', '--splice']);
    const merge = await project.run(['merge', '-m', 'Merge feature branch', 'head1', 'head2']);
    expect(merge.code).toBe(0);
    expect((await project.run(['heads'])).stdout).toMatch(/^\w+ \(head\)\n$/);
    const show = await project.run(['show', 'head']);
    expect(show.stdout).toContain('Merges: head1, head2');
  });

  it("runs the guides' autogenerate workflow: change the schema, revision --autogenerate, upgrade, downgrade -1", async () => {
    const project = tempProject();
    project.write(
      'ambix.config.ts',
      "import { defineConfig } from 'ambix';\nexport default defineConfig({ schema: './models.ts' });\n",
    );
    const users = (
      extra: string,
    ) => `import { boolean, index, integer, table, text, uuid, sql, varchar } from 'ambix/schema';
export const users = table('users', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  email: varchar(255).notNull().unique(),
${extra}}, (t) => [${extra.includes('phone') ? 'index().on(t.email, t.phone)' : ''}]);
`;
    const roles =
      "export const roles = table('roles', { id: integer().identity().primaryKey(), name: text().notNull() });\n";
    const steps: [string, string][] = [
      [users('  email_verified: boolean().notNull().default(false),\n'), 'Add user authentication tables'],
      [users('  email_verified: boolean().notNull().default(false),\n') + roles, 'Add user roles table'],
      [
        users('  email_verified: boolean().notNull().default(false),\n  phone: text(),\n') + roles,
        'Add phone number to users',
      ],
      [users('  phone: text(),\n') + roles, 'Remove deprecated email_verified column'],
    ];
    for (const [schema, message] of steps) {
      project.write('models.ts', schema);
      const generated = await project.run(['revision', '--autogenerate', '-m', message]);
      expect({
        message,
        code: generated.code,
        error: generated.stderr.includes('ambix:') ? generated.stderr : '',
      }).toEqual({
        message,
        code: 0,
        error: '',
      });
      expect((await project.run(['upgrade', 'head'])).code).toBe(0);
    }
    expect((await project.run(['current'])).stdout).toContain(
      '(head), Remove deprecated email_verified column',
    );
    expect((await project.run(['check'])).code).toBe(0);
    const down = await project.run(['downgrade', '-1']);
    expect(down.code).toBe(0);
    const columns = await project.run(['check']);
    expect(columns.stdout).toBe('- column public.users.email_verified (data is lost)\n');
    expect((await project.run(['upgrade', 'head'])).code).toBe(0);
    expect((await project.run(['history'])).stdout.split('\n').filter(Boolean)).toHaveLength(4);
  }, 180_000);
});
