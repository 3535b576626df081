/**
 * Migrate user status from boolean to text
 *
 * Revision ID: 3b9e5d2a7c14
 * Revises: 8f8ecb998390
 * Create Date: 2025-08-04 10:00:00.000000
 */
import type { Operations } from 'ambix';

export const revision = '3b9e5d2a7c14';
export const downRevision = '8f8ecb998390';
export const branchLabels = null;
export const dependsOn = null;

/** Rows per UPDATE. Override for a run with `ambix upgrade head -x batch_size=1000`. */
const DEFAULT_BATCH_SIZE = 10_000;

const STATUS_FROM_IS_ACTIVE = "CASE WHEN is_active THEN 'active' ELSE 'inactive' END";

/**
 * Adds `status`, fills it from `is_active`, then makes it NOT NULL. `is_active` stays: the running code still reads
 * it, and a later revision can drop it once nothing does.
 *
 * Filling the column with one `UPDATE users SET status = …` would rewrite every row in one transaction: on a
 * large table that holds row locks on every user until the end (sign-ins that update `users` wait) and leaves
 * as many dead row versions for VACUUM at once. So the backfill walks the primary key in ranges of `batch_size`
 * ids, each range its own short UPDATE, committed at once: `op.autocommit()` runs the loop outside the
 * migration's transaction.
 *
 * This makes the migration **online only**. The ranges come from the data (`op.query` reads the smallest and
 * largest id), and `ambix upgrade --sql` has no database to read: there `op.query` stops the script with an
 * error rather than print a backfill that does nothing. A DBA who needs a script writes the single UPDATE above
 * by hand and runs it in a quiet hour.
 *
 * A run that dies half-way is safe to start again: the column is added only if missing, and each batch only
 * touches rows whose `status` is still NULL.
 */
export async function upgrade(op: Operations): Promise<void> {
  const batchSize = Number(op.x.batch_size ?? DEFAULT_BATCH_SIZE);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`-x batch_size must be a positive integer, got ${op.x.batch_size}`);
  }

  await op.addColumn('users', { name: 'status', type: 'varchar(20)' }, { ifNotExists: true });

  await op.autocommit(async () => {
    const [bounds] = await op.query<{ lo: string | null; hi: string | null }>(
      'SELECT min(id)::text AS lo, max(id)::text AS hi FROM users',
    );
    if (bounds?.lo == null || bounds.hi == null) return; // no users yet
    // Read as text, which every driver returns alike; the ids stay far below 2^53, where a number is exact.
    const last = Number(bounds.hi);
    for (let start = Number(bounds.lo); start <= last; start += batchSize) {
      await op.execute(
        `UPDATE users SET status = ${STATUS_FROM_IS_ACTIVE} WHERE id >= $1 AND id < $2 AND status IS NULL`,
        [start, start + batchSize],
      );
    }
  });

  // Back in a transaction. Users who signed up while the batches ran have no status yet: fill them, then forbid
  // NULL. The lock keeps writers out (readers carry on) until the commit, so no new row slips in between.
  await op.execute('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
  await op.execute(`UPDATE users SET status = ${STATUS_FROM_IS_ACTIVE} WHERE status IS NULL`);
  await op.alterColumn('users', 'status', {
    nullable: false,
    existingType: 'varchar(20)',
    existingNullable: true,
  });
  await op.createCheckConstraint('ck_users_status', 'users', "status IN ('active', 'inactive', 'suspended')");
}

/**
 * Reverses cleanly: `status` can say more than `is_active` (a user may have been suspended since), so before the
 * column goes, what it says is carried back into `is_active`, which the old code reads. Only rows whose two
 * columns disagree are written.
 */
export async function downgrade(op: Operations): Promise<void> {
  await op.execute(
    "UPDATE users SET is_active = (status = 'active') WHERE is_active IS DISTINCT FROM (status = 'active')",
  );
  await op.dropConstraint('ck_users_status', 'users');
  await op.dropColumn('users', 'status');
}
