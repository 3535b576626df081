/** Which server reflection talks to: MySQL or MariaDB, and what its version's information_schema holds. */

export interface ServerFeatures {
  /** MariaDB, whose catalog differs from MySQL's in how it prints defaults, checks and JSON columns. */
  readonly mariadb: boolean;
  /**
   * COLUMN_DEFAULT is SQL text (`'abc'`, `NULL`, `current_timestamp()`): MariaDB 10.2.7 and later. Otherwise it is
   * the raw value, with EXTRA `DEFAULT_GENERATED` marking an expression (MySQL 8.0.13 and later).
   */
  readonly quotedDefaults: boolean;
  /**
   * MySQL prints expressions in information_schema (generated columns, expression defaults, checks, functional
   * index parts) with their quotes backslash-escaped (`_utf8mb4\'a\'`); MariaDB prints them as they are.
   */
  readonly escapedExpressions: boolean;
  /** information_schema.CHECK_CONSTRAINTS: MySQL 8.0.16, MariaDB 10.2.22 and 10.3.10. */
  readonly checkConstraints: boolean;
  /** STATISTICS.EXPRESSION (functional key parts): MySQL 8.0.13. MariaDB has no functional indexes. */
  readonly indexExpressions: boolean;
}

/** `[major, minor, patch]` of a VERSION() string: `8.0.36`, `10.11.6-MariaDB-1:10.11.6+maria~deb12`. */
export function versionNumbers(version: string): readonly [number, number, number] {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match === null ? [0, 0, 0] : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function atLeast(
  version: readonly [number, number, number],
  wanted: readonly [number, number, number],
): boolean {
  for (let index = 0; index < 3; index += 1) {
    const difference = (version[index] ?? 0) - (wanted[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

export function serverFeatures(version: string): ServerFeatures {
  const mariadb = /mariadb/i.test(version);
  const numbers = versionNumbers(version);
  if (mariadb) {
    return {
      mariadb,
      quotedDefaults: atLeast(numbers, [10, 2, 7]),
      escapedExpressions: false,
      // 10.3.0 to 10.3.9 came out before 10.2.22 and lack the table, as every 10.2 before 10.2.22 does.
      checkConstraints: atLeast(numbers, [10, 3, 10]) || (atLeast(numbers, [10, 2, 22]) && numbers[1] === 2),
      indexExpressions: false,
    };
  }
  return {
    mariadb,
    quotedDefaults: false,
    escapedExpressions: true,
    checkConstraints: atLeast(numbers, [8, 0, 16]),
    indexExpressions: atLeast(numbers, [8, 0, 13]),
  };
}
