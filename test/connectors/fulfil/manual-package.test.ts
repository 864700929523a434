import { describe, expect, it } from "vitest";
import { manualPackage } from "../../../src/connectors/fulfil/manual-package.js";
import { applyAll, context, route, sampleOrders, tempFolder } from "./orders.js";

describe("Manual package", () => {
  it("handles Usercube.Manual only, and reads no settings", () => {
    expect(manualPackage.handles("Usercube.Manual@0000001")).toBe(true);
    expect(manualPackage.handles("Usercube.ManualX@0000001")).toBe(false);
    expect(manualPackage.settingsOptional).toBe(true);
  });

  it("leaves every order open as a ticket, logging what to do and how to close it", async () => {
    const ctx = context(tempFolder("manual-fulfil-"), {});
    const fulfiller = await manualPackage.open(route("Usercube.Manual@0000001"), ctx);
    const outcomes = await applyAll(fulfiller, sampleOrders());
    expect(outcomes.map((o) => [o.id, o.state, o.message])).toEqual([[1, "Ticket", "ticket open"], [2, "Ticket", "ticket open"], [3, "Ticket", "ticket open"]]);
    expect(ctx.lines).toHaveLength(3);
    expect(ctx.lines[0]).toMatch(/^Information ticket 1 open \(Connection .+\): Added HR_Account_Nominative.*: \{"login":"jbond".*; close it with idm orders complete 1$/);
  });
});
