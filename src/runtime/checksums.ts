import { readFile } from 'node:fs/promises';
import type { Project } from '../commands/project.js';
import type { RevisionMap } from '../graph/index.js';
import { migrationChecksum } from './checksum.js';

/** Every revision the heads imply (the heads, their parents and dependencies, recursively), in map order. */
export function impliedRevisions(map: RevisionMap, heads: readonly string[]): string[] {
  const seen = new Set<string>();
  const stack = heads.filter((head) => map.get(head) !== undefined);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const revision = map.get(id);
    if (revision === undefined) continue;
    for (const parent of revision.downRevisions) stack.push(parent);
    for (const dependency of revision.dependsOn) stack.push(dependency);
  }
  return map.revisions.filter((revision) => seen.has(revision.id)).map((revision) => revision.id);
}

/** The checksum of a migration file's normalized text. */
export async function fileChecksum(path: string): Promise<string> {
  return migrationChecksum(await readFile(path, 'utf8'));
}

/** An applied migration whose file is no longer the one that ran. */
export interface ChangedMigration {
  readonly revision: string;
  /** The file, absolute. */
  readonly path: string;
  /** The checksum recorded when it was applied (or last stamped). */
  readonly recordedChecksum: string;
  readonly checksum: string;
}

/**
 * The applied revisions (those the heads imply) whose files changed since their checksum was recorded. Revisions
 * with no recorded checksum (applied before the history table existed, or by Alembic) are not compared.
 */
export async function changedMigrations(
  project: Project,
  heads: readonly string[],
  recorded: ReadonlyMap<string, string>,
): Promise<ChangedMigration[]> {
  if (recorded.size === 0) return [];
  const candidates = impliedRevisions(project.map, heads).filter((id) => recorded.has(id));
  const checksums = await Promise.all(candidates.map((id) => fileChecksum(project.scriptOf(id).path)));
  const changed: ChangedMigration[] = [];
  candidates.forEach((id, index) => {
    const checksum = checksums[index]!;
    const recordedChecksum = recorded.get(id)!;
    if (checksum !== recordedChecksum) {
      changed.push({ revision: id, path: project.scriptOf(id).path, recordedChecksum, checksum });
    }
  });
  return changed;
}
