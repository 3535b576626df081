import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmbixError } from '../../src/errors.js';
import { readTsHeader } from '../../src/scripts/ts-header.js';

const PATH = '/project/migrations/2026_11_21_1000-3f2a9c1b7d4e_add_users.ts';

function header(text: string, path = PATH) {
  return readTsHeader(path, text);
}

/** The SCRIPT_HEADER (or other) error a header raises. */
function failure(text: string): AmbixError {
  try {
    readTsHeader(PATH, text);
  } catch (error) {
    if (error instanceof AmbixError) return error;
    throw error;
  }
  throw new Error('expected the header to be rejected');
}

const TYPICAL = `/**
 * add users table
 *
 * Revision ID: 3f2a9c1b7d4e
 * Revises: a1b2c3d4e5f6
 * Create Date: 2026-11-21 10:00:00.000000
 */
import type { Operations } from 'ambix';

export const revision = '3f2a9c1b7d4e';
export const downRevision = 'a1b2c3d4e5f6'; // the parent
export const branchLabels = ['auth'];
export const dependsOn = ['9c1b0d2e3f4a'];

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('users', {});
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('users');
}
`;

describe('readTsHeader', () => {
  it('reads the ids, labels, dependencies, message and create date of a typical migration', () => {
    expect(header(TYPICAL)).toEqual({
      id: '3f2a9c1b7d4e',
      downRevisions: ['a1b2c3d4e5f6'],
      branchLabels: ['auth'],
      dependsOn: ['9c1b0d2e3f4a'],
      source: PATH,
      path: PATH,
      format: 'ts',
      transaction: true,
      message: 'add users table',
      createDate: '2026-11-21 10:00:00.000000',
      doc: 'add users table\n\nRevision ID: 3f2a9c1b7d4e\nRevises: a1b2c3d4e5f6\nCreate Date: 2026-11-21 10:00:00.000000',
    });
  });

  it('reads a root (downRevision null) with no labels and no doc comment', () => {
    const script = header("export const revision = 'r1';\nexport const downRevision = null;\n");
    expect(script).toMatchObject({ id: 'r1', downRevisions: [], branchLabels: [], dependsOn: [] });
    expect(script).not.toHaveProperty('message');
    expect(script).not.toHaveProperty('doc');
  });

  it('reads a merge point from an array of parents', () => {
    expect(
      header("export const revision = 'm';\nexport const downRevision = ['a', 'b'];")?.downRevisions,
    ).toEqual(['a', 'b']);
  });

  it('accepts double quotes, backticks without substitutions, as const, type annotations and trailing commas', () => {
    const script = header(`
export const revision: string = "r2" as const;
export const downRevision: string | null = \`r1\`;
export const branchLabels: readonly string[] = [
  'auth', // the login branch
  "billing",
] as const;
export const dependsOn: Array<string> | null = null;
`);
    expect(script).toMatchObject({
      id: 'r2',
      downRevisions: ['r1'],
      branchLabels: ['auth', 'billing'],
      dependsOn: [],
    });
  });

  it('accepts a single string for branchLabels and dependsOn', () => {
    const script = header(`export const revision = 'r';
export const downRevision = 'p';
export const branchLabels = 'auth';
export const dependsOn = 'billing@head';`);
    expect(script).toMatchObject({ branchLabels: ['auth'], dependsOn: ['billing@head'] });
  });

  it('accepts comments between every token and several declarators in one statement', () => {
    const script = header(
      "export /* a */ const /* b */ revision /* c */ = /* d */ 'r' /* e */, downRevision = // f\n null // g\n;",
    );
    expect(script).toMatchObject({ id: 'r', downRevisions: [] });
  });

  it('accepts a header without semicolons', () => {
    const script = header(
      "export const revision = 'r'\nexport const downRevision = 'p'\nexport function upgrade() {}\n",
    );
    expect(script).toMatchObject({ id: 'r', downRevisions: ['p'] });
  });

  it('decodes escapes in string literals', () => {
    const script = header(
      "export const revision = 'r';\nexport const downRevision = null;\nexport const branchLabels = ['it\\'s', '\\u00e9t\\u{e9}', 'a\\x41'];",
    );
    expect(script?.branchLabels).toEqual(["it's", 'été', 'aA']);
  });

  it('reads transaction = false', () => {
    const script = header(
      "export const revision = 'r';\nexport const downRevision = null;\nexport const transaction = false;",
    );
    expect(script?.transaction).toBe(false);
  });

  it('tells .ts and .mts from .js and .mjs', () => {
    const text = "export const revision = 'r'; export const downRevision = null;";
    expect(header(text, '/m/a.mts')?.format).toBe('ts');
    expect(header(text, '/m/a.js')?.format).toBe('js');
    expect(header(text, '/m/a.mjs')?.format).toBe('js');
  });

  it('is not fooled by exports inside comments, strings, templates and regular expressions', () => {
    const script = header(`
// export const revision = 'comment';
/* export const revision = 'block comment'; */
const a = "export const revision = 'double'";
const b = 'export const revision = "single"';
const c = \`export const revision = 'template' \${'export const revision = "nested"'} \`;
const d = /export const revision = 'regex'/g;
const e = 4 / 2; const f = 'export const revision = "after division"' / 1;
export const revision = 'real';
export const downRevision = null;
`);
    expect(script?.id).toBe('real');
  });

  it('keeps track of braces nested inside template substitutions', () => {
    const script = header(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the file under test holds the template literal
      "const t = `a ${ {x: `b ${ '}' } c`}.x } d`;\nexport const revision = 'r';\nexport const downRevision = null;",
    );
    expect(script?.id).toBe('r');
  });

  it('ignores property names called export', () => {
    const script = header(
      "const o = { export: 1 }; o.export; export const revision = 'r'; export const downRevision = null;",
    );
    expect(script?.id).toBe('r');
  });

  it('returns null for a helper module that exports no revision', () => {
    expect(header("export const tableName = 'users';\nexport function helper() {}\n")).toBeNull();
    expect(header("// mentions revision but exports none\nexport const x = 'revision';")).toBeNull();
    expect(header("/* export const revision = 'x'; */")).toBeNull();
  });

  it('reads a message from a one-line doc comment', () => {
    const script = header("/** add users */\nexport const revision = 'r'; export const downRevision = null;");
    expect(script?.message).toBe('add users');
  });

  it('takes the doc comment only when it comes before any code', () => {
    const script = header(
      "export const revision = 'r';\n/** not the doc */\nexport const downRevision = null;",
    );
    expect(script).not.toHaveProperty('message');
  });

  it('has no message when the doc comment starts with its fields', () => {
    const script = header(
      "/**\n * Revision ID: r\n * Create Date: 2026-01-01\n */\nexport const revision = 'r'; export const downRevision = null;",
    );
    expect(script).not.toHaveProperty('message');
    expect(script?.createDate).toBe('2026-01-01');
  });

  it('finds the header after any text inside strings, templates and comments', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const text = [
          `const a = ${JSON.stringify(s)};`,
          `const b = \`${s.replace(/[\\`$]/g, '\\$&')}\`;`,
          `// ${s.replace(/[\n\r\u2028\u2029]/g, ' ')}`,
          `/* ${s.replaceAll('*/', '* /')} */`,
          "export const revision = 'r';",
          "export const downRevision = ['p'];",
        ].join('\n');
        expect(header(text)).toMatchObject({ id: 'r', downRevisions: ['p'] });
      }),
      { numRuns: 300 },
    );
  });

  it('reads header exports that come after long function bodies', () => {
    const body = "  await op.execute('SELECT 1; -- export const revision');\n".repeat(200);
    const script = header(
      `export const revision = 'r';\nexport async function upgrade(op) {\n${body}}\nexport const downRevision = null;\nexport const transaction = false;\n`,
    );
    expect(script).toMatchObject({ id: 'r', downRevisions: [], transaction: false });
  });

  it('returns frozen data', () => {
    const script = header("export const revision = 'r';\nexport const downRevision = ['p'];")!;
    expect(Object.isFrozen(script)).toBe(true);
    expect(Object.isFrozen(script.downRevisions)).toBe(true);
  });

  it('skips a shebang and a byte order mark', () => {
    expect(
      header("\ufeff#!/usr/bin/env node\nexport const revision = 'r'; export const downRevision = null;")?.id,
    ).toBe('r');
  });
});

describe('readTsHeader errors', () => {
  it('rejects a computed revision with the file and line', () => {
    const error = failure('/** x */\n\nexport const revision = makeId();\nexport const downRevision = null;');
    expect(error.code).toBe('SCRIPT_HEADER');
    expect(error.message).toBe(
      "/project/migrations/2026_11_21_1000-3f2a9c1b7d4e_add_users.ts:3: 'revision' must be a string literal; ambix reads it without running the file.",
    );
    expect(error.details).toMatchObject({ path: PATH, line: 3 });
  });

  it('rejects a template literal with a substitution', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file under test holds the template literal
    const error = failure("export const revision = 'r';\n\nexport const downRevision = `${base}1`;");
    expect(error.message).toMatch(/:3: a template literal with \$\{…\} is computed when the file runs/);
  });

  it('rejects a literal that is only the start of an expression', () => {
    expect(
      failure("export const revision = 'r' + suffix;\nexport const downRevision = null;").message,
    ).toMatch(/:1: 'revision' must be a string literal/);
    expect(failure("export const revision = 'r';\nexport const downRevision = 'p'.trim();").message).toMatch(
      /:2: 'downRevision' must be a literal \(a string, null, or an array of strings\); ambix reads it without running the file\.$/,
    );
    expect(
      failure("export const revision = 'r';\nexport const downRevision = null\n  ?? 'p';").message,
    ).toMatch(/:3:/);
  });

  it('points at the offending element of a multi-line array', () => {
    const error = failure(
      "export const revision = 'r';\nexport const downRevision = [\n  'a',\n  parent,\n];",
    );
    expect(error.message).toMatch(/:4: 'downRevision' must be a literal/);
  });

  it('rejects values of the wrong kind', () => {
    expect(failure('export const revision = null;\nexport const downRevision = null;').message).toMatch(
      /:1: 'revision' must be a string literal/,
    );
    expect(failure("export const revision = ['a'];\nexport const downRevision = null;").message).toMatch(
      /:1:/,
    );
    expect(
      failure(
        "export const revision = 'r';\nexport const downRevision = null;\nexport const transaction = 'no';",
      ).message,
    ).toMatch(/:3: 'transaction' must be the literal true or false/);
    expect(
      failure(
        "export const revision = 'r';\nexport const downRevision = null;\nexport const branchLabels = true;",
      ).message,
    ).toMatch(/:3: 'branchLabels' must be a literal/);
  });

  it('rejects a missing downRevision, pointing at the revision', () => {
    const error = failure("\n\nexport const revision = 'r';\n");
    expect(error.code).toBe('SCRIPT_HEADER');
    expect(error.message).toMatch(/:3: 'downRevision' is missing/);
  });

  it('rejects a downRevision without a revision', () => {
    expect(failure("\nexport const downRevision = 'p';\n").message).toMatch(/:2: 'revision' is missing/);
  });

  it('rejects a duplicate export, naming both lines', () => {
    const error = failure(
      "export const revision = 'a';\nexport const downRevision = null;\nexport const revision = 'b';",
    );
    expect(error.message).toMatch(/:3: 'revision' is exported twice \(first on line 1\)\./);
  });

  it('rejects let, var and export lists for header names', () => {
    expect(failure("export let revision = 'r';\nexport const downRevision = null;").message).toMatch(
      /:1: 'revision' must be declared with `export const`, not `let`/,
    );
    expect(failure("const id = 'r';\nexport { id as revision };").message).toMatch(
      /:2: 'revision' must be declared/,
    );
  });

  it("points out Alembic's snake_case spellings", () => {
    expect(failure("export const revision = 'r';\nexport const down_revision = null;").message).toMatch(
      /:2: 'down_revision' is spelled 'downRevision' in ambix\./,
    );
  });

  it('rejects a revision id that target expressions could not name', () => {
    const error = failure("export const revision = 'a-b';\nexport const downRevision = null;");
    expect(error.code).toBe('INVALID_REVISION_ID');
    expect(error.message).toMatch(/:1: Revision id 'a-b' contains '-';/);
    expect(failure("export const revision = 'r';\nexport const downRevision = ['a', ''];").message).toMatch(
      /:2: The revision id is empty/,
    );
  });

  it('rejects an unclosed string, also one whose last quote is escaped', () => {
    expect(failure("export const revision = 'r;\nexport const downRevision = null;").message).toMatch(
      /:1: this string literal is malformed or not closed/,
    );
    expect(failure("export const revision = 'r\\';\nexport const downRevision = null;").message).toMatch(
      /:1: this string literal is malformed or not closed/,
    );
  });

  it('finds a duplicate export at the end of a long file', () => {
    const body = '  await op.dropTable("users");\n'.repeat(200);
    const error = failure(
      `export const revision = 'a';\nexport const downRevision = null;\nexport async function upgrade(op) {\n${body}}\nexport const revision = 'b';\n`,
    );
    expect(error.message).toMatch(/:205: 'revision' is exported twice \(first on line 1\)\./);
  });

  it('shows the path relative to the working directory when the file is inside it', () => {
    try {
      readTsHeader(`${process.cwd()}/migrations/x.ts`, "export const revision = 'r';");
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^migrations\/x\.ts:1: /);
    }
  });
});
