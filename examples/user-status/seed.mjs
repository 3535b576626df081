// Inserts demo users (every third one inactive) so that the status migration has rows to backfill:
//   node seed.mjs [COUNT]      (default 50000)
// Uses DATABASE_URL when it is set, otherwise the embedded database ambix uses here (.ambix/pglite).
const count = Number(process.argv[2] ?? 50_000);
if (!Number.isInteger(count) || count < 1)
  throw new Error(`COUNT must be a positive integer, got ${process.argv[2]}`);

const insert = `
  INSERT INTO users (username, email, hashed_password, is_active)
  SELECT 'user' || i, 'user' || i || '@example.com', 'not-a-real-hash', i % 3 <> 0
  FROM generate_series((SELECT coalesce(max(id), 0) + 1 FROM users), (SELECT coalesce(max(id), 0) + $1 FROM users)) AS i`;

const url = process.env.DATABASE_URL;
if (url?.startsWith('postgres')) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(insert, [count]);
  await client.end();
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create('.ambix/pglite');
  await db.query(insert, [count]);
  await db.close();
}
console.log(`inserted ${count} users`);
