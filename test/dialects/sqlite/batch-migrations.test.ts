/**
 * op.batchAlterTable() in migration files on SQLite, through `upgrade`: online (the table, its trigger and the view
 * on it survive the rebuild) and offline (`--sql`), where the rebuild takes the table from the schema module when
 * the run ends at the heads, and says what to pass when it has nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upgrade } from '../../../src/commands/upgrade.js';
import { AmbixError } from '../../../src/errors.js';
import { testProject } from '../../runtime/support.js';

const CREATE = `await op.createTable('users', [
    { name: 'id', type: 'integer', primaryKey: true, identity: 'always' },
    { name: 'email', type: 'text', nullable: false },
    { name: 'name', type: 'text' },
  ]);
  await op.bulkInsert('users', [{ email: 'ada@example.com', name: 'Ada' }, { email: 'bob@example.com', name: 'Bob' }]);
  await op.execute('CREATE VIEW user_emails AS SELECT id, email FROM users');`;

const TRIGGER = `await op.execute('CREATE TABLE audit (message text)');
  await op.execute("CREATE TRIGGER users_audit AFTER UPDATE OF email ON users BEGIN INSERT INTO audit VALUES ('email of ' || new.id); END");`;

const BATCH = `await op.batchAlterTable('users', (batch) => {
    batch.alterColumn('name', { nullable: false, default: 'anon', existingNullable: true, existingDefault: null });
    batch.addColumn({ name: 'active', type: 'integer', nullable: false, default: 1 });
  });`;

/** The schema module: the users table as it is after the last migration. */
const SCHEMA = `import { integer, table, text } from 'ambix/schema';

export const users = table('users', {
  id: integer().identity().primaryKey(),
  email: text().notNull(),
  name: text().notNull().default('anon'),
  active: integer().notNull().default(1),
});
`;

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ambix-batch-migrations-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function project(options: { trigger: boolean; schema: boolean; later?: boolean; file?: string }) {
  const p = testProject();
  p.migration({ id: 'a1', upgrade: options.trigger ? `${CREATE}\n  ${TRIGGER}` : CREATE, downgrade: '' });
  p.migration({ id: 'a2', down: 'a1', upgrade: BATCH, downgrade: '' });
  // A later migration that leaves users alone.
  if (options.later)
    p.migration({ id: 'a3', down: 'a2', upgrade: "await op.execute('SELECT 1');", downgrade: '' });
  if (options.schema) p.write('src/schema.ts', SCHEMA);
  const file = join(directory, options.file ?? 'app.db');
  const config = await p.config({
    url: `sqlite:${file}`,
    ...(options.schema ? { schema: './src/schema.ts' } : {}),
  });
  return { config, file };
}

type Row = Record<string, unknown>;

function read(file: string, query: string): Row[] {
  const db = new Database(file);
  try {
    return db.prepare(query).all() as Row[];
  } finally {
    db.close();
  }
}

describe('op.batchAlterTable() in a SQLite migration', () => {
  it('runs online with one rebuild, keeping the rows, the trigger and the view', async () => {
    const { config, file } = await project({ trigger: true, schema: false });
    await upgrade(config, 'heads');
    expect(read(file, 'SELECT id, email, name, active FROM users ORDER BY id')).toEqual([
      { id: 1, email: 'ada@example.com', name: 'Ada', active: 1 },
      { id: 2, email: 'bob@example.com', name: 'Bob', active: 1 },
    ]);
    const db = new Database(file);
    try {
      db.exec("UPDATE users SET email = 'ada@example.org' WHERE id = 1");
      expect(db.prepare('SELECT message FROM audit').all()).toEqual([{ message: 'email of 1' }]);
      expect(db.prepare('SELECT * FROM user_emails ORDER BY id').all()).toEqual([
        { id: 1, email: 'ada@example.org' },
        { id: 2, email: 'bob@example.com' },
      ]);
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('writes a --sql script that rebuilds from the schema module, equal in effect to the online run', async () => {
    const online = await project({ trigger: false, schema: true });
    await upgrade(online.config, 'heads');
    const offline = await project({ trigger: false, schema: true, file: 'offline.db' });
    const { script } = await upgrade(offline.config, 'heads', { sql: true });
    expect(script).toContain('CREATE TABLE "_ambix_new_users"');
    const db = new Database(offline.file);
    db.exec(script ?? '');
    db.close();
    const columns = 'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(\'users\')';
    expect(read(offline.file, columns)).toEqual(read(online.file, columns));
    const rows = 'SELECT id, email, name, active FROM users ORDER BY id';
    expect(read(offline.file, rows)).toEqual(read(online.file, rows));
    expect(read(offline.file, 'SELECT * FROM user_emails ORDER BY id')).toEqual(
      read(online.file, 'SELECT * FROM user_emails ORDER BY id'),
    );
  });

  it('without a schema module, --sql says the rebuild needs the table and what to pass', async () => {
    const { config } = await project({ trigger: false, schema: false });
    const error = await upgrade(config, 'heads', { sql: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbixError);
    expect((error as AmbixError).message).toBe(
      'The upgrade of a2 (step a2) failed: op.batchAlterTable(): SQLite cannot change the type, nullability, default or identity of the column "name" in place, and ambix rebuilds the table ("move and copy") once for the whole batch, and --sql mode cannot read table "users" from the database: pass its definition as `existing` to op.batchAlterTable(), or declare it in the schema module (config `schema`)',
    );
  });

  it('does not take the schema module for a run that ends before the heads, which it does not describe', async () => {
    const { config } = await project({ trigger: false, schema: true, later: true });
    const error = await upgrade(config, 'a2', { sql: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbixError);
    expect((error as AmbixError).message).toMatch(/--sql mode cannot read table "users" from the database/);
    await expect(upgrade(config, 'heads', { sql: true })).resolves.toBeDefined();
  });
});
