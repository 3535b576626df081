/**
 * MySQL's renderer run on the MariaDB (or MySQL) server: each scenario renders operations, runs them, and checks
 * what they did through information_schema. Operations that need a table's present definition get it the way the
 * runtime gives it: the tables `tablesNeeded` names, reflected (mysqlIntrospector) just before. The file works in a
 * database of its own, dropped afterwards. Without a reachable server (AMBIX_TEST_MYSQL_URL) the tests are
 * skipped locally, with the reason printed; in CI they run, and fail.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RenderContext } from '../../../src/dialects/dialect.js';
import { connectMysql, type MysqlConnection } from '../../../src/dialects/mysql/driver.js';
import { mysqlIntrospector } from '../../../src/dialects/mysql/introspect.js';
import { mysqlRenderer } from '../../../src/dialects/mysql/renderer.js';
import { operationBuilders as build } from '../../../src/operations/builders.js';
import type { ColumnInput } from '../../../src/operations/definitions.js';
import type { Operation } from '../../../src/operations/operation.js';
import { reverseOperation } from '../../../src/operations/reverse.js';
import { sql } from '../../../src/operations/sql-expression.js';
import type { TableModel } from '../../../src/schema/model.js';
import { describeMysql, mysqlAdmin, mysqlUrlForDatabase } from '../helpers/mysql.js';

/** The operations that create a reflected table again, under another name: every field the model holds. */
function recreated(table: TableModel, name: string): Operation[] {
  const columns: ColumnInput[] = table.columns.map((column) => ({
    name: column.name,
    type: column.type,
    nullable: column.nullable,
    ...(column.default === undefined ? {} : { default: sql.raw(column.default) }),
    ...(column.identity === undefined ? {} : { identity: 'byDefault' as const }),
    ...(column.generated === undefined ? {} : { generated: column.generated }),
    ...(column.generatedKind === undefined ? {} : { generatedKind: column.generatedKind }),
    ...(column.onUpdate === undefined ? {} : { onUpdate: column.onUpdate }),
    ...(column.collation === undefined ? {} : { collation: column.collation }),
    ...(column.comment === undefined ? {} : { comment: column.comment }),
  }));
  return [
    build.createTable(name, columns, {
      constraints:
        table.primaryKey === undefined ? [] : [{ type: 'primaryKey', columns: table.primaryKey.columns }],
      ...(table.engine === undefined ? {} : { engine: table.engine }),
      ...(table.collation === undefined ? {} : { collation: table.collation }),
      ...(table.comment === undefined ? {} : { comment: table.comment }),
    }),
    ...table.indexes.map((index) =>
      build.createIndex(
        index.name,
        name,
        index.elements.map((element) => ({
          column: element.column ?? '',
          ...(element.order === undefined ? {} : { order: element.order }),
          ...(element.length === undefined ? {} : { length: element.length }),
        })),
        { unique: index.unique, using: index.method },
      ),
    ),
  ];
}

describeMysql('mysqlRenderer on a server', () => {
  const database = `ambix_render_${process.pid}_${randomBytes(4).toString('hex')}`;
  let db: MysqlConnection;
  /** MariaDB keeps a column-level CHECK with its column and has sequences; MySQL does neither. */
  let mariadb = false;

  beforeAll(async () => {
    await mysqlAdmin(`CREATE DATABASE \`${database}\``);
    db = await connectMysql(mysqlUrlForDatabase(database));
    mariadb = /MariaDB/i.test(String((await db.query('SELECT VERSION() AS v')).rows[0]?.v));
  });

  afterAll(async () => {
    await db?.close();
    await mysqlAdmin(`DROP DATABASE IF EXISTS \`${database}\``);
  });

  const rows = async (text: string, params?: readonly unknown[]) => (await db.query(text, params)).rows;

  async function one(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>> {
    const [row] = await rows(text, params);
    if (row === undefined) throw new Error(`no row from ${text}`);
    return row;
  }

  /** Renders and runs an operation, with the tables it needs read from the database first, as online. */
  async function apply(operation: Operation): Promise<readonly string[]> {
    const tables = new Map<string, TableModel>();
    for (const reference of mysqlRenderer.tablesNeeded?.(operation) ?? []) {
      tables.set(reference.name, await reflect(reference.name));
    }
    const context: RenderContext = { table: (_schema, name) => tables.get(name) };
    const statements = mysqlRenderer.render(operation, context);
    for (const statement of statements) await db.query(statement.sql, statement.params);
    return statements.map((statement) => statement.sql);
  }

  async function applyAll(...operations: readonly Operation[]): Promise<void> {
    for (const operation of operations) await apply(operation);
  }

  /** The table as reflection reads it (the session's database is the schema `main` in the model). */
  async function reflect(table: string): Promise<TableModel> {
    const model = await mysqlIntrospector.introspect(db);
    const found = model.tables.find((candidate) => candidate.name === table);
    if (found === undefined) throw new Error(`reflection did not find ${table}`);
    return found;
  }

  async function columnInfo(table: string, column: string): Promise<Record<string, unknown>> {
    return one(
      `SELECT COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, EXTRA AS extra,
              GENERATION_EXPRESSION AS generated, COLLATION_NAME AS collation, COLUMN_COMMENT AS comment
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
      [table, column],
    );
  }

  async function columnNames(table: string): Promise<string[]> {
    const found = await rows(
      'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [table],
    );
    return found.map((row) => String(row.name));
  }

  async function constraintsOf(table: string): Promise<string[]> {
    const found = await rows(
      'SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [table],
    );
    return found.map((row) => `${String(row.type)} ${String(row.name)}`).sort();
  }

  async function checksOf(table: string): Promise<string[]> {
    const found = await rows(
      'SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [table],
    );
    return found.map((row) => `${String(row.name)}: ${String(row.clause)}`).sort();
  }

  /** `name(unique): columns`, one per index, the way SHOW INDEX lists them. */
  async function indexesOf(table: string): Promise<string[]> {
    const found = await rows(
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, INDEX_TYPE AS type,
              GROUP_CONCAT(CONCAT(COLUMN_NAME, IF(COLLATION = 'D', ' DESC', '')) ORDER BY SEQ_IN_INDEX) AS columns
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
        GROUP BY INDEX_NAME, NON_UNIQUE, INDEX_TYPE`,
      [table],
    );
    return found
      .map(
        (row) =>
          `${String(row.name)}${Number(row.nonUnique) === 0 ? ' unique' : ''} ${String(row.type)}: ${String(row.columns)}`,
      )
      .sort();
  }

  it('creates a table with every kind of column MySQL has', async () => {
    await applyAll(
      build.createTable('teams', [{ name: 'id', type: 'bigint', primaryKey: true }]),
      build.createTable(
        'people',
        [
          { name: 'id', type: 'bigint', identity: { start: 100 }, primaryKey: true },
          {
            name: 'email',
            type: 'varchar(255)',
            nullable: false,
            unique: true,
            comment: "the user's address",
          },
          {
            name: 'status',
            type: 'varchar(20)',
            nullable: false,
            default: "it's \\ ok",
            check: "status <> ''",
          },
          { name: 'created_at', type: 'datetime(3)', nullable: false, default: sql`CURRENT_TIMESTAMP(3)` },
          {
            name: 'touched_at',
            type: 'timestamp',
            nullable: true,
            default: sql`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP`,
          },
          { name: 'token', type: 'char(36)', default: sql`uuid()` },
          { name: 'code', type: 'varchar(10)', collation: 'utf8mb4_bin' },
          { name: 'score', type: 'int', default: -1 },
          { name: 'active', type: 'boolean', default: true },
          { name: 'tags', type: 'json', default: sql`JSON_ARRAY(${'a'})` },
          { name: 'hash', type: 'varbinary(4)', default: new Uint8Array([0, 255]) },
          { name: 'born', type: 'datetime(3)', default: new Date('2000-01-02T03:04:05.678Z') },
          { name: 'double_score', type: 'int', generated: sql`${sql.identifier('score')} * 2` },
          {
            name: 'team_id',
            type: 'bigint',
            references: { table: 'teams', column: 'id', onDelete: 'set null', name: 'fk_people_team' },
          },
        ],
        {
          comment: 'People',
          constraints: [{ type: 'check', name: 'ck_people_score', expression: 'score > -10' }],
        },
      ),
    );

    expect(await columnInfo('people', 'id')).toMatchObject({
      type: 'bigint(20)',
      nullable: 'NO',
      extra: 'auto_increment',
    });
    expect(await columnInfo('people', 'email')).toMatchObject({
      nullable: 'NO',
      comment: "the user's address",
    });
    expect(await columnInfo('people', 'status')).toMatchObject({ def: "'it''s \\\\ ok'", nullable: 'NO' });
    expect(await columnInfo('people', 'created_at')).toMatchObject({ def: 'current_timestamp(3)' });
    expect(await columnInfo('people', 'touched_at')).toMatchObject({
      def: 'current_timestamp()',
      extra: 'on update current_timestamp()',
      nullable: 'YES',
    });
    expect(await columnInfo('people', 'token')).toMatchObject({ def: 'uuid()' });
    expect(await columnInfo('people', 'code')).toMatchObject({ collation: 'utf8mb4_bin' });
    expect(await columnInfo('people', 'score')).toMatchObject({ def: '-1' });
    expect(await columnInfo('people', 'active')).toMatchObject({ type: 'tinyint(1)', def: '1' });
    expect(await columnInfo('people', 'born')).toMatchObject({ def: "'2000-01-02 03:04:05.678'" });
    expect(await columnInfo('people', 'double_score')).toMatchObject({
      generated: '`score` * 2',
      extra: 'STORED GENERATED',
    });
    // MariaDB's JSON type is LONGTEXT with a check of its own, named after the column.
    const constraints = (await constraintsOf('people')).filter((name) => name !== 'CHECK tags');
    expect(constraints).toEqual([
      'CHECK ck_people_score',
      'CHECK status',
      'FOREIGN KEY fk_people_team',
      'PRIMARY KEY PRIMARY',
      'UNIQUE email',
    ]);
    expect(
      await one(
        "SELECT DELETE_RULE AS rule FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'fk_people_team'",
      ),
    ).toEqual({ rule: 'SET NULL' });
    expect(
      await one(
        "SELECT TABLE_COMMENT AS comment, AUTO_INCREMENT AS next FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'people'",
      ),
    ).toMatchObject({ comment: 'People' });

    await db.query("INSERT INTO people (email, score) VALUES ('a@example.com', 4)");
    expect(
      await one(
        "SELECT id, status, active, HEX(hash) AS hash, JSON_UNQUOTE(JSON_EXTRACT(tags, '$[0]')) AS tag, born, double_score FROM people",
      ),
    ).toEqual({
      id: '100',
      status: "it's \\ ok",
      active: 1,
      hash: '00FF',
      tag: 'a',
      born: '2000-01-02 03:04:05.678',
      double_score: 8,
    });
  });

  it('alters columns, restating each from the table: type, nullability, default, rename, comment', async () => {
    await apply(
      build.createTable('accounts', [
        { name: 'id', type: 'int', identity: 'byDefault', primaryKey: true, comment: 'key' },
        { name: 'name', type: 'varchar(50)', nullable: false, default: 'anon', comment: 'display name' },
        { name: 'code', type: 'varchar(10)', collation: 'utf8mb4_bin' },
        { name: 'age', type: 'int', check: 'age >= 0' },
        { name: 'total', type: 'int', generated: 'age * 2', comment: 'derived' },
      ]),
    );

    // A type change keeps AUTO_INCREMENT and the comment.
    expect(await apply(build.alterColumn('accounts', 'id', { type: 'bigint' }))).toEqual([
      "ALTER TABLE `accounts` MODIFY COLUMN `id` bigint NOT NULL AUTO_INCREMENT COMMENT 'key'",
    ]);
    expect(await columnInfo('accounts', 'id')).toMatchObject({
      type: 'bigint(20)',
      extra: 'auto_increment',
      comment: 'key',
    });

    // The table as it is wins over stale existing… fields: the column keeps its varchar(50).
    await apply(
      build.alterColumn('accounts', 'name', { comment: 'shown name', existingType: 'varchar(20)' }),
    );
    expect(await columnInfo('accounts', 'name')).toMatchObject({
      type: 'varchar(50)',
      comment: 'shown name',
    });
    await apply(build.alterColumn('accounts', 'name', { comment: 'display name' }));

    // Nullability keeps the default and the comment.
    await apply(build.alterColumn('accounts', 'name', { nullable: true }));
    expect(await columnInfo('accounts', 'name')).toMatchObject({
      nullable: 'YES',
      def: "'anon'",
      comment: 'display name',
    });

    // A default alone, set and dropped.
    await apply(build.alterColumn('accounts', 'name', { default: "it's" }));
    expect(await columnInfo('accounts', 'name')).toMatchObject({ def: "'it''s'" });
    await apply(build.alterColumn('accounts', 'name', { default: null }));
    expect(await columnInfo('accounts', 'name')).toMatchObject({ def: 'NULL' });

    // A rename alone, then a rename with a comment change and a default.
    await apply(build.alterColumn('accounts', 'name', { newName: 'display_name' }));
    await apply(
      build.alterColumn('accounts', 'display_name', { newName: 'label', comment: 'shown', default: 'x' }),
    );
    expect(await columnNames('accounts')).toEqual(['id', 'label', 'code', 'age', 'total']);
    expect(await columnInfo('accounts', 'label')).toMatchObject({
      type: 'varchar(50)',
      nullable: 'YES',
      def: "'x'",
      comment: 'shown',
    });

    // The collation stays while the type does.
    await apply(build.alterColumn('accounts', 'code', { nullable: false }));
    expect(await columnInfo('accounts', 'code')).toMatchObject({ nullable: 'NO', collation: 'utf8mb4_bin' });

    // MariaDB's column check survives the restatement, and follows a rename.
    await apply(build.alterColumn('accounts', 'age', { type: 'bigint' }));
    expect(await columnInfo('accounts', 'age')).toMatchObject({ type: 'bigint(20)' });
    const ageChecks = await checksOf('accounts');
    await apply(build.alterColumn('accounts', 'age', { newName: 'years', nullable: false }));
    expect(await columnInfo('accounts', 'years')).toMatchObject({ nullable: 'NO' });
    if (ageChecks.includes('age: `age` >= 0'))
      expect(await checksOf('accounts')).toEqual(['years: `years` >= 0']);
    await expect(db.query('INSERT INTO accounts (code, years) VALUES (?, ?)', ['c', -1])).rejects.toThrow(
      /CONSTRAINT/,
    );

    // A generated column keeps its expression when its comment changes.
    await apply(build.alterColumn('accounts', 'total', { comment: null }));
    expect(await columnInfo('accounts', 'total')).toMatchObject({
      generated: '`years` * 2',
      extra: 'STORED GENERATED',
      comment: '',
    });

    // Without the table's definition, the operation's existing fields are enough.
    const statements = mysqlRenderer.render(
      build.alterColumn('accounts', 'label', {
        type: 'varchar(80)',
        existingNullable: true,
        existingDefault: 'x',
        existingComment: 'shown',
      }),
    );
    for (const statement of statements) await db.query(statement.sql);
    expect(await columnInfo('accounts', 'label')).toMatchObject({
      type: 'varchar(80)',
      def: "'x'",
      comment: 'shown',
    });
  });

  it('adds and drops constraints: by their definitions, by the table, and by name', async () => {
    await applyAll(
      build.createTable('orders', [
        { name: 'id', type: 'bigint', nullable: false },
        { name: 'tenant', type: 'varchar(20)', nullable: false },
        { name: 'total', type: 'int' },
      ]),
      build.createTable('lines', [
        { name: 'id', type: 'bigint', identity: 'always', primaryKey: true },
        { name: 'order_id', type: 'bigint' },
        { name: 'tenant', type: 'varchar(20)' },
      ]),
    );
    const created: Operation[] = [
      build.createPrimaryKey('pk_orders', 'orders', ['id', 'tenant']),
      build.createUniqueConstraint('uq_orders_total', 'orders', ['total', 'tenant']),
      build.createCheckConstraint('ck_orders_total', 'orders', sql`total >= ${0}`),
      build.createForeignKey(
        'fk_lines_order',
        'lines',
        ['order_id', 'tenant'],
        {
          table: 'orders',
          columns: ['id', 'tenant'],
        },
        { onDelete: 'cascade' },
      ),
    ];
    await applyAll(...created);
    expect(await constraintsOf('orders')).toEqual([
      'CHECK ck_orders_total',
      'PRIMARY KEY PRIMARY',
      'UNIQUE uq_orders_total',
    ]);
    expect(await constraintsOf('lines')).toEqual(['FOREIGN KEY fk_lines_order', 'PRIMARY KEY PRIMARY']);

    // The computed reverses carry the kind.
    for (const operation of [...created].reverse()) await apply(reverseOperation(operation));
    expect(await constraintsOf('orders')).toEqual([]);
    expect(await constraintsOf('lines')).toEqual(['PRIMARY KEY PRIMARY']);

    // Without it, the kind comes from the table (foreign key, unique) or DROP CONSTRAINT does (check).
    await applyAll(...created);
    await apply(build.dropConstraint('fk_lines_order', 'lines'));
    await apply(build.dropConstraint('uq_orders_total', 'orders'));
    const [dropCheck] = mysqlRenderer.render(build.dropConstraint('ck_orders_total', 'orders'));
    await db.query(dropCheck?.sql ?? '');
    // The model names a primary key <table>_pkey; MySQL's own name for it is PRIMARY.
    await apply(build.dropConstraint('orders_pkey', 'orders'));
    await apply(build.dropConstraint('PRIMARY', 'orders', { ifExists: true }));
    expect(await constraintsOf('orders')).toEqual([]);
    expect(await constraintsOf('lines')).toEqual(['PRIMARY KEY PRIMARY']);
  });

  it('creates and drops indexes, online or not', async () => {
    await apply(
      build.createTable('docs', [
        { name: 'id', type: 'int', primaryKey: true },
        { name: 'title', type: 'varchar(100)' },
        { name: 'body', type: 'text' },
        { name: 'slug', type: 'varchar(100)' },
      ]),
    );
    const created = [
      build.createIndex('ix_docs_title', 'docs', [{ column: 'title', order: 'desc' }, 'id'], {
        using: 'btree',
      }),
      build.createIndex('ux_docs_slug', 'docs', ['slug'], { unique: true, concurrently: true }),
      build.createIndex('ft_docs_body', 'docs', ['body'], { using: 'fulltext' }),
    ];
    await applyAll(...created);
    await apply(build.createIndex('ix_docs_title', 'docs', ['title'], { ifNotExists: true }));
    expect(await indexesOf('docs')).toEqual([
      'PRIMARY unique BTREE: id',
      'ft_docs_body FULLTEXT: body',
      'ix_docs_title BTREE: title DESC,id',
      'ux_docs_slug unique BTREE: slug',
    ]);
    for (const operation of created) await apply(reverseOperation(operation));
    await apply(
      build.dropIndex('ix_docs_title', { ifExists: true, existing: { table: 'docs', columns: ['title'] } }),
    );
    expect(await indexesOf('docs')).toEqual(['PRIMARY unique BTREE: id']);
  });

  it('adds and drops columns with their keys', async () => {
    await applyAll(
      build.createTable('parents', [{ name: 'id', type: 'int', primaryKey: true }]),
      build.createTable('children', [{ name: 'name', type: 'varchar(20)' }]),
      build.addColumn('children', { name: 'id', type: 'int', identity: { start: 40 }, primaryKey: true }),
      build.addColumn('children', {
        name: 'parent_id',
        type: 'int',
        comment: 'the parent',
        references: { table: 'parents', column: 'id', name: 'fk_children_parent' },
      }),
      build.addColumn('children', { name: 'parent_id', type: 'int' }, { ifNotExists: true }),
    );
    expect(await columnNames('children')).toEqual(['name', 'id', 'parent_id']);
    expect(await constraintsOf('children')).toEqual([
      'FOREIGN KEY fk_children_parent',
      'PRIMARY KEY PRIMARY',
    ]);
    expect(await columnInfo('children', 'parent_id')).toMatchObject({ comment: 'the parent' });
    await db.query("INSERT INTO children (name) VALUES ('a')");
    expect(await one('SELECT id FROM children')).toEqual({ id: 40 });

    await applyAll(
      build.dropConstraint('fk_children_parent', 'children'),
      build.dropColumn('children', 'parent_id'),
      build.dropColumn('children', 'parent_id', { ifExists: true }),
    );
    expect(await columnNames('children')).toEqual(['name', 'id']);

    // The identity goes before its key can, and comes back after it, where it goes on counting.
    await applyAll(
      build.alterColumn('children', 'id', { identity: null, existingIdentity: 'byDefault' }),
      build.dropConstraint('children_pkey', 'children'),
    );
    expect(await columnInfo('children', 'id')).toMatchObject({ extra: '', nullable: 'NO' });
    expect(await constraintsOf('children')).toEqual([]);
    await apply(build.createPrimaryKey('children_pkey', 'children', ['id']));
    expect(
      await apply(build.alterColumn('children', 'id', { identity: { start: 100 }, existingIdentity: null })),
    ).toEqual([
      'ALTER TABLE `children` MODIFY COLUMN `id` int(11) NOT NULL AUTO_INCREMENT, AUTO_INCREMENT = 100',
    ]);
    await db.query("INSERT INTO children (name) VALUES ('b')");
    expect(await one("SELECT id FROM children WHERE name = 'b'")).toEqual({ id: 100 });
  });

  it('round-trips ON UPDATE, virtual columns, prefix lengths, the engine and the collation through reflection', async () => {
    await applyAll(
      build.createTable(
        'round_trip',
        [
          { name: 'id', type: 'int', primaryKey: true },
          { name: 'email', type: 'varchar(255)', nullable: false },
          {
            name: 'updated_at',
            type: 'datetime(3)',
            nullable: false,
            default: sql`CURRENT_TIMESTAMP(3)`,
            onUpdate: sql`CURRENT_TIMESTAMP(3)`,
          },
          { name: 'seen_at', type: 'datetime', onUpdate: sql`CURRENT_TIMESTAMP` },
          {
            name: 'domain',
            type: 'varchar(255)',
            generated: sql`substring_index(${sql.identifier('email')}, ${'@'}, -1)`,
            generatedKind: 'virtual',
          },
          { name: 'shout', type: 'varchar(255)', generated: 'upper(email)', generatedKind: 'stored' },
        ],
        { engine: 'Aria', collation: 'utf8mb4_bin' },
      ),
      build.createIndex('ix_email_prefix', 'round_trip', [{ column: 'email', length: 10 }]),
      build.createIndex('ix_shout', 'round_trip', [{ column: 'shout', length: 5, order: 'desc' }, 'id']),
    );
    const reflected = await reflect('round_trip');
    expect(reflected).toMatchObject({ engine: 'Aria', collation: 'utf8mb4_bin' });
    const byName = (name: string) => reflected.columns.find((column) => column.name === name);
    expect(byName('updated_at')).toMatchObject({
      onUpdate: expect.stringMatching(/^current_timestamp\(3\)$/i),
    });
    expect(byName('seen_at')).toMatchObject({
      onUpdate: expect.stringMatching(/^current_timestamp(\(\))?$/i),
    });
    expect(byName('domain')).toMatchObject({ generatedKind: 'virtual' });
    expect(byName('shout')?.generatedKind).toBeUndefined();
    expect(reflected.indexes).toEqual([
      {
        name: 'ix_email_prefix',
        unique: false,
        method: 'btree',
        elements: [{ column: 'email', length: 10 }],
      },
      {
        name: 'ix_shout',
        unique: false,
        method: 'btree',
        elements: [{ column: 'shout', length: 5, order: 'desc' }, { column: 'id' }],
      },
    ]);
    expect(await columnInfo('round_trip', 'domain')).toMatchObject({ extra: 'VIRTUAL GENERATED' });

    // The model, rendered back under another name, reads back the same.
    await applyAll(...recreated(reflected, 'round_trip_copy'));
    const copy = await reflect('round_trip_copy');
    expect(copy.primaryKey?.columns).toEqual(['id']);
    expect({ ...copy, name: reflected.name, primaryKey: reflected.primaryKey }).toEqual(reflected);

    // Restating a column keeps its ON UPDATE and its kind.
    await apply(build.alterColumn('round_trip', 'updated_at', { comment: 'changed' }));
    await apply(build.alterColumn('round_trip', 'domain', { comment: 'after the @' }));
    expect(await columnInfo('round_trip', 'updated_at')).toMatchObject({
      extra: expect.stringMatching(/on update current_timestamp\(3\)/i),
      comment: 'changed',
    });
    expect(await columnInfo('round_trip', 'domain')).toMatchObject({
      extra: 'VIRTUAL GENERATED',
      comment: 'after the @',
    });
    await db.query("INSERT INTO round_trip (id, email) VALUES (1, 'a@example.com')");
    expect(await one('SELECT domain, shout FROM round_trip')).toEqual({
      domain: 'example.com',
      shout: 'A@EXAMPLE.COM',
    });

    // Dropping an index names its table: given, or carried by the reverse of createIndex.
    await apply(build.dropIndex('ix_email_prefix', { table: 'round_trip' }));
    await apply(
      reverseOperation(build.createIndex('ix_shout', 'round_trip', [{ column: 'shout', length: 5 }])),
    );
    expect(await indexesOf('round_trip')).toEqual(['PRIMARY unique BTREE: id']);
  });

  it('renames and comments tables, and drops them', async () => {
    await applyAll(
      build.createTable('old_name', [{ name: 'id', type: 'int' }]),
      build.renameTable('old_name', 'new_name'),
      build.setTableComment('new_name', "it's \\ here"),
    );
    const comment = () =>
      one(
        "SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'new_name'",
      );
    expect(await comment()).toEqual({ comment: "it's \\ here" });
    await apply(build.setTableComment('new_name', null));
    expect(await comment()).toEqual({ comment: '' });
    await applyAll(build.dropTable('new_name'), build.dropTable('new_name', { ifExists: true }));
    expect(await rows("SHOW TABLES LIKE 'new_name'")).toEqual([]);
  });

  it('creates, replaces and drops views', async () => {
    await applyAll(
      build.createTable('items', [
        { name: 'id', type: 'int' },
        { name: 'status', type: 'varchar(10)' },
      ]),
      build.createView('open_items', sql`SELECT id FROM items WHERE status = ${"it's"}`, {
        columns: ['item_id'],
      }),
    );
    await db.query("INSERT INTO items VALUES (1, 'it''s'), (2, 'no')");
    expect(await rows('SELECT * FROM open_items')).toEqual([{ item_id: 1 }]);
    await apply(
      build.createView('open_items', 'SELECT id, status FROM items', {
        orReplace: true,
        columns: ['item_id', 'state'],
      }),
    );
    expect(await rows('SELECT * FROM open_items ORDER BY item_id')).toHaveLength(2);
    await applyAll(build.dropView('open_items'), build.dropView('open_items', { ifExists: true }));
    expect(await rows("SHOW TABLES LIKE 'open_items'")).toEqual([]);
  });

  const AWKWARD = [
    "it's",
    'a\\b',
    '\\',
    "\\'",
    "''",
    '"double" `back`',
    'line\nbreak\ttab\r',
    'nul\0char',
    'héllo wörld ✓',
    'emoji 🙂👍🏽',
    '-- not a comment',
    '/* nor this */',
    '# nor this',
    '',
  ];

  it('inserts awkward strings, bound and inlined, as the same rows', async () => {
    await applyAll(
      build.createTable('bound_rows', [
        { name: 'n', type: 'int', primaryKey: true },
        { name: 'text', type: 'text' },
        { name: 'at', type: 'datetime(3)' },
        { name: 'data', type: 'varbinary(8)' },
        { name: 'doc', type: 'json' },
        { name: 'flag', type: 'boolean', default: true },
        { name: 'big', type: 'bigint' },
      ]),
      build.createTable('inlined_rows', [
        { name: 'n', type: 'int', primaryKey: true },
        { name: 'text', type: 'text' },
        { name: 'at', type: 'datetime(3)' },
        { name: 'data', type: 'varbinary(8)' },
        { name: 'doc', type: 'json' },
        { name: 'flag', type: 'boolean', default: true },
        { name: 'big', type: 'bigint' },
      ]),
    );
    const values = AWKWARD.map((text, n) => ({
      n,
      text,
      at: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, n)),
      data: new Uint8Array([n, 0, 255, 39, 92]),
      doc: { text, list: [n, null] },
      ...(n % 2 === 0 ? {} : { flag: false }),
      big: 9_007_199_254_740_993n,
    }));
    values.push({
      n: 100,
      text: sql`CONCAT(${"it's"}, ${'\\'})`,
      at: null,
      data: null,
      doc: null,
      flag: false,
      big: null,
    } as never);
    for (const statement of mysqlRenderer.render(build.bulkInsert('bound_rows', values))) {
      await db.query(statement.sql, statement.params);
    }
    for (const statement of mysqlRenderer.render(build.bulkInsert('inlined_rows', values))) {
      await db.query(mysqlRenderer.inline(statement));
    }
    const read = (table: string) =>
      rows(`SELECT n, text, at, HEX(data) AS data, doc, flag, big FROM ${table} ORDER BY n`);
    const bound = await read('bound_rows');
    expect(await read('inlined_rows')).toEqual(bound);
    expect(bound.slice(0, -1).map((row) => row.text)).toEqual(AWKWARD);
    expect(bound[1]).toMatchObject({
      at: '2024-02-29 23:59:59.001',
      data: '0100FF275C',
      flag: 0,
      big: '9007199254740993',
    });
    // mysql2 parses what the server marks as JSON, which MariaDB does for its JSON alias only on some versions.
    const doc = bound[1]?.doc;
    expect(typeof doc === 'string' ? JSON.parse(doc) : doc).toEqual({ text: 'a\\b', list: [1, null] });
    expect(bound.at(-1)).toMatchObject({ text: "it's\\", flag: 0, doc: null });
  });

  it('writes literals that mean what the bound values mean', async () => {
    const values: unknown[] = [
      ...AWKWARD,
      null,
      true,
      false,
      0,
      -1,
      1.5,
      -2.25e-7,
      1e21,
      9_007_199_254_740_993n,
      -9_223_372_036_854_775_808n,
      new Date('2024-02-29T23:59:59.999Z'),
      new Uint8Array([0, 1, 254, 255]),
      new Uint8Array(0),
      ['a', "it's", 1, null],
      { a: 'b\\c', d: [1] },
    ];
    for (const value of values) {
      const literal = mysqlRenderer.literal(value);
      const row = await one(`SELECT (${literal}) <=> ? AS same, BINARY (${literal}) <=> BINARY ? AS exact`, [
        value,
        value,
      ]);
      expect({ literal, ...row }).toEqual({ literal, same: 1, exact: 1 });
    }
  });

  it('creates, alters and drops MariaDB sequences', async () => {
    if (!mariadb) return; // MySQL has no sequences.
    await apply(
      build.createSequence('order_no', { start: 10, increment: 5, maxValue: null, cache: 2, cycle: false }),
    );
    expect(await one('SELECT NEXTVAL(order_no) AS n')).toEqual({ n: '10' });
    expect(await one('SELECT NEXTVAL(order_no) AS n')).toEqual({ n: '15' });
    await apply(build.alterSequence('order_no', { increment: 1, restart: 100 }));
    expect(await one('SELECT NEXTVAL(order_no) AS n')).toEqual({ n: '100' });
    await apply(build.alterSequence('order_no', { restart: true }));
    expect(await one('SELECT NEXTVAL(order_no) AS n')).toEqual({ n: '10' });
    await applyAll(build.dropSequence('order_no'), build.dropSequence('order_no', { ifExists: true }));
    await expect(db.query('SELECT NEXTVAL(order_no)')).rejects.toThrow();
  });

  it('creates, calls and drops routines, and drops triggers', async () => {
    await applyAll(
      build.createFunction('add_tax', {
        parameters: [
          { name: 'amount', type: 'decimal(10,2)' },
          { name: 'rate', type: 'decimal(4,2)' },
        ],
        returns: 'decimal(10,2)',
        language: 'sql',
        body: 'RETURN amount * (1 + rate)',
        volatility: 'immutable',
      }),
      build.createFunction('double_it', {
        parameters: [
          { name: 'a', type: 'int', mode: 'in' },
          { name: 'b', type: 'int', mode: 'out' },
        ],
        returns: 'void',
        language: 'sql',
        body: 'BEGIN SET b = a * 2; END',
        procedure: true,
      }),
    );
    expect(await one('SELECT add_tax(100, 0.25) AS v')).toEqual({ v: '125.00' });
    await db.query('CALL double_it(21, @doubled)');
    expect(await one('SELECT @doubled AS v')).toEqual({ v: '42' });
    expect(
      await rows(
        'SELECT ROUTINE_NAME AS name, SECURITY_TYPE AS security FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY name',
      ),
    ).toEqual([
      { name: 'add_tax', security: 'INVOKER' },
      { name: 'double_it', security: 'INVOKER' },
    ]);
    await applyAll(
      build.dropFunction('add_tax', { parameters: ['decimal(10,2)', 'decimal(4,2)'] }),
      build.dropFunction('double_it', { procedure: true, ifExists: true }),
    );
    expect(
      await rows('SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()'),
    ).toEqual([]);

    await apply(build.createTable('audited', [{ name: 'n', type: 'int' }]));
    await apply(
      build.execute(
        'CREATE TRIGGER audited_touch BEFORE INSERT ON audited FOR EACH ROW SET NEW.n = NEW.n + 1',
      ),
    );
    await applyAll(
      build.dropTrigger('audited_touch', 'audited'),
      build.dropTrigger('audited_touch', 'audited', { ifExists: true }),
    );
    expect(
      await rows('SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()'),
    ).toEqual([]);
  });

  it('creates and drops schemas as databases, and reaches tables in them', async () => {
    const other = `${database}_x`;
    try {
      await applyAll(
        build.createSchema(other),
        build.createSchema(other, { ifNotExists: true }),
        build.createTable('elsewhere', [{ name: 'id', type: 'int' }], { schema: other }),
        build.bulkInsert('elsewhere', [{ id: 7 }], { schema: other }),
      );
      expect(await one(`SELECT id FROM \`${other}\`.elsewhere`)).toEqual({ id: 7 });
      await applyAll(build.dropTable('elsewhere', { schema: other }), build.dropSchema(other));
      expect(
        await rows('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [other]),
      ).toEqual([]);
    } finally {
      await db.query(`DROP DATABASE IF EXISTS \`${other}\``);
    }
  });
});
