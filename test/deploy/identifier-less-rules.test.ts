/**
 * Top-level elements without an identifier (SingleRoleRule and the other rules) are items keyed by
 * their attributes (configuration.ts modelIdentifier): validated, deployed, shown, exported without
 * an Identifier and deployed again unchanged, on every backend. A rule written twice alike is one
 * item; a changed rule is another rule (the old one deleted); a key longer than the store's
 * identifier column keeps its start and a hash of the whole.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_IDENTIFIER_LENGTH } from "../../src/config/configuration.js";
import type { Item } from "../../src/config/items.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { exportItems } from "../../src/deploy/export-items.js";
import { showItem } from "../../src/deploy/history.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { deployFolder, deployXml, itemsOf } from "../helpers/deploy-xml.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

const MODEL = configFile(`  <Policy Identifier="Default" DisplayName_L1="Default"/>
  <EntityType Identifier="Directory_Organization" DisplayName_L1="Department">
    <Property Identifier="Code" IsKey="true"/>
  </EntityType>
  <EntityType Identifier="Directory_User" DisplayName_L1="User">
    <Property Identifier="Login" IsKey="true"/>
  </EntityType>
  <Dimension Identifier="Organization0" EntityType="Directory_Organization" ColumnMapping="0"/>
  <Dimension Identifier="Title1" EntityType="Directory_Organization" ColumnMapping="1"/>
  <SingleRole Identifier="VPN_Access" DisplayName_L1="VPN access" Policy="Default" EntityType="Directory_User"/>
  <ResourceType Identifier="AD_Account" DisplayName_L1="AD account" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="Directory_User"/>`);

const RULES = configFile(`  <SingleRoleRule Role="VPN_Access" Policy="Default" D0="SALES" L0="true"/>
  <SingleRoleRule Role="VPN_Access" D1="FCT0000" Type="Suggested" Policy="Default"/>`);

const SALES = "D0=SALES;IsDenied=false;L0=true;Policy=Default;Priority=0;Role=VPN_Access;Type=Required";
const FCT = "D1=FCT0000;IsDenied=false;Policy=Default;Priority=0;Role=VPN_Access;Type=Suggested";

function rules(items: Item[]): Item[] {
  return items.filter((i) => i.kind === "SingleRoleRule");
}

describe("identifier-less rules as items", () => {
  it("are keyed by their attributes, sorted, defaults included", () => {
    const items = itemsOf(writeFolder({ "Model.xml": MODEL, "Rules.xml": RULES }));
    expect(rules(items).map((i) => i.identifier)).toEqual([SALES, FCT]);
    expect(rules(items)[0]!.attributes).toEqual({ D0: "SALES", IsDenied: false, L0: true, Policy: "Default", Priority: 0, Role: "VPN_Access", Type: "Required" });
  });

  it("a rule written twice alike is one item, with a warning at the second", () => {
    const again = configFile(`  <SingleRoleRule Policy="Default" L0="1" Role="VPN_Access" D0="SALES" Type="0"/>`);
    const result = validateFolder(writeFolder({ "Model.xml": MODEL, "Rules.xml": RULES, "Rules2.xml": again }));
    expect(result.problems).toMatchObject([{
      code: "duplicate-identifier", severity: "warning", file: "Rules2.xml", line: 3,
      message: "this SingleRoleRule says the same as the one at Rules.xml:3:3: it is stored once",
    }]);
    expect(result.valid).toBe(true);
  });

  it("exports a rule without an Identifier and without its defaults, and reads the export back to the same items", () => {
    const before = itemsOf(writeFolder({ "Model.xml": MODEL, "Rules.xml": RULES }));
    const files = exportItems(before, loadCatalog());
    expect(files.get("Rules.xml")).toBe(configFile(`  <SingleRoleRule D0="SALES" L0="true" Policy="Default" Role="VPN_Access"/>
  <SingleRoleRule D1="FCT0000" Policy="Default" Role="VPN_Access" Type="Suggested"/>`).replace("\n\n</ConfigurationFile>", "\n</ConfigurationFile>"));
    const after = itemsOf(writeFolder(Object.fromEntries(files)));
    expect(after.map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort()).toEqual(before.map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort());
  });

  it("keeps a key longer than the store's identifier column to its length: the start, then a hash of the whole", () => {
    const long = `C#:user:return ${"user.Login + ".repeat(40)}string.Empty;`;
    const rule = configFile(`  <ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceExpression="${long}" TargetBinding="Login"/>
  <ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceExpression="${long} " TargetBinding="Login"/>`);
    const items = itemsOf(writeFolder({ "Model.xml": MODEL, "Rules.xml": rule })).filter((i) => i.kind === "ResourceCorrelationRule");
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.identifier).toHaveLength(MAX_IDENTIFIER_LENGTH);
      expect(item.identifier).toMatch(/^Policy=Default;ResourceType=AD_Account;SourceExpression=C#:user:return user\.Login \+ .*#[0-9a-f]{64}$/);
    }
    expect(items[0]!.identifier).not.toBe(items[1]!.identifier);
  });
});

describe.each(BACKENDS)("identifier-less rules deployed on %s", (_name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("deploys, shows, exports and deploys the export again without a change", async () => {
    const store = await db.open();
    const { result } = await deployXml(store, { "Model.xml": MODEL, "Rules.xml": RULES });
    expect(result.plan.inserts.filter((i) => i.kind === "SingleRoleRule").map((i) => i.identifier)).toEqual([SALES, FCT]);
    const shown = await showItem(store, "SingleRoleRule", SALES);
    expect(shown!.item.attributes).toMatchObject({ Role: "VPN_Access", D0: "SALES", L0: true });
    expect(shown!.item.source).toEqual({ file: "Rules.xml", line: 3, column: 3 });

    const stored = await readStoredItems(store.dataSource.manager);
    const out = writeFolder(Object.fromEntries(exportItems(stored, loadCatalog())));
    const again = await deployFolder(store, out);
    expect(again.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
  });

  it("replaces a changed rule: the new one inserted, the old one deleted", async () => {
    const store = await db.open();
    await deployXml(store, { "Model.xml": MODEL, "Rules.xml": RULES });
    const { result } = await deployXml(store, { "Model.xml": MODEL, "Rules.xml": RULES.replace(`D0="SALES"`, `D0="MARKETING"`) });
    expect(result.plan.summary).toEqual({ insert: 1, update: 0, delete: 1 });
    expect(result.plan.inserts.map((i) => i.identifier)).toEqual([SALES.replace("SALES", "MARKETING")]);
    expect(result.plan.deletes.map((d) => d.identifier)).toEqual([SALES]);
    expect(await showItem(store, "SingleRoleRule", SALES)).toBeUndefined();
  });

  it("stores a rule whose key is longer than the identifier column", async () => {
    const store = await db.open();
    const long = `C#:user:return ${"user.Login + ".repeat(40)}string.Empty;`;
    const files = { "Model.xml": MODEL, "Rules.xml": configFile(`  <ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceExpression="${long}" TargetBinding="Login"/>`) };
    const { result } = await deployXml(store, files);
    const [inserted] = result.plan.inserts.filter((i) => i.kind === "ResourceCorrelationRule");
    const shown = await showItem(store, "ResourceCorrelationRule", inserted!.identifier);
    expect(shown!.item.attributes.SourceExpression).toBe(long);
    expect((await deployXml(store, files)).result.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
  });
});
