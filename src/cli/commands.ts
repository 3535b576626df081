import type { OptionSpec, PositionalSpec } from './args.js';

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly positionals: readonly PositionalSpec[];
  /** Extra lines for `--help`: examples and notes. */
  readonly notes?: readonly string[];
}

const verbose: OptionSpec = {
  name: 'verbose',
  short: 'v',
  type: 'boolean',
  description: 'show full details',
};

const sqlOption: OptionSpec = {
  name: 'sql',
  type: 'boolean',
  description: 'print the SQL script instead of running it (no database connection)',
};
const noLock: OptionSpec = {
  name: 'no-lock',
  type: 'boolean',
  description: 'do not take the migration lock (for poolers that cannot hold session locks)',
};
const runOptions: readonly OptionSpec[] = [
  sqlOption,
  {
    name: 'allow-changed',
    type: 'boolean',
    description: 'run even if an applied migration file changed since it ran',
  },
  noLock,
  {
    name: 'transaction-per-migration',
    type: 'boolean',
    description: 'commit after each migration instead of once for the whole run',
  },
];

/** Every command the CLI knows, in the order `ambix --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    summary: 'create ambix.config.ts and a migrations folder',
    options: [
      {
        name: 'template',
        short: 't',
        type: 'string',
        valueName: 'NAME',
        description: "project template (default 'default')",
      },
    ],
    positionals: [{ name: 'DIRECTORY', description: 'project folder (default: the current one)' }],
    notes: ['ambix init', 'ambix init -t sql db'],
  },
  {
    name: 'list-templates',
    summary: 'list the project templates init can use',
    options: [],
    positionals: [],
  },
  {
    name: 'revision',
    summary: 'create a new migration file',
    options: [
      {
        name: 'message',
        short: 'm',
        type: 'string',
        valueName: 'MSG',
        description: 'what the migration does',
      },
      {
        name: 'head',
        type: 'string',
        valueName: 'REV',
        description: "revision to build on (default 'head')",
      },
      { name: 'splice', type: 'boolean', description: 'allow --head to be a revision that is not a head' },
      { name: 'branch-label', type: 'string', valueName: 'LABEL', description: 'label the new branch' },
      {
        name: 'depends-on',
        type: 'list',
        valueName: 'REV',
        description: 'revision or label this one depends on (repeatable)',
      },
      {
        name: 'rev-id',
        type: 'string',
        valueName: 'ID',
        description: 'use this revision id instead of a random one',
      },
      { name: 'version-path', type: 'string', valueName: 'DIR', description: 'version location to write to' },
      {
        name: 'format',
        type: 'string',
        valueName: 'ts|sql',
        description: 'file format (default from config: ts)',
      },
      {
        name: 'autogenerate',
        type: 'boolean',
        description: 'write the migration from the differences between the database and the schema module',
      },
      {
        name: 'rename',
        type: 'list',
        valueName: 'OLD=NEW',
        description:
          'with --autogenerate: a rename, not a drop and an add (users=accounts, users.name=full_name)',
      },
      {
        name: 'allow-empty',
        type: 'boolean',
        description: 'with --autogenerate: write a migration even if nothing changed',
      },
      {
        name: 'from-empty',
        type: 'boolean',
        description: 'with --autogenerate: the migration that builds the whole schema from an empty database',
      },
    ],
    positionals: [],
    notes: [
      'ambix revision -m "add users table"',
      'ambix revision --autogenerate -m "add nickname"',
      'ambix revision --autogenerate -m "rename" --rename users.name=full_name',
      'ambix revision -m "start auth" --head base --branch-label auth',
      'ambix revision -m "seed roles" --format sql --depends-on auth',
    ],
  },
  {
    name: 'schema',
    summary: "'schema pull': write an ambix/schema module describing the database as it is",
    options: [
      {
        name: 'out',
        short: 'o',
        type: 'string',
        valueName: 'FILE',
        description: 'write the module to FILE (default: stdout)',
      },
      { name: 'force', type: 'boolean', description: 'replace FILE if it exists' },
    ],
    positionals: [{ name: 'ACTION', description: 'pull', required: true }],
    notes: [
      'ambix schema pull --out src/db/schema.ts',
      'ambix revision --autogenerate --from-empty -m "initial schema"',
    ],
  },
  {
    name: 'check',
    summary: 'exit 1 when the database differs from the schema module (the CI gate for autogenerate)',
    options: [],
    positionals: [],
    notes: ['ambix check', 'ambix check --json'],
  },
  {
    name: 'merge',
    summary: 'create a migration that joins several heads',
    options: [
      { name: 'message', short: 'm', type: 'string', valueName: 'MSG', description: 'what the merge is for' },
      { name: 'branch-label', type: 'string', valueName: 'LABEL', description: 'label the merged branch' },
      {
        name: 'rev-id',
        type: 'string',
        valueName: 'ID',
        description: 'use this revision id instead of a random one',
      },
    ],
    positionals: [
      {
        name: 'REV',
        description: "revisions to join; 'heads' joins all heads",
        required: true,
        variadic: true,
      },
    ],
    notes: ['ambix merge heads -m "merge auth and billing"', 'ambix merge -m "merge" 3f2a 9c1b'],
  },
  {
    name: 'upgrade',
    summary: 'apply migrations up to a target (default head)',
    options: runOptions,
    positionals: [
      {
        name: 'TARGET',
        description: 'head (default), heads, a revision, label@head, +N; with --sql also START:END',
      },
    ],
    notes: [
      'ambix upgrade head',
      'ambix upgrade heads',
      'ambix upgrade +1',
      'ambix upgrade --sql > upgrade.sql',
      'ambix upgrade 3f2a:head --sql',
    ],
  },
  {
    name: 'downgrade',
    summary: 'revert migrations down to a target',
    options: runOptions,
    positionals: [
      {
        name: 'TARGET',
        description: 'a revision, -1, label@-1, base; with --sql START:END',
        required: true,
      },
    ],
    notes: ['ambix downgrade -1', 'ambix downgrade base', 'ambix downgrade head:3f2a --sql'],
  },
  {
    name: 'current',
    summary: "show the database's current revision(s)",
    options: [
      { ...verbose, description: 'also show the database URL (password masked)' },
      {
        name: 'check-heads',
        type: 'boolean',
        description: 'exit 1 unless the database is at the head revision(s)',
      },
    ],
    positionals: [],
  },
  {
    name: 'status',
    summary: 'show current revisions, pending migrations, and changed or missing files',
    options: [],
    positionals: [],
  },
  {
    name: 'stamp',
    summary: 'set the version table to revisions without running migrations',
    options: [
      { name: 'purge', type: 'boolean', description: 'empty the version table first, whatever it holds' },
      sqlOption,
      noLock,
    ],
    positionals: [
      {
        name: 'REV',
        description: 'revision(s) to stamp: head, heads, base, ids; with --sql also START:END',
        required: true,
        variadic: true,
      },
    ],
    notes: ['ambix stamp head', 'ambix stamp --purge 3f2a', 'ambix stamp base:head --sql'],
  },
  {
    name: 'resolve',
    summary: 'say what became of a migration step that failed half-applied (MySQL), so runs can go on',
    options: [
      {
        name: 'applied',
        type: 'boolean',
        description: 'the step was finished by hand: move the version table as the step would have',
      },
      {
        name: 'rolled-back',
        type: 'boolean',
        description: 'what the step did was undone by hand: leave the version table where it is',
      },
      noLock,
    ],
    positionals: [
      { name: 'REV', description: 'the revision of the unfinished step (a prefix will do)', required: true },
    ],
    notes: ['ambix resolve 3f2a --applied', 'ambix resolve 3f2a --rolled-back'],
  },
  {
    name: 'ensure-version',
    summary: 'create the version and history tables if they do not exist',
    options: [sqlOption, noLock],
    positionals: [],
  },
  {
    name: 'heads',
    summary: 'show the head revisions',
    options: [
      verbose,
      { name: 'resolve-dependencies', type: 'boolean', description: 'treat dependencies as parents' },
    ],
    positionals: [],
  },
  {
    name: 'branches',
    summary: 'show the branch points',
    options: [verbose],
    positionals: [],
  },
  {
    name: 'history',
    summary: 'list revisions, newest first',
    options: [
      {
        name: 'rev-range',
        short: 'r',
        type: 'string',
        valueName: 'RANGE',
        description: 'START:END, START: or :END',
      },
      verbose,
      {
        name: 'indicate-current',
        short: 'i',
        type: 'boolean',
        description: "mark the database's current revision(s) (connects to it)",
      },
    ],
    positionals: [],
    notes: ['ambix history', 'ambix history -r 3f2a:head', 'ambix history -r auth@base:auth@head -v'],
  },
  {
    name: 'show',
    summary: 'show one or more revisions in full',
    options: [],
    positionals: [
      { name: 'REV', description: 'revision id, prefix, label or symbol such as head', required: true },
    ],
  },
  {
    name: 'edit',
    summary: "open a revision's file in $EDITOR",
    options: [],
    positionals: [{ name: 'REV', description: 'revision to edit', required: true }],
  },
  {
    name: 'graph',
    summary: 'print the revision graph as Mermaid or Graphviz dot',
    options: [
      {
        name: 'format',
        type: 'string',
        valueName: 'mermaid|dot',
        description: "output format (default 'mermaid')",
      },
    ],
    positionals: [],
    notes: ['ambix graph > docs/migrations.mmd', 'ambix graph --format dot | dot -Tsvg > graph.svg'],
  },
];

export function findCommandSpec(name: string | undefined): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
