import { AmbixError } from '../errors.js';

/** Imports a module by specifier. Injected so tests can simulate a driver that is not installed. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** The real thing: Node's dynamic `import()`, resolved from ambix's own location. */
export const importModule: ModuleImporter = (specifier) => import(specifier);

/** The drivers ambix can use; each is an optional peer dependency, loaded on first use. */
export const DRIVER_PACKAGES = Object.freeze({
  postgres: { specifier: 'pg', label: 'PostgreSQL driver', install: 'npm install pg' },
  pglite: {
    specifier: '@electric-sql/pglite',
    label: 'PGlite embedded database',
    install: 'npm install @electric-sql/pglite',
  },
  sqlite: { specifier: 'better-sqlite3', label: 'SQLite driver', install: 'npm install better-sqlite3' },
  mysql: { specifier: 'mysql2/promise', label: 'MySQL/MariaDB driver', install: 'npm install mysql2' },
});

export type DriverName = keyof typeof DRIVER_PACKAGES;

/** Loads a driver package, turning "not installed" into AmbixError DRIVER_MISSING with the command to run. */
export async function loadDriver(
  driver: DriverName,
  importer: ModuleImporter = importModule,
): Promise<unknown> {
  const { specifier, label, install } = DRIVER_PACKAGES[driver];
  try {
    return await importer(specifier);
  } catch (error) {
    if (!isModuleNotFound(error, specifier)) throw error;
    throw new AmbixError('DRIVER_MISSING', `The ${label} "${specifier}" is not installed.`, {
      hint: `Run '${install}' in your project (ambix lists it as an optional peer dependency).`,
      details: { driver, package: specifier, install },
      cause: error,
    });
  }
}

/**
 * Loads an optional module, resolving to undefined when it is not installed (or, for a subpath such as
 * `@electric-sql/pglite/vector`, not exported by the installed version). Other failures propagate.
 */
export async function loadOptional(specifier: string, importer: ModuleImporter): Promise<unknown> {
  try {
    return await importer(specifier);
  } catch (error) {
    if (isModuleNotFound(error, specifier)) return undefined;
    throw error;
  }
}

function isModuleNotFound(error: unknown, specifier: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // A subpath the installed version does not export (Node's code; Vite's resolver says so only in words).
  if (
    code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ||
    /is not exported under the conditions/.test(error.message)
  ) {
    return true;
  }
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the package itself (or, for `mysql2/promise`, its package): a module missing *inside* an installed driver
  // is a different problem.
  const names = [specifier, packageOf(specifier)];
  return names.some((name) => error.message.includes(`'${name}'`) || error.message.includes(`"${name}"`));
}

/** `mysql2` for `mysql2/promise`, `@scope/name` for `@scope/name/sub`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
