/**
 * The changes between two exports of one mapping, each sorted by key (PrepareSynchronization's
 * Incremental mode without a command column): the `.sorted.delta` of a batch, computed against the
 * baseline a previous prepare left in `previous/`.
 */
import { CsvCursor } from "../../connectors/csv/csv-read.js";
import { CsvWriter } from "../../connectors/csv/csv-write.js";
import { keyComparator, type Row } from "./external-sort.js";
import type { MappedFile } from "./mappings.js";

/**
 * Compares two files sorted by the same key, without duplicates: a key only in the new file is an
 * insert, only in the previous one a delete (with the previous values), in both with another value
 * in some column an update.
 */
export async function diffSorted(
  previousPath: string | undefined,
  currentPath: string,
  deltaPath: string,
  file: MappedFile,
  signal: AbortSignal,
): Promise<{ inserts: number; updates: number; deletes: number }> {
  const compare = keyComparator(Array.from({ length: file.keyLength }, (_, i) => i));
  const counts = { inserts: 0, updates: 0, deletes: 0 };
  const current = new CsvCursor(currentPath, signal);
  const previous = previousPath === undefined ? undefined : new CsvCursor(previousPath, signal);
  const out = CsvWriter.create(deltaPath, ["command", ...file.columns]);
  let ok = false;
  try {
    await current.next();
    if (previous !== undefined) {
      const columns = (await previous.next()) ?? [];
      if (columns.join("\u0000") !== file.columns.join("\u0000")) {
        throw new Error(
          `${file.identifier}: previous/${file.identifier}.sorted.csv has the columns ${columns.join(", ")}, the mapping now ${file.columns.join(", ")}:` +
            " run a Complete prepare to set a new baseline",
        );
      }
    }
    const nextOf = async (reader: CsvCursor | undefined): Promise<Row | undefined> => {
      if (reader === undefined) return undefined;
      const record = reader.take() ?? (await reader.next());
      if (record !== undefined) while (record.length < file.columns.length) record.push("");
      return record;
    };
    let a = await nextOf(previous);
    let b = await nextOf(current);
    let steps = 0;
    while (a !== undefined || b !== undefined) {
      if (++steps % 10_000 === 0) signal.throwIfAborted();
      const order = a === undefined ? 1 : b === undefined ? -1 : compare(a, b);
      if (order < 0) {
        out.write(["delete", ...(a as Row)]);
        counts.deletes++;
        a = await nextOf(previous);
      } else if (order > 0) {
        out.write(["insert", ...(b as Row)]);
        counts.inserts++;
        b = await nextOf(current);
      } else {
        if ((a as Row).some((value, i) => value !== (b as Row)[i])) {
          out.write(["update", ...(b as Row)]);
          counts.updates++;
        }
        a = await nextOf(previous);
        b = await nextOf(current);
      }
    }
    ok = true;
    return counts;
  } finally {
    out.close(ok);
    await current.close();
    await previous?.close();
  }
}
