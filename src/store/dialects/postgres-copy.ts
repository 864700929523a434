/**
 * PostgreSQL's bulk path: COPY … FROM STDIN in the text format. The server reads rows as tab-separated
 * lines with no statement to parse or plan, where a multi-row INSERT of 400 rows × 12 parameters is
 * parsed and planned on each new connection and planned again for each of its first runs.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ClientBase } from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** Lines per chunk written to the connection: large enough to amortise a write, small enough to stream. */
const ROWS_PER_CHUNK = 500;

const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const TO_ESCAPE = /[\\\t\n\r]/g;
const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * One value as a field of the text format: NULL as \N; a backslash, tab, newline or carriage return
 * escaped, so that neither the field nor the line ends early and a text "\N" stays text.
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "string") return NEEDS_ESCAPE.test(value) ? value.replace(TO_ESCAPE, (c) => ESCAPES[c]!) : value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString("hex")}`;
  throw new TypeError(`a ${typeof value} cannot be copied into a column`);
}

/**
 * Rows `from` to `to` (exclusive) of `values`, `width` values a row, as the bytes of text-format lines.
 * Each field is written into one buffer: a string concatenated from thousands of fields costs more to
 * flatten and encode than the server takes to load it.
 */
function copyLines(values: readonly unknown[], width: number, from: number, to: number): Buffer {
  const fields: string[] = [];
  let length = 0;
  for (let i = from * width; i < to * width; i++) {
    const field = copyField(values[i]);
    fields.push(field);
    length += field.length;
  }
  // At most 3 bytes of UTF-8 per UTF-16 unit, and a separator per field.
  const bytes = Buffer.allocUnsafe(length * 3 + fields.length);
  let end = 0;
  fields.forEach((field, i) => {
    end += bytes.write(field, end);
    bytes[end++] = (i + 1) % width === 0 ? NEWLINE : TAB;
  });
  return bytes.subarray(0, end);
}

/**
 * Loads `values` (row after row, `columns.length` a row, each already as the driver binds it) into
 * `table`'s `columns` (both quoted). A value that cannot be written ends the COPY with CopyFail, so
 * that the server keeps none of its rows.
 */
export async function copyIn(client: ClientBase, table: string, columns: readonly string[], values: readonly unknown[]): Promise<void> {
  const width = columns.length;
  const rows = values.length / width;
  function* chunks(): Generator<Buffer> {
    for (let from = 0; from < rows; from += ROWS_PER_CHUNK) yield copyLines(values, width, from, Math.min(rows, from + ROWS_PER_CHUNK));
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`)));
}
