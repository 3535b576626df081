/**
 * SQL written by the migration's author, kept apart from values and names so that every dialect can render it
 * safely. A place that only ever takes SQL (a `CHECK`, an index's `where`, a view's query, `USING` of a type
 * change) also accepts a plain string, which is SQL; a place that takes a value (a column default, a row of
 * `bulkInsert`) reads a plain string as a value, so SQL there must be written with the `sql` tag:
 *
 * ```ts
 * { name: 'created_at', type: 'timestamptz', default: sql`now()` }   // DEFAULT now()
 * { name: 'status', type: 'text', default: 'active' }                // DEFAULT 'active'
 * sql`lower(${sql.identifier('email')}) <> ${''}`                   // lower("email") <> ''
 * ```
 *
 * Interpolated values become escaped literals in DDL and bound parameters in data statements; interpolated
 * `sql.identifier(...)` names are quoted; interpolated `sql` expressions are spliced in.
 */
export interface SqlExpression {
  readonly kind: 'sql';
  /** The author's text around the interpolations: `strings.length === fragments.length + 1`. */
  readonly strings: readonly string[];
  readonly fragments: readonly SqlFragment[];
}

/** What sits between two pieces of an expression's text. */
export type SqlFragment = SqlValueFragment | SqlIdentifier;

/** A value: rendered as a literal in DDL, a bound parameter in data statements. */
export interface SqlValueFragment {
  readonly kind: 'value';
  readonly value: unknown;
}

/** A name, quoted by the dialect: `sql.identifier('app', 'users')` renders `"app"."users"` on PostgreSQL. */
export interface SqlIdentifier {
  readonly kind: 'identifier';
  readonly names: readonly string[];
}

export interface SqlTag {
  (strings: TemplateStringsArray, ...values: readonly unknown[]): SqlExpression;
  /** SQL text taken as it is, for text built at run time (nothing in it is escaped: never pass user input). */
  raw(text: string): SqlExpression;
  /** A (possibly qualified) identifier to interpolate into a `sql` expression. */
  identifier(...names: readonly string[]): SqlIdentifier;
  /** Expressions joined with a separator (`, ` unless given), for lists built at run time. */
  join(expressions: readonly SqlExpression[], separator?: string): SqlExpression;
}

function build(strings: readonly string[], values: readonly unknown[]): SqlExpression {
  const outStrings: string[] = [strings[0] ?? ''];
  const fragments: SqlFragment[] = [];
  values.forEach((value, index) => {
    const following = strings[index + 1] ?? '';
    if (isSqlExpression(value)) {
      outStrings[outStrings.length - 1] += value.strings[0] ?? '';
      value.fragments.forEach((fragment, inner) => {
        fragments.push(fragment);
        outStrings.push(value.strings[inner + 1] ?? '');
      });
      outStrings[outStrings.length - 1] += following;
    } else {
      fragments.push(isSqlIdentifier(value) ? value : Object.freeze({ kind: 'value', value }));
      outStrings.push(following);
    }
  });
  return Object.freeze({
    kind: 'sql',
    strings: Object.freeze(outStrings),
    fragments: Object.freeze(fragments),
  });
}

/** The `sql` template tag; see {@link SqlExpression}. */
export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...values: readonly unknown[]): SqlExpression =>
    build(
      strings.map((cooked, index) => cooked ?? strings.raw[index] ?? ''),
      values,
    ),
  {
    raw: (text: string): SqlExpression => {
      if (typeof text !== 'string') throw new TypeError('sql.raw() takes a string');
      return build([text], []);
    },
    identifier: (...names: readonly string[]): SqlIdentifier => {
      if (names.length === 0 || names.some((name) => typeof name !== 'string' || name === '')) {
        throw new TypeError('sql.identifier() takes one or more non-empty names');
      }
      return Object.freeze({ kind: 'identifier', names: Object.freeze([...names]) });
    },
    join: (expressions: readonly SqlExpression[], separator = ', '): SqlExpression => {
      const strings = ['', ...expressions.slice(1).map(() => separator), ''];
      return build(strings, expressions);
    },
  },
);

export function isSqlExpression(value: unknown): value is SqlExpression {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'sql' &&
    Array.isArray((value as { strings?: unknown }).strings) &&
    Array.isArray((value as { fragments?: unknown }).fragments)
  );
}

export function isSqlIdentifier(value: unknown): value is SqlIdentifier {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'identifier' &&
    Array.isArray((value as { names?: unknown }).names)
  );
}

/** A place that only takes SQL: a string is SQL text. */
export function toSqlExpression(input: string | SqlExpression): SqlExpression {
  return typeof input === 'string' ? sql.raw(input) : input;
}
