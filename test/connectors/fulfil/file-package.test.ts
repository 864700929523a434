import { readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filePackage } from "../../../src/connectors/fulfil/file-package.js";
import { applyAll, context, route, sampleOrders, tempFolder } from "./orders.js";

describe("FulfillToFile package", () => {
  it("handles Usercube.FulfillToFile only", () => {
    expect(filePackage.handles("Usercube.FulfillToFile@0000001")).toBe(true);
    expect(filePackage.handles("Usercube.FulfillDatabase@0000001")).toBe(false);
  });

  it("writes each order, whatever its change type, as <Folder>/<ResourceType>/<OrderId>.json holding the order file's document", async () => {
    const work = tempFolder("file-fulfil-");
    const orders = sampleOrders();
    const fulfiller = await filePackage.open(route("Usercube.FulfillToFile@0000001"), context(work, { Folder: "json" }));
    const outcomes = await applyAll(fulfiller, orders);
    expect(outcomes.map((o) => [o.id, o.state])).toEqual([[1, "Executed"], [2, "Executed"], [3, "Executed"]]);
    const folder = join(work, "json", "HR_Account_Nominative");
    expect(readdirSync(folder).sort()).toEqual(["1.json", "2.json", "3.json"]);
    for (const { id, order } of orders) {
      expect(JSON.parse(readFileSync(join(folder, `${id}.json`), "utf8"))).toEqual({ ProvisioningOrdersList: [order] });
    }
  });

  it("ends an order whose file exists Executed, already applied, and leaves the file as it is", async () => {
    const work = tempFolder("file-fulfil-");
    const [first, second] = sampleOrders();
    await applyAll(await filePackage.open(route("Usercube.FulfillToFile@0000001"), context(work, { Folder: "json" })), [first!]);
    const path = join(work, "json", "HR_Account_Nominative", "1.json");
    writeFileSync(path, "taken by the target system");
    const outcomes = await applyAll(await filePackage.open(route("Usercube.FulfillToFile@0000001"), context(work, { Folder: "json" })), [first!, second!]);
    expect(outcomes.map((o) => [o.id, o.state, o.alreadyApplied ?? false])).toEqual([[1, "Executed", true], [2, "Executed", false]]);
    expect(readFileSync(path, "utf8")).toBe("taken by the target system");
  });

  it("stops between two orders when the signal aborts", async () => {
    const work = tempFolder("file-fulfil-");
    const fulfiller = await filePackage.open(route("Usercube.FulfillToFile@0000001"), context(work, { Folder: "json" }));
    const controller = new AbortController();
    const outcomes = [];
    for await (const outcome of fulfiller.apply(sampleOrders(), controller.signal)) {
      outcomes.push(outcome);
      controller.abort();
    }
    expect(outcomes.map((o) => o.id)).toEqual([1]);
    expect(readdirSync(join(work, "json", "HR_Account_Nominative"))).toEqual(["1.json"]);
  });

  it("refuses a missing Folder, one outside the work folder, and one a symbolic link leads out of", async () => {
    const work = tempFolder("file-fulfil-");
    const open = (settings: Record<string, unknown>) => filePackage.open(route("Usercube.FulfillToFile@0000001"), context(work, settings));
    await expect(open({})).rejects.toThrow("settings Connections.HRFiles.Folder is missing");
    await expect(open({ Folder: 12 })).rejects.toThrow("settings Connections.HRFiles.Folder must be a non-empty string");
    await expect(open({ Folder: "/etc" })).rejects.toThrow("settings Connections.HRFiles.Folder /etc is outside the work folder");
    symlinkSync(tempFolder("file-outside-"), join(work, "link"));
    await expect(open({ Folder: "link" })).rejects.toThrow("outside the work folder");
  });

  it("refuses a resource type's folder that a symbolic link leads out of", async () => {
    const work = tempFolder("file-fulfil-");
    const outside = tempFolder("file-outside-");
    await applyAll(await filePackage.open(route("Usercube.FulfillToFile@0000001", "Other"), context(work, { Folder: "json" })), []);
    symlinkSync(outside, join(work, "json", "HR_Account_Nominative"));
    await expect(filePackage.open(route("Usercube.FulfillToFile@0000001"), context(work, { Folder: "json" }))).rejects.toThrow("outside the folder");
    expect(readdirSync(outside)).toEqual([]);
  });
});
