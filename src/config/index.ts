export type {
  AmbixConfig,
  AmbixConfigExport,
  AmbixSettings,
  AutogenerateSettings,
  CompareColumnContext,
  ConfigContext,
  PgliteSettings,
  SessionSettings,
} from './define-config.js';
export { defineConfig } from './define-config.js';
export { loadDotEnv } from './dotenv.js';
export { CONFIG_FILE_NAMES, findConfigFile } from './load-config.js';
export type { ResolveConfigOptions, ResolvedConfig } from './resolve-config.js';
export {
  DEFAULT_FILE_TEMPLATE,
  DEFAULT_HISTORY_TABLE,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_MIGRATIONS_FOLDER,
  DEFAULT_VERSION_TABLE,
  resolveConfig,
} from './resolve-config.js';
