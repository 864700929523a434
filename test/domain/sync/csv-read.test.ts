import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CsvParser, CsvSyntaxError, readCsvRecords } from "../../../src/connectors/csv/csv-read.js";
import { csvLine } from "../../../src/connectors/csv/csv-write.js";

/** Parses the text in one piece, then one character at a time, then with plain lines left whole (split after): all must agree. */
function parse(text: string): string[][] {
  const whole = new CsvParser();
  const all = [...whole.push(text), ...whole.end()];
  const split = new CsvParser();
  const pieces: string[][] = [];
  for (const c of text) pieces.push(...split.push(c));
  pieces.push(...split.end());
  expect(pieces).toEqual(all);
  const lines = new CsvParser();
  const rows = [...lines.pushLines(text), ...lines.end()];
  expect(rows.map((row) => (typeof row === "string" ? row.split(",") : row))).toEqual(all);
  return all;
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("CsvParser", () => {
  it("drops a byte order mark at the start only", () => {
    expect(parse("\uFEFFid,name\r\n1,a\r\n")).toEqual([["id", "name"], ["1", "a"]]);
    expect(parse("id\r\n\uFEFFx\r\n")).toEqual([["id"], ["\uFEFFx"]]);
  });

  it("reads quoted separators, doubled quotes and embedded newlines", () => {
    expect(parse('a,b\r\n"x,y","say ""hi"""\r\n"line1\r\nline2","l1\nl2"\r\n')).toEqual([
      ["a", "b"],
      ["x,y", 'say "hi"'],
      ["line1\r\nline2", "l1\nl2"],
    ]);
  });

  it("keeps empty trailing columns and empty quoted fields", () => {
    expect(parse("a,b,c\r\n1,,\r\n,,\r\n\"\",x,\"\"\r\n")).toEqual([
      ["a", "b", "c"],
      ["1", "", ""],
      ["", "", ""],
      ["", "x", ""],
    ]);
  });

  it("accepts CRLF, LF and lone CR line ends, skips empty lines, and reads a last line without a line end", () => {
    expect(parse("a\r\n1\n2\r3\r\n\r\n\n4")).toEqual([["a"], ["1"], ["2"], ["3"], ["4"]]);
  });

  it("leaves a plain line whole when asked, and splits a record with quotes or a lone CR", () => {
    expect(new CsvParser().pushLines('id,name\r\n1,a\n2,"b"\r\n3,c\rx\r\n')).toEqual(["id,name", "1,a", ["2", "b"], ["3", "c"], "x"]);
  });

  it("keeps a quote inside an unquoted field as text", () => {
    expect(parse('a\r\nit"s\r\n')).toEqual([["a"], ['it"s']]);
  });

  it("refuses text after a closing quote and a quote left open, naming the line", () => {
    expect(() => parse('a\r\n"x"y\r\n')).toThrow(CsvSyntaxError);
    expect(() => parse('a\r\n"x"y\r\n')).toThrow(/line 2/);
    expect(() => parse('a\r\nb\r\n"open\r\nstill')).toThrow(/line 3: a quoted field is not closed/);
  });

  it("reads back what the writer writes", () => {
    const rows = [["id", "v"], ["1", 'a,"b"\r\nc'], ["2", ""], ["3", "\uFEFFbom"], ["4", "x\ry"]];
    expect(parse(rows.map(csvLine).join(""))).toEqual(rows);
  });

  it("streams a file larger than its chunks, multi-byte characters across chunk ends", async () => {
    const folder = mkdtempSync(join(tmpdir(), "idm-csv-"));
    folders.push(folder);
    const rows: string[][] = [["id", "text"]];
    for (let i = 0; i < 20_000; i++) rows.push([String(i), i % 7 === 0 ? `é€😀 "q", ${i}\nnext` : `plain ${i}`]);
    const path = join(folder, "big.csv");
    writeFileSync(path, "\uFEFF" + rows.map(csvLine).join(""));
    const read: string[][] = [];
    for await (const record of readCsvRecords(path)) read.push(record);
    expect(read).toEqual(rows);
  });
});
