import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_URL, maskUrl, parseDatabaseUrl } from '../../src/dialects/url.js';
import { AmbixError } from '../../src/errors.js';

const cwd = resolve('/projects/app');

describe('parseDatabaseUrl', () => {
  it.each([
    ['postgres://u:p@db.example.com:5432/app', 'postgres'],
    ['postgresql://u@localhost/app?sslmode=require', 'postgres'],
    ['POSTGRES://u@localhost/app', 'postgres'],
    ['postgres://', 'postgres'],
    ['postgres:///app', 'postgres'],
    ['postgres://u@/app?host=/var/run/postgresql', 'postgres'],
  ])('reads %s as a PostgreSQL URL, kept as given for pg to read', (url, dialect) => {
    const parsed = parseDatabaseUrl(url, { cwd });
    expect(parsed).toMatchObject({ dialect, url, isDefault: false });
  });

  it.each([
    ['pglite:memory', undefined, 'pglite:memory'],
    ['pglite://memory', undefined, 'pglite:memory'],
    ['pglite:./data/db', join(cwd, 'data/db'), `pglite:${join(cwd, 'data/db')}`],
    ['pglite:data', join(cwd, 'data'), `pglite:${join(cwd, 'data')}`],
    ['pglite:../shared/db', resolve(cwd, '../shared/db'), `pglite:${resolve(cwd, '../shared/db')}`],
    ['pglite:/var/lib/app/db', resolve('/var/lib/app/db'), `pglite:${resolve('/var/lib/app/db')}`],
    ['pglite:///var/lib/app/db', resolve('/var/lib/app/db'), `pglite:${resolve('/var/lib/app/db')}`],
    ['pglite://./data', join(cwd, 'data'), `pglite:${join(cwd, 'data')}`],
  ])('reads %s as PGlite with data directory %s, relative to the config cwd', (url, dataDir, normalised) => {
    expect(parseDatabaseUrl(url, { cwd })).toEqual({
      dialect: 'pglite',
      url: normalised,
      masked: normalised,
      dataDir,
      isDefault: false,
    });
  });

  it.each([undefined, '', '  '])(
    'uses the embedded database at .ambix/pglite when no URL is set (%j)',
    (url) => {
      expect(DEFAULT_URL).toBe('pglite:.ambix/pglite');
      expect(parseDatabaseUrl(url, { cwd })).toMatchObject({
        dialect: 'pglite',
        dataDir: join(cwd, '.ambix/pglite'),
        isDefault: true,
      });
    },
  );

  it('does not flag an explicitly configured default URL as the default', () => {
    expect(parseDatabaseUrl(DEFAULT_URL, { cwd }).isDefault).toBe(false);
  });

  it.each([
    ['oracle://root:s3cret@localhost/app', 'unsupported scheme "oracle:"'],
    ['mysql://root:s3cret@localhost', 'names no database'],
    ['sqlite:', 'names no file'],
    ['localhost:5432/app', 'unsupported scheme "localhost:"'],
    ['just-a-name', 'is not a database URL'],
    ['pglite:', 'names no directory'],
    ['postgres://u:s3cret@[::1/app', 'is not a valid URL'],
  ])('rejects %s with BAD_URL listing the supported schemes', (url, problem) => {
    const error = catchError(() => parseDatabaseUrl(url, { cwd }));
    expect(error).toBeInstanceOf(AmbixError);
    expect(error.code).toBe('BAD_URL');
    expect(error.message).toContain(problem);
    expect(error.hint).toContain(
      'postgres://, postgresql://, pglite:<directory>, pglite:memory, sqlite:<file>, sqlite::memory:, mysql://, mariadb://',
    );
    expect(`${error.message} ${error.hint} ${JSON.stringify(error.details)}`).not.toContain('s3cret');
  });

  it.each([
    ['sqlite:./app.db', 'sqlite:/work/app/app.db'],
    ['sqlite:/srv/app.db', 'sqlite:/srv/app.db'],
    // SQLAlchemy's spellings, so an Alembic project's URL works as it is.
    ['sqlite:///app.db', 'sqlite:/work/app/app.db'],
    ['sqlite:////srv/app.db', 'sqlite:/srv/app.db'],
    ['sqlite::memory:', 'sqlite::memory:'],
    ['sqlite://', 'sqlite::memory:'],
  ])('reads the SQLite URL %s as %s', (url, normalised) => {
    const parsed = parseDatabaseUrl(url, { cwd: '/work/app' });
    expect(parsed.dialect).toBe('sqlite');
    expect(parsed.url).toBe(normalised);
  });

  it('reads mysql:// and mariadb:// URLs and masks their passwords', () => {
    for (const url of ['mysql://app:s3cret@db:3306/shop', 'mariadb://app:s3cret@db/shop']) {
      const parsed = parseDatabaseUrl(url);
      expect(parsed.dialect).toBe('mysql');
      expect(parsed.masked).not.toContain('s3cret');
    }
  });

  it('never prints the password of a URL it rejects, even in key=value form', () => {
    const error = catchError(() => parseDatabaseUrl('host=db user=app password=s3cret', { cwd }));
    expect(error.message).toContain('password=***');
    expect(error.message).not.toContain('s3cret');
  });
});

describe('maskUrl', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgresql://app:p%40ss%2Fw%3Ard@db/app', 'postgresql://app:***@db/app'],
    ['postgres://app:p@ss@db/app', 'postgres://app:***@db/app'],
    ['postgres://app:pa/ss@db/app', 'postgres://app:***@db/app'],
    ['postgres://app:pa?ss@db/app', 'postgres://app:***@db/app'],
    ['postgres://:s3cret@db/app', 'postgres://:***@db/app'],
    ['postgres://app@db/app', 'postgres://app@db/app'],
    ['postgres://db/app?password=s3cret', 'postgres://db/app?password=***'],
    [
      'postgres://db/app?sslmode=require&PASSWORD=s3cret&x=1',
      'postgres://db/app?sslmode=require&PASSWORD=***&x=1',
    ],
    [
      'postgres://app:one@db/app?password=two&application_name=x',
      'postgres://app:***@db/app?password=***&application_name=x',
    ],
    ['postgres://db/app?user=app', 'postgres://db/app?user=app'],
    ['pglite:./data', 'pglite:./data'],
    ["host=db password='it''s s3cret' user=app", 'host=db password=*** user=app'],
    ["host=db password='it\\'s s3cret' user=app", 'host=db password=*** user=app'],
  ])('masks %s as %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

function catchError(fn: () => unknown): AmbixError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AmbixError) return error;
    throw error;
  }
  throw new Error('expected an AmbixError');
}
