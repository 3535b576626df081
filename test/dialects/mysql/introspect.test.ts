/**
 * Reflection on the MariaDB server: a schema created with hand-written DDL, read back into the schema model and
 * compared exactly; then the filters, other databases, and the number of queries as tables grow. The
 * normalization of what MySQL 8 prints differently (raw defaults, escaped expressions) is checked on its own.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/dialects/dialect.js';
import { fromMysqlClient } from '../../../src/dialects/mysql/driver.js';
import {
  columnDefault,
  generatedKind,
  isParenthesized,
  onUpdateExpression,
} from '../../../src/dialects/mysql/introspect/columns.js';
import { globMatches, globToLike } from '../../../src/dialects/mysql/introspect/filter.js';
import { viewQuery } from '../../../src/dialects/mysql/introspect/objects.js';
import { serverFeatures } from '../../../src/dialects/mysql/introspect/server.js';
import { introspectMysql, mysqlIntrospector } from '../../../src/dialects/mysql/introspect.js';
import { AmbixError } from '../../../src/errors.js';
import type { IntrospectOptions } from '../../../src/schema/introspector.js';
import type { IndexElementModel, SchemaModel, TableModel } from '../../../src/schema/model.js';

const TEST_MYSQL_URL = process.env.AMBIX_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** The server's VERSION(), or why it cannot be reached. */
async function probeServer(): Promise<{ version?: string; unreachable?: string }> {
  try {
    const connection = await mysql.createConnection({ uri: TEST_MYSQL_URL, connectTimeout: 5000 });
    try {
      const [rows] = await connection.query('SELECT VERSION() AS version');
      return { version: String((rows as { version: string }[])[0]?.version) };
    } finally {
      await connection.end();
    }
  } catch (error) {
    return { unreachable: error instanceof Error ? error.message || String(error) : String(error) };
  }
}

const server = await probeServer();
const skipServer = server.unreachable !== undefined && process.env.CI === undefined;
if (skipServer)
  console.warn(`Skipping MySQL introspection tests: cannot reach ${TEST_MYSQL_URL} (${server.unreachable}).`);
/** The exact models below are MariaDB's (`int(11)`, JSON as LONGTEXT, column checks named after the column). */
const mariadb = /mariadb/i.test(server.version ?? '');

function urlFor(database: string): string {
  const url = new URL(TEST_MYSQL_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin(statements: readonly string[], database?: string): Promise<void> {
  const connection = await mysql.createConnection({
    uri: database === undefined ? TEST_MYSQL_URL : urlFor(database),
    connectTimeout: 5000,
  });
  try {
    for (const statement of statements) await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/**
 * A session with connectMysql's settings on a client opened here and wrapped by fromMysqlClient: connectMysql
 * imports `mysql2`, whose callback-style connection cannot be awaited (it wants `mysql2/promise`).
 */
async function connect(url: string): Promise<Connection> {
  const client = await mysql.createConnection({
    uri: url,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: true,
  });
  const connection = fromMysqlClient(client);
  return { query: (sql, params) => connection.query(sql, params), close: () => client.end() };
}

const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const DATABASE = `ambix_introspect_${suffix}`;
const OTHER = `ambix_introspect_${suffix}_other`;
const MANY = `ambix_introspect_${suffix}_many`;

/** One statement each: trigger bodies hold semicolons of their own. */
const SCHEMA: readonly string[] = [
  `CREATE TABLE users (
    id int NOT NULL AUTO_INCREMENT,
    email varchar(255) NOT NULL COMMENT 'login',
    name varchar(100) COLLATE utf8mb4_bin DEFAULT 'it''s',
    score int DEFAULT 0,
    ratio decimal(10,2) DEFAULT 1.50,
    note text DEFAULT NULL,
    mood enum('sad','ok','happy') NOT NULL DEFAULT 'ok',
    tags set('a','b') DEFAULT 'a,b',
    active tinyint(1) NOT NULL DEFAULT 1,
    visits int unsigned,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at datetime(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    code varchar(36) DEFAULT (uuid()),
    doc json,
    email_lower varchar(255) GENERATED ALWAYS AS (lower(email)) STORED,
    email_length int AS (char_length(email)) VIRTUAL,
    age int CHECK (age > 0),
    PRIMARY KEY (id),
    UNIQUE KEY users_email_key (email),
    UNIQUE (name, score),
    CONSTRAINT users_score_positive CHECK (score >= 0),
    KEY users_name_idx (name DESC, email(10)),
    FULLTEXT KEY users_note_ft (note)
  ) COMMENT 'people' DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci`,
  `CREATE TABLE \`odd \`\`name\`\` é\` (
    \`key part\` int NOT NULL,
    \`ключ\` varchar(20) NOT NULL,
    \`parent part\` int,
    \`parent ключ\` varchar(20),
    PRIMARY KEY (\`key part\`, \`ключ\`),
    CONSTRAINT \`odd fk\` FOREIGN KEY (\`parent part\`, \`parent ключ\`)
      REFERENCES \`odd \`\`name\`\` é\` (\`key part\`, \`ключ\`) ON DELETE CASCADE ON UPDATE SET NULL
  )`,
  `CREATE TABLE orders (
    id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id int NOT NULL,
    amount decimal(10,2) NOT NULL,
    FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT orders_amount_positive CHECK (amount > 0)
  )`,
  `CREATE TABLE products (
    sku varchar(40) NOT NULL,
    title text NOT NULL,
    price decimal(10,2),
    UNIQUE KEY products_sku_key (sku),
    UNIQUE KEY products_title_key (title),
    KEY products_price_idx (price DESC),
    CONSTRAINT products_price_check CHECK (price >= 0)
  )`,
  `CREATE TABLE line_items (
    order_id bigint unsigned NOT NULL,
    position int NOT NULL,
    sku varchar(40) NOT NULL,
    PRIMARY KEY (order_id, position),
    KEY line_items_sku_idx (sku),
    CONSTRAINT line_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT line_items_sku_fk FOREIGN KEY (sku) REFERENCES products (sku) ON UPDATE CASCADE
  )`,
  `CREATE TABLE places (
    id int PRIMARY KEY,
    location point NOT NULL,
    name varchar(50),
    SPATIAL KEY places_location_idx (location),
    UNIQUE KEY places_name_prefix_key (name(5)),
    KEY places_name_hash_idx (name) USING HASH
  )`,
  'CREATE TABLE ambix_version (version_num varchar(32) NOT NULL PRIMARY KEY)',
  'CREATE VIEW active_users AS SELECT id, email FROM users WHERE score > 1',
  'CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW SET NEW.visits = NEW.visits + 1',
  `CREATE TRIGGER users_touch_after BEFORE UPDATE ON users FOR EACH ROW FOLLOWS users_touch
   BEGIN
     SET NEW.score = NEW.score + 1;
     SET NEW.active = 1;
   END`,
  'CREATE TRIGGER orders_log AFTER INSERT ON orders FOR EACH ROW SET @last_order = NEW.id',
  "CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 10 CACHE 5 COMMENT 'numbering'",
];

/** In the other database: a table that refers to the session database's, and a view of its own. */
const OTHER_SCHEMA: readonly string[] = [
  `CREATE TABLE archive (id int PRIMARY KEY, user_id int, KEY archive_user_idx (user_id),
     CONSTRAINT archive_user_fk FOREIGN KEY (user_id) REFERENCES \`${DATABASE}\`.users (id))`,
  'CREATE VIEW recent AS SELECT id FROM archive',
];

/** A key part over a column's first characters. */
const prefix = (column: string, length: number): IndexElementModel => ({ column, length });

const NO_CONSTRAINTS = { foreignKeys: [], uniques: [], checks: [], excludes: [], indexes: [] } as const;

const USERS: TableModel = {
  schema: 'main',
  name: 'users',
  columns: [
    { name: 'id', type: 'int(11)', nullable: false, identity: { generated: 'byDefault' } },
    { name: 'email', type: 'varchar(255)', nullable: false, comment: 'login' },
    { name: 'name', type: 'varchar(100)', nullable: true, default: "'it''s'", collation: 'utf8mb4_bin' },
    { name: 'score', type: 'int(11)', nullable: true, default: '0' },
    { name: 'ratio', type: 'decimal(10,2)', nullable: true, default: '1.50' },
    { name: 'note', type: 'text', nullable: true },
    { name: 'mood', type: "enum('sad','ok','happy')", nullable: false, default: "'ok'" },
    { name: 'tags', type: "set('a','b')", nullable: true, default: "'a,b'" },
    { name: 'active', type: 'tinyint(1)', nullable: false, default: '1' },
    { name: 'visits', type: 'int(10) unsigned', nullable: true },
    { name: 'created_at', type: 'timestamp', nullable: false, default: 'current_timestamp()' },
    {
      name: 'updated_at',
      type: 'datetime(3)',
      nullable: true,
      default: 'current_timestamp(3)',
      onUpdate: 'current_timestamp(3)',
    },
    { name: 'code', type: 'varchar(36)', nullable: true, default: 'uuid()' },
    // MariaDB's LONGTEXT with its own json_valid check (and binary collation) reads as json.
    { name: 'doc', type: 'json', nullable: true },
    { name: 'email_lower', type: 'varchar(255)', nullable: true, generated: 'lcase(`email`)' },
    // A stored column has no kind in the model; a virtual one says so.
    {
      name: 'email_length',
      type: 'int(11)',
      nullable: true,
      generated: 'char_length(`email`)',
      generatedKind: 'virtual',
    },
    { name: 'age', type: 'int(11)', nullable: true },
  ],
  primaryKey: { name: 'users_pkey', columns: ['id'] },
  foreignKeys: [],
  uniques: [
    { name: 'name', columns: ['name', 'score'], deferrable: false, initiallyDeferred: false },
    { name: 'users_email_key', columns: ['email'], deferrable: false, initiallyDeferred: false },
  ],
  checks: [
    // A column-level check is named after its column.
    { name: 'age', expression: '`age` > 0' },
    { name: 'users_score_positive', expression: '`score` >= 0' },
  ],
  excludes: [],
  indexes: [
    {
      name: 'users_name_idx',
      unique: false,
      method: 'btree',
      elements: [{ column: 'name', order: 'desc' }, prefix('email', 10)],
    },
    { name: 'users_note_ft', unique: false, method: 'fulltext', elements: [{ column: 'note' }] },
  ],
  comment: 'people',
};

const ODD: TableModel = {
  schema: 'main',
  name: 'odd `name` é',
  columns: [
    { name: 'key part', type: 'int(11)', nullable: false },
    { name: 'ключ', type: 'varchar(20)', nullable: false },
    { name: 'parent part', type: 'int(11)', nullable: true },
    { name: 'parent ключ', type: 'varchar(20)', nullable: true },
  ],
  primaryKey: { name: 'odd `name` é_pkey', columns: ['key part', 'ключ'] },
  foreignKeys: [
    {
      name: 'odd fk',
      columns: ['parent part', 'parent ключ'],
      references: { schema: 'main', table: 'odd `name` é', columns: ['key part', 'ключ'] },
      onDelete: 'cascade',
      onUpdate: 'set null',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  uniques: [],
  checks: [],
  excludes: [],
  // The index MySQL made for the foreign key (named after it) is the key's.
  indexes: [],
};

const ORDERS: TableModel = {
  schema: 'main',
  name: 'orders',
  columns: [
    { name: 'id', type: 'bigint(20) unsigned', nullable: false, identity: { generated: 'byDefault' } },
    { name: 'user_id', type: 'int(11)', nullable: false },
    { name: 'amount', type: 'decimal(10,2)', nullable: false },
  ],
  primaryKey: { name: 'orders_pkey', columns: ['id'] },
  foreignKeys: [
    {
      // Named by the server; its index is named after the column (`user_id`) and is the key's too.
      name: 'orders_ibfk_1',
      columns: ['user_id'],
      references: { schema: 'main', table: 'users', columns: ['id'] },
      // MariaDB reports an unspecified action as RESTRICT: one rule with NO ACTION in InnoDB, reported as no action.
      onDelete: 'no action',
      onUpdate: 'no action',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  uniques: [],
  checks: [{ name: 'orders_amount_positive', expression: '`amount` > 0' }],
  excludes: [],
  indexes: [],
};

const PRODUCTS: TableModel = {
  schema: 'main',
  name: 'products',
  columns: [
    { name: 'sku', type: 'varchar(40)', nullable: false },
    { name: 'title', type: 'text', nullable: false },
    { name: 'price', type: 'decimal(10,2)', nullable: true },
  ],
  foreignKeys: [],
  uniques: [
    { name: 'products_sku_key', columns: ['sku'], deferrable: false, initiallyDeferred: false },
    // A unique TEXT column is a HASH index ("long unique") in MariaDB: still the constraint.
    { name: 'products_title_key', columns: ['title'], deferrable: false, initiallyDeferred: false },
  ],
  checks: [{ name: 'products_price_check', expression: '`price` >= 0' }],
  excludes: [],
  indexes: [
    {
      name: 'products_price_idx',
      unique: false,
      method: 'btree',
      elements: [{ column: 'price', order: 'desc' }],
    },
  ],
};

const LINE_ITEMS: TableModel = {
  schema: 'main',
  name: 'line_items',
  columns: [
    { name: 'order_id', type: 'bigint(20) unsigned', nullable: false },
    { name: 'position', type: 'int(11)', nullable: false },
    { name: 'sku', type: 'varchar(40)', nullable: false },
  ],
  primaryKey: { name: 'line_items_pkey', columns: ['order_id', 'position'] },
  foreignKeys: [
    {
      name: 'line_items_order_fk',
      columns: ['order_id'],
      references: { schema: 'main', table: 'orders', columns: ['id'] },
      onDelete: 'cascade',
      onUpdate: 'no action',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
    {
      name: 'line_items_sku_fk',
      columns: ['sku'],
      references: { schema: 'main', table: 'products', columns: ['sku'] },
      onDelete: 'no action',
      onUpdate: 'cascade',
      match: 'simple',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
  uniques: [],
  checks: [],
  excludes: [],
  // The schema's own index serves the foreign key: it stays an index.
  indexes: [{ name: 'line_items_sku_idx', unique: false, method: 'btree', elements: [{ column: 'sku' }] }],
};

const PLACES: TableModel = {
  schema: 'main',
  name: 'places',
  columns: [
    { name: 'id', type: 'int(11)', nullable: false },
    { name: 'location', type: 'point', nullable: false },
    { name: 'name', type: 'varchar(50)', nullable: true },
  ],
  primaryKey: { name: 'places_pkey', columns: ['id'] },
  foreignKeys: [],
  uniques: [],
  checks: [],
  excludes: [],
  indexes: [
    // The geometry's internal key length (32) is no prefix the schema wrote.
    { name: 'places_location_idx', unique: false, method: 'spatial', elements: [{ column: 'location' }] },
    // InnoDB ignores USING HASH and builds a B-tree.
    { name: 'places_name_hash_idx', unique: false, method: 'btree', elements: [{ column: 'name' }] },
    // A unique prefix is no unique constraint of whole columns: it is a unique index.
    { name: 'places_name_prefix_key', unique: true, method: 'btree', elements: [prefix('name', 5)] },
  ],
};

const VERSION_TABLE: TableModel = {
  schema: 'main',
  name: 'ambix_version',
  columns: [{ name: 'version_num', type: 'varchar(32)', nullable: false }],
  primaryKey: { name: 'ambix_version_pkey', columns: ['version_num'] },
  ...NO_CONSTRAINTS,
};

/** Every table of the session database, in the model's order (by name). */
const TABLES: readonly TableModel[] = [VERSION_TABLE, LINE_ITEMS, ODD, ORDERS, PLACES, PRODUCTS, USERS];

function allFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(allFrozen);
}

/** A connection that counts the queries run on it. */
function counting(connection: Connection): {
  readonly connection: Connection;
  readonly queries: () => number;
} {
  let queries = 0;
  return {
    connection: {
      query: (sql, params) => {
        queries += 1;
        return connection.query(sql, params);
      },
      close: async () => {},
    },
    queries: () => queries,
  };
}

const tableNames = (model: SchemaModel): string[] =>
  model.tables.map((table) => `${table.schema}.${table.name}`);

describe.skipIf(skipServer)('mysqlIntrospector on the MariaDB server', () => {
  let connection: Connection;
  let model: SchemaModel;
  const introspect = (options?: IntrospectOptions) => mysqlIntrospector.introspect(connection, options);

  beforeAll(async () => {
    await admin([
      `CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`,
      `CREATE DATABASE \`${OTHER}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`,
    ]);
    await admin(SCHEMA, DATABASE);
    await admin(OTHER_SCHEMA, OTHER);
    connection = await connect(urlFor(DATABASE));
    model = await introspect();
  });

  afterAll(async () => {
    await connection?.close();
    await admin([`DROP DATABASE IF EXISTS \`${OTHER}\``, `DROP DATABASE IF EXISTS \`${DATABASE}\``]);
  });

  it.runIf(mariadb)('reads tables with their columns in order, keys, checks, indexes and comments', () => {
    expect(model.tables).toEqual(TABLES);
  });

  it.runIf(mariadb)('reports no schemas for the session database, which is main in the model', () => {
    expect(model.schemas).toEqual([]);
    expect(new Set(model.tables.map((table) => table.schema))).toEqual(new Set(['main']));
  });

  it.runIf(mariadb)('reads views without the session database in their query', () => {
    expect(model.views).toEqual([
      {
        schema: 'main',
        name: 'active_users',
        materialized: false,
        query:
          'select `users`.`id` AS `id`,`users`.`email` AS `email` from `users` where `users`.`score` > 1',
      },
    ]);
  });

  it.runIf(mariadb)('carries triggers by definition, in their order, among the others', () => {
    expect(model.triggers).toEqual([]);
    expect(model.others).toEqual([
      {
        kind: 'trigger',
        schema: 'main',
        table: 'orders',
        name: 'orders_log',
        definition:
          'CREATE TRIGGER `orders_log` AFTER INSERT ON `orders` FOR EACH ROW SET @last_order = NEW.id',
      },
      {
        kind: 'trigger',
        schema: 'main',
        table: 'users',
        name: 'users_touch',
        definition:
          'CREATE TRIGGER `users_touch` BEFORE UPDATE ON `users` FOR EACH ROW SET NEW.visits = NEW.visits + 1',
      },
      {
        kind: 'trigger',
        schema: 'main',
        table: 'users',
        name: 'users_touch_after',
        definition:
          'CREATE TRIGGER `users_touch_after` BEFORE UPDATE ON `users` FOR EACH ROW FOLLOWS `users_touch` BEGIN\n' +
          '     SET NEW.score = NEW.score + 1;\n     SET NEW.active = 1;\n   END',
      },
    ]);
  });

  it.runIf(mariadb)('reads MariaDB sequences with their parameters; nothing of the kinds MySQL lacks', () => {
    expect(model.sequences).toEqual([
      {
        schema: 'main',
        name: 'invoice_numbers',
        type: 'bigint',
        start: '1000',
        increment: '10',
        minValue: '1',
        maxValue: '9223372036854775806',
        cache: '5',
        cycle: false,
        comment: 'numbering',
      },
    ]);
    expect(model.enums).toEqual([]);
    expect(model.domains).toEqual([]);
    expect(model.functions).toEqual([]);
    expect(model.extensions).toEqual([]);
  });

  it('reads the engine and collation a table does not share with the server and its database', async () => {
    await admin(
      [
        `CREATE TABLE options_probe (a varchar(10), b varchar(10) COLLATE utf8mb4_general_ci)
           ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
      DATABASE,
    );
    try {
      const [table] = (await introspect({ include: ['options_probe'] })).tables;
      expect(table).toMatchObject({ name: 'options_probe', engine: 'Aria', collation: 'utf8mb4_bin' });
      // Columns are compared with their table: the one that keeps the database's collation says so.
      expect(table?.columns).toEqual([
        { name: 'a', type: 'varchar(10)', nullable: true },
        { name: 'b', type: 'varchar(10)', nullable: true, collation: 'utf8mb4_general_ci' },
      ]);
      // Tables on the default engine, in their database's collation, carry neither.
      expect(model.tables.some((each) => each.engine !== undefined || each.collation !== undefined)).toBe(
        false,
      );
    } finally {
      await admin(['DROP TABLE options_probe'], DATABASE);
    }
  });

  it('returns a model frozen all the way down', () => {
    expect(allFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.tables[0]?.columns[0])).toBe(true);
  });

  it('reads the same model twice', async () => {
    expect(await introspect()).toEqual(model);
  });

  it('reads only what the include patterns match: bare names in any schema, or main.name', async () => {
    const reflected = await introspect({ include: ['users', 'main.order?', 'odd*'] });
    expect(tableNames(reflected)).toEqual(['main.odd `name` é', 'main.orders', 'main.users']);
    expect(reflected.tables.find((table) => table.name === 'users')).toEqual(
      model.tables.find((table) => table.name === 'users'),
    );
    // Triggers go with their tables; the view and the sequence match no pattern.
    expect(reflected.others.map((other) => other.name)).toEqual([
      'orders_log',
      'users_touch',
      'users_touch_after',
    ]);
    expect(reflected.views).toEqual([]);
    expect(reflected.sequences).toEqual([]);
  });

  it('matches patterns exactly: case, and LIKE wildcards in names', async () => {
    expect(tableNames(await introspect({ include: ['USERS'] }))).toEqual([]);
    expect(tableNames(await introspect({ include: ['line_items'] }))).toEqual(['main.line_items']);
    // `_` is a character like any other in a glob, not LIKE's any-character.
    expect(tableNames(await introspect({ include: ['line?items', 'line%'] }))).toEqual(['main.line_items']);
  });

  it('leaves out what the exclude patterns match, with what belongs to it', async () => {
    const reflected = await introspect({ exclude: ['main.users', 'p*', 'active_users', 'invoice_*'] });
    expect(tableNames(reflected)).toEqual([
      'main.ambix_version',
      'main.line_items',
      'main.odd `name` é',
      'main.orders',
    ]);
    expect(reflected.others.map((other) => other.name)).toEqual(['orders_log']);
    expect(reflected.views).toEqual([]);
    expect(reflected.sequences).toEqual([]);
  });

  it('never reads the ignored tables, named in main or in the real database', async () => {
    const inMain = await introspect({
      include: ['*'],
      ignoreTables: [{ schema: 'main', name: 'ambix_version' }],
    });
    expect(tableNames(inMain)).not.toContain('main.ambix_version');
    expect(tableNames(inMain)).toContain('main.users');
    const inDatabase = await introspect({ ignoreTables: [{ schema: DATABASE, name: 'ambix_version' }] });
    expect(tableNames(inDatabase)).not.toContain('main.ambix_version');
    const elsewhere = await introspect({ ignoreTables: [{ schema: 'public', name: 'ambix_version' }] });
    expect(tableNames(elsewhere)).toContain('main.ambix_version');
  });

  it.runIf(mariadb)(
    'reads the databases schemas names, keeping the names of those other than main',
    async () => {
      const reflected = await introspect({ schemas: ['main', OTHER, 'no_such_database'] });
      expect(reflected.schemas).toEqual([OTHER]);
      expect(reflected.tables.filter((table) => table.schema === 'main')).toEqual(TABLES);
      expect(reflected.tables.find((table) => table.schema === OTHER)).toEqual({
        schema: OTHER,
        name: 'archive',
        columns: [
          { name: 'id', type: 'int(11)', nullable: false },
          { name: 'user_id', type: 'int(11)', nullable: true },
        ],
        primaryKey: { name: 'archive_pkey', columns: ['id'] },
        foreignKeys: [
          {
            name: 'archive_user_fk',
            columns: ['user_id'],
            references: { schema: 'main', table: 'users', columns: ['id'] },
            onDelete: 'no action',
            onUpdate: 'no action',
            match: 'simple',
            deferrable: false,
            initiallyDeferred: false,
          },
        ],
        uniques: [],
        checks: [],
        excludes: [],
        indexes: [
          { name: 'archive_user_idx', unique: false, method: 'btree', elements: [{ column: 'user_id' }] },
        ],
      });
      // Another database's view keeps its qualifiers: only the session database is main.
      expect(reflected.views.find((view) => view.schema === OTHER)?.query).toBe(
        `select \`${OTHER}\`.\`archive\`.\`id\` AS \`id\` from \`${OTHER}\`.\`archive\``,
      );

      const onlyOther = await introspect({ schemas: [OTHER] });
      expect(tableNames(onlyOther)).toEqual([`${OTHER}.archive`]);
      expect(onlyOther.schemas).toEqual([OTHER]);
      // A pattern that leaves nothing of a database leaves it out of schemas.
      expect((await introspect({ schemas: ['main', OTHER], exclude: [`${OTHER}.*`] })).schemas).toEqual([]);
    },
  );

  it('reads a copy in another database as the same model, its triggers recreated from their definitions', async () => {
    const copy = `${DATABASE}_copy`;
    await admin([`CREATE DATABASE \`${copy}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`]);
    const session = await connect(urlFor(copy));
    try {
      await admin(
        SCHEMA.filter((statement) => !statement.startsWith('CREATE TRIGGER')),
        copy,
      );
      for (const trigger of model.others) await session.query(trigger.definition);
      expect(await introspectMysql(session)).toEqual(model);
    } finally {
      await session.close();
      await admin([`DROP DATABASE IF EXISTS \`${copy}\``]);
    }
  });

  it('fails with what to do when the connection selected no database', async () => {
    const bare = await connect(urlFor(''));
    try {
      const failure = await introspectMysql(bare).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AmbixError);
      expect((failure as AmbixError).hint).toMatch(/database in the URL/);
    } finally {
      await bare.close();
    }
  });
});

describe.skipIf(skipServer)('mysqlIntrospector query count', () => {
  const table = (index: number) => [
    `CREATE TABLE t${index} (id int PRIMARY KEY, parent int, note varchar(20) DEFAULT 'x' CHECK (note <> ''),
       UNIQUE KEY t${index}_note_key (note), KEY t${index}_parent_idx (parent),
       CONSTRAINT t${index}_parent_fk FOREIGN KEY (parent) REFERENCES t0 (id))`,
    `CREATE TRIGGER t${index}_touch BEFORE INSERT ON t${index} FOR EACH ROW SET NEW.note = 'y'`,
    `CREATE VIEW v${index} AS SELECT id FROM t${index}`,
  ];
  const tables = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, offset) => table(from + offset)).flat();

  beforeAll(async () => {
    await admin([`CREATE DATABASE \`${MANY}\` CHARACTER SET utf8mb4`]);
  });

  afterAll(async () => {
    await admin([`DROP DATABASE IF EXISTS \`${MANY}\``]);
  });

  it('runs the same number of queries for 5 tables as for 50', async () => {
    await admin(tables(0, 5), MANY);
    const connection = await connect(urlFor(MANY));
    try {
      const few = counting(connection);
      expect((await introspectMysql(few.connection)).tables).toHaveLength(5);
      await admin(tables(5, 50), MANY);
      const many = counting(connection);
      const reflected = await introspectMysql(many.connection);
      expect(reflected.tables).toHaveLength(50);
      expect(reflected.views).toHaveLength(50);
      expect(reflected.others).toHaveLength(50);
      expect(
        reflected.tables.every((each) => each.foreignKeys.length === 1 && each.indexes.length === 1),
      ).toBe(true);
      expect(many.queries()).toBe(few.queries());
      expect(many.queries()).toBeLessThanOrEqual(9);
    } finally {
      await connection.close();
    }
  });
});

describe('MySQL and MariaDB catalog normalization', () => {
  const mysql8 = serverFeatures('8.0.36');
  const mariadb1011 = serverFeatures('10.11.6-MariaDB-0+deb12u1');
  const row = (value: string | null, dataType: string, extra = '') => ({ default: value, dataType, extra });

  it('tells MySQL from MariaDB and what their versions print', () => {
    expect(mariadb1011).toEqual({
      mariadb: true,
      quotedDefaults: true,
      escapedExpressions: false,
      checkConstraints: true,
      indexExpressions: false,
    });
    expect(mysql8).toEqual({
      mariadb: false,
      quotedDefaults: false,
      escapedExpressions: true,
      checkConstraints: true,
      indexExpressions: true,
    });
    expect(serverFeatures('8.0.15').checkConstraints).toBe(false);
    expect(serverFeatures('5.7.44').indexExpressions).toBe(false);
    expect(serverFeatures('10.3.9-MariaDB').checkConstraints).toBe(false);
    expect(serverFeatures('10.2.22-MariaDB').checkConstraints).toBe(true);
    expect(serverFeatures('10.2.6-MariaDB').quotedDefaults).toBe(false);
  });

  it("keeps MariaDB's printed defaults, and reads its NULL as none", () => {
    expect(columnDefault(row("'it''s'", 'varchar'), mariadb1011)).toBe("'it''s'");
    expect(columnDefault(row('current_timestamp()', 'timestamp'), mariadb1011)).toBe('current_timestamp()');
    expect(columnDefault(row('NULL', 'int'), mariadb1011)).toBeUndefined();
    expect(columnDefault(row("'NULL'", 'varchar'), mariadb1011)).toBe("'NULL'");
    expect(columnDefault(row(null, 'int'), mariadb1011)).toBeUndefined();
  });

  it("quotes MySQL's raw string defaults as MariaDB prints them, and leaves numbers bare", () => {
    expect(columnDefault(row("it's", 'varchar'), mysql8)).toBe("'it''s'");
    expect(columnDefault(row('a\\b\nc', 'text'), mysql8)).toBe("'a\\\\b\\nc'");
    expect(columnDefault(row('', 'char'), mysql8)).toBe("''");
    expect(columnDefault(row('NULL', 'varchar'), mysql8)).toBe("'NULL'");
    expect(columnDefault(row('ok', 'enum'), mysql8)).toBe("'ok'");
    expect(columnDefault(row('2024-01-01 00:00:00', 'datetime'), mysql8)).toBe("'2024-01-01 00:00:00'");
    expect(columnDefault(row('0', 'int'), mysql8)).toBe('0');
    expect(columnDefault(row('1.50', 'decimal'), mysql8)).toBe('1.50');
    expect(columnDefault(row("b'101'", 'bit'), mysql8)).toBe("b'101'");
    expect(columnDefault(row('0x78', 'varbinary'), mysql8)).toBe('0x78');
    expect(columnDefault(row(null, 'int'), mysql8)).toBeUndefined();
  });

  it("reads MySQL's DEFAULT_GENERATED expressions unescaped and parenthesized, CURRENT_TIMESTAMP as it is", () => {
    expect(columnDefault(row('CURRENT_TIMESTAMP', 'timestamp', 'DEFAULT_GENERATED'), mysql8)).toBe(
      'CURRENT_TIMESTAMP',
    );
    expect(
      columnDefault(
        row('CURRENT_TIMESTAMP(3)', 'datetime', 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)'),
        mysql8,
      ),
    ).toBe('CURRENT_TIMESTAMP(3)');
    expect(
      columnDefault(row("concat(_utf8mb4\\'a\\',_utf8mb4\\'b\\')", 'varchar', 'DEFAULT_GENERATED'), mysql8),
    ).toBe("(concat(_utf8mb4'a',_utf8mb4'b'))");
    expect(columnDefault(row('(rand() * rand())', 'float', 'DEFAULT_GENERATED'), mysql8)).toBe(
      '(rand() * rand())',
    );
    // MySQL 5.7 had no expression defaults but CURRENT_TIMESTAMP, unmarked.
    expect(columnDefault(row('CURRENT_TIMESTAMP', 'timestamp'), serverFeatures('5.7.44'))).toBe(
      'CURRENT_TIMESTAMP',
    );
  });

  it("reads ON UPDATE and a generated column's kind from EXTRA as either server prints it", () => {
    expect(onUpdateExpression({ extra: 'on update current_timestamp()' })).toBe('current_timestamp()');
    expect(onUpdateExpression({ extra: 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)' })).toBe(
      'CURRENT_TIMESTAMP(3)',
    );
    expect(onUpdateExpression({ extra: 'on update CURRENT_TIMESTAMP INVISIBLE' })).toBe('CURRENT_TIMESTAMP');
    expect(onUpdateExpression({ extra: 'auto_increment' })).toBeUndefined();
    expect(onUpdateExpression({ extra: null })).toBeUndefined();
    expect(generatedKind({ extra: 'VIRTUAL GENERATED' })).toBe('virtual');
    expect(generatedKind({ extra: 'STORED GENERATED' })).toBeUndefined();
    expect(generatedKind({ extra: 'PERSISTENT GENERATED' })).toBeUndefined();
  });

  it('tells one parenthesized expression from several', () => {
    expect(isParenthesized('(a + b)')).toBe(true);
    expect(isParenthesized('(a) + (b)')).toBe(false);
    expect(isParenthesized("(concat(')', 'x'))")).toBe(true);
    expect(isParenthesized('a + b')).toBe(false);
  });

  it('turns globs into LIKE patterns, escaping LIKE wildcards', () => {
    expect(globToLike('user_*')).toBe('user!_%');
    expect(globToLike('a?b%c!')).toBe('a_b!%c!!');
    expect(globMatches('ambix_*', 'ambix_other')).toBe(true);
    expect(globMatches('ambix.?', 'ambix-x')).toBe(false);
  });

  it('strips the session database from view queries only where a name starts', () => {
    expect(viewQuery('select `shop`.`shop`.`id` AS `id` from `shop`.`shop`', 'shop')).toBe(
      'select `shop`.`id` AS `id` from `shop`',
    );
    expect(viewQuery('select `other`.`t`.`id` AS `id` from `other`.`t`', 'shop')).toBe(
      'select `other`.`t`.`id` AS `id` from `other`.`t`',
    );
  });
});
