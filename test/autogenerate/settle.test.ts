/**
 * Settling on a real database: tables built from their declarations, reflected, and settled against the same
 * declarations. What the predictor knows needs no scratch database; what it does not is left to build, never
 * judged equal wrongly.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSchemas } from '../../src/autogenerate/compare.js';
import { materialize } from '../../src/autogenerate/materialize.js';
import { predictedDefaults, settle, settledTarget } from '../../src/autogenerate/settle.js';
import { fromPGlite } from '../../src/dialects/pglite/driver.js';
import { postgresIntrospector } from '../../src/dialects/postgres/introspect.js';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import { declaredModel } from '../../src/schema/dsl/to-model.js';
import {
  bigint,
  boolean,
  type Declaration,
  enumType,
  index,
  integer,
  jsonb,
  numeric,
  serial,
  sql,
  table,
  text,
  timestamptz,
  uuid,
  varchar,
} from '../../src/schema/index.js';

const dialect = { renderer: postgresRenderer, introspector: postgresIntrospector };
const databases: PGlite[] = [];
afterAll(async () => {
  for (const db of databases) await db.close();
});

async function live(declarations: readonly Declaration[]) {
  const db = new PGlite();
  databases.push(db);
  const { model } = declaredModel(declarations, { renderer: postgresRenderer });
  const reflected = await materialize(model, fromPGlite(db), dialect);
  return { declared: model, reflected, connection: fromPGlite(db) };
}

describe('settling declared tables against the database', () => {
  it('settles tables whose defaults, keys, uniques and indexes PostgreSQL prints as predicted', async () => {
    const status = enumType('status', ['active', 'off']);
    const declarations: Declaration[] = [
      status,
      table(
        'accounts',
        {
          id: uuid().primaryKey().default(sql`gen_random_uuid()`),
          n: serial(),
          big: bigint().identity('byDefault'),
          name: varchar(80).notNull().default('nobody'),
          note: text().default("it's"),
          state: status().notNull().default('active'),
          score: integer().notNull().default(0),
          debt: integer().default(-1),
          ratio: numeric(5, 2).default(1.5),
          active: boolean().notNull().default(true),
          tags: text().array().notNull().default([]),
          data: jsonb().default(sql`'{}'::jsonb`),
          created_at: timestamptz().notNull().defaultNow(),
          updated_at: timestamptz().default(sql`CURRENT_TIMESTAMP`),
          age: integer().check(sql`age >= 0`),
        },
        (t) => [index().on(t.name, t.created_at)],
      ),
    ];
    const { declared, reflected } = await live(declarations);
    const settlement = settle(declared, reflected);
    expect([...settlement.settledTables.keys()]).toEqual(['public\u0000accounts']);
    expect(settlement.toBuild).toBeUndefined();
    const target = settledTarget(declared, reflected, settlement, undefined);
    expect(compareSchemas(reflected, target).differences).toEqual([]);
  });

  it('leaves to the scratch database what it cannot predict, and never settles a real difference', async () => {
    const { declared, reflected } = await live([
      table('prices', { amount: numeric(10, 2).check(sql`amount > 0`) }),
      table('users', { email: text().notNull() }),
    ]);
    // PostgreSQL prints the check `amount > 0::numeric`: not predicted, so built.
    const changed = declaredModel(
      [table('prices', { amount: numeric(10, 2).check(sql`amount > 0`) }), table('users', { email: text() })],
      { renderer: postgresRenderer },
    ).model;
    const settlement = settle(changed, reflected);
    expect([...settlement.settledTables.keys()]).toEqual([]);
    expect(settlement.toBuild?.tables.map((t) => t.name)).toEqual(['prices', 'users']);
    expect(settle(declared, reflected).toBuild?.tables.map((t) => t.name)).toEqual(['prices']);
  });

  it('predicts the casts PostgreSQL adds to literal defaults', () => {
    expect(predictedDefaults("'a'", 'character varying(10)')).toEqual(["'a'::character varying"]);
    expect(predictedDefaults("'a'", 'character(3)')).toEqual(["'a'::bpchar"]);
    expect(predictedDefaults('-1', 'integer')).toEqual(["'-1'::integer"]);
    expect(predictedDefaults('TRUE', 'boolean')).toEqual(['true']);
    expect(predictedDefaults('now()', 'timestamp with time zone')).toEqual([]);
  });
});
