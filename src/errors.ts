/**
 * Every failure ambix reports is an AmbixError with a stable `code`.
 * The CLI maps `code` to an exit status (usage errors exit 2, everything else 1)
 * and prints `message` (plus `hint` when present) without a stack trace unless --debug.
 */
export type AmbixErrorCode =
  // usage
  | 'USAGE'
  // configuration
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'ENVIRONMENT_NOT_FOUND'
  // migration files
  | 'SCRIPT_HEADER'
  | 'SCRIPT_IO'
  | 'SCRIPT_EXISTS'
  | 'TEMPLATE_NOT_FOUND'
  | 'HOOK_FAILED'
  // revision graph
  | 'UNKNOWN_REVISION'
  | 'AMBIGUOUS_REVISION'
  | 'MULTIPLE_HEADS'
  | 'MULTIPLE_BASES'
  | 'CYCLE'
  | 'SELF_LOOP'
  | 'DUPLICATE_REVISION'
  | 'MISSING_PARENT'
  | 'DUPLICATE_LABEL'
  | 'INVALID_REVISION_ID'
  | 'INVALID_IDENTIFIER'
  | 'RANGE_NOT_LINEAR'
  | 'RELATIVE_OUT_OF_RANGE'
  | 'INVALID_PLAN'
  | 'NOT_A_HEAD'
  | 'INVALID_MERGE'
  // database connections
  | 'BAD_URL'
  | 'DRIVER_MISSING'
  | 'CONNECTION_FAILED'
  | 'LOCK_TIMEOUT'
  // the declared schema (ambix/schema)
  | 'SCHEMA_INVALID'
  // running migrations
  | 'MIGRATION_FAILED'
  | 'CHANGED_MIGRATION'
  | 'NOT_UP_TO_DATE'
  | 'UNRESOLVED_STEP'
  // anything else the user must act on
  | 'FAILED';

export interface AmbixErrorOptions {
  /** One line telling the user what to do next. */
  readonly hint?: string;
  /** Structured facts for --json output and for programmatic callers. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class AmbixError extends Error {
  override readonly name: string = 'AmbixError';
  readonly code: AmbixErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: AmbixErrorCode, message: string, options: AmbixErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  /** The exit status the CLI uses for this error. */
  get exitCode(): 1 | 2 {
    return this.code === 'USAGE' ? 2 : 1;
  }
}

export class UsageError extends AmbixError {
  override readonly name = 'UsageError';
  constructor(message: string, options: AmbixErrorOptions = {}) {
    super('USAGE', message, options);
  }
}

export function isAmbixError(value: unknown): value is AmbixError {
  return value instanceof AmbixError;
}
