/**
 * ExportTask's Usercube.CSV package: copies each table's source file from the folder that the
 * settings' Connections.<id> names into the export folder, normalised to PrepareSynchronization's
 * input contract: UTF-8 without byte order mark, comma separator, CRLF, RFC 4180 quoting, a header
 * row. Settings (all but Folder optional):
 *
 *     "Connections": { "<Connection>": {
 *       "Folder": "in/hr",                       // resolved against the working directory
 *       "Files": { "<ConnectionTable>": "people.csv" },   // default `<ConnectionTable>.csv`
 *       "Encoding": "latin1",                    // default utf-8 (a UTF-8 BOM is dropped)
 *       "Separator": ";",                        // one character, default ","
 *       "HasHeader": false,                      // default true
 *       "Columns": { "<ConnectionTable>": ["id", "name"] }   // the fields' names, in file order, when HasHeader is false
 *     } }
 *
 * A file without header needs Columns: the stored ConnectionTable keeps its Column children sorted
 * by identifier (deploy's canonical form), not in document order, so it cannot tell the fields' order.
 *
 * An empty source field is written empty. A record with fewer fields than the header is padded with
 * empty fields; one with more fails the export, naming the file and line.
 */
import { createReadStream } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import iconv from "iconv-lite";
import { isKnownEncoding } from "../../config/text-encoding.js";
import { CsvFile } from "./csv-file.js";
import type { ExportTable } from "../export-table.js";
import { CsvParser } from "./csv-read.js";

export interface CsvPackageSettings {
  folder: string;
  files: Record<string, string>;
  encoding: string;
  separator: string;
  hasHeader: boolean;
  columns: Record<string, string[]>;
}

export function readCsvPackageSettings(connection: string, raw: Record<string, unknown>): CsvPackageSettings {
  const at = `settings Connections.${connection}`;
  const folder = raw.Folder;
  if (typeof folder !== "string" || folder.trim() === "") {
    throw new Error(`${at}.Folder is missing: add the folder that holds the connection's CSV files (package Usercube.CSV)`);
  }
  const files: Record<string, string> = {};
  if (raw.Files !== undefined) {
    if (raw.Files === null || typeof raw.Files !== "object" || Array.isArray(raw.Files)) throw new Error(`${at}.Files must be an object { "<ConnectionTable>": "<file>" }`);
    for (const [table, file] of Object.entries(raw.Files as Record<string, unknown>)) {
      if (typeof file !== "string" || file === "") throw new Error(`${at}.Files.${table} must be a file name`);
      files[table] = file;
    }
  }
  const encoding = raw.Encoding === undefined ? "utf-8" : raw.Encoding;
  if (typeof encoding !== "string" || !isKnownEncoding(encoding)) throw new Error(`${at}.Encoding "${String(encoding)}" is not an encoding iconv-lite knows (utf-8, latin1, windows-1252, …)`);
  const separator = raw.Separator === undefined ? "," : raw.Separator;
  if (typeof separator !== "string" || [...separator].length !== 1 || /["\r\n]/.test(separator)) {
    throw new Error(`${at}.Separator must be one character other than a quote or a line end, not ${JSON.stringify(separator)}`);
  }
  const hasHeader = raw.HasHeader === undefined ? true : raw.HasHeader;
  if (typeof hasHeader !== "boolean") throw new Error(`${at}.HasHeader must be true or false`);
  const columns: Record<string, string[]> = {};
  if (raw.Columns !== undefined) {
    if (raw.Columns === null || typeof raw.Columns !== "object" || Array.isArray(raw.Columns)) throw new Error(`${at}.Columns must be an object { "<ConnectionTable>": ["<column>", …] }`);
    for (const [table, list] of Object.entries(raw.Columns as Record<string, unknown>)) {
      if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === "string" && c !== "")) throw new Error(`${at}.Columns.${table} must be a non-empty array of column names`);
      columns[table] = list as string[];
    }
  }
  return { folder: resolve(folder), files, encoding, separator, hasHeader, columns };
}

export function sourceFileOf(settings: CsvPackageSettings, table: string): string {
  const name = Object.hasOwn(settings.files, table) ? (settings.files[table] as string) : `${table}.csv`;
  return isAbsolute(name) ? name : join(settings.folder, name);
}

function headerlessColumns(settings: CsvPackageSettings, table: ExportTable, source: string): string[] {
  if (Object.hasOwn(settings.columns, table.identifier)) return settings.columns[table.identifier] as string[];
  const known = table.columns.length === 0 ? "" : ` (ConnectionTable ${table.identifier} has ${table.columns.join(", ")}: write them in the file's order)`;
  throw new Error(`${source} has no header (HasHeader false): settings Connections.<Connection>.Columns.${table.identifier} is missing: add the fields' names in file order${known}`);
}

/** Normalises one source file into `temp` (created here; the caller renames or removes it); the rows written. */
export async function normaliseCsv(source: string, temp: string, table: ExportTable, settings: CsvPackageSettings, signal: AbortSignal): Promise<number> {
  const parser = new CsvParser(source, settings.separator);
  const decoder = iconv.getDecoder(settings.encoding);
  let file: CsvFile | undefined;
  let width = 0;
  let complete = false;
  const write = async (records: string[][]) => {
    for (const record of records) {
      if (file === undefined) {
        let header: string[];
        if (settings.hasHeader) {
          header = record;
        } else {
          header = headerlessColumns(settings, table, source);
        }
        width = header.length;
        file = await CsvFile.create(temp, "utf-8", header);
        if (settings.hasHeader) continue;
      }
      if (record.length > width) throw new Error(`${source} line ${parser.line - 1}: ${record.length} fields, the header has ${width}`);
      const values: (string | null)[] = record.map((v) => (v === "" ? null : v));
      while (values.length < width) values.push(null);
      if (file.row(values)) await file.flush();
    }
  };
  try {
    const input = createReadStream(source, { highWaterMark: 64 * 1024 });
    try {
      for await (const bytes of input as AsyncIterable<Buffer>) {
        signal.throwIfAborted();
        await write(parser.push(decoder.write(bytes)));
      }
    } finally {
      input.destroy();
    }
    const rest = decoder.end();
    if (rest !== undefined && rest !== "") await write(parser.push(rest));
    await write(parser.end());
    if (file === undefined) {
      const header = Object.hasOwn(settings.columns, table.identifier) ? (settings.columns[table.identifier] as string[]) : table.columns;
      if (header.length === 0) throw new Error(`${source} is empty and ConnectionTable ${table.identifier} has no Column to write a header with`);
      file = await CsvFile.create(temp, "utf-8", header);
    }
    signal.throwIfAborted();
    complete = true;
    return file.rows;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && file === undefined) {
      throw new Error(`the source file of ConnectionTable ${table.identifier} does not exist: ${source}`, { cause: error });
    }
    throw error;
  } finally {
    await file?.close(complete);
  }
}
