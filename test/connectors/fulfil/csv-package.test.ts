import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { csvPackage } from "../../../src/connectors/fulfil/csv-package.js";
import { applyAll, context, order, route, sampleOrders, tempFolder } from "./orders.js";

const HEADER = "Order.Id,Order.ChangeType,Order.Cleared,Owner.Identifier,Resource.Identifier";

describe("CSV fulfilment package", () => {
  it("handles Usercube.CSV and its variants only", () => {
    expect(["Usercube.CSV@0000001", "Usercube.CSV.Complete@0000001", "usercube.csv"].map(csvPackage.handles)).toEqual([true, true, true]);
    expect(csvPackage.handles("Usercube.CSVX@0000001")).toBe(false);
  });

  it("writes each change type as a row of <Folder>/<ResourceType>.csv, properties as columns", async () => {
    const work = tempFolder("csv-fulfil-");
    const fulfiller = await csvPackage.open(route("Usercube.CSV@0000001"), context(work, { Folder: "out" }));
    const outcomes = await applyAll(fulfiller, sampleOrders());
    expect(outcomes.map((o) => [o.id, o.state, o.alreadyApplied])).toEqual([[1, "Executed", undefined], [2, "Executed", undefined], [3, "Executed", undefined]]);
    expect(readFileSync(join(work, "out", "HR_Account_Nominative.csv"), "utf8")).toBe(
      [
        `${HEADER},firstName,groups_add,groups_remove,login,manager,phone`,
        "1,Added,,007-1,,James,,,jbond,mmoney,",
        '2,Modified,phone,007-2,jbond2,Jim,"[""agents""]","[""guests""]",,,',
        "3,Deleted,,007-3,jbond3,,,,,,",
        "",
      ].join("\r\n"),
    );
  });

  it("adds the columns of a later batch to the right, and never writes an order twice (even from a new run)", async () => {
    const work = tempFolder("csv-fulfil-");
    const settings = { Folder: join(work, "out"), Separator: ";" };
    const first = await csvPackage.open(route("Usercube.CSV@0000001"), context(work, settings));
    await applyAll(first, [order(1, "Added", { login: "a;b" })]);
    const again = await csvPackage.open(route("Usercube.CSV@0000001"), context(work, settings));
    const outcomes = await applyAll(again, [order(1, "Added", { login: "a;b" }), order(2, "Added", { mail: "x@y", login: "c" })]);
    expect(outcomes).toEqual([
      { id: 1, state: "Executed", message: expect.stringContaining("already applied"), alreadyApplied: true },
      { id: 2, state: "Executed", message: expect.stringContaining("written to") },
    ]);
    expect(readFileSync(join(work, "out", "HR_Account_Nominative.csv"), "utf8").split("\r\n")).toEqual([
      `${HEADER.replaceAll(",", ";")};login;mail`,
      '1;Added;;007-1;;"a;b";',
      "2;Added;;007-2;;c;x@y",
      "",
    ]);
  });

  it("writes and reads back the file in the Encoding of the settings", async () => {
    const work = tempFolder("csv-fulfil-");
    const settings = { Folder: "out", Encoding: "latin1" };
    await applyAll(await csvPackage.open(route("Usercube.CSV@0000001"), context(work, settings)), [order(1, "Added", { firstName: "Zoé" })]);
    const outcomes = await applyAll(await csvPackage.open(route("Usercube.CSV@0000001"), context(work, settings)), [order(1, "Added", { firstName: "Zoé" })]);
    expect(outcomes[0]?.alreadyApplied).toBe(true);
    const bytes = readFileSync(join(work, "out", "HR_Account_Nominative.csv"));
    expect(bytes.includes(Buffer.from("Zo\xe9", "latin1"))).toBe(true);
    expect(iconv.decode(bytes, "latin1")).toContain("1,Added,,007-1,,Zoé");
  });

  it("stops between two orders when the signal aborts: what was not reached is neither written nor reported", async () => {
    const work = tempFolder("csv-fulfil-");
    const fulfiller = await csvPackage.open(route("Usercube.CSV@0000001"), context(work, { Folder: "out" }));
    const controller = new AbortController();
    controller.abort();
    expect(await applyAll(fulfiller, sampleOrders(), controller.signal)).toEqual([]);
  });

  it("refuses bad settings, naming them", async () => {
    const work = tempFolder("csv-fulfil-");
    const open = (settings: Record<string, unknown>) => csvPackage.open(route("Usercube.CSV@0000001"), context(work, settings));
    await expect(open({})).rejects.toThrow("settings Connections.HRFiles.Folder is missing");
    await expect(open({ Folder: "out", Encoding: "klingon" })).rejects.toThrow('settings Connections.HRFiles.Encoding "klingon"');
    await expect(open({ Folder: "out", Separator: ";;" })).rejects.toThrow("settings Connections.HRFiles.Separator must be one character");
    await expect(open({ Folder: "../elsewhere" })).rejects.toThrow("settings Connections.HRFiles.Folder ../elsewhere is outside the work folder");
  });

  it("refuses a Folder or a file that a symbolic link leads out of the work folder", async () => {
    const work = tempFolder("csv-fulfil-");
    const outside = tempFolder("csv-outside-");
    symlinkSync(outside, join(work, "link"));
    await expect(csvPackage.open(route("Usercube.CSV@0000001"), context(work, { Folder: "link" }))).rejects.toThrow("outside the work folder");
    mkdirSync(join(work, "out"));
    writeFileSync(join(outside, "secret.csv"), "x\r\n");
    symlinkSync(join(outside, "secret.csv"), join(work, "out", "HR_Account_Nominative.csv"));
    await expect(csvPackage.open(route("Usercube.CSV@0000001"), context(work, { Folder: "out" }))).rejects.toThrow("outside the folder");
  });

  it("refuses to take over a file that is not one of its orders files", async () => {
    const work = tempFolder("csv-fulfil-");
    mkdirSync(join(work, "out"));
    writeFileSync(join(work, "out", "HR_Account_Nominative.csv"), "login,mail\r\njbond,j@b\r\n");
    await expect(csvPackage.open(route("Usercube.CSV@0000001"), context(work, { Folder: "out" }))).rejects.toThrow("is not an orders file of the CSV package");
  });
});
