import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TempProject {
  readonly dir: string;
  /** Writes a file (creating folders) relative to the project. */
  write(path: string, text: string): string;
  read(path: string): string;
  /** Files in a folder of the project, sorted. */
  list(path?: string): string[];
  /** Runs the CLI in-process in the project folder. */
  run(
    argv: readonly string[],
    options?: {
      env?: Record<string, string | undefined>;
      editor?: EditorSpy;
      /** Answers the CLI's questions, as a person at a terminal would. */
      ask?: (question: string) => Promise<string>;
    },
  ): Promise<CliRun>;
}

export interface EditorSpy {
  calls: { command: string; paths: readonly string[] }[];
  status: number;
}

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp dir, removed after the test. */
export function tempProject(): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'ambix-test-'));
  created.push(dir);
  return {
    dir,
    write(path, text) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      return full;
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    list: (path = '.') => readdirSync(join(dir, path)).sort(),
    async run(argv, options = {}) {
      let stdout = '';
      let stderr = '';
      const io: CliIo = {
        cwd: dir,
        env: { ...options.env },
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        ...(options.ask === undefined ? {} : { ask: options.ask }),
        openEditor(command, paths) {
          options.editor?.calls.push({ command, paths });
          return options.editor?.status ?? 0;
        },
      };
      const code = await main(argv, io);
      return { code, stdout, stderr };
    },
  };
}

/** A TypeScript migration file as `ambix revision` would write it. */
export function tsMigration(
  id: string,
  downRevision: string | readonly string[] | null,
  extra: { message?: string; branchLabels?: readonly string[]; dependsOn?: readonly string[] } = {},
): string {
  const literal = (value: string | readonly string[] | null): string =>
    value === null
      ? 'null'
      : typeof value === 'string'
        ? `'${value}'`
        : `[${value.map((v) => `'${v}'`).join(', ')}]`;
  return [
    '/**',
    ` * ${extra.message ?? `step ${id}`}`,
    ' *',
    ` * Revision ID: ${id}`,
    ` * Revises: ${downRevision === null ? '' : typeof downRevision === 'string' ? downRevision : downRevision.join(', ')}`,
    ' * Create Date: 2026-11-21 10:00:00.000000',
    ' */',
    "import type { Operations } from 'ambix';",
    '',
    `export const revision = '${id}';`,
    `export const downRevision = ${literal(downRevision)};`,
    ...(extra.branchLabels ? [`export const branchLabels = ${literal(extra.branchLabels)};`] : []),
    ...(extra.dependsOn ? [`export const dependsOn = ${literal(extra.dependsOn)};`] : []),
    '',
    'export async function upgrade(op: Operations): Promise<void> {}',
    '',
    'export async function downgrade(op: Operations): Promise<void> {}',
    '',
  ].join('\n');
}
