import { describe, expect, it } from 'vitest';
import { AmbixError } from '../../src/errors.js';
import type { Operation } from '../../src/operations/operation.js';
import { createOperations, type Operations, settleOperations } from '../../src/operations/operations.js';

/** Lets pending promise callbacks run (no timers involved in what is asserted). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function describeOperation(operation: Operation): string {
  return operation.kind === 'execute' ? operation.sql : operation.kind;
}

/** A runtime stand-in: records each operation and finishes it only when the test says so. */
function gatedRuntime(options: { offline?: boolean; failOn?: string } = {}) {
  const started: string[] = [];
  const finished: string[] = [];
  const gates: (() => void)[] = [];
  const op = createOperations({
    offline: options.offline ?? false,
    x: { tenant: 'acme' },
    emit(operation) {
      const name = describeOperation(operation);
      started.push(name);
      return new Promise<void>((resolve, reject) => {
        gates.push(() => {
          finished.push(name);
          if (name === options.failOn) reject(new Error(`${name} failed`));
          else resolve();
        });
      });
    },
    async query(sql) {
      started.push(`query ${sql}`);
      return [{ answer: 42 }];
    },
  });
  const release = async () => {
    const gate = gates.shift();
    if (gate === undefined) throw new Error('nothing is waiting');
    gate();
    await flush();
  };
  return { op, started, finished, release };
}

/** A runtime that runs each operation at once and records it. */
function recordingRuntime(options: { offline?: boolean; failOn?: string } = {}) {
  const emitted: Operation[] = [];
  const op = createOperations({
    offline: options.offline ?? false,
    async emit(operation) {
      if (describeOperation(operation) === options.failOn) throw new Error(`${options.failOn} failed`);
      emitted.push(operation);
    },
    ...(options.offline ? {} : { query: async (sql: string) => [{ sql, at: emitted.length }] }),
  });
  return { op, emitted, names: () => emitted.map(describeOperation) };
}

describe('the op facade', () => {
  it('runs un-awaited operations one at a time, in call order', async () => {
    const { op, started, finished, release } = gatedRuntime();
    void op.execute('a');
    void op.execute('b');
    void op.execute('c');
    await flush();
    expect(started).toEqual(['a']);
    await release();
    expect(started).toEqual(['a', 'b']);
    expect(finished).toEqual(['a']);
    await release();
    await release();
    expect(finished).toEqual(['a', 'b', 'c']);
    await settleOperations(op);
  });

  it('runs a migration that awaits nothing completely before settleOperations resolves', async () => {
    const { op, names } = recordingRuntime();
    const upgrade = (o: Operations) => {
      o.createTable('users', [{ name: 'id', type: 'uuid', primaryKey: true }]);
      o.addColumn('users', { name: 'email', type: 'text' });
      o.execute('c');
    };
    upgrade(op);
    await settleOperations(op);
    expect(names()).toEqual(['createTable', 'addColumn', 'c']);
  });

  it('rejects the failing operation, fails every later one without running it, and surfaces the failure', async () => {
    const { op, names } = recordingRuntime({ failOn: 'b' });
    const a = op.execute('a');
    const b = op.execute('b');
    const c = op.execute('c');
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toThrow('b failed');
    await expect(c).rejects.toThrow('b failed');
    await expect(settleOperations(op)).rejects.toThrow('b failed');
    expect(names()).toEqual(['a']);
  });

  it('surfaces a failure nobody awaited (and raises no unhandled rejection)', async () => {
    const { op, names } = recordingRuntime({ failOn: 'a' });
    void op.execute('a');
    void op.execute('b');
    await expect(settleOperations(op)).rejects.toThrow('a failed');
    expect(names()).toEqual([]);
  });

  it('turns bad arguments into a rejection of that call, in order, which stops the migration', async () => {
    const { op, names } = recordingRuntime();
    void op.execute('a');
    const bad = op.addColumn('users', { name: 'x', type: 'text; DROP TABLE users' });
    void op.execute('b');
    await expect(bad).rejects.toThrow(AmbixError);
    await expect(bad).rejects.toThrow(/op\.addColumn\(\): .*is not a type name/);
    await expect(settleOperations(op)).rejects.toThrow(AmbixError);
    expect(names()).toEqual(['a']);
  });

  it('hands the runtime frozen operations', async () => {
    const { op, emitted } = recordingRuntime();
    await op.createIndex('ix', 'users', ['email'], { where: 'deleted_at IS NULL' });
    const [operation] = emitted;
    expect(Object.isFrozen(operation)).toBe(true);
    expect(Object.isFrozen((operation as { columns: unknown }).columns)).toBe(true);
  });

  it('runs query() after everything called before it and returns its rows', async () => {
    const { op, started, release } = gatedRuntime();
    void op.execute('a');
    const rows = op.query('SELECT 42 AS answer');
    await flush();
    expect(started).toEqual(['a']);
    await release();
    expect(await rows).toEqual([{ answer: 42 }]);
    expect(started).toEqual(['a', 'query SELECT 42 AS answer']);
  });

  it('refuses query() offline with an AmbixError that says how to write the migration instead', async () => {
    const { op } = recordingRuntime({ offline: true });
    expect(op.offline).toBe(true);
    const error = await op.query('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbixError);
    expect((error as AmbixError).message).toBe(
      'op.query("SELECT 1") reads the database, and an offline (--sql) run has none.',
    );
    expect((error as AmbixError).hint).toMatch(/op\.execute\(\)/);
    await expect(settleOperations(op)).rejects.toBe(error);
  });

  it('exposes the -x arguments as a frozen record', () => {
    const { op } = gatedRuntime();
    expect(op.x).toEqual({ tenant: 'acme' });
    expect(Object.isFrozen(op.x)).toBe(true);
    expect(Object.isFrozen(op)).toBe(true);
  });

  describe('autocommit', () => {
    it('brackets its block with autocommit markers', async () => {
      const { op, emitted, names } = recordingRuntime();
      await op.execute('before');
      const value = await op.autocommit(async () => {
        await op.createIndex('ix', 'users', ['email'], { concurrently: true });
        await op.execute('inside');
        return 7;
      });
      await op.execute('after');
      expect(value).toBe(7);
      expect(names()).toEqual([
        'before',
        'beginAutocommit',
        'createIndex',
        'inside',
        'endAutocommit',
        'after',
      ]);
      expect(emitted[1]).toEqual({ kind: 'beginAutocommit' });
    });

    it('keeps call order when neither the block nor the operations inside it are awaited', async () => {
      const { op, names } = recordingRuntime();
      void op.execute('before');
      void op.autocommit(async () => {
        void op.execute('inside 1');
        await Promise.resolve();
        void op.execute('inside 2');
      });
      void op.execute('after');
      await settleOperations(op);
      expect(names()).toEqual([
        'before',
        'beginAutocommit',
        'inside 1',
        'inside 2',
        'endAutocommit',
        'after',
      ]);
    });

    it('does not end a block that failed, and fails the migration', async () => {
      const { op, names } = recordingRuntime({ failOn: 'inside' });
      const block = op.autocommit(async () => {
        await op.execute('inside');
      });
      void op.execute('after');
      await expect(block).rejects.toThrow('inside failed');
      await expect(settleOperations(op)).rejects.toThrow('inside failed');
      expect(names()).toEqual(['beginAutocommit']);
    });

    it('refuses nested blocks', async () => {
      const { op } = recordingRuntime();
      const outer = op.autocommit(async () => {
        await op.autocommit(async () => undefined);
      });
      await expect(outer).rejects.toThrow(/do not nest/);
    });
  });
});
