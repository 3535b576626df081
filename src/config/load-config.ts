import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AmbixError } from '../errors.js';
import type { AmbixConfig, AmbixConfigExport, AmbixSettings, ConfigContext } from './define-config.js';
import { validateConfig } from './validate.js';

/** Config file names looked for in the working directory, in this order. */
export const CONFIG_FILE_NAMES = [
  'ambix.config.ts',
  'ambix.config.mts',
  'ambix.config.js',
  'ambix.config.mjs',
  'ambix.config.json',
] as const;

export function findConfigFile(cwd: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = resolve(cwd, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Reads a config file into the object it exports (a config function is called with `context`). */
export async function readConfigFile(path: string, context: ConfigContext): Promise<AmbixConfig> {
  let exported: unknown;
  try {
    exported = await importConfigModule(path);
  } catch (error) {
    throw new AmbixError('CONFIG_INVALID', `Could not load ${path}: ${firstLine(error)}`, {
      hint: 'Fix the error in the config file (run with --debug for the stack trace).',
      cause: error,
      details: { path },
    });
  }
  const value =
    typeof exported === 'function' ? await (exported as (c: ConfigContext) => unknown)(context) : exported;
  return validateConfig(value, path);
}

async function importConfigModule(path: string): Promise<unknown> {
  const extension = extname(path);
  if (extension === '.json') return JSON.parse(readFileSync(path, 'utf8'));
  if (extension === '.js' || extension === '.mjs') {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return module.default ?? module;
  }
  return importTypeScript(path);
}

/**
 * Loads a TypeScript module without a build step. `import … from 'ambix'` (or `'ambix/schema'`) inside it receives
 * this very instance of ambix (not a second copy, and even where ambix is not installed in the project's
 * node_modules). `fresh` evaluates the file again even if this process imported it before.
 */
export async function importTypeScript(
  path: string,
  options: { readonly fresh?: boolean } = {},
): Promise<unknown> {
  const jiti = await typeScriptLoader(options.fresh === true);
  return jiti.import(path, { default: true });
}

/**
 * Evaluates TypeScript `source` as the module at `path` (its imports resolve from there), always afresh: the code
 * that runs is exactly this text, whatever the file holds by now.
 */
export async function evaluateTypeScript(path: string, source: string): Promise<unknown> {
  const jiti = await typeScriptLoader(true);
  return await jiti.evalModule(source, { filename: path, id: path, ext: extname(path), async: true });
}

type Jiti = ReturnType<typeof import('jiti').createJiti>;
type JitiTransformOptions = Parameters<Jiti['transform']>[0];

type Sucrase = typeof import('sucrase');
let sucraseModule: Sucrase | null | undefined;

/** Sucrase, loaded on first use (a warm transform cache never needs it); null when it is not installed. */
function loadSucrase(): Sucrase | undefined {
  if (sucraseModule === undefined) {
    try {
      sucraseModule = createRequire(import.meta.url)('sucrase') as Sucrase;
    } catch {
      sucraseModule = null;
    }
  }
  return sucraseModule ?? undefined;
}

/**
 * Whether Sucrase's TypeScript-to-CommonJS transform fits the module: not for `import.meta` or a top-level
 * `await` (a statement at the start of a line that awaits), which need jiti's own transform.
 */
function sucraseCanTransform(source: string): boolean {
  return (
    !source.includes('import.meta') &&
    !/^(?:export\s+)?(?:(?:const|let|var)\s[^=\n]*=\s*)?await\b/m.test(source)
  );
}
/** One loader per mode for the whole process: creating one costs more than importing a small file. */
const loaders = new Map<boolean, Promise<Jiti>>();

function typeScriptLoader(fresh: boolean): Promise<Jiti> {
  let loader = loaders.get(fresh);
  if (loader === undefined) {
    loader = Promise.all([import('jiti'), import('../index.js'), import('../schema/index.js')]).then(
      ([{ createJiti }, self, schema]) => {
        // jiti's own transform (Babel) handles everything; Sucrase does the common case ten times faster, which
        // matters for a large schema module or hundreds of migrations on a machine with no transform cache (CI).
        let babel: Jiti | undefined;
        const transform = (options: JitiTransformOptions): { code: string } => {
          const sucrase =
            options.ts === true && sucraseCanTransform(options.source) ? loadSucrase() : undefined;
          if (sucrase !== undefined) {
            try {
              const result = sucrase.transform(options.source, {
                transforms: ['typescript', 'imports'],
                ...(options.filename === undefined ? {} : { filePath: options.filename }),
                keepUnusedImports: false,
                preserveDynamicImport: false,
              });
              return { code: result.code };
            } catch {
              // Syntax Sucrase does not know: Babel says what is wrong, or handles it.
            }
          }
          babel ??= createJiti(import.meta.url);
          return { code: babel.transform(options) };
        };
        return createJiti(import.meta.url, {
          virtualModules: { ambix: self, 'ambix/schema': schema },
          interopDefault: true,
          // `fresh`: evaluate the file as it is now, not as an earlier import in this process saw it.
          moduleCache: !fresh,
          transform,
        });
      },
    );
    loaders.set(fresh, loader);
  }
  return loader;
}

/** Lays a named environment's settings over the top-level ones. */
export function selectEnvironment(
  config: AmbixConfig,
  name: string | undefined,
  path: string | undefined,
): AmbixSettings {
  const { environments, ...topLevel } = config;
  if (name === undefined) return topLevel;
  const environment = environments?.[name];
  if (environment === undefined) {
    const known = Object.keys(environments ?? {});
    throw new AmbixError(
      'ENVIRONMENT_NOT_FOUND',
      `No environment named '${name}' in ${path ?? 'the configuration'}.`,
      {
        hint:
          known.length > 0
            ? `Known environments: ${known.join(', ')}.`
            : "Declare it under 'environments' in ambix.config.ts.",
        details: { name, known },
      },
    );
  }
  return { ...topLevel, ...environment };
}

export function resolvePath(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

export type { AmbixConfigExport };
