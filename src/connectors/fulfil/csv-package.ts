/**
 * The CSV fulfilment package, for systems fed by files (Connection Package `Usercube.CSV…`): each
 * order becomes a row of `<Folder>/<ResourceType>.csv`. Settings:
 *
 *     "Connections": { "<Connection>": {
 *       "Folder": "orders/hr",   // under the work folder (relative paths resolved against it)
 *       "Encoding": "latin1",    // default utf-8 (no byte order mark)
 *       "Separator": ";"         // one character, default ","
 *     } }
 *
 * Columns: `Order.Id` (the order's id, the key of idempotence), `Order.ChangeType` (Added, Modified,
 * Deleted), `Order.Cleared` (the properties the order clears, space separated: a cleared value and an
 * unchanged one are both an empty field), `Owner.Identifier`, `Resource.Identifier` (the target's,
 * empty for Added), then one column per property of the orders' Changes. Property columns are added
 * to the right, sorted by name within the batch that first has them, and never move: a reader may
 * rely on a column's position once it has seen it. Rows written before a column existed are empty
 * in it. Property identifiers hold no dot, so the dotted names cannot clash with a property.
 * A value is written as text; a navigation as the Identifier of the resource it points to; a
 * multi-valued navigation's `<property>_add` / `<property>_remove` as a JSON array of Identifiers.
 *
 * Each batch replaces the file at once (temporary file, fsync, rename): a reader never sees half a
 * row, and a run killed midway leaves the file of the batch before. The ids in the file are read when
 * the package opens: an order already there ends Executed "already applied" and is not written again.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { confineTo } from "../../domain/confined-path.js";
import { isKnownEncoding } from "../../config/text-encoding.js";
import { CsvParser } from "../csv/csv-read.js";
import { createEncoder } from "../csv/encoding.js";
import type { FulfilContext, FulfilOrder, Fulfiller, FulfilPackage, FulfilRoute, OrderOutcome, ProvisioningOrder } from "./fulfiller.js";
import { fileNameOf, identifierOf, outputFolder, settingsAt, textSetting, writeFileAtomically } from "./package-files.js";

export const FIXED_COLUMNS = ["Order.Id", "Order.ChangeType", "Order.Cleared", "Owner.Identifier", "Resource.Identifier"] as const;

export interface CsvFulfilSettings {
  folder: string;
  encoding: string;
  separator: string;
}

export function readCsvFulfilSettings(connection: string, raw: Readonly<Record<string, unknown>>, workFolder: string): CsvFulfilSettings {
  const at = settingsAt(connection);
  const encoding = textSetting(raw, at, "Encoding") ?? "utf-8";
  if (!isKnownEncoding(encoding)) throw new Error(`${at}.Encoding "${encoding}" is not an encoding iconv-lite knows (utf-8, latin1, windows-1252, …)`);
  const separator = raw.Separator === undefined ? "," : raw.Separator;
  if (typeof separator !== "string" || [...separator].length !== 1 || /["\r\n]/.test(separator)) {
    throw new Error(`${at}.Separator must be one character other than a quote or a line end, not ${JSON.stringify(separator)}`);
  }
  return { folder: outputFolder(raw, at, workFolder, "the orders' CSV files are written in"), encoding, separator };
}

/** One record with `separator`, CRLF included: a field is quoted when it holds the separator, a quote or a line end. */
export function csvRecordWith(values: readonly string[], separator: string): string {
  const quoted = values.map((value) =>
    value.includes(separator) || /["\r\n]|^\uFEFF/.test(value) ? `"${value.replaceAll('"', '""')}"` : value,
  );
  return quoted.join(separator) + "\r\n";
}

function fieldOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return JSON.stringify(value.map(identifierOf));
  const plain = identifierOf(value);
  return typeof plain === "string" ? plain : typeof plain === "object" ? JSON.stringify(plain) : String(plain);
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

/** The order's row as column → field. */
export function orderRow(id: number, order: ProvisioningOrder): Map<string, string> {
  const changes = Object.entries(order.Changes ?? {});
  const row = new Map<string, string>([
    ["Order.Id", String(id)],
    ["Order.ChangeType", order.ChangeType],
    ["Order.Cleared", changes.filter(([, value]) => value === null).map(([name]) => name).join(" ")],
    ["Owner.Identifier", textOf(order.Owner?.Identifier)],
    ["Resource.Identifier", textOf(order.Resource?.Identifier)],
  ]);
  for (const [name, value] of changes) row.set(name, fieldOf(value));
  return row;
}

/** The file's header and records as read at open, kept to rewrite it whole with each batch. */
interface OrdersFile {
  path: string;
  header: string[];
  records: string[][];
  ids: Set<string>;
}

function readOrdersFile(path: string, settings: CsvFulfilSettings): OrdersFile {
  if (!existsSync(path)) return { path, header: [...FIXED_COLUMNS], records: [], ids: new Set() };
  const parser = new CsvParser(path, settings.separator);
  const all = [...parser.push(iconv.decode(readFileSync(path), settings.encoding)), ...parser.end()];
  const [header, ...records] = all;
  if (header === undefined) return { path, header: [...FIXED_COLUMNS], records: [], ids: new Set() };
  if (FIXED_COLUMNS.some((column, i) => header[i] !== column)) {
    throw new Error(`${path} is not an orders file of the CSV package (its header does not start with ${FIXED_COLUMNS.join(",")}): move it away or choose another Folder`);
  }
  return { path, header, records, ids: new Set(records.map((record) => record[0] as string)) };
}

class CsvFulfiller implements Fulfiller {
  constructor(
    private readonly file: OrdersFile,
    private readonly settings: CsvFulfilSettings,
  ) {}

  async *apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome> {
    const outcomes: OrderOutcome[] = [];
    const rows: Map<string, string>[] = [];
    const written = new Set<string>();
    for (const { id, order } of orders) {
      if (signal.aborted) break;
      const key = String(id);
      if (this.file.ids.has(key) || written.has(key)) {
        outcomes.push({ id, state: "Executed", message: `already applied: order ${id} is in ${this.file.path}`, alreadyApplied: true });
        continue;
      }
      rows.push(orderRow(id, order));
      written.add(key);
      outcomes.push({ id, state: "Executed", message: `written to ${this.file.path}` });
    }
    if (rows.length > 0) this.#write(rows);
    yield* outcomes;
  }

  #write(rows: Map<string, string>[]): void {
    const known = new Set(this.file.header);
    const added = [...new Set(rows.flatMap((row) => [...row.keys()]))].filter((name) => !known.has(name)).sort();
    const header = [...this.file.header, ...added];
    const records = [...this.file.records, ...rows.map((row) => header.map((column) => row.get(column) ?? ""))];
    let text = csvRecordWith(header, this.settings.separator);
    for (const record of records) {
      const padded = record.length < header.length ? [...record, ...Array<string>(header.length - record.length).fill("")] : record;
      text += csvRecordWith(padded, this.settings.separator);
    }
    writeFileAtomically(this.file.path, createEncoder(this.settings.encoding).encode(text), this.settings.folder);
    // Only once the file holds them: a failed write leaves the batch to be given again.
    this.file.header = header;
    this.file.records = records;
    for (const row of rows) this.file.ids.add(row.get("Order.Id") as string);
  }

  async close(): Promise<void> {}
}

export const csvPackage: FulfilPackage = {
  name: "CSV",
  handles: (packageName) => /^Usercube\.CSV([.@]|$)/i.test(packageName),
  async open(route: FulfilRoute, context: FulfilContext): Promise<Fulfiller> {
    const settings = readCsvFulfilSettings(route.connection, context.settings, context.workFolder);
    const path = confineTo(join(settings.folder, `${fileNameOf(route.resourceType, "ResourceType")}.csv`), settings.folder);
    return new CsvFulfiller(readOrdersFile(path, settings), settings);
  },
};
