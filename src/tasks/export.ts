/**
 * ExportTask (agent side): runs the export of its Connection (or of every Connection of its
 * Connector) into the export folder, writing `<Paths.Export>/<ConnectionTable>.csv` for each
 * ConnectionTable of the connection (`<Connection>.csv` when it has none): UTF-8 without BOM, comma,
 * CRLF, RFC 4180 quoting, a header row — PrepareSynchronizationTask's input contract, simple enough
 * for InvokeSqlCommandTask or InvokeExpressionTask to write instead.
 *
 * Packages: Usercube.CSV (src/connectors/csv/export-csv.ts), Usercube.SQL (src/connectors/sql/export-sql.ts) and
 * the LDAP ones (src/connectors/ldap/export-ldap.ts); each
 * reads its settings from Connections.<Connection>. Every file is written under a temporary name in
 * the export folder and renamed only once every table of every connection succeeded; a failure or a
 * cancel removes the temporary files and leaves the previous exports in place. The SQL package's
 * watermark cookies (`<Paths.Temp>/ExportCookies/<Connection>.json`) are written after the rename.
 * Every file of the export folder and every cookie must resolve, symbolic links followed, inside its
 * folder; all are checked before the first query runs.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { normaliseCsv, readCsvPackageSettings, sourceFileOf } from "../connectors/csv/export-csv.js";
import { readExportConnections, type ExportConnection } from "../domain/sync/export-model.js";
import { exportSqlTables, readCookie, readSqlPackageSettings, type ExportCookie } from "../connectors/sql/export-sql.js";
import { abortError, removeTemporaryFiles, tempPath, type CsvOutput } from "../connectors/sql/runner.js";
import { exportLdapTables, ldapExportTables } from "../connectors/ldap/export-ldap.js";
import { readLdapSettings } from "../connectors/ldap/ldap-settings.js";
import { settingsOrigin } from "../config/settings.js";
import { confineTo } from "../domain/confined-path.js";
import { defineTask, nonBlank, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

/** The connection's cookie, refused when a symbolic link leads it out of Paths.Temp. */
export function cookiePath(context: Pick<TaskContext, "paths">, connection: string): string {
  const temp = resolve(context.paths.temp);
  return confineTo(join(temp, "ExportCookies", `${connection}.json`), temp);
}

interface Pending {
  temp: string;
  final: string;
  rows: number;
}

export default defineTask<"ExportTask">({
  type: "ExportTask",
  side: "agent",
  run: runExport,
});

export async function runExport(context: TaskContext, task: TaskOf<"ExportTask">): Promise<TaskResult> {
  context.signal.throwIfAborted();
  const a = task.attributes;
  const ignoreCookies = a.IgnoreCookieFile === true;
  const connections = await readExportConnections(context.store, { connection: nonBlank(a.Connection), connector: nonBlank(a.Connector) });
  // Settings first: a missing one fails before anything is read or written.
  const plans = connections.map((connection) => plan(context, connection));

  const folder = resolve(context.paths.export);
  const token = `${process.pid}-${randomBytes(4).toString("hex")}`;
  for (const { connection } of plans) {
    for (const table of connection.tables) {
      if (/[\\/\0]/.test(table.identifier) || table.identifier === "." || table.identifier === "..") {
        throw new Error(`ConnectionTable "${table.identifier}" cannot name a CSV file in ${folder}`);
      }
      confineTo(join(folder, `${table.identifier}.csv`), folder);
      confineTo(tempPath({ folder, base: table.identifier, encoding: "utf-8", token }, 1), folder);
    }
    if (connection.package === "SQL") cookiePath(context, connection.identifier);
  }
  mkdirSync(folder, { recursive: true });
  const outputs: CsvOutput[] = [];
  const outputOf = (table: string): CsvOutput => {
    const output: CsvOutput = { folder, base: table, encoding: "utf-8", token };
    outputs.push(output);
    return output;
  };
  const counters = { files: 0, rows: 0 };
  const pending: Pending[] = [];
  const cookies: { connection: string; cookie: ExportCookie }[] = [];
  try {
    for (const p of plans) {
      const { connection } = p;
      if (p.kind === "CSV") {
        for (const table of connection.tables) {
          context.signal.throwIfAborted();
          const output = outputOf(table.identifier);
          const temp = tempPath(output, 1);
          const source = sourceFileOf(p.settings, table.identifier);
          context.log("Information", `Connection ${connection.identifier}: ${table.identifier} from ${source}`);
          const rows = await normaliseCsv(source, temp, table, p.settings, context.signal);
          pending.push({ temp, final: join(folder, `${table.identifier}.csv`), rows });
          counters.rows += rows;
          context.progress({ ...counters });
        }
      } else if (p.kind === "LDAP") {
        const base = counters.rows;
        context.log("Information", `Connection ${connection.identifier}: ${connection.tables.map((t) => t.identifier).join(", ")} from ${p.settings.url}`);
        const temps = new Map<string, string>();
        const tempOf = (table: string) => {
          const temp = tempPath(outputOf(table), 1);
          temps.set(table, temp);
          return temp;
        };
        const results = await exportLdapTables(p.settings, p.tables, tempOf, context.signal, (rows) => context.progress({ ...counters, rows: base + rows }));
        for (const r of results) {
          pending.push({ temp: temps.get(r.table) as string, final: join(folder, `${r.table}.csv`), rows: r.rows });
          counters.rows += r.rows;
        }
      } else {
        const path = cookiePath(context, connection.identifier);
        const old = ignoreCookies ? undefined : readCookie(path);
        if (ignoreCookies) context.log("Information", `IgnoreCookieFile: Connection ${connection.identifier} is exported in full`);
        const base = counters.rows;
        const results = await exportSqlTables(context, connection.identifier, connection.tables, p.settings, old, outputOf, (rows) => {
          context.progress({ ...counters, rows: base + rows });
        });
        const next: ExportCookie = {};
        for (const r of results) {
          pending.push({ temp: r.temp, final: join(folder, `${r.table}.csv`), rows: r.rows });
          counters.rows += r.rows;
          if (r.cookie !== undefined) next[r.table] = r.cookie;
        }
        if (Object.keys(next).length > 0) cookies.push({ connection: connection.identifier, cookie: next });
      }
    }
    if (context.signal.aborted) throw abortError(context.signal);
    for (const file of pending) {
      await rename(file.temp, file.final);
      counters.files++;
      context.log("Information", `wrote ${file.final}: ${file.rows} rows`);
    }
    for (const { connection, cookie } of cookies) await writeCookie(cookiePath(context, connection), cookie);
    context.progress({ ...counters });
    return { state: "Succeeded", didWork: counters.files > 0, counters };
  } finally {
    for (const file of pending) rmSync(file.temp, { force: true });
    for (const output of outputs) await removeTemporaryFiles(output);
  }
}

type Plan =
  | { kind: "CSV"; connection: ExportConnection; settings: ReturnType<typeof readCsvPackageSettings> }
  | { kind: "SQL"; connection: ExportConnection; settings: ReturnType<typeof readSqlPackageSettings> }
  | { kind: "LDAP"; connection: ExportConnection; settings: ReturnType<typeof readLdapSettings>; tables: ReturnType<typeof ldapExportTables> };

function plan(context: TaskContext, connection: ExportConnection): Plan {
  const raw = Object.hasOwn(context.settings.connections, connection.identifier) ? context.settings.connections[connection.identifier] : undefined;
  if (raw === undefined) {
    const shape = {
      CSV: '{ "Folder": "<folder of the CSV files>" }',
      SQL: '{ "ConnectionString": "<database URL, or idm:store>", "Queries": { … } }',
      LDAP: '{ "Server": "ldap://<host>:389", "Login": "<bind DN>", "Password": "…", "BaseDN": "…", "Attributes": [ … ] }',
    }[connection.package];
    throw new Error(`settings Connections.${connection.identifier} is missing: add ${shape} for Connection ${connection.identifier} (${connection.packageName}); ${settingsOrigin(context.settings)}`);
  }
  try {
    if (connection.package === "LDAP") {
      const settings = readLdapSettings(connection.identifier, raw);
      // The settings' Tables name the files; the ConnectionTables only give their columns.
      const tables = ldapExportTables(settings, connection.tables);
      return { kind: "LDAP", connection: { ...connection, tables }, settings, tables };
    }
    return connection.package === "CSV"
      ? { kind: "CSV", connection, settings: readCsvPackageSettings(connection.identifier, raw) }
      : { kind: "SQL", connection, settings: readSqlPackageSettings(connection.identifier, raw, connection.tables) };
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${settingsOrigin(context.settings)}`, { cause: error });
  }
}

/** Writes the cookie under a temporary name, then renames it into place. */
async function writeCookie(path: string, cookie: ExportCookie): Promise<void> {
  mkdirSync(join(path, ".."), { recursive: true });
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(cookie, null, 2) + "\n");
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}
