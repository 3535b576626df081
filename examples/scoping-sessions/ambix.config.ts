import { defineConfig } from 'ambix';

// The app finds its database through DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD, with the docker-compose
// database as the default; ambix reads the same variables. DATABASE_URL, or --url on the command line, wins.
export default defineConfig(({ env }) => {
  const part = (name: string, fallback: string): string => encodeURIComponent(env[name] || fallback);
  const fromParts =
    `postgres://${part('DB_USER', 'uaip_user')}:${part('DB_PASSWORD', 'changeme')}` +
    `@${part('DB_HOST', 'localhost')}:${part('DB_PORT', '15432')}/${part('DB_NAME', 'uaip_scoping')}`;
  return {
    url: env.DATABASE_URL || fromParts,
    migrations: './migrations',
    // `ambix revision -m …` writes SQL files here, like the ones already in migrations/.
    revisionFormat: 'sql',
  };
});
