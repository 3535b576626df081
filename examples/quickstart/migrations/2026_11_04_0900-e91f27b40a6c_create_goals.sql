-- ambix:revision e91f27b40a6c
-- ambix:down-revision c4a09d3e5f12
-- ambix:branch-labels goals
-- ambix:message create goals (module 1)
-- ambix:create-date 2026-11-04 09:00:00.000000

-- ambix:upgrade
CREATE TABLE goals (
    id UUID PRIMARY KEY,
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    tree_node_id UUID REFERENCES tree_nodes(id) ON DELETE SET NULL,
    parent_goal_id UUID REFERENCES goals(id) ON DELETE CASCADE,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    category VARCHAR(100),
    is_smart_validated BOOLEAN DEFAULT false,
    overall_smart_score FLOAT,
    metrics JSON,
    target_date TIMESTAMP,
    completion_percentage FLOAT DEFAULT 0.0,
    status VARCHAR(50) DEFAULT 'draft',
    priority VARCHAR(20),
    created_at TIMESTAMP DEFAULT now(),
    updated_at TIMESTAMP DEFAULT now()
);

-- ambix:downgrade
DROP TABLE goals;
