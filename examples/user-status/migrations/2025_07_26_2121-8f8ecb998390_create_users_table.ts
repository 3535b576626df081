/**
 * Create users table
 *
 * Revision ID: 8f8ecb998390
 * Revises:
 * Create Date: 2025-07-26 21:21:00.000000
 */
import { type Operations, sql } from 'ambix';

export const revision = '8f8ecb998390';
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('users', [
    { name: 'id', type: 'bigint', identity: 'always', primaryKey: true },
    { name: 'username', type: 'varchar(50)', nullable: false, unique: true },
    { name: 'email', type: 'varchar(100)', nullable: false, unique: true },
    { name: 'full_name', type: 'varchar(100)' },
    { name: 'hashed_password', type: 'varchar(255)', nullable: false },
    { name: 'is_active', type: 'boolean', nullable: false, default: true },
    { name: 'is_superuser', type: 'boolean', nullable: false, default: false },
    { name: 'created_at', type: 'timestamp', nullable: false, default: sql`now()` },
    { name: 'updated_at', type: 'timestamp', nullable: false, default: sql`now()` },
    { name: 'bio', type: 'text' },
  ]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('users');
}
