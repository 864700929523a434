/**
 * Database URLs: `sqlite:<path>`, `postgres://…` and `mssql://…`, turned into TypeORM options by
 * the profile whose scheme they have (dialects/). Passwords never leave the profiles except inside
 * the options: every text meant for people uses `display` (or `redactUrl`), where the password reads "***".
 */
import { DIALECTS } from "./dialects/index.js";
import type { DatabaseTarget } from "./dialects/profile.js";
import { redactUrl } from "./dialects/redact.js";

export type { DatabaseTarget, Dialect } from "./dialects/profile.js";
export { redactUrl } from "./dialects/redact.js";

export const DEFAULT_DATABASE_URL = "sqlite:.idm/idm.db";

/** Every dialect's URL form: "expected a, b or c". */
function accepted(): string {
  const forms = Object.values(DIALECTS).map((p) => p.urlForm);
  return `expected ${forms.slice(0, -1).join(", ")} or ${forms.at(-1)!}`;
}

/** flag > IDM_DATABASE_URL > settings ConnectionString > default. Empty strings count as unset. */
export function resolveDatabaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv, settings: { ConnectionString?: string }): string {
  for (const candidate of [flag, env.IDM_DATABASE_URL, settings.ConnectionString]) {
    if (candidate !== undefined && candidate.trim() !== "") return candidate.trim();
  }
  return DEFAULT_DATABASE_URL;
}

export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const profile = Object.values(DIALECTS).find((p) => scheme !== undefined && p.schemes.includes(scheme));
  if (profile === undefined) throw new Error(`unsupported database URL "${redactUrl(url)}": ${accepted()}`);
  return profile.target(url, cwd, accepted());
}
