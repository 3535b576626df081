import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inline, scanParameters } from '../../../src/dialects/postgres/render-inline.js';
import { postgresRenderer } from '../../../src/dialects/postgres/renderer.js';
import { AmbixError } from '../../../src/errors.js';
import { sql } from '../../../src/operations/sql-expression.js';
import { openPglite, type TestDatabase } from '../../operations/support/databases.js';

const { literal, quoteIdentifier } = postgresRenderer;

describe('quoteIdentifier', () => {
  it('always quotes, doubling quotes', () => {
    expect(quoteIdentifier('users')).toBe('"users"');
    expect(quoteIdentifier('Select')).toBe('"Select"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('a"; DROP TABLE b; --')).toBe('"a""; DROP TABLE b; --"');
  });

  it('refuses names no database accepts', () => {
    expect(() => quoteIdentifier('')).toThrow(TypeError);
    expect(() => quoteIdentifier('a\0b')).toThrow(AmbixError);
  });
});

describe('literal', () => {
  it('writes scalars', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal(true)).toBe('TRUE');
    expect(literal(false)).toBe('FALSE');
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('-1.5');
    expect(literal(1e21)).toBe('1e+21');
    expect(literal(Number.NaN)).toBe("'NaN'");
    expect(literal(Number.POSITIVE_INFINITY)).toBe("'Infinity'");
    expect(literal(Number.NEGATIVE_INFINITY)).toBe("'-Infinity'");
    expect(literal(-0)).toBe('0');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
  });

  it('doubles quotes and uses E strings only for backslashes', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(literal('')).toBe("''");
    expect(literal('line\nbreak')).toBe("'line\nbreak'");
    expect(literal('C:\\temp')).toBe("E'C:\\\\temp'");
    expect(literal("\\'")).toBe("E'\\\\'''");
    expect(literal('$1 -- /*')).toBe("'$1 -- /*'");
  });

  it('refuses NUL characters, which PostgreSQL text cannot hold', () => {
    expect(() => literal('a\0b')).toThrow(AmbixError);
  });

  it('writes dates as ISO timestamps and bytes as hex', () => {
    expect(literal(new Date('2024-02-29T23:59:59.999Z'))).toBe("'2024-02-29T23:59:59.999Z'");
    expect(() => literal(new Date('nope'))).toThrow(AmbixError);
    expect(literal(Buffer.from('hi'))).toBe("decode('6869', 'hex')");
    expect(literal(new Uint8Array([0, 255]))).toBe("decode('00ff', 'hex')");
    expect(literal(new Uint8Array(0))).toBe("decode('', 'hex')");
  });

  it('writes arrays as PostgreSQL array text, as node-postgres does', () => {
    expect(literal([])).toBe("'{}'");
    expect(literal([1, 2, null])).toBe("'{1,2,NULL}'");
    expect(literal(['a', 'b c', "f'g"])).toBe(`'{"a","b c","f''g"}'`);
    expect(literal(['d"e'])).toBe(`E'{"d\\\\"e"}'`);
    expect(literal(['back\\slash'])).toBe(`E'{"back\\\\\\\\slash"}'`);
    expect(
      literal([
        [1, 2],
        [3, 4],
      ]),
    ).toBe("'{{1,2},{3,4}}'");
    expect(literal([true, false])).toBe("'{true,false}'");
  });

  it('writes other objects as JSON text', () => {
    expect(literal({ a: 1, b: [true, null] })).toBe(`'{"a":1,"b":[true,null]}'`);
    expect(literal({ quote: "it's" })).toBe(`'{"quote":"it''s"}'`);
    expect(literal({ n: 'line\n' })).toBe(`E'{"n":"line\\\\n"}'`);
    expect(literal({ big: 1n })).toBe(`'{"big":"1"}'`);
  });

  it('refuses what is not a value', () => {
    expect(() => literal(sql`now()`)).toThrow(/not a value/);
    expect(() => literal(() => 1)).toThrow(TypeError);
    expect(() => literal(Symbol('x'))).toThrow(TypeError);
  });
});

describe('inline', () => {
  it('replaces $n with literals, $10 as ten', () => {
    const params = Array.from({ length: 10 }, (_, i) => `p${i + 1}`);
    expect(inline({ sql: 'SELECT $1, $10, $2', params })).toBe("SELECT 'p1', 'p10', 'p2'");
  });

  it('leaves strings, quoted names, comments and dollar quotes alone', () => {
    const text = [
      "SELECT '$1', 'it''s $1', E'\\'$1', $1,",
      '"$1", a$1, $$ $1 $$, $tag$ $1 $tag$ -- $1',
      '/* $1 /* nested $1 */ still $1 */ $2',
    ].join('\n');
    expect(inline({ sql: text, params: ['x', 'y'] })).toBe(
      [
        "SELECT '$1', 'it''s $1', E'\\'$1', 'x',",
        '"$1", a$1, $$ $1 $$, $tag$ $1 $tag$ -- $1',
        "/* $1 /* nested $1 */ still $1 */ 'y'",
      ].join('\n'),
    );
  });

  it('parenthesizes negative numbers so that x-$1 does not become a comment', () => {
    expect(inline({ sql: 'SELECT 1-$1', params: [-1] })).toBe('SELECT 1-(-1)');
  });

  it('returns statements without parameters as they are', () => {
    expect(inline({ sql: "SELECT '$1' -- $2" })).toBe("SELECT '$1' -- $2");
  });

  it('refuses a $n without a value', () => {
    expect(() => inline({ sql: 'SELECT $1, $3', params: [1, 2] })).toThrow(/uses \$3 but has 2 parameters/);
    expect(() => inline({ sql: 'SELECT $0', params: [1] })).toThrow(AmbixError);
  });

  it('finds parameters after escape strings and numbers', () => {
    const found: number[] = [];
    scanParameters("SELECT e'\\'', 1e5, $2, U&'$1', x'$1'$3", (n) => found.push(n));
    expect(found).toEqual([2, 3]);
  });
});

// Values of the types a migration binds, each with the column type it goes in.
const unsafeText = fc.string({
  unit: fc.constantFrom("'", '\\', '"', '$', '1', 'E', 'e', '-', '/', '*', '\n', 'a', ' '),
});
const anyText = fc.oneof(unsafeText, fc.string({ unit: 'binary' })).filter((text) => !text.includes('\0'));

interface Column {
  readonly name: string;
  readonly type: string;
  readonly value: fc.Arbitrary<unknown>;
}

const COLUMNS: readonly Column[] = [
  { name: 'text_c', type: 'text', value: anyText },
  { name: 'int_c', type: 'integer', value: fc.integer() },
  { name: 'float_c', type: 'float8', value: fc.double() },
  { name: 'big_c', type: 'bigint', value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
  { name: 'num_c', type: 'numeric', value: fc.oneof(fc.bigInt(), fc.integer()) },
  { name: 'bool_c', type: 'boolean', value: fc.boolean() },
  {
    name: 'ts_c',
    type: 'timestamptz',
    value: fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
  },
  { name: 'bytes_c', type: 'bytea', value: fc.uint8Array({ maxLength: 16 }) },
  { name: 'texts_c', type: 'text[]', value: fc.array(fc.option(anyText, { nil: null }), { maxLength: 4 }) },
  { name: 'ints_c', type: 'integer[]', value: fc.array(fc.integer(), { maxLength: 4 }) },
  {
    name: 'json_c',
    type: 'jsonb',
    value: fc
      .jsonValue({ stringUnit: fc.constantFrom('a', "'", '\\', '"', 'é', '$') })
      .map((v) => JSON.stringify(v)),
  },
];

const row = fc.tuple(...COLUMNS.map((column) => fc.option(column.value, { nil: null })));

describe('inline means what the parameterized statement means (PGlite)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openPglite();
    await db.exec(`CREATE TABLE lit (run text, ${COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')})`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores the same row inserted with parameters and inlined', async () => {
    await fc.assert(
      fc.asyncProperty(row, async (values) => {
        await db.exec('DELETE FROM lit');
        const statement = {
          sql: `INSERT INTO lit VALUES ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}) -- $1 '$2'`,
          params: ['bound', ...values],
        };
        await db.query(statement.sql, statement.params);
        await db.exec(inline({ ...statement, params: ['inlined', ...values] }));
        const rows = await db.query(`SELECT ${COLUMNS.map((c) => c.name).join(', ')} FROM lit ORDER BY run`);
        expect(rows).toHaveLength(2);
        expect(rows[1]).toEqual(rows[0]);
      }),
      { numRuns: 150 },
    );
  });

  it('selects the same values bound and inlined, in casts, strings, comments and dollar quotes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: COLUMNS.length - 1 }), { minLength: 1, maxLength: 12 }),
        row,
        async (picks, values) => {
          const params = picks.map((i) => values[i]);
          const selected = picks.map((i, n) => `$${n + 1}::${COLUMNS[i]?.type} AS c${n + 1}`);
          const text = `SELECT ${selected.join(', ')}, '$1 ''$2''' AS s, $$ $1 $$ AS d, $t$ $2 $t$ AS e /* $1 /* $2 */ */ -- $1`;
          const bound = await db.query(text, params);
          const inlined = await db.query(inline({ sql: text, params }));
          expect(inlined).toEqual(bound);
        },
      ),
      { numRuns: 150 },
    );
  });
});
