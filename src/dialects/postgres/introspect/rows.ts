/** Small helpers for turning catalog rows into the model. */

/** Compares by UTF-16 code units, so that the model's order does not depend on the database's collation. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares by several keys in turn. */
export function compareBy<T>(...keys: readonly ((item: T) => string | undefined)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = compareText(key(a) ?? '', key(b) ?? '');
      if (order !== 0) return order;
    }
    return 0;
  };
}

export const byName = compareBy<{ readonly name: string }>((item) => item.name);

export const bySchemaAndName = compareBy<{ readonly schema?: string; readonly name: string }>(
  (item) => item.schema,
  (item) => item.name,
);

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

/** SQL NULL as an absent property. */
export function orUndefined<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}
