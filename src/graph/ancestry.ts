import type { RevisionMap } from './revision-map.js';

/**
 * Whether `ancestor` is reached from `descendant` by following parents (`downRevisions`) and dependencies.
 * A revision is not its own ancestor.
 */
export function isAncestor(map: RevisionMap, ancestor: string, descendant: string): boolean {
  const seen = new Set<string>();
  const stack = [descendant];
  while (stack.length > 0) {
    const revision = map.get(stack.pop()!);
    if (revision === undefined) continue;
    for (const parent of [...revision.downRevisions, ...revision.dependsOn]) {
      if (parent === ancestor) return true;
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return false;
}
