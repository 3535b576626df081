import { resolve } from 'node:path';
import { copyTemplate, listTemplates as listProjectTemplates } from '../scripts/templates.js';

export interface InitOptions {
  /** Project folder; default the working directory. */
  readonly directory?: string;
  /** Template name; default `default`. */
  readonly template?: string;
  readonly cwd?: string;
}

export interface InitResult {
  readonly directory: string;
  readonly template: string;
  /** Absolute paths of the files written. */
  readonly files: readonly string[];
}

/** Writes `ambix.config.ts` and a migrations folder from a project template. Never overwrites a file. */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const directory = resolve(options.cwd ?? process.cwd(), options.directory ?? '.');
  const template = options.template ?? 'default';
  const files = await copyTemplate(template, directory);
  return { directory, template, files };
}

export interface ListTemplatesResult {
  readonly templates: readonly { readonly name: string; readonly description: string }[];
}

/** The project templates `init` can use. */
export async function listTemplates(): Promise<ListTemplatesResult> {
  return { templates: await listProjectTemplates() };
}
