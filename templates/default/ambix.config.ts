import { defineConfig } from 'ambix';

// The database URL comes from the DATABASE_URL environment variable (or `url` here, or --url).
export default defineConfig({
  migrations: './migrations',
});
