-- ambix:revision c4a09d3e5f12
-- ambix:down-revision 2b8f4e61c0d7
-- ambix:message create tree nodes
-- ambix:create-date 2026-11-03 09:00:00.000000

-- ambix:upgrade
CREATE TABLE tree_nodes (
    id UUID PRIMARY KEY,
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    parent_id UUID REFERENCES tree_nodes(id) ON DELETE CASCADE,
    node_type VARCHAR(50) NOT NULL,
    content JSON,
    metadata JSON,
    embedding BYTEA,
    created_at TIMESTAMP DEFAULT now(),
    updated_at TIMESTAMP DEFAULT now()
);

-- ambix:downgrade
DROP TABLE tree_nodes;
