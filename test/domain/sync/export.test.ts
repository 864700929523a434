import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CsvParser } from "../../../src/connectors/csv/csv-read.js";
import { readCsvPackageSettings } from "../../../src/connectors/csv/export-csv.js";
import { packageKind } from "../../../src/domain/sync/export-model.js";
import { incrementalQuery, maxOfColumn, readCookie, readSqlPackageSettings } from "../../../src/connectors/sql/export-sql.js";

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});
function folder(): string {
  const f = mkdtempSync(join(tmpdir(), "idm-export-"));
  folders.push(f);
  return f;
}

describe("CsvParser with another separator", () => {
  it("reads ; separated records with quotes, doubled quotes, line ends in quotes, BOM and empty lines", () => {
    const p = new CsvParser("x", ";");
    const text = '\uFEFFa;"b;c";"d ""e"""\r\n\r\n"f\r\ng";;\n"h"';
    expect([...p.push(text.slice(0, 7)), ...p.push(text.slice(7, 20)), ...p.push(text.slice(20)), ...p.end()]).toEqual([
      ["a", "b;c", 'd "e"'], ["f\r\ng", "", ""], ["h"],
    ]);
  });

  it("keeps a CRLF inside quotes split across pieces", () => {
    const p = new CsvParser("x", ",");
    expect([...p.push('"a\r'), ...p.push('\nb",c\r'), ...p.push("\nd"), ...p.end()]).toEqual([["a\r\nb", "c"], ["d"]]);
    expect(p.line).toBe(3);
  });

  it("refuses text after a closing quote and an unclosed quote", () => {
    expect(() => new CsvParser("f.csv", ",").push('"a"b,c\n')).toThrow("f.csv line 1: text after a closing quote");
    const p = new CsvParser("f.csv", ",");
    p.push('a,"b\n');
    expect(() => p.end()).toThrow("not closed");
  });
});

describe("settings", () => {
  it("CSV: defaults, and errors naming the setting", () => {
    expect(readCsvPackageSettings("C", { Folder: "in" })).toMatchObject({ encoding: "utf-8", separator: ",", hasHeader: true, files: {}, columns: {} });
    expect(() => readCsvPackageSettings("C", {})).toThrow("settings Connections.C.Folder is missing");
    expect(() => readCsvPackageSettings("C", { Folder: "in", Separator: ";;" })).toThrow("Connections.C.Separator");
    expect(() => readCsvPackageSettings("C", { Folder: "in", Encoding: "klingon" })).toThrow("Connections.C.Encoding");
    expect(() => readCsvPackageSettings("C", { Folder: "in", HasHeader: "no" })).toThrow("Connections.C.HasHeader");
  });

  it("SQL: the display hides the password; missing pieces are named", () => {
    const s = readSqlPackageSettings("C", { ConnectionString: "postgres://u:s3cret@h/db", Queries: { T: "SELECT 1;" } }, [{ identifier: "T", columns: [] }]);
    expect(s.database !== "store" && s.database.display).toContain("postgres://u:***@h");
    expect(s.database !== "store" && s.database.display).not.toContain("s3cret");
    expect(s.queries).toEqual({ T: "SELECT 1" });
    expect(readSqlPackageSettings("C", { ConnectionString: " idm:store ", Queries: { T: "SELECT 1" } }, [{ identifier: "T", columns: [] }]).database).toBe("store");
    expect(() => readSqlPackageSettings("C", { Queries: {} }, [])).toThrow("settings Connections.C.ConnectionString is missing");
    expect(() => readSqlPackageSettings("C", { ConnectionString: "sqlite:x.db" }, [{ identifier: "T", columns: [] }])).toThrow("settings Connections.C.Queries is missing");
    expect(() => readSqlPackageSettings("C", { ConnectionString: "oracle://u:s3cret@h", Queries: {} }, [])).toThrow(/^(?!.*s3cret)/);
    expect(() => readSqlPackageSettings("C", { ConnectionString: "sqlite:x.db", Queries: { T: "q" }, Watermark: { T: {} } }, [{ identifier: "T", columns: [] }]))
      .toThrow("Connections.C.Watermark.T.Column");
  });

  it("packages", () => {
    expect([packageKind("Usercube.CSV@0000001"), packageKind("Usercube.SQL@0000001"), packageKind("Usercube.LDAP@0000001"), packageKind("Usercube.Manual@0000001")]).toEqual(["CSV", "SQL", "LDAP", undefined]);
  });
});

describe("watermark", () => {
  it("wraps the query and binds the last value as a parameter, never in the statement's text", () => {
    expect(incrementalQuery("sqlite", "SELECT * FROM t", "updated_at", "2024-01-02T00:00:00Z")).toEqual({
      sql: 'SELECT * FROM (SELECT * FROM t) q WHERE "updated_at" > ?', parameters: ["2024-01-02T00:00:00Z"] });
    expect(incrementalQuery("postgres", "SELECT * FROM t", "who", "O'Brien\\")).toEqual({
      sql: 'SELECT * FROM (SELECT * FROM t) q WHERE "who" > $1', parameters: ["O'Brien\\"] });
    expect(incrementalQuery("mssql", "SELECT * FROM t", "a]b", "12")).toEqual({ sql: "SELECT * FROM (SELECT * FROM t) q WHERE [a]]b] > @p1", parameters: ["12"] });
    // SQLite binds numbers as numbers (64-bit integers exactly), text as text.
    expect(incrementalQuery("sqlite", "q", "n", "9007199254740993").parameters).toEqual([9007199254740993n]);
    expect(incrementalQuery("sqlite", "q", "n", "-2.5").parameters).toEqual([-2.5]);
    expect(incrementalQuery("sqlite", "q", "n", "99999999999999999999").parameters).toEqual([1e20]);
    expect(incrementalQuery("sqlite", "q", "n", "1e5").parameters).toEqual([100000]);
    expect(incrementalQuery("sqlite", "q", "n", "12abc").parameters).toEqual(["12abc"]);
  });

  it("takes the greatest value of the column: numbers as numbers, else text", async () => {
    const f = folder();
    writeFileSync(join(f, "n.csv"), "id,v\r\n1,9\r\n2,10\r\n3,\r\n");
    writeFileSync(join(f, "t.csv"), "id,v\r\n1,2024-01-09\r\n2,2024-01-10\r\n");
    writeFileSync(join(f, "e.csv"), "id,v\r\n");
    const signal = new AbortController().signal;
    expect(await maxOfColumn(join(f, "n.csv"), "v", signal)).toBe("10");
    expect(await maxOfColumn(join(f, "t.csv"), "v", signal)).toBe("2024-01-10");
    expect(await maxOfColumn(join(f, "e.csv"), "v", signal)).toBeUndefined();
    await expect(maxOfColumn(join(f, "e.csv"), "w", signal)).rejects.toThrow("watermark column w is not among the query's columns (id, v)");
  });

  it("reads a cookie, absent or broken", () => {
    const f = folder();
    expect(readCookie(join(f, "none.json"))).toBeUndefined();
    writeFileSync(join(f, "bad.json"), "{");
    expect(() => readCookie(join(f, "bad.json"))).toThrow('IgnoreCookieFile="true"');
  });
});
