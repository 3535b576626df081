/**
 * op.batchAlterTable() on the databases that alter tables in place, through the runtime's online executor: PGlite
 * in-process, and the MariaDB (or MySQL) server when it can be reached (AMBIX_TEST_MYSQL_URL). The changes run one
 * after another; on MySQL a later change to a column restates it as the earlier ones left it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Dialect } from '../../src/dialects/dialect.js';
import { connectMysql, mysqlDialect } from '../../src/dialects/mysql/index.js';
import { connectPglite, pgliteDialect } from '../../src/dialects/pglite/index.js';
import { operationBuilders as op } from '../../src/operations/builders.js';
import type { Operation } from '../../src/operations/operation.js';
import { reverseOperation } from '../../src/operations/reverse.js';
import { onlineExecutor } from '../../src/runtime/executor.js';
import { describeMysql, mysqlAdmin, mysqlUrlForDatabase } from './helpers/mysql.js';

const batch = op.batchAlterTable('people', (b) => {
  b.addColumn({ name: 'age', type: 'integer', nullable: false, default: 0 });
  b.alterColumn('email', { type: 'varchar(320)', existingType: 'varchar(255)' });
  b.alterColumn('email', { nullable: true, existingNullable: false });
  b.alterColumn('name', { newName: 'full_name' });
  b.createIndex('people_age_idx', ['age']);
  b.createUniqueConstraint('people_email_key', ['email']);
});

/** The scenario each database runs: a table with rows, the batch, then its reverse. */
function scenario(dialect: Dialect, open: () => Promise<Connection>) {
  let connection: Connection;
  const rows = async (sql: string) => (await connection.query(sql)).rows;
  const run = async (...operations: Operation[]) => {
    const executor = onlineExecutor(connection, dialect);
    for (const operation of operations) await executor.run(operation);
  };
  const integer = dialect.name === 'mysql' ? 'int' : 'integer';
  const columns = async () =>
    (
      await rows(
        dialect.name === 'mysql'
          ? "SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'people' ORDER BY ORDINAL_POSITION"
          : "SELECT column_name AS name, is_nullable AS nullable, data_type AS type FROM information_schema.columns WHERE table_name = 'people' ORDER BY ordinal_position",
      )
    )
      // MariaDB and MySQL before 8.0.19 print int as int(11).
      .map((row) => `${row.name} ${String(row.type).replace(/^int\(\d+\)$/, 'int')} ${row.nullable}`);

  beforeAll(async () => {
    connection = await open();
    await run(
      op.createTable('people', [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'email', type: 'varchar(255)', nullable: false },
        { name: 'name', type: 'text' },
      ]),
      op.bulkInsert('people', [
        { id: 1, email: 'ada@example.com', name: 'Ada' },
        { id: 2, email: 'bob@example.com', name: 'Bob' },
      ]),
    );
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('runs every change of the batch, keeping the rows', async () => {
    await run(batch);
    const varchar = dialect.name === 'mysql' ? 'varchar(320)' : 'character varying';
    expect(await columns()).toEqual([
      `id ${integer} NO`,
      `email ${varchar} YES`,
      'full_name text YES',
      `age ${integer} NO`,
    ]);
    expect(await rows('SELECT id, email, full_name, age FROM people ORDER BY id')).toEqual([
      { id: 1, email: 'ada@example.com', full_name: 'Ada', age: 0 },
      { id: 2, email: 'bob@example.com', full_name: 'Bob', age: 0 },
    ]);
    await expect(
      run(op.bulkInsert('people', [{ id: 3, email: 'ada@example.com', full_name: 'Ada again' }])),
    ).rejects.toThrow();
  });

  it('is undone by its reverse', async () => {
    await run(reverseOperation(batch));
    const varchar = dialect.name === 'mysql' ? 'varchar(255)' : 'character varying';
    expect(await columns()).toEqual([`id ${integer} NO`, `email ${varchar} NO`, 'name text YES']);
    expect(await rows('SELECT id, email, name FROM people ORDER BY id')).toEqual([
      { id: 1, email: 'ada@example.com', name: 'Ada' },
      { id: 2, email: 'bob@example.com', name: 'Bob' },
    ]);
  });
}

describe('op.batchAlterTable() on PGlite', () => {
  scenario(pgliteDialect, () => connectPglite(undefined));
});

describeMysql('op.batchAlterTable() on the MySQL/MariaDB server', () => {
  const database = `ambix_batch_${process.pid}_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    await mysqlAdmin(`CREATE DATABASE \`${database}\``);
  });
  afterAll(async () => {
    await mysqlAdmin(`DROP DATABASE IF EXISTS \`${database}\``);
  });
  scenario(mysqlDialect, () => connectMysql(mysqlUrlForDatabase(database)));
});
