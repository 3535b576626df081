import { expect, it } from 'vitest';
import { type Comparison, compareSchemas, type Renames } from '../../src/autogenerate/compare.js';
import { operationBuilders as op } from '../../src/operations/builders.js';
import { describePairs, type OpenPair, reflect, roundTrip, run } from './postgres-pair.js';

const RICH = `
CREATE SCHEMA shop;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_int_check CHECK (VALUE > 0);
CREATE SEQUENCE invoice_numbers AS integer START 1000 INCREMENT 10;
CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(255) NOT NULL UNIQUE,
  name text,
  mood mood DEFAULT 'ok',
  score positive_int,
  created_at timestamptz NOT NULL DEFAULT now(),
  email_lower text GENERATED ALWAYS AS (lower(email)) STORED
);
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'login';
CREATE INDEX users_lower_email_idx ON users (lower(email));
CREATE INDEX users_name_idx ON users (name DESC NULLS LAST) WHERE name IS NOT NULL;
CREATE INDEX users_created_idx ON users (created_at);
CREATE TABLE shop.orders (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  amount numeric(10,2) NOT NULL CHECK (amount > 0),
  tags text[] NOT NULL DEFAULT '{}',
  UNIQUE (user_id, amount)
);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.created_at := now(); RETURN NEW; END$$;
CREATE FUNCTION order_count(u integer) RETURNS bigint LANGUAGE sql STABLE AS $$SELECT count(*) FROM shop.orders WHERE user_id = u$$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW active_users AS SELECT id, email FROM users WHERE name IS NOT NULL;
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(amount) AS total FROM shop.orders GROUP BY user_id;
CREATE INDEX order_totals_user_idx ON order_totals (user_id);
`;

const CHANGED = `
CREATE SCHEMA shop;
CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok', 'happy', 'great');
CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 2 CONSTRAINT positive_int_check CHECK (VALUE > 0);
CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  full_name text,
  mood mood DEFAULT 'great',
  created_at timestamptz DEFAULT CURRENT_TIMESTAMP,
  email_lower text GENERATED ALWAYS AS (upper(email)) STORED,
  nickname varchar(40)
);
COMMENT ON COLUMN users.email IS 'sign-in';
CREATE INDEX users_email_lower_idx ON users (lower(email));
CREATE INDEX users_name_idx ON users (full_name) WHERE full_name IS NOT NULL;
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE TABLE shop.orders (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE SET NULL,
  amount numeric(12,2) NOT NULL CHECK (amount >= 0),
  tags text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE shop.items (id bigint PRIMARY KEY, order_id integer REFERENCES shop.orders (id));
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.created_at := clock_timestamp(); RETURN NEW; END$$;
CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW active_users AS SELECT id, email, full_name FROM users WHERE full_name IS NOT NULL;
`;

const RENAMES: Renames = { columns: [{ schema: 'public', table: 'users', from: 'name', to: 'full_name' }] };

function scenarios(open: OpenPair) {
  it('builds a rich schema from nothing and takes it away again', async () => {
    const { a, b, close } = await open();
    try {
      const { up, down } = await roundTrip(a, b, '', RICH);
      expect(up.differences.filter((d) => d.sign === '+').map((d) => `${d.object} ${d.name}`)).toEqual(
        expect.arrayContaining([
          'schema shop',
          'enum public.mood',
          'domain public.positive_int',
          'table public.users',
          'table shop.orders',
          'function public.touch()',
          'trigger public.users.users_touch',
          'view public.active_users',
          'materialized view public.order_totals',
        ]),
      );
      expect(down.differences.every((d) => d.sign === '-')).toBe(true);
      expect(down.differences.filter((d) => d.destructive).map((d) => d.name)).toEqual(
        expect.arrayContaining(['public.users', 'shop.orders']),
      );
    } finally {
      await close();
    }
  });

  it('changes columns, constraints, indexes, enums, domains, views, functions and triggers', async () => {
    const { a, b, close } = await open();
    try {
      const { up } = await roundTrip(a, b, RICH, CHANGED, RENAMES);
      const lines = up.differences.map(
        (d) => `${d.sign} ${d.object} ${d.name}${d.detail ? `: ${d.detail}` : ''}`,
      );
      expect(lines).toEqual(
        expect.arrayContaining([
          "~ enum public.mood: add value 'meh'",
          "~ enum public.mood: add value 'great'",
          '> column public.users.name: renamed to full_name',
          '~ column public.users.email: type character varying(255) -> text, comment',
          '- column public.users.score',
          '+ column public.users.nickname',
          '> index public.users.users_created_idx: renamed to users_created_at_idx',
          '~ index public.users.users_name_idx',
          '~ column public.users.email_lower: generated expression',
          '~ foreign key shop.orders.orders_user_id_fkey',
          '- materialized view public.order_totals',
          '~ view public.active_users: definition',
          '~ trigger public.users.users_touch: definition',
          '- function public.order_count(u integer)',
          '+ table shop.items',
          '- unique constraint shop.orders.orders_user_id_amount_key',
        ]),
      );
      expect(up.differences.find((d) => d.name === 'public.users.score')?.destructive).toBe(true);
    } finally {
      await close();
    }
  });

  it('makes a column an identity and a plain column again with alterColumn, which reverses', async () => {
    const { a, b, close } = await open();
    try {
      const ddl = (identity: string) =>
        `CREATE TABLE tickets (id integer ${identity} NOT NULL PRIMARY KEY, note text DEFAULT 'x');`;
      await a.exec(`${ddl('')} INSERT INTO tickets (id, note) VALUES (1, 'one');`);
      const { up, down } = await roundTrip(a, b, '', ddl('GENERATED ALWAYS AS IDENTITY (START WITH 10)'));
      expect(up.operations).toEqual([
        op.alterColumn('tickets', 'id', {
          identity: { generated: 'always', start: 10 },
          existingIdentity: null,
        }),
      ]);
      expect(down.operations).toEqual([
        op.alterColumn('tickets', 'id', {
          identity: null,
          existingIdentity: { generated: 'always', start: 10 },
        }),
      ]);
    } finally {
      await close();
    }
  });

  it('moves a partition to other bounds and makes a table unlogged in place, keeping their rows', async () => {
    const { a, b, close } = await open();
    try {
      const ddl = (bound: string, unlogged: string) => `
        CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
        CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO (${bound});
        CREATE TABLE events_old (id bigint NOT NULL, at date NOT NULL);
        CREATE ${unlogged} TABLE scratch (note text);`;
      await a.exec(
        `${ddl("'2026-07-01'", '')} INSERT INTO events VALUES (1, '2026-02-01'), (2, '2026-03-01');`,
      );
      const { up } = await roundTrip(a, b, '', ddl("'2027-01-01'", 'UNLOGGED'));
      expect(up.differences.map((d) => `${d.sign} ${d.name} ${d.detail ?? ''}`.trim())).toEqual([
        '~ public.events_2026 partition bounds',
        '~ public.scratch unlogged',
      ]);
      expect(up.notes).toEqual([]);
      // The downgrade ran too (roundTrip): the rows stayed where they were through both.
      const { rows } = await a.connection.query('SELECT id::int AS id FROM events_2026 ORDER BY 1');
      expect(rows).toEqual([{ id: 1 }, { id: 2 }]);

      // A table that becomes a partition is a note, and nothing is written for it (its columns are not dropped).
      await b.exec(
        "ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
      );
      const attach = compareSchemas(await reflect(a), await reflect(b));
      expect(attach.operations.filter((o) => JSON.stringify(o).includes('events_old'))).toEqual([]);
      expect(attach.notes).toEqual([expect.stringContaining('public.events_old becomes a partition')]);
    } finally {
      await close();
    }
  });

  it('alters an identity sequence in place, so its numbering goes on', async () => {
    const { a, b, close } = await open();
    try {
      const ddl = (options: string) =>
        `CREATE TABLE tickets (id integer GENERATED BY DEFAULT AS IDENTITY${options} PRIMARY KEY, note text);`;
      await a.exec(`${ddl('')} INSERT INTO tickets (note) VALUES ('one'), ('two');`);
      const { up, down } = await roundTrip(
        a,
        b,
        '',
        ddl(' (START WITH 100 INCREMENT BY 5 MAXVALUE 100000 CYCLE)'),
      );
      expect(up.operations).toEqual([
        op.execute(
          'ALTER TABLE "public"."tickets" ALTER COLUMN "id" SET GENERATED BY DEFAULT SET INCREMENT BY 5 ' +
            'SET MINVALUE 1 SET MAXVALUE 100000 SET START WITH 100 SET CACHE 1 SET CYCLE',
        ),
      ]);
      expect(down.operations).toHaveLength(1);
      await run(a, up);
      // Not restarted: the next id follows the last one (2), by the new increment.
      await a.exec("INSERT INTO tickets (note) VALUES ('three')");
      const { rows } = await a.connection.query("SELECT id FROM tickets WHERE note = 'three'");
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await close();
    }
  });

  it('makes a check NO INHERIT, sets a function parameter, disables a trigger, keeps a view trigger', async () => {
    const { a, b, close } = await open();
    try {
      const ddl = (variant: { noInherit: string; set: string; disable: string; view: string }) => `
        CREATE TABLE t (id int PRIMARY KEY, n int, CONSTRAINT t_n_positive CHECK (n > 0)${variant.noInherit});
        CREATE FUNCTION secure() RETURNS void LANGUAGE plpgsql SECURITY DEFINER${variant.set} AS $$ BEGIN END $$;
        CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
        CREATE VIEW v AS SELECT ${variant.view} FROM t;
        CREATE TRIGGER v_insert INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION noop();
        CREATE TRIGGER t_off AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION noop();
        ${variant.disable}`;
      const { up, down } = await roundTrip(
        a,
        b,
        ddl({ noInherit: '', set: '', disable: '', view: 'id' }),
        ddl({
          noInherit: ' NO INHERIT',
          set: ' SET search_path = public, pg_temp',
          disable: 'ALTER TABLE t DISABLE TRIGGER t_off;',
          view: 'id, n',
        }),
      );
      const lines = (c: Comparison) =>
        c.differences.map((d) => `${d.sign} ${d.object} ${d.name} ${d.detail ?? ''}`);
      // The view is created again with its query, and its trigger with it: not a difference of the trigger's own.
      expect(lines(up).sort()).toEqual([
        '~ check constraint public.t.t_n_positive ',
        '~ function public.secure() definition',
        '~ trigger public.t.t_off enabled',
        '~ view public.v definition',
      ]);
      expect(up.operations).toEqual(
        expect.arrayContaining([op.execute('ALTER TABLE "public"."t" DISABLE TRIGGER "t_off"')]),
      );
      expect(up.operations).not.toContainEqual(op.dropTrigger('t_off', 't'));
      expect(down.operations).toEqual(
        expect.arrayContaining([op.execute('ALTER TABLE "public"."t" ENABLE TRIGGER "t_off"')]),
      );
      // roundTrip compared both ends; the view's trigger is there after each.
      const { rows } = await a.connection.query(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'v'::regclass",
      );
      expect(rows).toEqual([{ tgname: 'v_insert' }]);
    } finally {
      await close();
    }
  });

  it('finds nothing to do between equal schemas', async () => {
    const { a, b, close } = await open();
    try {
      await a.exec(RICH);
      await b.exec(RICH);
      const comparison = compareSchemas(await reflect(a), await reflect(b));
      expect(comparison.differences).toEqual([]);
      expect(comparison.operations).toEqual([]);
    } finally {
      await close();
    }
  });
}

describePairs('comparing schemas', 'ambix_compare', scenarios);
