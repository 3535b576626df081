-- ambix:revision b7c40e2f6a19
-- ambix:down-revision 5e8a1d3c9f02
-- ambix:message widen sessions.user_id to 500 characters
-- ambix:create-date 2025-11-10 09:00:00.000000

-- ambix:upgrade
-- Identity-provider subjects can be longer than 255 characters. Widening a VARCHAR rewrites nothing.
ALTER TABLE sessions ALTER COLUMN user_id TYPE VARCHAR(500);

-- ambix:downgrade
-- Fails, and changes nothing, if a user_id longer than 255 characters has been stored since: shorten or delete
-- those sessions first.
ALTER TABLE sessions ALTER COLUMN user_id TYPE VARCHAR(255);
