import type { Renderer } from '../../dialects/dialect.js';
import { operationBuilders } from '../../operations/builders.js';
import type { ColumnDefault, SequenceParameters } from '../../operations/definitions.js';
import { isSqlExpression, type SqlExpression } from '../../operations/sql-expression.js';
import { deepFreeze } from '../../operations/validate.js';
import type {
  CheckModel,
  ColumnModel,
  DomainModel,
  EnumModel,
  ExcludeModel,
  ExtensionModel,
  ForeignKeyModel,
  FunctionModel,
  IdentityModel,
  IndexElementModel,
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
} from '../model.js';
import { defaultNames } from '../naming.js';
import { canonicalType } from '../types.js';
import { type ColumnBuilder, isColumnBuilder } from './column.js';
import { schemaError } from './errors.js';
import type {
  Declaration,
  DomainDeclaration,
  EnumDeclaration,
  FunctionDeclaration,
  SequenceDeclaration,
  TriggerDeclaration,
  ViewDeclaration,
} from './objects.js';
import {
  IndexBuilder,
  type IndexColumn,
  type IndexElementSpec,
  type TableDeclaration,
  UniqueBuilder,
} from './table.js';

export interface DeclaredModelOptions {
  /** Renders defaults, checks and other SQL of the declarations as text. */
  readonly renderer: Renderer;
  /** The schema of objects that name none. */
  readonly defaultSchema?: string;
  /**
   * What a `serial` column becomes: an integer with a sequence of its own and a `nextval` default (PostgreSQL, the
   * default), or an identity column, numbered by the table, on databases without sequences.
   */
  readonly serial?: 'sequence' | 'identity';
}

/** Renames the declarations ask for (`renamedFrom`), for autogenerate to pair old and new names. */
export interface DeclaredRenames {
  readonly tables: readonly { readonly schema: string; readonly from: string; readonly to: string }[];
  readonly columns: readonly {
    readonly schema: string;
    readonly table: string;
    readonly from: string;
    readonly to: string;
  }[];
}

export interface DeclaredSchema {
  readonly model: SchemaModel;
  readonly renames: DeclaredRenames;
}

/**
 * The schema model of a set of declarations (a schema module's exports): every default name chosen as PostgreSQL
 * would choose it, every column shorthand hoisted into the table's constraints, everything sorted and frozen.
 */
export function declaredModel(
  declarations: Iterable<Declaration>,
  options: DeclaredModelOptions,
): DeclaredSchema {
  const builder = new ModelBuilder(
    options.renderer,
    options.defaultSchema ?? 'public',
    options.serial ?? 'sequence',
  );
  const all = [...declarations];
  builder.checkDuplicates(all);
  // Relation names (tables, views, sequences) first: generated index and sequence names must avoid them.
  for (const declaration of all) builder.reserve(declaration);
  for (const declaration of all) builder.add(declaration);
  return builder.finish();
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => compare(a.name, b.name);
const byQualifiedName = <T extends { readonly schema: string; readonly name: string }>(a: T, b: T): number =>
  compare(a.schema, b.schema) || compare(a.name, b.name);
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class ModelBuilder {
  readonly schemas = new Set<string>();
  readonly extensions: ExtensionModel[] = [];
  readonly enums: EnumModel[] = [];
  readonly domains: DomainModel[] = [];
  readonly sequences: SequenceModel[] = [];
  readonly tables: TableModel[] = [];
  readonly views: ViewModel[] = [];
  readonly functions: FunctionModel[] = [];
  readonly triggers: TriggerModel[] = [];
  readonly others: OtherObjectModel[] = [];
  readonly tableRenames: { schema: string; from: string; to: string }[] = [];
  readonly columnRenames: { schema: string; table: string; from: string; to: string }[] = [];
  /** Names taken in each schema: relations (tables, views, sequences, indexes) and constraints. */
  readonly taken = new Map<string, Set<string>>();

  constructor(
    readonly renderer: Renderer,
    readonly defaultSchema: string,
    readonly serial: 'sequence' | 'identity',
  ) {}

  schemaOf(declared: string | undefined): string {
    const schema = declared ?? this.defaultSchema;
    if (schema !== this.defaultSchema) this.schemas.add(schema);
    return schema;
  }

  takenIn(schema: string): Set<string> {
    let names = this.taken.get(schema);
    if (names === undefined) {
      names = new Set();
      this.taken.set(schema, names);
    }
    return names;
  }

  /** Records `name` as taken in `schema`, and returns it. */
  take(schema: string, name: string): string {
    this.takenIn(schema).add(name);
    return name;
  }

  checkDuplicates(all: readonly Declaration[]): void {
    const seen = new Map<string, string>();
    for (const declaration of all) {
      if (declaration.kind === 'schema') continue;
      const schema =
        'schema' in declaration ? (declaration.schema ?? this.defaultSchema) : this.defaultSchema;
      const where =
        declaration.kind === 'trigger'
          ? `${declaration.name} on ${declaration.table().name}`
          : declaration.kind === 'sqlObject' && declaration.table !== undefined
            ? `${declaration.name} on ${declaration.table}`
            : declaration.name;
      const kind = declaration.kind === 'sqlObject' ? declaration.objectKind : declaration.kind;
      const key = `${kind}:${schema}.${where}`;
      if (declaration.kind === 'function') continue; // overloads share names; told apart by their arguments
      if (seen.has(key)) {
        throw schemaError(
          `The schema declares the ${kind} ${schema}.${where} twice.`,
          'Remove one, or export it under one name only.',
        );
      }
      seen.set(key, key);
    }
  }

  reserve(declaration: Declaration): void {
    if (declaration.kind === 'table' || declaration.kind === 'view' || declaration.kind === 'sequence') {
      this.take(declaration.schema ?? this.defaultSchema, declaration.name);
    }
    if (declaration.kind === 'view') {
      for (const index of declaration.indexes ?? []) {
        if (index.spec.name !== undefined)
          this.take(declaration.schema ?? this.defaultSchema, index.spec.name);
      }
    }
    if (declaration.kind === 'table') {
      // Explicitly named constraints and indexes are taken before any default name is chosen.
      const schema = declaration.schema ?? this.defaultSchema;
      for (const extra of declaration.extras()) {
        const name =
          extra instanceof IndexBuilder || extra instanceof UniqueBuilder ? extra.spec.name : extra.name;
        if (name !== undefined) this.take(schema, name);
      }
      for (const column of Object.values(declaration.columns)) {
        const { spec } = column;
        for (const name of [
          spec.primaryKey?.name,
          spec.unique?.name,
          spec.references?.name,
          ...spec.checks.map((c) => c.name),
        ]) {
          if (name !== undefined) this.take(schema, name);
        }
      }
    }
  }

  add(declaration: Declaration): void {
    switch (declaration.kind) {
      case 'schema':
        if (declaration.name !== this.defaultSchema) this.schemas.add(declaration.name);
        return;
      case 'extension':
        this.extensions.push({ name: declaration.name, schema: this.schemaOf(declaration.schema) });
        return;
      case 'enum':
        this.enums.push(this.enumModel(declaration));
        return;
      case 'domain':
        this.domains.push(this.domainModel(declaration));
        return;
      case 'sequence':
        this.sequences.push(this.sequenceModel(declaration));
        return;
      case 'table':
        this.tables.push(this.tableModel(declaration));
        return;
      case 'view':
        this.views.push(this.viewModel(declaration));
        return;
      case 'function':
        this.functions.push(this.functionModel(declaration));
        return;
      case 'trigger':
        this.triggers.push(this.triggerModel(declaration));
        return;
      case 'sqlObject':
        this.others.push({
          kind: declaration.objectKind,
          schema: this.schemaOf(declaration.schema),
          ...(declaration.table === undefined ? {} : { table: declaration.table }),
          name: declaration.name,
          definition: this.text(declaration.definition),
        });
        return;
    }
  }

  text(expression: SqlExpression): string {
    return this.renderer.expression(expression);
  }

  defaultText(value: ColumnDefault): string {
    return isSqlExpression(value) ? this.text(value) : this.renderer.literal(value);
  }

  enumModel(declaration: EnumDeclaration): EnumModel {
    return {
      schema: this.schemaOf(declaration.schema),
      name: declaration.name,
      values: declaration.values,
      ...(declaration.comment === undefined ? {} : { comment: declaration.comment }),
    };
  }

  domainModel(declaration: DomainDeclaration): DomainModel {
    const schema = this.schemaOf(declaration.schema);
    // In order, as PostgreSQL names them: each default name avoids the names before it.
    const taken = new Set<string>();
    const checks = declaration.checks.map((check) => {
      const name = check.name ?? defaultNames.check(declaration.name, undefined, taken);
      taken.add(name);
      return { name, expression: this.text(check.expression) };
    });
    return {
      schema,
      name: declaration.name,
      type: this.renderer.columnType(declaration.type),
      nullable: !declaration.notNull,
      ...(declaration.default === undefined ? {} : { default: this.defaultText(declaration.default) }),
      ...(declaration.collation === undefined ? {} : { collation: declaration.collation }),
      checks: checks.sort(byName),
      ...(declaration.comment === undefined ? {} : { comment: declaration.comment }),
    };
  }

  sequenceModel(declaration: SequenceDeclaration): SequenceModel {
    return {
      schema: this.schemaOf(declaration.schema),
      name: declaration.name,
      ...sequenceParameters(this.renderer.columnType(declaration.as ?? 'bigint'), declaration),
      ...(declaration.comment === undefined ? {} : { comment: declaration.comment }),
    };
  }

  tableModel(declaration: TableDeclaration): TableModel {
    const schema = this.schemaOf(declaration.schema);
    const table = declaration.name;
    const taken = this.takenIn(schema);
    const { options } = declaration;
    if (options.renamedFrom !== undefined)
      this.tableRenames.push({ schema, from: options.renamedFrom, to: table });
    const columnNames = Object.keys(declaration.columns);
    const nameOf = (column: IndexColumn, what: string): string => {
      if (typeof column === 'string') {
        throw schemaError(
          `${what} of table ${schema}.${table} names the column ${JSON.stringify(column)} by a string.`,
          `Use the table's own columns: t.${column} (strings name the columns of a materialized view).`,
        );
      }
      const owner = column.owner;
      if (owner === undefined || owner.table !== table || (owner.schema ?? this.defaultSchema) !== schema) {
        throw schemaError(
          `${what} of table ${schema}.${table} names a column of another table.`,
          `Use the table's own columns: the function's argument (t) in the extras.`,
        );
      }
      return owner.column;
    };

    let primaryKey: PrimaryKeyModel | undefined;
    const setPrimaryKey = (columns: readonly string[], name: string | undefined): void => {
      if (primaryKey !== undefined) {
        throw schemaError(
          `Table ${schema}.${table} declares more than one primary key.`,
          'For a composite key, use primaryKey(t.a, t.b) in the extras and no .primaryKey() on the columns.',
        );
      }
      primaryKey = { name: name ?? this.take(schema, defaultNames.primaryKey(table, taken)), columns };
    };
    const uniques: UniqueModel[] = [];
    const checks: CheckModel[] = [];
    const foreignKeys: ForeignKeyModel[] = [];
    const excludes: ExcludeModel[] = [];
    const indexes: IndexModel[] = [];
    const columns: ColumnModel[] = [];

    // Columns, and what their shorthands declare, in column order (as CREATE TABLE names them).
    const pkColumns = columnNames.filter((name) => declaration.columns[name]!.spec.primaryKey !== undefined);
    if (pkColumns.length > 1) {
      throw schemaError(
        `Table ${schema}.${table} marks ${pkColumns.length} columns .primaryKey() (${pkColumns.join(', ')}).`,
        `For a composite key, use primaryKey(t.${pkColumns[0]}, t.${pkColumns[1]}) in the extras.`,
      );
    }
    if (pkColumns.length === 1)
      setPrimaryKey(pkColumns, declaration.columns[pkColumns[0]!]!.spec.primaryKey!.name);
    for (const name of columnNames) {
      const { spec } = declaration.columns[name]!;
      if (spec.renamedFrom !== undefined)
        this.columnRenames.push({ schema, table, from: spec.renamedFrom, to: name });
      columns.push(this.columnModel(schema, table, name, spec, taken));
      if (spec.unique !== undefined) {
        uniques.push({
          name: spec.unique.name ?? this.take(schema, defaultNames.unique(table, [name], taken)),
          columns: [name],
          deferrable: false,
          initiallyDeferred: false,
          ...(spec.unique.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
        });
      }
      for (const check of spec.checks) {
        checks.push({
          name: check.name ?? this.take(schema, defaultNames.check(table, name, taken)),
          expression: this.text(check.expression),
          ...(check.noInherit === true ? { noInherit: true } : {}),
        });
      }
      if (spec.references !== undefined) {
        const target = resolveColumn(
          spec.references.target,
          `The reference of ${schema}.${table}.${name}`,
          this.defaultSchema,
        );
        foreignKeys.push(this.foreignKeyModel(schema, table, [name], [target], spec.references, taken));
      }
    }

    for (const extra of declaration.extras()) {
      if (extra instanceof IndexBuilder) {
        indexes.push(this.indexModel(schema, table, extra, nameOf, taken));
      } else if (extra instanceof UniqueBuilder) {
        const s = extra.spec;
        if (s.columns.length === 0)
          throw schemaError(`A unique() of table ${schema}.${table} has no columns: add .on(…).`);
        const names = s.columns.map((c) => nameOf(c, 'A unique constraint'));
        uniques.push({
          name: s.name ?? this.take(schema, defaultNames.unique(table, names, taken)),
          columns: names,
          deferrable: s.deferrable === true || s.initiallyDeferred === true,
          initiallyDeferred: s.initiallyDeferred === true,
          ...(s.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
          ...(s.include === undefined || s.include.length === 0
            ? {}
            : { include: s.include.map((c) => nameOf(c, 'A unique constraint')) }),
        });
      } else if (extra.kind === 'primaryKey') {
        setPrimaryKey(
          extra.columns.map((c) => nameOf(c, 'The primary key')),
          extra.name,
        );
      } else if (extra.kind === 'check') {
        const single = singleColumn(extra.expression, columnNames);
        checks.push({
          name: extra.name ?? this.take(schema, defaultNames.check(table, single, taken)),
          expression: this.text(extra.expression),
          ...(extra.noInherit === true ? { noInherit: true } : {}),
        });
      } else if (extra.kind === 'foreignKey') {
        const local = extra.columns.map((c) => nameOf(c, 'A foreign key'));
        const targets = extra
          .references()
          .map((c) => resolveColumn(() => c, `A foreign key of ${schema}.${table}`, this.defaultSchema));
        if (targets.length !== local.length) {
          throw schemaError(
            `A foreign key of ${schema}.${table} has ${local.length} columns and references ${targets.length}.`,
          );
        }
        foreignKeys.push(this.foreignKeyModel(schema, table, local, targets, extra, taken));
      } else {
        excludes.push(this.excludeModel(schema, table, extra, nameOf, taken));
      }
    }

    return {
      schema,
      name: table,
      columns,
      ...(primaryKey === undefined ? {} : { primaryKey }),
      foreignKeys: foreignKeys.sort(byName),
      uniques: uniques.sort(byName),
      checks: checks.sort(byName),
      excludes: excludes.sort(byName),
      indexes: indexes.sort(byName),
      ...(options.comment === undefined ? {} : { comment: options.comment }),
      ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
      ...(options.partitionOf === undefined
        ? {}
        : (() => {
            const parent = options.partitionOf.of();
            return {
              partitionOf: {
                schema: parent.schema ?? this.defaultSchema,
                table: parent.name,
                bound: options.partitionOf.bound,
              },
            };
          })()),
      ...(options.unlogged === true ? { unlogged: true } : {}),
      ...(options.engine === undefined ? {} : { engine: options.engine }),
      ...(options.collation === undefined ? {} : { collation: options.collation }),
      ...(options.strict === true ? { strict: true } : {}),
      ...(options.withoutRowid === true ? { withoutRowid: true } : {}),
    };
  }

  columnModel(
    schema: string,
    table: string,
    name: string,
    spec: ColumnBuilder['spec'],
    taken: Set<string>,
  ): ColumnModel {
    let defaultSql = spec.default === undefined ? undefined : this.defaultText(spec.default);
    let identitySpec = spec.identity;
    if (spec.serial !== undefined && this.serial === 'identity') {
      if (spec.default !== undefined || spec.identity !== undefined) {
        throw schemaError(
          `Column ${schema}.${table}.${name} is serial: it cannot have another default or be an identity.`,
        );
      }
      identitySpec = { generated: 'byDefault' };
    } else if (spec.serial !== undefined) {
      if (spec.default !== undefined || spec.identity !== undefined) {
        throw schemaError(
          `Column ${schema}.${table}.${name} is serial: it cannot have another default or be an identity.`,
        );
      }
      const sequenceName = this.take(schema, defaultNames.sequence(table, name, taken));
      const qualified = schema === 'public' ? sequenceName : `${schema}.${sequenceName}`;
      defaultSql = `nextval(${this.renderer.literal(qualifiedRegclass(qualified))}::regclass)`;
      this.sequences.push({
        schema,
        name: sequenceName,
        ...sequenceParameters(spec.serial, {}),
        ownedBy: { schema, table, column: name },
      });
    }
    if (spec.identity !== undefined && spec.default !== undefined) {
      throw schemaError(`Column ${schema}.${table}.${name} is an identity column: it cannot have a default.`);
    }
    return {
      name,
      type: this.renderer.columnType(spec.serial ?? spec.type),
      nullable: !spec.notNull,
      ...(defaultSql === undefined ? {} : { default: defaultSql }),
      ...(identitySpec === undefined
        ? {}
        : { identity: identityModel(canonicalType(spec.type), identitySpec) }),
      ...(spec.generated === undefined ? {} : { generated: this.text(spec.generated) }),
      ...(spec.virtual === true ? { generatedKind: 'virtual' as const } : {}),
      ...(spec.onUpdate === undefined ? {} : { onUpdate: this.text(spec.onUpdate) }),
      ...(spec.collation === undefined ? {} : { collation: spec.collation }),
      ...(spec.comment === undefined ? {} : { comment: spec.comment }),
    };
  }

  foreignKeyModel(
    schema: string,
    table: string,
    columns: readonly string[],
    targets: readonly { schema: string; table: string; column: string }[],
    actions: {
      readonly name?: string;
      readonly onDelete?: ForeignKeyModel['onDelete'];
      readonly onUpdate?: ForeignKeyModel['onUpdate'];
      readonly match?: ForeignKeyModel['match'];
      readonly deferrable?: boolean;
      readonly initiallyDeferred?: boolean;
    },
    taken: Set<string>,
  ): ForeignKeyModel {
    const first = targets[0]!;
    if (targets.some((t) => t.schema !== first.schema || t.table !== first.table)) {
      throw schemaError(`A foreign key of ${schema}.${table} references columns of several tables.`);
    }
    return {
      name: actions.name ?? this.take(schema, defaultNames.foreignKey(table, columns, taken)),
      columns,
      references: { schema: first.schema, table: first.table, columns: targets.map((t) => t.column) },
      onDelete: actions.onDelete ?? 'no action',
      onUpdate: actions.onUpdate ?? 'no action',
      match: actions.match ?? 'simple',
      deferrable: actions.deferrable === true || actions.initiallyDeferred === true,
      initiallyDeferred: actions.initiallyDeferred === true,
    };
  }

  indexModel(
    schema: string,
    table: string,
    builder: IndexBuilder,
    nameOf: (column: IndexColumn, what: string) => string,
    taken: Set<string>,
  ): IndexModel {
    const s = builder.spec;
    if (s.elements.length === 0)
      throw schemaError(`An index of ${schema}.${table} has no columns: add .on(…).`);
    if (s.elements.some((element) => element === undefined || element === null))
      throw schemaError(
        `An index of ${schema}.${table} is on a column the table does not declare.`,
        'Check the names in .on(…): t.<column> must be a column of this table.',
      );
    if (s.include.some((column) => column === undefined || column === null))
      throw schemaError(
        `An index of ${schema}.${table} includes a column the table does not declare.`,
        'Check the names in .include(…): t.<column> must be a column of this table.',
      );
    const elements = s.elements.map((element) => this.indexElement(element, nameOf));
    const nameParts = elements.map((e) => e.column ?? expressionColumnName(e.expression ?? ''));
    return {
      name: s.name ?? this.take(schema, defaultNames.index(table, nameParts, taken)),
      unique: s.unique,
      method: s.method ?? 'btree',
      elements,
      ...(s.include.length === 0 ? {} : { include: s.include.map((c) => nameOf(c, 'An index')) }),
      ...(s.where === undefined ? {} : { where: this.text(s.where) }),
      ...(s.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
      ...(s.with === undefined
        ? {}
        : {
            with: Object.entries(s.with)
              .map(([key, value]) => `${key}=${String(value)}`)
              .sort(),
          }),
    };
  }

  indexElement(
    element: IndexElementSpec,
    nameOf: (column: IndexColumn, what: string) => string,
  ): IndexElementModel {
    if (isColumnBuilder(element) || typeof element === 'string')
      return { column: nameOf(element, 'An index') };
    if (isSqlExpression(element)) return { expression: this.text(element) };
    const options = {
      ...(element.collation === undefined ? {} : { collation: element.collation }),
      ...(element.opclass === undefined ? {} : { opclass: element.opclass }),
      ...('length' in element && element.length !== undefined ? { length: element.length } : {}),
      ...(element.order === undefined || element.order === 'asc' ? {} : { order: element.order }),
      ...(element.nulls === undefined || element.nulls === defaultNulls(element.order)
        ? {}
        : { nulls: element.nulls }),
    };
    if ('column' in element) return { column: nameOf(element.column, 'An index'), ...options };
    const expression = isSqlExpression(element.expression)
      ? this.text(element.expression)
      : element.expression;
    return { expression, ...options };
  }

  excludeModel(
    schema: string,
    table: string,
    spec: Extract<ReturnType<TableDeclaration['extras']>[number], { kind: 'exclude' }>,
    nameOf: (column: IndexColumn, what: string) => string,
    taken: Set<string>,
  ): ExcludeModel {
    const parts: string[] = [];
    const names: string[] = [];
    for (const element of spec.elements) {
      let target: string;
      if ('column' in element && isColumnBuilder(element.column)) {
        const column = nameOf(element.column, 'An exclusion constraint');
        names.push(column);
        target = this.renderer.quoteIdentifier(column);
      } else {
        const expression = (element as { expression: string | SqlExpression }).expression;
        const text = isSqlExpression(expression) ? this.text(expression) : expression;
        names.push(expressionColumnName(text));
        target = `(${text})`;
      }
      const opclass = 'opclass' in element && element.opclass !== undefined ? ` ${element.opclass}` : '';
      parts.push(`${target}${opclass} WITH ${element.operator}`);
    }
    const where = spec.where === undefined ? '' : ` WHERE (${this.text(spec.where)})`;
    return {
      name: spec.name ?? this.take(schema, defaultNames.exclude(table, names, taken)),
      definition: `USING ${spec.using ?? 'btree'} (${parts.join(', ')})${where}`,
      deferrable: spec.deferrable === true || spec.initiallyDeferred === true,
      initiallyDeferred: spec.initiallyDeferred === true,
    };
  }

  viewModel(declaration: ViewDeclaration): ViewModel {
    const schema = this.schemaOf(declaration.schema);
    const view = declaration.name;
    const nameOf = (column: IndexColumn, what: string): string => {
      if (typeof column !== 'string') {
        throw schemaError(
          `${what} of the materialized view ${schema}.${view} names a column of a table.`,
          "Name the view's own columns by strings: index().on('user_id').",
        );
      }
      if (declaration.columns !== undefined && !declaration.columns.includes(column)) {
        throw schemaError(
          `${what} of the materialized view ${schema}.${view} is on ${JSON.stringify(column)}, which is not one of its columns (${declaration.columns.join(', ')}).`,
        );
      }
      return column;
    };
    const taken = this.takenIn(schema);
    // In declaration order, as PostgreSQL names them: each default name avoids the names before it.
    const indexes = declaration.materialized
      ? (declaration.indexes ?? []).map((index) => this.indexModel(schema, view, index, nameOf, taken))
      : undefined;
    return {
      schema,
      name: view,
      materialized: declaration.materialized,
      query: this.text(declaration.query),
      ...(declaration.columns === undefined ? {} : { columns: declaration.columns }),
      ...(indexes === undefined ? {} : { indexes: indexes.sort(byName) }),
      ...(declaration.comment === undefined ? {} : { comment: declaration.comment }),
      ...(declaration.materialized && declaration.withData === false ? { withData: false as const } : {}),
    };
  }

  functionModel(declaration: FunctionDeclaration): FunctionModel {
    const schema = this.schemaOf(declaration.schema);
    const operation = operationBuilders.createFunction(declaration.name, {
      schema,
      orReplace: true,
      ...(declaration.parameters === undefined ? {} : { parameters: declaration.parameters }),
      returns: declaration.returns,
      language: declaration.language,
      body: declaration.body,
      ...(declaration.volatility === undefined ? {} : { volatility: declaration.volatility }),
      ...(declaration.strict === undefined ? {} : { strict: declaration.strict }),
      ...(declaration.securityDefiner === undefined ? {} : { securityDefiner: declaration.securityDefiner }),
      ...(declaration.parallel === undefined ? {} : { parallel: declaration.parallel }),
      ...(declaration.set === undefined ? {} : { set: declaration.set }),
      ...(declaration.procedure ? { procedure: true } : {}),
    });
    // The language as PostgreSQL prints it (`LANGUAGE sql`, not the renderer's `LANGUAGE "sql"`): comparison
    // recognizes SQL functions, which must be created after the tables they read, by that line.
    const definition = this.renderer
      .render(operation)
      .map((statement) => statement.sql)
      .join(';\n')
      .replace(/^ LANGUAGE "([a-z_][a-z0-9_]*)"$/m, ' LANGUAGE $1');
    const identityArguments = operation.parameters
      .filter((parameter) => parameter.mode !== 'out')
      .map((parameter) => this.renderer.columnType(parameter.type))
      .join(', ');
    return {
      schema,
      name: declaration.name,
      kind: declaration.procedure ? 'procedure' : 'function',
      identityArguments,
      definition,
      ...(declaration.comment === undefined ? {} : { comment: declaration.comment }),
    };
  }

  triggerModel(declaration: TriggerDeclaration): TriggerModel {
    const table = declaration.table();
    const schema = table.schema ?? this.defaultSchema;
    if (declaration.enabled === false && table.kind === 'view') {
      throw schemaError(
        `The trigger ${declaration.name} on the view ${schema}.${table.name} is declared enabled: false.`,
        "PostgreSQL cannot disable a view's triggers: drop enabled: false, or the trigger.",
      );
    }
    const fn = triggerFunction(declaration, this.defaultSchema);
    const operation = operationBuilders.createTrigger(declaration.name, table.name, {
      schema,
      timing: declaration.timing,
      events: declaration.events,
      forEach: declaration.forEach,
      function: fn,
      ...(declaration.when === undefined ? {} : { when: declaration.when }),
      ...(declaration.functionArguments === undefined
        ? {}
        : { functionArguments: declaration.functionArguments }),
    });
    return {
      schema,
      table: table.name,
      name: declaration.name,
      definition: this.renderer
        .render(operation)
        .map((statement) => statement.sql)
        .join(';\n'),
      function: { schema: fn.schema ?? this.defaultSchema, name: fn.name },
      ...(declaration.enabled === false ? { enabled: false } : {}),
    };
  }

  finish(): DeclaredSchema {
    const model: SchemaModel = {
      schemas: [...this.schemas].sort(compare),
      extensions: this.extensions.sort(byName),
      enums: this.enums.sort(byQualifiedName),
      domains: this.domains.sort(byQualifiedName),
      sequences: this.sequences.sort(byQualifiedName),
      tables: this.tables.sort(byQualifiedName),
      views: this.views.sort(byQualifiedName),
      functions: this.functions.sort(
        (a, b) => byQualifiedName(a, b) || compare(a.identityArguments, b.identityArguments),
      ),
      triggers: this.triggers.sort(
        (a, b) => compare(a.schema, b.schema) || compare(a.table, b.table) || compare(a.name, b.name),
      ),
      others: this.others.sort(
        (a, b) =>
          compare(a.kind, b.kind) ||
          compare(a.schema ?? '', b.schema ?? '') ||
          compare(a.table ?? '', b.table ?? '') ||
          compare(a.name, b.name),
      ),
    };
    return deepFreeze({
      model,
      renames: { tables: this.tableRenames, columns: this.columnRenames },
    });
  }
}

function resolveColumn(
  target: () => ColumnBuilder,
  what: string,
  defaultSchema: string,
): { schema: string; table: string; column: string } {
  const column = target();
  if (!isColumnBuilder(column) || column.owner === undefined) {
    throw schemaError(
      `${what} is not a column of a declared table.`,
      "Reference a table's column: references(() => users.columns.id).",
    );
  }
  return {
    schema: column.owner.schema ?? defaultSchema,
    table: column.owner.table,
    column: column.owner.column,
  };
}

/** The one column a check's expression names, as PostgreSQL picks a check's default name; else undefined. */
function singleColumn(expression: SqlExpression, columns: readonly string[]): string | undefined {
  const found = new Set<string>();
  for (const fragment of expression.fragments) {
    if (
      fragment.kind === 'identifier' &&
      fragment.names.length === 1 &&
      columns.includes(fragment.names[0]!)
    ) {
      found.add(fragment.names[0]!);
    }
  }
  for (const text of expression.strings) {
    // Outside string literals: bare identifiers (as written) and quoted ones.
    const code = text.replace(/'(?:[^']|'')*'/g, "''");
    for (const match of code.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
      const name = match[1] !== undefined ? match[1].replaceAll('""', '"') : match[2]!.toLowerCase();
      if (columns.includes(name)) found.add(name);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * The name PostgreSQL gives an index expression when it names the index (`FigureColname`): a function call is
 * named after the function, a cast after its type, `CASE` is `case`, anything else `expr`.
 */
export function expressionColumnName(expression: string): string {
  let text = expression.trim();
  while (text.startsWith('(') && closingParen(text, 0) === text.length - 1) text = text.slice(1, -1).trim();
  const call = /^(?:[A-Za-z_][A-Za-z0-9_$]*\.)?([A-Za-z_][A-Za-z0-9_$]*)\s*\(/.exec(text);
  if (call !== null && closingParen(text, call[0].length - 1) === text.length - 1)
    return call[1]!.toLowerCase();
  const castColumn = /^"?([A-Za-z_][A-Za-z0-9_$]*)"?\s*::/.exec(text);
  if (castColumn !== null) return castColumn[1]!;
  if (/^"?[A-Za-z_][A-Za-z0-9_$]*"?$/.test(text)) return text.replaceAll('"', '');
  const cast = /::\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*(?:\(\s*\d+(?:\s*,\s*\d+)?\s*\))?$/.exec(text);
  if (cast !== null) return cast[1]!.toLowerCase().split(' ').at(-1)!;
  if (/^case\b/i.test(text)) return 'case';
  return 'expr';
}

/** The index of the `)` that closes the `(` at `open`, or -1. */
function closingParen(text: string, open: number): number {
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
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

/** PostgreSQL's default: NULLS LAST ascending, NULLS FIRST descending. */
function defaultNulls(order: 'asc' | 'desc' | undefined): 'first' | 'last' {
  return order === 'desc' ? 'first' : 'last';
}

/** The text inside `nextval('…'::regclass)`: a name that needs quoting is quoted, as PostgreSQL prints it. */
function qualifiedRegclass(name: string): string {
  return name
    .split('.')
    .map((part) => (/^[a-z_][a-z0-9_$]*$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`))
    .join('.');
}

const LIMITS: Readonly<Record<string, { min: bigint; max: bigint }>> = {
  smallint: { min: -32768n, max: 32767n },
  integer: { min: -2147483648n, max: 2147483647n },
  bigint: { min: -9223372036854775808n, max: 9223372036854775807n },
};

/** A sequence's parameters with PostgreSQL's defaults filled in, as strings. */
function sequenceParameters(
  type: string,
  parameters: SequenceParameters,
): Pick<SequenceModel, 'type' | 'start' | 'increment' | 'minValue' | 'maxValue' | 'cache' | 'cycle'> {
  const limits = LIMITS[type];
  if (limits === undefined)
    throw schemaError(`A sequence's type must be smallint, integer or bigint, not ${type}.`);
  const increment = BigInt(parameters.increment ?? 1);
  const ascending = increment > 0n;
  const minValue = parameters.minValue == null ? (ascending ? 1n : limits.min) : BigInt(parameters.minValue);
  const maxValue = parameters.maxValue == null ? (ascending ? limits.max : -1n) : BigInt(parameters.maxValue);
  const start = parameters.start === undefined ? (ascending ? minValue : maxValue) : BigInt(parameters.start);
  return {
    type,
    start: start.toString(),
    increment: increment.toString(),
    minValue: minValue.toString(),
    maxValue: maxValue.toString(),
    cache: String(parameters.cache ?? 1),
    cycle: parameters.cycle === true,
  };
}

/** An identity column's sequence options, only those that differ from PostgreSQL's defaults for the type. */
function identityModel(
  type: string,
  identity: SequenceParameters & { readonly generated: IdentityModel['generated'] },
): IdentityModel {
  const defaults = sequenceParameters(LIMITS[type] === undefined ? 'bigint' : type, {});
  const actual = sequenceParameters(LIMITS[type] === undefined ? 'bigint' : type, identity);
  const out: { -readonly [K in keyof IdentityModel]: IdentityModel[K] } = { generated: identity.generated };
  if (actual.start !== defaults.start) out.start = actual.start;
  if (actual.increment !== defaults.increment) out.increment = actual.increment;
  if (actual.minValue !== defaults.minValue) out.minValue = actual.minValue;
  if (actual.maxValue !== defaults.maxValue) out.maxValue = actual.maxValue;
  if (actual.cache !== defaults.cache) out.cache = actual.cache;
  if (actual.cycle) out.cycle = true;
  return out;
}

/**
 * The function a trigger calls: a declared one, or one the schema does not declare (PostgreSQL's own, an
 * extension's) by its name, `'pg_catalog.tsvector_update_trigger'` (unqualified: in the default schema).
 */
function triggerFunction(declaration: TriggerDeclaration, defaultSchema: string): QualifiedName {
  const fn = declaration.function;
  if (typeof fn !== 'string') {
    const declared = fn();
    return { name: declared.name, schema: declared.schema ?? defaultSchema };
  }
  const dot = fn.indexOf('.');
  if (fn === '' || dot === 0 || dot === fn.length - 1)
    throw schemaError(
      `Trigger ${declaration.name} names its function ${JSON.stringify(fn)}.`,
      "Name it 'schema.name' or 'name', or give the declared function: () => fn.",
    );
  return dot < 0
    ? { schema: defaultSchema, name: fn }
    : { schema: fn.slice(0, dot), name: fn.slice(dot + 1) };
}
