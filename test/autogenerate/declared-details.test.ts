/**
 * Details of PostgreSQL objects the schema module declares: a `NO INHERIT` check, a function's configuration
 * parameters (`SET search_path`), a trigger on a view and a disabled trigger. Each is created by the initial
 * migration, changed by the next one (upgrade, `check` clean), and undone by its downgrade (`check` clean against
 * the first schema). PGlite and the PostgreSQL server.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autogenerateRevision } from '../../src/commands/autogenerate-revision.js';
import { check } from '../../src/commands/check.js';
import { downgrade } from '../../src/commands/downgrade.js';
import { upgrade } from '../../src/commands/upgrade.js';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import { declaredModel } from '../../src/schema/dsl/to-model.js';
import { check as checkConstraint, fn, integer, sql, table, trigger, view } from '../../src/schema/index.js';
import { describeEachDatabase, type TestDb, testProject } from '../runtime/support.js';

const SLOW = 120_000;

function lines(differences: readonly { sign: string; object: string; name: string; detail?: string }[]) {
  return differences.map((d) => `${d.sign} ${d.object} ${d.name}${d.detail ? `: ${d.detail}` : ''}`);
}

interface Variant {
  /** The check's options. */
  readonly check: string;
  /** The function's `set`, or nothing. */
  readonly set: string;
  /** The table trigger's `enabled`, or nothing. */
  readonly enabled: string;
  /** The view's columns. */
  readonly view: string;
}

const SCHEMA = (variant: Variant) => `
import { check, fn, integer, sql, table, trigger, view } from 'ambix/schema';

export const t = table('t', { id: integer().primaryKey(), n: integer() }, () => [
  check('t_n_positive', sql\`n > 0\`${variant.check}),
]);

export const v = view('v', sql\`SELECT ${variant.view} FROM t\`);

export const secure = fn('secure', {
  returns: 'void',
  language: 'plpgsql',
  securityDefiner: true,${variant.set}
  body: 'BEGIN END',
});

export const noop = fn('noop', { returns: 'trigger', language: 'plpgsql', body: 'BEGIN RETURN NULL; END' });

export const vInsert = trigger('v_insert', {
  table: () => v,
  timing: 'instead of',
  events: ['insert'],
  forEach: 'row',
  function: () => noop,
});

export const tOff = trigger('t_off', {
  table: () => t,
  timing: 'after',
  events: ['insert'],
  forEach: 'row',
  function: () => noop,${variant.enabled}
});
`;

const V1: Variant = { check: '', set: '', enabled: '', view: 'id' };
const V2: Variant = {
  check: ', { noInherit: true }',
  set: "\n  set: { search_path: ['public', 'pg_temp'] },",
  enabled: '\n  enabled: false,',
  view: 'id, n',
};

async function state(db: TestDb) {
  const rows = await db.query(
    `SELECT (SELECT connoinherit FROM pg_constraint WHERE conname = 't_n_positive') AS "noInherit",
            (SELECT proconfig::text FROM pg_proc WHERE proname = 'secure') AS config,
            (SELECT tgenabled::text FROM pg_trigger WHERE tgname = 't_off') AS "tOff",
            (SELECT count(*)::int FROM pg_trigger WHERE tgname = 'v_insert' AND tgrelid = 'v'::regclass) AS "vInsert"`,
  );
  return rows[0];
}

describeEachDatabase(
  'autogenerate: NO INHERIT, function settings, view and disabled triggers',
  import.meta.filename,
  (db) => {
    it(
      'creates, changes and undoes them, each migration leaving nothing for check',
      async () => {
        const p = testProject();
        p.write('src/schema.ts', SCHEMA(V1));
        const config = await p.config({ ...db.settings(), schema: './src/schema.ts' });

        // Declared disabled from the start: created, then disabled.
        p.write('src/schema.ts', SCHEMA({ ...V1, enabled: V2.enabled }));
        const first = await autogenerateRevision({ config, message: 'initial', ...db.options() });
        expect(lines(first.differences)).toEqual(
          expect.arrayContaining(['+ trigger public.v.v_insert', '+ trigger public.t.t_off']),
        );
        expect(readFileSync(first.created!.path, 'utf8')).toContain(
          `await op.execute('ALTER TABLE "public"."t" DISABLE TRIGGER "t_off"');`,
        );
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(await state(db)).toEqual({ noInherit: false, config: null, tOff: 'D', vInsert: 1 });

        // Enabled: only an ALTER TABLE … ENABLE TRIGGER.
        p.write('src/schema.ts', SCHEMA(V1));
        const enable = await autogenerateRevision({ config, message: 'enable', ...db.options() });
        expect(lines(enable.differences)).toEqual(['~ trigger public.t.t_off: enabled']);
        const enableText = readFileSync(enable.created!.path, 'utf8');
        expect(enableText).toContain(`await op.execute('ALTER TABLE "public"."t" ENABLE TRIGGER "t_off"');`);
        expect(enableText).not.toContain('dropTrigger');
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(await state(db)).toMatchObject({ tOff: 'O' });

        // All four change at once; the view is created again, and its trigger with it.
        p.write('src/schema.ts', SCHEMA(V2));
        const second = await autogenerateRevision({ config, message: 'details', ...db.options() });
        expect(lines(second.differences).sort()).toEqual([
          '~ check constraint public.t.t_n_positive',
          '~ function public.secure(): definition',
          '~ trigger public.t.t_off: enabled',
          '~ view public.v: definition',
        ]);
        const text = readFileSync(second.created!.path, 'utf8');
        expect(text).toContain("SET search_path = 'public', 'pg_temp'");
        expect(text).toContain('noInherit: true');
        await upgrade(config, 'head', db.options());
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(await state(db)).toEqual({
          noInherit: true,
          config: '{"search_path=public, pg_temp"}',
          tOff: 'D',
          vInsert: 1,
        });

        await downgrade(config, '-1', db.options());
        p.write('src/schema.ts', SCHEMA(V1));
        expect((await check(config, db.options())).differences).toEqual([]);
        expect(await state(db)).toEqual({ noInherit: false, config: null, tOff: 'O', vInsert: 1 });
      },
      SLOW,
    );
  },
);

describe('declaring them', () => {
  const t = table(
    't',
    { id: integer().primaryKey(), n: integer().check(sql`n > 0`, { noInherit: true }) },
    () => [
      checkConstraint(sql`id > 0`, { noInherit: true }),
      checkConstraint('t_named', sql`n < 10`, { noInherit: true }),
      checkConstraint('t_inherited', sql`n < 100`),
    ],
  );
  const v = view('v', sql`SELECT id FROM t`);
  const noop = fn('noop', { returns: 'trigger', language: 'plpgsql', body: 'BEGIN RETURN NULL; END' });

  it('carries NO INHERIT, settings and enabled into the model', () => {
    const secure = fn('secure', {
      returns: 'void',
      language: 'plpgsql',
      body: 'BEGIN END',
      set: { search_path: 'public', work_mem: '64MB' },
    });
    const off = trigger('t_off', {
      table: () => t,
      timing: 'after',
      events: ['insert'],
      forEach: 'row',
      function: () => noop,
      enabled: false,
    });
    const { model } = declaredModel([t, v, noop, secure, off], { renderer: postgresRenderer });
    expect(model.tables[0]!.checks.map((c) => [c.name, c.noInherit ?? false])).toEqual([
      ['t_id_check', true],
      ['t_inherited', false],
      ['t_n_check', true],
      ['t_named', true],
    ]);
    expect(model.functions.find((f) => f.name === 'secure')!.definition).toContain(
      "\n SET search_path = 'public'\n SET work_mem = '64MB'\nAS $$BEGIN END$$",
    );
    expect(model.triggers).toMatchObject([{ table: 't', name: 't_off', enabled: false }]);
  });

  it('refuses a setting that is not a name, or without a value', () => {
    for (const set of [{ 'search_path; DROP': 'x' }, { search_path: [] }, { work_mem: 64 }]) {
      const bad = fn('bad', { returns: 'void', language: 'plpgsql', body: 'BEGIN END', set: set as never });
      expect(() => declaredModel([bad], { renderer: postgresRenderer })).toThrow(/definition\.set/);
    }
  });

  it('refuses a disabled trigger on a view, which PostgreSQL cannot disable', () => {
    const onView = trigger('v_insert', {
      table: () => v,
      timing: 'instead of',
      events: ['insert'],
      forEach: 'row',
      function: () => noop,
      enabled: false,
    });
    expect(() => declaredModel([t, v, noop, onView], { renderer: postgresRenderer })).toThrow(
      /v_insert on the view public\.v is declared enabled: false/,
    );
  });
});
