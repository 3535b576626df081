#!/usr/bin/env node
/**
 * Autogenerate-check benchmark: `ambix check` on a database whose 1,000 tables match the declared schema, against
 * Alembic's autogenerate comparison (`compare_metadata`) of the same tables, each timed as a whole process; with
 * ambix's reflection alone (a probe process) and the start-up floors measured alongside.
 *
 *   node bench/autogenerate-check.mjs [--tables 1000] [--runs 5] [--seed 20261121] [--write]
 *                                     [--url postgres://postgres@127.0.0.1:5432/postgres]
 *                                     [--python /usr/bin/python3] [--ambix-bin bin/ambix.js] [--keep-env]
 *
 *   --url        an administrative connection to the server (it must be allowed to CREATE DATABASE): the benchmark
 *                creates one database there (not timed), applies the schema with psql, lets every timed run read
 *                it, and drops it at the end
 *   --write      replace this benchmark's section of bench/RESULTS.md
 *   --python     a Python that can import alembic, sqlalchemy and psycopg2 (default: /usr/bin/python3, Debian's
 *                python3-alembic and python3-psycopg2; installed with apt-get once if missing)
 *   --ambix-bin  the CLI to measure (default: bin/ambix.js, which needs `npm run build`); the reflection probe
 *                imports the dist/ next to it
 *   --keep-env   keep NODE_EXTRA_CA_CERTS / PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED (see UNSET)
 *
 * What it does:
 *   1. Generates from a seeded PRNG a schema of N tables, each with an identity (integer or bigint) or uuid
 *      (`DEFAULT gen_random_uuid()`) primary key and 5-12 columns in all, of mixed types (text, varchar(n),
 *      integer, bigint, numeric(p,s), boolean, timestamptz, date, jsonb, uuid, text[]), some NOT NULL, some with
 *      defaults (string, number and boolean literals, now()), most with a foreign key to an earlier table (some
 *      ON DELETE CASCADE), and 1-2 named indexes each (some on two columns, a few unique). It writes that schema
 *      three ways under bench/.work/autogenerate-check/ (git-ignored):
 *        ddl/schema.sql        CREATE TABLE / CREATE INDEX statements, applied with `psql -1 -f` to a fresh
 *                              database (not timed): the "unchanged" database every run compares with
 *        ambix/                an ambix project: ambix.config.ts (`schema: './schema.ts'`, the URL from
 *                              BENCH_DATABASE_URL), schema.ts in the `ambix/schema` DSL, a package.json and a
 *                              node_modules/ whose `ambix` is a symlink to this repository (as where ambix is
 *                              installed; ambix's loader also hands `ambix/schema` to the module itself)
 *        alembic/              models.py (one SQLAlchemy MetaData, the same N `Table`s with server defaults,
 *                              ForeignKey, Index), check.py (Alembic's equivalent of `ambix check`:
 *                              `compare_metadata(MigrationContext.configure(connection), metadata)` with types
 *                              and server defaults compared, prints the number of differences, exit 1 if any),
 *                              and alembic.ini + migrations/env.py using the same metadata (for
 *                              `alembic revision --autogenerate`; not run here)
 *        probe/reflect.mjs     ambix's reflection alone: imports postgresIntrospector and connectPostgres from
 *                              dist/, reflects the database once, prints counts and its in-process timings
 *   2. Runs every command once as a warm-up whose output is checked before anything is timed: `ambix check` must
 *      exit 0 saying "The database matches the schema." (a difference it reports is a phantom diff: printed, and
 *      the benchmark fails); Alembic's check.py must run (differences it reports are recorded and shown, never
 *      hidden, and its timed runs must report the same number); the probe must see the N tables, their columns,
 *      foreign keys and indexes.
 *   3. Times `--runs` rounds, the commands interleaved round-robin (each round starts with the next command):
 *      `ambix check` warm (the transpiled schema.ts cached by the warm-up, as Alembic starts from the
 *      __pycache__ its warm-up wrote) and cold (`AMBIX_CACHE=0 JITI_FS_CACHE=0`: nothing cached, as on a first
 *      check after editing schema.ts or on a fresh machine), Alembic's check.py, the reflection probe, and the
 *      floors `node -e 0`, `python3 -c pass`, `psql -c 'select 1'`. Afterwards it checks that the database was
 *      left as it was (check only reads).
 *   4. Prints a Markdown section with medians, minimums and maximums and the targets (ambix check under 1.5 s,
 *      at least 2x faster than Alembic); with --write, replaces it in bench/RESULTS.md (between
 *      `<!-- bench:autogenerate-check:start -->` and `<!-- bench:autogenerate-check:end -->`).
 *
 * A tool that cannot run here (ambix not built, no Alembic) is reported as "not measured" with the reason, and the
 * others are still measured. The exit status is 1 if a command that ran failed a check (then --write refuses to
 * update RESULTS.md).
 *
 * Plain Node ESM, no dependencies (psql does the administration). A script, never a test.
 */

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import {
  AMBIX_BIN,
  ambixReadiness,
  busiestLoad,
  changedFiles,
  cleanEnv,
  databaseUrl,
  excerpt,
  failer,
  fileSizes,
  fileStats,
  findPython as findPythonWith,
  finish,
  formatMs as fmt,
  isMain,
  loadavg,
  log,
  machineInfo,
  markdownTable,
  markedSection,
  maskUrl,
  measure,
  median,
  postgresInfo,
  prng,
  psql,
  REPO,
  readOptions,
  removedEnvNote,
  requirePostgres,
  rowStatus,
  thousands,
  timedRun,
  tryUrl,
  verdict,
  workDir,
  writePackageJson,
} from './lib.mjs';

const SECTION = 'autogenerate-check';
const WORK = workDir(SECTION);
const DEFAULTS = {
  tables: '1000',
  runs: '5',
  seed: '20261121',
  url: 'postgres://postgres@127.0.0.1:5432/postgres',
  python: '/usr/bin/python3',
  ambixBin: AMBIX_BIN,
};

/** Targets from the issue. */
const TARGET_CHECK_MS = 1500;
const TARGET_SPEEDUP = 2;
/** What the issue reports for Alembic on these machines (not measured by this script). */
const ISSUE_ALEMBIC_NEWEST = 'Alembic 1.20 (batched reflection) about 2.9 s, Debian’s 1.8.1 about 8 s';

const RUN_TIMEOUT_MS = 15 * 60_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Options

function parseOptions() {
  // --help prints the comment at the top of this file.
  const { values, positiveInt, common } = readOptions(
    import.meta.url,
    {
      tables: { type: 'string', default: DEFAULTS.tables },
      runs: { type: 'string', default: DEFAULTS.runs },
      seed: { type: 'string', default: DEFAULTS.seed },
      url: { type: 'string', default: DEFAULTS.url },
      python: { type: 'string', default: DEFAULTS.python },
    },
    fail,
  );
  const adminUrl = tryUrl(values.url) ?? fail(`--url must be a postgres:// URL (got ${values.url})`);
  return {
    tables: positiveInt('tables', 2),
    runs: positiveInt('runs', 1),
    seed: positiveInt('seed', 0),
    url: values.url,
    adminUrl,
    python: values.python,
    ...common,
  };
}

/** The command line that reproduces this run (for the report). */
function commandLine(options) {
  const args = ['node bench/autogenerate-check.mjs', `--tables ${options.tables}`, `--runs ${options.runs}`];
  if (String(options.seed) !== DEFAULTS.seed) args.push(`--seed ${options.seed}`);
  if (options.url !== DEFAULTS.url) args.push(`--url ${maskUrl(options.url)}`);
  if (options.python !== DEFAULTS.python) args.push(`--python ${options.python}`);
  if (options.ambixBin !== DEFAULTS.ambixBin) args.push(`--ambix-bin ${relative(REPO, options.ambixBin)}`);
  if (options.keepEnv) args.push('--keep-env');
  return args.join(' ');
}

const fail = failer(SECTION);

// ---------------------------------------------------------------------------------------------------------
// Deterministic schema (prng in lib.mjs: same seed, same schema)

/** Shape knobs. */
const COLUMNS_PER_TABLE = [5, 12]; // all columns, the primary key and the foreign key included
const UUID_KEY_CHANCE = 0.3;
const BIGINT_KEY_CHANCE = 0.35; // of the identity keys
const FOREIGN_KEY_CHANCE = 0.85;
const CASCADE_CHANCE = 0.35;
const RECENT_PARENT_CHANCE = 0.6; // the parent is one of the 20 previous tables, else any earlier one
const INDEXES_PER_TABLE = [1, 2];
const MULTI_COLUMN_INDEX_CHANCE = 0.35;
const UNIQUE_INDEX_CHANCE = 0.12;
const FOREIGN_KEY_INDEX_CHANCE = 0.5;

/**
 * The column kinds: a name prefix, how each dialect spells the type, which defaults it may get, whether an index
 * may use it. `params` draws the type's parameters.
 */
const KINDS = [
  {
    kind: 'text',
    prefix: 'note',
    // No quote in a string default: Alembic before 1.11 fails on one (its comparison query quotes the metadata's
    // default with Python's repr(); sqlalchemy/alembic#1178), and Debian ships 1.8.1.
    defaults: [
      { kind: 'string', value: '' },
      { kind: 'string', value: 'n/a' },
      { kind: 'string', value: 'none yet' },
    ],
    defaultChance: 0.2,
    indexable: true,
  },
  {
    kind: 'varchar',
    prefix: 'code',
    params: (int) => ({ length: [20, 50, 100, 255][int(0, 3)] }),
    defaults: [
      { kind: 'string', value: 'pending' },
      { kind: 'string', value: 'active' },
    ],
    defaultChance: 0.25,
    indexable: true,
  },
  {
    kind: 'integer',
    prefix: 'qty',
    defaults: [
      { kind: 'number', value: 0 },
      { kind: 'number', value: 1 },
      { kind: 'number', value: 100 },
    ],
    defaultChance: 0.3,
    indexable: true,
  },
  {
    kind: 'bigint',
    prefix: 'total',
    defaults: [{ kind: 'number', value: 0 }],
    defaultChance: 0.25,
    indexable: true,
  },
  {
    kind: 'numeric',
    prefix: 'amount',
    params: (int) => ({ precision: [10, 12, 18][int(0, 2)], scale: [2, 4][int(0, 1)] }),
    defaults: [
      { kind: 'number', value: 0 },
      { kind: 'number', value: 1.5 },
    ],
    defaultChance: 0.3,
    indexable: true,
  },
  {
    kind: 'boolean',
    prefix: 'flag',
    defaults: [
      { kind: 'boolean', value: false },
      { kind: 'boolean', value: true },
    ],
    defaultChance: 0.6,
    indexable: true,
  },
  {
    kind: 'timestamptz',
    prefix: 'at',
    defaults: [{ kind: 'now' }],
    defaultChance: 0.75,
    indexable: true,
  },
  { kind: 'date', prefix: 'day', defaults: [], defaultChance: 0, indexable: true },
  { kind: 'jsonb', prefix: 'data', defaults: [], defaultChance: 0, indexable: false },
  { kind: 'uuid', prefix: 'ref', defaults: [], defaultChance: 0, indexable: true },
  { kind: 'text[]', prefix: 'tags', defaults: [], defaultChance: 0, indexable: false },
];

/**
 * The schema: tables in creation order (a foreign key always points at an earlier table). Each table:
 * { name, key: 'integer'|'bigint'|'uuid', columns: [{ name, kind, params, notNull, default, identity?, primaryKey?,
 * references? }], indexes: [{ name, columns, unique }] }.
 */
function generateSchema(count, seed) {
  const random = prng(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const chance = (p) => random() < p;
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const width = Math.max(4, String(count).length);

  const tables = [];
  for (let i = 1; i <= count; i++) {
    const name = `t${String(i).padStart(width, '0')}`;
    const key = chance(UUID_KEY_CHANCE) ? 'uuid' : chance(BIGINT_KEY_CHANCE) ? 'bigint' : 'integer';
    const columns = [
      key === 'uuid'
        ? { name: 'id', kind: 'uuid', notNull: true, primaryKey: true, default: { kind: 'gen_random_uuid' } }
        : { name: 'id', kind: key, notNull: true, primaryKey: true, identity: true },
    ];
    const total = int(...COLUMNS_PER_TABLE);
    let foreignKey = null;
    if (tables.length > 0 && chance(FOREIGN_KEY_CHANCE)) {
      const parent = chance(RECENT_PARENT_CHANCE)
        ? tables[Math.max(0, tables.length - int(1, 20))]
        : tables[int(0, tables.length - 1)];
      foreignKey = {
        name: `${parent.name}_id`,
        kind: parent.key,
        notNull: chance(0.6),
        references: { table: parent.name, onDelete: chance(CASCADE_CHANCE) ? 'cascade' : null },
      };
      columns.push(foreignKey);
    }
    for (let c = columns.length + 1; c <= total; c++) {
      const spec = pick(KINDS);
      const column = {
        name: `${spec.prefix}_${c}`,
        kind: spec.kind,
        params: spec.params?.(int),
        notNull: false,
      };
      if (spec.defaults.length > 0 && chance(spec.defaultChance)) {
        column.default = pick(spec.defaults);
        column.notNull = chance(0.7);
      } else {
        column.notNull = chance(0.3);
      }
      columns.push(column);
    }

    const indexable = columns.filter((c) => !c.primaryKey && KINDS.find((k) => k.kind === c.kind)?.indexable);
    const indexes = [];
    const taken = new Set();
    const wanted = int(...INDEXES_PER_TABLE);
    for (let attempt = 0; indexes.length < wanted && attempt < 10 && indexable.length > 0; attempt++) {
      let cols;
      if (indexes.length === 0 && foreignKey && chance(FOREIGN_KEY_INDEX_CHANCE)) {
        cols = [foreignKey.name];
      } else {
        const first = pick(indexable).name;
        cols = [first];
        if (indexable.length > 1 && chance(MULTI_COLUMN_INDEX_CHANCE)) {
          const second = pick(indexable.filter((c) => c.name !== first)).name;
          cols.push(second);
        }
      }
      const signature = cols.join(',');
      if (taken.has(signature)) continue;
      taken.add(signature);
      const unique = cols[0] !== foreignKey?.name && chance(UNIQUE_INDEX_CHANCE);
      indexes.push({ name: `${name}_${cols.join('_')}_${unique ? 'key' : 'idx'}`, columns: cols, unique });
    }
    tables.push({ name, key, columns, indexes });
  }
  return { tables, stats: schemaStats(tables) };
}

function schemaStats(tables) {
  const columns = tables.flatMap((t) => t.columns);
  const byKind = {};
  for (const c of columns) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  const defaults = {};
  for (const c of columns.filter((c) => c.default))
    defaults[c.default.kind] = (defaults[c.default.kind] ?? 0) + 1;
  const indexes = tables.flatMap((t) => t.indexes);
  const foreignKeys = columns.filter((c) => c.references);
  return {
    tables: tables.length,
    columns: columns.length,
    byKind,
    notNull: columns.filter((c) => c.notNull && !c.primaryKey).length,
    defaults,
    identityKeys: tables.filter((t) => t.key !== 'uuid').length,
    uuidKeys: tables.filter((t) => t.key === 'uuid').length,
    foreignKeys: foreignKeys.length,
    cascades: foreignKeys.filter((c) => c.references.onDelete === 'cascade').length,
    indexes: indexes.length,
    multiColumnIndexes: indexes.filter((i) => i.columns.length > 1).length,
    uniqueIndexes: indexes.filter((i) => i.unique).length,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The schema three ways

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

function sqlType(column) {
  const p = column.params;
  if (column.kind === 'varchar') return `varchar(${p.length})`;
  if (column.kind === 'numeric') return `numeric(${p.precision},${p.scale})`;
  return column.kind;
}

function sqlDefault(d) {
  if (d.kind === 'string') return sqlString(d.value);
  if (d.kind === 'number') return String(d.value);
  if (d.kind === 'boolean') return String(d.value);
  if (d.kind === 'now') return 'now()';
  return 'gen_random_uuid()';
}

function ddl(schema) {
  const out = ['-- Generated by bench/autogenerate-check.mjs.', ''];
  for (const table of schema.tables) {
    const lines = table.columns.map((c) => {
      let line = `  ${c.name} ${sqlType(c)}`;
      if (c.identity) line += ' GENERATED ALWAYS AS IDENTITY';
      if (c.default) line += ` DEFAULT ${sqlDefault(c.default)}`;
      if (c.primaryKey) line += ' PRIMARY KEY';
      else if (c.notNull) line += ' NOT NULL';
      if (c.references) {
        line += ` REFERENCES ${c.references.table} (id)`;
        if (c.references.onDelete === 'cascade') line += ' ON DELETE CASCADE';
      }
      return line;
    });
    out.push(`CREATE TABLE ${table.name} (\n${lines.join(',\n')}\n);`);
    for (const index of table.indexes) {
      out.push(
        `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.name} ON ${table.name} (${index.columns.join(', ')});`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function tsType(column) {
  const p = column.params;
  switch (column.kind) {
    case 'varchar':
      return `varchar(${p.length})`;
    case 'numeric':
      return `numeric(${p.precision}, ${p.scale})`;
    case 'text[]':
      return 'text().array()';
    default:
      return `${column.kind}()`;
  }
}

function tsDefault(d) {
  if (d.kind === 'string') return `.default(${JSON.stringify(d.value)})`;
  if (d.kind === 'number' || d.kind === 'boolean') return `.default(${d.value})`;
  if (d.kind === 'now') return '.defaultNow()';
  return '.default(sql`gen_random_uuid()`)';
}

const TS_IMPORTS = [
  'bigint',
  'boolean',
  'date',
  'index',
  'integer',
  'jsonb',
  'numeric',
  'sql',
  'table',
  'text',
  'timestamptz',
  'uniqueIndex',
  'uuid',
  'varchar',
];

function ambixSchemaModule(schema, stamp) {
  const out = [
    `// Generated by bench/autogenerate-check.mjs (${stamp}): ${schema.tables.length} tables in the ambix/schema DSL.`,
    `import { ${TS_IMPORTS.join(', ')} } from 'ambix/schema';`,
    '',
  ];
  for (const table of schema.tables) {
    const columns = table.columns.map((c) => {
      let expr = tsType(c);
      if (c.identity) expr += '.identity()';
      if (c.primaryKey) expr += '.primaryKey()';
      else if (c.notNull) expr += '.notNull()';
      if (c.default) expr += tsDefault(c.default);
      if (c.references) {
        const options = c.references.onDelete === 'cascade' ? ", { onDelete: 'cascade' }" : '';
        expr += `.references(() => ${c.references.table}.columns.id${options})`;
      }
      return `  ${c.name}: ${expr},`;
    });
    const extras = table.indexes.map(
      (i) =>
        `${i.unique ? 'uniqueIndex' : 'index'}('${i.name}').on(${i.columns.map((c) => `t.${c}`).join(', ')})`,
    );
    out.push(
      `export const ${table.name} = table('${table.name}', {\n${columns.join('\n')}\n}, (t) => [${extras.join(', ')}]);`,
      '',
    );
  }
  return out.join('\n');
}

const AMBIX_CONFIG = `// Generated by bench/autogenerate-check.mjs.
import { defineConfig } from 'ambix';

export default defineConfig({
  url: process.env.BENCH_DATABASE_URL,
  schema: './schema.ts',
});
`;

function pyType(column) {
  const p = column.params;
  switch (column.kind) {
    case 'text':
      return 'sa.Text()';
    case 'varchar':
      return `sa.String(${p.length})`;
    case 'integer':
      return 'sa.Integer()';
    case 'bigint':
      return 'sa.BigInteger()';
    case 'numeric':
      return `sa.Numeric(${p.precision}, ${p.scale})`;
    case 'boolean':
      return 'sa.Boolean()';
    case 'timestamptz':
      return 'sa.DateTime(timezone=True)';
    case 'date':
      return 'sa.Date()';
    case 'jsonb':
      return 'postgresql.JSONB()';
    case 'uuid':
      return 'postgresql.UUID()';
    case 'text[]':
      return 'postgresql.ARRAY(sa.Text())';
    default:
      throw new Error(`no Python type for ${column.kind}`);
  }
}

/** A server default as SQLAlchemy users write it: a plain string for a string value, sa.text() for SQL. */
function pyDefault(d) {
  if (d.kind === 'string') return JSON.stringify(d.value); // a valid Python string literal for these values
  if (d.kind === 'number') return `sa.text('${d.value}')`;
  if (d.kind === 'boolean') return `sa.text('${d.value}')`;
  if (d.kind === 'now') return "sa.text('now()')";
  return "sa.text('gen_random_uuid()')";
}

function sqlalchemyModels(schema, stamp) {
  const out = [
    `"""Generated by bench/autogenerate-check.mjs (${stamp}): ${schema.tables.length} tables as SQLAlchemy Table objects."""`,
    'import sqlalchemy as sa',
    'from sqlalchemy.dialects import postgresql',
    '',
    'metadata = sa.MetaData()',
    '',
  ];
  for (const table of schema.tables) {
    const items = table.columns.map((c) => {
      const args = [`'${c.name}'`, pyType(c)];
      if (c.identity) args.push('sa.Identity(always=True)');
      if (c.references) {
        const ondelete = c.references.onDelete === 'cascade' ? ", ondelete='CASCADE'" : '';
        args.push(`sa.ForeignKey('${c.references.table}.id'${ondelete})`);
      }
      if (c.default) args.push(`server_default=${pyDefault(c.default)}`);
      if (c.primaryKey) args.push('primary_key=True');
      else args.push(`nullable=${c.notNull ? 'False' : 'True'}`);
      return `    sa.Column(${args.join(', ')}),`;
    });
    for (const i of table.indexes) {
      items.push(
        `    sa.Index('${i.name}', ${i.columns.map((c) => `'${c}'`).join(', ')}${i.unique ? ', unique=True' : ''}),`,
      );
    }
    out.push(`${table.name} = sa.Table(\n    '${table.name}',\n    metadata,\n${items.join('\n')}\n)`, '');
  }
  return out.join('\n');
}

/**
 * Alembic's equivalent of `ambix check` (Alembic 1.9 added an `alembic check` command doing the same through
 * env.py; Debian's 1.8.1 has none): the metadata compared with the database, types and server defaults included,
 * since ambix compares both.
 */
const ALEMBIC_CHECK_PY = `"""Generated by bench/autogenerate-check.mjs: Alembic's equivalent of \`ambix check\`.

Compares models.metadata with the database at BENCH_DATABASE_URL through Alembic's autogenerate
(compare_metadata), types and server defaults included (with --alembic-defaults: Alembic's default options
instead); prints the number of differences, then one line per difference, and exits 1 if there is any.
"""
import os
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from models import metadata


def main():
    if "--alembic-defaults" in sys.argv[1:]:
        opts = {}
    else:
        opts = {"compare_type": True, "compare_server_default": True}
    engine = create_engine(os.environ["BENCH_DATABASE_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, metadata)
    print(f"differences: {len(differences)}")
    for difference in differences:
        print(difference)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
`;

const ALEMBIC_INI = `# Generated by bench/autogenerate-check.mjs. The benchmark runs check.py, not the alembic command.
[alembic]
script_location = migrations
prepend_sys_path = .
`;

const ALEMBIC_ENV_PY = `"""Generated by bench/autogenerate-check.mjs: the same metadata and settings as check.py."""
import os

from alembic import context
from sqlalchemy import create_engine, pool

from models import metadata as target_metadata

url = os.environ["BENCH_DATABASE_URL"]


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            compare_server_default=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
`;

const ALEMBIC_SCRIPT_MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

/**
 * ambix's reflection alone, in a process of its own: the import of ambix's dialect modules, one connection, one
 * `introspect()`; prints one JSON line with the counts and the in-process timings.
 */
const PROBE_MJS = `// Generated by bench/autogenerate-check.mjs: ambix's reflection alone.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.BENCH_AMBIX_DIST;
const t0 = performance.now();
const { postgresIntrospector } = await import(pathToFileURL(join(dist, 'dialects/postgres/introspect.js')).href);
const { connectPostgres } = await import(pathToFileURL(join(dist, 'dialects/postgres/driver.js')).href);
const t1 = performance.now();
const connection = await connectPostgres(process.env.BENCH_DATABASE_URL);
const t2 = performance.now();
let model;
try {
  model = await postgresIntrospector.introspect(connection, {});
} finally {
  await connection.close();
}
const t3 = performance.now();
const tables = model.tables;
console.log(JSON.stringify({
  importMs: t1 - t0,
  connectMs: t2 - t1,
  reflectMs: t3 - t2,
  tables: tables.length,
  columns: tables.reduce((n, t) => n + t.columns.length, 0),
  primaryKeys: tables.filter((t) => t.primaryKey !== undefined).length,
  foreignKeys: tables.reduce((n, t) => n + t.foreignKeys.length, 0),
  cascades: tables.reduce((n, t) => n + t.foreignKeys.filter((f) => f.onDelete === 'cascade').length, 0),
  indexNames: tables.flatMap((t) => t.indexes.map((i) => i.name)),
  defaults: tables.reduce((n, t) => n + t.columns.filter((c) => c.default !== undefined).length, 0),
  identities: tables.reduce((n, t) => n + t.columns.filter((c) => c.identity !== undefined).length, 0),
  notNull: tables.reduce((n, t) => n + t.columns.filter((c) => !c.nullable).length, 0),
}));
`;

function writeProjects(schema) {
  rmSync(WORK, { recursive: true, force: true });
  const dirs = {
    ddl: join(WORK, 'ddl'),
    ambix: join(WORK, 'ambix'),
    alembic: join(WORK, 'alembic'),
    probe: join(WORK, 'probe'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // A stamp in the generated modules: each invocation's schema.ts is new to ambix's transpile cache, so the warm-up
  // run of `ambix check` is a first run, and its figure is what a first check on a machine costs.
  const stamp = `seed ${schema.seed}, ${new Date().toISOString()}`;

  writeFileSync(join(dirs.ddl, 'schema.sql'), ddl(schema));

  writeFileSync(join(dirs.ambix, 'ambix.config.ts'), AMBIX_CONFIG);
  writeFileSync(join(dirs.ambix, 'schema.ts'), ambixSchemaModule(schema, stamp));
  writePackageJson(dirs.ambix, { name: 'bench-autogenerate-check', private: true, type: 'module' });
  // ambix "installed" in the project, as in a real one: `import … from 'ambix'` resolves to this repository.
  mkdirSync(join(dirs.ambix, 'node_modules'));
  symlinkSync(REPO, join(dirs.ambix, 'node_modules', 'ambix'), 'dir');

  writeFileSync(join(dirs.alembic, 'models.py'), sqlalchemyModels(schema, stamp));
  writeFileSync(join(dirs.alembic, 'check.py'), ALEMBIC_CHECK_PY);
  writeFileSync(join(dirs.alembic, 'alembic.ini'), ALEMBIC_INI);
  mkdirSync(join(dirs.alembic, 'migrations', 'versions'), { recursive: true });
  writeFileSync(join(dirs.alembic, 'migrations', 'env.py'), ALEMBIC_ENV_PY);
  writeFileSync(join(dirs.alembic, 'migrations', 'script.py.mako'), ALEMBIC_SCRIPT_MAKO);

  writeFileSync(join(dirs.probe, 'reflect.mjs'), PROBE_MJS);
  writePackageJson(dirs.probe);

  // Files last changed an hour ago, like a real project's (a cache may ignore a file changed in the last seconds).
  const changed = new Date(Date.now() - 3600_000);
  for (const path of [
    join(dirs.ambix, 'ambix.config.ts'),
    join(dirs.ambix, 'schema.ts'),
    join(dirs.alembic, 'models.py'),
    join(dirs.alembic, 'check.py'),
  ]) {
    utimesSync(path, changed, changed);
  }
  return dirs;
}

// ---------------------------------------------------------------------------------------------------------
// Tools

/** A Python that imports alembic, sqlalchemy and psycopg2; tries apt-get once if the default one cannot. */
function findPython(python) {
  const { found, why } = findPythonWith({
    candidates: [python],
    code: 'import sys, alembic, sqlalchemy, psycopg2; print(sys.version.split()[0], alembic.__version__, sqlalchemy.__version__, psycopg2.__version__.split()[0])',
    fields: ['version', 'alembic', 'sqlalchemy', 'psycopg2'],
    install: python === DEFAULTS.python && {
      packages: ['python3-alembic', 'python3-psycopg2'],
      reason: 'alembic or psycopg2 is not importable',
      stderr: true,
    },
  });
  const note = `${python} cannot import alembic, sqlalchemy and psycopg2${why ? ` (${why})` : ''}`;
  return { found, note: found ? null : note };
}

/** Source files newer than their build under dist/ (the build measured may miss recent changes). */
function staleBuild(ambixBin) {
  const dist = resolve(dirname(ambixBin), '..', 'dist');
  const src = resolve(dirname(ambixBin), '..', 'src');
  if (!existsSync(src) || !existsSync(dist)) return [];
  const stale = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const built = join(dist, relative(src, path)).replace(/\.ts$/, '.js');
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs)
          stale.push(relative(src, path));
      }
    }
  };
  walk(src);
  return stale;
}

/**
 * The environment of a measured command (see UNSET and cleanEnv in lib.mjs): nothing from the outside decides
 * which database a tool uses or whether it caches, each command says so itself.
 */
const toolEnv = (keepEnv, extra = {}) =>
  cleanEnv(keepEnv, { drop: /^(DATABASE_URL|PGDATABASE|AMBIX_CACHE|AMBIX_CACHE_DIR|JITI_.*)$/, extra });

// ---------------------------------------------------------------------------------------------------------
// The database

/** Creates the database and applies the DDL (not timed). Returns the counts PostgreSQL sees. */
function createDatabase(options, database, ddlPath) {
  psql(options, 'postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  psql(options, 'postgres', `CREATE DATABASE ${database}`);
  const r = spawnSync(
    'psql',
    ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl(options, database), '-f', ddlPath],
    { encoding: 'utf8', maxBuffer: MAX_OUTPUT },
  );
  if (r.status !== 0)
    throw new Error(`applying ${relative(REPO, ddlPath)} failed: ${excerpt(r.stderr ?? '')}`);
  psql(options, database, 'ANALYZE');
}

/** What check must leave alone: every relation, column, constraint and index of the public schema, hashed. */
const FINGERPRINT_SQL = `SELECT
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r') || ' tables, ' ||
  (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public') || ' columns, ' ||
  (SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f') || ' foreign keys, ' ||
  (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public') || ' indexes (primary keys included), md5 ' ||
  (SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
    SELECT c.relname || ':' || c.relkind::text AS x FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    UNION ALL
    SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, '')
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL
    SELECT conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'public'
  ) s)`;

// ---------------------------------------------------------------------------------------------------------
// Checks on a warm-up run's output ({ status, stdout, stderr } → problem or null)

function checkAmbix(result) {
  if (result.status === 1 && result.stdout.trim() !== '') {
    const lines = result.stdout.trim().split('\n');
    return {
      problem:
        `ambix check reported ${lines.length} difference(s) on an unchanged database (phantom diffs): ` +
        `${lines.slice(0, 8).join(' | ')}${lines.length > 8 ? ' | …' : ''}`,
      phantom: lines,
    };
  }
  if (result.status !== 0) return { problem: `exit status ${result.status}: ${excerpt(result.stderr)}` };
  if (!result.stderr.includes('The database matches the schema.')) {
    return { problem: `exit 0 without "The database matches the schema.": ${excerpt(result.stderr)}` };
  }
  if (result.stdout.trim() !== '') return { problem: `unexpected output: ${excerpt(result.stdout)}` };
  return { problem: null };
}

function checkAlembic(result) {
  const match = /^differences: (\d+)$/m.exec(result.stdout);
  if (!match || (result.status !== 0 && result.status !== 1)) {
    return { problem: `exit status ${result.status}: ${excerpt(`${result.stdout}\n${result.stderr}`)}` };
  }
  const count = Number(match[1]);
  if ((count === 0) !== (result.status === 0)) {
    return { problem: `exit status ${result.status} with ${count} difference(s)` };
  }
  const lines = result.stdout.slice(match.index + match[0].length).trim();
  return { problem: null, differences: count, lines: lines === '' ? [] : lines.split('\n') };
}

function checkProbe(schema) {
  const s = schema.stats;
  const expectedIndexes = new Set(schema.tables.flatMap((t) => t.indexes.map((i) => i.name)));
  return (result) => {
    if (result.status !== 0) return { problem: `exit status ${result.status}: ${excerpt(result.stderr)}` };
    let out;
    try {
      out = JSON.parse(result.stdout.trim().split('\n').pop());
    } catch {
      return { problem: `no JSON line in the output: ${excerpt(result.stdout)}` };
    }
    const wrong = [];
    const expect = (what, got, want) => {
      if (got !== want) wrong.push(`${what}: ${got}, expected ${want}`);
    };
    expect('tables', out.tables, s.tables);
    expect('columns', out.columns, s.columns);
    expect('primary keys', out.primaryKeys, s.tables);
    expect('foreign keys', out.foreignKeys, s.foreignKeys);
    expect('ON DELETE CASCADE', out.cascades, s.cascades);
    expect('identity columns', out.identities, s.identityKeys);
    expect(
      'defaults',
      out.defaults,
      Object.values(s.defaults).reduce((a, b) => a + b, 0),
    );
    expect('NOT NULL columns', out.notNull, s.notNull + s.tables);
    const seen = new Set(out.indexNames);
    const missing = [...expectedIndexes].filter((name) => !seen.has(name));
    if (missing.length > 0) wrong.push(`${missing.length} indexes missing, e.g. ${missing[0]}`);
    return wrong.length > 0 ? { problem: `reflection: ${wrong.join('; ')}` } : { problem: null, probe: out };
  };
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

/** Runs a command once, whole process, from spawn to exit. `capture` keeps stdout; otherwise it goes nowhere. */
function run(cmd, { capture }) {
  return timedRun(cmd, { capture, maxBuffer: MAX_OUTPUT, timeout: RUN_TIMEOUT_MS });
}

/**
 * Warm-up + check for every command, then `runs` timed rounds, interleaved round-robin (see measure in
 * lib.mjs). A timed run must end as its warm-up did (same exit status; the probe's output is parsed for its
 * in-process timings).
 */
function measureCommands(commands, runs, afterWarmup) {
  measure(commands, runs, {
    afterWarmup,
    warmUp(cmd) {
      if (cmd.skipped) {
        log(`not measured: ${cmd.label}: ${cmd.skipped}`);
        return false;
      }
      log(`warm-up + check: ${cmd.label}`);
      const r = run(cmd, { capture: true });
      cmd.warmupMs = r.ms;
      const verdict = r.problem ? { problem: r.problem } : (cmd.check?.(r) ?? { problem: null });
      cmd.checked = verdict;
      if (verdict.problem) {
        cmd.failure = verdict.problem;
        log(`  FAILED: ${cmd.failure}`);
        if (verdict.phantom)
          log(`  ambix check printed:\n    ${verdict.phantom.slice(0, 30).join('\n    ')}`);
        if (r.stderr.trim()) log(`  stderr:\n    ${excerpt(r.stderr, 15)}`);
        return false;
      }
      cmd.expectedStatus = r.status;
      if (cmd.extra) cmd.extras = [cmd.extra(r.stdout)];
      const reported =
        verdict.differences === undefined ? '' : ` (${verdict.differences} difference(s) reported)`;
      log(`  ok, ${fmt(r.ms)} ms${reported}`);
      cmd.times = [];
      return true;
    },
    timed(cmd, round) {
      const r = run(cmd, { capture: cmd.extra !== undefined });
      let problem = r.problem;
      if (!problem && r.status !== cmd.expectedStatus) {
        problem = `exit status ${r.status} (the warm-up's was ${cmd.expectedStatus}): ${excerpt(r.stderr)}`;
      }
      if (problem) {
        cmd.failure = `timed run ${round + 1}: ${problem}`;
        log(`  FAILED ${cmd.label}: ${cmd.failure}`);
        return;
      }
      if (cmd.extra) cmd.extras.push(cmd.extra(r.stdout));
      log(`  ${cmd.label}: ${fmt(r.ms)} ms`);
      cmd.times.push(r.ms);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Report

function renderSection({ options, schema, commands, machine, notes, probeStats }) {
  const byKey = Object.fromEntries(commands.map((c) => [c.key, c]));
  const s = schema.stats;
  const n = thousands(s.tables);
  const out = [];
  out.push(
    `**What is measured.** One database holding ${n} tables, created with psql before anything is timed and read ` +
      'by every run; the same tables declared in each tool’s own way, so that the comparison finds nothing. ' +
      'Wall-clock time of whole processes, from spawn to exit (`child_process.spawnSync` between two ' +
      '`process.hrtime.bigint()` readings), start-up included, stdout to /dev/null. Each command runs once as a ' +
      `warm-up whose output is checked, then ${options.runs} timed runs, interleaved round-robin with the others. ` +
      `_ambix_: \`node ${relative(REPO, options.ambixBin)} check\` in a project holding \`ambix.config.ts\` ` +
      "(`schema: './schema.ts'`, the URL from the environment), `schema.ts` (the tables in the `ambix/schema` DSL), " +
      'a `package.json` and `node_modules/ambix` (a symlink to this repository); run **warm** (schema.ts ' +
      'transpiled by the warm-up and cached by ambix’s TypeScript loader, jiti, in its default folder, as ' +
      'Alembic starts from the `__pycache__` its warm-up wrote) and **cold** (`AMBIX_CACHE=0 JITI_FS_CACHE=0`: ' +
      'nothing cached, as on the first check after schema.ts changed). The targets are judged on the warm runs. ' +
      '_Alembic_: `python3 check.py`, which imports `models.py` (one `MetaData` with the same tables as SQLAlchemy ' +
      '`Table`s: `server_default`, `ForeignKey(…, ondelete=…)`, `Index`, `Identity`) and prints ' +
      '`compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True, ' +
      '"compare_server_default": True}), metadata)`, exit 1 on differences: Alembic’s autogenerate comparison, ' +
      'what `alembic check` (1.9+) and `alembic revision --autogenerate` run, with types and server defaults ' +
      'compared as ambix compares them. _Reflection alone_: a Node process importing `postgresIntrospector` and ' +
      '`connectPostgres` from `dist/` and reflecting the database once; its in-process time of ' +
      '`introspect()` alone is reported too.',
  );
  out.push('');
  const kinds = Object.entries(s.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${thousands(v)}`)
    .join(', ');
  const defaults = Object.entries(s.defaults)
    .map(
      ([k, v]) =>
        `${v} ${{ now: '`now()`', gen_random_uuid: '`gen_random_uuid()` (the uuid keys)' }[k] ?? k}`,
    )
    .join(', ');
  out.push(
    `**Schema** (seed ${options.seed}). ${n} tables, ${thousands(s.columns)} columns (${kinds}); primary keys: ` +
      `${thousands(s.identityKeys)} integer/bigint \`GENERATED ALWAYS AS IDENTITY\`, ${thousands(s.uuidKeys)} uuid ` +
      `\`DEFAULT gen_random_uuid()\`; ${thousands(s.notNull)} other NOT NULL columns; column defaults: ${defaults}` +
      `; ${thousands(s.foreignKeys)} foreign keys to an earlier ` +
      `table (${thousands(s.cascades)} \`ON DELETE CASCADE\`); ${thousands(s.indexes)} named indexes ` +
      `(${thousands(s.multiColumnIndexes)} on two columns, ${thousands(s.uniqueIndexes)} unique).`,
  );
  out.push('');
  out.push(
    `**Machine.** ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory} RAM, ${machine.os}; load average ` +
      `(1, 5, 15 min) ${machine.loadStart} at the start and ${machine.loadEnd} at the end (a shared machine: the ` +
      `interleaving spreads its noise over all commands alike). PostgreSQL ${machine.postgres}; ${machine.psql}. ` +
      `Node ${machine.node}; Python ${machine.python}; Alembic ${machine.alembic}. ambix commit: ${machine.commit}.`,
  );
  out.push('');
  // Shown warm first, though the cold variant's warm-up runs first (see main).
  const shown = [byKey['ambix-check'], ...commands.filter((c) => c.key !== 'ambix-check')];
  const rows = shown.map((c) => [
    `${c.display}${rowStatus(c)}`,
    fmt(c.median),
    fmt(c.min),
    fmt(c.max),
    String(c.times?.length ?? 0),
  ]);
  if (probeStats) {
    rows.splice(shown.indexOf(byKey.reflect) + 1, 0, [
      '… of which `introspect()` alone, in-process (one connection already open)',
      fmt(probeStats.median),
      fmt(probeStats.min),
      fmt(probeStats.max),
      String(probeStats.count),
    ]);
  }
  out.push(
    markdownTable(
      ['Command', 'Median (ms)', 'Min (ms)', 'Max (ms)', 'Runs'],
      ['left', 'right', 'right', 'right', 'right'],
      rows,
    ),
  );
  out.push('');

  const targets = [];
  const warm = byKey['ambix-check'];
  const cold = byKey['ambix-check-cold'];
  const alembic = byKey.alembic;
  const coldNote = (c) => (c?.median === undefined ? '' : `; cold: ${fmt(c.median)} ms`);
  if (warm.median === undefined) {
    targets.push(
      `- \`ambix check\` under ${thousands(TARGET_CHECK_MS)} ms: not evaluated, ambix check was not measured ` +
        `(${warm.failure ? 'it failed its check' : 'see notes'}).`,
    );
  } else {
    targets.push(
      `- \`ambix check\` on ${n} unchanged tables under ${thousands(TARGET_CHECK_MS)} ms (warm, whole process): ` +
        `${verdict(warm.median < TARGET_CHECK_MS)} median ${fmt(warm.median)} ms (min ${fmt(warm.min)} ms` +
        `${coldNote(cold)}).`,
    );
    if (alembic.median !== undefined) {
      const ratio = alembic.median / warm.median;
      const coldRatio =
        cold?.median === undefined ? '' : `; cold: ${(alembic.median / cold.median).toFixed(2)}×`;
      const lighter = byKey['alembic-defaults'];
      const lighterRatio =
        lighter?.median === undefined
          ? ''
          : `; against Alembic with its default options: ${(lighter.median / warm.median).toFixed(2)}×`;
      targets.push(
        `- At least ${TARGET_SPEEDUP}× faster than Alembic ${machine.alembicVersion ?? ''} comparing the same things ` +
          `(warm): ${verdict(ratio >= TARGET_SPEEDUP)} ${ratio.toFixed(2)}× on medians (${fmt(warm.median)} ms ` +
          `against ${fmt(alembic.median)} ms; ${(alembic.min / warm.min).toFixed(2)}× on minimums${coldRatio}` +
          `${lighterRatio}).`,
      );
    }
  }
  out.push(
    '**Targets** (judged on medians of the warm runs; the ratio of minimums, less exposed to a busy machine, follows).',
  );
  out.push('');
  out.push(...targets);
  out.push('');
  return markedSection(SECTION, {
    title: `## Autogenerate check: \`ambix check\` on ${n} unchanged tables, against Alembic's \`compare_metadata\``,
    command: commandLine(options),
    date: machine.date,
    body: out,
    notes,
  });
}

/** jiti's transpile cache for schema.ts: the files in its default folder (os.tmpdir()/jiti) named after it. */
function jitiCacheFiles(ambixDir) {
  const dir = join(os.tmpdir(), 'jiti');
  const prefix = `${basenameOf(ambixDir)}-schema.`;
  return { dir, files: fileStats(dir, (name) => name.startsWith(prefix)) };
}

const basenameOf = (path) => path.split(/[\\/]/).pop();

// ---------------------------------------------------------------------------------------------------------
// Main

function main() {
  const options = parseOptions();
  const notes = [];

  requirePostgres(options, fail);

  log(
    `generating ${options.tables} tables (seed ${options.seed}) three ways under ${relative(REPO, WORK)}/ …`,
  );
  const schema = { ...generateSchema(options.tables, options.seed), seed: options.seed };
  const dirs = writeProjects(schema);
  const s = schema.stats;
  log(
    `  ${s.columns} columns, ${s.foreignKeys} foreign keys (${s.cascades} cascade), ${s.indexes} indexes ` +
      `(${s.multiColumnIndexes} multi-column, ${s.uniqueIndexes} unique)`,
  );

  const database = `ambix_bench_check_${process.pid}`;
  const dropDatabase = () => {
    try {
      psql(options, 'postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } catch (error) {
      log(`could not drop ${database}: ${error.message}`);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      dropDatabase();
      process.exit(130);
    });
  }
  log(`creating ${database} and applying ddl/schema.sql (not timed) …`);
  try {
    createDatabase(options, database, join(dirs.ddl, 'schema.sql'));
  } catch (error) {
    dropDatabase();
    fail(error.message);
  }

  try {
    const fingerprintBefore = psql(options, database, FINGERPRINT_SQL);
    log(`  ${fingerprintBefore}`);
    const scratchBefore = Number(
      psql(options, 'postgres', "SELECT count(*) FROM pg_database WHERE datname LIKE 'ambix\\_scratch\\_%'"),
    );

    const node = process.execPath;
    const url = databaseUrl(options, database);
    const nodeEnv = toolEnv(options.keepEnv, { BENCH_DATABASE_URL: url });
    const ambixNotReady = ambixReadiness(options.ambixBin, 'check');
    const { found: py, note: pyNote } = findPython(options.python);
    const pythonEnv = toolEnv(options.keepEnv, {
      BENCH_DATABASE_URL: databaseUrl(options, database, 'postgresql+psycopg2:'),
    });
    const dist = resolve(dirname(options.ambixBin), '..', 'dist');

    const ambixCheck = (cold) => ({
      key: cold ? 'ambix-check-cold' : 'ambix-check',
      display: `\`ambix check\` ${cold ? 'cold (`AMBIX_CACHE=0 JITI_FS_CACHE=0`)' : 'warm (transpiled schema cached)'}`,
      label: `ambix check ${cold ? 'cold' : 'warm'}`,
      file: node,
      args: [options.ambixBin, 'check'],
      cwd: dirs.ambix,
      env: cold ? { ...nodeEnv, AMBIX_CACHE: '0', JITI_FS_CACHE: '0' } : nodeEnv,
      skipped: ambixNotReady ? `${ambixNotReady}; ambix not measured` : null,
      check: checkAmbix,
    });
    const commands = [
      // The cold variant first: it neither reads nor writes the transpile cache, so the warm variant's warm-up
      // is the first run that meets this schema.ts.
      ambixCheck(true),
      ambixCheck(false),
      {
        key: 'alembic',
        display: 'Alembic `python3 check.py` (`compare_metadata`)',
        label: 'alembic check.py',
        file: py?.python,
        args: ['check.py'],
        cwd: dirs.alembic,
        env: pythonEnv,
        skipped: py ? null : `${pyNote}; Alembic not measured`,
        check: checkAlembic,
      },
      {
        key: 'alembic-defaults',
        display: 'Alembic `python3 check.py --alembic-defaults` (its default options: `opts={}`)',
        label: 'alembic check.py --alembic-defaults',
        file: py?.python,
        args: ['check.py', '--alembic-defaults'],
        cwd: dirs.alembic,
        env: pythonEnv,
        skipped: py ? null : `${pyNote}; Alembic not measured`,
        check: checkAlembic,
      },
      {
        key: 'reflect',
        display: 'ambix reflection alone: `node probe/reflect.mjs` (import, connect, `introspect()`)',
        label: 'reflection probe',
        file: node,
        args: ['reflect.mjs'],
        cwd: dirs.probe,
        env: { ...nodeEnv, BENCH_AMBIX_DIST: dist },
        skipped: ambixNotReady ? `${ambixNotReady}; the reflection probe not measured` : null,
        check: checkProbe(schema),
        extra: (stdout) => JSON.parse(stdout.trim().split('\n').pop()),
      },
      {
        key: 'node-startup',
        display: 'floor: `node -e 0` (Node start-up)',
        label: 'node -e 0',
        file: node,
        args: ['-e', '0'],
        cwd: dirs.ambix,
        env: nodeEnv,
      },
      {
        key: 'python-startup',
        display: 'floor: `python3 -c pass` (Python start-up)',
        label: 'python3 -c pass',
        file: py?.python ?? options.python,
        args: ['-c', 'pass'],
        cwd: dirs.alembic,
        env: pythonEnv,
        skipped: py || existsSync(options.python) ? null : `${options.python} not found`,
      },
      {
        key: 'psql',
        display: "floor: `psql -c 'select 1'` (a client connects and queries)",
        label: 'psql select 1',
        file: 'psql',
        args: ['-X', '-q', '-A', '-t', '-d', url, '-c', 'select 1'],
        cwd: dirs.ddl,
        env: nodeEnv,
        check: (r) => ({
          problem: r.status === 0 && r.stdout.trim() === '1' ? null : `unexpected: ${r.stdout}`,
        }),
      },
    ];

    const machine = {
      ...machineInfo(),
      ...postgresInfo(options),
      python: py ? `${py.version} (${py.python})` : 'n/a',
      alembic: py ? `${py.alembic} (SQLAlchemy ${py.sqlalchemy}, psycopg2 ${py.psycopg2})` : 'n/a',
      alembicVersion: py?.alembic,
    };
    const staleFiles = ambixNotReady ? [] : staleBuild(options.ambixBin);
    const cacheBefore = jitiCacheFiles(dirs.ambix);
    let cacheAfterWarmup = null;
    measureCommands(commands, options.runs, () => {
      cacheAfterWarmup = jitiCacheFiles(dirs.ambix);
    });
    const cacheAfterRuns = jitiCacheFiles(dirs.ambix);
    machine.loadEnd = loadavg();

    // The database must be as it was: check only reads.
    const fingerprintAfter = psql(options, database, FINGERPRINT_SQL);
    const scratchAfter = Number(
      psql(options, 'postgres', "SELECT count(*) FROM pg_database WHERE datname LIKE 'ambix\\_scratch\\_%'"),
    );
    const unchanged = fingerprintAfter === fingerprintBefore;
    if (!unchanged) {
      const ambix = commands.find((c) => c.key === 'ambix-check');
      ambix.failure ??= `the database changed during the runs: before ${fingerprintBefore}; after ${fingerprintAfter}`;
      log(`FAILED: the database changed: before ${fingerprintBefore}; after ${fingerprintAfter}`);
    }

    // Notes that make the figures interpretable.
    const busiest = busiestLoad(machine);
    if (busiest !== null) {
      notes.push(
        `⚠️ The machine was busy: a one-minute load average of up to ${busiest.toFixed(2)} on ${machine.nproc} ` +
          'CPUs, so other processes (the PostgreSQL server serves them too) competed with every command, the ' +
          'floors included. The interleaving spreads that noise over all commands alike, but absolute times are ' +
          'inflated and ratios less certain than on a quiet machine.',
      );
    }
    const ambixWarm = commands.find((c) => c.key === 'ambix-check');
    const ambixCold = commands.find((c) => c.key === 'ambix-check-cold');
    for (const c of [ambixCold, ambixWarm]) {
      if (c.checked?.phantom) {
        notes.push(
          `❌ **Phantom differences**: \`${c.label}\` reported ${c.checked.phantom.length} difference(s) on the ` +
            `unchanged database, e.g. ${c.checked.phantom
              .slice(0, 5)
              .map((l) => `\`${l}\``)
              .join(', ')}.`,
        );
      }
    }
    const ambixNotes = [ambixCold, ambixWarm].find((c) => c.checked && !c.checked.problem);
    if (ambixNotes) {
      notes.push(
        `Outputs checked before timing: \`ambix check\` (warm and cold) exited 0 with “The database matches the ` +
          `schema.” and printed no difference.`,
      );
    }
    for (const alembic of commands.filter((c) => c.key.startsWith('alembic'))) {
      if (!alembic.checked || alembic.checked.problem) continue;
      const { differences, lines } = alembic.checked;
      notes.push(
        differences === 0
          ? `\`${alembic.label}\` reported 0 differences (checked before timing; every timed run exited 0 as well).`
          : `⚠️ **Alembic reports ${differences} difference(s)** on the unchanged database (\`${alembic.label}\`; ` +
              `phantom diffs of SQLAlchemy/Alembic ${py.alembic}; every timed run ended with the same exit status), ` +
              `e.g. ${lines
                .slice(0, 4)
                .map((l) => `\`${l.length > 160 ? `${l.slice(0, 157)}…` : l}\``)
                .join('; ')}. Its figures include finding and printing them.`,
      );
    }
    notes.push(
      'Alembic’s options: the figures the target is judged on compare types and server defaults ' +
        '(`compare_type=True`, `compare_server_default=True`), as ambix always does; Alembic 1.8 compares neither ' +
        'by default (1.12 turned `compare_type` on), hence the second Alembic row. Every string default is free ' +
        'of quotes: Alembic before 1.11 fails on a server default holding one, its comparison query quoting the ' +
        "metadata’s default with Python’s `repr()` (`SELECT 'o''clock'::text = \"o'clock\"`; " +
        'sqlalchemy/alembic#1178).',
    );
    const reflect = commands.find((c) => c.key === 'reflect');
    let probeStats = null;
    if (reflect.extras?.length && !reflect.failure) {
      const timed = reflect.extras.slice(1).map((x) => x.reflectMs);
      probeStats = {
        median: median(timed),
        min: Math.min(...timed),
        max: Math.max(...timed),
        count: timed.length,
      };
      const p = reflect.extras[0];
      notes.push(
        `The reflection probe (checked before timing) read ${thousands(p.tables)} tables, ${thousands(p.columns)} ` +
          `columns, ${thousands(p.foreignKeys)} foreign keys and every generated index with the right names, ` +
          `defaults, identities and NOT NULLs. In its timed runs, importing ambix’s dialect modules took a median ` +
          `of ${fmt(median(reflect.extras.slice(1).map((x) => x.importMs)))} ms and connecting (\`pg\` loaded on ` +
          `first use) ${fmt(median(reflect.extras.slice(1).map((x) => x.connectMs)))} ms.`,
      );
      const warm = commands.find((c) => c.key === 'ambix-check');
      if (warm.median !== undefined && reflect.median !== undefined) {
        notes.push(
          `Where \`ambix check\`’s time goes, roughly: the reflection probe as a whole process (Node start-up, ` +
            `connection, reflection) is ${fmt(reflect.median)} ms of the warm check’s ${fmt(warm.median)} ms ` +
            `(${((100 * reflect.median) / warm.median).toFixed(0)}%); the rest is loading the config and ` +
            'schema.ts, building the declared model and comparing (and, for tables it cannot settle, the scratch ' +
            'database).',
        );
      }
    }
    const firsts = commands.filter(
      (c) => c.warmupMs !== undefined && !c.failure && !c.key.endsWith('startup'),
    );
    if (firsts.length > 0) {
      notes.push(
        'Warm-up runs (not in the figures; each the first of its command after the projects were written, so ' +
          'before jiti had cached this schema.ts or Python had compiled models.py: what a first run on a machine ' +
          `costs): ${firsts.map((c) => `${c.label} ${fmt(c.warmupMs)} ms`).join(', ')}.`,
      );
    }
    if (ambixWarm.times?.length) {
      const files = [...(cacheAfterWarmup?.files ?? new Map())];
      const where = `\`${cacheBefore.dir}\``;
      if (files.length === 0) {
        notes.push(
          `⚠️ No transpile cache for schema.ts was found in ${where}: the warm runs may have been cold.`,
        );
      } else {
        const rewritten = changedFiles(files, cacheAfterRuns.files);
        const sizes = fileSizes(files);
        notes.push(
          rewritten.length > 0
            ? `⚠️ jiti’s transpile cache for schema.ts in ${where} (${sizes}) changed during the timed runs.`
            : `ambix’s own cache (\`AMBIX_CACHE\`, migration headers) plays no part in \`check\`; the cache that ` +
                `does is jiti’s transpile cache, which the warm-up of \`ambix check\` wrote in ${where} (${sizes}) ` +
                'and no timed run rewrote.',
        );
        if (ambixCold.median !== undefined) {
          const kib = statSync(join(dirs.ambix, 'schema.ts')).size / 1024;
          notes.push(
            `Cold against warm: ${fmt(ambixCold.median - ambixWarm.median)} ms more on medians, the time jiti takes ` +
              `to transpile schema.ts (${kib.toFixed(0)} KiB of TypeScript) when nothing is cached: what the first ` +
              '`ambix check` after each edit of the schema module costs.',
          );
        }
      }
    }
    notes.push(
      unchanged
        ? `The database was created once (\`CREATE DATABASE\` and \`psql -1 -f ddl/schema.sql\`, not timed) and left ` +
            `unchanged by all the runs (same catalog fingerprint before and after: ${fingerprintAfter}).`
        : `❌ The database changed during the runs: before ${fingerprintBefore}; after ${fingerprintAfter}.`,
    );
    if (scratchAfter > scratchBefore) {
      notes.push(
        `⚠️ ${scratchAfter - scratchBefore} more \`ambix_scratch_*\` database(s) on the server after the runs than ` +
          'before (maybe another process’s; ambix drops its own).',
      );
    }
    if (staleFiles.length > 0) {
      notes.push(
        `⚠️ dist/ was older than src/ for ${staleFiles.length} file(s) (${staleFiles.slice(0, 3).join(', ')}` +
          `${staleFiles.length > 3 ? ', …' : ''}): the build measured may not include the newest source changes.`,
      );
    }
    notes.push(
      `The issue quotes, for this job on these machines, ${ISSUE_ALEMBIC_NEWEST}; only the Alembic named under ` +
        '_Machine_ is measured here, side by side (`--python` can point at another).',
    );
    for (const c of commands.filter((c) => c.skipped)) notes.push(`Not measured: ${c.label}: ${c.skipped}.`);
    const removed = removedEnvNote(options.keepEnv);
    if (removed) notes.push(removed);

    finish(SECTION, renderSection({ options, schema, commands, machine, notes, probeStats }), {
      items: commands,
      noun: 'command',
      write: options.write,
      fail,
    });
  } finally {
    dropDatabase();
  }
}

// Run when executed, not when imported (the generator can be imported to inspect a schema).
if (isMain(import.meta.url)) main();

export { generateSchema };
