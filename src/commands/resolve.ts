import { hostname } from 'node:os';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { AmbixError } from '../errors.js';
import { ambixVersion } from '../runtime/ambix-version.js';
import { type DatabaseContext, type DatabaseOptions, withDatabase } from '../runtime/database.js';
import {
  historyInsert,
  readUnfinishedSteps,
  readVersionRows,
  type UnfinishedStep,
  versionTableOperations,
  versionTableTransition,
} from '../runtime/tables.js';

export interface ResolveOptions extends DatabaseOptions {
  /** What the operator made of the half-applied step: finished by hand, or undone. */
  readonly outcome: 'applied' | 'rolled-back';
  /** Skip the migration lock. */
  readonly noLock?: boolean;
}

export interface ResolveResult {
  readonly revision: string;
  /** The failed step's direction. */
  readonly direction: 'up' | 'down';
  readonly outcome: 'applied' | 'rolled-back';
  /** The version table's rows after resolving. */
  readonly heads: readonly string[];
  readonly url: string;
}

/**
 * Settles a step the history says never finished (on MySQL a failed migration stays half-applied, since each DDL
 * statement commits at once; a process killed mid-step leaves the same). `applied`: the operator finished it by
 * hand, so the version table moves as the step would have moved it. `rolled-back`: the operator undid what ran,
 * so the version table stays. Either way a history row records the decision, and upgrade and downgrade run again.
 */
export async function resolve(
  config: ResolvedConfig,
  revision: string,
  options: ResolveOptions,
): Promise<ResolveResult> {
  return withDatabase(config, options, { lock: true, ensureTables: true }, async (context) => {
    const step = await findUnfinished(context, revision);
    const rows = await readVersionRows(context.executor, context.dialect, context.tables);
    const direction = step.direction === 'down' ? 'down' : 'up';
    const applied = options.outcome === 'applied';
    const after = applied ? step.toHeads : rows;
    const { executor, dialect, tables } = context;
    await executor.begin();
    try {
      for (const change of versionTableTransition(rows, after)) {
        for (const operation of versionTableOperations(dialect, tables, change))
          await executor.run(operation);
      }
      const now = new Date();
      await executor.run(
        historyInsert(dialect, tables, [
          {
            revision: step.revision,
            // The newest finished row of a revision says where it stands: applied after an `up`, not after a `down`.
            direction: applied === (direction === 'up') ? 'up' : 'down',
            fromHeads: rows,
            toHeads: after,
            checksum: null,
            startedAt: now,
            finishedAt: now,
            durationMs: 0,
            hostName: hostname(),
            ambixVersion: ambixVersion(),
            error: null,
          },
        ]),
      );
      await executor.commit();
    } catch (error) {
      await executor.rollback().catch(() => {});
      throw error;
    }
    return {
      revision: step.revision ?? revision,
      direction,
      outcome: options.outcome,
      heads: after,
      url: context.session.url,
    };
  });
}

async function findUnfinished(context: DatabaseContext, revision: string): Promise<UnfinishedStep> {
  const unfinished = await readUnfinishedSteps(context.executor, context.dialect, context.tables);
  const matches = unfinished.filter((step) => step.revision?.startsWith(revision) === true);
  if (matches.length === 1) return matches[0]!;
  const pending = unfinished.map((step) => step.revision).join(', ');
  if (matches.length > 1) {
    throw new AmbixError(
      'AMBIGUOUS_REVISION',
      `'${revision}' matches several unfinished steps: ${pending}.`,
      {
        hint: 'Give more characters of the revision id.',
      },
    );
  }
  throw new AmbixError('UNKNOWN_REVISION', `No unfinished step of revision '${revision}' is recorded.`, {
    hint:
      unfinished.length === 0
        ? 'Nothing needs resolving: every step in the history finished.'
        : `Unfinished steps: ${pending}.`,
  });
}
