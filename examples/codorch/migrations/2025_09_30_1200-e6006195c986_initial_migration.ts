/**
 * Initial migration: users, projects, tree_nodes, goals, opportunities
 *
 * Revision ID: e6006195c986
 * Revises:
 * Create Date: 2025-09-30 12:00:00.000000
 */
import { type Operations, sql } from 'ambix';

export const revision = 'e6006195c986';
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;

// The Alembic schema's DateTime, spelled in full: on MySQL ambix makes it a datetime, where a bare `timestamp` is
// MySQL's own TIMESTAMP, which converts on the session's time zone and ends in 2038.
const TIMESTAMP = 'timestamp without time zone';

// Every table carries the same two timestamps. CURRENT_TIMESTAMP is the SQL standard's now(), which SQLite does
// not have: the same default on all four databases.
const timestamps = [
  { name: 'created_at', type: TIMESTAMP, default: sql`CURRENT_TIMESTAMP` },
  { name: 'updated_at', type: TIMESTAMP, default: sql`CURRENT_TIMESTAMP` },
] as const;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('users', [
    { name: 'id', type: 'uuid', primaryKey: true },
    { name: 'email', type: 'varchar(255)', nullable: false, unique: true },
    { name: 'hashed_password', type: 'varchar(255)', nullable: false },
    { name: 'full_name', type: 'varchar(255)' },
    { name: 'is_active', type: 'boolean', default: true },
    { name: 'is_superuser', type: 'boolean', default: false },
    ...timestamps,
  ]);

  await op.createTable(
    'projects',
    [
      { name: 'id', type: 'uuid', primaryKey: true },
      { name: 'name', type: 'varchar(255)', nullable: false },
      { name: 'description', type: 'text' },
      { name: 'goal', type: 'text' },
      { name: 'status', type: 'varchar(50)', default: 'planning' },
      { name: 'created_by', type: 'uuid', nullable: false },
      ...timestamps,
    ],
    {
      constraints: [
        {
          type: 'foreignKey',
          name: 'projects_created_by_fkey',
          columns: ['created_by'],
          references: { table: 'users', columns: ['id'] },
          onDelete: 'cascade',
        },
      ],
    },
  );

  // The project's idea tree: a node's children go with it, so do the nodes of a deleted project.
  await op.createTable(
    'tree_nodes',
    [
      { name: 'id', type: 'uuid', primaryKey: true },
      { name: 'project_id', type: 'uuid', nullable: false },
      { name: 'parent_id', type: 'uuid' },
      { name: 'node_type', type: 'varchar(50)', nullable: false },
      { name: 'content', type: 'json' },
      { name: 'metadata', type: 'json' },
      { name: 'embedding', type: 'bytea' },
      ...timestamps,
    ],
    {
      constraints: [
        {
          type: 'foreignKey',
          name: 'tree_nodes_project_id_fkey',
          columns: ['project_id'],
          references: { table: 'projects', columns: ['id'] },
          onDelete: 'cascade',
        },
        {
          type: 'foreignKey',
          name: 'tree_nodes_parent_id_fkey',
          columns: ['parent_id'],
          references: { table: 'tree_nodes', columns: ['id'] },
          onDelete: 'cascade',
        },
      ],
    },
  );

  // Module 1. A goal outlives the tree node it was drawn from (SET NULL), not its parent goal (CASCADE).
  await op.createTable(
    'goals',
    [
      { name: 'id', type: 'uuid', primaryKey: true },
      { name: 'project_id', type: 'uuid', nullable: false },
      { name: 'tree_node_id', type: 'uuid' },
      { name: 'parent_goal_id', type: 'uuid' },
      { name: 'title', type: 'varchar(255)', nullable: false },
      { name: 'description', type: 'text' },
      { name: 'category', type: 'varchar(100)' },
      // SMART validation
      { name: 'is_smart_validated', type: 'boolean', default: false },
      { name: 'specific_score', type: 'double precision' },
      { name: 'measurable_score', type: 'double precision' },
      { name: 'achievable_score', type: 'double precision' },
      { name: 'relevant_score', type: 'double precision' },
      { name: 'time_bound_score', type: 'double precision' },
      { name: 'overall_smart_score', type: 'double precision' },
      // Metrics
      { name: 'metrics', type: 'json' },
      { name: 'target_date', type: TIMESTAMP },
      { name: 'completion_percentage', type: 'double precision', default: 0 },
      // AI
      { name: 'ai_feedback', type: 'json' },
      { name: 'ai_suggestions', type: 'json' },
      // Status
      { name: 'status', type: 'varchar(50)', default: 'draft' },
      { name: 'priority', type: 'varchar(20)' },
      ...timestamps,
    ],
    {
      constraints: [
        {
          type: 'foreignKey',
          name: 'goals_project_id_fkey',
          columns: ['project_id'],
          references: { table: 'projects', columns: ['id'] },
          onDelete: 'cascade',
        },
        {
          type: 'foreignKey',
          name: 'goals_tree_node_id_fkey',
          columns: ['tree_node_id'],
          references: { table: 'tree_nodes', columns: ['id'] },
          onDelete: 'set null',
        },
        {
          type: 'foreignKey',
          name: 'goals_parent_goal_id_fkey',
          columns: ['parent_goal_id'],
          references: { table: 'goals', columns: ['id'] },
          onDelete: 'cascade',
        },
      ],
    },
  );

  // Module 2. approved_by has no ON DELETE rule: a user who approved opportunities cannot be deleted.
  await op.createTable(
    'opportunities',
    [
      { name: 'id', type: 'uuid', primaryKey: true },
      { name: 'project_id', type: 'uuid', nullable: false },
      { name: 'tree_node_id', type: 'uuid' },
      { name: 'goal_id', type: 'uuid' },
      { name: 'title', type: 'varchar(255)', nullable: false },
      { name: 'description', type: 'text' },
      { name: 'category', type: 'varchar(100)' },
      // AI generation
      { name: 'ai_generated', type: 'boolean', default: false },
      { name: 'generation_prompt', type: 'text' },
      { name: 'ai_reasoning', type: 'json' },
      // Scoring
      { name: 'score', type: 'double precision' },
      { name: 'feasibility_score', type: 'double precision' },
      { name: 'impact_score', type: 'double precision' },
      { name: 'innovation_score', type: 'double precision' },
      { name: 'resource_score', type: 'double precision' },
      { name: 'scoring_details', type: 'json' },
      // Business
      { name: 'target_market', type: 'text' },
      { name: 'value_proposition', type: 'text' },
      { name: 'estimated_effort', type: 'varchar(50)' },
      { name: 'estimated_timeline', type: 'varchar(100)' },
      { name: 'required_resources', type: 'json' },
      // Status
      { name: 'status', type: 'varchar(50)', default: 'proposed' },
      { name: 'approved_at', type: TIMESTAMP },
      { name: 'approved_by', type: 'uuid' },
      ...timestamps,
    ],
    {
      constraints: [
        {
          type: 'foreignKey',
          name: 'opportunities_project_id_fkey',
          columns: ['project_id'],
          references: { table: 'projects', columns: ['id'] },
          onDelete: 'cascade',
        },
        {
          type: 'foreignKey',
          name: 'opportunities_tree_node_id_fkey',
          columns: ['tree_node_id'],
          references: { table: 'tree_nodes', columns: ['id'] },
          onDelete: 'set null',
        },
        {
          type: 'foreignKey',
          name: 'opportunities_goal_id_fkey',
          columns: ['goal_id'],
          references: { table: 'goals', columns: ['id'] },
          onDelete: 'set null',
        },
        {
          type: 'foreignKey',
          name: 'opportunities_approved_by_fkey',
          columns: ['approved_by'],
          references: { table: 'users', columns: ['id'] },
        },
      ],
    },
  );
}

export async function downgrade(op: Operations): Promise<void> {
  // Children before parents: a table cannot be dropped while another table's foreign key points at it.
  for (const table of ['opportunities', 'goals', 'tree_nodes', 'projects', 'users']) {
    await op.dropTable(table);
  }
}
