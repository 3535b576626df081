import { describe, expect, it } from 'vitest';
import { parseArgs, parseXArguments } from '../../src/cli/args.js';
import { findCommandSpec } from '../../src/cli/commands.js';
import type { AmbixError } from '../../src/errors.js';

const parse = (argv: string[]) => parseArgs(argv, (command) => findCommandSpec(command)?.options);

describe('parseArgs', () => {
  it('finds the command after global options that take values', () => {
    const parsed = parse(['-c', 'other.config.ts', '-x', 'tenant=a', '--json', 'heads', '-v']);
    expect(parsed.command).toBe('heads');
    expect(parsed.options).toEqual({ config: 'other.config.ts', x: ['tenant=a'], json: true, verbose: true });
    expect(parsed.positionals).toEqual([]);
  });

  it('accepts global options after the command name', () => {
    const parsed = parse(['history', '--config', 'a.ts', '-n', 'analytics', '--url=postgres://x/y']);
    expect(parsed.options).toEqual({ config: 'a.ts', name: 'analytics', url: 'postgres://x/y' });
  });

  it('reads a negative number as a positional, so `downgrade -1` style targets work', () => {
    const parsed = parse(['show', '-1']);
    expect(parsed.positionals).toEqual(['-1']);
  });

  it('takes the next token as an option value even when it starts with a dash', () => {
    expect(parse(['history', '-r', '-3:']).options['rev-range']).toBe('-3:');
    expect(parse(['history', '-r-3:head']).options['rev-range']).toBe('-3:head');
    expect(parse(['history', '--rev-range=-2:']).options['rev-range']).toBe('-2:');
  });

  it('collects repeatable options in order', () => {
    const parsed = parse([
      'revision',
      '-m',
      'x',
      '--depends-on',
      'a',
      '--depends-on',
      'b',
      '-x',
      'k=1',
      '-xj=2',
    ]);
    expect(parsed.options['depends-on']).toEqual(['a', 'b']);
    expect(parsed.options.x).toEqual(['k=1', 'j=2']);
  });

  it('expands clusters of boolean short flags', () => {
    expect(parse(['heads', '-vq']).options).toEqual({ verbose: true, quiet: true });
  });

  it('treats everything after -- as positionals', () => {
    const parsed = parse(['merge', '-m', 'm', '--', '-abc', 'def']);
    expect(parsed.positionals).toEqual(['-abc', 'def']);
  });

  it('rejects an unknown option with a usage error that names the command', () => {
    expect(() => parse(['heads', '--frobnicate'])).toThrowError(/Unknown option --frobnicate for 'heads'/);
    try {
      parse(['heads', '--frobnicate']);
    } catch (error) {
      expect((error as AmbixError).exitCode).toBe(2);
    }
  });

  it('rejects an option of another command', () => {
    expect(() => parse(['heads', '--splice'])).toThrowError(/Unknown option --splice/);
  });

  it('rejects a missing option value and a value given to a flag', () => {
    expect(() => parse(['revision', '-m'])).toThrowError(/needs a value/);
    expect(() => parse(['heads', '--verbose=yes'])).toThrowError(/takes no value/);
  });
});

describe('parseXArguments', () => {
  it('splits KEY=VALUE at the first equals sign', () => {
    expect(parseXArguments(['a=1', 'url=postgres://u:p@h/db?x=y'])).toEqual({
      a: '1',
      url: 'postgres://u:p@h/db?x=y',
    });
  });

  it('reads a bare key as an empty value, as Alembic does', () => {
    expect(parseXArguments(['dry'])).toEqual({ dry: '' });
  });

  it('rejects an empty key', () => {
    expect(() => parseXArguments(['=1'])).toThrowError(/KEY=VALUE/);
  });
});
