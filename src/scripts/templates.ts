import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AmbixError } from '../errors.js';

export interface ProjectTemplate {
  readonly name: string;
  /** One line, from the template's template.json. */
  readonly description: string;
}

export interface TemplateOptions {
  /** Folder holding one sub-folder per template. Default: the `templates/` folder shipped with ambix. */
  readonly templatesDir?: string;
}

const DESCRIPTOR = 'template.json';

/**
 * The templates shipped with ambix. This module sits in `src/scripts/` when run from source and in `dist/scripts/`
 * when built; both are two levels below the package root, which holds `templates/`.
 */
export function defaultTemplatesDir(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

/** The project templates for `ambix init -t NAME`, sorted by name. */
export async function listTemplates(options: TemplateOptions = {}): Promise<ProjectTemplate[]> {
  const root = options.templatesDir ?? defaultTemplatesDir();
  let entries: string[];
  try {
    entries = (await readdir(root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    throw new AmbixError('SCRIPT_IO', `Cannot read the templates folder ${root}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const templates: ProjectTemplate[] = [];
  for (const name of entries.sort()) {
    const description = await readDescription(join(root, name, DESCRIPTOR));
    if (description !== undefined) templates.push({ name, description });
  }
  return templates;
}

/**
 * Copies a project template into `targetDir` (created when missing) and returns the absolute paths of the files
 * written. Nothing is written when any target file already exists with other content: SCRIPT_EXISTS lists them
 * all. An existing empty file, or one that already has the template's content, is not a conflict.
 */
export async function copyTemplate(
  name: string,
  targetDir: string,
  options: TemplateOptions = {},
): Promise<string[]> {
  const root = options.templatesDir ?? defaultTemplatesDir();
  const available = await listTemplates(options);
  if (!available.some((template) => template.name === name)) {
    throw new AmbixError('TEMPLATE_NOT_FOUND', `There is no project template named '${name}'.`, {
      hint: `Available templates: ${available.map((template) => template.name).join(', ')}.`,
      details: { name, available: available.map((template) => template.name) },
    });
  }
  const source = join(root, name);
  const target = resolve(targetDir);
  const files = (await listFiles(source)).filter((file) => file !== DESCRIPTOR);

  const plan: { path: string; content: Buffer }[] = [];
  const conflicts: string[] = [];
  for (const file of files) {
    const content = await readFile(join(source, file));
    const path = join(target, file);
    const existing = await readExisting(path);
    if (existing === 'missing' || (existing !== 'blocked' && existing.length === 0))
      plan.push({ path, content });
    else if (existing === 'blocked' || !existing.equals(content)) conflicts.push(path);
  }
  if (conflicts.length > 0) {
    throw new AmbixError('SCRIPT_EXISTS', `Not overwriting existing files: ${conflicts.join(', ')}.`, {
      hint: 'Move them away or choose another folder; nothing was written.',
      details: { files: conflicts },
    });
  }
  for (const { path, content } of plan) {
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    } catch (error) {
      throw new AmbixError('SCRIPT_IO', `Cannot write ${path}: ${errorMessage(error)}`, { cause: error });
    }
  }
  return plan.map(({ path }) => path);
}

async function readDescription(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined; // a folder without template.json is not a template
  }
  try {
    const parsed: unknown = JSON.parse(text);
    const description = (parsed as { description?: unknown }).description;
    if (typeof description === 'string') return description;
  } catch {
    // reported below
  }
  throw new AmbixError('SCRIPT_IO', `${path} must be JSON with a "description" string.`, {
    details: { path },
  });
}

/** Relative paths of every file below `directory`, sorted. */
async function listFiles(directory: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(directory, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(directory, path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

async function readExisting(path: string): Promise<Buffer | 'missing' | 'blocked'> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'EISDIR' || code === 'ENOTDIR') return 'blocked';
    throw new AmbixError('SCRIPT_IO', `Cannot read ${path}: ${errorMessage(error)}`, { cause: error });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
