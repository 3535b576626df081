import { describe, expect, it } from 'vitest';
import { AmbixError } from '../../src/errors.js';
import { parseSqlMigration, readSqlHeader } from '../../src/scripts/sql-migration.js';

const PATH = '/project/migrations/2026_11_21_1000-3f2a9c1b7d4e_add_users.sql';

const TYPICAL = `-- ambix:revision 3f2a9c1b7d4e
-- ambix:down-revision a1b2c3d4e5f6
-- ambix:branch-labels auth
-- ambix:depends-on 9c1b0d2e3f4a
-- ambix:message add users table
-- ambix:create-date 2026-11-21 10:00:00.000000

-- ambix:upgrade
CREATE TABLE users (id int);

-- ambix:downgrade
DROP TABLE users;
`;

function failure(text: string): AmbixError {
  try {
    parseSqlMigration(PATH, text);
  } catch (error) {
    if (error instanceof AmbixError) return error;
    throw error;
  }
  throw new Error('expected the migration to be rejected');
}

describe('parseSqlMigration', () => {
  it('reads the header and both sections of a typical migration', () => {
    const migration = parseSqlMigration(PATH, TYPICAL);
    expect(migration.header).toEqual({
      id: '3f2a9c1b7d4e',
      downRevisions: ['a1b2c3d4e5f6'],
      branchLabels: ['auth'],
      dependsOn: ['9c1b0d2e3f4a'],
      source: PATH,
      path: PATH,
      format: 'sql',
      transaction: true,
      message: 'add users table',
      createDate: '2026-11-21 10:00:00.000000',
    });
    expect(migration.upgrade).toEqual({ sql: 'CREATE TABLE users (id int);\n\n', line: 9 });
    expect(migration.downgrade).toEqual({ sql: 'DROP TABLE users;\n', line: 12 });
  });

  it('returns frozen data', () => {
    const migration = parseSqlMigration(PATH, TYPICAL);
    expect(Object.isFrozen(migration)).toBe(true);
    expect(Object.isFrozen(migration.header)).toBe(true);
    expect(Object.isFrozen(migration.header.branchLabels)).toBe(true);
  });

  it('reads a root from a missing down-revision or from none', () => {
    const root = '-- ambix:revision r\n-- ambix:upgrade\nSELECT 1;';
    expect(parseSqlMigration(PATH, root).header.downRevisions).toEqual([]);
    expect(parseSqlMigration(PATH, `-- ambix:down-revision none\n${root}`).header.downRevisions).toEqual([]);
  });

  it('reads comma-separated parents, labels and dependencies', () => {
    const migration = parseSqlMigration(
      PATH,
      '-- ambix:revision m\n-- ambix:down-revision a, b\n-- ambix:branch-labels x,y\n-- ambix:depends-on c ,d\n-- ambix:upgrade\n',
    );
    expect(migration.header).toMatchObject({
      downRevisions: ['a', 'b'],
      branchLabels: ['x', 'y'],
      dependsOn: ['c', 'd'],
    });
  });

  it('reads transaction false', () => {
    const migration = parseSqlMigration(
      PATH,
      '-- ambix:revision r\n-- ambix:transaction false\n-- ambix:upgrade\n',
    );
    expect(migration.header.transaction).toBe(false);
  });

  it('has no downgrade section when the marker is absent', () => {
    expect(parseSqlMigration(PATH, '-- ambix:revision r\n-- ambix:upgrade\nSELECT 1;').downgrade).toBeNull();
  });

  it('keeps plain comments above the header as the doc', () => {
    const migration = parseSqlMigration(
      PATH,
      '-- Adds users.\n-- Second line.\n-- ambix:revision r\n-- ambix:upgrade\n',
    );
    expect(migration.header.doc).toBe('Adds users.\nSecond line.');
  });

  it('does not take markers inside strings, dollar-quoted bodies or block comments for directives', () => {
    const text = `-- ambix:revision r
-- ambix:upgrade
CREATE FUNCTION f() RETURNS text AS $$
-- ambix:downgrade
SELECT 'x';
$$ LANGUAGE sql;
SELECT '
-- ambix:downgrade
';
/*
-- ambix:downgrade
*/
-- ambix:downgrade
DROP FUNCTION f;
`;
    const migration = parseSqlMigration(PATH, text);
    expect(migration.downgrade).toEqual({ sql: 'DROP FUNCTION f;\n', line: 14 });
  });

  it('does not take a directive that does not start its line', () => {
    const migration = parseSqlMigration(
      PATH,
      '-- ambix:revision r\n-- ambix:upgrade\nSELECT 1; -- ambix:downgrade\n',
    );
    expect(migration.downgrade).toBeNull();
  });

  it('accepts Windows line endings', () => {
    const migration = parseSqlMigration(PATH, TYPICAL.replaceAll('\n', '\r\n'));
    expect(migration.header.id).toBe('3f2a9c1b7d4e');
    expect(migration.header.message).toBe('add users table');
    expect(migration.downgrade?.line).toBe(12);
  });
});

describe('parseSqlMigration errors', () => {
  it('rejects an unknown directive, listing the known ones', () => {
    const error = failure('-- ambix:revision r\n-- ambix:revises p\n-- ambix:upgrade\n');
    expect(error.code).toBe('SCRIPT_HEADER');
    expect(error.message).toMatch(
      /^\/project\/migrations\/.*\.sql:2: unknown directive '-- ambix:revises'; known directives: ambix:revision, ambix:down-revision/,
    );
  });

  it('rejects a duplicate directive', () => {
    expect(
      failure('-- ambix:revision r\n-- ambix:message a\n-- ambix:message b\n-- ambix:upgrade\n').message,
    ).toMatch(/:3: '-- ambix:message' appears twice \(first on line 2\)/);
    expect(failure('-- ambix:revision r\n-- ambix:upgrade\n-- ambix:upgrade\n').message).toMatch(
      /:3: '-- ambix:upgrade' appears twice/,
    );
  });

  it('rejects a missing revision', () => {
    expect(failure('-- ambix:down-revision p\n-- ambix:upgrade\n').message).toMatch(
      /:1: missing '-- ambix:revision/,
    );
    expect(failure('SELECT 1;\n').message).toMatch(/:1: missing '-- ambix:revision <id>'/);
  });

  it('rejects a missing upgrade marker, pointing at the end of the header', () => {
    expect(failure('-- ambix:revision r\n-- ambix:message m\n\nSELECT 1;\n').message).toMatch(
      /:2: missing '-- ambix:upgrade'/,
    );
  });

  it('rejects header directives after the upgrade marker and a downgrade before it', () => {
    expect(failure('-- ambix:revision r\n-- ambix:upgrade\n-- ambix:message late\n').message).toMatch(
      /:3: '-- ambix:message' must come before '-- ambix:upgrade'/,
    );
    expect(failure('-- ambix:revision r\n-- ambix:downgrade\n-- ambix:upgrade\n').message).toMatch(
      /:2: '-- ambix:downgrade' must come after '-- ambix:upgrade'/,
    );
  });

  it('rejects SQL above the upgrade marker, which would never run', () => {
    expect(failure('-- ambix:revision r\nSELECT 1;\n-- ambix:upgrade\n').message).toMatch(
      /:2: SQL before '-- ambix:upgrade' would never run/,
    );
  });

  it('rejects a bad transaction value and a bad revision id', () => {
    expect(failure('-- ambix:revision r\n-- ambix:transaction no\n-- ambix:upgrade\n').message).toMatch(
      /:2: '-- ambix:transaction' must be true or false/,
    );
    const error = failure('-- ambix:revision a@b\n-- ambix:upgrade\n');
    expect(error.code).toBe('INVALID_REVISION_ID');
    expect(error.message).toMatch(/:1: Revision id 'a@b' contains '@'/);
  });

  it('rejects a revision directive without a value', () => {
    expect(failure('-- ambix:revision\n-- ambix:upgrade\n').message).toMatch(
      /:1: '-- ambix:revision' needs a value/,
    );
  });
});

describe('readSqlHeader', () => {
  it('returns null for a .sql file without any ambix directive', () => {
    expect(readSqlHeader(PATH, '-- a seed file\nINSERT INTO t VALUES (1);\n')).toBeNull();
  });

  it('returns the header of a migration', () => {
    expect(readSqlHeader(PATH, TYPICAL)?.id).toBe('3f2a9c1b7d4e');
  });
});
