/**
 * Identifiers that become file and folder names (a connector's batch folders, `<ConnectionTable>.csv`,
 * `<EntityType>.sorted.csv`) are refused at validate when they could leave their folder.
 */
import { describe, expect, it } from "vitest";
import { validateFolder } from "../../src/config/validate-folder.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

function errorsOf(body: string) {
  const dir = writeFolder({ "model.xml": BASE_MODEL, "hostile.xml": configFile(body) });
  return validateFolder(dir).problems.filter((p) => p.severity === "error");
}

describe("identifiers that name files", () => {
  it.each([
    ["Connector", `<Connector Identifier="../../../x/evil" DisplayName_L1="E" Agent="Local"/>`, 'Connector Identifier="../../../x/evil"', 14],
    ["ConnectionTable", `<ConnectionTable Identifier="P_/../../../tmp/stolen" Connection="HRFile"/>`, 'ConnectionTable Identifier="P_/../../../tmp/stolen"', 20],
    ["a mapping's ConnectionTable", `<EntityTypeMapping Identifier="Directory_User" Connector="HR" ConnectionTable="..\\..\\secrets"/>`, 'EntityTypeMapping ConnectionTable="..\\..\\secrets"', 65],
    ["an association mapping's ConnectionTable", `<EntityAssociationMapping Identifier="A" Connector="HR" ConnectionTable=".."/>`, 'EntityAssociationMapping ConnectionTable=".."', 59],
  ])("%s that leaves its folder is invalid-value, at the attribute", (_, element, quoted, column) => {
    const problems = errorsOf(`  ${element}`).filter((p) => p.file === "hostile.xml" && p.code === "invalid-value");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, column });
    expect(problems[0]!.message).toContain(quoted);
    expect(problems[0]!.message).toContain("a name that can be a file name");
  });

  it("names real configurations use stay valid", () => {
    const problems = errorsOf(`  <Connector Identifier="AD_Export-2.0" DisplayName_L1="E" Agent="Local"/>
  <ConnectionTable Identifier="ADExport_entries" Connection="ADExport"/>`);
    expect(problems.filter((p) => p.code === "invalid-value")).toEqual([]);
  });
});
