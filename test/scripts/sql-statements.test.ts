import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from '../../src/scripts/sql-statements.js';

function texts(sql: string, options = {}): string[] {
  return splitSqlStatements(sql, options).map((statement) => statement.sql);
}

describe('splitSqlStatements', () => {
  it('splits at semicolons and trims each statement', () => {
    expect(texts('CREATE TABLE a (id int);\n\n  CREATE TABLE b (id int) ;\n')).toEqual([
      'CREATE TABLE a (id int)',
      'CREATE TABLE b (id int)',
    ]);
  });

  it('keeps a last statement without a semicolon', () => {
    expect(texts('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('does not split at semicolons inside strings, quoted identifiers and comments, and drops comments at the ends', () => {
    const sql = `INSERT INTO t VALUES ('a;b', 'it''s;', "col;umn", \`my;sql\`); -- trailing; comment
/* block; comment */ SELECT 1 /* trailing; */;`;
    expect(texts(sql)).toEqual([`INSERT INTO t VALUES ('a;b', 'it''s;', "col;umn", \`my;sql\`)`, 'SELECT 1']);
  });

  it('does not split inside dollar-quoted bodies, with or without a tag', () => {
    const sql = `CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
CREATE FUNCTION g() RETURNS int AS $body$
BEGIN
  RETURN (SELECT $$;$$ <> ';');
END;
$body$ LANGUAGE plpgsql;
SELECT $1, a$b FROM t;`;
    expect(texts(sql)).toEqual([
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql',
      "CREATE FUNCTION g() RETURNS int AS $body$\nBEGIN\n  RETURN (SELECT $$;$$ <> ';');\nEND;\n$body$ LANGUAGE plpgsql",
      'SELECT $1, a$b FROM t',
    ]);
  });

  it('understands nested block comments', () => {
    expect(texts('/* a /* b; */ c; */ SELECT 1; SELECT 2;')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it("treats backslashes as ordinary characters, except in E'' strings", () => {
    expect(texts("SELECT 'C:\\'; SELECT E'it\\'s;'; SELECT 2;")).toEqual([
      "SELECT 'C:\\'",
      "SELECT E'it\\'s;'",
      'SELECT 2',
    ]);
  });

  it('honours backslash escapes when asked to (MySQL)', () => {
    expect(texts("SELECT 'it\\'s;'; SELECT 2;", { backslashEscapes: true })).toEqual([
      "SELECT 'it\\'s;'",
      'SELECT 2',
    ]);
  });

  it('keeps the BEGIN … END body of a trigger together', () => {
    const sql = `CREATE TRIGGER t AFTER INSERT ON a
BEGIN
  UPDATE b SET n = n + 1;
  UPDATE c SET m = CASE WHEN m > 0 THEN 1 ELSE 0 END;
END;
SELECT 1;`;
    expect(texts(sql)).toEqual([sql.slice(0, sql.lastIndexOf('END;') + 3), 'SELECT 1']);
  });

  it('keeps a BEGIN ATOMIC function body together', () => {
    const sql = `CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1;
  SELECT 2;
END;
SELECT 3;`;
    expect(texts(sql)).toHaveLength(2);
  });

  it('keeps a MySQL procedure with IF and LOOP blocks together', () => {
    const sql = `CREATE PROCEDURE p()
BEGIN
  IF x THEN SELECT 1; END IF;
  l: LOOP LEAVE l; END LOOP;
  CASE WHEN y THEN SELECT 2; END CASE;
END;
SELECT 3;`;
    expect(texts(sql)).toEqual([sql.slice(0, sql.lastIndexOf('END;') + 3), 'SELECT 3']);
  });

  it('does not treat BEGIN outside a routine as a block', () => {
    expect(texts('BEGIN; SELECT 1; COMMIT;')).toEqual(['BEGIN', 'SELECT 1', 'COMMIT']);
  });

  it('keeps comments inside a statement', () => {
    expect(texts('SELECT /* one */ 1 -- first\n  + 2;')).toEqual(['SELECT /* one */ 1 -- first\n  + 2']);
  });

  it('drops statements made only of comments and whitespace', () => {
    expect(texts('-- nothing\n;\n/* still nothing */;\n')).toEqual([]);
  });

  it('reports the line each statement starts on, offset by firstLine', () => {
    const statements = splitSqlStatements("-- lead\nSELECT 1;\n\nSELECT\n  'a\nb';\nSELECT 3;", {
      firstLine: 10,
    });
    expect(statements.map((statement) => statement.line)).toEqual([11, 13, 16]);
  });
});
