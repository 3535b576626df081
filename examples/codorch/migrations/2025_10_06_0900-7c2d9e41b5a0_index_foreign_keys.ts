/**
 * Index the foreign keys and the project listings
 *
 * Revision ID: 7c2d9e41b5a0
 * Revises: e6006195c986
 * Create Date: 2025-10-06 09:00:00.000000
 */
import type { Operations } from 'ambix';

export const revision = '7c2d9e41b5a0';
export const downRevision = 'e6006195c986';
export const branchLabels = null;
export const dependsOn = null;

// PostgreSQL and SQLite index the referenced side of a foreign key (the primary key), never the referencing side.
// Without these, deleting a project scans tree_nodes, goals and opportunities in full to find the rows to cascade
// to, and opening a tree node scans every node to find its children. (MySQL indexes the referencing side itself:
// there ours take the place of its own, see downgrade().)
export async function upgrade(op: Operations): Promise<void> {
  await op.createIndex('ix_projects_created_by', 'projects', ['created_by']);

  await op.createIndex('ix_tree_nodes_project_id', 'tree_nodes', ['project_id']);
  await op.createIndex('ix_tree_nodes_parent_id', 'tree_nodes', ['parent_id']);

  // The goals board lists a project's goals by status; the index also serves the project's cascade.
  await op.createIndex('ix_goals_project_id_status', 'goals', ['project_id', 'status']);
  await op.createIndex('ix_goals_parent_goal_id', 'goals', ['parent_goal_id']);
  await op.createIndex('ix_goals_tree_node_id', 'goals', ['tree_node_id']);

  // Opportunities are ranked by score within a project, unscored ones last. A descending PostgreSQL index puts
  // NULL first unless told NULLS LAST; SQLite and MySQL put it last anyway, and MySQL has no NULLS clause at all.
  await op.createIndex('ix_opportunities_project_id_score', 'opportunities', [
    'project_id',
    op.dialect === 'mysql'
      ? { column: 'score', order: 'desc' }
      : { column: 'score', order: 'desc', nulls: 'last' },
  ]);
  await op.createIndex('ix_opportunities_goal_id', 'opportunities', ['goal_id']);
  await op.createIndex('ix_opportunities_tree_node_id', 'opportunities', ['tree_node_id']);
  // Few opportunities are ever approved: index only those rows. MySQL has no partial indexes, so there the index
  // holds every row; it still finds a user's approvals, and the foreign key needs it anyway.
  await op.createIndex(
    'ix_opportunities_approved_by',
    'opportunities',
    ['approved_by'],
    op.dialect === 'mysql' ? {} : { where: 'approved_by IS NOT NULL' },
  );
}

export async function downgrade(op: Operations): Promise<void> {
  for (const [index, table, foreignKeyColumn] of [
    ['ix_opportunities_approved_by', 'opportunities', 'approved_by'],
    ['ix_opportunities_tree_node_id', 'opportunities', 'tree_node_id'],
    ['ix_opportunities_goal_id', 'opportunities', 'goal_id'],
    ['ix_opportunities_project_id_score', 'opportunities', 'project_id'],
    ['ix_goals_tree_node_id', 'goals', 'tree_node_id'],
    ['ix_goals_parent_goal_id', 'goals', 'parent_goal_id'],
    ['ix_goals_project_id_status', 'goals', 'project_id'],
    ['ix_tree_nodes_parent_id', 'tree_nodes', 'parent_id'],
    ['ix_tree_nodes_project_id', 'tree_nodes', 'project_id'],
    ['ix_projects_created_by', 'projects', 'created_by'],
  ] as const) {
    if (op.dialect === 'mysql') {
      // InnoDB keeps an index on the columns of every foreign key. It made one for each when the first revision
      // created the table, named after the constraint, and dropped it when ours took over; it refuses to drop
      // ours ("needed in a foreign key constraint") until the foreign key has another. Giving it back its own
      // leaves the table as the first revision made it.
      await op.createIndex(`${table}_${foreignKeyColumn}_fkey`, table, [foreignKeyColumn]);
    }
    // MySQL drops an index from its table (DROP INDEX … ON table); the others ignore the table.
    await op.dropIndex(index, { table });
  }
}
