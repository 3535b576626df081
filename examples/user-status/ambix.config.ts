import { defineConfig } from 'ambix';

// No url: DATABASE_URL when it is set (postgres://…), otherwise the embedded database in .ambix/pglite.
export default defineConfig({
  migrations: './migrations',
});
