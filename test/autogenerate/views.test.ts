/**
 * Views and materialized views in autogenerate: a materialized view's indexes are created and dropped in place
 * (its rows stay), and which views are dropped and created again around a change, and in what order, comes from
 * what PostgreSQL records each view reads (pg_depend), not from the names its query mentions. PGlite and the
 * PostgreSQL server.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../src/autogenerate/compare.js';
import { renderOperationCalls } from '../../src/autogenerate/render-typescript.js';
import { autogenerateRevision } from '../../src/commands/autogenerate-revision.js';
import { check } from '../../src/commands/check.js';
import { downgrade } from '../../src/commands/downgrade.js';
import { schemaPull } from '../../src/commands/schema-pull.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { postgresIntrospector } from '../../src/dialects/postgres/introspect.js';
import { operationBuilders as op } from '../../src/operations/builders.js';
import type { Operation } from '../../src/operations/operation.js';
import { EMPTY_SCHEMA, type IndexModel, type SchemaModel } from '../../src/schema/model.js';
import { describeEachDatabase, type TestDb, testProject } from '../runtime/support.js';
import { describePairs, type OpenPair, roundTrip } from './postgres-pair.js';

const SLOW = 120_000;

function lines(differences: readonly { sign: string; object: string; name: string; detail?: string }[]) {
  return differences.map((d) => `${d.sign} ${d.object} ${d.name}${d.detail ? `: ${d.detail}` : ''}`);
}

/** What the operations do to views and indexes, in order: `dropView public.v`, `createIndex public.mv.i`. */
function viewSteps(operations: readonly Operation[]): string[] {
  return operations.flatMap((o) => {
    const schema = 'schema' in o && typeof o.schema === 'string' ? o.schema : 'public';
    switch (o.kind) {
      case 'createView':
      case 'dropView':
      case 'createMaterializedView':
      case 'dropMaterializedView':
        return [`${o.kind} ${schema}.${o.name}`];
      case 'createIndex':
        return [`${o.kind} ${schema}.${o.table}.${o.name}`];
      case 'dropIndex':
        return [`${o.kind} ${schema}.${o.name}`];
      case 'alterColumn':
        return [`${o.kind} ${schema}.${o.table}.${o.column}`];
      default:
        return [];
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The migration code, without a database

const ORDER_TOTALS_QUERY = ' SELECT user_id,\n    sum(amount) AS total\n   FROM orders\n  GROUP BY user_id;';

function withTotals(indexes: readonly IndexModel[]): SchemaModel {
  return {
    ...EMPTY_SCHEMA,
    views: [
      {
        schema: 'public',
        name: 'order_totals',
        materialized: true,
        query: ORDER_TOTALS_QUERY,
        indexes,
        dependsOn: [{ schema: 'public', name: 'orders' }],
      },
    ],
  };
}

const USER_INDEX: IndexModel = {
  name: 'order_totals_user_id_idx',
  unique: true,
  method: 'btree',
  elements: [{ column: 'user_id' }],
};
const BIG_INDEX: IndexModel = {
  name: 'order_totals_big_idx',
  unique: false,
  method: 'btree',
  elements: [{ column: 'total', order: 'desc' }],
  where: '(total > (100)::numeric)',
};

describe("a materialized view's indexes, as migration code", () => {
  it('creates an index on the view, and drops it in the downgrade, without touching the view', () => {
    const before = withTotals([USER_INDEX]);
    const after = withTotals([BIG_INDEX, USER_INDEX]);
    const up = compareSchemas(before, after);
    expect(lines(up.differences)).toEqual(['+ index public.order_totals.order_totals_big_idx']);
    expect(renderOperationCalls(up.operations).code).toBe(
      [
        "await op.createIndex('order_totals_big_idx', 'order_totals', [{ column: 'total', order: 'desc' }], {",
        '  where: sql`(total > (100)::numeric)`,',
        '});',
      ].join('\n'),
    );
    const down = compareSchemas(after, before);
    expect(lines(down.differences)).toEqual(['- index public.order_totals.order_totals_big_idx']);
    expect(renderOperationCalls(down.operations).code).toBe(
      "await op.dropIndex('order_totals_big_idx', { table: 'order_totals' });",
    );
  });

  it('drops and creates an index that changes, renames one that only changes its name', () => {
    const before = withTotals([USER_INDEX, { ...BIG_INDEX, name: 'totals_big' }]);
    const after = withTotals([
      BIG_INDEX,
      { ...USER_INDEX, elements: [{ column: 'user_id', order: 'desc' }] },
    ]);
    const up = compareSchemas(before, after);
    expect(lines(up.differences)).toEqual([
      '> index public.order_totals.totals_big: renamed to order_totals_big_idx',
      '~ index public.order_totals.order_totals_user_id_idx',
    ]);
    expect(renderOperationCalls(up.operations).code).toBe(
      [
        "await op.dropIndex('order_totals_user_id_idx', { table: 'order_totals' });",
        'await op.execute(\'ALTER INDEX "public"."totals_big" RENAME TO "order_totals_big_idx"\');',
        "await op.createIndex('order_totals_user_id_idx', 'order_totals', [{ column: 'user_id', order: 'desc' }], {",
        '  unique: true,',
        '});',
      ].join('\n'),
    );
  });

  it('creates the indexes again after a view whose query changes', () => {
    const before = withTotals([USER_INDEX]);
    const after: SchemaModel = {
      ...before,
      views: [{ ...before.views[0]!, query: ORDER_TOTALS_QUERY.replace('sum', 'max') }],
    };
    const up = compareSchemas(before, after);
    expect(lines(up.differences)).toEqual(['~ materialized view public.order_totals: definition']);
    expect(viewSteps(up.operations)).toEqual([
      'dropMaterializedView public.order_totals',
      'createMaterializedView public.order_totals',
      'createIndex public.order_totals.order_totals_user_id_idx',
    ]);
  });

  it('sees no difference in what a view reads: the query says it', () => {
    const before = withTotals([USER_INDEX]);
    const after: SchemaModel = { ...before, views: [{ ...before.views[0]!, dependsOn: undefined }] };
    expect(compareSchemas(before, after).operations).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Autogenerate, run and undone

const TOTALS_SCHEMA = (indexes: string) => `
import { desc, index, integer, materializedView, numeric, sql, table, uniqueIndex } from 'ambix/schema';

export const orders = table('orders', {
  id: integer().primaryKey(),
  user_id: integer().notNull(),
  amount: numeric(10, 2).notNull(),
});

export const orderTotals = materializedView(
  'order_totals',
  sql\`SELECT user_id, sum(amount) AS total FROM orders GROUP BY user_id\`,
  { indexes: [${indexes}] },
);
`;

const V1_INDEXES = "uniqueIndex().on('user_id'), index().on('total')";
const V2_INDEXES =
  "uniqueIndex().on('user_id'), index('order_totals_big_idx').on(desc('total')).where(sql`total > 100`)";

async function project(db: TestDb, schema: string) {
  const p = testProject();
  p.write('src/schema.ts', schema);
  const config = await p.config({ ...db.settings(), schema: './src/schema.ts' });
  return { p, config };
}

async function matviewState(db: TestDb) {
  const [row] = await db.query(
    "SELECT 'public.order_totals'::regclass::oid::text AS oid, (SELECT count(*) FROM order_totals)::int AS rows",
  );
  return row;
}

describeEachDatabase('autogenerate: views', import.meta.filename, (db) => {
  it(
    "creates and drops a materialized view's indexes in place: the view keeps its rows, the downgrade undoes it",
    async () => {
      const { p, config } = await project(db, TOTALS_SCHEMA(V1_INDEXES));
      const first = await autogenerateRevision({ config, message: 'initial', ...db.options() });
      expect(lines(first.differences)).toEqual([
        '+ table public.orders',
        '+ materialized view public.order_totals',
      ]);
      const firstText = readFileSync(first.created!.path, 'utf8');
      expect(firstText).toContain(
        "await op.createIndex('order_totals_user_id_idx', 'order_totals', ['user_id'], { unique: true });",
      );
      expect(firstText).toContain(
        "await op.createIndex('order_totals_total_idx', 'order_totals', ['total']);",
      );
      await upgrade(config, 'head', db.options());
      expect((await check(config, db.options())).differences).toEqual([]);

      await db.exec('INSERT INTO orders VALUES (1, 1, 10), (2, 1, 5), (3, 2, 200)');
      await db.exec('REFRESH MATERIALIZED VIEW order_totals');
      // Rows the view does not hold until it is refreshed (or created again).
      await db.exec('INSERT INTO orders VALUES (4, 3, 1)');
      const kept = await matviewState(db);
      expect(kept).toMatchObject({ rows: 2 });

      p.write('src/schema.ts', TOTALS_SCHEMA(V2_INDEXES));
      const second = await autogenerateRevision({ config, message: 'index the big totals', ...db.options() });
      expect(lines(second.differences)).toEqual([
        '- index public.order_totals.order_totals_total_idx',
        '+ index public.order_totals.order_totals_big_idx',
      ]);
      const text = readFileSync(second.created!.path, 'utf8');
      // The index's predicate as the schema module writes it.
      expect(text).toContain(
        [
          'export async function upgrade(op: Operations): Promise<void> {',
          "  await op.dropIndex('order_totals_total_idx', { table: 'order_totals' });",
          "  await op.createIndex('order_totals_big_idx', 'order_totals', [{ column: 'total', order: 'desc' }], {",
          '    where: sql`total > 100`,',
          '  });',
          '}',
        ].join('\n'),
      );
      expect(text).toContain(
        [
          'export async function downgrade(op: Operations): Promise<void> {',
          "  await op.dropIndex('order_totals_big_idx', { table: 'order_totals' });",
          "  await op.createIndex('order_totals_total_idx', 'order_totals', ['total']);",
          '}',
        ].join('\n'),
      );
      await upgrade(config, 'head', db.options());
      expect((await check(config, db.options())).differences).toEqual([]);
      expect(await matviewState(db)).toEqual(kept);

      await downgrade(config, '-1', db.options());
      p.write('src/schema.ts', TOTALS_SCHEMA(V1_INDEXES));
      expect((await check(config, db.options())).differences).toEqual([]);
      expect(await matviewState(db)).toEqual(kept);
    },
    SLOW,
  );

  it(
    'creates a materialized view declared WITH NO DATA empty, and finds nothing to change after',
    async () => {
      const schema = TOTALS_SCHEMA('').replace('{ indexes: [] }', '{ withData: false }');
      const { config } = await project(db, schema);
      const created = await autogenerateRevision({ config, message: 'initial', ...db.options() });
      expect(readFileSync(created.created!.path, 'utf8')).toMatch(/withData: false/);
      await upgrade(config, 'head', db.options());
      const [row] = await db.query(
        "SELECT relispopulated AS populated FROM pg_class WHERE oid = 'public.order_totals'::regclass",
      );
      expect(row).toEqual({ populated: false });
      expect((await check(config, db.options())).differences).toEqual([]);
    },
    SLOW,
  );

  it(
    'creates the indexes again after a materialized view it recreates, both ways',
    async () => {
      const { p, config } = await project(db, TOTALS_SCHEMA(V2_INDEXES));
      await autogenerateRevision({ config, message: 'initial', ...db.options() });
      await upgrade(config, 'head', db.options());
      p.write('src/schema.ts', TOTALS_SCHEMA(V2_INDEXES).replace('sum(amount)', 'max(amount)'));
      const changed = await autogenerateRevision({ config, message: 'largest order', ...db.options() });
      expect(lines(changed.differences)).toEqual(['~ materialized view public.order_totals: definition']);
      await upgrade(config, 'head', db.options());
      expect((await check(config, db.options())).differences).toEqual([]);
      const indexes = await db.query(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'order_totals' ORDER BY indexname",
      );
      expect(indexes.map((row) => row.indexname)).toEqual([
        'order_totals_big_idx',
        'order_totals_user_id_idx',
      ]);
      await downgrade(config, '-1', db.options());
      p.write('src/schema.ts', TOTALS_SCHEMA(V2_INDEXES));
      expect((await check(config, db.options())).differences).toEqual([]);
    },
    SLOW,
  );

  it(
    "pulls a materialized view's indexes into the module, and --from-empty builds them again",
    async () => {
      await db.exec(`
        CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL, amount numeric(10,2) NOT NULL);
        CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(amount) AS total FROM orders GROUP BY user_id;
        CREATE UNIQUE INDEX ON order_totals (user_id);
        CREATE INDEX order_totals_big ON order_totals (total DESC NULLS LAST) INCLUDE (user_id) WHERE total > 100;
      `);
      const { config } = await project(db, 'export {};\n');
      const pulled = await schemaPull(config, { out: 'src/pulled.ts', ...db.options() });
      // The view's query is as the server prints it (qualified columns before PostgreSQL 16).
      expect(pulled.text).toContain(
        "export const orderTotals = materializedView(\n  'order_totals',\n  sql`SELECT ",
      );
      expect(pulled.text).toContain(
        [
          '  {',
          '    indexes: [',
          "      index('order_totals_big').on(desc('total', 'last')).include('user_id').where(sql`total > 100::numeric`),",
          "      uniqueIndex().on('user_id'),",
          '    ],',
          '  },',
          ');',
        ].join('\n'),
      );
      expect(pulled.text).not.toContain('TODO');

      // The database adopts the pulled module: check finds nothing, --from-empty writes every object.
      const adopted = testProject();
      adopted.write('src/schema.ts', pulled.text);
      const adoptedConfig = await adopted.config({ ...db.settings(), schema: './src/schema.ts' });
      expect((await check(adoptedConfig, db.options())).differences).toEqual([]);
      const initial = await autogenerateRevision({
        config: adoptedConfig,
        message: 'initial schema',
        fromEmpty: true,
        ...db.options(),
      });
      const text = readFileSync(initial.created!.path, 'utf8');
      expect(text).toContain(
        "await op.createIndex('order_totals_user_id_idx', 'order_totals', ['user_id'], { unique: true });",
      );
      expect(text).toContain("await op.createIndex('order_totals_big', 'order_totals', [");
      // Built from nothing in an empty database, it is the same schema.
      await db.reset();
      await upgrade(adoptedConfig, 'head', db.options());
      expect((await check(adoptedConfig, db.options())).differences).toEqual([]);
    },
    SLOW,
  );

  it(
    'recreates the views that read a table whose column changes type, and only them',
    async () => {
      const schema = (labelType: string) => `
import { integer, materializedView, sql, table, text, varchar, view } from 'ambix/schema';

export const aItems = table('items', { id: integer().primaryKey(), label: varchar(20) }, { schema: 'a' });
export const bItems = table('items', { id: integer().primaryKey(), label: ${labelType} }, { schema: 'b' });

export const readsA = view('reads_a', sql\`SELECT id, label FROM a.items\`);
export const readsB = view('reads_b', sql\`SELECT id, label FROM b.items\`);
export const namesItems = view('names_items', sql\`SELECT 1 AS items\`);
export const totalsB = materializedView('totals_b', sql\`SELECT count(*) AS n FROM b.items\`);
`;
      const { p, config } = await project(db, schema('varchar(20)'));
      await autogenerateRevision({ config, message: 'initial', ...db.options() });
      await upgrade(config, 'head', db.options());

      p.write('src/schema.ts', schema('text()'));
      const changed = await autogenerateRevision({ config, message: 'longer labels', ...db.options() });
      expect(lines(changed.differences)).toEqual([
        '~ column b.items.label: type character varying(20) -> text',
      ]);
      const text = readFileSync(changed.created!.path, 'utf8');
      const upgradeText = text.slice(text.indexOf('upgrade('), text.indexOf('downgrade('));
      expect(upgradeText).toContain("await op.dropView('reads_b');");
      expect(upgradeText).toContain("await op.dropMaterializedView('totals_b');");
      expect(upgradeText).not.toContain('reads_a');
      expect(upgradeText).not.toContain('names_items');
      await upgrade(config, 'head', db.options());
      expect((await check(config, db.options())).differences).toEqual([]);
      await downgrade(config, '-1', db.options());
      p.write('src/schema.ts', schema('varchar(20)'));
      expect((await check(config, db.options())).differences).toEqual([]);
    },
    SLOW,
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Comparison of two databases built with DDL: what each view reads is what pg_depend says

/**
 * Views over views over a table, named against their order, and whose columns are named after each other: by the
 * names their queries mention, each would seem to read all the others.
 */
const LAYERS = (type: string) => `
CREATE TABLE base (id integer PRIMARY KEY, label ${type});
CREATE VIEW c_first AS SELECT id, label AS a_top, label AS b_middle FROM base;
CREATE VIEW b_middle AS SELECT id, a_top AS c_first FROM c_first;
CREATE MATERIALIZED VIEW a_top AS SELECT id, c_first AS b_middle FROM b_middle;
CREATE UNIQUE INDEX a_top_id_idx ON a_top (id);
CREATE VIEW unrelated AS SELECT 1 AS base, 2 AS a_top;
`;

const SCHEMAS = (type: string) => `
CREATE SCHEMA a;
CREATE SCHEMA b;
CREATE TABLE a.t (id integer, label varchar(10));
CREATE TABLE b.t (id integer, label ${type});
CREATE VIEW reads_a AS SELECT id, label AS t FROM a.t;
CREATE VIEW reads_b AS SELECT id, label FROM b.t;
CREATE VIEW public.t AS SELECT 1 AS one;
CREATE VIEW reads_public_t AS SELECT one FROM public.t;
`;

function comparisons(open: OpenPair) {
  it('drops views over views in reverse order of what they read, and creates them in order', async () => {
    const { a, b, close } = await open();
    try {
      const { up, down } = await roundTrip(a, b, LAYERS('varchar(10)'), LAYERS('text'));
      expect(viewSteps(up.operations)).toEqual([
        'dropMaterializedView public.a_top',
        'dropView public.b_middle',
        'dropView public.c_first',
        'alterColumn public.base.label',
        'createView public.c_first',
        'createView public.b_middle',
        'createMaterializedView public.a_top',
        'createIndex public.a_top.a_top_id_idx',
      ]);
      expect(viewSteps(down.operations)).toEqual(viewSteps(up.operations));
    } finally {
      await close();
    }
  });

  it('recreates only the view that reads the changed table, not its namesake in another schema', async () => {
    const { a, b, close } = await open();
    try {
      const { up } = await roundTrip(a, b, SCHEMAS('varchar(10)'), SCHEMAS('text'));
      expect(viewSteps(up.operations)).toEqual([
        'dropView public.reads_b',
        'alterColumn b.t.label',
        'createView public.reads_b',
      ]);
    } finally {
      await close();
    }
  });

  it("sets a view's or a materialized view's comment in place, keeping the rows", async () => {
    const { a, b, close } = await open();
    try {
      const ddl = (comment: string) => `
        CREATE TABLE base (id integer PRIMARY KEY);
        CREATE VIEW plain AS SELECT id FROM base;
        CREATE MATERIALIZED VIEW kept AS SELECT id FROM base;
        ${comment}`;
      await a.exec(
        `${ddl('')} INSERT INTO base VALUES (1); REFRESH MATERIALIZED VIEW kept; DELETE FROM base;`,
      );
      const { up, down } = await roundTrip(
        a,
        b,
        '',
        ddl("COMMENT ON VIEW plain IS 'the ids'; COMMENT ON MATERIALIZED VIEW kept IS 'it''s kept';"),
      );
      expect(up.operations).toEqual([
        op.execute(`COMMENT ON MATERIALIZED VIEW "public"."kept" IS 'it''s kept'`),
        op.execute(`COMMENT ON VIEW "public"."plain" IS 'the ids'`),
      ]);
      expect(down.operations).toEqual([
        op.execute('COMMENT ON MATERIALIZED VIEW "public"."kept" IS NULL'),
        op.execute('COMMENT ON VIEW "public"."plain" IS NULL'),
      ]);
      const { rows } = await a.connection.query('SELECT count(*)::int AS n FROM kept');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await close();
    }
  });

  it('reads the relations of each view as dependencies, on both sides alike', async () => {
    const { a, close } = await open();
    try {
      await a.exec(LAYERS('text'));
      const { views } = await postgresIntrospector.introspect(a.connection);
      expect(views.map((v) => [v.name, v.dependsOn])).toEqual([
        ['a_top', [{ schema: 'public', name: 'b_middle' }]],
        ['b_middle', [{ schema: 'public', name: 'c_first' }]],
        ['c_first', [{ schema: 'public', name: 'base' }]],
        ['unrelated', []],
      ]);
    } finally {
      await close();
    }
  });
}

describePairs('comparing views', 'ambix_views', comparisons);
