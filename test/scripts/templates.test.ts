import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyTemplate, listTemplates } from '../../src/scripts/templates.js';

let target: string;

beforeEach(async () => {
  target = await mkdtemp(join(tmpdir(), 'ambix-init-'));
});

afterEach(async () => {
  await rm(target, { recursive: true, force: true });
});

describe('listTemplates', () => {
  it('lists the shipped templates with their descriptions, sorted by name', async () => {
    const templates = await listTemplates();
    expect(templates.map((template) => template.name)).toEqual(['default', 'sql']);
    for (const template of templates) expect(template.description).toMatch(/^\S.*\S$/);
  });

  it('lists only folders that have a template.json', async () => {
    await mkdir(join(target, 'one'));
    await writeFile(join(target, 'one/template.json'), '{ "description": "the one" }');
    await mkdir(join(target, 'not-a-template'));
    expect(await listTemplates({ templatesDir: target })).toEqual([{ name: 'one', description: 'the one' }]);
  });
});

describe('copyTemplate', () => {
  it('writes the default template: a config and a migrations folder, without template.json', async () => {
    const files = await copyTemplate('default', target);
    expect(files).toEqual([join(target, 'ambix.config.ts'), join(target, 'migrations/README.md')]);
    const config = await readFile(join(target, 'ambix.config.ts'), 'utf8');
    expect(config).toContain("import { defineConfig } from 'ambix';");
    expect(config).toContain("migrations: './migrations'");
  });

  it('writes the sql template with revisionFormat sql', async () => {
    await copyTemplate('sql', target);
    expect(await readFile(join(target, 'ambix.config.ts'), 'utf8')).toContain("revisionFormat: 'sql'");
  });

  it('creates a target folder that does not exist yet', async () => {
    const files = await copyTemplate('default', join(target, 'new/project'));
    expect(files).toContain(join(target, 'new/project/ambix.config.ts'));
  });

  it('refuses to overwrite a file with other content, and writes nothing', async () => {
    await writeFile(join(target, 'ambix.config.ts'), 'export default {};\n');
    await expect(copyTemplate('default', target)).rejects.toMatchObject({
      code: 'SCRIPT_EXISTS',
      details: { files: [join(target, 'ambix.config.ts')] },
    });
    await expect(readFile(join(target, 'migrations/README.md'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(target, 'ambix.config.ts'), 'utf8')).toBe('export default {};\n');
  });

  it('fills an existing empty file and leaves a file with the same content alone', async () => {
    await writeFile(join(target, 'ambix.config.ts'), '');
    const first = await copyTemplate('default', target);
    expect(first).toContain(join(target, 'ambix.config.ts'));
    expect(await copyTemplate('default', target)).toEqual([]);
  });

  it('refuses when a folder stands where a file goes', async () => {
    await mkdir(join(target, 'ambix.config.ts'));
    await expect(copyTemplate('default', target)).rejects.toMatchObject({ code: 'SCRIPT_EXISTS' });
  });

  it('rejects an unknown template, listing the available ones', async () => {
    await expect(copyTemplate('../default', target)).rejects.toMatchObject({
      code: 'TEMPLATE_NOT_FOUND',
      hint: 'Available templates: default, sql.',
    });
  });
});
