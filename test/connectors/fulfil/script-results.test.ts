import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseScriptResults } from "../../../src/connectors/fulfil/script-results.js";

describe("the results file of a fulfil script", () => {
  it("reads PowerShell's Export-Csv output: a #TYPE line, quotes, UTF-16 with a byte order mark, columns in any order", () => {
    const text = '#TYPE System.Management.Automation.PSCustomObject\r\n"Message","ProvisioningState","AssignmentId"\r\n"","Executed","A1"\r\n"refused, twice","errored","A2"\r\n';
    const results = parseScriptResults(iconv.encode(text, "utf-16le", { addBOM: true }), "results.csv");
    expect([...results]).toEqual([
      ["A1", { state: "Executed", message: "" }],
      ["A2", { state: "Errored", message: "refused, twice" }],
    ]);
  });

  it("makes an unknown state Errored, saying so, and lets a later row replace an earlier one", () => {
    const results = parseScriptResults(Buffer.from("AssignmentId,ProvisioningState,Message\nA1,Done,ok\nA2,Errored,x\nA2,Executed,retried\n"), "results.csv");
    expect(results.get("A1")).toEqual({ state: "Errored", message: 'the script reported ProvisioningState "Done" (Executed or Errored expected): ok' });
    expect(results.get("A2")).toEqual({ state: "Executed", message: "retried" });
  });

  it("refuses a file without the AssignmentId column, naming the columns it needs", () => {
    expect(() => parseScriptResults(Buffer.from("Id,ProvisioningState\nA1,Executed\n"), "results.csv")).toThrow(
      "results.csv has no AssignmentId column: its header is to be AssignmentId,ProvisioningState,Message,ChangeType,OwnerId,OwnerType",
    );
  });
});
