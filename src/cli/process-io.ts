import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import type { CliIo } from './io.js';

/** The real process: stdout, stderr, environment, and the user's editor. */
export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    ...(process.stdin.isTTY === true && process.stderr.isTTY === true
      ? {
          ask: async (question: string) => {
            const prompt = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return await prompt.question(question);
            } finally {
              prompt.close();
            }
          },
        }
      : {}),
    openEditor(command, paths) {
      // EDITOR may carry arguments ("code --wait"); split on whitespace rather than involving a shell.
      const [program, ...args] = command.trim().split(/\s+/);
      const result = spawnSync(program!, [...args, ...paths], { stdio: 'inherit' });
      if (result.error !== undefined) return 127;
      return result.status ?? 1;
    },
  };
}
