-- ambix:revision d2f9a6c81e35
-- ambix:down-revision b7c40e2f6a19
-- ambix:message let mark_abandoned_sessions take the idle time
-- ambix:create-date 2025-11-17 09:00:00.000000

-- ambix:upgrade
-- A new parameter makes a new function in PostgreSQL (an overload), so the old one is dropped, not replaced.
-- Callers that pass nothing keep the old 24 hours.
DROP FUNCTION mark_abandoned_sessions();

CREATE FUNCTION mark_abandoned_sessions(p_idle_after INTERVAL DEFAULT INTERVAL '24 hours')
RETURNS INTEGER AS $$
DECLARE
    marked INTEGER;
BEGIN
    UPDATE sessions
    SET status = 'abandoned'
    WHERE status = 'in_progress'
      AND last_updated_at < NOW() - p_idle_after;
    GET DIAGNOSTICS marked = ROW_COUNT;
    RETURN marked;
END;
$$ LANGUAGE plpgsql;

-- ambix:downgrade
DROP FUNCTION mark_abandoned_sessions(INTERVAL);

CREATE FUNCTION mark_abandoned_sessions()
RETURNS INTEGER AS $$
DECLARE
    marked INTEGER;
BEGIN
    UPDATE sessions
    SET status = 'abandoned'
    WHERE status = 'in_progress'
      AND last_updated_at < NOW() - INTERVAL '24 hours';
    GET DIAGNOSTICS marked = ROW_COUNT;
    RETURN marked;
END;
$$ LANGUAGE plpgsql;
