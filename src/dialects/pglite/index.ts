import { AmbixError } from '../../errors.js';
import type { Dialect } from '../dialect.js';
import { postgresIntrospector } from '../postgres/introspect.js';
import { postgresRenderer } from '../postgres/renderer.js';
import { postgresState } from '../postgres/state.js';
import { parseDatabaseUrl } from '../url.js';
import { pgliteAdapter } from './adapter.js';
import { connectPglite } from './driver.js';

export { createPgliteAdapter, PGLITE_CAPABILITIES, pgliteAdapter } from './adapter.js';
export type { PGliteLike } from './driver.js';
export {
  connectPglite,
  fromPGlite,
  loadPgliteExtensions,
  loadVectorExtension,
  PgliteConnection,
} from './driver.js';
export { lockFilePath } from './lock-file.js';

/** PGlite, PostgreSQL compiled to WebAssembly and embedded in the process: the PostgreSQL renderer, its own driver. */
export const pgliteDialect: Dialect = Object.freeze({
  name: 'pglite',
  renderer: postgresRenderer,
  adapter: pgliteAdapter,
  state: postgresState,
  defaultSchema: 'public',
  introspector: postgresIntrospector,
  /** Relative directories are resolved against `process.cwd()`; use `openConnection(url, { cwd })` for another. */
  connect: async (url: string) => {
    const parsed = parseDatabaseUrl(url);
    if (parsed.dialect !== 'pglite') {
      throw new AmbixError('BAD_URL', `${parsed.masked} is not a PGlite URL.`, {
        hint: 'Use pglite:<directory> or pglite:memory, or the postgres dialect for postgres:// URLs.',
      });
    }
    return connectPglite(parsed.dataDir);
  },
});
