import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** ambix's own version (recorded with every history row). */
export function ambixVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
