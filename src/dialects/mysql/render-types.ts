/**
 * Column types written PostgreSQL's way, spelled as MySQL and MariaDB spell them.
 *
 * Two readings. A migration's operation (`op.addColumn('t', { type: … })`) may name a MySQL type, so only the
 * spellings MySQL does not know are translated there ({@link mysqlColumnType}): `timestamp` stays MySQL's TIMESTAMP
 * and a reflected type passes through as it is. A schema module's declarations are PostgreSQL types by design
 * (`real()` is 4 bytes, `timestamp()` has no time zone), so they are all translated ({@link mysqlDeclaredType}).
 * A PostgreSQL type MySQL has no counterpart for is refused with what to write instead, rather than left for the
 * server to reject with a syntax error.
 */
import { unsupported } from './render-unsupported.js';

/** PostgreSQL's spellings MySQL does not take, in an operation. */
const POSTGRES_ONLY: Readonly<Record<string, string>> = {
  bytea: 'longblob',
  jsonb: 'json',
  'character varying': 'text',
  // MySQL has no time zone in its date-time types: a timestamptz is stored as the UTC time the application writes,
  // as SQLAlchemy does for DateTime(timezone=True). TIMESTAMP would convert on the session's time zone and stop
  // in 2038.
  timestamptz: 'datetime',
  'timestamp with time zone': 'datetime',
  'timestamp without time zone': 'datetime',
  'time without time zone': 'time',
};

/** What the declarations' types mean on MySQL, where MySQL reads the same name otherwise or not at all. */
const DECLARED: Readonly<Record<string, string>> = {
  ...POSTGRES_ONLY,
  int2: 'smallint',
  integer: 'int',
  int4: 'int',
  int8: 'bigint',
  boolean: 'tinyint(1)',
  bool: 'tinyint(1)',
  // MySQL's REAL is a DOUBLE unless the REAL_AS_FLOAT mode is on: PostgreSQL's real is 4 bytes.
  real: 'float',
  float4: 'float',
  'double precision': 'double',
  float8: 'double',
  numeric: 'decimal',
  varchar: 'text',
};

const NO_COUNTERPART: Readonly<Record<string, string>> = {
  interval: "store a number of seconds (bigint) or ISO 8601 text (column('varchar(64)'))",
  'time with time zone': "use column('time') and keep times in UTC",
  timetz: "use column('time') and keep times in UTC",
  inet: "use column('inet6') on MariaDB 10.5+, or column('varbinary(16)') / column('varchar(45)')",
  cidr: "use column('varchar(49)')",
  macaddr: "use column('char(17)')",
  money: 'use numeric(19, 4) (decimal)',
  tsvector: 'use a FULLTEXT index on the text column',
  xml: 'use text()',
  bigserial: 'use bigint().identity() (AUTO_INCREMENT)',
  smallserial: 'use smallint().identity() (AUTO_INCREMENT)',
};

/** The type of an operation's column as MySQL spells it: PostgreSQL-only spellings translated, others as written. */
export function mysqlColumnType(type: string): string {
  return translate(type, POSTGRES_ONLY);
}

/** The type of a declared column (`ambix/schema`, whose types are PostgreSQL's) as MySQL spells it. */
export function mysqlDeclaredType(type: string): string {
  return translate(type, DECLARED);
}

function translate(type: string, names: Readonly<Record<string, string>>): string {
  const trimmed = type.trim().replace(/\s+/g, ' ');
  if (/\[\s*\d*\s*\]$/.test(trimmed)) {
    throw unsupported(
      `MySQL has no array types: cannot create a column of type ${trimmed}`,
      'Store the list as JSON (json()), or in a table of its own with a row per element.',
    );
  }
  const lower = trimmed.toLowerCase();
  const simple = names[lower];
  if (simple !== undefined) return simple;
  const refused =
    NO_COUNTERPART[lower] ?? (/^vector\s*\(/.test(lower) ? 'store it as JSON or blob' : undefined);
  if (refused !== undefined) {
    throw unsupported(
      `MySQL has no ${lower.replace(/\s*\(.*$/, '')} type: cannot create a column of type ${trimmed}`,
      `${refused[0]!.toUpperCase()}${refused.slice(1)}.`,
    );
  }
  const modified =
    /^([a-z0-9 ]+?)\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)\s*(with time zone|without time zone)?$/.exec(lower);
  if (modified !== null) {
    const [, name, first, second, zone] = modified as unknown as [string, string, string, string?, string?];
    const size = second === undefined ? first : `${first},${second}`;
    switch (name) {
      case 'character varying':
        return `varchar(${first})`;
      case 'character':
      case 'bpchar':
        return `char(${first})`;
      case 'numeric':
        return `decimal(${size})`;
      case 'timestamp':
        // Without a zone it is MySQL's own TIMESTAMP(p).
        if (zone === undefined) break;
        return `datetime(${first})`;
      case 'timestamptz':
        return `datetime(${first})`;
      case 'time':
        if (zone === 'with time zone') break;
        return `time(${first})`;
      case 'float':
        // float(p): PostgreSQL's float(1..24) is real, float(25..53) double precision; MySQL reads p the same way.
        return `float(${first})`;
    }
    if (zone === 'with time zone' && name === 'time') {
      throw unsupported(
        `MySQL has no time with time zone type: cannot create a column of type ${trimmed}`,
        "Use column('time') and keep times in UTC.",
      );
    }
  }
  return trimmed;
}
