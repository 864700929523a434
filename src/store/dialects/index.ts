/** Every database the store and the connectors run on, by dialect. */
import { mssql } from "./mssql.js";
import { postgres } from "./postgres.js";
import type { Dialect, DialectProfile } from "./profile.js";
import { sqlite } from "./sqlite.js";

export type { Dialect, DialectProfile } from "./profile.js";

export const DIALECTS: Record<Dialect, DialectProfile> = { sqlite, postgres, mssql };

/** The dialect of a TypeORM driver type ("better-sqlite3" → "sqlite"). */
export function dialectOfDriver(type: string): Dialect {
  const profile = Object.values(DIALECTS).find((p) => p.driverTypes.includes(type));
  if (profile === undefined) throw new Error(`unsupported TypeORM driver ${type}`);
  return profile.dialect;
}
