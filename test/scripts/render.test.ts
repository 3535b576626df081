import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../../src/scripts/doc-comment.js';
import { type MigrationContents, renderSqlMigration, renderTsMigration } from '../../src/scripts/render.js';
import { parseSqlMigration } from '../../src/scripts/sql-migration.js';
import { splitSqlStatements } from '../../src/scripts/sql-statements.js';
import { readTsHeader } from '../../src/scripts/ts-header.js';

const CONTENTS: MigrationContents = {
  id: '3f2a9c1b7d4e',
  message: 'add users table',
  downRevisions: ['a1b2c3d4e5f6'],
  branchLabels: ['auth'],
  dependsOn: ['9c1b0d2e3f4a'],
  createDate: '2026-11-21 10:00:00.000000',
};

describe('renderTsMigration', () => {
  it('renders the documented file layout', () => {
    expect(renderTsMigration(CONTENTS)).toBe(`/**
 * add users table
 *
 * Revision ID: 3f2a9c1b7d4e
 * Revises: a1b2c3d4e5f6
 * Create Date: 2026-11-21 10:00:00.000000
 */
import type { Operations } from 'ambix';

export const revision = '3f2a9c1b7d4e';
export const downRevision = 'a1b2c3d4e5f6';
export const branchLabels = ['auth'];
export const dependsOn = ['9c1b0d2e3f4a'];

export async function upgrade(op: Operations): Promise<void> {
  // Describe the change here, e.g. op.addColumn('users', ...).
}

export async function downgrade(op: Operations): Promise<void> {
  // Undo what upgrade() does.
}
`);
  });

  it('renders a root with null parents and no message', () => {
    const text = renderTsMigration({ id: 'r', downRevisions: [], createDate: '2026-01-01 00:00:00.000000' });
    expect(text).toContain('/**\n * Revision ID: r\n * Revises:\n * Create Date:');
    expect(text).toContain('export const downRevision = null;\nexport const branchLabels = null;');
  });

  it('renders a merge as an array of parents and lists them in the doc comment', () => {
    const text = renderTsMigration({ ...CONTENTS, downRevisions: ['a', 'b'] });
    expect(text).toContain(' * Revises: a, b\n');
    expect(text).toContain("export const downRevision = ['a', 'b'];");
  });

  it('indents the given bodies, adds imports and opts out of the transaction', () => {
    const text = renderTsMigration({
      ...CONTENTS,
      upgradeBody: "await op.addColumn('users', 'email');\n\nawait op.execute('SELECT 1');\n",
      imports: ["import { sql } from 'ambix/schema';"],
      transaction: false,
    });
    expect(text).toContain("import type { Operations } from 'ambix';\nimport { sql } from 'ambix/schema';\n");
    expect(text).toContain(
      "Promise<void> {\n  await op.addColumn('users', 'email');\n\n  await op.execute('SELECT 1');\n}",
    );
    expect(text).toContain('export const transaction = false;');
    expect(readTsHeader('/m/x.ts', text)?.transaction).toBe(false);
  });

  it('leaves the lines of a multi-line template literal as they are (they are part of the string)', () => {
    const text = renderTsMigration({
      ...CONTENTS,
      upgradeBody: [
        'await op.execute(`CREATE FUNCTION f()',
        ' RETURNS integer',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: generated code held in a string
        "AS $$SELECT ${'{'}1}; -- it's \\` fine$$`);",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: generated code held in a string
        "await op.createView('v', sql`SELECT ${sql.identifier('a')}",
        '  FROM t`);',
        "await op.execute('x');",
      ].join('\n'),
    });
    expect(text).toContain(
      [
        '  await op.execute(`CREATE FUNCTION f()',
        ' RETURNS integer',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: generated code held in a string
        "AS $$SELECT ${'{'}1}; -- it's \\` fine$$`);",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: generated code held in a string
        "  await op.createView('v', sql`SELECT ${sql.identifier('a')}",
        '  FROM t`);',
        "  await op.execute('x');",
      ].join('\n'),
    );
  });

  it('escapes a message that would close the doc comment', () => {
    const text = renderTsMigration({ ...CONTENTS, message: 'drop /* legacy */ tables' });
    expect(text).toContain(' * drop /* legacy *\\/ tables\n');
    expect(readTsHeader('/m/x.ts', text)?.message).toBe('drop /* legacy */ tables');
  });

  it('rejects an invalid revision id', () => {
    expect(() => renderTsMigration({ ...CONTENTS, id: 'head-1' })).toThrow(/contains '-'/);
  });
});

describe('renderSqlMigration', () => {
  it('renders the documented file layout', () => {
    expect(
      renderSqlMigration({ ...CONTENTS, upgradeBody: 'CREATE TABLE users (id int);' }),
    ).toBe(`-- ambix:revision 3f2a9c1b7d4e
-- ambix:down-revision a1b2c3d4e5f6
-- ambix:branch-labels auth
-- ambix:depends-on 9c1b0d2e3f4a
-- ambix:message add users table
-- ambix:create-date 2026-11-21 10:00:00.000000

-- ambix:upgrade
CREATE TABLE users (id int);

-- ambix:downgrade
-- Write the SQL that undoes the upgrade here.
`);
  });

  it('renders a root as down-revision none and a merge as a comma-separated list', () => {
    expect(renderSqlMigration({ ...CONTENTS, downRevisions: [] })).toContain('-- ambix:down-revision none\n');
    expect(renderSqlMigration({ ...CONTENTS, downRevisions: ['a', 'b'] })).toContain(
      '-- ambix:down-revision a, b\n',
    );
  });

  it('gives placeholder sections no statements', () => {
    const migration = parseSqlMigration('/m/x.sql', renderSqlMigration(CONTENTS));
    expect(splitSqlStatements(migration.upgrade.sql)).toEqual([]);
    expect(splitSqlStatements(migration.downgrade!.sql)).toEqual([]);
  });

  it('rejects a label that a comma-separated header cannot hold', () => {
    expect(() => renderSqlMigration({ ...CONTENTS, branchLabels: ['a,b'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_IDENTIFIER' }),
    );
    expect(() => renderSqlMigration({ ...CONTENTS, dependsOn: ['none'] })).toThrow(/cannot be written/);
  });
});

// Revision ids: anything without whitespace or `@ - + :`; quotes, backslashes, `*/` and unicode included.
const id = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 16 })
  .filter((value) => !/[\s@+:-]/u.test(value) && value === value.normalize());
const label = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const message = fc.option(
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc
      .array(
        fc.constantFrom(
          'Revision ID: ',
          'Create Date: ',
          '*/',
          '/*',
          '*\\/',
          '\\',
          "'",
          '"',
          '`',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a message may contain it literally
          '${x}',
          '\n',
          '\r\n',
          '\u2028',
          ' * ',
          'é',
          '😀',
          'a',
        ),
      )
      .map((parts) => parts.join('')),
  ),
  { nil: undefined },
);
const contents = fc.record({
  id,
  message,
  downRevisions: fc.array(id, { maxLength: 3 }),
  branchLabels: fc.array(label, { maxLength: 3 }),
  dependsOn: fc.array(label, { maxLength: 3 }),
  createDate: fc
    .date({ noInvalidDate: true })
    .map((date) => date.toISOString().replace('T', ' ').replace('Z', '')),
  transaction: fc.boolean(),
});

describe('rendered files read back to the same header', () => {
  it('TypeScript, for any ids, labels and message', () => {
    fc.assert(
      fc.property(contents, (c) => {
        const header = readTsHeader('/m/x.ts', renderTsMigration(c));
        expect(header).not.toBeNull();
        expect(header!.id).toBe(c.id);
        expect(header!.downRevisions).toEqual(c.downRevisions);
        expect(header!.branchLabels).toEqual(c.branchLabels);
        expect(header!.dependsOn).toEqual(c.dependsOn);
        expect(header!.createDate).toBe(c.createDate);
        expect(header!.transaction).toBe(c.transaction);
        const expected = normalizeMessage(c.message);
        expect(header!.message).toBe(expected === '' ? undefined : expected);
      }),
      { numRuns: 500 },
    );
  });

  it('SQL, for any ids, message and labels a comma-separated header can hold', () => {
    const sqlLabel = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .filter((value) => value === value.trim() && !/[,\r\n]/.test(value) && value.toLowerCase() !== 'none');
    const sqlId = id.filter((value) => value.toLowerCase() !== 'none' && !value.includes(','));
    const sqlContents = contents.chain((c) =>
      fc
        .record({
          downRevisions: fc.array(sqlId, { maxLength: 3 }),
          branchLabels: fc.array(sqlLabel, { maxLength: 3 }),
          dependsOn: fc.array(sqlLabel, { maxLength: 3 }),
          id: sqlId,
        })
        .map((parts) => ({ ...c, ...parts })),
    );
    fc.assert(
      fc.property(sqlContents, (c) => {
        const { header } = parseSqlMigration('/m/x.sql', renderSqlMigration(c));
        expect(header.id).toBe(c.id);
        expect(header.downRevisions).toEqual(c.downRevisions);
        expect(header.branchLabels).toEqual(c.branchLabels);
        expect(header.dependsOn).toEqual(c.dependsOn);
        expect(header.createDate).toBe(c.createDate);
        expect(header.transaction).toBe(c.transaction);
        const expected = normalizeMessage(c.message);
        expect(header.message).toBe(expected === '' ? undefined : expected);
      }),
      { numRuns: 500 },
    );
  });

  it('SQL, keeping the upgrade and downgrade bodies', () => {
    const migration = parseSqlMigration(
      '/m/x.sql',
      renderSqlMigration({ ...CONTENTS, upgradeBody: 'SELECT 1;\nSELECT 2;', downgradeBody: 'SELECT 3;' }),
    );
    expect(splitSqlStatements(migration.upgrade.sql, { firstLine: migration.upgrade.line })).toEqual([
      { sql: 'SELECT 1', line: 9 },
      { sql: 'SELECT 2', line: 10 },
    ]);
    expect(splitSqlStatements(migration.downgrade!.sql).map((s) => s.sql)).toEqual(['SELECT 3']);
  });
});
