import { describe, expect, it } from 'vitest';
import { AmbixError } from '../../src/errors.js';
import { operationBuilders as build } from '../../src/operations/builders.js';
import type { Operation } from '../../src/operations/operation.js';
import { createOperations, settleOperations } from '../../src/operations/operations.js';
import { isReversible, reverseOperation } from '../../src/operations/reverse.js';

function refusal(run: () => unknown): AmbixError {
  try {
    run();
  } catch (error) {
    if (error instanceof AmbixError) return error;
    throw error;
  }
  throw new Error('expected an AmbixError');
}

describe('op.batchAlterTable()', () => {
  it('records the changes the callback makes on `batch`, in order, each on the batch’s table and schema', () => {
    const batch = build.batchAlterTable(
      'users',
      (b) => {
        b.addColumn({ name: 'age', type: 'integer' });
        b.alterColumn('name', { nullable: false });
        b.dropColumn('legacy');
        b.createIndex('users_age_idx', ['age']);
        b.dropIndex('users_old_idx');
        b.createPrimaryKey('users_pkey', ['id']);
        b.createForeignKey('users_org_fkey', ['org_id'], { table: 'orgs', columns: ['id'] });
        b.createUniqueConstraint('users_email_key', ['email']);
        b.createCheckConstraint('users_age_check', 'age >= 0');
        b.createExcludeConstraint('users_no_overlap', [{ column: 'span', operator: '&&' }], {
          using: 'gist',
        });
        b.dropConstraint('users_old_check');
        b.setTableComment('People');
      },
      { schema: 'app', recreate: 'always' },
    );
    expect(batch).toEqual({
      kind: 'batchAlterTable',
      schema: 'app',
      table: 'users',
      recreate: 'always',
      operations: [
        build.addColumn('users', { name: 'age', type: 'integer' }, { schema: 'app' }),
        build.alterColumn('users', 'name', { nullable: false, schema: 'app' }),
        build.dropColumn('users', 'legacy', { schema: 'app' }),
        build.createIndex('users_age_idx', 'users', ['age'], { schema: 'app' }),
        build.dropIndex('users_old_idx', { schema: 'app', table: 'users' }),
        build.createPrimaryKey('users_pkey', 'users', ['id'], { schema: 'app' }),
        build.createForeignKey(
          'users_org_fkey',
          'users',
          ['org_id'],
          { table: 'orgs', columns: ['id'] },
          { schema: 'app' },
        ),
        build.createUniqueConstraint('users_email_key', 'users', ['email'], { schema: 'app' }),
        build.createCheckConstraint('users_age_check', 'users', 'age >= 0', { schema: 'app' }),
        build.createExcludeConstraint('users_no_overlap', 'users', [{ column: 'span', operator: '&&' }], {
          schema: 'app',
          using: 'gist',
        }),
        build.dropConstraint('users_old_check', 'users', { schema: 'app' }),
        build.setTableComment('users', 'People', { schema: 'app' }),
      ],
    });
    expect(Object.isFrozen(batch)).toBe(true);
    expect(Object.isFrozen(batch.operations)).toBe(true);
  });

  it('normalizes `existing`, the table as it is, indexes included', () => {
    const batch = build.batchAlterTable('t', (b) => b.dropColumn('c'), {
      existing: {
        columns: [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: 'c', type: 'text' },
        ],
        indexes: [{ name: 't_c_idx', columns: ['c'], unique: true }],
      },
    });
    expect(batch.existing).toEqual({
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'c', type: 'text' },
      ],
      constraints: [],
      indexes: [{ name: 't_c_idx', columns: [{ column: 'c' }], unique: true }],
    });
  });

  it('refuses a bad change where it is recorded, naming it', () => {
    const error = refusal(() =>
      build.batchAlterTable('t', (b) => b.addColumn({ name: 'x', type: 'text; DROP TABLE t' })),
    );
    expect(error.message).toMatch(/^op\.addColumn\(\): .*is not a type name/);
  });

  it('refuses a schema or table given to one change: every change is on the batch’s table', () => {
    const error = refusal(() =>
      build.batchAlterTable('t', (b) => b.dropIndex('ix', { table: 'other' } as never)),
    );
    expect(error.message).toBe(
      "op.batchAlterTable(): batch.dropIndex() takes no table: every change of a batch is on the batch's table",
    );
  });

  it('refuses an async callback, an empty batch and a recreate it does not know', () => {
    expect(
      refusal(() =>
        build.batchAlterTable('t', (async (b: { dropColumn(c: string): void }) => {
          await Promise.resolve();
          b.dropColumn('c');
        }) as never),
      ).message,
    ).toBe(
      'op.batchAlterTable(): the callback returned a promise: it records the changes and must not be async',
    );
    expect(refusal(() => build.batchAlterTable('t', () => {})).message).toBe(
      'op.batchAlterTable(): the callback recorded no change to table "t"',
    );
    expect(
      refusal(() => build.batchAlterTable('t', (b) => b.dropColumn('c'), { recreate: 'sometimes' as never }))
        .message,
    ).toBe("op.batchAlterTable(): recreate must be one of 'auto', 'always', 'never', got \"sometimes\"");
  });

  it('refuses a change recorded after the callback returned', () => {
    let kept: { dropColumn(column: string): void } | undefined;
    build.batchAlterTable('t', (b) => {
      kept = b;
      b.dropColumn('a');
    });
    expect(refusal(() => kept?.dropColumn('b')).message).toBe(
      'op.batchAlterTable(): batch.dropColumn() was called after the callback returned',
    );
  });

  it('is one operation for the runtime, run in its turn', async () => {
    const emitted: Operation[] = [];
    const op = createOperations({
      offline: false,
      emit: async (operation) => {
        emitted.push(operation);
      },
    });
    void op.execute('a');
    void op.batchAlterTable('t', (batch) => {
      batch.addColumn({ name: 'b', type: 'text' });
      batch.dropColumn('c');
    });
    void op.execute('z');
    await settleOperations(op);
    expect(emitted.map((operation) => operation.kind)).toEqual(['execute', 'batchAlterTable', 'execute']);
  });

  it('reverses as a batch of the reversed changes, in the opposite order, without `existing`', () => {
    const batch = build.batchAlterTable(
      't',
      (b) => {
        b.addColumn({ name: 'b', type: 'text' });
        b.alterColumn('a', { nullable: false, existingNullable: true });
      },
      { recreate: 'always', existing: { columns: [{ name: 'a', type: 'text' }] } },
    );
    expect(reverseOperation(batch)).toEqual(
      build.batchAlterTable(
        't',
        (b) => {
          b.alterColumn('a', { nullable: true, existingNullable: false });
          b.dropColumn('b', { existing: { type: 'text' } });
        },
        { recreate: 'always' },
      ),
    );
  });

  it('is irreversible when one of its changes is, saying which', () => {
    const batch = build.batchAlterTable('t', (b) => {
      b.addColumn({ name: 'b', type: 'text' });
      b.dropColumn('c');
    });
    expect(isReversible(batch)).toBe(false);
    const error = refusal(() => reverseOperation(batch));
    expect(error.message).toBe(
      'Cannot reverse batchAlterTable: its batch.dropColumn() cannot be reversed: it does not carry the column definition it removes or replaces',
    );
    expect(error.hint).toBe(
      'Pass `existing` to batch.dropColumn() with the column definition as it is, or write the downgrade by hand.',
    );
  });
});
