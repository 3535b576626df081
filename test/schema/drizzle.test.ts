/**
 * Drizzle schemas as autogenerate's target: read through Drizzle's public API into the model, and, the point of it,
 * a database built by drizzle-kit from a schema compares equal with the same schema read by ambix.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { eq, relations, type SQL, sql } from 'drizzle-orm';
import {
  alias,
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgSchema,
  pgSequence,
  pgTable,
  pgView,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSchemas } from '../../src/autogenerate/compare.js';
import { materialize } from '../../src/autogenerate/materialize.js';
import { fromPGlite } from '../../src/dialects/pglite/driver.js';
import { postgresIntrospector } from '../../src/dialects/postgres/introspect.js';
import { postgresRenderer } from '../../src/dialects/postgres/renderer.js';
import { AmbixError } from '../../src/errors.js';
import { drizzleModel, isDrizzleValue } from '../../src/schema/drizzle.js';
import { table as ambixTable, text as ambixText, extension } from '../../src/schema/index.js';
import type { TableModel } from '../../src/schema/model.js';

// The schema, as a Drizzle project declares it.
const app = pgSchema('app');
const postStatus = pgEnum('post_status', ['draft', 'published', 'archived']);
const auditAction = app.enum('audit_action', ['insert', 'update', 'delete']);
const invoiceNumbers = pgSequence('invoice_numbers', { startWith: 1000, increment: 10 });

const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: varchar({ length: 255 }).notNull().unique(),
  emailLower: text('email_lower').generatedAlwaysAs((): SQL => sql`lower(${users.email})`),
  displayName: text('display_name'),
  tags: text().array().notNull().default([]),
  profile: jsonb().notNull().default({}),
  balance: numeric({ precision: 10, scale: 2 }).notNull().default('0'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

const posts = pgTable(
  'posts',
  {
    id: serial().primaryKey(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    slug: varchar({ length: 100 }).notNull(),
    title: text().notNull(),
    status: postStatus().notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    unique().on(t.authorId, t.slug),
    index().on(t.publishedAt).where(sql`${t.status} = 'published'`),
    check('posts_title_not_blank', sql`length(trim(${t.title})) > ${0}`),
  ],
);

const comments = pgTable(
  'comments',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('comments_post_recent_idx').on(t.postId, t.createdAt.desc())],
);

const postTags = pgTable(
  'post_tags',
  {
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    tag: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.tag] })],
);

/** Its foreign key's Drizzle name is 68 bytes long: PostgreSQL keeps the first 63. */
const notificationPreferences = pgTable('notification_preferences', {
  id: serial().primaryKey(),
  preferredChannelOwnerUserId: uuid('preferred_channel_owner_user_id').references(() => users.id),
});

const auditLog = app.table('audit_log', {
  id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity({ startWith: 1000 }),
  actorId: uuid('actor_id').references(() => users.id),
  action: auditAction().notNull(),
  changes: jsonb(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

const publishedPosts = pgView('published_posts').as((qb) =>
  qb.select({ id: posts.id, title: posts.title }).from(posts).where(eq(posts.status, 'published')),
);

const postsRelations = relations(posts, ({ one }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
}));

/** What a schema module's namespace holds: the objects, and things that are no schema (relations, helpers). */
const SCHEMA_EXPORTS: readonly unknown[] = [
  app,
  postStatus,
  auditAction,
  invoiceNumbers,
  users,
  posts,
  comments,
  postTags,
  notificationPreferences,
  auditLog,
  publishedPosts,
  postsRelations,
  'not a schema object',
];

/** The migration `drizzle-kit generate` writes for this schema (drizzle-kit 0.31, drizzle-orm 0.45). */
const DRIZZLE_KIT_MIGRATION = `CREATE SCHEMA "app";
--> statement-breakpoint
CREATE TYPE "app"."audit_action" AS ENUM('insert', 'update', 'delete');--> statement-breakpoint
CREATE TYPE "public"."post_status" AS ENUM('draft', 'published', 'archived');--> statement-breakpoint
CREATE SEQUENCE "public"."invoice_numbers" INCREMENT BY 10 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1;--> statement-breakpoint
CREATE TABLE "app"."audit_log" (
	"id" bigint PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY (sequence name "app"."audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1),
	"actor_id" uuid,
	"action" "app"."audit_action" NOT NULL,
	"changes" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"post_id" integer NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"id" serial PRIMARY KEY NOT NULL,
	"preferred_channel_owner_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "post_tags" (
	"post_id" integer NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "post_tags_post_id_tag_pk" PRIMARY KEY("post_id","tag")
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" serial PRIMARY KEY NOT NULL,
	"author_id" uuid NOT NULL,
	"slug" varchar(100) NOT NULL,
	"title" text NOT NULL,
	"status" "post_status" DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "posts_author_id_slug_unique" UNIQUE("author_id","slug"),
	CONSTRAINT "posts_title_not_blank" CHECK (length(trim("posts"."title")) > 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255) NOT NULL,
	"email_lower" text GENERATED ALWAYS AS (lower("users"."email")) STORED,
	"display_name" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"profile" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"balance" numeric(10, 2) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "app"."audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_preferred_channel_owner_user_id_users_id_fk" FOREIGN KEY ("preferred_channel_owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_tags" ADD CONSTRAINT "post_tags_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_post_recent_idx" ON "comments" USING btree ("post_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "posts_published_at_index" ON "posts" USING btree ("published_at") WHERE "posts"."status" = 'published';--> statement-breakpoint
CREATE VIEW "public"."published_posts" AS (select "id", "title" from "posts" where "posts"."status" = 'published');`;

const model = async (exports: readonly unknown[]) =>
  (await drizzleModel(exports, { renderer: postgresRenderer })).model;

const tableOf = (tables: readonly TableModel[], name: string): TableModel => {
  const found = tables.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no table ${name}`);
  return found;
};

async function failure(run: () => Promise<unknown>): Promise<AmbixError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(AmbixError);
    return error as AmbixError;
  }
  throw new Error('expected an error');
}

describe('isDrizzleValue', () => {
  it('recognises Drizzle tables, views, enums, schemas and sequences', () => {
    for (const value of [users, auditLog, publishedPosts, postStatus, auditAction, app, invoiceNumbers]) {
      expect(isDrizzleValue(value)).toBe(true);
    }
  });

  it('leaves aside relations, aliases, ambix declarations and plain values', () => {
    const ambixUsers = ambixTable('users', { name: ambixText() });
    for (const value of [
      postsRelations,
      alias(users, 'u'),
      ambixUsers,
      { name: 'users' },
      'users',
      null,
      () => 1,
    ]) {
      expect(isDrizzleValue(value)).toBe(false);
    }
  });
});

describe('the model of a Drizzle schema', () => {
  it('carries columns, defaults, constraints and indexes as drizzle-kit creates them', async () => {
    const { tables } = await model(SCHEMA_EXPORTS);
    expect(tableOf(tables, 'users')).toEqual({
      schema: 'public',
      name: 'users',
      columns: [
        { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' },
        { name: 'email', type: 'character varying(255)', nullable: false },
        { name: 'email_lower', type: 'text', nullable: true, generated: 'lower("users"."email")' },
        { name: 'display_name', type: 'text', nullable: true },
        { name: 'tags', type: 'text[]', nullable: false, default: "'{}'" },
        { name: 'profile', type: 'jsonb', nullable: false, default: "'{}'::jsonb" },
        { name: 'balance', type: 'numeric(10,2)', nullable: false, default: "'0'" },
        { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
      ],
      primaryKey: { name: 'users_pkey', columns: ['id'] },
      foreignKeys: [],
      uniques: [
        { name: 'users_email_unique', columns: ['email'], deferrable: false, initiallyDeferred: false },
      ],
      checks: [],
      excludes: [],
      indexes: [],
    });
    expect(tableOf(tables, 'posts')).toEqual({
      schema: 'public',
      name: 'posts',
      columns: [
        { name: 'id', type: 'integer', nullable: false, default: "nextval('posts_id_seq'::regclass)" },
        { name: 'author_id', type: 'uuid', nullable: false },
        { name: 'slug', type: 'character varying(100)', nullable: false },
        { name: 'title', type: 'text', nullable: false },
        { name: 'status', type: 'post_status', nullable: false, default: "'draft'" },
        { name: 'published_at', type: 'timestamp with time zone', nullable: true },
      ],
      primaryKey: { name: 'posts_pkey', columns: ['id'] },
      foreignKeys: [
        {
          name: 'posts_author_id_users_id_fk',
          columns: ['author_id'],
          references: { schema: 'public', table: 'users', columns: ['id'] },
          onDelete: 'cascade',
          onUpdate: 'no action',
          match: 'simple',
          deferrable: false,
          initiallyDeferred: false,
        },
      ],
      uniques: [
        {
          name: 'posts_author_id_slug_unique',
          columns: ['author_id', 'slug'],
          deferrable: false,
          initiallyDeferred: false,
        },
      ],
      checks: [{ name: 'posts_title_not_blank', expression: 'length(trim("posts"."title")) > 0' }],
      excludes: [],
      indexes: [
        {
          name: 'posts_published_at_index',
          unique: false,
          method: 'btree',
          elements: [{ column: 'published_at' }],
          where: `"posts"."status" = 'published'`,
        },
      ],
    });
  });

  it('reads identities, composite keys, descending index columns and tables in other schemas', async () => {
    const { tables, schemas } = await model(SCHEMA_EXPORTS);
    expect(schemas).toEqual(['app']);
    const audit = tableOf(tables, 'audit_log');
    expect(audit.schema).toBe('app');
    expect(audit.columns[0]).toEqual({
      name: 'id',
      type: 'bigint',
      nullable: false,
      identity: { generated: 'byDefault', start: '1000' },
    });
    expect(audit.columns[2]).toEqual({ name: 'action', type: 'app.audit_action', nullable: false });
    expect(tableOf(tables, 'comments').columns[0]).toEqual({
      name: 'id',
      type: 'integer',
      nullable: false,
      identity: { generated: 'always' },
    });
    expect(tableOf(tables, 'comments').indexes).toEqual([
      {
        name: 'comments_post_recent_idx',
        unique: false,
        method: 'btree',
        elements: [{ column: 'post_id' }, { column: 'created_at', order: 'desc', nulls: 'last' }],
      },
    ]);
    expect(tableOf(tables, 'post_tags').primaryKey).toEqual({
      name: 'post_tags_post_id_tag_pk',
      columns: ['post_id', 'tag'],
    });
  });

  it('cuts names longer than 63 bytes as PostgreSQL stores them', async () => {
    const { tables } = await model(SCHEMA_EXPORTS);
    expect(tableOf(tables, 'notification_preferences').foreignKeys.map((fk) => fk.name)).toEqual([
      'notification_preferences_preferred_channel_owner_user_id_users_',
    ]);
  });

  it('reads enums, sequences and views, with the parameters of view queries written in', async () => {
    const { enums, sequences, views } = await model(SCHEMA_EXPORTS);
    expect(enums).toEqual([
      { schema: 'app', name: 'audit_action', values: ['insert', 'update', 'delete'] },
      { schema: 'public', name: 'post_status', values: ['draft', 'published', 'archived'] },
    ]);
    expect(sequences.find((s) => s.name === 'invoice_numbers')).toEqual({
      schema: 'public',
      name: 'invoice_numbers',
      type: 'bigint',
      start: '1000',
      increment: '10',
      minValue: '1',
      maxValue: '9223372036854775807',
      cache: '1',
      cycle: false,
    });
    expect(views).toEqual([
      {
        schema: 'public',
        name: 'published_posts',
        materialized: false,
        query: `select "id", "title" from "posts" where "posts"."status" = 'published'`,
      },
    ]);
  });

  it('keeps ambix/schema declarations exported beside the Drizzle tables', async () => {
    const { extensions, tables } = await model([extension('pgcrypto'), users]);
    expect(extensions).toEqual([{ name: 'pgcrypto', schema: 'public' }]);
    expect(tables.map((t) => t.name)).toEqual(['users']);
  });

  it('reads tables built by the CommonJS copy of drizzle-orm (what a schema loaded by require sees)', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require('drizzle-orm/pg-core') as typeof import('drizzle-orm/pg-core');
    const accounts = cjs.pgTable(
      'accounts',
      { id: cjs.serial().primaryKey(), email: cjs.text().unique() },
      (t) => [cjs.index().on(t.email)],
    );
    const { tables } = await model([accounts]);
    expect(tables[0]?.uniques.map((u) => u.name)).toEqual(['accounts_email_unique']);
    expect(tables[0]?.indexes.map((i) => i.name)).toEqual(['accounts_email_index']);
  });
});

describe('what cannot be read', () => {
  it('names a foreign key to a table the module does not export', async () => {
    const error = await failure(() => model([posts, postStatus]));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.message).toContain('references table users, which the schema module does not export');
  });

  it('names a column whose enum the module does not export', async () => {
    const error = await failure(() => model([posts, users]));
    expect(error.message).toContain('Column posts.status has the enum type post_status');
  });

  it('asks for a name for an index on an expression, as drizzle-kit does', async () => {
    const people = pgTable('people', { email: text() }, (t) => [index().on(sql`lower(${t.email})`)]);
    const error = await failure(() => model([people]));
    expect(error.message).toContain('is on the expression lower("email") and has no name');
  });
});

describe('loading drizzle-orm', () => {
  const missing = async (specifier: string): Promise<never> => {
    throw Object.assign(
      new Error(`Cannot find package '${specifier}' imported from /app/node_modules/ambix`),
      {
        code: 'ERR_MODULE_NOT_FOUND',
      },
    );
  };

  it('says what to install when a schema has Drizzle tables and drizzle-orm is missing', async () => {
    const error = await failure(() =>
      drizzleModel([users], { renderer: postgresRenderer, importer: missing }),
    );
    expect(error.code).toBe('DRIVER_MISSING');
    expect(error.hint).toContain('npm install drizzle-orm');
  });

  it('does not load drizzle-orm for a schema without Drizzle objects', async () => {
    const { model: declared } = await drizzleModel([extension('pgcrypto')], {
      renderer: postgresRenderer,
      importer: missing,
    });
    expect(declared.extensions).toHaveLength(1);
  });

  it('imports drizzle-orm only dynamically', async () => {
    const source = await readFile(new URL('../../src/schema/drizzle.ts', import.meta.url), 'utf8');
    const staticImports = source.match(/^import\s+(?!type\b)[^;]*from\s+'drizzle-orm[^']*'/gm);
    expect(staticImports).toBeNull();
  });
});

describe('a database drizzle-kit built, against the same schema read by ambix (PGlite)', () => {
  const opened: PGlite[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  it('shows no differences', async () => {
    const declared = new PGlite();
    const built = new PGlite();
    opened.push(declared, built);

    const target = await materialize(await model(SCHEMA_EXPORTS), fromPGlite(declared), {
      renderer: postgresRenderer,
      introspector: postgresIntrospector,
    });
    for (const statement of DRIZZLE_KIT_MIGRATION.split('--> statement-breakpoint')) {
      await built.exec(statement);
    }
    const live = await postgresIntrospector.introspect(fromPGlite(built));

    expect(live.tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      'app.audit_log',
      'public.comments',
      'public.notification_preferences',
      'public.post_tags',
      'public.posts',
      'public.users',
    ]);
    const comparison = compareSchemas(live, target);
    expect(comparison.differences).toEqual([]);
    expect(comparison.operations).toEqual([]);

    // And the comparison does look: a change made behind the schema's back shows.
    await built.exec(`ALTER TABLE "posts" ALTER COLUMN "status" SET DEFAULT 'published'`);
    const changed = compareSchemas(await postgresIntrospector.introspect(fromPGlite(built)), target);
    expect(changed.differences.map((d) => `${d.sign} ${d.object} ${d.name}`)).toEqual([
      '~ column public.posts.status',
    ]);
  });
});
