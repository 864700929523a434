/** Every database the store and the connectors run on, by dialect. */
import { mssql } from "./mssql.js";
import { postgres } from "./postgres.js";
import type { Dialect, DialectProfile } from "./profile.js";
import { sqlite } from "./sqlite.js";

export type { Dialect, DialectProfile } from "./profile.js";

export const DIALECTS: Record<Dialect, DialectProfile> = { sqlite, postgres, mssql };

const BY_DRIVER = new Map(Object.values(DIALECTS).flatMap((p) => p.driverTypes.map((type) => [type, p.dialect] as const)));

/** The dialect of a TypeORM driver type ("better-sqlite3" → "sqlite"); looked up per bound value. */
export function dialectOfDriver(type: string): Dialect {
  const dialect = BY_DRIVER.get(type);
  if (dialect === undefined) throw new Error(`unsupported TypeORM driver ${type}`);
  return dialect;
}

/** The profile of the database a TypeORM driver reaches (`m.connection.driver`). */
export function profileOfDriver(driver: { options: { type: string } }): DialectProfile {
  return DIALECTS[dialectOfDriver(driver.options.type)];
}
