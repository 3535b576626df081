/**
 * Two PostgreSQL databases side by side, `a` and `b`, built with DDL and compared: the harness of the comparison
 * tests that run on PGlite and on the PostgreSQL server alike.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect } from 'vitest';
import { type Comparison, compareSchemas, type Renames } from '../../src/autogenerate/compare.js';
import { invertRenames } from '../../src/autogenerate/renames.js';
import type { Connection } from '../../src/dialects/dialect.js';
import { fromPGlite } from '../../src/dialects/pglite/driver.js';
import { connectPostgres } from '../../src/dialects/postgres/driver.js';
import { postgresIntrospector } from '../../src/dialects/postgres/introspect.js';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import type { SchemaModel } from '../../src/schema/model.js';
import { admin, describePostgres, urlForDatabase } from '../dialects/helpers/postgres.js';
import { withoutAutocommitMarkers } from './support.js';

export interface Side {
  readonly connection: Connection;
  exec(sql: string): Promise<void>;
}

export type OpenPair = () => Promise<{ a: Side; b: Side; close(): Promise<void> }>;

export async function reflect(side: Side): Promise<SchemaModel> {
  return postgresIntrospector.introspect(side.connection);
}

/** A comparison's operations run on `side`, statement by statement. */
export async function run(side: Side, comparison: Comparison): Promise<void> {
  // These connections are not in a transaction: the autocommit markers (COMMIT, BEGIN) have nothing to do.
  for (const operation of withoutAutocommitMarkers(comparison.operations)) {
    for (const statement of postgresRenderer.render(operation)) {
      await side.connection.query(statement.sql, statement.params);
    }
  }
}

/** Upgrades `a` to `b`'s schema and back, checking each direction leaves nothing to compare. */
export async function roundTrip(a: Side, b: Side, ddlA: string, ddlB: string, renames: Renames = {}) {
  if (ddlA !== '') await a.exec(ddlA);
  if (ddlB !== '') await b.exec(ddlB);
  const before = await reflect(a);
  const target = await reflect(b);
  const up = compareSchemas(before, target, renames);
  await run(a, up);
  expect(compareSchemas(await reflect(a), target).differences).toEqual([]);
  const down = compareSchemas(target, before, invertRenames(renames));
  await run(a, down);
  expect(compareSchemas(await reflect(a), before).differences).toEqual([]);
  return { up, down };
}

/**
 * `tests` run twice: on pairs of PGlite databases, and on pairs of databases made on the PostgreSQL server (named
 * after `prefix`, dropped after each test).
 */
export function describePairs(title: string, prefix: string, tests: (open: OpenPair) => void): void {
  describe(`${title} on PGlite`, () => {
    const opened: PGlite[] = [];
    afterAll(async () => {
      for (const db of opened) await db.close();
    });
    const side = (db: PGlite): Side => ({
      connection: fromPGlite(db),
      exec: async (sql) => void (await db.exec(sql)),
    });
    tests(async () => {
      const a = new PGlite();
      const b = new PGlite();
      opened.push(a, b);
      return { a: side(a), b: side(b), close: async () => {} };
    });
  });

  describePostgres(`${title} on the PostgreSQL server`, () => {
    let counter = 0;
    tests(async () => {
      const names = [0, 1].map((i) => `${prefix}_${process.pid}_${counter}_${i}`);
      counter++;
      const sides: Side[] = [];
      const connections: Connection[] = [];
      for (const name of names) {
        await admin(`CREATE DATABASE "${name}"`);
        const connection = await connectPostgres(urlForDatabase(name));
        connections.push(connection);
        sides.push({ connection, exec: async (sql) => void (await connection.query(sql)) });
      }
      return {
        a: sides[0]!,
        b: sides[1]!,
        close: async () => {
          for (const connection of connections) await connection.close();
          for (const name of names) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        },
      };
    });
  });
}
