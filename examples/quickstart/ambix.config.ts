import { defineConfig } from 'ambix';

// With no url here and no DATABASE_URL, ambix uses an embedded database under .ambix/.
export default defineConfig({
  migrations: './migrations',
});
