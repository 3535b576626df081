import { expect } from 'vitest';
import { AmbixError, type AmbixErrorCode } from '../../src/errors.js';
import type { PlanStep, RevisionInput, RevisionMap } from '../../src/graph/index.js';
import { applyStep, buildRevisionMap } from '../../src/graph/index.js';

export interface RevisionOptions {
  readonly labels?: readonly string[];
  readonly dependsOn?: readonly string[];
}

/** A revision as scripts/ would parse it from `versions/<id>.ts`. */
export function rev(
  id: string,
  down: string | readonly string[] = [],
  options: RevisionOptions = {},
): RevisionInput {
  return {
    id,
    downRevisions: typeof down === 'string' ? [down] : down,
    branchLabels: options.labels ?? [],
    dependsOn: options.dependsOn ?? [],
    source: `versions/${id}.ts`,
  };
}

export function history(...inputs: RevisionInput[]): RevisionMap {
  return buildRevisionMap(inputs);
}

export function ids(steps: readonly { readonly revision: { readonly id: string } }[]): string[] {
  return steps.map((step) => step.revision.id);
}

/** The version table after applying `steps` one by one, sorted. */
export function headsAfter(map: RevisionMap, start: readonly string[], steps: readonly PlanStep[]): string[] {
  return [...steps.reduce<readonly string[]>((heads, step) => applyStep(map, heads, step), start)].sort();
}

/** The version table after each step, each sorted. */
export function headsTrail(
  map: RevisionMap,
  start: readonly string[],
  steps: readonly PlanStep[],
): string[][] {
  let heads: readonly string[] = start;
  return steps.map((step) => {
    heads = applyStep(map, heads, step);
    return [...heads].sort();
  });
}

/** Runs `fn`, expects an AmbixError with `code` whose message contains every fragment. */
export function expectError(fn: () => unknown, code: AmbixErrorCode, ...fragments: string[]): AmbixError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AmbixError);
  const error = caught as AmbixError;
  expect(error.code, error.message).toBe(code);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}
