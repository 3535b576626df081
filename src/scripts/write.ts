import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { AmbixError } from '../errors.js';

/**
 * A command run on every new migration file, e.g. a formatter. `{file}` in it stands for the file's absolute path;
 * without `{file}` the path is passed as the last argument.
 *
 * - `{ command, args }` runs the program directly, without a shell: no quoting surprises, the safe choice.
 * - A string is a shell command line (`npx prettier --write {file}`); the path is quoted for the shell.
 */
export type PostWriteHook = string | { readonly command: string; readonly args?: readonly string[] };

export interface NewMigrationFile {
  /** The version location. Created when missing. */
  readonly directory: string;
  /** Relative to `directory`; may contain sub-folders. */
  readonly fileName: string;
  readonly text: string;
}

/** Writes a new migration and returns its absolute path. Never overwrites: an existing file is SCRIPT_EXISTS. */
export async function writeMigrationFile(file: NewMigrationFile): Promise<string> {
  const directory = resolve(file.directory);
  const path = resolve(directory, file.fileName);
  const inside = relative(directory, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new AmbixError('SCRIPT_IO', `The file name '${file.fileName}' points outside ${directory}.`, {
      details: { directory, fileName: file.fileName },
    });
  }
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.text, { encoding: 'utf8', flag: 'wx' });
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      throw new AmbixError(
        'SCRIPT_EXISTS',
        `${path} already exists; ambix does not overwrite migration files.`,
        {
          hint: 'Pass another --rev-id or message, or move the existing file away.',
          details: { path },
          cause: error,
        },
      );
    }
    throw new AmbixError('SCRIPT_IO', `Cannot write ${path}: ${errorMessage(error)}`, {
      details: { path },
      cause: error,
    });
  }
  return path;
}

/** Runs the hooks one after the other on `filePath`; the first one that fails stops the rest (HOOK_FAILED). */
export async function runPostWriteHooks(
  hooks: readonly PostWriteHook[],
  filePath: string,
  cwd: string,
): Promise<void> {
  for (const hook of hooks) await runHook(hook, filePath, cwd);
}

const OUTPUT_TAIL = 2000;

function runHook(hook: PostWriteHook, filePath: string, cwd: string): Promise<void> {
  const name = describeHook(hook);
  const child =
    typeof hook === 'string'
      ? spawn(substituteInCommandLine(hook, filePath), {
          cwd,
          shell: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(hook.command, substituteInArgs(hook.args ?? [], filePath), {
          cwd,
          shell: false,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = (stdout + chunk).slice(-OUTPUT_TAIL);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-OUTPUT_TAIL);
  });
  return new Promise((resolvePromise, reject) => {
    child.on('error', (error) => {
      reject(
        new AmbixError('HOOK_FAILED', `Post-write hook '${name}' could not start: ${errorMessage(error)}`, {
          hint: 'Check that the command is installed and on the PATH.',
          details: { hook: name, file: filePath },
          cause: error,
        }),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolvePromise();
        return;
      }
      const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      const output = (stderr.trim() || stdout.trim()).split('\n').slice(-10).join('\n');
      reject(
        new AmbixError(
          'HOOK_FAILED',
          `Post-write hook '${name}' ${how}${output === '' ? '.' : `:\n${output}`}`,
          {
            hint: `The migration was written to ${filePath}; fix the hook in postWriteHooks or run it by hand.`,
            details: { hook: name, file: filePath, exitCode: code, signal, stderr },
          },
        ),
      );
    });
  });
}

function describeHook(hook: PostWriteHook): string {
  return typeof hook === 'string' ? hook : [hook.command, ...(hook.args ?? [])].join(' ');
}

function substituteInArgs(args: readonly string[], filePath: string): string[] {
  const mentioned = args.some((arg) => arg.includes('{file}'));
  const substituted = args.map((arg) => arg.replaceAll('{file}', () => filePath));
  return mentioned ? substituted : [...substituted, filePath];
}

function substituteInCommandLine(command: string, filePath: string): string {
  const quoted = quoteForShell(filePath);
  return command.includes('{file}') ? command.replaceAll('{file}', () => quoted) : `${command} ${quoted}`;
}

function quoteForShell(value: string): string {
  // cmd.exe has no single quotes; Windows paths cannot contain double quotes.
  if (process.platform === 'win32') return `"${value}"`;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
