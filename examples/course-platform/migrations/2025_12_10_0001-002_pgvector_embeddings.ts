/**
 * pgvector: the embedding column and its index
 *
 * Revision ID: 002_pgvector_embeddings
 * Revises: 001_initial_schema
 * Create Date: 2025-12-10 00:01:00.000000
 */
import type { Operations } from 'ambix';

export const revision = '002_pgvector_embeddings';
export const downRevision = '001_initial_schema';
export const branchLabels = null;
export const dependsOn = null;

// A revision of its own: the vector extension is the one part of this schema a database may lack (a managed
// server where nobody installed pgvector, PGlite without @electric-sql/pglite-pgvector). Such a database can still
// be upgraded to 001_initial_schema, and this revision fails alone, with the database's own message.
export async function upgrade(op: Operations): Promise<void> {
  await op.createExtension('vector', { ifNotExists: true });
  // 1536 dimensions: OpenAI's text-embedding-3-small, the `model` column's default. Nullable, because a chunk is
  // stored first and embedded later by a worker.
  await op.addColumn('embeddings', { name: 'embedding', type: 'vector(1536)' });
  // Nearest chunks by cosine distance (`ORDER BY embedding <=> $1 LIMIT 5`), for the tutor chat.
  await op.createIndex(
    'ix_embeddings_embedding',
    'embeddings',
    [{ column: 'embedding', opclass: 'vector_cosine_ops' }],
    { using: 'hnsw' },
  );
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('ix_embeddings_embedding');
  await op.dropColumn('embeddings', 'embedding');
  await op.dropExtension('vector');
}
