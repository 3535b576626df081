-- ambix:revision 0f6b2d9c7e18
-- ambix:down-revision e91f27b40a6c, 5a3c8e0f6d24
-- ambix:message merge goals and opportunities
-- ambix:create-date 2026-11-05 09:00:00.000000

-- ambix:upgrade

-- ambix:downgrade
