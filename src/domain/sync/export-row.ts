/**
 * The rows prepare reads from an export file (prepare.ts' rowReader), and the hash of a row that a
 * baseline keeps (baseline.ts). A baseline prepare writes hashes each row's CSV line (csvLine) with
 * its values in the baseline's hash order: the export's own column order when the export holds
 * exactly the mapped columns, else the mapped order (hashOrderFor). In the export's order, a row read
 * as a plain line (no quote, no line end: CsvParser.pushLines) with all its fields is its own CSV
 * line: it is hashed as it is, and its key taken from it, without splitting it (an Incremental diff
 * only looks most rows up and compares their hash; a Complete prepare writes such a line as it is,
 * exportLine). Baselines written before hashColumns existed hash the mapped values joined by NUL
 * (rowHash); a diff against one keeps that form.
 */
import { csvLine } from "../../connectors/csv/csv-write.js";
import { csvHash, rowHash } from "./baseline.js";

/** One row of an export; only valid during the call it is passed to (the reader reuses it). */
export interface ExportRow {
  /** Its key (external-sort.ts' joinKey of its key values). */
  readonly key: string;
  /** The mapped values, key first (after the command when it passes through). */
  values(): string[];
  /** csvLine of the mapped values. */
  line(): string;
  /** csvLine of its fields in the export's order (a short record's missing ones empty). */
  exportLine(): string;
  /** Its hash in the form the read was given (ReadRow). */
  hash(): string;
}

/**
 * Reads the export's rows with a non-empty key; `first`: the first of several reads; `hashColumns`:
 * what row.hash() is of (BaselineShape.hashColumns; undefined: a baseline's written before it);
 * `onKeys`, when given, is told the keys of a chunk's plain lines before their rows are passed on.
 */
export type RowSource = (
  onRow: (row: ExportRow) => void, first: boolean, hashColumns?: readonly string[], onKeys?: (keys: readonly string[]) => void,
) => Promise<void>;

/** The hash order of a new baseline: the export's columns when they are the mapped ones in any order, else the mapped order. */
export function hashOrderFor(header: readonly string[], columns: readonly string[]): readonly string[] {
  const same = header.length === columns.length && new Set(header).size === header.length && columns.every((column) => header.includes(column));
  return same ? header : columns;
}

const BOM = "\uFEFF";

/**
 * The row the reader passes on, set again for each record: from a plain line of exactly the export's
 * fields (setLine) or from the record's fields (setRecord). Values, line and hash are computed when
 * asked for, once.
 */
export class ReadRow implements ExportRow {
  key = "";
  #plain: string | undefined;
  #record: string[] | undefined;
  #values: string[] | undefined;
  #line: string | undefined;
  #hash: string | undefined;
  /** The hash order is the export's: the record's fields are hashed as they come. */
  readonly #exportOrder: boolean;
  /** Positions of the hash order's columns in the mapped values (undefined: the mapped order itself). */
  readonly #hashIndexes: number[] | undefined;

  constructor(
    /** The export's columns. */
    private readonly header: readonly string[],
    /** Each mapped column's position in the export; undefined when they are the export's columns in order. */
    private readonly indexes: readonly number[] | undefined,
    columns: readonly string[],
    /** BaselineShape.hashColumns: undefined hashes rowHash of the mapped values. */
    private readonly hashColumns: readonly string[] | undefined,
  ) {
    this.#exportOrder = hashColumns !== undefined && hashColumns.length === header.length && hashColumns.every((column, i) => header[i] === column);
    const positions = (hashColumns ?? columns).map((column) => columns.indexOf(column));
    this.#hashIndexes = positions.every((position, i) => position === i) ? undefined : positions;
  }

  /** Whether a plain line is hashed as it is (setLine is then worth calling). */
  get hashesLines(): boolean {
    return this.#exportOrder;
  }

  /** A plain line of exactly the export's fields, its key, and its csvHash when already known. */
  setLine(plain: string, key: string, lineHash?: string): this {
    this.key = key;
    this.#plain = plain;
    this.#record = undefined;
    this.#values = this.#line = undefined;
    // A line with a byte order mark is hashed as csvLine writes it, not as it is.
    this.#hash = lineHash !== undefined && this.#exportOrder && !plain.includes(BOM) ? lineHash : undefined;
    return this;
  }

  /** A record (its fields in the export's order, possibly fewer than the header's), its mapped values and key. */
  setRecord(record: string[], values: string[], key: string): this {
    this.key = key;
    this.#plain = undefined;
    this.#record = record;
    this.#values = values;
    this.#line = this.#hash = undefined;
    return this;
  }

  values(): string[] {
    if (this.#values === undefined) {
      const fields = this.#plain!.split(",");
      this.#values = this.indexes === undefined ? fields : this.indexes.map((index) => fields[index]!);
    }
    return this.#values;
  }

  line(): string {
    if (this.#line === undefined) {
      // Mapped in the export's order, a plain line is the row's line (csvLine quotes a byte order mark only).
      const plain = this.#plain;
      this.#line = plain !== undefined && this.indexes === undefined && !plain.includes(BOM) ? plain + "\r\n" : csvLine(this.values());
    }
    return this.#line;
  }

  exportLine(): string {
    const plain = this.#plain;
    return plain !== undefined && !plain.includes(BOM) ? plain + "\r\n" : csvLine(this.#exportFields());
  }

  hash(): string {
    return (this.#hash ??= this.#computeHash());
  }

  /** Its fields in the export's order, as many as the header's. */
  #exportFields(): string[] {
    const fields = this.#plain !== undefined ? this.#plain.split(",") : [...this.#record!];
    while (fields.length < this.header.length) fields.push("");
    return fields;
  }

  #computeHash(): string {
    if (this.hashColumns === undefined) return rowHash(this.#hashIndexes === undefined ? this.values() : this.#inHashOrder());
    if (this.#exportOrder) {
      const plain = this.#plain;
      if (plain !== undefined && !plain.includes(BOM)) return csvHash(plain);
      return csvHash(withoutLineEnd(csvLine(this.#exportFields())));
    }
    return csvHash(withoutLineEnd(this.#hashIndexes === undefined ? this.line() : csvLine(this.#inHashOrder())));
  }

  #inHashOrder(): string[] {
    const values = this.values();
    return this.#hashIndexes!.map((index) => values[index]!);
  }
}

function withoutLineEnd(line: string): string {
  return line.slice(0, -2);
}
