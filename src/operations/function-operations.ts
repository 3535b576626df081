import { type ColumnDefault, checkDefault } from './definitions.js';
import type { SqlExpression } from './sql-expression.js';
import type { SchemaOption } from './table-operations.js';
import {
  checkBoolean,
  checkName,
  checkOneOf,
  checkOptionalName,
  checkOptions,
  checkSql,
  checkType,
  compact,
  deepFreeze,
  invalidOperation,
  isPlainObject,
} from './validate.js';

export type ParameterMode = 'in' | 'out' | 'inout' | 'variadic';

/** One parameter of a function: a type, optionally a name, a mode and a default. */
export interface FunctionParameter {
  readonly name?: string;
  readonly type: string;
  readonly mode?: ParameterMode;
  readonly default?: ColumnDefault;
}

/** A function's definition; `body` is the SQL or PL/pgSQL text between the dollar quotes. */
export interface FunctionDefinition {
  readonly parameters: readonly FunctionParameter[];
  /** The return type as written: `'integer'`, `'trigger'`, `'setof users'`, `'table (id int, name text)'`. */
  readonly returns: string;
  readonly language: string;
  readonly body: string;
  readonly volatility?: 'immutable' | 'stable' | 'volatile';
  readonly strict?: boolean;
  readonly securityDefiner?: boolean;
  readonly parallel?: 'safe' | 'restricted' | 'unsafe';
  /**
   * Configuration parameters set while it runs (`SET search_path = 'public'`), in order: a value, or a list
   * (`search_path: ['public', 'pg_temp']`, each item quoted on its own).
   */
  readonly set?: Readonly<Record<string, string | readonly string[]>>;
  /** A procedure (`CREATE PROCEDURE`, run with `CALL`): no return type, volatility, strictness or parallel safety. */
  readonly procedure?: boolean;
}

export interface FunctionDefinitionInput extends Omit<FunctionDefinition, 'parameters'> {
  /** Parameter types (`'integer'`) or `{ name, type, mode, default }`. Omitted: none. */
  readonly parameters?: readonly (string | FunctionParameter)[];
}

export interface CreateFunctionOperation extends FunctionDefinition {
  readonly kind: 'createFunction';
  readonly schema?: string;
  readonly name: string;
  readonly orReplace?: boolean;
  /** What `orReplace` replaces (`null`: nothing), which makes it reversible. */
  readonly existing?: FunctionDefinition | null;
}

export interface DropFunctionOperation {
  readonly kind: 'dropFunction';
  readonly schema?: string;
  readonly name: string;
  /** The parameters that identify an overloaded function; omitted, the name must be unique. */
  readonly parameters?: readonly FunctionParameter[];
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** `DROP PROCEDURE` (also implied by `existing.procedure`). */
  readonly procedure?: boolean;
  readonly existing?: FunctionDefinition;
}

export type TriggerTiming = 'before' | 'after' | 'instead of';
export type TriggerEvent =
  | 'insert'
  | 'update'
  | 'delete'
  | 'truncate'
  | { readonly update: readonly string[] };

/** A trigger's definition: when it fires and which function it calls. */
export interface TriggerDefinition {
  readonly timing: TriggerTiming;
  readonly events: readonly TriggerEvent[];
  readonly forEach: 'row' | 'statement';
  readonly when?: SqlExpression;
  readonly function: { readonly name: string; readonly schema?: string };
  /** String arguments passed to the trigger function (`TG_ARGV`). */
  readonly functionArguments?: readonly string[];
}

export interface TriggerDefinitionInput extends Omit<TriggerDefinition, 'when' | 'function'> {
  /** A condition on `NEW`/`OLD`: SQL text or a `sql` expression. */
  readonly when?: string | SqlExpression;
  /** The trigger function's name, or `{ name, schema }`. */
  readonly function: string | { readonly name: string; readonly schema?: string };
}

export interface CreateTriggerOperation extends TriggerDefinition {
  readonly kind: 'createTrigger';
  readonly schema?: string;
  readonly table: string;
  readonly name: string;
  /** `CREATE OR REPLACE TRIGGER` (PostgreSQL 14 and later). */
  readonly orReplace?: boolean;
  readonly existing?: TriggerDefinition | null;
}

export interface DropTriggerOperation {
  readonly kind: 'dropTrigger';
  readonly schema?: string;
  readonly table: string;
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: TriggerDefinition;
}

export interface CreateFunctionOptions extends SchemaOption, FunctionDefinitionInput {
  readonly orReplace?: boolean;
  readonly existing?: FunctionDefinitionInput | null;
}

export interface DropFunctionOptions extends SchemaOption {
  readonly parameters?: readonly (string | FunctionParameter)[];
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** `DROP PROCEDURE` (implied by `existing.procedure`). */
  readonly procedure?: boolean;
  /** The function's definition as it is: without it the drop cannot be reversed. */
  readonly existing?: FunctionDefinitionInput;
}

export interface CreateTriggerOptions extends SchemaOption, TriggerDefinitionInput {
  readonly orReplace?: boolean;
  readonly existing?: TriggerDefinitionInput | null;
}

export interface DropTriggerOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: TriggerDefinitionInput;
}

function normalizeParameters(operation: string, what: string, input: unknown): FunctionParameter[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw invalidOperation(operation, `${what} must be an array`);
  return input.map((parameter, index) => {
    const where = `${what}[${index}]`;
    if (typeof parameter === 'string') return { type: checkType(operation, where, parameter) };
    if (!isPlainObject(parameter))
      throw invalidOperation(operation, `${where} must be a type or { name, type }`);
    const p = parameter as unknown as FunctionParameter;
    return compact({
      name: checkOptionalName(operation, `${where}.name`, p.name),
      type: checkType(operation, `${where}.type`, p.type),
      mode: checkOneOf(operation, `${where}.mode`, p.mode, ['in', 'out', 'inout', 'variadic']),
      default: p.default === undefined ? undefined : checkDefault(operation, `${where}.default`, p.default),
    });
  });
}

function normalizeFunction(operation: string, what: string, input: unknown): FunctionDefinition {
  if (!isPlainObject(input))
    throw invalidOperation(operation, `${what} must be a function definition object`);
  const f = input as unknown as FunctionDefinitionInput;
  if (typeof f.body !== 'string' || f.body.trim() === '') {
    throw invalidOperation(operation, `${what}.body must be the function's SQL text`);
  }
  if (f.body.includes('\0')) throw invalidOperation(operation, `${what}.body contains a NUL character`);
  return compact({
    parameters: normalizeParameters(operation, `${what}.parameters`, f.parameters),
    returns: checkType(operation, `${what}.returns`, f.returns),
    language: checkName(operation, `${what}.language`, f.language),
    body: f.body,
    volatility: checkOneOf(operation, `${what}.volatility`, f.volatility, [
      'immutable',
      'stable',
      'volatile',
    ]),
    strict: checkBoolean(operation, `${what}.strict`, f.strict),
    securityDefiner: checkBoolean(operation, `${what}.securityDefiner`, f.securityDefiner),
    parallel: checkOneOf(operation, `${what}.parallel`, f.parallel, ['safe', 'restricted', 'unsafe']),
    set: checkSettings(operation, `${what}.set`, f.set),
    procedure: checkProcedure(operation, what, f),
  });
}

/** A configuration parameter's name: `search_path`, `plpgsql.variable_conflict`. */
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*$/;

function checkSettings(
  operation: string,
  what: string,
  input: unknown,
): Readonly<Record<string, string | readonly string[]>> | undefined {
  if (input === undefined) return undefined;
  if (!isPlainObject(input))
    throw invalidOperation(operation, `${what} must be an object: { search_path: 'public' }`);
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!SETTING_NAME.test(name))
      throw invalidOperation(
        operation,
        `${what}: ${JSON.stringify(name)} is not a configuration parameter's name`,
      );
    const valid = (item: unknown) => typeof item === 'string' && !item.includes('\0');
    if (Array.isArray(value) ? value.length === 0 || !value.every(valid) : !valid(value)) {
      throw invalidOperation(operation, `${what}.${name} must be a string or a non-empty array of strings`);
    }
    out[name] = Array.isArray(value) ? [...(value as string[])] : (value as string);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function checkProcedure(operation: string, what: string, f: FunctionDefinitionInput): true | undefined {
  if (checkBoolean(operation, `${what}.procedure`, f.procedure) !== true) return undefined;
  for (const key of ['volatility', 'strict', 'parallel'] as const) {
    if (f[key] !== undefined)
      throw invalidOperation(operation, `${what}.${key} does not apply to a procedure`);
  }
  if (f.returns !== 'void')
    throw invalidOperation(operation, `${what}.returns must be 'void' for a procedure`);
  return true;
}

const EVENTS = ['insert', 'update', 'delete', 'truncate'] as const;

function normalizeTrigger(operation: string, what: string, input: unknown): TriggerDefinition {
  if (!isPlainObject(input)) throw invalidOperation(operation, `${what} must be a trigger definition object`);
  const t = input as unknown as TriggerDefinitionInput;
  if (!Array.isArray(t.events) || t.events.length === 0) {
    throw invalidOperation(
      operation,
      `${what}.events must list one or more of ${EVENTS.join(', ')}, { update: [columns] }`,
    );
  }
  const events = t.events.map((event: unknown, index): TriggerEvent => {
    if (isPlainObject(event)) {
      const columns = (event as { update?: unknown }).update;
      if (!Array.isArray(columns) || columns.length === 0) {
        throw invalidOperation(
          operation,
          `${what}.events[${index}] must be an event name or { update: [columns] }`,
        );
      }
      return {
        update: columns.map((column, i) =>
          checkName(operation, `${what}.events[${index}].update[${i}]`, column),
        ),
      };
    }
    const name = checkOneOf(operation, `${what}.events[${index}]`, event, EVENTS);
    if (name === undefined) throw invalidOperation(operation, `${what}.events[${index}] is missing`);
    return name;
  });
  const fn = typeof t.function === 'string' ? { name: t.function } : t.function;
  if (!isPlainObject(fn))
    throw invalidOperation(operation, `${what}.function must be a name or { name, schema }`);
  const timing = checkOneOf(operation, `${what}.timing`, t.timing, ['before', 'after', 'instead of']);
  const forEach = checkOneOf(operation, `${what}.forEach`, t.forEach, ['row', 'statement']);
  if (timing === undefined || forEach === undefined) {
    throw invalidOperation(
      operation,
      `${what} needs timing ('before', 'after', 'instead of') and forEach ('row', 'statement')`,
    );
  }
  let functionArguments: string[] | undefined;
  if (t.functionArguments !== undefined) {
    if (
      !Array.isArray(t.functionArguments) ||
      t.functionArguments.some((a: unknown) => typeof a !== 'string')
    ) {
      throw invalidOperation(operation, `${what}.functionArguments must be an array of strings`);
    }
    functionArguments = [...t.functionArguments];
  }
  return compact({
    timing,
    events,
    forEach,
    when: t.when === undefined ? undefined : checkSql(operation, `${what}.when`, t.when),
    function: compact({
      name: checkName(operation, `${what}.function.name`, fn.name),
      schema: checkOptionalName(operation, `${what}.function.schema`, fn.schema),
    }),
    functionArguments,
  });
}

function definitionOf<T extends object>(options: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key in options) out[key] = (options as Record<string, unknown>)[key];
  }
  return out as Partial<T>;
}

const FUNCTION_KEYS = [
  'parameters',
  'returns',
  'language',
  'body',
  'volatility',
  'strict',
  'securityDefiner',
  'parallel',
  'set',
  'procedure',
];
const TRIGGER_KEYS = ['timing', 'events', 'forEach', 'when', 'function', 'functionArguments'];

export const functionBuilders = {
  /**
   * `CREATE [OR REPLACE] FUNCTION name(parameters) RETURNS … LANGUAGE … AS $$body$$`. With `orReplace`, pass
   * `existing` (the previous definition, or `null` when there was none) to make it reversible.
   */
  createFunction(name: string, definition: CreateFunctionOptions): CreateFunctionOperation {
    const o = checkOptions('createFunction', definition);
    return deepFreeze(
      compact({
        kind: 'createFunction' as const,
        schema: checkOptionalName('createFunction', 'schema', o.schema),
        name: checkName('createFunction', 'name', name),
        ...normalizeFunction('createFunction', 'definition', definitionOf(o, FUNCTION_KEYS)),
        orReplace: checkBoolean('createFunction', 'orReplace', o.orReplace),
        existing:
          o.existing === undefined || o.existing === null
            ? o.existing
            : normalizeFunction('createFunction', 'existing', o.existing),
      }),
    );
  },

  /** `DROP FUNCTION name(parameter types)`. Pass `existing` (its definition) to make it reversible. */
  dropFunction(name: string, options?: DropFunctionOptions): DropFunctionOperation {
    const o = checkOptions('dropFunction', options);
    const existing =
      o.existing === undefined ? undefined : normalizeFunction('dropFunction', 'existing', o.existing);
    const parameters =
      o.parameters === undefined
        ? existing?.parameters
        : normalizeParameters('dropFunction', 'parameters', o.parameters);
    return deepFreeze(
      compact({
        kind: 'dropFunction' as const,
        schema: checkOptionalName('dropFunction', 'schema', o.schema),
        name: checkName('dropFunction', 'name', name),
        parameters,
        ifExists: checkBoolean('dropFunction', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropFunction', 'cascade', o.cascade),
        procedure: checkBoolean('dropFunction', 'procedure', o.procedure),
        existing,
      }),
    );
  },

  /**
   * `CREATE TRIGGER name {BEFORE|AFTER|INSTEAD OF} events ON table FOR EACH {ROW|STATEMENT} [WHEN (…)]
   * EXECUTE FUNCTION fn(arguments)`.
   */
  createTrigger(name: string, table: string, definition: CreateTriggerOptions): CreateTriggerOperation {
    const o = checkOptions('createTrigger', definition);
    return deepFreeze(
      compact({
        kind: 'createTrigger' as const,
        schema: checkOptionalName('createTrigger', 'schema', o.schema),
        table: checkName('createTrigger', 'table', table),
        name: checkName('createTrigger', 'name', name),
        ...normalizeTrigger('createTrigger', 'definition', definitionOf(o, TRIGGER_KEYS)),
        orReplace: checkBoolean('createTrigger', 'orReplace', o.orReplace),
        existing:
          o.existing === undefined || o.existing === null
            ? o.existing
            : normalizeTrigger('createTrigger', 'existing', o.existing),
      }),
    );
  },

  /** `DROP TRIGGER name ON table`. Pass `existing` (its definition) to make it reversible. */
  dropTrigger(name: string, table: string, options?: DropTriggerOptions): DropTriggerOperation {
    const o = checkOptions('dropTrigger', options);
    return deepFreeze(
      compact({
        kind: 'dropTrigger' as const,
        schema: checkOptionalName('dropTrigger', 'schema', o.schema),
        table: checkName('dropTrigger', 'table', table),
        name: checkName('dropTrigger', 'name', name),
        ifExists: checkBoolean('dropTrigger', 'ifExists', o.ifExists),
        cascade: checkBoolean('dropTrigger', 'cascade', o.cascade),
        existing:
          o.existing === undefined ? undefined : normalizeTrigger('dropTrigger', 'existing', o.existing),
      }),
    );
  },
};
