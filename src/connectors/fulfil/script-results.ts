/**
 * The results file a fulfilment script writes (model.md §C.13): CSV, `,` separator, a header naming
 * `AssignmentId,ProvisioningState,Message,ChangeType,OwnerId,OwnerType` (only the first two are
 * required; names are matched ignoring case, in any order). ProvisioningState is `Executed` or
 * `Errored`. PowerShell's Export-Csv may put a `#TYPE …` line first and write UTF-16 with a byte order
 * mark: both are read. A later row for the same AssignmentId replaces an earlier one.
 */
import iconv from "iconv-lite";
import { CsvParser } from "../csv/csv-read.js";
import type { OrderOutcomeState } from "./fulfiller.js";

export interface ScriptResult {
  state: OrderOutcomeState;
  message: string;
}

export const RESULT_COLUMNS = ["AssignmentId", "ProvisioningState", "Message", "ChangeType", "OwnerId", "OwnerType"] as const;

function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes, "utf-16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes, "utf-16be");
  return iconv.decode(bytes, "utf-8");
}

/** AssignmentId → result; an error naming the file when it cannot be read as a results file. */
export function parseScriptResults(bytes: Buffer, source: string): Map<string, ScriptResult> {
  const parser = new CsvParser(source, ",");
  const records = [...parser.push(decode(bytes)), ...parser.end()].filter((record) => !(record.length === 1 && record[0]?.startsWith("#TYPE")));
  const results = new Map<string, ScriptResult>();
  const [header, ...rows] = records;
  if (header === undefined) return results;
  const index = (name: string) => header.findIndex((column) => column.trim().toLowerCase() === name.toLowerCase());
  const id = index("AssignmentId");
  const state = index("ProvisioningState");
  const message = index("Message");
  if (id === -1 || state === -1) {
    throw new Error(`${source} has no ${id === -1 ? "AssignmentId" : "ProvisioningState"} column: its header is to be ${RESULT_COLUMNS.join(",")}`);
  }
  for (const row of rows) {
    const assignment = row[id]?.trim() ?? "";
    if (assignment === "") continue;
    const written = row[state]?.trim() ?? "";
    const text = message === -1 ? "" : (row[message] ?? "");
    if (/^executed$/i.test(written)) results.set(assignment, { state: "Executed", message: text });
    else if (/^errored$/i.test(written)) results.set(assignment, { state: "Errored", message: text || "the script reported the order Errored" });
    else results.set(assignment, { state: "Errored", message: `the script reported ProvisioningState ${JSON.stringify(written)} (Executed or Errored expected)${text ? `: ${text}` : ""}` });
  }
  return results;
}
