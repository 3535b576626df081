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
});
