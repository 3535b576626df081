import { relative } from 'node:path';
import type { SchemaDifference } from '../autogenerate/compare.js';
import type { RenameCandidate } from '../autogenerate/renames.js';
import { branches } from '../commands/branches.js';
import { edit } from '../commands/edit.js';
import { type GraphFormat, graph } from '../commands/graph.js';
import { heads } from '../commands/heads.js';
import { history } from '../commands/history.js';
import { init, listTemplates } from '../commands/init.js';
import { merge } from '../commands/merge.js';
import { revision } from '../commands/revision.js';
import { show } from '../commands/show.js';
import { type ResolvedConfig, resolveConfig } from '../config/resolve-config.js';
import { AmbixError, UsageError } from '../errors.js';
import type { MigrateResult } from '../runtime/migrate.js';
import { parseXArguments } from './args.js';
import { formatRevisionEntry, formatRevisionLine } from './format.js';
import type { CliIo } from './io.js';
import { formatDuration, type ProgressPrinter, progressPrinter } from './progress.js';

/** What a handler gives back: the result for --json and the text for people. */
export interface Output {
  readonly result: unknown;
  /** Lines that are the command's answer (printed even with --quiet). */
  readonly text: string;
  /** Informational lines (suppressed by --quiet and --json). */
  readonly info?: string;
  /** 1 for an answer CI must see as a failure (`check` finding differences); default 0. */
  readonly exitCode?: 0 | 1;
}

export interface Invocation {
  readonly options: Readonly<Record<string, boolean | string | readonly string[]>>;
  readonly positionals: readonly string[];
  readonly io: CliIo;
}

type Handler = (invocation: Invocation) => Promise<Output>;

const str = (invocation: Invocation, name: string): string | undefined => {
  const value = invocation.options[name];
  return typeof value === 'string' ? value : undefined;
};
const flag = (invocation: Invocation, name: string): boolean => invocation.options[name] === true;
const list = (invocation: Invocation, name: string): readonly string[] => {
  const value = invocation.options[name];
  return Array.isArray(value) ? value : [];
};

async function configOf(invocation: Invocation): Promise<ResolvedConfig> {
  return resolveConfig({
    cwd: invocation.io.cwd,
    env: invocation.io.env,
    configFile: str(invocation, 'config'),
    name: str(invocation, 'name'),
    url: str(invocation, 'url'),
    x: parseXArguments(list(invocation, 'x')),
  });
}

const lines = (items: readonly string[]): string => (items.length === 0 ? '' : `${items.join('\n')}\n`);
const display = (invocation: Invocation, path: string): string => relative(invocation.io.cwd, path) || path;

/** Progress goes to stderr, unless --quiet, --json or --sql (whose script is the output). */
function printerFor(invocation: Invocation): ProgressPrinter {
  return progressPrinter(invocation.io, {
    silent: flag(invocation, 'quiet') || flag(invocation, 'json') || flag(invocation, 'sql'),
  });
}

async function withProgress<T>(
  invocation: Invocation,
  run: (onProgress: ProgressPrinter['onProgress']) => Promise<T>,
): Promise<T> {
  const printer = printerFor(invocation);
  try {
    return await run(printer.onProgress);
  } finally {
    printer.stop();
  }
}

const showHeads = (heads: readonly string[]): string => (heads.length === 0 ? 'base' : heads.join(', '));

function runSummary(verb: 'Upgraded' | 'Downgraded', result: MigrateResult): string {
  if (result.steps.length === 0) {
    return `Nothing to do: the database is at ${showHeads(result.heads)}.\n`;
  }
  const total = result.steps.reduce((sum, step) => sum + step.durationMs, 0);
  const count = `${result.steps.length} migration${result.steps.length === 1 ? '' : 's'}`;
  return `${verb} ${count} in ${formatDuration(total)}; the database is at ${showHeads(result.heads)}.\n`;
}

function runOptionsOf(invocation: Invocation) {
  return {
    sql: flag(invocation, 'sql'),
    allowChanged: flag(invocation, 'allow-changed'),
    noLock: flag(invocation, 'no-lock'),
    ...(flag(invocation, 'transaction-per-migration') ? { transactionPerMigration: true } : {}),
  };
}

function formatOption(invocation: Invocation): 'ts' | 'sql' | undefined {
  const format = str(invocation, 'format');
  if (format === undefined || format === 'ts' || format === 'sql') return format;
  throw new UsageError(`--format must be 'ts' or 'sql', not '${format}'.`);
}

/** `+ table public.users`, `~ column public.users.email: type text -> character varying(255)`. */
function formatDifference(difference: SchemaDifference): string {
  const detail = difference.detail === undefined ? '' : `: ${difference.detail}`;
  const loss = difference.destructive ? ' (data is lost)' : '';
  return `${difference.sign} ${difference.object} ${difference.name}${detail}${loss}`;
}

/** `revision --autogenerate`: the migration from the database to the declared schema. */
async function autogenerateHandler(invocation: Invocation): Promise<Output> {
  const { autogenerateRevision } = await import('../commands/autogenerate-revision.js');
  const { parseRenameFlag, mergeRenames } = await import('../autogenerate/renames.js');
  const config = await configOf(invocation);
  const renames = mergeRenames(...list(invocation, 'rename').map((text) => parseRenameFlag(text)));
  const ask = invocation.io.ask;
  const result = await withProgress(invocation, (onProgress) =>
    autogenerateRevision({
      config,
      message: str(invocation, 'message'),
      head: str(invocation, 'head'),
      splice: flag(invocation, 'splice'),
      branchLabel: str(invocation, 'branch-label'),
      dependsOn: list(invocation, 'depends-on'),
      revId: str(invocation, 'rev-id'),
      versionPath: str(invocation, 'version-path'),
      format: formatOption(invocation),
      allowEmpty: flag(invocation, 'allow-empty'),
      fromEmpty: flag(invocation, 'from-empty'),
      renames,
      onProgress,
      ...(ask === undefined || flag(invocation, 'json')
        ? {}
        : {
            resolveRename: async (candidate: RenameCandidate) => {
              const what =
                candidate.kind === 'table'
                  ? `table ${candidate.schema}.${candidate.from} renamed to ${candidate.to}`
                  : `column ${candidate.schema}.${candidate.table}.${candidate.from} renamed to ${candidate.to} (${candidate.type})`;
              const answer = await ask(
                `Is ${what}? Otherwise it is dropped and added, and its data lost. [y/N] `,
              );
              return /^y(es)?$/i.test(answer.trim());
            },
          }),
    }),
  );
  const changes = result.differences.map(formatDifference);
  const warnings = result.unresolvedRenames.map((candidate) =>
    candidate.kind === 'table'
      ? `Warning: table ${candidate.schema}.${candidate.from} is dropped and ${candidate.to} added, losing its rows; if it is a rename, run again with --rename ${candidate.from}=${candidate.to}.`
      : `Warning: column ${candidate.schema}.${candidate.table}.${candidate.from} is dropped and ${candidate.to} added, losing its data; if it is a rename, run again with --rename ${candidate.table}.${candidate.from}=${candidate.to}.`,
  );
  const notes = result.notes.map((note) => `Note: ${note}`);
  if (result.created === undefined) {
    return {
      result,
      text: '',
      info: lines([
        'No changes: the database matches the schema, so no migration was written (--allow-empty writes one anyway).',
        ...notes,
      ]),
    };
  }
  return {
    result,
    text: lines([display(invocation, result.created.path)]),
    info: lines([
      ...changes.map((line) => `  ${line}`),
      ...warnings,
      ...notes,
      `Created revision ${result.created.revision.id}`,
    ]),
  };
}

export const HANDLERS: Readonly<Record<string, Handler>> = {
  async init(invocation) {
    const result = await init({
      cwd: invocation.io.cwd,
      directory: invocation.positionals[0],
      template: str(invocation, 'template'),
    });
    const written = result.files.map((file) => `  created ${display(invocation, file)}`);
    return {
      result,
      text: '',
      info: lines([
        ...written,
        '',
        "Next: set DATABASE_URL (or 'url' in ambix.config.ts), then",
        '  npx ambix revision -m "create users table"',
      ]),
    };
  },

  async 'list-templates'() {
    const result = await listTemplates();
    const width = Math.max(0, ...result.templates.map((template) => template.name.length));
    return {
      result,
      text: lines(
        result.templates.map((template) => `${template.name.padEnd(width)}  ${template.description}`),
      ),
      info: lines(['', 'Use one with: ambix init -t NAME [DIRECTORY]']),
    };
  },

  async revision(invocation) {
    if (flag(invocation, 'autogenerate')) return autogenerateHandler(invocation);
    for (const name of ['allow-empty', 'from-empty']) {
      if (flag(invocation, name)) throw new UsageError(`--${name} goes with --autogenerate.`);
    }
    if (list(invocation, 'rename').length > 0) throw new UsageError('--rename goes with --autogenerate.');
    const result = await revision({
      config: await configOf(invocation),
      message: str(invocation, 'message'),
      head: str(invocation, 'head'),
      splice: flag(invocation, 'splice'),
      branchLabel: str(invocation, 'branch-label'),
      dependsOn: list(invocation, 'depends-on'),
      revId: str(invocation, 'rev-id'),
      versionPath: str(invocation, 'version-path'),
      format: formatOption(invocation),
    });
    return {
      result,
      text: lines([display(invocation, result.path)]),
      info: `Created revision ${result.revision.id}\n`,
    };
  },

  async schema(invocation) {
    const action = invocation.positionals[0];
    if (action !== 'pull')
      throw new UsageError(`Unknown schema action '${action}': the one there is, is 'pull'.`);
    const { schemaPull } = await import('../commands/schema-pull.js');
    const config = await configOf(invocation);
    const out = str(invocation, 'out');
    const result = await withProgress(invocation, (onProgress) =>
      schemaPull(config, {
        ...(out === undefined ? {} : { out }),
        force: flag(invocation, 'force'),
        onProgress,
      }),
    );
    const counts = Object.entries(result.counts)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => `${count} ${count === 1 ? kind.replace(/s$/, '') : kind}`)
      .join(', ');
    if (result.path === undefined)
      return { result, text: result.text, info: `Read ${counts || 'nothing'}.\n` };
    return {
      result,
      text: lines([display(invocation, result.path)]),
      info: lines([
        `Read ${counts || 'nothing'}.`,
        `Next: set schema: './${display(invocation, result.path)}' in ambix.config.ts; 'ambix revision --autogenerate --from-empty' writes the migration that builds it from nothing.`,
      ]),
    };
  },

  async check(invocation) {
    // Loaded on use: the graph commands should not pay for the database runtime.
    const { check } = await import('../commands/check.js');
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) => check(config, { onProgress }));
    const notes = result.notes.map((note) => `Note: ${note}`);
    if (result.matches) {
      return { result, text: '', info: lines([`The database matches the schema.`, ...notes]) };
    }
    const count = `${result.differences.length} difference${result.differences.length === 1 ? '' : 's'}`;
    return {
      result,
      text: lines(result.differences.map(formatDifference)),
      info: lines([`The database differs from the schema (${count}):`, ...notes]),
      exitCode: 1,
    };
  },

  async merge(invocation) {
    const result = await merge({
      config: await configOf(invocation),
      revisions: invocation.positionals,
      message: str(invocation, 'message'),
      branchLabel: str(invocation, 'branch-label'),
      revId: str(invocation, 'rev-id'),
    });
    return {
      result,
      text: lines([display(invocation, result.path)]),
      info: `Created merge revision ${result.revision.id} of ${result.revision.downRevisions.join(', ')}\n`,
    };
  },

  async upgrade(invocation) {
    // Loaded on use: the graph commands should not pay for the database runtime.
    const { upgrade } = await import('../commands/upgrade.js');
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) =>
      upgrade(config, invocation.positionals[0] ?? 'head', { ...runOptionsOf(invocation), onProgress }),
    );
    if (result.script !== undefined) return { result, text: result.script };
    return { result, text: runSummary('Upgraded', result) };
  },

  async downgrade(invocation) {
    // Loaded on use: the graph commands should not pay for the database runtime.
    const { downgrade } = await import('../commands/downgrade.js');
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) =>
      downgrade(config, invocation.positionals[0]!, { ...runOptionsOf(invocation), onProgress }),
    );
    if (result.script !== undefined) return { result, text: result.script };
    return { result, text: runSummary('Downgraded', result) };
  },

  async current(invocation) {
    // Loaded on use: the graph commands should not pay for the database runtime.
    const { current } = await import('../commands/current.js');
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) =>
      current(config, { checkHeads: flag(invocation, 'check-heads'), onProgress }),
    );
    const rows = result.heads.map((head) => {
      let text = head.id;
      if (head.isHead) text += ' (head)';
      if (!head.known) text += ' (no migration file has this revision)';
      return head.message === null ? text : `${text}, ${head.message}`;
    });
    const verbose = flag(invocation, 'verbose');
    return {
      result,
      text: lines([...(verbose ? [`Current revision(s) for ${result.url}:`] : []), ...rows]),
      ...(rows.length === 0 ? { info: 'The database is at base: no revision is applied.\n' } : {}),
    };
  },

  async status(invocation) {
    // Loaded on use: the graph commands should not pay for the database runtime.
    const { status } = await import('../commands/status.js');
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) => status(config, { onProgress }));
    const out = [`Database: ${result.url}`];
    out.push(
      `Current: ${result.heads.length === 0 ? 'base (nothing applied)' : result.heads.map((head) => `${head.id}${head.isHead ? ' (head)' : ''}`).join(', ')}`,
    );
    const width = Math.max(0, ...result.pending.map((item) => item.id.length));
    if (result.pending.length > 0) {
      out.push(`Pending, in the order they would run (${result.pending.length}):`);
      for (const item of result.pending) {
        out.push(`  ${item.id.padEnd(width)}  ${item.message ?? ''}`.trimEnd());
      }
    } else {
      out.push('Pending: none');
    }
    if (result.changed.length > 0) {
      out.push(
        `Changed since applied (${result.changed.length}); 'ambix upgrade' refuses to run until resolved:`,
      );
      for (const item of result.changed) out.push(`  ${item.id}  ${item.path}`);
    }
    if (result.vanished.length > 0) {
      out.push(`Applied but missing their file (${result.vanished.length}):`);
      for (const id of result.vanished) out.push(`  ${id}`);
    }
    if (result.upToDate) out.push('Up to date.');
    return { result, text: lines(out) };
  },

  async stamp(invocation) {
    // Loaded on use: the graph commands should not pay for the database runtime.
    const { stamp } = await import('../commands/stamp.js');
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) =>
      stamp(config, invocation.positionals, {
        purge: flag(invocation, 'purge'),
        sql: flag(invocation, 'sql'),
        noLock: flag(invocation, 'no-lock'),
        onProgress,
      }),
    );
    if (result.script !== undefined) return { result, text: result.script };
    const out = [`Stamped: the database is at ${showHeads(result.heads)}.`];
    if (result.rerecorded.length > 0) {
      out.push(`Recorded the new checksum of ${result.rerecorded.join(', ')}.`);
    }
    return { result, text: lines(out) };
  },

  async resolve(invocation) {
    const { resolve } = await import('../commands/resolve.js');
    const applied = flag(invocation, 'applied');
    const rolledBack = flag(invocation, 'rolled-back');
    if (applied === rolledBack) {
      throw new UsageError('Say what became of the step: --applied or --rolled-back (one of them).', {
        hint: "--applied: you finished it by hand; --rolled-back: you undid what it did. Check the database first ('ambix history' shows the failure).",
      });
    }
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) =>
      resolve(config, invocation.positionals[0] ?? '', {
        outcome: applied ? 'applied' : 'rolled-back',
        noLock: flag(invocation, 'no-lock'),
        onProgress,
      }),
    );
    const what = result.direction === 'up' ? 'upgrade' : 'downgrade';
    return {
      result,
      text: lines([
        `Resolved the ${what} of ${result.revision} as ${result.outcome}: the database is at ${showHeads(result.heads)}.`,
      ]),
    };
  },

  async 'ensure-version'(invocation) {
    // Loaded on use: the graph commands should not pay for the database runtime.
    const { ensureVersion } = await import('../commands/ensure-version.js');
    const config = await configOf(invocation);
    const result = await withProgress(invocation, (onProgress) =>
      ensureVersion(config, {
        sql: flag(invocation, 'sql'),
        noLock: flag(invocation, 'no-lock'),
        onProgress,
      }),
    );
    if (result.script !== undefined) return { result, text: result.script };
    const both = `${result.versionTable} and ${result.historyTable}`;
    return {
      result,
      text:
        result.created.length === 0
          ? `The tables ${both} exist.\n`
          : `Created ${result.created.join(' and ')}.\n`,
    };
  },

  async heads(invocation) {
    const result = await heads({
      config: await configOf(invocation),
      resolveDependencies: flag(invocation, 'resolve-dependencies'),
    });
    const verbose = flag(invocation, 'verbose');
    return {
      result,
      text: verbose
        ? result.heads.map(formatRevisionEntry).join('\n')
        : lines(result.heads.map((head) => formatRevisionLine(head))),
    };
  },

  async branches(invocation) {
    const result = await branches({ config: await configOf(invocation) });
    const verbose = flag(invocation, 'verbose');
    const blocks = result.branchPoints.map(({ revision: point, branches: children }) => {
      const head = verbose ? formatRevisionEntry(point) : `${formatRevisionLine(point, { tree: true })}\n`;
      const indent = ' '.repeat(point.id.length);
      const rows = children.map(
        (child) => `${indent} -> ${formatRevisionLine(child, { tree: true, message: verbose })}`,
      );
      return `${head}${lines(rows)}`;
    });
    return { result, text: blocks.join('\n') };
  },

  async history(invocation) {
    const config = await configOf(invocation);
    const indicateCurrent = flag(invocation, 'indicate-current');
    const result = await withProgress(invocation, (onProgress) =>
      history({ config, range: str(invocation, 'rev-range'), indicateCurrent, onProgress }),
    );
    const currentHeads = new Set(result.currentHeads ?? []);
    const verbose = flag(invocation, 'verbose');
    return {
      result,
      text: verbose
        ? result.revisions
            .map((item) => {
              const entry = formatRevisionEntry(item);
              return currentHeads.has(item.id) ? entry.replace(/^(Rev: \S+)/, '$1 (current)') : entry;
            })
            .join('\n')
        : lines(
            result.revisions.map((item) =>
              formatRevisionLine(item, {
                parents: true,
                tree: true,
                message: true,
                current: currentHeads.has(item.id),
              }),
            ),
          ),
    };
  },

  async show(invocation) {
    const result = await show({ config: await configOf(invocation), revision: invocation.positionals[0]! });
    return { result, text: result.revisions.map(formatRevisionEntry).join('\n') };
  },

  async edit(invocation) {
    const result = await edit({ config: await configOf(invocation), revision: invocation.positionals[0]! });
    const editor = invocation.io.env.VISUAL || invocation.io.env.EDITOR;
    if (editor === undefined || editor.trim() === '') {
      throw new AmbixError('FAILED', 'No editor is set.', {
        hint: `Set EDITOR (e.g. EDITOR=vim), or open ${result.paths.map((path) => display(invocation, path)).join(', ')} yourself.`,
        details: { paths: result.paths },
      });
    }
    const status = invocation.io.openEditor(editor, result.paths);
    if (status !== 0) throw new AmbixError('FAILED', `The editor '${editor}' exited with status ${status}.`);
    return { result, text: '' };
  },

  async graph(invocation) {
    const format = str(invocation, 'format') as GraphFormat | undefined;
    const result = await graph({ config: await configOf(invocation), format });
    return { result, text: result.text };
  },
};
