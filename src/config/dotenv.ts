import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { AmbixError } from '../errors.js';

/**
 * Loads `.env` from `cwd` into `env` without overriding variables that are already set.
 * Returns the names it set. A missing file is not an error.
 */
export function loadDotEnv(cwd: string, env: Record<string, string | undefined> = process.env): string[] {
  const path = resolve(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AmbixError('CONFIG_INVALID', `Could not read ${path}: ${(error as Error).message}`);
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
