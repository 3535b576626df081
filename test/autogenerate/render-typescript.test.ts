import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderOperationCalls } from '../../src/autogenerate/render-typescript.js';
import { evaluateTypeScript } from '../../src/config/load-config.js';
import { operationBuilders as b } from '../../src/operations/builders.js';
import { BEGIN_AUTOCOMMIT, END_AUTOCOMMIT } from '../../src/operations/data-operations.js';
import { OPERATION_KINDS, type Operation } from '../../src/operations/operation.js';
import { createOperations, type Operations, settleOperations } from '../../src/operations/operations.js';
import { sql } from '../../src/operations/sql-expression.js';

/** One or more operations of every kind autogenerate can write, with awkward values. */
const OPERATIONS: readonly Operation[] = [
  b.createTable(
    'users',
    [
      { name: 'id', type: 'bigint', identity: { generated: 'always', start: 9007199254740993n } },
      { name: 'email', type: 'character varying(255)', nullable: false, comment: "it's the login" },
      { name: 'created_at', type: 'timestamp with time zone', default: sql.raw('now()') },
      { name: 'tags', type: 'text[]', default: sql.raw("'{}'::text[]") },
      { name: 'lower', type: 'text', generated: sql.raw('lower((email)::text)') },
    ],
    {
      schema: 'app',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ that the writer must escape
      comment: 'line one\nline `two` ${not} \\ three',
      constraints: [
        { type: 'primaryKey', name: 'users_pkey', columns: ['id'] },
        { type: 'check', name: 'users_email_check', expression: sql.raw("email <> ''") },
        { type: 'unique', name: 'users_email_key', columns: ['email'], deferrable: true },
      ],
    },
  ),
  b.dropTable('old', { cascade: true }),
  b.renameTable('a', 'b', { schema: 's' }),
  b.setTableComment('users', null),
  b.addColumn('users', { name: 'n', type: 'numeric(10,2)', default: 0 }),
  b.dropColumn('users', 'n'),
  b.alterColumn('users', 'email', {
    type: 'text',
    using: sql`${sql.identifier('email')}::text`,
    nullable: true,
    default: null,
    comment: null,
  }),
  b.alterColumn('users', 'x', { newName: 'y' }),
  b.alterColumn('users', 'id', { identity: { generated: 'byDefault', start: 10 }, existingIdentity: null }),
  b.alterColumn('users', 'id', { identity: null, existingIdentity: 'always' }),
  b.createIndex('users_email_idx', 'users', ['email', { column: 'id', order: 'desc', nulls: 'last' }], {
    unique: true,
    where: sql.raw('email IS NOT NULL'),
  }),
  b.createIndex(
    'users_lower_idx',
    'users',
    [sql.raw('lower(email)'), { expression: sql.raw('id + 1'), opclass: 'int4_ops' }],
    {
      using: 'btree',
      include: ['id'],
      with: { fillfactor: 70 },
    },
  ),
  b.dropIndex('users_email_idx', { schema: 'app' }),
  b.createPrimaryKey('users_pkey', 'users', ['id']),
  b.createForeignKey(
    'orders_user_fkey',
    'orders',
    ['user_id'],
    { table: 'users', columns: ['id'], schema: 'app' },
    {
      onDelete: 'cascade',
      initiallyDeferred: true,
    },
  ),
  b.createUniqueConstraint('u', 'users', ['a', 'b'], { nullsNotDistinct: true }),
  b.createCheckConstraint('c', 'users', sql.raw('a > 0')),
  b.createExcludeConstraint(
    'x',
    'rooms',
    [
      { column: 'room', operator: '=' },
      { column: 'during', operator: '&&' },
    ],
    {
      using: 'gist',
    },
  ),
  b.dropConstraint('c', 'users'),
  b.batchAlterTable(
    'users',
    (batch) => {
      batch.addColumn({ name: 'age', type: 'integer', default: 0 });
      batch.alterColumn('email', { type: 'text', using: sql`lower(email)`, existingType: 'varchar(255)' });
      batch.dropColumn('legacy', { existing: { type: 'text' } });
      batch.createIndex('users_age_idx', ['age'], { where: sql.raw('age > 0') });
      batch.dropIndex('users_old_idx');
      batch.createForeignKey('users_org_fkey', ['org_id'], { table: 'orgs', columns: ['id'] });
      batch.dropConstraint('users_old_check', { ifExists: true });
    },
    {
      schema: 'app',
      recreate: 'always',
      existing: { columns: [{ name: 'id', type: 'integer' }], indexes: [{ name: 'ix', columns: ['id'] }] },
    },
  ),
  b.createEnum('mood', ['sad', "it's ok"], { schema: 'app' }),
  b.dropEnum('mood'),
  BEGIN_AUTOCOMMIT,
  b.addEnumValue('mood', 'meh', { before: 'ok' }),
  b.addEnumValue('mood', 'great'),
  END_AUTOCOMMIT,
  b.renameEnumValue('mood', 'sad', 'blue'),
  b.createSchema('app'),
  b.dropSchema('app'),
  b.createExtension('pgcrypto', { ifNotExists: true }),
  b.dropExtension('pgcrypto'),
  b.createSequence('seq', {
    as: 'integer',
    start: 1000,
    increment: -1n,
    maxValue: 1000,
    minValue: null,
    cycle: true,
  }),
  b.alterSequence('seq', { ownedBy: null }),
  b.alterSequence('seq', { ownedBy: { table: 'users', column: 'id' } }),
  b.dropSequence('seq', { ifExists: true }),
  b.createView('v', sql.raw(' SELECT users.id\n   FROM users;'), { columns: ['id'] }),
  // A block's code is indented, but not the lines inside a multi-line template literal.
  BEGIN_AUTOCOMMIT,
  b.createView('w', sql.raw(' SELECT users.id\n   FROM users;')),
  END_AUTOCOMMIT,
  b.dropView('v'),
  b.createMaterializedView('m', sql.raw('SELECT 1'), { withData: false }),
  b.dropMaterializedView('m'),
  b.refreshMaterializedView('m', { concurrently: true }),
  b.createFunction('touch', {
    returns: 'trigger',
    language: 'plpgsql',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ that the writer must escape
    body: 'BEGIN\n  NEW.at := now(); -- ${x} `y`\n  RETURN NEW;\nEND',
    parameters: [{ name: 'a', type: 'integer', default: 1 }],
  }),
  b.dropFunction('touch', { parameters: ['integer'] }),
  b.createTrigger('t', 'users', {
    timing: 'before',
    events: ['insert', { update: ['email'] }],
    forEach: 'row',
    function: { name: 'touch' },
    when: sql.raw('NEW.email IS NOT NULL'),
  }),
  b.dropTrigger('t', 'users'),
  b.execute(
    'CREATE OR REPLACE FUNCTION f()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT 1$function$\n',
  ),
  b.execute('UPDATE t SET a = $1 WHERE b = $2', ['x', null]),
  b.bulkInsert('t', [{ a: 1, b: 'two' }]),
];

const dir = mkdtempSync(join(tmpdir(), 'ambix-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function evaluate(code: string, usesSql: boolean): Promise<Operation[]> {
  const source = [
    "import type { Operations } from 'ambix';",
    ...(usesSql ? ["import { sql } from 'ambix';"] : []),
    '',
    'export async function upgrade(op: Operations): Promise<void> {',
    code,
    '}',
  ].join('\n');
  const module = (await evaluateTypeScript(join(dir, 'migration.ts'), source)) as {
    upgrade(op: Operations): Promise<void>;
  };
  const emitted: Operation[] = [];
  const op = createOperations({ offline: true, emit: async (operation) => void emitted.push(operation) });
  await module.upgrade(op);
  await settleOperations(op);
  return emitted;
}

describe('operations written as TypeScript', () => {
  it('covers every kind of operation', () => {
    const kinds = new Set(OPERATIONS.map((operation) => operation.kind));
    expect(OPERATION_KINDS.filter((kind) => !kinds.has(kind))).toEqual([]);
  });

  it('writes an autocommit block as the op.autocommit call that builds it', () => {
    const { code } = renderOperationCalls([
      BEGIN_AUTOCOMMIT,
      b.addEnumValue('mood', 'meh'),
      END_AUTOCOMMIT,
      b.addColumn('t', { name: 'm', type: 'mood', default: sql.raw("'meh'::mood") }),
    ]);
    expect(code).toBe(
      [
        'await op.autocommit(async () => {',
        "  await op.addEnumValue('mood', 'meh');",
        '});',
        "await op.addColumn('t', { name: 'm', type: 'mood', default: sql`'meh'::mood` });",
      ].join('\n'),
    );
    expect(() => renderOperationCalls([BEGIN_AUTOCOMMIT, b.addEnumValue('mood', 'meh')])).toThrow(
      /not closed/,
    );
  });

  it('builds exactly the same operations when the code runs', async () => {
    const { code, usesSql } = renderOperationCalls(OPERATIONS);
    expect(usesSql).toBe(true);
    expect(await evaluate(code, usesSql)).toEqual(OPERATIONS);
  });

  it('writes a batch as the op.batchAlterTable call whose callback records its changes', () => {
    const { code } = renderOperationCalls([
      b.batchAlterTable(
        'users',
        (batch) => {
          batch.addColumn({ name: 'age', type: 'integer' });
          batch.alterColumn('name', { nullable: false });
          batch.createIndex('users_age_idx', ['age']);
        },
        { recreate: 'always' },
      ),
    ]);
    expect(code).toBe(
      [
        "await op.batchAlterTable('users', (batch) => {",
        "  batch.addColumn({ name: 'age', type: 'integer' });",
        "  batch.alterColumn('name', { nullable: false });",
        "  batch.createIndex('users_age_idx', ['age']);",
        "}, { recreate: 'always' });",
      ].join('\n'),
    );
  });

  it('reads like code a person writes', () => {
    const { code } = renderOperationCalls([
      b.addColumn('users', { name: 'nickname', type: 'character varying(40)' }),
      b.createIndex('users_email_idx', 'users', ['email']),
      b.alterColumn('users', 'email', { type: 'text', using: sql`${sql.identifier('email')}::text` }),
    ]);
    expect(code).toBe(
      [
        "await op.addColumn('users', { name: 'nickname', type: 'character varying(40)' });",
        "await op.createIndex('users_email_idx', 'users', ['email']);",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated code holds a sql template
        "await op.alterColumn('users', 'email', { type: 'text', using: sql`${sql.identifier('email')}::text` });",
      ].join('\n'),
    );
  });
});
