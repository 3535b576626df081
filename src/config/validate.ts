import { AmbixError } from '../errors.js';
import type { AmbixConfig, AmbixSettings } from './define-config.js';

type Check = (value: unknown) => string | undefined;

const isString: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const isPositiveInteger: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? undefined : 'a positive integer';
const isStringOrList: Check = (v) =>
  typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string'))
    ? undefined
    : 'a folder path or a non-empty list of folder paths';
const isMilliseconds: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0
    ? undefined
    : 'a whole number of milliseconds (>= 0)';
const isSqlName: Check = (v) =>
  typeof v === 'string' && v !== '' && !v.includes('\0') && Buffer.byteLength(v, 'utf8') <= 63
    ? undefined
    : 'a table or schema name (not empty, at most 63 bytes)';
const isSession: Check = (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return 'an object such as { lockTimeout: 5000, statementTimeout: 0 }';
  }
  for (const [key, value] of Object.entries(v)) {
    if (key !== 'lockTimeout' && key !== 'statementTimeout') {
      return `an object of lockTimeout and statementTimeout (not '${key}')`;
    }
    if (value !== undefined && isMilliseconds(value) !== undefined) {
      return `an object whose ${key} is a whole number of milliseconds (>= 0)`;
    }
  }
  return undefined;
};
const isPglite: Check = (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return "an object such as { extensions: ['uuid-ossp'] }";
  }
  for (const [key, value] of Object.entries(v)) {
    if (key !== 'extensions') return `an object with extensions only (not '${key}')`;
    const listsNames = Array.isArray(value) && value.every((e) => typeof e === 'string' && e.trim() !== '');
    if (value !== undefined && !listsNames) {
      return "an object whose extensions is a list of extension names such as ['uuid-ossp', 'pgcrypto']";
    }
  }
  return undefined;
};
const isGlobList = (v: unknown): boolean =>
  Array.isArray(v) && v.every((e) => typeof e === 'string' && e.trim() !== '');
const AUTOGENERATE_KEYS = [
  'include',
  'exclude',
  'schemas',
  'compareType',
  'compareDefault',
  'processOperations',
];
const isAutogenerate: Check = (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return "an object such as { exclude: ['legacy_*'] }";
  }
  for (const [key, value] of Object.entries(v)) {
    if (!AUTOGENERATE_KEYS.includes(key))
      return `an object of ${AUTOGENERATE_KEYS.join(', ')} (not '${key}')`;
    if (value === undefined) continue;
    if ((key === 'include' || key === 'exclude' || key === 'schemas') && !isGlobList(value)) {
      return `an object whose ${key} is a list of ${key === 'schemas' ? 'schema names' : "globs such as 'audit.*'"}`;
    }
    if (
      (key === 'compareType' || key === 'compareDefault' || key === 'processOperations') &&
      typeof value !== 'function'
    ) {
      return `an object whose ${key} is a function`;
    }
  }
  return undefined;
};
const isFormat: Check = (v) => (v === 'ts' || v === 'sql' ? undefined : "'ts' or 'sql'");
const isTimezone: Check = (v) => {
  if (typeof v !== 'string') return 'an IANA time zone name such as "UTC" or "Europe/Paris"';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return undefined;
  } catch {
    return 'an IANA time zone name such as "UTC" or "Europe/Paris"';
  }
};
const isHooks: Check = (v) => {
  const ok =
    Array.isArray(v) &&
    v.every(
      (hook) =>
        (typeof hook === 'string' && hook.trim() !== '') ||
        (typeof hook === 'object' &&
          hook !== null &&
          typeof (hook as { command?: unknown }).command === 'string' &&
          ((hook as { args?: unknown }).args === undefined ||
            (Array.isArray((hook as { args?: unknown }).args) &&
              ((hook as { args: unknown[] }).args as unknown[]).every((a) => typeof a === 'string')))),
    );
  return ok ? undefined : "a list of commands: 'prettier --write {file}' or { command, args }";
};

const SETTINGS: Readonly<Record<keyof AmbixSettings, Check>> = {
  url: isString,
  migrations: isStringOrList,
  recursive: isBoolean,
  fileTemplate: isString,
  truncateSlugLength: isPositiveInteger,
  timezone: isTimezone,
  // Names are always quoted, so any name PostgreSQL can hold is accepted as it is (case included).
  versionTable: isSqlName,
  versionTableSchema: isSqlName,
  historyTable: isSqlName,
  transactionPerMigration: isBoolean,
  lockTimeout: isMilliseconds,
  session: isSession,
  pglite: isPglite,
  revisionFormat: isFormat,
  postWriteHooks: isHooks,
  schema: (v) =>
    typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string'))
      ? undefined
      : 'a schema module path or a non-empty list of them',
  autogenerate: isAutogenerate,
};

/** Checks a loaded config against the schema; unknown keys are errors (they are usually typos). */
export function validateConfig(value: unknown, path: string): AmbixConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(path, 'must export an object (use `export default defineConfig({ ... })`).');
  }
  const { environments, ...settings } = value as Record<string, unknown>;
  validateSettings(settings, path, '');
  if (environments !== undefined) {
    if (typeof environments !== 'object' || environments === null || Array.isArray(environments)) {
      throw invalid(path, "'environments' must be an object of named settings.");
    }
    for (const [name, environment] of Object.entries(environments)) {
      if (typeof environment !== 'object' || environment === null || Array.isArray(environment)) {
        throw invalid(path, `environment '${name}' must be an object of settings.`);
      }
      validateSettings(environment as Record<string, unknown>, path, `environments.${name}.`);
    }
  }
  return value as AmbixConfig;
}

function validateSettings(settings: Record<string, unknown>, path: string, prefix: string): void {
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const check = SETTINGS[key as keyof AmbixSettings];
    if (check === undefined) {
      const known = [...Object.keys(SETTINGS), ...(prefix === '' ? ['environments'] : [])];
      throw invalid(path, `unknown setting '${prefix}${key}'. Known settings: ${known.join(', ')}.`);
    }
    const expected = check(value);
    if (expected !== undefined) throw invalid(path, `'${prefix}${key}' must be ${expected}.`);
  }
}

function invalid(path: string, message: string): AmbixError {
  return new AmbixError('CONFIG_INVALID', `${path}: ${message}`, { details: { path } });
}
