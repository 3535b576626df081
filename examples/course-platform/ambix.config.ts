import { defineConfig } from 'ambix';

// No url: DATABASE_URL when it is set (postgres://…), otherwise the embedded database in .ambix/pglite, where
// pgvector comes from the @electric-sql/pglite-pgvector package (see README.md).
export default defineConfig({
  migrations: './migrations',
});
