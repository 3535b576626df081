/**
 * `ambix schema pull`'s code generator: the TypeScript source of an `ambix/schema` module that declares exactly a
 * reflected schema model, so that a project whose database was built by hand (an `init.sql`) adopts ambix by
 * reviewing one generated file.
 *
 * The module is written the way a person writes one: one `export const` per object, column shorthands where the
 * DSL gives the constraint the name PostgreSQL gave it, the DSL's type functions, references through functions.
 * What the DSL cannot declare yet (a function with `COST` or `LEAKPROOF`, a NOT VALID constraint…) is listed,
 * with its SQL, in a `// TODO` comment block at the end, never silently dropped.
 *
 * The text comes out as Biome formats it (2 spaces, single quotes, trailing commas, 110 columns): the generator
 * builds a small JavaScript syntax tree and prints it with the layout rules of Prettier and Biome (call arguments
 * that hug their last object, member chains that break one call per line, …).
 */
import { expressionColumnName } from './dsl/to-model.js';
import * as dsl from './index.js';
import type {
  CheckModel,
  ColumnModel,
  DomainModel,
  EnumModel,
  ExcludeModel,
  ForeignKeyModel,
  FunctionModel,
  IndexElementModel,
  IndexModel,
  OtherObjectModel,
  SchemaModel,
  SequenceModel,
  TableModel,
  TriggerModel,
  UniqueModel,
  ViewModel,
} from './model.js';
import { defaultNames, makeObjectName } from './naming.js';

export interface SchemaModuleOptions {
  /** Text for a comment at the top of the module (each line becomes a `//` line): where it was pulled from. */
  readonly header?: string;
  /** The schema whose objects are declared without one: `public` (the default), `main` on SQLite and MySQL. */
  readonly defaultSchema?: string;
}

/** The source of an `ambix/schema` module that declares `model`. */
export function renderSchemaModule(model: SchemaModel, options: SchemaModuleOptions = {}): string {
  const { imports, statements, todo } = new ModuleWriter(model, options.defaultSchema ?? 'public').write();
  const parts: string[] = [];
  if (options.header !== undefined && options.header.trim() !== '') {
    parts.push(
      options.header
        .trimEnd()
        .split('\n')
        .map((line) => (line.trim() === '' ? '//' : `// ${line.trimEnd()}`))
        .join('\n'),
    );
  }
  if (imports.length > 0) parts.push(printDoc(importDoc(imports)));
  for (const statement of statements) parts.push(printDoc(statement));
  if (todo !== '') parts.push(todo);
  return parts.length === 0 ? '' : `${parts.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// From the model to declarations

/** What `ambix/schema` exports: the names the module imports, which no const may shadow. */
type DslName = keyof typeof dsl;
const DSL_NAMES: ReadonlySet<string> = new Set(Object.keys(dsl));

const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while ' +
    'with yield let static implements interface package private protected public await arguments eval undefined ' +
    'NaN Infinity globalThis'
  ).split(' '),
);

/** `t` is the extras' parameter: a table const of that name would be shadowed inside its own extras. */
const TAKEN_NAMES: ReadonlySet<string> = new Set<string>([...RESERVED_WORDS, ...DSL_NAMES, 't']);

const SIMPLE_TYPES: Readonly<Record<string, DslName>> = {
  uuid: 'uuid',
  text: 'text',
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  boolean: 'boolean',
  real: 'real',
  'double precision': 'doublePrecision',
  date: 'date',
  interval: 'interval',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  money: 'money',
  tsvector: 'tsvector',
  xml: 'xml',
};

const SERIALS: Readonly<Record<string, { readonly builder: DslName; readonly max: string }>> = {
  smallint: { builder: 'smallserial', max: '32767' },
  integer: { builder: 'serial', max: '2147483647' },
  bigint: { builder: 'bigserial', max: '9223372036854775807' },
};

const SEQUENCE_LIMITS: Readonly<Record<string, { readonly min: bigint; readonly max: bigint }>> = {
  smallint: { min: -32768n, max: 32767n },
  integer: { min: -2147483648n, max: 2147483647n },
  bigint: { min: -9223372036854775808n, max: 9223372036854775807n },
};

const key = (schema: string, name: string): string => `${schema}\u0000${name}`;
const qualified = (schema: string, name: string): string => `${schema}.${name}`;

/** A name as PostgreSQL prints it where it must be quoted: `users`, `"Users"`, `"a""b"`. */
function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** How `format_type` names a type of `schema`: qualified outside `public`. */
function typeName(schema: string, name: string): string {
  return schema === 'public' ? sqlName(name) : `${sqlName(schema)}.${sqlName(name)}`;
}

/** Something the module declares only in part, or not at all: said in the closing `// TODO` comment. */
interface Omission {
  /** What it is: `the policy own_orders on public.orders`. */
  readonly what: string;
  /** The SQL that creates it, for what the module does not declare at all. */
  readonly sql?: string;
  /** What the declaration leaves out, for what the module declares in part. */
  readonly missing?: string;
}

class ModuleWriter {
  private readonly imports = new Set<string>();
  private readonly names = new Map<string, string>();
  private readonly taken = new Set<string>(TAKEN_NAMES);
  private readonly typeConsts = new Map<string, string>();
  /** `schema\0table\0column` of serial columns, with the sequence they own. */
  private readonly serials = new Map<string, SequenceModel>();
  private readonly functions = new Map<FunctionModel, ParsedFunction | undefined>();
  private readonly undeclared: Omission[] = [];
  private readonly partial: Omission[] = [];
  /** How many objects of a schema have each name (relations and constraints share PostgreSQL's choice of names). */
  private readonly nameUses = new Map<string, number>();
  /** Tables that reference each other in a cycle, by component: TypeScript needs those references typed. */
  private readonly cycles: ReadonlyMap<string, number>;

  constructor(
    private readonly model: SchemaModel,
    private readonly defaultSchema: string,
  ) {
    this.findSerials();
    this.countNames();
    for (const fn of model.functions) this.functions.set(fn, parseFunction(fn));
    this.nameConsts();
    this.cycles = referenceCycles(model.tables);
  }

  /** The module's imports, declarations and closing comment. */
  write(): { imports: string[]; statements: Doc[]; todo: string } {
    const statements = this.statements();
    return { imports: [...this.imports], statements, todo: this.todoComment() };
  }

  private statements(): Doc[] {
    const m = this.model;
    return [
      ...m.schemas.map((name) =>
        this.declare(this.constOf('schema', '', `${name}_schema`), this.schemaJs(name)),
      ),
      ...m.extensions.map((e) => this.declare(this.constOf('extension', '', e.name), this.extensionJs(e))),
      ...m.enums.map((e) => this.declare(this.constOf('enum', e.schema, e.name), this.enumJs(e))),
      ...orderDomains(m.domains).map((d) =>
        this.declare(this.constOf('domain', d.schema, d.name), this.domainJs(d)),
      ),
      ...m.sequences
        .filter((s) => ![...this.serials.values()].includes(s))
        .map((s) => this.declare(this.constOf('sequence', s.schema, s.name), this.sequenceJs(s))),
      ...m.tables.map((t) => this.declare(this.constOf('table', t.schema, t.name), this.tableJs(t))),
      ...m.views.map((v) => this.declare(this.constOf('view', v.schema, v.name), this.viewJs(v))),
      ...m.functions.flatMap((f) => {
        const parsed = this.functions.get(f);
        if (parsed === undefined) {
          this.undeclared.push({
            what: `the ${f.kind} ${qualified(f.schema, f.name)}(${f.identityArguments})`,
            sql: `${f.definition.trimEnd()};`,
          });
          return [];
        }
        return [this.declare(this.functionConst(f), this.functionJs(f, parsed))];
      }),
      ...m.others.map((o) =>
        this.declare(
          this.constOf('sqlObject', `${o.kind}\u0000${o.schema ?? ''}\u0000${o.table ?? ''}`, o.name),
          this.sqlObjectJs(o),
        ),
      ),
      ...m.triggers.flatMap((t) => {
        const declaration = this.triggerJs(t);
        if (declaration === undefined) {
          this.undeclared.push({
            what: `the trigger ${t.name} on ${qualified(t.schema, t.table)}`,
            sql: `${t.definition};`,
          });
          return [];
        }
        return [this.declare(this.constOf('trigger', `${t.schema}.${t.table}`, t.name), declaration)];
      }),
    ];
  }

  /** The closing comment: what the module leaves out, with the SQL that creates it. */
  private todoComment(): string {
    const lines: string[] = [];
    if (this.undeclared.length > 0) {
      lines.push(
        '// TODO: ambix/schema cannot declare these yet, so this module leaves them out: keep creating them in',
        '// migrations (op.execute). `ambix check` reports them as undeclared.',
      );
      if (this.undeclared.length > 0) {
        lines.push(
          '// Autogenerate writes statements that drop the functions, triggers and constraints among them:',
          '// delete those from the migrations it writes.',
        );
      }
      for (const item of this.undeclared) {
        lines.push(`// - ${item.what}:`);
        for (const line of (item.sql ?? '').split('\n')) lines.push(`//     ${line}`.trimEnd());
      }
    }
    if (this.partial.length > 0) {
      if (lines.length > 0) lines.push('//');
      lines.push(
        '// TODO: ambix/schema cannot declare these details yet, so the declarations above leave them out.',
        '// Autogenerate writes statements that undo them: delete those from the migrations it writes.',
      );
      for (const item of this.partial) lines.push(`// - ${item.what}: ${item.missing}`);
    }
    return lines.join('\n');
  }

  // --- names ---------------------------------------------------------------------------------------------------

  /** Tables first (other declarations refer to them), and objects of the default schema before their namesakes. */
  private nameConsts(): void {
    const m = this.model;
    const publicFirst = <T extends { readonly schema: string }>(items: readonly T[]): T[] => [
      ...items.filter((item) => item.schema === this.defaultSchema),
      ...items.filter((item) => item.schema !== this.defaultSchema),
    ];
    for (const t of publicFirst(m.tables)) this.assign('table', t.schema, t.name, 'Table');
    for (const v of publicFirst(m.views)) this.assign('view', v.schema, v.name, 'View');
    for (const e of publicFirst(m.enums)) this.assign('enum', e.schema, e.name, 'Enum');
    for (const d of publicFirst(m.domains)) this.assign('domain', d.schema, d.name, 'Domain');
    for (const s of publicFirst(m.sequences)) this.assign('sequence', s.schema, s.name, 'Sequence');
    for (const f of publicFirst(m.functions)) {
      if (this.functions.get(f) === undefined) continue;
      const suffix = f.kind === 'procedure' ? 'Procedure' : 'Fn';
      this.assign(`function:${f.identityArguments}`, f.schema, f.name, suffix);
    }
    for (const t of publicFirst(m.triggers)) {
      this.assign('trigger', t.schema, t.name, 'Trigger', `${t.schema}.${t.table}`);
    }
    for (const o of m.others) {
      const suffix = camelCase(o.kind).replace(/^./, (c) => c.toUpperCase());
      this.assign(
        'sqlObject',
        o.schema ?? this.defaultSchema,
        o.name,
        suffix,
        `${o.kind}\u0000${o.schema ?? ''}\u0000${o.table ?? ''}`,
      );
    }
    for (const e of m.extensions) this.assign('extension', 'public', e.name, 'Extension', '');
    for (const s of m.schemas) this.assign('schema', 'public', `${s}_schema`, '', '');
    for (const e of m.enums)
      this.typeConsts.set(typeName(e.schema, e.name), this.constOf('enum', e.schema, e.name));
    for (const d of m.domains)
      this.typeConsts.set(typeName(d.schema, d.name), this.constOf('domain', d.schema, d.name));
  }

  /**
   * Gives an object its const: `user_status` is `userStatus`; taken, `appUserStatus` (another schema's), then
   * `userStatusEnum`, then `userStatus2`. `scope` tells objects of the same kind and name apart (a schema, a table).
   */
  private schemaOption(schema: string): Js | undefined {
    return schema === this.defaultSchema ? undefined : str(schema);
  }

  private assign(kind: string, schema: string, name: string, suffix: string, scope = schema): void {
    const base = camelCase(name);
    const candidates = [base];
    if (schema !== this.defaultSchema) candidates.push(camelCase(`${schema}_${name}`));
    if (suffix !== '') candidates.push(`${base}${suffix}`);
    let chosen = candidates.find((candidate) => !this.taken.has(candidate));
    for (let n = 2; chosen === undefined; n++) {
      if (!this.taken.has(`${base}${n}`)) chosen = `${base}${n}`;
    }
    this.taken.add(chosen);
    this.names.set(`${kind}\u0000${scope}\u0000${name}`, chosen);
  }

  private constOf(kind: string, scope: string, name: string): string {
    const found = this.names.get(`${kind}\u0000${scope}\u0000${name}`);
    if (found === undefined) throw new Error(`internal: no const for the ${kind} ${scope}.${name}`);
    return found;
  }

  private functionConst(f: FunctionModel): string {
    return this.constOf(`function:${f.identityArguments}`, f.schema, f.name);
  }

  private tableConst(schema: string, name: string): string | undefined {
    return this.names.get(`table\u0000${schema}\u0000${name}`);
  }

  private call(name: DslName, ...args: readonly (Js | undefined)[]): Js {
    return call(ident(name), ...args);
  }

  private declare(name: string, value: Js): Doc {
    collectImports(value, this.imports);
    return statementDoc(name, value);
  }

  // --- the analysis PostgreSQL's names need ---------------------------------------------------------------------

  private findSerials(): void {
    for (const table of this.model.tables) {
      for (const column of table.columns) {
        const serial = SERIALS[column.type];
        if (serial === undefined || column.default === undefined || column.identity !== undefined) continue;
        const sequence = this.model.sequences.find(
          (s) =>
            s.ownedBy?.schema === table.schema &&
            s.ownedBy.table === table.name &&
            s.ownedBy.column === column.name,
        );
        if (sequence === undefined || sequence.schema !== table.schema) continue;
        const regclass =
          table.schema === 'public'
            ? sqlName(sequence.name)
            : `${sqlName(table.schema)}.${sqlName(sequence.name)}`;
        const isSerial =
          column.default === `nextval('${regclass.replaceAll("'", "''")}'::regclass)` &&
          sequence.name === makeObjectName(table.name, column.name, 'seq') &&
          sequence.type === column.type &&
          sequence.start === '1' &&
          sequence.increment === '1' &&
          sequence.minValue === '1' &&
          sequence.maxValue === serial.max &&
          sequence.cache === '1' &&
          !sequence.cycle &&
          sequence.comment === undefined;
        if (isSerial) this.serials.set(`${table.schema}\u0000${table.name}\u0000${column.name}`, sequence);
      }
    }
  }

  private countNames(): void {
    const use = (schema: string, name: string) => {
      const k = key(schema, name);
      this.nameUses.set(k, (this.nameUses.get(k) ?? 0) + 1);
    };
    const m = this.model;
    for (const item of [...m.tables, ...m.views, ...m.sequences]) use(item.schema, item.name);
    for (const t of m.tables) {
      if (t.primaryKey !== undefined) use(t.schema, t.primaryKey.name);
      for (const c of [...t.uniques, ...t.checks, ...t.foreignKeys, ...t.excludes, ...t.indexes])
        use(t.schema, c.name);
    }
    for (const v of m.views) for (const i of v.indexes ?? []) use(v.schema, i.name);
  }

  /**
   * Whether the DSL, left to name the object, names it `name`: `chosen` is the name it would choose first, and no
   * other object of the schema holds it (the DSL would then choose another).
   */
  private defaultNamed(schema: string, name: string, chosen: string): boolean {
    return name === chosen && (this.nameUses.get(key(schema, name)) ?? 0) <= 1;
  }

  // --- schemas, extensions, types, sequences --------------------------------------------------------------------

  private schemaJs(name: string): Js {
    return this.call('dbSchema', str(name));
  }

  private extensionJs(e: SchemaModel['extensions'][number]): Js {
    return this.call(
      'extension',
      str(e.name),
      e.schema === 'public' ? undefined : object({ schema: str(e.schema) }),
    );
  }

  private enumJs(e: EnumModel): Js {
    const options = object({ schema: this.schemaOption(e.schema), comment: optionalStr(e.comment) });
    return this.call('enumType', str(e.name), array(e.values.map(str)), nonEmpty(options));
  }

  private domainJs(d: DomainModel): Js {
    const taken = new Set<string>();
    const checks = d.checks.map((c) => {
      const named = c.name !== defaultNames.check(d.name, undefined, taken);
      const expression = sqlTemplate(asWritten(c.expression));
      return named ? object({ name: str(c.name), expression }) : expression;
    });
    const options = object({
      schema: this.schemaOption(d.schema),
      notNull: d.nullable ? undefined : literal('true'),
      default: d.default === undefined ? undefined : sqlTemplate(d.default),
      collation: optionalStr(d.collation),
      checks: checks.length === 0 ? undefined : array(checks),
      comment: optionalStr(d.comment),
    });
    const base = this.typeJs(d.type, true);
    return this.call('domain', str(d.name), base, nonEmpty(options));
  }

  private sequenceJs(s: SequenceModel): Js {
    const limits = SEQUENCE_LIMITS[s.type] ?? SEQUENCE_LIMITS.bigint!;
    const ascending = !s.increment.startsWith('-');
    const minValue = ascending ? '1' : limits.min.toString();
    const maxValue = ascending ? limits.max.toString() : '-1';
    const start = ascending ? s.minValue : s.maxValue;
    if (s.ownedBy !== undefined) {
      this.partial.push({
        what: `the sequence ${qualified(s.schema, s.name)}`,
        missing: `OWNED BY ${qualified(s.ownedBy.table, s.ownedBy.column)}`,
      });
    }
    const options = object({
      schema: this.schemaOption(s.schema),
      as: s.type === 'bigint' ? undefined : str(s.type),
      start: s.start === start ? undefined : integerJs(s.start),
      increment: s.increment === '1' ? undefined : integerJs(s.increment),
      minValue: s.minValue === minValue ? undefined : integerJs(s.minValue),
      maxValue: s.maxValue === maxValue ? undefined : integerJs(s.maxValue),
      cache: s.cache === '1' ? undefined : integerJs(s.cache),
      cycle: s.cycle ? literal('true') : undefined,
      comment: optionalStr(s.comment),
    });
    return this.call('sequence', str(s.name), nonEmpty(options));
  }

  /** The column builder of a type: `uuid()`, `varchar(255)`, `mood().array()`, `column('tsrange')`. */
  private typeJs(type: string, forDomain = false): Js {
    const arrayOf = /^(.*?)((?:\[\d*\])+)$/.exec(type);
    if (arrayOf !== null) return method(this.typeJs(arrayOf[1]!, forDomain), 'array');
    const declared = this.typeConsts.get(type);
    if (declared !== undefined) return call(ident(declared));
    const simple = SIMPLE_TYPES[type];
    if (simple !== undefined) return this.call(simple);
    let match = /^character varying(?:\((\d+)\))?$/.exec(type);
    if (match !== null) return this.call('varchar', match[1] === undefined ? undefined : literal(match[1]));
    match = /^character\((\d+)\)$/.exec(type);
    if (match !== null) return this.call('char', literal(match[1]!));
    match = /^numeric(?:\((\d+),(-?\d+)\))?$/.exec(type);
    if (match !== null) {
      if (match[1] === undefined) return this.call('numeric');
      return this.call('numeric', literal(match[1]), match[2] === '0' ? undefined : literal(match[2]!));
    }
    match = /^(timestamp|time)(?:\((\d)\))? (with|without) time zone$/.exec(type);
    if (match !== null) {
      const [, kind, precision, zone] = match;
      const precisionJs = precision === undefined ? undefined : literal(precision);
      if (kind === 'timestamp' && zone === 'with')
        return this.call('timestamptz', precisionJs && object({ precision: precisionJs }));
      const options = object({
        precision: precisionJs,
        withTimeZone: zone === 'with' ? literal('true') : undefined,
      });
      return this.call(kind === 'time' ? 'time' : 'timestamp', nonEmpty(options));
    }
    match = /^vector\((\d+)\)$/.exec(type);
    if (match !== null) return this.call('vector', literal(match[1]!));
    return forDomain ? str(type) : this.call('column', str(type));
  }

  // --- tables ---------------------------------------------------------------------------------------------------

  private tableJs(table: TableModel): Js {
    const tableName = qualified(table.schema, table.name);
    const usesT = { value: false };
    const columnRef = (column: string): Js => {
      usesT.value = true;
      return member(ident('t'), column);
    };
    const shorthands = new Map<string, ColumnShorthands>(table.columns.map((c) => [c.name, { checks: [] }]));
    const extras: Js[] = [];

    // The primary key.
    const pk = table.primaryKey;
    if (pk !== undefined) {
      if (pk.include !== undefined && pk.include.length > 0) {
        this.partial.push({
          what: `the primary key ${pk.name} of ${tableName}`,
          missing: `INCLUDE (${pk.include.join(', ')})`,
        });
      }
      const unnamed = this.defaultNamed(
        table.schema,
        pk.name,
        defaultNames.primaryKey(table.name, new Set()),
      );
      const only = pk.columns.length === 1 ? shorthands.get(pk.columns[0]!) : undefined;
      if (only !== undefined) {
        only.primaryKey = unnamed ? {} : { name: pk.name };
      } else {
        const columns = pk.columns.map(columnRef);
        extras.push(
          unnamed
            ? this.call('primaryKey', ...columns)
            : this.call('primaryKey', object({ name: str(pk.name), columns: array(columns) })),
        );
      }
    }

    for (const u of table.uniques) extras.push(...this.uniqueJs(table, u, shorthands, columnRef));
    for (const c of table.checks) extras.push(...this.checkJs(table, c, shorthands));
    for (const fk of table.foreignKeys) extras.push(...this.foreignKeyJs(table, fk, shorthands, columnRef));
    for (const x of table.excludes) extras.push(...this.excludeJs(table, x, columnRef));
    for (const i of table.indexes) extras.push(this.indexJs(table.schema, table.name, i, columnRef));

    const columns: Record<string, Js> = {};
    for (const column of table.columns) {
      columns[column.name] = this.columnJs(table, column, shorthands.get(column.name)!);
    }

    const extrasJs =
      extras.length === 0 ? undefined : arrow(array(extras), { params: usesT.value ? '(t)' : '()' });
    const parent = table.partitionOf;
    const parentConst = parent === undefined ? undefined : this.tableConst(parent.schema, parent.table);
    if (parent !== undefined && parentConst === undefined) {
      this.partial.push({
        what: `the table ${tableName}`,
        missing: `PARTITION OF ${qualified(parent.schema, parent.table)} ${parent.bound} (the parent table is not pulled)`,
      });
    }
    const options = object({
      schema: this.schemaOption(table.schema),
      comment: optionalStr(table.comment),
      partitionBy: optionalStr(table.partitionBy),
      partitionOf:
        parent === undefined || parentConst === undefined
          ? undefined
          : object({ of: arrow(ident(parentConst)), bound: str(parent.bound) }),
      unlogged: table.unlogged === true ? literal('true') : undefined,
      engine: optionalStr(table.engine),
      collation: optionalStr(table.collation),
      strict: table.strict === true ? literal('true') : undefined,
      withoutRowid: table.withoutRowid === true ? literal('true') : undefined,
    });
    const columnsJs = object(columns, table.columns.length > 0);
    if (options.properties.length === 0) return this.call('table', str(table.name), columnsJs, extrasJs);
    return this.call(
      'table',
      str(table.name),
      columnsJs,
      object({ ...Object.fromEntries(options.properties), extras: extrasJs }),
    );
  }

  private columnJs(table: TableModel, column: ColumnModel, shorthand: ColumnShorthands): Js {
    const serial = this.serials.get(`${table.schema}\u0000${table.name}\u0000${column.name}`);
    let js = serial === undefined ? this.typeJs(column.type) : this.call(SERIALS[column.type]!.builder);
    if (column.collation !== undefined) js = method(js, 'collate', str(column.collation));
    const impliesNotNull =
      serial !== undefined || column.identity !== undefined || shorthand.primaryKey !== undefined;
    if (shorthand.primaryKey !== undefined) {
      js = method(js, 'primaryKey', optionalName(shorthand.primaryKey.name));
    }
    if (!column.nullable && !impliesNotNull) js = method(js, 'notNull');
    if (column.nullable && impliesNotNull) js = method(js, 'nullable');
    if (shorthand.unique !== undefined) {
      const options = object({
        name: optionalStr(shorthand.unique.name),
        nullsNotDistinct: shorthand.unique.nullsNotDistinct === true ? literal('true') : undefined,
      });
      js = method(js, 'unique', nonEmpty(options));
    }
    if (column.default !== undefined && serial === undefined) {
      js =
        column.default === 'now()'
          ? method(js, 'defaultNow')
          : method(js, 'default', sqlTemplate(column.default));
    }
    if (column.identity !== undefined) {
      const { generated, ...parameters } = column.identity;
      const options = object({
        start: parameters.start === undefined ? undefined : integerJs(parameters.start),
        increment: parameters.increment === undefined ? undefined : integerJs(parameters.increment),
        minValue: parameters.minValue === undefined ? undefined : integerJs(parameters.minValue),
        maxValue: parameters.maxValue === undefined ? undefined : integerJs(parameters.maxValue),
        cache: parameters.cache === undefined ? undefined : integerJs(parameters.cache),
        cycle: parameters.cycle === true ? literal('true') : undefined,
      });
      js =
        options.properties.length > 0
          ? method(js, 'identity', str(generated), options)
          : method(js, 'identity', generated === 'always' ? undefined : str(generated));
    }
    if (column.generated !== undefined) {
      js =
        column.generatedKind === 'virtual'
          ? method(js, 'generatedAs', sqlTemplate(column.generated), object({ virtual: literal('true') }))
          : method(js, 'generatedAs', sqlTemplate(column.generated));
    }
    if (column.onUpdate !== undefined) js = method(js, 'onUpdate', sqlTemplate(column.onUpdate));
    if (shorthand.references !== undefined) js = method(js, 'references', ...shorthand.references);
    for (const check of shorthand.checks) {
      const options = object({
        name: optionalStr(check.name),
        noInherit: check.noInherit === true ? literal('true') : undefined,
      });
      js = method(js, 'check', sqlTemplate(check.expression), nonEmpty(options));
    }
    if (column.comment !== undefined) js = method(js, 'comment', str(column.comment));
    return js;
  }

  private uniqueJs(
    table: TableModel,
    u: UniqueModel,
    shorthands: Map<string, ColumnShorthands>,
    columnRef: (column: string) => Js,
  ): Js[] {
    const unnamed = this.defaultNamed(
      table.schema,
      u.name,
      defaultNames.unique(table.name, u.columns, new Set()),
    );
    const deferrable = u.deferrable || u.initiallyDeferred;
    const include = u.include ?? [];
    const only = u.columns.length === 1 ? shorthands.get(u.columns[0]!) : undefined;
    if (only !== undefined && only.unique === undefined && !deferrable && include.length === 0) {
      only.unique = {
        ...(unnamed ? {} : { name: u.name }),
        ...(u.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
      };
      return [];
    }
    let js = method(
      this.call('unique', unnamed ? undefined : str(u.name)),
      'on',
      ...u.columns.map(columnRef),
    );
    if (u.nullsNotDistinct === true) js = method(js, 'nullsNotDistinct');
    if (deferrable)
      js = method(
        js,
        'deferrable',
        u.initiallyDeferred ? object({ initiallyDeferred: literal('true') }) : undefined,
      );
    if (include.length > 0) js = method(js, 'include', ...include.map(columnRef));
    return [js];
  }

  private checkJs(table: TableModel, c: CheckModel, shorthands: Map<string, ColumnShorthands>): Js[] {
    const what = `the check ${c.name} of ${qualified(table.schema, table.name)}`;
    if (c.notValid === true)
      this.partial.push({ what, missing: 'NOT VALID (validate it, or drop the declaration)' });
    const expression = asWritten(c.expression);
    const noInherit = c.noInherit === true ? { noInherit: true } : {};
    // A column's check is named after the column, whatever it says; a table's, after the one column it names.
    const column = table.columns.find((col) =>
      this.defaultNamed(table.schema, c.name, defaultNames.check(table.name, col.name, new Set())),
    );
    if (column !== undefined) {
      shorthands.get(column.name)!.checks.push({ expression, ...noInherit });
      return [];
    }
    const single = mentionedColumn(
      c.expression,
      table.columns.map((col) => col.name),
    );
    if (single !== undefined) {
      shorthands.get(single)!.checks.push({ expression, name: c.name, ...noInherit });
      return [];
    }
    const unnamed = this.defaultNamed(
      table.schema,
      c.name,
      defaultNames.check(table.name, undefined, new Set()),
    );
    const options = c.noInherit === true ? object({ noInherit: literal('true') }) : undefined;
    return [
      unnamed
        ? this.call('check', sqlTemplate(expression), options)
        : this.call('check', str(c.name), sqlTemplate(expression), options),
    ];
  }

  private foreignKeyJs(
    table: TableModel,
    fk: ForeignKeyModel,
    shorthands: Map<string, ColumnShorthands>,
    columnRef: (column: string) => Js,
  ): Js[] {
    const what = `the foreign key ${fk.name} of ${qualified(table.schema, table.name)}`;
    const target = this.tableConst(fk.references.schema, fk.references.table);
    if (target === undefined) {
      this.undeclared.push({
        what,
        sql: `ALTER TABLE ${sqlName(table.schema)}.${sqlName(table.name)} ADD CONSTRAINT ${sqlName(fk.name)} ${foreignKeySql(fk)};`,
      });
      return [];
    }
    if (fk.notValid === true)
      this.partial.push({ what, missing: 'NOT VALID (validate it, or drop the declaration)' });
    const unnamed = this.defaultNamed(
      table.schema,
      fk.name,
      defaultNames.foreignKey(table.name, fk.columns, new Set()),
    );
    const actions = {
      onDelete: fk.onDelete === 'no action' ? undefined : str(fk.onDelete),
      onUpdate: fk.onUpdate === 'no action' ? undefined : str(fk.onUpdate),
      match: fk.match === 'simple' ? undefined : str(fk.match),
      deferrable: fk.deferrable && !fk.initiallyDeferred ? literal('true') : undefined,
      initiallyDeferred: fk.initiallyDeferred ? literal('true') : undefined,
    };
    const targetTable = this.model.tables.find(
      (t) => t.schema === fk.references.schema && t.name === fk.references.table,
    )!;
    const sameTable = targetTable.schema === table.schema && targetTable.name === table.name;
    const cycle = this.cycles.get(key(table.schema, table.name));
    const typed =
      sameTable ||
      (cycle !== undefined && cycle === this.cycles.get(key(targetTable.schema, targetTable.name)));
    const only = fk.columns.length === 1 ? shorthands.get(fk.columns[0]!) : undefined;
    if (only !== undefined && only.references === undefined) {
      const ref = member(member(ident(target), 'columns'), fk.references.columns[0]!);
      const options = object({ name: unnamed ? undefined : str(fk.name), ...actions });
      only.references = [arrow(ref, typed ? { returnType: 'ColumnBuilder' } : {}), nonEmpty(options)];
      return [];
    }
    const refs = sameTable
      ? arrow(array(fk.references.columns.map(columnRef)))
      : arrow(
          array(fk.references.columns.map((c) => member(member(ident(target), 'columns'), c))),
          typed ? { returnType: 'ColumnBuilder[]' } : {},
        );
    return [
      this.call(
        'foreignKey',
        object({
          name: unnamed ? undefined : str(fk.name),
          columns: array(fk.columns.map(columnRef)),
          references: refs,
          ...actions,
        }),
      ),
    ];
  }

  private excludeJs(table: TableModel, x: ExcludeModel, columnRef: (column: string) => Js): Js[] {
    const what = `the exclusion constraint ${x.name} of ${qualified(table.schema, table.name)}`;
    const parsed = parseExclude(
      x.definition,
      table.columns.map((c) => c.name),
    );
    if (parsed === undefined) {
      this.undeclared.push({
        what,
        sql: `ALTER TABLE ${sqlName(table.schema)}.${sqlName(table.name)} ADD CONSTRAINT ${sqlName(x.name)} EXCLUDE ${x.definition}${x.deferrable ? ' DEFERRABLE' : ''}${x.initiallyDeferred ? ' INITIALLY DEFERRED' : ''};`,
      });
      return [];
    }
    const names = parsed.elements.map((e) => e.column ?? 'expr');
    const unnamed = this.defaultNamed(
      table.schema,
      x.name,
      defaultNames.exclude(table.name, names, new Set()),
    );
    const elements = parsed.elements.map((e) =>
      object({
        column: e.column === undefined ? undefined : columnRef(e.column),
        expression: e.expression === undefined ? undefined : sqlTemplate(e.expression),
        opclass: optionalStr(e.opclass),
        operator: str(e.operator),
      }),
    );
    return [
      this.call(
        'exclude',
        object({
          name: unnamed ? undefined : str(x.name),
          using: parsed.using === 'btree' ? undefined : str(parsed.using),
          elements: array(elements),
          where: parsed.where === undefined ? undefined : sqlTemplate(asWritten(parsed.where)),
          deferrable: x.deferrable && !x.initiallyDeferred ? literal('true') : undefined,
          initiallyDeferred: x.initiallyDeferred ? literal('true') : undefined,
        }),
      ),
    ];
  }

  private indexJs(schema: string, table: string, i: IndexModel, columnRef: (column: string) => Js): Js {
    const parts = i.elements.map((e) => e.column ?? expressionColumnName(e.expression ?? ''));
    const unnamed = this.defaultNamed(schema, i.name, defaultNames.index(table, parts, new Set()));
    let js = this.call(i.unique ? 'uniqueIndex' : 'index', unnamed ? undefined : str(i.name));
    js = method(js, 'on', ...i.elements.map((e) => this.indexElementJs(e, columnRef)));
    if (i.method !== 'btree') js = method(js, 'using', str(i.method));
    if (i.include !== undefined && i.include.length > 0)
      js = method(js, 'include', ...i.include.map(columnRef));
    if (i.where !== undefined) js = method(js, 'where', sqlTemplate(asWritten(i.where)));
    if (i.nullsNotDistinct === true) js = method(js, 'nullsNotDistinct');
    if (i.with !== undefined && i.with.length > 0) {
      const parameters: Record<string, Js> = {};
      for (const setting of i.with) {
        const [name = '', ...rest] = setting.split('=');
        const value = rest.join('=');
        parameters[name] = /^-?\d+(\.\d+)?$/.test(value)
          ? literal(value)
          : value === 'true' || value === 'false'
            ? literal(value)
            : str(value);
      }
      js = method(js, 'withParameters', object(parameters));
    }
    return js;
  }

  private indexElementJs(e: IndexElementModel, columnRef: (column: string) => Js): Js {
    const target = e.column === undefined ? sqlTemplate(e.expression ?? '') : columnRef(e.column);
    if (e.opclass === undefined && e.collation === undefined && e.length === undefined) {
      if (e.order === undefined && e.nulls === undefined) return target;
      if (e.column !== undefined) {
        const order = e.order ?? 'asc';
        return this.call(order, target, e.nulls === undefined ? undefined : str(e.nulls));
      }
    }
    return object({
      column: e.column === undefined ? undefined : target,
      expression: e.column === undefined ? target : undefined,
      order: e.order === undefined ? undefined : str(e.order),
      nulls: optionalStr(e.nulls),
      opclass: optionalStr(e.opclass),
      collation: optionalStr(e.collation),
      length: e.length === undefined ? undefined : literal(String(e.length)),
    });
  }

  // --- views, functions, triggers -------------------------------------------------------------------------------

  /** An object the DSL has no builder for, declared by its SQL. */
  private sqlObjectJs(o: OtherObjectModel): Js {
    const options = object({
      schema: o.schema === undefined ? undefined : this.schemaOption(o.schema),
      table: optionalStr(o.table),
    });
    return this.call('sqlObject', str(o.kind), str(o.name), sqlTemplate(o.definition), nonEmpty(options));
  }

  private viewJs(v: ViewModel): Js {
    const query = v.query.trim().replace(/;$/, '');
    // A materialized view's columns are not declared: its indexes name them by strings.
    const indexes = (v.indexes ?? []).map((i) => this.indexJs(v.schema, v.name, i, str));
    const options = object({
      schema: this.schemaOption(v.schema),
      columns: v.columns === undefined ? undefined : array(v.columns.map(str)),
      comment: optionalStr(v.comment),
      indexes: indexes.length === 0 ? undefined : array(indexes),
    });
    return this.call(
      v.materialized ? 'materializedView' : 'view',
      str(v.name),
      sqlTemplate(query),
      nonEmpty(options),
    );
  }

  private functionJs(f: FunctionModel, parsed: ParsedFunction): Js {
    const parameters = parsed.parameters.map((p) =>
      p.name === undefined && p.mode === undefined && p.default === undefined
        ? str(p.type)
        : object({
            name: optionalStr(p.name),
            type: str(p.type),
            mode: optionalStr(p.mode),
            default: p.default === undefined ? undefined : sqlTemplate(p.default),
          }),
    );
    const procedure = f.kind === 'procedure';
    const definition = object({
      schema: this.schemaOption(f.schema),
      parameters: parameters.length === 0 ? undefined : array(parameters),
      returns: procedure ? undefined : optionalStr(parsed.returns),
      language: str(parsed.language),
      volatility: optionalStr(parsed.volatility),
      strict: parsed.strict ? literal('true') : undefined,
      securityDefiner: parsed.securityDefiner ? literal('true') : undefined,
      parallel: optionalStr(parsed.parallel),
      set:
        parsed.set.length === 0
          ? undefined
          : object(
              Object.fromEntries(
                parsed.set.map(([name, values]) => [
                  name,
                  values.length === 1 ? str(values[0]!) : array(values.map(str)),
                ]),
              ),
            ),
      body: parsed.body.includes('\n') ? template(parsed.body) : str(parsed.body),
      comment: optionalStr(f.comment),
    });
    return this.call(procedure ? 'procedure' : 'fn', str(f.name), definition);
  }

  private triggerJs(t: TriggerModel): Js | undefined {
    const tableConst =
      this.tableConst(t.schema, t.table) ?? this.names.get(`view\u0000${t.schema}\u0000${t.table}`);
    // A function the schema has is declared with it (or the trigger cannot be); one it has not (PostgreSQL's own,
    // an extension's) is named.
    const own = this.model.functions.filter(
      (f) => f.schema === t.function.schema && f.name === t.function.name,
    );
    const fn = own.find((f) => f.kind === 'function' && f.identityArguments === '');
    if (
      tableConst === undefined ||
      (own.length > 0 && (fn === undefined || this.functions.get(fn) === undefined))
    )
      return undefined;
    const parsed = parseTrigger(t.definition);
    if (parsed === undefined) return undefined;
    const events = parsed.events.map((e) =>
      typeof e === 'string' ? str(e) : object({ update: array(e.update.map(str)) }),
    );
    return this.call(
      'trigger',
      str(t.name),
      object({
        table: arrow(ident(tableConst)),
        timing: str(parsed.timing),
        events: array(events),
        forEach: str(parsed.forEach),
        when: parsed.when === undefined ? undefined : sqlTemplate(parsed.when),
        function:
          fn === undefined
            ? str(
                t.function.schema === this.defaultSchema
                  ? t.function.name
                  : qualified(t.function.schema, t.function.name),
              )
            : arrow(ident(this.functionConst(fn))),
        functionArguments: parsed.arguments.length === 0 ? undefined : array(parsed.arguments.map(str)),
        enabled: t.enabled === false ? literal('false') : undefined,
      }),
    );
  }
}

interface ColumnShorthands {
  primaryKey?: { readonly name?: string };
  unique?: { readonly name?: string; readonly nullsNotDistinct?: boolean };
  references?: readonly [Js, Js | undefined];
  readonly checks: { readonly expression: string; readonly name?: string; readonly noInherit?: boolean }[];
}

function optionalStr(value: string | undefined): Js | undefined {
  return value === undefined ? undefined : str(value);
}

function optionalName(name: string | undefined): Js | undefined {
  return name === undefined ? undefined : object({ name: str(name) });
}

function nonEmpty(options: ObjectJs): ObjectJs | undefined {
  return options.properties.length === 0 ? undefined : options;
}

/** A catalog integer as a number literal, or a bigint one (`9223372036854775807n`) beyond the safe integers. */
function integerJs(text: string): Js {
  return literal(Number.isSafeInteger(Number(text)) ? String(Number(text)) : `${text}n`);
}

/** Adds the names of `ambix/schema` that `js` uses to `names`. */
function collectImports(js: Js, names: Set<string>): void {
  switch (js.kind) {
    case 'ident':
      if (DSL_NAMES.has(js.name)) names.add(js.name);
      return;
    case 'template':
      if (js.tag !== undefined) names.add(js.tag);
      return;
    case 'member':
      collectImports(js.object, names);
      return;
    case 'call':
      collectImports(js.callee, names);
      for (const arg of js.args) collectImports(arg, names);
      return;
    case 'object':
      for (const [, value] of js.properties) collectImports(value, names);
      return;
    case 'array':
      for (const element of js.elements) collectImports(element, names);
      return;
    case 'arrow':
      if (js.returnType !== undefined) names.add(js.returnType.replace('[]', ''));
      collectImports(js.body, names);
      return;
    default:
      return;
  }
}

/** `user_status` is `userStatus`; a name that starts with a digit gets a `_`. */
function camelCase(name: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
  if (words.length === 0) return 'unnamed';
  const [first = '', ...rest] = words;
  const head = first === first.toUpperCase() ? first.toLowerCase() : first[0]!.toLowerCase() + first.slice(1);
  const text = head + rest.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return /^\p{N}/u.test(text) ? `_${text}` : text;
}

/** Domains after the domains they are based on. */
function orderDomains(domains: readonly DomainModel[]): DomainModel[] {
  const byType = new Map(domains.map((d) => [typeName(d.schema, d.name), d]));
  const ordered: DomainModel[] = [];
  const visit = (d: DomainModel, seen: Set<DomainModel>) => {
    if (ordered.includes(d) || seen.has(d)) return;
    seen.add(d);
    const base = byType.get(d.type.replace(/(\[\d*\])+$/, ''));
    if (base !== undefined) visit(base, seen);
    ordered.push(d);
  };
  for (const d of domains) visit(d, new Set());
  return ordered;
}

/**
 * The tables whose foreign keys lead back to them through other tables, by the cycle they are in (Tarjan's
 * strongly connected components with more than one table).
 */
function referenceCycles(tables: readonly TableModel[]): ReadonlyMap<string, number> {
  const edges = new Map<string, string[]>();
  for (const t of tables) {
    edges.set(
      key(t.schema, t.name),
      t.foreignKeys.map((fk) => key(fk.references.schema, fk.references.table)),
    );
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles = new Map<string, number>();
  let counter = 0;
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) for (const m of component) cycles.set(m, index.get(node)!);
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) connect(node);
  return cycles;
}

const IN_LIST =
  /(?<![\w."$])("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)::text (= ANY|<> ALL) \(ARRAY\[('(?:[^']|'')*'::character varying(?:, '(?:[^']|'')*'::character varying)*)\]::text\[\]\)/g;

/**
 * A condition as its author wrote it where PostgreSQL's own printing would not read back the same: `status IN
 * ('a', 'b')` on a `varchar` column prints as `status::text = ANY (ARRAY['a'::character varying, …]::text[])`,
 * which, parsed again, casts each element instead of the array and prints differently.
 */
function asWritten(expression: string): string {
  return expression.replace(IN_LIST, (_match, name: string, operator: string, list: string) => {
    const values = list.match(/'(?:[^']|'')*'/g) ?? [];
    return `${name} ${operator === '= ANY' ? 'IN' : 'NOT IN'} (${values.join(', ')})`;
  });
}

/** The one column of `columns` a check's SQL names (outside string literals), as the DSL names unnamed checks. */
function mentionedColumn(expression: string, columns: readonly string[]): string | undefined {
  const found = new Set<string>();
  const code = expression.replace(/'(?:[^']|'')*'/g, "''");
  for (const match of code.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    const name = match[1] !== undefined ? match[1].replaceAll('""', '"') : match[2]!.toLowerCase();
    if (columns.includes(name)) found.add(name);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

function foreignKeySql(fk: ForeignKeyModel): string {
  const list = (names: readonly string[]) => names.map(sqlName).join(', ');
  let text = `FOREIGN KEY (${list(fk.columns)}) REFERENCES ${sqlName(fk.references.schema)}.${sqlName(fk.references.table)} (${list(fk.references.columns)})`;
  if (fk.match !== 'simple') text += ` MATCH ${fk.match.toUpperCase()}`;
  if (fk.onUpdate !== 'no action') text += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  if (fk.onDelete !== 'no action') text += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.deferrable) text += ' DEFERRABLE';
  if (fk.initiallyDeferred) text += ' INITIALLY DEFERRED';
  if (fk.notValid === true) text += ' NOT VALID';
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading PostgreSQL's printed definitions

/** Splits `text` at top-level occurrences of `separator` (outside quotes, parentheses and brackets). */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The index just past the `)` that closes the `(` at `open`, or -1. */
function pastClosingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const char = text[i]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** An identifier at the start of `text`: `[name, rest]`, unquoting a quoted one. */
function readIdentifier(text: string): [string, string] | undefined {
  const quoted = /^"((?:[^"]|"")+)"/.exec(text);
  if (quoted !== null) return [quoted[1]!.replaceAll('""', '"'), text.slice(quoted[0].length)];
  const bare = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text);
  return bare === null ? undefined : [bare[0], text.slice(bare[0].length)];
}

/** A possibly qualified name at the start of `text`: `[parts, rest]`. */
function readQualifiedName(text: string): [string[], string] | undefined {
  const first = readIdentifier(text);
  if (first === undefined) return undefined;
  if (!first[1].startsWith('.')) return [[first[0]], first[1]];
  const second = readIdentifier(first[1].slice(1));
  return second === undefined ? undefined : [[first[0], second[0]], second[1]];
}

interface ParsedParameter {
  readonly name?: string;
  readonly type: string;
  readonly mode?: string;
  readonly default?: string;
}

interface ParsedFunction {
  readonly parameters: readonly ParsedParameter[];
  readonly returns?: string;
  readonly language: string;
  readonly volatility?: 'immutable' | 'stable';
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  readonly parallel?: 'safe' | 'restricted';
  /** `SET name TO 'value'[, 'value'…]` lines, in order. */
  readonly set: readonly (readonly [string, readonly string[]])[];
  readonly body: string;
}

/** Types whose names have several words, which a parameter without a name starts with. */
const MULTI_WORD_TYPE =
  /^(?:double precision|character varying(?:\(\d+\))?|bit varying(?:\(\d+\))?|(?:timestamp|time)(?:\(\d\))? with(?:out)? time zone|interval [a-z ]+(?:\(\d\))?)(?:\[\])*$/;

function parseParameter(text: string): ParsedParameter | undefined {
  let rest = text.trim();
  let mode: string | undefined;
  const modeMatch = /^(IN|OUT|INOUT|VARIADIC) /.exec(rest);
  if (modeMatch !== null) {
    mode = modeMatch[1] === 'IN' ? undefined : modeMatch[1]!.toLowerCase();
    rest = rest.slice(modeMatch[0].length);
  }
  const [declaration = '', ...defaults] = splitTopLevel(rest, ' DEFAULT ');
  const fallback = defaults.length === 0 ? undefined : defaults.join(' DEFAULT ');
  let name: string | undefined;
  let type = declaration.trim();
  if (type.includes(' ') && !MULTI_WORD_TYPE.test(type)) {
    const read = readIdentifier(type);
    if (read === undefined || !read[1].startsWith(' ')) return undefined;
    name = read[0];
    type = read[1].trim();
  }
  if (type === '') return undefined;
  return {
    ...(name === undefined ? {} : { name }),
    type,
    ...(mode === undefined ? {} : { mode }),
    ...(fallback === undefined ? {} : { default: fallback }),
  };
}

/**
 * A function's parts from `pg_get_functiondef`'s text, or undefined when it has something `fn()` cannot declare
 * (`COST`, `LEAKPROOF`, a SQL-standard body, a C function…).
 */
function parseFunction(f: FunctionModel): ParsedFunction | undefined {
  const text = f.definition.replace(/\n$/, '');
  const lines = text.split('\n');
  const header = /^CREATE OR REPLACE (?:FUNCTION|PROCEDURE) /.exec(lines[0] ?? '');
  if (header === null) return undefined;
  const name = readQualifiedName((lines[0] ?? '').slice(header[0].length));
  if (name === undefined || !name[1].startsWith('(') || pastClosingParen(name[1], 0) !== name[1].length)
    return undefined;
  const argumentText = name[1].slice(1, -1).trim();
  const parameters = argumentText === '' ? [] : splitTopLevel(argumentText, ', ').map(parseParameter);
  if (parameters.some((p) => p === undefined)) return undefined;

  const bodyStart = lines.findIndex((line) => line.startsWith('AS '));
  if (bodyStart < 1) return undefined;
  const body = /^AS (\$[A-Za-z0-9_]*\$)([\s\S]*)\1$/.exec(lines.slice(bodyStart).join('\n'));
  if (body === null) return undefined;
  let returns: string | undefined;
  let language: string | undefined;
  let volatility: ParsedFunction['volatility'];
  let strict = false;
  let securityDefiner = false;
  let parallel: ParsedFunction['parallel'];
  const set: [string, string[]][] = [];
  for (const line of lines.slice(1, bodyStart)) {
    if (line.startsWith(' SET ')) {
      const setting = parseSetting(line.slice(' SET '.length));
      if (setting === undefined) return undefined;
      set.push(setting);
      continue;
    }
    if (line.startsWith(' RETURNS ')) {
      returns = line.slice(' RETURNS '.length);
      continue;
    }
    if (line.startsWith(' LANGUAGE ')) {
      language = readIdentifier(line.slice(' LANGUAGE '.length))?.[0];
      continue;
    }
    const words = line.trim().split(' ');
    for (let i = 0; i < words.length; i++) {
      const word = words[i];
      if (word === 'IMMUTABLE' || word === 'STABLE')
        volatility = word === 'IMMUTABLE' ? 'immutable' : 'stable';
      else if (word === 'STRICT') strict = true;
      else if (word === 'SECURITY' && words[i + 1] === 'DEFINER') {
        securityDefiner = true;
        i++;
      } else if (word === 'PARALLEL' && (words[i + 1] === 'SAFE' || words[i + 1] === 'RESTRICTED')) {
        parallel = words[i + 1] === 'SAFE' ? 'safe' : 'restricted';
        i++;
      } else return undefined;
    }
  }
  if (language === undefined || (f.kind === 'function' && returns === undefined)) return undefined;
  return {
    parameters: parameters as ParsedParameter[],
    ...(returns === undefined ? {} : { returns }),
    language,
    ...(volatility === undefined ? {} : { volatility }),
    strict,
    securityDefiner,
    ...(parallel === undefined ? {} : { parallel }),
    set,
    body: body[2]!,
  };
}

/** `search_path TO 'public', 'pg_temp'`, as `pg_get_functiondef` prints a function's setting. */
function parseSetting(text: string): [string, string[]] | undefined {
  const name = readIdentifier(text);
  if (name === undefined || !name[1].startsWith(' TO ')) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*$/.test(name[0])) return undefined;
  const values: string[] = [];
  for (const item of splitTopLevel(name[1].slice(' TO '.length), ', ')) {
    const literalMatch = /^'((?:[^']|'')*)'$/.exec(item);
    if (literalMatch === null) return undefined;
    values.push(literalMatch[1]!.replaceAll("''", "'"));
  }
  return values.length === 0 ? undefined : [name[0], values];
}

interface ParsedTrigger {
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: readonly ('insert' | 'update' | 'delete' | 'truncate' | { readonly update: string[] })[];
  readonly forEach: 'row' | 'statement';
  readonly when?: string;
  readonly arguments: readonly string[];
}

/** A trigger's parts from `pg_get_triggerdef`'s text, or undefined for what `trigger()` cannot declare. */
function parseTrigger(definition: string): ParsedTrigger | undefined {
  let rest = definition;
  if (!rest.startsWith('CREATE TRIGGER ')) return undefined;
  const name = readIdentifier(rest.slice('CREATE TRIGGER '.length));
  if (name === undefined) return undefined;
  const timing = /^ (BEFORE|AFTER|INSTEAD OF) /.exec(name[1]);
  if (timing === null) return undefined;
  rest = name[1].slice(timing[0].length);
  const on = rest.indexOf(' ON ');
  if (on < 0) return undefined;
  const events: ParsedTrigger['events'][number][] = [];
  for (const event of rest.slice(0, on).split(' OR ')) {
    if (event === 'INSERT' || event === 'UPDATE' || event === 'DELETE' || event === 'TRUNCATE') {
      events.push(event.toLowerCase() as 'insert' | 'update' | 'delete' | 'truncate');
    } else if (event.startsWith('UPDATE OF ')) {
      const columns = splitTopLevel(event.slice('UPDATE OF '.length), ', ').map(
        (c) => readIdentifier(c)?.[0],
      );
      if (columns.some((c) => c === undefined)) return undefined;
      events.push({ update: columns as string[] });
    } else return undefined;
  }
  const table = readQualifiedName(rest.slice(on + ' ON '.length));
  if (table === undefined) return undefined;
  const forEach = /^ FOR EACH (ROW|STATEMENT)/.exec(table[1]);
  if (forEach === null) return undefined;
  rest = table[1].slice(forEach[0].length);
  let when: string | undefined;
  if (rest.startsWith(' WHEN (')) {
    const end = pastClosingParen(rest, ' WHEN '.length);
    if (end < 0) return undefined;
    when = rest.slice(' WHEN ('.length, end - 1);
    rest = rest.slice(end);
  }
  const execute = /^ EXECUTE (?:FUNCTION|PROCEDURE) /.exec(rest);
  if (execute === null) return undefined;
  const fn = readQualifiedName(rest.slice(execute[0].length));
  if (fn === undefined || !fn[1].startsWith('(') || !fn[1].endsWith(')')) return undefined;
  const argumentText = fn[1].slice(1, -1);
  const args: string[] = [];
  if (argumentText !== '') {
    for (const arg of splitTopLevel(argumentText, ', ')) {
      const literalMatch = /^'((?:[^']|'')*)'$/.exec(arg);
      if (literalMatch === null) return undefined;
      args.push(literalMatch[1]!.replaceAll("''", "'"));
    }
  }
  return {
    timing: timing[1]!.toLowerCase() as ParsedTrigger['timing'],
    events,
    forEach: forEach[1]!.toLowerCase() as 'row' | 'statement',
    ...(when === undefined ? {} : { when }),
    arguments: args,
  };
}

interface ParsedExclude {
  readonly using: string;
  readonly elements: readonly {
    readonly column?: string;
    readonly expression?: string;
    readonly opclass?: string;
    readonly operator: string;
  }[];
  readonly where?: string;
}

/** An exclusion constraint from `USING gist (room WITH =, during WITH &&) WHERE (…)`, if `exclude()` can say it. */
function parseExclude(definition: string, columns: readonly string[]): ParsedExclude | undefined {
  const head = /^USING (\S+) \(/.exec(definition);
  if (head === null) return undefined;
  const end = pastClosingParen(definition, head[0].length - 1);
  if (end < 0) return undefined;
  const list = definition.slice(head[0].length, end - 1);
  const rest = definition.slice(end);
  let where: string | undefined;
  if (rest !== '') {
    const match = /^ WHERE \((.*)\)$/s.exec(rest);
    if (match === null) return undefined;
    where = match[1];
  }
  const elements: ParsedExclude['elements'][number][] = [];
  for (const part of splitTopLevel(list, ', ')) {
    const withAt = part.lastIndexOf(' WITH ');
    if (withAt < 0) return undefined;
    const operator = part.slice(withAt + ' WITH '.length);
    let target = part.slice(0, withAt);
    let element: { column?: string; expression?: string };
    if (target.startsWith('(')) {
      const close = pastClosingParen(target, 0);
      if (close < 0) return undefined;
      element = { expression: target.slice(1, close - 1) };
      target = target.slice(close);
    } else {
      const name = readQualifiedName(target);
      if (name === undefined) return undefined;
      if (name[1].startsWith('(')) {
        const close = pastClosingParen(name[1], 0);
        if (close < 0) return undefined;
        const callLength = target.length - name[1].length + close;
        element = { expression: target.slice(0, callLength) };
        target = target.slice(callLength);
      } else {
        if (name[0].length !== 1 || !columns.includes(name[0][0]!)) return undefined;
        element = { column: name[0][0]! };
        target = name[1];
      }
    }
    const opclass = target.trim();
    if (opclass !== '' && !/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(opclass))
      return undefined;
    elements.push({ ...element, ...(opclass === '' ? {} : { opclass }), operator });
  }
  return { using: head[1]!, elements, ...(where === undefined ? {} : { where }) };
}

// ---------------------------------------------------------------------------------------------------------------
// A JavaScript syntax tree, just big enough for schema modules

type Js =
  | { readonly kind: 'ident'; readonly name: string }
  /** Numbers, booleans, bigints: printed as written. */
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'template'; readonly tag?: string; readonly text: string }
  | { readonly kind: 'member'; readonly object: Js; readonly property: string }
  | { readonly kind: 'call'; readonly callee: Js; readonly args: readonly Js[] }
  | ObjectJs
  | { readonly kind: 'array'; readonly elements: readonly Js[] }
  | {
      readonly kind: 'arrow';
      readonly params: string;
      readonly returnType?: string;
      readonly body: Js;
    };

interface ObjectJs {
  readonly kind: 'object';
  readonly properties: readonly (readonly [string, Js])[];
  /** Written with one property a line even where it would fit on one (Biome keeps an object broken if it is). */
  readonly expand: boolean;
}

const ident = (name: string): Js => ({ kind: 'ident', name });
const literal = (text: string): Js => ({ kind: 'literal', text });
const str = (value: string): Js => ({ kind: 'string', value });
const template = (text: string, tag?: string): Js => ({
  kind: 'template',
  text,
  ...(tag === undefined ? {} : { tag }),
});
const sqlTemplate = (text: string): Js => template(text, 'sql');
const member = (object: Js, property: string): Js => ({ kind: 'member', object, property });
const array = (elements: readonly Js[]): Js => ({ kind: 'array', elements });

function call(callee: Js, ...args: readonly (Js | undefined)[]): Js {
  return { kind: 'call', callee, args: args.filter((arg): arg is Js => arg !== undefined) };
}

function method(object: Js, name: string, ...args: readonly (Js | undefined)[]): Js {
  return call(member(object, name), ...args);
}

/** An object literal of the properties that are not undefined, in their order. */
function object(properties: Readonly<Record<string, Js | undefined>>, expand = false): ObjectJs {
  return {
    kind: 'object',
    properties: Object.entries(properties).filter((entry): entry is [string, Js] => entry[1] !== undefined),
    expand,
  };
}

function arrow(body: Js, options: { readonly params?: string; readonly returnType?: string } = {}): Js {
  return {
    kind: 'arrow',
    params: options.params ?? '()',
    ...(options.returnType === undefined ? {} : { returnType: options.returnType }),
    body,
  };
}

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/** A string literal as Biome writes it: single quotes, unless double ones need fewer escapes. */
function quoteString(value: string): string {
  const singles = value.split("'").length - 1;
  const doubles = value.split('"').length - 1;
  const quote = doubles < singles ? '"' : "'";
  let out = '';
  for (const char of value) {
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (isControl(char)) out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${quote}${out}${quote}`;
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
}

/** A template literal's text: what would end it or start an interpolation is escaped. */
function templateText(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('`', '\\`')
    .replaceAll('${', '\\${')
    .replaceAll('\r', '\\r');
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quoteString(name);
}

/**
 * Whether Biome counts an argument as simple (a member chain with more than two calls and a non-simple argument
 * gets one call a line): literals, identifiers, one-line templates, and shallow objects, arrays, members and calls.
 */
function isSimple(js: Js, depth = 0): boolean {
  if (depth >= 2) return false;
  switch (js.kind) {
    case 'ident':
    case 'literal':
    case 'string':
      return true;
    case 'template':
      return !js.text.includes('\n');
    case 'object':
      return js.properties.every(([, value]) => isSimple(value, depth + 1));
    case 'array':
      return js.elements.every((element) => isSimple(element, depth + 1));
    case 'member':
      return isSimple(js.object, depth);
    case 'call':
      return (
        isSimple(js.callee, depth) &&
        js.args.length + depth <= 2 &&
        js.args.every((a) => isSimple(a, depth + 1))
      );
    case 'arrow':
      return false;
  }
}

/** The member chain of a call: its head (`uuid()`) and the calls after it (`.notNull()`, `.unique()`). */
function flattenChain(js: Js): { head: Js; calls: { name: string; args: readonly Js[] }[] } | undefined {
  const calls: { name: string; args: readonly Js[] }[] = [];
  let current = js;
  while (current.kind === 'call' && current.callee.kind === 'member') {
    calls.unshift({ name: current.callee.property, args: current.args });
    current = current.callee.object;
  }
  if (calls.length === 0 || current.kind !== 'call') return undefined;
  return { head: current, calls };
}

function toDoc(js: Js): Doc {
  switch (js.kind) {
    case 'ident':
      return js.name;
    case 'literal':
      return js.text;
    case 'string':
      return quoteString(js.value);
    case 'template': {
      const lines = templateText(js.text).split('\n');
      return [`${js.tag ?? ''}\``, join(literalline, lines), '`'];
    }
    case 'member':
      return memberDoc(js, false);
    case 'call': {
      const chain = flattenChain(js);
      if (chain !== undefined) return chainDoc(chain.head, chain.calls);
      return [toDoc(js.callee), argumentsDoc(js.args)];
    }
    case 'object': {
      if (js.properties.length === 0) return '{}';
      const properties = js.properties.map(([name, value]) =>
        assignmentDoc(propertyKey(name), ':', value, true),
      );
      return group(['{', indent([line, join([',', line], properties)]), ifBreak(','), line, '}'], js.expand);
    }
    case 'array': {
      if (js.elements.length === 0) return '[]';
      const shouldBreak =
        js.elements.length > 1 &&
        js.elements.every(
          (e) =>
            (e.kind === 'object' && e.properties.length > 1) || (e.kind === 'array' && e.elements.length > 1),
        );
      const elements = js.elements.map(toDoc);
      return group(
        ['[', indent([softline, join([',', line], elements)]), ifBreak(','), softline, ']'],
        shouldBreak,
      );
    }
    case 'arrow': {
      const head = `${js.params}${js.returnType === undefined ? '' : `: ${js.returnType}`} =>`;
      const body = toDoc(js.body);
      if (js.body.kind === 'array' || js.body.kind === 'object' || js.body.kind === 'template')
        return group([head, ' ', body]);
      return group([head, group(indent([line, body]))]);
    }
  }
}

/** `t.email`; `users.columns.email` may break before `.email` (never after a lone identifier, as Biome does). */
function memberDoc(js: Extract<Js, { kind: 'member' }>, nested: boolean): Doc {
  const object = js.object.kind === 'member' ? memberDoc(js.object, true) : toDoc(js.object);
  if (!IDENTIFIER.test(js.property)) return [object, `[${quoteString(js.property)}]`];
  if (js.object.kind === 'ident' && !nested) return [object, `.${js.property}`];
  return [object, group(indent([softline, `.${js.property}`]))];
}

/** Call arguments: the last object or array hugged when the others fit on the line, else one argument a line. */
function argumentsDoc(args: readonly Js[]): Doc {
  if (args.length === 0) return '()';
  const docs = args.map(toDoc);
  const only = args[0]!;
  if (args.length === 1 && only.kind === 'template' && only.text.includes('\n')) return ['(', docs[0]!, ')'];
  const allBrokenOut = () =>
    group(['(', indent([softline, join([',', line], docs)]), ifBreak(','), softline, ')'], true);
  if (groupsLastArgument(args)) {
    if (docs.slice(0, -1).some(willBreak)) return allBrokenOut();
    const lastDoc = docs[docs.length - 1]!;
    return [
      willBreak(lastDoc) ? breakParent : '',
      conditionalGroup([['(', ...join(', ', docs), ')'], huggedArguments(docs), allBrokenOut()]),
    ];
  }
  return group(
    ['(', indent([softline, join([',', line], docs)]), ifBreak(','), softline, ')'],
    docs.some(willBreak),
  );
}

/** Whether the last argument, an object or array literal, stays on the call's line and breaks on its own. */
function groupsLastArgument(args: readonly Js[]): boolean {
  const last = args[args.length - 1];
  const penultimate = args.length > 1 ? args[args.length - 2] : undefined;
  return (
    last !== undefined &&
    ((last.kind === 'object' && last.properties.length > 0) ||
      (last.kind === 'array' && last.elements.length > 0)) &&
    penultimate?.kind !== last.kind
  );
}

/** `(a, {` … `})`: the arguments on the call's line, the last one broken. */
function huggedArguments(docs: readonly Doc[]): Doc {
  return ['(', ...join(', ', [...docs.slice(0, -1), group(docs[docs.length - 1]!, true)]), ')'];
}

/** A member chain as Biome lays it out: on one line when it fits and is simple, else one call a line. */
function chainDoc(head: Js, calls: readonly { name: string; args: readonly Js[] }[]): Doc {
  const headDoc = toDoc(head);
  const tail = calls.map((c) => [`.${c.name}`, argumentsDoc(c.args)]);
  const oneLine = [headDoc, ...tail];
  if (calls.length <= 1) return group(oneLine);
  const expanded = [headDoc, indent(group(tail.map((t) => [hardline, t])))];
  const allCalls = [head as Extract<Js, { kind: 'call' }>, ...calls];
  const complexArguments = allCalls.some((c) => !c.args.every((a) => isSimple(a)));
  const functionArgumentBeforeLast = calls.slice(0, -1).some((c) => c.args.some((a) => a.kind === 'arrow'));
  const lastBreaks = willBreak(tail[tail.length - 1]!);
  if (
    (allCalls.length > 2 && complexArguments) ||
    (lastBreaks && functionArgumentBeforeLast) ||
    willBreak(headDoc) ||
    tail.slice(0, -1).some(willBreak)
  ) {
    return group(expanded);
  }
  // Biome's middle layout: the chain on one line, its last call's object or array argument broken (when that
  // call would not fit on a line of its own either).
  const lastCall = calls[calls.length - 1]!;
  const lastFlat = flatWidth(tail[tail.length - 1]!);
  if (groupsLastArgument(lastCall.args) && lastFlat !== undefined && lastFlat > WIDTH - 2 * 4) {
    const hugged = [
      headDoc,
      ...tail.slice(0, -1),
      `.${lastCall.name}`,
      huggedArguments(lastCall.args.map(toDoc)),
    ];
    return [lastBreaks ? breakParent : '', conditionalGroup([oneLine, hugged, expanded])];
  }
  return [lastBreaks ? breakParent : '', conditionalGroup([oneLine, expanded])];
}

/** The columns `doc` takes printed on one line, or undefined if it cannot be. */
function flatWidth(doc: Doc): number | undefined {
  if (typeof doc === 'string') return width(doc);
  if (!Array.isArray(doc)) {
    const d = doc as Exclude<Doc, string | readonly Doc[]>;
    if (d.kind === 'breakParent' || (d.kind === 'line' && d.hard)) return undefined;
    if (d.kind === 'line') return d.soft ? 0 : 1;
    if (d.kind === 'ifBreak') return 0;
    if (d.kind === 'group') return flatWidth(d.contents);
  }
  let total = 0;
  for (const child of children(doc)) {
    const w = flatWidth(child);
    if (w === undefined) return undefined;
    total += w;
  }
  return total;
}

/** Biome's `is_poorly_breakable_member_or_call_chain`: a short chain whose calls take at most one short argument. */
function isPoorlyBreakable(js: Js): boolean {
  let current = js;
  let isChain = false;
  const calls: Extract<Js, { kind: 'call' }>[] = [];
  for (;;) {
    if (current.kind === 'call') {
      isChain = true;
      calls.push(current);
      current = current.callee;
    } else if (current.kind === 'member') {
      isChain = true;
      current = current.object;
    } else break;
  }
  if (!isChain || current.kind !== 'ident') return false;
  for (const c of calls) {
    const chain = flattenChain(c);
    if (chain !== undefined && chain.calls.length > 1) return false;
    if (c.args.length > 1) return false;
    const arg = c.args[0];
    if (arg !== undefined && !isShortArgument(arg)) return false;
  }
  return true;
}

const SHORT_ARGUMENT = Math.floor(110 / 4);

function isShortArgument(js: Js): boolean {
  switch (js.kind) {
    case 'ident':
      return js.name.length <= SHORT_ARGUMENT;
    case 'literal':
      return true;
    case 'string':
      return quoteString(js.value).length <= SHORT_ARGUMENT;
    case 'template':
      return !js.text.includes('\n') && templateText(js.text).length <= SHORT_ARGUMENT;
    default:
      return false;
  }
}

/** `left = right` or `key: value`, with the layout Biome chooses for its right-hand side. */
function assignmentDoc(left: string, operator: string, right: Js, isProperty: boolean): Doc {
  const rightDoc = toDoc(right);
  const leftIsShort = isProperty && left.length < 2 + 3;
  let layout: 'fluid' | 'breakAfterOperator' | 'never';
  if (leftIsShort) layout = 'never';
  else if (right.kind === 'string' || isPoorlyBreakable(right)) layout = 'breakAfterOperator';
  else if (right.kind === 'template' || right.kind === 'literal') layout = 'never';
  else layout = 'fluid';
  switch (layout) {
    case 'never':
      return group([left, operator, ' ', rightDoc]);
    case 'breakAfterOperator':
      return group([left, operator, group(indent([line, rightDoc]))]);
    case 'fluid': {
      const id = Symbol('assignment');
      return group([left, operator, group(indent(line), false, id), indentIfBreak(rightDoc, id)]);
    }
  }
}

function statementDoc(name: string, value: Js): Doc {
  return [assignmentDoc(`export const ${name}`, ' =', value, false), ';'];
}

/** `import { … } from 'ambix/schema';`, the names in the order Biome sorts them. */
function importDoc(names: readonly string[]): Doc {
  const specifiers = [...names]
    .sort(compareNatural)
    .map((name) => (name === 'ColumnBuilder' ? `type ${name}` : name));
  return group([
    'import {',
    indent([line, join([',', line], specifiers)]),
    ifBreak(','),
    line,
    "} from 'ambix/schema';",
  ]);
}

/** Biome's order of import specifiers: letter by letter ignoring case, an uppercase letter before its lowercase. */
function compareNatural(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const lx = x.toLowerCase();
    const ly = y.toLowerCase();
    if (lx !== ly) return lx < ly ? -1 : 1;
    return x === x.toUpperCase() ? -1 : 1;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Documents and their printer (Wadler's algorithm as Prettier and Biome implement it)

type Doc =
  | string
  | readonly Doc[]
  | GroupDoc
  | IndentDoc
  | LineDoc
  | IfBreakDoc
  | IndentIfBreakDoc
  | BreakParentDoc;

interface GroupDoc {
  readonly kind: 'group';
  readonly contents: Doc;
  /** Set when the group must break (asked for, or propagated from a hard line inside it). */
  shouldBreak: boolean;
  /** A conditional group: its layouts from flattest to most expanded, tried in turn. */
  readonly states?: readonly Doc[];
  readonly id?: symbol;
}

interface IndentDoc {
  readonly kind: 'indent';
  readonly contents: Doc;
}

interface LineDoc {
  readonly kind: 'line';
  /** Nothing when flat (else a space). */
  readonly soft: boolean;
  readonly hard: boolean;
  /** A new line without indentation (inside a template literal). */
  readonly literal: boolean;
}

interface IfBreakDoc {
  readonly kind: 'ifBreak';
  readonly breakContents: Doc;
}

interface IndentIfBreakDoc {
  readonly kind: 'indentIfBreak';
  readonly contents: Doc;
  readonly groupId: symbol;
}

interface BreakParentDoc {
  readonly kind: 'breakParent';
}

const line: LineDoc = { kind: 'line', soft: false, hard: false, literal: false };
const softline: LineDoc = { kind: 'line', soft: true, hard: false, literal: false };
const breakParent: BreakParentDoc = { kind: 'breakParent' };
const hardline: Doc = [{ kind: 'line', soft: false, hard: true, literal: false }, breakParent];
const literalline: Doc = [{ kind: 'line', soft: false, hard: true, literal: true }, breakParent];

function group(contents: Doc, shouldBreak = false, id?: symbol): GroupDoc {
  return { kind: 'group', contents, shouldBreak, ...(id === undefined ? {} : { id }) };
}

function conditionalGroup(states: readonly Doc[]): GroupDoc {
  return { kind: 'group', contents: states[0]!, shouldBreak: false, states };
}

function indent(contents: Doc): IndentDoc {
  return { kind: 'indent', contents };
}

function ifBreak(breakContents: Doc): IfBreakDoc {
  return { kind: 'ifBreak', breakContents };
}

function indentIfBreak(contents: Doc, groupId: symbol): IndentIfBreakDoc {
  return { kind: 'indentIfBreak', contents, groupId };
}

function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  return docs.flatMap((doc, i) => (i === 0 ? [doc] : [separator, doc]));
}

function children(doc: Doc): readonly Doc[] {
  if (typeof doc === 'string') return [];
  if (Array.isArray(doc)) return doc as readonly Doc[];
  const d = doc as Exclude<Doc, string | readonly Doc[]>;
  switch (d.kind) {
    case 'group':
      return d.states ?? [d.contents];
    case 'indent':
    case 'indentIfBreak':
      return [d.contents];
    case 'ifBreak':
      return [d.breakContents];
    default:
      return [];
  }
}

/** Whether printing `doc` forces a line break (a hard line, or a group that must break). */
function willBreak(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (!Array.isArray(doc)) {
    const d = doc as Exclude<Doc, string | readonly Doc[]>;
    if (d.kind === 'breakParent' || (d.kind === 'line' && d.hard) || (d.kind === 'group' && d.shouldBreak))
      return true;
    if (d.kind === 'group' && d.states !== undefined) return willBreak(d.contents);
  }
  return children(doc).some(willBreak);
}

/** A group that holds a hard line breaks, and so do the groups around it (not through a conditional group). */
function propagateBreaks(doc: Doc): void {
  const visited = new Set<GroupDoc>();
  const visit = (d: Doc, parent: GroupDoc | undefined): boolean => {
    if (typeof d === 'string') return false;
    if (!Array.isArray(d)) {
      const node = d as Exclude<Doc, string | readonly Doc[]>;
      if (node.kind === 'breakParent') return true;
      if (node.kind === 'group') {
        if (!visited.has(node)) {
          visited.add(node);
          let breaks = false;
          for (const child of children(node)) if (visit(child, node)) breaks = true;
          if (breaks && node.states === undefined) node.shouldBreak = true;
        }
        return node.shouldBreak && node.states === undefined;
      }
    }
    let breaks = false;
    for (const child of children(d)) if (visit(child, parent)) breaks = true;
    return breaks;
  };
  visit(doc, undefined);
}

const WIDTH = 110;
type Mode = 'flat' | 'break';
type Command = readonly [indentation: number, mode: Mode, doc: Doc];

function printDoc(doc: Doc): string {
  propagateBreaks(doc);
  const groupModes = new Map<symbol, Mode>();
  const out: string[] = [];
  let position = 0;
  // After a hard line printed in flat mode (a template literal's), the groups that follow are measured again.
  let remeasure = false;
  const commands: Command[] = [[0, 'break', doc]];
  while (commands.length > 0) {
    const [indentation, mode, d] = commands.pop()!;
    if (typeof d === 'string') {
      out.push(d);
      position += width(d);
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) commands.push([indentation, mode, d[i]!]);
      continue;
    }
    const node = d as Exclude<Doc, string | readonly Doc[]>;
    switch (node.kind) {
      case 'indent':
        commands.push([indentation + 2, mode, node.contents]);
        break;
      case 'indentIfBreak':
        commands.push([
          groupModes.get(node.groupId) === 'break' ? indentation + 2 : indentation,
          mode,
          node.contents,
        ]);
        break;
      case 'ifBreak':
        if (mode === 'break') commands.push([indentation, mode, node.breakContents]);
        break;
      case 'breakParent':
        break;
      case 'group': {
        let chosen: Command;
        const measure = mode === 'break' || remeasure;
        remeasure = false;
        if (!measure) {
          chosen = [indentation, node.shouldBreak ? 'break' : 'flat', node.contents];
        } else if (
          !node.shouldBreak &&
          fits([indentation, 'flat', node.contents], commands, WIDTH - position)
        ) {
          chosen = [indentation, 'flat', node.contents];
        } else if (node.states !== undefined) {
          const expanded = node.states[node.states.length - 1]!;
          chosen = [indentation, 'break', expanded];
          for (const state of node.states.slice(1, -1)) {
            if (fits([indentation, 'flat', state], commands, WIDTH - position)) {
              chosen = [indentation, 'flat', state];
              break;
            }
          }
        } else {
          chosen = [indentation, 'break', node.contents];
        }
        commands.push(chosen);
        if (node.id !== undefined) groupModes.set(node.id, chosen[1]);
        break;
      }
      case 'line':
        if (mode === 'flat' && !node.hard) {
          if (!node.soft) {
            out.push(' ');
            position += 1;
          }
        } else if (node.literal) {
          if (mode === 'flat') remeasure = true;
          out.push('\n');
          position = 0;
        } else {
          if (mode === 'flat') remeasure = true;
          trimTrailingSpaces(out);
          out.push(`\n${' '.repeat(indentation)}`);
          position = indentation;
        }
        break;
    }
  }
  return out.join('');
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    const trimmed = last.replace(/[ \t]+$/, '');
    if (trimmed !== '') {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}

/** Whether `next` fits in `room` columns, followed by what the printer still has to print up to its next line. */
function fits(next: Command, rest: readonly Command[], room: number): boolean {
  let remaining = room;
  let restIndex = rest.length;
  const stack: (readonly [Mode, Doc])[] = [[next[1], next[2]]];
  while (remaining >= 0) {
    if (stack.length === 0) {
      if (restIndex === 0) return true;
      const command = rest[--restIndex]!;
      stack.push([command[1], command[2]]);
      continue;
    }
    const [mode, d] = stack.pop()!;
    if (typeof d === 'string') {
      remaining -= width(d);
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) stack.push([mode, d[i]!]);
      continue;
    }
    const node = d as Exclude<Doc, string | readonly Doc[]>;
    switch (node.kind) {
      case 'indent':
      case 'indentIfBreak':
        stack.push([mode, node.contents]);
        break;
      case 'ifBreak': {
        if (mode === 'break') stack.push([mode, node.breakContents]);
        break;
      }
      case 'group': {
        const groupMode = node.shouldBreak ? 'break' : mode;
        const contents =
          node.states !== undefined && groupMode === 'break'
            ? node.states[node.states.length - 1]!
            : node.contents;
        stack.push([groupMode, contents]);
        break;
      }
      case 'line':
        if (mode === 'break' || node.hard) return true;
        if (!node.soft) remaining -= 1;
        break;
      case 'breakParent':
        break;
    }
  }
  return false;
}

/** Columns a text takes (code points; wide characters are rare in schema names). */
function width(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
