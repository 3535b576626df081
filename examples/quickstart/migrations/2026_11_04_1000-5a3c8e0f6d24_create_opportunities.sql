-- ambix:revision 5a3c8e0f6d24
-- ambix:down-revision c4a09d3e5f12
-- ambix:branch-labels opportunities
-- ambix:depends-on goals
-- ambix:message create opportunities (module 2)
-- ambix:create-date 2026-11-04 10:00:00.000000

-- ambix:upgrade
CREATE TABLE opportunities (
    id UUID PRIMARY KEY,
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    tree_node_id UUID REFERENCES tree_nodes(id) ON DELETE SET NULL,
    goal_id UUID REFERENCES goals(id) ON DELETE SET NULL,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    score FLOAT,
    status VARCHAR(50) DEFAULT 'proposed',
    approved_at TIMESTAMP,
    approved_by UUID REFERENCES users(id),
    created_at TIMESTAMP DEFAULT now(),
    updated_at TIMESTAMP DEFAULT now()
);

-- ambix:downgrade
DROP TABLE opportunities;
