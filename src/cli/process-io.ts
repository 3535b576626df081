import { spawnSync } from 'node:child_process';
import type { CliIo } from './io.js';

/** The real process: stdout, stderr, environment, and the user's editor. */
export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    openEditor(command, paths) {
      // EDITOR may carry arguments ("code --wait"); split on whitespace rather than involving a shell.
      const [program, ...args] = command.trim().split(/\s+/);
      const result = spawnSync(program!, [...args, ...paths], { stdio: 'inherit' });
      if (result.error !== undefined) return 127;
      return result.status ?? 1;
    },
  };
}
