-- ambix:revision 2b8f4e61c0d7
-- ambix:down-revision 7d1e0c2a9b31
-- ambix:message create projects
-- ambix:create-date 2026-11-02 09:00:00.000000

-- ambix:upgrade
CREATE TABLE projects (
    id UUID PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    goal TEXT,
    status VARCHAR(50) DEFAULT 'planning',
    created_by UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP DEFAULT now(),
    updated_at TIMESTAMP DEFAULT now()
);

-- ambix:downgrade
DROP TABLE projects;
