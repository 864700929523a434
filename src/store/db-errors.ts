/** Recognises, across the three drivers, the database errors that callers handle rather than report. */

interface DriverErrorShape {
  code?: unknown;
  number?: unknown;
  driverError?: unknown;
  originalError?: unknown;
  info?: unknown;
  cause?: unknown;
}

/** The error and what it wraps (TypeORM's QueryFailedError.driverError, mssql's originalError.info). */
function chain(error: unknown): DriverErrorShape[] {
  const found: DriverErrorShape[] = [];
  let current: unknown = error;
  while (typeof current === "object" && current !== null && found.length < 6) {
    const shape = current as DriverErrorShape;
    found.push(shape);
    current = shape.driverError ?? shape.originalError ?? shape.info ?? shape.cause;
  }
  return found;
}

function matches(error: unknown, codes: string[], numbers: number[]): boolean {
  return chain(error).some(
    (e) => (typeof e.code === "string" && codes.some((c) => e.code === c || (e.code as string).startsWith(`${c}_`))) ||
      (typeof e.number === "number" && numbers.includes(e.number)),
  );
}

/** Primary key or unique index violated: SQLite SQLITE_CONSTRAINT_*, PostgreSQL 23505, SQL Server 2627/2601. */
export function isUniqueViolation(error: unknown): boolean {
  return matches(error, ["SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE", "23505"], [2627, 2601]);
}

/**
 * Worth retrying as is: SQLite still locked after its busy timeout, PostgreSQL serialization failure
 * or deadlock (40001, 40P01), SQL Server deadlock victim or lock timeout (1205, 1222).
 */
export function isTransient(error: unknown): boolean {
  return matches(error, ["SQLITE_BUSY", "SQLITE_LOCKED", "40001", "40P01"], [1205, 1222]);
}
