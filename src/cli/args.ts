import { UsageError } from '../errors.js';

export type OptionType = 'boolean' | 'string' | 'list';

export interface OptionSpec {
  /** Long name without dashes, e.g. `rev-range`. */
  readonly name: string;
  readonly short?: string;
  readonly type: OptionType;
  readonly description: string;
  /** Placeholder shown in help, e.g. `RANGE`. */
  readonly valueName?: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** Takes every remaining positional. */
  readonly variadic?: boolean;
}

export interface ParsedArgs {
  readonly command: string | undefined;
  /** Option values keyed by long name: boolean, string, or string[] for lists. */
  readonly options: Readonly<Record<string, boolean | string | readonly string[]>>;
  readonly positionals: readonly string[];
}

/** Options every command accepts, before or after the command name. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'config',
    short: 'c',
    type: 'string',
    valueName: 'PATH',
    description: 'config file (default: ambix.config.*)',
  },
  {
    name: 'name',
    short: 'n',
    type: 'string',
    valueName: 'NAME',
    description: 'named environment from the config',
  },
  { name: 'url', type: 'string', valueName: 'URL', description: "database URL (overrides the config's url)" },
  {
    name: 'x',
    short: 'x',
    type: 'list',
    valueName: 'KEY=VALUE',
    description: 'extra argument for config and migrations',
  },
  { name: 'json', type: 'boolean', description: 'print the result as JSON' },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'print only results and errors' },
  { name: 'debug', type: 'boolean', description: 'print stack traces of errors' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show help' },
];

const NEGATIVE_NUMBER = /^-\d+$/;

/**
 * Parses argv in two passes: the first finds the command name (the first positional), the second parses with the
 * global options plus that command's. Options may come before or after the command; `-N` is a positional (so
 * `downgrade -1` works); an option's value is always the next token, even when it starts with a dash (so
 * `history -r -3:` works); `--` ends options.
 */
export function parseArgs(
  argv: readonly string[],
  optionsFor: (command: string | undefined) => readonly OptionSpec[] | undefined,
): ParsedArgs {
  const command = findCommand(argv, GLOBAL_OPTIONS);
  const commandOptions = optionsFor(command) ?? [];
  const specs = [...GLOBAL_OPTIONS, ...commandOptions];
  const byLong = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(
    specs.filter((spec) => spec.short !== undefined).map((spec) => [spec.short!, spec]),
  );

  const options: Record<string, boolean | string | string[]> = {};
  const positionals: string[] = [];
  let commandSeen = false;

  const assign = (spec: OptionSpec, value: string | undefined, token: string): void => {
    if (spec.type === 'boolean') {
      if (value !== undefined) throw new UsageError(`Option ${token} takes no value.`);
      options[spec.name] = true;
      return;
    }
    if (value === undefined)
      throw new UsageError(`Option ${token} needs a value (${spec.valueName ?? 'VALUE'}).`);
    if (spec.type === 'list') {
      const list = options[spec.name];
      options[spec.name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      options[spec.name] = value;
    }
  };

  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    const takeValue = (): string | undefined => {
      index += 1;
      return argv[index];
    };
    if (token === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
      const spec = byLong.get(name);
      if (spec === undefined) throw unknownOption(token, command);
      const inline = eq === -1 ? undefined : token.slice(eq + 1);
      assign(spec, inline ?? (spec.type === 'boolean' ? undefined : takeValue()), `--${name}`);
      continue;
    }
    if (token.startsWith('-') && token.length > 1 && !NEGATIVE_NUMBER.test(token)) {
      const spec = byShort.get(token[1]!);
      if (spec === undefined) throw unknownOption(token, command);
      if (spec.type === 'boolean') {
        // Clusters of boolean flags: -vq
        for (const letter of token.slice(1)) {
          const flag = byShort.get(letter);
          if (flag === undefined || flag.type !== 'boolean') throw unknownOption(token, command);
          assign(flag, undefined, `-${letter}`);
        }
      } else {
        const attached = token.slice(2);
        assign(spec, attached !== '' ? attached : takeValue(), `-${spec.short}`);
      }
      continue;
    }
    if (!commandSeen && command !== undefined && token === command) {
      commandSeen = true;
      continue;
    }
    positionals.push(token);
  }
  return { command, options, positionals };
}

/** The first positional token, skipping global options and their values. */
function findCommand(argv: readonly string[], globals: readonly OptionSpec[]): string | undefined {
  const takesValue = new Set<string>();
  for (const spec of globals) {
    if (spec.type === 'boolean') continue;
    takesValue.add(`--${spec.name}`);
    if (spec.short !== undefined) takesValue.add(`-${spec.short}`);
  }
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') return argv[index + 1];
    if (takesValue.has(token)) {
      index += 1;
      continue;
    }
    if (token.startsWith('-')) continue;
    return token;
  }
  return undefined;
}

function unknownOption(token: string, command: string | undefined): UsageError {
  const help = command === undefined ? "'ambix --help'" : `'ambix ${command} --help'`;
  return new UsageError(`Unknown option ${token}${command === undefined ? '' : ` for '${command}'`}.`, {
    hint: `See ${help} for the options.`,
  });
}

/** `-x KEY=VALUE` arguments as a record; a bare `-x KEY` sets KEY to '' (as Alembic does). */
export function parseXArguments(values: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq === 0) throw new UsageError(`-x takes KEY=VALUE, got '${value}'.`);
    if (eq === -1) result[value] = '';
    else result[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return result;
}
