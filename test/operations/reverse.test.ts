import { describe, expect, it } from 'vitest';
import { AmbixError } from '../../src/errors.js';
import { operationBuilders as build } from '../../src/operations/builders.js';
import type { Operation, OperationKind } from '../../src/operations/operation.js';
import { OPERATION_KINDS } from '../../src/operations/operation.js';
import { isReversible, reverseOperation, reverseOperations } from '../../src/operations/reverse.js';
import { sql } from '../../src/operations/sql-expression.js';

const PEOPLE = {
  columns: [
    { name: 'id', type: 'uuid', primaryKey: true, default: sql`gen_random_uuid()` },
    { name: 'email', type: 'text', nullable: false, comment: 'login' },
  ],
  constraints: [{ type: 'unique' as const, name: 'uq_email', columns: ['email'] }],
  comment: 'People',
};

const FUNCTION = { parameters: ['integer'], returns: 'integer', language: 'sql', body: 'SELECT $1 + 1' };
const TRIGGER = {
  timing: 'before' as const,
  events: ['insert' as const],
  forEach: 'row' as const,
  function: 'touch',
};

/**
 * For every kind: operations carrying everything their reverse needs (reversing twice gives them back), and
 * operations that cannot be reversed. A Record, so a new kind must say how it reverses.
 */
const SAMPLES: Record<
  OperationKind,
  { readonly reversible: readonly Operation[]; readonly irreversible: readonly Operation[] }
> = {
  createTable: {
    reversible: [build.createTable('people', PEOPLE.columns, { ...PEOPLE, schema: 'app' })],
    irreversible: [],
  },
  dropTable: {
    reversible: [build.dropTable('people', { existing: PEOPLE, schema: 'app' })],
    irreversible: [build.dropTable('people')],
  },
  renameTable: { reversible: [build.renameTable('a', 'b', { schema: 'app' })], irreversible: [] },
  setTableComment: {
    reversible: [
      build.setTableComment('t', 'new', { existingComment: null }),
      build.setTableComment('t', null, { existingComment: 'old' }),
    ],
    irreversible: [build.setTableComment('t', 'new')],
  },
  addColumn: {
    reversible: [build.addColumn('t', { name: 'c', type: 'text', default: 'x' }, { ifNotExists: true })],
    irreversible: [],
  },
  dropColumn: {
    reversible: [build.dropColumn('t', 'c', { existing: { type: 'text', default: 'x' }, ifExists: true })],
    irreversible: [build.dropColumn('t', 'c')],
  },
  alterColumn: {
    reversible: [
      build.alterColumn('t', 'c', {
        type: 'bigint',
        nullable: false,
        default: 0,
        comment: 'count',
        newName: 'n',
        existingType: 'integer',
        existingNullable: true,
        existingDefault: null,
        existingComment: null,
      }),
      build.alterColumn('t', 'c', { newName: 'd' }),
      build.alterColumn('t', 'c', { identity: 'byDefault', existingIdentity: null }),
      build.alterColumn('t', 'c', { identity: null, existingIdentity: { generated: 'always', start: 10 } }),
    ],
    irreversible: [
      build.alterColumn('t', 'c', { identity: 'always' }),
      build.alterColumn('t', 'c', { type: 'bigint' }),
      build.alterColumn('t', 'c', { default: 1 }),
      build.alterColumn('t', 'c', { comment: 'x' }),
    ],
  },
  createIndex: {
    reversible: [
      build.createIndex('ix', 't', ['a', sql`lower(b)`], {
        schema: 'app',
        unique: true,
        where: 'a > 0',
        concurrently: true,
      }),
    ],
    irreversible: [],
  },
  dropIndex: {
    reversible: [build.dropIndex('ix', { existing: { table: 't', columns: ['a'], using: 'gin' } })],
    irreversible: [build.dropIndex('ix')],
  },
  createPrimaryKey: { reversible: [build.createPrimaryKey('pk', 't', ['a', 'b'])], irreversible: [] },
  createForeignKey: {
    reversible: [
      build.createForeignKey('fk', 't', ['a'], { table: 'u', columns: ['id'] }, { onDelete: 'cascade' }),
    ],
    irreversible: [],
  },
  createUniqueConstraint: {
    reversible: [build.createUniqueConstraint('uq', 't', ['a'], { deferrable: true })],
    irreversible: [],
  },
  createCheckConstraint: { reversible: [build.createCheckConstraint('ck', 't', 'a > 0')], irreversible: [] },
  createExcludeConstraint: {
    reversible: [
      build.createExcludeConstraint('ex', 't', [{ column: 'r', operator: '&&' }], { using: 'gist' }),
    ],
    irreversible: [],
  },
  dropConstraint: {
    reversible: [build.dropConstraint('ck', 't', { existing: { type: 'check', expression: 'a > 0' } })],
    irreversible: [build.dropConstraint('ck', 't')],
  },
  batchAlterTable: {
    reversible: [
      build.batchAlterTable(
        't',
        (batch) => {
          batch.addColumn({ name: 'b', type: 'text', nullable: false, default: 'x' });
          batch.alterColumn('a', { type: 'bigint', existingType: 'integer' });
          batch.createIndex('t_b_idx', ['b']);
          batch.dropConstraint('ck', { existing: { type: 'check', expression: 'a > 0' } });
        },
        { schema: 'app', recreate: 'always' },
      ),
    ],
    irreversible: [
      build.batchAlterTable('t', (batch) => {
        batch.addColumn({ name: 'b', type: 'text' });
        batch.dropColumn('c');
      }),
    ],
  },
  createEnum: { reversible: [build.createEnum('mood', ['sad', 'ok'])], irreversible: [] },
  dropEnum: {
    reversible: [build.dropEnum('mood', { existing: { values: ['sad'] } })],
    irreversible: [build.dropEnum('mood')],
  },
  addEnumValue: { reversible: [], irreversible: [build.addEnumValue('mood', 'meh')] },
  renameEnumValue: { reversible: [build.renameEnumValue('mood', 'sad', 'blue')], irreversible: [] },
  createSchema: { reversible: [build.createSchema('app', { ifNotExists: true })], irreversible: [] },
  dropSchema: { reversible: [build.dropSchema('app')], irreversible: [] },
  createExtension: { reversible: [build.createExtension('vector')], irreversible: [] },
  dropExtension: { reversible: [build.dropExtension('vector', { ifExists: true })], irreversible: [] },
  createSequence: { reversible: [build.createSequence('s', { start: 5, cycle: true })], irreversible: [] },
  alterSequence: {
    reversible: [
      build.alterSequence('s', { increment: 2, maxValue: null, existing: { increment: 1, maxValue: 9 } }),
    ],
    irreversible: [build.alterSequence('s', { increment: 2 }), build.alterSequence('s', { restart: true })],
  },
  dropSequence: {
    reversible: [build.dropSequence('s', { existing: { as: 'integer' } })],
    irreversible: [build.dropSequence('s')],
  },
  createView: {
    reversible: [
      build.createView('v', 'SELECT 1'),
      build.createView('v', 'SELECT 2', { orReplace: true, existing: { query: 'SELECT 1' } }),
    ],
    irreversible: [build.createView('v', 'SELECT 2', { orReplace: true })],
  },
  dropView: {
    reversible: [build.dropView('v', { existing: { query: 'SELECT 1' } })],
    irreversible: [build.dropView('v')],
  },
  createMaterializedView: {
    reversible: [build.createMaterializedView('m', 'SELECT 1', { withData: false })],
    irreversible: [],
  },
  dropMaterializedView: {
    reversible: [build.dropMaterializedView('m', { existing: { query: 'SELECT 1' } })],
    irreversible: [build.dropMaterializedView('m')],
  },
  refreshMaterializedView: { reversible: [], irreversible: [build.refreshMaterializedView('m')] },
  createFunction: {
    reversible: [
      build.createFunction('f', FUNCTION),
      build.createFunction('f', {
        ...FUNCTION,
        orReplace: true,
        existing: { ...FUNCTION, body: 'SELECT 0' },
      }),
    ],
    irreversible: [build.createFunction('f', { ...FUNCTION, orReplace: true })],
  },
  dropFunction: {
    reversible: [build.dropFunction('f', { existing: FUNCTION })],
    irreversible: [build.dropFunction('f')],
  },
  createTrigger: {
    reversible: [
      build.createTrigger('tr', 't', TRIGGER),
      build.createTrigger('tr', 't', {
        ...TRIGGER,
        orReplace: true,
        existing: { ...TRIGGER, events: ['update'] },
      }),
    ],
    irreversible: [build.createTrigger('tr', 't', { ...TRIGGER, orReplace: true })],
  },
  dropTrigger: {
    reversible: [build.dropTrigger('tr', 't', { existing: TRIGGER })],
    irreversible: [build.dropTrigger('tr', 't')],
  },
  execute: { reversible: [], irreversible: [build.execute('SELECT 1')] },
  bulkInsert: { reversible: [], irreversible: [build.bulkInsert('t', [{ a: 1 }])] },
  beginAutocommit: { reversible: [{ kind: 'beginAutocommit' }], irreversible: [] },
  endAutocommit: { reversible: [{ kind: 'endAutocommit' }], irreversible: [] },
};

describe('reverseOperation', () => {
  for (const kind of OPERATION_KINDS) {
    describe(kind, () => {
      for (const operation of SAMPLES[kind].reversible) {
        it(`reverses ${JSON.stringify(operation).slice(0, 80)}…, and reversing twice gives it back`, () => {
          const reverse = reverseOperation(operation);
          expect(reverse).not.toEqual(operation);
          expect(Object.isFrozen(reverse)).toBe(true);
          expect(reverseOperation(reverse)).toEqual(operation);
          expect(isReversible(operation)).toBe(true);
        });
      }
      for (const operation of SAMPLES[kind].irreversible) {
        it(`refuses ${JSON.stringify(operation).slice(0, 80)}… with an error that says what to do`, () => {
          let error: unknown;
          try {
            reverseOperation(operation);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(AmbixError);
          expect((error as AmbixError).message).toContain(`Cannot reverse ${kind}`);
          expect((error as AmbixError).hint).toBeTruthy();
          expect(isReversible(operation)).toBe(false);
        });
      }
    });
  }

  it('pairs each create with its drop', () => {
    expect(
      reverseOperation(build.createTable('people', PEOPLE.columns, { ...PEOPLE, schema: 'app' })),
    ).toEqual(build.dropTable('people', { schema: 'app', existing: PEOPLE }));
    expect(reverseOperation(build.createPrimaryKey('pk', 't', ['a']))).toEqual(
      build.dropConstraint('pk', 't', { existing: { type: 'primaryKey', columns: ['a'] } }),
    );
    expect(reverseOperation(build.createIndex('ix', 't', ['a'], { where: 'a > 0' }))).toEqual(
      build.dropIndex('ix', { existing: { table: 't', columns: ['a'], where: 'a > 0' } }),
    );
    expect(reverseOperation(build.createFunction('f', FUNCTION))).toEqual(
      build.dropFunction('f', { parameters: ['integer'], existing: FUNCTION }),
    );
  });

  it("carries SQLite's table options from a create to its drop and back", () => {
    const create = build.createTable('kv', [{ name: 'k', type: 'TEXT', primaryKey: true }], {
      strict: true,
      withoutRowid: true,
    });
    const drop = reverseOperation(create);
    expect(drop).toEqual(
      build.dropTable('kv', {
        existing: {
          columns: [{ name: 'k', type: 'TEXT', primaryKey: true }],
          strict: true,
          withoutRowid: true,
        },
      }),
    );
    expect(reverseOperation(drop)).toEqual(create);
  });

  it('reverses a column change under its new name, with the old values', () => {
    const change = build.alterColumn('t', 'c', {
      type: 'bigint',
      using: 'c::bigint',
      default: null,
      newName: 'n',
      existingType: 'text',
      existingDefault: sql`now()`,
    });
    expect(reverseOperation(change)).toEqual(
      build.alterColumn('t', 'n', {
        type: 'text',
        default: sql`now()`,
        newName: 'c',
        existingType: 'bigint',
        existingDefault: null,
      }),
    );
  });

  it('infers the nullability before a change from the change itself', () => {
    expect(reverseOperation(build.alterColumn('t', 'c', { nullable: false }))).toEqual(
      build.alterColumn('t', 'c', { nullable: true, existingNullable: false }),
    );
  });

  it('reverses a sequence of operations in the opposite order', () => {
    const forward = [build.createEnum('mood', ['a']), build.addColumn('t', { name: 'm', type: 'mood' })];
    expect(reverseOperations(forward).map((operation) => operation.kind)).toEqual(['dropColumn', 'dropEnum']);
  });

  it('names what is missing', () => {
    expect(() => reverseOperation(build.alterColumn('t', 'c', { type: 'int', default: 1 }))).toThrow(
      /existingType, existingDefault/,
    );
    expect(() => reverseOperation(build.alterSequence('s', { increment: 2, minValue: 1 }))).toThrow(
      /existing\.increment, existing\.minValue/,
    );
  });
});
