/**
 * Type names as PostgreSQL's `format_type` prints them, from the spellings people write: `int` and `int4` are
 * `integer`, `varchar(255)` is `character varying(255)`, `timestamptz(3)` is `timestamp(3) with time zone`.
 * A name it does not know (an enum, a domain, an extension's type) is returned as written.
 */
const SIMPLE: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int2: 'smallint',
  smallint: 'smallint',
  int8: 'bigint',
  bigint: 'bigint',
  bool: 'boolean',
  boolean: 'boolean',
  float4: 'real',
  real: 'real',
  float8: 'double precision',
  float: 'double precision',
  'double precision': 'double precision',
  text: 'text',
  uuid: 'uuid',
  date: 'date',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  macaddr8: 'macaddr8',
  money: 'money',
  interval: 'interval',
  tsvector: 'tsvector',
  tsquery: 'tsquery',
  xml: 'xml',
  oid: 'oid',
  citext: 'citext',
  varchar: 'character varying',
  'character varying': 'character varying',
  char: 'character(1)',
  character: 'character(1)',
  bpchar: 'bpchar',
  numeric: 'numeric',
  decimal: 'numeric',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  bit: 'bit(1)',
  varbit: 'bit varying',
  'bit varying': 'bit varying',
};

/** `format_type`'s spelling of `type`, arrays included. */
export function canonicalType(type: string): string {
  const trimmed = type.trim().replace(/\s+/g, ' ');
  const array = /^(.*?)((?:\s*\[\s*\d*\s*\])+)$/.exec(trimmed);
  if (array !== null) {
    const dimensions = (array[2]!.match(/\[/g) ?? []).length;
    return `${canonicalType(array[1]!)}${'[]'.repeat(dimensions)}`;
  }
  if (/^"/.test(trimmed) || /[A-Z]/.test(trimmed.replace(/"[^"]*"/g, ''))) {
    // A quoted or mixed-case name is a user's type: leave it exactly as written.
    return trimmed;
  }
  const lower = trimmed.toLowerCase();
  const simple = SIMPLE[lower];
  if (simple !== undefined) return simple;

  const modified =
    /^([a-z ]+?)\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)\s*(with time zone|without time zone)?$/.exec(lower);
  if (modified !== null) {
    const [, name, first, second, zone] = modified as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    switch (name) {
      case 'varchar':
      case 'character varying':
        return `character varying(${first})`;
      case 'char':
      case 'character':
      case 'bpchar':
        return `character(${first})`;
      case 'numeric':
      case 'decimal':
        return `numeric(${first},${second ?? '0'})`;
      case 'timestamp':
        return `timestamp(${first}) ${zone ?? 'without time zone'}`;
      case 'timestamptz':
        return `timestamp(${first}) with time zone`;
      case 'time':
        return `time(${first}) ${zone ?? 'without time zone'}`;
      case 'timetz':
        return `time(${first}) with time zone`;
      case 'interval':
        return `interval(${first})`;
      case 'bit':
        return `bit(${first})`;
      case 'varbit':
      case 'bit varying':
        return `bit varying(${first})`;
      default:
        return second === undefined ? `${name}(${first})` : `${name}(${first},${second})`;
    }
  }
  return lower;
}

/** The default `MAXVALUE` of a sequence (or identity column) of each integer type. */
export const SEQUENCE_MAXIMUMS: Readonly<Record<string, bigint>> = {
  smallint: 32767n,
  integer: 2147483647n,
  bigint: 9223372036854775807n,
};
