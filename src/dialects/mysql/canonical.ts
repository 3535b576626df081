import type { ForeignKeyModel, SchemaModel, TableModel } from '../../schema/model.js';

/**
 * A declared model as the MySQL introspector reports it: RESTRICT and NO ACTION are one rule in InnoDB (both
 * reported as `no action`), and every primary key is named PRIMARY (reported as `<table>_pkey`). Foreign keys are
 * compared as declared, not built in the scratch database, so they are spelled alike here.
 */
export function mysqlCanonical(model: SchemaModel): SchemaModel {
  return { ...model, tables: model.tables.map(canonicalTable) };
}

function canonicalTable(table: TableModel): TableModel {
  return {
    ...table,
    ...(table.primaryKey === undefined
      ? {}
      : { primaryKey: { ...table.primaryKey, name: `${table.name}_pkey` } }),
    foreignKeys: table.foreignKeys.map(canonicalForeignKey),
  };
}

function canonicalForeignKey(fk: ForeignKeyModel): ForeignKeyModel {
  const action = (rule: ForeignKeyModel['onDelete']) => (rule === 'restrict' ? 'no action' : rule);
  return { ...fk, onDelete: action(fk.onDelete), onUpdate: action(fk.onUpdate) };
}
