/**
 * The example projects under examples/, run as their READMEs describe: upgrade to head, check the schema through
 * the catalog and the behaviour it promises (cascades, triggers, backfilled data), downgrade to base, check that
 * nothing is left, upgrade again. codorch's TypeScript migrations are portable and run on PGlite, the PostgreSQL
 * server, SQLite and MariaDB; course-platform, scoping-sessions and user-status are PostgreSQL's and run on
 * PGlite and the server.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { type DatabaseKind, downgrade, resolveConfig, upgrade } from '../../src/index.js';
import { parseSqlMigration } from '../../src/scripts/sql-migration.js';
import { describeMysql } from '../dialects/helpers/mysql.js';
import { describePostgres } from '../dialects/helpers/postgres.js';
import { tempProject } from '../helpers/temp-project.js';
import {
  type Ambix,
  ambixFor,
  type Backend,
  backendSelected,
  columns,
  count,
  type ExampleBackend,
  type ExampleDatabase,
  exampleDir,
  extensions,
  foreignKeys,
  functions,
  indexDefinition,
  indexes,
  mariadbBackend,
  pgliteBackend,
  postgresBackend,
  schemaSnapshot,
  sqliteBackend,
  tables,
  triggers,
} from './support.js';

const SLOW = 180_000;

/** One backend for the suites in a `describe`: made once, and a fresh database from it per example. */
interface BackendContext<B extends ExampleBackend> {
  readonly backend: () => B;
  /** A fresh database for one example's tests, closed (or dropped) after them. */
  useDatabase(example: string, label?: string): { db: ExampleDatabase; ambix: Ambix };
}

function onBackend<B extends ExampleBackend>(makeBackend: () => Promise<B> | B): BackendContext<B> {
  let made: B | undefined;
  beforeAll(async () => {
    made = await makeBackend();
  });
  const backend = (): B => {
    if (made === undefined) throw new Error('the backend is not made yet');
    return made;
  };
  return {
    backend,
    useDatabase(example, label = example) {
      const holder = {} as { db: ExampleDatabase; ambix: Ambix };
      beforeAll(async () => {
        holder.db = await backend().open(label);
        holder.ambix = ambixFor(example, holder.db);
      }, SLOW);
      afterAll(async () => {
        await holder.db?.close();
      });
      return holder;
    },
  };
}

async function expectEmpty(db: ExampleDatabase, ambix: Ambix): Promise<void> {
  expect(await tables(db, true)).toEqual(['ambix_history', 'ambix_version']);
  expect(await ambix.current()).toEqual([]);
  expect(await functions(db)).toEqual([]);
  expect(await triggers(db)).toEqual([]);
  expect(await extensions(db)).toEqual([]);
}

/** What each database makes of codorch's types and defaults, as `columns()` reads them back. */
const CODORCH_COLUMNS: Record<
  DatabaseKind,
  {
    readonly uuid: string;
    readonly json: string;
    readonly bytes: string;
    readonly varchar50: string;
    readonly double: string;
    readonly timestamp: string;
    readonly draft: string;
    readonly now: string;
    readonly true: string;
  }
> = {
  postgresql: {
    uuid: 'uuid',
    json: 'json',
    bytes: 'bytea',
    varchar50: 'character varying(50)',
    double: 'double precision',
    timestamp: 'timestamp without time zone',
    draft: "'draft'::character varying",
    now: 'CURRENT_TIMESTAMP',
    true: 'true',
  },
  // SQLite keeps each column's type as CREATE TABLE declared it (the name only gives it an affinity), and stores
  // booleans as 1 and 0.
  sqlite: {
    uuid: 'uuid',
    json: 'json',
    bytes: 'bytea',
    varchar50: 'varchar(50)',
    double: 'double precision',
    timestamp: 'timestamp without time zone',
    draft: "'draft'",
    now: 'CURRENT_TIMESTAMP',
    true: '1',
  },
  // MariaDB has a uuid type of its own; its json is longtext with a json_valid() check. ambix writes bytea as
  // longblob and timestamp without time zone as datetime; MariaDB reads boolean as tinyint(1) and double precision
  // as double.
  mysql: {
    uuid: 'uuid',
    json: 'longtext',
    bytes: 'longblob',
    varchar50: 'varchar(50)',
    double: 'double',
    timestamp: 'datetime',
    draft: "'draft'",
    now: 'current_timestamp()',
    true: '1',
  },
};

/**
 * The two indexes the follow-up revision writes for each database, as `indexDefinition()` prints them: a ranking
 * by score with unscored opportunities last, and the approved opportunities. SQLite and MySQL sort NULL last in
 * a descending index without being told; MySQL has no partial indexes and indexes every row.
 */
const CODORCH_INDEXES: Record<DatabaseKind, { readonly ranking: RegExp; readonly approved: RegExp }> = {
  postgresql: {
    ranking: /ON public\.opportunities USING btree \(project_id, score DESC NULLS LAST\)$/,
    approved: /ON public\.opportunities USING btree \(approved_by\) WHERE \(approved_by IS NOT NULL\)$/,
  },
  sqlite: {
    ranking: /ON "opportunities" \("project_id", "score" DESC\)$/,
    approved: /ON "opportunities" \("approved_by"\) WHERE approved_by IS NOT NULL$/,
  },
  mysql: {
    ranking: /^KEY `ix_opportunities_project_id_score` \(`project_id`,`score` DESC\)$/,
    approved: /^KEY `ix_opportunities_approved_by` \(`approved_by`\)$/,
  },
};

/** codorch's TypeScript migrations, on any of the four databases. */
function codorchSuite({ useDatabase }: BackendContext<ExampleBackend>): void {
  describe('codorch', () => {
    const example = useDatabase('codorch');
    const uuid = () => crypto.randomUUID();

    it(
      'upgrades to head: five tables, every foreign key with its ON DELETE rule, and the follow-up indexes',
      async () => {
        const { db, ambix } = example;
        const result = await ambix.upgrade('head');
        expect(result.steps.map((step) => step.revision)).toEqual(['e6006195c986', '7c2d9e41b5a0']);
        expect(await ambix.current()).toEqual(['7c2d9e41b5a0']);
        expect(await tables(db)).toEqual(['goals', 'opportunities', 'projects', 'tree_nodes', 'users']);
        expect(await foreignKeys(db)).toEqual([
          'goals.parent_goal_id -> goals: CASCADE',
          'goals.project_id -> projects: CASCADE',
          'goals.tree_node_id -> tree_nodes: SET NULL',
          'opportunities.approved_by -> users: NO ACTION',
          'opportunities.goal_id -> goals: SET NULL',
          'opportunities.project_id -> projects: CASCADE',
          'opportunities.tree_node_id -> tree_nodes: SET NULL',
          'projects.created_by -> users: CASCADE',
          'tree_nodes.parent_id -> tree_nodes: CASCADE',
          'tree_nodes.project_id -> projects: CASCADE',
        ]);
        const expected = CODORCH_COLUMNS[db.kind];
        const nodes = await columns(db, 'tree_nodes');
        expect(nodes.id).toMatchObject({ type: expected.uuid, nullable: false });
        expect(nodes.content?.type).toBe(expected.json);
        expect(nodes.metadata?.type).toBe(expected.json);
        expect(nodes.embedding?.type).toBe(expected.bytes);
        expect(nodes.node_type).toMatchObject({ type: expected.varchar50, nullable: false });
        const goals = await columns(db, 'goals');
        expect(goals.overall_smart_score?.type).toBe(expected.double);
        expect(goals.status?.default).toBe(expected.draft);
        expect(goals.created_at).toMatchObject({ type: expected.timestamp, default: expected.now });
        expect((await columns(db, 'users')).is_active?.default).toBe(expected.true);
        expect((await indexes(db)).filter((name) => name.startsWith('ix_'))).toEqual([
          'ix_goals_parent_goal_id',
          'ix_goals_project_id_status',
          'ix_goals_tree_node_id',
          'ix_opportunities_approved_by',
          'ix_opportunities_goal_id',
          'ix_opportunities_project_id_score',
          'ix_opportunities_tree_node_id',
          'ix_projects_created_by',
          'ix_tree_nodes_parent_id',
          'ix_tree_nodes_project_id',
        ]);
        const { ranking, approved } = CODORCH_INDEXES[db.kind];
        expect(await indexDefinition(db, 'opportunities', 'ix_opportunities_project_id_score')).toMatch(
          ranking,
        );
        expect(await indexDefinition(db, 'opportunities', 'ix_opportunities_approved_by')).toMatch(approved);
      },
      SLOW,
    );

    it(
      'deletes and nulls out rows as the foreign keys say',
      async () => {
        const { db } = example;
        const [owner, approver, project, root, child, goal, subgoal, opportunity] = Array.from(
          { length: 8 },
          uuid,
        );
        await db.query(
          "INSERT INTO users (id, email, hashed_password) VALUES ($1, 'owner@example.com', 'x'), ($2, 'approver@example.com', 'x')",
          [owner, approver],
        );
        await expect(
          db.query("INSERT INTO users (id, email, hashed_password) VALUES ($1, 'owner@example.com', 'x')", [
            uuid(),
          ]),
        ).rejects.toThrow(/unique|duplicate/i);
        await db.query("INSERT INTO projects (id, name, created_by) VALUES ($1, 'Codorch', $2)", [
          project,
          owner,
        ]);
        await db.query(
          `INSERT INTO tree_nodes (id, project_id, parent_id, node_type, content, embedding)
           VALUES ($1, $3, NULL, 'root', '{"idea": "orchestrate"}', $4), ($2, $3, $1, 'child', '[]', NULL)`,
          [root, child, project, Buffer.from([1, 2])],
        );
        const [node] = await db.query<{ embedding: Uint8Array }>(
          'SELECT embedding FROM tree_nodes WHERE id = $1',
          [root],
        );
        expect([...node!.embedding]).toEqual([1, 2]);
        await db.query(
          `INSERT INTO goals (id, project_id, tree_node_id, parent_goal_id, title, metrics)
           VALUES ($1, $3, $4, NULL, 'Ship it', '{"kpi": 1}'), ($2, $3, NULL, $1, 'Write the docs', NULL)`,
          [goal, subgoal, project, child],
        );
        await db.query(
          `INSERT INTO opportunities (id, project_id, tree_node_id, goal_id, title, score, approved_by)
           VALUES ($1, $2, $3, $4, 'A plugin market', 8.5, $5)`,
          [opportunity, project, root, subgoal, approver],
        );

        // The root's subtree goes with it; the goal and the opportunity drawn from those nodes stay, unlinked.
        await db.query('DELETE FROM tree_nodes WHERE id = $1', [root]);
        expect(await db.query('SELECT id FROM tree_nodes')).toEqual([]);
        expect(await db.query('SELECT tree_node_id FROM goals WHERE id = $1', [goal])).toEqual([
          { tree_node_id: null },
        ]);
        expect(await db.query('SELECT tree_node_id FROM opportunities')).toEqual([{ tree_node_id: null }]);

        // Sub-goals go with their goal; the opportunity loses its goal.
        await db.query('DELETE FROM goals WHERE id = $1', [goal]);
        expect(await db.query('SELECT id FROM goals')).toEqual([]);
        expect(await db.query('SELECT goal_id FROM opportunities')).toEqual([{ goal_id: null }]);

        // A user who approved an opportunity cannot be deleted (no ON DELETE rule; SQLite names no constraint)…
        await expect(db.query('DELETE FROM users WHERE id = $1', [approver])).rejects.toThrow(
          db.kind === 'sqlite' ? /FOREIGN KEY constraint failed/ : /opportunities_approved_by_fkey/,
        );
        // …but deleting the owner deletes the project, and the project its opportunities.
        await db.query('DELETE FROM users WHERE id = $1', [owner]);
        expect(await count(db, 'projects')).toBe(0);
        expect(await count(db, 'opportunities')).toBe(0);
        await db.query('DELETE FROM users');
      },
      SLOW,
    );

    it(
      'downgrades one step (the indexes go, the tables stay as the first revision made them), then to base, then upgrades again',
      async () => {
        const { db, ambix } = example;
        await ambix.downgrade('-1');
        expect(await ambix.current()).toEqual(['e6006195c986']);
        expect((await indexes(db)).filter((name) => name.startsWith('ix_'))).toEqual([]);
        expect(await tables(db)).toHaveLength(5);
        const oneStepDown = await schemaSnapshot(db);

        const down = await ambix.downgrade('base');
        expect(down.steps.map((step) => step.revision)).toEqual(['e6006195c986']);
        await expectEmpty(db, ambix);

        await ambix.upgrade('e6006195c986');
        expect(await schemaSnapshot(db)).toEqual(oneStepDown);
        await ambix.upgrade('head');
        expect(await ambix.current()).toEqual(['7c2d9e41b5a0']);
        expect(await tables(db)).toHaveLength(5);
        expect(await foreignKeys(db)).toHaveLength(10);
      },
      SLOW,
    );
  });
}

/**
 * The examples written for PostgreSQL, which run on PGlite and the PostgreSQL server only: course-platform needs
 * pgvector; scoping-sessions adopts a database built from an init.sql in PostgreSQL's SQL (uuid-ossp, PL/pgSQL
 * functions and triggers); user-status is a data migration in PostgreSQL's SQL (LOCK TABLE, `::text`, `$1`
 * placeholders, IS DISTINCT FROM).
 */
function postgresExampleSuites({ backend, useDatabase }: BackendContext<Backend>): void {
  describe('scoping-sessions', () => {
    const initSql = readFileSync(join(exampleDir('scoping-sessions'), 'init.sql'), 'utf8');
    const adopted = useDatabase('scoping-sessions', 'scoping_adopted');
    const fresh = useDatabase('scoping-sessions', 'scoping_fresh');
    const SEVEN = [
      'checkpoints',
      'consistency_reports',
      'conversation_history',
      'project_charters',
      'quality_metrics',
      'sessions',
      'stage_data',
    ];

    it(
      'adopts a database built from init.sql with stamp, and ends with the schema a fresh upgrade builds',
      async () => {
        // The database as the app created it: `psql -f init.sql`.
        await adopted.db.exec(initSql);
        expect(await tables(adopted.db)).toEqual(SEVEN);

        const stamped = await adopted.ambix.stamp('03033cebb647');
        expect(stamped.steps.map((step) => step.direction)).toEqual(['stamp']);
        expect(await adopted.ambix.current()).toEqual(['03033cebb647']);
        const history = await adopted.db.query<{ revision: string; direction: string }>(
          'SELECT revision, direction FROM ambix_history ORDER BY id',
        );
        expect(history).toEqual([{ revision: '03033cebb647', direction: 'stamp' }]);

        const upgraded = await adopted.ambix.upgrade('head');
        expect(upgraded.steps.map((step) => step.revision)).toEqual([
          '5e8a1d3c9f02',
          'b7c40e2f6a19',
          'd2f9a6c81e35',
        ]);

        // A new database gets there by running the baseline.
        await fresh.ambix.upgrade('head');
        expect(await fresh.ambix.current()).toEqual(['d2f9a6c81e35']);
        expect(await schemaSnapshot(adopted.db)).toEqual(await schemaSnapshot(fresh.db));

        const db = fresh.db;
        expect(await tables(db)).toEqual(SEVEN);
        expect(await extensions(db)).toEqual(['uuid-ossp']);
        expect(await foreignKeys(db)).toEqual(
          SEVEN.filter((table) => table !== 'sessions').map(
            (table) => `${table}.session_id -> sessions: CASCADE`,
          ),
        );
        expect(await triggers(db)).toEqual([
          'sessions.trigger_update_sessions_timestamp',
          'stage_data.trigger_update_stage_data_timestamp',
        ]);
        expect(await functions(db)).toEqual([
          'get_active_sessions_count()',
          'get_session_progress(p_session_id uuid)',
          'mark_abandoned_sessions(p_idle_after interval)',
          'update_sessions_timestamp()',
          'update_stage_data_timestamp()',
        ]);
        const sessions = await columns(db, 'sessions');
        expect(sessions.user_id?.type).toBe('character varying(500)');
        expect(sessions.email).toMatchObject({ type: 'character varying(255)', nullable: true });
        expect(sessions.id?.default).toBe('uuid_generate_v4()');
      },
      SLOW,
    );

    it(
      'keeps the timestamps current with its triggers, answers its helper functions, and cascades',
      async () => {
        const db = fresh.db;
        const [session] = await db.query<{ id: string }>(
          `INSERT INTO sessions (user_id, project_name, current_stage, last_updated_at)
           VALUES ('auth0|42', 'Churn model', 3, now() - interval '2 days') RETURNING id`,
        );
        const id = session!.id;
        expect(await db.query('SELECT get_session_progress($1)::float8 AS p', [id])).toEqual([{ p: 40 }]);
        expect(await db.query('SELECT get_active_sessions_count() AS n')).toEqual([{ n: 1 }]);

        await db.query(
          `INSERT INTO stage_data (session_id, stage_number, field_name, field_value, updated_at)
           VALUES ($1, 1, 'problem', '"churn"', now() - interval '1 day')`,
          [id],
        );
        await db.query(`UPDATE stage_data SET field_value = '"customer churn"' WHERE session_id = $1`, [id]);
        expect(
          await db.query(
            "SELECT updated_at > now() - interval '1 minute' AS fresh FROM stage_data WHERE session_id = $1",
            [id],
          ),
        ).toEqual([{ fresh: true }]);

        // Idle for two days: abandoned with the default 24 hours, and the trigger stamps the change.
        expect(await db.query("SELECT mark_abandoned_sessions(interval '3 days') AS n")).toEqual([{ n: 0 }]);
        expect(await db.query('SELECT mark_abandoned_sessions() AS n')).toEqual([{ n: 1 }]);
        expect(
          await db.query(
            "SELECT status, last_updated_at > now() - interval '1 minute' AS fresh FROM sessions WHERE id = $1",
            [id],
          ),
        ).toEqual([{ status: 'abandoned', fresh: true }]);

        await db.query(
          `INSERT INTO conversation_history (session_id, stage_number, role, content) VALUES ($1, 1, 'user', 'hi')`,
          [id],
        );
        await db.query('DELETE FROM sessions WHERE id = $1', [id]);
        expect(await db.query('SELECT count(*)::int AS n FROM stage_data')).toEqual([{ n: 0 }]);
        expect(await db.query('SELECT count(*)::int AS n FROM conversation_history')).toEqual([{ n: 0 }]);
      },
      SLOW,
    );

    it(
      'downgrades to base, extension and functions included, and upgrades again',
      async () => {
        const { db, ambix } = adopted;
        await ambix.downgrade('-1');
        expect(await functions(db)).toContain('mark_abandoned_sessions()');
        await ambix.downgrade('base');
        await expectEmpty(db, ambix);
        await ambix.upgrade('head');
        expect(await schemaSnapshot(db)).toEqual(await schemaSnapshot(fresh.db));
      },
      SLOW,
    );
  });

  describe('user-status', () => {
    const example = useDatabase('user-status');
    const USERS = 2345;

    it(
      'backfills status from is_active in batches that commit one by one, then makes it NOT NULL',
      async () => {
        const { db, ambix } = example;
        await ambix.upgrade('8f8ecb998390');
        await db.query(
          `INSERT INTO users (username, email, hashed_password, is_active)
           SELECT 'user' || i, 'user' || i || '@example.com', 'x', i % 3 <> 0 FROM generate_series(1, $1::int) AS i`,
          [USERS],
        );
        await ambix.upgrade('head', { batch_size: '500' });
        expect(await ambix.current()).toEqual(['3b9e5d2a7c14']);

        expect(
          await db.query('SELECT status, count(*)::int AS n FROM users GROUP BY status ORDER BY status'),
        ).toEqual([
          { status: 'active', n: USERS - Math.floor(USERS / 3) },
          { status: 'inactive', n: Math.floor(USERS / 3) },
        ]);
        expect(
          await db.query(
            "SELECT count(*)::int AS n FROM users WHERE status <> CASE WHEN is_active THEN 'active' ELSE 'inactive' END",
          ),
        ).toEqual([{ n: 0 }]);
        // Each batch of 500 ids committed on its own: the rows carry the ids of five different transactions.
        expect(await db.query('SELECT count(DISTINCT xmin::text)::int AS n FROM users')).toEqual([{ n: 5 }]);
        expect((await columns(db, 'users')).status).toMatchObject({
          type: 'character varying(20)',
          nullable: false,
        });
        await expect(db.query("UPDATE users SET status = 'gone' WHERE id = 1")).rejects.toThrow(
          /ck_users_status/,
        );
      },
      SLOW,
    );

    it(
      'reverses cleanly: what status says goes back into is_active, then the column goes',
      async () => {
        const { db, ambix } = example;
        await db.query("UPDATE users SET status = 'suspended' WHERE id = 1");
        await ambix.downgrade('-1');
        expect(await ambix.current()).toEqual(['8f8ecb998390']);
        expect(Object.keys(await columns(db, 'users'))).not.toContain('status');
        expect(await db.query('SELECT is_active FROM users WHERE id = 1')).toEqual([{ is_active: false }]);
        expect(await db.query('SELECT count(*)::int AS n FROM users WHERE is_active')).toEqual([
          { n: USERS - Math.floor(USERS / 3) - 1 },
        ]);

        // Upgrading again backfills from is_active as it now is.
        await ambix.upgrade('head', { batch_size: '1000' });
        expect(await db.query('SELECT status FROM users WHERE id = 1')).toEqual([{ status: 'inactive' }]);

        await ambix.downgrade('base');
        await expectEmpty(db, ambix);
        // On an empty table there is nothing to backfill.
        await ambix.upgrade('head');
        expect((await columns(db, 'users')).status?.nullable).toBe(false);
      },
      SLOW,
    );
  });

  describe('course-platform', () => {
    const example = useDatabase('course-platform');
    const NINE = [
      'capstone_submissions',
      'chapter_progress',
      'chapters',
      'chat_messages',
      'embeddings',
      'modules',
      'translations',
      'user_profiles',
      'users',
    ];

    it(
      'creates nine tables with database-made UUID keys, timestamps kept by a trigger, and cascading deletes',
      async () => {
        const { db, ambix } = example;
        // The vector column comes in a revision of its own, checked below: this part needs no pgvector.
        await ambix.upgrade('001_initial_schema');
        expect(await tables(db)).toEqual(NINE);
        for (const table of NINE) {
          const cols = await columns(db, table);
          expect(cols.id, table).toEqual({ type: 'uuid', nullable: false, default: 'gen_random_uuid()' });
          expect(cols.created_at, table).toEqual({
            type: 'timestamp with time zone',
            nullable: false,
            default: 'now()',
          });
          expect(cols.updated_at?.type, table).toBe('timestamp with time zone');
        }
        expect(await foreignKeys(db)).toEqual([
          'capstone_submissions.user_id -> users: CASCADE',
          'chapter_progress.chapter_id -> chapters: CASCADE',
          'chapter_progress.user_id -> users: CASCADE',
          'chapters.module_id -> modules: CASCADE',
          'chat_messages.user_id -> users: CASCADE',
          'embeddings.chapter_id -> chapters: CASCADE',
          'translations.chapter_id -> chapters: CASCADE',
          'user_profiles.user_id -> users: CASCADE',
        ]);
        expect(await triggers(db)).toEqual(NINE.map((table) => `${table}.${table}_set_updated_at`).sort());

        const [user] = await db.query<{ id: string }>(
          "INSERT INTO users (email, hashed_password, updated_at) VALUES ('ada@example.com', 'x', now() - interval '1 day') RETURNING id",
        );
        await db.query("UPDATE users SET full_name = 'Ada' WHERE id = $1", [user!.id]);
        expect(
          await db.query(
            "SELECT updated_at > now() - interval '1 minute' AS fresh FROM users WHERE id = $1",
            [user!.id],
          ),
        ).toEqual([{ fresh: true }]);
        await expect(
          db.query("INSERT INTO users (email, hashed_password, role) VALUES ('x@example.com', 'x', 'root')"),
        ).rejects.toThrow(/check/);

        const [module] = await db.query<{ id: string }>(
          "INSERT INTO modules (slug, title, position) VALUES ('ros2', 'ROS 2', 1) RETURNING id",
        );
        const [chapter] = await db.query<{ id: string }>(
          "INSERT INTO chapters (module_id, slug, title, content, position) VALUES ($1, 'nodes', 'Nodes', '# Nodes', 1) RETURNING id",
          [module!.id],
        );
        await db.query(
          "INSERT INTO embeddings (chapter_id, chunk_index, content) VALUES ($1, 0, 'A node is…')",
          [chapter!.id],
        );
        await db.query(
          "INSERT INTO translations (chapter_id, language, title, content) VALUES ($1, 'ur', 'نوڈز', '…')",
          [chapter!.id],
        );
        await db.query('INSERT INTO chapter_progress (user_id, chapter_id) VALUES ($1, $2)', [
          user!.id,
          chapter!.id,
        ]);
        await db.query('INSERT INTO user_profiles (user_id) VALUES ($1)', [user!.id]);
        await db.query(
          "INSERT INTO chat_messages (user_id, session_id, role, content) VALUES ($1, gen_random_uuid(), 'user', 'hi')",
          [user!.id],
        );

        // Deleting a module deletes its chapters and, through them, their chunks, translations and progress.
        await db.query('DELETE FROM modules WHERE id = $1', [module!.id]);
        for (const table of ['chapters', 'embeddings', 'translations', 'chapter_progress']) {
          expect(await db.query(`SELECT count(*)::int AS n FROM ${table}`), table).toEqual([{ n: 0 }]);
        }
        // Deleting a user deletes their profile and messages.
        await db.query('DELETE FROM users WHERE id = $1', [user!.id]);
        for (const table of ['user_profiles', 'chat_messages']) {
          expect(await db.query(`SELECT count(*)::int AS n FROM ${table}`), table).toEqual([{ n: 0 }]);
        }
      },
      SLOW,
    );

    it(
      'adds the vector(1536) embedding column and its HNSW index where pgvector is available',
      async ({ skip }) => {
        if (backend().vectorMissing !== undefined) {
          const why = `course-platform on ${backend().name}: skipped the embeddings.embedding vector(1536) check (revision 002_pgvector_embeddings): ${backend().vectorMissing}. The eight other tables and the rest of embeddings were checked.`;
          console.warn(why);
          skip(why);
        }
        const { db, ambix } = example;
        await ambix.upgrade('head');
        expect(await ambix.current()).toEqual(['002_pgvector_embeddings']);
        expect(await extensions(db)).toEqual(['vector']);
        expect((await columns(db, 'embeddings')).embedding).toEqual({
          type: 'vector(1536)',
          nullable: true,
          default: null,
        });
        const [index] = await db.query<{ def: string }>(
          "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'ix_embeddings_embedding'",
        );
        expect(index?.def).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);

        const vector = (first: number) => `[${[first, ...Array(1535).fill(0)].join(',')}]`;
        const [module] = await db.query<{ id: string }>(
          "INSERT INTO modules (slug, title, position) VALUES ('vla', 'Vision-Language-Action', 2) RETURNING id",
        );
        const [chapter] = await db.query<{ id: string }>(
          "INSERT INTO chapters (module_id, slug, title, content, position) VALUES ($1, 'intro', 'Intro', '…', 1) RETURNING id",
          [module!.id],
        );
        await db.query(
          'INSERT INTO embeddings (chapter_id, chunk_index, content, embedding) VALUES ($1, 0, $2, $3), ($1, 1, $4, $5)',
          [chapter!.id, 'near', vector(1), 'far', `[${[0, 1, ...Array(1534).fill(0)].join(',')}]`],
        );
        expect(
          await db.query('SELECT content FROM embeddings ORDER BY embedding <=> $1 LIMIT 1', [vector(0.9)]),
        ).toEqual([{ content: 'near' }]);
        await db.query('DELETE FROM modules');

        await ambix.downgrade('-1');
        expect(Object.keys(await columns(db, 'embeddings'))).not.toContain('embedding');
        expect(await extensions(db)).toEqual([]);
      },
      SLOW,
    );

    it(
      'downgrades to base and upgrades again',
      async () => {
        const { db, ambix } = example;
        await ambix.downgrade('base');
        await expectEmpty(db, ambix);
        const target = backend().vectorMissing === undefined ? 'head' : '001_initial_schema';
        await ambix.upgrade(target);
        expect(await tables(db)).toEqual(NINE);
      },
      SLOW,
    );
  });
}

(backendSelected('pglite') ? describe : describe.skip)(
  'examples on PGlite (an application-owned instance in a temporary folder)',
  () => {
    const context = onBackend(pgliteBackend);
    codorchSuite(context);
    postgresExampleSuites(context);
  },
);

(backendSelected('postgres') ? describePostgres : describe.skip)(
  'examples on the PostgreSQL server (a database of their own each)',
  () => {
    const context = onBackend(postgresBackend);
    codorchSuite(context);
    postgresExampleSuites(context);
  },
);

// The other examples are PostgreSQL's (see postgresExampleSuites): only codorch runs on SQLite and MariaDB.
(backendSelected('sqlite') ? describe : describe.skip)('codorch on SQLite (a file of its own)', () => {
  codorchSuite(onBackend(sqliteBackend));
});

(backendSelected('mysql') ? describeMysql : describe.skip)(
  'codorch on MariaDB (a database of its own)',
  () => {
    codorchSuite(onBackend(mariadbBackend));
  },
);

describe('the examples as files', () => {
  const examples = readdirSync(join(exampleDir('.')), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'quickstart')
    .map((entry) => entry.name)
    .sort();

  it('has the four examples, each with its config, migrations, README and package.json', () => {
    expect(examples).toEqual(['codorch', 'course-platform', 'scoping-sessions', 'user-status']);
    for (const example of examples) {
      const files = readdirSync(exampleDir(example));
      expect(files, example).toEqual(
        expect.arrayContaining(['README.md', 'ambix.config.ts', 'migrations', 'package.json']),
      );
    }
  });

  it.each(['codorch', 'course-platform', 'scoping-sessions', 'user-status'])(
    '%s: package.json has the migrate scripts of the seeds’ Makefiles and depends on this ambix',
    (example) => {
      const manifest = JSON.parse(readFileSync(join(exampleDir(example), 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
        dependencies: Record<string, string>;
      };
      expect(manifest.scripts).toMatchObject({
        'migrate:up': 'ambix upgrade head',
        'migrate:down': 'ambix downgrade -1',
        'migrate:new': 'ambix revision -m',
        'migrate:history': 'ambix history --verbose',
        'migrate:current': 'ambix current --verbose',
      });
      expect(manifest.dependencies.ambix).toBe('file:../..');
      const readme = readFileSync(join(exampleDir(example), 'README.md'), 'utf8');
      for (const script of ['migrate:up', 'migrate:down', 'migrate:current', 'migrate:history']) {
        expect(readme, `${example}/README.md mentions ${script}`).toContain(script);
      }
    },
  );

  it(
    "type-check against ambix's API (npx tsc -p examples)",
    () => {
      const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
      const run = spawnSync(process.execPath, [tsc, '-p', exampleDir('.')], { encoding: 'utf8' });
      expect(run.stdout + run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
    SLOW,
  );

  it("scoping-sessions: the baseline's upgrade is init.sql, unchanged", () => {
    const dir = exampleDir('scoping-sessions');
    const file = readdirSync(join(dir, 'migrations')).find((name) => name.includes('03033cebb647'));
    const path = join(dir, 'migrations', file!);
    const baseline = parseSqlMigration(path, readFileSync(path, 'utf8'));
    expect(baseline.upgrade.sql.trim()).toBe(readFileSync(join(dir, 'init.sql'), 'utf8').trim());
  });

  it('user-status: the batched backfill refuses to render offline, where op.query has no database', async () => {
    const config = await resolveConfig({ cwd: exampleDir('user-status'), url: 'pglite:memory', env: {} });
    // The first revision renders; the second stops at its op.query with the reason.
    const first = await upgrade(config, '8f8ecb998390', { sql: true });
    expect(first.script).toMatch(/CREATE TABLE "users"/);
    await expect(upgrade(config, 'head', { sql: true })).rejects.toThrow(
      /op\.query\("SELECT min\(id\)::text AS lo, max\(id\)::text AS hi FROM users"\) reads the database, and an offline \(--sql\) run has none/,
    );
  });

  it('scoping-sessions: offline, the three later revisions render as one reviewable script', async () => {
    const config = await resolveConfig({ cwd: exampleDir('scoping-sessions'), env: {} });
    const { script } = await upgrade(config, '03033cebb647:head', { sql: true });
    expect(script).toMatch(/ALTER TABLE sessions ADD COLUMN email VARCHAR\(255\)/);
    expect(script).toMatch(/CREATE FUNCTION mark_abandoned_sessions\(p_idle_after INTERVAL/);
    expect(script).toContain('d2f9a6c81e35');
    expect(script).not.toMatch(/CREATE TABLE sessions/);
    const down = await downgrade(config, 'd2f9a6c81e35:03033cebb647', { sql: true });
    expect(down.script).toMatch(/DROP FUNCTION mark_abandoned_sessions\(INTERVAL\)/);
  });
});

describe('codorch through its npm scripts, on the zero-setup embedded database', () => {
  it(
    'runs migrate:up, migrate:current, migrate:history, migrate:down and migrate:new as the CLI',
    async () => {
      const copy = join(tempProject().dir, 'codorch');
      cpSync(exampleDir('codorch'), copy, {
        recursive: true,
        filter: (source) => !source.includes('.ambix') && !source.includes('node_modules'),
      });
      const { scripts } = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      /** `npm run SCRIPT -- EXTRA…`: the script's ambix command line, run by the CLI in the copy. */
      const npmRun = (script: string, ...extra: string[]) =>
        runCli(copy, [...scripts[script]!.split(' ').slice(1), ...extra]);

      const up = await npmRun('migrate:up');
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout + up.stderr).toMatch(/embedded database/);
      const now = await npmRun('migrate:current');
      expect(now.code, now.stderr).toBe(0);
      expect(now.stdout).toContain('7c2d9e41b5a0');
      const history = await npmRun('migrate:history');
      expect(history.code, history.stderr).toBe(0);
      expect(history.stdout).toContain('e6006195c986');
      const down = await npmRun('migrate:down');
      expect(down.code, down.stderr).toBe(0);
      const after = await npmRun('migrate:current');
      expect(after.stdout).toContain('e6006195c986');
      expect(after.stdout).not.toContain('7c2d9e41b5a0');
      const created = await npmRun('migrate:new', 'add tags to goals');
      expect(created.code, created.stderr).toBe(0);
      expect(
        readdirSync(join(copy, 'migrations')).some((name) => name.endsWith('_add_tags_to_goals.ts')),
      ).toBe(true);
    },
    SLOW,
  );
});

/** Runs the CLI in-process in `cwd`, with an empty environment (no DATABASE_URL: the embedded database). */
async function runCli(
  cwd: string,
  argv: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd,
    env: {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    openEditor: () => 0,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
