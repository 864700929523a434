/**
 * The environment a task's script starts with: the runner's own, less its secrets (database URLs,
 * and any variable named as a password, secret or token: IDM_DEMO_LDAP_PASSWORD). A script that
 * prints `env` would otherwise store them in the task log, readable by whoever reads logs.
 * A script that needs the product database is named in Tasks.DatabaseUrlForScripts, and only it gets
 * the runner's URL back (the operator's decision, in the settings: the XML vocabulary stays the product's).
 */
import { redactUrl } from "../store/database-url.js";

/** Variables that hold database credentials whatever their value looks like. */
const SECRET_VARIABLES = new Set(["IDM_DATABASE_URL", "PGPASSWORD", "MSSQL_SA_PASSWORD"]);
/** Names that say a credential: LDAP_PASSWORD, SMTP_SECRET, API_TOKEN… */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN/i;

export function scriptEnvironment(runner: NodeJS.ProcessEnv, job: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(runner)) {
    if (value === undefined || SECRET_VARIABLES.has(name) || SECRET_NAME.test(name)) continue;
    // Any other `scheme://user:password@host` URL is a credential too (a second database, a report server).
    if (redactUrl(value) !== value) continue;
    env[name] = value;
  }
  return { ...env, ...job };
}

/** Whether Tasks.DatabaseUrlForScripts names the task: by its identifier, or as `Job/Task`. */
export function receivesDatabaseUrl(list: readonly string[] | undefined, job: string, task: string): boolean {
  return list !== undefined && (list.includes(task) || list.includes(`${job}/${task}`));
}
