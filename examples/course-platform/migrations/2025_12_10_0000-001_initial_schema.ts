/**
 * Initial schema: the nine core tables
 *
 * Revision ID: 001_initial_schema
 * Revises:
 * Create Date: 2025-12-10 00:00:00.000000
 */
import { type Operations, sql } from 'ambix';

export const revision = '001_initial_schema';
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;

type Columns = Parameters<Operations['createTable']>[1];
type TableOptions = NonNullable<Parameters<Operations['createTable']>[2]>;

/** Every table: a UUID key made by the database, and when the row was created and last changed. */
async function createEntityTable(
  op: Operations,
  table: string,
  columns: Columns,
  options: TableOptions = {},
): Promise<void> {
  await op.createTable(
    table,
    [
      { name: 'id', type: 'uuid', primaryKey: true, default: sql`gen_random_uuid()` },
      ...columns,
      { name: 'created_at', type: 'timestamptz', nullable: false, default: sql`now()` },
      { name: 'updated_at', type: 'timestamptz', nullable: false, default: sql`now()` },
    ],
    options,
  );
  await op.createTrigger(`${table}_set_updated_at`, table, {
    timing: 'before',
    events: ['update'],
    forEach: 'row',
    function: 'set_updated_at',
  });
}

/** A required reference to another table's id: the row is deleted with the row it belongs to. */
function belongsTo(column: string, table: string) {
  return {
    name: column,
    type: 'uuid',
    nullable: false,
    references: { table, column: 'id', onDelete: 'cascade' },
  } as const;
}

export async function upgrade(op: Operations): Promise<void> {
  await op.createFunction('set_updated_at', {
    returns: 'trigger',
    language: 'plpgsql',
    body: `
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
`,
  });

  // Accounts and what students tell about themselves (used to personalise chapters).
  await createEntityTable(op, 'users', [
    { name: 'email', type: 'varchar(255)', nullable: false, unique: true },
    { name: 'hashed_password', type: 'varchar(255)', nullable: false },
    { name: 'full_name', type: 'varchar(255)' },
    {
      name: 'role',
      type: 'varchar(20)',
      nullable: false,
      default: 'student',
      check: "role IN ('student', 'instructor', 'admin')",
    },
    { name: 'is_active', type: 'boolean', nullable: false, default: true },
  ]);
  await createEntityTable(op, 'user_profiles', [
    { ...belongsTo('user_id', 'users'), unique: true },
    { name: 'software_background', type: 'varchar(50)' },
    { name: 'hardware_background', type: 'varchar(50)' },
    { name: 'preferred_language', type: 'varchar(10)', nullable: false, default: 'en' },
    { name: 'learning_goals', type: 'text' },
  ]);

  // The course: modules of ordered chapters.
  await createEntityTable(
    op,
    'modules',
    [
      { name: 'slug', type: 'varchar(100)', nullable: false, unique: true },
      { name: 'title', type: 'varchar(255)', nullable: false },
      { name: 'description', type: 'text' },
      { name: 'position', type: 'integer', nullable: false },
    ],
    { constraints: [{ type: 'unique', name: 'uq_modules_position', columns: ['position'] }] },
  );
  await createEntityTable(
    op,
    'chapters',
    [
      belongsTo('module_id', 'modules'),
      { name: 'slug', type: 'varchar(100)', nullable: false },
      { name: 'title', type: 'varchar(255)', nullable: false },
      { name: 'content', type: 'text', nullable: false, comment: 'Markdown' },
      { name: 'position', type: 'integer', nullable: false },
      { name: 'estimated_minutes', type: 'integer' },
    ],
    {
      constraints: [
        { type: 'unique', name: 'uq_chapters_module_slug', columns: ['module_id', 'slug'] },
        { type: 'unique', name: 'uq_chapters_module_position', columns: ['module_id', 'position'] },
      ],
    },
  );

  // Chapters cut into chunks for retrieval. The vector itself is added by the next revision, with pgvector.
  await createEntityTable(
    op,
    'embeddings',
    [
      belongsTo('chapter_id', 'chapters'),
      { name: 'chunk_index', type: 'integer', nullable: false },
      { name: 'content', type: 'text', nullable: false },
      { name: 'token_count', type: 'integer' },
      { name: 'model', type: 'varchar(100)', nullable: false, default: 'text-embedding-3-small' },
    ],
    {
      constraints: [{ type: 'unique', name: 'uq_embeddings_chunk', columns: ['chapter_id', 'chunk_index'] }],
    },
  );

  // What each student has read.
  await createEntityTable(
    op,
    'chapter_progress',
    [
      belongsTo('user_id', 'users'),
      belongsTo('chapter_id', 'chapters'),
      {
        name: 'status',
        type: 'varchar(20)',
        nullable: false,
        default: 'not_started',
        check: "status IN ('not_started', 'in_progress', 'completed')",
      },
      {
        name: 'progress_percent',
        type: 'smallint',
        nullable: false,
        default: 0,
        check: 'progress_percent BETWEEN 0 AND 100',
      },
      { name: 'completed_at', type: 'timestamptz' },
    ],
    { constraints: [{ type: 'unique', name: 'uq_chapter_progress', columns: ['user_id', 'chapter_id'] }] },
  );
  await op.createIndex('ix_chapter_progress_chapter_id', 'chapter_progress', ['chapter_id']);

  // The tutor chat: one conversation per session_id, each answer with the chunks it was drawn from.
  await createEntityTable(op, 'chat_messages', [
    belongsTo('user_id', 'users'),
    { name: 'session_id', type: 'uuid', nullable: false },
    {
      name: 'role',
      type: 'varchar(20)',
      nullable: false,
      check: "role IN ('user', 'assistant', 'system')",
    },
    { name: 'content', type: 'text', nullable: false },
    { name: 'sources', type: 'jsonb', nullable: false, default: '[]' },
  ]);
  await op.createIndex('ix_chat_messages_session', 'chat_messages', ['session_id', 'created_at']);
  await op.createIndex('ix_chat_messages_user_id', 'chat_messages', ['user_id']);

  // Chapters in other languages.
  await createEntityTable(
    op,
    'translations',
    [
      belongsTo('chapter_id', 'chapters'),
      { name: 'language', type: 'varchar(10)', nullable: false },
      { name: 'title', type: 'varchar(255)', nullable: false },
      { name: 'content', type: 'text', nullable: false },
      { name: 'translated_by', type: 'varchar(20)', nullable: false, default: 'machine' },
    ],
    {
      constraints: [{ type: 'unique', name: 'uq_translations', columns: ['chapter_id', 'language'] }],
    },
  );

  // Final projects, reviewed by instructors.
  await createEntityTable(op, 'capstone_submissions', [
    belongsTo('user_id', 'users'),
    { name: 'title', type: 'varchar(255)', nullable: false },
    { name: 'repository_url', type: 'text', nullable: false },
    { name: 'video_url', type: 'text' },
    { name: 'description', type: 'text' },
    {
      name: 'status',
      type: 'varchar(20)',
      nullable: false,
      default: 'submitted',
      check: "status IN ('submitted', 'in_review', 'accepted', 'rejected')",
    },
    { name: 'score', type: 'smallint', check: 'score BETWEEN 0 AND 100' },
    { name: 'feedback', type: 'text' },
    { name: 'submitted_at', type: 'timestamptz', nullable: false, default: sql`now()` },
    { name: 'reviewed_at', type: 'timestamptz' },
  ]);
  await op.createIndex('ix_capstone_submissions_user_id', 'capstone_submissions', ['user_id']);
}

export async function downgrade(op: Operations): Promise<void> {
  // Children before parents; a table's trigger and indexes go with it.
  for (const table of [
    'capstone_submissions',
    'translations',
    'chat_messages',
    'chapter_progress',
    'embeddings',
    'chapters',
    'modules',
    'user_profiles',
    'users',
  ]) {
    await op.dropTable(table);
  }
  await op.dropFunction('set_updated_at');
}
