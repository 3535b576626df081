import { describe, expect, it } from 'vitest';
import { type EditorSpy, tempProject, tsMigration } from '../helpers/temp-project.js';

const NOW = /\d{4}_\d{2}_\d{2}_\d{4}/;

describe('ambix init', () => {
  it('writes ambix.config.ts and the migrations folder, and never overwrites a changed file', async () => {
    const project = tempProject();
    const first = await project.run(['init']);
    expect(first.code).toBe(0);
    expect(project.list()).toEqual(['ambix.config.ts', 'migrations']);
    expect(project.read('ambix.config.ts')).toContain("import { defineConfig } from 'ambix'");
    expect((await project.run(['init'])).code).toBe(0);

    project.write('ambix.config.ts', 'export default { url: "mine" };\n');
    const again = await project.run(['init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/ambix\.config\.ts/);
    expect(project.read('ambix.config.ts')).toBe('export default { url: "mine" };\n');
  });

  it('writes the sql template into a named folder', async () => {
    const project = tempProject();
    const run = await project.run(['init', 'db', '-t', 'sql']);
    expect(run.code).toBe(0);
    expect(project.read('db/ambix.config.ts')).toContain("revisionFormat: 'sql'");
    const revision = await project.run(['revision', '-m', 'first', '-c', 'db/ambix.config.ts']);
    expect(revision.code).toBe(0);
    expect(revision.stdout.trim()).toMatch(/^db\/migrations\/.*_first\.sql$/);
  });

  it('names the available templates when the template is unknown', async () => {
    const project = tempProject();
    const run = await project.run(['init', '-t', 'nope']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('default');
    expect(run.stderr).toContain('sql');
  });

  it('lists the templates', async () => {
    const run = await tempProject().run(['list-templates']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^default\s+\S/m);
    expect(run.stdout).toMatch(/^sql\s+\S/m);
  });
});

describe('ambix revision and merge', () => {
  it('builds a chain on the head, creating ./migrations when there is no config', async () => {
    const project = tempProject();
    const first = await project.run(['revision', '-m', 'create users', '--rev-id', 'aaa001']);
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toMatch(/^migrations\/\d{4}_\d{2}_\d{2}_\d{4}-aaa001_create_users\.ts$/);
    const second = await project.run(['revision', '-m', 'add email', '--rev-id', 'aaa002']);
    expect(second.code).toBe(0);
    const written = project.read(second.stdout.trim());
    expect(written).toContain("export const revision = 'aaa002';");
    expect(written).toContain("export const downRevision = 'aaa001';");
    expect(written).toContain(' * Revises: aaa001');

    const heads = await project.run(['heads']);
    expect(heads.stdout).toBe('aaa002 (head)\n');
  });

  it('refuses to guess a parent when there are several heads, and merge joins them', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null));
    project.write('migrations/b.ts', tsMigration('bbb001', 'aaa001'));
    project.write('migrations/c.ts', tsMigration('ccc001', 'aaa001'));

    const blocked = await project.run(['revision', '-m', 'next']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('Multiple heads are present (bbb001, ccc001)');
    expect(blocked.stderr).toContain('ambix merge heads');
    expect(blocked.stderr).not.toMatch(/\n\s+at /);
    expect(project.list('migrations')).toEqual(['a.ts', 'b.ts', 'c.ts']);

    const merged = await project.run(['merge', 'heads', '-m', 'join', '--rev-id', 'mmm001']);
    expect(merged.code).toBe(0);
    expect(project.read(merged.stdout.trim())).toContain("export const downRevision = ['bbb001', 'ccc001'];");
    expect((await project.run(['heads'])).stdout).toBe('mmm001 (head)\n');
    expect((await project.run(['revision', '-m', 'after', '--rev-id', 'ddd001'])).code).toBe(0);
  });

  it('starts an independent labelled branch from base and adds to it with label@head', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null));
    const branch = await project.run([
      'revision',
      '-m',
      'audit',
      '--head',
      'base',
      '--branch-label',
      'audit',
      '--rev-id',
      'aud001',
    ]);
    expect(branch.code).toBe(0);
    expect(project.read(branch.stdout.trim())).toContain('export const downRevision = null;');
    const next = await project.run([
      'revision',
      '-m',
      'audit 2',
      '--head',
      'audit@head',
      '--rev-id',
      'aud002',
    ]);
    expect(next.code).toBe(0);
    expect(project.read(next.stdout.trim())).toContain("export const downRevision = 'aud001';");
    const heads = await project.run(['heads']);
    expect(heads.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'aaa001 (head)',
      'aud002 (audit) (head)',
    ]);
  });

  it('needs --splice to branch from a revision that is not a head', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null));
    project.write('migrations/b.ts', tsMigration('bbb001', 'aaa001'));
    const refused = await project.run(['revision', '-m', 'hotfix', '--head', 'aaa001']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('aaa001 is not a head');
    expect(refused.stderr).toContain('--splice');
    const spliced = await project.run([
      'revision',
      '-m',
      'hotfix',
      '--head',
      'aaa',
      '--splice',
      '--rev-id',
      'hot001',
    ]);
    expect(spliced.code).toBe(0);
    expect(project.read(spliced.stdout.trim())).toContain("export const downRevision = 'aaa001';");
  });

  it('writes full ids for dependency prefixes and keeps branch labels as labels', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null, { branchLabels: ['core'] }));
    project.write('migrations/b.ts', tsMigration('bbb001', null, { branchLabels: ['billing'] }));
    const run = await project.run([
      'revision',
      '-m',
      'needs both',
      '--head',
      'billing@head',
      '--depends-on',
      'core',
      '--depends-on',
      'bbb',
      '--rev-id',
      'ccc001',
    ]);
    expect(run.code).toBe(0);
    expect(project.read(run.stdout.trim())).toContain("export const dependsOn = ['core', 'bbb001'];");
  });

  it('writes nothing when the new revision would break the graph', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null, { branchLabels: ['core'] }));
    const label = await project.run(['revision', '-m', 'x', '--branch-label', 'core']);
    expect(label.code).toBe(1);
    expect(label.stderr).toContain('core');
    const id = await project.run(['revision', '-m', 'x', '--rev-id', 'aaa001']);
    expect(id.code).toBe(1);
    expect(id.stderr).toContain('aaa001');
    const badId = await project.run(['revision', '-m', 'x', '--rev-id', 'has-dash']);
    expect(badId.code).toBe(1);
    const unknown = await project.run(['revision', '-m', 'x', '--depends-on', 'zzz']);
    expect(unknown.code).toBe(1);
    expect(project.list('migrations')).toEqual(['a.ts']);
  });

  it('writes a SQL migration with --format sql', async () => {
    const project = tempProject();
    const run = await project.run(['revision', '-m', 'Add Users!', '--format', 'sql', '--rev-id', 'sql001']);
    expect(run.code).toBe(0);
    const text = project.read(run.stdout.trim());
    expect(text).toContain('-- ambix:revision sql001');
    expect(text).toContain('-- ambix:upgrade');
    expect(run.stdout.trim()).toMatch(/-sql001_add_users\.sql$/);
  });

  it('names files by the configured template in the configured time zone', async () => {
    const project = tempProject();
    project.write(
      'ambix.config.json',
      JSON.stringify({ fileTemplate: '{rev}_{slug}', truncateSlugLength: 14 }),
    );
    const run = await project.run(['revision', '-m', 'a rather long message', '--rev-id', 'abc123']);
    // Cut at the last word boundary within the limit, as Alembic does.
    expect(run.stdout.trim()).toBe('migrations/abc123_a_rather_long_.ts');
    expect(run.stdout).not.toMatch(NOW);
  });

  it('runs post-write hooks on the new file', async () => {
    const project = tempProject();
    project.write(
      'ambix.config.json',
      JSON.stringify({
        postWriteHooks: [
          {
            command: process.execPath,
            args: ['-e', "require('fs').appendFileSync(process.argv[1], '// hooked\\n')", '{file}'],
          },
        ],
      }),
    );
    const run = await project.run(['revision', '-m', 'hooked', '--rev-id', 'hook01']);
    expect(run.code).toBe(0);
    expect(project.read(run.stdout.trim())).toMatch(/\/\/ hooked\n$/);
  });

  it('writes next to the parent with several version locations, and needs --version-path for a new root', async () => {
    const project = tempProject();
    project.write('ambix.config.json', JSON.stringify({ migrations: ['./core', './reports'] }));
    project.write('reports/r.ts', tsMigration('rep001', null, { branchLabels: ['reports'] }));
    const child = await project.run(['revision', '-m', 'more reports', '--rev-id', 'rep002']);
    expect(child.code).toBe(0);
    expect(child.stdout).toMatch(/^reports\//);

    const root = await project.run(['revision', '-m', 'core', '--head', 'base', '--branch-label', 'core']);
    expect(root.code).toBe(2);
    expect(root.stderr).toContain('--version-path');
    const placed = await project.run([
      'revision',
      '-m',
      'core',
      '--head',
      'base',
      '--branch-label',
      'core',
      '--version-path',
      'core',
    ]);
    expect(placed.code).toBe(0);
    expect(placed.stdout).toMatch(/^core\//);
    const outside = await project.run([
      'revision',
      '-m',
      'x',
      '--head',
      'core@head',
      '--version-path',
      'elsewhere',
    ]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('not a configured version location');
  });

  it('refuses to merge a revision with its own descendant', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null));
    project.write('migrations/b.ts', tsMigration('bbb001', 'aaa001'));
    const run = await project.run(['merge', 'aaa001', 'bbb001', '-m', 'x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('descendant');
    const single = await project.run(['merge', 'heads', '-m', 'x']);
    expect(single.code).toBe(1);
    expect(single.stderr).toContain('Nothing to merge');
  });
});

describe('ambix heads, history, branches, show, graph', () => {
  function diamond() {
    const project = tempProject();
    project.write('migrations/1.ts', tsMigration('aaa001', null, { message: 'create users' }));
    project.write(
      'migrations/2.ts',
      tsMigration('bbb001', 'aaa001', { message: 'left', branchLabels: ['left'] }),
    );
    project.write(
      'migrations/3.ts',
      tsMigration('ccc001', 'aaa001', { message: 'right', dependsOn: ['bbb001'] }),
    );
    project.write('migrations/4.ts', tsMigration('ddd001', ['bbb001', 'ccc001'], { message: 'join' }));
    return project;
  }

  it('prints history newest first with Alembic markers', async () => {
    const run = await diamond().run(['history']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      'bbb001, ccc001 -> ddd001 (left) (head) (mergepoint), join',
      'aaa001 (bbb001) -> ccc001, right',
      'aaa001 -> bbb001 (left), left',
      '<base> -> aaa001 (branchpoint), create users',
    ]);
  });

  it('limits history to a range and rejects a range off one line of descent', async () => {
    const project = diamond();
    const range = await project.run(['history', '-r', 'aaa001:bbb001']);
    expect(range.stdout.split('\n').filter(Boolean)).toEqual([
      'aaa001 -> bbb001 (left), left',
      '<base> -> aaa001 (branchpoint), create users',
    ]);
    const crooked = await project.run(['history', '-r', 'ccc001:bbb001']);
    expect(crooked.code).toBe(1);
    expect(crooked.stderr).toContain('bbb001');
    const malformed = await project.run(['history', '-r', 'aaa001']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('start:end');
  });

  it('shows branch points with their branches', async () => {
    const run = await diamond().run(['branches']);
    expect(run.stdout).toBe(
      ['aaa001 (branchpoint)', '       -> bbb001 (left)', '       -> ccc001', ''].join('\n'),
    );
  });

  it('shows a revision in full, by prefix', async () => {
    const run = await diamond().run(['show', 'ccc']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Rev: ccc001\n');
    expect(run.stdout).toContain('Parent: aaa001\n');
    expect(run.stdout).toContain('Also depends on: bbb001\n');
    expect(run.stdout).toContain('Path: migrations/3.ts\n');
    expect(run.stdout).toContain('    right\n');
  });

  it('answers every read command in --json', async () => {
    const project = diamond();
    const heads = JSON.parse((await project.run(['heads', '--json'])).stdout);
    expect(heads.heads.map((head: { id: string }) => head.id)).toEqual(['ddd001']);
    const history = JSON.parse((await project.run(['--json', 'history'])).stdout);
    expect(history.revisions.map((r: { id: string }) => r.id)).toEqual([
      'ddd001',
      'ccc001',
      'bbb001',
      'aaa001',
    ]);
    expect(history.revisions[0]).toMatchObject({
      downRevisions: ['bbb001', 'ccc001'],
      isMergePoint: true,
      isHead: true,
      path: 'migrations/4.ts',
      message: 'join',
    });
    const branches = JSON.parse((await project.run(['branches', '--json'])).stdout);
    expect(branches.branchPoints[0].revision.id).toBe('aaa001');
    const show = JSON.parse((await project.run(['show', 'head', '--json'])).stdout);
    expect(show.revisions[0].id).toBe('ddd001');
    const graph = JSON.parse((await project.run(['graph', '--json'])).stdout);
    expect(graph.format).toBe('mermaid');
  });

  it('draws the graph as Mermaid and as dot', async () => {
    const project = diamond();
    const mermaid = (await project.run(['graph'])).stdout;
    expect(mermaid.startsWith('flowchart BT\n')).toBe(true);
    expect(mermaid).toContain('r1 -.-> r2');
    expect(mermaid).toContain('r0 --> r1');
    const dot = (await project.run(['graph', '--format', 'dot'])).stdout;
    expect(dot).toContain('"bbb001" -> "ccc001" [style=dashed];');
    expect(dot).toContain('"bbb001" -> "ddd001";');
    const bad = await project.run(['graph', '--format', 'svg']);
    expect(bad.code).toBe(2);
  });

  it('marks a head that another revision depends on as an effective head', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('aaa001', null));
    project.write('migrations/b.ts', tsMigration('bbb001', null, { dependsOn: ['aaa001'] }));
    expect((await project.run(['heads'])).stdout).toBe('aaa001 (effective head)\nbbb001 (head)\n');
    expect((await project.run(['heads', '--resolve-dependencies'])).stdout).toBe('bbb001 (head)\n');
  });

  it('opens the revision file in $EDITOR', async () => {
    const project = diamond();
    const editor: EditorSpy = { calls: [], status: 0 };
    const run = await project.run(['edit', 'head'], { env: { EDITOR: 'code --wait' }, editor });
    expect(run.code).toBe(0);
    expect(editor.calls).toEqual([{ command: 'code --wait', paths: [`${project.dir}/migrations/4.ts`] }]);
    const noEditor = await project.run(['edit', 'head']);
    expect(noEditor.code).toBe(1);
    expect(noEditor.stderr).toContain('EDITOR');
  });
});

describe('errors and exit codes', () => {
  it('exits 2 with usage for an unknown command, an unknown option and a missing argument', async () => {
    const project = tempProject();
    const unknown = await project.run(['hedas']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Did you mean 'heads'");
    expect((await project.run(['heads', '--nope'])).code).toBe(2);
    const missing = await project.run(['show']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('REV');
    expect((await project.run([])).code).toBe(2);
  });

  it('exits 1 with one or two lines for an unknown or ambiguous revision', async () => {
    const project = tempProject();
    project.write('migrations/a.ts', tsMigration('abc001', null));
    project.write('migrations/b.ts', tsMigration('abc002', 'abc001'));
    const unknown = await project.run(['show', 'fff']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    const ambiguous = await project.run(['show', 'abc']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('abc001');
    expect(ambiguous.stderr).toContain('abc002');
  });

  it('names the file and line of a header that is not a literal, with no stack trace', async () => {
    const project = tempProject();
    project.write(
      'migrations/bad.ts',
      'export const revision = makeId();\nexport const downRevision = null;\n',
    );
    const run = await project.run(['heads']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/migrations\/bad\.ts:1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const debug = await project.run(['heads', '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('names the file and the missing id of a dangling parent', async () => {
    const project = tempProject();
    project.write('migrations/orphan.ts', tsMigration('aaa001', 'gone01'));
    const run = await project.run(['history']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('gone01');
    expect(run.stderr).toContain('orphan.ts');
  });

  it('prints errors as JSON under --json', async () => {
    const project = tempProject();
    const run = await project.run(['show', 'nope', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr).error.code).toBe('UNKNOWN_REVISION');
  });

  it('prints help for ambix and for each command', async () => {
    const project = tempProject();
    const general = await project.run(['--help']);
    expect(general.code).toBe(0);
    for (const command of [
      'init',
      'revision',
      'merge',
      'heads',
      'branches',
      'history',
      'show',
      'edit',
      'graph',
    ]) {
      expect(general.stdout).toContain(`  ${command} `);
      const help = await project.run([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: ambix ${command}`);
    }
    expect((await project.run(['--version'])).stdout).toMatch(/^ambix \d+\.\d+\.\d+/);
  });
});

describe('configuration from the command line', () => {
  it('reads -n environments, -c config files and loads .env', async () => {
    const project = tempProject();
    project.write(
      'ambix.config.ts',
      "import { defineConfig } from 'ambix';\nexport default defineConfig({ migrations: './main', environments: { side: { migrations: './side' } } });\n",
    );
    project.write('side/a.ts', tsMigration('side01', null));
    project.write('main/a.ts', tsMigration('main01', null));
    expect((await project.run(['heads'])).stdout).toBe('main01 (head)\n');
    expect((await project.run(['-n', 'side', 'heads'])).stdout).toBe('side01 (head)\n');
    const unknown = await project.run(['heads', '-n', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('side');
  });
});
