-- ambix:revision 7d1e0c2a9b31
-- ambix:down-revision none
-- ambix:message create users
-- ambix:create-date 2026-11-01 09:00:00.000000

-- ambix:upgrade
CREATE TABLE users (
    id UUID PRIMARY KEY,
    email VARCHAR(255) UNIQUE NOT NULL,
    hashed_password VARCHAR(255) NOT NULL,
    full_name VARCHAR(255),
    is_active BOOLEAN DEFAULT true,
    is_superuser BOOLEAN DEFAULT false,
    created_at TIMESTAMP DEFAULT now(),
    updated_at TIMESTAMP DEFAULT now()
);

-- ambix:downgrade
DROP TABLE users;
