import { createHash } from 'node:crypto';

/**
 * The key that names one migration lock: the database plus the version table (schema-qualified when it is not in
 * the default schema). Two runs against the same database and version table contend; anything else does not.
 */
export function migrationLockKey(database: string, versionTable: string): string {
  return JSON.stringify([database, versionTable]);
}

/**
 * The 64-bit PostgreSQL advisory lock id for a lock key: the first 8 bytes of
 * SHA-256("ambix migration lock\0" + key) read as a big-endian signed integer (PostgreSQL's `bigint`).
 * SHA-256 is fixed by specification, so every process, platform and version of ambix derives the same id;
 * the prefix keeps ambix's ids apart from other applications hashing the same names.
 */
export function advisoryLockId(key: string): bigint {
  return createHash('sha256').update(`ambix migration lock\0${key}`, 'utf8').digest().readBigInt64BE(0);
}

/**
 * Where PostgreSQL shows a `bigint` advisory lock in `pg_locks`: the high 32 bits in `classid`, the low 32 bits in
 * `objid` (both unsigned), `objsubid = 1`.
 */
export function advisoryLockTag(id: bigint): { readonly classid: number; readonly objid: number } {
  const unsigned = BigInt.asUintN(64, id);
  return { classid: Number(unsigned >> 32n), objid: Number(unsigned & 0xffffffffn) };
}

/** `database "app", version table "ambix_version"` for a key made by {@link migrationLockKey}; else the key. */
export function describeLockKey(key: string): string {
  try {
    const parsed: unknown = JSON.parse(key);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) {
      return `database "${parsed[0]}", version table "${parsed[1]}"`;
    }
  } catch {
    // not one of ours: show it as it is
  }
  return key;
}
