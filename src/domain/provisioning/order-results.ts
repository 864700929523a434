/**
 * The files of a fulfilment (model.md §C.13), next to the order file `<Paths.Work>/<order file>`:
 * - the order file is read as `{"ProvisioningOrdersList":[…]}`;
 * - its results, `Results/<file without .json>.csv`: `AssignmentId,ProvisioningState,Message,ChangeType,OwnerId,OwnerType`
 *   (comma, CRLF, a header), one line per order with an outcome, rewritten whole from the store after
 *   each run on the file (so the orders of two runs are in one file, and a killed run loses none);
 * - once every order of the file has an outcome, the file moves to `Completed/`.
 * A file GenerateProvisioningOrdersTask recorded but could not rename (killed in between) is still
 * `<file>.tmp`, whole: it is read, and completed, under that name.
 * Every path must stay, symbolic links followed, inside the work folder.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import type { ProvisioningOrder } from "../../connectors/fulfil/fulfiller.js";
import { csvRecord, TEXT_ONLY } from "../../connectors/csv/csv-text.js";
import { confineTo } from "../confined-path.js";
import type { FulfilOrderRow } from "./fulfil-store.js";

export const RESULTS_FOLDER = "Results";
export const COMPLETED_FOLDER = "Completed";
export const RESULT_COLUMNS = ["AssignmentId", "ProvisioningState", "Message", "ChangeType", "OwnerId", "OwnerType"] as const;

/** The orders of a file, or why it cannot be read (each of its orders is then Errored with it). */
export async function readOrderFile(workFolder: string, orderFile: string): Promise<ProvisioningOrder[] | { error: string }> {
  const path = existingOrderFile(workFolder, orderFile);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return { error: `the order file ${orderFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  try {
    const list = (JSON.parse(text) as { ProvisioningOrdersList?: unknown }).ProvisioningOrdersList;
    if (!Array.isArray(list)) throw new Error("no ProvisioningOrdersList array");
    return list as ProvisioningOrder[];
  } catch (error) {
    return { error: `the order file ${orderFile} is not an order file: ${(error as Error).message}` };
  }
}

/** Writes the results of the file's orders that have an outcome; `documents` gives their owner's type. */
export async function writeResults(workFolder: string, orderFile: string, rows: readonly FulfilOrderRow[], documents: readonly ProvisioningOrder[]): Promise<string> {
  const path = confineTo(join(workFolder, dirname(orderFile), RESULTS_FOLDER, `${basename(orderFile, ".json")}.csv`), workFolder);
  const ownerType = new Map(documents.map((d) => [String(d.AssignedResourceTypeId), d.ResourceType?.SourceEntityType?.Identifier ?? ""]));
  let text = csvRecord(RESULT_COLUMNS, TEXT_ONLY);
  for (const row of rows) {
    if (row.fulfilState !== "Executed" && row.fulfilState !== "Errored") continue;
    const owner = row.ownerId === null ? "" : String(row.ownerId);
    text += csvRecord([String(row.assignedResourceTypeId), row.fulfilState, row.fulfilMessage ?? "", row.changeType, owner, ownerType.get(String(row.assignedResourceTypeId)) ?? ""], TEXT_ONLY);
  }
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, "utf8");
  await rename(temporary, path);
  return path;
}

/** The order file, or its `.tmp` when only that one is there. */
function existingOrderFile(workFolder: string, orderFile: string): string {
  const path = confineTo(join(workFolder, orderFile), workFolder);
  const temporary = `${path}.tmp`;
  return !existsSync(path) && existsSync(temporary) ? confineTo(temporary, workFolder) : path;
}

/** Moves the order file to `Completed/`; the order file's new name, relative to the work folder (undefined when the file is gone). */
export async function completeOrderFile(workFolder: string, orderFile: string): Promise<string | undefined> {
  const from = existingOrderFile(workFolder, orderFile);
  if (!existsSync(from)) return undefined;
  const to = confineTo(join(dirname(from), COMPLETED_FOLDER, basename(orderFile)), workFolder);
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
  return relative(workFolder, to);
}
