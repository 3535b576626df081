-- Scoping sessions, schema version 1.0.0.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

-- One scoping session per user and project, moving through five stages.
CREATE TABLE sessions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id VARCHAR(255) NOT NULL,
    project_name VARCHAR(500) NOT NULL,
    current_stage INTEGER NOT NULL DEFAULT 1 CHECK (current_stage BETWEEN 1 AND 5),
    status VARCHAR(50) NOT NULL DEFAULT 'in_progress'
        CHECK (status IN ('in_progress', 'completed', 'abandoned', 'paused')),
    started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    metadata JSONB NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_status ON sessions (status);

-- The answers given at each stage, one row per field.
CREATE TABLE stage_data (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    stage_number INTEGER NOT NULL CHECK (stage_number BETWEEN 1 AND 5),
    field_name VARCHAR(255) NOT NULL,
    field_value JSONB NOT NULL,
    quality_score REAL CHECK (quality_score BETWEEN 0 AND 10),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (session_id, stage_number, field_name)
);

CREATE INDEX idx_stage_data_session ON stage_data (session_id, stage_number);

-- Every message exchanged, in order.
CREATE TABLE conversation_history (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    stage_number INTEGER NOT NULL CHECK (stage_number BETWEEN 1 AND 5),
    role VARCHAR(20) NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    metadata JSONB
);

CREATE INDEX idx_conversation_history_session ON conversation_history (session_id, created_at);

-- A snapshot of the session when a stage is completed.
CREATE TABLE checkpoints (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    stage_number INTEGER NOT NULL CHECK (stage_number BETWEEN 1 AND 5),
    checkpoint_data JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (session_id, stage_number)
);

-- The project charter generated at the end of a session.
CREATE TABLE project_charters (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    session_id UUID NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,
    project_name VARCHAR(500) NOT NULL,
    charter_data JSONB NOT NULL,
    governance_decision VARCHAR(50)
        CHECK (governance_decision IN ('proceed', 'revise', 'halt', 'defer')),
    overall_feasibility VARCHAR(20),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Quality scores per stage, for analytics.
CREATE TABLE quality_metrics (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    stage_number INTEGER NOT NULL CHECK (stage_number BETWEEN 1 AND 5),
    metric_name VARCHAR(100) NOT NULL,
    score REAL NOT NULL CHECK (score BETWEEN 0 AND 10),
    details JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_quality_metrics_session ON quality_metrics (session_id);

-- Cross-stage validation results.
CREATE TABLE consistency_reports (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    is_consistent BOOLEAN NOT NULL,
    overall_feasibility VARCHAR(20),
    contradictions JSONB NOT NULL DEFAULT '[]'::jsonb,
    risk_areas JSONB NOT NULL DEFAULT '[]'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_consistency_reports_session ON consistency_reports (session_id);

-- Timestamps kept by the database, whatever the client sends.
CREATE OR REPLACE FUNCTION update_sessions_timestamp()
RETURNS TRIGGER AS $$
BEGIN
    NEW.last_updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_update_sessions_timestamp
    BEFORE UPDATE ON sessions
    FOR EACH ROW
    EXECUTE FUNCTION update_sessions_timestamp();

CREATE OR REPLACE FUNCTION update_stage_data_timestamp()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_update_stage_data_timestamp
    BEFORE UPDATE ON stage_data
    FOR EACH ROW
    EXECUTE FUNCTION update_stage_data_timestamp();

-- Helpers the app and the dashboards call.
CREATE OR REPLACE FUNCTION get_active_sessions_count()
RETURNS INTEGER AS $$
    SELECT COUNT(*)::INTEGER FROM sessions WHERE status = 'in_progress';
$$ LANGUAGE sql STABLE;

-- Percentage of the five stages completed: a session at stage 3 has completed two.
CREATE OR REPLACE FUNCTION get_session_progress(p_session_id UUID)
RETURNS NUMERIC AS $$
    SELECT CASE
        WHEN status = 'completed' THEN 100.0
        ELSE ROUND((current_stage - 1) * 100.0 / 5, 1)
    END
    FROM sessions
    WHERE id = p_session_id;
$$ LANGUAGE sql STABLE;

-- Sessions idle for more than a day are abandoned; returns how many were marked.
CREATE OR REPLACE FUNCTION mark_abandoned_sessions()
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
