/**
 * Comparison: the operations that take a database from one schema model to another. Pure: no database, no files.
 *
 * Both models are expected in the database's own spelling (reflected, or declared and materialized, see
 * autogenerate.ts), so that equal objects compare equal as plain data. The downgrade of a generated migration is
 * the comparison the other way round, with the renames inverted: each direction is exact by construction.
 */
import { operationBuilders as op } from '../operations/builders.js';
import { BEGIN_AUTOCOMMIT, END_AUTOCOMMIT } from '../operations/data-operations.js';
import type { ColumnDefinition, Identity, TableConstraintInput } from '../operations/definitions.js';
import type { Operation } from '../operations/operation.js';
import { type SqlExpression, sql } from '../operations/sql-expression.js';
import type { AlterColumnOptions } from '../operations/table-operations.js';
import { qualifiedTypeName } from '../schema/dsl/objects.js';
import type {
  CheckModel,
  ColumnModel,
  DomainModel,
  EnumModel,
  ExcludeModel,
  ForeignKeyModel,
  FunctionModel,
  IndexModel,
  OtherObjectModel,
  PrimaryKeyModel,
  QualifiedName,
  SchemaModel,
  SequenceModel,
  TableModel,
  TriggerModel,
  UniqueModel,
  ViewModel,
} from '../schema/model.js';
import { defaultNames } from '../schema/naming.js';
import { SEQUENCE_MAXIMUMS } from '../schema/types.js';
import { batchOf } from './batch.js';

/** Renames the comparison applies instead of a drop and an add. */
export interface Renames {
  readonly tables?: readonly { readonly schema: string; readonly from: string; readonly to: string }[];
  readonly columns?: readonly {
    readonly schema: string;
    readonly table: string;
    /** The column's old name. */
    readonly from: string;
    readonly to: string;
  }[];
}

/** One difference, as `ambix revision --autogenerate` and `ambix check` report it. */
export interface SchemaDifference {
  /** `+` added, `-` removed, `~` changed, `>` renamed. */
  readonly sign: '+' | '-' | '~' | '>';
  /** `table`, `column`, `index`, `foreign key`… */
  readonly object: string;
  /** The object's qualified name: `public.users`, `public.users.email`. */
  readonly name: string;
  /** What changed, for `~`: `type text -> character varying(255)`. */
  readonly detail?: string;
  /** Dropping it loses data (a table's or a column's). */
  readonly destructive: boolean;
}

export interface Comparison {
  readonly differences: readonly SchemaDifference[];
  /** In an order that runs: types before the tables using them, tables before the foreign keys to them, … */
  readonly operations: readonly Operation[];
  /** What the comparison noticed but leaves alone (objects it cannot drop safely). */
  readonly notes: readonly string[];
}

/** When each kind of statement runs; within a phase, in the order found. */
enum Phase {
  /** Committed on their own (an `op.autocommit` block): PostgreSQL refuses a value added in the open transaction. */
  AddEnumValues,
  CreateSchemas,
  CreateExtensions,
  CreateTypes,
  CreateSequences,
  CreateProceduralFunctions,
  DropTriggers,
  DropViews,
  /** Identities that go, before the keys that SQLite's and MySQL's identities need. */
  DropIdentities,
  DropForeignKeys,
  DropConstraints,
  Tables,
  DropTables,
  AlterSequenceOwners,
  AddConstraints,
  /** Identities that come, once their column is NOT NULL, without a default, and (SQLite, MySQL) a key. */
  AddIdentities,
  AddForeignKeys,
  CreateSqlFunctions,
  CreateAggregates,
  CreateViews,
  CreateTriggers,
  CreateOthers,
  /** Comments on types, sequences and functions, once they exist (those of tables, columns and views go with them). */
  Comments,
  DropFunctions,
  DropSequences,
  DropTypes,
  DropExtensions,
  DropSchemas,
}

const key = (schema: string, name: string): string => `${schema}\u0000${name}`;
const qualified = (schema: string, name: string): string => `${schema}.${name}`;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoted(schema: string, name: string): string {
  return `${quote(schema)}.${quote(name)}`;
}

class Plan {
  /** The schema operations leave unnamed: `public` on PostgreSQL, `main` on SQLite and MySQL. */
  constructor(
    readonly defaultSchema: string,
    readonly alterConstraints: boolean,
    readonly castOnTypeChange: boolean,
    readonly renameConstraints: boolean,
    readonly foreignKeysNeedIndex: boolean,
    readonly identityNeedsKey: boolean,
    readonly namedPrimaryKeys: boolean,
  ) {}

  readonly steps: { phase: Phase; order: number; operation: Operation }[] = [];
  readonly differences: SchemaDifference[] = [];
  readonly notes: string[] = [];

  /** `{ schema }` for an operation's options, or nothing for the default schema. */
  schemaOption(schema: string): { schema?: string } {
    return schema === this.defaultSchema ? {} : { schema };
  }

  add(phase: Phase, ...operations: readonly Operation[]): void {
    for (const operation of operations) this.steps.push({ phase, order: this.steps.length, operation });
  }

  differ(
    sign: SchemaDifference['sign'],
    object: string,
    name: string,
    detail?: string,
    destructive = false,
  ): void {
    this.differences.push({ sign, object, name, ...(detail === undefined ? {} : { detail }), destructive });
  }

  result(): Comparison {
    const sorted = [...this.steps].sort((a, b) => a.phase - b.phase || a.order - b.order);
    const autocommitted = sorted.filter((step) => step.phase === Phase.AddEnumValues).length;
    const operations = sorted.map((step) => step.operation);
    // New enum values are committed before anything can use them (a default, a view, a check); they come first,
    // so the block commits nothing else of the migration early.
    if (autocommitted > 0) operations.splice(autocommitted, 0, END_AUTOCOMMIT);
    if (autocommitted > 0) operations.unshift(BEGIN_AUTOCOMMIT);
    return Object.freeze({
      differences: Object.freeze(this.differences),
      operations: Object.freeze(operations),
      notes: Object.freeze(this.notes),
    });
  }
}

export interface CompareOptions {
  /** The schema whose objects the operations name without one: `public` (the default), `main` on SQLite and MySQL. */
  readonly defaultSchema?: string;
  /**
   * Whether constraints can be added to and dropped from a table in place (not on SQLite, where each is a copy of
   * the table). Without, a new table's foreign keys are written in its CREATE TABLE (SQLite checks a reference when
   * rows are written, not when the table is created, so the order of tables does not matter), and a dropped
   * table's foreign keys go with it.
   */
  readonly alterConstraints?: boolean;
  /**
   * Whether a type change casts the values with an explicit `USING column::type` (PostgreSQL, the default, which
   * converts on its own only where an assignment cast exists). SQLite and MySQL convert values themselves.
   */
  readonly castOnTypeChange?: boolean;
  /**
   * Whether constraints and indexes are renamed in place (PostgreSQL, the default). Without, a constraint or index
   * that only changes its name is dropped and added again.
   */
  readonly renameConstraints?: boolean;
  /**
   * Whether each foreign key needs an index that starts with its columns (MySQL's InnoDB, which makes one when
   * none exists, and refuses to drop the last one). Before such an index is dropped, the foreign key gets an index
   * of its own again, named after it, as InnoDB would have made it.
   */
  readonly foreignKeysNeedIndex?: boolean;
  /**
   * Whether an identity column must be a key (SQLite, where it is the rowid and the only primary key column; MySQL,
   * whose AUTO_INCREMENT needs an index): an identity goes before its key is dropped and comes after it is made,
   * and a new identity column that is the table's new primary key is added with the key.
   */
  readonly identityNeedsKey?: boolean;
  /** Whether primary keys have names of their own (not on MySQL, where every one is `PRIMARY`). */
  readonly namedPrimaryKeys?: boolean;
}

/** The operations that turn a database shaped like `from` into one shaped like `to`. */
export function compareSchemas(
  from: SchemaModel,
  to: SchemaModel,
  renames: Renames = {},
  options: CompareOptions = {},
): Comparison {
  const plan = new Plan(
    options.defaultSchema ?? 'public',
    options.alterConstraints ?? true,
    options.castOnTypeChange ?? true,
    options.renameConstraints ?? true,
    options.foreignKeysNeedIndex ?? false,
    options.identityNeedsKey ?? false,
    options.namedPrimaryKeys ?? true,
  );
  compareSchemaNames(plan, from, to);
  compareExtensions(plan, from, to);
  compareEnums(plan, from, to, renames);
  compareDomains(plan, from, to);
  compareSequences(plan, from, to, renames);
  compareFunctions(plan, from, to);
  compareTables(plan, from, to, renames);
  compareViews(plan, from, to, renames);
  compareTriggers(plan, from, to);
  compareOthers(plan, from, to);
  compareComments(plan, from, to);
  return plan.result();
}

/**
 * Comments on enums, domains, sequences, functions and procedures: set where they differ, and on an object the
 * migration makes anew (added, or dropped and recreated: an enum that loses values, a domain whose base type
 * changes, a function whose return type changes), which starts without one.
 */
function compareComments(plan: Plan, from: SchemaModel, to: SchemaModel): void {
  const recreatedEnums = new Set(recreatedEnumTypes(from, to));
  const kinds: {
    readonly object: string;
    readonly sql: string;
    readonly before: readonly CommentedObject[];
    readonly after: readonly CommentedObject[];
    readonly recreated: (before: CommentedObject, after: CommentedObject) => boolean;
  }[] = [
    {
      object: 'enum',
      sql: 'TYPE',
      before: from.enums.map(commented),
      after: to.enums.map(commented),
      recreated: (_before, after) => recreatedEnums.has(qualifiedTypeName(after.schema, after.name)),
    },
    {
      object: 'domain',
      sql: 'DOMAIN',
      before: from.domains.map((d) => ({ ...commented(d), identity: `${d.type}\u0000${d.collation ?? ''}` })),
      after: to.domains.map((d) => ({ ...commented(d), identity: `${d.type}\u0000${d.collation ?? ''}` })),
      recreated: (before, after) => before.identity !== after.identity,
    },
    {
      object: 'sequence',
      sql: 'SEQUENCE',
      before: from.sequences.map(commented),
      after: to.sequences.map(commented),
      recreated: () => false,
    },
    ...(['function', 'procedure'] as const).map((kind) => ({
      object: kind,
      sql: kind.toUpperCase(),
      before: from.functions.filter((f) => f.kind === kind).map(commentedFunction),
      after: to.functions.filter((f) => f.kind === kind).map(commentedFunction),
      recreated: (before: CommentedObject, after: CommentedObject) => before.identity !== after.identity,
    })),
  ];
  for (const kind of kinds) {
    const before = new Map(kind.before.map((item) => [item.key, item]));
    for (const after of kind.after) {
      const old = before.get(after.key);
      const anew = old === undefined || kind.recreated(old, after);
      if (anew ? after.comment === undefined : old.comment === after.comment) continue;
      if (!anew) plan.differ('~', kind.object, after.shown, 'comment');
      plan.add(
        Phase.Comments,
        op.execute(
          `COMMENT ON ${kind.sql} ${after.target} IS ${after.comment === undefined ? 'NULL' : stringLiteral(after.comment)}`,
        ),
      );
    }
  }
}

interface CommentedObject {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  /** How COMMENT ON names it. */
  readonly target: string;
  /** How a difference names it. */
  readonly shown: string;
  readonly comment?: string;
  /** What, when it changes, makes the migration drop and create the object again. */
  readonly identity?: string;
}

function commented(item: {
  readonly schema: string;
  readonly name: string;
  readonly comment?: string;
}): CommentedObject {
  return {
    key: key(item.schema, item.name),
    schema: item.schema,
    name: item.name,
    target: quoted(item.schema, item.name),
    shown: qualified(item.schema, item.name),
    ...(item.comment === undefined ? {} : { comment: item.comment }),
  };
}

function commentedFunction(f: FunctionModel): CommentedObject {
  return {
    ...commented(f),
    key: functionKey(f),
    target: `${quoted(f.schema, f.name)}(${f.identityArguments})`,
    shown: `${qualified(f.schema, f.name)}(${f.identityArguments})`,
    identity: returnsOf(f.definition) ?? '',
  };
}

/** Objects by key, and the keys only one side has. */
function pair<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
): { removed: T[]; added: T[]; kept: [T, T][] } {
  const beforeByKey = new Map(before.map((item) => [keyOf(item), item]));
  const afterByKey = new Map(after.map((item) => [keyOf(item), item]));
  return {
    removed: before.filter((item) => !afterByKey.has(keyOf(item))),
    added: after.filter((item) => !beforeByKey.has(keyOf(item))),
    kept: after
      .filter((item) => beforeByKey.has(keyOf(item)))
      .map((item) => [beforeByKey.get(keyOf(item))!, item]),
  };
}

function compareSchemaNames(plan: Plan, from: SchemaModel, to: SchemaModel): void {
  const { removed, added } = pair(from.schemas, to.schemas, (name) => name);
  for (const name of added) {
    plan.differ('+', 'schema', name);
    plan.add(Phase.CreateSchemas, op.createSchema(name));
  }
  for (const name of removed) {
    plan.differ('-', 'schema', name);
    plan.add(Phase.DropSchemas, op.dropSchema(name));
  }
}

function compareExtensions(plan: Plan, from: SchemaModel, to: SchemaModel): void {
  const { removed, added, kept } = pair(from.extensions, to.extensions, (e) => e.name);
  for (const extension of added) {
    plan.differ('+', 'extension', extension.name);
    plan.add(
      Phase.CreateExtensions,
      op.createExtension(extension.name, { ifNotExists: true, ...plan.schemaOption(extension.schema) }),
    );
  }
  for (const extension of removed) {
    plan.differ('-', 'extension', extension.name);
    plan.add(Phase.DropExtensions, op.dropExtension(extension.name));
  }
  for (const [before, after] of kept) {
    if (before.schema !== after.schema) {
      plan.differ('~', 'extension', after.name, `schema ${before.schema} -> ${after.schema}`);
      plan.add(
        Phase.CreateExtensions,
        op.execute(`ALTER EXTENSION ${quote(after.name)} SET SCHEMA ${quote(after.schema)}`),
      );
    }
  }
}

function compareEnums(plan: Plan, from: SchemaModel, to: SchemaModel, renames: Renames): void {
  const { removed, added, kept } = pair(from.enums, to.enums, (e) => key(e.schema, e.name));
  for (const type of added) {
    plan.differ('+', 'enum', qualified(type.schema, type.name));
    plan.add(Phase.CreateTypes, op.createEnum(type.name, type.values, plan.schemaOption(type.schema)));
  }
  for (const type of removed) {
    plan.differ('-', 'enum', qualified(type.schema, type.name));
    plan.add(Phase.DropTypes, op.dropEnum(type.name, plan.schemaOption(type.schema)));
  }
  for (const [before, after] of kept) {
    if (same(before.values, after.values)) continue;
    const name = qualified(after.schema, after.name);
    const keepsOrder = onlyAddsValues(before.values, after.values);
    if (keepsOrder) {
      // New values only: ALTER TYPE … ADD VALUE, each placed next to a value that was there before it.
      for (const [index, value] of after.values.entries()) {
        if (before.values.includes(value)) continue;
        plan.differ('~', 'enum', name, `add value '${value}'`);
        const next = after.values.slice(index + 1).find((v) => before.values.includes(v));
        const previous = after.values
          .slice(0, index)
          .reverse()
          .find((v) => before.values.includes(v) || v !== value);
        plan.add(
          Phase.AddEnumValues,
          op.addEnumValue(after.name, value, {
            ...plan.schemaOption(after.schema),
            ...(next !== undefined ? { before: next } : previous !== undefined ? { after: previous } : {}),
          }),
        );
      }
    } else {
      plan.differ(
        '~',
        'enum',
        name,
        `values ${before.values.join(', ')} -> ${after.values.join(', ')}`,
        true,
      );
      recreateEnum(plan, from, to, before, after, renames);
    }
  }
}

/** Whether `after` is `before` with values added (at any place) and none removed or moved. */
function onlyAddsValues(before: readonly string[], after: readonly string[]): boolean {
  const kept = after.filter((value) => before.includes(value));
  return kept.length === before.length && kept.every((value, i) => value === before[i]);
}

/**
 * PostgreSQL cannot remove or reorder an enum's values: the type is renamed aside, created anew, every column of
 * it converted through text (a row holding a removed value makes that fail, which is what should happen), and the
 * old type dropped.
 */
function recreateEnum(
  plan: Plan,
  from: SchemaModel,
  to: SchemaModel,
  before: EnumModel,
  after: EnumModel,
  renames: Renames,
): void {
  const columnAfter = columnAfterRenames(renames);
  const aside = `${after.name}__ambix_old`;
  plan.add(
    Phase.CreateTypes,
    op.execute(`ALTER TYPE ${quoted(after.schema, after.name)} RENAME TO ${quote(aside)}`),
  );
  plan.add(Phase.CreateTypes, op.createEnum(after.name, after.values, plan.schemaOption(after.schema)));
  const typeName = qualifiedTypeName(before.schema, before.name);
  for (const table of from.tables) {
    for (const column of table.columns) {
      const array = column.type === `${typeName}[]`;
      if (column.type !== typeName && !array) continue;
      const target = `${quoted(after.schema, after.name)}${array ? '[]' : ''}`;
      const alter = `ALTER TABLE ${quoted(table.schema, table.name)} ALTER COLUMN ${quote(column.name)}`;
      // Converted before the renames run, under its old names; its default is the one it is to have.
      const now = columnAfter({ schema: table.schema, table: table.name, column: column.name });
      const newDefault = to.tables
        .find((t) => t.schema === now.schema && t.name === now.table)
        ?.columns.find((c) => c.name === now.column)?.default;
      const statements = [
        ...(column.default === undefined ? [] : [`${alter} DROP DEFAULT`]),
        `${alter} TYPE ${target} USING ${quote(column.name)}::text${array ? '[]' : ''}::${target}`,
        // The default the column is to have: the old one may name a value the new type lacks.
        ...(newDefault === undefined ? [] : [`${alter} SET DEFAULT ${newDefault}`]),
      ];
      // With the tables' changes: after the views that read these columns are dropped.
      plan.add(Phase.Tables, ...statements.map((statement) => op.execute(statement)));
    }
  }
  plan.add(Phase.DropTables, op.execute(`DROP TYPE ${quoted(after.schema, aside)}`));
}

/** The names of the enums recreated (values removed or reordered), as columns of them name their type. */
function recreatedEnumTypes(from: SchemaModel, to: SchemaModel): string[] {
  return from.enums
    .filter((e) => {
      const after = to.enums.find((x) => x.schema === e.schema && x.name === e.name);
      return after !== undefined && !onlyAddsValues(e.values, after.values);
    })
    .map((e) => qualifiedTypeName(e.schema, e.name));
}

function domainSql(domain: DomainModel): string {
  let text = `CREATE DOMAIN ${quoted(domain.schema, domain.name)} AS ${domain.type}`;
  if (domain.collation !== undefined) text += ` COLLATE ${quote(domain.collation)}`;
  if (domain.default !== undefined) text += ` DEFAULT ${domain.default}`;
  if (!domain.nullable) text += ' NOT NULL';
  for (const check of domain.checks)
    text += ` CONSTRAINT ${quote(check.name)} CHECK (${stripCheck(check.expression)})`;
  return text;
}

/** A check's expression as the catalog may print it, `CHECK (…)` included, reduced to the expression. */
function stripCheck(expression: string): string {
  const match = /^CHECK \((.*)\)( NOT VALID| NO INHERIT)*$/s.exec(expression.trim());
  return match === null ? expression : match[1]!;
}

function compareDomains(plan: Plan, from: SchemaModel, to: SchemaModel): void {
  const { removed, added, kept } = pair(from.domains, to.domains, (d) => key(d.schema, d.name));
  for (const domain of added) {
    plan.differ('+', 'domain', qualified(domain.schema, domain.name));
    plan.add(Phase.CreateTypes, op.execute(domainSql(domain)));
  }
  for (const domain of removed) {
    plan.differ('-', 'domain', qualified(domain.schema, domain.name));
    plan.add(Phase.DropTypes, op.execute(`DROP DOMAIN ${quoted(domain.schema, domain.name)}`));
  }
  for (const [before, after] of kept) {
    const name = qualified(after.schema, after.name);
    const alter = `ALTER DOMAIN ${quoted(after.schema, after.name)}`;
    if (before.type !== after.type || before.collation !== after.collation) {
      plan.differ('~', 'domain', name, `type ${before.type} -> ${after.type}`, true);
      plan.notes.push(
        `Domain ${name} changes its base type, which PostgreSQL cannot alter: the migration drops and recreates it, which fails while columns use it; convert those columns first.`,
      );
      plan.add(
        Phase.CreateTypes,
        op.execute(`DROP DOMAIN ${quoted(before.schema, before.name)}`),
        op.execute(domainSql(after)),
      );
      continue;
    }
    if (before.default !== after.default) {
      plan.differ('~', 'domain', name, `default ${before.default ?? 'none'} -> ${after.default ?? 'none'}`);
      plan.add(
        Phase.CreateTypes,
        op.execute(
          after.default === undefined ? `${alter} DROP DEFAULT` : `${alter} SET DEFAULT ${after.default}`,
        ),
      );
    }
    if (before.nullable !== after.nullable) {
      plan.differ('~', 'domain', name, after.nullable ? 'nullable' : 'not null');
      plan.add(Phase.CreateTypes, op.execute(`${alter} ${after.nullable ? 'DROP' : 'SET'} NOT NULL`));
    }
    const checks = pair(before.checks, after.checks, (c) => `${c.name}\u0000${c.expression}`);
    for (const check of checks.removed) {
      plan.differ('-', 'domain check', `${name}.${check.name}`);
      plan.add(Phase.CreateTypes, op.execute(`${alter} DROP CONSTRAINT ${quote(check.name)}`));
    }
    for (const check of checks.added) {
      plan.differ('+', 'domain check', `${name}.${check.name}`);
      plan.add(
        Phase.CreateTypes,
        op.execute(`${alter} ADD CONSTRAINT ${quote(check.name)} CHECK (${stripCheck(check.expression)})`),
      );
    }
  }
}

function sequenceOptions(plan: Plan, sequence: SequenceModel) {
  return {
    ...plan.schemaOption(sequence.schema),
    as: sequence.type,
    start: integer(sequence.start),
    increment: integer(sequence.increment),
    minValue: integer(sequence.minValue),
    maxValue: integer(sequence.maxValue),
    cache: integer(sequence.cache),
    ...(sequence.cycle ? { cycle: true } : {}),
  };
}

function compareSequences(plan: Plan, from: SchemaModel, to: SchemaModel, renames: Renames): void {
  const { removed, added, kept } = pair(from.sequences, to.sequences, (s) => key(s.schema, s.name));
  const ownerAfter = columnAfterRenames(renames);
  // PostgreSQL keeps a serial column's sequence name when the table or column is renamed: a sequence owned by the
  // same column under another name is renamed (dropping it and creating another would restart its numbering).
  const renamed: [SequenceModel, SequenceModel][] = [];
  for (const sequence of removed) {
    if (sequence.ownedBy === undefined) continue;
    const owner = ownerAfter(sequence.ownedBy);
    const twin = added.find(
      (s) => s.ownedBy !== undefined && sameColumn(s.ownedBy, owner) && !renamed.some(([, a]) => a === s),
    );
    if (twin !== undefined) renamed.push([sequence, twin]);
  }
  for (const sequence of added) {
    if (renamed.some(([, a]) => a === sequence)) continue;
    // A serial column's sequence is part of its column: the column (or its table) is the difference.
    if (sequence.ownedBy === undefined)
      plan.differ('+', 'sequence', qualified(sequence.schema, sequence.name));
    plan.add(Phase.CreateSequences, op.createSequence(sequence.name, sequenceOptions(plan, sequence)));
    if (sequence.ownedBy !== undefined) {
      plan.add(
        Phase.AlterSequenceOwners,
        op.alterSequence(sequence.name, {
          ...plan.schemaOption(sequence.schema),
          ownedBy: ownerOf(plan, sequence.ownedBy),
        }),
      );
    }
  }
  for (const sequence of removed) {
    if (renamed.some(([r]) => r === sequence)) continue;
    // A sequence owned by a column goes with its column's table.
    const owner = sequence.ownedBy === undefined ? undefined : ownerAfter(sequence.ownedBy);
    if (owner !== undefined && !to.tables.some((t) => t.schema === owner.schema && t.name === owner.table))
      continue;
    plan.differ('-', 'sequence', qualified(sequence.schema, sequence.name));
    plan.add(
      Phase.DropSequences,
      op.dropSequence(sequence.name, { ...plan.schemaOption(sequence.schema), ifExists: true }),
    );
  }
  for (const [before, after] of renamed) {
    plan.differ('>', 'sequence', qualified(before.schema, before.name), `renamed to ${after.name}`);
    plan.add(
      Phase.CreateSequences,
      op.execute(`ALTER SEQUENCE ${quoted(before.schema, before.name)} RENAME TO ${quote(after.name)}`),
    );
  }
  for (const [before, after] of [...kept, ...renamed]) {
    // The comment is compareComments'.
    const { ownedBy: ownerBefore, name: _before, comment: _c1, ...restBefore } = before;
    const { ownedBy: owner, name: _after, comment: _c2, ...restAfter } = after;
    if (!same(restBefore, restAfter)) {
      plan.differ('~', 'sequence', qualified(after.schema, after.name));
      const { schema: _s, ...parameters } = sequenceOptions(plan, after);
      plan.add(
        Phase.CreateSequences,
        op.alterSequence(after.name, { ...plan.schemaOption(after.schema), ...parameters }),
      );
    }
    const ownerNow = ownerBefore === undefined ? undefined : ownerAfter(ownerBefore);
    if (ownerNow === undefined ? owner !== undefined : owner === undefined || !sameColumn(ownerNow, owner)) {
      plan.add(
        Phase.AlterSequenceOwners,
        op.alterSequence(after.name, {
          ...plan.schemaOption(after.schema),
          ownedBy: owner === undefined ? null : ownerOf(plan, owner),
        }),
      );
    }
  }
}

/** A column, by its schema, table and name (as a sequence's `ownedBy` names it). */
interface ColumnAddress {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

function sameColumn(a: ColumnAddress, b: ColumnAddress): boolean {
  return a.schema === b.schema && a.table === b.table && a.column === b.column;
}

/** A table's name once the tables are renamed. */
function tableAfterRenames(renames: Renames, schema: string, table: string): string {
  return (renames.tables ?? []).find((r) => r.schema === schema && r.from === table)?.to ?? table;
}

/** Where a column ends up once the tables and columns are renamed. */
function columnAfterRenames(renames: Renames): (column: ColumnAddress) => ColumnAddress {
  return ({ schema, table, column }) => {
    const tableNow = tableAfterRenames(renames, schema, table);
    const columnNow =
      (renames.columns ?? []).find((r) => r.schema === schema && r.table === tableNow && r.from === column)
        ?.to ?? column;
    return { schema, table: tableNow, column: columnNow };
  };
}

/** A catalog integer as a number when it is one exactly, else a bigint (sequence bounds). */
function integer(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function ownerOf(plan: Plan, owner: NonNullable<SequenceModel['ownedBy']>) {
  return { table: owner.table, column: owner.column, ...plan.schemaOption(owner.schema) };
}

const functionKey = (f: FunctionModel): string => `${key(f.schema, f.name)}(${f.identityArguments})`;

/** SQL functions are checked against the tables they read when created; others are not, and may be needed by tables. */
function isSqlFunction(definition: string): boolean {
  return /\n\s*LANGUAGE sql\b/i.test(definition);
}

function compareFunctions(plan: Plan, from: SchemaModel, to: SchemaModel): void {
  const { removed, added, kept } = pair(from.functions, to.functions, functionKey);
  // Functions come after the tables (their signatures may name a table's row type, an SQL function's body reads
  // tables), except those the tables themselves need: named in a default, a check, an index or a domain.
  const neededByTables = sqlOfTables(to);
  const create = (f: FunctionModel) =>
    plan.add(
      !isSqlFunction(f.definition) && neededByTables.some((text) => mentions(text, f.name))
        ? Phase.CreateProceduralFunctions
        : Phase.CreateSqlFunctions,
      op.execute(f.definition),
    );
  // A function's body may call another: those it calls are created first.
  const changed = kept
    .filter(([before, after]) => before.definition !== after.definition)
    .map(([, after]) => after);
  const order = dependencyOrder([...added, ...changed], (f) => bodyOf(f.definition));
  for (const f of added) plan.differ('+', f.kind, `${qualified(f.schema, f.name)}(${f.identityArguments})`);
  for (const f of order) if (added.includes(f)) create(f);
  for (const f of removed) {
    plan.differ('-', f.kind, `${qualified(f.schema, f.name)}(${f.identityArguments})`);
    plan.add(
      Phase.DropFunctions,
      op.execute(
        `DROP ${f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${quoted(f.schema, f.name)}(${f.identityArguments})`,
      ),
    );
  }
  for (const [before, after] of kept) {
    if (before.definition === after.definition) continue;
    plan.differ(
      '~',
      after.kind,
      `${qualified(after.schema, after.name)}(${after.identityArguments})`,
      'definition',
    );
    if (returnsOf(before.definition) !== returnsOf(after.definition)) {
      // CREATE OR REPLACE cannot change a function's return type.
      plan.add(
        Phase.CreateProceduralFunctions,
        op.execute(
          `DROP ${after.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${quoted(before.schema, before.name)}(${before.identityArguments})`,
        ),
      );
    }
  }
  for (const f of order) if (changed.includes(f)) create(f);
}

/** The SQL text in tables and domains that may call functions: defaults, checks, generated columns, indexes. */
function sqlOfTables(model: SchemaModel): string[] {
  const texts: string[] = [];
  for (const table of model.tables) {
    for (const column of table.columns) {
      if (column.default !== undefined) texts.push(column.default);
      if (column.generated !== undefined) texts.push(column.generated);
    }
    for (const check of table.checks) texts.push(check.expression);
    for (const exclude of table.excludes) texts.push(exclude.definition);
    for (const index of table.indexes) {
      if (index.where !== undefined) texts.push(index.where);
      for (const element of index.elements)
        if (element.expression !== undefined) texts.push(element.expression);
    }
  }
  for (const domain of model.domains) {
    if (domain.default !== undefined) texts.push(domain.default);
    for (const check of domain.checks) texts.push(check.expression);
  }
  return texts;
}

/** A function definition without its first line (its own name), so it does not seem to call itself. */
function bodyOf(definition: string): string {
  return definition.slice(definition.indexOf('\n') + 1);
}

function returnsOf(definition: string): string | undefined {
  return /\n\s*RETURNS (.*)\n/.exec(definition)?.[1];
}

function compareTables(plan: Plan, from: SchemaModel, to: SchemaModel, renames: Renames): void {
  const tableRenames = new Map<string, string>();
  for (const rename of renames.tables ?? []) tableRenames.set(key(rename.schema, rename.to), rename.from);
  const fromByKey = new Map(from.tables.map((t) => [key(t.schema, t.name), t]));
  const toByKey = new Map(to.tables.map((t) => [key(t.schema, t.name), t]));
  const matched = new Set<string>();
  const pairs: [TableModel, TableModel][] = [];
  const added: TableModel[] = [];
  for (const table of to.tables) {
    const own = key(table.schema, table.name);
    let before = fromByKey.get(own);
    const renamedFrom = tableRenames.get(own);
    if (before === undefined && renamedFrom !== undefined) {
      const candidate = fromByKey.get(key(table.schema, renamedFrom));
      if (candidate !== undefined && !toByKey.has(key(table.schema, renamedFrom))) {
        before = candidate;
        plan.differ('>', 'table', qualified(table.schema, renamedFrom), `renamed to ${table.name}`);
        plan.add(Phase.Tables, op.renameTable(renamedFrom, table.name, plan.schemaOption(table.schema)));
      }
    }
    if (before === undefined) added.push(table);
    else {
      matched.add(key(before.schema, before.name));
      pairs.push([before, table]);
    }
  }
  const removed = from.tables.filter((t) => !matched.has(key(t.schema, t.name)));

  for (const table of added) createTable(plan, table);
  for (const table of removed) {
    plan.differ('-', 'table', qualified(table.schema, table.name), undefined, true);
    // Its own foreign keys go first, so that tables dropped together can go in any order (foreign keys pointing
    // at it from tables that stay are dropped with those tables' changes).
    for (const fk of plan.alterConstraints ? table.foreignKeys : []) {
      plan.add(
        Phase.DropForeignKeys,
        op.dropConstraint(fk.name, table.name, plan.schemaOption(table.schema)),
      );
    }
    plan.add(Phase.DropTables, op.dropTable(table.name, plan.schemaOption(table.schema)));
  }
  const dropped = droppedKeys(pairs);
  const converted = convertedColumns(pairs, renames, recreatedEnumTypes(from, to));
  // A foreign key that stays is still dropped first and added again last when what it needs is taken away for a
  // while: the key it references (which PostgreSQL will not drop under it), or comparable types on both sides
  // (columns are converted one table at a time, and text cannot reference uuid halfway).
  const rebuilds = (table: TableModel, fk: ForeignKeyModel): boolean =>
    dropped.has(keyOf(fk.references.schema, fk.references.table, fk.references.columns)) ||
    fk.columns.some((column) => converted.has(keyOf(table.schema, table.name, [column]))) ||
    fk.references.columns.some((column) =>
      converted.has(keyOf(fk.references.schema, fk.references.table, [column])),
    );
  const enumTypes = new Set(from.enums.map((e) => qualifiedTypeName(e.schema, e.name)));
  const context = { renames, rebuildsForeignKey: rebuilds, enumTypes };
  for (const [before, after] of pairs) compareTable(plan, before, after, context);
}

const keyOf = (schema: string, table: string, columns: readonly string[]): string =>
  `${key(schema, table)}\u0000${[...columns].sort().join('\u0000')}`;

/**
 * The columns of tables on both sides whose type changes or that are of a recreated enum (converted in place), by
 * their table's and their own names before the change.
 */
function convertedColumns(
  pairs: readonly (readonly [TableModel, TableModel])[],
  renames: Renames,
  recreatedTypes: readonly string[],
): Set<string> {
  const columns = new Set<string>();
  for (const [before, after] of pairs) {
    const renamedFrom = new Map(
      (renames.columns ?? [])
        .filter((r) => r.schema === after.schema && r.table === after.name)
        .map((r) => [r.to, r.from]),
    );
    for (const column of after.columns) {
      const from = renamedFrom.get(column.name);
      const old =
        before.columns.find((c) => c.name === column.name) ??
        (from === undefined || after.columns.some((c) => c.name === from)
          ? undefined
          : before.columns.find((c) => c.name === from));
      if (old === undefined) continue;
      if (
        old.type !== column.type ||
        old.collation !== column.collation ||
        recreatedTypes.some((type) => old.type === type || old.type === `${type}[]`)
      )
        columns.add(keyOf(before.schema, before.name, [old.name]));
    }
  }
  return columns;
}

/**
 * The keys a foreign key can reference (primary keys, unique constraints, unique indexes on plain columns) that the
 * comparison drops or replaces, by table and columns.
 */
function droppedKeys(pairs: readonly (readonly [TableModel, TableModel])[]): Set<string> {
  const keys = new Set<string>();
  const candidates = (table: TableModel) => [
    ...(table.primaryKey === undefined ? [] : [table.primaryKey]),
    ...table.uniques,
    ...table.indexes
      .filter((i) => i.unique && i.where === undefined && i.elements.every((e) => e.column !== undefined))
      .map((i) => ({ ...i, columns: i.elements.map((e) => e.column!) })),
  ];
  for (const [before, after] of pairs) {
    const kept = candidates(after);
    for (const item of candidates(before)) {
      if (kept.some((k) => k.name === item.name && definitionOf(k) === definitionOf(item))) continue;
      keys.add(keyOf(before.schema, before.name, item.columns));
    }
  }
  return keys;
}

/** A reflected identity as operations carry it. */
function identityDefinition(identity: NonNullable<ColumnModel['identity']>): Identity {
  return {
    generated: identity.generated,
    ...(identity.start === undefined ? {} : { start: integer(identity.start) }),
    ...(identity.increment === undefined ? {} : { increment: integer(identity.increment) }),
    ...(identity.minValue === undefined ? {} : { minValue: integer(identity.minValue) }),
    ...(identity.maxValue === undefined ? {} : { maxValue: integer(identity.maxValue) }),
    ...(identity.cache === undefined ? {} : { cache: integer(identity.cache) }),
    ...(identity.cycle === true ? { cycle: true } : {}),
  };
}

function columnDefinition(column: ColumnModel): ColumnDefinition {
  return {
    name: column.name,
    type: column.type,
    ...(column.nullable ? {} : { nullable: false }),
    ...(column.default === undefined ? {} : { default: sql.raw(column.default) }),
    ...(column.identity === undefined ? {} : { identity: identityDefinition(column.identity) }),
    ...(column.generated === undefined ? {} : { generated: sql.raw(column.generated) }),
    ...(column.generatedKind === undefined ? {} : { generatedKind: column.generatedKind }),
    ...(column.onUpdate === undefined ? {} : { onUpdate: sql.raw(column.onUpdate) }),
    ...(column.collation === undefined ? {} : { collation: column.collation }),
    ...(column.comment === undefined ? {} : { comment: column.comment }),
  };
}

function createTable(plan: Plan, table: TableModel): void {
  const name = qualified(table.schema, table.name);
  plan.differ('+', 'table', name);
  if (table.partitionOf !== undefined || table.partitionBy !== undefined || table.unlogged === true) {
    plan.add(Phase.Tables, op.execute(partitionedTableSql(table)));
  } else {
    const constraints: TableConstraintInput[] = [];
    if (table.primaryKey !== undefined) constraints.push(primaryKeyConstraint(table.primaryKey));
    for (const unique of table.uniques) constraints.push(uniqueConstraint(unique));
    for (const check of table.checks) constraints.push(checkConstraint(check));
    if (!plan.alterConstraints) {
      for (const fk of table.foreignKeys) constraints.push(foreignKeyConstraint(plan, fk));
    }
    plan.add(
      Phase.Tables,
      op.createTable(table.name, table.columns.map(columnDefinition), {
        ...plan.schemaOption(table.schema),
        ...(constraints.length === 0 ? {} : { constraints }),
        ...(table.comment === undefined ? {} : { comment: table.comment }),
        ...(table.engine === undefined ? {} : { engine: table.engine }),
        ...(table.collation === undefined ? {} : { collation: table.collation }),
        ...(table.strict === undefined ? {} : { strict: table.strict }),
        ...(table.withoutRowid === undefined ? {} : { withoutRowid: table.withoutRowid }),
      }),
    );
  }
  for (const exclude of table.excludes) plan.add(Phase.AddConstraints, addExclude(table, exclude));
  for (const index of table.indexes)
    plan.add(Phase.AddConstraints, createIndex(plan, table.schema, table.name, index));
  for (const foreignKey of plan.alterConstraints ? table.foreignKeys : [])
    plan.add(Phase.AddForeignKeys, createForeignKey(plan, table, foreignKey));
}

/** Partitioned, partition and unlogged tables, which CREATE TABLE operations do not describe. */
function partitionedTableSql(table: TableModel): string {
  const target = quoted(table.schema, table.name);
  const unlogged = table.unlogged === true ? 'UNLOGGED ' : '';
  if (table.partitionOf !== undefined) {
    const parent = quoted(table.partitionOf.schema, table.partitionOf.table);
    return `CREATE ${unlogged}TABLE ${target} PARTITION OF ${parent} ${table.partitionOf.bound}${table.partitionBy === undefined ? '' : ` PARTITION BY ${table.partitionBy}`}`;
  }
  const parts = table.columns.map((column) => {
    let text = `${quote(column.name)} ${column.type}`;
    if (column.collation !== undefined) text += ` COLLATE ${quote(column.collation)}`;
    if (column.generated !== undefined) text += ` GENERATED ALWAYS AS (${column.generated}) STORED`;
    if (column.identity !== undefined)
      text += ` GENERATED ${column.identity.generated === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
    if (column.default !== undefined) text += ` DEFAULT ${column.default}`;
    if (!column.nullable) text += ' NOT NULL';
    return text;
  });
  if (table.primaryKey !== undefined) {
    parts.push(
      `CONSTRAINT ${quote(table.primaryKey.name)} PRIMARY KEY (${table.primaryKey.columns.map(quote).join(', ')})`,
    );
  }
  for (const unique of table.uniques)
    parts.push(`CONSTRAINT ${quote(unique.name)} UNIQUE (${unique.columns.map(quote).join(', ')})`);
  for (const check of table.checks)
    parts.push(`CONSTRAINT ${quote(check.name)} CHECK (${stripCheck(check.expression)})`);
  return `CREATE ${unlogged}TABLE ${target} (${parts.join(', ')})${table.partitionBy === undefined ? '' : ` PARTITION BY ${table.partitionBy}`}`;
}

function primaryKeyConstraint(pk: PrimaryKeyModel): TableConstraintInput {
  return {
    type: 'primaryKey',
    name: pk.name,
    columns: pk.columns,
    ...(pk.include === undefined ? {} : { include: pk.include }),
  };
}

function uniqueConstraint(unique: UniqueModel): TableConstraintInput {
  return {
    type: 'unique',
    name: unique.name,
    columns: unique.columns,
    ...(unique.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
    ...(unique.include === undefined ? {} : { include: unique.include }),
    ...(unique.initiallyDeferred
      ? { initiallyDeferred: true }
      : unique.deferrable
        ? { deferrable: true }
        : {}),
  };
}

function checkConstraint(check: CheckModel): TableConstraintInput {
  return {
    type: 'check',
    name: check.name,
    expression: sql.raw(stripCheck(check.expression)),
    ...(check.noInherit === true ? { noInherit: true } : {}),
  };
}

function addExclude(table: TableModel, exclude: ExcludeModel): Operation {
  const timing = exclude.initiallyDeferred
    ? ' DEFERRABLE INITIALLY DEFERRED'
    : exclude.deferrable
      ? ' DEFERRABLE'
      : '';
  const definition = exclude.definition.startsWith('EXCLUDE ')
    ? exclude.definition
    : `EXCLUDE ${exclude.definition}`;
  const alreadyTimed = /DEFERRABLE/.test(definition);
  return op.execute(
    `ALTER TABLE ${quoted(table.schema, table.name)} ADD CONSTRAINT ${quote(exclude.name)} ${definition}${alreadyTimed ? '' : timing}`,
  );
}

function createIndex(plan: Plan, schema: string, table: string, index: IndexModel): Operation {
  return op.createIndex(
    index.name,
    table,
    index.elements.map((element) => ({
      ...(element.column === undefined
        ? { expression: sql.raw(element.expression ?? '') }
        : { column: element.column }),
      ...(element.collation === undefined ? {} : { collation: element.collation }),
      ...(element.opclass === undefined ? {} : { opclass: element.opclass }),
      ...(element.order === undefined ? {} : { order: element.order }),
      ...(element.nulls === undefined ? {} : { nulls: element.nulls }),
      ...(element.length === undefined ? {} : { length: element.length }),
    })),
    {
      ...plan.schemaOption(schema),
      ...(index.unique ? { unique: true } : {}),
      ...(index.method === 'btree' ? {} : { using: index.method }),
      ...(index.where === undefined ? {} : { where: sql.raw(index.where) }),
      ...(index.include === undefined ? {} : { include: index.include }),
      ...(index.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
      ...(index.with === undefined ? {} : { with: storageParameters(index.with) }),
    },
  );
}

function storageParameters(parameters: readonly string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const parameter of parameters) {
    const [name, ...rest] = parameter.split('=');
    const value = rest.join('=');
    out[name!] = /^-?\d+(\.\d+)?$/.test(value)
      ? Number(value)
      : value === 'true' || value === 'on'
        ? true
        : value === 'false' || value === 'off'
          ? false
          : value;
  }
  return out;
}

function createForeignKey(plan: Plan, table: TableModel, fk: ForeignKeyModel): Operation {
  return op.createForeignKey(
    fk.name,
    table.name,
    fk.columns,
    {
      table: fk.references.table,
      columns: fk.references.columns,
      ...plan.schemaOption(fk.references.schema),
    },
    { ...plan.schemaOption(table.schema), ...foreignKeyActions(fk) },
  );
}

/** A foreign key as a constraint of CREATE TABLE. */
function foreignKeyConstraint(plan: Plan, fk: ForeignKeyModel): TableConstraintInput {
  return {
    type: 'foreignKey',
    name: fk.name,
    columns: fk.columns,
    references: {
      table: fk.references.table,
      columns: fk.references.columns,
      ...plan.schemaOption(fk.references.schema),
    },
    ...foreignKeyActions(fk),
  };
}

/** A foreign key's options that differ from the defaults. */
function foreignKeyActions(fk: ForeignKeyModel) {
  return {
    ...(fk.onDelete === 'no action' ? {} : { onDelete: fk.onDelete }),
    ...(fk.onUpdate === 'no action' ? {} : { onUpdate: fk.onUpdate }),
    ...(fk.match === 'simple' ? {} : { match: fk.match }),
    ...(fk.initiallyDeferred ? { initiallyDeferred: true } : fk.deferrable ? { deferrable: true } : {}),
    ...(fk.notValid === true ? { notValid: true } : {}),
  };
}

/** What defines a constraint or index apart from its name. */
function definitionOf<T extends { readonly name: string }>(item: T): string {
  const { name: _name, ...rest } = item;
  return JSON.stringify(rest);
}

function compareTable(
  plan: Plan,
  before: TableModel,
  after: TableModel,
  context: {
    readonly renames: Renames;
    readonly rebuildsForeignKey: (table: TableModel, fk: ForeignKeyModel) => boolean;
    /** The enums of `from`, as columns name their type. */
    readonly enumTypes: ReadonlySet<string>;
  },
): void {
  const { renames, rebuildsForeignKey, enumTypes } = context;
  const tableName = qualified(after.schema, after.name);
  const target = { schema: after.schema, table: after.name };
  if ((before.partitionOf === undefined) !== (after.partitionOf === undefined)) {
    // A partition's columns and constraints are its parent's: nothing compares with a table's own.
    plan.differ(
      '~',
      'table',
      tableName,
      after.partitionOf === undefined ? 'no longer a partition' : 'a partition',
    );
    plan.notes.push(
      `Table ${tableName} ${after.partitionOf === undefined ? 'stops being a partition' : 'becomes a partition'}, which autogenerate does not write: add op.execute('ALTER TABLE … ${after.partitionOf === undefined ? 'DETACH' : 'ATTACH'} PARTITION …') to the migration by hand, with what else the table's columns and constraints need.`,
    );
    return;
  }

  // Columns: renames, then drops, then changes, then additions (a generated column that reads a column whose
  // type changes is dropped before and added after).
  const columnRenames = new Map<string, string>();
  for (const rename of renames.columns ?? []) {
    if (rename.schema === after.schema && rename.table === after.name)
      columnRenames.set(rename.to, rename.from);
  }
  const beforeColumns = new Map(before.columns.map((c) => [c.name, c]));
  const afterNames = new Set(after.columns.map((c) => c.name));
  const kept: [ColumnModel, ColumnModel][] = [];
  const addedColumns: ColumnModel[] = [];
  for (const column of after.columns) {
    let old = beforeColumns.get(column.name);
    const renamedFrom = columnRenames.get(column.name);
    if (old === undefined && renamedFrom !== undefined && !afterNames.has(renamedFrom)) {
      old = beforeColumns.get(renamedFrom);
      if (old !== undefined) {
        plan.differ('>', 'column', `${tableName}.${renamedFrom}`, `renamed to ${column.name}`);
        plan.add(
          Phase.Tables,
          op.alterColumn(after.name, renamedFrom, {
            ...plan.schemaOption(after.schema),
            newName: column.name,
          }),
        );
      }
    }
    if (old === undefined) addedColumns.push(column);
    else kept.push([old, column]);
  }
  const keptNames = new Set(kept.map(([old]) => old.name));
  const droppedNames = new Set(before.columns.map((c) => c.name).filter((name) => !keptNames.has(name)));
  // The keys, constraints and indexes as they are once the columns and tables are renamed (a rename keeps them).
  const renamedColumns = new Map(
    kept.filter(([old, now]) => old.name !== now.name).map(([old, now]) => [old.name, now.name]),
  );
  const moved = underNewNames(plan, before, after, renamedColumns, renames);
  const rekeyed =
    plan.identityNeedsKey &&
    moved.primaryKey !== undefined &&
    !moved.primaryKey.columns.every((column) => droppedNames.has(column)) &&
    (after.primaryKey === undefined ||
      moved.primaryKey.name !== after.primaryKey.name ||
      definitionOf(moved.primaryKey) !== definitionOf(after.primaryKey));
  // A new identity column that is the table's new primary key comes with it: SQLite and MySQL take no identity
  // without its key, nor (MySQL) a key on a column of zeros. Inline, the key takes the default name.
  const keyedColumn = addedColumns.find(
    (column) =>
      plan.identityNeedsKey &&
      column.identity !== undefined &&
      moved.primaryKey === undefined &&
      after.primaryKey !== undefined &&
      same(after.primaryKey.columns, [column.name]) &&
      after.primaryKey.include === undefined,
  );
  // Inline, the key takes the default name; one named otherwise (SQLite) is made in the same copy of the table.
  const inlineKey =
    keyedColumn !== undefined &&
    (!plan.namedPrimaryKeys || after.primaryKey?.name === defaultNames.primaryKey(after.name, new Set()));
  const dropRemoved = () => {
    for (const column of before.columns) {
      if (keptNames.has(column.name)) continue;
      plan.differ('-', 'column', `${tableName}.${column.name}`, undefined, true);
      plan.add(Phase.Tables, op.dropColumn(after.name, column.name, plan.schemaOption(after.schema)));
    }
  };
  // A table cannot lose its last column on SQLite and MySQL: when every column is replaced, the new ones come first.
  const replacesEvery = kept.length === 0 && addedColumns.length > 0;
  if (!replacesEvery) dropRemoved();
  const retyped = kept
    .filter(([old, column]) => old.type !== column.type || old.collation !== column.collation)
    .map(([, column]) => column.name);
  const rebuilt: ColumnModel[] = [];
  for (const [old, column] of kept) {
    const readsRetyped =
      column.generated !== undefined && retyped.some((name) => mentions(column.generated!, name));
    if (old.generated !== column.generated || old.generatedKind !== column.generatedKind || readsRetyped) {
      // A generated column's value is derived: drop it and add it back with its (new) expression.
      plan.differ('~', 'column', `${tableName}.${column.name}`, 'generated expression');
      plan.add(Phase.Tables, op.dropColumn(after.name, column.name, plan.schemaOption(after.schema)));
      rebuilt.push(column);
    }
  }
  const columnTarget = { ...target, tableBefore: before.name, rekeyed };
  for (const [old, column] of kept) {
    if (!rebuilt.includes(column)) compareColumn(plan, columnTarget, old, column, enumTypes);
  }
  for (const column of addedColumns) {
    plan.differ('+', 'column', `${tableName}.${column.name}`);
    const definition = columnDefinition(column);
    const schemaOption = plan.schemaOption(after.schema);
    if (column === keyedColumn && !inlineKey) {
      plan.add(
        Phase.Tables,
        batchOf([
          op.addColumn(after.name, definition, schemaOption),
          op.createPrimaryKey(after.primaryKey!.name, after.name, [column.name], schemaOption),
        ]),
      );
      continue;
    }
    plan.add(
      Phase.Tables,
      op.addColumn(
        after.name,
        column === keyedColumn ? { ...definition, primaryKey: true } : definition,
        schemaOption,
      ),
    );
  }
  if (replacesEvery) dropRemoved();
  for (const column of rebuilt) {
    plan.add(
      Phase.Tables,
      op.addColumn(after.name, columnDefinition(column), plan.schemaOption(after.schema)),
    );
  }

  // Constraints and indexes: same name and definition is the same object; same definition under another name is
  // a rename; anything else is dropped and added. Drops run before the table's rename, additions after it.
  const constraintPairs: {
    object: string;
    before: readonly { readonly name: string }[];
    after: readonly { readonly name: string }[];
    drop: (item: { readonly name: string }) => Operation;
    add: (item: never) => Operation;
    rename: (from: string, to: string) => Operation;
    foreign: boolean;
    /** Whether an unchanged one must still be dropped and added again around the tables' changes. */
    rebuilt?: (item: { readonly name: string }) => boolean;
  }[] = [
    {
      object: 'primary key',
      before: moved.primaryKey === undefined ? [] : [moved.primaryKey],
      after: after.primaryKey === undefined ? [] : [after.primaryKey],
      drop: (item) => op.dropConstraint(item.name, before.name, plan.schemaOption(before.schema)),
      add: (item: PrimaryKeyModel) =>
        op.createPrimaryKey(item.name, after.name, item.columns, {
          ...plan.schemaOption(after.schema),
          ...(item.include === undefined ? {} : { include: item.include }),
        }),
      rename: (from, to) => renameConstraint(after, from, to),
      foreign: false,
    },
    {
      object: 'unique constraint',
      before: moved.uniques,
      after: after.uniques,
      drop: (item) => op.dropConstraint(item.name, before.name, plan.schemaOption(before.schema)),
      add: (item: UniqueModel) => {
        const {
          type: _t,
          name,
          columns,
          ...rest
        } = uniqueConstraint(item) as Extract<TableConstraintInput, { type: 'unique' }>;
        return op.createUniqueConstraint(name!, after.name, columns, {
          ...plan.schemaOption(after.schema),
          ...rest,
        });
      },
      rename: (from, to) => renameConstraint(after, from, to),
      foreign: false,
    },
    {
      object: 'check constraint',
      before: before.checks,
      after: after.checks,
      drop: (item) => op.dropConstraint(item.name, before.name, plan.schemaOption(before.schema)),
      add: (item: CheckModel) =>
        op.createCheckConstraint(item.name, after.name, sql.raw(stripCheck(item.expression)), {
          ...plan.schemaOption(after.schema),
          ...(item.noInherit === true ? { noInherit: true } : {}),
        }),
      rename: (from, to) => renameConstraint(after, from, to),
      foreign: false,
    },
    {
      object: 'exclusion constraint',
      before: before.excludes,
      after: after.excludes,
      drop: (item) => op.dropConstraint(item.name, before.name, plan.schemaOption(before.schema)),
      add: (item: ExcludeModel) => addExclude(after, item),
      rename: (from, to) => renameConstraint(after, from, to),
      foreign: false,
    },
    {
      object: 'index',
      before: moved.indexes,
      after: after.indexes,
      drop: (item) => op.dropIndex(item.name, { ...plan.schemaOption(after.schema), table: before.name }),
      add: (item: IndexModel) => createIndex(plan, after.schema, after.name, item),
      rename: (from, to) => op.execute(`ALTER INDEX ${quoted(after.schema, from)} RENAME TO ${quote(to)}`),
      foreign: false,
    },
    {
      object: 'foreign key',
      before: moved.foreignKeys,
      after: after.foreignKeys,
      drop: (item) => op.dropConstraint(item.name, before.name, plan.schemaOption(before.schema)),
      add: (item: ForeignKeyModel) => createForeignKey(plan, after, item),
      rename: (from, to) => renameConstraint(after, from, to),
      foreign: true,
      // By its name: the key as it was, under the columns' old names, as rebuildsForeignKey takes them.
      rebuilt: (item) => {
        const original = before.foreignKeys.find((fk) => fk.name === item.name);
        return original !== undefined && rebuildsForeignKey(before, original);
      },
    },
  ];
  // InnoDB: the indexes the foreign keys need, made before the keys and indexes serving them go (ahead of every
  // drop); and the index InnoDB made for a key, which stays when the key goes.
  const foreignKeyIndexes = plan.foreignKeysNeedIndex
    ? innodbForeignKeyIndexes(plan, moved, after, { tableBefore: before.name, renamedColumns, keptNames })
    : { before: [], after: [], early: new Set<string>() };
  plan.add(Phase.DropConstraints, ...foreignKeyIndexes.before);
  for (const kind of constraintPairs) {
    const { beforeByName, afterByName, unmatchedBefore, unmatchedAfter, renames } = matchByDefinition(
      kind.before,
      kind.after,
      plan.renameConstraints,
      (item) => kind.rebuilt?.(item) !== true,
    );
    for (const item of kind.before) {
      const twin = afterByName.get(item.name);
      if (kind.rebuilt?.(item) !== true || twin === undefined || unmatchedAfter.includes(twin)) continue;
      plan.add(Phase.DropForeignKeys, kind.drop(item));
      plan.add(Phase.AddForeignKeys, kind.add(twin as never));
    }
    const renamed = new Set<{ readonly name: string }>();
    for (const [twin, item] of renames) {
      renamed.add(twin);
      renamed.add(item);
      plan.differ('>', kind.object, `${tableName}.${twin.name}`, `renamed to ${item.name}`);
      plan.add(Phase.Tables, kind.rename(twin.name, item.name));
    }
    for (const item of unmatchedBefore) {
      if (renamed.has(item)) continue;
      // A column that goes takes its constraints and indexes with it.
      if (!afterByName.has(item.name)) plan.differ('-', kind.object, `${tableName}.${item.name}`);
      // A primary key of columns that all go goes with them (SQLite cannot drop an identity's key under it).
      const columns = kind.object === 'primary key' ? (item as PrimaryKeyModel).columns : [];
      if (columns.length > 0 && columns.every((column) => droppedNames.has(column))) continue;
      plan.add(kind.foreign ? Phase.DropForeignKeys : Phase.DropConstraints, kind.drop(item));
    }
    for (const item of unmatchedAfter) {
      if (renamed.has(item)) continue;
      if (kind.object === 'index' && foreignKeyIndexes.early.has(item.name)) {
        plan.differ(beforeByName.has(item.name) ? '~' : '+', kind.object, `${tableName}.${item.name}`);
        continue;
      }
      if (kind.object === 'primary key' && keyedColumn !== undefined) {
        plan.differ('+', kind.object, `${tableName}.${item.name}`);
        continue;
      }
      plan.differ(beforeByName.has(item.name) ? '~' : '+', kind.object, `${tableName}.${item.name}`);
      plan.add(kind.foreign ? Phase.AddForeignKeys : Phase.AddConstraints, kind.add(item as never));
    }
  }

  plan.add(Phase.DropConstraints, ...foreignKeyIndexes.after);

  if (before.comment !== after.comment) {
    plan.differ('~', 'table', tableName, 'comment');
    plan.add(
      Phase.Tables,
      op.setTableComment(after.name, after.comment ?? null, plan.schemaOption(after.schema)),
    );
  }
  comparePartitioning(plan, before, after, renames);
  if (before.engine !== after.engine || before.collation !== after.collation) {
    plan.differ('~', 'table', tableName, 'engine or collation');
    plan.notes.push(
      `Table ${tableName} changes its storage engine or collation, which autogenerate does not write: add op.execute('ALTER TABLE … ENGINE = … / CONVERT TO CHARACTER SET … COLLATE …') to the migration by hand.`,
    );
  }
  if (before.strict !== after.strict || before.withoutRowid !== after.withoutRowid) {
    plan.differ('~', 'table', tableName, 'STRICT or WITHOUT ROWID');
    plan.notes.push(
      `Table ${tableName} changes STRICT or WITHOUT ROWID, which SQLite can change only by creating the table anew and autogenerate does not write: add it to the migration by hand (op.createTable of a new table with { strict, withoutRowid }, op.execute('INSERT INTO … SELECT …'), op.dropTable of the old one, op.renameTable).`,
    );
  }
}

/**
 * Logging and partitioning, PostgreSQL's: `SET LOGGED`/`SET UNLOGGED` in place; a partition that moves to other
 * bounds or another parent is detached and attached again (its rows stay, and PostgreSQL checks them against the
 * new bounds). A change of a table's own partitioning (`PARTITION BY`) needs the table made anew: a note.
 */
function comparePartitioning(plan: Plan, before: TableModel, after: TableModel, renames: Renames): void {
  const tableName = qualified(after.schema, after.name);
  const table = quoted(after.schema, after.name);
  if ((before.unlogged ?? false) !== (after.unlogged ?? false)) {
    plan.differ('~', 'table', tableName, after.unlogged === true ? 'unlogged' : 'logged');
    plan.add(
      Phase.Tables,
      op.execute(`ALTER TABLE ${table} SET ${after.unlogged === true ? 'UNLOGGED' : 'LOGGED'}`),
    );
  }
  const old = before.partitionOf;
  const now = after.partitionOf;
  if (old !== undefined && now !== undefined && !same(old, now)) {
    plan.differ('~', 'table', tableName, 'partition bounds');
    // The parent as it is named by then: the tables' renames come first.
    const parent = tableAfterRenames(renames, old.schema, old.table);
    plan.add(
      Phase.Tables,
      op.execute(`ALTER TABLE ${quoted(old.schema, parent)} DETACH PARTITION ${table}`),
      op.execute(`ALTER TABLE ${quoted(now.schema, now.table)} ATTACH PARTITION ${table} ${now.bound}`),
    );
  }
  if (before.partitionBy !== after.partitionBy) {
    plan.differ('~', 'table', tableName, 'partitioning');
    plan.notes.push(
      `Table ${tableName} changes how it is partitioned (PARTITION BY), which PostgreSQL cannot alter: write the migration by hand (a new partitioned table, its partitions, the rows copied, the old table dropped and the new one renamed).`,
    );
  }
}

/**
 * What InnoDB's foreign-key indexes ask of a table's changes (`before` under the columns' new names, see
 * {@link underNewNames}). Each foreign key that stays needs an index starting with its columns at every moment:
 * before the primary key, unique constraints or indexes that serve one go (`before`, to run ahead of every drop),
 * a new index of the table that serves it is made (`early`: not made again later), or, without one, an index
 * named after the key, as InnoDB would have made it. And a foreign key that goes leaves the index InnoDB made for
 * it (reflected as part of the key, and only then: when nothing else served it): it is dropped after the key
 * (`after`).
 */
function innodbForeignKeyIndexes(
  plan: Plan,
  before: TableModel,
  after: TableModel,
  context: {
    readonly tableBefore: string;
    readonly renamedColumns: ReadonlyMap<string, string>;
    readonly keptNames: ReadonlySet<string>;
  },
): { before: Operation[]; after: Operation[]; early: Set<string> } {
  const startsWith = (columns: readonly (string | undefined)[], prefix: readonly string[]) =>
    prefix.every((column, i) => columns[i] === column);
  const matches = <T extends { readonly name: string }>(item: T, others: readonly T[]) =>
    others.some((other) => other.name === item.name && definitionOf(other) === definitionOf(item));
  const indexColumns = (index: IndexModel) => index.elements.map((element) => element.column);
  const served = (keep: boolean) => [
    ...(before.primaryKey !== undefined &&
    (after.primaryKey !== undefined && matches(before.primaryKey, [after.primaryKey])) === keep
      ? [before.primaryKey.columns]
      : []),
    ...before.uniques
      .filter((unique) => matches(unique, after.uniques) === keep)
      .map((unique) => unique.columns),
    ...before.indexes.filter((index) => matches(index, after.indexes) === keep).map(indexColumns),
  ];
  const staying = served(true);
  const going = served(false);
  const oldName = new Map([...context.renamedColumns].map(([from, to]) => [to, from]));
  const early = new Set<string>();
  const made: Operation[] = [];
  for (const fk of before.foreignKeys) {
    if (!matches(fk, after.foreignKeys)) continue;
    if (!going.some((columns) => startsWith(columns, fk.columns))) continue;
    if (staying.some((columns) => startsWith(columns, fk.columns))) continue;
    // A new index can serve from the start if it names only columns that are there already, under their names.
    const ready = after.indexes.find(
      (index) =>
        !matches(index, before.indexes) &&
        context.tableBefore === after.name &&
        startsWith(indexColumns(index), fk.columns) &&
        index.elements.every(
          (element) =>
            element.column !== undefined &&
            context.keptNames.has(element.column) &&
            !context.renamedColumns.has(element.column) &&
            !oldName.has(element.column),
        ),
    );
    if (ready !== undefined) {
      if (!early.has(ready.name)) made.push(createIndex(plan, after.schema, after.name, ready));
      early.add(ready.name);
      staying.push(indexColumns(ready));
      continue;
    }
    made.push(
      createIndex(plan, before.schema, context.tableBefore, {
        name: fk.name,
        unique: false,
        method: 'btree',
        elements: fk.columns.map((column) => ({ column: oldName.get(column) ?? column })),
      }),
    );
    staying.push(fk.columns);
  }
  const dropped: Operation[] = [];
  for (const fk of before.foreignKeys) {
    if (after.foreignKeys.some((other) => other.name === fk.name)) continue;
    if ([...staying, ...going].some((columns) => startsWith(columns, fk.columns))) continue;
    dropped.push(
      op.dropIndex(innodbIndexName(fk), { ...plan.schemaOption(before.schema), table: context.tableBefore }),
    );
  }
  return { before: made, after: dropped, early };
}

/** The name InnoDB gives the index it makes for a foreign key: the key's, or, for a key it named, its first column's. */
function innodbIndexName(fk: ForeignKeyModel): string {
  return /_ibfk_\d+$/.test(fk.name) ? (fk.columns[0] ?? fk.name) : fk.name;
}

/**
 * `before`'s keys, constraints and indexes with the columns they name under their names after the renames, and
 * its foreign keys' references under the referenced tables' and columns' new names: every database carries them
 * over a rename, so they compare as unchanged. Primary keys without names of their own (MySQL) take `after`'s.
 * Expressions (checks, index expressions and predicates) are left as they are.
 */
function underNewNames(
  plan: Plan,
  before: TableModel,
  after: TableModel,
  renamedColumns: ReadonlyMap<string, string>,
  renames: Renames,
): TableModel {
  const column = (name: string) => renamedColumns.get(name) ?? name;
  const columns = (names: readonly string[]) => names.map(column);
  const elsewhere = columnAfterRenames(renames);
  const primaryKey =
    before.primaryKey === undefined
      ? undefined
      : {
          ...before.primaryKey,
          columns: columns(before.primaryKey.columns),
          ...(before.primaryKey.include === undefined ? {} : { include: columns(before.primaryKey.include) }),
        };
  // The same key takes the name `after` gives it (a different one keeps the name its drop uses).
  const unnamed =
    !plan.namedPrimaryKeys &&
    primaryKey !== undefined &&
    after.primaryKey !== undefined &&
    definitionOf(primaryKey) === definitionOf(after.primaryKey);
  return {
    ...before,
    ...(primaryKey === undefined
      ? {}
      : { primaryKey: unnamed ? { ...primaryKey, name: after.primaryKey!.name } : primaryKey }),
    uniques: before.uniques.map((unique) => ({ ...unique, columns: columns(unique.columns) })),
    indexes: before.indexes.map((index) => ({
      ...index,
      elements: index.elements.map((element) =>
        element.column === undefined ? element : { ...element, column: column(element.column) },
      ),
      ...(index.include === undefined ? {} : { include: columns(index.include) }),
    })),
    foreignKeys: before.foreignKeys.map((fk) => {
      const referenced = fk.references.columns.map((name) =>
        elsewhere({ schema: fk.references.schema, table: fk.references.table, column: name }),
      );
      const table = tableAfterRenames(renames, fk.references.schema, fk.references.table);
      return {
        ...fk,
        columns: columns(fk.columns),
        references: { ...fk.references, table, columns: referenced.map((address) => address.column) },
      };
    }),
  };
}

/** Whether SQL text names `column` (as a bare or quoted identifier, outside string literals). */
function mentions(text: string, column: string): boolean {
  const code = text.replace(/'(?:[^']|'')*'/g, "''");
  for (const match of code.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    const name = match[1] !== undefined ? match[1].replaceAll('""', '"') : match[2]!.toLowerCase();
    if (name === column) return true;
  }
  return false;
}

function renameConstraint(table: TableModel, from: string, to: string): Operation {
  return op.execute(
    `ALTER TABLE ${quoted(table.schema, table.name)} RENAME CONSTRAINT ${quote(from)} TO ${quote(to)}`,
  );
}

function compareColumn(
  plan: Plan,
  target: {
    readonly schema: string;
    readonly table: string;
    /** The table's name before a rename, which changes that come before the rename use. */
    readonly tableBefore: string;
    /** Whether the column's primary key is dropped and made again, which an identity on SQLite and MySQL needs. */
    readonly rekeyed: boolean;
  },
  before: ColumnModel,
  after: ColumnModel,
  enumTypes: ReadonlySet<string>,
): void {
  const name = `${qualified(target.schema, target.table)}.${after.name}`;
  const schema = plan.schemaOption(target.schema);
  const table = target.table;

  const alter = `ALTER TABLE ${quoted(target.schema, target.table)} ALTER COLUMN ${quote(after.name)}`;
  const identityChanges = !same(before.identity, after.identity);
  if (identityChanges) plan.differ('~', 'column', name, 'identity');
  // An identity column refuses a default and DROP NOT NULL: an identity that goes is dropped before the column's
  // other changes, one that comes is added after them (once the column is NOT NULL and has no default), and after
  // the key that SQLite and MySQL want under it. One whose key is made again goes and comes around the key.
  const rekeyed = target.rekeyed && before.identity !== undefined && after.identity !== undefined;
  if (before.identity !== undefined && (after.identity === undefined || rekeyed)) {
    plan.add(
      Phase.DropIdentities,
      op.alterColumn(target.tableBefore, before.name, {
        ...schema,
        identity: null,
        existingIdentity: identityDefinition(before.identity),
      }),
    );
  }

  if (before.onUpdate !== after.onUpdate) {
    plan.differ('~', 'column', name, `on update ${before.onUpdate ?? 'none'} -> ${after.onUpdate ?? 'none'}`);
    plan.notes.push(
      `Column ${name} changes its ON UPDATE, which autogenerate does not write: add op.execute('ALTER TABLE … MODIFY COLUMN …') with the whole column to the migration by hand.`,
    );
  }
  const changes: { -readonly [K in keyof AlterColumnOptions]: AlterColumnOptions[K] } = { ...schema };
  const details: string[] = [];
  if (before.type !== after.type || before.collation !== after.collation) {
    details.push(`type ${before.type} -> ${after.type}`);
    changes.type =
      after.collation === undefined ? after.type : `${after.type} COLLATE ${quote(after.collation)}`;
    // An enum casts to nothing but text (and text to anything): another enum is reached through text.
    const array = before.type.endsWith('[]');
    const fromEnum = enumTypes.has(array ? before.type.slice(0, -2) : before.type);
    const through = fromEnum ? sql.raw(array ? '::text[]' : '::text') : sql.raw('');
    if (plan.castOnTypeChange)
      changes.using = sql`${sql.identifier(after.name)}${through}::${sql.raw(after.type)}` as SqlExpression;
    // The default is set again after the type change (an old default may not cast).
    if (after.default !== undefined) changes.default = sql.raw(after.default);
    else if (before.default !== undefined) changes.default = null;
  } else if (before.default !== after.default) {
    // Identity columns have no default: one that becomes (or stops being) an identity loses (or gains) it here.
    details.push(`default ${before.default ?? 'none'} -> ${after.default ?? 'none'}`);
    changes.default = after.default === undefined ? null : sql.raw(after.default);
  }
  if (before.nullable !== after.nullable) {
    details.push(after.nullable ? 'nullable' : 'not null');
    changes.nullable = after.nullable;
  }
  if (before.comment !== after.comment) {
    details.push('comment');
    changes.comment = after.comment ?? null;
  }
  if (details.length > 0) {
    plan.differ('~', 'column', name, details.join(', '));
    plan.add(Phase.Tables, op.alterColumn(table, after.name, changes));
  }
  if (after.identity !== undefined && (before.identity === undefined || rekeyed)) {
    plan.add(
      Phase.AddIdentities,
      op.alterColumn(table, after.name, {
        ...schema,
        identity: identityDefinition(after.identity),
        existingIdentity: null,
      }),
    );
  } else if (identityChanges && after.identity !== undefined && before.identity !== undefined) {
    const generated = after.identity.generated === 'always' ? 'ALWAYS' : 'BY DEFAULT';
    const { generated: _before, ...optionsBefore } = before.identity;
    const { generated: _after, ...optionsAfter } = after.identity;
    // The identity stays: its sequence is altered in place, so where it has counted to stays too (dropping and
    // adding the identity would start the numbering again, and clash with the rows already there).
    const settings = [`SET GENERATED ${generated}`];
    if (!same(optionsBefore, optionsAfter)) settings.push(...identitySettings(after.identity, after.type));
    plan.add(Phase.Tables, op.execute(`${alter} ${settings.join(' ')}`));
  }
}

/**
 * `SET …` clauses that give an existing identity sequence exactly `identity`'s parameters, the absent ones set
 * back to PostgreSQL's defaults (`SET START WITH` changes where a `RESTART` would begin, not the current value).
 */
function identitySettings(identity: NonNullable<ColumnModel['identity']>, type: string): string[] {
  // The model leaves out what equals an ascending sequence's defaults (see IdentityModel).
  const maxValue = identity.maxValue ?? SEQUENCE_MAXIMUMS[type]?.toString();
  return [
    `SET INCREMENT BY ${identity.increment ?? '1'}`,
    `SET MINVALUE ${identity.minValue ?? '1'}`,
    maxValue === undefined ? 'SET NO MAXVALUE' : `SET MAXVALUE ${maxValue}`,
    `SET START WITH ${identity.start ?? '1'}`,
    `SET CACHE ${identity.cache ?? '1'}`,
    identity.cycle === true ? 'SET CYCLE' : 'SET NO CYCLE',
  ];
}

function compareViews(plan: Plan, from: SchemaModel, to: SchemaModel, renames: Renames): void {
  const { removed, added, kept } = pair(from.views, to.views, (v) => key(v.schema, v.name));
  const drops: ViewModel[] = [...removed];
  const creates: ViewModel[] = [...added];
  const kind = (view: ViewModel) => (view.materialized ? 'materialized view' : 'view');
  for (const view of added) plan.differ('+', kind(view), qualified(view.schema, view.name));
  for (const view of removed) plan.differ('-', kind(view), qualified(view.schema, view.name));
  const unchanged: [ViewModel, ViewModel][] = [];
  const commented: [ViewModel, ViewModel][] = [];
  for (const [before, after] of kept) {
    if (same(viewDefinition(before), viewDefinition(after))) {
      unchanged.push([before, after]);
      continue;
    }
    if (same({ ...viewDefinition(before), comment: after.comment }, viewDefinition(after))) {
      // Only the comment: set in place, so a materialized view keeps its rows.
      plan.differ('~', kind(after), qualified(after.schema, after.name), 'comment');
      unchanged.push([before, after]);
      commented.push([before, after]);
      continue;
    }
    plan.differ('~', kind(after), qualified(after.schema, after.name), 'definition');
    drops.push(before);
    creates.push(after);
  }
  // A view that reads a table whose columns change type or go (or a view that is rebuilt) blocks the change:
  // PostgreSQL refuses to alter what a view depends on. Such views are dropped first and created again after.
  const disturbed: QualifiedName[] = [...disturbedTables(from, to, renames), ...drops];
  let grew = true;
  while (grew) {
    grew = false;
    for (const [before, after] of unchanged) {
      if (drops.includes(before) || !disturbed.some((relation) => readsRelation(before, relation))) continue;
      drops.push(before);
      creates.push(after);
      disturbed.push(before);
      grew = true;
    }
  }
  // A materialized view that stays keeps its rows: its indexes are dropped and created in place.
  for (const [before, after] of unchanged) {
    if (!drops.includes(before)) compareViewIndexes(plan, before, after);
  }
  for (const [before, after] of commented) {
    if (drops.includes(before)) continue;
    const comment = after.comment === undefined ? 'NULL' : stringLiteral(after.comment);
    plan.add(
      Phase.CreateViews,
      op.execute(`COMMENT ON ${kind(after).toUpperCase()} ${quoted(after.schema, after.name)} IS ${comment}`),
    );
  }
  // Views that read other views: dependants are dropped first and created last.
  for (const view of viewOrder(drops).reverse()) {
    plan.add(
      Phase.DropViews,
      view.materialized
        ? op.dropMaterializedView(view.name, plan.schemaOption(view.schema))
        : op.dropView(view.name, plan.schemaOption(view.schema)),
    );
  }
  for (const view of viewOrder(creates)) {
    const options = {
      ...plan.schemaOption(view.schema),
      ...(view.columns === undefined ? {} : { columns: view.columns }),
    };
    plan.add(
      Phase.CreateViews,
      view.materialized
        ? op.createMaterializedView(view.name, sql.raw(view.query), options)
        : op.createView(view.name, sql.raw(view.query), options),
    );
    for (const index of view.indexes ?? [])
      plan.add(Phase.CreateViews, createIndex(plan, view.schema, view.name, index));
    if (view.comment !== undefined) {
      plan.add(
        Phase.CreateViews,
        op.execute(
          `COMMENT ON ${view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${quoted(view.schema, view.name)} IS ${stringLiteral(view.comment)}`,
        ),
      );
    }
  }
}

/**
 * What makes a view what it is: its query, columns and comment. Its indexes are compared one by one, and what it
 * reads (`dependsOn`) follows from its query.
 */
function viewDefinition(view: ViewModel): Omit<ViewModel, 'indexes' | 'dependsOn' | 'withData'> {
  const { indexes: _indexes, dependsOn: _dependsOn, withData: _withData, ...definition } = view;
  return definition;
}

/**
 * Whether `view` reads `relation`: as the database records it where it does (PostgreSQL's pg_depend), else (SQLite,
 * MySQL, a declared model not built yet) when its query names it.
 */
function readsRelation(view: ViewModel, relation: QualifiedName): boolean {
  if (view.dependsOn !== undefined)
    return view.dependsOn.some((d) => d.schema === relation.schema && d.name === relation.name);
  return mentions(view.query, relation.name);
}

/** Views ordered so that each comes after the others it reads. */
function viewOrder(views: readonly ViewModel[]): ViewModel[] {
  const ordered: ViewModel[] = [];
  const visiting = new Set<ViewModel>();
  const visit = (view: ViewModel): void => {
    if (ordered.includes(view) || visiting.has(view)) return;
    visiting.add(view);
    for (const other of views) if (other !== view && readsRelation(view, other)) visit(other);
    visiting.delete(view);
    ordered.push(view);
  };
  for (const view of views) visit(view);
  return ordered;
}

/**
 * The indexes of a materialized view that is not rebuilt, as the indexes of a table: same name and definition is
 * the same index, the same definition under another name is renamed, anything else is dropped and created.
 */
/**
 * Constraints or indexes of one object, before and after, matched by name and definition: the same name and
 * definition is the same object; where renames are allowed, the same definition under a new name (neither name on
 * the other side) is a rename; the rest are unmatched, to drop and to add.
 */
function matchByDefinition<T extends { readonly name: string }>(
  before: readonly T[],
  after: readonly T[],
  allowRenames: boolean,
  renameable: (item: T) => boolean = () => true,
) {
  const beforeByName = new Map(before.map((item) => [item.name, item]));
  const afterByName = new Map(after.map((item) => [item.name, item]));
  const unmatched = (items: readonly T[], others: ReadonlyMap<string, T>) =>
    items.filter((item) => {
      const other = others.get(item.name);
      return other === undefined || definitionOf(other) !== definitionOf(item);
    });
  const unmatchedBefore = unmatched(before, afterByName);
  const unmatchedAfter = unmatched(after, beforeByName);
  const renames: [T, T][] = [];
  const taken = new Set<T>();
  for (const item of allowRenames ? unmatchedAfter : []) {
    const twin = unmatchedBefore.find(
      (old) =>
        !taken.has(old) &&
        renameable(old) &&
        !afterByName.has(old.name) &&
        !beforeByName.has(item.name) &&
        definitionOf(old) === definitionOf(item),
    );
    if (twin === undefined) continue;
    taken.add(twin);
    renames.push([twin, item]);
  }
  return { beforeByName, afterByName, unmatchedBefore, unmatchedAfter, renames };
}

function compareViewIndexes(plan: Plan, before: ViewModel, after: ViewModel): void {
  const viewName = qualified(after.schema, after.name);
  const { beforeByName, afterByName, unmatchedBefore, unmatchedAfter, renames } = matchByDefinition(
    before.indexes ?? [],
    after.indexes ?? [],
    plan.renameConstraints,
  );
  const renamed = new Set<IndexModel>();
  for (const [twin, index] of renames) {
    renamed.add(twin);
    renamed.add(index);
    plan.differ('>', 'index', `${viewName}.${twin.name}`, `renamed to ${index.name}`);
    plan.add(
      Phase.CreateViews,
      op.execute(`ALTER INDEX ${quoted(after.schema, twin.name)} RENAME TO ${quote(index.name)}`),
    );
  }
  for (const index of unmatchedBefore) {
    if (renamed.has(index)) continue;
    if (!afterByName.has(index.name)) plan.differ('-', 'index', `${viewName}.${index.name}`);
    plan.add(
      Phase.DropViews,
      op.dropIndex(index.name, { ...plan.schemaOption(before.schema), table: before.name }),
    );
  }
  for (const index of unmatchedAfter) {
    if (renamed.has(index)) continue;
    plan.differ(beforeByName.has(index.name) ? '~' : '+', 'index', `${viewName}.${index.name}`);
    plan.add(Phase.CreateViews, createIndex(plan, after.schema, after.name, index));
  }
}

/** Items ordered so that each comes after the others its text names (functions' bodies). */
function dependencyOrder<T extends { readonly name: string }>(
  items: readonly T[],
  textOf: (item: T) => string,
): T[] {
  const ordered: T[] = [];
  const visiting = new Set<T>();
  const visit = (item: T): void => {
    if (ordered.includes(item) || visiting.has(item)) return;
    visiting.add(item);
    for (const other of items) if (other !== item && mentions(textOf(item), other.name)) visit(other);
    visiting.delete(item);
    ordered.push(item);
  };
  for (const item of items) visit(item);
  return ordered;
}

/**
 * The tables on both sides (by their names in `from`) whose columns change type or go away, or that hold a column
 * of an enum recreated with other values: what a view reading them would block.
 */
function disturbedTables(from: SchemaModel, to: SchemaModel, renames: Renames): QualifiedName[] {
  const toTables = new Map(to.tables.map((t) => [key(t.schema, t.name), t]));
  const renamedTo = new Map((renames.tables ?? []).map((r) => [key(r.schema, r.from), r.to]));
  const recreated = recreatedEnumTypes(from, to);
  const tables: QualifiedName[] = [];
  for (const table of from.tables) {
    const after = toTables.get(key(table.schema, renamedTo.get(key(table.schema, table.name)) ?? table.name));
    if (after === undefined) continue;
    const columnRenames = new Map(
      (renames.columns ?? [])
        .filter((r) => r.schema === after.schema && r.table === after.name)
        .map((r) => [r.from, r.to]),
    );
    const changed = table.columns.some((column) => {
      const now = after.columns.find((c) => c.name === (columnRenames.get(column.name) ?? column.name));
      return (
        now === undefined ||
        now.type !== column.type ||
        now.collation !== column.collation ||
        recreated.some((type) => column.type === type || column.type === `${type}[]`)
      );
    });
    if (changed) tables.push({ schema: table.schema, name: table.name });
  }
  return tables;
}

function stringLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function compareTriggers(plan: Plan, from: SchemaModel, to: SchemaModel): void {
  const keyOf = (t: TriggerModel) => `${key(t.schema, t.table)}\u0000${t.name}`;
  const { removed, added, kept } = pair(from.triggers, to.triggers, keyOf);
  const drop = (t: TriggerModel) =>
    plan.add(Phase.DropTriggers, op.dropTrigger(t.name, t.table, plan.schemaOption(t.schema)));
  const create = (t: TriggerModel) => {
    plan.add(Phase.CreateTriggers, op.execute(t.definition));
    if (t.enabled === false) {
      plan.add(
        Phase.CreateTriggers,
        op.execute(`ALTER TABLE ${quoted(t.schema, t.table)} DISABLE TRIGGER ${quote(t.name)}`),
      );
    }
  };
  for (const t of added) {
    plan.differ('+', 'trigger', `${qualified(t.schema, t.table)}.${t.name}`);
    create(t);
  }
  for (const t of removed) {
    plan.differ('-', 'trigger', `${qualified(t.schema, t.table)}.${t.name}`);
    drop(t);
  }
  // A view dropped and created again (its query changed, or what it reads) loses its triggers with it.
  const rebuilt = new Set(
    plan.steps.flatMap(({ phase, operation }) =>
      phase === Phase.DropViews &&
      (operation.kind === 'dropView' || operation.kind === 'dropMaterializedView')
        ? [key(operation.schema ?? plan.defaultSchema, operation.name)]
        : [],
    ),
  );
  for (const [before, after] of kept) {
    const { enabled: enabledBefore, ...definitionBefore } = before;
    const { enabled: enabledAfter, ...definitionAfter } = after;
    if (!same(definitionBefore, definitionAfter)) {
      plan.differ('~', 'trigger', `${qualified(after.schema, after.table)}.${after.name}`, 'definition');
    } else if (rebuilt.has(key(after.schema, after.table))) {
      // Not a difference of its own: created again with its view.
    } else {
      if ((enabledBefore === false) !== (enabledAfter === false)) {
        plan.differ('~', 'trigger', `${qualified(after.schema, after.table)}.${after.name}`, 'enabled');
        plan.add(
          Phase.CreateTriggers,
          op.execute(
            `ALTER TABLE ${quoted(after.schema, after.table)} ${enabledAfter === false ? 'DISABLE' : 'ENABLE'} TRIGGER ${quote(after.name)}`,
          ),
        );
      }
      continue;
    }
    drop(before);
    create(after);
  }
}

function compareOthers(plan: Plan, from: SchemaModel, to: SchemaModel): void {
  const keyOf = (o: OtherObjectModel) =>
    `${o.kind}\u0000${o.schema ?? ''}\u0000${o.table ?? ''}\u0000${o.name}`;
  const { removed, added, kept } = pair(from.others, to.others, keyOf);
  const describe = (o: OtherObjectModel) =>
    `${o.schema === undefined ? '' : `${o.schema}.`}${o.table === undefined ? '' : `${o.table}.`}${o.name}`;
  for (const other of added) {
    plan.differ('+', other.kind, describe(other));
    // Composite types may be column types; aggregates are called by views; the rest follow the tables.
    const phase =
      other.kind === 'composite type'
        ? Phase.CreateTypes
        : other.kind === 'aggregate'
          ? Phase.CreateAggregates
          : Phase.CreateOthers;
    plan.add(phase, op.execute(other.definition));
  }
  for (const other of removed) {
    plan.notes.push(
      `The database has the ${other.kind} ${describe(other)}, which the schema does not declare: left as it is (drop it in a migration by hand if it should go).`,
    );
  }
  for (const [before, after] of kept) {
    if (before.definition === after.definition) continue;
    plan.notes.push(
      `The ${after.kind} ${describe(after)} differs from the schema's: left as it is (change it in a migration by hand).`,
    );
  }
}
