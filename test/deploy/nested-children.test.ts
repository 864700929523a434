/**
 * Children of children (Risk > Rule > Item): read, stored inside their parent's entry under
 * NESTED_CHILDREN, deployed, shown, exported and deployed again unchanged, on every backend; merged
 * by a ConsolidationMode="Merge" overlay; and one-level children keep the JSON they always had.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NESTED_CHILDREN, type Item } from "../../src/config/items.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { exportItems } from "../../src/deploy/export-items.js";
import { showItem } from "../../src/deploy/history.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { deployFolder, deployXml, itemsOf } from "../helpers/deploy-xml.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

const XSD = "schema/identitymanager-configuration.xsd";

const MODEL = configFile(`  <Policy Identifier="Default" DisplayName_L1="Default"/>
  <EntityType Identifier="Directory_User" DisplayName_L1="User">
    <Property Identifier="Login" IsKey="true"/>
  </EntityType>
  <EntityType Identifier="ERP_Account" DisplayName_L1="ERP account">
    <Property Identifier="Login" IsKey="true"/>
  </EntityType>
  <ResourceType Identifier="ERP_Account_Std" DisplayName_L1="ERP account" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="ERP_Account"/>`);

const RISK = configFile(`  <Risk Identifier="SoD_Pay" DisplayName_L1="Create and approve payments" Policy="Default" EntityType="Directory_User" Level="80" ExemptionPolicy="2">
    <Rule>
      <Item ResourceType="ERP_Account_Std" Property="Roles" Resource="PAY_CREATE"/>
      <Item ResourceType="ERP_Account_Std" Property="Roles" Resource="PAY_APPROVE"/>
    </Rule>
    <Rule>
      <Item ResourceType="ERP_Account_Std" Property="Roles" Resource="PAY_ADMIN"/>
      <Item ResourceType="ERP_Account_Std" Property="Roles" Resource="PAY_APPROVE"/>
    </Rule>
  </Risk>`);

const RULES = [
  { [NESTED_CHILDREN]: { Item: [
    { Property: "Roles", Resource: "PAY_CREATE", ResourceType: "ERP_Account_Std" },
    { Property: "Roles", Resource: "PAY_APPROVE", ResourceType: "ERP_Account_Std" },
  ] } },
  { [NESTED_CHILDREN]: { Item: [
    { Property: "Roles", Resource: "PAY_ADMIN", ResourceType: "ERP_Account_Std" },
    { Property: "Roles", Resource: "PAY_APPROVE", ResourceType: "ERP_Account_Std" },
  ] } },
];

function risk(items: Item[]): Item {
  return items.find((i) => i.kind === "Risk")!;
}

describe("nested children in items", () => {
  it("the catalog keys a grandchild under its parent's key and finds it from its parent", () => {
    const catalog = loadCatalog();
    const rule = catalog.child(catalog.get("Risk")!, "Rule")!;
    expect(rule.key).toBe("Risk/Rule");
    expect(catalog.child(rule, "Item")).toMatchObject({ key: "Risk/Rule/Item", kind: "model-child", identifierAttribute: undefined });
    expect(catalog.get("Item")).toBeUndefined();
  });

  it("stores a child's own children inside its entry, in document order when they have no identifier", () => {
    const items = itemsOf(writeFolder({ "Model.xml": MODEL, "Risk.xml": RISK }));
    expect(risk(items).children).toEqual({ Rule: RULES });
    expect(risk(items).attributes).toMatchObject({ ExemptionPolicy: "ApprovalRequired", Level: 80, RiskType: "SoD" });
  });

  it("keeps one-level children as they were: no reserved key, the identifier as the key", () => {
    const items = itemsOf(writeFolder({ "Model.xml": MODEL }));
    const user = items.find((i) => i.kind === "EntityType" && i.identifier === "Directory_User")!;
    expect(user.children).toEqual({ Property: { Login: { HistoryPrecision: 0, IsKey: true, TargetColumnIndex: -1, Type: "String" } } });
    expect(JSON.stringify(user.children)).not.toContain(NESTED_CHILDREN);
  });

  it("builds item JSON in canonical key order at every depth, the reserved key first", () => {
    const item = risk(itemsOf(writeFolder({ "Model.xml": MODEL, "Risk.xml": RISK })));
    const rule = (item.children as { Rule: Record<string, unknown>[] }).Rule[0]!;
    expect(Object.keys(rule)).toEqual([NESTED_CHILDREN]);
    const first = (rule[NESTED_CHILDREN] as { Item: Record<string, unknown>[] }).Item[0]!;
    expect(Object.keys(first)).toEqual(["Property", "Resource", "ResourceType"]);
  });

  it("checks the references of grandchildren, with did-you-mean", () => {
    const { problems } = validateFolder(writeFolder({ "Model.xml": MODEL, "Risk.xml": RISK.replace(
      `<Item ResourceType="ERP_Account_Std" Property="Roles" Resource="PAY_ADMIN"/>`,
      `<Item ResourceType="ERP_Account_Sdt" Property="Roles" Resource="PAY_ADMIN"/>`) }));
    expect(problems).toMatchObject([{
      code: "unresolved-reference", severity: "error", file: "Risk.xml", line: 9, column: 13,
      message: `Item ResourceType="ERP_Account_Sdt": no ResourceType has this identifier`, hint: "did you mean ERP_Account_Std?",
    }]);
  });

  it("reports a grandchild that does not belong there, naming what its parent accepts", () => {
    const { problems } = validateFolder(writeFolder({ "Model.xml": MODEL, "Risk.xml": RISK.replace("<Rule>", "<Rule>\n      <Rule/>") }));
    expect(problems).toMatchObject([{ code: "unknown-element", message: "Rule is not allowed in Rule", hint: "Rule accepts only Item" }]);
  });

  it("merges an overlay's children into the item it changes, grandchildren included", () => {
    const overlay = configFile(`  <Risk Identifier="SoD_Pay" Level="90" ConsolidationMode="Merge">
    <Rule>
      <Item ResourceType="ERP_Account_Std" Property="Roles" Resource="PAY_CREATE"/>
      <Item ResourceType="ERP_Account_Std" Property="Roles" Resource="PAY_ADMIN"/>
    </Rule>
  </Risk>`);
    const items = itemsOf(writeFolder({ "Model.xml": MODEL, "Risk.xml": RISK, "Overlay.xml": overlay }));
    expect(risk(items).attributes.Level).toBe(90);
    expect(risk(items).children).toEqual({ Rule: [...RULES, { [NESTED_CHILDREN]: { Item: [
      { Property: "Roles", Resource: "PAY_CREATE", ResourceType: "ERP_Account_Std" },
      { Property: "Roles", Resource: "PAY_ADMIN", ResourceType: "ERP_Account_Std" },
    ] } }] });
  });

  it("exports grandchildren inside their parent, and the export validates against the XSD and gives the same items", () => {
    const before = itemsOf(writeFolder({ "Model.xml": MODEL, "Risk.xml": RISK }));
    const files = exportItems(before, loadCatalog());
    expect(files.get("Risk.xml")).toContain([
      `  <Risk Identifier="SoD_Pay" DisplayName_L1="Create and approve payments" EntityType="Directory_User" ExemptionPolicy="ApprovalRequired" Level="80" Policy="Default">`,
      `    <Rule>`,
      `      <Item Property="Roles" Resource="PAY_CREATE" ResourceType="ERP_Account_Std"/>`,
      `      <Item Property="Roles" Resource="PAY_APPROVE" ResourceType="ERP_Account_Std"/>`,
      `    </Rule>`,
    ].join("\n"));
    const out = writeFolder(Object.fromEntries(files));
    const lint = spawnSync("xmllint", ["--noout", "--schema", XSD, join(out, "Risk.xml")], { encoding: "utf8" });
    expect(lint.status, lint.stderr).toBe(0);
    const after = itemsOf(out);
    expect(after.map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort()).toEqual(before.map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort());
  });
});

describe.each(BACKENDS)("nested children deployed on %s", (_name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("deploys, shows, exports and deploys the export again without a change", async () => {
    const store = await db.open();
    const { result } = await deployXml(store, { "Model.xml": MODEL, "Risk.xml": RISK });
    expect(result.plan.summary).toEqual({ insert: 5, update: 0, delete: 0 });
    const shown = await showItem(store, "Risk", "SoD_Pay");
    expect(shown!.item.children).toEqual({ Rule: RULES });

    const stored = await readStoredItems(store.dataSource.manager);
    const out = writeFolder(Object.fromEntries(exportItems(stored, loadCatalog())));
    const again = await deployFolder(store, out);
    expect(again.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
  });

  it("plans a changed grandchild as an update of its item, at the grandchild's path", async () => {
    const store = await db.open();
    await deployXml(store, { "Model.xml": MODEL, "Risk.xml": RISK });
    const { result } = await deployXml(store, { "Model.xml": MODEL, "Risk.xml": RISK.replace("PAY_ADMIN", "PAY_SUPERVISE") });
    expect(result.plan.summary).toEqual({ insert: 0, update: 1, delete: 0 });
    expect(result.plan.updates.map((u) => [u.kind, u.identifier, u.changes.map((c) => c.path)])).toEqual([
      ["Risk", "SoD_Pay", [`children.Rule[1].${NESTED_CHILDREN}.Item[0].Resource`]],
    ]);
  });
});
