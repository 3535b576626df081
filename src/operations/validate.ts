import { AmbixError } from '../errors.js';
import { isSqlExpression, type SqlExpression, toSqlExpression } from './sql-expression.js';

/** An operation built with arguments that cannot work; thrown (as a rejection) by the `op` method called. */
export function invalidOperation(operation: string, message: string, hint?: string): AmbixError {
  return new AmbixError('FAILED', `op.${operation}(): ${message}`, {
    ...(hint === undefined ? {} : { hint }),
    details: { operation },
  });
}

/** A name the renderer will quote: any non-empty string without NUL characters, which no database accepts. */
export function checkName(operation: string, what: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw invalidOperation(operation, `${what} must be a non-empty string, got ${describe(value)}`);
  }
  if (value.includes('\0')) throw invalidOperation(operation, `${what} contains a NUL character`);
  return value;
}

export function checkNames(operation: string, what: string, values: unknown, allowEmpty = false): string[] {
  if (!Array.isArray(values) || (!allowEmpty && values.length === 0)) {
    throw invalidOperation(operation, `${what} must be a${allowEmpty ? 'n' : ' non-empty'} array of names`);
  }
  return values.map((value, index) => checkName(operation, `${what}[${index}]`, value));
}

export function checkOptionalName(operation: string, what: string, value: unknown): string | undefined {
  return value === undefined ? undefined : checkName(operation, what, value);
}

// A type is written as PostgreSQL spells it ('varchar(255)', 'timestamp with time zone', 'text[]',
// 'vector(1536)', '"MyType"') and the database validates it; these are only the shapes that could end the
// statement or hide the rest of it.
const UNSAFE_TYPE = /;|--|\/\*|\0/;

/** A type name as written: rejected only when it could end the statement or comment out the rest of it. */
export function checkType(operation: string, what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidOperation(operation, `${what} must be a type name such as 'text' or 'varchar(255)'`);
  }
  if (UNSAFE_TYPE.test(value) || !balancedQuotes(value)) {
    throw invalidOperation(
      operation,
      `${what} ${JSON.stringify(value)} is not a type name`,
      'Write the type as PostgreSQL spells it (for example varchar(255) or text[]); use op.execute() for anything else.',
    );
  }
  return value.trim();
}

function balancedQuotes(text: string): boolean {
  let single = 0;
  let double = 0;
  for (const char of text) {
    if (char === "'") single += 1;
    else if (char === '"') double += 1;
  }
  return single % 2 === 0 && double % 2 === 0;
}

/** SQL that only ever is SQL (a check, a predicate, a query): a string or a `sql` expression. */
export function checkSql(operation: string, what: string, value: unknown): SqlExpression {
  if (typeof value === 'string') {
    if (value.trim() === '') throw invalidOperation(operation, `${what} must not be empty`);
    return toSqlExpression(value);
  }
  if (isSqlExpression(value)) return value;
  throw invalidOperation(
    operation,
    `${what} must be SQL text or a sql\`…\` expression, got ${describe(value)}`,
  );
}

export function checkBoolean(operation: string, what: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalidOperation(operation, `${what} must be true or false, got ${describe(value)}`);
}

export function checkOneOf<T extends string>(
  operation: string,
  what: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidOperation(
    operation,
    `${what} must be one of ${allowed.map((item) => `'${item}'`).join(', ')}, got ${describe(value)}`,
  );
}

/** A whole number for sequence and identity options. */
export function checkInteger(operation: string, what: string, value: unknown): number | bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return value;
  throw invalidOperation(
    operation,
    `${what} must be a whole number (a safe integer or a bigint), got ${describe(value)}`,
  );
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** Drops `undefined` properties so operations compare and print cleanly. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined) out[key] = entry;
  }
  return out as T;
}

/**
 * A frozen copy, all the way down, of plain objects and arrays (other values, such as Buffers and Dates, are
 * shared as they are): operations are immutable and never freeze what the migration passed in.
 */
export function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map((item) => deepFreeze(item))) as T;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = deepFreeze(item);
    return Object.freeze(copy) as T;
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An optional options object (anything else is a mistake worth reporting). */
export function checkOptions<T extends object>(operation: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw invalidOperation(operation, 'options must be an object');
  return options;
}
