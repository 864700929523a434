import { readCsvRecords } from "../../connectors/csv/csv-read.js";

/** Reads a batch's sorted file: its header (checked against the manifest's columns), then its rows padded to the header's width. */
export async function* sortedRows(path: string, columns: readonly string[], signal: AbortSignal): AsyncGenerator<string[]> {
  const records = readCsvRecords(path, signal);
  try {
    const first = await records.next();
    if (first.done) throw new Error(`${path} is empty (it needs a header row)`);
    if (first.value.join("\u0000") !== columns.join("\u0000")) throw new Error(`${path} has the columns ${first.value.join(", ")}, its manifest ${columns.join(", ")}`);
    for await (const record of records) {
      while (record.length < columns.length) record.push("");
      yield record;
    }
  } finally {
    await records.return(undefined);
  }
}
