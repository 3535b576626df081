import { readFileSync } from 'node:fs';
import { loadDotEnv } from '../config/dotenv.js';
import { isAmbixError, UsageError } from '../errors.js';
import { GLOBAL_OPTIONS, type OptionSpec, parseArgs } from './args.js';
import { COMMANDS, type CommandSpec, findCommandSpec } from './commands.js';
import { HANDLERS } from './handlers.js';
import type { CliIo } from './io.js';

const VERSION_OPTION: OptionSpec = { name: 'version', type: 'boolean', description: "print ambix's version" };

/**
 * Runs one ambix command line and returns its exit status: 0 success, 1 a failure the user must act on,
 * 2 a usage error. Never throws and never exits; `bin/ambix.js` sets the process's exit code.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  try {
    const parsed = parseArgs(argv, (command) => {
      const spec = findCommandSpec(command);
      return spec === undefined ? [VERSION_OPTION] : spec.options;
    });
    if (parsed.options.version === true) {
      io.stdout(`ambix ${version()}\n`);
      return 0;
    }
    if (parsed.command === undefined) {
      if (parsed.options.help === true) {
        io.stdout(generalHelp());
        return 0;
      }
      io.stderr(generalHelp());
      return 2;
    }
    if (parsed.command === 'help') {
      const topic = findCommandSpec(parsed.positionals[0]);
      io.stdout(topic === undefined ? generalHelp() : commandHelp(topic));
      return 0;
    }
    const spec = findCommandSpec(parsed.command);
    if (spec === undefined) throw unknownCommand(parsed.command);
    if (parsed.options.help === true) {
      io.stdout(commandHelp(spec));
      return 0;
    }
    checkPositionals(spec, parsed.positionals);

    loadDotEnv(io.cwd, io.env);
    const handler = HANDLERS[spec.name];
    if (handler === undefined) throw new Error(`internal: no handler for ${spec.name}`);
    const output = await handler({ options: parsed.options, positionals: parsed.positionals, io });
    if (json) {
      io.stdout(`${JSON.stringify(output.result, null, 2)}\n`);
    } else {
      if (output.info && parsed.options.quiet !== true) io.stderr(output.info);
      if (output.text) io.stdout(output.text);
    }
    return output.exitCode ?? 0;
  } catch (error) {
    return reportError(error, io, { debug, json });
  }
}

function reportError(error: unknown, io: CliIo, mode: { debug: boolean; json: boolean }): number {
  const known = isAmbixError(error);
  if (mode.json) {
    const payload = known
      ? { code: error.code, message: error.message, hint: error.hint ?? null, details: error.details }
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
    io.stderr(`${JSON.stringify({ error: payload }, null, 2)}\n`);
  } else if (known) {
    io.stderr(`ambix: ${error.message}\n`);
    if (error.hint) io.stderr(`  ${error.hint}\n`);
  } else {
    io.stderr(`ambix: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!mode.debug)
      io.stderr('  This is a bug in ambix; run again with --debug for the stack trace and report it.\n');
  }
  if (mode.debug && error instanceof Error && error.stack) {
    io.stderr(`${error.stack}\n`);
    if (error.cause instanceof Error && error.cause.stack) io.stderr(`Caused by: ${error.cause.stack}\n`);
  }
  return known ? error.exitCode : 1;
}

function checkPositionals(spec: CommandSpec, positionals: readonly string[]): void {
  const required = spec.positionals.filter((positional) => positional.required).length;
  const variadic = spec.positionals.some((positional) => positional.variadic);
  const usage = `Usage: ${usageLine(spec)}`;
  if (positionals.length < required) {
    const missing = spec.positionals[positionals.length]!;
    throw new UsageError(`'${spec.name}' needs ${missing.name}: ${missing.description}.`, { hint: usage });
  }
  if (!variadic && positionals.length > spec.positionals.length) {
    throw new UsageError(
      `'${spec.name}' got an unexpected argument '${positionals[spec.positionals.length]}'.`,
      {
        hint: usage,
      },
    );
  }
}

function unknownCommand(name: string): UsageError {
  const near = COMMANDS.map((command) => command.name).filter(
    (candidate) => candidate.startsWith(name.slice(0, 3)) || distance(candidate, name) <= 2,
  );
  return new UsageError(`Unknown command '${name}'.`, {
    hint: near.length > 0 ? `Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : "See 'ambix --help'.",
  });
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function usageLine(spec: CommandSpec): string {
  const positionals = spec.positionals.map((positional) => {
    const name = positional.variadic ? `${positional.name}...` : positional.name;
    return positional.required ? name : `[${name}]`;
  });
  return ['ambix', spec.name, '[options]', ...positionals].join(' ');
}

function optionLines(options: readonly OptionSpec[]): string[] {
  const left = options.map((option) => {
    const names = option.short !== undefined && option.short !== option.name ? `-${option.short}, ` : '    ';
    const value = option.type === 'boolean' ? '' : ` ${option.valueName ?? 'VALUE'}`;
    return `  ${names}--${option.name}${value}`;
  });
  const width = Math.max(...left.map((text) => text.length));
  return left.map((text, index) => `${text.padEnd(width)}  ${options[index]!.description}`);
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `ambix ${version()}: database schema migrations for TypeScript`,
    '',
    'Usage: ambix <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Global options (before or after the command):',
    ...optionLines([...GLOBAL_OPTIONS, VERSION_OPTION]),
    '',
    "Run 'ambix <command> --help' for a command's options.",
    '',
  ].join('\n');
}

function commandHelp(spec: CommandSpec): string {
  const out = [
    `Usage: ${usageLine(spec)}`,
    '',
    `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`,
    '',
  ];
  if (spec.positionals.length > 0) {
    out.push('Arguments:');
    const width = Math.max(...spec.positionals.map((positional) => positional.name.length));
    for (const positional of spec.positionals)
      out.push(`  ${positional.name.padEnd(width)}  ${positional.description}`);
    out.push('');
  }
  if (spec.options.length > 0) out.push('Options:', ...optionLines(spec.options), '');
  out.push('Global options:', ...optionLines(GLOBAL_OPTIONS), '');
  if (spec.notes !== undefined && spec.notes.length > 0) {
    out.push('Examples:', ...spec.notes.map((note) => `  ${note}`), '');
  }
  return out.join('\n');
}

let cachedVersion: string | undefined;
function version(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}
