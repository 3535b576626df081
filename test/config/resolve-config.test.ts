import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDotEnv } from '../../src/config/dotenv.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { AmbixError } from '../../src/errors.js';
import { tempProject } from '../helpers/temp-project.js';

async function rejection(promise: Promise<unknown>): Promise<AmbixError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AmbixError);
    return error as AmbixError;
  }
  throw new Error('expected a rejection');
}

describe('resolveConfig', () => {
  it('works with no config file: ./migrations and DATABASE_URL', async () => {
    const project = tempProject();
    const config = await resolveConfig({
      cwd: project.dir,
      env: { DATABASE_URL: 'postgres://localhost/app' },
    });
    expect(config.configFile).toBeUndefined();
    expect(config.migrations).toEqual([join(project.dir, 'migrations')]);
    expect(config.url).toBe('postgres://localhost/app');
    expect(config.urlSource).toBe('DATABASE_URL');
    expect(config.fileTemplate).toBe('{year}_{month}_{day}_{hour}{minute}-{rev}_{slug}');
    expect(config.versionTable).toBe('ambix_version');
    expect(config.revisionFormat).toBe('ts');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("loads ambix.config.ts that imports defineConfig from 'ambix', without a build step", async () => {
    const project = tempProject();
    project.write(
      'ambix.config.ts',
      [
        "import { defineConfig } from 'ambix';",
        'const folder: string = "./db/versions";',
        'export default defineConfig({ url: "postgres://h/db", migrations: [folder, "./db/more"], recursive: true, versionTable: "alembic_version" });',
      ].join('\n'),
    );
    const config = await resolveConfig({ cwd: project.dir, env: {} });
    expect(config.configFile).toBe(join(project.dir, 'ambix.config.ts'));
    expect(config.migrations).toEqual([join(project.dir, 'db/versions'), join(project.dir, 'db/more')]);
    expect(config.recursive).toBe(true);
    expect(config.versionTable).toBe('alembic_version');
    expect(config.urlSource).toBe('config');
  });

  it('loads .json and .mjs config files', async () => {
    const json = tempProject();
    json.write('ambix.config.json', JSON.stringify({ migrations: 'sql', revisionFormat: 'sql' }));
    expect((await resolveConfig({ cwd: json.dir, env: {} })).revisionFormat).toBe('sql');

    const mjs = tempProject();
    mjs.write('ambix.config.mjs', 'export default { truncateSlugLength: 12 };');
    expect((await resolveConfig({ cwd: mjs.dir, env: {} })).truncateSlugLength).toBe(12);
  });

  it('resolves paths relative to the config file given with -c', async () => {
    const project = tempProject();
    project.write('config/ambix.config.ts', 'export default { migrations: "../versions" };');
    const config = await resolveConfig({ cwd: project.dir, configFile: 'config/ambix.config.ts', env: {} });
    expect(config.migrations).toEqual([join(project.dir, 'versions')]);
  });

  it('calls a config function with the -x arguments and the environment name', async () => {
    const project = tempProject();
    project.write(
      'ambix.config.ts',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this string is the source text of a config file
      "export default ({ x, name }: { x: Record<string, string>; name?: string }) => ({ url: `postgres://h/${x.tenant}`, migrations: `./m-${name ?? 'main'}` });",
    );
    const config = await resolveConfig({ cwd: project.dir, x: { tenant: 'acme' }, env: {} });
    expect(config.url).toBe('postgres://h/acme');
    expect(config.x).toEqual({ tenant: 'acme' });
    expect(config.migrations).toEqual([join(project.dir, 'm-main')]);
  });

  it('lays a named environment over the top-level settings', async () => {
    const project = tempProject();
    project.write(
      'ambix.config.ts',
      'export default { url: "postgres://h/app", timezone: "Europe/Paris", environments: { analytics: { url: "postgres://h/analytics", migrations: "./analytics" } } };',
    );
    const config = await resolveConfig({ cwd: project.dir, name: 'analytics', env: {} });
    expect(config.url).toBe('postgres://h/analytics');
    expect(config.timezone).toBe('Europe/Paris');
    expect(config.migrations).toEqual([join(project.dir, 'analytics')]);
    expect(config.environment).toBe('analytics');
  });

  it('names the known environments when -n names an unknown one', async () => {
    const project = tempProject();
    project.write('ambix.config.json', JSON.stringify({ environments: { a: {}, b: {} } }));
    const error = await rejection(resolveConfig({ cwd: project.dir, name: 'c', env: {} }));
    expect(error.code).toBe('ENVIRONMENT_NOT_FOUND');
    expect(error.message).toContain("'c'");
    expect(error.hint).toContain('a, b');
  });

  it('lets --url win over the config and the config over DATABASE_URL', async () => {
    const project = tempProject();
    project.write('ambix.config.json', JSON.stringify({ url: 'postgres://h/config' }));
    const env = { DATABASE_URL: 'postgres://h/env' };
    expect((await resolveConfig({ cwd: project.dir, env })).url).toBe('postgres://h/config');
    const flagged = await resolveConfig({ cwd: project.dir, env, url: 'postgres://h/flag' });
    expect(flagged.url).toBe('postgres://h/flag');
    expect(flagged.urlSource).toBe('flag');
  });

  it('rejects unknown settings, naming the setting and the file', async () => {
    const project = tempProject();
    project.write('ambix.config.json', JSON.stringify({ migration: './m' }));
    const error = await rejection(resolveConfig({ cwd: project.dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain("unknown setting 'migration'");
    expect(error.message).toContain('ambix.config.json');
  });

  it('rejects settings of the wrong type and unknown time zones', async () => {
    const project = tempProject();
    project.write('ambix.config.json', JSON.stringify({ environments: { x: { timezone: 'Mars/Olympus' } } }));
    const error = await rejection(resolveConfig({ cwd: project.dir, name: 'x', env: {} }));
    expect(error.message).toContain("'environments.x.timezone' must be an IANA time zone");
  });

  it('resolves pglite.extensions, empty by default and frozen, and per environment', async () => {
    const none = tempProject();
    const defaults = await resolveConfig({ cwd: none.dir, env: {} });
    expect(defaults.pglite).toEqual({ extensions: [] });

    const project = tempProject();
    project.write(
      'ambix.config.ts',
      [
        "import { defineConfig } from 'ambix';",
        "export default defineConfig({ pglite: { extensions: ['uuid-ossp'] }, environments: { crypto: { pglite: { extensions: ['uuid-ossp', 'pgcrypto'] } }, plain: {} } });",
      ].join('\n'),
    );
    const config = await resolveConfig({ cwd: project.dir, env: {} });
    expect(config.pglite.extensions).toEqual(['uuid-ossp']);
    expect(Object.isFrozen(config.pglite)).toBe(true);
    expect(Object.isFrozen(config.pglite.extensions)).toBe(true);
    const crypto = await resolveConfig({ cwd: project.dir, name: 'crypto', env: {} });
    expect(crypto.pglite.extensions).toEqual(['uuid-ossp', 'pgcrypto']);
    const plain = await resolveConfig({ cwd: project.dir, name: 'plain', env: {} });
    expect(plain.pglite.extensions).toEqual(['uuid-ossp']);
  });

  it('rejects a pglite setting that is not { extensions: [names] }', async () => {
    const cases: [unknown, string][] = [
      [['uuid-ossp'], "'pglite' must be an object such as { extensions: ['uuid-ossp'] }."],
      [{ extension: ['uuid-ossp'] }, "'pglite' must be an object with extensions only (not 'extension')."],
      [
        { extensions: 'uuid-ossp' },
        "'pglite' must be an object whose extensions is a list of extension names",
      ],
      [{ extensions: ['uuid-ossp', ''] }, "'pglite' must be an object whose extensions is a list"],
      [{ extensions: [42] }, "'pglite' must be an object whose extensions is a list"],
    ];
    for (const [pglite, expected] of cases) {
      const error = await rejection(
        resolveConfig({ cwd: tempProject().dir, env: {}, config: { pglite } as never }),
      );
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain(expected);
    }
    const project = tempProject();
    project.write(
      'ambix.config.json',
      JSON.stringify({ environments: { x: { pglite: { extensions: [' '] } } } }),
    );
    const error = await rejection(resolveConfig({ cwd: project.dir, name: 'x', env: {} }));
    expect(error.message).toContain("'environments.x.pglite' must be an object whose extensions is a list");
  });

  it('reports a config file that fails to load without a stack trace in the message', async () => {
    const project = tempProject();
    project.write('ambix.config.ts', 'export default { migrations: ; };');
    const error = await rejection(resolveConfig({ cwd: project.dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^Could not load .*ambix\.config\.ts: /);
    expect(error.message).not.toContain('\n');
  });

  it('reports a -c path that does not exist', async () => {
    const project = tempProject();
    const error = await rejection(resolveConfig({ cwd: project.dir, configFile: 'nope.ts', env: {} }));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
  });
});

describe('loadDotEnv', () => {
  it('sets variables from .env without overriding ones already set', () => {
    const project = tempProject();
    project.write('.env', 'DATABASE_URL=postgres://h/from-file\nEXTRA="quoted value"\n# comment\n');
    const env: Record<string, string | undefined> = { DATABASE_URL: 'postgres://h/already-set' };
    expect(loadDotEnv(project.dir, env)).toEqual(['EXTRA']);
    expect(env).toEqual({ DATABASE_URL: 'postgres://h/already-set', EXTRA: 'quoted value' });
  });

  it('does nothing when there is no .env', () => {
    const project = tempProject();
    expect(loadDotEnv(project.dir, {})).toEqual([]);
  });
});
