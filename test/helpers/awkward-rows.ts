/**
 * Item rows for the bulk writes' round-trip tests: their text columns cycle through `texts` (values
 * that a statement's or a format's own syntax could misread), with nulls, negative and absent
 * numbers between them.
 */
import type { ItemRow } from "../../src/store/entities.js";

export function awkwardItemRows(count: number, texts: readonly string[]): Omit<ItemRow, "id">[] {
  return Array.from({ length: count }, (_, i) => {
    const text = texts[i % texts.length]!;
    return {
      kind: "K", identifier: `${i} ${text}`, attributes: text, children: JSON.stringify([text]), hash: String(i).padStart(64, "0"),
      sourceFile: i % 2 === 0 ? null : text, sourceLine: i % 3 === 0 ? null : i, sourceColumn: i === 0 ? 7 : -i,
      contributions: i % 2 === 0 ? null : text, generatedBy: i % 4 === 0 ? text.slice(0, 100) : null, createdBy: i % 2 === 0 ? null : i, changedBy: null,
    };
  });
}
