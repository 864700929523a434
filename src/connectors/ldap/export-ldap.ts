/**
 * ExportTask's LDAP package (Usercube.AD, Usercube.LDAP, Usercube.OpenLDAP, Usercube.LDAP.*): each
 * table of the settings' `Tables` (or the one `entries` table that `BaseDN`, `Filter`, `Scope` make)
 * is a paged search (PageSize entries a page, default 500) written as one CSV file:
 *
 * - `entries`: one row per entry, `dn` first, then its columns: a ConnectionTable's Columns when the
 *   connection has one named `<Connection>_<Table>` or `<Table>`, else the table's `Attributes`.
 *   The column `parentdn` is the entry's container. An attribute with several values is one field,
 *   the values joined by MultiValueSeparator (a line feed by default; RFC 4180 quotes it);
 * - any other table is a link attribute (member…): the rows `dn,<attribute>`, one per value, what an
 *   EntityAssociationMapping reads.
 *
 * With UpperCaseDNTypes, DNs (dn, parentdn, link values) are written CN=…,OU=…, as AD spells them:
 * OpenLDAP answers with its schema's names (cn=…,ou=…), and keys and rules compare DNs as text.
 *
 * The file is `<ConnectionTable>.csv`: the matching ConnectionTable's identifier, else the reference's
 * name `<Connection>_<Table>`.
 */
import { PresenceFilter, type Client } from "ldapts";
import { CsvWriter } from "../csv/csv-write.js";
import type { ExportTable } from "../export-table.js";
import { abortError } from "../sql/runner.js";
import { openLdapClient } from "./ldap-client.js";
import { looksLikeDn, splitDn, upperCaseDnTypes } from "./ldap-client.js";
import type { LdapSettings, LdapTableSettings } from "./ldap-settings.js";

export interface LdapExportTable extends ExportTable {
  settings: LdapTableSettings;
  link: boolean;
}

/** The tables the export writes, named and given their columns (checked before anything is read). */
export function ldapExportTables(settings: LdapSettings, declared: readonly ExportTable[]): LdapExportTable[] {
  const at = `settings Connections.${settings.connection}`;
  if (settings.tables.length === 0) throw new Error(`${at} has neither Tables nor BaseDN: nothing to export (LDAP package)`);
  return settings.tables.map((table) => {
    const name = `${settings.connection}_${table.table}`;
    const match = declared.find((t) => t.identifier === name && t.columns.length > 0) ?? declared.find((t) => t.identifier === table.table && t.columns.length > 0);
    const identifier = match?.identifier ?? name;
    if (table.table.toLowerCase() !== "entries") return { identifier, columns: ["dn", table.table], settings: table, link: true };
    const columns = match?.columns ?? table.attributes;
    if (columns === undefined) {
      throw new Error(`${at}: the entries table has no columns: add a ConnectionTable ${name} with its Columns, or the table's "Attributes": [ … ]`);
    }
    return { identifier, columns: ["dn", ...columns.filter((c) => c.toLowerCase() !== "dn")], settings: table, link: false };
  });
}

export interface LdapExportResult {
  table: string;
  rows: number;
}

/** Writes each table into `tempOf(table)` (created here: the caller renames or removes it). */
export async function exportLdapTables(
  settings: LdapSettings,
  tables: readonly LdapExportTable[],
  tempOf: (table: string) => string,
  signal: AbortSignal,
  progress: (rows: number) => void,
): Promise<LdapExportResult[]> {
  const client = await openLdapClient(settings);
  const results: LdapExportResult[] = [];
  let total = 0;
  try {
    for (const table of tables) {
      const writer = CsvWriter.create(tempOf(table.identifier), table.columns);
      let complete = false;
      try {
        await writeTable(client, settings, table, writer, signal, () => progress(total + writer.rows));
        complete = true;
      } finally {
        writer.close(complete);
      }
      total += writer.rows;
      results.push({ table: table.identifier, rows: writer.rows });
    }
  } finally {
    await client.unbind().catch(() => undefined);
  }
  return results;
}

async function writeTable(client: Client, settings: LdapSettings, table: LdapExportTable, writer: CsvWriter, signal: AbortSignal, progress: () => void): Promise<void> {
  const { baseDN, filter, scope } = table.settings;
  const attributes = table.link ? [table.settings.table] : table.columns.filter((c) => c !== "dn" && c.toLowerCase() !== "parentdn");
  const pages = client.searchPaginated(baseDN, {
    scope,
    filter: table.link ? `(&${wrap(filter)}${new PresenceFilter({ attribute: table.settings.table }).toString()})` : filter,
    // "1.1": no attribute at all, when only the DN is wanted.
    attributes: attributes.length === 0 ? ["1.1"] : attributes,
    paged: { pageSize: settings.pageSize },
  });
  const dnOf = settings.upperCaseDnTypes ? upperCaseDnTypes : (dn: string) => dn;
  for await (const page of pages) {
    if (signal.aborted) throw abortError(signal);
    for (const entry of page.searchEntries) {
      const dn = dnOf(entry.dn);
      if (table.link) {
        for (const value of valuesOf(entry[table.settings.table])) writer.write([dn, looksLikeDn(value) ? dnOf(value) : value]);
        continue;
      }
      writer.write(table.columns.map((column) => {
        if (column === "dn") return dn;
        if (column.toLowerCase() === "parentdn") return splitDn(dn).parent;
        return valuesOf(entry[column] ?? entryValue(entry, column)).join(settings.multiValueSeparator);
      }));
    }
    progress();
  }
}

/** Attribute names come back as the server spells them: a column matches whatever the case. */
function entryValue(entry: Record<string, unknown>, column: string): unknown {
  const lower = column.toLowerCase();
  const key = Object.keys(entry).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : entry[key];
}

function valuesOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString("base64") : String(v)));
}

function wrap(filter: string): string {
  const f = filter.trim();
  return f.startsWith("(") ? f : `(${f})`;
}
