-- ambix:revision 5e8a1d3c9f02
-- ambix:down-revision 03033cebb647
-- ambix:message add email to sessions
-- ambix:create-date 2025-11-03 09:00:00.000000

-- ambix:upgrade
-- Nullable: sessions started before sign-in has an email stay valid.
ALTER TABLE sessions ADD COLUMN email VARCHAR(255);
CREATE INDEX idx_sessions_email ON sessions (email);

-- ambix:downgrade
DROP INDEX idx_sessions_email;
ALTER TABLE sessions DROP COLUMN email;
