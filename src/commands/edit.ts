import { resolve } from 'node:path';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { show } from './show.js';

export interface EditOptions {
  readonly config: ResolvedConfig;
  readonly revision: string;
}

export interface EditResult {
  /** Absolute paths of the files to open. */
  readonly paths: readonly string[];
}

/** The files of the revisions an identifier names; the CLI opens them in $EDITOR. */
export async function edit(options: EditOptions): Promise<EditResult> {
  const { revisions } = await show(options);
  return { paths: revisions.map((revision) => resolve(options.config.cwd, revision.path)) };
}
