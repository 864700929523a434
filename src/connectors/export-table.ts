/** The unit of work of every export package: one table, written to `<Paths.Export>/<identifier>.csv`. */
export interface ExportTable {
  /** The ConnectionTable identifier: the output is `<identifier>.csv`. */
  identifier: string;
  /** Its Column identifiers, in the configuration's order (empty when none is written). */
  columns: string[];
}
