/**
 * MySQL's renderer without a database: golden SQL for every operation kind (or the exact error for what MySQL
 * cannot do), the literals and the inlining of `?` parameters. renderer-executed.test.ts runs the same SQL.
 */
import { describe, expect, it } from 'vitest';
import type { RenderContext } from '../../../src/dialects/dialect.js';
import { isPlainDataStatement } from '../../../src/dialects/mysql/adapter.js';
import { mysqlRenderer } from '../../../src/dialects/mysql/renderer.js';
import { postgresRenderer } from '../../../src/dialects/postgres/renderer.js';
import { sqliteRenderer } from '../../../src/dialects/sqlite/renderer.js';
import { AmbixError } from '../../../src/errors.js';
import { operationBuilders as build } from '../../../src/operations/builders.js';
import type { Operation, OperationKind } from '../../../src/operations/operation.js';
import { OPERATION_KINDS } from '../../../src/operations/operation.js';
import { reverseOperation } from '../../../src/operations/reverse.js';
import { sql } from '../../../src/operations/sql-expression.js';
import type { ColumnModel, TableModel } from '../../../src/schema/model.js';

const render = (operation: Operation, context?: RenderContext): string[] =>
  mysqlRenderer.render(operation, context).map((statement) => statement.sql);

/** A context that knows one table, as reflection would report it. */
function knowing(table: Partial<TableModel> & { readonly name: string }): RenderContext {
  const model: TableModel = {
    schema: 'app',
    columns: [],
    foreignKeys: [],
    uniques: [],
    checks: [],
    excludes: [],
    indexes: [],
    ...table,
  };
  return {
    table: (schema, name) => (name === model.name && (schema ?? 'app') === model.schema ? model : undefined),
  };
}

const column = (name: string, rest: Partial<ColumnModel> = {}): ColumnModel => ({
  name,
  type: 'varchar(255)',
  nullable: true,
  ...rest,
});

/** The reflected `users` table the alter-column goldens restate. */
const USERS = knowing({
  name: 'users',
  columns: [
    column('id', { type: 'bigint(20)', nullable: false, identity: { generated: 'byDefault' } }),
    column('email', { nullable: false, default: "'none'", comment: "the user's address" }),
    column('code', { type: 'varchar(10)', collation: 'utf8mb4_bin' }),
    column('age', { type: 'int(11)', default: 'NULL' }),
    column('total', { type: 'int(11)', generated: '`age` * 2', comment: 'derived' }),
    column('seen', { type: 'datetime', nullable: false, default: 'current_timestamp()' }),
    column('score', { type: 'int(11)', default: '(1 + 1)' }),
    column('touched', {
      type: 'datetime(3)',
      nullable: false,
      default: 'current_timestamp(3)',
      onUpdate: 'current_timestamp(3)',
    }),
    column('half', { type: 'int(11)', generated: '`age` / 2', generatedKind: 'virtual' }),
  ],
  checks: [
    { name: 'age', expression: '`age` >= 0' },
    { name: 'ck_users_email', expression: "`email` <> ''" },
  ],
  primaryKey: { name: 'PRIMARY', columns: ['id'] },
  foreignKeys: [
    {
      name: 'fk_users_team',
      columns: ['team_id'],
      references: { schema: 'app', table: 'teams', columns: ['id'] },
      onDelete: 'no action',
      onUpdate: 'no action',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  uniques: [{ name: 'uq_users_email', columns: ['email'], deferrable: false, initiallyDeferred: false }],
  indexes: [{ name: 'ix_users_code', unique: true, method: 'btree', elements: [{ column: 'code' }] }],
});

type Golden =
  | {
      readonly title: string;
      readonly operation: Operation;
      readonly context?: RenderContext;
      readonly sql: readonly string[];
    }
  | {
      readonly title: string;
      readonly operation: Operation;
      readonly context?: RenderContext;
      /** The AmbixError's message and hint. */
      readonly error: string;
      readonly hint: string;
    };

// One entry per kind at least: a Record over OperationKind, so a new kind without golden SQL does not compile.
const GOLDEN: Record<OperationKind, readonly Golden[]> = {
  createTable: [
    {
      title: 'columns, defaults as values and as SQL, comments as part of the definition',
      operation: build.createTable(
        'users',
        [
          { name: 'id', type: 'bigint', identity: 'byDefault', primaryKey: true },
          {
            name: 'email',
            type: 'varchar(255)',
            nullable: false,
            unique: true,
            comment: "the user's address",
          },
          { name: 'status', type: 'varchar(20)', nullable: false, default: 'active', check: "status <> ''" },
          { name: 'created_at', type: 'datetime(3)', nullable: false, default: sql`CURRENT_TIMESTAMP(3)` },
          {
            name: 'updated_at',
            type: 'timestamp',
            default: sql`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP`,
          },
          { name: 'token', type: 'char(36)', default: sql`uuid()` },
          { name: 'path', type: 'varchar(50)', default: 'C:\\temp', collation: 'utf8mb4_bin' },
          { name: 'score', type: 'int', default: -1, nullable: true },
          { name: 'active', type: 'boolean', default: true },
          { name: 'tags', type: 'json', default: ['a', 'b c'] },
          { name: 'hash', type: 'varbinary(4)', default: new Uint8Array([0, 255]) },
        ],
        { comment: 'People', ifNotExists: true },
      ),
      sql: [
        'CREATE TABLE IF NOT EXISTS `users` (\n' +
          '  `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n' +
          "  `email` varchar(255) NOT NULL UNIQUE COMMENT 'the user''s address',\n" +
          "  `status` varchar(20) NOT NULL DEFAULT 'active' CHECK (status <> ''),\n" +
          '  `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n' +
          '  `updated_at` timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n' +
          '  `token` char(36) DEFAULT (uuid()),\n' +
          "  `path` varchar(50) COLLATE `utf8mb4_bin` DEFAULT 'C:\\\\temp',\n" +
          '  `score` int NULL DEFAULT -1,\n' +
          '  `active` boolean DEFAULT TRUE,\n' +
          `  \`tags\` json DEFAULT '["a","b c"]',\n` +
          "  `hash` varbinary(4) DEFAULT X'00ff'\n" +
          ") COMMENT = 'People'",
      ],
    },
    {
      title:
        'a generated column, an AUTO_INCREMENT start, column references hoisted, every constraint MySQL has',
      operation: build.createTable(
        'order_lines',
        [
          { name: 'id', type: 'bigint', identity: { start: 1000, cache: 20 } },
          { name: 'order_id', type: 'bigint', nullable: false },
          { name: 'tenant', type: 'varchar(20)', nullable: false },
          { name: 'price', type: 'decimal(10,2)', nullable: false },
          { name: 'quantity', type: 'int', nullable: false },
          { name: 'total', type: 'decimal(12,2)', generated: sql`${sql.identifier('price')} * quantity` },
          {
            name: 'parent_id',
            type: 'bigint',
            references: { table: 'order_lines', column: 'id', onDelete: 'set null', name: 'fk_parent' },
          },
          {
            name: 'product_id',
            type: 'bigint',
            references: { schema: 'shop', table: 'products', column: 'id' },
          },
        ],
        {
          schema: 'shop',
          constraints: [
            { type: 'primaryKey', name: 'pk_order_lines', columns: ['id'] },
            {
              type: 'foreignKey',
              name: 'fk_order',
              columns: ['order_id', 'tenant'],
              references: { schema: 'shop', table: 'orders', columns: ['id', 'tenant'] },
              onDelete: 'cascade',
              onUpdate: 'restrict',
              match: 'simple',
              deferrable: false,
            },
            { type: 'unique', name: 'uq_tenant', columns: ['tenant', 'order_id'] },
            { type: 'unique', columns: ['price'] },
            { type: 'check', name: 'ck_quantity', expression: sql`quantity > ${0}` },
          ],
        },
      ),
      sql: [
        'CREATE TABLE `shop`.`order_lines` (\n' +
          '  `id` bigint NOT NULL AUTO_INCREMENT,\n' +
          '  `order_id` bigint NOT NULL,\n' +
          '  `tenant` varchar(20) NOT NULL,\n' +
          '  `price` decimal(10,2) NOT NULL,\n' +
          '  `quantity` int NOT NULL,\n' +
          '  `total` decimal(12,2) GENERATED ALWAYS AS (`price` * quantity) STORED,\n' +
          '  `parent_id` bigint,\n' +
          '  `product_id` bigint,\n' +
          '  CONSTRAINT `fk_parent` FOREIGN KEY (`parent_id`) REFERENCES `order_lines` (`id`) ON DELETE SET NULL,\n' +
          '  FOREIGN KEY (`product_id`) REFERENCES `shop`.`products` (`id`),\n' +
          '  CONSTRAINT `pk_order_lines` PRIMARY KEY (`id`),\n' +
          '  CONSTRAINT `fk_order` FOREIGN KEY (`order_id`, `tenant`) REFERENCES `shop`.`orders` (`id`, `tenant`) ON DELETE CASCADE ON UPDATE RESTRICT,\n' +
          '  UNIQUE KEY `uq_tenant` (`tenant`, `order_id`),\n' +
          '  UNIQUE KEY (`price`),\n' +
          '  CONSTRAINT `ck_quantity` CHECK (quantity > 0)\n' +
          ') AUTO_INCREMENT = 1000',
      ],
    },
    {
      title: 'ON UPDATE, virtual and stored generated columns, the engine, character set and collation',
      operation: build.createTable(
        'events',
        [
          { name: 'id', type: 'bigint', identity: 'byDefault', primaryKey: true },
          {
            name: 'updated_at',
            type: 'datetime(3)',
            nullable: false,
            default: sql`CURRENT_TIMESTAMP(3)`,
            onUpdate: sql`CURRENT_TIMESTAMP(3)`,
          },
          { name: 'seen_at', type: 'datetime', onUpdate: 'now()' },
          {
            name: 'day',
            type: 'date',
            generated: sql`cast(${sql.identifier('updated_at')} as date)`,
            generatedKind: 'virtual',
          },
          { name: 'total', type: 'int', generated: '1 + 1', generatedKind: 'stored' },
        ],
        { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_bin', comment: 'log' },
      ),
      sql: [
        'CREATE TABLE `events` (\n' +
          '  `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n' +
          '  `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),\n' +
          '  `seen_at` datetime ON UPDATE now(),\n' +
          '  `day` date GENERATED ALWAYS AS (cast(`updated_at` as date)) VIRTUAL,\n' +
          '  `total` int GENERATED ALWAYS AS (1 + 1) STORED\n' +
          ") ENGINE = `InnoDB` DEFAULT CHARSET = `utf8mb4` COLLATE = `utf8mb4_bin` COMMENT = 'log'",
      ],
    },
    {
      title: 'refuses ON UPDATE other than CURRENT_TIMESTAMP',
      operation: build.createTable('t', [{ name: 'n', type: 'int', onUpdate: 'n + 1' }]),
      error: 'MySQL\'s ON UPDATE takes only CURRENT_TIMESTAMP: cannot render column "n" with ON UPDATE n + 1',
      hint: 'Write onUpdate: sql`CURRENT_TIMESTAMP` (with the precision of the column: CURRENT_TIMESTAMP(3)), or set the column in a BEFORE UPDATE trigger.',
    },
    {
      title: 'refuses deferrable constraints',
      operation: build.createTable('t', [{ name: 'a', type: 'int' }], {
        constraints: [{ type: 'unique', name: 'uq_a', columns: ['a'], deferrable: true }],
      }),
      error:
        'MySQL has no deferrable constraints: cannot make the unique constraint "uq_a" of "t" deferrable',
      hint: "MySQL checks constraints statement by statement: drop deferrable and initiallyDeferred, and order the statements so that each leaves the data consistent (or wrap them in op.execute('SET foreign_key_checks = 0') … 'SET foreign_key_checks = 1' for foreign keys).",
    },
    {
      title: 'refuses MATCH FULL foreign keys',
      operation: build.createTable('t', [
        { name: 'a', type: 'int', references: { table: 'p', column: 'id', match: 'full' } },
      ]),
      error: 'MySQL has no MATCH FULL foreign keys: cannot render the foreign key of "t"',
      hint: 'Drop match: InnoDB checks a foreign key as MATCH SIMPLE does (a NULL in any of its columns skips the check).',
    },
    {
      title: 'refuses SET DEFAULT, which InnoDB does not do',
      operation: build.createTable('t', [
        { name: 'a', type: 'int', references: { table: 'p', column: 'id', onDelete: 'set default' } },
      ]),
      error: 'InnoDB refuses SET DEFAULT as a referential action: cannot render the foreign key of "t"',
      hint: "Use 'set null', 'cascade', 'restrict' or 'no action', or set the default with a trigger.",
    },
    {
      title: 'refuses a reference without its column, which MySQL cannot look up',
      operation: build.createTable('t', [{ name: 'p_id', type: 'int', references: { table: 'p' } }]),
      error: 'MySQL needs the referenced column named: column "p_id" references "p" without one',
      hint: "Give references.column (the referenced table's key column).",
    },
    {
      title: 'refuses identity options AUTO_INCREMENT does not have',
      operation: build.createTable('t', [
        { name: 'id', type: 'int', identity: { increment: 2, cycle: true } },
      ]),
      error: 'MySQL\'s AUTO_INCREMENT has no increment, cycle: cannot render the identity of column "id"',
      hint: 'AUTO_INCREMENT counts up by one (the server-wide auto_increment_increment aside) and only takes a start; drop the other identity options.',
    },
    {
      title: 'refuses exclusion constraints',
      operation: build.createTable('t', [{ name: 'a', type: 'int' }], {
        constraints: [{ type: 'exclude', name: 'ex_a', elements: [{ column: 'a', operator: '=' }] }],
      }),
      error: 'MySQL has no exclusion constraints: cannot render the exclusion constraint "ex_a" of "t"',
      hint: "Enforce the rule with a unique index, with triggers (op.execute('CREATE TRIGGER …')) or in the application.",
    },
    {
      title: 'refuses INCLUDE on a primary key',
      operation: build.createTable('t', [{ name: 'a', type: 'int' }], {
        constraints: [{ type: 'primaryKey', columns: ['a'], include: ['a'] }],
      }),
      error: 'MySQL indexes have no INCLUDE columns: cannot render the primary key of "t"',
      hint: 'Drop include, or make the columns part of the key.',
    },
  ],
  dropTable: [
    { title: 'plain', operation: build.dropTable('users'), sql: ['DROP TABLE `users`'] },
    {
      title: 'if exists, in another database',
      operation: build.dropTable('users', { schema: 'app', ifExists: true }),
      sql: ['DROP TABLE IF EXISTS `app`.`users`'],
    },
    {
      title: 'refuses CASCADE, which MySQL ignores',
      operation: build.dropTable('users', { cascade: true }),
      error:
        'MySQL has no CASCADE for drops (it accepts the word and ignores it): cannot drop the table "users" with its dependents',
      hint: 'Drop what depends on it first (foreign keys, views), then drop it without cascade.',
    },
  ],
  renameTable: [
    {
      title: 'stays in its database',
      operation: build.renameTable('users', 'people', { schema: 'app' }),
      sql: ['RENAME TABLE `app`.`users` TO `app`.`people`'],
    },
  ],
  setTableComment: [
    {
      title: 'sets',
      operation: build.setTableComment('users', "it's"),
      sql: ["ALTER TABLE `users` COMMENT = 'it''s'"],
    },
    {
      title: 'removes (an empty comment is none)',
      operation: build.setTableComment('users', null),
      sql: ["ALTER TABLE `users` COMMENT = ''"],
    },
  ],
  addColumn: [
    {
      title: 'with ON UPDATE, as reflection spells it',
      operation: build.addColumn('users', {
        name: 'touched',
        type: 'datetime(6)',
        default: sql`current_timestamp(6)`,
        onUpdate: sql`current_timestamp(6)`,
      }),
      sql: [
        'ALTER TABLE `users` ADD COLUMN `touched` datetime(6) DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6)',
      ],
    },
    {
      title: 'a virtual generated column',
      operation: build.addColumn('users', {
        name: 'domain',
        type: 'varchar(255)',
        generated: "substring_index(email, '@', -1)",
        generatedKind: 'virtual',
      }),
      sql: [
        "ALTER TABLE `users` ADD COLUMN `domain` varchar(255) GENERATED ALWAYS AS (substring_index(email, '@', -1)) VIRTUAL",
      ],
    },
    {
      title: 'with a comment',
      operation: build.addColumn('users', { name: 'bio', type: 'text', comment: 'About' }),
      sql: ["ALTER TABLE `users` ADD COLUMN `bio` text COMMENT 'About'"],
    },
    {
      title: "with its foreign key, if it does not exist (MariaDB's)",
      operation: build.addColumn(
        'users',
        {
          name: 'team_id',
          type: 'bigint',
          references: { table: 'teams', column: 'id', onDelete: 'cascade' },
        },
        { schema: 'app', ifNotExists: true },
      ),
      sql: [
        'ALTER TABLE `app`.`users` ADD COLUMN IF NOT EXISTS `team_id` bigint, ADD FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`) ON DELETE CASCADE',
      ],
    },
    {
      title: 'an AUTO_INCREMENT key with its start',
      operation: build.addColumn('users', {
        name: 'n',
        type: 'int',
        identity: { start: 40 },
        unique: true,
      }),
      sql: ['ALTER TABLE `users` ADD COLUMN `n` int NOT NULL AUTO_INCREMENT UNIQUE, AUTO_INCREMENT = 40'],
    },
    {
      title: 'identity options AUTO_INCREMENT means anyway, as bigints, and a cache it has no use for',
      operation: build.addColumn('users', {
        name: 'n',
        type: 'bigint',
        identity: { generated: 'always', start: 5n, increment: 1n, minValue: 1n, maxValue: null, cache: 10 },
        primaryKey: true,
      }),
      sql: [
        'ALTER TABLE `users` ADD COLUMN `n` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, AUTO_INCREMENT = 5',
      ],
    },
  ],
  dropColumn: [
    {
      title: "if exists (MariaDB's)",
      operation: build.dropColumn('users', 'bio', { ifExists: true }),
      sql: ['ALTER TABLE `users` DROP COLUMN IF EXISTS `bio`'],
    },
    {
      title: 'refuses CASCADE',
      operation: build.dropColumn('users', 'bio', { cascade: true }),
      error:
        'MySQL has no CASCADE for drops (it accepts the word and ignores it): cannot drop the column "bio" of "users" with its dependents',
      hint: 'Drop what depends on it first (foreign keys, views), then drop it without cascade.',
    },
  ],
  alterColumn: [
    {
      title: 'a default alone needs nothing else',
      operation: build.alterColumn('users', 'status', { default: "it's" }),
      sql: ["ALTER TABLE `users` ALTER COLUMN `status` SET DEFAULT 'it''s'"],
    },
    {
      title: 'an expression default, then a rename, in two statements',
      operation: build.alterColumn('users', 'token', { default: sql`uuid()`, newName: 'uid' }),
      sql: [
        'ALTER TABLE `users` ALTER COLUMN `token` SET DEFAULT (uuid())',
        'ALTER TABLE `users` RENAME COLUMN `token` TO `uid`',
      ],
    },
    {
      title: 'drops a default',
      operation: build.alterColumn('users', 'status', { default: null, schema: 'app' }),
      sql: ['ALTER TABLE `app`.`users` ALTER COLUMN `status` DROP DEFAULT'],
    },
    {
      title: 'a rename alone',
      operation: build.alterColumn('users', 'email', { newName: 'mail' }),
      sql: ['ALTER TABLE `users` RENAME COLUMN `email` TO `mail`'],
    },
    {
      title: "restates the column from the operation's existing fields",
      operation: build.alterColumn('users', 'email', {
        nullable: true,
        existingType: 'varchar(255)',
        existingNullable: false,
        existingDefault: 'x',
        existingComment: null,
      }),
      // Without the table (--sql), the script says what the restatement may leave out.
      sql: [
        "-- users.email is restated from the operation's existing… fields: check that it had no AUTO_INCREMENT, ON UPDATE, collation, generated expression or CHECK of its own, which MODIFY would drop.\nALTER TABLE `users` MODIFY COLUMN `email` varchar(255) NULL DEFAULT 'x'",
      ],
    },
    {
      title: 'restates the column from the table: the default and the comment stay',
      operation: build.alterColumn('users', 'email', { type: 'varchar(320)' }),
      context: USERS,
      sql: [
        "ALTER TABLE `users` MODIFY COLUMN `email` varchar(320) NOT NULL DEFAULT 'none' COMMENT 'the user''s address'",
      ],
    },
    {
      title: 'the operation wins over the table, and a type change keeps AUTO_INCREMENT',
      operation: build.alterColumn('users', 'id', { type: 'bigint unsigned', existingType: 'bigint' }),
      context: USERS,
      sql: ['ALTER TABLE `users` MODIFY COLUMN `id` bigint unsigned NOT NULL AUTO_INCREMENT'],
    },
    {
      title: 'keeps the collation while the type stays',
      operation: build.alterColumn('users', 'code', { nullable: false }),
      context: USERS,
      sql: ['ALTER TABLE `users` MODIFY COLUMN `code` varchar(10) COLLATE `utf8mb4_bin` NOT NULL'],
    },
    {
      title: 'drops the collation when the type changes (the new type brings its own)',
      operation: build.alterColumn('users', 'code', { type: 'varchar(20)' }),
      context: USERS,
      sql: ['ALTER TABLE `users` MODIFY COLUMN `code` varchar(20) NULL'],
    },
    {
      title: "keeps MariaDB's column check, and leaves the reflected NULL default out",
      operation: build.alterColumn('users', 'age', { type: 'bigint', comment: 'years' }),
      context: USERS,
      sql: ["ALTER TABLE `users` MODIFY COLUMN `age` bigint NULL COMMENT 'years' CHECK (`age` >= 0)"],
    },
    {
      title: 'renames the column check with the column',
      operation: build.alterColumn('users', 'age', { newName: 'years', nullable: false }),
      context: USERS,
      sql: ['ALTER TABLE `users` CHANGE COLUMN `age` `years` int(11) NOT NULL CHECK (`years` >= 0)'],
    },
    {
      title: 'keeps a generated expression, without a NULL MariaDB refuses there',
      operation: build.alterColumn('users', 'total', { comment: null }),
      context: USERS,
      sql: ['ALTER TABLE `users` MODIFY COLUMN `total` int(11) GENERATED ALWAYS AS (`age` * 2) STORED'],
    },
    {
      title: 'keeps ON UPDATE, which MODIFY would otherwise drop',
      operation: build.alterColumn('users', 'touched', { comment: 'last change' }),
      context: USERS,
      sql: [
        "ALTER TABLE `users` MODIFY COLUMN `touched` datetime(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3) COMMENT 'last change'",
      ],
    },
    {
      title: 'keeps a virtual column virtual',
      operation: build.alterColumn('users', 'half', { comment: 'half the age' }),
      context: USERS,
      sql: [
        "ALTER TABLE `users` MODIFY COLUMN `half` int(11) GENERATED ALWAYS AS (`age` / 2) VIRTUAL COMMENT 'half the age'",
      ],
    },
    {
      title: 'writes reflected defaults: CURRENT_TIMESTAMP bare, expressions in parentheses',
      operation: build.alterColumn('users', 'seen', { comment: 'last seen' }),
      context: USERS,
      sql: [
        "ALTER TABLE `users` MODIFY COLUMN `seen` datetime NOT NULL DEFAULT current_timestamp() COMMENT 'last seen'",
      ],
    },
    {
      title: 'renames with a type change in one CHANGE COLUMN',
      operation: build.alterColumn('users', 'score', { newName: 'points', type: 'bigint', default: 0 }),
      context: USERS,
      sql: ['ALTER TABLE `users` CHANGE COLUMN `score` `points` bigint NULL DEFAULT 0'],
    },
    {
      title: 'refuses to restate a column it does not fully know',
      operation: build.alterColumn('users', 'email', { nullable: false, existingType: 'text' }),
      error:
        'MySQL restates the whole column to alter it (MODIFY COLUMN), and the column "email" of "users" is not fully known: existingDefault, existingComment are missing',
      hint: 'Pass existingDefault, existingComment to op.alterColumn() (null for "no default"/"no comment"): MySQL restates the whole column, and --sql cannot read it from the database.',
    },
    {
      title: 'refuses a column the table does not have',
      operation: build.alterColumn('users', 'nope', { type: 'int' }),
      context: USERS,
      error:
        'MySQL restates the whole column to alter it (MODIFY COLUMN), and the column "nope" of "users" is not fully known: existingNullable, existingDefault, existingComment are missing',
      hint: 'Pass existingNullable, existingDefault, existingComment to op.alterColumn() (null for "no default"/"no comment"): MySQL restates the whole column, and --sql cannot read it from the database.',
    },
    {
      title: 'refuses USING',
      operation: build.alterColumn('users', 'age', { type: 'int', using: 'age::int' }),
      context: USERS,
      error: 'MySQL has no USING for a type change: cannot convert the column "age" of "users" with it',
      hint: "Drop using: MySQL converts the values itself. To convert them otherwise, add a column, fill it with op.execute('UPDATE …'), and swap the two.",
    },
  ],
  createIndex: [
    {
      title: 'columns in order, a functional part, BTREE',
      operation: build.createIndex(
        'ix_users_name',
        'users',
        [{ column: 'last', order: 'desc' }, 'first', { expression: sql`lower(${sql.identifier('email')})` }],
        { using: 'btree', schema: 'app' },
      ),
      sql: [
        'CREATE INDEX `ix_users_name` ON `app`.`users` (`last` DESC, `first`, (lower(`email`))) USING BTREE',
      ],
    },
    {
      title: "unique, online (concurrently), if it does not exist (MariaDB's)",
      operation: build.createIndex('ux_email', 'users', ['email'], {
        unique: true,
        concurrently: true,
        ifNotExists: true,
        using: 'HASH',
      }),
      sql: [
        'CREATE UNIQUE INDEX IF NOT EXISTS `ux_email` ON `users` (`email`) USING HASH ALGORITHM=INPLACE LOCK=NONE',
      ],
    },
    {
      title: 'prefix lengths',
      operation: build.createIndex('ix_users_email', 'users', [
        { column: 'email', length: 10 },
        { column: 'name', length: 5, order: 'desc' },
        'id',
      ]),
      sql: ['CREATE INDEX `ix_users_email` ON `users` (`email`(10), `name`(5) DESC, `id`)'],
    },
    {
      title: 'full-text',
      operation: build.createIndex('ft_bio', 'users', ['bio'], { using: 'fulltext' }),
      sql: ['CREATE FULLTEXT INDEX `ft_bio` ON `users` (`bio`)'],
    },
    {
      title: 'refuses partial indexes',
      operation: build.createIndex('ix_active', 'users', ['email'], { where: 'active' }),
      error: 'MySQL indexes have no WHERE clause (partial indexes): cannot create the index "ix_active"',
      hint: 'Index all rows, or index a generated column that is NULL for the rows to leave out.',
    },
    {
      title: 'refuses index methods MySQL does not have',
      operation: build.createIndex('ix_tags', 'users', ['tags'], { using: 'gin' }),
      error: 'MySQL has no "gin" indexes: cannot create the index "ix_tags"',
      hint: "Use 'btree' (the default), 'hash', 'fulltext' or 'spatial'.",
    },
    {
      title: 'refuses operator classes',
      operation: build.createIndex('ix_email', 'users', [{ column: 'email', opclass: 'text_pattern_ops' }]),
      error: 'MySQL indexes have no operator classes: cannot create the index "ix_email"',
      hint: 'Drop opclass from the index columns.',
    },
  ],
  dropIndex: [
    {
      title: 'from the table the operation names',
      operation: build.dropIndex('ix_users_name', { table: 'users' }),
      sql: ['DROP INDEX `ix_users_name` ON `users`'],
    },
    {
      title: 'from the table of the reversed createIndex',
      operation: reverseOperation(build.createIndex('ix_users_name', 'users', ['name'], { schema: 'app' })),
      sql: ['DROP INDEX `ix_users_name` ON `app`.`users`'],
    },
    {
      title: 'from the table its definition names',
      operation: build.dropIndex('ix_users_name', {
        schema: 'app',
        ifExists: true,
        existing: { table: 'users', columns: ['last'] },
      }),
      sql: ['DROP INDEX IF EXISTS `ix_users_name` ON `app`.`users`'],
    },
    {
      title: 'online (concurrently), in the form MariaDB takes ALGORITHM and LOCK in',
      operation: build.dropIndex('ux_email', {
        concurrently: true,
        existing: { table: 'users', columns: ['email'], unique: true },
      }),
      sql: ['ALTER TABLE `users` DROP INDEX `ux_email`, ALGORITHM=INPLACE, LOCK=NONE'],
    },
    {
      title: 'refuses an index whose table is not known',
      operation: build.dropIndex('ix_users_name'),
      error:
        'MySQL drops an index from its table (DROP INDEX … ON table), and the table of the index "ix_users_name" is not known',
      hint: "Pass the table: op.dropIndex(\"ix_users_name\", { table: '…' }) (Alembic's table_name).",
    },
  ],
  createPrimaryKey: [
    {
      title: 'named (MySQL calls it PRIMARY all the same)',
      operation: build.createPrimaryKey('pk_orders', 'orders', ['id', 'tenant']),
      sql: ['ALTER TABLE `orders` ADD CONSTRAINT `pk_orders` PRIMARY KEY (`id`, `tenant`)'],
    },
  ],
  createForeignKey: [
    {
      title: 'with actions',
      operation: build.createForeignKey(
        'fk_lines_order',
        'lines',
        ['order_id'],
        { table: 'orders', columns: ['id'], schema: 'app' },
        { onDelete: 'cascade', onUpdate: 'no action', schema: 'app' },
      ),
      sql: [
        'ALTER TABLE `app`.`lines` ADD CONSTRAINT `fk_lines_order` FOREIGN KEY (`order_id`) REFERENCES `app`.`orders` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION',
      ],
    },
    {
      title: 'refuses NOT VALID',
      operation: build.createForeignKey(
        'fk',
        'lines',
        ['order_id'],
        { table: 'orders', columns: ['id'] },
        {
          notValid: true,
        },
      ),
      error:
        'MySQL checks existing rows when it adds a foreign key: cannot add the foreign key "fk" of "lines" NOT VALID',
      hint: "Drop notValid; to skip the check, wrap the change in op.execute('SET foreign_key_checks = 0') and op.execute('SET foreign_key_checks = 1').",
    },
  ],
  createUniqueConstraint: [
    {
      title: 'a unique index named after the constraint',
      operation: build.createUniqueConstraint('uq_email', 'users', ['email']),
      sql: ['ALTER TABLE `users` ADD UNIQUE KEY `uq_email` (`email`)'],
    },
    {
      title: 'refuses NULLS NOT DISTINCT',
      operation: build.createUniqueConstraint('uq_email', 'users', ['email'], { nullsNotDistinct: true }),
      error: 'MySQL has no NULLS NOT DISTINCT: cannot render the unique constraint "uq_email" of "users"',
      hint: 'A MySQL unique index lets several rows hold NULL: make the columns NOT NULL, or drop nullsNotDistinct.',
    },
  ],
  createCheckConstraint: [
    {
      title: 'with a value in the expression',
      operation: build.createCheckConstraint('ck_name', 'users', sql`${sql.identifier('name')} <> ${"it's"}`),
      sql: ["ALTER TABLE `users` ADD CONSTRAINT `ck_name` CHECK (`name` <> 'it''s')"],
    },
    {
      title: 'refuses NO INHERIT',
      operation: build.createCheckConstraint('ck', 'users', 'a > 0', { noInherit: true }),
      error: 'MySQL tables have no inheritance: cannot add the check constraint "ck" of "users" NO INHERIT',
      hint: 'Drop noInherit.',
    },
  ],
  createExcludeConstraint: [
    {
      title: 'refuses',
      operation: build.createExcludeConstraint('ex_room', 'bookings', [{ column: 'room', operator: '=' }]),
      error: 'MySQL has no exclusion constraints: cannot add "ex_room" to "bookings"',
      hint: "Enforce the rule with a unique index, with triggers (op.execute('CREATE TRIGGER …')) or in the application.",
    },
  ],
  dropConstraint: [
    {
      title: 'a primary key, known by its definition',
      operation: build.dropConstraint('pk_orders', 'orders', {
        existing: { type: 'primaryKey', columns: ['id'] },
      }),
      sql: ['ALTER TABLE `orders` DROP PRIMARY KEY'],
    },
    {
      title: 'a primary key by its MySQL name, if it exists, as the index PRIMARY',
      operation: build.dropConstraint('PRIMARY', 'orders', { ifExists: true }),
      sql: ['ALTER TABLE `orders` DROP INDEX IF EXISTS `PRIMARY`'],
    },
    {
      title: 'a foreign key, known by its definition',
      operation: build.dropConstraint('fk_lines_order', 'lines', {
        existing: {
          type: 'foreignKey',
          columns: ['order_id'],
          references: { table: 'orders', columns: ['id'] },
        },
        ifExists: true,
      }),
      sql: ['ALTER TABLE `lines` DROP FOREIGN KEY IF EXISTS `fk_lines_order`'],
    },
    {
      title: 'a unique constraint is an index',
      operation: build.dropConstraint('uq_email', 'users', {
        existing: { type: 'unique', columns: ['email'] },
      }),
      sql: ['ALTER TABLE `users` DROP INDEX `uq_email`'],
    },
    {
      title: 'a check',
      operation: build.dropConstraint('ck_name', 'users', {
        existing: { type: 'check', expression: 'a > 0' },
      }),
      sql: ['ALTER TABLE `users` DROP CONSTRAINT `ck_name`'],
    },
    {
      title: 'the kind from the table: a foreign key',
      operation: build.dropConstraint('fk_users_team', 'users'),
      context: USERS,
      sql: ['ALTER TABLE `users` DROP FOREIGN KEY `fk_users_team`'],
    },
    {
      title: 'the kind from the table: a unique constraint, or a unique index',
      operation: build.dropConstraint('ix_users_code', 'users'),
      context: USERS,
      sql: ['ALTER TABLE `users` DROP INDEX `ix_users_code`'],
    },
    {
      title: 'the kind from the table: the primary key',
      operation: build.dropConstraint('PRIMARY', 'users'),
      context: USERS,
      sql: ['ALTER TABLE `users` DROP PRIMARY KEY'],
    },
    {
      title: 'an unknown kind: DROP CONSTRAINT, which MariaDB 10.2+ and MySQL 8.0.19+ take for every kind',
      operation: build.dropConstraint('whatever', 'users', { schema: 'app' }),
      sql: ['ALTER TABLE `app`.`users` DROP CONSTRAINT `whatever`'],
    },
    {
      title: 'refuses CASCADE',
      operation: build.dropConstraint('uq_email', 'users', { cascade: true }),
      error:
        'MySQL has no DROP CONSTRAINT … CASCADE: cannot drop the constraint "uq_email" of "users" with its dependents',
      hint: 'Drop the foreign keys that depend on it first (op.dropConstraint), then drop it without cascade.',
    },
  ],
  batchAlterTable: [
    {
      title: 'the changes one after another; a later change restates a column as the earlier ones left it',
      operation: build.batchAlterTable('users', (batch) => {
        batch.addColumn({ name: 'rank', type: 'int', default: 0 });
        batch.alterColumn('email', { type: 'varchar(320)' });
        batch.alterColumn('email', { nullable: true });
        batch.alterColumn('code', { newName: 'token' });
        batch.alterColumn('token', { nullable: false });
        batch.alterColumn('rank', { nullable: false });
        batch.createIndex('users_rank_idx', ['rank']);
      }),
      context: USERS,
      sql: [
        'ALTER TABLE `users` ADD COLUMN `rank` int DEFAULT 0',
        "ALTER TABLE `users` MODIFY COLUMN `email` varchar(320) NOT NULL DEFAULT 'none' COMMENT 'the user''s address'",
        "ALTER TABLE `users` MODIFY COLUMN `email` varchar(320) NULL DEFAULT 'none' COMMENT 'the user''s address'",
        'ALTER TABLE `users` RENAME COLUMN `code` TO `token`',
        'ALTER TABLE `users` MODIFY COLUMN `token` varchar(10) COLLATE `utf8mb4_bin` NOT NULL',
        'ALTER TABLE `users` MODIFY COLUMN `rank` int NOT NULL DEFAULT 0',
        'CREATE INDEX `users_rank_idx` ON `users` (`rank`)',
      ],
    },
    {
      title: "a dropped index takes the batch's table; ON UPDATE and prefix lengths as outside a batch",
      operation: build.batchAlterTable('users', (batch) => {
        batch.addColumn({ name: 'touched', type: 'datetime', onUpdate: sql`CURRENT_TIMESTAMP` });
        batch.dropIndex('ix_users_code');
        batch.createIndex('ix_users_code', [{ column: 'code', length: 4 }]);
      }),
      sql: [
        'ALTER TABLE `users` ADD COLUMN `touched` datetime ON UPDATE CURRENT_TIMESTAMP',
        'DROP INDEX `ix_users_code` ON `users`',
        'CREATE INDEX `ix_users_code` ON `users` (`code`(4))',
      ],
    },
    {
      title: "refuses recreate: 'always', a table copy ambix makes only on SQLite",
      operation: build.batchAlterTable('users', (batch) => batch.dropColumn('legacy'), {
        recreate: 'always',
      }),
      error:
        'op.batchAlterTable(): recreate: \'always\' asks for a copy of table "users" ("move and copy"), which ambix makes only on SQLite; MySQL alters the table in place',
      hint: "Leave recreate out ('auto'): the batch then alters the table in place here, and copies it on SQLite only where SQLite needs it.",
    },
  ],
  createEnum: [
    {
      title: 'refuses, pointing to the column type',
      operation: build.createEnum('mood', ['happy', "it's"]),
      error: 'MySQL has no enum types: cannot create the enum type "mood"',
      hint: `On MySQL an enum is a column type, written on each column that uses it: type: "enum('happy', 'it''s')".`,
    },
  ],
  dropEnum: [
    {
      title: 'refuses',
      operation: build.dropEnum('mood'),
      error: 'MySQL has no enum types: cannot drop the enum type "mood"',
      hint: 'On MySQL an enum is a column type, written on each column that uses it: it goes with its columns (op.dropColumn, or op.alterColumn to another type).',
    },
  ],
  addEnumValue: [
    {
      title: 'refuses, pointing to alterColumn',
      operation: build.addEnumValue('mood', 'meh'),
      error: 'MySQL has no enum types: cannot add \'meh\' to the enum type "mood"',
      hint: `On MySQL an enum is a column type, written on each column that uses it: restate it with the new value, op.alterColumn(table, column, { type: "enum(…, 'meh')" }).`,
    },
  ],
  renameEnumValue: [
    {
      title: 'refuses',
      operation: build.renameEnumValue('mood', 'sad', 'blue'),
      error: 'MySQL has no enum types: cannot rename \'sad\' in the enum type "mood"',
      hint: "On MySQL an enum is a column type, written on each column that uses it: add 'blue' to the column's type with op.alterColumn, move the rows with op.execute('UPDATE …'), then drop 'sad' the same way.",
    },
  ],
  createSchema: [
    {
      title: 'a database',
      operation: build.createSchema('audit', { ifNotExists: true }),
      sql: ['CREATE DATABASE IF NOT EXISTS `audit`'],
    },
    {
      title: 'refuses an owner',
      operation: build.createSchema('audit', { authorization: 'admin' }),
      error: 'MySQL databases have no owner: cannot create the database "audit" with an authorization',
      hint: "Drop authorization, and grant privileges with op.execute('GRANT ALL ON `audit`.* TO …').",
    },
  ],
  dropSchema: [
    {
      title: 'a database',
      operation: build.dropSchema('audit', { ifExists: true }),
      sql: ['DROP DATABASE IF EXISTS `audit`'],
    },
  ],
  createExtension: [
    {
      title: 'refuses',
      operation: build.createExtension('vector'),
      error: 'MySQL has no extensions: cannot create the extension "vector"',
      hint: "Install plugins and components outside migrations, or with op.execute('INSTALL PLUGIN …') or op.execute('INSTALL COMPONENT …').",
    },
  ],
  dropExtension: [
    {
      title: 'refuses',
      operation: build.dropExtension('vector'),
      error: 'MySQL has no extensions: cannot drop the extension "vector"',
      hint: "Install plugins and components outside migrations, or with op.execute('INSTALL PLUGIN …') or op.execute('INSTALL COMPONENT …').",
    },
  ],
  createSequence: [
    {
      title: "every option, in MariaDB's spelling",
      operation: build.createSequence('order_no', {
        schema: 'app',
        ifNotExists: true,
        increment: 5,
        minValue: 1,
        maxValue: null,
        start: 10,
        cache: 2,
        cycle: false,
      }),
      sql: [
        'CREATE SEQUENCE IF NOT EXISTS `app`.`order_no` INCREMENT BY 5 MINVALUE 1 NO MAXVALUE START WITH 10 CACHE 2 NOCYCLE',
      ],
    },
    {
      title: 'refuses an owner',
      operation: build.createSequence('order_no', { ownedBy: { table: 'orders', column: 'no' } }),
      error: 'MariaDB sequences have no owner: cannot tie the sequence "order_no" to a column',
      hint: 'Drop ownedBy, and drop the sequence with its table (op.dropSequence).',
    },
  ],
  alterSequence: [
    {
      title: 'options and a restart',
      operation: build.alterSequence('order_no', { increment: 2, minValue: null, cycle: true, restart: 50 }),
      sql: ['ALTER SEQUENCE `order_no` INCREMENT BY 2 NO MINVALUE CYCLE RESTART WITH 50'],
    },
    {
      title: 'a restart at the start',
      operation: build.alterSequence('order_no', { restart: true }),
      sql: ['ALTER SEQUENCE `order_no` RESTART'],
    },
  ],
  dropSequence: [
    {
      title: 'if exists',
      operation: build.dropSequence('order_no', { ifExists: true }),
      sql: ['DROP SEQUENCE IF EXISTS `order_no`'],
    },
  ],
  createView: [
    {
      title: 'with columns, replacing',
      operation: build.createView(
        'active_users',
        sql`SELECT id, email FROM users WHERE status = ${'active'}`,
        {
          columns: ['id', 'email'],
          orReplace: true,
          schema: 'app',
        },
      ),
      sql: [
        "CREATE OR REPLACE VIEW `app`.`active_users` (`id`, `email`) AS SELECT id, email FROM users WHERE status = 'active'",
      ],
    },
  ],
  dropView: [
    {
      title: 'if exists',
      operation: build.dropView('active_users', { ifExists: true }),
      sql: ['DROP VIEW IF EXISTS `active_users`'],
    },
    {
      title: 'refuses CASCADE',
      operation: build.dropView('active_users', { cascade: true }),
      error:
        'MySQL has no CASCADE for drops (it accepts the word and ignores it): cannot drop the view "active_users" with its dependents',
      hint: 'Drop what depends on it first (foreign keys, views), then drop it without cascade.',
    },
  ],
  createMaterializedView: [
    {
      title: 'refuses',
      operation: build.createMaterializedView('totals', 'SELECT 1'),
      error: 'MySQL has no materialized views: cannot create "totals"',
      hint: "Use a plain view (op.createView), or a table filled with op.execute('INSERT INTO … SELECT …').",
    },
  ],
  dropMaterializedView: [
    {
      title: 'refuses',
      operation: build.dropMaterializedView('totals'),
      error: 'MySQL has no materialized views: cannot drop "totals"',
      hint: 'Drop the view or table that stands in for it (op.dropView, op.dropTable).',
    },
  ],
  refreshMaterializedView: [
    {
      title: 'refuses',
      operation: build.refreshMaterializedView('totals'),
      error: 'MySQL has no materialized views: cannot refresh "totals"',
      hint: "Refill the table that stands in for it with op.execute('DELETE FROM …') and op.execute('INSERT INTO … SELECT …').",
    },
  ],
  createFunction: [
    {
      title: 'a SQL function, replacing (MariaDB), run as its caller unless SECURITY DEFINER',
      operation: build.createFunction('add_tax', {
        parameters: [
          { name: 'amount', type: 'decimal(10,2)' },
          { name: 'rate', type: 'decimal(4,2)', mode: 'in' },
        ],
        returns: 'decimal(10,2)',
        language: 'sql',
        body: 'RETURN amount * (1 + rate)',
        volatility: 'immutable',
        orReplace: true,
      }),
      sql: [
        'CREATE OR REPLACE FUNCTION `add_tax`(`amount` decimal(10,2), `rate` decimal(4,2))\n' +
          ' RETURNS decimal(10,2)\n' +
          ' LANGUAGE SQL DETERMINISTIC SQL SECURITY INVOKER\n' +
          'RETURN amount * (1 + rate)',
      ],
    },
    {
      title: 'a procedure with modes',
      operation: build.createFunction('double_it', {
        schema: 'app',
        parameters: [
          { name: 'a', type: 'int', mode: 'in' },
          { name: 'b', type: 'int', mode: 'out' },
        ],
        returns: 'void',
        language: 'SQL',
        body: 'BEGIN SET b = a * 2; END',
        procedure: true,
        securityDefiner: true,
      }),
      sql: [
        'CREATE PROCEDURE `app`.`double_it`(IN `a` int, OUT `b` int)\n' +
          ' LANGUAGE SQL SQL SECURITY DEFINER\n' +
          'BEGIN SET b = a * 2; END',
      ],
    },
    {
      title: 'refuses PL/pgSQL',
      operation: build.createFunction('touch', {
        returns: 'trigger',
        language: 'plpgsql',
        body: 'BEGIN NEW.updated_at := now(); RETURN NEW; END',
      }),
      error: 'MySQL routines are written in SQL: cannot create the function "touch" in "plpgsql"',
      hint: "Write the body as a MySQL statement (RETURN …, or BEGIN … END) with language: 'sql', or create it with op.execute('CREATE FUNCTION …').",
    },
    {
      title: 'refuses set-returning functions',
      operation: build.createFunction('ids', { returns: 'setof int', language: 'sql', body: 'SELECT 1' }),
      error: 'MySQL functions return one value: cannot create the function "ids" returning setof int',
      hint: 'Return a scalar type, or write a procedure (procedure: true) that selects the rows.',
    },
    {
      title: 'refuses settings (SET search_path), which MySQL routines do not take',
      operation: build.createFunction('f', {
        returns: 'int',
        language: 'sql',
        body: 'RETURN 1',
        set: { search_path: 'public' },
      }),
      error: 'MySQL routines take no settings (SET search_path): cannot create the function "f"',
      hint: 'Drop set, or set the variables inside the body (SET @@SESSION.… = …).',
    },
    {
      title: 'refuses parameter defaults',
      operation: build.createFunction('f', {
        parameters: [{ name: 'a', type: 'int', default: 1 }],
        returns: 'int',
        language: 'sql',
        body: 'RETURN a',
      }),
      error: 'MySQL routine parameters have no defaults: cannot render the parameter "a" of the function "f"',
      hint: 'Drop the default and pass the value in every call.',
    },
  ],
  dropFunction: [
    {
      title: 'by name alone (MySQL routines are not overloaded)',
      operation: build.dropFunction('add_tax', { parameters: ['decimal(10,2)'], ifExists: true }),
      sql: ['DROP FUNCTION IF EXISTS `add_tax`'],
    },
    {
      title: 'a procedure',
      operation: build.dropFunction('double_it', { procedure: true, schema: 'app' }),
      sql: ['DROP PROCEDURE `app`.`double_it`'],
    },
  ],
  createTrigger: [
    {
      title: 'refuses the PostgreSQL shape, pointing to op.execute',
      operation: build.createTrigger('touch', 'users', {
        timing: 'before',
        events: ['update'],
        forEach: 'row',
        function: 'touch',
      }),
      error:
        'MySQL triggers hold their own SQL rather than call a trigger function: cannot create the trigger "touch" on "users"',
      hint: "Write it with op.execute('CREATE TRIGGER name BEFORE INSERT ON table FOR EACH ROW …'), one event per trigger; op.dropTrigger drops it.",
    },
  ],
  dropTrigger: [
    {
      title: 'by name in its database',
      operation: build.dropTrigger('touch', 'users', { ifExists: true, schema: 'app' }),
      sql: ['DROP TRIGGER IF EXISTS `app`.`touch`'],
    },
  ],
  execute: [
    { title: 'as written', operation: build.execute('SELECT 1; SELECT 2'), sql: ['SELECT 1; SELECT 2'] },
  ],
  bulkInsert: [
    {
      title: 'binds values as ?, DEFAULT for missing ones, expressions inline with their own values bound',
      operation: build.bulkInsert('users', [
        { id: 1, email: "it's" },
        { id: 2, created_at: sql`NOW() - INTERVAL ${1} DAY` },
      ]),
      sql: [
        'INSERT INTO `users` (`id`, `email`, `created_at`) VALUES\n' +
          '  (?, ?, DEFAULT),\n' +
          '  (?, DEFAULT, NOW() - INTERVAL ? DAY)',
      ],
    },
    {
      title: 'rows without values',
      operation: build.bulkInsert('users', [{}, {}]),
      sql: ['INSERT INTO `users` () VALUES (), ()'],
    },
  ],
  beginAutocommit: [{ title: 'commits', operation: { kind: 'beginAutocommit' }, sql: ['COMMIT'] }],
  endAutocommit: [{ title: 'begins', operation: { kind: 'endAutocommit' }, sql: ['BEGIN'] }],
};

function thrown(action: () => unknown): AmbixError {
  try {
    action();
  } catch (error) {
    if (error instanceof AmbixError) return error;
    throw error;
  }
  throw new Error('expected an AmbixError');
}

describe('mysqlRenderer golden SQL', () => {
  it('has golden SQL for every operation kind', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual([...OPERATION_KINDS].sort());
  });

  for (const kind of OPERATION_KINDS) {
    describe(kind, () => {
      for (const golden of GOLDEN[kind]) {
        it(golden.title, () => {
          if ('sql' in golden) {
            expect(render(golden.operation, golden.context)).toEqual(golden.sql);
          } else {
            const error = thrown(() => render(golden.operation, golden.context));
            expect({ code: error.code, message: error.message, hint: error.hint }).toEqual({
              code: 'FAILED',
              message: golden.error,
              hint: golden.hint,
            });
          }
        });
      }
    });
  }
});

describe('mysqlRenderer.tablesNeeded', () => {
  it('asks for the table when a column is restated', () => {
    const op = build.alterColumn('users', 'email', { type: 'text', schema: 'app' });
    expect(mysqlRenderer.tablesNeeded?.(op)).toEqual([{ schema: 'app', name: 'users' }]);
  });

  it('asks for nothing when a default or a name alone changes', () => {
    expect(mysqlRenderer.tablesNeeded?.(build.alterColumn('users', 'email', { default: 'x' }))).toEqual([]);
    expect(mysqlRenderer.tablesNeeded?.(build.alterColumn('users', 'email', { newName: 'mail' }))).toEqual(
      [],
    );
  });

  it('asks for the table when a dropped constraint does not say its kind', () => {
    expect(mysqlRenderer.tablesNeeded?.(build.dropConstraint('fk', 'users'))).toEqual([
      { schema: undefined, name: 'users' },
    ]);
    const known = build.dropConstraint('fk', 'users', {
      existing: { type: 'foreignKey', columns: ['a'], references: { table: 'b', columns: ['id'] } },
    });
    expect(mysqlRenderer.tablesNeeded?.(known)).toEqual([]);
    expect(mysqlRenderer.tablesNeeded?.(build.dropConstraint('PRIMARY', 'users'))).toEqual([]);
  });

  it('asks for nothing for other operations', () => {
    expect(mysqlRenderer.tablesNeeded?.(build.dropTable('users'))).toEqual([]);
  });
});

describe('mysqlRenderer with hostile names', () => {
  const evil = 'a`; DROP TABLE b; --';

  it('quotes every name, so a name cannot end the statement', () => {
    expect(
      render(build.createTable(evil, [{ name: '`', type: 'text', comment: "'; --" }], { schema: 's`' })),
    ).toEqual(["CREATE TABLE `s```.`a``; DROP TABLE b; --` (\n  ```` text COMMENT '''; --'\n)"]);
    expect(render(build.dropTable(evil))).toEqual(['DROP TABLE `a``; DROP TABLE b; --`']);
    expect(render(build.createIndex(evil, evil, [evil]))).toEqual([
      'CREATE INDEX `a``; DROP TABLE b; --` ON `a``; DROP TABLE b; --` (`a``; DROP TABLE b; --`)',
    ]);
    expect(render(build.bulkInsert(evil, [{ [evil]: "'); DROP TABLE b; --" }]))).toEqual([
      'INSERT INTO `a``; DROP TABLE b; --` (`a``; DROP TABLE b; --`) VALUES\n  (?)',
    ]);
  });

  it('binds data values instead of writing them into the statement', () => {
    const [statement] = mysqlRenderer.render(build.bulkInsert('t', [{ a: "'; DROP TABLE b; --\\" }]));
    expect(statement?.params).toEqual(["'; DROP TABLE b; --\\"]);
    expect(mysqlRenderer.inline(statement ?? { sql: '' })).toBe(
      "INSERT INTO `t` (`a`) VALUES\n  ('''; DROP TABLE b; --\\\\')",
    );
  });
});

describe('mysqlRenderer data statements', () => {
  it('splits a bulk insert under the parameter limit', () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ id: i, name: `n${i}` }));
    const statements = mysqlRenderer.render(build.bulkInsert('t', rows));
    expect(statements.map((statement) => statement.params?.length)).toEqual([65_534, 14_466]);
    expect(statements[1]?.sql.startsWith('INSERT INTO `t` (`id`, `name`) VALUES\n  (?, ?),\n  (?, ?)')).toBe(
      true,
    );
    expect(statements[1]?.params?.slice(0, 2)).toEqual([32_767, 'n32767']);
  });

  it('writes nothing for no rows', () => {
    expect(render(build.bulkInsert('t', []))).toEqual([]);
  });

  it('keeps execute parameters bound', () => {
    expect(mysqlRenderer.render(build.execute('UPDATE t SET a = ? WHERE b = ?', [1, 'x']))).toEqual([
      { sql: 'UPDATE t SET a = ? WHERE b = ?', params: [1, 'x'] },
    ]);
  });

  it('refuses what is not an operation', () => {
    expect(() => mysqlRenderer.render({ kind: 'nope' } as never)).toThrow(TypeError);
  });

  it('returns frozen statements', () => {
    const statements = mysqlRenderer.render(build.dropTable('t'));
    expect(Object.isFrozen(statements)).toBe(true);
    expect(Object.isFrozen(statements[0])).toBe(true);
  });
});

describe('mysqlRenderer.placeholder and quoteIdentifier', () => {
  it('marks every parameter ?', () => {
    expect([1, 2, 10].map(mysqlRenderer.placeholder)).toEqual(['?', '?', '?']);
  });

  it('quotes with backticks, doubling them', () => {
    expect(mysqlRenderer.quoteIdentifier('users')).toBe('`users`');
    expect(mysqlRenderer.quoteIdentifier('Select')).toBe('`Select`');
    expect(mysqlRenderer.quoteIdentifier('a`b')).toBe('`a``b`');
    expect(mysqlRenderer.quoteIdentifier('a"b')).toBe('`a"b`');
  });

  it('refuses names no database accepts', () => {
    expect(() => mysqlRenderer.quoteIdentifier('')).toThrow(TypeError);
    expect(() => mysqlRenderer.quoteIdentifier('a\0b')).toThrow(AmbixError);
  });
});

describe('mysqlRenderer.literal', () => {
  const { literal } = mysqlRenderer;

  it('writes scalars', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal(true)).toBe('TRUE');
    expect(literal(false)).toBe('FALSE');
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('-1.5');
    expect(literal(1e21)).toBe('1e+21');
    expect(literal(-0)).toBe('0');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
  });

  it('refuses NaN and infinities, which MySQL has not', () => {
    expect(thrown(() => literal(Number.NaN)).message).toBe('MySQL has no NaN: numbers must be finite');
    expect(thrown(() => literal(Number.NEGATIVE_INFINITY)).message).toBe(
      'MySQL has no -Infinity: numbers must be finite',
    );
  });

  it('doubles quotes and escapes backslashes and NUL', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(literal('a\\b')).toBe("'a\\\\b'");
    expect(literal("\\'")).toBe("'\\\\'''");
    expect(literal('')).toBe("''");
    expect(literal('line\nbreak')).toBe("'line\nbreak'");
    expect(literal('a\0b')).toBe("'a\\0b'");
    expect(literal('? -- # /* `')).toBe("'? -- # /* `'");
    expect(literal('héllo 🙂')).toBe("'héllo 🙂'");
  });

  it('writes dates as UTC DATETIME text and bytes as hex', () => {
    expect(literal(new Date('2024-02-29T23:59:59.999Z'))).toBe("'2024-02-29 23:59:59.999'");
    expect(() => literal(new Date('nope'))).toThrow(AmbixError);
    expect(literal(Buffer.from('hi'))).toBe("X'6869'");
    expect(literal(new Uint8Array([0, 255]))).toBe("X'00ff'");
    expect(literal(new Uint8Array(0))).toBe("X''");
  });

  it('writes arrays and objects as JSON text', () => {
    expect(literal([1, 'two', null])).toBe(`'[1,"two",null]'`);
    expect(literal({ a: "it's", b: 1n })).toBe(`'{"a":"it''s","b":"1"}'`);
    expect(literal({ path: 'C:\\x' })).toBe(`'{"path":"C:\\\\\\\\x"}'`);
  });

  it('refuses what is not a value', () => {
    expect(() => literal(sql`now()`)).toThrow(TypeError);
    expect(() => literal(() => 1)).toThrow(TypeError);
    expect(() => literal(Symbol('s'))).toThrow(TypeError);
  });
});

describe('mysqlRenderer.expression', () => {
  it('quotes identifiers with backticks and writes values as MySQL literals', () => {
    expect(
      mysqlRenderer.expression(
        sql`${sql.identifier('app', 'users')}.${sql.identifier('name')} <> ${'a\\b'} AND n > ${-1}`,
      ),
    ).toBe("`app`.`users`.`name` <> 'a\\\\b' AND n > (-1)");
  });
});

describe('mysqlRenderer.inline', () => {
  const { inline } = mysqlRenderer;

  it('replaces each ? in order', () => {
    expect(inline({ sql: 'SELECT ?, ?, ?', params: [1, "it's", null] })).toBe("SELECT 1, 'it''s', NULL");
  });

  it('leaves strings, quoted names and comments alone', () => {
    const text = [
      "SELECT '?', 'it''s ?', 'a\\'?', \"?\", \"a\\\"?\", `?`, `a``?`, ?",
      '-- ? a comment',
      '# ? another',
      '/* ? */ ?',
    ].join('\n');
    expect(inline({ sql: text, params: [1, 2] })).toBe(
      [
        "SELECT '?', 'it''s ?', 'a\\'?', \"?\", \"a\\\"?\", `?`, `a``?`, 1",
        '-- ? a comment',
        '# ? another',
        '/* ? */ 2',
      ].join('\n'),
    );
  });

  it("reads --? as an operator, since MySQL's comments need a space after --", () => {
    expect(inline({ sql: 'SELECT 1--?', params: [1] })).toBe('SELECT 1--1');
  });

  it('parenthesizes negative numbers so that x-? does not become a comment', () => {
    expect(inline({ sql: 'SELECT 1-?', params: [-1] })).toBe('SELECT 1-(-1)');
  });

  it('returns statements without parameters as they are', () => {
    expect(inline({ sql: "SELECT '?' -- ?" })).toBe("SELECT '?' -- ?");
  });

  it('refuses placeholders and parameters that do not pair up', () => {
    expect(thrown(() => inline({ sql: 'SELECT ?, ?', params: [1] })).message).toBe(
      'The statement has 2 placeholders but 1 parameter: SELECT ?, ?',
    );
    expect(thrown(() => inline({ sql: "SELECT '?'", params: [1] })).message).toBe(
      "The statement has 0 placeholders but 1 parameter: SELECT '?'",
    );
  });

  it('writes what a bulk insert binds', () => {
    const [statement] = mysqlRenderer.render(
      build.bulkInsert('t', [{ a: new Date('2024-01-02T03:04:05.678Z'), b: new Uint8Array([1]), c: ['x'] }]),
    );
    expect(inline(statement ?? { sql: '' })).toBe(
      "INSERT INTO `t` (`a`, `b`, `c`) VALUES\n  ('2024-01-02 03:04:05.678', X'01', '[\"x\"]')",
    );
  });
});

describe("MySQL's own options on the other databases", () => {
  const onUpdate = build.addColumn('t', { name: 'at', type: 'timestamp', onUpdate: sql`CURRENT_TIMESTAMP` });
  const virtual = build.addColumn('t', {
    name: 'v',
    type: 'int',
    generated: 'a + 1',
    generatedKind: 'virtual',
  });
  const prefix = build.createIndex('ix', 't', [{ column: 'a', length: 10 }]);
  const options = build.createTable('t', [{ name: 'a', type: 'int' }], {
    engine: 'InnoDB',
    charset: 'utf8mb4',
  });

  it('are refused by PostgreSQL, with what to do instead', () => {
    const refusal = (operation: Operation) => thrown(() => postgresRenderer.render(operation));
    expect(refusal(onUpdate).message).toBe(
      'PostgreSQL has no ON UPDATE for columns: cannot render the column "at" with onUpdate',
    );
    expect(refusal(virtual).message).toBe(
      'ambix writes only STORED generated columns on PostgreSQL: cannot render the column "v" as virtual',
    );
    expect(refusal(prefix).message).toBe(
      'PostgreSQL indexes have no prefix lengths: cannot index the first 10 characters of "a"',
    );
    expect(refusal(options).message).toBe(
      'PostgreSQL tables have no engine, charset (MySQL\'s table options): cannot create the table "t" with them',
    );
  });

  it('are refused by SQLite, but for virtual generated columns, which SQLite has', () => {
    const refusal = (operation: Operation) => thrown(() => sqliteRenderer.render(operation));
    expect(refusal(onUpdate).message).toMatch(/^op\.addColumn\(\): SQLite has no ON UPDATE for columns/);
    expect(sqliteRenderer.render(virtual).map((statement) => statement.sql)).toEqual([
      'ALTER TABLE "t" ADD COLUMN "v" int GENERATED ALWAYS AS (a + 1) VIRTUAL',
    ]);
    expect(refusal(prefix).message).toMatch(/^op\.createIndex\(\): SQLite indexes have no prefix lengths/);
    expect(refusal(options).message).toMatch(/^op\.createTable\(\): SQLite tables have no engine, charset/);
  });
});

describe("SQLite's own table options on the other databases", () => {
  const options = build.createTable('t', [{ name: 'a', type: 'int', primaryKey: true }], {
    strict: true,
    withoutRowid: true,
  });

  it('are refused by PostgreSQL, with what to do instead', () => {
    const error = thrown(() => postgresRenderer.render(options));
    expect(error.message).toBe(
      'PostgreSQL tables have no strict, withoutRowid (SQLite\'s table options): cannot create the table "t" with them',
    );
    expect(error.hint).toContain('Drop strict, withoutRowid');
  });

  it('are refused by MySQL, with what to do instead', () => {
    const error = thrown(() => mysqlRenderer.render(options));
    expect(error.message).toBe(
      'MySQL tables have no strict, withoutRowid (SQLite\'s table options): cannot create the table "t" with them',
    );
    expect(error.hint).toContain('Drop strict, withoutRowid');
  });

  it('mean nothing when false, SQLite’s default, and are left out everywhere', () => {
    const plain = build.createTable('t', [{ name: 'a', type: 'int' }], {
      strict: false,
      withoutRowid: false,
    });
    expect(plain).not.toHaveProperty('strict');
    expect(plain).not.toHaveProperty('withoutRowid');
    expect(mysqlRenderer.render(plain)).toHaveLength(1);
    expect(postgresRenderer.render(plain)).toHaveLength(1);
  });
});

describe('which statements MySQL keeps in the open transaction', () => {
  it('vouches for one plain data statement only', () => {
    for (const sql of [
      'INSERT INTO t VALUES (1);',
      "  update t set a = 'x; DROP TABLE t' -- a comment; with a semicolon\n",
      '/* note; */ DELETE FROM t WHERE id = 1',
      'WITH x AS (SELECT 1) SELECT * FROM x',
      'REPLACE INTO t VALUES (2)',
    ])
      expect(isPlainDataStatement(sql), sql).toBe(true);
    for (const sql of [
      'CREATE TABLE t (id int)',
      'CREATE TEMPORARY TABLE t (id int)',
      'INSERT INTO t VALUES (1); CREATE TABLE u (id int)',
      'CALL do_things()',
      'LOCK TABLES t WRITE',
      '/*!50000 CREATE TABLE t (id int) */',
      'SET autocommit = 1',
      '',
    ])
      expect(isPlainDataStatement(sql), sql).toBe(false);
  });
});
