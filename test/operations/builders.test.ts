import { describe, expect, it } from 'vitest';
import { AmbixError } from '../../src/errors.js';
import { operationBuilders as build } from '../../src/operations/builders.js';
import { isSqlExpression, sql } from '../../src/operations/sql-expression.js';

function refusal(run: () => unknown): AmbixError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AmbixError);
    return error as AmbixError;
  }
  throw new Error('expected the builder to refuse its arguments');
}

describe('the sql tag', () => {
  it('keeps text, values and identifiers apart', () => {
    expect(sql`lower(${sql.identifier('app', 'email')}) = ${"it's"}`).toEqual({
      kind: 'sql',
      strings: ['lower(', ') = ', ''],
      fragments: [
        { kind: 'identifier', names: ['app', 'email'] },
        { kind: 'value', value: "it's" },
      ],
    });
  });

  it('splices nested expressions', () => {
    const inner = sql`b = ${2}`;
    expect(sql`a = ${1} AND ${inner} OR ${sql.raw('c')}`).toEqual({
      kind: 'sql',
      strings: ['a = ', ' AND b = ', ' OR c'],
      fragments: [
        { kind: 'value', value: 1 },
        { kind: 'value', value: 2 },
      ],
    });
  });

  it('joins expressions', () => {
    const joined = sql.join([sql`a`, sql`${1}`, sql`c`], ' + ');
    expect(joined.strings).toEqual(['a + ', ' + c']);
    expect(joined.fragments).toEqual([{ kind: 'value', value: 1 }]);
    expect(sql.join([]).strings).toEqual(['']);
  });

  it('is frozen data', () => {
    const expression = sql`now()`;
    expect(Object.isFrozen(expression)).toBe(true);
    expect(isSqlExpression(expression)).toBe(true);
    expect(isSqlExpression({ sql: 'now()' })).toBe(false);
    expect(JSON.parse(JSON.stringify(expression))).toEqual(expression);
  });

  it('refuses empty identifiers', () => {
    expect(() => sql.identifier()).toThrow(TypeError);
    expect(() => sql.identifier('')).toThrow(TypeError);
  });
});

describe('operation builders', () => {
  it('build plain data without undefined properties', () => {
    expect(build.addColumn('users', { name: 'email', type: 'text', nullable: false })).toEqual({
      kind: 'addColumn',
      table: 'users',
      column: { name: 'email', type: 'text', nullable: false },
    });
    expect(Object.keys(build.dropTable('users'))).toEqual(['kind', 'table']);
  });

  it('read a string as SQL where only SQL can go, and as a value where a value can', () => {
    const table = build.createTable('t', [
      { name: 'status', type: 'text', default: 'now()', check: "status <> ''" },
      { name: 'at', type: 'timestamptz', default: sql`now()` },
    ]);
    const [status, at] = table.columns;
    expect(status?.default).toBe('now()');
    expect(isSqlExpression(status?.check)).toBe(true);
    expect(isSqlExpression(at?.default)).toBe(true);
  });

  it('normalize shorthands', () => {
    const table = build.createTable('t', [{ name: 'id', type: 'bigint', identity: 'always' }]);
    expect(table.columns[0]?.identity).toEqual({ generated: 'always' });
    expect(table.constraints).toEqual([]);
    expect(
      build.createIndex('ix', 't', ['a', sql`lower(b)`, { column: 'c', order: 'desc' }]).columns,
    ).toEqual([{ column: 'a' }, { expression: sql`lower(b)` }, { column: 'c', order: 'desc' }]);
    expect(
      build.createTrigger('tr', 't', { timing: 'after', events: ['insert'], forEach: 'row', function: 'f' })
        .function,
    ).toEqual({
      name: 'f',
    });
  });

  it('freeze what they build without freezing what they were given', () => {
    const tags = ['a', 'b'];
    const row = { id: 1, doc: { nested: true } };
    const table = build.createTable('t', [{ name: 'tags', type: 'text[]', default: tags }]);
    const insert = build.bulkInsert('t', [row]);
    expect(Object.isFrozen(table.columns[0]?.default)).toBe(true);
    expect(Object.isFrozen((insert.rows[0] as { doc: object }).doc)).toBe(true);
    expect(Object.isFrozen(tags)).toBe(false);
    expect(Object.isFrozen(row.doc)).toBe(false);
    tags.push('c');
    expect(table.columns[0]?.default).toEqual(['a', 'b']);
  });

  it("keep SQLite's table options when true, and leave them out when false (SQLite's default)", () => {
    const columns = [{ name: 'a', type: 'INTEGER', primaryKey: true }];
    expect(build.createTable('t', columns, { strict: true, withoutRowid: true })).toMatchObject({
      strict: true,
      withoutRowid: true,
    });
    const plain = build.createTable('t', columns, { strict: false, withoutRowid: false });
    expect(Object.keys(plain)).toEqual(['kind', 'table', 'columns', 'constraints']);
  });

  it('collect bulkInsert columns from every row, in first-seen order', () => {
    expect(build.bulkInsert('t', [{ a: 1 }, { b: 2, a: 3 }, {}]).columns).toEqual(['a', 'b']);
    expect(build.bulkInsert('t', [{ a: 1 }], { columns: ['b', 'a'] }).columns).toEqual(['b', 'a']);
    expect(refusal(() => build.bulkInsert('t', [{ c: 1 }], { columns: ['a'] })).message).toMatch(
      /not in columns/,
    );
  });

  describe('refuse arguments that cannot work', () => {
    const cases: [string, () => unknown, RegExp][] = [
      [
        'a type that ends the statement',
        () => build.addColumn('t', { name: 'c', type: 'text; DROP TABLE t' }),
        /not a type name/,
      ],
      [
        'a type that comments out the rest',
        () => build.addColumn('t', { name: 'c', type: 'int -- x' }),
        /not a type name/,
      ],
      ['a type with an open quote', () => build.alterColumn('t', 'c', { type: "text'" }), /not a type name/],
      ['an empty table name', () => build.dropTable(''), /table must be a non-empty string/],
      ['a name with NUL', () => build.dropTable('a\0b'), /NUL/],
      [
        'an object default',
        () => build.addColumn('t', { name: 'c', type: 'jsonb', default: { a: 1 } as never }),
        /must be a value.*or a sql/,
      ],
      [
        'a default and an identity',
        () => build.addColumn('t', { name: 'c', type: 'int', identity: 'always', default: 1 }),
        /only one of/,
      ],
      [
        'a nullable identity',
        () => build.addColumn('t', { name: 'c', type: 'int', identity: 'always', nullable: true }),
        /cannot be nullable/,
      ],
      [
        'a column defined twice',
        () =>
          build.createTable('t', [
            { name: 'a', type: 'int' },
            { name: 'a', type: 'int' },
          ]),
        /defined twice/,
      ],
      [
        'USING without a type',
        () => build.alterColumn('t', 'c', { using: 'c::int' } as never),
        /give `type`/,
      ],
      [
        'an alterColumn that changes nothing',
        () => build.alterColumn('t', 'c', { existingType: 'int' }),
        /nothing to change/,
      ],
      ['before and after', () => build.addEnumValue('e', 'v', { before: 'a', after: 'b' }), /not both/],
      ['a duplicate enum label', () => build.createEnum('e', ['a', 'a']), /twice/],
      [
        'foreign key columns that do not pair up',
        () => build.createForeignKey('fk', 't', ['a', 'b'], { table: 'u', columns: ['id'] }),
        /must pair up/,
      ],
      [
        'an unknown referential action',
        () =>
          build.createForeignKey(
            'fk',
            't',
            ['a'],
            { table: 'u', columns: ['id'] },
            { onDelete: 'nuke' as never },
          ),
        /onDelete must be one of/,
      ],
      [
        'initially deferred but not deferrable',
        () => build.createUniqueConstraint('u', 't', ['a'], { deferrable: false, initiallyDeferred: true }),
        /initially deferred/,
      ],
      [
        'an operator that is not one',
        () => build.createExcludeConstraint('ex', 't', [{ column: 'a', operator: '= 1; --' }]),
        /operator/,
      ],
      [
        'an unknown constraint type',
        () => build.dropConstraint('c', 't', { existing: { type: 'primary' } as never }),
        /type must be/,
      ],
      ['an index without columns', () => build.createIndex('ix', 't', []), /non-empty array/],
      [
        'an index element with column and expression',
        () => build.createIndex('ix', 't', [{ column: 'a', expression: 'b' } as never]),
        /exactly one/,
      ],
      [
        'a prefix length on an expression',
        () => build.createIndex('ix', 't', [{ expression: 'lower(a)', length: 3 }]),
        /expression, which has no prefix length/,
      ],
      [
        'a prefix length that is not a positive whole number',
        () => build.createIndex('ix', 't', [{ column: 'a', length: 0 }]),
        /length must be a whole number of characters above 0/,
      ],
      [
        'a prefix length in an exclusion constraint',
        () => build.createExcludeConstraint('ex', 't', [{ column: 'a', operator: '=', length: 3 }]),
        /exclusion constraints do not take/,
      ],
      [
        'a SQLite table option that is not a boolean',
        () => build.createTable('t', [{ name: 'a', type: 'int' }], { strict: 'yes' as never }),
        /strict must be true or false/,
      ],
      [
        'a SQLite table option of a dropped table that is not a boolean',
        () =>
          build.dropTable('t', {
            existing: { columns: [{ name: 'a', type: 'int' }], withoutRowid: 1 as never },
          }),
        /existing\.withoutRowid must be true or false/,
      ],
      [
        'a generated kind without a generated expression',
        () => build.addColumn('t', { name: 'c', type: 'int', generatedKind: 'virtual' }),
        /give generated too/,
      ],
      [
        'an unknown generated kind',
        () =>
          build.addColumn('t', {
            name: 'c',
            type: 'int',
            generated: 'a',
            generatedKind: 'persistent' as never,
          }),
        /generatedKind must be one of 'stored', 'virtual'/,
      ],
      [
        'ON UPDATE on a generated column',
        () => build.addColumn('t', { name: 'c', type: 'int', generated: 'a', onUpdate: 'now()' }),
        /generated, which cannot have onUpdate/,
      ],
      [
        'a dropIndex table that is not the one its definition names',
        () => build.dropIndex('ix', { table: 'a', existing: { table: 'b', columns: ['c'] } }),
        /table is "a" but existing.table is "b"/,
      ],
      [
        'a storage parameter that is not a name',
        () => build.createIndex('ix', 't', ['a'], { with: { 'x = 1); --': 1 } }),
        /not a name/,
      ],
      ['an unsafe sequence value', () => build.createSequence('s', { start: 1.5 }), /whole number/],
      ['an alterSequence that changes nothing', () => build.alterSequence('s', {}), /nothing to change/],
      [
        'a trigger without events',
        () => build.createTrigger('tr', 't', { timing: 'before', events: [], forEach: 'row', function: 'f' }),
        /events/,
      ],
      [
        'a trigger without timing',
        () => build.createTrigger('tr', 't', { events: ['insert'], forEach: 'row', function: 'f' } as never),
        /needs timing/,
      ],
      [
        'a function without a body',
        () => build.createFunction('f', { returns: 'int', language: 'sql', body: ' ' }),
        /body/,
      ],
      ['empty SQL', () => build.execute('  '), /non-empty/],
      ['params that are not an array', () => build.execute('SELECT $1', 1 as never), /array/],
      ['a row that is not an object', () => build.bulkInsert('t', [1 as never]), /rows\[0\]/],
      [
        'options that are not an object',
        () => build.dropTable('t', 'cascade' as never),
        /options must be an object/,
      ],
    ];
    for (const [title, run, message] of cases) {
      it(title, () => {
        const error = refusal(run);
        expect(error.message).toMatch(message);
        expect(error.message).toMatch(/^op\.\w+\(\): /);
      });
    }
  });

  it('accept the type names PostgreSQL users write', () => {
    for (const type of [
      'uuid',
      'varchar(255)',
      'timestamptz',
      'timestamp with time zone',
      'vector(1536)',
      'text[]',
      '"MyType"',
      'numeric(10, 2)',
      'public.citext',
    ]) {
      expect(build.addColumn('t', { name: 'c', type }).column.type).toBe(type);
    }
  });
});
