/**
 * The catalog queries: one per object family for the whole database, never one per object. Each selects only
 * what the filter keeps, leaves out what belongs to an extension (a pg_depend 'e' entry), and aliases its columns
 * as the row types below name them. Names come back raw; types, defaults and definitions as PostgreSQL prints them.
 */
import type { CatalogFilter } from './filter.js';

/** PostgreSQL 15 added `NULLS NOT DISTINCT`; 13 added `pg_trigger.tgparentid`. */
export interface ServerFeatures {
  readonly nullsNotDistinct: boolean;
  readonly triggerParent: boolean;
}

export function serverFeatures(versionNumber: number): ServerFeatures {
  return { nullsNotDistinct: versionNumber >= 150000, triggerParent: versionNumber >= 130000 };
}

/** Not created by an extension: looked up from the extensions' side, which pg_depend's index serves. */
const notExtensionMember = (catalog: string, oid: string): string =>
  `${oid} NOT IN (SELECT e.objid FROM pg_extension x
                   JOIN pg_depend e ON e.refclassid = 'pg_extension'::regclass AND e.refobjid = x.oid
                  WHERE e.classid = '${catalog}'::regclass AND e.deptype = 'e')`;

/**
 * An object's comment, looked up by pg_description's index: a join is planned badly when the catalog's statistics
 * are stale, as they are right after a migration created the tables.
 */
const comment = (catalog: string, oid: string, subid = '0'): string =>
  `(SELECT d.description FROM pg_description d
     WHERE d.objoid = ${oid} AND d.classoid = '${catalog}'::regclass AND d.objsubid = ${subid}) AS comment`;

/** The relations of the given kinds that the filter keeps, as a CTE `selected (oid, partition)`. */
function selectedRelations(filter: CatalogFilter, kinds: readonly string[]): string {
  return `selected AS (
    SELECT c.oid, c.relispartition AS partition
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN (${kinds.map((kind) => `'${kind}'`).join(', ')})
       AND ${filter.relation('n.nspname', 'c.relname')}
       AND ${notExtensionMember('pg_class', 'c.oid')})`;
}

export interface DatabaseRow {
  readonly version: number;
  readonly schemas: readonly string[] | null;
}

export const databaseQuery = (filter: CatalogFilter): string => `
SELECT current_setting('server_version_num')::int AS version,
       (SELECT json_agg(n.nspname::text)
          FROM pg_namespace n
         WHERE ${filter.declaredSchema('n.nspname')} AND n.nspname <> 'public'
           AND ${notExtensionMember('pg_namespace', 'n.oid')}) AS schemas`;

export interface ExtensionRow {
  readonly name: string;
  readonly schema: string;
  readonly version: string;
}

/** Extensions are filtered as objects of the schema they were installed into (`public.pg_trgm`). */
export const extensionsQuery = (filter: CatalogFilter): string => `
SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE ${filter.object('n.nspname', 'e.extname')}`;

export interface EnumRow {
  readonly schema: string;
  readonly name: string;
  readonly values: readonly string[] | null;
  readonly comment: string | null;
}

export const enumsQuery = (filter: CatalogFilter): string => `
SELECT n.nspname AS schema, t.typname AS name,
       (SELECT json_agg(v.enumlabel::text ORDER BY v.enumsortorder) FROM pg_enum v WHERE v.enumtypid = t.oid) AS values,
       ${comment('pg_type', 't.oid')}
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typtype = 'e' AND ${filter.object('n.nspname', 't.typname')}
   AND ${notExtensionMember('pg_type', 't.oid')}`;

export interface DomainRow {
  readonly schema: string;
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly collation: string | null;
  readonly checks: readonly { readonly name: string; readonly expression: string }[] | null;
  readonly comment: string | null;
}

export const domainsQuery = (filter: CatalogFilter): string => `
SELECT n.nspname AS schema, t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS type,
       t.typnotnull AS "notNull", pg_get_expr(t.typdefaultbin, 0) AS default,
       CASE WHEN t.typcollation <> b.typcollation THEN co.collname END AS collation,
       (SELECT json_agg(json_build_object('name', k.conname, 'expression', pg_get_expr(k.conbin, 0, true)))
          FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c') AS checks,
       ${comment('pg_type', 't.oid')}
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_type b ON b.oid = t.typbasetype
  LEFT JOIN pg_collation co ON co.oid = t.typcollation
 WHERE t.typtype = 'd' AND ${filter.object('n.nspname', 't.typname')}
   AND ${notExtensionMember('pg_type', 't.oid')}`;

/** A sequence's parameters, as text (bigint-safe on every driver). */
export interface SequenceParametersRow {
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: boolean;
}

const sequenceParameters = (alias: string): string =>
  `format_type(${alias}.seqtypid, NULL) AS type, ${alias}.seqstart::text AS start,
   ${alias}.seqincrement::text AS increment, ${alias}.seqmin::text AS "minValue",
   ${alias}.seqmax::text AS "maxValue", ${alias}.seqcache::text AS cache, ${alias}.seqcycle AS cycle`;

export interface SequenceRow extends SequenceParametersRow {
  readonly schema: string;
  readonly name: string;
  readonly ownerSchema: string | null;
  readonly ownerTable: string | null;
  readonly ownerColumn: string | null;
  readonly comment: string | null;
}

/**
 * Sequences an identity column owns belong to its column and are not read here. One owned by a column
 * (`OWNED BY`, as a serial's is) is reported with its owner, and read when its table is.
 */
export const sequencesQuery = (filter: CatalogFilter): string => `
SELECT n.nspname AS schema, c.relname AS name, ${sequenceParameters('s')},
       o.schema AS "ownerSchema", o.table AS "ownerTable", o.column AS "ownerColumn", ${comment('pg_class', 'c.oid')}
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN LATERAL (
    SELECT tn.nspname AS schema, t.relname AS table, a.attname AS column
      FROM pg_depend o
      JOIN pg_class t ON t.oid = o.refobjid
      JOIN pg_namespace tn ON tn.oid = t.relnamespace
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = o.refobjsubid
     WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass
       AND o.deptype = 'a' AND o.refobjsubid > 0
     LIMIT 1) o ON TRUE
 WHERE c.relkind = 'S' AND ${filter.schema('n.nspname')}
   AND CASE WHEN o.table IS NULL THEN ${filter.object('n.nspname', 'c.relname')}
            ELSE ${filter.relation('o.schema', 'o.table')} END
   AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid
                      AND i.deptype = 'i')
   AND ${notExtensionMember('pg_class', 'c.oid')}`;

export interface TableRow {
  readonly oid: number | string;
  readonly schema: string;
  readonly name: string;
  readonly unlogged: boolean;
  readonly partitionBy: string | null;
  readonly parentSchema: string | null;
  readonly parentName: string | null;
  readonly bound: string | null;
  readonly comment: string | null;
}

export const tablesQuery = (filter: CatalogFilter): string => `
WITH ${selectedRelations(filter, ['r', 'p'])}
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS "partitionBy",
       pn.nspname AS "parentSchema", p.relname AS "parentName",
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       ${comment('pg_class', 'c.oid')}
  FROM selected JOIN pg_class c ON c.oid = selected.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
  LEFT JOIN pg_class p ON p.oid = i.inhparent
  LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace`;

export interface ColumnRow {
  readonly tableOid: number | string;
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly generated: string | null;
  /** `attidentity`: '' none, 'a' always, 'd' by default. */
  readonly identity: string;
  readonly identitySequence: SequenceParametersRow | null;
  readonly collation: string | null;
  readonly comment: string | null;
}

/**
 * A partition's columns are its parent's: they are not read again for each partition. A default cannot refer to
 * a column, so it is printed without its table (relation 0), which spares opening the table for each default.
 */
export const columnsQuery = (filter: CatalogFilter): string => `
WITH ${selectedRelations(filter, ['r', 'p'])}
SELECT a.attrelid AS "tableOid", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS "notNull",
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS default,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       a.attidentity AS identity,
       (SELECT json_build_object(
                 'type', format_type(s.seqtypid, NULL), 'start', s.seqstart::text,
                 'increment', s.seqincrement::text, 'minValue', s.seqmin::text, 'maxValue', s.seqmax::text,
                 'cache', s.seqcache::text, 'cycle', s.seqcycle)
          FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid
         WHERE a.attidentity <> '' AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = a.attrelid
           AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
         LIMIT 1) AS "identitySequence",
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
       ${comment('pg_class', 'a.attrelid', 'a.attnum')}
  FROM selected
  JOIN pg_attribute a ON a.attrelid = selected.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
 WHERE NOT selected.partition
 ORDER BY a.attrelid, a.attnum`;

export interface ConstraintRow {
  readonly tableOid: number | string;
  readonly name: string;
  /** `contype`: p, f, u, c or x. */
  readonly type: string;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly notValid: boolean;
  readonly noInherit: boolean;
  /** A check's expression, or an exclusion constraint's whole definition. */
  readonly definition: string | null;
  /** The key columns, in their order (a primary key's or unique constraint's INCLUDE columns are apart). */
  readonly columns: readonly string[] | null;
  readonly include: readonly string[] | null;
  readonly nullsNotDistinct: boolean | null;
  readonly referencedSchema: string | null;
  readonly referencedTable: string | null;
  readonly referencedColumns: readonly string[] | null;
  readonly onUpdate: string | null;
  readonly onDelete: string | null;
  readonly match: string | null;
}

/** Column names of `keys` (attribute numbers of `relation`) in their order, those at the positions `range` keeps. */
const attributeNames = (keys: string, relation: string, range = ''): string =>
  `(SELECT json_agg(att.attname::text ORDER BY key.position)
      FROM unnest(${keys}) WITH ORDINALITY AS key(attnum, position)
      JOIN pg_attribute att ON att.attrelid = ${relation} AND att.attnum = key.attnum ${range})`;

/**
 * Constraints a partition inherits from its parent (`conparentid`, inherited checks) are the parent's and not
 * read again; nor are NOT NULL constraints (PostgreSQL 18), which are the columns' `nullable`.
 */
export const constraintsQuery = (filter: CatalogFilter, features: ServerFeatures): string => `
WITH ${selectedRelations(filter, ['r', 'p'])}
SELECT k.conrelid AS "tableOid", k.conname AS name, k.contype AS type, k.condeferrable AS deferrable,
       k.condeferred AS "initiallyDeferred", NOT k.convalidated AS "notValid", k.connoinherit AS "noInherit",
       CASE k.contype WHEN 'c' THEN pg_get_expr(k.conbin, k.conrelid, true)
                      WHEN 'x' THEN pg_get_constraintdef(k.oid, true) END AS definition,
       ${attributeNames('k.conkey', 'k.conrelid')} AS columns,
       CASE WHEN i.indnatts > i.indnkeyatts
            THEN ${attributeNames('i.indkey::int2[]', 'k.conrelid', 'WHERE key.position > i.indnkeyatts')} END
         AS include,
       ${features.nullsNotDistinct ? 'i.indnullsnotdistinct' : 'NULL::boolean'} AS "nullsNotDistinct",
       rn.nspname AS "referencedSchema", r.relname AS "referencedTable",
       CASE WHEN k.contype = 'f' THEN ${attributeNames('k.confkey', 'k.confrelid')} END AS "referencedColumns",
       CASE WHEN k.contype = 'f' THEN k.confupdtype END AS "onUpdate",
       CASE WHEN k.contype = 'f' THEN k.confdeltype END AS "onDelete",
       CASE WHEN k.contype = 'f' THEN k.confmatchtype END AS match
  FROM selected JOIN pg_constraint k ON k.conrelid = selected.oid
  LEFT JOIN pg_index i ON k.contype IN ('p', 'u') AND i.indexrelid = k.conindid
  LEFT JOIN pg_class r ON r.oid = k.confrelid
  LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
 WHERE k.contype IN ('p', 'f', 'u', 'c', 'x') AND k.conparentid = 0 AND (k.contype <> 'c' OR k.conislocal)`;

export interface IndexElementRow {
  readonly column: string | null;
  readonly expression: string | null;
  readonly collation: string | null;
  readonly opclass: string | null;
  /** `indoption`: bit 0 DESC, bit 1 NULLS FIRST. */
  readonly option: number;
}

export interface IndexRow {
  readonly relationOid: number | string;
  readonly name: string;
  readonly unique: boolean;
  readonly method: string;
  readonly elements: readonly IndexElementRow[];
  readonly include: readonly string[] | null;
  readonly where: string | null;
  readonly nullsNotDistinct: boolean | null;
  readonly with: readonly string[] | null;
}

/**
 * Indexes of tables and materialized views that back no constraint (a primary key's, unique or exclusion
 * constraint's index is the constraint's), and that are not a partition's copy of its parent's index.
 *
 * An element's collation is read when PostgreSQL prints it: a column's when it is not the column's own, an
 * expression's when the index definition shows it (an expression's own collation cannot be read from the
 * catalog, and the definition is printed only for such rare elements). Its operator class is read when it is
 * not the default one for the indexed type: the opclass is its method's default for
 * its input type, and that type is the key's own (a domain's base type) or no default opclass takes the key's
 * type exactly, so that the one chosen by binary coercion (`text_ops` for `varchar`, `array_ops` for `int[]`)
 * is default too. An expression's type is read from the index's own column, which an opclass with a storage
 * type (`opckeytype`) overrides.
 */
export const indexesQuery = (filter: CatalogFilter, features: ServerFeatures): string => `
WITH ${selectedRelations(filter, ['r', 'p', 'm'])}
SELECT x.indrelid AS "relationOid", ic.relname AS name, x.indisunique AS unique, am.amname AS method,
       (SELECT json_agg(json_build_object(
                 'column', a.attname,
                 'expression', e.text,
                 'collation', CASE WHEN k.collation_oid = 0 THEN NULL
                                   WHEN k.attnum <> 0 THEN CASE WHEN k.collation_oid <> a.attcollation
                                                                THEN co.collname END
                                   WHEN strpos(pg_get_indexdef(x.indexrelid, 0, true), e.text || ' COLLATE ') > 0
                                     OR strpos(pg_get_indexdef(x.indexrelid, 0, true), e.text || ') COLLATE ') > 0
                                   THEN co.collname END,
                 'opclass', CASE WHEN NOT (
                                   oc.opcdefault
                                   AND (oc.opcintype = COALESCE(NULLIF(keytype.typbasetype, 0), keytype.oid)
                                        OR (k.attnum = 0 AND oc.opckeytype = keytype.oid)
                                        OR NOT EXISTS (
                                          SELECT 1 FROM pg_opclass od
                                           WHERE od.opcmethod = oc.opcmethod AND od.opcdefault
                                             AND od.opcintype = COALESCE(NULLIF(keytype.typbasetype, 0), keytype.oid))))
                                 THEN oc.opcname END,
                 'option', k.option) ORDER BY k.position)
          FROM unnest(x.indkey::int2[], x.indclass::oid[], x.indcollation::oid[], x.indoption::int2[])
               WITH ORDINALITY AS k(attnum, opclass, collation_oid, option, position)
          LEFT JOIN pg_attribute a ON k.attnum <> 0 AND a.attrelid = x.indrelid AND a.attnum = k.attnum
          CROSS JOIN LATERAL (SELECT CASE WHEN k.attnum = 0
                                          THEN pg_get_indexdef(x.indexrelid, k.position::int, true) END AS text) e
          JOIN pg_attribute ia ON ia.attrelid = x.indexrelid AND ia.attnum = k.position
          JOIN pg_type keytype ON keytype.oid = CASE WHEN k.attnum = 0 THEN ia.atttypid ELSE a.atttypid END
          JOIN pg_opclass oc ON oc.oid = k.opclass
          LEFT JOIN pg_collation co ON co.oid = k.collation_oid
         WHERE k.position <= x.indnkeyatts) AS elements,
       CASE WHEN x.indnatts > x.indnkeyatts
            THEN ${attributeNames('x.indkey::int2[]', 'x.indrelid', 'WHERE key.position > x.indnkeyatts')} END
         AS include,
       pg_get_expr(x.indpred, x.indrelid, true) AS where,
       ${features.nullsNotDistinct ? 'x.indnullsnotdistinct' : 'NULL::boolean'} AS "nullsNotDistinct",
       ic.reloptions::text[] AS with
  FROM selected JOIN pg_index x ON x.indrelid = selected.oid
  JOIN pg_class ic ON ic.oid = x.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT 1 FROM pg_inherits p WHERE p.inhrelid = x.indexrelid)`;

export interface ViewRow {
  readonly oid: number | string;
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  readonly query: string;
  readonly comment: string | null;
  /** The relations the view's query reads; null when it reads none. */
  readonly dependsOn: readonly { readonly schema: string; readonly name: string }[] | null;
}

/**
 * Views and materialized views, with the relations each reads: the dependencies of its `_RETURN` rule
 * (pg_rewrite) on tables, views and materialized views (pg_depend), whatever their schema, but the system's own.
 */
export const viewsQuery = (filter: CatalogFilter): string => `
WITH ${selectedRelations(filter, ['v', 'm'])}
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,
       pg_get_viewdef(c.oid, true) AS query, ${comment('pg_class', 'c.oid')},
       (SELECT json_agg(json_build_object('schema', rn.nspname, 'name', rc.relname))
          FROM (SELECT DISTINCT d.refobjid
                  FROM pg_rewrite r
                  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                                  AND d.refclassid = 'pg_class'::regclass
                 WHERE r.ev_class = c.oid AND d.refobjid <> c.oid) ref
          JOIN pg_class rc ON rc.oid = ref.refobjid
          JOIN pg_namespace rn ON rn.oid = rc.relnamespace
         WHERE rc.relkind IN ('r', 'p', 'f', 'v', 'm')
           AND rn.nspname <> 'information_schema' AND left(rn.nspname, 3) <> 'pg_') AS "dependsOn"
  FROM selected JOIN pg_class c ON c.oid = selected.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace`;

export interface FunctionRow {
  readonly schema: string;
  readonly name: string;
  /** `prokind`: f function, p procedure, w window function. */
  readonly kind: string;
  readonly identityArguments: string;
  readonly definition: string;
  readonly comment: string | null;
}

/** Aggregates have no `pg_get_functiondef`: they are not read (yet). */
export const functionsQuery = (filter: CatalogFilter): string => `
SELECT n.nspname AS schema, p.proname AS name, p.prokind AS kind,
       pg_get_function_identity_arguments(p.oid) AS "identityArguments",
       pg_get_functiondef(p.oid) AS definition, ${comment('pg_proc', 'p.oid')}
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p', 'w') AND ${filter.object('n.nspname', 'p.proname')}
   AND ${notExtensionMember('pg_proc', 'p.oid')}`;

export interface TriggerRow {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly definition: string;
  readonly functionSchema: string;
  readonly functionName: string;
  readonly disabled: boolean;
}

/** Internal triggers (constraints') and a partition's clones of its parent's triggers are not read. */
export const triggersQuery = (filter: CatalogFilter, features: ServerFeatures): string => `
WITH ${selectedRelations(filter, ['r', 'p', 'v', 'm'])}
SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition,
       fn.nspname AS "functionSchema", f.proname AS "functionName", t.tgenabled = 'D' AS disabled
  FROM selected JOIN pg_trigger t ON t.tgrelid = selected.oid
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc f ON f.oid = t.tgfoid
  JOIN pg_namespace fn ON fn.oid = f.pronamespace
 WHERE NOT t.tgisinternal
   AND ${
     features.triggerParent
       ? 't.tgparentid = 0'
       : `NOT EXISTS (SELECT 1 FROM pg_depend p WHERE p.classid = 'pg_trigger'::regclass AND p.objid = t.oid AND p.deptype = 'P')`
   }`;

export interface OtherRow {
  readonly kind: string;
  readonly schema: string;
  readonly table: string | null;
  readonly name: string;
  readonly definition: string;
}

/**
 * Objects carried by definition: composite types, row-level security switched on, policies (as `pg_policies`
 * shows them) and rules other than a view's `_RETURN`.
 */
export const othersQuery = (filter: CatalogFilter): string => `
WITH ${selectedRelations(filter, ['r', 'p', 'v', 'm'])}
SELECT 'composite type' AS kind, n.nspname AS schema, NULL AS table, t.typname AS name,
       format('CREATE TYPE %I.%I AS (%s)', n.nspname, t.typname,
              (SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                                   || CASE WHEN a.attcollation <> at.typcollation
                                           THEN ' COLLATE ' || quote_ident(co.collname) ELSE '' END,
                                 ', ' ORDER BY a.attnum)
                 FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                 LEFT JOIN pg_collation co ON co.oid = a.attcollation
                WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)) AS definition
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_class r ON r.oid = t.typrelid
 WHERE t.typtype = 'c' AND r.relkind = 'c' AND ${filter.object('n.nspname', 't.typname')}
   AND ${notExtensionMember('pg_type', 't.oid')}
UNION ALL
SELECT 'aggregate', n.nspname, NULL, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       format('CREATE AGGREGATE %I.%I(%s) (SFUNC = %s, STYPE = %s%s%s%s%s%s)', n.nspname, p.proname,
              pg_get_function_identity_arguments(p.oid), a.aggtransfn::regproc, format_type(a.aggtranstype, NULL),
              CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::regproc ELSE '' END,
              CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::regproc ELSE '' END,
              CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || quote_literal(a.agginitval) ELSE '' END,
              CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = ' || a.aggsortop::regoperator::text ELSE '' END,
              CASE WHEN p.proparallel = 's' THEN ', PARALLEL = SAFE'
                   WHEN p.proparallel = 'r' THEN ', PARALLEL = RESTRICTED' ELSE '' END)
  FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
  JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind = 'a' AND a.aggkind = 'n' AND ${filter.object('n.nspname', 'p.proname')}
   AND ${notExtensionMember('pg_proc', 'p.oid')}
UNION ALL
SELECT 'row level security', n.nspname, c.relname, c.relname,
       format('ALTER TABLE %I.%I %s', n.nspname, c.relname,
              concat_ws(', ', CASE WHEN c.relrowsecurity THEN 'ENABLE ROW LEVEL SECURITY' END,
                              CASE WHEN c.relforcerowsecurity THEN 'FORCE ROW LEVEL SECURITY' END))
  FROM selected JOIN pg_class c ON c.oid = selected.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relrowsecurity OR c.relforcerowsecurity
UNION ALL
SELECT 'policy', n.nspname, c.relname, p.polname,
       format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s', p.polname, n.nspname, c.relname,
              CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
              CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                            WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
              (SELECT string_agg(CASE WHEN role.oid = 0 THEN 'PUBLIC' ELSE quote_ident(ro.rolname) END, ', '
                                 ORDER BY role.oid <> 0, ro.rolname)
                 FROM unnest(p.polroles) AS role(oid) LEFT JOIN pg_roles ro ON ro.oid = role.oid))
       || COALESCE(' USING (' || pg_get_expr(p.polqual, p.polrelid, true) || ')', '')
       || COALESCE(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid, true) || ')', '')
  FROM selected JOIN pg_policy p ON p.polrelid = selected.oid
  JOIN pg_class c ON c.oid = p.polrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT 'rule', n.nspname, c.relname, w.rulename, regexp_replace(pg_get_ruledef(w.oid), ';[[:space:]]*$', '')
  FROM selected JOIN pg_rewrite w ON w.ev_class = selected.oid
  JOIN pg_class c ON c.oid = w.ev_class
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE w.rulename <> '_RETURN' AND ${notExtensionMember('pg_rewrite', 'w.oid')}`;
