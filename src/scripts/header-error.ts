import { isAbsolute, relative } from 'node:path';
import { AmbixError, type AmbixErrorCode } from '../errors.js';

/**
 * A SCRIPT_HEADER error that points at `file:line`, the way compilers do, so editors and terminals can jump there.
 * The path is shown relative to the working directory when the file is inside it.
 */
export function headerError(
  path: string,
  line: number,
  message: string,
  hint?: string,
  code: AmbixErrorCode = 'SCRIPT_HEADER',
): AmbixError {
  return new AmbixError(code, `${displayPath(path)}:${line}: ${message}`, {
    ...(hint === undefined ? {} : { hint }),
    details: { path, line },
  });
}

export function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const fromCwd = relative(process.cwd(), path);
  return fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  let index = text.indexOf('\n');
  while (index !== -1 && index < offset) {
    line += 1;
    index = text.indexOf('\n', index + 1);
  }
  return line;
}
