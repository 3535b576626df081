import { defineConfig } from 'ambix';

// No url here: --url or DATABASE_URL when given (postgres://…, sqlite:./codorch.db, mysql://…), otherwise the
// embedded database in .ambix/pglite.
export default defineConfig({
  migrations: './migrations',
});
